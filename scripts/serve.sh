#!/usr/bin/env bash
# Serves Tillit in production with gunicorn (README, "Drift och säkerhet").
# The environment carries the configuration: DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL
# and, behind a TLS-terminating proxy, BEHIND_PROXY=true. Before serving it runs Django's
# deployment checks, collects the static files (served by WhiteNoise) and applies migrations.
#   BIND (127.0.0.1:8000)  WEB_CONCURRENCY (workers, 3)  GUNICORN_TIMEOUT (seconds, 120)
set -euo pipefail
cd "$(dirname "$0")/.."
export DEBUG="${DEBUG:-false}"
.venv/bin/python manage.py check --deploy
.venv/bin/python manage.py collectstatic --noinput --verbosity 0
.venv/bin/python manage.py migrate --noinput
exec .venv/bin/gunicorn config.wsgi:application \
  --bind "${BIND:-127.0.0.1:8000}" \
  --workers "${WEB_CONCURRENCY:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --forwarded-allow-ips "${FORWARDED_ALLOW_IPS:-127.0.0.1}" \
  --access-logfile - \
  --no-control-socket
