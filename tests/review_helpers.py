"""Helpers shared by the review-app tests (test_review_*): a SQLite database into which the
sample corpus's duc-chinh-2020-h1.pdf, .docx and .scan.pdf (one report in three files) and
mao-khe-2021-chi-thi-04.docx are ingested once per test session (with pipeline/ingest.py's
plain-Python ingestion), with three accounts (alice the archivist, bob the reviewer, root the
admin), copied fresh for each test; sign-in and CSRF-token helpers for TestClient."""
from __future__ import annotations

import atexit
import os
import re
import shutil
import tempfile
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(os.environ.get("BAOCAO_CORPUS", ROOT.parent / "shared" / "corpus")) / "docs"
SAMPLE = ["duc-chinh-2020-h1.pdf", "duc-chinh-2020-h1.docx", "mao-khe-2021-chi-thi-04.docx",
          "duc-chinh-2020-h1.scan.pdf"]
SCAN = "duc-chinh-2020-h1.scan.pdf"
USER, PASSWORD = "alice", "correct horse battery"  # an archivist: decides and exports
REVIEWER, ADMIN = "bob", "root"  # same password
ROLES = {USER: "archivist", REVIEWER: "reviewer", ADMIN: "admin"}
SECRET = "test-secret-not-for-production"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _extract(path: str):
    """pipeline.ingest's extraction, reusing the session's cached reading when conftest has it."""
    from pipeline import ingest as ing

    try:
        from conftest import report_cached
    except ImportError:
        return ing.extract_file(path)
    report = report_cached(path)
    return ing.Extracted(path, report.source.sha256, report)


@lru_cache(maxsize=1)
def template_db() -> Path:
    """The sample corpus ingested once into a SQLite file (copied by `fresh_db`)."""
    if not all((DOCS / n).is_file() for n in SAMPLE):
        pytest.skip(f"sample corpus not found at {DOCS}")
    from outputs.db import engine as dbengine
    from pipeline import ingest as ing

    folder = Path(tempfile.mkdtemp(prefix="baocao-review-"))
    atexit.register(shutil.rmtree, folder, True)
    db = folder / "template.sqlite"
    url = f"sqlite:///{db}"
    run_id = ing.begin_run(url, source=str(DOCS), pattern=None, workers=0)
    outcomes = [ing.process_document(DOCS / n, url, run_id=run_id, extractor=_extract) for n in SAMPLE]
    assert [o.status for o in outcomes] == ["new"] * len(SAMPLE), [(o.path, o.status, o.reason) for o in outcomes]
    ing.end_run(url, run_id, ing.summarize(outcomes, len(SAMPLE), 1.0))
    from outputs.db import session_scope
    from review.auth import add_user

    with session_scope(url) as s:
        for name, role in ROLES.items():
            add_user(s, name, PASSWORD, role)
    dbengine._engines.pop(url).dispose()  # checkpoints the WAL into the file
    return db


def fresh_db(folder: Path) -> str:
    """A private copy of the ingested database, with its accounts."""
    dest = folder / "review.sqlite"
    shutil.copy2(template_db(), dest)
    return f"sqlite:///{dest}"


def dispose(url: str) -> None:
    from outputs.db import engine as dbengine

    e = dbengine._engines.pop(url, None)
    if e is not None:
        e.dispose()


def csrf_of(html: str) -> str:
    m = _CSRF.search(html)
    assert m, "no CSRF token in the page"
    return m.group(1)


def sign_in(client, username: str = USER, password: str = PASSWORD, next_: str = "/"):
    token = csrf_of(client.get("/login").text)
    return client.post("/login", data={"username": username, "password": password, "next": next_,
                                       "csrf_token": token}, follow_redirects=False)


def flag_id(url: str, rule: str, filename: str) -> int:
    """The id of the (first) flag of `rule` on the document named `filename`."""
    from outputs.db import session_scope
    from outputs.db.queries import list_flags

    with session_scope(url) as s:
        ids = [f.id for f, path in list_flags(s, rule=rule) if Path(path).name == filename]
    assert ids, f"no {rule} flag on {filename}"
    return ids[0]


def document_id(url: str, filename: str) -> int:
    from sqlalchemy import select

    from outputs.db import Document, session_scope

    with session_scope(url) as s:
        return next(d.id for d in s.scalars(select(Document)) if Path(d.path).name == filename)
