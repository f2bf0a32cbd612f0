"""Bordered tables in a text PDF: found from ruling lines, laid on a grid, with merged cells.

`find_grids(page)` runs pdfplumber's table finder on the page's *visible rulings* only (stroked
lines and rectangles, and thin filled rectangles, which is how Word draws borders); white or
large filled rectangles (highlighting, chart bars) are ignored, so shaded text and bar charts do
not become tables. Each table's column/row boundaries are the distinct cell edges; a cell whose
box covers several boundaries is a merged cell with row/col spans. `assign_chars` hands every
character to the cell under its centre. `continues(prev, nxt)` tells whether a table at the top
of a page carries on the one at the bottom of the previous page.
"""
from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

SNAP = 2.0  # points: cell edges closer than this are one boundary
THIN = 3.0  # a filled rectangle thinner than this (points) is a drawn rule


@dataclass(slots=True)
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    bbox: tuple[float, float, float, float]
    chars: list[dict] = field(default_factory=list)
    lines: list = field(default_factory=list)  # the cell's text lines, once read


@dataclass(slots=True)
class Grid:
    """A bordered table found on one page, before its text is read."""

    page: int
    bbox: tuple[float, float, float, float]
    xs: list[float]  # column boundaries, n_cols + 1
    ys: list[float]  # row boundaries, n_rows + 1
    cells: list[GridCell]
    cover: dict[tuple[int, int], int]  # (row, col) → index into cells
    ruled: bool = True  # drawn with rules; False: found from the alignment of its words
    gutters: list[tuple[float, float]] | None = None  # borderless: the blank stretches between columns

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    def cell_at_point(self, x: float, y: float) -> GridCell | None:
        c = bisect_right(self.xs, x) - 1
        r = bisect_right(self.ys, y) - 1
        if 0 <= c < self.n_cols and 0 <= r < self.n_rows:
            i = self.cover.get((r, c))
            return self.cells[i] if i is not None else None
        return None


def _is_white(color) -> bool:
    if color is None:
        return False
    if isinstance(color, (int, float)):
        return color >= 0.95
    vals = [v for v in color if isinstance(v, (int, float))]
    if len(vals) == 4:  # CMYK
        return all(v <= 0.05 for v in vals)
    return bool(vals) and all(v >= 0.95 for v in vals)


def rulings(page) -> list[dict]:
    """The page's visible drawn rules: lines, stroked rectangles, thin filled rectangles."""
    out: list[dict] = []
    for ln in page.lines:
        if _is_white(ln.get("stroking_color")):
            continue
        out.append(ln)
    for r in page.rects:
        thin = min(r["width"], r["height"]) <= THIN
        if r.get("stroke") and not _is_white(r.get("stroking_color")):
            out.append(r)
        elif r.get("fill") and thin and not _is_white(r.get("non_stroking_color")):
            out.append(r)
    return out


COLUMN_MIN = 6.0  # points


def _cluster(values: list[float], snap: float = SNAP) -> list[float]:
    values = sorted(values)
    out: list[list[float]] = []
    for v in values:
        if out and v - out[-1][-1] <= snap:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(g) / len(g) for g in out]


def _index(bounds: list[float], v: float) -> int:
    best, bd = 0, 1e9
    for i, b in enumerate(bounds):
        d = abs(b - v)
        if d < bd:
            best, bd = i, d
    return best


def _grid(page_no: int, cells: list[tuple[float, float, float, float]]) -> Grid | None:
    # a "column" narrower than COLUMN_MIN holds no text: two rules drawn a little apart
    xs = _cluster([c[0] for c in cells] + [c[2] for c in cells], max(SNAP, COLUMN_MIN))
    ys = _cluster([c[1] for c in cells] + [c[3] for c in cells])
    if len(xs) < 3 or len(ys) < 2:  # a single box is no table (a row of boxes may be a table's
        return None                 # continuation: a row broken across the page end)
    gcells: list[GridCell] = []
    cover: dict[tuple[int, int], int] = {}
    for bb in sorted(cells, key=lambda b: (round(b[1], 1), b[0])):
        c0, c1 = _index(xs, bb[0]), _index(xs, bb[2])
        r0, r1 = _index(ys, bb[1]), _index(ys, bb[3])
        if c1 <= c0 or r1 <= r0 or (r0, c0) in cover:
            continue
        i = len(gcells)
        gcells.append(GridCell(r0, c0, r1 - r0, c1 - c0, bb))
        for r in range(r0, r1):
            for c in range(c0, c1):
                cover.setdefault((r, c), i)
    gcells.sort(key=lambda g: (g.row, g.col))
    x0, top, x1, bottom = xs[0], ys[0], xs[-1], ys[-1]
    return Grid(page_no, (x0, top, x1, bottom), xs, ys, gcells, _cover(gcells))


def _cover(cells: list[GridCell]) -> dict[tuple[int, int], int]:
    """(row, col) → the index of the cell that covers it (the first, where two overlap)."""
    cover: dict[tuple[int, int], int] = {}
    for i, g in enumerate(cells):
        for r in range(g.row, g.row + g.row_span):
            for c in range(g.col, g.col + g.col_span):
                cover.setdefault((r, c), i)
    return cover


def find_grids(page, page_no: int) -> list[Grid]:
    """Bordered tables on a page (empty when the page has too few rulings to make one)."""
    objs = rulings(page)
    if len(objs) < 2:
        return []
    from pdfplumber.utils import obj_to_edges

    has_v = has_h = False
    for o in objs:
        for e in obj_to_edges(o):
            if e["orientation"] == "v":
                has_v = True
            else:
                has_h = True
        if has_v and has_h:
            break
    if not (has_v and has_h):
        return []
    settings = {
        "vertical_strategy": "explicit",
        "horizontal_strategy": "explicit",
        "explicit_vertical_lines": objs,
        "explicit_horizontal_lines": objs,
    }
    try:
        tables = page.find_tables(settings)
    except ValueError:
        return []
    vs = [e for o in objs for e in obj_to_edges(o) if e["orientation"] == "v"]
    grids = []
    for t in tables:
        g = _grid(page_no, t.cells)
        if g is not None:
            grids.append(_open_edges(g, vs))
    return grids


_OPEN_MIN = 6.0  # points a column's rules must run past the table's outer rule to make a row


def _open_edges(g: Grid, vs: list[dict]) -> Grid:
    """A row drawn without its outer rule: a table continued at the top of a page, or cut at its
    foot, whose first (last) row has its column rules but no rule above (below) it. Where at
    least two of the table's column rules run on past its top (bottom) rule, to about the same
    point, that stretch is one more row."""
    def ends(top: bool) -> list[float]:
        out = []
        for e in vs:
            if not any(abs(e["x0"] - x) <= 2.0 for x in g.xs):
                continue
            if top and e["bottom"] >= g.ys[0] - 1 and e["top"] < g.ys[0] - _OPEN_MIN:
                out.append(float(e["top"]))
            if not top and e["top"] <= g.ys[-1] + 1 and e["bottom"] > g.ys[-1] + _OPEN_MIN:
                out.append(float(e["bottom"]))
        return out

    for top in (True, False):
        found = ends(top)
        if len(found) < 2:
            continue
        edge = max(found) if top else min(found)  # the row the rules frame, all of them
        if sum(abs(f - edge) <= 3.0 for f in found) < 2:
            continue
        if top:
            g.ys.insert(0, edge)
            for c in g.cells:
                c.row += 1
            new = [GridCell(0, c, 1, 1, (g.xs[c], edge, g.xs[c + 1], g.ys[1])) for c in range(g.n_cols)]
            g.cells[:0] = new
        else:
            g.ys.append(edge)
            r = g.n_rows - 1
            g.cells.extend(GridCell(r, c, 1, 1, (g.xs[c], g.ys[-2], g.xs[c + 1], edge)) for c in range(g.n_cols))
        g.cover = _cover(g.cells)
        g.bbox = (g.xs[0], g.ys[0], g.xs[-1], g.ys[-1])
    return g


def assign_chars(grids: list[Grid], chars: list[dict]) -> list[dict]:
    """Give every character whose centre lies in a table cell to that cell; return the rest."""
    if not grids:
        return chars
    rest = []
    boxes = [g.bbox for g in grids]
    for ch in chars:
        x = (ch["x0"] + ch["x1"]) / 2
        y = (ch["top"] + ch["bottom"]) / 2
        for g, (x0, t, x1, b) in zip(grids, boxes):
            if x0 <= x < x1 and t <= y < b:
                cell = g.cell_at_point(x, y)
                if cell is not None:
                    cell.chars.append(ch)
                    break
        else:
            rest.append(ch)
    return rest


def horizontal_rules(page, grids: list[Grid]) -> list[tuple[float, float, float]]:
    """The page's horizontal rules outside ruled tables, as (x0, x1, y): the rules of a table
    drawn without vertical lines."""
    out = []
    for o in rulings(page):
        x0, x1, top, bottom = o["x0"], o["x1"], o["top"], o["bottom"]
        if x1 - x0 < 3 * THIN:
            continue
        ys = [(top + bottom) / 2] if bottom - top <= THIN else [top, bottom]
        for y in ys:
            if not any(g.bbox[0] - SNAP <= x0 and x1 <= g.bbox[2] + SNAP
                       and g.bbox[1] - SNAP <= y <= g.bbox[3] + SNAP for g in grids):
                out.append((x0, x1, y))
    return out


def has_text(g: Grid) -> bool:
    """A table has text in its cells (ruled chart backgrounds do not)."""
    return any(not ch["text"].isspace() for c in g.cells for ch in c.chars)


def continues(prev: Grid, nxt: Grid) -> bool:
    """`nxt` (at the top of a page) carries on `prev` (at the foot of the page before): the same
    columns; a borderless table's boundaries are estimated from its words, so within a wider
    tolerance."""
    if prev.ruled and nxt.ruled:
        return same_columns(prev.xs, nxt.xs)
    if prev.ruled != nxt.ruled:
        return False
    return same_columns(prev.xs[1:-1], nxt.xs[1:-1], 12.0) and len(prev.xs) == len(nxt.xs)


def same_columns(a_xs: list[float], b_xs: list[float], tol: float = 4.0) -> bool:
    """Two tables have the same column layout: same count, boundaries within `tol` points."""
    return len(a_xs) == len(b_xs) and all(abs(x - y) <= tol for x, y in zip(a_xs, b_xs))
