"""Table records. PLACEHOLDER until the tables module lands."""
from __future__ import annotations

from extractors.outline import Outline
from models.document import Document
from models.report import TableRecord


def extract_tables(doc: Document, outline: Outline) -> list[TableRecord]:
    return []
