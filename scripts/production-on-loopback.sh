# Sourced, not run: the production settings on loopback, as docs/deployment.md runs them, for
# scripts/smoke-production.sh and the load benchmarks (benchmarks/serve_production.sh). Needs
# PY (the virtualenv's python) and the caller's DATABASE_URL choice after it. Gives WORK (a
# temporary folder), PORT (a free port), pids (processes to stop; add to it) and a trap that
# stops them and removes WORK on exit.
WORK=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

export DJANGO_SETTINGS_MODULE=healthjustice.config.settings.production
DJANGO_SECRET_KEY=$("$PY" -c 'import secrets; print(secrets.token_urlsafe(64))')
export DJANGO_SECRET_KEY
export DJANGO_ALLOWED_HOSTS=127.0.0.1
export HJ_STATIC_ROOT="$WORK/static"
export HJ_MEDIA_ROOT="$WORK/media"
unset DJANGO_DEBUG DJANGO_ALLOW_ASYNC_UNSAFE
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
