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
    res = runner.invoke(app, ["ingest", str(tmp_path / "in"), "--db", db, "--no-prefect", "--workers", "1"],
                        catch_exceptions=False, env={"COLUMNS": "300"})
    assert res.exit_code == 1, res.output  # documents failed (quarantined): exit 1
    out = res.output
    assert "found" in out and "quarantined" in out and "hong.docx" in out and "2 of 4 document(s) failed" in out
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
    assert [c.strip() for c in line.split("│")[3:11]] == ["2 FAILED", "completed", str(tmp_path / "in"), "4", "2",
                                                         "0", "0", "2"]
    res = runner.invoke(app, ["runs", "--last", "--db", db], env={"COLUMNS": "300"})
    assert res.exit_code == 1 and "FAILED: 2 document(s) could not be loaded" in res.output
    assert "hong.docx" in res.output and "corrupt" in res.output and "New (2)" in res.output
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


def test_extract_reports_a_bad_path_as_that_files_error_and_goes_on(tmp_path):
    """A symlink loop, a link to nothing, a file name that is not UTF-8, something that is not a
    file (a FIFO, which would block a reader) and a missing file: each is reported as that file's
    error, and the good file's record is printed."""
    import os

    src = tmp_path / "d"
    (good,) = copy_files(["duc-chinh-2020-h1.docx"], src)
    (src / "loop-a.docx").symlink_to("loop-b.docx")
    (src / "loop-b.docx").symlink_to("loop-a.docx")
    (src / "gone.pdf").symlink_to(tmp_path / "nowhere.pdf")
    try:
        with open(os.fsencode(src) + b"/b\xe1o-c\xe1o.docx", "wb") as fh:
            fh.write(good.read_bytes())
    except (OSError, UnicodeError):
        pass  # a file system that takes only UTF-8 names
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    res = subprocess.run([sys.executable, "-m", "pipeline.cli", "extract", "--json", str(src), str(fifo),
                          str(tmp_path / "missing.pdf")], cwd=ROOT, capture_output=True, timeout=300)
    out, err = res.stdout.decode(), res.stderr.decode("utf-8", "replace")
    assert res.returncode == 1, err
    records = [json.loads(x) for x in out.splitlines() if x.strip()]
    assert [r["source"]["path"] for r in records] == [str(good)]
    assert "loop-a.docx: a loop of symbolic links" in err and "loop-b.docx: a loop of symbolic links" in err
    assert "gone.pdf: a symbolic link to a missing file" in err
    assert "pipe.docx: not a regular file" in err and "missing.pdf: no such file" in err
    if any(p.name.startswith("b") and p.name != good.name for p in src.iterdir()):
        assert "b\\xe1o-c\\xe1o.docx: the file name is not valid UTF-8" in err
