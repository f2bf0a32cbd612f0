"""prose_table_mismatch: a sentence states a table's quantity with a different number.

"thu hút 1.245 lượt người" beside a table whose "Số lượt người tham gia" total is 1.254. The
sentence's unit must name the column (checks.matching), and the two numbers must be typo-close
(two digits swapped, one digit changed, a stray separator): numbers that are simply different
are taken for different quantities. A cell is compared only when the sentence names its row.
The table side must be self-consistent (its total equals its rows); when it is not, the
total_mismatch flag carries the prose that agrees with the rows as evidence instead.

Two more ways a sentence may speak of a cell (checks.indicators): a money amount written in the
unit the table declares ("Đơn vị tính: triệu đồng") may state its total, when the sentence
speaks of a whole ("Tổng thu …", "toàn tỉnh …"); and a number may state a row of an indicator
table ("Tổng số hội viên | Người | 186"). When the row's own words (beyond the unit) stand in the
number's clause ("kết nạp 6 hội viên mới" / "Hội viên kết nạp mới trong quý"), that reading is
specific enough that a short number one digit off is flagged too.
"""
from __future__ import annotations

import re

from checks.context import Ctx
from checks.indicators import clause_words, column_unit, row_matches, unit_names
from checks.lexicon import ESTIMATE
from checks.matching import best_columns, near_miss, row_named, typo_close
from checks.registry import make_flag, rule
from checks.text import words
from checks.rules.totals import as_number
from models.report import Severity

_CHANGE = ("tăng", "giảm", "thêm", "mới", "kết nạp", "tăng thêm", "giảm đi", "còn")
# Words by which a sentence speaks of a whole ("Tổng thu ngân sách", "toàn tỉnh").
_WHOLE_WORDS = re.compile(r"(?<!\w)(tổng|toàn)(?!\w)")


def _plain(m) -> bool:
    """An exact number: an estimate ("ước đạt") is the figure the table estimates too."""
    return not (m.percent or m.numerator or m.over is not None or m.value is None
                or (m.qualifier and m.qualifier not in ESTIMATE))


def _usable(m) -> bool:
    return _plain(m) and not any(m.before.endswith(w) for w in _CHANGE)


@rule("prose_table_mismatch", Severity.WARNING, "Số liệu trong văn bản khác trong bảng",
      "A sentence and a table state different numbers for the same quantity")
def prose_table_mismatch(ctx: Ctx):
    done: set[tuple[int, int]] = set()
    raised: set[tuple] = set()  # one flag per sentence and cell, however often it repeats the number
    for t in ctx.tables:
        for s in ctx.sentences:
            for k, m in enumerate(s.mentions):
                if (s.order, k) in done or not _plain(m):
                    continue
                f = _by_column(ctx, t, s, m) if _usable(m) else None
                f = f or _by_row(ctx, t, s, m)
                if f is not None:
                    done.add((s.order, k))
                    key = (s.order, f.table, f.row, f.column, f.stated)
                    if key not in raised:
                        raised.add(key)
                        yield f


def _by_column(ctx: Ctx, t, s, m):
    """The mention's unit names a column (or is the unit the table is written in)."""
    for c in best_columns(m, t):
        if (f := _compare(ctx, t, c, s, m)) is not None:
            return f
    if best_columns(m, t):
        return None
    unit = ctx.table_units.get(t.id)
    whole = bool(_WHOLE_WORDS.search(s.folded))
    for c in t.quantity_columns():
        if unit_names(m, column_unit(t, c, unit)):
            if (f := _compare(ctx, t, c, s, m, total=whole)) is not None:
                return f
    return None


def _by_row(ctx: Ctx, t, s, m):
    """The mention states a row of an indicator table."""
    clause = clause_words(s.text, m, s.mentions)
    matches = row_matches(t, m, clause, words(s.text))
    if not matches or any(abs(x.value - m.value) < 1e-6 for x in matches):
        return None
    specific = [x for x in matches if x.specific]
    if any(_in_column(t, x.col, m.value) for x in specific or matches):
        return None  # the stated number is in the table: another row states it, no typo here
    for x in specific or matches:
        name = " ".join(words(t.label(x.row)))
        if any(m.before.endswith(w) for w in _CHANGE) and not any(
                w in name for w in _CHANGE if m.before.endswith(w)):
            continue  # "kết nạp 6 hội viên" is a change, unless the row counts the change
        how = near_miss(m, x.value) if x.specific else typo_close(m, x.value)
        if how is not None:
            return _flag(ctx, t, x.row, x.col, s, m, x.value, how)
    return None


def _in_column(t, c: int, value: float) -> bool:
    return any((v := t.value(r, c)) is not None and abs(v - value) < 1e-6 for r in t.body)


def _compare(ctx: Ctx, t, c: int, s, m, total: bool = True):
    values = []
    sums = t.body_sums(c)
    if t.T is not None and total:
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
        if how is not None:
            return _flag(ctx, t, r, c, s, m, v, how)
    return None


def _flag(ctx: Ctx, t, r: int, c: int, s, m, v: float, how: str):
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
