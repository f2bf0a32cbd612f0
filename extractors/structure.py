"""Section segmentation. PLACEHOLDER until the structure module lands."""
from __future__ import annotations

from extractors.outline import Outline
from models.document import Document


def segment(doc: Document) -> Outline:
    return Outline(body_end=len(doc.blocks))
