#!/usr/bin/env bash
# `make run`: the background-task worker beside the development server, stopped together.
# The worker is restarted if it ever stops (waiting 1, 2, 4 ... up to 60 s between tries;
# back to 1 s once it has run for a minute), so exports never wait for a worker that is gone.
#
# The site is served by gunicorn, as in production, with HJ_WEB_WORKERS processes (3) of
# HJ_WEB_THREADS threads (4): Django's runserver is one process with a listen queue of 10, and
# with a team's worth of people at once it refused connections and queued requests for seconds
# (benchmarks/README.md, "Many people at once"). RELOAD=1 restarts it when the code changes.
set -euo pipefail
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}
WORKERS=${HJ_WEB_WORKERS:-3}
THREADS=${HJ_WEB_THREADS:-4}
RELOAD_FLAG=()
if [[ "${RELOAD:-0}" == "1" ]]; then RELOAD_FLAG=(--reload); fi

keep_worker_running() {
    local delay=1 started
    while true; do
        started=$SECONDS
        "$PY" manage.py run_worker --no-reload --interval 2 || true
        if (( SECONDS - started >= 60 )); then delay=1; fi
        echo "The background worker stopped; starting it again in ${delay} s" >&2
        sleep "$delay"
        delay=$(( delay * 2 > 60 ? 60 : delay * 2 ))
    done
}

keep_worker_running &
supervisor=$!
stop_worker() {
    local worker
    worker=$(pgrep -P "$supervisor" || true)
    kill "$supervisor" 2>/dev/null || true
    if [[ -n "$worker" ]]; then kill $worker 2>/dev/null || true; fi
}
trap stop_worker EXIT INT TERM

echo
echo "Serving on http://$HOST:$PORT  (Ctrl+C stops the site and the worker)"
echo "Demo sign-ins:"
"$PY" manage.py seed_demo --list-accounts || true
echo
.venv/bin/gunicorn healthjustice.config.wsgi --bind "$HOST:$PORT" \
    --workers "$WORKERS" --threads "$THREADS" --worker-class gthread --timeout 60 \
    --access-logfile - --access-logformat '%(t)s "%(r)s" %(s)s %(M)sms' "${RELOAD_FLAG[@]}"
