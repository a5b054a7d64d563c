# Sourced, not run: the production configuration (scripts/production-on-loopback.sh) serving
# DATABASE with gunicorn as docs/deployment.md runs it (HJ_WEB_WORKERS workers, 5 by default),
# for the load benchmarks. Needs PY and DATABASE; refuses a database that is not migrated.
# shellcheck source=scripts/production-on-loopback.sh
. scripts/production-on-loopback.sh
export DATABASE_URL="$DATABASE"
"$PY" manage.py collectstatic --noinput -v0
"$PY" manage.py migrate --check >/dev/null || {
  echo "The database is not migrated: manage.py migrate, then seed_demo." >&2
  exit 2
}
# --forwarded-allow-ips "": gunicorn trusts no proxy header itself; HTTPS is recognised only
# through the settings' SECURE_PROXY_SSL_HEADER, which --behind-proxy sends as nginx would.
.venv/bin/gunicorn healthjustice.config.wsgi --bind "127.0.0.1:$PORT" \
  --workers "${HJ_WEB_WORKERS:-5}" --timeout 60 --max-requests 1000 --max-requests-jitter 100 \
  --forwarded-allow-ips "" --error-logfile "$WORK/gunicorn.log" --log-level warning &
pids+=($!)
