"""empty_section and numbering_error: the report's outline.

A heading is empty when nothing stands under it, subsections included: no body text (closing
formulas such as "Trên đây là báo cáo…" or a signature block do not count), no table, no figures
carried in a run-in title, and no subsection with content. Not empty either: a one-word answer
("KIẾN NGHỊ, ĐỀ XUẤT: Không."), a count answered by a bare number ("Tổng số đơn vị …" / "02"), a
form's dotted fill-in line, a line of the table of contents (dot leaders and a page number), a numbered
statement of sixteen words or more (a measure or a target in a list),
an item naming a person ("1. Ông …"), the header block read as a
heading, and headings most of whose siblings are bare too (the one-line tasks of a plan) or
whose siblings stand as lines of the parent's text; on a scan, a heading whose first subsection
OCR read as its sibling ("1." as "I."). Section.empty from segmentation is honoured both ways
when segmentation marks empty headings at all.

Section numbers must follow each other at one level under one parent: I, II, III; 1, 2, 3;
a, b, c (Vietnamese "a, b, c, d, đ, e, g" and Latin "…, e, f" both accepted). A number back at
the start (I, 1, a) restarts the sequence — a new part of the report — and is not an error; a
skip, a repeat or a step back is, unless the missing heading stands in the text as a paragraph.
On a scan, OCR look-alikes ("c)" read "e)", "8." read "§.") and a misread middle label ("II.",
"II.", "IV.") are forgiven, and a gap between headings on different pages or far apart, or
one of several breaks in one list, is doubtful: OCR may have lost a heading there.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from checks.context import Ctx
from checks.registry import make_flag, rule
from checks.lexicon import COUNT_KINDS
from checks.text import fold, mentions
from models.report import Section, Severity

_CLOSING = re.compile(r"^(trên đây là|nơi nhận|- ?lưu|lưu:|t/?m\.?\s|kt\.?\s|tm\.|người ký|\(đã ký|"
                      r"\(ký|giám đốc$|chủ tịch$|hiệu trưởng$)")


# A one-word answer is the section's content: "III. KIẾN NGHỊ, ĐỀ XUẤT: Không." says there is none.
_ANSWERS = frozenset({"không", "không có", "chưa", "chưa có", "có", "đạt", "chưa đạt", "không đạt",
                      "tốt", "khá", "hoàn thành", "không có gì", "không phát sinh", "chưa phát sinh",
                      "không có kiến nghị", "không có đề xuất", "không có ý kiến"})


def is_answer(text: str) -> bool:
    return fold(text).strip(" -–•+*.:;()") in _ANSWERS


def has_content(text: str | None) -> bool:
    for line in (text or "").split("\n"):
        f = fold(line).strip(" -–•+*.:;")
        if (len(f.split()) >= 2 and not _CLOSING.match(f)) or is_answer(f) or fill_in(line):
            return True
    return False


def fill_in(line: str) -> bool:
    """A dotted line left for someone else to fill in ("4- Kết quả bỏ phiếu xếp loại của chi
    bộ" then "……………" in a Party member's self-assessment): a form's field, not a gap."""
    return bool(re.fullmatch(r"[\s.…_]{10,}", line)) and line.count(".") + 3 * line.count("…") >= 10


_PERSON = re.compile(r"^(ông|bà|đồng chí|đ/c|anh|chị)\s+\w")
_COUNT_TITLE = re.compile(r"^(tổng số|số lượng|số)\s")


def names_person(title: str) -> bool:
    """"1. Ông Lê Hồng Văn — Phó Chủ tịch …": an item of a list of people, not a heading."""
    return bool(_PERSON.match(fold(title)))


def counted(s: Section) -> bool:
    """"1. Tổng số phòng, đơn vị đã áp dụng ký số" answered by a bare "02" below it."""
    body = (s.text or "").strip().split("\n")[0].strip(" .:;")
    return bool(_COUNT_TITLE.match(fold(s.title))) and bool(re.fullmatch(r"\d[\d.,]*", body))


def title_content(title: str) -> bool:
    """A run-in heading that carries its content in the title: "Số hội viên: 1.150 người",
    "KIẾN NGHỊ, ĐỀ XUẤT: Không."."""
    head, colon, rest = title.partition(":")
    if colon and (len(rest.split()) >= 2 or is_answer(rest)):
        return True
    statement = fold(title).startswith(("có ", "gồm ", "bao gồm "))  # "Có 5 mức đánh giá"
    return any(m.kind in COUNT_KINDS or m.percent or (statement and m.value) for m in mentions(title))


_TOC_LEADER = re.compile(r"(?:(?:[.…_·]\s?){4,}|…{2,}[.…]*)\s*\d{1,3}\s*$")


def toc_entry(title: str) -> bool:
    """A line of the table of contents ("I. BỐI CẢNH KINH TẾ XÃ HỘI……………6"): dot leaders and
    a page number; the section itself comes later with its content."""
    return bool(_TOC_LEADER.search(title or ""))


_HEADER_BLOCK = re.compile(r"cộng hòa xã hội chủ nghĩa|độc lập\s*[-–]\s*tự do")


def header_block(s: Section) -> bool:
    """The document's header (issuer | national motto) read as a heading."""
    return bool(_HEADER_BLOCK.search(fold(s.title)))


def _filled(ctx: Ctx, i: int, own: list[bool]) -> bool:
    return own[i] or any(own[j] for j in ctx.subtree(i))


STATEMENT_WORDS = 16  # a numbered line this long is a measure or a target, not a heading


_MEASURE_VERBS = ("nâng cao", "tăng cường", "đẩy mạnh", "ban hành", "hoàn thành", "phấn đấu", "tiếp tục",
                  "duy trì", "tập trung", "chú trọng", "đổi mới", "hoàn thiện", "phát huy", "bảo đảm", "đảm bảo")


def statement(title: str) -> bool:
    """"1.2 Kinh phí hoạt động KHCN … đạt tối thiểu 10 – 15 tỷ đồng giai đoạn 2014-2020 và …",
    "2.2. Nâng cao hiệu quả sử dụng tài sản, tiết kiệm chi tiêu, tránh lãng phí …": a numbered
    line of sixteen words or more that states a target (with its figures) or a measure (opening
    with what to do) is one item of a list, its own content. A long heading that names a topic
    ("Công tác xã hội hóa giáo dục và việc huy động nguồn lực …") is still a heading."""
    t = fold(title or "")
    if len(t.split()) < STATEMENT_WORDS:
        return False
    return bool(re.search(r"\d", t)) or t.startswith(_MEASURE_VERBS)


TASK_WORDS = 8  # mean title length of one-line tasks ("Ban hành Kế hoạch tổ chức Đại hội …")


def _item_list(ctx: Ctx, i: int, own: list[bool]) -> bool:
    """Most of the headings beside this one have nothing under them either, and their titles
    are sentences: they are the items of a list (the tasks of a plan), not headings left empty
    (short bare headings — "3. Công tác đấu thầu thuốc" — are a template left unfilled)."""
    parent = ctx.tree[i].parent
    sibs = ctx.tree[parent].children if parent is not None else [
        n.index for n in ctx.tree if n.parent is None]
    bare = [j for j in sibs if not _filled(ctx, j, own)]
    secs = ctx.report.sections
    sentences = bare and sum(len(secs[j].title.split()) for j in bare) >= TASK_WORDS * len(bare)
    return (len(bare) >= 3 and len(bare) * 2 > len(sibs) and sentences) or _inline_items(ctx, i, parent)


def _inline_items(ctx: Ctx, i: int, parent: int | None) -> bool:
    """Items of the same numbering written as lines of the parent's text ("2.1. Tổ chức họp
    Hội đồng …" above the heading "2.4. Xét, trình …"): the heading is one line of that list."""
    secs = ctx.report.sections
    label = (secs[i].label or "").strip()
    if parent is None or not re.fullmatch(r"\d+(\.\d+)+\.?", label):
        return False
    head = re.escape(label.rstrip(".").rsplit(".", 1)[0]) + r"\.\d+\.?\s+\S"
    return any(re.match(head, line.strip()) for line in (secs[parent].text or "").split("\n"))


def _first_child_misread(ctx: Ctx, i: int) -> bool:
    """OCR: the heading's first subsection was read as a sibling ("1." as "I.", "l."), so the
    heading looks empty while its "2.", "3." follow the misread one."""
    secs = ctx.report.sections
    if i + 2 >= len(secs) or secs[i + 1].level != secs[i].level:
        return False
    first = parse_label(secs[i + 1].label or "") if secs[i + 1].label else None
    second = parse_label(secs[i + 2].label or "") if secs[i + 2].label else None
    return (first is not None and first.n == 1 and second is not None and second.n == 2
            and second.style in ("arabic", "dotted2") and secs[i + 2].level > secs[i].level)


@rule("empty_section", Severity.WARNING, "Mục không có nội dung", "A heading with nothing under it")
def empty_section(ctx: Ctx):
    secs = ctx.report.sections
    tables = ctx.sections_with_tables
    own = [has_content(s.text) or s.number in tables or title_content(s.title) or header_block(s)
           or counted(s) or names_person(s.title) or toc_entry(s.title) or statement(s.title)
           for s in secs]
    # Segmentation that marks empty headings sees what the text does not (an image, a table
    # filed under another number): then a heading it did not mark is not flagged.
    marks = any(s.empty for s in secs)
    ocr = ctx.report.source.ocr
    for node in ctx.tree:
        i = node.index
        if _filled(ctx, i, own) or (marks and not secs[i].empty) or _item_list(ctx, i, own) \
                or (ocr and _first_child_misread(ctx, i)):
            continue
        s = secs[i]
        yield make_flag(
            "empty_section", "default", {"label": s.label or s.number, "title": s.title},
            section=s.number, stated=(s.label or s.number), location=s.location,
            evidence={"title": s.title, "level": s.level, "subsections": [secs[j].number for j in node.children],
                      "extractor_says_empty": s.empty})


# --- numbering ------------------------------------------------------------------------------

_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
VN_LETTERS = "a b c d đ e g h i k l m n o p q r s t u v x y".split()
LATIN = [chr(c) for c in range(ord("a"), ord("z") + 1)]
_WORDS = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8,
          "chín": 9, "mười": 10}


def roman(s: str) -> int | None:
    if not s or any(ch not in _ROMAN for ch in s):
        return None
    total = 0
    for i, ch in enumerate(s):
        v = _ROMAN[ch]
        total += -v if i + 1 < len(s) and _ROMAN[s[i + 1]] > v else v
    return total if to_roman(total) == s else None


def to_roman(n: int) -> str:
    out = ""
    for v, r in ((100, "C"), (90, "XC"), (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"),
                 (4, "IV"), (1, "I")):
        while n >= v:
            out += r
            n -= v
    return out


@dataclass
class Ord:
    style: str  # roman | arabic | letter | LETTER | word | dotted<depth>
    n: int | None  # for letters: None (compared by sequence)
    letter: str = ""
    text: str = ""


def parse_label(label: str) -> Ord | None:
    t = label.strip()
    t = re.sub(r"^(phần|mục|chương|điều)\s+(thứ\s+)?", "", t, flags=re.IGNORECASE)
    t = t.strip(" .,:)-–/(")
    if not t:
        return None
    f = fold(t)
    if f in _WORDS:
        return Ord("word", _WORDS[f], text=label.strip())
    if re.fullmatch(r"\d+", t):
        return Ord("arabic", int(t), text=label.strip())
    if m := re.fullmatch(r"(\d+(?:\.\d+)+)", t):
        parts = m.group(1).split(".")
        return Ord(f"dotted{len(parts)}", int(parts[-1]), text=label.strip())
    if (v := roman(t)) is not None:
        return Ord("roman", v, text=label.strip())
    if re.fullmatch(r"[a-zđ]", t):
        return Ord("letter", None, letter=t, text=label.strip())
    if re.fullmatch(r"[A-ZĐ]", t):
        return Ord("LETTER", None, letter=t.lower(), text=label.strip())
    return None


def _letter_step(prev: str, cur: str) -> str:
    """ok | repeat | skip | order for two letters in sequence."""
    if cur == prev:
        return "repeat"
    nexts = set()
    for seq in (VN_LETTERS, LATIN):
        if prev in seq and seq.index(prev) + 1 < len(seq):
            nexts.add(seq[seq.index(prev) + 1])
    if cur in nexts:
        return "ok"
    if cur == "a":
        return "ok"
    ahead = any(prev in seq and cur in seq and seq.index(cur) > seq.index(prev) for seq in (VN_LETTERS, LATIN))
    return "skip" if ahead else "order"


def _expected(prev: Ord) -> str:
    if prev.style in ("letter", "LETTER"):
        seq = VN_LETTERS if prev.letter in VN_LETTERS else LATIN
        i = seq.index(prev.letter) + 1
        nxt = seq[i] if i < len(seq) else "?"
        return nxt.upper() if prev.style == "LETTER" else nxt
    n = (prev.n or 0) + 1
    if prev.style == "roman":
        return to_roman(n)
    return str(n)


def _written(o: Ord) -> str:
    if o.style in ("letter", "LETTER"):
        return o.letter if o.style == "letter" else o.letter.upper()
    return to_roman(o.n) if o.style == "roman" else str(o.n)


def _as_written(s: Section, o: Ord) -> str:
    """The section's number with its last part as the report writes it: segmentation may have
    renumbered a repeated "III" ("III", "III") to keep numbers unique."""
    parts = s.number.split(".")
    w = _written(o)
    return s.number if parts[-1].upper() == w.upper() else ".".join(parts[:-1] + [w])


def _ordinal(s: Section, use_labels: bool, ocr: bool = False) -> Ord | None:
    last = parse_label(re.split(r"[.]", s.number)[-1])
    if not use_labels:
        return last
    written = parse_label(s.label) if s.label else None
    if ocr and written is not None and last is not None and last.style == written.style:
        # OCR misread the label ("II." for "III.") and segmentation restored it from the
        # sequence: the report did not skip or repeat, the scan reading did
        return last
    return written


# Characters OCR takes for one another in a label ("c)" read as "e)", "1." as "7.").
OCR_CONFUSIONS = {frozenset(p) for p in ("ce", "il", "oa", "dđ", "hb", "17", "38", "56", "08", "49")}


def _seq_index(o: Ord) -> int | None:
    """Position in its sequence: the number, or the letter's place (Vietnamese order first)."""
    if o.style in ("letter", "LETTER"):
        for seq in (VN_LETTERS, LATIN):
            if o.letter in seq:
                return seq.index(o.letter)
        return None
    return o.n


def _step(po: Ord, o: Ord) -> str:
    if o.style in ("letter", "LETTER"):
        return _letter_step(po.letter, o.letter)
    if o.n == po.n + 1 or o.n == 1:
        return "ok"
    if o.n == po.n:
        return "repeat"
    return "skip" if o.n > po.n + 1 else "order"


def _confusable(expected: str, got: str) -> bool:
    """OCR may have read `expected` as `got`: one character taken for a look-alike."""
    e, g = expected.lower(), got.lower()
    if len(e) != len(g) or e == g:
        return False
    diff = [(a, b) for a, b in zip(e, g) if a != b]
    return len(diff) == 1 and frozenset(diff[0]) in OCR_CONFUSIONS


def _shifted(o: Ord, k: int) -> Ord:
    """The ordinal k places after o in its sequence."""
    if o.style in ("letter", "LETTER"):
        seq = VN_LETTERS if o.letter in VN_LETTERS else LATIN
        i = seq.index(o.letter) + k
        return Ord(o.style, None, letter=seq[min(i, len(seq) - 1)])
    return Ord(o.style, (o.n or 0) + k)


def _misread_middle(po: Ord, o: Ord, nxt: Ord | None) -> bool:
    """OCR: the label between two that are two apart was misread ("II.", "II.", "IV.")."""
    if nxt is None or nxt.style != po.style:
        return False
    a, c = _seq_index(po), _seq_index(nxt)
    return a is not None and c is not None and c == a + 2 and _seq_index(o) != a + 1


_LOOKALIKE = {"8": "8§B&", "3": "3$", "5": "5S§", "1": "1lI|!", "0": "0OoD", "6": "6b", "9": "9g"}


def _label_in_text(ctx: Ctx, ps: int, s: int, label: str, ocr: bool) -> bool:
    """The missing label stands at the start of a line between the two headings: the heading
    is there, written as a paragraph (or read so by OCR: "$3. Mực nước …", "43. Tổng kết")."""
    core = label.strip().rstrip(".):-")
    if not core:
        return False
    forms = {re.escape(core)}
    if ocr:  # digits OCR takes for look-alikes ("§." for "8.", "$3." for "3."), dots dropped
        shapes = "".join(f"[{re.escape(_LOOKALIKE[ch])}]" if ch in _LOOKALIKE else re.escape(ch)
                         for ch in core)
        forms |= {shapes, shapes.replace(r"\.", "")}
    junk = r"[\W_]{0,4}" if ocr else r"[-–•*\s]{0,2}"
    punct = r"[.,):\-–]" if ocr else r"[.):\-–]"  # OCR: "9, Công tác đánh giá"
    rx = re.compile(rf"^(?:(?:phần|mục|chương|điều)\s+)?{junk}(?:{'|'.join(forms)})\s*{punct}?(?:\s+\S|$)",
                    re.IGNORECASE)
    secs = ctx.report.sections
    # "Chương in" between "Chương II" and "Chương IV": the heading word with a number an OCR
    # text layer garbled
    word = re.match(r"^(phần|mục|chương|điều)\s+", (secs[ps].label or "").strip(), re.IGNORECASE)
    rx2 = re.compile(rf"^{word.group(1)}\s+\S{{1,5}}(\s*[.:]|$)", re.IGNORECASE) if word else None
    for j in range(ps, s):
        for line in (secs[j].text or "").split("\n"):
            if rx.match(line.strip()) or (rx2 is not None and rx2.match(line.strip())):
                return True
    return False


def _label_after(ps: Section, po: Ord, expected: str) -> str:
    """The label the report would have written after ps ("4.2." → "4.3.", "b)" → "c)")."""
    written = (ps.label or ps.number.split(".")[-1]).strip()
    if po.style.startswith("dotted"):
        parts = written.rstrip(".").split(".")
        return ".".join(parts[:-1] + [expected]) + "."
    return expected + (")" if written.endswith(")") else ".")


def _problems(ctx: Ctx, ords: list[tuple[int, Ord]], ocr: bool) -> dict[int, tuple[str, Ord, Ord, int]]:
    """Section index → (step, its ordinal, the previous one's, previous section index) for each
    sibling that does not follow the one before it."""
    secs = ctx.report.sections
    out: dict[int, tuple[str, Ord, Ord, int]] = {}
    last: dict[str, tuple[Ord, int]] = {}
    for k, (i, o) in enumerate(ords):
        prev = last.get(o.style)
        last[o.style] = (o, i)
        if prev is None:
            continue
        po, pi = prev
        step = _step(po, o)
        if step == "ok":
            continue
        expected = _expected(po)
        if step == "skip" and _label_in_text(ctx, pi, i, _label_after(secs[pi], po, expected), ocr):
            continue
        if ocr:
            nxt = next((x for _, x in ords[k + 1:] if x.style == o.style), None)
            if _confusable(expected, _written(o)) or _misread_middle(po, o, nxt):
                last[o.style] = (_shifted(po, 1), i)  # read it as the number it should be
                continue
        out[i] = (step, o, po, pi)
    return out


@rule("numbering_error", Severity.WARNING, "Đánh số mục sai", "Section numbers skipped or repeated")
def numbering_error(ctx: Ctx):
    """A skip, repeat or step back among siblings of one style. Not an error: a number whose
    heading stands in the text as a paragraph; on a scan, a label OCR may have misread (a
    look-alike character, the middle of two labels two apart) or that segmentation restored —
    a scan's sibling is flagged only when both the labels as read and as restored say so."""
    secs = ctx.report.sections
    use_labels = any(s.label for s in secs)
    ocr = ctx.report.source.ocr
    siblings: dict[int | None, list[int]] = {}
    for node in ctx.tree:
        if not header_block(node.section):
            siblings.setdefault(node.parent, []).append(node.index)
    for parent, idx in siblings.items():
        ords = [(i, o) for i in idx if (o := _ordinal(secs[i], use_labels)) is not None]
        found = _problems(ctx, ords, ocr)
        if ocr and use_labels:
            restored = [(i, o) for i in idx if (o := _ordinal(secs[i], False)) is not None]
            again = _problems(ctx, restored, ocr)
            found = {i: p for i, p in found.items() if i in again}
        for i, (step, o, po, pi) in found.items():
            s, ps = secs[i], secs[pi]
            expected = _expected(po)
            stated = s.label.strip() if s.label else s.number
            previous = ps.label.strip() if ps.label else ps.number
            evidence = {"previous": ps.number, "previous_title": ps.title, "title": s.title,
                        "parent": secs[parent].number if parent is not None else None, "problem": step}
            if ocr:  # several breaks in one list of a scan: its headings were read unreliably
                conf = OCR_LOST_HEADING if len(found) >= 2 else _heading_confidence(ctx, pi, i)
                evidence["readings"] = [{"role": "stated", "raw": stated, "previous": previous,
                                         "caveat": "heading", "confidence": conf}]
            yield make_flag(
                "numbering_error", step, {"stated": stated, "previous": previous, "expected": expected},
                section=_as_written(s, o), stated=stated, expected=expected, location=s.location,
                evidence=evidence)


OCR_LOST_HEADING = 0.5  # a scan's two headings far apart: one between them may have been lost
FAR_APART = 1500  # characters of text under the first heading


def _heading_confidence(ctx: Ctx, pi: int, i: int) -> float | None:
    """How sure a scan's numbering gap is: not at all when the two headings stand on different
    pages or far apart (OCR loses headings at page tops, in low-resolution and stamped scans);
    otherwise as sure as the page was read (None: checks.confidence takes the page's)."""
    secs = ctx.report.sections
    a, b = secs[pi].location.pages, secs[i].location.pages
    between = sum(len(secs[j].text or "") for j in range(pi, i))
    if (a and b and a[0] != b[0]) or between >= FAR_APART:
        return OCR_LOST_HEADING
    return None
