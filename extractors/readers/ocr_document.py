"""Turn OCR pages (words with boxes, ruled-table lines) into Document blocks in reading order.

Per page: each ruled table's grid is rebuilt from its line segments and its cell words placed by
their centre (a row boundary drawn across most of the table but faded in one column is restored
there when the words on both sides of it are apart); the other words make lines, split where a
gap is far wider than a word space (the two halves of a header block). Two-column borderless
zones (issuer | national motto, 'Nơi nhận' | signer) become LAYOUT tables; the remaining lines
are grouped into paragraphs (a new one after a vertical gap, a line that stopped although the
next word would have fitted, a first-line indent, a centred line after flush text, a list
marker after a finished sentence). Running headers/footers repeated on most pages and scanner
dirt are dropped. Across pages, a table at the top of a page with the columns of the table
ending the previous page continues it (a repeated header row dropped), and a paragraph cut by
the page end is joined. Coordinates are page pixels until the blocks are made; provenance boxes
are PDF points.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field

from extractors.readers import ocr_layout as layout
from extractors.readers.docx_reader import classify_table
from extractors.readers.ocr_engine import PageOCR, TableLines, Word
from extractors.readers.ocr_text import fix_label, is_noise, line_text
from models.document import Alignment, Cell, Paragraph, Provenance, Run, Table, TableRole

PIECE_GAP = 2.5  # a gap wider than this many word heights splits a line into pieces
FONT_BOX = 0.885  # a word box's height (with Vietnamese diacritics) / the font size
MARKER = re.compile(
    r"^(?:[IVXLCDM]{1,6}[.):]|\d{1,3}(?:\.\d{1,3}){0,3}[.):]|[a-zđ][.)]|\(\d{1,3}\)|\([a-zđ]\)"
    r"|[-–—+•●○▪■◦*·](?=\s)|[-–—](?=\S))"
)
_END = re.compile(r"[.:;!?…)\"”»]$")


# -- lines ---------------------------------------------------------------------------------

@dataclass
class Piece:
    """Words of one OCR line between wide gaps."""

    page: int
    words: list[Word]
    text: str = ""

    def __post_init__(self) -> None:
        self.words.sort(key=lambda w: w.box[0])
        self.text = line_text([w.text for w in self.words])

    @property
    def x0(self) -> float:
        return min(w.box[0] for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.box[2] for w in self.words)

    @property
    def top(self) -> float:
        return min(w.box[1] for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.box[3] for w in self.words)

    @property
    def height(self) -> float:
        return statistics.median(w.box[3] - w.box[1] for w in self.words)

    @property
    def conf(self) -> float:
        return statistics.fmean(w.conf for w in self.words)


@dataclass
class Row:
    """A visual line of the page: one or more pieces side by side."""

    pieces: list[Piece]
    index: int = -1  # its position among the rows of a layout zone

    @property
    def page(self) -> int:
        return self.pieces[0].page

    @property
    def x0(self) -> float:
        return min(p.x0 for p in self.pieces)

    @property
    def x1(self) -> float:
        return max(p.x1 for p in self.pieces)

    @property
    def top(self) -> float:
        return min(p.top for p in self.pieces)

    @property
    def bottom(self) -> float:
        return max(p.bottom for p in self.pieces)

    @property
    def height(self) -> float:
        return statistics.median(w.box[3] - w.box[1] for p in self.pieces for w in p.words)

    @property
    def words(self) -> list[Word]:
        return [w for p in self.pieces for w in p.words]

    @property
    def text(self) -> str:
        return " ".join(p.text for p in self.pieces if p.text)

    @property
    def first_word_width(self) -> float:
        w = self.pieces[0].words[0]
        return w.box[2] - w.box[0]


def line_pieces(words: list[Word], page: int) -> list[Piece]:
    """Tesseract's lines (block, paragraph, line) cut at gaps of several word heights."""
    lines: dict[tuple[int, int, int], list[Word]] = {}
    for w in words:
        lines.setdefault((w.block, w.par, w.line), []).append(w)
    out: list[Piece] = []
    for ws in lines.values():
        ws.sort(key=lambda w: w.box[0])
        h = statistics.median(w.box[3] - w.box[1] for w in ws)
        cur = [ws[0]]
        for a, b in zip(ws, ws[1:]):
            if b.box[0] - a.box[2] > PIECE_GAP * h:
                out.append(Piece(page, cur))
                cur = []
            cur.append(b)
        out.append(Piece(page, cur))
    return [p for p in out if p.text and not is_noise(p.text, p.conf)]


def visual_rows(pieces: list[Piece]) -> list[Row]:
    """Pieces standing side by side on one line of the page, top to bottom."""
    rows: list[Row] = []
    for p in sorted(pieces, key=lambda p: (p.top, p.x0)):
        mid = (p.top + p.bottom) / 2
        for r in rows[-3:]:
            overlap = min(r.bottom, p.bottom) - max(r.top, p.top)
            side_by_side = all(p.x0 >= q.x1 or p.x1 <= q.x0 for q in r.pieces)
            if side_by_side and r.top <= mid <= r.bottom and overlap >= 0.5 * min(p.height, r.height):
                r.pieces.append(p)
                r.pieces.sort(key=lambda q: q.x0)
                break
        else:
            rows.append(Row([p]))
    rows.sort(key=lambda r: r.top)
    return rows


@dataclass
class Frame:
    """The horizontal extent text can fill: the body's margins, a layout column."""

    left: float
    right: float

    @property
    def width(self) -> float:
        return self.right - self.left


def body_frame(rows: list[Row], page_width: float) -> Frame | None:
    """The margins of the page's body text, from its long lines (None when too few)."""
    long = [r for r in rows if r.x1 - r.x0 >= 0.5 * page_width]
    if len(long) < 3:
        return None
    lefts = sorted(r.x0 for r in long)
    rights = sorted(r.x1 for r in long)
    return Frame(lefts[len(lefts) // 10], rights[-1 - len(rights) // 10])


def _centred(r: Row, fr: Frame) -> bool:
    lg, rg = r.x0 - fr.left, fr.right - r.x1
    h = r.height
    return lg > h and rg > h and abs(lg - rg) <= max(h, 0.04 * fr.width)


def _full(r: Row, fr: Frame) -> bool:
    h = r.height
    return r.x0 - fr.left <= 0.8 * h and fr.right - r.x1 <= 0.8 * h


def is_break(a: Row, b: Row, fr: Frame, pitch: float) -> bool:
    """Does row b start a new paragraph after row a?"""
    h = max(a.height, b.height)
    if b.top - a.top > 1.45 * pitch or b.top - a.bottom > 1.2 * h:
        return True
    need = b.first_word_width + 0.3 * h
    slack = 0.5 * h
    if _centred(a, fr) and _centred(b, fr):
        if (a.x1 - a.x0) + need <= fr.width - slack:
            return True
    elif a.x1 + need <= fr.right - slack:
        return True
    if b.x0 - fr.left >= h and b.x0 - a.x0 >= 0.8 * h and not _centred(b, fr):
        return True  # a first-line indent
    if _centred(a, fr) and not _centred(b, fr) and b.x0 - fr.left > 0.5 * h and not _full(b, fr):
        return True  # a centred line, then text that is neither centred nor flush left
    if MARKER.match(b.text) and _END.search(a.text):
        return True
    return False


def paragraphs(rows: list[Row], fr: Frame, pitch: float) -> list[list[Row]]:
    out: list[list[Row]] = []
    for r in rows:
        if out and out[-1][-1].page == r.page and not is_break(out[-1][-1], r, fr, pitch):
            out[-1].append(r)
        else:
            out.append([r])
    return out


# -- units ---------------------------------------------------------------------------------

def _pt(v: float, dpi: int) -> float:
    return round(v * 72.0 / dpi, 2)


def _bbox(rows_or_words, dpi: int) -> tuple[float, float, float, float]:
    xs0, ys0, xs1, ys1 = [], [], [], []
    for o in rows_or_words:
        if isinstance(o, Word):
            x0, y0, x1, y1 = o.box
        else:
            x0, y0, x1, y1 = o.x0, o.top, o.x1, o.bottom
        xs0.append(x0)
        ys0.append(y0)
        xs1.append(x1)
        ys1.append(y1)
    return (_pt(min(xs0), dpi), _pt(min(ys0), dpi), _pt(max(xs1), dpi), _pt(max(ys1), dpi))


def font_size(words: list[Word], dpi: int) -> float | None:
    """A cheap estimate from the word boxes' height, to the half point."""
    if not words:
        return None
    h = statistics.median(w.box[3] - w.box[1] for w in words)
    return round(2 * h * 72.0 / dpi / FONT_BOX) / 2


def make_paragraph(rows: list[Row], fr: Frame, dpi: int, prov: Provenance) -> Paragraph:
    text = fix_label(" ".join(r.text for r in rows if r.text))
    if all(_centred(r, fr) for r in rows):
        align = Alignment.CENTER
    elif len(rows) >= 2 and all(_full(r, fr) for r in rows[:-1]):
        align = Alignment.JUSTIFY
    elif rows[0].x0 - fr.left > 0.3 * fr.width and fr.right - rows[-1].x1 <= rows[-1].height:
        align = Alignment.RIGHT
    else:
        align = Alignment.LEFT
    words = [w for r in rows for w in r.words]
    prov = prov.model_copy(update={"pages": [rows[0].page], "bbox": _bbox(rows, dpi)})
    return Paragraph(text=text, runs=[Run(text=text)] if text else [], alignment=align,
                     font_size=font_size(words, dpi), provenance=prov)


# -- two-column layout zones ---------------------------------------------------------------

def _sides(r: Row) -> tuple[list[Piece], list[Piece]]:
    """A row's pieces split at its widest gap."""
    ps = r.pieces
    if len(ps) < 2:
        return ps, []
    k = max(range(len(ps) - 1), key=lambda i: ps[i + 1].x0 - ps[i].x1)
    return ps[:k + 1], ps[k + 1:]


def _fits(r: Row, lo: float, hi: float, fr: Frame) -> tuple[float, float] | None:
    """The narrowed gutter if row r belongs to a zone with gutter [lo, hi]; a lone line centred
    on the page is a title, not a column's text."""
    if len(r.pieces) >= 2:
        left, right = _sides(r)
        nlo, nhi = max(lo, max(p.x1 for p in left)), min(hi, min(p.x0 for p in right))
    else:
        if _centred(r, fr):
            return None
        mid = (lo + hi) / 2
        if r.x1 <= mid:
            nlo, nhi = max(lo, r.x1), hi
        elif r.x0 >= mid:
            nlo, nhi = lo, min(hi, r.x0)
        else:
            return None
    return (nlo, nhi) if nhi - nlo >= 0.3 * r.height else None


def find_zones(rows: list[Row], fr: Frame, pitch: float) -> list[tuple[int, int, float, float]]:
    """Two-column zones: (first row, last row, gutter lo, gutter hi), rows of one page."""
    zones: list[tuple[int, int, float, float]] = []
    used = [False] * len(rows)
    for i, r in enumerate(rows):
        if used[i] or len(r.pieces) < 2:
            continue
        left, right = _sides(r)
        lo, hi = max(p.x1 for p in left), min(p.x0 for p in right)
        a = b = i
        while b + 1 < len(rows) and not used[b + 1]:
            cand = rows[b + 1]
            got = _fits(cand, lo, hi, fr)
            lone_right = len(cand.pieces) == 1 and cand.x0 >= (lo + hi) / 2
            if got is None or cand.top - rows[b].bottom > (8 if lone_right else 3) * pitch:
                break
            lo, hi = got
            b += 1
        while a - 1 >= 0 and not used[a - 1]:
            cand = rows[a - 1]
            got = _fits(cand, lo, hi, fr)
            if got is None or rows[a].top - cand.bottom > 3 * pitch:
                break
            if a - 2 >= 0 and _full(rows[a - 2], fr) and not is_break(rows[a - 2], cand, fr, pitch):
                break  # the last line of a body paragraph
            lo, hi = got
            a -= 1
        for k in range(a, b + 1):
            used[k] = True
        zones.append((a, b, lo, hi))
    return zones


def zone_table(rows: list[Row], lo: float, hi: float, dpi: int) -> Table:
    """A LAYOUT table: two columns, a grid row wherever a paragraph starts in either column."""
    mid = (lo + hi) / 2
    sides: list[list[Row]] = [[], []]
    both: set[int] = set()  # rows with text on both sides start a paragraph on both
    for i, r in enumerate(rows):
        left = [p for p in r.pieces if (p.x0 + p.x1) / 2 <= mid]
        right = [p for p in r.pieces if (p.x0 + p.x1) / 2 > mid]
        if left and right:
            both.add(i)
        for k, ps in ((0, left), (1, right)):
            if ps:
                sides[k].append(Row(ps, index=i))
    col_paras: list[list[list[Row]]] = []
    frames: list[Frame] = []
    # the zone's line pitch: its tightest line spacing (a cell's wrapped line)
    pitches = [b.top - a.top for side in sides for a, b in zip(side, side[1:]) if b.top - a.top > 0.8 * a.height]
    pitch = min(pitches) if pitches else rows[0].height * 1.3
    for side in sides:
        if not side:
            col_paras.append([])
            frames.append(Frame(0, 1))
            continue
        fr = Frame(min(r.x0 for r in side), max(r.x1 for r in side))
        paras: list[list[Row]] = []
        for r in side:
            prev = paras[-1][-1] if paras else None
            if prev and prev.page == r.page and r.index not in both and not is_break(prev, r, fr, pitch):
                paras[-1].append(r)
            else:
                paras.append([r])
        col_paras.append(paras)
        frames.append(fr)
    starts = sorted({p[0].index for ps in col_paras for p in ps})
    row_of = {s: k for k, s in enumerate(starts)}
    cells: list[Cell] = []
    for c, ps in enumerate(col_paras):
        for p in ps:
            r = row_of[p[0].index]
            para = make_paragraph(p, frames[c], dpi, Provenance(row=r, col=c))
            cells.append(Cell(row=r, col=c, text=para.text, paragraphs=[para],
                              provenance=Provenance(row=r, col=c, pages=para.provenance.pages,
                                                    bbox=para.provenance.bbox)))
    have = {(c.row, c.col): c for c in cells}
    xs = (min(r.x0 for r in rows), lo, hi, max(r.x1 for r in rows))
    for r in range(len(starts)):
        for c in range(2):
            if (r, c) in have:
                continue
            other = have.get((r, 1 - c))  # an empty cell: its column's span, its row's height
            prov = Provenance(row=r, col=c, pages=other.provenance.pages if other else [rows[0].page])
            if other is not None and other.provenance.bbox:
                ob = other.provenance.bbox
                prov.bbox = (_pt(xs[2 * c], dpi), ob[1], _pt(max(xs[2 * c], xs[2 * c + 1]), dpi), ob[3])
            cells.append(Cell(row=r, col=c, provenance=prov))
    cells.sort(key=lambda c: (c.row, c.col))
    first = [r for r in rows if r.page == rows[0].page]
    return Table(n_rows=len(starts), n_cols=2, cells=cells, role=TableRole.LAYOUT, bordered=False,
                 provenance=Provenance(pages=sorted({r.page for r in rows}), bbox=_bbox(first, dpi)))


# -- ruled tables --------------------------------------------------------------------------

@dataclass
class PageTable:
    grid: layout.Grid
    words: dict[tuple[int, int], list[Word]] = field(default_factory=dict)  # by grid position
    page: int = 0
    dpi: int = 300


def _restore_faded(grid: layout.Grid, words: list[Word]) -> None:
    """A row boundary drawn across most of the table's width but open in some column (the line
    faded there): closed where the column's words stand apart on both sides of it."""
    width = grid.xs[-1] - grid.xs[0]
    for k in range(grid.n_rows - 1):
        y = grid.ys[k + 1]
        drawn = sum(grid.xs[c + 1] - grid.xs[c] for c in range(grid.n_cols) if not grid.h_open[k][c])
        if drawn < 0.5 * width or drawn >= width:
            continue
        for c in range(grid.n_cols):
            if not grid.h_open[k][c]:
                continue
            x0, x1 = grid.xs[c], grid.xs[c + 1]
            col = [w for w in words if x0 <= (w.box[0] + w.box[2]) / 2 < x1]
            above = [w for w in col if grid.ys[k] <= (w.box[1] + w.box[3]) / 2 < y]
            below = [w for w in col if y <= (w.box[1] + w.box[3]) / 2 < grid.ys[k + 2]]
            crossing = [w for w in col if w.box[1] < y - 2 and w.box[3] > y + 2]
            if above and below and not crossing:
                grid.h_open[k][c] = False
    grid.merge_cells()


def page_table(tl: TableLines, page: int, dpi: int) -> PageTable | None:
    grid = layout.make_grid(tl.h, tl.v, dpi)
    if grid is None:
        return None
    words = [w for w in tl.words if w.text.strip()]
    _restore_faded(grid, words)
    by_pos: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        loc = grid.locate((w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2)
        if loc is None:
            continue
        cell = grid.cell_at(*loc)
        if cell is not None:
            by_pos.setdefault((cell.row, cell.col), []).append(w)
    return PageTable(grid=grid, words=by_pos, page=page, dpi=dpi)


def _cell_lines(words: list[Word]) -> list[list[Word]]:
    """A cell's words in lines, top to bottom, each left to right."""
    lines: list[list[Word]] = []
    for w in sorted(words, key=lambda w: ((w.box[1] + w.box[3]) / 2, w.box[0])):
        mid = (w.box[1] + w.box[3]) / 2
        for ln in lines:
            top = min(x.box[1] for x in ln)
            bottom = max(x.box[3] for x in ln)
            if top <= mid <= bottom:
                ln.append(w)
                break
        else:
            lines.append([w])
    lines.sort(key=lambda ln: min(x.box[1] for x in ln))
    return [sorted(ln, key=lambda x: x.box[0]) for ln in lines]


def _cell_text(words: list[Word]) -> str:
    """A cell's lines joined; dirt dropped: symbol-only words, specks far smaller than the
    cell's text (a diacritic read as a word), a lone word that is noise."""
    if not words:
        return ""
    h = statistics.median(w.box[3] - w.box[1] for w in words)
    texts = []
    for ln in _cell_lines(words):
        ws = [w for w in ln if any(c.isalnum() for c in w.text) and w.box[3] - w.box[1] >= 0.4 * h]
        if not ws or (len(ws) == 1 and is_noise(ws[0].text, ws[0].conf)):
            continue
        t = line_text([w.text for w in ws])
        if t:
            texts.append(t)
    return fix_label(" ".join(texts))


def to_table(parts: list[PageTable]) -> Table:
    """One Table from a table's parts on consecutive pages (rows appended)."""
    cells: list[Cell] = []
    offset = 0
    n_cols = parts[0].grid.n_cols
    for i, pt in enumerate(parts):
        g = pt.grid
        skip = 0
        if i > 0 and _repeats_header(parts[0], pt):
            skip = _header_rows(pt)
        for gc in g.cells:
            if gc.row < skip:
                continue
            text = _cell_text(pt.words.get((gc.row, gc.col), []))
            r = gc.row - skip + offset
            bbox = tuple(_pt(v, pt.dpi) for v in gc.box)
            prov = Provenance(row=r, col=gc.col, pages=[pt.page], bbox=bbox)
            paras = [Paragraph(text=text, runs=[Run(text=text)], provenance=prov.model_copy())] if text else []
            cells.append(Cell(row=r, col=gc.col, row_span=gc.row_span, col_span=gc.col_span, text=text,
                              paragraphs=paras, provenance=prov))
        offset += g.n_rows - skip
    first = parts[0]
    t = Table(n_rows=offset, n_cols=n_cols, cells=cells, bordered=True,
              provenance=Provenance(pages=[p.page for p in parts],
                                    bbox=tuple(_pt(v, first.dpi) for v in first.grid.box)))
    t.role = classify_table(t)
    return t


def _header_rows(pt: PageTable) -> int:
    """Rows covered by the cells of the first row (a header cell spanning two rows)."""
    return max((c.row_span for c in pt.grid.cells if c.row == 0), default=1)


def _repeats_header(first: PageTable, cont: PageTable) -> bool:
    """The continuation starts with the first part's header row again."""
    def row0(pt: PageTable) -> list[str]:
        return [_cell_text(pt.words.get((0, c), [])).lower() for c in range(pt.grid.n_cols)]

    a, b = row0(first), row0(cont)
    filled = [x for x in a if x]
    return bool(filled) and len(filled) >= 2 and a == b


def same_columns(a: layout.Grid, b: layout.Grid, page_width: float) -> bool:
    """Two grids with the same columns (the inner boundaries within 3% of the page width; the
    outer edge of a table drawn without its side border is less certain)."""
    if a.n_cols != b.n_cols:
        return False
    tol = 0.03 * page_width
    inner = all(abs(x - y) <= tol for x, y in zip(a.xs[1:-1], b.xs[1:-1]))
    outer = abs(a.xs[0] - b.xs[0]) <= 2 * tol + (a.xs[1] - a.xs[0]) / 2 and abs(a.xs[-1] - b.xs[-1]) <= 2 * tol
    return inner and (outer or a.n_cols >= 3)


# -- pages ---------------------------------------------------------------------------------

@dataclass
class PageLayout:
    page: PageOCR
    tables: list[PageTable]
    rows: list[Row]
    frame: Frame | None


def _furniture(pages: list[PageLayout]) -> set[tuple[int, int]]:
    """(page, row index) of running headers/footers: a line in the top or bottom margin whose
    text (digits aside) comes back on most pages, or a lone page number there."""
    if len(pages) < 2:
        return set()

    def key(t: str) -> str:
        return re.sub(r"\d+", "#", t.lower()).strip()

    seen: dict[str, set[int]] = {}
    marginal: list[tuple[int, int, str]] = []
    for pl in pages:
        h = pl.page.height
        for i, r in enumerate(pl.rows):
            if r.bottom < 0.08 * h or r.top > 0.92 * h:
                k = key(r.text)
                marginal.append((pl.page.page, i, k))
                seen.setdefault(k, set()).add(pl.page.page)
    out = set()
    for pg, i, k in marginal:
        if len(seen[k]) >= max(2, (len(pages) + 1) // 2) or re.fullmatch(r"[-–—\s]*#[-–—\s]*|trang #.*", k):
            out.add((pg, i))
    return out


def page_layout(page: PageOCR) -> PageLayout:
    tables = [t for t in (page_table(tl, page.page, page.dpi) for tl in page.tables) if t is not None]
    inside = []
    for w in page.words:  # words the page pass read inside a table's box belong to the table
        cx, cy = (w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2
        if not any(t.grid.locate(cx, cy) is not None for t in tables):
            inside.append(w)
    rows = visual_rows(line_pieces(inside, page.page))
    return PageLayout(page, tables, rows, body_frame(rows, page.width))


def _pitch(layouts: list[PageLayout]) -> float:
    vals = []
    for pl in layouts:
        for a, b in zip(pl.rows, pl.rows[1:]):
            d = b.top - a.top
            if 0.8 * a.height < d < 2.2 * a.height:
                vals.append(d)
    return statistics.median(vals) if vals else 70.0 * (layouts[0].page.dpi / 300 if layouts else 1)


def build_blocks(pages: list[PageOCR]) -> list:
    """The Document's blocks from its OCR pages."""
    layouts = [page_layout(p) for p in pages]
    drop = _furniture(layouts)
    frames = [pl.frame for pl in layouts if pl.frame]
    doc_frame = Frame(statistics.median(f.left for f in frames), statistics.median(f.right for f in frames)) \
        if frames else None
    pitch = _pitch(layouts)
    items: list[tuple] = []  # (kind, payload, page) in reading order
    for pl in layouts:
        fr = pl.frame or doc_frame or Frame(0, pl.page.width)
        rows = [r for i, r in enumerate(pl.rows) if (pl.page.page, i) not in drop]
        placed: list[tuple[float, tuple]] = []
        for t in pl.tables:
            placed.append((t.grid.ys[0], ("table", t, pl.page.page)))
        zones = find_zones(rows, fr, pitch)
        in_zone = set()
        for a, b, lo, hi in zones:
            zrows = rows[a:b + 1]
            in_zone.update(range(a, b + 1))
            placed.append((zrows[0].top, ("layout", zone_table(zrows, lo, hi, pl.page.dpi), pl.page.page)))
        # body rows between tables/zones: paragraphs within each stretch
        stretch: list[Row] = []
        anchors = sorted(y for y, _ in placed)

        def flush() -> None:
            for para in paragraphs(stretch, fr, pitch):
                placed.append((para[0].top, ("para", (para, fr), pl.page.page)))
            stretch.clear()

        for i, r in enumerate(rows):
            if i in in_zone:
                flush()
                continue
            if stretch and any(stretch[-1].top < y <= r.top for y in anchors):
                flush()
            stretch.append(r)
        flush()
        placed.sort(key=lambda t: t[0])
        items.extend(item for _, item in placed)
    _signature_block(items, layouts)
    return _assemble(items, layouts)


def _signature_block(items: list[tuple], layouts: list[PageLayout]) -> None:
    """The document's closing paragraphs, when they all stand in the right half of the text
    area with nothing on the left (the signer's title and name), become a two-column LAYOUT
    table with its left column empty, as Word lays them out."""
    k = len(items)
    while k > 0 and items[k - 1][0] == "para":
        rows, fr = items[k - 1][1]
        right = all(r.x0 >= fr.left + 0.35 * fr.width and (r.x0 + r.x1) / 2 >= fr.left + 0.55 * fr.width
                    for r in rows)
        if not right or len(rows) > 3 or (k < len(items) and items[k][2] - items[k - 1][2] > 1):
            break
        k -= 1
    if len(items) - k < 2:
        return
    rows = [r for _, (rs, _), _ in items[k:] for r in rs]
    fr = items[k][1][1]
    dpi = layouts[0].page.dpi
    table = zone_table(rows, fr.left, min(r.x0 for r in rows), dpi)
    items[k:] = [("layout", table, items[k][2])]


def _assemble(items: list[tuple], layouts: list[PageLayout]) -> list:
    """Blocks from the page items: tables continued across pages joined, paragraphs cut by a
    page end joined."""
    width = {pl.page.page: pl.page.width for pl in layouts}
    blocks: list = []
    i = 0
    n_tables = 0
    while i < len(items):
        kind, payload, page = items[i]
        bi = len(blocks)
        if kind == "table":
            parts = [payload]
            while i + 1 < len(items) and items[i + 1][0] == "table" and items[i + 1][2] == parts[-1].page + 1 \
                    and same_columns(parts[-1].grid, items[i + 1][1].grid, width[page]):
                i += 1
                parts.append(items[i][1])
            t = to_table(parts)
            t.provenance.block, t.provenance.table = bi, n_tables
            for c in t.cells:
                c.provenance.block, c.provenance.table = bi, n_tables
            n_tables += 1
            blocks.append(t)
        elif kind == "layout":
            payload.provenance.block, payload.provenance.table = bi, n_tables
            for c in payload.cells:
                c.provenance.block, c.provenance.table = bi, n_tables
            n_tables += 1
            blocks.append(payload)
        else:
            rows, fr = payload
            prev = items[i - 1] if i > 0 else None
            if prev and prev[0] == "para" and blocks and isinstance(blocks[-1], Paragraph) \
                    and prev[2] + 1 == page and _continues_page(prev[1], payload):
                rows = prev[1][0] + rows
                blocks.pop()
                bi = len(blocks)
                payload = (rows, fr)
                items[i] = ("para", payload, page)
            para = make_paragraph(rows, fr, layouts[0].page.dpi, Provenance(block=bi))
            if rows[0].page != rows[-1].page:
                para.provenance.pages = sorted({r.page for r in rows})
            blocks.append(para)
        i += 1
    return blocks


def _continues_page(prev: tuple, cur: tuple) -> bool:
    """The paragraph ending one page runs on at the top of the next: its last line is full,
    ends without a full stop, and the next line starts flush left in lower case."""
    (prows, pfr), (rows, fr) = prev, cur
    last, first = prows[-1], rows[0]
    if not _full(last, pfr) or _END.search(last.text):
        return False
    return first.x0 - fr.left < 0.5 * first.height and first.text[:1].islower()
