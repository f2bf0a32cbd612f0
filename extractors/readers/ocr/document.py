"""Turn OCR pages (words with boxes, ruled-table lines, borderless grids) into Document blocks in
reading order.

First each word is marked bold or not from its stroke width against the document's body text
(lines.mark_bold). Per page: the tables, ruled and borderless (tables), the two-column layout
zones (zones) and the paragraphs of the remaining lines (lines), placed by their top. Running
headers/footers repeated on most pages (a scanner app's stamp, a page number; read alike, a
letter or two apart) and scanner dirt are dropped. The
document's closing lines standing alone in the right half (the signer) become a LAYOUT table.
Across pages, tables continued on the next page are joined and so is a paragraph cut by the
page end.
"""
from __future__ import annotations

import re
import statistics
from dataclasses import dataclass
from difflib import SequenceMatcher

from extractors.readers.ocr.engine import PageOCR
from extractors.readers.ocr.lines import (
    END, Frame, Row, body_frame, full, line_pieces, make_paragraph, mark_bold, paragraphs, visual_rows,
)
from extractors.readers.ocr.tables import PageTable, page_table, same_columns, to_table
from extractors.readers.ocr.zones import find_zones, zone_table
from models.document import Paragraph, Provenance


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
    keys = list(seen)
    for k in keys:  # the same line read with a letter or two different on other pages
        seen[k] = set().union(*(seen[j] for j in keys
                               if j == k or SequenceMatcher(None, j, k, autojunk=False).ratio() >= 0.8))
    out = set()
    for pg, i, k in marginal:
        if len(seen[k]) >= max(2, (len(pages) + 1) // 2) or re.fullmatch(r"[-–—\s]*#[-–—\s]*|trang #.*", k):
            out.add((pg, i))
    return out


def page_layout(page: PageOCR) -> PageLayout:
    tables = [t for t in (page_table(tl, page.page, page.dpi) for tl in page.tables) if t is not None]

    def outside(words):  # words the page pass read inside a table's box belong to the table
        return [w for w in words if not any(t.grid.locate((w.box[0] + w.box[2]) / 2, (w.box[1] + w.box[3]) / 2)
                                            is not None for t in tables)]

    inside = outside(page.words)
    tables.sort(key=lambda t: t.grid.ys[0])
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
    mark_bold([w for p in pages for w in p.words] + [w for p in pages for t in p.tables for w in t.words])
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
    if not full(last, pfr) or END.search(last.text):
        return False
    return first.x0 - fr.left < 0.5 * first.height and first.text[:1].islower()
