"""Tables as the report shows them, for the templates: header rows rebuilt from the flattened
"Parent / Child" column names (merged parents span their children again), body rows, the total
row, and — for a flag — which cells to highlight (the stated cell, the cells it was computed
from) and the computed value to show beside the stated one.

Which cells a flag relates to is read from its evidence, by a registry of small readers keyed
by what the evidence holds (row labels of a column sum, part columns of a row sum, child rows
of a parent row, a prose sentence's table cell, a culprit cell), so new rules that reuse the
same evidence shapes get their highlights for free.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Callable

SEP = " / "
_NUMERIC = re.compile(r"^[\s(+\-−]*\d[\d.,\s]*%?\)?\s*$")


@dataclass
class HeaderCell:
    text: str
    colspan: int = 1
    rowspan: int = 1
    cols: tuple[int, ...] = ()  # column indexes under this header cell
    classes: list[str] = field(default_factory=list)


@dataclass
class Cell:
    text: str
    row: int
    col: int
    classes: list[str] = field(default_factory=list)
    note: str | None = None  # the computed/expected value shown beside a stated cell
    note_title: str | None = None
    page: int | None = None
    bbox: list[float] | None = None


@dataclass
class Row:
    index: int  # index into rows; len(rows) is the total row
    cells: list[Cell]
    classes: list[str] = field(default_factory=list)


@dataclass
class TableView:
    id: str
    section: str | None
    header: list[list[HeaderCell]]
    rows: list[Row]
    ncols: int
    pages: list[int] = field(default_factory=list)

    def cell(self, r: int, c: int) -> Cell | None:
        for row in self.rows:
            if row.index == r:
                return row.cells[c] if c < len(row.cells) else None
        return None

    def highlighted(self) -> list[Cell]:
        return [c for row in self.rows for c in row.cells if any(k.startswith("hl-") for k in c.classes)]


def header_grid(columns: list[str], header_rows: int) -> list[list[HeaderCell]]:
    """Header rows from flattened names: "A / B" under a two-row header is a cell "A" spanning
    every neighbouring column whose name starts with "A / ", above "B"; a name without a parent
    spans the header rows down."""
    levels = max(1, min(header_rows, max((c.count(SEP) + 1 for c in columns), default=1)))
    parts: list[list[str]] = []
    for c in columns:
        p = c.split(SEP) if levels > 1 else [c]
        if len(p) > levels:
            p = p[:levels - 1] + [SEP.join(p[levels - 1:])]
        parts.append(p)
    grid: list[list[HeaderCell]] = []
    for level in range(levels):
        row: list[HeaderCell] = []
        c = 0
        while c < len(columns):
            p = parts[c]
            if len(p) <= level:
                c += 1  # covered by a rowspan from above
                continue
            if len(p) == level + 1:  # a leaf: spans down to the last header row
                row.append(HeaderCell(p[level], 1, levels - level, (c,)))
                c += 1
                continue
            end = c + 1
            while end < len(columns) and len(parts[end]) > level + 1 and parts[end][:level + 1] == p[:level + 1]:
                end += 1
            row.append(HeaderCell(p[level], end - c, 1, tuple(range(c, end)), ["parent"]))
            c = end
        grid.append(row)
    return grid


def _numeric(text: str) -> bool:
    return bool(text) and bool(_NUMERIC.match(text))


def _bbox(loc: Any) -> tuple[int | None, list[float] | None]:
    if not isinstance(loc, dict):
        return None, None
    pages = loc.get("pages") or []
    return (pages[0] if pages else None), loc.get("bbox")


def build(t: dict[str, Any]) -> TableView:
    """The view of one table of a Report record (`record["tables"][i]`, a TableRecord as JSON)."""
    columns = [str(c) for c in t.get("columns") or []]
    body = [list(r) for r in t.get("rows") or []]
    total = t.get("total_row")
    ncols = max([len(columns)] + [len(r) for r in body] + [len(total or [])])
    children = {int(k) for kids in (t.get("children") or {}).values() for k in kids}
    parents = {int(p) for p in t.get("parent_rows") or []}
    grid = body + ([list(total)] if total is not None else [])
    locs = t.get("cell_locations") or []
    rows: list[Row] = []
    for r, cells in enumerate(grid):
        padded = list(cells) + [""] * (ncols - len(cells))
        row_locs = locs[r] if r < len(locs) else []
        out = []
        for c, text in enumerate(padded):
            page, bbox = _bbox(row_locs[c] if c < len(row_locs) else None)
            out.append(Cell(text or "", r, c, ["num"] if _numeric((text or "").strip()) else [], page=page, bbox=bbox))
        classes = []
        if r == len(body):
            classes.append("total-row")
        elif r in parents:
            classes.append("parent-row")
        elif r in children:
            classes.append("child-row")
        rows.append(Row(r, out, classes))
    cols = columns + [""] * (ncols - len(columns))
    pages = list((t.get("location") or {}).get("pages") or [])
    return TableView(str(t.get("id") or ""), t.get("section"), header_grid(cols, int(t.get("header_rows") or 0)),
                     rows, ncols, pages)


# --- a flag's cells ----------------------------------------------------------------------------

def _norm(s: str) -> str:
    return " ".join((s or "").split()).casefold()


def _label_rows(view: TableView, labels: list[str], col: int) -> list[int]:
    """Body rows named by `labels` (in order, each row once), whose cell in `col` is filled."""
    body = [row for row in view.rows if "total-row" not in row.classes]
    used: set[int] = set()
    found = []
    for lab in labels:
        want = _norm(lab)
        for row in body:
            if row.index in used:
                continue
            if any(_norm(c.text) == want for c in row.cells) and row.cells[col].text.strip():
                used.add(row.index)
                found.append(row.index)
                break
    return found


RelatedFn = Callable[[TableView, dict[str, Any], int | None, int | None], list[tuple[int, int]]]
RELATED: list[tuple[str, RelatedFn]] = []


def related(key: str) -> Callable[[RelatedFn], RelatedFn]:
    """Register a reader of the cells a flag's evidence names, used when `key` is in the evidence."""

    def deco(fn: RelatedFn) -> RelatedFn:
        RELATED.append((key, fn))
        return fn

    return deco


@related("rows")  # a column sum (total_mismatch): the summed rows' cells in the flag's column
def _summed_rows(view, ev, row, col):
    if col is None or not isinstance(ev.get("rows"), list):
        return []
    return [(r, col) for r in _label_rows(view, [str(x) for x in ev["rows"]], col)]


@related("part_cols")  # a row sum: the parts (and the whole, when the flag is on a part)
def _part_cols(view, ev, row, col):
    if row is None:
        return []
    cells = [(row, int(p)) for p in ev.get("part_cols") or [] if int(p) != col]
    whole = ev.get("whole_col")
    if isinstance(whole, int) and whole != col:
        cells.append((ev["parent_row"] if isinstance(ev.get("parent_row"), int) else row, whole))
    return cells


@related("child_rows")  # a parent row against its children
def _child_rows(view, ev, row, col):
    return [(int(k), col) for k in ev.get("child_rows") or []] if col is not None else []


@related("culprit_cell")  # the single cell that explains linked flags
def _culprit(view, ev, row, col):
    cc = ev.get("culprit_cell") or {}
    r, name = cc.get("row"), cc.get("column")
    if isinstance(r, int) and name is not None:
        for i, h in enumerate(_leaf_names(view)):
            if h == name:
                return [(r, i)]
    return [(r, col)] if isinstance(r, int) and col is not None else []


def _leaf_names(view: TableView) -> list[str]:
    names = [""] * view.ncols
    for hrow in view.header:
        for h in hrow:
            for c in h.cols:
                names[c] = (names[c] + SEP if names[c] else "") + h.text
    return names


def column_index(view: TableView, columns: list[str], name: str | None) -> int | None:
    if name is None:
        return None
    if name in columns:
        return columns.index(name)
    want = _norm(name)
    for i, c in enumerate(columns):
        if _norm(c) == want:
            return i
    return None


def _fmt(v: Any) -> str | None:
    if v is None or v == "":
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        from checks.messages import num

        return num(v)
    return str(v)


def highlight(view: TableView, columns: list[str], flag: Any) -> TableView:
    """Mark a flag's cells in `view` (in place): the flagged cell `hl-stated` with the computed
    (else expected) value beside it, the cells it relates to `hl-related`, its column header
    `hl-col`. When the flag's statement is in the prose (the table holds the other side), the
    table cell is `hl-related` and the table value is not repeated."""
    col = column_index(view, columns, flag.column)
    row = flag.row
    ev = flag.evidence or {}
    in_prose = bool(flag.sentence) and "cell" in ev
    if row is not None and col is not None and (cell := view.cell(row, col)) is not None:
        if in_prose:
            cell.classes.append("hl-related")
        else:
            cell.classes.append("hl-stated")
            note = _fmt(flag.computed) if flag.computed is not None else _fmt(flag.expected)
            if note is not None and note != cell.text.strip():
                cell.note = note
                cell.note_title = "computed" if flag.computed is not None else "expected"
    seen = {(row, col)}
    for key, fn in RELATED:
        if key not in ev:
            continue
        for r, c in fn(view, ev, row, col):
            if (r, c) in seen or c is None:
                continue
            seen.add((r, c))
            if (cell := view.cell(r, c)) is not None and "hl-related" not in cell.classes:
                cell.classes.append("hl-related")
    if col is not None:
        for hrow in view.header:
            for h in hrow:
                if col in h.cols:
                    h.classes.append("hl-col")
    return view
