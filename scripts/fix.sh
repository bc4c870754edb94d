#!/usr/bin/env bash
# Let ruff fix what it can (imports, simple lint) and format the code.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check --fix .
.venv/bin/ruff format .
