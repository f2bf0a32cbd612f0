"""Run the OCR of a scanned PDF, page by page: render, set upright, clean, find tables, Tesseract.

Each page is rendered by pdftoppm (greyscale, `DPI`; a colour scan in colour, its red seal then
left out: prepare.drop_red). A page whose text runs up and down (a landscape table fed into the
scanner portrait-wise: prepare.sideways, from the ink alone) is turned upright the way
Tesseract's orientation detection says (`--psm 0`, run only on such pages, and on a page whose
reading is so poor it may be upside down). A faded page has its contrast stretched and a worn
copy its specks removed, those near the text too (prepare). The page is straightened when
skewed, its ruling lines found (rulings) and its ruled tables (layout), the table lines painted
out. The page outside the tables is read by one `tesseract … -l vie tsv` call (automatic page
segmentation); tables drawn without vertical rulings are then found from the columns of its
words (borderless).
Every table's cells are read by one more call on the list of cell images (each a uniform block
of text); numbers once more with the English digits model, and a third time where the two
disagree; the readings vote (`_vote`), their agreement setting the words' confidence. Each word's stroke width is measured, so that bold can be told
(lines.mark_bold). Pages run in parallel, a worker per CPU; the work is in the
pdftoppm/tesseract child processes (each with OMP_THREAD_LIMIT=1: its own threading is several
times slower on a small machine) and numpy, so the workers are threads. The result is plain
data (words with boxes, confidences and strokes, table line segments or grids, what was done
to the image) that cache stores as JSON.
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
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np

from extractors.readers.common import die_with_parent
from extractors.readers.ocr import layout
from extractors.readers.ocr import rulings
from models.document import SEAL_NOTE
from models.errors import ConversionError

DPI = 300
LANG = "vie"
PSM = 3  # the page: fully automatic page segmentation
CELL_PSM = 6  # a table cell: one uniform block of text
# Short cells (a number, "TT", "Nữ") give the Vietnamese model little context and it misreads
# lone digits ("5" as "2"); they and every number are read again, a third time where the two
# readings disagree, and the majority wins:
NUMBER_READING = ("eng", 7, "0123456789.,%-+()")  # a number: digits and separators only
RAW_LINE_READING = (LANG, 13)  # and as a raw line
AGREE_2 = 70.0  # the confidence of a reading two of three agree on, at most
AGREE_NONE = 30.0  # … of a reading no other agrees with
SKEW_MIN = 0.1  # degrees: below this the page is used as scanned
SPECKS_MIN = 60  # a page with at least this many specks (a worn photocopy) is read despeckled
RED_MIN = 2000  # red pixels (at 300 dpi) that make a seal worth a note
OSD_MIN_CONF = 1.0  # Tesseract's orientation confidence below this: it cannot tell
UPSIDE_DOWN_CONF = 45  # a page read with a mean word confidence below this may be upside down
LAYOUT_VERSION = 31  # bump when rendering, line finding or word parsing changes the output
PAGE_TIMEOUT = float(os.environ.get("BAOCAO_OCR_TIMEOUT", "180"))


@dataclass
class Word:
    text: str
    conf: float
    box: tuple[int, int, int, int]  # x0, top, x1, bottom in page pixels
    block: int
    par: int
    line: int
    stroke: float = 0.0  # the median width of its horizontal ink runs, pixels (bold is thicker)
    bold: bool = False  # set when the document is assembled, from the strokes of all its words

    def to_list(self) -> list:
        return [self.text, round(self.conf, 2), *self.box, self.block, self.par, self.line, self.stroke]

    @classmethod
    def from_list(cls, v: list) -> "Word":
        return cls(str(v[0]), float(v[1]), (int(v[2]), int(v[3]), int(v[4]), int(v[5])),
                   int(v[6]), int(v[7]), int(v[8]), float(v[9]) if len(v) > 9 else 0.0)


@dataclass
class TableLines:
    """One table of the page: a ruled one by its line segments (strict and faint ones), enough
    to rebuild its grid; a borderless one by its grid (`grid`, found from the words' columns).
    `words` are the words read cell by cell (page pixels; `block` numbers the cell image)."""

    h: list[rulings.Segment]
    v: list[rulings.Segment]
    words: list[Word] = field(default_factory=list)
    grid: layout.Grid | None = None  # a borderless table's grid
    bordered: bool = True

    def to_json(self) -> dict:
        d: dict = {"h": [s.to_list() for s in self.h], "v": [s.to_list() for s in self.v],
                   "words": [w.to_list() for w in self.words]}
        if self.grid is not None:
            g = self.grid
            d["grid"] = {"xs": [round(x, 1) for x in g.xs], "ys": [round(y, 1) for y in g.ys],
                         "v_open": g.v_open, "h_open": g.h_open}
        if not self.bordered:
            d["bordered"] = False
        return d

    @classmethod
    def from_json(cls, d: dict) -> "TableLines":
        grid = None
        if d.get("grid"):
            gd = d["grid"]
            grid = layout.Grid(xs=[float(x) for x in gd["xs"]], ys=[float(y) for y in gd["ys"]],
                               v_open=[[bool(b) for b in r] for r in gd["v_open"]],
                               h_open=[[bool(b) for b in r] for r in gd["h_open"]])
            grid.merge_cells()
        return cls([rulings.Segment.from_list(s) for s in d["h"]], [rulings.Segment.from_list(s) for s in d["v"]],
                   [Word.from_list(w) for w in d["words"]], grid=grid, bordered=bool(d.get("bordered", True)))


@dataclass
class PageOCR:
    page: int  # 1-based
    width: int  # pixels
    height: int
    dpi: int
    skew: float  # degrees the page was turned before reading
    words: list[Word] = field(default_factory=list)
    tables: list[TableLines] = field(default_factory=list)
    rotation: int = 0  # degrees (clockwise) the page image was turned upright before reading
    scan_dpi: float | None = None  # the resolution of the page's image as scanned
    notes: list[str] = field(default_factory=list)  # what was done to the image

    def to_json(self) -> dict:
        return {
            "page": self.page, "width": self.width, "height": self.height, "dpi": self.dpi, "skew": self.skew,
            "rotation": self.rotation, "scan_dpi": self.scan_dpi, "notes": self.notes,
            "words": [w.to_list() for w in self.words],
            "tables": [t.to_json() for t in self.tables],
        }

    @classmethod
    def from_json(cls, d: dict) -> "PageOCR":
        return cls(
            page=int(d["page"]), width=int(d["width"]), height=int(d["height"]), dpi=int(d["dpi"]),
            skew=float(d["skew"]),
            words=[Word.from_list(w) for w in d["words"]],
            tables=[TableLines.from_json(t) for t in d["tables"]],
            rotation=int(d.get("rotation", 0)),
            scan_dpi=float(d["scan_dpi"]) if d.get("scan_dpi") else None,
            notes=[str(n) for n in d.get("notes", [])],
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
    return {"dpi": DPI, "lang": LANG, "psm": PSM, "cell_psm": CELL_PSM,
            "readings": [NUMBER_READING, RAW_LINE_READING, AGREE_2, AGREE_NONE],
            "skew_min": SKEW_MIN, "specks": SPECKS_MIN, "layout": LAYOUT_VERSION,
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
        out = subprocess.run(cmd, capture_output=True, timeout=timeout, env=_env(), preexec_fn=die_with_parent)
    except subprocess.TimeoutExpired as e:
        raise ConversionError(path, f"{what} timed out after {timeout:.0f} s") from e
    except OSError as e:
        raise ConversionError(path, f"{what} could not run ({e})") from e
    if out.returncode != 0:
        err = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ConversionError(path, f"{what} failed" + (f": {err[-1]}" if err else f" (exit {out.returncode})"))
    return out


# -- one page ------------------------------------------------------------------------------

def render(path: Path, page: int, tmp: Path, dpi: int = DPI, colour: bool = False) -> np.ndarray:
    """The page as a greyscale array; `colour`: as an RGB array."""
    from PIL import Image

    base = tmp / f"p{page}"
    ext = "ppm" if colour else "pgm"
    _run(["pdftoppm", "-r", str(dpi), *([] if colour else ["-gray"]), "-f", str(page), "-l", str(page),
          "-singlefile", str(path), str(base)], path, f"rendering page {page} (pdftoppm)", PAGE_TIMEOUT)
    with Image.open(f"{base}.{ext}") as im:
        arr = np.asarray(im.convert("RGB" if colour else "L"))
    os.unlink(f"{base}.{ext}")
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


def _tesseract(path: Path, image: Path, psm: int, what: str, lang: str = LANG,
               whitelist: str = "") -> list[tuple[int, Word]]:
    extra = ["-c", f"tessedit_char_whitelist={whitelist}"] if whitelist else []
    out = _run(["tesseract", str(image), "stdout", "-l", lang, "--psm", str(psm), "--dpi", str(DPI), *extra, "tsv"],
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


_STRAY = re.compile(r"^[^\w+\-(−–]+|(?<=[\d%)])[^\w%)]+$")


def _key(ws: list[Word]) -> str:
    """A reading's text for the vote: its words run together, without the stray marks a speck
    next to a number reads as ('„3', '58.', '.158', '5:')."""
    key = _STRAY.sub("", "".join(w.text for w in ws))
    return key[:-1] if key.endswith(")") and "(" not in key else key  # a border's rest


def _number_like(ws: list[Word]) -> bool:
    """A reading that is a number, OCR slips aside: mostly digits, one or two words."""
    text = _key(ws)
    alnum = [c for c in text if c.isalnum()]
    digits = sum(c.isdigit() for c in alnum)
    return 0 < len(ws) <= 2 and digits >= 1 and len(alnum) - digits <= max(1, digits // 3)


_LOOKALIKES = set("OoDQlIi|!SsBZzGgbq")


def _digit_like(ws: list[Word]) -> bool:
    """A short reading made of digits and their look-alikes ('S' for '5', 'l' for '1'), or
    nothing at all: a lone digit the Vietnamese model may have misread or missed."""
    text = _key(ws)
    return len(text) <= 3 and all(c.isdigit() or c in _LOOKALIKES or c in ".,%-+()" for c in text)


def _vote(readings: list[list[Word]]) -> list[Word]:
    """The reading most of them agree on (by text, spaces and stray marks aside; one without
    the marks when there is one), else the first. Its words' confidence says how far they agreed: all of them, the most confident of the readings;
    all but one, at most AGREE_2; no majority, at most AGREE_NONE."""
    keys = [_key(ws) for ws in readings]
    best = max(range(len(readings)), key=lambda i: (sum(k == keys[i] for k in keys), -i))
    votes = sum(k == keys[best] for k in keys)
    agree = [ws for ws, k in zip(readings, keys) if k == keys[best]]
    # of the agreeing readings, one without stray marks, if any
    clean = [ws for ws in agree if "".join(w.text for w in ws) == keys[best]] or agree
    if votes == len(readings):
        return max(clean, key=lambda ws: min((w.conf for w in ws), default=0.0))
    cap = AGREE_2 if 2 * votes > len(readings) else AGREE_NONE
    return [replace(w, conf=min(w.conf, cap)) for w in clean[0]]


def _numeric_columns(found: dict[int, list[Word]], columns: list[int]) -> set[int]:
    """Grid columns most of whose cells read as numbers: there a short cell read as a word or two
    marks ("lộ)" for "8", "-Đ" for "-5") is a number misread, worth reading again."""
    seen: dict[int, list[bool]] = {}
    for n, col in enumerate(columns, 1):
        seen.setdefault(col, []).append(_number_like(found.get(n, [])))
    return {col for col, flags in seen.items() if sum(flags) >= 2 and 2 * sum(flags) >= len(flags)}


def _read_cells(path: Path, page: int, table: int, clean: np.ndarray, grid: layout.Grid, tmp: Path) -> list[Word]:
    """Every non-empty cell of a table read in one Tesseract call (a list of cell images), the
    words placed back in page pixels. Numbers (and short cells that may be a misread digit)
    are read again with Tesseract's English model limited to digits and separators; where the
    two readings disagree, a third time as a single raw line with the Vietnamese one. The
    majority wins and the agreement sets the confidence (`_vote`)."""
    inset = max(1, DPI // 150)
    origins: list[tuple[int, int]] = []
    files: list[str] = []
    short: set[int] = set()  # 1-based image numbers
    columns: list[int] = []  # each image's grid column
    one_line: set[int] = set()
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
        columns.append(cell.col)
        if _is_short(img):
            short.add(len(files))
        if img.shape[0] - 2 * max(8, DPI // 20) <= DPI // 4:
            one_line.add(len(files))
    if not files:
        return []

    def read(numbers: list[int], lang: str, psm: int, whitelist: str = "") -> dict[int, list[Word]]:
        if not numbers:
            return {}
        lst = tmp / f"p{page}-t{table}-{lang}-{psm}{'-w' if whitelist else ''}.txt"
        lst.write_text("\n".join(files[n - 1] for n in numbers) + "\n", encoding="utf-8")
        out: dict[int, list[Word]] = {}
        for k, w in _tesseract(path, lst, psm, f"Tesseract on the table cells of page {page}", lang, whitelist):
            out.setdefault(numbers[k - 1], []).append(w)
        lst.unlink(missing_ok=True)
        return out

    found = read(list(range(1, len(files) + 1)), LANG, CELL_PSM)
    if "eng" in _languages():
        numeric = _numeric_columns(found, columns)
        numbers = sorted(n for n in one_line if _number_like(found.get(n, []))
                         or n in short and (_digit_like(found.get(n, []))
                                            or columns[n - 1] in numeric and len(_key(found.get(n, []))) <= 3))
        as_number = read(numbers, *NUMBER_READING)
        # a third reading only where the two disagree: two models reading alike settle it
        unsure = [n for n in numbers if _key(found.get(n, [])) != _key(as_number.get(n, []))]
        raw = read(unsure, *RAW_LINE_READING)
        for n in numbers:
            found[n] = _vote([found.get(n, []), as_number.get(n, [])] + ([raw.get(n, [])] if n in unsure else []))
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


def _osd(path: Path, gray: np.ndarray, page: int, tmp: Path) -> int | None:
    """Tesseract's orientation detection on a half-size copy of the page: the clockwise turn
    (0, 90, 180 or 270) that sets it upright; None when it cannot tell."""
    if "osd" not in _languages():
        return None
    from PIL import Image

    f = tmp / f"p{page}-osd.pgm"
    Image.fromarray(gray).reduce(2).save(f)
    try:
        out = subprocess.run(["tesseract", str(f), "stdout", "--psm", "0", "--dpi", str(DPI // 2)],
                             capture_output=True, timeout=PAGE_TIMEOUT, env=_env())
    except (OSError, subprocess.SubprocessError):
        return None
    finally:
        f.unlink(missing_ok=True)
    text = out.stdout.decode("utf-8", "replace")
    turn = re.search(r"Rotate:\s*(\d+)", text)
    conf = re.search(r"Orientation confidence:\s*([\d.]+)", text)
    if not turn or (conf and float(conf.group(1)) < OSD_MIN_CONF):
        return None
    return int(turn.group(1)) % 360


def _read(path: Path, page: int, gray: np.ndarray, tmp: Path) -> tuple[float, list[Word], list[TableLines]]:
    """Straighten an upright page, find its ruled tables and paint their lines out; read the
    page's text outside them in one Tesseract call, the cells of each table (ruled, then
    borderless: found from the page's words) in one call per table. Returns the skew, the
    words and the tables."""
    from extractors.readers.ocr import prepare
    from extractors.readers.ocr.borderless import find_borderless

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
    in_tables = [g.box for _, _, g in found]
    lone = [r for r in hs if not any(b[0] - m <= r.start and r.end <= b[2] + m and b[1] - m <= r.pos <= b[3] + m
                                     for b in in_tables)]
    ink = prepare.ink_mask(clean)
    for grid in find_borderless(words, page, gray.shape[1], DPI, ink=ink, rules=lone):
        k = len(tables)
        tables.append(TableLines(h=[], v=[], words=_read_cells(path, page, k, clean, grid, tmp), grid=grid,
                                 bordered=False))
    for w in words + [w for t in tables for w in t.words]:
        w.stroke = stroke_width(ink, w.box)
    return skew, words, tables


def stroke_width(ink: np.ndarray, box: tuple[int, int, int, int]) -> float:
    """The median length of the horizontal ink runs inside a word's box (pixels, to the half):
    the width of its vertical strokes, half as much again in bold type. 0 when the box holds
    too little ink."""
    x0, y0, x1, y1 = box
    m = ink[max(0, y0):max(0, y1), max(0, x0):max(0, x1)]
    if m.size == 0 or m.sum() < 12:
        return 0.0
    d = np.diff(np.pad(m.astype(np.int8), ((0, 0), (1, 1))), axis=1)
    runs = np.flatnonzero(d.ravel() == -1) - np.flatnonzero(d.ravel() == 1)
    return round(2 * float(np.median(runs))) / 2


def _mean_conf(words: list[Word]) -> float:
    confs = [w.conf for w in words if w.conf >= 0]
    return sum(confs) / len(confs) if confs else 100.0


def ocr_page(path: Path, page: int, tmpdir: str, scan_dpi: float | None = None, colour: bool = False) -> PageOCR:
    """Render the page (a colour scan without its red seal); turn it upright when its text runs
    up and down (Tesseract's orientation detection says which way) or when it reads as garbage
    upside down; stretch a faded page's contrast and remove its specks; then read it (`_read`)."""
    from extractors.readers.ocr import prepare

    tmp = Path(tmpdir)
    notes: list[str] = []
    if colour:
        gray, n_red = prepare.drop_red(render(path, page, tmp, colour=True))
        if n_red >= RED_MIN:
            notes.append(SEAL_NOTE)
    else:
        gray = render(path, page, tmp)
    rotation = 0
    banding = prepare.banding(gray)
    if banding < prepare.SIDEWAYS:  # the text may run up and down: Tesseract says which way
        osd = _osd(path, gray, page, tmp)
        if osd is None and banding < prepare.SIDEWAYS / 2:  # it cannot tell, the ink is clear
            osd = 90
            notes.append("turned sideways (direction guessed)")
        rotation = osd or 0
        gray = prepare.turn(gray, rotation)
    gray, stretched = prepare.stretch(gray)
    if stretched:
        notes.append("faded: contrast stretched")
    cleaned, n_specks = prepare.despeckle(gray, DPI)
    if n_specks >= SPECKS_MIN:  # a dirty page: the specks near the text too
        gray, n_near = prepare.clear_near_specks(cleaned, DPI)
        notes.append(f"{n_specks + n_near} specks removed")
    skew, words, tables = _read(path, page, gray, tmp)
    if len(words) >= 20 and _mean_conf(words) < UPSIDE_DOWN_CONF and _osd(path, gray, page, tmp) == 180:
        rotation = (rotation + 180) % 360
        gray = prepare.turn(gray, 180)
        skew, words, tables = _read(path, page, gray, tmp)
    if rotation:
        notes.insert(0, f"turned {rotation}° clockwise")
    if scan_dpi and scan_dpi < 0.8 * DPI:
        notes.append(f"upsampled from {scan_dpi:.0f} dpi")
    h, w = gray.shape
    return PageOCR(page=page, width=w, height=h, dpi=DPI, skew=round(skew, 3), words=words, tables=tables,
                   rotation=rotation, scan_dpi=scan_dpi, notes=notes)


def scan_images(path: Path) -> dict[int, tuple[float, bool]]:
    """Each page's largest image (pdfimages -list): its resolution and whether it is in colour,
    by page; {} when poppler cannot tell."""
    try:
        out = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError):
        return {}
    best: dict[int, tuple[int, float, bool]] = {}
    for line in out.stdout.splitlines()[2:]:
        f = line.split()
        try:
            pg, w, h, colour, xppi, yppi = int(f[0]), int(f[3]), int(f[4]), f[5], float(f[12]), float(f[13])
        except (IndexError, ValueError):
            continue
        if w * h > best.get(pg, (0, 0.0, False))[0]:
            best[pg] = (w * h, min(xppi, yppi), colour not in ("gray", "-"))
    return {pg: (ppi, colour) for pg, (_, ppi, colour) in best.items()}


def ocr_pdf(path: Path, workers: int | None = None, pages: list[int] | None = None) -> list[PageOCR]:
    """Every page of the PDF (or those of `pages`, 1-based), read in parallel (one Tesseract
    process per worker)."""
    check_tools(path)
    n = page_count(path)
    if n == 0:
        return []
    wanted = [p for p in (pages or range(1, n + 1)) if 1 <= p <= n]
    if not wanted:
        return []
    images = scan_images(path)
    workers = max(1, min(workers or os.cpu_count() or 1, len(wanted)))

    def one(p: int) -> PageOCR:
        dpi, colour = images.get(p, (None, False))
        return ocr_page(path, p, tmp, dpi, colour)

    with tempfile.TemporaryDirectory(prefix="baocao-ocr-") as tmp:
        # Threads are enough: the work is in the pdftoppm/tesseract child processes and numpy.
        with ThreadPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(one, wanted))
