"""total_mismatch: a total row cell differs from the sum of its column.

Only quantity columns are summed (not TT/STT, years, rates, averages). When a table has parent
rows with children, the top-level rows are summed; other readings of the body (all rows, rows
without "-"/"+" sub-items, numbered rows, subtotals) are tried too, and the total stands when
any of them gives it — a false alarm costs more than a missed subtlety. A malformed total
("8.28") is always flagged, with its likeliest reading as the suggestion. A column with a cell
that OCR could not read as a figure ("Sö" for "58", "08.200") is not summed: its sum is unknown.
A table continued from the page before (same headers, no total of its own there) is summed with
that part; a body coming to about twice its total lists groups with their members, a level its
rows do not mark, and is not compared.
"""
from __future__ import annotations

import re

from difflib import SequenceMatcher

from checks.confidence import cell_reading
from checks.context import Ctx
from checks.matching import prose_numbers_for_column
from checks.messages import suggestion_text
from checks.registry import make_flag, rule
from checks.tables_view import TableView
from extractors.tables.labels import fold as fold_plain
from models.report import Severity


def as_number(v: float) -> float | int:
    return int(v) if v == int(v) else round(v, 6)


ROUNDED_AMOUNTS = 100_000  # whole amounts this large are often rounded shares of a sum


def tolerance(t: TableView, c: int, rows: list[int]) -> float:
    """Exact for whole numbers; for decimals, the rounding of each written cell. Large whole
    amounts (money in đồng worked out as 17,5 % / 3 % / 1 % of a fund) are rounded one by one,
    so their sum may miss the rounded total by half a unit per row."""
    d = t.decimals(c, rows + ([t.T] if t.T is not None else []))
    if d == 0:
        vals = [t.effective(r, c) for r in rows]
        vals = [abs(v) for v in vals if v is not None]
        if vals and min(vals) >= ROUNDED_AMOUNTS:
            return len(rows) * 0.5 + 1e-6
        return 1e-6
    return len(rows) * 0.5 * 10 ** -d + 1e-9


def column_sums(t: TableView, c: int) -> list[tuple[str, list[int], float]]:
    return t.body_sums(c)


@rule("total_mismatch", Severity.ERROR, "Dòng tổng khác tổng các dòng",
      "A total row cell differs from the sum of its column")
def total_mismatch(ctx: Ctx):
    for t in ctx.tables:
        if t.T is None or t.total_is_average() or names_addends(t.label(t.T)):
            continue
        for c in t.quantity_columns():
            f = _check(ctx, t, c)
            if f is not None:
                yield f


_ADDENDS = re.compile(r"\(\s*[0-9IVXivxA-Da-d]{1,4}\s*(?:\+\s*[0-9IVXivxA-Da-d]{1,4}\s*){1,12}\)")


def names_addends(label: str) -> bool:
    """The total row names what it adds: "Cộng (1+2+3)", "Tổng số tín chỉ (i+ii)", "Tổng (A+B)".
    Those rows, not every row above (which holds their breakdowns too), are its parts: not
    compared with the column's sum."""
    return bool(_ADDENDS.search(label or ""))


def _check(ctx: Ctx, t: TableView, c: int):
    T = t.T
    n = t.nums[T][c]
    if n is None or t.column_unreadable(c, t.body + [T]):
        return None  # OCR could not read a figure of the column: its sum is unknown
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
    if stated is not None and _explained_by_parts(ctx, t, c, stated, sums):
        return None
    name, rows, computed = sums[0]
    every = next((x for x in sums if x[0] == "all rows"), None)
    if name == "without sub-items" and every is not None and 2 * len(rows) < len(every[1]):
        # the "- …" rows hold most of the figures: they are the items ("Giải pháp 2: …" rows
        # above them are blank), so the total is reported against all the rows
        name, rows, computed = every
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
        "readings": [cell_reading(t, T, c, "stated")] + [cell_reading(t, r, c, "part") for r in rows],
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


def continued_from(ctx: Ctx, t: TableView, c: int) -> TableView | None:
    """The table t continues (a table split over pages, "Biểu 01 (tiếp theo)"): the one just
    before it, without a total row of its own, whose first column and column c have the same
    headers (as OCR reads them twice: "SỐ LƯỢNG PHẢN HỒI" / "SÓ LƯỢNG PHẢN HÔI")."""
    i = next((k for k, x in enumerate(ctx.tables) if x is t), None)
    if not i:
        return None
    prev = ctx.tables[i - 1]
    if prev.T is not None or abs(prev.ncols - t.ncols) > 1 or c >= prev.ncols:
        return None
    return prev if all(_alike(prev.columns[j].header, t.columns[j].header) for j in (0, c)) else None


def _alike(a: str, b: str) -> bool:
    return SequenceMatcher(None, fold_plain(a), fold_plain(b)).ratio() >= 0.85


def _explained_by_parts(ctx: Ctx, t: TableView, c: int, stated: float,
                        sums: list[tuple[str, list[int], float]]) -> bool:
    """The total adds up once the part of the table on the page before is counted; or the body,
    with that part, comes to twice the total: groups listed with their members ("Khoa …" over
    its classes), a level the rows do not mark — no sum can be read from it."""
    prev = continued_from(ctx, t, c)
    before = prev.body_sums(c) if prev is not None and c in prev.quantity_columns() else []
    tol = tolerance(t, c, t.body) + (tolerance(prev, c, prev.body) if prev is not None else 0)
    if any(abs(a + b - stated) <= tol for _, _, a in before for _, _, b in sums):
        return True
    heads = _group_heads(t, c) + (_group_heads(prev, c) if before else 0)
    if t.child_rows or stated <= 0 or heads < 2:
        return False
    whole = sums[0][2] + (before[0][2] if before else 0)
    return 1.8 <= whole / stated <= 2.2


def _group_heads(t: TableView, c: int) -> int:
    """Rows whose figure is the sum of two or more rows right after them ("Khoa Ngoại ngữ | 90"
    over "Ngôn ngữ Anh 16A | 47", "16B | 43"): groups listed with their members."""
    vals = [t.effective(r, c) for r in t.body]
    heads = 0
    for i, v in enumerate(vals):
        if not v or v <= 0:
            continue
        run = 0.0
        for k in range(i + 1, len(vals)):
            run += vals[k] or 0
            if k >= i + 2 and abs(run - v) <= 1e-6 * max(1.0, v):
                heads += 1
                break
            if run > v:
                break
    return heads


def _vn(v: float) -> str:
    from checks.messages import num

    return num(v)
