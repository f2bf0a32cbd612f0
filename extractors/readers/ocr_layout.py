"""Find ruled tables in a page image: long dark pixel runs → ruling lines → cell grids.

Pure numpy, no OCR. `find_rulings` turns a greyscale page into horizontal and vertical line
segments (faint, dashed and slightly skewed scan lines included); `build_grids` keeps the
segments that cross each other into tables and returns each table's cell grid, a merged cell
being a run of grid positions whose separating line segment is missing. `erase_rulings` whitens
the lines so that the OCR engine does not read them as "|" or "_" and keeps cell text apart.
All coordinates are pixels of the page image, origin top-left.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np


@dataclass(frozen=True)
class Segment:
    """A ruling line: `pos` across the line (y of a horizontal one, x of a vertical one),
    `start`..`end` along it, `thick` its thickness in pixels."""

    pos: float
    start: int
    end: int
    thick: int

    @property
    def length(self) -> int:
        return self.end - self.start

    def to_list(self) -> list:
        return [round(self.pos, 1), self.start, self.end, self.thick]

    @classmethod
    def from_list(cls, v: list) -> "Segment":
        return cls(float(v[0]), int(v[1]), int(v[2]), int(v[3]))


@dataclass
class GridCell:
    row: int
    col: int
    row_span: int
    col_span: int
    box: tuple[float, float, float, float]  # x0, top, x1, bottom in pixels


@dataclass
class Grid:
    """One ruled table: column and row boundaries and its cells (merged cells once)."""

    xs: list[float]
    ys: list[float]
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


# -- thresholds ----------------------------------------------------------------------------

def dark_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels darker than the paper: a threshold below the paper's grey level that still catches
    faint, light-grey ruling lines of photocopied scans."""
    paper = float(np.percentile(gray, 90))
    return gray < max(64.0, paper - 28.0)


# -- run lengths ---------------------------------------------------------------------------

def _row_runs(mask: np.ndarray, max_gap: int) -> tuple[np.ndarray, ...]:
    """Horizontal runs of True per row, runs closer than `max_gap` joined: (row, start, end, ink)
    where `ink` counts the True pixels inside the joined run."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rs, xs = np.nonzero(d == 1)
    _, xe = np.nonzero(d == -1)
    if rs.size == 0:
        e = np.array([], dtype=np.int64)
        return e, e, e, e
    new = np.ones(rs.size, dtype=bool)
    new[1:] = (rs[1:] != rs[:-1]) | ((xs[1:] - xe[:-1]) > max_gap)
    idx = np.flatnonzero(new)
    last = np.append(idx[1:], rs.size) - 1
    ink = np.add.reduceat(xe - xs, idx)
    return rs[idx], xs[idx], xe[last], ink


def _segments(mask: np.ndarray, min_len: int, max_gap: int, min_fill: float,
              max_thick: int) -> list[Segment]:
    """Horizontal line segments of a mask (transpose it for vertical ones)."""
    rows, starts, ends, ink = _row_runs(mask, max_gap)
    length = ends - starts
    keep = (length >= min_len) & (ink >= min_fill * np.maximum(length, 1))
    rows, starts, ends = rows[keep], starts[keep], ends[keep]
    # Join runs of neighbouring rows that overlap: a thick or slightly skewed line.
    groups: list[list[int]] = []  # [row_min, row_max, start, end, weight_sum, weighted_row]
    active: list[list] = []
    for r, s, e in zip(rows.tolist(), starts.tolist(), ends.tolist()):
        active = [g for g in active if g[1] >= r - 2]
        target = None
        for g in active:
            overlap = min(e, g[3]) - max(s, g[2])
            if overlap > 0.5 * min(e - s, g[3] - g[2]) or overlap > 2 * min_len:
                target = g
                break
        n = e - s
        if target is None:
            g = [r, r, s, e, n, r * n]
            groups.append(g)
            active.append(g)
        else:
            target[1] = r
            target[2], target[3] = min(s, target[2]), max(e, target[3])
            target[4] += n
            target[5] += r * n
    out = []
    for r0, r1, s, e, wsum, wrow in groups:
        thick = r1 - r0 + 1
        if wsum > max_thick * (e - s):
            continue  # ink many rows deep (text, a stamp, a photo), not a line: a skewed line
            # spreads over several rows too but has one line's worth of ink per column
        out.append(Segment(pos=wrow / wsum, start=s, end=e, thick=thick))
    return out


def find_rulings(gray: np.ndarray, dpi: int = 300) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling-line candidates of a greyscale page image."""
    mask = dark_mask(gray)
    gap = max(3, dpi // 20)  # dashed or broken scan lines
    max_thick = max(4, dpi // 25)
    hs = _segments(mask, min_len=max(20, dpi // 4), max_gap=gap, min_fill=0.55, max_thick=max_thick)
    vs = _segments(mask.T, min_len=max(15, dpi // 6), max_gap=max(2, dpi // 60), min_fill=0.7,
                   max_thick=max_thick)
    hs = [s for s in hs if _isolated(mask, s, dpi)]
    return hs, vs


def _isolated(mask: np.ndarray, s: Segment, dpi: int) -> bool:
    """A ruling line has blank paper just above or below it; a row of text (whose letters were
    joined by the gap tolerance) has ink on both sides."""
    band = max(3, dpi // 60)
    half = s.thick / 2 + 2
    y0, y1 = int(s.pos - half), int(s.pos + half) + 1
    above = mask[max(0, y0 - band):max(0, y0), s.start:s.end]
    below = mask[y1:y1 + band, s.start:s.end]
    dens = [float(a.mean()) if a.size else 0.0 for a in (above, below)]
    return min(dens) < 0.12


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


def _covered(segs: list[Segment], pos: float, a: float, b: float, tol: float) -> float:
    """Share of the interval a..b covered by segments lying at `pos`."""
    iv = sorted((max(a, s.start - tol), min(b, s.end + tol)) for s in segs if abs(s.pos - pos) <= tol + s.thick / 2)
    total, cur = 0.0, a
    for s, e in iv:
        if e <= cur:
            continue
        total += e - max(s, cur)
        cur = e
    return total / max(b - a, 1e-6)


def build_grids(hs: list[Segment], vs: list[Segment], dpi: int = 300) -> tuple[list[Grid], list[Segment], list[Segment]]:
    """Tables made of crossing segments: (grids, the horizontal and vertical segments used)."""
    tol = max(4.0, dpi / 30)
    hs, vs = list(hs), list(vs)
    # Keep only segments crossing at least two of the other direction, until stable.
    while True:
        touch = [[j for j, v in enumerate(vs) if _touch(h, v, tol + v.thick / 2 + h.thick / 2)] for h in hs]
        keep_h = [i for i, t in enumerate(touch) if len(t) >= 2]
        vcount = [0] * len(vs)
        for i in keep_h:
            for j in touch[i]:
                vcount[j] += 1
        keep_v = [j for j in range(len(vs)) if vcount[j] >= 2]
        if len(keep_h) == len(hs) and len(keep_v) == len(vs):
            break
        hs = [hs[i] for i in keep_h]
        vs = [vs[j] for j in keep_v]
    if len(hs) < 2 or len(vs) < 2:
        return [], [], []
    # Connected components of the crossing graph: one per table.
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
    grids = []
    used_h: list[Segment] = []
    used_v: list[Segment] = []
    for ch, cv in comps.values():
        if len(ch) < 2 or len(cv) < 2:
            continue
        g = _grid(ch, cv, tol)
        if g is not None:
            grids.append(g)
            used_h.extend(ch)
            used_v.extend(cv)
    grids.sort(key=lambda g: (g.ys[0], g.xs[0]))
    return grids, used_h, used_v


def _grid(hs: list[Segment], vs: list[Segment], tol: float) -> Grid | None:
    xs = _cluster([v.pos for v in vs], tol)
    ys = _cluster([h.pos for h in hs], tol)
    # Open sides (no outer border): the other direction's extent is the table's edge.
    left, right = min(h.start for h in hs), max(h.end for h in hs)
    top, bottom = min(v.start for v in vs), max(v.end for v in vs)
    if left < xs[0] - 3 * tol:
        xs.insert(0, float(left))
    if right > xs[-1] + 3 * tol:
        xs.append(float(right))
    if top < ys[0] - 3 * tol:
        ys.insert(0, float(top))
    if bottom > ys[-1] + 3 * tol:
        ys.append(float(bottom))
    nr, nc = len(ys) - 1, len(xs) - 1
    if nr < 1 or nc < 1:
        return None
    # A boundary between two grid positions is there when line segments cover most of it.
    v_open = [[_covered(vs, xs[c], ys[r], ys[r + 1], tol) < 0.5 for c in range(1, nc)] for r in range(nr)]
    h_open = [[_covered(hs, ys[r], xs[c], xs[c + 1], tol) < 0.5 for c in range(nc)] for r in range(1, nr)]
    # Drop rows/columns that are slivers (a doubled line) by merging them into their neighbour.
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
            if v_open[r][c]:
                union((r, c), (r, c + 1))
    for r in range(nr - 1):
        for c in range(nc):
            if h_open[r][c]:
                union((r, c), (r + 1, c))
    regions: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for k in parent:
        regions.setdefault(find(k), []).append(k)
    cells = []
    taken: set[tuple[int, int]] = set()
    for members in sorted(regions.values(), key=lambda m: min(m)):
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        cover = {(r, c) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)}
        if cover & taken:  # a non-rectangular region overlapping another: keep its own cells
            for r, c in sorted(members):
                if (r, c) not in taken:
                    taken.add((r, c))
                    cells.append(GridCell(r, c, 1, 1, (xs[c], ys[r], xs[c + 1], ys[r + 1])))
            continue
        taken |= cover
        cells.append(GridCell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, (xs[c0], ys[r0], xs[c1 + 1], ys[r1 + 1])))
    cells.sort(key=lambda c: (c.row, c.col))
    return Grid(xs=xs, ys=ys, cells=cells)


def erase_rulings(gray: np.ndarray, hs: list[Segment], vs: list[Segment], dpi: int = 300) -> np.ndarray:
    """A copy of the page with the given ruling lines painted paper-white."""
    out = gray.copy()
    pad = max(1, dpi // 150)
    h, w = out.shape
    for s in hs:
        y0 = max(0, int(s.pos - s.thick / 2) - pad)
        y1 = min(h, int(s.pos + s.thick / 2) + pad + 1)
        out[y0:y1, max(0, s.start - pad):min(w, s.end + pad)] = 255
    for s in vs:
        x0 = max(0, int(s.pos - s.thick / 2) - pad)
        x1 = min(w, int(s.pos + s.thick / 2) + pad + 1)
        out[max(0, s.start - pad):min(h, s.end + pad), x0:x1] = 255
    return out
