"""Which body row is the table's total, and which are subtotals.

Rules (the choice the issue asks to document):
- A candidate is an unnumbered row whose label, in one of the first columns, is a total
  ("Tổng số", "Tổng cộng", "Cộng", "Tổng", "TỔNG THU", "Tổng số:"; OCR slips tolerated). A
  label that only starts so ("Tổng số hộ nghèo") counts only as the last row holding numbers:
  higher up it heads a breakdown, a parent row. A numbered row ("II | TỔNG THU") is an item of
  the table's hierarchy, never the table's total.
- The grand total is the single strongest candidate (Tổng cộng > Tổng số / Tổng > Cộng); it goes
  to `total_row`, wherever it stands (bottom, or first under the header).
- Every other candidate is a subtotal: it stays in `rows` and becomes a parent row of its group.
  Several equally strong candidates ("Cộng" per group with no "Tổng cộng"; "Tổng thu" and
  "Tổng chi") are all subtotals, and the table has no total row.
- Subtotals close the group above them ("Cộng" after its rows), unless the first one has no rows
  above it: then each opens the group below it ("TỔNG THU" then its items).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from extractors.table_rows import BodyRow


@dataclass(frozen=True)
class Totals:
    grand: int | None = None  # index into the body rows
    subtotals: list[int] = field(default_factory=list)
    leading: bool = False  # subtotals open the group below them


def choose_totals(rows: list[BodyRow]) -> Totals:
    valued = [i for i, r in enumerate(rows) if r.has_values]
    last_valued = valued[-1] if valued else len(rows) - 1
    cands = [i for i, r in enumerate(rows)
             if r.total is not None and not r.numbered and not r.trong_do
             and (r.total.exact or i == last_valued)]
    if not cands:
        return Totals()
    top = max(rows[i].total.strength for i in cands)
    tops = [i for i in cands if rows[i].total.strength == top]
    grand = tops[0] if len(tops) == 1 else None
    subs = [i for i in cands if i != grand]
    leading = False
    if subs:
        first = subs[0]
        leading = not any(rows[i].has_values for i in range(first)
                          if i != grand and i not in subs)
    return Totals(grand=grand, subtotals=subs, leading=leading)
