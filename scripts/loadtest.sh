#!/usr/bin/env bash
# Load test (docs/benchmarks.md, "Load test"): Tillit under gunicorn on PostgreSQL, driven by wrk.
#
#   bash scripts/loadtest.sh                      # 200 units, 4 workers, 16 connections, 30 s
#   UNITS=1000 DURATION=60s CONNECTIONS=32 bash scripts/loadtest.sh
#   REUSE=1 EVERYDAY_ONLY=1 bash scripts/loadtest.sh   # keep the database; leave out the board-wide pages
#
# Creates (or, with REUSE=1, reuses) the PostgreSQL database $LOADTEST_DB on 127.0.0.1, migrates,
# generates an organisation of $UNITS units (manage.py generate_org), collects static files,
# starts gunicorn with DEBUG off, logs in as the generated controller (a real login POST with
# its CSRF token), then lets wrk request the main pages and API lists in turn for $DURATION
# with $CONNECTIONS connections. Prints requests per second, latency percentiles and errors;
# exits non-zero when any response was not 200 or any socket error occurred.
# Not part of the test suite (it takes minutes). Needs wrk (apt-get install wrk).
set -euo pipefail
cd "$(dirname "$0")/.."

LOADTEST_DB="${LOADTEST_DB:-tillit_load}"
PG="${PG:-postgres://postgres@127.0.0.1:5432}"
UNITS="${UNITS:-200}"
YEARS="${YEARS:-2}"
WORKERS="${WORKERS:-4}"
THREADS="${THREADS:-2}"
CONNECTIONS="${CONNECTIONS:-16}"
DURATION="${DURATION:-30s}"
PORT="${PORT:-8123}"
PREFIX="L${UNITS}"
PASSWORD="tillit-skala-2026"

if ! command -v wrk >/dev/null 2>&1; then
  echo "wrk is missing: apt-get install -y wrk" >&2
  exit 2
fi
bash scripts/setup.sh

export DATABASE_URL="$PG/$LOADTEST_DB"
export DEBUG=false SECRET_KEY="loadtest-only-$(date +%s)-not-secret-xxxxxxxxxxxxxxxxxxxxxxxx"
export ALLOWED_HOSTS=127.0.0.1 SECURE_SSL_REDIRECT=false SECURE_HSTS_SECONDS=0 AXES_ENABLED=false LOG_LEVEL=WARNING
py=.venv/bin/python
work="$(mktemp -d)"
trap 'kill "$(cat "$work/gunicorn.pid" 2>/dev/null)" 2>/dev/null || true; rm -rf "$work"' EXIT

if [ "${REUSE:-0}" != "1" ]; then
  $py - "$PG" "$LOADTEST_DB" <<'PY'
import sys
import psycopg
with psycopg.connect(f"{sys.argv[1]}/postgres", autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
    connection.execute(f'CREATE DATABASE "{sys.argv[2]}"')
PY
  $py manage.py migrate --verbosity 0
  $py manage.py generate_org --units "$UNITS" --years "$YEARS" --prefix "$PREFIX" --password "$PASSWORD"
fi
$py manage.py collectstatic --noinput --verbosity 0

# The paths to drive: the pages each role uses and the API lists, for the generated organisation.
$py manage.py shell -v 0 -c "
from django.urls import reverse, NoReverseMatch
from fixtures.large_org import find_generated
org = find_generated('$PREFIX')
r = org.latest_round
goal = org.board.political_goals.order_by('order').first()
paths = [reverse('reporting:goal-report-round', args=[r.pk]),
         reverse('reporting:goal-report-goal', args=[r.pk, goal.pk]),
         reverse('scorecards:scorecard', args=[org.scorecard.pk]),
         reverse('scorecards:team-detail', args=[org.team.pk]),
         reverse('reporting:rounds'), reverse('reporting:round-detail', args=[r.pk])]
# A chart of the drill-down, and last year's adopted report (read from its snapshot) with one of its charts.
from reporting.page_benchmark import first_chart_url
paths.append(first_chart_url(goal, r))
if org.adopted_report is not None:
    adopted = org.adopted_report.round
    paths += [reverse('reporting:goal-report-round', args=[adopted.pk]),
              reverse('reporting:goal-report-goal', args=[adopted.pk, goal.pk]), first_chart_url(goal, adopted)]
for name in ('org-unit-list', 'scorecard-list', 'indicator-list', 'measurement-list', 'activity-list', 'follow-up-list'):
    try:
        paths.append(reverse('api:' + name))
    except NoReverseMatch:
        pass
print('\n'.join(paths))
" > "$work/paths.txt"
if [ "${EVERYDAY_ONLY:-0}" = "1" ]; then
  # Only the pages of one unit or team and the API lists: what most requests are on a normal day.
  grep -v '^/malrapport/\|^/omgangar/[0-9]\|^/diagram/' "$work/paths.txt" > "$work/paths.tmp" && mv "$work/paths.tmp" "$work/paths.txt"
fi
echo "Paths ($(wc -l < "$work/paths.txt")):"; sed 's/^/  /' "$work/paths.txt"

.venv/bin/gunicorn config.wsgi --bind "127.0.0.1:$PORT" --workers "$WORKERS" --no-control-socket \
  --pid "$work/gunicorn.pid" --access-logfile /dev/null --error-logfile "$work/gunicorn.log" --daemon
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 50); do curl -fs -o /dev/null "$base/logga-in/" && break; sleep 0.2; done

# Log in the way a browser does: the form's CSRF token, then the POST. The cookies are Secure
# (DEBUG off), which curl keeps but does not send over http, so they are passed by hand.
curl -fs -c "$work/jar" -o "$work/login.html" "$base/logga-in/"
csrf_cookie="$(awk '$6 == "csrftoken" {print $7}' "$work/jar")"
csrf_form="$(grep -o 'name="csrfmiddlewaretoken" value="[^"]*"' "$work/login.html" | head -1 | sed 's/.*value="//; s/"$//')"
curl -s -o /dev/null -c "$work/jar" -H "Cookie: csrftoken=$csrf_cookie" -H "Referer: $base/logga-in/" \
  --data-urlencode "csrfmiddlewaretoken=$csrf_form" --data-urlencode "username=${PREFIX,,}-strateg" \
  --data-urlencode "password=$PASSWORD" "$base/logga-in/"
session="$(awk '$6 == "sessionid" {print $7}' "$work/jar")"
if [ -z "$session" ]; then
  echo "Login failed: no session cookie." >&2; cat "$work/gunicorn.log" >&2; exit 1
fi
export COOKIE="sessionid=$session; csrftoken=$csrf_cookie" PATHS_FILE="$work/paths.txt"
while read -r path; do
  code="$(curl -s -o /dev/null -w '%{http_code}' -H "Cookie: $COOKIE" "$base$path")"
  echo "  warm-up $code $path"
done < "$work/paths.txt"

echo "wrk: $THREADS threads, $CONNECTIONS connections, $DURATION, gunicorn $WORKERS workers, $UNITS units"
wrk --threads "$THREADS" --connections "$CONNECTIONS" --duration "$DURATION" --timeout 30s --latency \
  --script scripts/loadtest/paths.lua "$base" | tee "$work/wrk.txt"
if grep -q "non200=0 socket_errors=0" "$work/wrk.txt"; then
  echo "Load test passed: no errors."
else
  echo "Load test FAILED: some requests were errors (see above)." >&2
  tail -20 "$work/gunicorn.log" >&2
  exit 1
fi
