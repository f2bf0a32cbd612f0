"""Cited documents and dates. PLACEHOLDER until the references module lands."""
from __future__ import annotations

from extractors.outline import Outline
from models.document import Document
from models.report import Reference


def extract_references(doc: Document, outline: Outline) -> list[Reference]:
    return []
