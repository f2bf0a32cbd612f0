"""Ingestion in plain Python: one document from file to database, and a run over many.

This is the core the Prefect flow (pipeline/flows.py) wires into tasks, and the plain loop the
benchmark compares it with. Per document (`process_document`): hash the file; skip it when the
document at that path is already loaded with this content and extractor version; otherwise
read + extract + check it and load it in ONE transaction, so a crash leaves it either fully
loaded or absent. Extraction and loading are CPU-bound Python, so `run_document` hands the whole
document to a worker process of the active pool (`worker_pool(n)`); threads only wait on it.
A bad file (InputError) or a bug is quarantined with its reason and the run goes on; transient
failures (database unavailable or locked, timeouts, a dead worker process) are raised for the
caller to retry (`is_transient`).

Testing knob: $BAOCAO_LOAD_DELAY (seconds) sleeps inside each load transaction before commit.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import multiprocessing as mp
import os
import shutil
import threading
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from extractors import __version__ as EXTRACTOR_VERSION
from models.report import Report

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError, PoolTimeoutError, TimeoutError, ConnectionError,
    BrokenProcessPool,
)
PRELOAD = ["extractors.readers", "extractors.report", "checks", "pipeline.ingest"]


def is_transient(exc: BaseException | None) -> bool:
    """Worth retrying: the database was unreachable/locked, something timed out, a worker died."""
    return isinstance(exc, TRANSIENT_ERRORS)


@dataclass
class Extracted:
    """What extraction made of one file: the report, or why there is none."""

    path: str
    sha256: str | None = None
    report: Report | None = None
    kind: str | None = None  # InputError.kind, or "internal" for a bug
    reason: str | None = None
    seconds: float = 0.0


@dataclass
class DocOutcome:
    """What happened to one document in a run (JSON-able)."""

    path: str
    status: str  # new | changed | unchanged | failed
    sha256: str | None = None
    kind: str | None = None
    reason: str | None = None
    version_id: int | None = None
    flags_by_rule: dict[str, int] = field(default_factory=dict)
    carried_decisions: int = 0
    extract_seconds: float = 0.0
    load_seconds: float = 0.0
    cpu_seconds: float = 0.0  # CPU time of the process that handled the document, for it

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def sha256_file(path: str | Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def extract_file(path: str) -> Extracted:
    """Read, extract and check one file. Never raises for a bad file or a bug: both come back
    as `kind`/`reason` so the run goes on."""
    from extractors.readers import read_document
    from extractors.report import extract_report
    from models.errors import InputError

    t0 = time.perf_counter()
    try:
        report = extract_report(read_document(path))
        return Extracted(path, report.source.sha256, report, seconds=time.perf_counter() - t0)
    except InputError as e:
        return Extracted(path, kind=e.kind, reason=e.reason, seconds=time.perf_counter() - t0)
    except Exception as e:  # a bug must not stop the run; keep the traceback's last lines
        tb = traceback.format_exc(limit=-3)
        return Extracted(path, kind="internal", reason=f"{type(e).__name__}: {e}\n{tb}",
                         seconds=time.perf_counter() - t0)


def _warm(_: int) -> int:
    time.sleep(0.05)  # long enough for every worker to be started and take one
    return os.getpid()


class WorkerPool:
    """N worker processes for documents (forkserver: safe beside threads, modules preloaded).
    A worker that dies breaks the pool; it is rebuilt and the caller sees a transient error."""

    def __init__(self, workers: int):
        self.workers = max(1, workers)
        self._ctx = mp.get_context("forkserver")
        self._ctx.set_forkserver_preload(PRELOAD)
        self._lock = threading.Lock()
        self._pool = self._new()

    def _new(self) -> cf.ProcessPoolExecutor:
        return cf.ProcessPoolExecutor(max_workers=self.workers, mp_context=self._ctx)

    def warm(self) -> None:
        """Start every worker now (so start-up is not charged to the first documents)."""
        list(self._pool.map(_warm, range(self.workers)))

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        pool = self._pool
        try:
            return pool.submit(fn, *args, **kwargs).result()
        except BrokenProcessPool:
            with self._lock:
                if self._pool is pool:
                    pool.shutdown(wait=False, cancel_futures=True)
                    self._pool = self._new()
            raise

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


_active_pool: WorkerPool | None = None


@contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool | None]:
    """Make `run_document` use `workers` processes inside the block (workers <= 0: inline)."""
    global _active_pool
    if workers <= 0:
        yield None
        return
    pool = WorkerPool(workers)
    previous, _active_pool = _active_pool, pool
    try:
        pool.warm()
        yield pool
    finally:
        _active_pool = previous
        pool.close()


def threads_for(workers: int) -> int:
    """Threads feeding a pool of `workers` processes: two per worker keep each one busy."""
    return max(1, 2 * workers)


def storable_path(path: str) -> str:
    """`path` itself when it is valid UTF-8; else its bytes with the undecodable ones shown as
    \\xNN (a file name from another code page decodes to lone surrogates, which neither the
    database nor JSON accept)."""
    try:
        path.encode("utf-8")
        return path
    except UnicodeEncodeError:
        return os.fsencode(path).decode("utf-8", "backslashreplace")


def _copy_to_quarantine(path: str, sha: str | None, folder: str | Path) -> str | None:
    try:
        dest_dir = Path(folder)
        dest_dir.mkdir(parents=True, exist_ok=True)
        dest = dest_dir / f"{(sha or 'nohash')[:12]}-{Path(path).name}"
        shutil.copy2(path, dest)
        return str(dest)
    except OSError:
        return None


def record_quarantine(db_url: str, run_id: int | None, path: str, sha: str | None, kind: str, reason: str,
                      quarantine_dir: str | None) -> None:
    """A quarantine row for a file that could not be loaded (and a copy in `quarantine_dir`)."""
    from outputs.db import add_quarantine, session_scope

    copied = _copy_to_quarantine(path, sha, quarantine_dir) if quarantine_dir else None
    with session_scope(db_url) as s:
        add_quarantine(s, run_id=run_id, path=path, sha256=sha, kind=kind, reason=reason, copied_to=copied)


def process_document(path: str | Path, db_url: str, *, run_id: int | None = None,
                     extractor: Callable[[str], Extracted] | None = None,
                     quarantine_dir: str | None = None) -> DocOutcome:
    """Skip, or extract and load, one file. A bad file or an extraction bug comes back as a
    "failed" outcome (and a quarantine row); what is raised is transient (`is_transient`) or a
    bug in loading."""
    from outputs.db import is_loaded, load_report, session_scope

    cpu0 = time.process_time()
    path = str(Path(path).resolve())
    shown = storable_path(path)
    if shown != path:  # the database (and JSON) can only hold UTF-8 text: say so, go on
        reason = "the file name is not valid UTF-8 (rename the file to load it)"
        record_quarantine(db_url, run_id, shown, None, "bad_name", reason, None)
        return DocOutcome(shown, "failed", kind="bad_name", reason=reason,
                          cpu_seconds=time.process_time() - cpu0)
    try:
        sha = sha256_file(path)
    except OSError as e:
        record_quarantine(db_url, run_id, path, None, "unreadable", str(e), None)
        return DocOutcome(path, "failed", kind="unreadable", reason=str(e))
    with session_scope(db_url, readonly=True) as s:
        if is_loaded(s, path, sha, EXTRACTOR_VERSION):
            return DocOutcome(path, "unchanged", sha, cpu_seconds=time.process_time() - cpu0)
    ex = (extractor or extract_file)(path)
    if ex.report is None:
        kind, reason = ex.kind or "internal", ex.reason or "no report"
        record_quarantine(db_url, run_id, path, sha, kind, reason, quarantine_dir)
        return DocOutcome(path, "failed", sha, kind=kind, reason=reason, extract_seconds=ex.seconds,
                          cpu_seconds=time.process_time() - cpu0)
    t0 = time.perf_counter()
    delay = float(os.environ.get("BAOCAO_LOAD_DELAY") or 0)
    for attempt in (1, 2):
        try:
            with session_scope(db_url) as s:
                res = load_report(s, ex.report, extractor_version=EXTRACTOR_VERSION, path=path,
                                  run_id=run_id, extract_seconds=ex.seconds)
                if delay:
                    time.sleep(delay)
            break
        except IntegrityError:  # another process loaded the same path first: look again
            if attempt == 2:
                raise
    status = {"restored": "changed"}.get(res.status, res.status)
    return DocOutcome(path, status, ex.report.source.sha256, version_id=res.version_id,
                      flags_by_rule=res.flags_by_rule if status != "unchanged" else {},
                      carried_decisions=res.carried_decisions, extract_seconds=ex.seconds,
                      load_seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - cpu0)


def run_document(path: str | Path, db_url: str, *, run_id: int | None = None,
                 quarantine_dir: str | None = None) -> DocOutcome:
    """`process_document` in a worker process of the active pool, or inline when there is none."""
    pool = _active_pool
    if pool is None:
        return process_document(path, db_url, run_id=run_id, quarantine_dir=quarantine_dir)
    return pool.call(process_document, str(path), db_url, run_id=run_id, quarantine_dir=quarantine_dir)


def with_retries(fn: Callable[[], DocOutcome], attempts: int = 3, delays: Iterable[float] = (1, 4)) -> DocOutcome:
    """Call `fn`, retrying transient failures (the plain loop's counterpart of Prefect retries)."""
    waits = list(delays)
    for i in range(attempts):
        try:
            return fn()
        except TRANSIENT_ERRORS:
            if i == attempts - 1:
                raise
            time.sleep(waits[min(i, len(waits) - 1)] if waits else 0)
    raise AssertionError("unreachable")


def summarize(outcomes: list[DocOutcome], found: int, seconds: float) -> dict[str, Any]:
    """The run summary stored in runs.summary and shown at the end of `baocao ingest`."""
    by_status = Counter(o.status for o in outcomes)
    flags: Counter[str] = Counter()
    for o in outcomes:
        flags.update(o.flags_by_rule)
    loaded = by_status["new"] + by_status["changed"]
    return {
        "found": found,
        "new": loaded,  # loaded in this run: new documents and new versions of changed ones
        "changed": by_status["changed"],
        "unchanged": by_status["unchanged"],
        "failed": by_status["failed"],
        "flags": sum(flags.values()),
        "flags_by_rule": dict(sorted(flags.items())),
        "carried_decisions": sum(o.carried_decisions for o in outcomes),
        "quarantined": [{"path": o.path, "kind": o.kind, "reason": (o.reason or "").splitlines()[0][:500]}
                        for o in outcomes if o.status == "failed"],
        "seconds": round(seconds, 3),
        "docs_per_second": round(len(outcomes) / seconds, 3) if seconds > 0 else None,
        "extractor_version": EXTRACTOR_VERSION,
    }


def begin_run(db_url: str, *, source: str, pattern: str | None, workers: int | None,
              flow_run_id: str | None = None) -> int:
    from outputs.db import get_engine, session_scope, start_run

    get_engine(db_url)  # migrate before any worker connects
    with session_scope(db_url) as s:
        return start_run(s, source=source, pattern=pattern, extractor_version=EXTRACTOR_VERSION,
                         workers=workers, flow_run_id=flow_run_id).id


def end_run(db_url: str, run_id: int, summary: dict[str, Any], status: str = "completed") -> None:
    from outputs.db import finish_run, session_scope

    with session_scope(db_url) as s:
        finish_run(s, run_id, summary, status)


def ingest_plain(source: str | Path, db_url: str, *, pattern: str | None = None, workers: int = 2,
                 quarantine_dir: str | None = None,
                 on_done: Callable[[DocOutcome], None] | None = None) -> dict[str, Any]:
    """The whole ingestion without Prefect: the same per-document work on a thread pool feeding
    `workers` processes. Returns the run summary (also stored in `runs`)."""
    from pipeline.discovery import discover

    t0 = time.perf_counter()
    source = Path(source).resolve() if Path(source).exists() else source
    files = discover([source], pattern)
    run_id = begin_run(db_url, source=str(source), pattern=pattern, workers=workers)
    outcomes: list[DocOutcome] = []
    with worker_pool(workers), cf.ThreadPoolExecutor(threads_for(workers)) as threads:
        futures = [threads.submit(with_retries, lambda f=f: run_document(
            f, db_url, run_id=run_id, quarantine_dir=quarantine_dir)) for f in files]
        for fut in cf.as_completed(futures):
            try:
                o = fut.result()
            except Exception as e:  # transient failure that outlived its retries
                o = DocOutcome(storable_path(str(files[futures.index(fut)])), "failed", kind="transient",
                               reason=repr(e))
            outcomes.append(o)
            if on_done:
                on_done(o)
    summary = summarize(outcomes, len(files), time.perf_counter() - t0)
    summary["run_id"] = run_id
    end_run(db_url, run_id, summary)
    return summary
