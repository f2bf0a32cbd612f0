"""Tables of a scanned page as Document tables: grid, cell text and confidence, continuation
over pages.

A ruled table's grid is rebuilt from its line segments (layout); a borderless one comes with
its grid (borderless). The words read cell by cell are placed by their centre. A row boundary
drawn across most of the table but open in some column (the line faded there) is closed where
the column's words stand apart on both sides of it; one missing all along is put back where
most cells of a row hold two lines at one height. Each cell keeps the lowest confidence of its
words, and a run per word. A number with a stray mark in a column of clean numbers ('58.',
"'66", a border's rest read as ')') loses the mark. A table at the top of a page with the
columns of the table ending the previous page continues it; a repeated header row is dropped.
"""
from __future__ import annotations

import re
import statistics
from difflib import SequenceMatcher
from dataclasses import dataclass, field

from extractors.readers.ocr import layout
from extractors.readers.word.docx import classify_table
from extractors.readers.ocr.engine import TableLines, Word
from extractors.readers.ocr.lines import Token, confident_runs, to_pt, word_tokens
from extractors.readers.ocr.text import fix_label, is_noise, join_lines, line_text
from models.document import Cell, Paragraph, Provenance, Table


@dataclass
class PageTable:
    grid: layout.Grid
    words: dict[tuple[int, int], list[Word]] = field(default_factory=dict)  # by grid position
    page: int = 0
    dpi: int = 300
    bordered: bool = True


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
            if above and below and not crossing and not _goes_on(below):
                grid.h_open[k][c] = False
    grid.merge_cells()


def _goes_on(below: list[Word]) -> bool:
    """The words under a missing piece of line open in lower case: the text above goes on
    ("Số học" / "sinh cuối năm" in a header cell merged over two rows), no new cell starts."""
    first = min(below, key=lambda w: ((w.box[1] + w.box[3]) / 2 // max(1, w.box[3] - w.box[1]), w.box[0]))
    return first.text[:1].isalpha() and first.text[:1].islower()


def _wrapped(grid: layout.Grid, k: int, words: list[Word]) -> bool:
    """Row k's cells hold two lines each because their text wraps ("Đầu" / "tháng", "Vào" /
    "viện" in a narrow header), not because a row boundary was lost: most second lines open in
    lower case."""
    y0, y1 = grid.ys[k], grid.ys[k + 1]
    opens = []
    for c in range(grid.n_cols):
        x0, x1 = grid.xs[c], grid.xs[c + 1]
        ws = [w for w in words if x0 <= (w.box[0] + w.box[2]) / 2 < x1 and y0 <= (w.box[1] + w.box[3]) / 2 < y1]
        lines = _cell_lines(ws) if ws else []
        if len(lines) == 2 and lines[1][0].text[:1].isalpha():
            opens.append(lines[1][0].text[:1].islower())
    return len(opens) >= 2 and 2 * sum(opens) > len(opens)


def _split_merged_rows(grid: layout.Grid, words: list[Word]) -> None:
    """A row boundary missing all along (a line too faint or blurred to find): a grid row
    whose cells mostly hold two lines each, the gaps between them at one height, is two rows."""
    k = 0
    while k < grid.n_rows:
        y0, y1 = grid.ys[k], grid.ys[k + 1]
        gaps, filled = [], 0
        for c in range(grid.n_cols):
            cell = grid.cell_at(k, c)
            if cell is None or cell.row != k or cell.row_span != 1 or cell.col != c:
                continue
            x0, x1 = grid.xs[c], grid.xs[c + cell.col_span]
            ws = [w for w in words if x0 <= (w.box[0] + w.box[2]) / 2 < x1 and y0 <= (w.box[1] + w.box[3]) / 2 < y1]
            if not ws:
                continue
            filled += 1
            lines = _cell_lines(ws)
            if len(lines) == 2:
                gaps.append((max(w.box[3] for w in lines[0]), min(w.box[1] for w in lines[1]),
                             statistics.median(w.box[3] - w.box[1] for w in ws)))
        if len(gaps) >= 3 and len(gaps) >= 0.7 * filled and not _wrapped(grid, k, words):
            lo, hi = max(a for a, _, _ in gaps), min(b for _, b, _ in gaps)
            inside = [w for w in words if y0 <= w.box[1] < y1 and x_in(w, grid)]
            # the lowest height between the two lines of every such cell that cuts no word (a
            # wrapped label in another cell reaches further down than the numbers)
            mid = next((y for y in range(int(hi), int(lo), -1)
                        if not any(w.box[1] < y < w.box[3] for w in inside)), None)
            if mid is not None:
                grid.ys.insert(k + 1, float(mid))
                grid.v_open.insert(k + 1, list(grid.v_open[k]))
                grid.h_open.insert(k, [False] * grid.n_cols)
                grid.merge_cells()
                k += 1
        k += 1


def x_in(w: Word, grid: layout.Grid) -> bool:
    return grid.xs[0] <= (w.box[0] + w.box[2]) / 2 < grid.xs[-1]


def page_table(tl: TableLines, page: int, dpi: int) -> PageTable | None:
    words = [w for w in tl.words if w.text.strip()]
    if tl.grid is not None:  # borderless: the grid found from the words' columns
        return PageTable(grid=tl.grid, words=place_words(tl.grid, words), page=page, dpi=dpi, bordered=tl.bordered)
    grid = layout.make_grid(tl.h, tl.v, dpi)
    if grid is None:
        return None
    _restore_faded(grid, words)
    _split_merged_rows(grid, words)
    placed = place_words(grid, words)
    if _open_flowing_header(grid, placed):
        placed = place_words(grid, words)
    return PageTable(grid=grid, words=placed, page=page, dpi=dpi)


def _open_flowing_header(grid: layout.Grid, placed: dict[tuple[int, int], list[Word]]) -> bool:
    """A header cell merged over several columns whose text a stroke made look divided ("Số đơn
    vi" | "máu tiếp nhận" for "Số đơn vị máu tiếp nhận"): in the header rows (above the first row
    holding a number), a cell whose first word opens in lower case on the line where its left
    neighbour's text ends goes on with that text; the boundary between them is open. True when
    one was opened (the cells merged)."""
    first_data = next((r for r in range(grid.n_rows)
                       if any(_NUMBER.match(w.text) for (rr, _), ws in placed.items() if rr == r for w in ws)),
                      grid.n_rows)
    opened = False
    for r in range(min(first_data, grid.n_rows)):
        for c in range(1, grid.n_cols):
            left, right = placed.get((r, c - 1)), placed.get((r, c))
            if not left or not right or grid.v_open[r][c - 1]:
                continue
            a, b = grid.cell_at(r, c - 1), grid.cell_at(r, c)
            if a is None or b is None or a.row != r or b.row != r or a.row_span != b.row_span:
                continue
            words_r = [w for w in right if any(ch.isalnum() for ch in w.text)]
            if not words_r:
                continue
            head = _cell_lines(words_r)[0][0]  # the first line's first word
            tail = _cell_lines(left)[-1][-1]  # the last line's last word
            h = max(1, head.box[3] - head.box[1])
            same_line = abs((head.box[1] + head.box[3]) - (tail.box[1] + tail.box[3])) / 2 <= 0.5 * h
            x = grid.xs[c]
            across = x - tail.box[2] <= 1.5 * h and head.box[0] - x <= 1.5 * h  # the text runs over it
            if head.text[:1].isalpha() and head.text[:1].islower() and same_line and across \
                    and tail.text[-1:] not in ".;:" and not _NUMBER.match(tail.text):
                for rr in range(r, r + a.row_span):
                    grid.v_open[rr][c - 1] = True
                opened = True
    if opened:
        grid.merge_cells()
    return opened


def place_words(grid: layout.Grid, words: list[Word]) -> dict[tuple[int, int], list[Word]]:
    """The words by the grid cell (its top-left position) holding their centre."""
    by_pos: dict[tuple[int, int], list[Word]] = {}
    for w in words:
        loc = grid.locate((w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2)
        if loc is None:
            continue
        cell = grid.cell_at(*loc)
        if cell is not None:
            by_pos.setdefault((cell.row, cell.col), []).append(w)
    return by_pos


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


def _joining_dash(line: list[Word], k: int) -> bool:
    """A dash standing between two words of a line ("Chênh lệch thu - chi", "Thu - Chi"): part of
    the text, not a speck."""
    return line[k].text in ("-", "–", "—") and 0 < k < len(line) - 1 \
        and line[k - 1].text[-1:].isalpha() and line[k + 1].text[:1].isalpha() and line[k].conf >= 50


def _cell_reading(words: list[Word]) -> tuple[str, list[Token]]:
    """A cell's lines joined, and its repaired words with their confidence (0-1); dirt
    dropped: symbol-only words, specks far smaller than the cell's text (a diacritic read as a
    word), a lone letter read with little confidence beside other words, a lone word that is
    noise."""
    if not words:
        return "", []
    h = statistics.median(w.box[3] - w.box[1] for w in words)
    texts = []
    tokens: list[tuple[str, float]] = []
    for ln in _cell_lines(words):
        ws = [w for k, w in enumerate(ln) if (any(c.isalnum() or c == "%" for c in w.text)
                                              and w.box[3] - w.box[1] >= 0.4 * h or _joining_dash(ln, k))]
        if len(ws) > 1:  # a speck beside the text, read as a lone letter with little confidence
            ws = [w for w in ws if not (len(w.text) == 1 and w.text.isalpha() and w.conf < 40)]
        if not ws or (len(ws) == 1 and ws[0].text.strip("()") != "%" and is_noise(ws[0].text, ws[0].conf)):
            continue  # ('%' or '(%)' alone is a column's title or its unit: "SL | %")
        t = line_text([w.text for w in ws])
        if t:
            texts.append(t)
            tokens.extend(word_tokens(ws))
    return fix_label(join_lines(texts)), tokens


def _cell_text(words: list[Word]) -> str:
    return _cell_reading(words)[0]


_NUMBER = re.compile(r"^[-+(]?\d[\d.,]*%?\)?$")
_STRAY = re.compile(r"^[^\w+\-(]+|(?<=[\d%)])[^\w%)]+$")


def _strip_strays(readings: list[list]) -> None:
    """Numbers with a stray mark ('58.', '.158', "'66": a speck read as punctuation) in a
    column whose other numbers are written without: the mark dropped. (A column of '1.' '2.'
    ordinals keeps its full stops.) `readings`: [grid cell, col, text, tokens] per cell."""
    by_col: dict[int, list[list]] = {}
    for item in readings:
        if item[2] and _NUMBER.match(_STRAY.sub("", item[2]).rstrip(")") if "(" not in item[2] else
                                     _STRAY.sub("", item[2])):
            by_col.setdefault(item[1], []).append(item)
    for items in by_col.values():
        clean = sum(1 for it in items if _NUMBER.match(it[2]) and not it[2].endswith("."))
        if clean < 2 or clean < 0.6 * len(items):
            continue
        for it in items:
            bare = _STRAY.sub("", it[2])
            if bare.endswith(")") and "(" not in bare:  # a border's rest, not a bracket
                bare = bare[:-1]
            if bare != it[2]:
                it[2] = bare
                it[3] = [(t if i else _STRAY.sub("", t), c, b) for i, (t, c, b) in enumerate(it[3])]
                if it[3]:
                    t, c, b = it[3][-1]
                    it[3][-1] = (_STRAY.sub("", t), c, b)


def to_table(parts: list[PageTable]) -> Table:
    """One Table from a table's parts on consecutive pages (rows appended)."""
    cells: list[Cell] = []
    offset = 0
    n_cols = parts[0].grid.n_cols
    read: list[tuple[PageTable, int, list]] = []  # (part, row offset, [grid cell, col, text, tokens])
    starts: list[int] = []  # the first row of each continued part
    for i, pt in enumerate(parts):
        g = pt.grid
        skip = 0
        if i > 0 and _repeats_header(parts[0], pt):
            skip = _header_rows(pt)
        for gc in g.cells:
            if gc.row < skip:
                continue
            text, tokens = _cell_reading(pt.words.get((gc.row, gc.col), []))
            read.append((pt, gc.row - skip + offset, [gc, gc.col, text, tokens]))
        if i > 0:
            starts.append(offset)
        offset += g.n_rows - skip
    for b in reversed(starts):
        if _join_split_row(read, b):
            offset -= 1
    _strip_strays([item for _, _, item in read])
    for pt, r, (gc, _, text, tokens) in read:
        bbox = tuple(to_pt(v, pt.dpi) for v in gc.box)
        prov = Provenance(row=r, col=gc.col, pages=[pt.page], bbox=bbox)
        runs = confident_runs(text, tokens)
        paras = [Paragraph(text=text, runs=runs, provenance=prov.model_copy())] if text else []
        conf = min((c for _, c, _ in tokens), default=None) if text else None
        cells.append(Cell(row=r, col=gc.col, row_span=gc.row_span, col_span=gc.col_span, text=text,
                          paragraphs=paras, provenance=prov, confidence=conf))
    first = parts[0]
    t = Table(n_rows=offset, n_cols=n_cols, cells=cells, bordered=first.bordered,
              provenance=Provenance(pages=[p.page for p in parts],
                                    bbox=tuple(to_pt(v, first.dpi) for v in first.grid.box)))
    t.role = classify_table(t)
    return t


def _join_split_row(read: list[tuple[PageTable, int, list]], b: int) -> bool:
    """A row that a page break cut in two: the continuation's first row b holds only the rest of
    the last row's words ("Lừa đảo chiếm" / "đoạt tài sản", "Tổng" / "cộng"), lower-case, each
    under a cell of row b − 1 that has text, no number among them. Its words join that row's
    (`read` changed in place: the rows below move up one); True when joined."""
    here = [(k, it) for k, (_, r, it) in enumerate(read) if r == b and it[2]]
    above = {it[1]: it for _, r, it in read if r == b - 1 and it[2]}
    if not here or any(not it[2][:1].islower() or it[1] not in above or any(ch.isdigit() for ch in it[2])
                       for _, it in here):
        return False
    for _, it in here:
        up = above[it[1]]
        up[2] = f"{up[2]} {it[2]}"
        up[3] = list(up[3]) + list(it[3])
    drop = {k for k, (_, r, _) in enumerate(read) if r == b}
    read[:] = [(pt, r - 1 if r > b else r, it) for k, (pt, r, it) in enumerate(read) if k not in drop]
    return True


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
