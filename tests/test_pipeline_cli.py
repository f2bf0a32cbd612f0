"""The database commands of the CLI: ingest (without Prefect here; the flow has its own tests),
flags, runs, export — and `baocao extract` still starts without Prefect or SQLAlchemy."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

from typer.testing import CliRunner

from pipeline.cli import app
from pipeline_helpers import ROOT, copy_files, sqlite_url, write_corrupt

runner = CliRunner()
FILES = ["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx"]


def _run(*args: str):
    res = runner.invoke(app, list(args), catch_exceptions=False, env={"COLUMNS": "300"})
    assert res.exit_code == 0, res.output
    return res.output


def test_ingest_flags_runs_export(tmp_path, extract):
    files = copy_files(FILES, tmp_path / "in")
    write_corrupt(tmp_path / "in")
    db = sqlite_url(tmp_path)
    out = _run("ingest", str(tmp_path / "in"), "--db", db, "--no-prefect", "--workers", "1")
    assert "found" in out and "quarantined" in out and "hong.docx" in out
    n_flags = sum(len(extract(f).flags) for f in files)
    assert f"{n_flags} open flag(s) in the documents loaded now" in out
    assert f"{n_flags} open flag(s) in the database" in out
    rule = extract(files[0]).flags[0].rule
    out = _run("flags", "--db", db, "--rule", rule, "--status", "open")
    n_rule = sum(f.rule == rule for f in files for f in extract(f).flags)
    assert f"{n_rule} flag(s)" in out
    assert "0 flag(s)" in _run("flags", "--db", db, "--status", "dismissed")
    res = runner.invoke(app, ["flags", "--db", db, "--status", "wrong"])
    assert res.exit_code != 0
    out = _run("runs", "--db", db)
    (line,) = [x for x in out.splitlines() if str(tmp_path / "in") in x]
    assert [c.strip() for c in line.split("│")[3:9]] == ["completed", str(tmp_path / "in"), "4", "2", "0", "2"]
    dest = tmp_path / "records.jsonl"
    _run("export", "--format", "jsonl", "--db", db, "--out", str(dest))
    assert len([json.loads(x) for x in dest.read_text(encoding="utf-8").splitlines()]) == 2
    dest = tmp_path / "flags.csv"
    _run("export", "--format", "csv", "--db", db, "--out", str(dest))
    assert len(list(csv.DictReader(io.StringIO(dest.read_text(encoding="utf-8"))))) == n_flags
    assert runner.invoke(app, ["export", "--format", "xml", "--db", db]).exit_code != 0


def test_db_url_from_environment(tmp_path, monkeypatch):
    copy_files(FILES[:1], tmp_path / "in")
    monkeypatch.setenv("BAOCAO_DB", sqlite_url(tmp_path, "env.sqlite"))
    _run("ingest", str(tmp_path / "in"), "--no-prefect", "--workers", "1")
    assert (tmp_path / "env.sqlite").exists()
    assert "completed" in _run("runs")  # listed from the same database
    out = _run("ingest", str(tmp_path / "in"), "--no-prefect", "--workers", "1")
    assert "No new flags." in out


def test_extract_command_does_not_import_prefect_or_sqlalchemy():
    code = ("import sys; import pipeline.cli; "
            "bad = [m for m in sys.modules if m.split('.')[0] in ('prefect', 'sqlalchemy', 'alembic')]; "
            "print(bad); sys.exit(1 if bad else 0)")
    res = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert res.returncode == 0, res.stdout + res.stderr
