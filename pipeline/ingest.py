"""Ingestion in plain Python: one document from file to database, and a run over many.

This is the core the Prefect flow (pipeline/flows.py) wires into tasks, and the plain loop the
benchmark compares it with. Per document (`process_document`): hash the file; skip it when the
document at that path is already loaded with this content and extractor version; otherwise
read + extract + check it and load it in ONE transaction, so a crash leaves it either fully
loaded or absent. Extraction and loading are CPU-bound Python, so `run_document` hands the whole
document to a worker process of the active pool (`worker_pool(n)`, pipeline/workers.py);
threads only wait on it. Each document has a time limit (`DocLimits`: a few minutes, more for
each page of a PDF, which may need OCR): past it the worker is killed and the document
quarantined as `timeout`. A bad file (InputError, a bad path) or a bug is quarantined with its
reason and the run goes on; transient failures (database unavailable or locked, a dead worker
process) are raised for the caller to retry (`is_transient`). A quarantine row the database
cannot take is kept in a local file (pipeline/spool.py) and written at the start of the next run.

Testing knob: $BAOCAO_LOAD_DELAY (seconds) sleeps inside each load transaction before commit.
"""
from __future__ import annotations

import concurrent.futures as cf
import hashlib
import logging
import os
import re
import shutil
import subprocess
import threading
import time
import traceback
from collections import Counter
from contextlib import contextmanager
from concurrent.futures.process import BrokenProcessPool
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError

from extractors import __version__ as EXTRACTOR_VERSION
from models.report import Report
from pipeline import spool
from pipeline.discovery import PathProblem, path_problem, printable
from pipeline.workers import PRELOAD, JobTimeout, WorkerDied, WorkerPool  # noqa: F401

TRANSIENT_ERRORS: tuple[type[BaseException], ...] = (
    OperationalError, PoolTimeoutError, TimeoutError, ConnectionError,
    BrokenProcessPool, WorkerDied,
)
# the database could not be reached or written (what sends a record to the local spool)
DATABASE_ERRORS: tuple[type[BaseException], ...] = (OperationalError, PoolTimeoutError, DBAPIError, ConnectionError)
log = logging.getLogger("baocao.ingest")


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
    reopened: int = 0  # carried decisions re-opened (the flag's computed value or evidence changed)
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


@dataclass(frozen=True)
class DocLimits:
    """How long one document may take, extraction and loading together: `base` seconds, plus
    `per_page` for each page of a PDF (a scan is OCR'd page by page). From $BAOCAO_DOC_TIMEOUT
    and $BAOCAO_PAGE_TIMEOUT (seconds); 0 turns the limit off."""

    base: float = 300.0
    per_page: float = 30.0

    @classmethod
    def from_env(cls, base: float | None = None) -> "DocLimits":
        def num(name: str, default: float) -> float:
            raw = os.environ.get(name, "")
            try:
                value = float(raw) if raw else default
            except ValueError:
                raise ValueError(f"{name}={raw!r} is not a number of seconds") from None
            return max(0.0, value)

        return cls(num("BAOCAO_DOC_TIMEOUT", cls.base) if base is None else max(0.0, base),
                   num("BAOCAO_PAGE_TIMEOUT", cls.per_page))

    def for_file(self, path: str | Path) -> tuple[float | None, int]:
        """(seconds allowed for `path`, or None for no limit; its PDF pages, 0 otherwise)."""
        if self.base <= 0:
            return None, 0
        pages = pdf_pages(path) if self.per_page > 0 else 0
        return self.base + self.per_page * pages, pages


def pdf_pages(path: str | Path) -> int:
    """The page count of a PDF (by its first bytes, whatever its name), 0 for anything else or
    when it cannot be told quickly."""
    from extractors.readers.common import die_with_parent
    from extractors.readers.sniff import PDF_MAGIC

    try:
        with open(path, "rb", opener=lambda p, f: os.open(p, f | os.O_NONBLOCK)) as fh:
            if not fh.read(8).startswith(PDF_MAGIC):
                return 0
        out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, timeout=20,
                             preexec_fn=die_with_parent)
    except (OSError, subprocess.SubprocessError):
        return 0
    m = re.search(r"^Pages:\s+(\d+)", out.stdout or "", re.M)
    return int(m.group(1)) if m else 0


_active_pool: WorkerPool | None = None
_shared: dict[str, Any] = {"pool": None, "lock": threading.Lock()}


@contextmanager
def worker_pool(workers: int) -> Iterator[WorkerPool | None]:
    """Make `run_document` use `workers` processes inside the block (workers <= 0: inline, no
    time limit)."""
    global _active_pool
    if workers <= 0:
        yield None
        return
    pool = WorkerPool(workers)
    previous, _active_pool = _active_pool, pool
    try:
        pool.warm()
        yield pool
    except BaseException:  # interrupted, or the run failed: stop the documents in progress now
        _active_pool = previous
        pool.close(wait=0)
        raise
    else:
        _active_pool = previous
        pool.close()


def _process_pool() -> WorkerPool:
    """This process's own pool, made on first use (a Dask worker's: one process per thread)."""
    with _shared["lock"]:
        if _shared["pool"] is None:
            threads = 1
            try:
                from distributed import get_worker

                threads = get_worker().state.nthreads
            except (ImportError, ValueError, AttributeError):
                pass
            import multiprocessing as mp

            # A Dask worker under a nanny is a daemonic process, which multiprocessing forbids to
            # have children; ours die with it anyway (pipeline/workers.py).
            if mp.current_process().daemon:
                mp.current_process().daemon = False
            _shared["pool"] = WorkerPool(threads)
        return _shared["pool"]


def threads_for(workers: int) -> int:
    """Threads feeding a pool of `workers` processes: two per worker keep each one busy."""
    return max(1, 2 * workers)


def storable_path(path: str) -> str:
    """`path` itself when it is valid UTF-8; else its bytes with the undecodable ones shown as
    \\xNN (a file name from another code page decodes to lone surrogates, which neither the
    database nor JSON accept)."""
    return printable(path)


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
    """A quarantine row for a file that could not be loaded (and a copy in `quarantine_dir`);
    in the local spool file when the database cannot take it."""
    from outputs.db import add_quarantine, session_scope

    copied = _copy_to_quarantine(path, sha, quarantine_dir) if quarantine_dir else None
    try:
        with session_scope(db_url) as s:
            add_quarantine(s, run_id=run_id, path=path, sha256=sha, kind=kind, reason=reason, copied_to=copied)
    except DATABASE_ERRORS as e:  # the database is down: keep it for the next run
        where = spool.append(db_url, {"type": "quarantine", "run_id": run_id, "path": path, "sha256": sha,
                                      "kind": kind, "reason": reason, "copied_to": copied})
        log.warning("%s: could not record the failure in the database (%s); kept in %s", path,
                    type(e).__name__, where)


def process_document(path: str | Path, db_url: str, *, run_id: int | None = None,
                     extractor: Callable[[str], Extracted] | None = None,
                     quarantine_dir: str | None = None) -> DocOutcome:
    """Skip, or extract and load, one file. A bad file or an extraction bug comes back as a
    "failed" outcome (and a quarantine row); what is raised is transient (`is_transient`) or a
    bug in loading."""
    from outputs.db import is_loaded, load_report, session_scope

    cpu0 = time.process_time()
    path = os.path.abspath(path)
    problem = path_problem(path)  # an undecodable name, a symlink loop, an unreadable file: say so, go on
    if problem is None:
        try:
            path = str(Path(path).resolve())
        except (OSError, RuntimeError) as e:
            problem = PathProblem("unreadable", str(e))
    if problem is not None:
        shown = printable(path)
        record_quarantine(db_url, run_id, shown, None, problem.kind, problem.reason, None)
        return DocOutcome(shown, "failed", kind=problem.kind, reason=problem.reason,
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
                      carried_decisions=res.carried_decisions, reopened=res.reopened, extract_seconds=ex.seconds,
                      load_seconds=time.perf_counter() - t0, cpu_seconds=time.process_time() - cpu0)


def run_document(path: str | Path, db_url: str, *, run_id: int | None = None,
                 quarantine_dir: str | None = None, isolate: bool = False,
                 limits: DocLimits | None = None) -> DocOutcome:
    """`process_document` in a worker process of the active pool (with `isolate`, of this
    process's own pool when there is no active one; else inline), killed and quarantined as
    `timeout` past its time limit."""
    pool = _active_pool
    if pool is None and isolate:
        pool = _process_pool()
    if pool is None:
        return process_document(path, db_url, run_id=run_id, quarantine_dir=quarantine_dir)
    limit, pages = (limits or DocLimits.from_env()).for_file(path)
    try:
        return pool.call(process_document, str(path), db_url, run_id=run_id, quarantine_dir=quarantine_dir,
                         time_limit=limit)
    except JobTimeout:
        shown = printable(os.path.abspath(path))
        lim = limits or DocLimits.from_env()
        how = f"{lim.base:g} s + {lim.per_page:g} s for each of its {pages} pages" if pages else f"{lim.base:g} s"
        reason = (f"not done after {limit:g} s ({how}); stopped. BAOCAO_DOC_TIMEOUT / BAOCAO_PAGE_TIMEOUT "
                  "or --doc-timeout raise the limit")
        record_quarantine(db_url, run_id, shown, None, "timeout", reason, None)
        return DocOutcome(shown, "failed", kind="timeout", reason=reason, extract_seconds=float(limit or 0))


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
        "reopened": sum(o.reopened for o in outcomes),
        "quarantined": [{"path": o.path, "kind": o.kind, "reason": (o.reason or "").splitlines()[0][:500]}
                        for o in outcomes if o.status == "failed"],
        "seconds": round(seconds, 3),
        "docs_per_second": round(len(outcomes) / seconds, 3) if seconds > 0 else None,
        "extractor_version": EXTRACTOR_VERSION,
    }


class CannotStart(Exception):
    """The run could not start: its source is missing or unreadable, or the database is down."""


def check_source(source: str | Path) -> None:
    """Raise CannotStart unless `source` is a folder that can be listed or a file."""
    p = Path(source)
    if not os.path.lexists(p) and not any(ch in str(source) for ch in "*?["):
        raise CannotStart(f"{printable(source)}: no such file or folder")
    if p.is_dir():
        try:
            os.scandir(p).close()
        except OSError as e:
            raise CannotStart(f"{printable(source)}: cannot list the folder ({e.strerror or e})") from e


def check_database(db_url: str) -> None:
    """Raise CannotStart unless the database answers (it is created and migrated if need be)."""
    from sqlalchemy import text

    from outputs.db import get_engine

    try:
        with get_engine(db_url).connect() as conn:
            conn.execute(text("SELECT 1"))
    except Exception as e:  # noqa: BLE001 - any reason is a reason not to start
        from sqlalchemy.engine import make_url

        shown = make_url(db_url).render_as_string(hide_password=True)
        first = str(getattr(e, "orig", None) or e).strip().splitlines()
        raise CannotStart(f"cannot use the database {shown}: {type(e).__name__}: "
                          f"{first[0] if first else ''}") from e


def begin_run(db_url: str, *, source: str, pattern: str | None, workers: int | None,
              flow_run_id: str | None = None) -> int:
    """A new `runs` row (runs whose process died are marked crashed first), after writing the
    failures earlier runs could not record (the local spool)."""
    from outputs.db import get_engine, session_scope, start_run

    get_engine(db_url)  # migrate before any worker connects
    late = spool.replay(db_url)
    if late:
        log.warning("recorded %d failure(s) that earlier runs could not write to the database", late)
    with session_scope(db_url) as s:
        return start_run(s, source=source, pattern=pattern, extractor_version=EXTRACTOR_VERSION,
                         workers=workers, flow_run_id=flow_run_id).id


def end_run(db_url: str, run_id: int, summary: dict[str, Any], status: str = "completed") -> bool:
    """Store the run's summary; when the database cannot take it, keep it in the local spool
    (written at the start of the next run) and return False."""
    from outputs.db import finish_run, session_scope

    try:
        with session_scope(db_url) as s:
            finish_run(s, run_id, summary, status)
        return True
    except DATABASE_ERRORS as e:
        where = spool.append(db_url, {"type": "finish_run", "run_id": run_id, "summary": summary, "status": status})
        log.warning("run %s: could not store the summary (%s); kept in %s", run_id, type(e).__name__, where)
        return False


def ingest_plain(source: str | Path, db_url: str, *, pattern: str | None = None, workers: int = 2,
                 quarantine_dir: str | None = None, doc_timeout: float | None = None,
                 on_done: Callable[[DocOutcome], None] | None = None) -> dict[str, Any]:
    """The whole ingestion without Prefect: the same per-document work on a thread pool feeding
    `workers` processes. Returns the run summary (also stored in `runs`)."""
    from pipeline.discovery import discover

    t0 = time.perf_counter()
    source = Path(source).resolve() if Path(source).exists() else source
    files = discover([source], pattern)
    run_id = begin_run(db_url, source=str(source), pattern=pattern, workers=workers)
    limits = DocLimits.from_env(doc_timeout)
    outcomes: list[DocOutcome] = []
    with worker_pool(workers), cf.ThreadPoolExecutor(threads_for(workers)) as threads:
        futures = {threads.submit(with_retries, lambda f=f: run_document(
            f, db_url, run_id=run_id, quarantine_dir=quarantine_dir, limits=limits)): f for f in files}
        for fut in cf.as_completed(futures):
            try:
                o = fut.result()
            except Exception as e:  # transient failure that outlived its retries
                shown = storable_path(os.path.abspath(futures[fut]))
                o = DocOutcome(shown, "failed", kind="transient", reason=f"{type(e).__name__}: {e}")
                record_quarantine(db_url, run_id, shown, None, "transient", o.reason, None)
            outcomes.append(o)
            if on_done:
                on_done(o)
    summary = summarize(outcomes, len(files), time.perf_counter() - t0)
    summary["run_id"] = run_id
    end_run(db_url, run_id, summary)
    return summary
