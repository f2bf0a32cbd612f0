"""The database schema: Alembic's migration creates exactly the models' tables, on SQLite and
PostgreSQL, runs by itself on first use, and is safe to run again."""
from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from outputs.db import Base, get_engine
from outputs.db.models import include_name
from outputs.db.engine import alembic_config, create_engine_for, default_db_url, normalize_url, upgrade
from pipeline_helpers import db_url  # noqa: F401  (fixture)

TABLES = {"documents", "document_versions", "sections", "tables", "table_cells", "figures", "references",
          "flags", "review_decisions", "users", "runs", "quarantine"}


def test_first_use_migrates_to_head_and_matches_models(db_url):  # noqa: F811
    engine = get_engine(db_url)
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    with engine.connect() as conn:
        ctx = MigrationContext.configure(conn, opts={"compare_type": True, "include_name": include_name})
        assert ctx.get_current_revision() == head
        assert compare_metadata(ctx, Base.metadata) == []
        assert TABLES <= set(inspect(conn).get_table_names())


def test_upgrade_again_is_a_no_op(db_url):  # noqa: F811
    engine = get_engine(db_url)
    other = create_engine_for(db_url)  # a second process would do this
    upgrade(other)
    head = ScriptDirectory.from_config(alembic_config(db_url)).get_current_head()
    with other.connect() as conn:
        assert MigrationContext.configure(conn).get_current_revision() == head
        assert TABLES <= set(inspect(conn).get_table_names())
    other.dispose()
    assert engine is get_engine(db_url)


def test_default_url_comes_from_env_and_is_absolute(monkeypatch, tmp_path):
    monkeypatch.delenv("BAOCAO_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    assert default_db_url() == f"sqlite:///{tmp_path / 'baocao.sqlite'}"
    monkeypatch.setenv("BAOCAO_DB", "sqlite:///sub/x.sqlite")
    assert default_db_url() == f"sqlite:///{tmp_path / 'sub' / 'x.sqlite'}"
    pg = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    assert normalize_url(pg) == pg


def test_sqlite_readers_do_not_queue_behind_a_writer(tmp_path):
    import threading
    import time

    from sqlalchemy import func, select

    from outputs.db import Run, session_scope

    url = f"sqlite:///{tmp_path / 'rw.sqlite'}"
    get_engine(url)
    holding, done = threading.Event(), threading.Event()

    def writer():
        with session_scope(url) as s:  # BEGIN IMMEDIATE: holds the write lock
            s.add(Run(source="x", extractor_version="t"))
            s.flush()
            holding.set()
            done.wait(10)

    t = threading.Thread(target=writer)
    t.start()
    assert holding.wait(10)
    t0 = time.perf_counter()
    with session_scope(url, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Run)) == 0  # the write is not committed
    assert time.perf_counter() - t0 < 2
    done.set()
    t.join()
    with session_scope(url, readonly=True) as s:
        assert s.scalar(select(func.count()).select_from(Run)) == 1
