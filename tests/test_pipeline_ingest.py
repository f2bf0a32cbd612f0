"""The plain-Python ingestion core (no Prefect): skip what is loaded, quarantine bad files,
retry only transient failures, load each document once even when two workers race for it."""
from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from sqlalchemy.exc import OperationalError

from outputs.db import QuarantineEntry, Run, session_scope
from pipeline import ingest as ing
from pipeline_helpers import assert_complete, copy_files, counts, db_url, write_corrupt  # noqa: F401

DOCX = ["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx", "mao-khe-2021-chi-thi-04.tcvn3.docx"]


def test_plain_ingest_twice_quarantines_bad_files(db_url, tmp_path):  # noqa: F811
    src = tmp_path / "in"
    good = copy_files(DOCX, src)
    bad = write_corrupt(src / "sub")
    first = ing.ingest_plain(src, db_url, workers=0, quarantine_dir=str(tmp_path / "q"))
    assert (first["found"], first["new"], first["unchanged"], first["failed"]) == (5, 3, 0, 2)
    assert {q["path"]: q["kind"] for q in first["quarantined"]} == {str(bad[0]): "corrupt", str(bad[1]): "empty"}
    assert first["flags"] == sum(first["flags_by_rule"].values()) > 0
    loaded = counts(db_url)
    assert assert_complete(db_url) == {str(p.resolve()): 1 for p in good}
    second = ing.ingest_plain(src, db_url, workers=0)
    assert (second["new"], second["unchanged"], second["failed"]) == (0, 3, 2)
    assert counts(db_url) == loaded
    with session_scope(db_url) as s:
        runs = s.scalars(select(Run).order_by(Run.id)).all()
        assert [r.status for r in runs] == ["completed", "completed"]
        assert runs[0].summary["new"] == 3 and runs[1].summary["unchanged"] == 3
        q = s.scalars(select(QuarantineEntry).where(QuarantineEntry.run_id == runs[0].id)).all()
        assert sorted(e.kind for e in q) == ["corrupt", "empty"]
        assert all(e.reason for e in q)
        copied = [e.copied_to for e in q if e.kind == "corrupt"][0]
    assert copied and (tmp_path / "q").is_dir() and open(copied, "rb").read() == bad[0].read_bytes()


def test_only_transient_failures_are_retried(tmp_path, monkeypatch):
    assert ing.is_transient(OperationalError("select 1", {}, Exception("database is locked")))
    assert ing.is_transient(TimeoutError())
    assert not ing.is_transient(ValueError("bug"))
    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise OperationalError("insert", {}, Exception("server closed the connection"))
        return "ok"

    assert ing.with_retries(flaky, attempts=3, delays=[0]) == "ok" and len(calls) == 3

    def buggy():
        calls.append(1)
        raise KeyError("bug")

    calls.clear()
    with pytest.raises(KeyError):
        ing.with_retries(buggy, attempts=3, delays=[0])
    assert len(calls) == 1


def test_a_bug_in_extraction_is_quarantined_not_raised(db_url, tmp_path, monkeypatch):  # noqa: F811
    (f,) = copy_files(DOCX[:1], tmp_path / "in")

    def broken_extract(path: str):
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("extractors.report.extract_report", lambda doc, **k: broken_extract(doc))
    out = ing.process_document(f, db_url, extractor=ing.extract_file)
    assert out.status == "failed" and out.kind == "internal" and "ZeroDivisionError" in out.reason
    with session_scope(db_url) as s:
        assert s.scalar(select(QuarantineEntry.kind)) == "internal"
    assert counts(db_url)["documents"] == 0


def test_two_workers_racing_on_one_file_load_it_once(db_url, tmp_path):  # noqa: F811
    (f,) = copy_files(DOCX[:1], tmp_path / "in")
    extracted = ing.extract_file(str(f.resolve()))
    barrier = threading.Barrier(3)

    def slow_extract(path):
        barrier.wait(timeout=30)  # all three pass the "already loaded?" check before any loads
        return extracted

    outcomes = []
    threads = [threading.Thread(target=lambda: outcomes.append(
        ing.with_retries(lambda: ing.process_document(f, db_url, extractor=slow_extract), delays=[0.2])))
        for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(o.status for o in outcomes) == ["new", "unchanged", "unchanged"]
    assert assert_complete(db_url) == {str(f.resolve()): 1}
