"""total_mismatch: a total row cell differs from the sum of its column.

Only quantity columns are summed (not TT/STT, years, rates, averages). When a table has parent
rows with children, the top-level rows are summed; other readings of the body (all rows, rows
without "-"/"+" sub-items, numbered rows, subtotals) are tried too, and the total stands when
any of them gives it — a false alarm costs more than a missed subtlety. A malformed total
("8.28") is always flagged, with its likeliest reading as the suggestion.
"""
from __future__ import annotations

from checks.context import Ctx
from checks.matching import prose_numbers_for_column
from checks.messages import suggestion_text
from checks.registry import make_flag, rule
from checks.tables_view import TableView
from models.report import Severity


def as_number(v: float) -> float | int:
    return int(v) if v == int(v) else round(v, 6)


def tolerance(t: TableView, c: int, rows: list[int]) -> float:
    """Exact for whole numbers; for decimals, the rounding of each written cell."""
    d = t.decimals(c, rows + ([t.T] if t.T is not None else []))
    return 1e-6 if d == 0 else len(rows) * 0.5 * 10 ** -d + 1e-9


def column_sums(t: TableView, c: int) -> list[tuple[str, list[int], float]]:
    return t.body_sums(c)


@rule("total_mismatch", Severity.ERROR, "Dòng tổng khác tổng các dòng",
      "A total row cell differs from the sum of its column")
def total_mismatch(ctx: Ctx):
    for t in ctx.tables:
        if t.T is None or t.total_is_average():
            continue
        for c in t.quantity_columns():
            f = _check(ctx, t, c)
            if f is not None:
                yield f


def _check(ctx: Ctx, t: TableView, c: int):
    T = t.T
    n = t.nums[T][c]
    if n is None:
        return None
    sums = column_sums(t, c)
    if not sums:
        return None  # an empty column
    stated = t.value(T, c)
    malformed = t.malformed(T, c)
    tol = lambda rows: tolerance(t, c, rows)  # noqa: E731
    if stated is not None and any(abs(s - stated) <= tol(rows) for _, rows, s in sums):
        return None
    if stated is None and not malformed:
        return None
    name, rows, computed = sums[0]
    suggestion = None
    if malformed:
        fit = t.total_fit(c)
        if fit:
            name, rows, computed = fit
        suggestion = suggestion_text(n.raw, computed, f"các dòng cộng lại bằng {_vn(computed)}",
                                     f"the rows add up to {_vn(computed)}")
    column = t.columns[c].header
    evidence = {
        "row_set": name,
        "rows": [t.label(r) for r in rows],
        "values": [as_number(t.effective(r, c)) for r in rows],
        "sum": as_number(computed),
        "difference": None if stated is None else as_number(stated - computed),
    }
    agrees = [{"sentence": s.text, "section": s.section, "stated": m.raw}
              for s, m in prose_numbers_for_column(ctx.sentences, t, c)
              if m.value is not None and abs(m.value - computed) <= tol(rows)]
    if agrees:
        evidence["prose_agrees"] = agrees
    return make_flag(
        "total_mismatch", "malformed" if malformed else "default",
        {"table": t.id, "column": column, "stated": n.raw, "computed": computed},
        section=t.rec.section, table=t.id, row=T, column=column, stated=n.raw,
        computed=as_number(computed), expected=as_number(computed),
        table_value=None if stated is None else as_number(stated), suggestion=suggestion,
        location=t.location(T, c), evidence=evidence)


def _vn(v: float) -> str:
    from checks.messages import num

    return num(v)
