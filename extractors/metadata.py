"""Report metadata. PLACEHOLDER until the metadata module lands."""
from __future__ import annotations

from extractors.outline import Outline
from models.document import Document
from models.report import Metadata


def extract_metadata(doc: Document, outline: Outline) -> Metadata:
    return Metadata()
