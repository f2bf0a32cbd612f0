"""Row labels of statistics tables: folding, row markers (1.1, a), -, +), totals, "Trong đó".

Everything here reads one cell string and is robust to OCR noise: labels are compared *folded*
(no diacritics, lower case, punctuation dropped), so "Tổng sổ", "TONG SO" and "Tổng số:" read
alike. A total label is recognised by its whole wording, never by its first word alone:
"CỘNG HÒA XÃ HỘI…", "Tổng thư ký" and "Tổng công ty" are not totals.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import Enum

# -- folding ------------------------------------------------------------------------------

_NON_ALNUM = re.compile(r"[^a-z0-9]+")


def fold(text: str | None) -> str:
    """Lower case, no diacritics ("đ" → "d"), punctuation as single spaces, stripped."""
    s = unicodedata.normalize("NFD", text or "")
    s = "".join(ch for ch in s if unicodedata.category(ch) != "Mn")
    s = s.replace("đ", "d").replace("Đ", "D").lower()
    return _NON_ALNUM.sub(" ", s).strip()


def _edit1(a: str, b: str) -> bool:
    """a and b differ by at most one substitution, insertion or deletion."""
    if a == b:
        return True
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i + (len(a) == len(b)):] == b[i + 1:]


# -- row markers --------------------------------------------------------------------------


class MarkerKind(str, Enum):
    """The numbering style of a row; rows of one kind are siblings, a new kind nests."""

    UPPER = "upper"  # A, B
    ROMAN = "roman"  # I, II, IV
    ROMAN_DOT = "roman_dot"  # III.1
    DOT1 = "dot1"  # 1, 1.
    DOT2 = "dot2"  # 1.1
    DOT3 = "dot3"  # 1.1.1
    DOT4 = "dot4"
    LOWER = "lower"  # a, a)
    PAREN = "paren"  # (1)
    DASH = "dash"  # -
    PLUS = "plus"  # +
    STAR = "star"  # *, •
    NONE = "none"  # no marker


_ROMAN = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})$")
_ROMAN_DOT = re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})\.\d{1,2}\.?$")
_DOTTED = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.?\)?$")
_PAREN_NUM = re.compile(r"^\(\d{1,3}\)$")
_BULLETS = {"-": MarkerKind.DASH, "–": MarkerKind.DASH, "—": MarkerKind.DASH, "−": MarkerKind.DASH,
            "+": MarkerKind.PLUS, "*": MarkerKind.STAR, "•": MarkerKind.STAR, "·": MarkerKind.STAR,
            "◦": MarkerKind.STAR, "○": MarkerKind.STAR, "": MarkerKind.STAR, "ü": MarkerKind.STAR}
_OCR_JUNK = " |_¡!'`\"“”ˆ:;,~¬"


def marker_of_token(token: str) -> MarkerKind | None:
    """The marker kind of a whole STT cell ("1.2", "II", "a)", "-"), None if it is not one."""
    t = token.strip().strip(_OCR_JUNK)
    if not t:
        return None
    if t in _BULLETS:
        return _BULLETS[t]
    if t.startswith(("-", "–")) and t[1:].strip(_OCR_JUNK).isdigit():
        t = t[1:].strip(_OCR_JUNK)  # OCR: "-33"
    if m := _DOTTED.match(t):
        return MarkerKind(f"dot{min(m.group(1).count('.') + 1, 4)}")
    core = t.rstrip(".)")
    if _ROMAN.match(core):
        return MarkerKind.ROMAN
    if _ROMAN_DOT.match(t):
        return MarkerKind.ROMAN_DOT
    if _PAREN_NUM.match(t):
        return MarkerKind.PAREN
    if len(core) == 1 and core.isalpha():
        return MarkerKind.UPPER if core.isupper() else MarkerKind.LOWER
    return None


_PREFIX_MARKERS: list[tuple[re.Pattern, MarkerKind | None]] = [
    (re.compile(r"^[-–—−]\s*\S"), MarkerKind.DASH),
    (re.compile(r"^\+\s*\S"), MarkerKind.PLUS),
    (re.compile(r"^[*•·◦○]\s*\S"), MarkerKind.STAR),
    (re.compile(r"^\d{1,3}(?:\.\d{1,3}){1,3}\.?\)?\s+\S"), None),  # 1.1 / 1.1. / 1.1.1
    (re.compile(r"^\d{1,3}[.)]\s+\S"), MarkerKind.DOT1),  # "1. Xã A", "1) Xã A"
    (re.compile(r"^(?=[IVX])X{0,3}(IX|IV|V?I{0,3})[.)/-]\s*\S"), MarkerKind.ROMAN),
    (re.compile(r"^[a-zđ][).]\s*\S"), MarkerKind.LOWER),
    (re.compile(r"^[A-Z][.)]\s+\S"), MarkerKind.UPPER),
    (re.compile(r"^\(\d{1,3}\)\s+\S"), MarkerKind.PAREN),
]


def marker_of_label(label: str) -> MarkerKind:
    """The marker written at the start of a label ("- Nam", "a) Nữ", "1.1. Xã A")."""
    s = label.strip()
    for rx, kind in _PREFIX_MARKERS:
        if rx.match(s):
            if kind is None:  # dotted: depth from the number of parts
                number = re.match(r"^[\d.]+", s).group(0).rstrip(".")
                return MarkerKind(f"dot{min(number.count('.') + 1, 4)}")
            return kind
    return MarkerKind.NONE


# -- totals -------------------------------------------------------------------------------


class TotalKind(str, Enum):
    GRAND = "grand"  # Tổng cộng
    TOTAL = "total"  # Tổng số, Tổng
    INCOME = "income"  # Tổng thu
    EXPENSE = "expense"  # Tổng chi
    SUBTOTAL = "subtotal"  # Cộng


STRENGTH = {TotalKind.GRAND: 3, TotalKind.TOTAL: 2, TotalKind.INCOME: 2, TotalKind.EXPENSE: 2,
            TotalKind.SUBTOTAL: 1}

# Folded, spaces removed → kind. Matched against the whole label (a tail such as "toàn xã",
# "chung" or "(I+II)" allowed), with one OCR slip tolerated for the longer words.
_TOTAL_WORDS = {"tongcong": TotalKind.GRAND, "tongso": TotalKind.TOTAL, "tong": TotalKind.TOTAL,
                "tongthu": TotalKind.INCOME, "tongchi": TotalKind.EXPENSE,
                "cong": TotalKind.SUBTOTAL}
_TAIL = re.compile(r"\s+(chung|ca nam|toan (xa|phuong|thi tran|huyen|thi xa|thanh pho|tinh|"
                   r"quan|nganh|don vi|truong|tp|tx|khoi|he thong)(\s+\S+){0,3})$")
# The whole of an area or sector named as a row: "Toàn tỉnh", "Toàn ngành công nghiệp", "Cả
# nước", "Chung toàn huyện". A total only as the first or last row holding figures (totals.py).
_AGGREGATE = re.compile(r"^(chung\s+)?(toan|ca) (xa|phuong|thi tran|huyen|thi xa|thanh pho|tinh|"
                        r"quan|nganh|don vi|truong|tp|tx|khoi|he thong|nuoc|vung|cum)(\s+\S+){0,3}$")
_PARENS = re.compile(r"\([^)]*\)|\[[^\]]*\]")
# Words after "Tổng …" that make it a title or an office, not a total.
_NOT_TOTAL_AFTER = {"ty", "ky", "cuc", "ket", "hop", "quan", "giam", "bi", "lien", "dai", "doi",
                    "tu", "thong", "dieu", "dong", "the", "truong"}


@dataclass(frozen=True)
class TotalLabel:
    kind: TotalKind
    exact: bool  # the label is the total word(s) alone ("Tổng số:"), not "Tổng số hộ nghèo"
    aggregate: bool = False  # the whole of an area or sector ("Toàn tỉnh", "Toàn ngành công nghiệp")

    @property
    def strength(self) -> int:
        return STRENGTH[self.kind]


def total_label(label: str | None) -> TotalLabel | None:
    """Read a row label as a total: exact ("Tổng cộng", "Cộng:", "TỔNG THU", "Tong so") or
    prefixed ("Tổng số hộ nghèo": a total only where the table's position says so)."""
    found = _total_label(label)
    if found is None and label and not label.isascii():
        found = _legacy_total(label)
    return found


def _legacy_total(label: str) -> TotalLabel | None:
    """A total label left in a legacy encoding by the reader ("Céng", "Tæng sè" in TCVN3,
    "Coäng" in VNI): read each legacy way, accepted only as an exact total."""
    from extractors.readers.legacy import DECODERS  # pure tables; no reader I/O

    for decode in DECODERS.values():
        try:
            text = decode(label)
        except Exception:  # noqa: BLE001 - a decoder that cannot read this text
            continue
        if text != label and (found := _total_label(text)) is not None and found.exact:
            return found
    return None


def _total_label(label: str | None) -> TotalLabel | None:
    f = fold(_PARENS.sub(" ", label or ""))
    if not f:
        return None
    f = _TAIL.sub("", f)
    key = f.replace(" ", "")
    if key in _TOTAL_WORDS:
        return TotalLabel(_TOTAL_WORDS[key], exact=True)
    if len(key) >= 6 and key[0] == "t":  # OCR slips: "tongsn", "toongthu"
        for word, kind in _TOTAL_WORDS.items():
            if len(word) >= 6 and _edit1(key, word):
                return TotalLabel(kind, exact=True)
    words = f.split()
    if len(words) >= 3 and words[0] == "tong" and words[1] in ("so", "cong", "thu", "chi") \
            and words[2] not in _NOT_TOTAL_AFTER:
        kind = {"so": TotalKind.TOTAL, "cong": TotalKind.GRAND, "thu": TotalKind.INCOME,
                "chi": TotalKind.EXPENSE}[words[1]]
        return TotalLabel(kind, exact=False)
    if _AGGREGATE.match(f):
        return TotalLabel(TotalKind.TOTAL, exact=False, aggregate=True)
    return None


# -- "Trong đó" -------------------------------------------------------------------------


def is_trong_do(label: str | None) -> bool:
    """The label opens an "of which" breakdown: "Trong đó:", "Trong đó: nữ", "Trong số đó"."""
    f = fold(label)
    return f.startswith(("trong do", "trong so do", "trongdo"))


_RATE_WORDS = ("ty le", "ti le", "ty suat", "ti suat", "ty so", "ti so", "ty trong", "ti trong")


def is_ratio_label(label: str | None) -> bool:
    """A rate, not a count: "Tỷ lệ …", "Tỉ lệ …", "Tỷ suất sinh", "… (%)"; also after a row
    number OCR ran into the label ("14 |Tý lệ dân số tham gia BHYT")."""
    s = (label or "").strip()
    return names_rate(label) or "(%)" in s or s.endswith("%")


def names_rate(label: str | None) -> bool:
    """The label starts with a rate word ("Tỷ lệ", "Tỷ suất", "Tỷ số"; after a row number too)."""
    return re.sub(r"^[\d\s]+", "", fold(label)).startswith(_RATE_WORDS)
