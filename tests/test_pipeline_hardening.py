"""Ingestion edge cases found in review: a file whose name is not valid UTF-8 (copied from a
legacy Windows share) is quarantined with a readable reason instead of crashing the document on
the first database query, and a file restored to earlier content counts its flags in the run
summary like any other loaded version."""
from __future__ import annotations

import os
import shutil

import pytest
from sqlalchemy import select

from outputs.db import QuarantineEntry, session_scope
from pipeline import ingest as ing
from pipeline_helpers import DOCS, copy_files, db_url  # noqa: F401

GOOD = "duc-chinh-2020-h1.docx"
OTHER = "mao-khe-2021-chi-thi-04.docx"


def test_a_non_utf8_file_name_is_quarantined_and_the_run_goes_on(db_url, tmp_path):  # noqa: F811
    src = tmp_path / "in"
    copy_files([GOOD], src)
    raw = os.fsencode(src) + b"/b\xe1o-c\xe1o.docx"  # "báo-cáo" in cp1258 bytes: not UTF-8
    try:
        shutil.copy2(DOCS / OTHER, raw)
    except (OSError, UnicodeError):
        pytest.skip("this file system does not take non-UTF-8 names")
    summary = ing.ingest_plain(src, db_url, workers=0)
    assert (summary["found"], summary["new"], summary["failed"]) == (2, 1, 1)
    (q,) = summary["quarantined"]
    assert q["kind"] == "bad_name" and "UTF-8" in q["reason"]
    assert q["path"].endswith("b\\xe1o-c\\xe1o.docx")
    q["path"].encode("utf-8")  # storable and printable
    with session_scope(db_url) as s:
        rows = s.scalars(select(QuarantineEntry)).all()
        assert [(r.kind, r.path) for r in rows] == [("bad_name", q["path"])]


def test_storable_path_keeps_utf8_names_as_they_are():
    assert ing.storable_path("/srv/inbox/báo cáo.docx") == "/srv/inbox/báo cáo.docx"
    assert ing.storable_path(os.fsdecode(b"/x/\xe1.pdf")) == "/x/\\xe1.pdf"


def test_a_restored_version_counts_its_flags(db_url, tmp_path):  # noqa: F811
    src = tmp_path / "in"
    (path,) = copy_files([GOOD], src)
    first = ing.ingest_plain(src, db_url, workers=0)
    assert first["new"] == 1 and first["flags"] > 0
    original = path.read_bytes()
    shutil.copy2(DOCS / OTHER, path)  # the same path, other content: a new version
    assert ing.ingest_plain(src, db_url, workers=0)["changed"] == 1
    path.write_bytes(original)  # back to the first content: that version is current again
    third = ing.ingest_plain(src, db_url, workers=0)
    assert third["changed"] == 1
    assert third["flags"] == first["flags"] and third["flags_by_rule"] == first["flags_by_rule"]


def test_a_decision_is_reopened_when_the_edited_file_adds_up_differently(db_url, tmp_path):  # noqa: F811
    """Issue 14: the office edits a row of the table whose total was corrected by a reviewer; the
    stated total is the same, the rows now add up to another number: the correction comes along
    re-opened (needs-review), and the morning report lists it."""
    from docx import Document as Docx
    from typer.testing import CliRunner

    from outputs.db import FlagRow, decisions_for, record_decision
    from pipeline.cli import app

    src = tmp_path / "in"
    (path,) = copy_files([GOOD], src)
    assert ing.ingest_plain(src, db_url, workers=0)["new"] == 1
    with session_scope(db_url) as s:
        total = s.scalars(select(FlagRow).where(FlagRow.rule == "total_mismatch")).first()
        assert total is not None and total.computed == 828
        record_decision(s, total.id, "correct", "lan", reason="the rows add up to 828", corrected_value="828")
    doc = Docx(str(path))
    cell = next(c for t in doc.tables for r in t.rows for c in r.cells if c.text.strip() == "350")
    cell.paragraphs[0].runs[0].text = "355"  # one row of the table edited: the rows now add up to 833
    doc.save(str(path))
    second = ing.ingest_plain(src, db_url, workers=0)
    assert (second["changed"], second["reopened"]) == (1, 1)
    with session_scope(db_url) as s:
        (again,) = s.scalars(select(FlagRow).where(FlagRow.rule == "total_mismatch", FlagRow.id != total.id)).all()
        assert (again.status, again.reopen_reason) == ("needs-review", "computed value changed: 828 → 833")
        assert [(d.action, d.corrected_value) for d in decisions_for(s, again.id)] == [("correct", "828")]
    out = CliRunner().invoke(app, ["runs", "--last", "--db", db_url], env={"COLUMNS": "300"}).output
    assert "Review decisions re-opened (1)" in out and "computed value changed: 828 → 833" in out
