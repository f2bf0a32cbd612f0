"""Helpers and fixtures shared by the database and pipeline tests (test_db_*, test_pipeline_*):
databases to test against (a SQLite file, or a private schema in the PostgreSQL at
127.0.0.1:5432, dropped afterwards), corpus copies, integrity checks on a loaded database, and
the one Prefect server of the test session (`prefect_api`, registered in conftest.py)."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
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

# Prefect reads its settings when first imported: set them before anything imports it.
PREFECT_TEST_HOME = ROOT / "var" / "prefect-test"
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")
os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
os.environ.setdefault("PREFECT_HOME", str(PREFECT_TEST_HOME))
os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
Path(os.environ["PREFECT_HOME"]).mkdir(parents=True, exist_ok=True)
SERVER_START_SECONDS = 180


def baocao_cmd() -> list[str]:
    """The `baocao` command of this environment."""
    exe = Path(sys.executable).parent / "baocao"
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "pipeline.cli"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def prefect_api(tmp_path_factory) -> Iterator[str]:
    """One real Prefect server for the whole test session — `prefect server start`, scheduler
    and all, as an operator runs it — on a free port, with a private database; yields its API
    URL (also the PREFECT_API_URL of this process while the session lasts). The database starts
    as a copy of an already-migrated template kept in var/prefect-test, so only the first
    session on a machine pays for Prefect's migrations (~30 s on 2 cores). The scheduler looks
    for due deployments every 2 s (production: 60 s). The server dies with the test process."""
    import sqlite3

    import httpx
    from prefect.settings import PREFECT_API_URL, temporary_settings

    from extractors.readers.common import guarded

    template = PREFECT_TEST_HOME / "template.db"
    folder = tmp_path_factory.mktemp("prefect-server")
    db = folder / "prefect.db"
    if template.exists():
        shutil.copy2(template, db)
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("PREFECT_API_")}
    env.update(PREFECT_HOME=str(PREFECT_TEST_HOME), PREFECT_SERVER_DATABASE_CONNECTION_URL=f"sqlite+aiosqlite:///{db}",
               PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS="2", PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_UI_ENABLED="false", PREFECT_SERVER_LOGGING_LEVEL="WARNING")
    log = open(folder / "server.log", "wb")
    proc = subprocess.Popen(guarded([sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1",
                                     "--port", str(port)]), env=env, stdout=log, stderr=subprocess.STDOUT,
                            stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}/api"
    try:
        deadline = time.monotonic() + SERVER_START_SECONDS
        while True:
            assert proc.poll() is None, (folder / "server.log").read_text(errors="replace")[-3000:]
            try:
                if httpx.get(f"{url}/health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the Prefect server did not start in time"
            time.sleep(0.3)
        if not template.exists():  # migrated now: keep a consistent copy for the next session
            part = template.with_suffix(f".{os.getpid()}.part")
            with sqlite3.connect(db) as src, sqlite3.connect(part) as dst:
                src.backup(dst)
            part.replace(template)
        with temporary_settings(updates={PREFECT_API_URL: url}):
            yield url
    finally:
        try:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(15)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            proc.wait(5)
        log.close()


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


class TcpProxy:
    """A TCP forwarder on a free local port to the PostgreSQL at 127.0.0.1:5432, which a test can
    cut (`down()`: the database becomes unreachable, open connections drop) and restore (`up()`)."""

    def __init__(self, target: tuple[str, int] = ("127.0.0.1", 5432)):
        import threading

        self.target = target
        self.port = _free_port()
        self._lock = threading.Lock()
        self._socks: list[socket.socket] = []
        self._listener: socket.socket | None = None
        self.up()

    def url(self, url: str) -> str:
        """`url` (a PostgreSQL URL on 127.0.0.1:5432) through this proxy."""
        return url.replace("@127.0.0.1:5432/", f"@127.0.0.1:{self.port}/")

    def up(self) -> None:
        import threading

        lst = socket.socket()
        lst.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        lst.bind(("127.0.0.1", self.port))
        lst.listen(32)
        self._listener = lst
        threading.Thread(target=self._accept, args=(lst,), daemon=True).start()

    def down(self) -> None:
        with self._lock:
            socks, self._socks = self._socks, []
            lst, self._listener = self._listener, None
        for s in socks + ([lst] if lst else []):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self, lst: socket.socket) -> None:
        import threading

        while True:
            try:
                client, _ = lst.accept()
            except OSError:
                return
            try:
                upstream = socket.create_connection(self.target, timeout=5)
                upstream.settimeout(None)
            except OSError:
                client.close()
                continue
            with self._lock:
                if self._listener is not lst:  # went down while this one was connecting
                    client.close()
                    upstream.close()
                    return
                self._socks += [client, upstream]
            for a, b in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(a, b), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        try:
            while data := src.recv(65536):
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def __enter__(self) -> "TcpProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.down()


def marked_processes(mark: str) -> list[tuple[int, str]]:
    """Live processes (zombies left out) whose environment has BAOCAO_TEST_MARK=`mark`: a
    command started with the mark and everything it started, even after it was killed."""
    want = f"BAOCAO_TEST_MARK={mark}".encode()
    found = []
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open(f"/proc/{d}/environ", "rb") as fh:
                if want not in fh.read().split(b"\0"):
                    continue
            with open(f"/proc/{d}/cmdline", "rb") as fh:
                cmd = fh.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        found.append((int(d), cmd))
    return found
