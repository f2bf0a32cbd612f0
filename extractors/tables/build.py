"""Table records: every DATA table of a Document as columns, body rows, total row and parsed
values, with the parent/child structure of its rows and each cell's provenance.

Pipeline per table (each step a small module): grid view (grid) → header rows and
flattened "Parent / Child" column names (headers) → body rows read as label, marker and
values (rows) → total row and subtotals (totals) → parent rows and children
(hierarchy). Layout tables (header block, signature block) are skipped.

Conventions of the record:
- `rows` and `total_row` hold one string per grid column, as written (Table.grid()): a merged
  cell's text in its first row and column, "" where it spans. Fully empty rows and repeated
  header rows (a table continued on a new page) are not rows.
- The total row is taken out of `rows`; `values` and `cell_locations` list the rows, then the
  total row last. `values` is None for text, empty and dash cells and for the TT/STT column
  (its "1.1" are labels); a malformed number ("8.28") is kept as a malformed Number.
- `parent_rows`/`children` index `rows`; index len(rows) stands for the total row (a total
  followed by "Trong đó: …" rows has them as children), as in Flag.row.
"""
from __future__ import annotations

from extractors.sections.outline import Outline
from extractors.tables.grid import TableGrid
from extractors.tables.headers import (
    Header, column_names, find_header, is_numbering_row, label_column, stt_column, unit_column,
)
from extractors.tables.hierarchy import aggregate_parents
from extractors.tables.labels import fold, is_trong_do
from extractors.tables.ordinals import repair_ordinals
from extractors.tables.rows import Columns, body_row
from extractors.tables.totals import choose_totals
from models.document import Document, Provenance, Table, TableRole
from models.report import Number, TableRecord

_LAYOUT_WORDS = ("cong hoa xa hoi chu nghia", "doc lap tu do hanh phuc", "noi nhan")


def extract_tables(doc: Document, outline: Outline) -> list[TableRecord]:
    """One TableRecord per DATA table with a body, ids t1, t2, … in document order."""
    records: list[TableRecord] = []
    for bi, block in enumerate(doc.blocks):
        if not isinstance(block, Table) or block.role != TableRole.DATA or is_layout(block):
            continue
        rec = table_record(block, f"t{len(records) + 1}", bi, outline, ocr=doc.source.ocr)
        if rec is not None:
            records.append(rec)
    return records


def is_layout(t: Table) -> bool:
    """A header or signature block that a reader left marked as data: the national motto or
    "Nơi nhận" in a narrow table."""
    if t.n_cols > 3:
        return False
    text = fold(" ".join(c.text for c in t.cells))
    return any(w in text for w in _LAYOUT_WORDS)


def _body_rows(g: TableGrid, header: Header) -> list[int]:
    """Grid rows after the header, without empty rows and repeated header rows."""
    head = {tuple(g.text[r]) for r in range(header.rows)}
    return [r for r in range(header.rows, g.n_rows)
            if g.nonempty(r) and tuple(g.text[r]) not in head
            and not (header.numbering_row is not None and is_numbering_row(g, r))]


def table_record(t: Table, tid: str, block_index: int, outline: Outline,
                 ocr: bool = False) -> TableRecord | None:
    """The record of one data table; None for a table without body rows or of one column.
    `ocr`: the text was OCR'd, so sequence numbers are read back from their neighbours."""
    g = TableGrid(t)
    if g.n_cols < 2:
        return None
    header = find_header(g)
    names = column_names(g, header)
    body = _body_rows(g, header)
    if not body:
        return None
    stt = stt_column(g, names, body)
    cols = Columns(stt=stt, label=label_column(g, body, stt), unit=unit_column(names), n=g.n_cols)
    ordinals: list[str | None] = [None] * len(body)
    if ocr and stt is not None:
        ordinals = repair_ordinals([g.text[r][stt] for r in body],
                                   [is_trong_do(g.text[r][cols.label]) for r in body])
    brows = [body_row(g, r, cols, o) for r, o in zip(body, ordinals)]
    totals = choose_totals(brows)
    parents = aggregate_parents(brows, totals)

    kept = [i for i in range(len(brows)) if i != totals.grand]
    index = {b: k for k, b in enumerate(kept)}
    if totals.grand is not None:
        index[totals.grand] = len(kept)
    order = kept + ([totals.grand] if totals.grand is not None else [])
    grid_rows = [body[i] for i in order]

    location = _with_block(t.provenance, block_index)
    return TableRecord(
        id=tid,
        section=outline.section_of(block_index),
        columns=names,
        rows=[list(g.text[body[i]]) for i in kept],
        total_row=list(g.text[body[totals.grand]]) if totals.grand is not None else None,
        header_rows=header.rows,
        total_row_index=body[totals.grand] if totals.grand is not None else None,
        parent_rows=sorted(index[p] for p in parents),
        children={index[p]: [index[k] for k in ks] for p, ks in parents.items()},
        values=[_values(g, r, stt) for r in grid_rows],
        location=location,
        cell_locations=[[_cell_location(g, r, c, location) for c in range(g.n_cols)]
                        for r in grid_rows],
    )


def _values(g: TableGrid, r: int, stt: int | None) -> list[Number | None]:
    return [None if c == stt else g.numbers[r][c] for c in range(g.n_cols)]


def _with_block(p: Provenance, block_index: int) -> Provenance:
    return p if p.block is not None else p.model_copy(update={"block": block_index})


def _cell_location(g: TableGrid, r: int, c: int, table: Provenance) -> Provenance:
    """The provenance of the cell covering (r, c) (a merged cell's own, at its origin)."""
    cell = g.owner[r][c]
    if cell is None:
        return Provenance(block=table.block, table=table.table, row=r, col=c,
                          pages=list(table.pages))
    p = cell.provenance
    update: dict = {}
    if p.block is None:
        update["block"] = table.block
    if p.table is None:
        update["table"] = table.table
    if p.row is None:
        update.update(row=cell.row, col=cell.col)
    if not p.pages and table.pages:
        update["pages"] = list(table.pages)
    return p.model_copy(update=update) if update else p
