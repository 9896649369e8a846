#!/usr/bin/env bash
# Install (if needed), migrate, load the seed catalogue and demo data, then run the web
# server, the background worker (`motcua worker`: overdue alerts), the National Public
# Service Portal simulator (`motcua sim dvcqg`, docs/dvcqg.md) and the provincial LGSP
# simulator (`motcua sim lgsp`: population lookups, docs/population.md) side by side.
# Ctrl-C (or SIGTERM to this script) stops them all; if one exits, the others are stopped.
#   DVCQG_SIM_PORT=8101 ./run.sh   MOTCUA_DVCQG_ADAPTER_URL=https://… ./run.sh (a real portal: no simulator)
#   LGSP_SIM_PORT=8104 ./run.sh    LGSP_URL=https://… ./run.sh (a real LGSP: no simulator)
#   PORT=8080 ./run.sh      HOST=0.0.0.0 ./run.sh      WORKERS=4 ./run.sh (PostgreSQL)
#   DATABASE_URL=postgresql+psycopg://… ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure_venv.sh
scripts/fetch_assets.sh || true
.venv/bin/motcua db upgrade
.venv/bin/motcua seed --demo

# Development default: the server and the worker reach the simulator with its demo account.
# A real portal is configured with MOTCUA_DVCQG_ADAPTER_URL and credentials (no simulator).
simulator=""
if [ -z "${MOTCUA_DVCQG_ADAPTER_URL:-}" ]; then
  export MOTCUA_DVCQG_ADAPTER_URL="http://127.0.0.1:${DVCQG_SIM_PORT:-8101}"
  export MOTCUA_DVCQG_PASSWORD="${MOTCUA_DVCQG_PASSWORD:-simulator}"
  .venv/bin/motcua sim dvcqg --port "${DVCQG_SIM_PORT:-8101}" &
  simulator=$!
fi
if [ -z "${LGSP_URL:-}" ]; then
  export LGSP_URL="http://127.0.0.1:${LGSP_SIM_PORT:-8104}"
  export LGSP_PASSWORD="${LGSP_PASSWORD:-simulator}"
  .venv/bin/motcua sim lgsp --port "${LGSP_SIM_PORT:-8104}" &
  simulator="$simulator $!"
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
