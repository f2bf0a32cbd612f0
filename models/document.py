"""The document model: what every reader produces, whatever the file format was.

A `Document` is the file's `Source` plus its blocks in reading order. A block is a
`Paragraph` or a `Table`; each carries a `Provenance`, a pointer back into the original
(paragraph/table index for Word, page number(s) and bounding box for PDF) that a reviewer
can follow. All text is Unicode, NFC-normalised, legacy encodings already converted.
"""
from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_VERSION = 2  # 2: reading confidence (Run/Cell/Number/Figure/Flag) and page grades

BBox = tuple[float, float, float, float]
"""(x0, top, x1, bottom) in PDF points, origin at the top-left of the page."""


class _Node(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Format(str, Enum):
    DOCX = "docx"
    DOC = "doc"
    PDF = "pdf"
    SCANNED_PDF = "scanned_pdf"


class Encoding(str, Enum):
    UNICODE = "unicode"
    TCVN3 = "tcvn3"
    VNI = "vni"
    VISCII = "viscii"
    MIXED = "mixed"


class Alignment(str, Enum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class TableRole(str, Enum):
    DATA = "data"
    LAYOUT = "layout"  # header block (issuer | national motto), signature block, …


class Provenance(_Node):
    """Where a block (or a cell, or a sentence) stands in the original file."""

    block: int | None = None  # index into Document.blocks
    paragraph: int | None = None  # Word: index among the body's paragraphs
    table: int | None = None  # Word: index among the body's tables; PDF: index among tables found
    row: int | None = None  # a cell's grid row
    col: int | None = None  # a cell's grid column
    pages: list[int] = Field(default_factory=list)  # 1-based page numbers (PDF)
    bbox: BBox | None = None  # on the first of `pages`
    char_start: int | None = None  # a span inside the block's text
    char_end: int | None = None


Confidence = Annotated[float, Field(ge=0.0, le=1.0)]
"""How sure the reader is of a text: 1.0 certain (a text layer, Word), lower for OCR (Tesseract's
word confidence / 100) or a guessed legacy decoding. None where nothing was measured."""


class Run(_Node):
    """A stretch of text with one formatting, as typed."""

    text: str
    bold: bool = False
    italic: bool = False
    font: str | None = None
    confidence: Confidence | None = None  # OCR: the lowest word confidence in the run


class Paragraph(_Node):
    kind: Literal["paragraph"] = "paragraph"
    text: str  # list_label is NOT included in text
    runs: list[Run] = Field(default_factory=list)
    alignment: Alignment | None = None
    list_label: str | None = None  # rendered automatic numbering: "I.", "1.", "a)"
    style: str | None = None
    font_size: float | None = None  # points, the most common size in the paragraph
    provenance: Provenance = Field(default_factory=Provenance)

    @property
    def full_text(self) -> str:
        """The text as the reader sees it, automatic numbering included."""
        return f"{self.list_label} {self.text}" if self.list_label else self.text

    @property
    def confidence(self) -> float | None:
        """The lowest confidence of its runs (None when no run was measured)."""
        return min((r.confidence for r in self.runs if r.confidence is not None), default=None)

    def confidence_at(self, start: int, end: int) -> float | None:
        """The lowest confidence of the runs covering text[start:end] (runs laid end to end over
        `text`; when they do not spell `text` exactly, the paragraph's lowest)."""
        if "".join(r.text for r in self.runs) != self.text:
            return self.confidence
        lows: list[float] = []
        pos = 0
        for r in self.runs:
            nxt = pos + len(r.text)
            if r.confidence is not None and pos < end and start < nxt:
                lows.append(r.confidence)
            pos = nxt
        return min(lows, default=None)

    @property
    def bold(self) -> bool:
        """All visible text is bold."""
        visible = [r for r in self.runs if r.text.strip()]
        return bool(visible) and all(r.bold for r in visible)

    @property
    def bold_prefix(self) -> str:
        """The leading bold text (a run-in heading's label), '' if the paragraph starts plain."""
        out = []
        for r in self.runs:
            if not r.text.strip():
                out.append(r.text)
                continue
            if not r.bold:
                break
            out.append(r.text)
        return "".join(out).strip()


class Cell(_Node):
    """A grid cell; a merged cell is stored once at its top-left position with its spans."""

    row: int
    col: int
    row_span: int = 1
    col_span: int = 1
    text: str = ""  # paragraphs joined with single spaces
    paragraphs: list[Paragraph] = Field(default_factory=list)
    provenance: Provenance = Field(default_factory=Provenance)
    confidence: Confidence | None = None  # OCR: the lowest word confidence in the cell

    @property
    def bold(self) -> bool:
        ps = [p for p in self.paragraphs if p.text.strip()]
        return bool(ps) and all(p.bold for p in ps)


class Table(_Node):
    kind: Literal["table"] = "table"
    n_rows: int
    n_cols: int
    cells: list[Cell]  # each merged cell once, in row-major order of its origin
    role: TableRole = TableRole.DATA
    bordered: bool | None = None
    provenance: Provenance = Field(default_factory=Provenance)

    def grid(self) -> list[list[str]]:
        """Rows of strings, one per grid column: a merged cell's text in its first row and
        column, "" in the positions it covers (the gold annotation's convention)."""
        g = [["" for _ in range(self.n_cols)] for _ in range(self.n_rows)]
        for c in self.cells:
            if c.row < self.n_rows and c.col < self.n_cols:
                g[c.row][c.col] = c.text
        return g

    def cell_at(self, row: int, col: int) -> Cell | None:
        """The cell covering (row, col), merged or not."""
        for c in self.cells:
            if c.row <= row < c.row + c.row_span and c.col <= col < c.col + c.col_span:
                return c
        return None


Block = Annotated[Union[Paragraph, Table], Field(discriminator="kind")]


class Grade(str, Enum):
    """How well a page (or a document: its worst page) was read."""

    GOOD = "good"  # a text layer, or OCR with confident words
    FAIR = "fair"  # OCR with some doubtful words: numbers may be misread
    POOR = "poor"  # OCR of a poor image: read figures as doubtful


SEAL_NOTE = "red stamp or seal left out"  # a page note: the page image carries a red seal


class PageQuality(_Node):
    """How one page was read, and how well."""

    page: int  # 1-based
    method: Literal["text", "ocr"] = "text"
    confidence: Confidence | None = None  # OCR: mean word confidence
    grade: Grade = Grade.GOOD
    rotation: int = 0  # degrees the page image was turned before OCR
    dpi: float | None = None  # resolution of the page image as scanned
    notes: list[str] = Field(default_factory=list)  # "text layer replaced by OCR", "upsampled", …


class Source(_Node):
    path: str
    sha256: str
    format: Format
    size: int
    page_count: int | None = None
    encoding: Encoding = Encoding.UNICODE
    ocr: bool = False
    ocr_confidence: float | None = None  # mean word confidence 0-100, when OCR was used
    converted_with: str | None = None  # e.g. "libreoffice 7.4" for .doc
    pages: list[PageQuality] = Field(default_factory=list)  # PDF: one per page
    grade: Grade | None = None  # the document's grade: its worst page's

    @property
    def sealed(self) -> bool:
        """A scanned page carries a red seal: the document was issued (signed and stamped)."""
        return any(SEAL_NOTE in q.notes for q in self.pages)


class Document(_Node):
    schema_version: int = SCHEMA_VERSION
    source: Source
    blocks: list[Block] = Field(default_factory=list)

    @property
    def paragraphs(self) -> list[Paragraph]:
        return [b for b in self.blocks if isinstance(b, Paragraph)]

    @property
    def tables(self) -> list[Table]:
        return [b for b in self.blocks if isinstance(b, Table)]

    def body_text(self) -> str:
        """All text in reading order, one block per line, table cells tab-separated."""
        lines: list[str] = []
        for b in self.blocks:
            if isinstance(b, Paragraph):
                lines.append(b.full_text)
            else:
                lines.extend("\t".join(r) for r in b.grid())
        return "\n".join(lines)
