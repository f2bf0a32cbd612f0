"""Table records from the grids found in a PDF: cell paragraphs, and one table from a grid
continued on the following pages.

Each grid cell's lines become paragraphs (the cell is their frame; text set sideways is read
when a cell has nothing else). A continuation's repeated header rows are dropped (compared
loosely: a clipped header cell may lose words on one page), and its first row is merged into
the last row of the table so far when it is that row broken by the page end: no row number of
its own, and its texts carry on mid-sentence.
"""
from __future__ import annotations

from difflib import SequenceMatcher

from extractors.readers.common import clean_text
from extractors.readers.pdf.decode import PdfDecoder
from extractors.readers.pdf.lines import Line, rotated_text
from extractors.readers.pdf.paragraphs import Frame, Metrics, make_paragraph, split
from extractors.readers.pdf.tables import Grid
from models.document import Cell, Paragraph, Provenance, Run, Table, TableRole


def _cell_paragraphs(lines: list[Line], bbox, m: Metrics, decoder: PdfDecoder,
                     ruled: bool = True) -> list[Paragraph]:
    """A cell's paragraphs. A ruled cell's text fills its box less the padding; a borderless
    cell's box is only estimated from its neighbours (its right edge perhaps half an em short),
    so it is taken whole and a little wider, and a word broken at a line's end is told by its
    syllables instead."""
    if not lines:
        return []
    size = lines[0].size
    pad = 0.35 * size
    fr = Frame(bbox[0] + pad, bbox[2] - pad) if ruled else Frame(bbox[0], bbox[2] + 0.5 * size, True)
    return [make_paragraph(p, fr, decoder) for p in split(lines, fr, m)]


def _grid_cells(g: Grid, m: Metrics, decoder: PdfDecoder) -> list[Cell]:
    cells = []
    for gc in g.cells:
        paras = _cell_paragraphs(gc.lines, gc.bbox, m, decoder, g.ruled)
        sideways = "" if paras else clean_text(rotated_text(gc.chars))
        if sideways:
            paras = [Paragraph(text=sideways, runs=[Run(text=sideways)])]
        for p in paras:
            p.provenance.row, p.provenance.col = gc.row, gc.col
        cells.append(Cell(
            row=gc.row, col=gc.col, row_span=gc.row_span, col_span=gc.col_span,
            text=" ".join(p.text for p in paras if p.text),
            paragraphs=paras,
            provenance=Provenance(row=gc.row, col=gc.col, pages=[g.page],
                                  bbox=tuple(round(v, 2) for v in gc.bbox)),
        ))
    return cells


def _header_depth(cells: list[Cell]) -> int:
    """Rows taken by the header: row 0 plus the rows its merged cells reach down to."""
    depth = 1
    changed = True
    while changed:
        changed = False
        for c in cells:
            if c.row < depth and c.row + c.row_span > depth:
                depth = c.row + c.row_span
                changed = True
    return depth


def _rows_text(cells: list[Cell], start: int, stop: int, n_cols: int) -> list[list[str]]:
    g = [["" for _ in range(n_cols)] for _ in range(stop - start)]
    for c in cells:
        if start <= c.row < stop and c.col < n_cols:
            g[c.row - start][c.col] = " ".join(c.text.split()).lower()
    return g


def _covering(cells: list[Cell], row: int, col: int) -> Cell | None:
    for c in cells:
        if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
            return c
    return None


def _split_row(cells: list[Cell], last: int, cont: list[Cell]) -> bool:
    """`cont` (a continuation's first row) is the rest of row `last`, broken by the page end:
    no row number of its own, and each of its texts carries on a text of the row above in
    mid-sentence (one of them at least starts in lower case or with punctuation)."""
    filled = [c for c in cont if c.text]
    if not filled or any(c.row_span != 1 for c in filled):
        return False
    if any(c.col == 0 and c.text for c in cont):
        return False
    for c in filled:
        above = _covering(cells, last, c.col)
        if above is None or not above.text:
            return False
    return any(c.text[0].islower() or c.text[0] in ",.;:)]}/" for c in filled)


def _merge_into(cells: list[Cell], last: int, cont: list[Cell]) -> None:
    for c in cont:
        if not c.text:
            continue
        above = _covering(cells, last, c.col)
        above.paragraphs.extend(c.paragraphs)
        above.text = " ".join(p.text for p in above.paragraphs if p.text)
        above.provenance.pages = sorted(set(above.provenance.pages) | set(c.provenance.pages))


def _same_rows(a: list[list[str]], b: list[list[str]]) -> bool:
    """Header rows that read the same (a clipped cell may lose its last words on one page)."""
    if len(a) != len(b):
        return False
    for ra, rb in zip(a, b):
        x, y = "|".join(ra), "|".join(rb)
        if x != y and SequenceMatcher(None, x, y, autojunk=False).ratio() < 0.9:
            return False
    return True


def build_table(grids: list[Grid], m: Metrics, decoder: PdfDecoder) -> Table:
    """One Table from a grid and its continuations on the following pages: a repeated header
    is dropped, a row broken by the page end is made whole again."""
    first = grids[0]
    n_cols = first.n_cols
    cells = _grid_cells(first, m, decoder)
    n_rows = first.n_rows
    depth = _header_depth(cells)
    head = _rows_text(cells, 0, depth, n_cols)
    for g in grids[1:]:
        more = _grid_cells(g, m, decoder)
        skip = 0
        if g.n_rows > depth and _same_rows(_rows_text(more, 0, depth, n_cols), head):
            skip = depth  # the header repeated on the new page
        cont = [c for c in more if c.row == skip]
        if _split_row(cells, n_rows - 1, cont):
            _merge_into(cells, n_rows - 1, cont)
            skip += 1
        for c in more:
            if c.row + c.row_span <= skip:
                continue
            if c.row < skip:  # an empty cell reaching below the dropped rows keeps that part
                c.row_span -= skip - c.row
                c.row = skip
            c.row += n_rows - skip
            c.provenance.row = c.row
            for p in c.paragraphs:
                p.provenance.row = c.row
            cells.append(c)
        n_rows += g.n_rows - skip
    for c in cells:
        for p in c.paragraphs:
            p.provenance.row, p.provenance.col = c.row, c.col
    t = Table(n_rows=n_rows, n_cols=n_cols, cells=cells, bordered=all(g.ruled for g in grids),
              provenance=Provenance(pages=sorted({g.page for g in grids}),
                                    bbox=tuple(round(v, 2) for v in first.bbox)))
    t.role = _classify(t)
    return t


def _classify(t: Table) -> TableRole:
    try:
        from extractors.readers.word.docx import classify_table
    except (ImportError, AttributeError):
        return TableRole.DATA
    return classify_table(t)
