#!/usr/bin/env bash
# The paced load test of docs/performance.md: people at work at once (benchmarks/locustfile.py)
# against the production configuration as docs/deployment.md runs it: the production settings,
# static files collected and served by WhiteNoise, gunicorn with HJ_WEB_WORKERS workers (5), a
# run_worker. Everything it starts stops on exit.
#
#   benchmarks/run_load_test.sh postgres://postgres@127.0.0.1:5432/DATABASE [locust options]
#
# The database must be migrated and hold the demo data (manage.py seed_demo; the demo accounts
# sign in) and, for a run at scale, seed_synthetic's people. It gets screenings and contact log
# entries, so use a copy. HJ_LOAD_USERS (50), HJ_LOAD_RUN_TIME (10m) and HJ_LOAD_SPAWN_RATE
# (5 a second) set the run; HJ_DEMO_PASSWORD as seed_demo used it. Needs locust:
# .venv/bin/pip install -e ".[load]".
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if [ ! -x .venv/bin/locust ]; then
  echo "locust is not installed: .venv/bin/pip install -e '.[load]'" >&2
  exit 2
fi
DATABASE=${1:?"usage: $0 DATABASE_URL [locust options]"}
shift
# shellcheck source=benchmarks/serve_production.sh
. benchmarks/serve_production.sh
"$PY" manage.py run_worker --no-reload --interval 2 >"$WORK/worker.log" 2>&1 &
pids+=($!)

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
status=0
.venv/bin/locust -f benchmarks/locustfile.py --headless \
  --users "${HJ_LOAD_USERS:-50}" --spawn-rate "${HJ_LOAD_SPAWN_RATE:-5}" \
  --run-time "${HJ_LOAD_RUN_TIME:-10m}" --host "http://127.0.0.1:$PORT" --behind-proxy \
  --only-summary --stop-timeout 10 "$@" || status=$?
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
if grep -q "Traceback" "$WORK/gunicorn.log" "$WORK/worker.log"; then
  echo "-- gunicorn log"; cat "$WORK/gunicorn.log"
  echo "-- worker log"; cat "$WORK/worker.log"
  [ "$status" -ne 0 ] || status=1
fi
exit "$status"
