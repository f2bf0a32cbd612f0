"""Figures in prose: every quantity in the body's paragraphs, with its sentence and section.

For each prose paragraph (extractors.prose: body only, tables never, heading numbers skipped)
the citations and dates found by extractors.references are masked, the text is split into
sentences, and each sentence holding a digit goes to extractors.quantities. Each Figure keeps
the paragraph's provenance with char_start/char_end of the number (with its "%") in
Paragraph.text.
"""
from __future__ import annotations

import re

from extractors.outline import Outline
from extractors.prose import prose_paragraphs
from extractors.quantities import blocked_spans, find_quantities
from extractors.references import scan_references
from extractors.sentences import split_sentences
from models.document import Document
from models.report import Figure


_DIGIT = re.compile(r"\d")


def extract_figures(doc: Document, outline: Outline) -> list[Figure]:
    out: list[Figure] = []
    for item in prose_paragraphs(doc, outline):
        text = item.paragraph.text
        if not _DIGIT.search(text, item.start):
            continue
        masks = [r.mask for r in scan_references(text)] + blocked_spans(text)
        section = outline.section_of(item.block)
        for ss, se in split_sentences(text, item.start):
            if not _DIGIT.search(text, ss, se):
                continue
            sentence = text[ss:se]
            for q in find_quantities(text, ss, se, masks):
                loc = item.paragraph.provenance.model_copy(
                    update={"block": item.block, "char_start": q.start, "char_end": q.end})
                out.append(Figure(
                    value=q.value, raw=q.raw, unit=q.unit, qualifier=q.qualifier, kind=q.kind,
                    section=section, sentence=sentence, context=q.context, lead=q.lead,
                    location=loc))
    return out
