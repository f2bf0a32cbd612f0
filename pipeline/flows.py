"""The Prefect flow `ingest`: discover report files, one task per document (extract → check →
load in one transaction), quarantine the bad ones, and publish the run's report.

The flow only wires pipeline/ingest.py (plain Python, no Prefect) into tasks. Concurrency: a
ThreadPoolTaskRunner whose task threads hand each document to a pool of `workers` processes
(extraction and loading are CPU-bound Python, so threads alone would not scale), or, with
`dask_address`, a DaskTaskRunner that spreads the documents over a Dask cluster (each Dask
worker process hands its documents to a worker process of its own; use PostgreSQL as the
shared database then, and a Prefect server that outlives the run). Every document has a time
limit (pipeline/ingest.py `DocLimits`). Task retries happen only for transient failures.

The flow run ends Completed when every document found was loaded (or already was), Failed when
some could not be: the report (artifacts) says which and why. `run_ingest` runs it in this
process; without a configured Prefect server it starts a temporary one that dies with it.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline.prefect_env import configure

configure()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.runtime import flow_run, task_run  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from outputs.db.engine import default_db_url, normalize_url  # noqa: E402
from pipeline import spool  # noqa: E402
from pipeline.discovery import discover  # noqa: E402
from pipeline.ingest import (  # noqa: E402
    CannotStart, DocLimits, DocOutcome, begin_run, check_source, end_run, is_transient, record_quarantine,
    run_document, storable_path, summarize, threads_for, worker_pool,
)
from pipeline.prefect_env import TEMPORARY_SERVER_ENV, NeedsPrefectServer, configured_api_url  # noqa: E402

_hooks: list[Callable[[str, Any], None]] = []


class DocumentsFailed(Exception):
    """Some documents of the run could not be loaded (they are quarantined); `summary` is the
    run's summary."""

    def __init__(self, summary: dict[str, Any]):
        self.summary = summary
        names = ", ".join(f"{Path(q['path']).name} ({q['kind']})" for q in summary["quarantined"][:5])
        more = f" and {summary['failed'] - 5} more" if summary["failed"] > 5 else ""
        super().__init__(f"{summary['failed']} of {summary['found']} document(s) failed: {names}{more} "
                         "(baocao runs --last)")

    def __reduce__(self):
        return (DocumentsFailed, (self.summary,))


@contextmanager
def progress(callback: Callable[[str, Any], None]) -> Iterator[None]:
    """Call `callback("found", n)` once the files are discovered, then `callback("done",
    DocOutcome)` as each document finishes (the CLI's progress bar)."""
    _hooks.append(callback)
    try:
        yield
    finally:
        _hooks.remove(callback)


def _notify(event: str, payload: Any) -> None:
    for cb in list(_hooks):
        cb(event, payload)


def _retry_transient(task_, task_run_, state) -> bool:
    """Retry a document only when it failed for a transient reason."""
    try:
        state.result()
    except BaseException as e:  # the task's exception
        return is_transient(e)
    return False


def _document_run_name() -> str:
    return Path(task_run.parameters.get("path", "document")).name


@task(name="ingest-document", task_run_name=_document_run_name, retries=3,
      retry_delay_seconds=[1, 4, 10], retry_condition_fn=_retry_transient,
      cache_policy=NO_CACHE, persist_result=False)
def ingest_document(path: str, db_url: str, run_id: int | None = None, quarantine_dir: str | None = None,
                    isolate: bool = False, doc_timeout: float | None = None) -> dict[str, Any]:
    """Extract, check and load one document (or skip it when already loaded)."""
    return run_document(path, db_url, run_id=run_id, quarantine_dir=quarantine_dir, isolate=isolate,
                        limits=DocLimits.from_env(doc_timeout)).to_dict()


def _safely(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Best effort (the database may be what failed)."""
    try:
        return fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001
        get_run_logger().warning("could not %s: %s", fn.__name__, e)
        return None


def _task_failed(db_url: str, run_id: int, path: str, exc: BaseException) -> DocOutcome:
    """A document whose task failed for good: record it in the quarantine (or the local spool
    when the database is down) and go on."""
    import os

    kind = "transient" if is_transient(exc) else "internal"
    outcome = DocOutcome(storable_path(os.path.abspath(path)), "failed", kind=kind,
                         reason=f"{type(exc).__name__}: {exc}")
    _safely(record_quarantine, db_url, run_id, outcome.path, None, kind, outcome.reason, None)
    return outcome


def _task_runner(workers: int, dask_address: str | None):
    """(task runner, worker processes to start in this process)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address), 0
    return ThreadPoolTaskRunner(max_workers=threads_for(workers)), workers


def _require_lasting_server(dask_address: str | None) -> None:
    """Dask workers report their task runs to the Prefect API: a temporary server that ends with
    the run leaves them retrying its event socket (≈ 90 MB more per run). Refuse instead."""
    import os

    if dask_address and (not configured_api_url() or os.environ.get(TEMPORARY_SERVER_ENV)):
        raise NeedsPrefectServer("--dask needs a Prefect server that outlives the run (its workers report "
                                 "to it): start one (`prefect server start`) and set PREFECT_API_URL; "
                                 "see docs/nightly.md")


def publish_report(summary: dict[str, Any], db_url: str) -> None:
    """The run's report as Prefect artifacts (the flow run's Artifacts tab in the UI): a Markdown
    report (pipeline/runreport.py, the same as `baocao runs --last`), the counts, flags by rule and
    the quarantined files as tables."""
    from outputs.db import session_scope
    from outputs.db.runs import RunReport, run_report
    from pipeline.runreport import to_markdown

    rep = None
    try:
        with session_scope(db_url, readonly=True) as s:
            rep = run_report(s, summary.get("run_id"))
    except Exception:  # noqa: BLE001 - the database is down: report from the summary alone
        rep = None
    if rep is None or rep.status == "running":
        import datetime as dt

        status = "completed" if not summary.get("error") else "failed"
        rep = RunReport(summary.get("run_id") or 0, status, summary.get("source", ""),
                        dt.datetime.now(dt.timezone.utc), None, summary,
                        failed=[(q["path"], q["kind"], q["reason"]) for q in summary.get("quarantined", [])])
    pending = len(_safely(spool.pending, db_url) or [])
    create_markdown_artifact(key="baocao-run-report", markdown=to_markdown(rep, pending),
                             description=f"baocao run {rep.id}: {rep.verdict}")
    counts = [{"measure": k, "value": summary.get(k)}
              for k in ("found", "new", "changed", "unchanged", "failed", "flags", "carried_decisions",
                        "reopened", "seconds", "docs_per_second")]
    create_table_artifact(key="baocao-ingest-summary", table=counts,
                          description=f"baocao ingestion run {summary.get('run_id')}: {summary.get('found', 0)} "
                                      f"found, {summary.get('new', 0)} loaded, {summary.get('unchanged', 0)} "
                                      f"unchanged, {summary.get('failed', 0)} failed")
    if summary.get("flags_by_rule"):
        create_table_artifact(key="baocao-flags-by-rule",
                              table=[{"rule": r, "flags": n} for r, n in summary["flags_by_rule"].items()],
                              description="Flags raised by the checks on the documents loaded in this run")
    if summary.get("quarantined"):
        create_table_artifact(key="baocao-quarantine", table=summary["quarantined"],
                              description="Files that could not be loaded, with the reason")


def _collect(outcomes: list[DocOutcome], files: list[str], runner, db_url: str, run_id: int,
             quarantine_dir: str | None, isolate: bool, doc_timeout: float | None) -> None:
    """One task per file; each outcome appended to `outcomes` as it comes (an interrupted run
    still counts the documents it finished)."""
    logger = get_run_logger()
    futures = {runner.submit(ingest_document, parameters={
        "path": f, "db_url": db_url, "run_id": run_id, "quarantine_dir": quarantine_dir, "isolate": isolate,
        "doc_timeout": doc_timeout}): f for f in files}
    for fut in as_completed(list(futures)):
        try:
            outcome = DocOutcome(**fut.result())
        except Exception as e:  # retries exhausted (transient) or a bug outside extraction
            outcome = _task_failed(db_url, run_id, futures[fut], e)
            logger.error("%s: %s", futures[fut], outcome.reason)
        if outcome.status == "failed":
            logger.warning("quarantined %s (%s): %s", outcome.path, outcome.kind,
                           (outcome.reason or "").splitlines()[0] if outcome.reason else "")
        outcomes.append(outcome)
        _notify("done", outcome)


@flow(name="baocao-ingest")
def ingest(source: str, db_url: str | None = None, pattern: str | None = None, workers: int = 2,
           dask_address: str | None = None, quarantine_dir: str | None = None,
           doc_timeout: float | None = None):
    """Ingest every report file under `source` into the database at `db_url`. Returns the run
    summary; raises DocumentsFailed (the flow run is Failed) when documents failed."""
    logger = get_run_logger()
    _require_lasting_server(dask_address)
    db_url = normalize_url(db_url) if db_url else default_db_url()
    source = str(Path(source).resolve()) if Path(source).exists() else str(source)
    t0 = time.perf_counter()
    run_id = begin_run(db_url, source=source, pattern=pattern, workers=workers,
                       flow_run_id=str(flow_run.id) if flow_run.id else None)
    try:
        check_source(source)
    except CannotStart as e:  # the drop folder is missing (not mounted?): a failed night, said so
        summary = summarize([], 0, time.perf_counter() - t0) | {"run_id": run_id, "source": source, "error": str(e)}
        end_run(db_url, run_id, summary, "failed")
        _safely(publish_report, summary, db_url)
        raise
    files = [str(f) for f in discover([source], pattern)]
    _notify("found", len(files))
    logger.info("run %s: %d file(s) under %s", run_id, len(files), source)
    runner, local_workers = _task_runner(workers, dask_address)
    outcomes: list[DocOutcome] = []
    try:
        # the pool closes first: an interrupted run kills its workers, then the task threads end
        with runner, worker_pool(local_workers):
            _collect(outcomes, files, runner, db_url, run_id, quarantine_dir, bool(dask_address), doc_timeout)
    except BaseException as e:
        summary = summarize(outcomes, len(files), time.perf_counter() - t0) | {
            "run_id": run_id, "source": source, "error": f"{type(e).__name__}: {e}"}
        _safely(end_run, db_url, run_id, summary, "failed")
        raise
    summary = summarize(outcomes, len(files), time.perf_counter() - t0) | {"run_id": run_id, "source": source}
    end_run(db_url, run_id, summary)
    _safely(publish_report, summary, db_url)
    logger.info("run %s: %d new, %d unchanged, %d failed", run_id, summary["new"], summary["unchanged"],
                summary["failed"])
    if summary["failed"]:
        raise DocumentsFailed(summary)  # the flow run is Failed, its message names them
    return summary


def nightly_deployment(source: str, db_url: str | None = None, *, cron: str = "0 2 * * *",
                       timezone: str = "Asia/Ho_Chi_Minh", workers: int = 2, pattern: str | None = None,
                       name: str = "nightly", doc_timeout: float | None = None):
    """The ingestion flow as a deployment on a cron schedule (what `baocao serve` serves)."""
    from prefect.schedules import Cron

    return ingest.to_deployment(
        name=name, schedule=Cron(cron, timezone=timezone),
        parameters={"source": str(Path(source).resolve()), "db_url": normalize_url(db_url) if db_url else
                    default_db_url(), "pattern": pattern, "workers": workers, "doc_timeout": doc_timeout},
        description=f"Ingest the reports under {source} on the schedule {cron} ({timezone}).")


def run_ingest(source: str, db_url: str | None = None, *, pattern: str | None = None, workers: int = 2,
               dask_address: str | None = None, quarantine_dir: str | None = None,
               doc_timeout: float | None = None,
               on_progress: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    """Run the flow in this process (what `baocao ingest` does) and return the run summary
    (whether or not documents failed: `summary["failed"]`). Raises NeedsPrefectServer for a
    Dask run without a lasting Prefect server, CannotStart when the source is missing, and
    what stopped the run otherwise."""
    from pipeline.prefect_env import temporary_server

    _require_lasting_server(dask_address)
    kwargs = dict(source=str(source), db_url=normalize_url(db_url) if db_url else default_db_url(),
                  pattern=pattern, workers=workers, dask_address=dask_address, quarantine_dir=quarantine_dir,
                  doc_timeout=doc_timeout)
    with progress(on_progress or (lambda *_: None)), temporary_server():
        state = ingest(**kwargs, return_state=True)
    if state.is_completed():
        return state.result()
    error = state.result(raise_on_failure=False)
    if isinstance(error, DocumentsFailed):  # the run went through; some documents failed
        return error.summary
    if isinstance(error, BaseException):
        raise error
    raise RuntimeError(f"the ingestion flow ended {state.name}: {state.message}")
