"""Which body row is the table's total, and which are subtotals.

Rules (the choice the issue asks to document):
- A candidate is an unnumbered row whose label, in one of the first columns, is a total
  ("Tổng số", "Tổng cộng", "Cộng", "Tổng", "TỔNG THU", "Tổng số:"; OCR slips tolerated). A
  label that only starts so ("Tổng số hộ nghèo") counts only as the last row holding numbers:
  higher up it heads a breakdown, a parent row. The whole of an area or sector ("Toàn tỉnh",
  "Toàn ngành công nghiệp", "Cả nước") is a total as the first or the last row with figures. A numbered row ("II | TỔNG THU") is an item of
  the table's hierarchy, never the table's total.
- The grand total is the single strongest candidate (Tổng cộng > Tổng số / Tổng > Cộng); it goes
  to `total_row`, wherever it stands (bottom, or first under the header).
- Every other candidate is a subtotal: it stays in `rows` and becomes a parent row of its group.
  Several equally strong candidates ("Cộng" per group with no "Tổng cộng") are all subtotals,
  and the table has no total row. "Tổng thu" in a table that also has "Tổng chi" (or the
  reverse) is a part of a statement, never its total.
- Subtotals close the group above them ("Cộng" after its rows) or open the group below them
  ("TỔNG THU" then its items): whichever side their figures are the sum of; without figures to
  tell, they open the group below only when the first has no rows above it.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.tables.labels import TotalKind
from extractors.tables.rows import HEADS, BodyRow


@dataclass(frozen=True)
class Totals:
    grand: int | None = None  # index into the body rows
    subtotals: list[int] = field(default_factory=list)
    leading: bool = False  # subtotals open the group below them


def choose_totals(rows: list[BodyRow]) -> Totals:
    valued = [i for i, r in enumerate(rows) if r.has_values]
    last_valued = valued[-1] if valued else len(rows) - 1
    first_valued = valued[0] if valued else 0
    cands = [i for i, r in enumerate(rows)
             if r.total is not None and not r.numbered and not r.trong_do
             and (r.total.exact or i == last_valued or (r.total.aggregate and i == first_valued))]
    if not cands:
        return Totals()
    top = max(rows[i].total.strength for i in cands)
    tops = [i for i in cands if rows[i].total.strength == top]
    flows = {r.total.kind for r in rows if r.total is not None} >= {TotalKind.INCOME,
                                                                     TotalKind.EXPENSE}
    grand = tops[0] if len(tops) == 1 else None
    if grand is not None and flows and rows[grand].total.kind in (TotalKind.INCOME,
                                                                   TotalKind.EXPENSE):
        grand = None  # "Tổng thu" beside "Tổng chi": two parts of a statement, not its total
    subs = [i for i in cands if i != grand]
    return Totals(grand=grand, subtotals=subs, leading=_leading(rows, subs, grand))


def _leading(rows: list[BodyRow], subs: list[int], grand: int | None) -> bool:
    """Subtotals open their group when their figures are the sums of the rows below them
    rather than above; without figures to tell, when the first has no rows above it."""
    if not subs:
        return False
    bounds = sorted(subs + ([grand] if grand is not None else []))
    votes = 0
    for s in subs:
        for j, total in enumerate(rows[s].amounts):
            if not total:
                continue
            above = sum(rows[i].amounts[j] or 0 for i in group_span(rows, bounds, s, False))
            below = sum(rows[i].amounts[j] or 0 for i in group_span(rows, bounds, s, True))
            votes += (abs(below - total) < abs(above - total)) - (abs(above - total) < abs(below - total))
            break
    if votes:
        return votes > 0
    return not any(rows[i].has_values for i in range(subs[0]) if i != grand)


def group_span(rows: list[BodyRow], bounds: list[int], s: int, leading: bool) -> range:
    """The rows a subtotal at s may add up: below it up to the next total or group head
    ("IV | Số dư cuối kỳ"), or above it back to the previous total."""
    if leading:
        hi = next((i for i in range(s + 1, len(rows)) if i in bounds or rows[i].marker in HEADS),
                  len(rows))
        return range(s + 1, hi)
    lo = max((b for b in bounds if b < s), default=-1)
    return range(lo + 1, s)
