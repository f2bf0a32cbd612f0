"""Run the OCR of a scanned PDF, page by page: render, find ruled tables, Tesseract.

Each page is rendered by pdftoppm (greyscale, `DPI`), straightened when the scan is skewed, its
ruling lines found (rulings) and its ruled tables (layout), the table lines painted
out. The page outside the tables is read by one `tesseract … -l vie tsv` call (automatic page
segmentation); every table's cells by one more call on the list of cell images (each a uniform
block of text), short cells twice more for a majority vote. Pages run in parallel, a worker per
CPU; the work is in the pdftoppm/tesseract child processes (each with OMP_THREAD_LIMIT=1: its
own threading is several times slower on a small machine) and numpy, so the workers are
threads. The result is plain data (words with boxes and confidences, table line segments) that
cache stores as JSON.
"""
from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from extractors.readers.ocr import layout
from extractors.readers.ocr import rulings
from models.errors import ConversionError

DPI = 300
LANG = "vie"
PSM = 3  # the page: fully automatic page segmentation
CELL_PSM = 6  # a table cell: one uniform block of text
# Short cells (a number, "TT", "Nữ") give the Vietnamese model little context and it misreads
# lone digits ("5" as "2"); they are read twice more, with these, and the majority wins.
SHORT_CELL_READINGS = (("eng", 6), (LANG, 13))
SKEW_MIN = 0.1  # degrees: below this the page is used as scanned
LAYOUT_VERSION = 11  # bump when rendering, line finding or word parsing changes the output
PAGE_TIMEOUT = float(os.environ.get("BAOCAO_OCR_TIMEOUT", "180"))


@dataclass
class Word:
    text: str
    conf: float
    box: tuple[int, int, int, int]  # x0, top, x1, bottom in page pixels
    block: int
    par: int
    line: int

    def to_list(self) -> list:
        return [self.text, round(self.conf, 2), *self.box, self.block, self.par, self.line]

    @classmethod
    def from_list(cls, v: list) -> "Word":
        return cls(str(v[0]), float(v[1]), (int(v[2]), int(v[3]), int(v[4]), int(v[5])),
                   int(v[6]), int(v[7]), int(v[8]))


@dataclass
class TableLines:
    """One ruled table: its line segments (strict and faint ones), enough to rebuild its grid,
    and the words read cell by cell (page pixels; `block` numbers the cell image)."""

    h: list[rulings.Segment]
    v: list[rulings.Segment]
    words: list[Word] = field(default_factory=list)


@dataclass
class PageOCR:
    page: int  # 1-based
    width: int  # pixels
    height: int
    dpi: int
    skew: float  # degrees the page was turned before reading
    words: list[Word] = field(default_factory=list)
    tables: list[TableLines] = field(default_factory=list)

    def to_json(self) -> dict:
        return {
            "page": self.page, "width": self.width, "height": self.height, "dpi": self.dpi, "skew": self.skew,
            "words": [w.to_list() for w in self.words],
            "tables": [{"h": [s.to_list() for s in t.h], "v": [s.to_list() for s in t.v],
                        "words": [w.to_list() for w in t.words]} for t in self.tables],
        }

    @classmethod
    def from_json(cls, d: dict) -> "PageOCR":
        return cls(
            page=int(d["page"]), width=int(d["width"]), height=int(d["height"]), dpi=int(d["dpi"]),
            skew=float(d["skew"]),
            words=[Word.from_list(w) for w in d["words"]],
            tables=[TableLines([rulings.Segment.from_list(s) for s in t["h"]],
                               [rulings.Segment.from_list(s) for s in t["v"]],
                               [Word.from_list(w) for w in t["words"]]) for t in d["tables"]],
        )


# -- tools ---------------------------------------------------------------------------------

def _env() -> dict[str, str]:
    env = dict(os.environ)
    env["OMP_THREAD_LIMIT"] = "1"
    return env


@lru_cache(maxsize=1)
def tesseract_version() -> str:
    """'tesseract 5.3.0', or '' when Tesseract is not installed or does not run."""
    exe = shutil.which("tesseract")
    if not exe:
        return ""
    try:
        out = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30, env=_env())
    except (OSError, subprocess.SubprocessError):
        return ""
    first = (out.stdout or out.stderr).strip().splitlines()
    return first[0].strip() if first else ""


@lru_cache(maxsize=1)
def _languages() -> frozenset[str]:
    try:
        out = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=30, env=_env())
    except (OSError, subprocess.SubprocessError):
        return frozenset()
    return frozenset(line.strip() for line in out.stdout.splitlines()[1:] if line.strip())


def check_tools(path: Path) -> None:
    """Raise ConversionError naming the file when Tesseract, its Vietnamese data or pdftoppm is
    missing."""
    if not tesseract_version():
        raise ConversionError(path, "cannot OCR the scanned PDF: Tesseract is not installed")
    if LANG not in _languages():
        raise ConversionError(path, f"cannot OCR the scanned PDF: Tesseract has no '{LANG}' language data "
                                    "(install tesseract-ocr-vie)")
    if not shutil.which("pdftoppm"):
        raise ConversionError(path, "cannot OCR the scanned PDF: pdftoppm (poppler-utils) is not installed")


def settings() -> dict:
    """Everything that changes the OCR output, for the cache key."""
    return {"dpi": DPI, "lang": LANG, "psm": PSM, "cell_psm": CELL_PSM, "short": SHORT_CELL_READINGS,
            "skew_min": SKEW_MIN, "layout": LAYOUT_VERSION,
            "tesseract": tesseract_version()}


def page_count(path: Path) -> int:
    try:
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as e:
        raise ConversionError(path, f"cannot count the PDF's pages ({e})") from e
    m = re.search(r"^Pages:\s+(\d+)", out.stdout, re.M)
    if out.returncode != 0 or not m:
        reason = (out.stderr or out.stdout).strip().splitlines()
        raise ConversionError(path, "cannot count the PDF's pages" + (f" ({reason[-1]})" if reason else ""))
    return int(m.group(1))


def _run(cmd: list[str], path: Path, what: str, timeout: float) -> subprocess.CompletedProcess:
    try:
        out = subprocess.run(cmd, capture_output=True, timeout=timeout, env=_env())
    except subprocess.TimeoutExpired as e:
        raise ConversionError(path, f"{what} timed out after {timeout:.0f} s") from e
    except OSError as e:
        raise ConversionError(path, f"{what} could not run ({e})") from e
    if out.returncode != 0:
        err = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(path, f"{what} failed" + (f": {err[-1]}" if err else f" (exit {out.returncode})"))
    return out


# -- one page ------------------------------------------------------------------------------

def render(path: Path, page: int, tmp: Path, dpi: int = DPI) -> np.ndarray:
    """The page as a greyscale array."""
    from PIL import Image

    base = tmp / f"p{page}"
    _run(["pdftoppm", "-r", str(dpi), "-gray", "-f", str(page), "-l", str(page), "-singlefile",
          str(path), str(base)], path, f"rendering page {page} (pdftoppm)", PAGE_TIMEOUT)
    with Image.open(f"{base}.pgm") as im:
        arr = np.asarray(im.convert("L"))
    os.unlink(f"{base}.pgm")
    return arr


def parse_tsv(tsv: str) -> list[tuple[int, Word]]:
    """Tesseract TSV rows of level 5 (words) with their text, each with its image number
    (1-based; several images when Tesseract read a list of files)."""
    words: list[tuple[int, Word]] = []
    reader = csv.reader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE)
    header = next(reader, None)
    if not header:
        return words
    col = {name: i for i, name in enumerate(header)}
    for row in reader:
        if len(row) < len(header) or row[col["level"]] != "5":
            continue
        text = row[col["text"]].strip()
        if not text:
            continue
        x, y = int(row[col["left"]]), int(row[col["top"]])
        w, h = int(row[col["width"]]), int(row[col["height"]])
        words.append((int(row[col["page_num"]]), Word(
            text=text, conf=float(row[col["conf"]]), box=(x, y, x + w, y + h),
            block=int(row[col["block_num"]]), par=int(row[col["par_num"]]), line=int(row[col["line_num"]]))))
    return words


def _tesseract(path: Path, image: Path, psm: int, what: str, lang: str = LANG) -> list[tuple[int, Word]]:
    out = _run(["tesseract", str(image), "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(DPI), "tsv"],
               path, what, PAGE_TIMEOUT)
    return parse_tsv(out.stdout.decode("utf-8", "replace"))


def _save(arr: np.ndarray, dest: Path) -> Path:
    from PIL import Image

    Image.fromarray(arr).save(dest)  # PGM: no compression to spend time on; --dpi tells the size
    return dest


def _is_short(img: np.ndarray) -> bool:
    """One line of at most a few characters (the trimmed cell image, margins included)."""
    pad = max(8, DPI // 20)
    h, w = img.shape[0] - 2 * pad, img.shape[1] - 2 * pad
    return 0 < h <= DPI // 4 and w <= 3.5 * h


def _vote(readings: list[list[Word]]) -> list[Word]:
    """The reading that at least two of the three agree on (by text), else the first."""
    texts = [" ".join(w.text for w in ws) for ws in readings]
    for i, t in enumerate(texts):
        if t and sum(t == u for u in texts) >= 2:
            return readings[i]
    return readings[0]


def _read_cells(path: Path, page: int, table: int, clean: np.ndarray, grid: layout.Grid, tmp: Path) -> list[Word]:
    """Every non-empty cell of a table read in one Tesseract call (a list of cell images; short
    cells twice more, for a vote), the words placed back in page pixels."""
    inset = max(1, DPI // 150)
    origins: list[tuple[int, int]] = []
    files: list[str] = []
    short: list[int] = []  # 1-based image numbers
    for cell in grid.cells:
        x0, y0, x1, y1 = (int(round(v)) for v in cell.box)
        crop = clean[y0 + inset:y1 - inset, x0 + inset:x1 - inset]
        if crop.size == 0:
            continue
        trimmed = rulings.trim_cell(crop, DPI)
        if trimmed is None:
            continue
        img, dx, dy = trimmed
        f = _save(img, tmp / f"p{page}-t{table}-c{len(files):04d}.pgm")
        files.append(str(f))
        origins.append((x0 + inset + dx, y0 + inset + dy))
        if _is_short(img):
            short.append(len(files))
    if not files:
        return []

    def read(numbers: list[int], lang: str, psm: int) -> dict[int, list[Word]]:
        lst = tmp / f"p{page}-t{table}-{lang}-{psm}.txt"
        lst.write_text("\n".join(files[n - 1] for n in numbers) + "\n", encoding="utf-8")
        out: dict[int, list[Word]] = {}
        for k, w in _tesseract(path, lst, psm, f"Tesseract on the table cells of page {page}", lang):
            out.setdefault(numbers[k - 1], []).append(w)
        lst.unlink(missing_ok=True)
        return out

    found = read(list(range(1, len(files) + 1)), LANG, CELL_PSM)
    extra = [(lang, psm) for lang, psm in SHORT_CELL_READINGS if lang in _languages()]
    if short and len(extra) == 2:
        others = [read(short, lang, psm) for lang, psm in extra]
        for n in short:
            found[n] = _vote([found.get(n, [])] + [o.get(n, []) for o in others])
    words = []
    for n, ws in sorted(found.items()):
        ox, oy = origins[n - 1]
        for w in ws:
            x0, y0, x1, y1 = w.box
            w.box = (x0 + ox, y0 + oy, x1 + ox, y1 + oy)
            w.block = n  # the cell image
            words.append(w)
    for f in files:
        os.unlink(f)
    return words


def ocr_page(path: Path, page: int, tmpdir: str) -> PageOCR:
    """Render, straighten, find the tables and paint their lines out; read the page's text
    outside the tables in one Tesseract call and the tables' cells in one call per table."""
    tmp = Path(tmpdir)
    gray = render(path, page, tmp)
    skew = rulings.estimate_skew(gray, DPI)
    if abs(skew) >= SKEW_MIN:
        gray = rulings.deskew(gray, skew)
    else:
        skew = 0.0
    hs, vs = rulings.find_rulings(gray, DPI)
    found = layout.find_tables(gray, hs, vs, DPI)
    clean = rulings.erase_rulings(gray, [s for th, _, _ in found for s in th], [s for _, tv, _ in found for s in tv],
                                 DPI) if found else gray
    tables = [TableLines(h=th, v=tv, words=_read_cells(path, page, k, clean, grid, tmp))
              for k, (th, tv, grid) in enumerate(found)]
    text_only = clean.copy() if found else clean
    m = max(2, DPI // 100)
    for _, _, grid in found:  # the tables' text is read cell by cell, not twice
        x0, y0, x1, y1 = (int(round(v)) for v in grid.box)
        text_only[max(0, y0 - m):y1 + m, max(0, x0 - m):x1 + m] = 255
    img = _save(text_only, tmp / f"p{page}.pgm")
    words = [w for _, w in _tesseract(path, img, PSM, f"Tesseract on page {page}")]
    img.unlink(missing_ok=True)
    h, w = gray.shape
    return PageOCR(page=page, width=w, height=h, dpi=DPI, skew=round(skew, 3), words=words, tables=tables)


def ocr_pdf(path: Path, workers: int | None = None) -> list[PageOCR]:
    """Every page of the PDF, read in parallel (one Tesseract process per worker)."""
    check_tools(path)
    n = page_count(path)
    if n == 0:
        return []
    workers = max(1, min(workers or os.cpu_count() or 1, n))
    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as tmp:
        # Threads are enough: the work is in the pdftoppm/tesseract child processes and numpy.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(lambda p: ocr_page(path, p, tmp), range(1, n + 1)))
