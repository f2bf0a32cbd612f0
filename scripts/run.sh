#!/usr/bin/env bash
# Set up (idempotent) and run baocao's main job on the sample corpus: ingest every report into
# a SQLite database, print the run summary and the open flags.
# Usage: bash scripts/run.sh [CORPUS_DIR] [DB_URL]
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PREFECT_SERVER_ANALYTICS_ENABLED=false OMP_THREAD_LIMIT=1
corpus=${1:-../shared/corpus/docs}
db=${2:-sqlite:///var/corpus.sqlite}
mkdir -p var
.venv/bin/baocao ingest "$corpus" --db "$db"
.venv/bin/baocao flags --db "$db" --status open
