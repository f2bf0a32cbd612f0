"""Figures in prose: every quantity in the body's paragraphs, with its sentence and section.

For each prose paragraph (extractors.sections.prose: body only, tables never, heading numbers skipped)
the citations and dates found by extractors.references are masked, the text is split into
sentences, and each sentence holding a digit goes to extractors.text.quantities. Each Figure keeps
the paragraph's provenance with char_start/char_end of the number (with its "%") in
Paragraph.text.
"""
from __future__ import annotations

import re

from extractors.sections.outline import Outline
from extractors.sections.prose import prose_paragraphs
from extractors.text.quantities import Quantity, blocked_spans, find_quantities
from extractors.references import scan_references
from extractors.text.sentences import split_sentences
from models.document import Document
from models.report import Figure


_DIGIT = re.compile(r"\d")


def text_quantities(text: str, start: int = 0) -> list[tuple[tuple[int, int], Quantity]]:
    """Every figure of a paragraph's `text` from `start` on, with its sentence's span: citations
    and dates masked, sentence by sentence. The one text-level entry point (records, spaCy)."""
    if not _DIGIT.search(text, start):
        return []
    masks = [r.mask for r in scan_references(text)] + blocked_spans(text)
    out: list[tuple[tuple[int, int], Quantity]] = []
    for ss, se in split_sentences(text, start):
        if _DIGIT.search(text, ss, se):
            out.extend(((ss, se), q) for q in find_quantities(text, ss, se, masks))
    return out


def extract_figures(doc: Document, outline: Outline) -> list[Figure]:
    out: list[Figure] = []
    for item in prose_paragraphs(doc, outline):
        text = item.paragraph.text
        section = outline.section_of(item.block)
        for (ss, se), q in text_quantities(text, item.start):
            loc = item.paragraph.provenance.model_copy(
                update={"block": item.block, "char_start": q.start, "char_end": q.end})
            out.append(Figure(
                value=q.value, raw=q.raw, unit=q.unit, qualifier=q.qualifier, kind=q.kind,
                section=section, sentence=text[ss:se], context=q.context, lead=q.lead,
                location=loc, confidence=item.paragraph.confidence_at(q.start, q.end)))
    return out
