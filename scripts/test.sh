#!/usr/bin/env bash
# Set up, then the static checks (scripts/lint.sh) and the whole test suite; arguments go to
# pytest (`scripts/test.sh -m "not slow"` skips the few slow end-to-end tests, `-k rent` selects).
# PostgreSQL is also tested when TEST_DATABASE_URL is set (e.g.
# postgresql+psycopg://postgres@127.0.0.1:5432/test). Python keeps its compiled modules (the
# tests start bot processes again and again; each would compile the project anew).
set -euo pipefail
unset PYTHONDONTWRITEBYTECODE
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/lint.sh
.venv/bin/python -m pytest "$@"
