"""Document → Report: run the extraction stages in order, then the checks.

Each stage is a pure function of the Document and the Outline. `extract_report` is what the
CLI, the pipeline and the tests call; `timings` (when given) collects the process CPU seconds of
each stage so the benchmarks can split reading, NLP and the rest (CPU time: other processes on a
shared machine do not count).
"""
from __future__ import annotations

import re
import time
from typing import Callable

from extractors.figures import extract_figures
from extractors.front.metadata import extract_metadata
from extractors.readers.legacy import is_syllable
from extractors.references import extract_references
from extractors.sections.segment import segment
from extractors.tables.build import extract_tables
from models.document import Document
from models.errors import NotAReportError
from models.report import Report

# A document with less text than this, and nothing a report has, is not a report.
NOT_A_REPORT_MAX_WORDS = 200

STAGES: dict[str, Callable] = {
    "metadata": extract_metadata,
    "tables": extract_tables,
    "figures": extract_figures,
    "references": extract_references,
}


# Below this share of Vietnamese syllables among its words, a text is not Vietnamese prose
# (real reports, scans included, measure 0.90-0.98; random characters 0.14, English ~0.2).
MIN_VIETNAMESE_SHARE = 0.4
_WORD = re.compile(r"[^\W\d_]+")


def vietnamese_share(text: str) -> float:
    """The share of the words (letters only) that are well-formed Vietnamese syllables."""
    words = _WORD.findall(text[:50_000])
    return sum(1 for w in words if is_syllable(w)) / len(words) if words else 0.0


def not_a_report_reason(report: Report, doc: Document) -> str | None:
    """Why a readable document is not a report, or None. Conservative on purpose: a real report
    must never be turned away, only a stray note, a cover page or a garbage text layer."""
    m = report.metadata
    stated = m.report_number or m.date or m.document_type
    if not stated:  # (the share is measured only when it can decide: it reads the whole text)
        share = vietnamese_share(doc.body_text())
        if share < MIN_VIETNAMESE_SHARE:
            return (f"its text is not Vietnamese prose (only {share:.0%} of its words are "
                    "Vietnamese syllables): a garbage text layer, or another language")
    if report.sections or report.tables or report.figures or stated:
        return None
    if len(doc.body_text().split()) >= NOT_A_REPORT_MAX_WORDS:
        return None
    return "no report in it: no heading, table, figure, document number, date or document type"


def extract_report(doc: Document, *, run_checks: bool = True,
                   timings: dict[str, float] | None = None) -> Report:
    t = timings if timings is not None else {}
    t0 = time.process_time()
    outline = segment(doc)
    t["sections"] = time.process_time() - t0
    parts = {}
    for name, stage in STAGES.items():
        t0 = time.process_time()
        parts[name] = stage(doc, outline)
        t[name] = time.process_time() - t0
    report = Report(source=doc.source, sections=outline.sections, **parts)
    if (reason := not_a_report_reason(report, doc)) is not None:
        raise NotAReportError(doc.source.path, reason)
    if run_checks:
        from checks import run_checks as _run

        t0 = time.process_time()
        report.flags = _run(report)
        t["checks"] = time.process_time() - t0
    return report
