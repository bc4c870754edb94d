#!/usr/bin/env bash
# Creates .venv, installs the project with its test tools. Shared by the README's commands.
# The install runs only when pyproject.toml changed since the last one (the install is editable:
# code changes need no reinstall); delete .venv/.installed to force it. pip's own output (English,
# warnings included) goes to .venv/install.log; the user reads a short French progress line.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
stamp="$(sha256sum pyproject.toml | cut -d' ' -f1)"
if [ -x .venv/bin/python ] && [ "$(cat .venv/.installed 2>/dev/null)" = "$stamp" ]; then
  exit 0
fi
if [ ! -x .venv/bin/python ]; then
  echo "Installation : création de l'environnement Python (.venv)…"
  "$PYTHON" -m venv .venv
fi
echo -n "Installation des dépendances (la première fois : quelques minutes, selon le réseau) "
log=.venv/install.log
(
  .venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip &&
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
) >"$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
  echo -n "."
  sleep 3
done
if ! wait "$pid"; then
  echo
  echo "L'installation a échoué ; le détail est dans $log :" >&2
  tail -n 20 "$log" >&2
  exit 1
fi
echo " terminée."
echo "$stamp" > .venv/.installed
