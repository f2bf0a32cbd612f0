"""Make a scanned page image fit for OCR: specks removed, sideways pages turned upright.

Pure numpy on a greyscale page (uint8, paper light). `despeckle` whitens the toner specks
and dirt of a worn photocopy: small dots standing clear of the text (a diacritic sits close
above or below its letter, a full stop or a comma right after it, so those are kept). `sideways` tells from the ink alone whether the text lines run up and down
(a landscape page fed portrait-wise): text lines make the ink profile across them sharply
banded, so the sharper of the row and column profiles gives the direction; which of the two
upright turns is right is left to Tesseract's orientation detection (engine).
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
