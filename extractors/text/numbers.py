"""Read numbers as Vietnamese reports write them.

Rules: "." groups thousands ("1.234.567"), "," is the decimal mark ("96,5"), leading zeros are
kept as written but read as the number ("02" → 2), an empty cell is no value. A number that
breaks the rules ("8.28": a dot not followed by exactly three digits) is *malformed*: it keeps
value None and gets a `suggestion` (the digits read as one number, 828, which is what a typist
who hit "." by mistake meant; "8.00" and "0.5", where the dot can only be a decimal point,
suggest 8 and 0.5). English-style thousands with several commas ("2,096,584,751")
cannot be a decimal and are read as thousands. A run of more than MAX_DIGITS digits (an
account or serial number, a garbage text layer, a hostile file's 5000 nines) cannot be a figure
of a report: it is text, never converted (Python refuses int() of over 4300 digits, and a float
overflows past 308).
"""
from __future__ import annotations

import re

from models.report import Number

# A token that looks numeric: digits with . , or spaces between groups, optional sign.
NUMBER_TOKEN = re.compile(r"[-+−]?\d[\d.,]*\d|[-+−]?\d")

_VN_THOUSANDS = re.compile(r"^\d{1,3}(\.\d{3})+$")  # 1.234 / 1.234.567
_VN_THOUSANDS_DEC = re.compile(r"^\d{1,3}(\.\d{3})+,\d+$")  # 1.234,5
_VN_DECIMAL = re.compile(r"^\d+,\d+$")  # 96,5 / 1234,5
_EN_THOUSANDS = re.compile(r"^\d{1,3}(,\d{3}){2,}$")  # 2,096,584,751
_EN_THOUSANDS_DEC = re.compile(r"^\d{1,3}(,\d{3})+\.\d+$")  # 2,096.50
_SPACE_THOUSANDS = re.compile(r"^\d{1,3}( \d{3})+$")  # 1 234 567
_PLAIN = re.compile(r"^\d+$")
_DASHES = {"-", "–", "—", "x", "X", "…", "..."}  # "no value" markers in cells
MAX_DIGITS = 40  # more digits than this in one token: not a quantity (budgets reach ~16)


def parse_number(raw: str | None) -> Number | None:
    """Parse a cell or token. None when the text is empty or a dash; a Number otherwise
    (value None and malformed True when it is numeric-looking but not well formed)."""
    if raw is None:
        return None
    s = raw.strip()
    if not s or s in _DASHES or too_long(s):
        return None
    s_core = s.rstrip("%").strip()
    sign = 1.0
    if s_core[:1] in "-−":
        sign, s_core = -1.0, s_core[1:].strip()
    elif s_core[:1] == "+":
        s_core = s_core[1:].strip()
    value = _read(s_core)
    if value is not None:
        return Number(raw=raw.strip(), value=sign * value)
    if re.fullmatch(r"[\d.,\s]+", s_core) and any(ch.isdigit() for ch in s_core):
        if _several_numbers(s_core):
            return None  # two values in one cell (rows merged by a scan or a typist): not a number
        suggestion = _suggest(s_core)
        return Number(raw=raw.strip(), value=None, malformed=True,
                      suggestion=sign * suggestion if suggestion is not None else None)
    return None


def _several_numbers(s: str) -> bool:
    """'17,000,000 89,925,720', '22 23': white-space-separated tokens, at least one of them
    long or grouped, each well formed on its own (space thousands such as '1 234 567' were
    already read as one number)."""
    parts = s.split()
    return len(parts) >= 2 and all(_read(p) is not None for p in parts) and \
        any(len(p) >= 4 or not p.isdigit() for p in parts)


_ZERO_DECIMALS = re.compile(r"^(\d+)[.,]0+$")  # "8.00": a spreadsheet's two decimals
_LEADING_ZERO_DOT = re.compile(r"^0\.(\d+)$")  # "0.5": an English decimal point


def _suggest(s: str) -> float | None:
    """The likeliest reading of a malformed number: the digits as one number ("8.28" → 828, a
    typist's stray dot), except where the dot can only be a decimal point ("8.00" → 8,
    "0.5" → 0.5)."""
    s = s.strip()
    if m := _ZERO_DECIMALS.match(s):
        return float(int(m.group(1)))
    if m := _LEADING_ZERO_DOT.match(s):
        return float("0." + m.group(1))
    digits = re.sub(r"\D", "", s)
    return float(digits) if digits else None


def _read(s: str) -> float | None:
    if _PLAIN.match(s):
        return float(int(s))
    if _VN_THOUSANDS.match(s):
        return float(int(s.replace(".", "")))
    if _VN_THOUSANDS_DEC.match(s):
        return float(s.replace(".", "").replace(",", "."))
    if _VN_DECIMAL.match(s):
        return float(s.replace(",", "."))
    if _EN_THOUSANDS.match(s):
        return float(int(s.replace(",", "")))
    if _EN_THOUSANDS_DEC.match(s):
        return float(s.replace(",", ""))
    if _SPACE_THOUSANDS.match(s):
        return float(int(s.replace(" ", "")))
    return None


def too_long(text: str) -> bool:
    """More than MAX_DIGITS digits: text, not a number."""
    if len(text) <= MAX_DIGITS:
        return False
    return sum(1 for ch in text if ch.isdigit()) > MAX_DIGITS


def is_numeric_text(raw: str | None) -> bool:
    """The whole text is a number (well formed or malformed), optionally with %."""
    return parse_number(raw) is not None


def format_vn(value: float, decimals: int = 6) -> str:
    """Write a number the Vietnamese way: 1.234.567 and 96,5 (at most `decimals` decimals,
    trailing zeros dropped)."""
    sign = "-" if value < 0 else ""
    text = f"{abs(value):.{decimals}f}"
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    if int(whole) == 0 and not frac:
        sign = ""  # -0 and values that round to 0
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + ("," + frac if frac else "")


_NUM_TAIL = re.compile(r"(?:^|\s)(\d[\d.,]*)$")
_NUM_HEAD = re.compile(r"^(\d[\d.,]*)(?=\s|$)")
_DATE_TAIL = re.compile(r"(?:^|[\s(])(?:\d{1,2}/)?\d{1,2}/(\d{1,3})$")


def broken_number(at: str, bt: str) -> bool:
    """A narrow cell broke a number or a date over two lines ("14.215," / "6", "139.84" / "6,8",
    "Tháng 10/202" / "5"): the piece on line a is no well-formed number, the two pieces joined
    are one. (Two numbers one under the other, "250" / "50", each well formed, stay two.)"""
    if not bt[:1].isdigit() or not (at[-1:].isdigit() or at[-1:] in ".,"):
        return False  # most line breaks: letters on either side
    d, h = _DATE_TAIL.search(at), _NUM_HEAD.match(bt)
    if d and h and h.group(1).isdigit() and len(d.group(1)) + len(h.group(1)) == 4 \
            and (d.group(1) + h.group(1)).startswith(("19", "20")):
        return True
    t = _NUM_TAIL.search(at)
    if not t or not h:
        return False
    first = parse_number(t.group(1))
    whole = parse_number(t.group(1) + h.group(1))
    return first is not None and first.malformed and whole is not None and not whole.malformed
