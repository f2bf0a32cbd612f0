"""Failures an operator must see, and processes that must not outlive `baocao ingest` (issue 14):
exit codes scripts can trust, a per-document time limit, failures kept locally while the
database is down and recorded by the next run, and nothing left running after a `kill -9`."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from pipeline import ingest as ing
from pipeline import spool
from pipeline_helpers import (
    DOCS, ROOT, TcpProxy, assert_complete, baocao_cmd, copy_files, marked_processes, pg_schema, sqlite_url,
    write_corrupt,
)

GOOD = "duc-chinh-2020-h1.docx"
OTHER = "mao-khe-2021-chi-thi-04.docx"


def _env(tmp_path: Path, api: str | None, **extra: str) -> dict[str, str]:
    """The environment of a `baocao` subprocess: the session's Prefect server (or none), a private
    spool and OCR cache, a mark to find every process it starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update(COLUMNS="200", BAOCAO_SPOOL_DIR=str(tmp_path / "spool"), BAOCAO_CACHE_DIR=str(tmp_path / "ocr"),
               BAOCAO_TEST_MARK=uuid.uuid4().hex, **extra)
    if api:
        env["PREFECT_API_URL"] = api
    return env


def _ingest(env: dict[str, str], *args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(baocao_cmd() + ["ingest", *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout)


@pytest.mark.slow
def test_exit_codes_scripts_can_trust(prefect_api, tmp_path):
    db = sqlite_url(tmp_path)
    env = _env(tmp_path, prefect_api)
    ok = tmp_path / "ok"
    copy_files([GOOD], ok)
    res = _ingest(env, str(ok), "--db", db, "--workers", "1")
    assert res.returncode == 0, res.stdout + res.stderr
    some = tmp_path / "some"
    copy_files([OTHER], some)
    bad = write_corrupt(some)
    res = _ingest(env, str(some), "--db", db, "--workers", "1")
    assert res.returncode == 1, res.stdout + res.stderr
    assert f"{len(bad)} of {len(bad) + 1} document(s) failed" in res.stdout
    report = subprocess.run(baocao_cmd() + ["runs", "--last", "--db", db], env=env, capture_output=True, text=True,
                            timeout=120)
    assert report.returncode == 1 and f"FAILED: {len(bad)} document(s)" in report.stdout
    assert all(b.name in report.stdout for b in bad) and OTHER in report.stdout  # failed, and new
    only_bad = tmp_path / "only-bad"
    write_corrupt(only_bad)
    res = _ingest(env, str(only_bad), "--db", db, "--workers", "1", "--no-prefect")
    assert res.returncode == 1, res.stdout + res.stderr
    # could not start: no run, exit 2, a sentence saying why
    res = _ingest(env, str(tmp_path / "missing"), "--db", db)
    assert res.returncode == 2 and "no such file or folder" in res.stderr
    res = _ingest(env, str(ok), "--db", "postgresql+psycopg://postgres@127.0.0.1:1/none")
    assert res.returncode == 2 and "cannot use the database" in res.stderr
    no_server = _env(tmp_path, None, PREFECT_HOME=str(tmp_path / "fresh-prefect-home"))
    res = _ingest(no_server, str(ok), "--db", db, "--dask", "tcp://127.0.0.1:1")
    assert res.returncode == 2 and "prefect server start" in res.stderr, res.stderr
    from outputs.db import Run, session_scope

    with session_scope(db) as s:
        assert [r.status for r in s.scalars(select(Run).order_by(Run.id))] == ["completed"] * 3


def test_time_limits_grow_with_the_pages_of_a_pdf(monkeypatch):
    monkeypatch.setenv("BAOCAO_DOC_TIMEOUT", "120")
    monkeypatch.setenv("BAOCAO_PAGE_TIMEOUT", "10")
    limits = ing.DocLimits.from_env()
    scan = DOCS / "duc-chinh-2020-h1.scan.pdf"
    if not scan.exists():
        pytest.skip("sample corpus not found")
    pages = ing.pdf_pages(scan)
    assert pages == 6 and limits.for_file(scan) == (120 + 10 * pages, pages)
    assert limits.for_file(DOCS / GOOD) == (120, 0)
    assert ing.DocLimits.from_env(base=0).for_file(scan) == (None, 0)  # 0: no limit
    assert ing.DocLimits.from_env(base=30).base == 30


@pytest.mark.slow
def test_a_document_past_its_time_limit_is_stopped_and_quarantined(prefect_api, tmp_path):
    """A scan whose OCR takes longer than the limit: its worker (and Tesseract) is killed, the
    document quarantined as `timeout`, the other documents loaded, exit code 1."""
    import pikepdf

    src = tmp_path / "in"
    copy_files([GOOD], src)
    with pikepdf.new() as pdf:  # 36 scanned pages: ≥ 60 s of OCR on two workers, over the limit
        for name in ("duc-chinh-2020-h1.scan.pdf", "mao-khe-2021-chi-thi-04.scan.pdf") * 3:
            with pikepdf.open(DOCS / name) as part:
                pdf.pages.extend(part.pages)
        pdf.save(src / "long.scan.pdf")
    db = sqlite_url(tmp_path)
    env = _env(tmp_path, prefect_api, BAOCAO_PAGE_TIMEOUT="0")
    t0 = time.monotonic()
    res = _ingest(env, str(src), "--db", db, "--workers", "2", "--doc-timeout", "25")
    seconds = time.monotonic() - t0
    assert res.returncode == 1, res.stdout + res.stderr
    assert seconds < 150, f"the run took {seconds:.0f} s"
    assert not marked_processes(env["BAOCAO_TEST_MARK"]), "a worker or Tesseract outlived the run"
    from outputs.db import QuarantineEntry, session_scope

    assert assert_complete(db) == {str((src / GOOD).resolve()): 1}
    with session_scope(db) as s:
        (q,) = s.scalars(select(QuarantineEntry)).all()
        assert q.kind == "timeout" and q.path.endswith("long.scan.pdf") and "not done after 25 s" in q.reason


@pytest.mark.slow
def test_kill_9_leaves_no_process_behind(tmp_path):
    """`kill -9` of `baocao ingest` (its main process only) while the temporary Prefect server,
    the worker processes and LibreOffice run: within seconds none of them is left."""
    src = tmp_path / "in"
    copy_files([GOOD, OTHER], src)
    for i in range(3):  # Word 97 files: LibreOffice converts them, first in the folder's order
        shutil.copy2(DOCS / "duc-chinh-2020-h1.doc", src / f"a-{i}.doc")
    env = _env(tmp_path, None, BAOCAO_LOAD_DELAY="2")  # no server configured: a temporary one
    mark = env["BAOCAO_TEST_MARK"]
    proc = subprocess.Popen(baocao_cmd() + ["ingest", str(src), "--db", sqlite_url(tmp_path), "--workers", "2"],
                            env=env, cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    seen: set[str] = set()
    try:
        deadline = time.monotonic() + 240
        while not {"uvicorn", "worker", "soffice"} <= seen:
            assert proc.poll() is None, f"the run ended before it could be killed (saw {seen})"
            assert time.monotonic() < deadline, f"never saw all the processes (saw {seen})"
            for _, cmd in marked_processes(mark):
                seen |= {k for k in ("uvicorn", "soffice") if k in cmd}
                if "multiprocessing" in cmd:
                    seen.add("worker")
            time.sleep(0.1)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    deadline = time.monotonic() + 15
    while (left := marked_processes(mark)) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not left, f"still running after kill -9: {left}"


@pytest.mark.postgres
def test_failures_during_a_database_outage_are_kept_locally_then_recorded(tmp_path, monkeypatch):
    """The database goes away after the first document: the failures (whose quarantine rows cannot
    be written) and the run's summary are kept in the local spool file; the next run writes them
    into the database before it starts."""
    from outputs.db import QuarantineEntry, Run, session_scope

    monkeypatch.setenv("BAOCAO_SPOOL_DIR", str(tmp_path / "spool"))
    src = tmp_path / "in"
    copy_files([GOOD, OTHER], src)
    write_corrupt(src)  # hong.docx, rong.pdf: sorted between the two good ones
    with pg_schema() as direct, TcpProxy() as proxy:
        url = proxy.url(direct)
        done: list[str] = []

        def outage_after_first(outcome) -> None:
            done.append(outcome.path)
            if len(done) == 1:
                proxy.down()

        first = ing.ingest_plain(src, url, workers=0, on_done=outage_after_first)
        assert (first["found"], first["new"], first["failed"]) == (4, 1, 3)
        waiting = spool.pending(url)
        assert sorted(r["type"] for r in waiting) == ["finish_run"] + ["quarantine"] * 3
        assert {r["path"] for r in waiting if r["type"] == "quarantine"} == {str(p.resolve()) for p in
                                                                              sorted(src.iterdir())[1:]}
        with session_scope(direct) as s:  # the database itself never saw them
            assert s.scalars(select(QuarantineEntry)).all() == []
            assert s.get(Run, first["run_id"]).status == "running"
        proxy.up()
        second = ing.ingest_plain(src, url, workers=0)
        assert spool.pending(url) == []
        with session_scope(direct) as s:
            late = s.scalars(select(QuarantineEntry).where(QuarantineEntry.run_id == first["run_id"])).all()
            # failed on the database (transient), or before it went down on their own account
            assert len(late) == 3 and all(q.kind in ("transient", "corrupt", "empty") and q.reason for q in late)
            assert any(q.kind == "transient" and "OperationalError" in q.reason for q in late)
            run = s.get(Run, first["run_id"])
            assert run.status == "completed" and run.summary["failed"] == 3
        assert (second["new"], second["unchanged"], second["failed"]) == (1, 1, 2)


def test_the_flow_refuses_dask_without_a_lasting_prefect_server(monkeypatch):
    """A temporary server ends with the run and leaves Dask workers retrying its socket: refused."""
    from pipeline import flows
    from pipeline.prefect_env import TEMPORARY_SERVER_ENV, NeedsPrefectServer

    monkeypatch.setenv(TEMPORARY_SERVER_ENV, "1")
    with pytest.raises(NeedsPrefectServer, match="outlives the run"):
        flows.run_ingest("/nowhere", "sqlite:///x.sqlite", dask_address="tcp://127.0.0.1:1")
    monkeypatch.setattr(flows, "configured_api_url", lambda: None)
    monkeypatch.delenv(TEMPORARY_SERVER_ENV)
    with pytest.raises(NeedsPrefectServer, match="PREFECT_API_URL"):
        flows.run_ingest("/nowhere", "sqlite:///x.sqlite", dask_address="tcp://127.0.0.1:1")
