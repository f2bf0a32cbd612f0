"""Report metadata: type, title, issuer, number, place and date, reporting period, signer.

Read from the front matter (header block, "BÁO CÁO", the title lines under it) and the closing
matter (signature block), whether a reader gave them as layout tables or as lines of text.
A field the document does not state is None, never guessed; two inferences are made, as a
reader of such reports makes them: the place of a report without a place-and-date line is the
locality its issuer is named after ("UBND PHƯỜNG ĐỨC CHÍNH" → "Đức Chính"), and a period given
only as a length ("tổng kết 5 năm") takes its start from the body ("5 năm từ 2016") and its end
from the report's date. Titles and issuers written in capitals are given in sentence case with
the capitals of proper nouns copied from the body ("… phường Đức Chính").
"""
from __future__ import annotations

import re

from extractors.front.header import place_of, read_header
from extractors.sections.outline import Outline
from extractors.front.periods import Found, durations, find_period, find_periods, find_since
from extractors.front.placedate import find_place_date
from extractors.sections.regions import Front, Line, find_front, paragraph_lines, table_lines
from extractors.front.signature import read_signature
from extractors.sections.segment import is_ocr
from extractors.front.acronyms import capitalise_places, is_acronym
from extractors.text.vntext import CaseModel, cap_first, is_upper_text, restore_case, squash, title_case
from models.document import Document, Paragraph, Table, TableRole
from models.report import Metadata, Period

_APPENDIX = re.compile(r"^(phu\s*luc|bieu\s*mau|bieu\s*so)\b")
_MOTTO = re.compile(r"cong\s*hoa\s*xa\s*hoi|doc\s*lap\s*[-–]\s*tu\s*do")


def closing_lines(doc: Document, start: int | None) -> list[Line]:
    """Lines of the signature block: from `start` up to an appendix or a data table."""
    from extractors.text.vntext import fold

    out: list[Line] = []
    if start is None:
        return out
    for i in range(start, len(doc.blocks)):
        b = doc.blocks[i]
        if isinstance(b, Table):
            if b.role != TableRole.LAYOUT and out:
                break
            lines = table_lines(b, i)
            if out and any(_MOTTO.search(fold(ln.text)) for ln in lines):
                break  # another document's header block: a file holding two reports
            out.extend(lines)
            continue
        lines = paragraph_lines(b)
        if not lines:
            continue
        if out and (_APPENDIX.match(fold(lines[0])) or len(" ".join(lines).split()) > 30):
            break
        out.extend(Line(x, None, i) for x in lines)
        if len(out) > 40:
            break
    return out


def _title(front: Front, case: CaseModel) -> str | None:
    lines = [squash(x) for x in front.title_lines if squash(x)]
    if not lines:
        return None
    text = " ".join(lines)
    text = re.sub(r"^(?:v/v|về việc)\s*", "", text, flags=re.I)
    text = capitalise_places(restore_case(text, case, is_acronym)) if is_upper_text(text) else cap_first(text)
    return text.strip(" .,;:-–") or None


def _period(front: Front, doc: Document, outline: Outline, date: str | None) -> Period:
    ctx = {"date": date}
    title_text = " ".join(front.title_lines)
    note_text = " ".join(front.notes)
    found: Found | None = find_period(title_text, ctx) or find_period(note_text, ctx)
    if found is None:
        # a length without years ("tổng kết 5 năm"): the body says from when
        body = "\n".join(squash(b.full_text) for b in doc.blocks[front.end:outline.body_end or len(doc.blocks)]
                         if isinstance(b, Paragraph))
        for n in durations(title_text):
            found = find_since(body, n, ctx)
            if found:
                break
        if found is None:
            # an explicit range in the preamble ("số liệu từ ngày 15/12/2024 đến ngày 14/3/2025")
            pre = "\n".join(squash(b.full_text) for b in doc.blocks[front.end:outline.body_start]
                            if isinstance(b, Paragraph))
            for h in find_periods(pre, ctx):
                if h.label.lower().startswith(("từ", "tu ")):
                    found = h
                    break
    if found is None:
        return Period()
    return Period(label=found.label, start=found.first, end=found.last)


_ISSUED_WITH = re.compile(r"\(\s*(?:được\s+)?(?:ban\s+hành\s+)?kèm\s+theo\s+(?P<doc>(?:quyết\s+định|công\s+văn|"
                          r"kế\s+hoạch|thông\s+tư|nghị\s+quyết|chỉ\s+thị|tờ\s+trình|văn\s+bản)\s*(?:số)?\s*:?\s*"
                          r"[^()]*?\d[^()]*)\)", re.I)


def issued_with(front: Front, doc: Document, body_start: int) -> str | None:
    """The parent document a guide, a rule or an annex is issued with ("(Ban hành kèm theo
    Quyết định số: 506/QĐ-ĐHNT, ngày 16 tháng 5 năm 2019 của Hiệu trưởng …)", under the title):
    its number and date are the attachment's own identity."""
    start = front.type_block + 1 if front.type_block is not None else front.end
    lines = list(front.notes) + list(front.title_lines)
    lines += [squash(b.full_text) for b in doc.blocks[start:min(body_start, start + 6)] if isinstance(b, Paragraph)]
    m = _ISSUED_WITH.search(squash(" ".join(lines)))
    return squash(m.group("doc")).rstrip(" .;,") if m else None


def extract_metadata(doc: Document, outline: Outline) -> Metadata:
    front = find_front(doc, is_ocr(doc))
    case = CaseModel(squash(b.full_text) for b in doc.blocks[front.end:] if isinstance(b, Paragraph))
    header = read_header(front.header_lines, case)
    closing = closing_lines(doc, outline.body_end if outline.body_end is not None and
                            outline.body_end < len(doc.blocks) else None)
    sig = read_signature(closing)

    place = date = None
    dated_line = header.place_date is not None
    if header.place_date:
        place, date = header.place_date.place, header.place_date.date
    else:  # some offices write the place and date above the signature
        for ln in closing:
            pd = find_place_date(ln.text)
            if pd:
                place, date, dated_line = pd.place, pd.date, True
                break
    if place and is_upper_text(place, 2):
        place = title_case(place)
    if not place:
        place = place_of(header.issuer_locality)

    return Metadata(
        document_type=front.doc_type,
        title=_title(front, case),
        issuer=header.issuer,
        report_number=header.report_number,
        place=place,
        date=date,
        period=_period(front, doc, outline, date),
        signer=sig.signer,
        signer_title=sig.title,
        dated_line=dated_line,
        issued_with=issued_with(front, doc, outline.body_start),
    )
