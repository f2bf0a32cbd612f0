"""Dates and years as Vietnamese reports write them, with their ISO reading.

"ngày 24/3/2008" → 2008-03-24, "ngày 16 tháng 3 năm 2021" → 2021-03-16, "tháng 10/2020" →
2020-10, "quý I/2021" → 2021-Q1, "năm 2019" / "từ 2016" → 2016, "2020-2025" → 2020/2025 (an
ISO interval). `find_dates(text)` returns every such span, longest readings first, without
overlaps. Owned by the figures/references module (extractors/references.py uses it).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from typing import Callable

from extractors.text.spans import Spans

YEAR = r"(?:19|20)\d{2}"
_B = r"(?<![\w/.,-])"  # no digit, letter or code punctuation just before
_E = r"(?![\w/]|[.,-]\d)"  # nor just after


@dataclass(frozen=True)
class DateMatch:
    start: int
    end: int
    raw: str
    iso: str | None  # None for a day and month without a year
    kind: str = "date"  # date | month | quarter | year | range


def _iso(y: str | None, m: str | None = None, d: str | None = None) -> str | None:
    try:
        yi = int(y) if y else None
        mi = int(m) if m else None
        di = int(d) if d else None
    except ValueError:
        return None
    if yi is None or (mi is not None and not 1 <= mi <= 12) or (di is not None and not 1 <= di <= 31):
        return None
    if mi is None:
        return f"{yi:04d}"
    if di is None:
        return f"{yi:04d}-{mi:02d}"
    return f"{yi:04d}-{mi:02d}-{di:02d}"


_ROMAN_Q = {"I": 1, "II": 2, "III": 3, "IV": 4, "1": 1, "2": 2, "3": 3, "4": 4}


def _range(m: re.Match) -> str | None:
    a, b = int(m[1]), int(m[2]) if len(m[2]) == 4 else int(m[1][:2] + m[2])
    return f"{a}/{b}" if 0 < b - a <= 50 else None


# (kind, pattern, reader) in order of preference; a reader returns the ISO string, "" for a
# date without a year, or None when the match is no date after all.
_PATTERNS: list[tuple[str, re.Pattern, Callable[[re.Match], str | None]]] = [
    ("date", re.compile(rf"(?:ngày\s+)?{_B}(\d{{1,2}})\s+tháng\s+(\d{{1,2}})\s+năm\s+({YEAR}){_E}", re.I),
     lambda m: _iso(m[3], m[2], m[1])),  # (ngày) 16 tháng 3 năm 2021
    ("date", re.compile(rf"(?:ngày\s+)?{_B}(\d{{1,2}})\s*([/.-])\s*(\d{{1,2}})\s*\2\s*({YEAR}){_E}", re.I),
     lambda m: _iso(m[4], m[3], m[1])),  # (ngày) 24/3/2008, 24-3-2008, 24.3.2008
    ("month", re.compile(rf"(?<![^\W_])tháng\s+(\d{{1,2}})\s*(?:năm\s+|/\s*|-\s*)({YEAR}){_E}", re.I),
     lambda m: _iso(m[2], m[1])),  # tháng 3 năm 2021, tháng 10/2020
    ("quarter", re.compile(rf"(?<![^\W_])quý\s+(IV|III|II|I|[1-4])\s*(?:năm\s+|/\s*|-\s*)({YEAR}){_E}", re.I),
     lambda m: f"{m[2]}-Q{_ROMAN_Q[m[1].upper()]}"),  # quý I/2021, quý 2 năm 2020
    ("range", re.compile(rf"(?:(?<![^\W_])(?:năm\s+học|niên\s+khóa|niên\s+khoá|giai\s+đoạn|nhiệm\s+kỳ|năm)\s+)?"
                         rf"{_B}({YEAR})\s*[-–—]\s*({YEAR}|\d{{2}}){_E}", re.I),
     _range),  # năm học 2020-2021, giai đoạn 2021 - 2025, 2020-2025
    ("date", re.compile(rf"(?<![^\W_])ngày\s+(\d{{1,2}})\s*/\s*(\d{{1,2}}){_E}", re.I),
     lambda m: "" if 1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12 else None),  # ngày 20/11
    ("date", re.compile(rf"(?<![^\W_])(?:từ|đến|tới|trước|sau|hạn|hết)\s+(\d{{1,2}})\s*/\s*(\d{{1,2}}){_E}", re.I),
     lambda m: "" if 1 <= int(m[1]) <= 31 and 1 <= int(m[2]) <= 12 else None),  # từ 01/3
    ("month", re.compile(rf"{_B}(\d{{1,2}})\s*/\s*({YEAR}){_E}"),
     lambda m: _iso(m[2], m[1])),  # 10/2020
    ("year", re.compile(rf"(?<![^\W_])(?:năm|tết|từ|đến|tới|trước|sau|cuối|đầu|giữa|hết)\s+({YEAR}){_E}", re.I),
     lambda m: _iso(m[1])),  # năm 2019, từ 2016, cuối 2020
]


_DIGITS = re.compile(r"\d+")
# Cheap pre-checks: a pattern is tried only when its key words occur in the text.
_NEEDS = {p.pattern: need for (_k, p, _r), need in zip(_PATTERNS, [
    ("tháng",), ("/", "-", "."), ("tháng",), ("quý",), ("-", "–", "—"), ("ngày",),
    ("từ", "đến", "tới", "trước", "sau", "hạn", "hết"), ("/",), None])}


_SPACE = re.compile(r"\s")


def digit_windows(text: str, pad: int = 32) -> list[tuple[int, int]]:
    """Merged spans of `text` around its digits (±pad, widened to white space): the only
    places where dates, codes and figures can be. Scanning these instead of whole paragraphs
    keeps the many date and code patterns cheap. Linear in the text's length: the white space
    a window widens to is looked up, not walked to (a run of 100 000 characters without a space
    holding many digits must not cost their product)."""
    wins: list[tuple[int, int]] = []
    n = len(text)
    spaces = [m.start() for m in _SPACE.finditer(text)]
    for m in _DIGITS.finditer(text):
        a, b = max(0, m.start() - pad), min(n, m.end() + pad)
        if wins and a <= wins[-1][1] and b <= wins[-1][1]:
            continue  # inside the window so far
        k = bisect_left(spaces, a) - 1  # the last space before a
        if not (a == 0 or text[a - 1].isspace()):
            a = spaces[k] + 1 if k >= 0 else 0
        k = bisect_left(spaces, b)  # the first space at or after b
        b = spaces[k] if k < len(spaces) else n
        if wins and a <= wins[-1][1]:
            wins[-1] = (wins[-1][0], max(b, wins[-1][1]))
        else:
            wins.append((a, b))
    return wins


def find_dates(text: str, windows: list[tuple[int, int]] | None = None) -> list[DateMatch]:
    """All dates, month-years, quarters, years and year ranges in `text`, left to right."""
    found: list[DateMatch] = []
    taken = Spans()
    wins = digit_windows(text) if windows is None else windows
    low = text.lower()
    for kind, pat, read in _PATTERNS:
        need = _NEEDS.get(pat.pattern)
        if need and not any(n in low for n in need):
            continue
        for a, b in wins:
            for m in pat.finditer(text, a, b):
                s, e = m.start(), m.end()
                if taken.overlaps(s, e):
                    continue
                iso = read(m)
                if iso is None:
                    continue
                found.append(DateMatch(s, e, m.group(0), iso or None, kind))
                taken.add(s, e)
    found.sort(key=lambda d: d.start)
    return found


def iso_of(raw: str) -> str | None:
    """The ISO reading of one date phrase ("ngày 27/4/2016" → "2016-04-27")."""
    ds = find_dates(raw)
    return ds[0].iso if ds else None
