"""The report record: what extraction makes of a document, and what checks and sinks consume.

Serialised with `Report.to_json()` as the `baocao extract --json` record (schema_version 2):
top-level keys schema_version, source, metadata, sections, tables, figures, references, flags.
"""
from __future__ import annotations

from enum import Enum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from models.document import SCHEMA_VERSION, Confidence, Provenance, Source


class _Rec(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Period(_Rec):
    label: str | None = None  # as written: "6 tháng đầu năm 2020"
    start: str | None = None  # ISO date
    end: str | None = None


class Metadata(_Rec):
    document_type: str | None = None  # "báo cáo", lower case
    title: str | None = None  # sentence case, without the document type
    issuer: str | None = None
    report_number: str | None = None  # "12/BC-TTHTCĐ"
    place: str | None = None
    date: str | None = None  # ISO date
    period: Period = Field(default_factory=Period)
    signer: str | None = None
    signer_title: str | None = None
    dated_line: bool = False  # a place-and-date line was seen, its date readable or not
    issued_with: str | None = None  # "(Ban hành kèm theo Quyết định số 506/QĐ-ĐHNT …)": the parent document


class Section(_Rec):
    number: str  # dotted path: "II.2.1"; a heading without a number gets a synthetic one
    title: str
    level: int  # 1 for I., 2 for 1., 3 for 2.1 / a) …
    text: str = ""  # body text under the heading, subsections excluded
    empty: bool = False  # nothing under the heading, subsections included
    label: str | None = None  # the number as written: "2.1:", "II-", "a)"
    location: Provenance = Field(default_factory=Provenance)


class Number(_Rec):
    """A number as written and as read by Vietnamese rules."""

    raw: str
    value: float | None = None  # None when empty or malformed
    malformed: bool = False
    suggestion: float | None = None  # for a malformed number, the likeliest reading
    confidence: Confidence | None = None  # how surely it was read (OCR); None = from a text layer


class TableRecord(_Rec):
    id: str  # "t1", "t2", … in document order
    section: str | None = None  # number of the section the table stands in
    columns: list[str]  # flattened headers: "Parent / Child"
    rows: list[list[str]]  # body rows, cell strings as written (total row excluded)
    total_row: list[str] | None = None
    header_rows: int = 0
    total_row_index: int | None = None  # grid row index of the total row in the source table
    parent_rows: list[int] = Field(default_factory=list)  # indexes into rows of "Tổng số …" parents
    children: dict[int, list[int]] = Field(default_factory=dict)  # parent row → its child rows
    values: list[list[Number | None]] = Field(default_factory=list)  # parsed rows (+ total row last)
    location: Provenance = Field(default_factory=Provenance)
    cell_locations: list[list[Provenance | None]] = Field(default_factory=list)  # as `values`


class Figure(_Rec):
    value: float
    raw: str  # "2.215", "96,5%"
    unit: str | None = None  # "%", "người dân", "tỷ đồng", "đồng chí"
    qualifier: str | None = None  # "trên", "gần", "khoảng", "hơn", "từ ... trở lên"
    kind: str | None = None  # count | percent | money | measure | other
    section: str | None = None
    sentence: str = ""
    context: str | None = None  # the words after the unit: "so với năm 2019", "kế hoạch", …
    location: Provenance = Field(default_factory=Provenance)
    lead: str | None = None  # the words before the number (qualifier excluded): "tăng", "ước đạt"
    confidence: Confidence | None = None  # how surely the number was read (OCR); None = text layer


class Reference(_Rec):
    """A cited document (04-CT/TU, 09/2008/QĐ-BGDĐT) or a date — not a figure."""

    raw: str
    kind: str  # "Chỉ thị", "Quyết định", … or "date"
    number: str | None = None  # "04", "09/2008"
    code: str | None = None  # full code "04-CT/TU"
    type_code: str | None = None  # "CT", "QĐ", "KH"
    issuer_code: str | None = None  # "TU", "TW", "BGDĐT"
    issuer: str | None = None  # issuer named in the text: "Ban Thường vụ Tỉnh ủy Quảng Ninh"
    date: str | None = None  # ISO
    section: str | None = None
    sentence: str = ""
    location: Provenance = Field(default_factory=Provenance)


class Severity(str, Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Flag(_Rec):
    id: str = ""  # stable within a report: "<rule>:<n>"
    rule: str
    severity: Severity
    message: str  # Vietnamese
    message_en: str = ""
    section: str | None = None
    table: str | None = None  # TableRecord.id
    row: int | None = None  # index into the table's rows (len(rows) = the total row)
    column: str | None = None
    stated: str | None = None  # as written
    computed: int | float | str | None = None  # int when whole, so JSON says 828 not 828.0
    expected: int | float | str | None = None
    table_value: int | float | str | None = None
    suggestion: str | None = None
    sentence: str | None = None
    location: Provenance = Field(default_factory=Provenance)
    related: list[str] = Field(default_factory=list)  # ids of flags caused by the same mistake
    culprit: bool = False  # this flag's cell is the likely single cause of its related flags
    confidence: Confidence = 1.0  # how surely the numbers it compares were read
    doubtful: bool = False  # rests on a reading below the threshold: "the scan may be misread"
    evidence: dict[str, Any] = Field(default_factory=dict)


class Report(_Rec):
    schema_version: int = SCHEMA_VERSION
    source: Source
    metadata: Metadata = Field(default_factory=Metadata)
    sections: list[Section] = Field(default_factory=list)
    tables: list[TableRecord] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    references: list[Reference] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)

    def to_json(self, **kw: Any) -> str:
        return self.model_dump_json(**kw)
