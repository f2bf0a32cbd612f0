"""prose_table_mismatch: a sentence states a table's quantity with a different number.

"thu hút 1.245 lượt người" beside a table whose "Số lượt người tham gia" total is 1.254. The
sentence's unit must name the column (checks.matching), and the two numbers must be typo-close
(two digits swapped, one digit changed, a stray separator): numbers that are simply different
are taken for different quantities. A cell is compared only when the sentence names its row.
The table side must be self-consistent (its total equals its rows); when it is not, the
total_mismatch flag carries the prose that agrees with the rows as evidence instead.
"""
from __future__ import annotations

from checks.context import Ctx
from checks.matching import best_columns, row_named, typo_close
from checks.registry import make_flag, rule
from checks.totals import as_number
from models.report import Severity

_CHANGE = ("tăng", "giảm", "thêm", "mới", "kết nạp", "tăng thêm", "giảm đi", "còn")


def _usable(m) -> bool:
    if m.percent or m.numerator or m.over is not None or m.value is None:
        return False
    if m.qualifier:
        return False
    return not any(m.before.endswith(w) for w in _CHANGE)


@rule("prose_table_mismatch", Severity.WARNING, "Số liệu trong văn bản khác trong bảng",
      "A sentence and a table state different numbers for the same quantity")
def prose_table_mismatch(ctx: Ctx):
    done: set[tuple[int, int]] = set()
    for t in ctx.tables:
        for s in ctx.sentences:
            for k, m in enumerate(s.mentions):
                if (s.order, k) in done or not _usable(m):
                    continue
                for c in best_columns(m, t):
                    f = _compare(ctx, t, c, s, m)
                    if f is not None:
                        done.add((s.order, k))
                        yield f
                        break


def _compare(ctx: Ctx, t, c: int, s, m):
    values = []
    sums = t.body_sums(c)
    if t.T is not None:
        stated = t.effective(t.T, c)
        if stated is not None and sums and any(abs(x[2] - stated) < 1e-6 for x in sums):
            values.append((t.T, stated))
    seen = {v for _, v in values} | {x[2] for x in sums}
    if t.T is not None and t.value(t.T, c) is not None:
        seen.add(t.value(t.T, c))
    if any(abs(m.value - v) < 1e-6 for v in seen):
        return None
    for r in t.body:
        v = t.value(r, c)
        if v is not None and row_named(t, r, s.folded):
            if abs(v - m.value) < 1e-6:
                return None
            values.append((r, v))
    for r, v in values:
        how = typo_close(m, v)
        if how is None:
            continue
        col = t.columns[c].header
        where = "dòng tổng" if r == t.T else f"dòng «{t.label(r)}»"
        where_en = "total row" if r == t.T else f"row “{t.label(r)}”"
        return make_flag(
            "prose_table_mismatch", "default",
            {"stated": m.raw, "unit": m.unit_text or m.unit, "table": t.id, "where": f"{where}, cột «{col}»",
             "where_en": f"{where_en}, column “{col}”", "table_value": v},
            section=s.section, table=t.id, row=r, column=col, stated=m.raw,
            table_value=as_number(v), expected=as_number(v), sentence=s.text,
            location=ctx.locate(s, m.raw),
            evidence={"sentence": s.text, "unit": m.unit, "closeness": how,
                      "table_section": t.rec.section, "row_label": t.label(r),
                      "cell": t.raw(r, c), "cell_location": t.location(r, c).model_dump(exclude_none=True)})
    return None
