"""Body rows of a data table as the total and hierarchy rules see them: label, marker, values."""
from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.tables.grid import TableGrid
from extractors.tables.labels import (
    MarkerKind, TotalLabel, fold, is_ratio_label, is_trong_do, marker_of_label, marker_of_token,
    total_label,
)

NUMBERED = {MarkerKind.UPPER, MarkerKind.ROMAN, MarkerKind.DOT1, MarkerKind.DOT2, MarkerKind.DOT3,
            MarkerKind.DOT4, MarkerKind.LOWER, MarkerKind.PAREN}
DOTTED = {MarkerKind.DOT1, MarkerKind.DOT2, MarkerKind.DOT3, MarkerKind.DOT4}
HEADS = {MarkerKind.UPPER, MarkerKind.ROMAN, MarkerKind.ROMAN_DOT}  # A, I, I.1: group heads


@dataclass(frozen=True)
class Columns:
    """What each grid column is for."""

    stt: int | None  # sequence numbers ("1", "1.1", "II")
    label: int  # the row's name
    unit: int | None  # "Đơn vị tính"
    n: int

    @property
    def values(self) -> list[int]:
        """Columns that may hold quantities."""
        return [c for c in range(self.n) if c not in (self.stt, self.label, self.unit)]

    @property
    def label_area(self) -> list[int]:
        """The first columns, where a total row writes "Tổng số" (the TT column included: a
        total label is often merged across it)."""
        return list(range(max(self.label, min(2, self.n - 1)) + 1))


@dataclass(frozen=True)
class BodyRow:
    grid_row: int
    label: str
    marker: MarkerKind
    number: str | None  # the dotted sequence number ("1.4.2"), when the row has one
    numbered: bool  # carries a sequence marker (1, 1.1, II, a) …), so it is an item, not a total
    total: TotalLabel | None  # the label reads as a total ("Tổng số", "Cộng", "Tổng số hộ …")
    trong_do: bool  # "Trong đó:" opens an "of which" breakdown
    has_values: bool  # some value column holds a number (well formed or not)
    has_dash: bool  # some value column says "no figure" ("-", "x")
    bold: bool
    unit: str
    ratio: bool  # a rate ("Tỷ lệ …", "%"), whose children are not its parts
    top_level: bool = False  # a label written across the TT column ("CHỈ SỐ CHUNG"): nobody's child
    garbled: bool = False  # the TT cell holds something that is no number ("22 23", OCR)
    amounts: tuple[float | None, ...] = ()  # per value column: the value (or a malformed one's
    # likeliest reading), None when empty or text


_NO_FIGURE = {"-", "–", "—", "x", "X", "…", "..."}
_DOTTED_NUMBER = re.compile(r"^\s*(\d{1,3}(?:\.\d{1,3}){0,3})\.?\)?(?:\s|$)")


def body_row(g: TableGrid, r: int, cols: Columns, ordinal: str | None = None) -> BodyRow:
    """Row r as the total and hierarchy rules read it; `ordinal` overrides the TT cell's text
    (an OCR'd number read back from its neighbours)."""
    text = g.text[r]
    label = text[cols.label].strip()
    stt = text[cols.stt].strip() if cols.stt is not None else ""
    if ordinal is not None:
        stt = ordinal.strip()
    words = [c for c in cols.label_area if text[c].strip() and not g.numeric(r, c)
             and not (c == cols.stt and marker_of_token(stt) is not None)]
    if not label:
        label = text[words[0]].strip() if words else ""
    top_level = False
    if stt:
        marker = marker_of_token(stt) or MarkerKind.NONE
        number_src = stt
        owner = g.owner[r][cols.stt]
        top_level = marker_of_token(stt) is None and (
            len(stt) > 6 or (owner is not None and owner.col_span > 1))
    else:
        marker = marker_of_label(label)
        number_src = label
    m = _DOTTED_NUMBER.match(number_src.strip(" |_¡!'`\"-")) if marker in DOTTED else None
    total = None
    for c in words:
        if (total := total_label(text[c])) is not None:
            break
    value_cells = [c for c in cols.values if text[c].strip()]
    unit = text[cols.unit].strip() if cols.unit is not None else ""
    return BodyRow(
        grid_row=r,
        label=label,
        marker=marker,
        number=m.group(1) if m else None,
        numbered=marker in NUMBERED,
        total=total,
        trong_do=is_trong_do(label),
        has_values=any(g.numeric(r, c) for c in value_cells),
        has_dash=any(text[c].strip() in _NO_FIGURE for c in value_cells),
        bold=bool(label) and g.bold(r, cols.label),
        unit=unit,
        ratio=is_ratio_label(label) or "%" in unit
        or any(text[c].strip().endswith("%") for c in value_cells),
        top_level=top_level,
        garbled=bool(stt) and marker_of_token(stt) is None and not top_level,
        amounts=tuple(_amount(g, r, c) for c in cols.values),
    )


def _amount(g: TableGrid, r: int, c: int) -> float | None:
    n = g.numbers[r][c]
    if n is None:
        return None
    return n.value if n.value is not None else n.suggestion


def same_unit(a: str, b: str) -> bool:
    return not a or not b or fold(a) == fold(b)
