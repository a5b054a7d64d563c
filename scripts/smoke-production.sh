#!/usr/bin/env bash
# Production smoke test: the production settings on loopback, as docs/deployment.md runs them
# (static files collected and served by WhiteNoise, gunicorn, a run_worker), exercised over HTTP
# by scripts/smoke_production.py. A throwaway SQLite database in a temporary folder, or
# SMOKE_DATABASE_URL (an empty PostgreSQL database) if given. Everything stops on exit.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
# shellcheck source=scripts/production-on-loopback.sh
. scripts/production-on-loopback.sh
export DATABASE_URL="${SMOKE_DATABASE_URL:-sqlite:///$WORK/db.sqlite3}"
HJ_DEMO_PASSWORD="Smoke-$("$PY" -c 'import secrets; print(secrets.token_urlsafe(16))')"
export HJ_DEMO_PASSWORD
started=$SECONDS

echo "== production smoke test: set up"
"$PY" manage.py check --deploy --fail-level WARNING
"$PY" manage.py collectstatic --noinput -v0 &
collect=$!
"$PY" manage.py migrate --noinput -v0
"$PY" manage.py seed_demo --people 20 >/dev/null
wait "$collect"

echo "== production smoke test: gunicorn on 127.0.0.1:$PORT and a run_worker"
# --forwarded-allow-ips "": gunicorn itself trusts no proxy header, so HTTPS is recognised
# only through the settings' SECURE_PROXY_SSL_HEADER.
.venv/bin/gunicorn healthjustice.config.wsgi --bind "127.0.0.1:$PORT" --workers 2 \
  --forwarded-allow-ips "" --error-logfile "$WORK/gunicorn.log" --log-level warning &
pids+=($!)
"$PY" manage.py run_worker --no-reload --interval 1 >"$WORK/worker.log" 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  "$PY" -c "import socket; socket.create_connection(('127.0.0.1', $PORT), 1)" 2>/dev/null && break
  sleep 0.2
done

status=0
"$PY" scripts/smoke_production.py "http://127.0.0.1:$PORT" \
  practitioner.staffs team_leader.staffs "$HJ_DEMO_PASSWORD" || status=$?
if [ "$status" -ne 0 ] || grep -q "Traceback" "$WORK/gunicorn.log" "$WORK/worker.log"; then
  echo "-- gunicorn log"; cat "$WORK/gunicorn.log"
  echo "-- worker log"; cat "$WORK/worker.log"
  [ "$status" -ne 0 ] || status=1
fi
# The pages above wrote their audit rows over the production number of chains (eight on
# PostgreSQL): the whole trail must still verify.
"$PY" manage.py audit_verify || status=$?
echo "== production smoke test: $((SECONDS - started)) s"
exit "$status"
