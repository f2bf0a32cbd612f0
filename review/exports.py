"""Exports of the review queue for offices that report upward: flags with their latest decision,
and the whole audit trail of decisions, as CSV (UTF-8 with BOM, so spreadsheet programs read
Vietnamese) or as one XLSX workbook with a "Flags" and a "Decisions" sheet (openpyxl).

Flags follow the queue's filters; decisions follow every filter but the status one (a decided
flag is no longer open: the audit trail of the open queue would otherwise always be empty).
Files are named relative to the folder they were ingested from; every text cell that a
spreadsheet could take for a formula is neutralised (outputs.export.spreadsheet_text)."""
from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from typing import Any, Iterable

from sqlalchemy.orm import Session, defer, selectinload

from outputs.db.models import Document, DocumentVersion, FlagRow, Run
from outputs.export import spreadsheet_text
from review.paths import display_path
from review.queue import FlagFilter, base_query, filtered, order_keys, period_label
from review.store import as_utc, decision_rows as audit_rows

FLAG_COLUMNS = ["flag_id", "document", "office", "period", "report_number", "rule", "severity", "section",
                "table", "row", "column", "stated", "computed", "expected", "suggestion", "message",
                "message_en", "status", "decision", "corrected_value", "reason", "reviewer", "decided_at",
                "confidence", "doubtful", "other_files"]
DECISION_COLUMNS = ["decision_id", "flag_id", "document", "office", "period", "rule", "section", "column",
                    "action", "original_value", "corrected_value", "reason", "reviewer", "decided_at",
                    "carried_over", "overrides_decision"]


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
    keys = order_keys(f)
    q = (filtered(session, f, FlagRow, Document.path, DocumentVersion.issuer, DocumentVersion.period_start,
                  DocumentVersion.period_end, DocumentVersion.period_label, DocumentVersion.report_number, Run.source)
         .outerjoin(Run, DocumentVersion.run_id == Run.id)
         .options(defer(FlagRow.evidence), defer(FlagRow.location), defer(FlagRow.related),
                  selectinload(FlagRow.decisions))
         .order_by(*((e.desc() if desc else e.asc()) for e, desc in keys)))
    rows = session.execute(q).all()
    others: dict[str, list[str]] = defaultdict(list)
    dups = [r[0].dup_key for r in rows if r[0].dup_key]
    for i in range(0, len(dups), 500):
        twins = (base_query(FlagRow.dup_key, FlagRow.id, Document.path, Run.source, primary=False)
                 .outerjoin(Run, DocumentVersion.run_id == Run.id).where(FlagRow.dup_key.in_(dups[i:i + 500])))
        for key, fid, path, src in session.execute(twins):
            others[key].append((fid, display_path(path, src)))
    for fl, path, issuer, ps, pe, pl, number, src in rows:
        last = fl.decisions[-1] if fl.decisions else None
        other = "; ".join(p for fid, p in others.get(fl.dup_key or "", []) if fid != fl.id)
        yield [fl.id, display_path(path, src), issuer or "", period_label(ps, pe, pl), number or "", fl.rule,
               fl.severity, fl.section or "", fl.table_key or "", _v(fl.row), fl.column or "", fl.stated or "",
               _v(fl.computed), _v(fl.expected), fl.suggestion or "", fl.message, fl.message_en, fl.status,
               last.action if last else "", (last.corrected_value or "") if last else "",
               (last.reason or "") if last else "", last.reviewer if last else "",
               _when(last.created_at) if last else "", round(fl.confidence, 3) if fl.confidence is not None else "",
               "yes" if fl.doubtful else "", other]


def decision_rows(session: Session, f: FlagFilter) -> Iterable[list[Any]]:
    for r in audit_rows(session, f):
        d = r.decision
        yield [d.id, r.flag_id, r.path, r.issuer or "", r.period, r.rule, r.section or "", r.column or "",
               d.action, d.original_value or "", d.corrected_value or "", d.reason or "", d.reviewer,
               _when(d.created_at), "yes" if d.carried_from_id else "", d.overrides_id or ""]


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
