"""The nightly import really runs (issue 14), on the session's real `prefect server start`:
`baocao serve` with a short cron fires a scheduled run that loads the files, and stops within
seconds on SIGTERM; it refuses to start without a Prefect server; `prefect deploy --all` with
prefect.yaml succeeds; `baocao worker` stops within seconds on SIGTERM even when started with
SIGINT ignored (as `cmd &` in a script does)."""
from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
import uuid
from pathlib import Path

import httpx
import pytest

from pipeline_helpers import ROOT, assert_complete, baocao_cmd, copy_files, sqlite_url

pytestmark = pytest.mark.slow
FILES = ["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx"]
STOP_SECONDS = 10  # "within a few seconds" (measured: 2-3 s)


def _env(tmp_path: Path, api: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update(COLUMNS="200", BAOCAO_SPOOL_DIR=str(tmp_path / "spool"))
    if api:
        env["PREFECT_API_URL"] = api
    return env


def _ignore_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _stop(proc: subprocess.Popen, sig: int = signal.SIGTERM) -> float:
    """Send `sig`; seconds until the process ended (SIGKILL after STOP_SECONDS * 3)."""
    t0 = time.monotonic()
    proc.send_signal(sig)
    try:
        proc.wait(STOP_SECONDS * 3)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    return time.monotonic() - t0


def _completed_runs(db: str) -> list[tuple[int, str, dict]]:
    from sqlalchemy import select

    from outputs.db import Run, session_scope
    from outputs.db.engine import _engines

    if not Path(db.removeprefix("sqlite:///")).exists():
        return []
    try:
        with session_scope(db, readonly=True) as s:
            return [(r.id, r.flow_run_id, r.summary or {}) for r in s.scalars(select(Run).where(Run.status == "completed"))]
    except Exception:  # the first run is creating the schema
        _engines.pop(db, None)
        return []


def _flow_run(api: str, flow_run_id: str) -> dict:
    r = httpx.get(f"{api}/flow_runs/{flow_run_id}", timeout=30)
    r.raise_for_status()
    return r.json()


def _when(stamp: str) -> dt.datetime:
    return dt.datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def test_a_served_deployment_fires_on_schedule_and_loads_the_files(prefect_api, tmp_path):
    src = tmp_path / "in"
    files = copy_files(FILES, src)
    db = sqlite_url(tmp_path)
    name = f"nightly-{uuid.uuid4().hex[:8]}"
    log = open(tmp_path / "serve.log", "wb")
    proc = subprocess.Popen(baocao_cmd() + ["serve", "--source", str(src), "--db", db, "--cron", "* * * * *",
                                            "--name", name, "--workers", "1"],
                            env=_env(tmp_path, prefect_api), cwd=tmp_path, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 240  # the next minute, the run's start-up, two documents
        while not (runs := _completed_runs(db)):
            assert proc.poll() is None, (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
            assert time.monotonic() < deadline, "no scheduled run completed; " + \
                (tmp_path / "serve.log").read_text(errors="replace")[-3000:]
            time.sleep(1)
        # the run's record is written just before the flow returns: let Prefect receive its
        # final state before serve is stopped (a SIGTERM in between would mark it crashed)
        _, flow_run_id, summary = runs[0]
        while (fr := _flow_run(prefect_api, flow_run_id))["state_type"] in ("PENDING", "RUNNING") \
                and time.monotonic() < deadline:
            time.sleep(0.5)
    finally:
        stop_seconds = _stop(proc)
        log.close()
    assert (summary["found"], summary["new"], summary["failed"]) == (2, 2, 0)
    assert assert_complete(db) == {str(f.resolve()): 1 for f in files}
    assert fr["state_type"] == "COMPLETED" and fr["deployment_id"], fr
    expected, started = _when(fr["expected_start_time"]), _when(fr["start_time"])
    assert expected.second == 0 and expected.microsecond == 0  # a cron tick, not a manual run
    lag = (started - expected).total_seconds()
    print(f"\n[nightly] scheduled {expected:%H:%M:%S}, flow run started after {lag:.1f} s, "
          f"finished after {(_when(fr['end_time']) - expected).total_seconds():.1f} s; "
          f"serve stopped {stop_seconds:.1f} s after SIGTERM")
    assert lag < 60
    assert proc.returncode is not None and stop_seconds < STOP_SECONDS, f"serve took {stop_seconds:.1f} s to stop"


def test_serve_refuses_to_run_without_a_prefect_server(tmp_path):
    """No PREFECT_API_URL (Prefect would start a temporary server, which runs no schedule), or a
    server that does not answer: exit 2 at once, saying how to start one."""
    src = tmp_path / "in"
    src.mkdir()
    for api in (None, "http://127.0.0.1:9/api"):
        env = _env(tmp_path, api)
        env["PREFECT_HOME"] = str(tmp_path / "fresh-prefect-home")  # no profile naming a server either
        t0 = time.monotonic()
        res = subprocess.run(baocao_cmd() + ["serve", "--source", str(src), "--db", sqlite_url(tmp_path)],
                             env=env, cwd=tmp_path, capture_output=True, text=True, timeout=120)
        assert res.returncode == 2, res.stdout + res.stderr
        assert "prefect server start" in res.stderr and "PREFECT_API_URL" in res.stderr
        assert time.monotonic() - t0 < 60


def _prefect(*args: str, env: dict[str, str], cwd: Path = ROOT) -> subprocess.CompletedProcess:
    exe = Path(sys.executable).with_name("prefect")
    return subprocess.run([str(exe), *args], env=env, cwd=cwd, capture_output=True, text=True, timeout=300)


def test_prefect_deploy_with_prefect_yaml_succeeds(prefect_api, tmp_path):
    """`prefect deploy --all` registers baocao-ingest/nightly and exits 0 (fastapi < 0.151: the
    server takes the null offset/limit Prefect's own client sends to workers/filter)."""
    env = _env(tmp_path, prefect_api)
    env.update(BAOCAO_SOURCE=str(tmp_path / "inbox"), BAOCAO_DB=sqlite_url(tmp_path), PWD=str(ROOT))
    created = _prefect("work-pool", "create", "baocao", "--type", "process", "--overwrite", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    res = _prefect("--no-prompt", "deploy", "--all", env=env)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    dep = httpx.get(f"{prefect_api}/deployments/name/baocao-ingest/nightly", timeout=30).json()
    assert dep["parameters"]["source"] == str(tmp_path / "inbox") and dep["work_pool_name"] == "baocao"
    assert [s["schedule"]["cron"] for s in dep["schedules"]] == ["0 2 * * *"]


def test_worker_stops_within_seconds_on_sigterm(prefect_api, tmp_path):
    env = _env(tmp_path, prefect_api)
    pool = f"pool-{uuid.uuid4().hex[:6]}"
    created = _prefect("work-pool", "create", pool, "--type", "process", env=env)
    assert created.returncode == 0, created.stdout + created.stderr
    log = open(tmp_path / "worker.log", "wb")
    proc = subprocess.Popen(baocao_cmd() + ["worker", "--pool", pool], env=env, cwd=tmp_path, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True, preexec_fn=_ignore_sigint)
    try:
        deadline = time.monotonic() + 120
        while "started!" not in (tmp_path / "worker.log").read_text(errors="replace"):
            assert proc.poll() is None, (tmp_path / "worker.log").read_text(errors="replace")
            assert time.monotonic() < deadline, "the worker did not start"
            time.sleep(0.5)
    finally:
        seconds = _stop(proc)
        log.close()
    print(f"\n[nightly] baocao worker stopped {seconds:.1f} s after SIGTERM")
    assert seconds < STOP_SECONDS, (tmp_path / "worker.log").read_text(errors="replace")
