"""Ruled tables from line segments: which lines make a table, its grid and its merged cells.

`find_tables` is the entry point. `table_segments` keeps the segments that cross each other
(one group per table); `make_grid` turns a group into column and row boundaries and marks each
boundary piece drawn or open, a merged cell being a run of grid positions whose separating line
piece is missing. A table's faded parts are recovered from the page image: `outer_borders` (a
faint outer border the row lines do not reach) and `faint_rulings` (row lines too faint or worn
for `find_rulings`, or faded in some columns). Coordinates are page pixels.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from extractors.readers.ocr.rulings import Segment


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


@dataclass
class Grid:
    """One ruled table: column and row boundaries, which boundary pieces are missing (open), and
    the cells those make (a merged cell once, at its top-left grid position)."""

    xs: list[float]
    ys: list[float]
    v_open: list[list[bool]] = field(default_factory=list)  # [row][col-1]: no line left of col
    h_open: list[list[bool]] = field(default_factory=list)  # [row-1][col]: no line above row
    cells: list[GridCell] = field(default_factory=list)

    @property
    def n_rows(self) -> int:
        return len(self.ys) - 1

    @property
    def n_cols(self) -> int:
        return len(self.xs) - 1

    @property
    def box(self) -> tuple[float, float, float, float]:
        return self.xs[0], self.ys[0], self.xs[-1], self.ys[-1]

    def locate(self, x: float, y: float) -> tuple[int, int] | None:
        """The grid position (row, col) holding the point, None outside the table."""
        if not (self.xs[0] <= x < self.xs[-1] and self.ys[0] <= y < self.ys[-1]):
            return None
        c = int(np.searchsorted(self.xs, x, side="right")) - 1
        r = int(np.searchsorted(self.ys, y, side="right")) - 1
        return min(r, self.n_rows - 1), min(c, self.n_cols - 1)

    def cell_at(self, row: int, col: int) -> GridCell | None:
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None

    def merge_cells(self) -> None:
        """Rebuild `cells`: grid positions joined wherever the boundary between them is open;
        a region that is not a rectangle keeps its positions as single cells."""
        nr, nc = self.n_rows, self.n_cols
        parent = {(r, c): (r, c) for r in range(nr) for c in range(nc)}

        def find(k):
            while parent[k] != k:
                parent[k] = parent[parent[k]]
                k = parent[k]
            return k

        def union(a, b):
            ra, rb = find(a), find(b)
            if ra != rb:
                parent[max(ra, rb)] = min(ra, rb)

        for r in range(nr):
            for c in range(nc - 1):
                if self.v_open[r][c]:
                    union((r, c), (r, c + 1))
        for r in range(nr - 1):
            for c in range(nc):
                if self.h_open[r][c]:
                    union((r, c), (r + 1, c))
        regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
        for k in parent:
            regions.setdefault(find(k), []).append(k)
        xs, ys = self.xs, self.ys
        cells: list[GridCell] = []
        taken: set[tuple[int, int]] = set()
        for members in sorted(regions.values(), key=min):
            r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
            c0, c1 = min(c for _, c in members), max(c for _, c in members)
            cover = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
            if len(cover) != len(members) or cover & taken:
                for r, c in sorted(members):
                    if (r, c) not in taken:
                        taken.add((r, c))
                        cells.append(GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])))
                continue
            taken |= cover
            cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
        cells.sort(key=lambda c: (c.row, c.col))
        self.cells = cells


# -- grids ---------------------------------------------------------------------------------

def _touch(h: Segment, v: Segment, tol: float) -> bool:
    return (v.start - tol <= h.pos <= v.end + tol) and (h.start - tol <= v.pos <= h.end + tol)


def _cluster(values: list[float], tol: float) -> list[float]:
    """Sorted values closer than `tol` merged into their mean."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(c) / len(c) for c in out]


def _boundaries(segs: list[Segment], tol: float, min_gap: float) -> list[float]:
    """Line positions clustered into boundaries; boundaries closer than `min_gap` (a doubled
    border, a scanner's edge shadow beside the border) keep the one with more line length."""
    weight: dict[float, float] = {}
    for pos in _cluster([s.pos for s in segs], tol):
        weight[pos] = sum(s.length for s in segs if abs(s.pos - pos) <= tol + s.thick / 2)
    out: list[float] = []
    for pos in sorted(weight):
        if out and pos - out[-1] < min_gap:
            if weight[pos] > weight[out[-1]]:
                out[-1] = pos
            continue
        out.append(pos)
    return out


def _covered(segs: list[Segment], pos: float, a: float, b: float, tol: float) -> float:
    """Share of the interval a..b covered by segments lying at `pos`."""
    iv = sorted((max(a, s.start - tol), min(b, s.end + tol)) for s in segs
                if abs(s.pos - pos) <= tol + s.thick / 2)
    total, cur = 0.0, a
    for s, e in iv:
        if e <= cur:
            continue
        total += e - max(s, cur)
        cur = e
    return total / max(b - a, 1e-6)


def table_segments(hs: list[Segment], vs: list[Segment], dpi: int = 300) -> list[tuple[list[Segment], list[Segment]]]:
    """The segments that make up tables, one (horizontal, vertical) pair per table: lines that
    cross at least two of the other direction; a vertical one must also end on a horizontal one
    (both ends when it is short: a letter's stem standing on a cell border is not a line)."""
    tol = max(4.0, dpi / 30)
    hs, vs = list(hs), list(vs)
    touch: list[list[int]] = []
    while True:
        touch = [[j for j, v in enumerate(vs) if _touch(h, v, tol + v.thick / 2 + h.thick / 2)] for h in hs]
        keep_h = [i for i, t in enumerate(touch) if len(t) >= 2]
        ends = [[False, False] for _ in vs]
        count = [0] * len(vs)
        for i in keep_h:
            for j in touch[i]:
                d = tol / 2 + hs[i].thick / 2
                count[j] += 1
                ends[j][0] |= abs(hs[i].pos - vs[j].start) <= d
                ends[j][1] |= abs(hs[i].pos - vs[j].end) <= d
        keep_v = [j for j in range(len(vs)) if count[j] >= 2 and (all(ends[j]) or vs[j].length >= dpi / 2)]
        if len(keep_h) == len(hs) and len(keep_v) == len(vs):
            break
        hs = [hs[i] for i in keep_h]
        vs = [vs[j] for j in keep_v]
    if len(hs) < 2 or len(vs) < 2:
        return []
    parent = list(range(len(hs) + len(vs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, row in enumerate(touch):
        for j in row:
            parent[find(i)] = find(len(hs) + j)
    comps: dict[int, tuple[list[Segment], list[Segment]]] = {}
    for i, h in enumerate(hs):
        comps.setdefault(find(i), ([], []))[0].append(h)
    for j, v in enumerate(vs):
        comps.setdefault(find(len(hs) + j), ([], []))[1].append(v)
    out = [c for c in comps.values() if len(c[0]) >= 2 and len(c[1]) >= 2]
    out.sort(key=lambda c: (min(h.pos for h in c[0]), min(v.pos for v in c[1])))
    return out


def _open_edge(ends: list[int], inner: float, tol: float, low: bool) -> float | None:
    """An open side's edge (a table drawn without its outer border): where at least two lines
    of the other direction stop beyond the outermost line; the farthest of them, so that the
    edge holds the text they frame."""
    beyond = [e for e in ends if (e < inner - 3 * tol if low else e > inner + 3 * tol)]
    if len(beyond) < 2:
        return None
    return float(min(beyond) if low else max(beyond))


def make_grid(hs: list[Segment], vs: list[Segment], dpi: int = 300) -> Grid | None:
    """One table's grid from its segments: boundaries, then which boundary pieces are drawn."""
    tol = max(4.0, dpi / 30)
    xs = _boundaries(vs, tol, dpi / 12)
    ys = _boundaries(hs, tol, dpi / 12)
    left = _open_edge([h.start for h in hs], xs[0], tol, low=True)
    right = _open_edge([h.end for h in hs], xs[-1], tol, low=False)
    top = _open_edge([v.start for v in vs], ys[0], tol, low=True)
    bottom = _open_edge([v.end for v in vs], ys[-1], tol, low=False)
    if left is not None:
        xs.insert(0, float(left))
    if right is not None:
        xs.append(float(right))
    if top is not None:
        ys.insert(0, float(top))
    if bottom is not None:
        ys.append(float(bottom))
    if len(xs) < 2 or len(ys) < 2:
        return None
    g = Grid(xs=xs, ys=ys)
    nr, nc = g.n_rows, g.n_cols
    g.v_open = [[_covered(vs, xs[c], ys[r], ys[r + 1], tol) < 0.5 for c in range(1, nc)] for r in range(nr)]
    g.h_open = [[_covered(hs, ys[r], xs[c], xs[c + 1], tol) < 0.5 for c in range(nc)] for r in range(1, nr)]
    g.merge_cells()
    return g


def build_grids(hs: list[Segment], vs: list[Segment], dpi: int = 300) -> list[Grid]:
    """Every ruled table of a page, top to bottom."""
    grids = [make_grid(h, v, dpi) for h, v in table_segments(hs, vs, dpi)]
    return [g for g in grids if g is not None]


def outer_borders(grid: Grid, vs: list[Segment], dpi: int = 300) -> list[Segment]:
    """A table drawn with faint outer borders: the vertical line just outside its left or right
    edge (within 15% of its width) whose pieces run along most of its height, which the rows'
    lines, fading towards the edge, did not reach. Returns that line's pieces."""
    x0, y0, x1, y1 = grid.box
    tol = max(4.0, dpi / 30)
    reach = 0.15 * (x1 - x0)
    out: list[Segment] = []
    for side in (-1, 1):
        edge = x0 if side < 0 else x1
        outside = [v for v in vs if tol < (edge - v.pos) * -side <= reach]
        best, best_cover = None, 0.6
        for v in outside:
            cover = _covered(outside, v.pos, y0, y1, tol)
            if cover >= best_cover:
                best, best_cover = v, cover
        if best is not None:
            out.extend(v for v in outside if abs(v.pos - best.pos) <= tol + v.thick / 2)
    return out


def faint_rulings(gray: np.ndarray, grid: Grid, dpi: int = 300,
                  candidates: list[Segment] = ()) -> list[Segment]:
    """Horizontal lines too faint or worn to make the table on their own (faded photocopies),
    looked for column by column inside a found table: a line segment from `find_rulings`
    (`candidates`) covering half the column, or a thin band whose ink covers most of the
    column's width, blank just above and below. A piece that completes a known row boundary is
    kept; a new boundary needs the same line in two columns or in a column of at least 40% of
    the table's width. Returned as segments one column wide."""
    paper = float(np.percentile(gray[::3, ::3], 90))  # a ninth of the pixels: as good, much faster
    x0, y0, x1, y1 = (int(round(v)) for v in grid.box)
    dark = gray[y0:y1, x0:x1] < paper - 10
    half = max(2, dpi // 40)  # half band: a line plus its drift across the column
    side = max(3, dpi // 60)
    pad = max(4, dpi // 30)
    tol = max(4.0, dpi / 30)
    width = max(x1 - x0, 1)
    known: list[Segment] = []
    new: dict[int, list[tuple[int, int]]] = {}  # candidate y -> [(col, y)]
    for c in range(grid.n_cols):
        a, b = int(grid.xs[c] - x0) + pad, int(grid.xs[c + 1] - x0) - pad
        if b - a < dpi // 10:
            continue
        found: list[int] = []  # y of lines in this column (page pixels)
        for sg in candidates:
            if y0 - tol <= sg.pos <= y1 + tol and \
                    min(sg.end, grid.xs[c + 1]) - max(sg.start, grid.xs[c]) >= 0.5 * (grid.xs[c + 1] - grid.xs[c]):
                found.append(int(round(sg.pos)))
        sub = dark[:, a:b]
        n = sub.shape[0]
        prof = sub.mean(axis=1)
        pcum = np.concatenate([[0.0], np.cumsum(prof)])
        rcum = np.concatenate([np.zeros((1, sub.shape[1]), dtype=np.int32), np.cumsum(sub, axis=0, dtype=np.int32)])
        ys = np.arange(half, n - half - 1)
        cover = ((rcum[ys + half + 1] - rcum[ys - half]) > 0).mean(axis=1)
        for y in np.flatnonzero(cover >= 0.6).tolist():
            y += half
            lo, hi = y - half, y + half + 1
            if prof[y] < prof[lo:hi].max():
                continue
            ink = pcum[hi] - pcum[lo]
            if ink > (dpi / 30) * prof[y]:
                continue  # ink spread over many rows: text, not a line
            above = (pcum[lo] - pcum[max(0, lo - side)]) / side
            below = (pcum[min(n, hi + side)] - pcum[hi]) / side
            if max(above, below) >= 0.04:
                continue
            found.append(y0 + y)
        for yy in found:
            k = min(range(len(grid.ys)), key=lambda i: abs(grid.ys[i] - yy))
            if abs(grid.ys[k] - yy) <= tol + half:
                known.append(Segment(float(grid.ys[k]), int(grid.xs[c]), int(grid.xs[c + 1]), 1))
            elif grid.ys[0] < yy < grid.ys[-1]:
                new.setdefault(c, []).append((c, yy))
    # Open pieces of known boundaries with a trace of a line (a faded stretch, maybe drifted by
    # the skew): near the boundary, a thin darker band with blank paper a few pixels above and
    # below it (text near a boundary spreads its ink over many rows).
    near, gap = int(max(5, dpi // 20)), int(max(3, dpi // 40))
    for k in range(grid.n_rows - 1):
        y = int(round(grid.ys[k + 1])) - y0
        lo, hi = max(0, y - near - gap), min(dark.shape[0], y + near + gap + 1)
        for c in range(grid.n_cols):
            if not grid.h_open[k][c]:
                continue
            a, b = int(grid.xs[c] - x0) + pad, int(grid.xs[c + 1] - x0) - pad
            if b - a < dpi // 20:
                continue
            frac = dark[lo:hi, a:b].mean(axis=1)
            i0, i1 = max(0, y - near - lo), min(frac.size, y + near + 1 - lo)
            if i1 <= i0:
                continue
            p = i0 + int(np.argmax(frac[i0:i1]))
            peak = float(frac[p])
            around = max(frac[p - gap] if p - gap >= 0 else 0.0, frac[p + gap] if p + gap < frac.size else 0.0)
            if peak >= 0.1 and around <= 0.4 * peak:
                known.append(Segment(float(grid.ys[k + 1]), int(grid.xs[c]), int(grid.xs[c + 1]), 1))
    # New boundaries: the same line in two columns, or in one wide column.
    cands = sorted({(yy, c) for lst in new.values() for c, yy in lst})
    out = list({(s.pos, s.start): s for s in known}.values())
    i = 0
    while i < len(cands):
        j = i
        while j + 1 < len(cands) and cands[j + 1][0] - cands[i][0] <= tol + half:
            j += 1
        group = cands[i:j + 1]
        cols = {c for _, c in group}
        wide = any(grid.xs[c + 1] - grid.xs[c] >= 0.4 * width for c in cols)
        if len(cols) >= 2 or wide:
            pos = float(np.mean([yy for yy, _ in group]))
            out.extend(Segment(pos, int(grid.xs[c]), int(grid.xs[c + 1]), 1) for c in sorted(cols))
        i = j + 1
    return out


def find_tables(gray: np.ndarray, hs: list[Segment], vs: list[Segment], dpi: int = 300
                ) -> list[tuple[list[Segment], list[Segment], Grid]]:
    """Every ruled table of a page: (its horizontal and vertical segments, faint ones added;
    its grid). A faint outer border is taken in first, then faint row lines (twice: the second
    look runs along the boundaries the first one added)."""
    found = []
    for th, tv in table_segments(hs, vs, dpi):
        grid = make_grid(th, tv, dpi)
        if grid is None:
            continue
        border = outer_borders(grid, vs, dpi)
        if border:
            tv = tv + border
            grid = make_grid(th, tv, dpi) or grid
        faint: list[Segment] = []
        for _ in range(2):
            more = [s for s in faint_rulings(gray, grid, dpi, candidates=hs) if s not in faint]
            if not more:
                break
            faint += more
            grid = make_grid(th + faint, tv, dpi) or grid
        found.append((th + faint, tv, grid))
    return found
