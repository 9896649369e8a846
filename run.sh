#!/usr/bin/env bash
# Install (if needed), migrate, load the seed catalogue and demo data, then run the web
# server, the background worker (`motcua worker`: overdue alerts) and the National Public
# Service Portal simulator (`motcua sim dvcqg`, docs/dvcqg.md) side by side.
# Ctrl-C (or SIGTERM to this script) stops all three; if one exits, the others are stopped.
#   DVCQG_SIM_PORT=8101 ./run.sh   DVCQG_URL=https://… ./run.sh (a real portal: no simulator)
#   PORT=8080 ./run.sh      HOST=0.0.0.0 ./run.sh      WORKERS=4 ./run.sh (PostgreSQL)
#   DATABASE_URL=postgresql+psycopg://… ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure_venv.sh
scripts/fetch_assets.sh || true
.venv/bin/motcua db upgrade
.venv/bin/motcua seed --demo

# Development default: the server and the worker reach the simulator with its demo account.
# A real portal is configured with DVCQG_URL (or MOTCUA_DVCQG_ADAPTER_URL) and credentials (no simulator).
simulator=""
if [ -z "${DVCQG_URL:-}" ] && [ -z "${MOTCUA_DVCQG_ADAPTER_URL:-}" ]; then
  export DVCQG_URL="http://127.0.0.1:${DVCQG_SIM_PORT:-8101}"
  export MOTCUA_DVCQG_PASSWORD="${MOTCUA_DVCQG_PASSWORD:-simulator}"
  .venv/bin/motcua sim dvcqg --port "${DVCQG_SIM_PORT:-8101}" &
  simulator=$!
fi

.venv/bin/motcua serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "${WORKERS:-1}" &
server=$!
.venv/bin/motcua worker &
worker=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$server" "$worker" $simulator 2>/dev/null || true
  wait "$server" "$worker" $simulator 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
# Whichever ends first (a crash, a kill), stop the others and report its status.
set +e
wait -n "$server" "$worker" $simulator
status=$?
set -e
exit "$status"
