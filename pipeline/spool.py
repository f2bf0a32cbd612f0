"""Records the database could not take, kept in a local file until it can.

When a quarantine row (or a run's closing summary) cannot be written because the database is
unreachable, it is appended to a JSON Lines file, one file per database, under $BAOCAO_SPOOL_DIR
(default ~/.local/state/baocao/spool); the next run writes them into the database before it
starts (`replay`) and empties the file. Appends and replays hold an exclusive lock on the file,
so worker processes and concurrent runs can share it.
"""
from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator


def spool_dir() -> Path:
    env = os.environ.get("BAOCAO_SPOOL_DIR")
    if env:
        return Path(env)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "baocao" / "spool"


def spool_file(db_url: str) -> Path:
    """The file for the database at `db_url` (named by a hash of the URL: no password in it)."""
    return spool_dir() / f"quarantine-{hashlib.sha256(db_url.encode()).hexdigest()[:16]}.jsonl"


@contextmanager
def _locked(path: Path, mode: str) -> Iterator[Any]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, mode, encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield fh
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def append(db_url: str, record: dict[str, Any]) -> Path:
    """Keep `record` (JSON-able; `type` is "quarantine" or "finish_run") for the next run."""
    path = spool_file(db_url)
    line = json.dumps({**record, "at": dt.datetime.now(dt.timezone.utc).isoformat()}, ensure_ascii=False)
    with _locked(path, "a") as fh:
        fh.write(line + "\n")
        fh.flush()
        os.fsync(fh.fileno())
    return path


def pending(db_url: str) -> list[dict[str, Any]]:
    """The records waiting for the database (unreadable lines skipped)."""
    path = spool_file(db_url)
    if not path.exists():
        return []
    with _locked(path, "r") as fh:
        return _parse(fh.read())


def _parse(text: str) -> list[dict[str, Any]]:
    out = []
    for line in text.splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue  # a line cut short by a crash mid-write
        if isinstance(rec, dict):
            out.append(rec)
    return out


def replay(db_url: str) -> int:
    """Write the waiting records into the database (one transaction) and empty the file; returns
    how many. Raises what the database raises (the file is then left as it was)."""
    from outputs.db import session_scope
    from outputs.db.models import Run
    from outputs.db.runs import add_quarantine, finish_run

    path = spool_file(db_url)
    if not path.exists() or path.stat().st_size == 0:
        return 0
    with _locked(path, "r+") as fh:
        records = _parse(fh.read())
        if records:
            with session_scope(db_url) as s:
                for rec in records:
                    run_id = rec.get("run_id")
                    if run_id is not None and s.get(Run, run_id) is None:
                        run_id = None
                    at = _when(rec.get("at"))
                    if rec.get("type") == "finish_run" and run_id is not None:
                        run = s.get(Run, run_id)
                        if run.status in ("running", "crashed"):
                            finish_run(s, run_id, rec.get("summary") or {}, rec.get("status") or "completed",
                                       finished_at=at)
                    elif rec.get("type") == "quarantine":
                        add_quarantine(s, run_id=run_id, path=rec.get("path") or "?", kind=rec.get("kind") or "?",
                                       reason=rec.get("reason") or "", sha256=rec.get("sha256"),
                                       copied_to=rec.get("copied_to"), created_at=at)
        fh.seek(0)
        fh.truncate()
        fh.flush()
        os.fsync(fh.fileno())
    return len(records)


def _when(iso: Any) -> dt.datetime | None:
    try:
        return dt.datetime.fromisoformat(iso) if isinstance(iso, str) else None
    except ValueError:
        return None
