"""Make a scanned page image fit for OCR: specks removed, sideways pages turned upright.

Pure numpy on a greyscale page (uint8, paper light). `despeckle` whitens the toner specks
and dirt of a worn photocopy: small dots standing clear of the text (a diacritic sits close
above or below its letter, a full stop or a comma right after it, so those are kept); on such a
page `clear_near_specks` then whitens the specks close to the text that no mark of the type
explains, blob by blob (`components`: size and darkness against the text's stroke and ink,
place against the letters around). `sideways` tells from the ink alone whether the text
lines run up and down (a landscape page fed portrait-wise): text lines make the ink profile
across them sharply banded, so the sharper of the row and column profiles gives the direction;
which of the two upright turns is right is left to Tesseract's orientation detection (engine).
"""
from __future__ import annotations

import numpy as np

from extractors.readers.ocr.rulings import row_runs


def levels(gray: np.ndarray) -> tuple[float, float] | None:
    """The grey of the paper and of the ink (the darkest twentieth of what is darker than the
    paper), from a ninth of the pixels; None for a blank page."""
    sample = gray[::3, ::3]
    paper = float(np.percentile(sample, 90))
    darker = sample[sample < paper - 30]
    if darker.size < 20:
        return None
    return paper, float(np.percentile(darker, 5))


def ink_mask(gray: np.ndarray) -> np.ndarray:
    """Pixels of ink: darker than the paper by a third of the paper-to-ink contrast."""
    lv = levels(gray)
    if lv is None:
        return np.zeros(gray.shape, dtype=bool)
    paper, ink = lv
    return gray < paper - 0.35 * (paper - ink)


class _Windows:
    """Sums of a 2-D array over windows around every cell, from one summed-area table."""

    def __init__(self, values: np.ndarray, pad: int):
        self.h, self.w = values.shape
        self.pad = pad
        v = np.zeros((self.h + 2 * pad + 1, self.w + 2 * pad + 1), dtype=np.int32)
        v[pad + 1:pad + 1 + self.h, pad + 1:pad + 1 + self.w] = values
        np.cumsum(v, axis=0, out=v)
        np.cumsum(v, axis=1, out=v)
        self.table = v

    def sums(self, ry: int, rx: int) -> np.ndarray:
        """For every cell, the sum over the window of half-sizes ry, rx around it."""
        h, w, p, t = self.h, self.w, self.pad, self.table
        y0, y1, x0, x1 = p - ry, p + ry + 1, p - rx, p + rx + 1
        return t[y1:y1 + h, x1:x1 + w] - t[y0:y0 + h, x1:x1 + w] - t[y1:y1 + h, x0:x0 + w] + t[y0:y0 + h, x0:x0 + w]


def _speck_blocks(gray: np.ndarray, dpi: int) -> tuple[np.ndarray, int]:
    """The specks (see the module's docstring) as blocks of a hundredth of an inch (3 pixels at
    300 dpi) holding them, and the block size. A speck: a blob small enough for a window of 7
    blocks, with no other ink within reach (a fifteenth of an inch above or below, where
    diacritics sit; a twentieth beside, where punctuation does: the full stop of "1." stays)."""
    q = max(1, dpi // 100)
    h, w = gray.shape
    lv = levels(gray)
    if lv is None:
        return np.zeros((-(-h // q), -(-w // q)), dtype=bool), q
    paper, ink_level = lv
    hq, wq = -(-h // q), -(-w // q)
    dark = np.zeros((hq * q, wq * q), dtype=bool)
    dark[:h, :w] = gray < paper - 0.35 * (paper - ink_level)
    # dark pixels per block (rows of blocks first: much faster than one 4-axis sum)
    ink = dark.reshape(hq, q, wq * q).sum(axis=1, dtype=np.int16).reshape(hq, wq, q).sum(axis=2, dtype=np.int16)
    unit = (dpi / 100) ** 2
    r = 3
    vy, vx = max(1, dpi // 15 // q), max(1, dpi // 20 // q)
    win = _Windows(ink, r + max(vy, vx))
    inner = win.sums(r, r)
    has = ink > 0
    return has & (inner <= 8 * unit) & (win.sums(r + vy, r + vx) == inner), q


def despeckle(gray: np.ndarray, dpi: int = 300) -> tuple[np.ndarray, int]:
    """The page with its specks painted paper-white (with a block around them: by definition
    nothing else is that close), and about how many specks there were."""
    blocks, q = _speck_blocks(gray, dpi)
    if not blocks.any():
        return gray, 0
    starts = blocks.copy()  # about one block per speck has none above it nor to its left
    starts[1:, :] &= ~blocks[:-1, :]
    starts[:, 1:] &= ~blocks[:, :-1]
    grown = blocks.copy()
    grown[1:, :] |= blocks[:-1, :]
    grown[:-1, :] |= blocks[1:, :]
    grown[:, 1:] |= grown[:, :-1].copy()
    grown[:, :-1] |= grown[:, 1:].copy()
    ys, xs = np.nonzero(grown)
    out = gray.copy()
    paper = int(np.percentile(gray[::3, ::3], 90))
    h, w = gray.shape
    for dy in range(q):
        for dx in range(q):
            yy, xx = ys * q + dy, xs * q + dx
            ok = (yy < h) & (xx < w)
            out[yy[ok], xx[ok]] = paper
    return out, int(starts.sum())


def banding(gray: np.ndarray) -> float:
    """How much more sharply the ink is banded across rows than across columns (>1: text lines
    run across the page; <1: they run up and down), each at its sharpest within three degrees
    (a skewed page smears its lines). Measured on a quarter-size image."""
    from PIL import Image

    step = 4
    m = ink_mask(gray[::step, ::step])
    m &= ~_long_runs(m, m.shape[1] // 8) & ~_long_runs(m.T, m.shape[0] // 8).T  # a table's rulings
    total = float(m.sum())
    if total < 50:
        return 1.0
    img = Image.fromarray(m.astype(np.uint8) * 255)

    def sharpest(im) -> float:
        best = 0.0
        for angle in np.arange(-3.0, 3.01, 0.5):
            rot = np.asarray(im.rotate(float(angle), resample=Image.NEAREST, fillcolor=0), dtype=np.float64)
            best = max(best, float(np.sum(np.diff(rot.sum(axis=1)) ** 2)))
        return best

    return sharpest(img) / max(sharpest(img.transpose(Image.Transpose.ROTATE_90)), 1e-9)


def _long_runs(mask: np.ndarray, length: int) -> np.ndarray:
    """The pixels of horizontal runs of ink at least `length` long (a ruling, not text)."""
    rs, xs, xe = row_runs(mask)
    out = np.zeros(mask.shape, dtype=bool)
    keep = (xe - xs) >= length
    for r, a, b in zip(rs[keep].tolist(), xs[keep].tolist(), xe[keep].tolist()):
        out[r, a:b] = True
    return out


SIDEWAYS = 0.5  # banding below this: the text runs up and down the page


def sideways(gray: np.ndarray) -> bool:
    """The page's text lines run up and down (a landscape page scanned portrait-wise)."""
    return banding(gray) < SIDEWAYS


def turn(gray: np.ndarray, degrees: int) -> np.ndarray:
    """The page turned clockwise by a multiple of 90 degrees."""
    k = (degrees // 90) % 4
    return np.ascontiguousarray(np.rot90(gray, -k)) if k else gray


def stretch(gray: np.ndarray) -> tuple[np.ndarray, bool]:
    """A faded page (little contrast between ink and paper) stretched so that the paper is
    white and the ink black; whether it was."""
    lv = levels(gray)
    if lv is None or lv[0] - lv[1] >= 150:
        return gray, False
    paper, ink = lv
    lut = np.clip((np.arange(256, dtype=np.float64) - ink) * 255.0 / (paper - ink), 0, 255).astype(np.uint8)
    return lut[gray], True


def drop_red(rgb: np.ndarray) -> tuple[np.ndarray, int]:
    """A colour page as greyscale with its red ink (a round seal, a red signature stamp) turned
    to paper, so that the seal is not read as text or as a number in the cell under it; and
    how many pixels were red."""
    from PIL import Image

    gray = np.array(Image.fromarray(rgb).convert("L"))
    r = rgb[..., 0]
    red = (r >= 110) & (r.astype(np.int16) - np.maximum(rgb[..., 1], rgb[..., 2]) >= 60)
    n = int(red.sum())
    if n:
        gray[red] = int(np.percentile(gray[::3, ::3], 90))
    return gray, n


def components(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The 8-connected blobs of a boolean image, by their horizontal runs: (row, start, end,
    blob) arrays, one entry a run (end exclusive), `blob` numbering the blobs from 0. Runs of
    consecutive rows touch when their spans, widened by one pixel, overlap; the blobs are the
    classes of that relation (union-find, all runs at once)."""
    w = mask.shape[1]
    rs, xs, xe = row_runs(mask)
    n = rs.size
    if n == 0:
        return rs, xs, xe, np.zeros(0, dtype=np.int64)
    wide = np.int64(w + 2)
    starts = rs.astype(np.int64) * wide + xs
    ends = rs.astype(np.int64) * wide + xe
    nxt = (rs.astype(np.int64) + 1) * wide
    lo = np.searchsorted(ends, nxt + xs, "left")  # runs of the next row ending at or after our start
    hi = np.searchsorted(starts, nxt + xe, "right")  # … and starting at or before our end
    cnt = np.maximum(hi - lo, 0)
    a = np.repeat(np.arange(n), cnt)
    b = np.arange(int(cnt.sum())) - np.repeat(np.cumsum(cnt) - cnt, cnt) + np.repeat(lo, cnt)
    parent = np.arange(n)

    def roots(p: np.ndarray) -> np.ndarray:
        while True:
            q = p[p]
            if (q == p).all():
                return p
            p = q

    while a.size:
        parent = roots(parent)
        ra, rb = parent[a], parent[b]
        differ = ra != rb
        if not differ.any():
            break
        a, b, ra, rb = a[differ], b[differ], ra[differ], rb[differ]
        np.minimum.at(parent, np.maximum(ra, rb), np.minimum(ra, rb))
    _, blob = np.unique(roots(parent), return_inverse=True)
    return rs, xs, xe, blob


def _near_specks(gray: np.ndarray, dpi: int) -> list[tuple[int, int, int, int]]:
    """The boxes (x0, y0, x1, y1) of the specks `despeckle` leaves because letters are near (a
    faded, dirty copy's dots before a heading's number or beside a word, read as '.', ':', a
    quote or a letter). A speck: a blob (`components`) that is small and
    - tiny (under half a stroke squared: less than a full stop), light (nowhere as dark as the
      ink: every mark of the type is) or round (a dot about a full stop's size),
    - clear of other ink by a ring of DPI/150 (else part of a broken letter; a light blob is
      measured in the faint ink, which joins a pale crossbar or hairline to its letter),
    - not a piece of a faint broken ruling (`_on_a_line`), and
    - where no mark of Vietnamese type sits: not over a letter (a diacritic, an i's dot, a horn:
      `_over_a_letter`), not a dot below (ink right over it), not a colon's upper dot (a dot
      like it right under it), not punctuation (a dark blob whose left neighbour stands on the
      same foot).
    Lengths are for 300 dpi, scaled to `dpi`; the stroke is the median run of ink."""
    lv = levels(gray)
    if lv is None:
        return []
    paper, ink_level = lv
    mask = gray < paper - 0.35 * (paper - ink_level)
    faint = gray < paper - 0.15 * (paper - ink_level)  # a faint ruling's pieces are joined in this
    rs, xs, xe, blob = components(mask)
    if rs.size == 0:
        return []
    f = dpi / 300
    nb = int(blob.max()) + 1
    length = xe - xs
    stroke = float(np.median(length))
    area = np.bincount(blob, weights=length, minlength=nb)
    x0 = np.full(nb, 1 << 30); np.minimum.at(x0, blob, xs)
    y0 = np.full(nb, 1 << 30); np.minimum.at(y0, blob, rs)
    x1 = np.zeros(nb, dtype=np.int64); np.maximum.at(x1, blob, xe)
    y1 = np.zeros(nb, dtype=np.int64); np.maximum.at(y1, blob, rs + 1)
    big = 2.5 * stroke
    small = (area <= 2.5 * stroke ** 2) & (x1 - x0 <= big) & (y1 - y0 <= big)
    if not small.any():
        return []
    # the darkest pixel of each small blob
    sel = small[blob]
    r_s, x_s, n_s, b_s = rs[sel], xs[sel], length[sel], blob[sel]
    rep = np.repeat(np.arange(r_s.size), n_s)
    cols = x_s[rep] + np.arange(int(n_s.sum())) - np.repeat(np.cumsum(n_s) - n_s, n_s)
    darkest = np.full(nb, 255, dtype=np.int64)
    np.minimum.at(darkest, b_s[rep], gray[r_s[rep], cols].astype(np.int64))
    light = darkest > ink_level + 0.25 * (paper - ink_level)
    h, w = mask.shape
    ring, under, side, over, colon, beside, foot, reach, band = (
        max(1, round(v * f)) for v in (2, 13, 8, 10, 30, 21, 12, 30, 8))
    wide = np.int64(w + 2)
    run_key = rs.astype(np.int64) * wide + xs

    def blob_at(y: int, x: int) -> int:
        k = int(np.searchsorted(run_key, y * wide + x, "right")) - 1
        return int(blob[k])

    out = []
    for c in np.flatnonzero(small).tolist():
        bx0, by0, bx1, by1 = int(x0[c]), int(y0[c]), int(x1[c]), int(y1[c])
        bw, bh = bx1 - bx0, by1 - by0
        tiny = area[c] < 0.5 * stroke ** 2
        round_ = max(bw, bh) <= 1.5 * min(bw, bh) and area[c] <= 2 * stroke ** 2
        if not (tiny or light[c] or round_):
            continue
        # other ink within the ring: part of a letter (a light blob, a thin crossbar or hairline,
        # may be joined to its letter by fainter ink only)
        own = 1 if light[c] else 0  # (the blob's own faint rim aside)
        near = faint if light[c] else mask
        ya, yb, xa, xb = (max(0, by0 - ring - own), min(h, by1 + ring + own), max(0, bx0 - ring - own),
                          min(w, bx1 + ring + own))
        if near[ya:yb, xa:xb].sum() > near[max(0, by0 - own):by1 + own, max(0, bx0 - own):bx1 + own].sum():
            continue
        if _on_a_line(faint, bx0, by0, bx1, by1, reach, band) or _on_a_line(faint.T, by0, bx0, by1, bx1, reach, band):
            continue
        if _over_a_letter(mask, bx0, by0, bx1, by1, under, side):
            continue
        if mask[max(0, by0 - over):by0, max(0, bx0 - 1):bx1 + 1].any():  # a dot below
            continue
        below = mask[by1:by1 + colon, max(0, bx0 - 1):bx1 + 1]
        rows_ = np.flatnonzero(below.any(axis=1))
        if rows_.size:  # the upper dot of a colon: a dot like it right under it
            k = blob_at(by1 + int(rows_[0]), max(0, bx0 - 1) + int(np.flatnonzero(below[rows_[0]])[0]))
            if small[k] and 0.5 * area[c] <= area[k] <= 2 * area[c]:
                continue
        left = mask[max(0, by0 - 2):by1 + 2, max(0, bx0 - beside):bx0]
        cols_ = np.flatnonzero(left.any(axis=0)) if not light[c] else []  # (a full stop is dark)
        if len(cols_):  # punctuation: the letter to its left stands on the same line
            cx = max(0, bx0 - beside) + int(cols_[-1])
            ys = max(0, by0 - 2) + np.flatnonzero(left[:, cols_[-1]])
            if any(abs(int(y1[blob_at(int(y), cx)]) - by1) <= foot for y in ys):
                continue
        out.append((bx0, by0, bx1, by1))
    return out


def _over_a_letter(mask: np.ndarray, x0: int, y0: int, x1: int, y1: int, under: int, side: int) -> bool:
    """The blob (box x0, y0, x1, y1) sits where a diacritic, an i's dot or a horn does: ink
    right under it within `under`, or a little to the side (over a capital's opening: 'Ủ';
    beside another mark: 'ồ'; the horn of 'ư') where nothing rises above the blob (a speck
    beside a letter's middle has the letter rising above it)."""
    w = mask.shape[1]
    if mask[y1:y1 + under, max(0, x0 - 1):x1 + 1].any():
        return True
    for xa, xb, xl, xr in ((max(0, x0 - side), x0, max(0, x0 - 3 * side), x0),
                           (x1, min(w, x1 + side), x1, min(w, x1 + 3 * side))):
        if mask[y1:y1 + under, xa:xb].any() and not mask[max(0, y0 - under):y0, xl:xr].any():
            return True
    return False


def _on_a_line(mask: np.ndarray, x0: int, y0: int, x1: int, y1: int, reach: int, band: int) -> bool:
    """The blob (box x0, y0, x1, y1) is a piece of a broken horizontal line (a faint table
    ruling): on one side of it at least, ink level with it runs along three quarters of
    `reach` and keeps to the blob's rows (letters and marks beside a speck reach `band` above
    or below them, or leave most of the way clear)."""
    h, w = mask.shape
    ya, yb = max(0, y0 - 2), min(h, y1 + 2)
    ta, tb = max(0, y0 - band), min(h, y1 + band)
    for xa, xb in ((max(0, x0 - reach), x0), (x1, min(w, x1 + reach))):
        level = mask[ya:yb, xa:xb]
        if level.any(axis=0).sum() >= 0.75 * reach and level.sum() >= 0.8 * mask[ta:tb, xa:xb].sum():
            return True
    return False


def clear_near_specks(gray: np.ndarray, dpi: int = 300) -> tuple[np.ndarray, int]:
    """The page with the specks `_near_specks` finds painted paper-white (with their halo: a
    pixel around them), and how many there were."""
    boxes = _near_specks(gray, dpi)
    if not boxes:
        return gray, 0
    out = gray.copy()
    paper = int(np.percentile(gray[::3, ::3], 90))
    for x0, y0, x1, y1 in boxes:
        out[max(0, y0 - 1):y1 + 1, max(0, x0 - 1):x1 + 1] = paper
    return out, len(boxes)
