#!/usr/bin/env bash
# Static checks, as CI runs them: ruff (lint and format), mypy on every package and the tests,
# and the rasa-sdk stubs held against the installed rasa-sdk.
set -euo pipefail
cd "$(dirname "$0")/.."
export MYPY_CACHE_DIR="${MYPY_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bailleur-bot/mypy}"
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy bot dialogs services tests
.venv/bin/python -m mypy.stubtest rasa_sdk --ignore-missing-stub --mypy-config-file pyproject.toml \
  --allowlist stubs/stubtest-allowlist.txt
