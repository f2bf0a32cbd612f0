"""Export: JSON Lines of the current report records, CSV of flags with their latest decision."""
from __future__ import annotations

import csv
import io
import json

from sqlalchemy import select

from models.report import Report
from outputs.db import FlagRow, record_decision, session_scope
from outputs.export import FLAG_COLUMNS, export_flags_csv, export_jsonl
from pipeline.ingest import ingest_plain
from pipeline_helpers import copy_files, db_url  # noqa: F401

FILES = ["duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx"]


def test_jsonl_and_csv_export(db_url, tmp_path, extract):  # noqa: F811
    files = copy_files(FILES, tmp_path / "in")
    ingest_plain(tmp_path / "in", db_url, workers=0)
    with session_scope(db_url) as s:
        flag = s.scalars(select(FlagRow).order_by(FlagRow.id)).first()
        record_decision(s, flag.id, "correct", "lan", corrected_value="828", reason="gõ nhầm")
        flag_id = flag.id
    buf = io.StringIO()
    with session_scope(db_url) as s:
        assert export_jsonl(s, buf) == 2
    lines = buf.getvalue().splitlines()
    recs = [json.loads(x) for x in lines]
    assert [r["_db"]["path"] for r in recs] == sorted(str(f.resolve()) for f in files)
    for rec, f in zip(recs, sorted(files)):
        db_meta = rec.pop("_db")
        report = Report.model_validate(rec)  # the record as extracted, valid against the model
        want = extract(f)
        assert report.source.sha256 == want.source.sha256 and len(report.flags) == len(want.flags)
        assert [s.number for s in report.sections] == [s.number for s in want.sections]
        assert db_meta["extractor_version"]
    out = io.StringIO()
    with session_scope(db_url) as s:
        n = export_flags_csv(s, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert list(rows[0].keys()) == FLAG_COLUMNS and len(rows) == n
    assert n == sum(len(extract(f).flags) for f in files)
    (decided,) = [r for r in rows if r["flag_id"] == str(flag_id)]
    assert (decided["status"], decided["decision"], decided["corrected_value"], decided["reviewer"]) == \
           ("corrected", "correct", "828", "lan")
    assert all(r["status"] == "open" for r in rows if r["flag_id"] != str(flag_id))
