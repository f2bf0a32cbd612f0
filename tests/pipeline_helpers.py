"""Helpers and fixtures shared by the database and pipeline tests (test_db_*, test_pipeline_*):
databases to test against (a SQLite file, or a private schema in the PostgreSQL at
127.0.0.1:5432, dropped afterwards), corpus copies, and integrity checks on a loaded database."""
from __future__ import annotations

import os
import shutil
import uuid
from collections import Counter
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Iterator

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = Path(os.environ.get("BAOCAO_CORPUS", ROOT.parent / "shared" / "corpus")) / "docs"
PG_BASE = os.environ.get("BAOCAO_TEST_PG", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


@lru_cache(maxsize=1)
def pg_available() -> bool:
    try:
        import psycopg

        with psycopg.connect("host=127.0.0.1 port=5432 dbname=test user=postgres", connect_timeout=3):
            return True
    except Exception:
        return False


@contextmanager
def pg_schema(prefix: str = "baocao_t") -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new private schema, dropped on exit."""
    if not pg_available():
        pytest.skip("PostgreSQL at 127.0.0.1:5432 is not running")
    from sqlalchemy import create_engine

    from outputs.db import engine as dbengine

    schema = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = f"{PG_BASE}?options=-csearch_path%3D{schema}"
    try:
        yield url
    finally:
        e = dbengine._engines.pop(url, None)
        if e is not None:
            e.dispose()
        admin = create_engine(PG_BASE)
        with admin.begin() as c:
            c.exec_driver_sql(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE')
        admin.dispose()


def sqlite_url(folder: Path, name: str = "baocao.sqlite") -> str:
    return f"sqlite:///{folder / name}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request, tmp_path) -> Iterator[str]:
    """A fresh, empty database: SQLite file, then a private PostgreSQL schema."""
    if request.param == "sqlite":
        url = sqlite_url(tmp_path)
        yield url
        from outputs.db import engine as dbengine

        e = dbengine._engines.pop(url, None)
        if e is not None:
            e.dispose()
    else:
        with pg_schema() as url:
            yield url


def copy_files(names: list[str], dest: Path, src: Path = DOCS) -> list[Path]:
    if not src.is_dir():
        pytest.skip(f"sample corpus not found at {src}")
    dest.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy2(src / n, dest / n)) for n in names]


def corpus_names(exclude_suffixes: tuple[str, ...] = (".scan.pdf",)) -> list[str]:
    if not DOCS.is_dir():
        pytest.skip(f"sample corpus not found at {DOCS}")
    return sorted(p.name for p in DOCS.iterdir() if p.is_file() and not p.name.endswith(exclude_suffixes))


def write_corrupt(folder: Path) -> list[Path]:
    """A truncated docx and an empty 'pdf': InputErrors the run must quarantine."""
    folder.mkdir(parents=True, exist_ok=True)
    bad = folder / "hong.docx"
    bad.write_bytes(b"PK\x03\x04" + os.urandom(200))
    empty = folder / "rong.pdf"
    empty.write_bytes(b"")
    return [bad, empty]


def counts(url: str) -> dict[str, int]:
    """Rows per table, runs and quarantine left out (they grow with every run)."""
    from outputs.db import session_scope
    from outputs.db.queries import row_counts

    with session_scope(url) as s:
        c = row_counts(s)
    return {k: v for k, v in c.items() if k not in ("runs", "quarantine")}


def assert_complete(url: str) -> dict[str, int]:
    """Every document once, with exactly one current version, and every version complete:
    its rows match its stored record (no partial document). Returns {path: versions}."""
    from sqlalchemy import func, select

    from outputs.db import (
        Document, DocumentVersion, FigureRow, FlagRow, ReferenceRow, SectionRow, TableCell, TableRow,
        session_scope,
    )

    with session_scope(url) as s:
        paths = Counter(s.scalars(select(Document.path)))
        assert all(n == 1 for n in paths.values()), f"duplicate documents: {paths}"
        versions: dict[str, int] = {}
        for doc in s.scalars(select(Document)):
            vs = doc.versions
            assert vs, f"{doc.path}: a document without a version"
            assert sum(v.is_current for v in vs) == 1, f"{doc.path}: {sum(v.is_current for v in vs)} current versions"
            versions[doc.path] = len(vs)
            for v in vs:
                rec = v.record
                for model, key in ((SectionRow, "sections"), (FigureRow, "figures"), (ReferenceRow, "references"),
                                   (FlagRow, "flags"), (TableRow, "tables")):
                    n = s.scalar(select(func.count()).select_from(model).where(model.version_id == v.id))
                    assert n == len(rec[key]), f"{doc.path} v{v.id}: {n} {key} rows, record has {len(rec[key])}"
                cells = s.scalar(select(func.count()).select_from(TableCell).join(TableRow)
                                 .where(TableRow.version_id == v.id))
                want = sum(sum(len(r) for r in t["rows"]) + len(t["total_row"] or []) for t in rec["tables"])
                assert cells == want, f"{doc.path} v{v.id}: {cells} cells, record has {want}"
            assert s.scalar(select(DocumentVersion.sha256).where(
                DocumentVersion.document_id == doc.id, DocumentVersion.is_current)) == doc.sha256
        return versions
