"""Find the ruling lines of a scanned page: long dark pixel runs → line segments.

Pure numpy. `find_rulings` turns a greyscale page into horizontal and vertical line segments
(faint, dashed and slightly skewed scan lines included, rows of text and dark blobs left out);
`estimate_skew`/`deskew` straighten a page first; `erase_rulings` whitens table lines so that
the OCR engine does not read them as "|" or "_" and keeps cell text apart; `trim_cell` prepares
a cell's image for OCR. All coordinates are pixels of the page image, origin top-left.
"""
from __future__ import annotations

from dataclasses import dataclass

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


# -- thresholds ----------------------------------------------------------------------------

def dark_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels darker than the paper: a threshold below the paper's grey level that still catches
    faint, light-grey ruling lines of photocopied scans."""
    paper = float(np.percentile(gray[::3, ::3], 90))  # a ninth of the pixels: as good, much faster
    return gray < max(64.0, paper - 28.0)


# -- run lengths ---------------------------------------------------------------------------

def row_runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every horizontal run of True in a boolean image: (row, start, end) arrays, end exclusive."""
    h, w = mask.shape
    padded = np.zeros((h, w + 2), dtype=np.int8)
    padded[:, 1:-1] = mask
    d = np.diff(padded, axis=1)
    rs, xs = np.nonzero(d == 1)
    _, xe = np.nonzero(d == -1)
    return rs, xs, xe


def _row_runs(mask: np.ndarray, max_gap: int) -> tuple[np.ndarray, ...]:
    """Horizontal runs of True per row, runs closer than `max_gap` joined: (row, start, end, ink)
    where `ink` counts the True pixels inside the joined run."""
    rs, xs, xe = row_runs(mask)
    if rs.size == 0:
        e = np.array([], dtype=np.int64)
        return e, e, e, e
    new = np.ones(rs.size, dtype=bool)
    new[1:] = (rs[1:] != rs[:-1]) | ((xs[1:] - xe[:-1]) > max_gap)
    idx = np.flatnonzero(new)
    last = np.append(idx[1:], rs.size) - 1
    ink = np.add.reduceat(xe - xs, idx)
    return rs[idx], xs[idx], xe[last], ink


def _groups(mask: np.ndarray, min_len: int, max_gap: int, min_fill: float) -> list[list[float]]:
    """Long horizontal runs joined across neighbouring rows when they touch: one group per thick
    or slightly skewed line. Each group: [row_min, row_max, start, end, Σlength, Σrow·length]."""
    rows, starts, ends, ink = _row_runs(mask, max_gap)
    length = ends - starts
    keep = (length >= min_len) & (ink >= min_fill * np.maximum(length, 1))
    groups: list[list[float]] = []
    active: list[list[float]] = []
    for r, s, e in zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()):
        active = [g for g in active if g[1] >= r - 2]
        for g in active:
            if min(e, g[3]) - max(s, g[2]) > -max_gap:
                g[1] = r
                g[2], g[3] = min(s, g[2]), max(e, g[3])
                break
        else:
            g = [r, r, s, e, 0, 0.0]
            groups.append(g)
            active.append(g)
        g[4] += e - s
        g[5] += (e - s) * r
    return groups


def _segments(mask: np.ndarray, min_len: int, max_gap: int, min_fill: float,
              max_thick: int) -> list[Segment]:
    """Horizontal line segments of a mask (transpose it for vertical ones)."""
    out = []
    for g in _groups(mask, min_len, max_gap, min_fill):
        r0, r1, s, e, n = int(g[0]), int(g[1]), int(g[2]), int(g[3]), g[4]
        if n > max_thick * (e - s):
            continue  # ink many rows deep (text, a stamp, a photo), not a line: a skewed line
            # spreads over several rows too but has one line's worth of ink per column
        out.append(Segment(pos=g[5] / n, start=s, end=e, thick=r1 - r0 + 1))
    return out


def estimate_skew(gray: np.ndarray, dpi: int = 300, limit: float = 3.0) -> float:
    """The rotation (degrees, counter-clockwise, as `deskew` takes it) that makes the page's text
    lines and rulings horizontal: the angle whose horizontal ink profile is sharpest, searched
    coarse (quarter degrees, a quarter-size image) then fine (0.05°, a third of the size). 0.0 when no
    angle is clearly better than none."""
    from PIL import Image

    mask = dark_mask(gray)
    if mask.sum() < 1000:
        return 0.0

    def scorer(step: int):
        img = Image.fromarray((mask[::step, ::step] * 255).astype(np.uint8))

        def score(angle: float) -> float:
            rot = np.asarray(img.rotate(angle, resample=Image.NEAREST, fillcolor=0), dtype=np.float64)
            return float(np.sum(np.diff(rot.sum(axis=1)) ** 2))
        return score

    coarse = scorer(max(1, dpi // 75))
    scores = {a: coarse(a) for a in np.arange(-limit, limit + 1e-9, 0.25).round(3)}
    best = max(scores, key=scores.get)
    fine = scorer(max(1, dpi // 100))
    base = fine(0.0)
    scores = {a: fine(a) for a in np.arange(best - 0.25, best + 0.25 + 1e-9, 0.05).round(3)}
    best = max(scores, key=scores.get)
    if abs(best) < 0.05 or scores[best] < 1.01 * base:
        return 0.0
    return float(best)


def deskew(gray: np.ndarray, angle: float) -> np.ndarray:
    """The page rotated by `angle` degrees counter-clockwise about its centre, white corners."""
    from PIL import Image

    img = Image.fromarray(gray)
    return np.asarray(img.rotate(angle, resample=Image.BILINEAR, fillcolor=255))


def find_rulings(gray: np.ndarray, dpi: int = 300) -> tuple[list[Segment], list[Segment]]:
    """Horizontal and vertical ruling-line candidates of a greyscale page image."""
    mask = dark_mask(gray)
    gap = max(3, dpi // 20)  # dashed or broken scan lines
    max_thick = max(4, dpi // 25)
    hs = _segments(mask, min_len=max(20, dpi // 4), max_gap=gap, min_fill=0.55, max_thick=max_thick)
    vs = _segments(mask.T, min_len=max(15, dpi // 6), max_gap=max(2, dpi // 60), min_fill=0.7,
                   max_thick=max_thick)
    hs = [s for s in hs if _isolated(mask, s, dpi)]
    vs = [t for t in (_trim_letters(mask, s, dpi) for s in vs) if t is not None]
    h, w = mask.shape
    edge = max(3, dpi // 100)  # the scanner's shadow along the paper edge is not a ruling
    hs = [s for s in hs if edge <= s.pos <= h - edge]
    vs = [s for s in vs if edge <= s.pos <= w - edge]
    return _join_collinear(hs, dpi), _join_collinear(vs, dpi)


def _join_collinear(segs: list[Segment], dpi: int) -> list[Segment]:
    """Pieces of one broken line (a dashed or worn scan line) joined into one segment."""
    tol, gap = max(2.0, dpi / 60), max(4, dpi // 10)
    out: list[Segment] = []
    for s in sorted(segs, key=lambda s: (round(s.pos), s.start)):
        for i, o in enumerate(out):
            near = abs(o.pos - s.pos) <= tol + (o.thick + s.thick) / 2
            if near and s.start - o.end <= gap and o.start - s.end <= gap:
                n, m = o.length, s.length
                out[i] = Segment(pos=(o.pos * n + s.pos * m) / max(n + m, 1), start=min(o.start, s.start),
                                 end=max(o.end, s.end), thick=max(o.thick, s.thick))
                break
        else:
            out.append(s)
    return out


def _trim_letters(mask: np.ndarray, s: Segment, dpi: int) -> Segment | None:
    """A vertical segment without the letters hanging on one side of it at its ends: a letter's
    stem ('h', 'K') joined to a cell border, or stems of one letter in rows above one another,
    are not a line. The segment is cut where ink clings to one side only (a line crossing it has
    ink on both sides) and keeps the span from its first to its last long piece; text touching
    a border in the middle of the line does not shorten it. None when no long piece is left."""
    b = max(3, dpi // 60)
    half = s.thick / 2 + 1
    x0, x1 = int(s.pos - half), int(s.pos + half) + 1
    rows = mask[s.start:s.end]
    if rows.shape[0] == 0:
        return None
    left = rows[:, max(0, x0 - b):max(0, x0)]
    right = rows[:, x1:x1 + b]
    lf = left.mean(axis=1) if left.shape[1] else np.zeros(rows.shape[0])
    rf = right.mean(axis=1) if right.shape[1] else np.zeros(rows.shape[0])
    attached = (np.maximum(lf, rf) > 0.4) & ~((lf > 0.6) & (rf > 0.6))
    win = max(5, dpi // 30)
    keep = np.convolve(attached.astype(float), np.ones(win) / win, mode="same") <= 0.5
    if keep.all():
        return s
    long = [(a, e) for a, e in _ink_runs(keep) if e - a >= max(15, dpi // 6)]
    if not long:
        return None
    return Segment(pos=s.pos, start=s.start + long[0][0], end=s.start + long[-1][1], thick=s.thick)


def _isolated(mask: np.ndarray, s: Segment, dpi: int) -> bool:
    """A ruling line has blank paper just above or below it; a row of text (whose letters were
    joined by the gap tolerance) has ink on both sides."""
    band = max(3, dpi // 60)
    half = s.thick / 2 + 2
    y0, y1 = int(s.pos - half), int(s.pos + half) + 1
    above = mask[max(0, y0 - band):max(0, y0), s.start:s.end]
    below = mask[y1:y1 + band, s.start:s.end]
    dens = [float(a.mean()) if a.size else 0.0 for a in (above, below)]
    return max(dens) < 0.15


def erase_rulings(gray: np.ndarray, hs: list[Segment], vs: list[Segment], dpi: int = 300) -> np.ndarray:
    """A copy of the page with the given ruling lines painted paper-white: inside each line's
    band only the pixels of long straight runs (and their grey rim), so that text touching a
    line keeps its strokes and bold capitals near a line keep their bars."""
    out = gray.copy()
    h, w = out.shape
    pad = max(2, dpi // 100)
    for segs, vertical in ((hs, False), (vs, True)):
        img = out.T if vertical else out
        lim_r, lim_c = (w, h) if vertical else (h, w)
        for s in segs:
            r0 = max(0, int(s.pos - s.thick / 2) - pad)
            r1 = min(lim_r, int(s.pos + s.thick / 2) + pad + 1)
            c0, c1 = max(0, s.start - pad), min(lim_c, s.end + pad)
            band = img[r0:r1, c0:c1]
            if band.size == 0:
                continue
            mask = band < 255 - 24
            lines = _long_run_mask(mask, max(15, dpi // 6), 2)
            grown = lines.copy()  # the grey rim of a scanned line
            grown[1:, :] |= lines[:-1, :]
            grown[:-1, :] |= lines[1:, :]
            band[grown] = 255
    return out


def _long_run_mask(mask: np.ndarray, min_len: int, max_gap: int) -> np.ndarray:
    """The pixels of horizontal runs at least `min_len` long (gaps up to `max_gap` bridged)."""
    rows, starts, ends, _ = _row_runs(mask, max_gap)
    keep = (ends - starts) >= min_len
    out = np.zeros(mask.shape, dtype=bool)
    for r, s, e in zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()):
        out[r, s:e] = True
    return out & mask


def _ink_runs(b: np.ndarray) -> list[tuple[int, int]]:
    idx = np.flatnonzero(np.diff(np.concatenate([[0], b.astype(np.int8), [0]])))
    return list(zip(idx[::2].tolist(), idx[1::2].tolist()))


def trim_cell(crop: np.ndarray, dpi: int = 300) -> tuple[np.ndarray, int, int] | None:
    """A cell's image made ready for OCR: thin leftovers of its border lines at the edges cut
    off, faint grey (a line's shadow) whitened, cropped to the ink with a white margin.
    Returns (image, x offset, y offset) of the image's origin in the crop, or None when the
    cell holds no text."""
    ink = crop < 160
    if ink.sum() < max(8, (dpi // 60) ** 2):
        return None
    thin = max(3, dpi // 75)
    rows = _ink_runs(ink.any(axis=1))
    while rows and rows[0][1] - rows[0][0] <= thin and rows[0][0] <= thin * 2:
        rows.pop(0)
    while rows and rows[-1][1] - rows[-1][0] <= thin and crop.shape[0] - rows[-1][1] <= thin * 2:
        rows.pop()
    if not rows:
        return None
    y0, y1 = rows[0][0], rows[-1][1]
    cols = _ink_runs(ink[y0:y1].any(axis=0))
    while cols and cols[0][1] - cols[0][0] <= thin and cols[0][0] <= thin * 2:
        cols.pop(0)
    while cols and cols[-1][1] - cols[-1][0] <= thin and crop.shape[1] - cols[-1][1] <= thin * 2:
        cols.pop()
    if not cols:
        return None
    x0, x1 = cols[0][0], cols[-1][1]
    if ink[y0:y1, x0:x1].sum() < max(8, (dpi // 60) ** 2):
        return None
    out = crop[y0:y1, x0:x1].copy()
    out[out > 200] = 255
    pad = max(8, dpi // 20)
    return np.pad(out, pad, constant_values=255), x0 - pad, y0 - pad
