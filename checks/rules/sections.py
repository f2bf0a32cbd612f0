"""empty_section and numbering_error: the report's outline.

A heading is empty when nothing stands under it, subsections included: no body text (closing
formulas such as "Trên đây là báo cáo…" or a signature block do not count), no table, no figures
carried in a run-in title, and no subsection with content. Section.empty from segmentation is
honoured both ways when segmentation marks empty headings at all. Section numbers must follow each other at one level under one parent:
I, II, III; 1, 2, 3; a, b, c (Vietnamese "a, b, c, d, đ, e, g" and Latin "…, e, f" both
accepted). A number back at the start (I, 1, a) restarts the sequence — a new part of the report —
and is not an error; a skip, a repeat or a step back is.
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


def has_content(text: str | None) -> bool:
    for line in (text or "").split("\n"):
        f = fold(line).strip(" -–•+*.:;")
        if len(f.split()) >= 2 and not _CLOSING.match(f):
            return True
    return False


def title_content(title: str) -> bool:
    """A run-in heading that carries its content in the title: "Số hội viên: 1.150 người"."""
    head, colon, rest = title.partition(":")
    if colon and len(rest.split()) >= 2:
        return True
    return any(m.kind in COUNT_KINDS or m.percent for m in mentions(title))


@rule("empty_section", Severity.WARNING, "Mục không có nội dung", "A heading with nothing under it")
def empty_section(ctx: Ctx):
    secs = ctx.report.sections
    tables = ctx.sections_with_tables
    own = [has_content(s.text) or s.number in tables or title_content(s.title) for s in secs]
    # Segmentation that marks empty headings sees what the text does not (an image, a table
    # filed under another number): then a heading it did not mark is not flagged.
    marks = any(s.empty for s in secs)
    for node in ctx.tree:
        i = node.index
        if own[i] or any(own[j] for j in ctx.subtree(i)) or (marks and not secs[i].empty):
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
    t = t.strip(" .:)-–/(")
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


@rule("numbering_error", Severity.WARNING, "Đánh số mục sai", "Section numbers skipped or repeated")
def numbering_error(ctx: Ctx):
    secs = ctx.report.sections
    use_labels = any(s.label for s in secs)
    siblings: dict[int | None, list[int]] = {}
    for node in ctx.tree:
        siblings.setdefault(node.parent, []).append(node.index)
    for parent, idx in siblings.items():
        last: dict[str, tuple[Ord, Section]] = {}
        for i in idx:
            s = secs[i]
            o = _ordinal(s, use_labels, ctx.report.source.ocr)
            if o is None:
                continue
            prev = last.get(o.style)
            last[o.style] = (o, s)
            if prev is None:
                continue
            po, ps = prev
            if o.style in ("letter", "LETTER"):
                step = _letter_step(po.letter, o.letter)
            elif o.n == po.n + 1 or o.n == 1:
                step = "ok"
            elif o.n == po.n:
                step = "repeat"
            elif o.n > po.n + 1:
                step = "skip"
            else:
                step = "order"
            if step == "ok":
                continue
            stated = s.label.strip() if s.label else s.number
            yield make_flag(
                "numbering_error", step,
                {"stated": stated, "previous": ps.label.strip() if ps.label else ps.number,
                 "expected": _expected(po)},
                section=_as_written(s, o), stated=stated, expected=_expected(po), location=s.location,
                evidence={"previous": ps.number, "previous_title": ps.title, "title": s.title,
                          "parent": secs[parent].number if parent is not None else None, "problem": step})
