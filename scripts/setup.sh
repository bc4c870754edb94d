#!/usr/bin/env bash
# Creates .venv, installs the project with its test tools. Shared by the README's commands.
# The install is skipped while pyproject.toml is unchanged since the last one (the install is
# editable: code changes need no reinstall); delete .venv/.installed to force it.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ "$(cat .venv/.installed 2>/dev/null)" != "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".[dev]"
  echo "$stamp" > .venv/.installed
fi
