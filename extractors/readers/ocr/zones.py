"""Borderless two-column zones of a scanned page (issuer | national motto, 'Nơi nhận' | signer).

Word lays these out as borderless tables, so the scan shows rows whose text stands in two
pieces far apart. A zone starts at such a split row and grows over the neighbouring rows that
are split at the same place or sit wholly on one side of the gutter (a lone line centred on the
page is a title and ends it). Each column's lines are grouped into paragraphs, a row with text
on both sides starting one in each; a paragraph starting in either column starts a grid row.
The result is a LAYOUT `Table` whose grid reads row by row like the Word original.
"""
from __future__ import annotations

import re

from extractors.readers.ocr.lines import Frame, Piece, Row, bbox_pt, centred, full, is_break, make_paragraph, to_pt
from models.document import Cell, Provenance, Table, TableRole


_NOI_NHAN = re.compile(r"^\W{0,2}n[oơ]i\s*nh[aâậ]n\b", re.IGNORECASE)


def _opens_closing(r: Row) -> bool:
    """A row whose left piece is the recipients' heading ("Nơi nhận:")."""
    return bool(_NOI_NHAN.match(r.pieces[0].text.strip()))


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
        if centred(r, fr):
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
            if _opens_closing(rows[a]):
                break  # "Nơi nhận:" opens the signature block: the line above is the report's
                # last line ("VI. Kiến nghị, đề xuất" / "Không.")
            if a - 2 >= 0 and full(rows[a - 2], fr) and not is_break(rows[a - 2], cand, fr, pitch):
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
            cells.append(Cell(row=r, col=c, text=para.text, paragraphs=[para], confidence=para.confidence,
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
                prov.bbox = (to_pt(xs[2 * c], dpi), ob[1], to_pt(max(xs[2 * c], xs[2 * c + 1]), dpi), ob[3])
            cells.append(Cell(row=r, col=c, provenance=prov))
    cells.sort(key=lambda c: (c.row, c.col))
    first = [r for r in rows if r.page == rows[0].page]
    return Table(n_rows=len(starts), n_cols=2, cells=cells, role=TableRole.LAYOUT, bordered=False,
                 provenance=Provenance(pages=sorted({r.page for r in rows}), bbox=bbox_pt(first, dpi)))
