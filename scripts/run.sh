#!/usr/bin/env bash
# Set up (only when pyproject.toml changed), create/migrate the demo database, then Telegram if
# TELEGRAM_BOT_TOKEN is set, else the terminal chat. Python may keep its compiled modules here
# (start-up reads them instead of compiling the project again at every start).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
unset PYTHONDONTWRITEBYTECODE
exec .venv/bin/bailleur-bot run "$@"
