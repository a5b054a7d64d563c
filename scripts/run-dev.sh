#!/usr/bin/env bash
# `make run`: the background-task worker beside the development server, stopped together.
set -euo pipefail
PY=.venv/bin/python
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

"$PY" manage.py db_worker --no-reload --interval 2 &
worker=$!
trap 'kill "$worker" 2>/dev/null || true' EXIT INT TERM

echo
echo "Serving on http://$HOST:$PORT  (Ctrl+C stops the site and the worker)"
echo "Demo sign-ins:"
"$PY" manage.py seed_demo --list-accounts || true
echo
"$PY" manage.py runserver "$HOST:$PORT"
