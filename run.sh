#!/usr/bin/env bash
# Install (if needed), migrate, load the seed catalogue and demo data, then run the web
# server and the background worker (`motcua worker`: overdue alerts) side by side.
# Ctrl-C (or SIGTERM to this script) stops both; if either exits, the other is stopped.
#   PORT=8080 ./run.sh      HOST=0.0.0.0 ./run.sh      WORKERS=4 ./run.sh (PostgreSQL)
#   DATABASE_URL=postgresql+psycopg://… ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure_venv.sh
scripts/fetch_assets.sh || true
.venv/bin/motcua db upgrade
.venv/bin/motcua seed --demo

.venv/bin/motcua serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}" --workers "${WORKERS:-1}" &
server=$!
.venv/bin/motcua worker &
worker=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$server" "$worker" 2>/dev/null || true
  wait "$server" "$worker" 2>/dev/null || true
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
# Whichever of the two ends first (a crash, a kill), stop the other and report its status.
set +e
wait -n "$server" "$worker"
status=$?
set -e
exit "$status"
