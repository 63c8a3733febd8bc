#!/usr/bin/env bash
# Sets everything up and runs the whole test suite. Extra arguments go to pytest.
# DATABASE_URL chooses the database (default: SQLite); pytest-django creates and drops
# its own test database, so a PostgreSQL URL may name a database that does not exist yet.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export DEBUG="${DEBUG:-true}"
.venv/bin/python manage.py check
.venv/bin/python manage.py makemigrations --check --dry-run
# The Swedish catalogue ships compiled; fail when the .po and the .mo disagree.
.venv/bin/python scripts/check_translations.py
exec .venv/bin/python -m pytest -n "${TEST_WORKERS:-2}" --dist loadfile --create-db "$@"
