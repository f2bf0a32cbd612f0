"""Parent rows and their children in a statistics table.

The nesting is read from the row markers, as an outline is: rows of one marker kind are
siblings, a new kind nests under the row above ("1" → "1.1" → "- Nam" → "+ Nữ"); dotted numbers
nest by their prefix ("4.1.2" under "4.1"); "Trong đó:" hands the rows after it to the row
before it (and to the total row, when it follows the total); subtotals take their group.

Only *aggregate* parents are recorded (`parent_rows`, `children`): a row whose children are its
parts, so that a check may compare them. That is a "Tổng số …"/"Cộng" row, a row followed by
"Trong đó", or a numbered row holding a count whose children hold counts in the same unit.
A heading without numbers ("3 | Kiểm tra CCHC") or a rate ("Tỷ lệ …", "%") over the counts it is
computed from is structure, not a sum, and is left out; so is a row over unrelated indicators
(sub-rows in different units: "Dân số trung bình | Người", "Tỷ suất sinh | %o"), a heading whose
one figure stands alone beside sub-rows that fill several columns (a stray number: a stamp, a
column number), and an unmarked row above items numbered from 2 or more (they continue the list
above it; the row is an item whose number OCR lost).
Children need not add up to the parent
("Trong đó" lists only some parts); rows that are nobody's recorded child are the top-level rows
that a table total adds up.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.labels import MarkerKind, fold
from extractors.tables.rows import DOTTED, HEADS, BodyRow, same_unit
from extractors.tables.totals import Totals, group_span

_OF_WHICH_MARK = "trongdo"  # a "Trong đó:" row without numbers
_OF_WHICH_ITEM = "ofwhich"  # "Trong đó: nữ | 40"
_TOTAL = "total"
# Ranks of the numbering styles that have a fixed order (A > I > I.1 > 1 > 1.1 > … > a).
_RANK = {k.value: i for i, k in enumerate([
    MarkerKind.UPPER, MarkerKind.ROMAN, MarkerKind.ROMAN_DOT, MarkerKind.DOT1, MarkerKind.DOT2,
    MarkerKind.DOT3, MarkerKind.DOT4, MarkerKind.LOWER])}


@dataclass
class _Entry:
    kind: str
    row: int
    owner: int | None  # the row that rows nested under this entry belong to
    number: str | None = None

    @property
    def depth(self) -> int:
        return self.number.count(".") + 1 if self.number else 0


@dataclass
class Hierarchy:
    children: dict[int, list[int]] = field(default_factory=dict)  # body index → direct children
    of_which: set[int] = field(default_factory=set)  # parents of a "Trong đó" breakdown
    markers: set[int] = field(default_factory=set)  # "Trong đó:" rows (no numbers)


def nest(rows: list[BodyRow], totals: Totals) -> Hierarchy:
    """Every row's parent by markers, "Trong đó" and totals (all parents, aggregate or not)."""
    h = Hierarchy()
    parent: dict[int, int] = {}
    stack: list[_Entry] = []
    for i, row in enumerate(rows):
        if i == totals.grand:
            stack = [_Entry(_TOTAL, i, None)]
            continue
        if i in totals.subtotals:
            stack = []
            continue
        if row.trong_do and not row.has_values:  # "Trong đó:" — the rows below are parts of…
            h.markers.add(i)
            if stack:
                owner = stack[-1].owner if stack[-1].kind == _OF_WHICH_MARK else stack[-1].row
                stack.append(_Entry(_OF_WHICH_MARK, i, owner))
                h.of_which.add(owner)
            continue
        if row.trong_do:  # "Trong đó: nữ | 40" — a part of the row above
            while stack and stack[-1].kind == _OF_WHICH_ITEM:
                stack.pop()
            if stack:
                owner = stack[-1].owner if stack[-1].kind == _OF_WHICH_MARK else stack[-1].row
                parent[i] = owner
                h.of_which.add(owner)
            stack.append(_Entry(_OF_WHICH_ITEM, i, None))  # takes no parts of its own
            continue
        if row.top_level:
            stack = []
        stack = _place(stack, row, rows)
        if stack and stack[-1].owner is not None:
            parent[i] = stack[-1].owner
        stack.append(_Entry(row.marker.value, i, i, row.number))
    for child, p in parent.items():
        h.children.setdefault(p, []).append(child)
    return h


def _place(stack: list[_Entry], row: BodyRow, rows: list[BodyRow]) -> list[_Entry]:
    """The stack cut back to the row's parent (its top), by the row's marker."""
    if row.marker in HEADS:  # A, I, III.1: never under an item of a lower rank or a plain row
        rank = _RANK[row.marker.value]
        cut = next((j for j, e in enumerate(stack)
                    if _RANK.get(e.kind, -1) >= rank or e.kind not in _RANK), None)
        return stack[:cut] if cut is not None else stack
    if stack and stack[-1].kind == _OF_WHICH_MARK:
        return stack  # first part of a "Trong đó" breakdown
    if row.marker in DOTTED and row.number:
        depth = row.number.count(".") + 1
        bad = next((j for j, e in enumerate(stack) if e.number and (
            e.depth >= depth or not row.number.startswith(e.number + "."))), None)
        if bad is not None:
            stack = stack[:bad]
        last_dotted = max((j for j, e in enumerate(stack) if e.number), default=None)
        if last_dotted is not None:
            return stack[:last_dotted + 1]
        # numbered items go under a plain row ("Khối xã", "Thu ngân sách | 1.000"), not under
        # an item whose own number is unreadable (OCR: "22 23", two rows run together)
        while stack and stack[-1].kind == MarkerKind.NONE.value and rows[stack[-1].row].garbled:
            stack = stack[:-1]
        return stack
    if row.marker == MarkerKind.NONE and not any(e.kind == _OF_WHICH_MARK for e in stack):
        # an unmarked row is no sub-item of a numbered item ("6 | Thôn Mỹ Lâm" then
        # "Bình quân"), unless that item announces a breakdown ("1 | Tổng số cán bộ")
        cut = next((j for j, e in enumerate(stack) if e.number and rows[e.row].total is None), None)
        if cut is not None:
            stack = stack[:cut]
    same = max((j for j, e in enumerate(stack) if e.kind == row.marker.value), default=None)
    if same is None:
        return stack
    if same >= 1 and stack[same - 1].kind == _OF_WHICH_MARK:  # a later part of "Trong đó"
        owner = stack[same - 1].owner
        first = rows[stack[same].row]
        ends = row.total is not None or (
            owner is not None and row.bold != first.bold and row.bold == rows[owner].bold)
        if ends:
            o = next((j for j, e in enumerate(stack) if e.row == owner), None)
            return stack[:o] if o is not None else stack[:same - 1]
    return stack[:same]


def _aggregate(p: int, kids: list[int], rows: list[BodyRow], h: Hierarchy) -> bool:
    """The children of p are parts of p (see module docstring)."""
    row = rows[p]
    if p in h.of_which or row.total is not None:
        return True
    if not row.has_values or row.ratio:
        return False
    parts = [rows[k] for k in kids]
    first = parts[0]
    if row.marker == MarkerKind.NONE and first.marker == MarkerKind.DOT1 and first.number \
            and first.number.isdigit() and int(first.number) != 1:
        # a list under a plain row starts at 1; items 2, 3, … continue the list above it, and
        # the plain row is one of its items whose number OCR lost
        return False
    if not any(k.has_values or k.has_dash for k in parts) or _stray(row, parts):
        return False
    units = {fold(k.unit) for k in parts if k.unit.strip()}
    return len(units) <= 1 and all(same_unit(row.unit, k.unit) for k in parts)


def _stray(row: BodyRow, parts: list[BodyRow]) -> bool:
    """The row's one figure stands alone while its sub-rows fill several columns, and is
    smaller than one of them: a heading ("I | Dân số | 12") with a stray number (a stamp, a
    column number), not their sum."""
    filled = [j for j, a in enumerate(row.amounts) if a is not None]
    if len(filled) != 1 or sum(1 for k in parts if sum(a is not None for a in k.amounts) >= 2) < 2:
        return False
    j = filled[0]
    return any(j < len(k.amounts) and (k.amounts[j] or 0) > row.amounts[j] for k in parts)


def _group(rows: list[BodyRow], totals: Totals, s: int, parent: dict[int, int]) -> list[int]:
    """The rows a subtotal adds up: the top-level rows with numbers of its group."""
    bounds = sorted(totals.subtotals + ([totals.grand] if totals.grand is not None else []))
    span = group_span(rows, bounds, s, totals.leading)
    return [i for i in span if rows[i].has_values
            and (i not in parent or parent[i] not in span or not rows[parent[i]].has_values)]


def aggregate_parents(rows: list[BodyRow], totals: Totals) -> dict[int, list[int]]:
    """Aggregate parent (body index) → its children (body indexes), subtotals included."""
    h = nest(rows, totals)
    parent = {k: p for p, ks in h.children.items() for k in ks}
    out: dict[int, list[int]] = {}
    for p, kids in h.children.items():
        kids = [k for k in kids if k not in h.markers]
        if kids and (p == totals.grand or _aggregate(p, kids, rows, h)):
            out[p] = kids
    for s in totals.subtotals:
        kids = _group(rows, totals, s, parent)
        if kids:
            out[s] = kids
    return dict(sorted(out.items()))
