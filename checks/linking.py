"""Linking flags caused by one mistake, and pointing at the likely culprit cell.

A wrong body cell breaks both its row (row_sum_mismatch) and its column total (total_mismatch):
the cell where they cross is the culprit when correcting it by the column's difference also
makes the row add up. A wrong total-row cell breaks its column and the total row's own sum.
A malformed total ("8.28") gives total_mismatch and malformed_number on the same cell. A body row
whose wrong whole was carried into the total row gives two row flags with the same difference.
Linked flags list each other's ids in `related`; `culprit` is set on every linked flag whose
(table, row, column) is the culprit cell. How surely the compared numbers were read is set after
the linkers by checks.confidence, from evidence["readings"] (the shape is in its docstring).
"""
from __future__ import annotations

from checks.context import Ctx
from checks.messages import render
from checks.registry import linker
from checks.rules.row_sums import row_relation
from checks.tables_view import ColGroup, TableView
from checks.rules.totals import as_number
from models.report import Flag


def link(*flags: Flag) -> None:
    for a in flags:
        for b in flags:
            if a is not b and b.id and b.id not in a.related:
                a.related.append(b.id)


def _col_index(t: TableView, header: str | None) -> int | None:
    for c in t.columns:
        if c.header == header:
            return c.index
    return None


@linker
def link_table_flags(flags: list[Flag], ctx: Ctx) -> None:
    for t in ctx.tables:
        mine = [f for f in flags if f.table == t.id]
        if not mine:
            continue
        totals = {_col_index(t, f.column): f for f in mine if f.rule == "total_mismatch"}
        _link_malformed(t, mine, totals)
        _link_crossings(t, mine, totals)
        _link_carried(t, mine)


def _link_malformed(t: TableView, mine: list[Flag], totals: dict) -> None:
    for mf in mine:
        if mf.rule != "malformed_number" or mf.row != t.T:
            continue
        tf = totals.get(_col_index(t, mf.column))
        if tf is not None:
            link(mf, tf)
            mf.culprit = tf.culprit = True


def _column_delta(t: TableView, c: int, tf: Flag) -> float | None:
    """How much the column's body is off from its total (None when only the writing is)."""
    stated = t.effective(t.T, c)
    if stated is None or not isinstance(tf.computed, (int, float)):
        return None
    d = stated - float(tf.computed)
    return None if abs(d) < 1e-9 else d


def _link_crossings(t: TableView, mine: list[Flag], totals: dict) -> None:
    if t.T is None:
        return
    for rf in mine:
        if rf.rule != "row_sum_mismatch" or rf.evidence.get("relation") != "sum":
            continue
        g = ColGroup(rf.evidence["whole_col"], list(rf.evidence["part_cols"]), "complete", True)
        r = rf.row
        cands = []
        for c in [g.whole] + g.parts:
            tf = totals.get(c)
            if tf is None:
                continue
            d = _column_delta(t, c, tf)
            if d is None:
                continue
            if r == t.T:
                corrected = float(tf.computed)
            else:
                v = t.effective(r, c)
                if v is None:
                    continue
                corrected = v + d
            rel = row_relation(t, g, r, {c: corrected})
            if rel is not None and rel[2]:
                cands.append((c, tf, corrected))
        if len(cands) != 1:
            continue
        c, tf, corrected = cands[0]
        link(rf, tf)
        if r == t.T:
            tf.culprit = True
            rf.evidence["culprit_cell"] = {"row": r, "column": t.columns[c].header}
            continue
        _point_at(t, rf, r, c, g, corrected)
        rf.culprit = True
        tf.evidence["culprit_cell"] = {"row": r, "row_label": t.label(r),
                                       "column": t.columns[c].header, "expected": as_number(corrected)}


def _point_at(t: TableView, rf: Flag, r: int, c: int, g: ColGroup, corrected: float) -> None:
    """Re-point a row flag at the cell whose correction fixes its row and its column."""
    col = t.columns[c].header
    rf.evidence["whole_column"] = rf.column
    rf.column = col
    rf.stated = t.raw(r, c)
    rf.expected = as_number(corrected)
    whole = t.effective(r, g.whole)
    rf.table_value = None if whole is None else as_number(whole)  # the row's whole, as the table says
    rf.location = t.location(r, c)
    rf.evidence["culprit_cell"] = {"row": r, "column": col, "expected": as_number(corrected)}
    for rd in rf.evidence.get("readings", []):  # the culprit is now what the flag states
        if (rd.get("row"), rd.get("col")) == (r, c):
            rd["role"] = "stated"
        elif rd.get("role") == "stated":
            rd["role"] = "compared"
    rf.suggestion = (f"sửa {t.raw(r, c)} thành {_vn(corrected)} thì cả dòng và cột tổng đều khớp / "
                     f"{t.raw(r, c)} → {_vn(corrected)} makes both the row and the column total add up")
    if c != g.whole:
        rf.message, rf.message_en = render("row_sum_mismatch", "sum_part", {
            "table": t.id, "row_label": t.label(r), "column": col, "stated": t.raw(r, c),
            "whole": t.columns[g.whole].header, "whole_value": t.effective(r, g.whole),
            "expected": corrected})


def _link_carried(t: TableView, mine: list[Flag]) -> None:
    """A body row's wrong whole carried into the total row: same column, same difference."""
    if t.T is None:
        return
    rows = [f for f in mine if f.rule == "row_sum_mismatch" and f.evidence.get("relation") == "sum"
            and not f.related]
    for tot in [f for f in rows if f.row == t.T]:
        body = [f for f in rows if f.row != t.T and f.evidence.get("whole_col") == tot.evidence.get("whole_col")]
        if not body:
            continue
        if abs(sum(f.evidence["difference"] for f in body) - tot.evidence["difference"]) > 1e-6:
            continue
        link(tot, *body)
        if len(body) == 1:
            body[0].culprit = True
            tot.evidence["carried_from"] = {"row": body[0].row, "row_label": body[0].evidence.get("row_label")}


@linker
def link_malformed_prose(flags: list[Flag], ctx: Ctx) -> None:
    """A malformed number in prose and the total_mismatch whose sum it probably meant."""
    for mf in flags:
        if mf.rule != "malformed_number" or mf.table is not None or mf.expected is None:
            continue
        for tf in flags:
            if tf.rule == "total_mismatch" and tf.computed == mf.expected and tf.stated == mf.stated:
                link(mf, tf)


@linker
def note_ocr(flags: list[Flag], ctx: Ctx) -> None:
    """A number read by OCR may be the OCR's mistake, not the report's: say so."""
    src = ctx.report.source
    if not src.ocr:
        return
    for f in flags:
        if f.stated is not None or f.table is not None:
            f.evidence["ocr"] = True
            if src.ocr_confidence is not None:
                f.evidence["ocr_confidence"] = src.ocr_confidence


def _vn(v: float) -> str:
    from checks.messages import num

    return num(v)
