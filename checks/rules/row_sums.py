"""row_sum_mismatch: within a row, parts that do not add up to their whole, or a part above it.

Two shapes. Column groups (checks.tables_view.ColGroup): "Nam" + "Nữ" against "Tổng số" under
one header, or the "Trong đó" columns after "Số hội viên". Parts are summed only when they are
declared complete (a known partition such as Nam/Nữ, a "Chia ra" header, or every other row
adding up); "Trong đó" parts are only checked not to exceed their whole. Row groups: a parent
row ("Tổng số …") against its child rows, summed when the children are complete (they add up in
the other columns of that row, or in the other parents of the table, or the last child takes
the rest: "- Dịch vụ khác"), not when they follow "Trong đó" (unless closed by such a remainder
row and adding up in another column); a child above its parent is always flagged. Cells that
A difference column ("Chênh lệch thu - chi", "Lãi (lỗ)") is checked against the two columns
its header names, or the two before it, when the difference holds on most rows. Cells that
OCR could not read as figures (TableView.unreadable) are compared with nothing, and neither are
the zeros of a form not filled in: a parent left at 0, children left at 0 in most columns.
"""
from __future__ import annotations

import re

from checks.confidence import cell_reading
from checks.context import Ctx
from checks.lexicon import PARTITIONS
from checks.registry import make_flag, rule
from checks.tables_view import ColGroup, TableView
from checks.text import fold
from extractors.tables.labels import is_ratio_label
from checks.rules.totals import as_number
from models.report import Severity


def _close(a: float, b: float, d: int = 0, n: int = 1) -> bool:
    tol = 1e-6 if d == 0 else n * 0.5 * 10 ** -d + 1e-9
    return abs(a - b) <= tol


def group_rows(t: TableView) -> list[int]:
    return t.body + ([t.T] if t.T is not None else [])


def row_relation(t: TableView, g: ColGroup, r: int, override: dict[int, float] | None = None):
    """(whole, parts sum, ok) for a complete group on row r; None when the row states no whole."""
    ov = override or {}
    val = lambda c: ov[c] if c in ov else t.effective(r, c)  # noqa: E731
    w = val(g.whole)
    pv = [val(p) for p in g.parts]
    if w is None or all(v is None for v in pv):
        return None
    s = sum(v or 0 for v in pv)
    d = max(t.decimals(c, [r]) for c in [g.whole] + g.parts)
    return w, s, _close(w, s, d, len(g.parts))


@rule("row_sum_mismatch", Severity.ERROR, "Các phần trong dòng không khớp tổng",
      "Parts within a row do not add up to their total")
def row_sum_mismatch(ctx: Ctx):
    for t in ctx.tables:
        yield from _column_groups(t)
        yield from _row_groups(t)
        yield from _differences(t)


# -- a difference column: "Chênh lệch thu - chi" = Doanh thu − Chi phí --------------------------

_DIFF_WORDS = ("chênh lệch", "lãi (lỗ)", "lãi, lỗ", "kết dư", "còn lại", "lợi nhuận")
_OPERANDS = re.compile(r"(?:chênh lệch|kết dư|còn lại|lợi nhuận)\s*(?:\(\s*)?([^()\-–−]+?)\s*[-–−]\s*([^()]+?)\s*\)?$")
MIN_AGREE = 3  # rows where the difference holds before a row where it does not is flagged


def _operand(t: TableView, name: str, skip: set[int]) -> int | None:
    """The one other figures column whose header names this operand ("thu" → "Doanh thu")."""
    ws = name.split()
    found = [c.index for c in t.columns if c.index not in skip and c.role == "quantity"
             and any(w in fold(c.header).split() for w in ws[:2])]
    return found[0] if len(found) == 1 else None


def _difference_of(t: TableView, d: int) -> tuple[int, int] | None:
    """(minuend, subtrahend) columns of a difference column: named in its header ("Chênh lệch
    thu - chi"), else the two figures columns right before it."""
    h = fold(t.columns[d].header)
    if not any(w in h for w in _DIFF_WORDS):
        return None
    m = _OPERANDS.search(h)
    if m:
        a = _operand(t, m.group(1).strip(), {d})
        b = _operand(t, m.group(2).strip(), {d, a} if a is not None else {d})
        return (a, b) if a is not None and b is not None and a != b else None
    before = [c.index for c in t.columns[:d] if c.role == "quantity"]
    return (before[-2], before[-1]) if len(before) >= 2 and before[-1] == d - 1 else None


def _differences(t: TableView):
    """A column that is the difference of two others, flagged on the rows where it is not, when
    it holds on at least MIN_AGREE rows and on most of them (then the column is that difference)."""
    for col in t.columns:
        pair = _difference_of(t, col.index)
        if pair is None:
            continue
        a, b = pair
        rows = []
        for r in group_rows(t):
            va, vb, vd = t.effective(r, a), t.effective(r, b), t.effective(r, col.index)
            if None in (va, vb, vd) or any(t.unreadable(r, c) for c in (a, b, col.index)):
                continue
            d = max(t.decimals(c, [r]) for c in (a, b, col.index))
            rows.append((r, va, vb, vd, _close(va - vb, vd, d, 2)))
        agree = sum(ok for *_, ok in rows)
        if agree < MIN_AGREE or agree * 3 < len(rows) * 2:
            continue
        for r, va, vb, vd, ok in rows:
            if ok:
                continue
            parts = f"{t.columns[a].leaf} {t.raw(r, a)} − {t.columns[b].leaf} {t.raw(r, b)}"
            yield make_flag(
                "row_sum_mismatch", "sum",
                {"table": t.id, "row_label": t.label(r), "parts": parts, "computed": va - vb,
                 "column": col.header, "stated": t.raw(r, col.index)},
                section=t.rec.section, table=t.id, row=r, column=col.header,
                stated=t.raw(r, col.index), computed=as_number(va - vb), expected=as_number(va - vb),
                table_value=as_number(vd), location=t.location(r, col.index),
                evidence={"relation": "difference", "row_label": t.label(r), "whole_col": col.index,
                          "part_cols": [a, b], "difference": as_number(vd - (va - vb)),
                          "why_complete": f"holds on {agree} of {len(rows)} rows",
                          "readings": [cell_reading(t, r, col.index, "stated"),
                                       cell_reading(t, r, a, "part"), cell_reading(t, r, b, "part")]})


def _column_groups(t: TableView):
    for g in t.groups:
        whole_h = t.columns[g.whole].header
        for r in group_rows(t):
            rel = row_relation(t, g, r)
            if rel is None or any(t.unreadable(r, c) for c in [g.whole] + g.parts):
                continue
            w, s, ok = rel
            if g.mode == "complete":
                if ok:
                    continue
                parts = " + ".join(f"{t.columns[p].leaf} {t.raw(r, p) or '0'}" for p in g.parts)
                yield make_flag(
                    "row_sum_mismatch", "sum",
                    {"table": t.id, "row_label": t.label(r), "parts": parts, "computed": s,
                     "column": whole_h, "stated": t.raw(r, g.whole)},
                    section=t.rec.section, table=t.id, row=r, column=whole_h,
                    stated=t.raw(r, g.whole), computed=as_number(s), expected=as_number(s),
                    table_value=as_number(w), location=t.location(r, g.whole),
                    evidence={"relation": "sum", "row_label": t.label(r), "whole_col": g.whole,
                              "part_cols": g.parts, "whole": as_number(w),
                              "parts": {t.columns[p].header: t.raw(r, p) for p in g.parts},
                              "difference": as_number(w - s), "why_complete": g.why or g.mode,
                              "readings": [cell_reading(t, r, g.whole, "stated")]
                              + [cell_reading(t, r, p, "part") for p in g.parts]})
                continue
            for p in g.parts:
                if not (g.nested or t.shares_noun(g.whole, p) or t.declared_subset(p)):
                    continue
                v = t.effective(r, p)
                if v is not None and w >= 0 and v > w and not _close(v, w, t.decimals(p, [r])):
                    yield _exceeds(t, r, p, g.whole, w, "exceeds")


def _exceeds(t: TableView, r: int, p: int, whole_col: int, w: float, variant: str,
             parent_row: int | None = None):
    col = t.columns[p].header
    return make_flag(
        "row_sum_mismatch", variant,
        {"table": t.id, "row_label": t.label(r), "column": col, "stated": t.raw(r, p),
         "whole": t.columns[whole_col].header if parent_row is None else t.label(parent_row),
         "whole_value": w, "parent": t.label(parent_row) if parent_row is not None else ""},
        section=t.rec.section, table=t.id, row=r, column=col, stated=t.raw(r, p),
        expected=f"≤ {t.raw(parent_row, p) if parent_row is not None else t.raw(r, whole_col)}",
        table_value=as_number(w), location=t.location(r, p),
        evidence={"relation": variant, "row_label": t.label(r), "whole_col": whole_col,
                  "part_cols": [p], "whole": as_number(w), "part": t.raw(r, p),
                  "parent_row": parent_row,
                  "readings": [cell_reading(t, r, p, "stated"), cell_reading(
                      t, r if parent_row is None else parent_row, whole_col, "compared")]})


# --- parent rows and their children ---------------------------------------------------------

_MARK = re.compile(r"^\s*([-+*•–]|[a-zđ]\)|\d+(\.\d+)*[.)]?)\s*")


def _clean_label(s: str) -> str:
    return _MARK.sub("", fold(s)).strip(" :.")


def _of_which(t: TableView, parent: int, kids: list[int]) -> bool:
    rows = list(range(parent, (min(kids) if kids else parent) + 1))
    labels = [fold(t.label(r)) for r in rows] + [fold(t.label(k)) for k in kids[:1]]
    return any("trong đó" in lab or lab.startswith(("tr.đó", "t.đó")) for lab in labels)


def _kid_partition(t: TableView, kids: list[int]) -> bool:
    return frozenset(_clean_label(t.label(k)) for k in kids) in PARTITIONS


_REMAINDER = re.compile(r"^(?:số\s+)?còn lại\b|(?<!\w)khác$")


def _kid_remainder(t: TableView, kids: list[int]) -> bool:
    """The last child takes the rest ("- Dịch vụ khác", "Còn lại"): the children cover their parent."""
    return len(kids) >= 2 and bool(_REMAINDER.search(_clean_label(t.label(kids[-1]))))


def _misnested(t: TableView, p: int, kids: list[int], k: int, c: int, w: float) -> bool:
    """Child k is a sibling of p read as its child (OCR lost its "III"): the children before it
    already make p, or the others do and k has children of its own."""
    if len(kids) < 2 or k not in kids:
        return False
    d = t.decimals(c, [p] + kids)
    before = [v for v in (t.effective(x, c) for x in kids[:kids.index(k)]) if v is not None]
    if before and _close(sum(before), w, d, len(before)):
        return True
    if k not in t.rec.children:
        return False
    rest = [t.effective(x, c) for x in kids if x != k and x not in t.rec.children.get(k, [])]
    rest = [v for v in rest if v is not None]
    return bool(rest) and _close(sum(rest), w, d, len(rest))


def _share_agreement(t: TableView, p: int, kids: list[int]) -> tuple[int, int]:
    """(agree, disagree) of the children's shares with their parent's in structure columns."""
    agree = disagree = 0
    for c in t.share_columns():
        w = t.value(p, c)
        kv = [t.value(k, c) for k in kids]
        if w is None or any(v is None for v in kv):
            continue
        if _close(w, sum(kv), t.decimals(c, [p] + kids), len(kids)):
            agree += 1
        else:
            disagree += 1
    return agree, disagree


def _row_groups(t: TableView):
    kids_of = {p: [k for k in ks if k < len(t.body)] for p, ks in t.rec.children.items()
               if p < len(t.body)}
    qcols = t.quantity_columns()
    rate = lambda r: any(w in fold(t.label(r)) for w in ("tỷ lệ", "tỉ lệ", "%", "bình quân")) or any(  # noqa: E731
        t.raw(r, c).endswith("%") for c in qcols) or is_ratio_label(t.label(r))  # shares, "Tý lệ" (OCR)
    stats: dict[int, list[tuple[int, float, float, bool]]] = {}
    table_agree = table_disagree = 0
    for p, kids in kids_of.items():
        kids = [k for k in kids if not rate(k)]
        kids_of[p] = kids
        if not kids or rate(p):
            continue
        rows = []
        for c in qcols:
            w = t.effective(p, c)
            kv = [t.effective(k, c) for k in kids]
            if w is None or all(v is None for v in kv) or t.column_unreadable(c, [p] + kids):
                continue
            s = sum(v or 0 for v in kv)
            if w == 0 and s != 0:
                continue  # a parent left at 0 in a form: not filled in, not a sum
            ok = _close(w, s, t.decimals(c, [p] + kids), len(kids))
            rows.append((c, w, s, ok))
        if sum(1 for _, w, s, _ in rows if s == 0 and w != 0) * 2 >= len(rows) > 0:
            continue  # the children are left at 0 in most columns: a breakdown not filled in
        stats[p] = rows
        if not _of_which(t, p, kids):
            shares = _share_agreement(t, p, kids)  # "Cơ cấu (%)" bears witness, never flagged
            table_agree += sum(1 for x in rows if x[3]) + shares[0]
            table_disagree += sum(1 for x in rows if not x[3]) + shares[1]
    for p, rows in stats.items():
        kids = kids_of[p]
        of_which = _of_which(t, p, kids)
        agree = sum(1 for x in rows if x[3])
        disagree = len(rows) - agree
        # a list closed by a remainder row is complete; after "Trong đó" only when another
        # column of the row bears that reading out
        remainder = _kid_remainder(t, kids) and (not of_which or agree >= 1)
        complete = _kid_partition(t, kids) or remainder or (not of_which and len(kids) >= 2 and (
            (agree >= 2 and agree >= 2 * disagree)
            or (table_agree >= 3 and table_agree >= 3 * table_disagree)))
        if complete:
            for c, w, s, ok in rows:
                if ok or any(_misnested(t, p, kids, k, c, w) for k in kids):
                    continue
                col = t.columns[c].header
                yield make_flag(
                    "row_sum_mismatch", "children",
                    {"table": t.id, "row_label": t.label(p), "column": col, "stated": t.raw(p, c),
                     "computed": s},
                    section=t.rec.section, table=t.id, row=p, column=col, stated=t.raw(p, c),
                    computed=as_number(s), expected=as_number(s), table_value=as_number(w),
                    location=t.location(p, c),
                    evidence={"relation": "children", "row_label": t.label(p),
                              "children": {t.label(k): t.raw(k, c) for k in kids},
                              "child_rows": kids, "whole": as_number(w),
                              "difference": as_number(w - s),
                              "readings": [cell_reading(t, p, c, "stated")]
                              + [cell_reading(t, k, c, "part") for k in kids]})
        for c, w, s, ok in rows:
            if w < 0:
                continue
            for k in kids:
                v = t.effective(k, c)
                if v is not None and v > w and not _close(v, w, t.decimals(c, [k, p])):
                    if complete and not ok:
                        continue  # already flagged as a sum
                    if _misnested(t, p, kids, k, c, w):
                        continue
                    yield _exceeds(t, k, c, c, w, "child_exceeds", parent_row=p)
