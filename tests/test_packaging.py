"""The package as a user installs it: `pip install .` without extras, in a throw-away virtual
environment, must run `baocao extract` on the sample corpus; what it installs stays lean."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from tests.conftest import CORPUS, ROOT

pytestmark = pytest.mark.slow

MAX_BASE_MB = 700  # issue 13: the base install's size


def _site_packages(env: Path) -> Path:
    return next((env / "lib").glob("python3*/site-packages"))


def _size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 2**20


@pytest.fixture(scope="module")
def base_env(tmp_path_factory) -> Path:
    env = tmp_path_factory.mktemp("base-install") / "venv"
    venv.EnvBuilder(with_pip=True).create(env)
    cp = subprocess.run([str(env / "bin" / "python"), "-m", "pip", "install", "-q",
                         "--disable-pip-version-check", str(ROOT)],
                        capture_output=True, text=True, timeout=1800)
    assert cp.returncode == 0, cp.stderr[-3000:]
    return env


def test_base_install_runs_extract_on_the_sample_corpus(base_env, corpus):
    files = [corpus / "docs" / f"duc-chinh-2020-h1.{v}" for v in ("docx", "pdf", "tcvn3.docx", "doc")]
    env = {**os.environ, "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "OMP_THREAD_LIMIT": "1"}
    cp = subprocess.run([str(base_env / "bin" / "baocao"), "extract", "--json", *map(str, files)],
                        capture_output=True, text=True, timeout=600, env=env, cwd=base_env)
    assert cp.returncode == 0, cp.stderr[-3000:]
    records = [json.loads(line) for line in cp.stdout.splitlines() if line.strip()]
    assert len(records) == len(files)
    for rec in records:
        assert rec["metadata"]["report_number"] == "12/BC-TTHTCĐ"
        assert any(f["rule"] == "total_mismatch" for f in rec["flags"])
        assert len(rec["tables"]) == 1 and len(rec["sections"]) >= 10


def test_base_install_leaves_out_the_extras(base_env):
    site = _site_packages(base_env)
    present = {p.name.split("-")[0].lower() for p in site.iterdir()}
    for extra in ("spacy", "pyvi", "thinc", "docx", "pytest", "playwright", "sklearn"):
        assert extra not in present, f"{extra} is installed by a plain `pip install .`"


def test_base_install_size(base_env):
    mb = _size_mb(base_env)
    print(f"\n[packaging] base install: {mb:.0f} MB (limit {MAX_BASE_MB} MB), python {sys.version.split()[0]}")
    assert mb <= MAX_BASE_MB
