"""Figures in prose. PLACEHOLDER until the figures module lands."""
from __future__ import annotations

from extractors.outline import Outline
from models.document import Document
from models.report import Figure


def extract_figures(doc: Document, outline: Outline) -> list[Figure]:
    return []
