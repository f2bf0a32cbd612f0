"""Shared test fixtures: the sample corpus, and one cached reading per corpus file.

Reading is cached per session (and OCR results on disk by the reader itself), so a scanned PDF
is OCR'd once per test run however many tests look at it.
"""
from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(os.environ.get("BAOCAO_CORPUS", ROOT.parent / "shared" / "corpus"))
DOCS = CORPUS / "docs"
GOLD = CORPUS / "gold"
REAL = CORPUS / "real"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("OMP_THREAD_LIMIT", "1")

REPORTS = ["duc-chinh-2020-h1", "mao-khe-2021-chi-thi-04"]
FORMS = ["docx", "doc", "pdf", "scan.pdf", "tcvn3.docx"]


def load_evaluate():
    """The corpus's scorer (evaluate.py) as a module, loaded once; skip when it is not there."""
    path = CORPUS / "evaluate.py"
    if not path.exists():
        pytest.skip(f"no scorer at {path}")
    return _load_evaluate(str(path))


@lru_cache(maxsize=None)
def _load_evaluate(path: str):
    import importlib.util

    spec = importlib.util.spec_from_file_location("corpus_evaluate", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@lru_cache(maxsize=None)
def read_cached(path: str):
    from extractors.readers import read_document

    return read_document(path)


@lru_cache(maxsize=None)
def report_cached(path: str):
    from extractors.report import extract_report

    return extract_report(read_cached(path))


@pytest.fixture(scope="session")
def corpus() -> Path:
    if not DOCS.is_dir():
        pytest.skip(f"sample corpus not found at {CORPUS}")
    return CORPUS


@pytest.fixture(scope="session")
def read():
    """read(path) -> Document, cached for the session."""
    return lambda p: read_cached(str(p))


@pytest.fixture(scope="session")
def extract():
    """extract(path) -> Report (checks included), cached for the session."""
    return lambda p: report_cached(str(p))


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


from pipeline_helpers import prefect_api  # noqa: E402,F401  (the session's one Prefect server)


@pytest.fixture
def db(tmp_path):
    """For the review app's tests: a fresh copy of the ingested sample database; disposed after."""
    from review_helpers import dispose, fresh_db

    url = fresh_db(tmp_path)
    yield url
    dispose(url)
