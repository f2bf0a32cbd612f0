"""Ingestion runs and the quarantine: one `runs` row per run (its summary JSON once finished),
one `quarantine` row per file a run could not load, with the reason; and the morning report of a
run (`run_report`): what it loaded new, which documents changed, what failed and why, which
review decisions it re-opened."""
from __future__ import annotations

import datetime as dt
import os
import socket
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outputs.db.models import Document, DocumentVersion, FlagRow, QuarantineEntry, Run, utcnow


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def mark_crashed_runs(session: Session) -> int:
    """Runs still 'running' whose process on this host is gone were killed: mark them crashed."""
    host = socket.gethostname()
    n = 0
    for run in session.scalars(select(Run).where(Run.status == "running", Run.host == host)):
        if run.pid and run.pid != os.getpid() and not _pid_alive(run.pid):
            run.status = "crashed"
            n += 1
    return n


def start_run(session: Session, *, source: str, pattern: str | None, extractor_version: str,
              workers: int | None, flow_run_id: str | None = None) -> Run:
    mark_crashed_runs(session)
    run = Run(source=source, pattern=pattern, extractor_version=extractor_version, workers=workers,
              host=socket.gethostname(), pid=os.getpid(), flow_run_id=flow_run_id, status="running",
              started_at=utcnow())
    session.add(run)
    session.flush()
    return run


def finish_run(session: Session, run_id: int, summary: dict[str, Any], status: str = "completed",
               finished_at: dt.datetime | None = None) -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.summary = summary
    run.status = status
    run.finished_at = finished_at or utcnow()


def add_quarantine(session: Session, *, run_id: int | None, path: str, kind: str, reason: str,
                   sha256: str | None = None, copied_to: str | None = None,
                   created_at: dt.datetime | None = None) -> QuarantineEntry:
    entry = QuarantineEntry(run_id=run_id, path=path, sha256=sha256, kind=kind, reason=reason,
                            copied_to=copied_to, created_at=created_at or utcnow())
    session.add(entry)
    session.flush()
    return entry


@dataclass
class RunReport:
    """One run as an operator reads it in the morning."""

    id: int
    status: str
    source: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    summary: dict[str, Any]
    new: list[str] = field(default_factory=list)  # documents loaded for the first time
    changed: list[str] = field(default_factory=list)  # new versions of documents already loaded
    failed: list[tuple[str, str, str]] = field(default_factory=list)  # (path, kind, reason)
    reopened: list[tuple[str, str, str | None, str]] = field(default_factory=list)  # (path, rule, section, why)

    @property
    def ok(self) -> bool:
        """Finished, and every document found was loaded (or already was)."""
        return self.status == "completed" and not self.failed and not self.summary.get("failed")

    @property
    def verdict(self) -> str:
        if self.status == "running":
            return "running"
        if self.status != "completed":
            return f"{self.status.upper()}: the run did not finish"
        n = max(len(self.failed), int(self.summary.get("failed") or 0))
        return f"FAILED: {n} document(s) could not be loaded" if n else "OK: every document loaded"


def run_report(session: Session, run_id: int | None = None) -> RunReport | None:
    """The report of run `run_id` (default: the latest run); None when there is none."""
    q = select(Run).order_by(Run.id.desc()).limit(1) if run_id is None else select(Run).where(Run.id == run_id)
    run = session.scalar(q)
    if run is None:
        return None
    rep = RunReport(run.id, run.status, run.source, run.started_at, run.finished_at, dict(run.summary or {}))
    for path, previous in session.execute(
            select(Document.path, DocumentVersion.previous_version_id)
            .join(Document, DocumentVersion.document_id == Document.id)
            .where(DocumentVersion.run_id == run.id).order_by(Document.path)):
        (rep.changed if previous is not None else rep.new).append(path)
    rep.failed = [(q.path, q.kind, q.reason) for q in session.scalars(
        select(QuarantineEntry).where(QuarantineEntry.run_id == run.id).order_by(QuarantineEntry.path))]
    if not rep.failed:  # the database was down when they failed: the summary has them
        rep.failed = [(q.get("path", "?"), q.get("kind", "?"), q.get("reason", ""))
                      for q in rep.summary.get("quarantined", [])]
    rep.reopened = [(path, f.rule, f.section, f.reopen_reason or "") for f, path in session.execute(
        select(FlagRow, Document.path).join(DocumentVersion, FlagRow.version_id == DocumentVersion.id)
        .join(Document, DocumentVersion.document_id == Document.id)
        .where(DocumentVersion.run_id == run.id, FlagRow.status == "needs-review")
        .order_by(Document.path, FlagRow.ordinal))]
    return rep
