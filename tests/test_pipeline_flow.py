"""The Prefect ingestion flow, end to end, against the session's Prefect server (conftest.py):
the sample corpus twice (SQLite and PostgreSQL), a changed file, a run killed with SIGKILL
half-way and rerun, and documents spread over a local 2-worker Dask cluster."""
from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from contextlib import nullcontext
from pathlib import Path

import pytest

from pipeline_helpers import (
    ROOT, assert_complete, baocao_cmd, copy_files, corpus_names, counts, pg_schema, sqlite_url, write_corrupt,
)

pytestmark = pytest.mark.slow
sys.path.insert(0, str(ROOT / "benchmarks"))


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> list[Path]:
    """Eight synthetic reports (docx), made once."""
    from make_reports import make_docx

    d = tmp_path_factory.mktemp("generated")
    return [make_docx(d / f"bc-{i:02d}.docx", 7000 + i) for i in range(8)]


def _artifacts(api_url: str, flow_run_id: str) -> dict[str, list]:
    """The flow run's artifacts, as the UI reads them (the REST API)."""
    import json

    import httpx

    r = httpx.post(f"{api_url}/artifacts/filter", timeout=30, json={
        "artifacts": {"flow_run_id": {"any_": [flow_run_id]}}, "limit": 50, "offset": 0, "sort": "CREATED_DESC"})
    r.raise_for_status()
    return {a["key"]: json.loads(a["data"]) if isinstance(a["data"], str) and a["type"] == "table" else a["data"]
            for a in r.json()}


def _run_row(url: str, run_id: int):
    from outputs.db import Run, session_scope

    with session_scope(url) as s:
        r = s.get(Run, run_id)
        return r.status, r.summary, r.flow_run_id


def test_corpus_twice_sqlite(prefect_api, tmp_path):
    from pipeline.flows import run_ingest

    names = corpus_names()  # docx, doc, pdf, tcvn3.docx: everything but the scans
    good = copy_files(names, tmp_path / "in")
    bad = write_corrupt(tmp_path / "in" / "hong")
    url = sqlite_url(tmp_path)
    events = []
    first = run_ingest(str(tmp_path / "in"), url, workers=2, on_progress=lambda e, p: events.append(e))
    assert events[0] == "found" and events.count("done") == len(good) + len(bad)
    assert first["found"] == len(good) + len(bad)
    assert first["new"] + first["failed"] == first["found"] and first["unchanged"] == 0
    assert {q["path"] for q in first["quarantined"]} >= {str(b) for b in bad}
    assert first["new"] >= len([n for n in names if n.endswith(".docx")])  # docx readers are solid
    loaded = counts(url)
    versions = assert_complete(url)
    assert len(versions) == first["new"] and set(versions.values()) == {1}
    status, stored, flow_run_id = _run_row(url, first["run_id"])
    assert status == "completed" and stored["new"] == first["new"]
    assert stored["flags_by_rule"] == first["flags_by_rule"] and first["flags"] == loaded["flags"] > 0
    arts = _artifacts(prefect_api, flow_run_id)
    table = {row["measure"]: row["value"] for row in arts["baocao-ingest-summary"]}
    assert (table["found"], table["new"], table["failed"]) == (first["found"], first["new"], first["failed"])
    assert {r["rule"]: r["flags"] for r in arts["baocao-flags-by-rule"]} == first["flags_by_rule"]
    assert {r["path"] for r in arts["baocao-quarantine"]} >= {str(b) for b in bad}
    report = arts["baocao-run-report"]  # the morning report, as `baocao runs --last` shows it
    assert report.startswith(f"# ❌ baocao run {first['run_id']}: FAILED: {first['failed']} document(s)")
    assert all(f"`{b}`" in report for b in bad) and "empty file" in report
    assert f"## New ({first['new']})" in report

    second = run_ingest(str(tmp_path / "in"), url, workers=2)
    assert (second["new"], second["unchanged"], second["failed"]) == (0, first["new"], first["failed"])
    assert counts(url) == loaded


@pytest.mark.postgres
def test_corpus_twice_postgres(prefect_api, tmp_path):
    from pipeline.flows import run_ingest

    names = [n for n in corpus_names() if n.endswith(".docx")] + ["duc-chinh-2020-h1.pdf"]
    copy_files(names, tmp_path / "in")
    bad = write_corrupt(tmp_path / "in")
    with pg_schema() as url:
        first = run_ingest(str(tmp_path / "in"), url, workers=2, pattern="*.*")
        assert (first["found"], first["new"], first["failed"]) == (len(names) + 2, len(names), 2)
        assert sorted(q["path"] for q in first["quarantined"]) == sorted(str(b) for b in bad)
        loaded = counts(url)
        assert len(assert_complete(url)) == len(names)
        second = run_ingest(str(tmp_path / "in"), url, workers=1)
        assert (second["new"], second["unchanged"], second["failed"]) == (0, len(names), 2)
        assert counts(url) == loaded
        only_pdf = run_ingest(str(tmp_path / "in"), url, workers=1, pattern="*.pdf")
        assert (only_pdf["found"], only_pdf["unchanged"]) == (2, 1)


def test_changed_file_new_version_keeps_review_decisions(prefect_api, tmp_path):
    from docx import Document as Docx
    from sqlalchemy import select

    from outputs.db import DocumentVersion, FlagRow, decisions_for, record_decision, session_scope
    from pipeline.flows import run_ingest

    (f,) = copy_files(["duc-chinh-2020-h1.docx"], tmp_path / "in")
    url = sqlite_url(tmp_path)
    assert run_ingest(str(tmp_path / "in"), url, workers=1)["new"] == 1
    with session_scope(url) as s:
        flags = s.scalars(select(FlagRow).order_by(FlagRow.ordinal)).all()
        assert flags, "the sample report has flags"
        decided = {fl.flag_key: fl for fl in flags[:2]}
        record_decision(s, flags[0].id, "confirm", "lan", reason="sai thật")
        if len(flags) > 1:
            record_decision(s, flags[1].id, "dismiss", "lan", reason="không phải lỗi")
        keys = {k: (v.rule, v.section, v.column, v.stated, v.status) for k, v in decided.items()}
    doc = Docx(str(f))  # the office edits the file: one more closing sentence
    doc.add_paragraph("Báo cáo được bổ sung ngày 15/7/2020 theo yêu cầu của Phòng GD&ĐT.")
    doc.save(str(f))
    res = run_ingest(str(tmp_path / "in"), url, workers=1)
    assert (res["new"], res["changed"], res["unchanged"]) == (1, 1, 0)
    assert res["carried_decisions"] == len(keys)
    assert assert_complete(url) == {str(f.resolve()): 2}
    with session_scope(url) as s:
        cur = s.scalar(select(DocumentVersion).where(DocumentVersion.is_current))
        new_flags = s.scalars(select(FlagRow).where(FlagRow.version_id == cur.id)).all()
        carried = {(x.rule, x.section, x.column, x.stated): x for x in new_flags if x.carried_from_flag_id}
        assert len(carried) == len(keys)
        for rule, section, column, stated, status in keys.values():
            nf = carried[(rule, section, column, stated)]
            assert nf.status == status
            assert [d.reviewer for d in decisions_for(s, nf.id)] == ["lan"]
    again = run_ingest(str(tmp_path / "in"), url, workers=1)
    assert (again["new"], again["unchanged"]) == (0, 1)


def _loaded_documents(url: str) -> int:
    from sqlalchemy import text

    from outputs.db.engine import create_engine_for

    e = create_engine_for(url)
    try:
        with e.connect() as c:
            return c.execute(text("SELECT count(*) FROM documents")).scalar() or 0
    except Exception:  # not created yet
        return 0
    finally:
        e.dispose()


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def test_killed_run_then_rerun_loads_every_document_once(prefect_api, tmp_path, generated, backend):
    """SIGKILL `baocao ingest` once some documents are committed (each load is slowed down, so
    the kill lands while a transaction is open), then run it again."""
    src = tmp_path / "in"
    copy_files(["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.tcvn3.docx"], src)
    for g in generated:
        shutil.copy2(g, src / g.name)
    n = len(list(src.iterdir()))
    with (pg_schema() if backend == "postgres" else nullcontext(sqlite_url(tmp_path))) as url:
        env = dict(os.environ, PREFECT_API_URL=prefect_api, BAOCAO_LOAD_DELAY="0.6", COLUMNS="200")
        cmd = baocao_cmd() + ["ingest", str(src), "--db", url, "--workers", "1"]
        proc = subprocess.Popen(cmd, env=env, cwd=tmp_path, start_new_session=True,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 120
            while _loaded_documents(url) < 2:
                assert proc.poll() is None, proc.stdout.read().decode()
                assert time.monotonic() < deadline, "no document committed in time"
                time.sleep(0.1)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its extraction workers
            proc.wait(30)
        before = assert_complete(url)  # whatever is there is complete
        assert 2 <= len(before) < n
        env.pop("BAOCAO_LOAD_DELAY")
        res = subprocess.run(cmd, env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300)
        assert res.returncode == 0, res.stdout + res.stderr
        after = assert_complete(url)
        assert len(after) == n and set(after.values()) == {1}
        from sqlalchemy import select

        from outputs.db import Run, session_scope

        with session_scope(url) as s:
            runs = s.scalars(select(Run).order_by(Run.id)).all()
            assert [r.status for r in runs] == ["crashed", "completed"]
            assert (runs[1].summary["new"], runs[1].summary["unchanged"]) == (n - len(before), len(before))


@pytest.mark.postgres
def test_dask_cluster_loads_every_document_once(prefect_api, tmp_path, generated):
    from distributed import LocalCluster

    from pipeline.flows import run_ingest

    src = tmp_path / "in"
    files = copy_files([g.name for g in generated], src, src=generated[0].parent)
    with pg_schema() as url, LocalCluster(n_workers=2, processes=True, threads_per_worker=1,
                                          dashboard_address=None) as cluster:
        first = run_ingest(str(src), url, dask_address=cluster.scheduler_address)
        assert (first["found"], first["new"], first["failed"]) == (len(files), len(files), 0)
        assert assert_complete(url) == {str(f.resolve()): 1 for f in files}
        loaded = counts(url)
        second = run_ingest(str(src), url, dask_address=cluster.scheduler_address)
        assert (second["new"], second["unchanged"]) == (0, len(files))
        assert counts(url) == loaded


def test_tasks_retry_transient_failures_only(prefect_api, tmp_path, monkeypatch):
    from sqlalchemy import select
    from sqlalchemy.exc import OperationalError

    import pipeline.flows as flows
    from outputs.db import QuarantineEntry, session_scope

    files = copy_files(["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx"], tmp_path / "in")
    flaky, buggy = (str(f.resolve()) for f in files)
    calls: list[str] = []
    real = flows.run_document

    def process(path, db_url, **kw):
        calls.append(path)
        if path == flaky and calls.count(path) == 1:
            raise OperationalError("INSERT", {}, Exception("could not connect to server"))
        if path == buggy:
            raise KeyError("a bug in the loader")
        return real(path, db_url, **kw)

    monkeypatch.setattr(flows, "run_document", process)
    url = sqlite_url(tmp_path)
    res = flows.run_ingest(str(tmp_path / "in"), url, workers=1)
    assert (calls.count(flaky), calls.count(buggy)) == (2, 1)
    assert (res["new"], res["failed"]) == (1, 1)
    assert res["quarantined"] == [{"path": buggy, "kind": "internal", "reason": "KeyError: 'a bug in the loader'"}]
    with session_scope(url) as s:
        assert [(q.path, q.kind) for q in s.scalars(select(QuarantineEntry))] == [(buggy, "internal")]


def test_nightly_deployment_has_the_cron_schedule(prefect_api, tmp_path):
    from pipeline.flows import nightly_deployment

    d = nightly_deployment(str(tmp_path), "sqlite:///x.sqlite", cron="0 2 * * *", workers=2)
    (schedule,) = d.schedules
    assert schedule.schedule.cron == "0 2 * * *" and schedule.schedule.timezone == "Asia/Ho_Chi_Minh"
    assert d.parameters["source"] == str(tmp_path) and d.parameters["workers"] == 2
    assert d.parameters["db_url"] == f"sqlite:///{Path.cwd() / 'x.sqlite'}"
