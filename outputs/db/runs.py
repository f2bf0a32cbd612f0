"""Ingestion runs and the quarantine: one `runs` row per run (its summary JSON once finished),
one `quarantine` row per file a run could not load, with the reason."""
from __future__ import annotations

import os
import socket
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from outputs.db.models import QuarantineEntry, Run, utcnow


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


def finish_run(session: Session, run_id: int, summary: dict[str, Any], status: str = "completed") -> None:
    run = session.get(Run, run_id)
    if run is None:
        return
    run.summary = summary
    run.status = status
    run.finished_at = utcnow()


def add_quarantine(session: Session, *, run_id: int | None, path: str, kind: str, reason: str,
                   sha256: str | None = None, copied_to: str | None = None) -> QuarantineEntry:
    entry = QuarantineEntry(run_id=run_id, path=path, sha256=sha256, kind=kind, reason=reason,
                            copied_to=copied_to, created_at=utcnow())
    session.add(entry)
    session.flush()
    return entry
