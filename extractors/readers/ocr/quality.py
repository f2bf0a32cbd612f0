"""How well each page of a scan was read: a PageQuality (confidence, grade, what was done to the
image) per page, the document's grade its worst page's.

The grade comes from the words' Tesseract confidence (text and table cells alike; a cell read
several ways carries the agreement of its readings, engine._vote): the share of doubtful words
(confidence below DOUBTFUL) and the mean. `good`: few doubtful words, figures can be trusted as
read; `fair`: some, a misread digit is possible; `poor`: many, or a page with almost nothing
read although it shows ink.
"""
from __future__ import annotations

import statistics

from extractors.readers.ocr.engine import PageOCR
from models.document import Grade, PageQuality

DOUBTFUL = 60.0  # a word read with less confidence (0-100) is doubtful
GOOD = (0.04, 85.0)  # at most this share of doubtful words, at least this mean confidence
FAIR = (0.15, 70.0)
_ORDER = {Grade.GOOD: 0, Grade.FAIR: 1, Grade.POOR: 2}


def page_confidences(p: PageOCR) -> list[float]:
    """The confidence (0-100) of every word read on the page, text and table cells."""
    return [w.conf for w in p.words if w.conf >= 0] + [w.conf for t in p.tables for w in t.words if w.conf >= 0]


def grade(confs: list[float]) -> Grade:
    if not confs:
        return Grade.GOOD  # nothing to read (a blank page)
    doubtful = sum(c < DOUBTFUL for c in confs) / len(confs)
    mean = statistics.fmean(confs)
    if doubtful <= GOOD[0] and mean >= GOOD[1]:
        return Grade.GOOD
    if doubtful <= FAIR[0] and mean >= FAIR[1]:
        return Grade.FAIR
    return Grade.POOR


def page_quality(p: PageOCR, notes: list[str] = ()) -> PageQuality:
    confs = page_confidences(p)
    return PageQuality(
        page=p.page, method="ocr",
        confidence=round(statistics.fmean(confs) / 100, 3) if confs else None,
        grade=grade(confs), rotation=p.rotation,
        dpi=round(p.scan_dpi, 1) if p.scan_dpi else None,
        notes=list(p.notes) + list(notes),
    )


def worst(grades: list[Grade]) -> Grade | None:
    return max(grades, key=_ORDER.__getitem__) if grades else None
