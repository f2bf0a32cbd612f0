"""Typed records everything passes around: the document model, the report record, errors."""
from models.document import (  # noqa: F401
    SCHEMA_VERSION, Alignment, BBox, Block, Cell, Confidence, Document, Encoding, Format, Grade,
    PageQuality, Paragraph, Provenance, Run, Source, Table, TableRole,
)
from models.errors import (  # noqa: F401
    BaocaoError, ConversionError, CorruptFileError, EmptyFileError, EncryptedFileError,
    InputError, NotAReportError, TooLargeError, UnsupportedFormatError,
)
from models.report import (  # noqa: F401
    Figure, Flag, Metadata, Number, Period, Reference, Report, Section, Severity, TableRecord,
)
