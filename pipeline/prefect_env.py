"""Prefect's environment for baocao, set before Prefect is imported (it reads its settings then),
and the Prefect server a command runs against.

Defaults only (a value already in the environment wins): no analytics, a patient start-up
timeout for a temporary API server (its first start on a fresh PREFECT_HOME takes ~30 s on a
small machine, past Prefect's 20 s default), and, in a source checkout, PREFECT_HOME under the
project's var/ (gitignored) instead of ~/.prefect.

Servers: `configured_api_url()` is the Prefect server named by PREFECT_API_URL (environment or
profile); `temporary_server()` starts one for the duration of a run when none is configured,
one that dies with this process even when it is killed (parent-death signal) — Prefect's own
temporary server would outlive a `kill -9`. Schedules need a lasting server: `baocao serve`
and Dask runs refuse to run without one (`NeedsPrefectServer`).
"""
from __future__ import annotations

import os
import signal
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "OMP_THREAD_LIMIT": "1",  # tesseract in extraction workers: one thread each
}
TEMPORARY_SERVER_ENV = "BAOCAO_TEMPORARY_PREFECT_SERVER"  # set while temporary_server() runs one
START_A_SERVER = ("start one and point baocao at it:\n"
                  "    prefect server start --host 127.0.0.1 --port 4200 &\n"
                  "    export PREFECT_API_URL=http://127.0.0.1:4200/api\n"
                  "(docs/nightly.md: keep it running as a service)")


class NeedsPrefectServer(RuntimeError):
    """What was asked needs a Prefect server that outlives this process, and there is none."""


def configure(quiet: bool = False) -> None:
    """Apply the defaults to os.environ; `quiet` lowers Prefect's console logging to warnings
    (the CLI shows its own progress bar and summary)."""
    for k, v in DEFAULTS.items():
        os.environ.setdefault(k, v)
    if "PREFECT_HOME" not in os.environ and (PROJECT_ROOT / "pyproject.toml").is_file():
        home = PROJECT_ROOT / "var" / "prefect"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["PREFECT_HOME"] = str(home)
    if quiet:
        os.environ.setdefault("PREFECT_LOGGING_LEVEL", "WARNING")
        os.environ.setdefault("PREFECT_SERVER_LOGGING_LEVEL", "CRITICAL")


def restore_interrupts() -> None:
    """Make SIGINT interrupt again when the process was started with it ignored (`cmd &` in a
    script, nohup): Prefect's shutdown on SIGTERM works by sending itself SIGINT, which an
    ignored SIGINT turns into a hang until a second signal kills it."""
    if signal.getsignal(signal.SIGINT) == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


def configured_api_url() -> str | None:
    """The Prefect API this process reports to (PREFECT_API_URL, from the environment or the
    active profile), or None: Prefect would start a temporary server."""
    configure()
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value() or None


def api_reachable(url: str, timeout: float = 5.0) -> bool:
    """Whether the Prefect API at `url` answers its health check."""
    import httpx

    try:
        return httpx.get(url.rstrip("/") + "/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


def require_server(what: str) -> str:
    """The configured, reachable Prefect API URL; NeedsPrefectServer (saying how to start one)
    when there is none."""
    url = configured_api_url()
    if not url:
        raise NeedsPrefectServer(f"{what} needs a Prefect server (PREFECT_API_URL is not set); " + START_A_SERVER)
    if not api_reachable(url):
        raise NeedsPrefectServer(f"{what} needs a Prefect server, and none answers at {url}; " + START_A_SERVER)
    return url


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def temporary_server() -> Iterator[str | None]:
    """Inside the block, the Prefect API is a configured server (yields its URL) or, when none is
    configured, a temporary one started now on 127.0.0.1 that stops at the end of the block and
    dies with this process (yields its URL)."""
    if configured_api_url():
        yield configured_api_url()
        return
    import subprocess

    from prefect.server.api.server import SubprocessASGIServer
    from prefect.settings import PREFECT_API_URL, PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS, temporary_settings

    from extractors.readers.common import die_with_parent

    class _DyingServer(SubprocessASGIServer):
        """Prefect's temporary server (the same command as Prefect 3.8's), killed by the kernel
        when this process ends."""

        def _run_uvicorn_command(self) -> subprocess.Popen:
            import sys

            import prefect
            from prefect.settings import get_current_settings

            env = {**os.environ, "PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1",
                   "PREFECT__SERVER_FINAL": "1", **get_current_settings().to_environment_variables(exclude_unset=True)}
            return subprocess.Popen(
                [sys.executable, "-m", "uvicorn", "--app-dir", str(prefect.__module_path__.parent), "--factory",
                 "prefect.server.api.server:create_app", "--host", "127.0.0.1", "--port", str(self.port),
                 "--log-level", "error", "--lifespan", "on"], env=env, preexec_fn=die_with_parent)

    server = _DyingServer(_free_port())
    server.start(timeout=PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS.value())
    os.environ[TEMPORARY_SERVER_ENV] = "1"
    try:
        with temporary_settings(updates={PREFECT_API_URL: server.api_url}):
            yield server.api_url
    finally:
        _drain_to(server.api_url)
        os.environ.pop(TEMPORARY_SERVER_ENV, None)
        server.stop()


def _drain_to(api_url: str) -> None:
    """Send the logs and events still queued for the temporary server before it stops (else
    Prefect tries again at exit and prints "Error logging to API")."""
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker
    from prefect.settings import PREFECT_API_URL, temporary_settings

    with temporary_settings(updates={PREFECT_API_URL: api_url}):
        for service in (APILogWorker, EventsWorker):
            try:
                service.drain_all(timeout=10)
            except Exception:  # noqa: BLE001 - best effort
                pass
