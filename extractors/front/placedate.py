"""Dates in the header:  'ngày 16 tháng 3 năm 2021', 'ngày 16/3/2021', and the place-and-date line
'Mạo Khê, ngày 16 tháng 3 năm 2021'. Matching runs on folded text (no diacritics, lower case),
so OCR output that lost its accents ('ngay 16 thang 3 nam 2021') is read as well."""
from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from extractors.text.vntext import fold, squash

_D = r"(\d{1,2})"
_Y = r"(\d{4})"
# "ngày 16 tháng 3 năm 2021" (OCR may drop or garble a letter: "ngay", "thang", "nam")
RX_LONG = re.compile(r"ngay\s*" + _D + r"\s*thang\s*" + _D + r"\s*n[aă]m\s*" + _Y)
RX_SHORT = re.compile(r"(?:ngay\s*)?" + _D + r"\s*[/.\-]\s*" + _D + r"\s*[/.\-]\s*" + _Y + r"\b")
# a place-and-date line whose day is left blank (a draft): "Bình Thuận, ngày   tháng 6 năm 2025"
RX_BLANK = re.compile(r",\s*ngay[\s.…_]*thang")


def make_date(y: int, m: int, d: int) -> str | None:
    try:
        return dt.date(y, m, d).isoformat()
    except ValueError:
        return None


def month_end(y: int, m: int) -> str:
    return dt.date(y, m, calendar.monthrange(y, m)[1]).isoformat()


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """(start, end, ISO date) of every date written in `text`, in order."""
    f = fold(text)
    out = []
    taken: list[tuple[int, int]] = []
    for rx in (RX_LONG, RX_SHORT):
        for m in rx.finditer(f):
            if any(a <= m.start() < b for a, b in taken):
                continue
            iso = make_date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
            if iso:
                out.append((m.start(), m.end(), iso))
                taken.append((m.start(), m.end()))
    return sorted(out)


@dataclass
class PlaceDate:
    place: str | None
    date: str | None
    start: int  # offset of the place in the line


def _place_before(text: str, comma: int) -> str | None:
    """The place name just before ', ngày': the run of capitalised words ('Mạo Khê',
    'TP. Hồ Chí Minh'), not the number or the body name written before it."""
    toks = text[:comma].split()
    out: list[str] = []
    for tok in reversed(toks):
        core = tok.strip("()[]\"'“”")
        if not core:
            break
        if out and core.isupper() and len(core) > 1 and not out[-1].isupper():
            break  # 'PHƯỜNG MẠO KHÊ Mạo Khê, ngày': the header's capitals end the place
        if core[0].isupper() and not any(ch.isdigit() for ch in core) and "/" not in core:
            out.append(core)
            if len(out) >= 5:
                break
            continue
        break
    if not out:
        return None
    out.reverse()
    while out and out[0].rstrip(".").lower() in ("tp", "tx", "tt"):
        out.pop(0)  # "TP. Hồ Chí Minh" → "Hồ Chí Minh"
    place = " ".join(out).strip(" ,.:;")
    return place or None


def find_place_date(text: str) -> PlaceDate | None:
    """Place and date of a line such as 'Mạo Khê, ngày 16 tháng 3 năm 2021'."""
    text = squash(text)
    f = fold(text)
    m = re.search(r",\s*ngay\b", f)
    if not m:
        return None
    place = _place_before(text, m.start())
    date = None
    tail = text[m.start():]
    ds = find_dates(tail)
    if ds and ds[0][0] <= 3:
        date = ds[0][2]
    if place is None and date is None:
        return None
    return PlaceDate(place, date, m.start())
