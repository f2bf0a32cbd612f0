"""Consistency checks over a Report: `run_checks(report) -> list[Flag]`.

The rules live in a registry (checks.registry.RULES), one small module per rule or family:
totals (total_mismatch), row_sums (row_sum_mismatch), prose_table (prose_table_mismatch),
counts (count_mismatch), balance (balance_mismatch: opening + in − out = closing, with the
roles of checks.flows), percentages (implausible_percentage, ratio_mismatch), references
(reference_mismatch), sections (empty_section, numbering_error), malformed (malformed_number),
metadata (missing_metadata). They read the Report through checks.context.Ctx (sentences from
Section.text, tables parsed by checks.tables_view, the section tree); checks.indicators reads
indicator rows ("Tổng số hội viên | Người | 186") and a table's declared unit. After the rules, linkers
(checks.linking) connect flags caused by one mistake (`related`), mark the flag on the likely
culprit cell (`culprit`), and note OCR'd sources in the evidence. Last, checks.confidence sets
each flag's confidence from the readings in its evidence (the shape is in its docstring) and
marks those below its THRESHOLD doubtful. Flags come out in ORDER, numbered "<rule>:<n>", the
doubtful ones after all the others; on a scan, those resting on a reading below SILENT are not
raised.
"""
from __future__ import annotations

import logging
from typing import Iterable

from checks.rules import (balance, counts, malformed, metadata, percentages,  # noqa: F401
                          prose_table, references, row_sums, sections, totals)
from checks import linking  # noqa: F401  (registers the linkers; after the rules)
from checks import confidence
from checks.context import Ctx
from checks.registry import LINKERS, RULES, Rule
from models.report import Flag, Report

log = logging.getLogger(__name__)

# The order flags come out in: tables first, then prose, references, outline, metadata.
ORDER = ["total_mismatch", "row_sum_mismatch", "prose_table_mismatch", "count_mismatch",
         "balance_mismatch", "implausible_percentage", "ratio_mismatch", "reference_mismatch",
         "empty_section", "numbering_error", "malformed_number", "missing_metadata"]
RULE_IDS = ORDER + [r for r in RULES if r not in ORDER]


def run_checks(report: Report, rules: Iterable[str] | None = None, strict: bool = False) -> list[Flag]:
    """All flags for a report. `rules` limits the run to some rule ids; `strict` re-raises a
    failing check instead of logging it (a broken check must not stop the pipeline)."""
    ctx = Ctx(report)
    wanted = list(rules) if rules is not None else RULE_IDS
    flags: list[Flag] = []
    for rid in wanted:
        r = RULES[rid]
        try:
            found = list(r.func(ctx))
        except Exception:
            if strict:
                raise
            log.exception("check %s failed on %s", rid, report.source.path)
            continue
        for n, f in enumerate(found, 1):
            f.id = f"{rid}:{n}"
        flags.extend(found)
    for link in LINKERS:
        try:
            link(flags, ctx)
        except Exception:
            if strict:
                raise
            log.exception("linker %s failed on %s", link.__name__, report.source.path)
    try:
        confidence.assess(flags, ctx)
    except Exception:
        if strict:
            raise
        log.exception("confidence failed on %s", report.source.path)
    return confidence.order(confidence.audible(flags, report.source))


__all__ = ["run_checks", "RULES", "RULE_IDS", "Rule"]
