"""Ruled tables of a scanned page as Document tables: grid, cell text, continuation over pages.

The grid is rebuilt from the table's line segments (layout) and the words read cell by cell
are placed by their centre. A row boundary drawn across most of the table but open in some
column (the line faded there) is closed where the column's words stand apart on both sides of
it. A table at the top of a page with the columns of the table ending the previous page
continues it; a repeated header row is dropped.
"""
from __future__ import annotations

import statistics
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from extractors.readers.ocr import layout
from extractors.readers.word.docx import classify_table
from extractors.readers.ocr.engine import TableLines, Word
from extractors.readers.ocr.lines import to_pt
from extractors.readers.ocr.text import fix_label, is_noise, line_text
from models.document import Cell, Paragraph, Provenance, Run, Table


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
            bbox = tuple(to_pt(v, pt.dpi) for v in gc.box)
            prov = Provenance(row=r, col=gc.col, pages=[pt.page], bbox=bbox)
            paras = [Paragraph(text=text, runs=[Run(text=text)], provenance=prov.model_copy())] if text else []
            cells.append(Cell(row=r, col=gc.col, row_span=gc.row_span, col_span=gc.col_span, text=text,
                              paragraphs=paras, provenance=prov))
        offset += g.n_rows - skip
    first = parts[0]
    t = Table(n_rows=offset, n_cols=n_cols, cells=cells, bordered=True,
              provenance=Provenance(pages=[p.page for p in parts],
                                    bbox=tuple(to_pt(v, first.dpi) for v in first.grid.box)))
    t.role = classify_table(t)
    return t


def _header_rows(pt: PageTable) -> int:
    """Rows covered by the cells of the first row (a header cell spanning two rows)."""
    return max((c.row_span for c in pt.grid.cells if c.row == 0), default=1)


def _repeats_header(first: PageTable, cont: PageTable) -> bool:
    """The continuation starts with the first part's header row again (read alike: OCR may
    differ in a letter)."""
    def row0(pt: PageTable) -> list[str]:
        return [_cell_text(pt.words.get((0, c), [])).lower() for c in range(pt.grid.n_cols)]

    a, b = row0(first), row0(cont)
    if sum(1 for x in a if x) < 2 or [bool(x) for x in a] != [bool(x) for x in b]:
        return False
    return SequenceMatcher(None, " | ".join(a), " | ".join(b), autojunk=False).ratio() >= 0.85


def same_columns(a: layout.Grid, b: layout.Grid, page_width: float) -> bool:
    """Two grids with the same columns (the inner boundaries within 3% of the page width; the
    outer edge of a table drawn without its side border is less certain)."""
    if a.n_cols != b.n_cols:
        return False
    tol = 0.03 * page_width
    inner = all(abs(x - y) <= tol for x, y in zip(a.xs[1:-1], b.xs[1:-1]))
    outer = abs(a.xs[0] - b.xs[0]) <= 2 * tol + (a.xs[1] - a.xs[0]) / 2 and abs(a.xs[-1] - b.xs[-1]) <= 2 * tol
    return inner and (outer or a.n_cols >= 3)
