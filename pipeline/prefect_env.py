"""Prefect's environment for baocao, set before Prefect is imported (it reads its settings then).

Defaults only (a value already in the environment wins): no analytics, a patient start-up
timeout for the ephemeral API server (its first start on a fresh PREFECT_HOME takes ~30 s on a
small machine, past Prefect's 20 s default), and, in a source checkout, PREFECT_HOME under the
project's var/ (gitignored) instead of ~/.prefect.
"""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent

DEFAULTS = {
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    "OMP_THREAD_LIMIT": "1",  # tesseract in extraction workers: one thread each
}


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
