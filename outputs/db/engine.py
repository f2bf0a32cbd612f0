"""Engines and sessions for the baocao database, migrated to the latest schema on first use.

`get_engine(url)` returns one cached engine per URL and process; the first call runs Alembic's
`upgrade head` (serialised between processes: an exclusive SQLite transaction, or a PostgreSQL
advisory lock). SQLite (the embedded default, `sqlite:///baocao.sqlite`) runs in WAL mode with
`BEGIN IMMEDIATE` transactions, so concurrent writers queue instead of failing; PostgreSQL is
reached by URL (`postgresql+psycopg://user@host/db`, `?options=-csearch_path%3Dschema` to use a
schema, created when missing).
"""
from __future__ import annotations

import atexit
import os
import re
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DB_URL = "sqlite:///baocao.sqlite"
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
_PG_LOCK_KEY = 0x62616F63  # "baoc": the advisory lock that serialises migrations

_engines: dict[str, Engine] = {}
_lock = threading.Lock()


def default_db_url() -> str:
    """$BAOCAO_DB, else the SQLite file baocao.sqlite in the working directory (made absolute)."""
    return normalize_url(os.environ.get("BAOCAO_DB") or DEFAULT_DB_URL)


def normalize_url(url: str) -> str:
    """Make a relative SQLite path absolute (flows may run in another working directory)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite" and u.database and u.database != ":memory:" \
            and not Path(u.database).is_absolute():
        return u.set(database=str(Path(u.database).expanduser().resolve())).render_as_string(hide_password=False)
    return url


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    dbapi_conn.isolation_level = None  # let the "begin" hook below issue BEGIN itself
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=60000")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_begin(conn) -> None:
    # Writers take the write lock up front (no deadlock-prone lock upgrade); readers don't.
    conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get("baocao_readonly") else "BEGIN IMMEDIATE")


def pg_search_path_schema(url: str) -> str | None:
    """The first schema of `options=-csearch_path=…` in a PostgreSQL URL, if any."""
    opts = make_url(url).query.get("options")
    if isinstance(opts, tuple):
        opts = " ".join(opts)
    m = re.search(r"search_path\s*=\s*([^,\s]+)", unquote(opts or ""))
    return m.group(1).strip('"') if m else None


def create_engine_for(url: str) -> Engine:
    """A new engine for `url`, configured for baocao's access pattern (no migration)."""
    u = make_url(url)
    if u.get_backend_name() == "sqlite":
        if u.database and u.database != ":memory:":
            Path(u.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(u, connect_args={"timeout": 60, "check_same_thread": False})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    return create_engine(u, pool_pre_ping=True, pool_size=5, max_overflow=10)


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Run Alembic migrations up to `revision` on `engine`, one migrator at a time."""
    from alembic import command

    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    if engine.dialect.name == "postgresql":
        schema = pg_search_path_schema(engine.url.render_as_string(hide_password=False))
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
            if schema:
                conn.execute(text(f'CREATE SCHEMA IF NOT EXISTS "{schema}"'))
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)
    else:
        with engine.begin() as conn:  # BEGIN IMMEDIATE: other processes wait
            cfg.attributes["connection"] = conn
            command.upgrade(cfg, revision)


def get_engine(url: str | None = None, *, migrate: bool = True) -> Engine:
    """The process-wide engine for `url` (default: $BAOCAO_DB or sqlite:///baocao.sqlite),
    upgraded to the latest schema the first time it is asked for."""
    url = url or default_db_url()
    with _lock:
        engine = _engines.get(url)
        if engine is None:
            engine = create_engine_for(url)
            if migrate:
                upgrade(engine)
            _engines[url] = engine
        return engine


def dispose_engines() -> None:
    """Close every cached engine (tests, and processes about to fork)."""
    with _lock:
        for e in _engines.values():
            e.dispose()
        _engines.clear()


atexit.register(dispose_engines)  # close SQLite cleanly (checkpoints its WAL) at exit


def session_factory(url: str | None = None) -> sessionmaker[Session]:
    return sessionmaker(get_engine(url), expire_on_commit=False)


@contextmanager
def session_scope(url: str | None = None, *, readonly: bool = False) -> Iterator[Session]:
    """One transaction: commit on success, roll back on any exception. `readonly` sessions do
    not queue behind SQLite writers (they must not write)."""
    engine = get_engine(url)
    bind = engine.execution_options(baocao_readonly=True) if readonly else engine
    with sessionmaker(bind, expire_on_commit=False).begin() as session:
        yield session
