#!/usr/bin/env bash
# The assistant behind a real Rasa Open Source 3.6 server, end to end (too slow for every CI run).
#
# Makes (or reuses) a Python 3.10 venv with rasa 3.6, validates and trains on the repository's
# files (rasa_project/ + dialogs/domain + dialogs/rules + nlu_data), starts our action server on
# a fresh demo database and `rasa run --enable-api`, then drives whole conversations over the
# REST channel (scripts/rasa_e2e_conversations.py) and prints a verdict per conversation.
#
#   RASA_VENV     the venv with rasa (default: .rasa-venv in the repository)
#   PYTHON310     the Python 3.10 that makes it (default: python3.10)
#   RASA_MODEL    a model already trained by this script, to skip training
#   ACTIONS_PORT, RASA_PORT   default 5055 and 5005
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT="$(pwd)"
RASA_VENV="${RASA_VENV:-$ROOT/.rasa-venv}"
PYTHON310="${PYTHON310:-python3.10}"
ACTIONS_PORT="${ACTIONS_PORT:-5055}"
RASA_PORT="${RASA_PORT:-5005}"
WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap cleanup EXIT

scripts/setup.sh
if [ ! -x "$RASA_VENV/bin/rasa" ]; then
  echo "== making $RASA_VENV (Python 3.10, rasa 3.6; several minutes)"
  "$PYTHON310" -m venv "$RASA_VENV"
  "$RASA_VENV/bin/pip" install --quiet "rasa==3.6.21"
fi
RASA="$RASA_VENV/bin/rasa"
DATA=(--domain rasa_project/domain --data nlu_data dialogs/rules rasa_project/data --config rasa_project/config.yml)

echo "== rasa data validate --fail-on-warnings"
"$RASA" data validate --fail-on-warnings "${DATA[@]}" > "$WORK/validate.log" 2>&1 \
  || { tail -40 "$WORK/validate.log"; exit 1; }
echo "   valid"

MODEL="${RASA_MODEL:-}"
if [ -z "$MODEL" ]; then
  echo "== rasa train"
  start=$(date +%s)
  "$RASA" train "${DATA[@]}" --out "$WORK/models" --fixed-model-name bailleur > "$WORK/train.log" 2>&1 \
    || { tail -40 "$WORK/train.log"; exit 1; }
  MODEL="$WORK/models/bailleur.tar.gz"
  echo "   trained in $(( $(date +%s) - start )) s: $MODEL"
fi

echo "== action server (demo database in $WORK/data)"
export BAILLEUR_DATA_DIR="$WORK/data" BAILLEUR_TODAY="${BAILLEUR_TODAY:-2026-11-23}"
.venv/bin/bailleur-bot seed --demo > /dev/null
.venv/bin/bailleur-bot actions --host 127.0.0.1 --port "$ACTIONS_PORT" > "$WORK/actions.log" 2>&1 &
PIDS+=($!)
printf 'action_endpoint:\n  url: "http://127.0.0.1:%s/webhook"\n' "$ACTIONS_PORT" > "$WORK/endpoints.yml"

echo "== rasa run --enable-api (port $RASA_PORT)"
"$RASA" run --enable-api --model "$MODEL" --endpoints "$WORK/endpoints.yml" \
  --credentials rasa_project/credentials.yml --port "$RASA_PORT" --interface 127.0.0.1 \
  > "$WORK/rasa.log" 2>&1 &
PIDS+=($!)
for _ in $(seq 1 180); do
  if curl -sf "http://127.0.0.1:$RASA_PORT/status" > /dev/null \
    && curl -sf "http://127.0.0.1:$ACTIONS_PORT/health" > /dev/null; then
    break
  fi
  sleep 2
done
curl -sf "http://127.0.0.1:$RASA_PORT/status" > /dev/null || { tail -30 "$WORK/rasa.log"; exit 1; }

echo "== conversations over the REST channel"
status=0
.venv/bin/python scripts/rasa_e2e_conversations.py "http://127.0.0.1:$RASA_PORT" "$@" || status=$?
if grep -q "Oliviers-Demo-2026" "$WORK/actions.log" "$WORK/rasa.log"; then
  echo "!! the password appears in a server log"
  status=1
fi
echo "== logs in $WORK"
exit "$status"
