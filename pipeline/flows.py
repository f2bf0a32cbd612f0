"""The Prefect flow `ingest`: discover report files, one task per document (extract → check →
load in one transaction), quarantine the bad ones, and publish the run summary.

The flow only wires pipeline/ingest.py (plain Python, no Prefect) into tasks. Concurrency: a
ThreadPoolTaskRunner whose task threads hand each document to a pool of `workers` processes
(extraction and loading are CPU-bound Python, so threads alone would not scale), or, with
`dask_address`, a DaskTaskRunner that spreads the documents over a Dask cluster (each Dask
worker process does its documents itself; use PostgreSQL as the shared database then). Task
retries happen only for transient failures.
"""
from __future__ import annotations

import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

from pipeline.prefect_env import configure

configure()

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.futures import as_completed  # noqa: E402
from prefect.runtime import flow_run, task_run  # noqa: E402
from prefect.task_runners import ThreadPoolTaskRunner  # noqa: E402

from outputs.db.engine import default_db_url, normalize_url  # noqa: E402
from pipeline.discovery import discover  # noqa: E402
from pipeline.ingest import (  # noqa: E402
    DocOutcome, begin_run, end_run, is_transient, record_quarantine, run_document, storable_path, summarize,
    threads_for, worker_pool,
)

_hooks: list[Callable[[str, Any], None]] = []


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
def ingest_document(path: str, db_url: str, run_id: int | None = None,
                    quarantine_dir: str | None = None) -> dict[str, Any]:
    """Extract, check and load one document (or skip it when already loaded)."""
    return run_document(path, db_url, run_id=run_id, quarantine_dir=quarantine_dir).to_dict()


def _safely(fn: Callable[..., Any], *args: Any) -> None:
    """Best effort (the database may be what failed)."""
    try:
        fn(*args)
    except Exception as e:  # noqa: BLE001
        get_run_logger().warning("could not record %s: %s", fn.__name__, e)


def _task_failed(db_url: str, run_id: int, path: str, exc: BaseException) -> DocOutcome:
    """A document whose task failed for good: record it in the quarantine and go on."""
    kind = "transient" if is_transient(exc) else "internal"
    outcome = DocOutcome(storable_path(str(Path(path).resolve())), "failed", kind=kind,
                         reason=f"{type(exc).__name__}: {exc}")
    _safely(record_quarantine, db_url, run_id, outcome.path, None, kind, outcome.reason, None)
    return outcome


def _task_runner(workers: int, dask_address: str | None):
    """(task runner, worker processes to start in this process)."""
    if dask_address:
        from prefect_dask import DaskTaskRunner

        return DaskTaskRunner(address=dask_address), 0
    return ThreadPoolTaskRunner(max_workers=threads_for(workers)), workers


def publish_summary(summary: dict[str, Any]) -> None:
    """The run summary as Prefect table artifacts (shown on the flow run's page in the UI)."""
    counts = [{"measure": k, "value": summary[k]}
              for k in ("found", "new", "changed", "unchanged", "failed", "flags", "carried_decisions",
                        "seconds", "docs_per_second")]
    create_table_artifact(key="baocao-ingest-summary", table=counts,
                          description=f"baocao ingestion run {summary.get('run_id')}: {summary['found']} "
                                      f"found, {summary['new']} loaded, {summary['unchanged']} unchanged, "
                                      f"{summary['failed']} failed")
    if summary["flags_by_rule"]:
        create_table_artifact(key="baocao-flags-by-rule",
                              table=[{"rule": r, "flags": n} for r, n in summary["flags_by_rule"].items()],
                              description="Flags raised by the checks on the documents loaded in this run")
    if summary["quarantined"]:
        create_table_artifact(key="baocao-quarantine", table=summary["quarantined"],
                              description="Files that could not be loaded, with the reason")


@flow(name="baocao-ingest")
def ingest(source: str, db_url: str | None = None, pattern: str | None = None, workers: int = 2,
           dask_address: str | None = None, quarantine_dir: str | None = None) -> dict[str, Any]:
    """Ingest every report file under `source` into the database at `db_url`."""
    logger = get_run_logger()
    db_url = normalize_url(db_url) if db_url else default_db_url()
    source = str(Path(source).resolve()) if Path(source).exists() else str(source)
    t0 = time.perf_counter()
    files = [str(f) for f in discover([source], pattern)]
    _notify("found", len(files))
    run_id = begin_run(db_url, source=str(source), pattern=pattern, workers=workers,
                       flow_run_id=str(flow_run.id) if flow_run.id else None)
    logger.info("run %s: %d file(s) under %s", run_id, len(files), source)
    runner, local_workers = _task_runner(workers, dask_address)
    outcomes: list[DocOutcome] = []
    try:
        with worker_pool(local_workers), runner:
            futures = {runner.submit(ingest_document, parameters={
                "path": f, "db_url": db_url, "run_id": run_id, "quarantine_dir": quarantine_dir}): f
                for f in files}
            for fut in as_completed(list(futures)):
                try:
                    outcome = DocOutcome(**fut.result())
                except Exception as e:  # retries exhausted (transient) or a bug outside extraction
                    outcome = _task_failed(db_url, run_id, futures[fut], e)
                    logger.error("%s: %s", futures[fut], outcome.reason)
                if outcome.status == "failed":
                    logger.warning("quarantined %s (%s): %s", outcome.path, outcome.kind,
                                   (outcome.reason or "").splitlines()[0])
                outcomes.append(outcome)
                _notify("done", outcome)
    except BaseException as e:
        _safely(end_run, db_url, run_id, summarize(outcomes, len(files), time.perf_counter() - t0) | {
            "run_id": run_id, "error": f"{type(e).__name__}: {e}"}, "failed")
        raise
    summary = summarize(outcomes, len(files), time.perf_counter() - t0)
    summary["run_id"] = run_id
    end_run(db_url, run_id, summary)
    publish_summary(summary)
    logger.info("run %s: %d new, %d unchanged, %d failed", run_id, summary["new"], summary["unchanged"],
                summary["failed"])
    return summary


@contextmanager
def shared_api() -> Iterator[None]:
    """Make sure PREFECT_API_URL names a server, so Dask workers (other processes) report their
    task runs to the same one: without a configured server, start Prefect's ephemeral server
    now (the one the flow would start anyway) and point the settings at it. It listens on
    127.0.0.1 only: a cluster on other machines needs a real server (docs/nightly.md)."""
    from prefect.settings import PREFECT_API_URL, temporary_settings

    if PREFECT_API_URL.value():
        yield
        return
    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS

    server = SubprocessASGIServer()
    server.start(timeout=PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
        yield


def nightly_deployment(source: str, db_url: str | None = None, *, cron: str = "0 2 * * *",
                       timezone: str = "Asia/Ho_Chi_Minh", workers: int = 2, pattern: str | None = None,
                       name: str = "nightly"):
    """The ingestion flow as a deployment on a cron schedule (what `baocao serve` serves)."""
    from prefect.schedules import Cron

    return ingest.to_deployment(
        name=name, schedule=Cron(cron, timezone=timezone),
        parameters={"source": str(Path(source).resolve()), "db_url": normalize_url(db_url) if db_url else
                    default_db_url(), "pattern": pattern, "workers": workers},
        description=f"Ingest the reports under {source} on the schedule {cron} ({timezone}).")


def run_ingest(source: str, db_url: str | None = None, *, pattern: str | None = None, workers: int = 2,
               dask_address: str | None = None, quarantine_dir: str | None = None,
               on_progress: Callable[[str, Any], None] | None = None) -> dict[str, Any]:
    """Run the flow in this process (what `baocao ingest` does)."""
    kwargs = dict(source=str(source), db_url=normalize_url(db_url) if db_url else default_db_url(),
                  pattern=pattern, workers=workers, dask_address=dask_address, quarantine_dir=quarantine_dir)
    with progress(on_progress or (lambda *_: None)):
        if dask_address:
            with shared_api():
                return ingest(**kwargs)
        return ingest(**kwargs)
