#!/bin/sh
# Run every benchmark in turn; each prints its table and appends a JSON line to bench/results/.
#   bench/run_all.sh            full runs (about 10 minutes)
#   bench/run_all.sh --quick    a smoke run of each (about 2 minutes)
# PostgreSQL is measured too when TSUNAGI_BENCH_POSTGRES_URL names a database (it is emptied).
set -e
cd "$(dirname "$0")/.."
PY="${PYTHON:-.venv/bin/python}"
for bench in ingest e2e scheduler footprint; do
    echo "== bench.$bench $*"
    "$PY" -m "bench.$bench" "$@"
done
