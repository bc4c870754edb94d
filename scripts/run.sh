#!/usr/bin/env bash
# Set up, create/migrate the demo database, then Telegram if TELEGRAM_BOT_TOKEN is set,
# else the terminal chat.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/bailleur-bot run "$@"
