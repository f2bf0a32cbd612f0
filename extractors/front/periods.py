"""Reporting periods: '6 tháng đầu năm 2020', 'quý I năm 2026', 'năm học 2021 - 2022', … →
a label as written and ISO start and end dates.

Conventions (where the words alone do not fix the days):
- 'năm học Y1 - Y2' (school year) runs from Y1-09-01 to Y2-05-31; its 'học kỳ I' to Y2-01-31,
  'học kỳ II' from Y2-02-01.
- 'nhiệm kỳ Y1-Y2' and 'giai đoạn Y1-Y2' cover whole calendar years.
- 'N năm từ Y' / 'từ năm Y đến nay' end on the report's date (None when the report has none).
- 'N tháng đầu năm Y' starts on 1 January and ends on the last day of month N;
  'N tháng cuối năm Y' ends on 31 December.
The earliest period written wins ('… quý I năm 2026 và phương hướng quý II' → quý I).
A period whose year is left to the next one of its kind takes that year: 'kết quả quý II,
phương hướng quý III năm 2024' → quý II năm 2024; '6 tháng đầu năm, phương hướng 6 tháng cuối
năm 2024' → the first half of 2024; 'tháng 9 và phương hướng tháng 10 năm 2025' → September 2025.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

from extractors.front.placedate import make_date, month_end
from extractors.sections.headings import roman_value
from extractors.text.vntext import fold, is_upper_text, squash

_SEP = r"\s*[-–—/]\s*"
_QUARTERS = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass
class Found:
    start: int
    end: int
    label: str
    first: str | None
    last: str | None


def _year_span(y1: int, y2: int) -> tuple[str | None, str | None]:
    return make_date(y1, 1, 1), make_date(y2, 12, 31)


def _n_months_first(m, ctx):
    n, y = int(m.group(1)), int(m.group(2))
    if not 1 <= n <= 12:
        return None
    return make_date(y, 1, 1), month_end(y, n)


def _n_months_last(m, ctx):
    n, y = int(m.group(1)), int(m.group(2))
    if not 1 <= n <= 12:
        return None
    return make_date(y, 13 - n, 1), make_date(y, 12, 31)


def _quarter(m, ctx):
    q, y = _QUARTERS.get(m.group(1)), int(m.group(2))
    if not q:
        return None
    return make_date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def _school_year(m, ctx):
    y1, y2 = int(m.group(1)), int(m.group(2))
    return make_date(y1, 9, 1), make_date(y2, 5, 31)


def _semester(m, ctx):
    k, y1, y2 = m.group(1), int(m.group(2)), int(m.group(3))
    if k in ("i", "1"):
        return make_date(y1, 9, 1), make_date(y2, 1, 31)
    return make_date(y2, 2, 1), make_date(y2, 5, 31)


def _range_years(m, ctx):
    y1, y2 = int(m.group(1)), int(m.group(2))
    if y2 < 100:  # "2021-22"
        y2 += (y1 // 100) * 100
    if not 0 <= y2 - y1 <= 30:
        return None
    return _year_span(y1, y2)


def _range_dates(m, ctx):
    a = make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
    b = make_date(int(m.group(6)), int(m.group(5)), int(m.group(4)))
    return (a, b) if a and b else None


def _range_months(m, ctx):
    m1, y1, m2, y2 = int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4))
    if not (1 <= m1 <= 12 and 1 <= m2 <= 12):
        return None
    return make_date(y1, m1, 1), month_end(y2, m2)


# a year-less period and the later one of its kind whose year it shares (folded, within reach)
_ELIDED_REACH = 120
_YEAR_AHEAD = {
    "quarter": re.compile(r"quy\s*(?:iv|iii|ii|i|[1-4])\s*(?:nam\s*|/\s*|-\s*)(\d{4})"),
    "month": re.compile(r"thang\s*\d{1,2}\s*(?:/|nam)\s*(\d{4})"),
    "half": re.compile(r"\d{1,2}\s*thang\s*(?:dau|cuoi)\s*nam\s*(\d{4})"),
}


def _year_ahead(m, kind: str) -> int | None:
    ahead = _YEAR_AHEAD[kind].search(m.string, m.end(), m.end() + _ELIDED_REACH)
    return int(ahead.group(1)) if ahead else None


def _quarter_elided(m, ctx):
    y = _year_ahead(m, "quarter")
    q = _QUARTERS.get(m.group(1))
    if y is None or not q:
        return None
    return make_date(y, 3 * q - 2, 1), month_end(y, 3 * q)


def _month_elided(m, ctx):
    y, mo = _year_ahead(m, "month"), int(m.group(1))
    if y is None or not 1 <= mo <= 12:
        return None
    return make_date(y, mo, 1), month_end(y, mo)


def _n_months_elided(m, ctx):
    y, n = _year_ahead(m, "half"), int(m.group(1))
    if y is None or not 1 <= n <= 12:
        return None
    if m.group(2) == "dau":
        return make_date(y, 1, 1), month_end(y, n)
    return make_date(y, 13 - n, 1), make_date(y, 12, 31)


def _since(m, ctx):
    y = int(m.group(m.lastindex))
    return make_date(y, 1, 1), ctx.get("date")


def _month(m, ctx):
    mo, y = int(m.group(1)), int(m.group(2))
    if not 1 <= mo <= 12:
        return None
    return make_date(y, mo, 1), month_end(y, mo)


def _n_months(m, ctx):  # "9 tháng năm 2020": the first nine months
    return _n_months_first(m, ctx)


def _year(m, ctx):
    return _year_span(int(m.group(1)), int(m.group(1)))


_DMY = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_DMY_LONG = r"(\d{1,2})\s*thang\s*(\d{1,2})\s*nam\s*(\d{4})"
_Q = r"(iv|iii|ii|i|[1-4])"
# (pattern on folded text, reader); more specific patterns first
PATTERNS: list[tuple[re.Pattern, Callable]] = [
    (re.compile(r"tu\s*(?:ngay\s*)?" + _DMY + r"\s*(?:den|toi)\s*(?:het\s*)?(?:ngay\s*)?" + _DMY), _range_dates),
    (re.compile(r"tu\s*(?:ngay\s*)?" + _DMY_LONG + r"\s*(?:den|toi)\s*(?:het\s*)?(?:ngay\s*)?" + _DMY_LONG), _range_dates),
    (re.compile(r"tu\s*thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})\s*(?:den|toi)\s*(?:het\s*)?thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})"), _range_months),
    (re.compile(r"hoc\s*ky\s*(ii|i|1|2)\s*(?:,\s*)?nam\s*hoc\s*(\d{4})" + _SEP + r"(\d{4})"), _semester),
    (re.compile(r"nam\s*hoc\s*(\d{4})" + _SEP + r"(\d{2,4})\b"), _school_year),
    (re.compile(r"(\d{1,2})\s*thang\s*dau\s*nam\s*(\d{4})"), _n_months_first),
    (re.compile(r"(\d{1,2})\s*thang\s*cuoi\s*nam\s*(\d{4})"), _n_months_last),
    (re.compile(r"quy\s*" + _Q + r"\s*(?:nam\s*|/\s*|-\s*)(\d{4})"), _quarter),
    (re.compile(r"nhiem\s*ky\s*(?:[ivxl]+\s*)?\(?\s*(\d{4})" + _SEP + r"(\d{2,4})\b"), _range_years),
    (re.compile(r"giai\s*doan\s*(?:tu\s*(?:nam\s*)?)?(\d{4})" + r"\s*(?:[-–—/]|den\s*(?:nam\s*)?)\s*" + r"(\d{4})\b"), _range_years),
    (re.compile(r"tu\s*nam\s*(\d{4})\s*(?:den|toi)\s*(?:het\s*)?nam\s*(\d{4})"), _range_years),
    (re.compile(r"(\d{1,2})\s*nam\s*(?:ke\s*)?tu\s*(?:nam\s*)?(\d{4})"), _since),
    (re.compile(r"tu\s*(?:nam\s*)?(\d{4})\s*den\s*nay"), _since),
    (re.compile(r"(\d{1,2})\s*thang\s*(?:nam\s*)?(\d{4})\b"), _n_months),
    (re.compile(r"thang\s*(\d{1,2})\s*(?:/|nam)\s*(\d{4})\b"), _month),
    (re.compile(r"\bnam\s*(\d{4})\b"), _year),
    # the year left to the next period of the same kind (see the module docstring)
    (re.compile(r"\bquy\s*" + _Q + r"\b(?!\s*(?:nam\s*|/\s*|-\s*)\d)"), _quarter_elided),
    (re.compile(r"\b(\d{1,2})\s*thang\s*(dau|cuoi)\s*nam\b(?!\s*\d)"), _n_months_elided),
    (re.compile(r"\bthang\s*(\d{1,2})\b(?!\s*(?:/|nam|-)\s*\d)"), _month_elided),
]
# a duration without its years: "5 năm", "10 năm thực hiện"
RX_DURATION = re.compile(r"\b(\d{1,2})\s*nam\b(?!\s*(?:hoc|\d))")


def _label(text: str, a: int, b: int) -> str:
    if text[a:b].count("(") > text[a:b].count(")") and text[b:b + 1] == ")":
        b += 1  # "nhiệm kỳ IV (2019-2025)"
    lab = squash(text[a:b]).strip(" ,;:")
    if lab.count("(") != lab.count(")"):
        lab = lab.strip("()")
    if is_upper_text(lab, min_letters=3):  # "QUÝ IV/2023" → "quý IV/2023"
        lab = re.sub(r"[^\W\d_]+", lambda m: m.group(0) if roman_value(m.group(0)) else m.group(0).lower(), lab)
    return lab


def find_periods(text: str, ctx: dict | None = None) -> list[Found]:
    """Every period written in `text`, in order, overlapping readings resolved to the longest."""
    ctx = ctx or {}
    f = fold(text)
    hits: list[Found] = []
    spans: list[tuple[int, int]] = []
    for rx, reader in PATTERNS:
        for m in rx.finditer(f):
            if any(not (m.end() <= a or m.start() >= b) for a, b in spans):
                continue
            got = reader(m, ctx)
            if not got or not got[0]:
                continue
            spans.append((m.start(), m.end()))
            hits.append(Found(m.start(), m.end(), _label(text, m.start(), m.end()), got[0], got[1]))
    return sorted(hits, key=lambda h: h.start)


def find_period(text: str, ctx: dict | None = None) -> Found | None:
    hits = find_periods(text, ctx)
    return hits[0] if hits else None


def durations(text: str) -> list[int]:
    """'N năm' written without a year ('tổng kết 5 năm thực hiện'): the Ns."""
    return [int(m.group(1)) for m in RX_DURATION.finditer(fold(text))]


def find_since(text: str, years: int, ctx: dict | None = None) -> Found | None:
    """'N năm từ Y' (or 'N năm kể từ năm Y') in running text, for a title that gives only 'N năm'."""
    ctx = ctx or {}
    f = fold(text)
    rx = re.compile(r"\b" + str(years) + r"\s*nam\s*(?:qua\s*)?(?:\(?\s*)?(?:ke\s*)?tu\s*(?:nam\s*)?(\d{4})")
    m = rx.search(f)
    if not m:
        return None
    y = int(m.group(1))
    return Found(m.start(), m.end(), _label(text, m.start(), m.end()), make_date(y, 1, 1), ctx.get("date"))
