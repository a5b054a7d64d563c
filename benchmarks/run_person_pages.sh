#!/usr/bin/env bash
# Run the person pages benchmark on a fresh, throwaway database, then remove it.
#   benchmarks/run_person_pages.sh sqlite   [extra person_pages.py options]
#   benchmarks/run_person_pages.sh postgres [extra person_pages.py options]
# PostgreSQL: HJ_BENCH_POSTGRES (default postgres://postgres@127.0.0.1:5432) names the server;
# the script creates and drops the database hj_bench_pages there.
set -euo pipefail
cd "$(dirname "$0")/.."
engine="${1:-sqlite}"
shift || true
export DJANGO_SETTINGS_MODULE="${DJANGO_SETTINGS_MODULE:-healthjustice.config.settings.local}"
python=".venv/bin/python"

case "$engine" in
  sqlite)
    db="$(mktemp -d)/hj_bench_pages.sqlite3"
    trap 'rm -rf "$(dirname "$db")"' EXIT
    DATABASE_URL="sqlite:///$db" "$python" benchmarks/person_pages.py "$@"
    ;;
  postgres)
    server="${HJ_BENCH_POSTGRES:-postgres://postgres@127.0.0.1:5432}"
    psql "$server/postgres" -qc 'DROP DATABASE IF EXISTS hj_bench_pages' -c 'CREATE DATABASE hj_bench_pages'
    trap 'psql "$server/postgres" -qc "DROP DATABASE IF EXISTS hj_bench_pages"' EXIT
    DATABASE_URL="$server/hj_bench_pages" "$python" benchmarks/person_pages.py "$@"
    ;;
  *)
    echo "usage: $0 sqlite|postgres [person_pages.py options]" >&2
    exit 2
    ;;
esac
