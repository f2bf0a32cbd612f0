"""Cited documents (04-CT/TU, 09/2008/QĐ-BGDĐT, Công văn số 123/UBND-VX) and dates in prose.

`scan_references(text)` is the pure text scanner: every document code with the type named
before it ("Chỉ thị số"), its date ("ngày 27/4/2016") and issuer ("của Ban Thường vụ Tỉnh ủy
Quảng Ninh") after it; then every date, month, quarter, year and year range not part of a
citation. The figure extractor masks these spans (a code's digits are not figures).
`extract_references(doc, outline)` runs it over the prose paragraphs of a Document.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.text.dates import YEAR, digit_windows, find_dates, iso_of
from extractors.sections.outline import Outline
from extractors.sections.prose import prose_paragraphs
from extractors.text.sentences import sentence_at, split_sentences
from extractors.text.spans import overlap_test
from extractors.text.units import alternation
from models.document import Document, Paragraph
from models.report import Reference

# Document types as named in prose → canonical spelling (Reference.kind).
DOC_TYPES = {
    "thông tư liên tịch": "Thông tư liên tịch", "nghị quyết liên tịch": "Nghị quyết liên tịch",
    "chương trình hành động": "Chương trình hành động", "chỉ thị": "Chỉ thị",
    "quyết định": "Quyết định", "thông tư": "Thông tư", "kế hoạch": "Kế hoạch",
    "nghị quyết": "Nghị quyết", "kết luận": "Kết luận", "chương trình": "Chương trình",
    "công văn": "Công văn", "nghị định": "Nghị định", "luật": "Luật", "pháp lệnh": "Pháp lệnh",
    "báo cáo": "Báo cáo", "hướng dẫn": "Hướng dẫn", "thông báo": "Thông báo",
    "quy định": "Quy định", "quy chế": "Quy chế", "tờ trình": "Tờ trình", "đề án": "Đề án",
    "văn bản": "Văn bản", "công điện": "Công điện", "thông tri": "Thông tri",
    "điều lệ": "Điều lệ", "lệnh": "Lệnh", "sắc lệnh": "Sắc lệnh", "hiến pháp": "Hiến pháp",
    "biên bản": "Biên bản", "giấy mời": "Giấy mời", "công ước": "Công ước",
}
# Type codes (the letters in the code) → the document type, for codes cited without a name.
TYPE_CODES = {
    "CT": "Chỉ thị", "QĐ": "Quyết định", "QD": "Quyết định", "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch", "NQLT": "Nghị quyết liên tịch", "KH": "Kế hoạch",
    "NQ": "Nghị quyết", "KL": "Kết luận", "CTR": "Chương trình", "NĐ": "Nghị định",
    "ND": "Nghị định", "BC": "Báo cáo", "HD": "Hướng dẫn", "TB": "Thông báo",
    "QĐI": "Quy định", "QYĐ": "Quy định", "QC": "Quy chế", "TTR": "Tờ trình", "ĐA": "Đề án",
    "CV": "Công văn", "CĐ": "Công điện", "TTR-UBND": "Tờ trình", "BB": "Biên bản",
    "GM": "Giấy mời", "L": "Luật", "PL": "Pháp lệnh", "HĐ": "Hợp đồng", "PA": "Phương án",
    "CTHĐ": "Chương trình hành động", "TTRI": "Thông tri", "QY": "Quy định",
}
# Document types whose number is cited bare ("Chỉ thị 04"); others need "số".
BARE_NUMBER_TYPES = {"Chỉ thị", "Nghị quyết", "Nghị định", "Quyết định", "Thông tư", "Kết luận",
                     "Công văn", "Công điện", "Thông tri"}

SEG = r"[A-ZĐa-zđ][A-Za-zĐđ0-9&]*"
_CODE = re.compile(
    rf"(?<![\w/.-])(?P<num>\d{{1,5}}[a-zA-Z]?)(?:/(?P<year>{YEAR}))?"
    rf"(?:-(?P<t1>{SEG})/(?P<i1>{SEG}(?:-{SEG})*)"  # party style: 04-CT/TU
    rf"|/(?P<t2>{SEG})-(?P<i2>{SEG}(?:-{SEG})*)"  # state style: 89/QĐ-TTg, 123/UBND-VX
    rf"|/(?P<i3>{SEG}))"  # law style: 43/2019/QH14, Công văn số 123/UBND
    rf"(?![\w/])")
_TYPE_WORDS = alternation(list(DOC_TYPES))
_KIND_BEFORE = re.compile(rf"(?<![^\W_])(?P<kind>{_TYPE_WORDS})\s*(?:số\s*(?:hiệu\s*)?)?[:.]?\s*$", re.I)
_SO_BEFORE = re.compile(r"(?<![^\W_])số\s*(?:hiệu\s*)?[:.]?\s*$", re.I)
_BARE = re.compile(rf"(?<![^\W_])(?P<kind>{_TYPE_WORDS})\s+(?P<so>số\s+)?(?P<num>\d{{1,5}})"
                   rf"(?![\w/]|[.,]\d|\s*%)", re.I)
_DATE_AFTER = re.compile(
    r"\s*,?\s*(?:ban\s+hành\s+|được\s+ban\s+hành\s+)?(?P<d>ngày\s+\d{1,2}\s*(?:[/.-]|\s+tháng\s+)\s*"
    r"\d{1,2}\s*(?:[/.-]|\s+năm\s+)\s*\d{4})", re.I)
_ISSUER_AFTER = re.compile(r"\s*,?\s*của\s+", re.I)
# Where the issuer named after "của" ends: a preposition, a verb in lower case ("Bộ Nội vụ ban
# hành …", but "Ban Quản lý" is a name), another citation, punctuation.
ISSUER_STOP_WORDS = ["về", "nhằm", "để", "tại", "trong", "ngày", "theo", "đã", "được", "thì",
                     "khi", "đến", "cho", "ban hành", "quy định", "phê duyệt", "triển khai",
                     "hướng dẫn", "thực hiện", "chỉ đạo", "giao", "sửa đổi", "bổ sung",
                     "kế hoạch", "cải thiện", "nâng cao", "tổ chức", "quản lý", "xây dựng",
                     "phát động", "thông qua", "công bố", "đề ra", "yêu cầu", "số"]
_ISSUER_STOP = re.compile(
    rf"\s+(?:{alternation(ISSUER_STOP_WORDS)})(?![^\W_])"
    rf"|\s+(?i:và\s+(?:{_TYPE_WORDS}))(?![^\W_])"
    r"|\s*[;,.()“”\"':…?!\[\]]|\s+-\s")
_CHAIN_GAP = re.compile(r"\s*(?:,|và|,\s*và|&)\s*", re.I)
_MAX_ISSUER_WORDS = 14


@dataclass
class RefMatch:
    """One citation or date found in a text; offsets index that text."""

    start: int
    end: int
    raw: str
    kind: str
    number: str | None = None
    code: str | None = None
    type_code: str | None = None
    issuer_code: str | None = None
    issuer: str | None = None
    date: str | None = None
    mask: tuple[int, int] = (0, 0)  # what the figure extractor must not read (date clause too)
    tail: int = 0  # end of the citation incl. date and issuer, for issuer chains


def _norm_code(s: str | None) -> str | None:
    """Upper-case a code part typed (or decoded) all in lower case; keep 'TTg', 'CTr' as is."""
    if not s:
        return s
    return s.upper() if s == s.lower() else s


def _canon_kind(word: str) -> str:
    return DOC_TYPES.get(re.sub(r"\s+", " ", word.lower()), word)


def _issuer(text: str, pos: int) -> tuple[str | None, int]:
    m = _ISSUER_AFTER.match(text, pos)
    if not m:
        return None, pos
    s = m.end()
    probe = text.lower() if text[s:s + 40].isupper() else text  # a title in capitals
    stop = _ISSUER_STOP.search(probe, s)
    e = stop.start() if stop else len(text)
    words = list(re.finditer(r"\S+", text[s:e]))[:_MAX_ISSUER_WORDS]
    while words and words[-1].group(0).lower() in ("và", "cùng", "với", "của", "các"):
        words.pop()  # "… của Thị ủy Đông Triều và" at the end of a line
    if not words:
        return None, pos
    return " ".join(w.group(0) for w in words), s + words[-1].end()


def _finditer(rx: re.Pattern, text: str, wins: list[tuple[int, int]]):
    for a, b in wins:
        yield from rx.finditer(text, a, b)


def _codes(text: str, wins: list[tuple[int, int]]) -> list[RefMatch]:
    out: list[RefMatch] = []
    for m in _finditer(_CODE, text, wins):
        head = text[max(0, m.start() - 60):m.start()]
        km = _KIND_BEFORE.search(head)
        so = _SO_BEFORE.search(head)
        t1, t2 = m["t1"], m["t2"]
        if m["i3"] is not None and not (m["year"] or km or so):
            continue  # "1/3 số", "hộ/năm": not a code
        if m["i3"] is not None and not m["year"] and m["i3"].lower() in {"năm", "tháng", "ngày", "người", "lượt", "hộ"}:
            continue
        if t1 is not None:
            type_code, issuer_code = _norm_code(t1), _norm_code(m["i1"])
        elif t2 is not None:
            tc = _norm_code(t2)
            if tc.upper() in TYPE_CODES or tc.upper().rstrip("I") in TYPE_CODES:
                type_code, issuer_code = tc, _norm_code(m["i2"])
            else:  # Công văn: number/issuer-drafting unit ("123/UBND-VX")
                type_code, issuer_code = None, tc
        else:
            type_code, issuer_code = None, _norm_code(m["i3"])
        if km:
            kind = _canon_kind(km["kind"])
            start = m.start() - len(head) + km.start()
        else:
            kind = TYPE_CODES.get((type_code or "").upper()) or ("Công văn" if t2 and not type_code else "Văn bản")
            start = m.start() - len(head) + so.start() if so else m.start()
        number = m["num"] + (f"/{m['year']}" if m["year"] else "")
        end = m.end()
        r = RefMatch(start=start, end=end, raw=text[start:end], kind=kind, number=number,
                     code=m.group(0), type_code=type_code, issuer_code=issuer_code)
        pos = end
        dm = _DATE_AFTER.match(text, pos)
        if dm:
            r.date = iso_of(dm["d"])
            pos = dm.end()
        r.mask = (start, pos)
        r.issuer, pos = _issuer(text, pos)
        r.tail = pos
        out.append(r)
    return out


def _bare(text: str, wins: list[tuple[int, int]], taken: list[tuple[int, int]]) -> list[RefMatch]:
    """'Chỉ thị 04', 'Quyết định số 123' — a named document cited by number without code."""
    out = []
    hit = overlap_test(taken)
    for m in _finditer(_BARE, text, wins):
        if hit(m.start(), m.end()):
            continue
        kind = _canon_kind(m["kind"])
        num = m["num"]
        if re.fullmatch(YEAR, num):
            continue
        if not m["so"] and kind not in BARE_NUMBER_TYPES:
            continue
        after = text[m.end():m.end() + 12].lower()
        if re.match(r"\s*(?:năm|tháng|ngày|tuần|quý|người|lượt|hộ)(?![^\W_])", after):
            continue
        r = RefMatch(start=m.start(), end=m.end(), raw=m.group(0), kind=kind, number=num)
        pos = m.end()
        dm = _DATE_AFTER.match(text, pos)
        if dm:
            r.date = iso_of(dm["d"])
            pos = dm.end()
        r.mask = (m.start(), pos)
        r.issuer, pos = _issuer(text, pos)
        r.tail = pos
        out.append(r)
    return out


def _same_issuer_code(a: str | None, b: str | None) -> bool:
    """Codes that may name the same issuer: equal, one missing, or one typo apart
    ("KH-UNND" beside "KH-UBND")."""
    if not a or not b:
        return True
    a, b = a.upper(), b.upper()
    return a == b or (len(a) == len(b) and sum(x != y for x, y in zip(a, b)) <= 1)


def _share_issuers(refs: list[RefMatch], text: str) -> None:
    """'Quyết định số 89/QĐ-TTg và Quyết định số 281/QĐ-TTg của Thủ tướng Chính phủ': the
    issuer named after the last of a chain belongs to each — when their codes agree."""
    for a, b in zip(reversed(refs[:-1]), reversed(refs[1:])):
        if (a.issuer is None and b.issuer and _CHAIN_GAP.fullmatch(text[a.tail:b.start])
                and _same_issuer_code(a.issuer_code, b.issuer_code)):
            a.issuer = b.issuer


def scan_references(text: str) -> tuple[RefMatch, ...]:
    """Every citation and date in `text`, left to right (cached: figures and references both
    scan each paragraph; treat the result as read-only)."""
    return _scan(text)


@lru_cache(maxsize=2048)
def _scan(text: str) -> tuple[RefMatch, ...]:
    wins = digit_windows(text)
    if not wins:
        return ()
    refs = _codes(text, wins)
    refs += _bare(text, wins, [r.mask for r in refs])
    refs.sort(key=lambda r: r.start)
    _share_issuers(refs, text)
    hit = overlap_test([r.mask for r in refs])
    for d in find_dates(text, wins):
        if hit(d.start, d.end):
            continue
        refs.append(RefMatch(start=d.start, end=d.end, raw=d.raw, kind="date", date=d.iso,
                             mask=(d.start, d.end), tail=d.end))
    refs.sort(key=lambda r: r.start)
    return tuple(refs)


def _issuer_on_next_line(doc: Document, block: int, r: RefMatch, text: str) -> str | None:
    """A title broken over lines: "… CHỈ THỊ SỐ 04-CT/TW" / "CỦA BAN THƯỜNG VỤ TỈNH ỦY …"."""
    if r.issuer is not None or r.kind == "date" or text[r.tail:].strip(" .,;:"):
        return r.issuer
    nxt = doc.blocks[block + 1] if block + 1 < len(doc.blocks) else None
    if not isinstance(nxt, Paragraph) or not _ISSUER_AFTER.match(nxt.text):
        return None
    return _issuer(nxt.text, 0)[0]


def extract_references(doc: Document, outline: Outline) -> list[Reference]:
    out: list[Reference] = []
    for item in prose_paragraphs(doc, outline, include_front=True):
        text = item.paragraph.text
        refs = [r for r in scan_references(text) if r.start >= item.start]
        if not refs:
            continue
        sents = split_sentences(text, item.start)
        section = outline.section_of(item.block)
        for r in refs:
            issuer = _issuer_on_next_line(doc, item.block, r, text)
            ss, se = sentence_at(sents, r.start)
            loc = item.paragraph.provenance.model_copy(
                update={"block": item.block, "char_start": r.start, "char_end": r.end})
            out.append(Reference(
                raw=r.raw, kind=r.kind, number=r.number, code=r.code, type_code=r.type_code,
                issuer_code=r.issuer_code, issuer=issuer, date=r.date, section=section,
                sentence=text[ss:se].strip(), location=loc))
    return out
