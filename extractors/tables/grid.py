"""A read-only view of a Table's grid for the table extractor: text, owning cell, boldness and
numeric reading of every grid position, computed once."""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property

from extractors.text.numbers import parse_number
from models.document import Cell, Table
from models.report import Number


@dataclass
class TableGrid:
    table: Table
    text: list[list[str]] = field(init=False)
    owner: list[list[Cell | None]] = field(init=False)  # the cell covering each position

    def __post_init__(self) -> None:
        t = self.table
        self.text = t.grid()
        self.owner = [[None] * t.n_cols for _ in range(t.n_rows)]
        for c in t.cells:
            for r in range(c.row, min(c.row + c.row_span, t.n_rows)):
                for k in range(c.col, min(c.col + c.col_span, t.n_cols)):
                    self.owner[r][k] = c

    @property
    def n_rows(self) -> int:
        return self.table.n_rows

    @property
    def n_cols(self) -> int:
        return self.table.n_cols

    @cached_property
    def numbers(self) -> list[list[Number | None]]:
        """Each position's text read as a Vietnamese number (None: text, dash or empty), with
        the OCR confidence of its cell (a cell's lowest word confidence; None from a text layer)."""
        out: list[list[Number | None]] = []
        for r, row in enumerate(self.text):
            nums: list[Number | None] = []
            for c, s in enumerate(row):
                n = parse_number(s) if s else None
                cell = self.owner[r][c]
                if n is not None and cell is not None and cell.confidence is not None:
                    n = n.model_copy(update={"confidence": cell.confidence})
                nums.append(n)
            out.append(nums)
        return out

    def is_origin(self, r: int, c: int) -> bool:
        """(r, c) is where a cell starts (its text lives there), not a covered position."""
        o = self.owner[r][c]
        return o is not None and o.row == r and o.col == c

    def origin_cells(self, r: int) -> list[Cell]:
        """The cells that start in row r, left to right."""
        return [self.owner[r][c] for c in range(self.n_cols) if self.is_origin(r, c)]

    def cells_starting_before(self, r: int) -> list[Cell]:
        return [c for c in self.table.cells if c.row < r]

    def bold(self, r: int, c: int) -> bool:
        o = self.owner[r][c]
        return bool(o is not None and o.bold)

    def numeric(self, r: int, c: int) -> bool:
        return self.numbers[r][c] is not None

    def nonempty(self, r: int) -> list[int]:
        """Columns of row r holding text."""
        return [c for c in range(self.n_cols) if self.text[r][c].strip()]
