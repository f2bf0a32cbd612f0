"""Export from the database: JSON Lines of report records (one current document version per
line, the Report record as extracted) and CSV of flags with their review status."""
from __future__ import annotations

import csv
import json
import re
from typing import IO, Iterable

from sqlalchemy.orm import Session

from outputs.db.queries import current_versions, list_flags

FLAG_COLUMNS = ["document", "sha256", "version_id", "flag_id", "flag_key", "rule", "severity", "section",
                "table", "row", "column", "stated", "computed", "expected", "table_value", "suggestion",
                "message", "message_en", "status", "decision", "corrected_value", "reason", "reviewer",
                "decided_at"]


def iter_records(session: Session) -> Iterable[dict]:
    """The Report record of every document's current version, in path order; the database's
    document path and version are added under `_db` (everything else is the record as stored)."""
    for doc, v in current_versions(session):
        rec = dict(v.record)
        rec["_db"] = {"document_id": doc.id, "version_id": v.id, "path": doc.path,
                      "extractor_version": v.extractor_version, "loaded_at": v.loaded_at.isoformat()}
        yield rec


def export_jsonl(session: Session, out: IO[str]) -> int:
    n = 0
    for rec in iter_records(session):
        out.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
    return n


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d[\d.,]*%?")


def spreadsheet_text(v):
    """`v`, with a text that a spreadsheet could run as a formula (one starting with =, +, -, @,
    a tab or a carriage return, unless it is a plain number such as "-2" or "+1,5") prefixed by
    an apostrophe: report text is untrusted (CSV injection; "-2+3+cmd|…" is a formula)."""
    if isinstance(v, str) and v.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(v):
        return "'" + v
    return v


def _cell(v) -> str:
    if v is None:
        return ""
    return v if isinstance(v, str) else json.dumps(v, ensure_ascii=False)


def export_flags_csv(session: Session, out: IO[str], *, rule: str | None = None,
                     status: str | None = None) -> int:
    """One row per flag of the current versions, with its latest review decision."""
    w = csv.writer(out)
    w.writerow(FLAG_COLUMNS)
    n = 0
    for f, path in list_flags(session, rule=rule, status=status):
        last = f.decisions[-1] if f.decisions else None
        w.writerow([spreadsheet_text(x) for x in [path, f.version.sha256, f.version_id, f.id, f.flag_key, f.rule, f.severity, f.section,
                    f.table_key, f.row, f.column, f.stated, _cell(f.computed), _cell(f.expected),
                    _cell(f.table_value), f.suggestion, f.message, f.message_en, f.status,
                    last.action if last else "", last.corrected_value if last else "",
                    last.reason if last else "", last.reviewer if last else "",
                    last.created_at.isoformat() if last else ""]])
        n += 1
    return n


EXPORTERS = {"jsonl": export_jsonl, "csv": export_flags_csv}
