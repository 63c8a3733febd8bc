#!/usr/bin/env bash
# Sets everything up and serves the demo at http://127.0.0.1:8000 on SQLite (db.sqlite3).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-true}"
.venv/bin/python manage.py migrate --noinput
.venv/bin/python manage.py load_demo
echo
echo "Tillit körs på http://127.0.0.1:8000/ (avsluta med Ctrl+C)."
exec .venv/bin/python manage.py runserver 127.0.0.1:8000
