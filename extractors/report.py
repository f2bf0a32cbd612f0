"""Document → Report: run the extraction stages in order, then the checks.

Each stage is a pure function of the Document and the Outline. `extract_report` is what the
CLI, the pipeline and the tests call; `timings` (when given) collects seconds per stage so the
benchmarks can split reading, NLP and the rest.
"""
from __future__ import annotations

import time
from typing import Callable

from extractors.figures import extract_figures
from extractors.metadata import extract_metadata
from extractors.references import extract_references
from extractors.structure import segment
from extractors.tables import extract_tables
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


def looks_like_report(report: Report, doc: Document) -> bool:
    """Anything a report has (a heading, a data table, a figure, a number, a date, a document
    type) — or enough text to deserve a reviewer's look. Conservative on purpose: a real report
    must never be turned away, only a stray note or a cover page."""
    m = report.metadata
    if report.sections or report.tables or report.figures or m.report_number or m.date or m.document_type:
        return True
    return len(doc.body_text().split()) >= NOT_A_REPORT_MAX_WORDS


def extract_report(doc: Document, *, run_checks: bool = True,
                   timings: dict[str, float] | None = None) -> Report:
    t = timings if timings is not None else {}
    t0 = time.perf_counter()
    outline = segment(doc)
    t["sections"] = time.perf_counter() - t0
    parts = {}
    for name, stage in STAGES.items():
        t0 = time.perf_counter()
        parts[name] = stage(doc, outline)
        t[name] = time.perf_counter() - t0
    report = Report(source=doc.source, sections=outline.sections, **parts)
    if not looks_like_report(report, doc):
        raise NotAReportError(doc.source.path, "no report in it: no heading, table, figure, "
                                               "document number, date or document type")
    if run_checks:
        from checks import run_checks as _run

        t0 = time.perf_counter()
        report.flags = _run(report)
        t["checks"] = time.perf_counter() - t0
    return report
