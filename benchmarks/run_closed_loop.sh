#!/usr/bin/env bash
# Audit-write contention under load: 50 clients with no pause between actions (a closed loop)
# against the production configuration, while PostgreSQL is sampled for page views waiting on
# an audit chain head. Run it with one chain (the trail as it was) and with the default eight
# to see what the chains change (docs/performance.md, "Audit writes under load").
#
#   benchmarks/run_closed_loop.sh postgres://postgres@127.0.0.1:5432/hj_bench [CHAINS] [SECONDS]
#
# It writes screenings, contact log entries and audit events: point it at a throwaway copy
# (migrated, `seed_demo`, `seed_synthetic --people 100000`).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
DATABASE=${1:?"usage: $0 DATABASE_URL [CHAINS] [SECONDS]"}
CHAINS=${2:-8}
SECONDS_RUN=${3:-120}
# The chain heads are sampled from 20 s in (the clients signed in) to 5 s before the end.
[ "$SECONDS_RUN" -ge 60 ] || { echo "Run for at least 60 seconds." >&2; exit 2; }
export HJ_AUDIT_CHAINS="$CHAINS"
# shellcheck source=benchmarks/serve_production.sh
. benchmarks/serve_production.sh
DSN=${DATABASE%%\?*}
echo "audit chains: $CHAINS; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
(sleep 20 && "$PY" benchmarks/audit_lock_waits.py --dsn "$DSN" --seconds $((SECONDS_RUN - 25)) \
  >"$WORK/waits.txt") &
sampler=$!
status=0
"$PY" benchmarks/concurrent_clients.py --base-url "http://127.0.0.1:$PORT" --clients 50 \
  --seconds "$SECONDS_RUN" --think 0 --behind-proxy || status=$?
wait "$sampler" || status=$?
echo "-- chain heads (audit_lock_waits.py)"
cat "$WORK/waits.txt"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q "Traceback" "$WORK/gunicorn.log"; then
  echo "-- gunicorn log"
  cat "$WORK/gunicorn.log"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
