"""Exports of the review queue for offices that report upward: flags with their latest decision,
and the whole audit trail of decisions, as CSV (UTF-8 with BOM, so spreadsheet programs read
Vietnamese) or as one XLSX workbook with a "Flags" and a "Decisions" sheet (openpyxl).

Both follow the queue's filters (rule, severity, status, office, period)."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any, Iterable

from sqlalchemy.orm import Session

from outputs.export import spreadsheet_text
from review.store import FlagFilter, all_decisions, as_utc, period_label, queue

FLAG_COLUMNS = ["flag_id", "document", "office", "period", "report_number", "rule", "severity", "section",
                "table", "row", "column", "stated", "computed", "expected", "suggestion", "message",
                "message_en", "status", "decision", "corrected_value", "reason", "reviewer", "decided_at",
                "path"]
DECISION_COLUMNS = ["decision_id", "flag_id", "document", "office", "period", "rule", "section", "column",
                    "action", "original_value", "corrected_value", "reason", "reviewer", "decided_at",
                    "carried_over"]


def _v(x: Any) -> Any:
    if x is None:
        return ""
    if isinstance(x, (str, int, float)) and not isinstance(x, bool):
        return x
    return json.dumps(x, ensure_ascii=False)


def _when(t) -> str:
    t = as_utc(t)
    return t.isoformat(timespec="seconds") if t else ""


def flag_rows(session: Session, f: FlagFilter) -> Iterable[list[Any]]:
    for it in queue(session, f):
        fl, v, d = it.flag, it.version, it.document
        last = fl.decisions[-1] if fl.decisions else None
        period = period_label(v.period_start, v.period_end, (v.record.get("metadata") or {}).get("period", {}).get("label"))
        yield [fl.id, Path(d.path).name, v.issuer or "", period, v.report_number or "", fl.rule, fl.severity,
               fl.section or "", fl.table_key or "", _v(fl.row), fl.column or "", fl.stated or "",
               _v(fl.computed), _v(fl.expected), fl.suggestion or "", fl.message, fl.message_en, fl.status,
               last.action if last else "", (last.corrected_value or "") if last else "",
               (last.reason or "") if last else "", last.reviewer if last else "",
               _when(last.created_at) if last else "", d.path]


def decision_rows(session: Session, f: FlagFilter) -> Iterable[list[Any]]:
    for dec, fl, v, d in all_decisions(session, f):
        period = period_label(v.period_start, v.period_end, (v.record.get("metadata") or {}).get("period", {}).get("label"))
        yield [dec.id, fl.id, Path(d.path).name, v.issuer or "", period, fl.rule, fl.section or "",
               fl.column or "", dec.action, dec.original_value or "", dec.corrected_value or "",
               dec.reason or "", dec.reviewer, _when(dec.created_at), "yes" if dec.carried_from_id else ""]


def to_csv(columns: list[str], rows: Iterable[list[Any]]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf)
    w.writerow(columns)
    w.writerows([spreadsheet_text(x) for x in row] for row in rows)
    return buf.getvalue().encode("utf-8-sig")


def flags_csv(session: Session, f: FlagFilter) -> bytes:
    return to_csv(FLAG_COLUMNS, flag_rows(session, f))


def decisions_csv(session: Session, f: FlagFilter) -> bytes:
    return to_csv(DECISION_COLUMNS, decision_rows(session, f))


def workbook(session: Session, f: FlagFilter) -> bytes:
    """An XLSX workbook: sheet "Flags" (one row per flag, latest decision) and "Decisions"."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    sheets = [("Flags", FLAG_COLUMNS, list(flag_rows(session, f))),
              ("Decisions", DECISION_COLUMNS, list(decision_rows(session, f)))]
    for i, (title, columns, rows) in enumerate(sheets):
        ws = wb.active if i == 0 else wb.create_sheet()
        ws.title = title
        ws.append(columns)
        for row in rows:
            ws.append(row)
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # report text that starts with "=": keep it text
                    cell.data_type = "s"
        for cell in ws[1]:
            cell.font = Font(bold=True, color="FFFFFF")
            cell.fill = PatternFill("solid", fgColor="1F4E79")
            cell.alignment = Alignment(vertical="center")
        ws.freeze_panes = "A2"
        ws.auto_filter.ref = ws.dimensions
        for c, name in enumerate(columns, start=1):
            longest = max([len(str(name))] + [len(str(r[c - 1])) for r in rows[:200]])
            ws.column_dimensions[get_column_letter(c)].width = min(60, max(8, longest + 2))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


EXPORTS = {
    "flags.csv": ("text/csv; charset=utf-8", flags_csv),
    "decisions.csv": ("text/csv; charset=utf-8", decisions_csv),
    "review.xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", workbook),
}
