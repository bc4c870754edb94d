#!/usr/bin/env bash
# Set up, then lint, type-check and run the whole test suite. PostgreSQL is also tested when
# TEST_DATABASE_URL is set (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/mypy bot dialogs services
.venv/bin/python -m pytest "$@"
