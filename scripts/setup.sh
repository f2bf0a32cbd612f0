#!/usr/bin/env bash
# Idempotent set-up on a fresh Debian machine: system packages, a virtual environment, baocao.
# Quick when everything is already there. Usage: bash scripts/setup.sh
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(libreoffice-writer-nogui tesseract-ocr tesseract-ocr-vie tesseract-ocr-osd poppler-utils chromium)
missing=()
for p in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup: installing system packages: ${missing[*]}"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PY" -m venv .venv
stamp=.venv/.baocao-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    echo "setup: installing baocao and its Python dependencies into .venv"
    .venv/bin/python -m pip install -q --disable-pip-version-check -e '.[dev,spacy]'
    touch "$stamp"
fi
# PostgreSQL is used by some tests when it runs; start it if it is installed but stopped.
if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
    ver=$(ls /etc/postgresql | head -n 1)
    pg_ctlcluster --skip-systemctl-redirect "$ver" main status >/dev/null 2>&1 \
        || pg_ctlcluster --skip-systemctl-redirect "$ver" main start >/dev/null 2>&1 || true
fi
echo "setup: ready"
