"""count_mismatch: a whole and its listed parts in prose disagree.

"Ban chỉ đạo có 09 thành viên, trong đó có 01 trưởng ban, 02 phó trưởng ban và 05 ủy viên":
9 ≠ 8. The whole is the number right before the trigger ("gồm", "bao gồm", "trong đó", "chia
ra", ":"); the parts are the numbers listed after it, separated by commas, semicolons or "và".
Parts must count the same kind of thing as the whole (persons, households, organisations …,
money in any scale). A "còn lại"/"khác"/"…" part absorbs the remainder: then only parts above
the whole are flagged. After "trong đó" the parts must look like a partition (roles or
categories: "giáo viên", "nhân viên"; "trường Mầm non", "trường Tiểu học"), not overlapping
attributes ("45 nữ, 30 đảng viên"), which are only checked not to exceed the whole.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from checks.context import Ctx, Sentence
from checks.lexicon import APPROX, ATTRIBUTE_WORDS, PARTITIONS, SUBSET_MARKERS
from checks.registry import make_flag, rule
from checks.text import Mention, fold, same_kind
from checks.totals import as_number
from models.report import Severity

_TRIGGER = re.compile(
    r"(?<!\w)(bao gồm|gồm có|gồm|chia ra|chia theo|phân ra|cụ thể là|cụ thể|trong đó có|trong đó)(?!\w)\s*:?"
    r"|:(?=\s)", re.IGNORECASE)
_LEAD = re.compile(r"[\s:,\-–]*(?:(?:có|là|được|với|như sau|gồm)\s*:?\s*)*", re.IGNORECASE)
_SEP = re.compile(r"\s*(,\s*và|;\s*và|,|;|và|cùng với)\s+", re.IGNORECASE)
_RUN = re.compile(r"[^,;.:()\d…]{0,40}?(?=\s*(?:,|;|\(|…|\.\.\.|(?<!\w)và(?!\w)))|\s*\([^)]*\)")
_ELLIPSIS = re.compile(r"\s*(?:\([^)]*\))?\s*(?:…|\.\.\.|v\.v)")
_REST_START = re.compile(r"(?:số\s+)?(?:còn lại|các\s+(?:\w+\s+){0,4}?khác|khác|…|\.\.\.|v\.v)",
                         re.IGNORECASE)


@dataclass
class Listing:
    whole: Mention
    parts: list[Mention]
    trigger: str
    rest: bool  # a "còn lại"/"khác"/"…" part absorbs the remainder


def listings(sentence: Sentence) -> list[Listing]:
    s = sentence.text
    ms = [m for m in sentence.mentions if not m.percent]
    inside = _parenthesised(s)
    out = []
    for t in _TRIGGER.finditer(s):
        if t.start() in inside:
            continue
        trig = fold(t.group(1) or ":")
        before = [m for m in ms if m.end_unit <= t.start() and m.over is None and not m.numerator
                  and m.start not in inside]
        if not before:
            continue
        whole = before[-1]
        gap = re.sub(r"\([^()]*\)", " ", s[whole.end_unit:t.start()])
        if re.search(r"\d", gap) or len(gap.split()) > 6:
            continue
        parts, rest = _parts(s, t.end(), ms)
        if parts:
            out.append(Listing(whole, parts, trig, rest))
    return out


def _parenthesised(s: str) -> set[int]:
    """Offsets inside parentheses: "5.854 hồ sơ (4.679 … và 1.175 …), trong đó …" — the whole
    before "trong đó" is 5.854, not the last number in the brackets."""
    out: set[int] = set()
    for m in re.finditer(r"\([^()]*\)", s):
        out.update(range(m.start(), m.end()))
    return out


def _parts(s: str, pos: int, ms: list[Mention]) -> tuple[list[Mention], bool]:
    """The numbered parts listed from `pos`, and whether a remainder part ends the list."""
    parts: list[Mention] = []
    by_start = {m.start: m for m in ms}
    while True:
        p = _LEAD.match(s, pos).end()
        m = by_start.get(p)
        if m is None or m.over is not None or m.numerator:
            return parts, bool(parts) and bool(_REST_START.match(s, p))
        parts.append(m)
        pos = m.end_unit
        rest = bool(re.search(r"(?<!\w)khác(?!\w)", f"{m.unit} {m.tail}"))
        run = _RUN.match(s, pos)  # the part's words may run on ("5 trường đạt chuẩn, …")
        end = run.end() if run else pos
        if _ELLIPSIS.match(s, end):
            return parts, True
        sep = _SEP.match(s, end)
        if rest or not sep:
            return parts, rest
        pos = sep.end()


def _rounding(m: Mention) -> float:
    """How far a written number may be from the exact one: half a unit of its last digit when
    it has decimals or counts money in a scale ("1,5 tỷ", "800 triệu"); counts are exact."""
    dec = len(m.raw.partition(",")[2])
    if dec == 0 and m.scale == 1.0:
        return 0.0
    return 0.5 * 10 ** -dec * m.scale


def _approx(m: Mention) -> bool:
    return m.qualifier is not None and m.qualifier in APPROX


def _bare(m: Mention) -> bool:
    """A part named as a category ("giáo viên"), not a described subset ("hộ đạt …")."""
    if m.head in ATTRIBUTE_WORDS:
        return False
    tail = (m.unit[len(m.head):] + " " + m.tail).strip()
    return not any(re.match(rf"^(\w+\s)?{w}\b", tail) for w in SUBSET_MARKERS)


def _leaf(m: Mention) -> str:
    return m.unit


def _partition(ls: Listing) -> bool:
    if frozenset(p.head for p in ls.parts) in PARTITIONS:
        return True
    heads = [p.unit for p in ls.parts]
    return len(ls.parts) >= 2 and all(_bare(p) for p in ls.parts) and len(set(heads)) == len(heads)


def _compatible(whole: Mention, part: Mention) -> bool:
    if whole.kind in ("time", "percent", "measure") or part.kind in ("time", "percent"):
        return whole.kind == part.kind == "measure" and whole.head == part.head
    if whole.kind == "money" or part.kind == "money":
        return whole.kind == part.kind == "money"
    return same_kind(whole, part)


@rule("count_mismatch", Severity.WARNING, "Tổng và các phần liệt kê không khớp",
      "A whole and its listed parts disagree")
def count_mismatch(ctx: Ctx):
    for s in ctx.sentences:
        for ls in listings(s):
            f = _check(ctx, s, ls)
            if f is not None:
                yield f


def _check(ctx: Ctx, s: Sentence, ls: Listing):
    w = ls.whole
    if w.value is None or _approx(w) or any(p.value is None or _approx(p) for p in ls.parts):
        return None
    if not all(_compatible(w, p) for p in ls.parts):
        return None
    subset = ls.trigger.startswith("trong đó") and not _partition(ls)
    if ls.trigger == ":" and len(ls.parts) < 2:
        return None
    total = sum(p.scaled for p in ls.parts)
    whole = w.scaled
    tol = 1e-6 * max(1.0, whole) + sum(_rounding(m) for m in ls.parts + [w])
    computed = total / w.scale
    parts_text = " + ".join(f"{p.raw} {p.unit}".strip() for p in ls.parts)
    if subset or len(ls.parts) < 2:
        big = [p for p in ls.parts if p.scaled > whole + tol]
        if not big:
            return None
        p = big[0]
        computed = p.scaled / w.scale
        variant = "exceeds"
        parts_text = f"{p.raw} {p.unit}"
    elif ls.rest:
        if total <= whole + tol:
            return None
        variant = "exceeds"
    else:
        if abs(total - whole) <= tol:
            return None
        variant = "default"
    return make_flag(
        "count_mismatch", variant,
        {"stated": w.raw, "unit": w.unit, "computed": computed, "parts": parts_text},
        section=s.section, stated=w.raw, computed=as_number(computed), expected=as_number(computed),
        sentence=s.text, location=ctx.locate(s, w.raw),
        evidence={"sentence": s.text, "whole": f"{w.raw} {w.unit}".strip(),
                  "parts": [f"{p.raw} {p.unit}".strip() for p in ls.parts], "trigger": ls.trigger,
                  "remainder_part": ls.rest, "mode": "subset" if subset else "complete"})
