"""Borderless two-column blocks of a PDF page (issuer | national motto, 'Nơi nhận' | signer).

Word lays these out as borderless tables, so the PDF shows lines whose baseline carries two
pieces of text far apart. A region starts at such a split row and grows over the neighbouring
rows that are split at the same place or sit wholly on one side of the gutter. Each column's
lines are grouped into paragraphs (each line is one when the block was typed with a tab stop);
a paragraph set apart from the line above it starts a grid row (paragraphs of one cell follow at
the line pitch). The result is a LAYOUT `Table` whose grid reads row by row like the Word
original.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from extractors.readers.pdf.lines import Line
from extractors.readers.pdf.decode import PdfDecoder
from extractors.readers.pdf.paragraphs import Frame, Metrics, make_paragraph, split
from models.document import Cell, Provenance, Table, TableRole

_NOI_NHAN = re.compile(r"(?i)^nơi\s+nhận\b")
NEAR_ROWS = 3.0  # a row joins a region when at most this many line pitches below/above it
FAR_ROWS = 8.0  # … or this many for a lone right-hand line (the signer's name under the signature)


@dataclass
class Region:
    rows: list[list[Line]] = field(default_factory=list)
    lo: float = 0.0  # the gutter between the columns: lo ≤ gutter ≤ hi
    hi: float = 0.0

    @property
    def lines(self) -> list[Line]:
        return [ln for r in self.rows for ln in r]

    @property
    def top(self) -> float:
        return min(ln.top for ln in self.lines)


def _rows(lines: list[Line]) -> list[list[Line]]:
    rows: list[list[Line]] = []
    for ln in lines:
        if rows and rows[-1][0].row == ln.row:
            rows[-1].append(ln)
        else:
            rows.append([ln])
    return rows


def _sides(row: list[Line]) -> tuple[list[Line], list[Line]]:
    """A row's lines split at its widest gap: (left side, right side)."""
    if len(row) < 2:
        return row, []
    k = max(range(len(row) - 1), key=lambda i: row[i + 1].x0 - row[i].x1)
    return row[: k + 1], row[k + 1:]


def _fits(row: list[Line], lo: float, hi: float, frame: Frame) -> tuple[float, float] | None:
    """The narrowed gutter if `row` fits a region with gutter [lo, hi], else None. A lone line
    centred on the page is a title, not a column's text."""
    mid = (lo + hi) / 2
    x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
    if len(row) >= 2 and (x1 <= mid or x0 >= mid):  # pieces of one column ("ngày    tháng")
        nlo, nhi = (max(lo, x1), hi) if x1 <= mid else (lo, min(hi, x0))
    elif len(row) >= 2:
        # split the row at the gap that lies best over the gutter
        k = max(range(len(row) - 1), key=lambda i: min(hi, row[i + 1].x0) - max(lo, row[i].x1))
        nlo, nhi = max(lo, row[k].x1), min(hi, row[k + 1].x0)
    elif len(row) == 1:
        ln = row[0]
        if abs((ln.x0 + ln.x1) / 2 - (frame.left + frame.right) / 2) <= max(4.0, 0.03 * frame.width):
            return None
        if ln.x1 <= mid:
            nlo, nhi = max(lo, ln.x1), hi
        elif ln.x0 >= mid:
            nlo, nhi = lo, min(hi, ln.x0)
        else:
            return None
    else:
        return None
    return (nlo, nhi) if nhi - nlo >= 1.0 else None


def _continues(prev: list[Line], row: list[Line], frame: Frame, m: Metrics) -> bool:
    """`row` carries on a full-width body line just above it (so it is body text)."""
    if len(prev) != 1 or len(row) != 1:
        return False
    a, b = prev[0], row[0]
    return (b.baseline - a.baseline <= m.pitch(a.size) + 2.0 and frame.right - a.x1 < 2 * a.size
            and a.x0 - frame.left < 2 * a.size)


def _centred_row(row: list[Line], frame: Frame) -> bool:
    x0, x1 = min(ln.x0 for ln in row), max(ln.x1 for ln in row)
    return abs((x0 + x1) / 2 - (frame.left + frame.right) / 2) <= max(4.0, 0.03 * frame.width)


def _in_paragraph(rows: list[list[Line]], i: int, frame: Frame, m: Metrics) -> bool:
    """Row i is a justified body line stretched apart (few long words), not two columns: it runs
    margin to margin and a full line of the same paragraph sits right above or below it."""
    row = rows[i]
    size = row[0].size
    if row[0].x0 - frame.left > 3 * size or frame.right - row[-1].x1 > size:
        return False
    near = m.pitch(size) + 2.0
    if i > 0 and len(rows[i - 1]) == 1:
        a = rows[i - 1][0]
        if 0 < row[0].baseline - a.baseline <= near and frame.right - a.x1 <= size:
            return True
    if i + 1 < len(rows) and len(rows[i + 1]) == 1:
        b = rows[i + 1][0]
        if 0 < b.baseline - row[0].baseline <= near and b.x0 - frame.left <= size:
            return True
    return False


def find_regions(lines: list[Line], frame: Frame, m: Metrics) -> list[Region]:
    """Two-column regions among one page's body lines (in reading order)."""
    rows = _rows(lines)
    small = 0.7 * m.body_size  # chart labels are no header block ("Nơi nhận" lists may be 11pt)
    used = [any(ln.size < small for ln in r) for r in rows]
    regions: list[Region] = []
    for i, row in enumerate(rows):
        if used[i] or len(row) < 2 or _in_paragraph(rows, i, frame, m):
            continue
        left, right = _sides(row)
        lo, hi = max(ln.x1 for ln in left), min(ln.x0 for ln in right)
        members = [i]
        # grow downwards
        j = i + 1
        while j < len(rows) and not used[j]:
            prev, cand = rows[members[-1]], rows[j]
            got = _fits(cand, lo, hi, frame)
            if got is None:
                break
            gap = cand[0].top - max(ln.bottom for ln in prev)
            side_right = len(cand) == 1 and cand[0].x0 >= (lo + hi) / 2
            limit = (FAR_ROWS if side_right else NEAR_ROWS) * m.pitch(cand[0].size)
            if gap > limit:
                break
            lo, hi = got
            members.append(j)
            j += 1
        # grow upwards
        k = i - 1
        while k >= 0 and not used[k]:
            cand, below = rows[k], rows[members[0]]
            got = _fits(cand, lo, hi, frame)
            if got is None:
                break
            gap = min(ln.top for ln in below) - max(ln.bottom for ln in cand)
            if gap > NEAR_ROWS * m.pitch(cand[0].size):
                break
            if k > 0 and _continues(rows[k - 1], cand, frame, m):
                break
            if any(_NOI_NHAN.match(ln.text.strip()) for ln in below):
                break  # "Nơi nhận:" opens the signature block: the line above is the report's
            # last line ("VI. Kiến nghị, đề xuất" / "Không.")
            lo, hi = got
            members.insert(0, k)
            k -= 1
        if len(members) == 1 and _centred_row(row, frame):
            continue  # a centred line with a blank in it: "(Kèm theo Báo cáo số      /BC-UBND …)"
        for r in members:
            used[r] = True
        regions.append(Region([rows[r] for r in members], lo, hi))
    return regions


def region_table(reg: Region, m: Metrics, decoder: PdfDecoder | None) -> Table:
    """A LAYOUT table from a region: two columns, a row per paragraph start."""
    mid = (reg.lo + reg.hi) / 2
    cols: list[list[Line]] = [[], []]
    for ln in reg.lines:
        cols[0 if (ln.x0 + ln.x1) / 2 <= mid else 1].append(ln)
    # Typed with a tab stop (both columns flush left at fixed positions), each line is its own
    # paragraph, so its own row; in a borderless table a column's lines are paragraphs as usual.
    tabbed = all(len(col) >= 2 and max(ln.x0 for ln in col) - min(ln.x0 for ln in col) <= 1.5
                 for col in cols)
    col_paras: list[list[list[Line]]] = []
    for col in cols:
        if not col:
            col_paras.append([])
            continue
        fr = Frame(min(ln.x0 for ln in col), max(ln.x1 for ln in col))
        col_paras.append([[ln] for ln in col] if tabbed else split(col, fr, m))
    # A paragraph opens a grid row when it stands apart from the line above it (rows of a
    # borderless table are spaced; paragraphs of one cell follow at the line pitch), or when
    # the block was typed line by line with a tab stop.
    tol = 0.5 * min(ln.size for ln in reg.lines)
    starts = sorted((p[0].page, p[0].baseline, p[0].size) for ps in col_paras for p in ps)
    baselines = sorted((ln.page, ln.baseline) for ln in reg.lines)
    row_starts: list[tuple[int, float]] = []
    for pg, bl, size in starts:
        if row_starts and pg == row_starts[-1][0] and bl - row_starts[-1][1] <= tol:
            continue  # beside a paragraph that opened this row
        above = [b for p2, b in baselines if p2 == pg and b < bl - tol]
        apart = not above or bl - max(above) > m.pitch(size) + max(2.0, 0.15 * size)
        if not row_starts or pg != row_starts[-1][0] or apart or tabbed:
            row_starts.append((pg, bl))

    def row_of(p: list[Line]) -> int:
        key = (p[0].page, p[0].baseline + tol)
        r = 0
        for i, s in enumerate(row_starts):
            if s <= key:
                r = i
        return r

    n_rows = len(row_starts)
    grid: dict[tuple[int, int], list] = {}
    for ci, ps in enumerate(col_paras):
        if not ps:
            continue
        fr = Frame(min(ln.x0 for p in ps for ln in p), max(ln.x1 for p in ps for ln in p))
        for p in ps:
            grid.setdefault((row_of(p), ci), []).append((p, fr))
    cells: list[Cell] = []
    for r in range(n_rows):
        for c in range(2):
            items = grid.get((r, c), [])
            paras = [make_paragraph(p, fr, decoder, Provenance(row=r, col=c)) for p, fr in items]
            prov = Provenance(row=r, col=c)
            if paras:
                prov.pages = sorted({pg for p in paras for pg in p.provenance.pages})
                bbs = [p.provenance.bbox for p in paras
                       if p.provenance.bbox and p.provenance.pages[0] == prov.pages[0]]
                prov.bbox = (min(b[0] for b in bbs), min(b[1] for b in bbs),
                             max(b[2] for b in bbs), max(b[3] for b in bbs))
            cells.append(Cell(row=r, col=c, text=" ".join(p.text for p in paras if p.text),
                              paragraphs=paras, provenance=prov))
    pages = sorted({ln.page for ln in reg.lines})
    lines = [ln for ln in reg.lines if ln.page == pages[0]]
    bbox = (min(ln.x0 for ln in lines), min(ln.top for ln in lines),
            max(ln.x1 for ln in lines), max(ln.bottom for ln in lines))
    return Table(n_rows=n_rows, n_cols=2, cells=cells, role=TableRole.LAYOUT, bordered=False,
                 provenance=Provenance(pages=pages, bbox=tuple(round(v, 2) for v in bbox)))


def signature_block(paras: list[list[list[Line]]], frames: list[Frame]) -> Region | None:
    """The document's closing paragraphs when they all stand in the right half of the text
    area (a signer's block with nothing on the left): a two-column region, left column empty.
    `paras` are the last paragraphs of the document, in order, `frames` their text areas."""
    keep: list[list[Line]] = []
    for p, fr in zip(reversed(paras), reversed(frames)):
        right_side = all(
            ln.x0 >= fr.left + 0.35 * fr.width and (ln.x0 + ln.x1) / 2 >= fr.left + 0.55 * fr.width
            and ln.n_in_row == 1
            for ln in p
        )
        if not right_side or len(p) > 3:
            break
        keep.insert(0, p)
    if len(keep) < 2:
        return None
    lines = [ln for p in keep for ln in p]
    fr = frames[-1]
    return Region(rows=[[ln] for ln in lines], lo=fr.left, hi=min(ln.x0 for ln in lines))
