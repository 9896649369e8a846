#!/usr/bin/env bash
# Install (if needed), migrate, load the seed catalogue and demo data, then run the web
# server, the background worker (`motcua worker`: overdue alerts) and the simulators of the
# external systems side by side: the National Public Service Portal (`motcua sim dvcqg`,
# docs/dvcqg.md), the national login (`motcua sim vneid`, docs/citizens.md), the national payment
# platform (`motcua sim payment`, docs/payments.md) and the provincial LGSP (`motcua sim lgsp`:
# population lookups, docs/population.md) and the SMS gateway (`motcua sim sms`: applicants'
# notices, docs/notify.md). A system whose URL is set is the real one: no simulator.
# Ctrl-C (or SIGTERM to this script) stops them all; if one exits, the others are stopped.
#   DVCQG_SIM_PORT=8101 ./run.sh   DVCQG_URL=https://… ./run.sh (a real portal: no simulator)
#   VNEID_SIM_PORT=8102 ./run.sh   VNEID_URL=https://… VNEID_CLIENT_SECRET=… ./run.sh (the real national login)
#   PAYMENT_SIM_PORT=8103 ./run.sh   PAYMENT_URL=https://… ./run.sh (the real payment platform: no simulator)
#   LGSP_SIM_PORT=8104 ./run.sh    LGSP_URL=https://… ./run.sh (a real LGSP: no simulator)
#   SMS_SIM_PORT=8105 ./run.sh     SMS_URL=https://… SMS_USERNAME=… SMS_PASSWORD=… ./run.sh (a real SMS gateway)
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
  # A few citizens' online submissions on the simulator: the worker brings them into the
  # online queue (/quay/truc-tuyen) with status 1, so the online channel is seen working.
  .venv/bin/motcua dvcqg demo-submit --count 2 || true
fi
# The national payment platform the same way (docs/payments.md): unless PAYMENT_URL names the
# real platform, its simulator with a development hash key, confirming to this server.
payment_simulator=""
if [ -z "${PAYMENT_URL:-}" ]; then
  export PAYMENT_URL="http://127.0.0.1:${PAYMENT_SIM_PORT:-8103}"
  export MOTCUA_PAYMENT_HASH_KEY="${MOTCUA_PAYMENT_HASH_KEY:-simulator-hash-key}"
  .venv/bin/motcua sim payment --port "${PAYMENT_SIM_PORT:-8103}" \
    --callback-url "http://127.0.0.1:${PORT:-8000}/api/v1/payments/confirm" &
  payment_simulator=$!
fi
# The provincial integration platform (LGSP) for population lookups (docs/population.md).
if [ -z "${LGSP_URL:-}" ]; then
  export LGSP_URL="http://127.0.0.1:${LGSP_SIM_PORT:-8104}"
  export LGSP_PASSWORD="${LGSP_PASSWORD:-simulator}"
  .venv/bin/motcua sim lgsp --port "${LGSP_SIM_PORT:-8104}" &
  simulator="$simulator $!"
fi

# The SMS gateway for applicants' notices (docs/notify.md): its simulator records the messages
# (http://127.0.0.1:8105/_sim/messages) unless SMS_URL names a real gateway.
if [ -z "${SMS_URL:-}" ]; then
  export SMS_URL="http://127.0.0.1:${SMS_SIM_PORT:-8105}"
  .venv/bin/motcua sim sms --port "${SMS_SIM_PORT:-8105}" &
  simulator="$simulator $!"
fi

# Exported: the server and the worker derive PUBLIC_BASE_URL (QR codes on slips, the national
# login's redirect URI) from them unless it is set.
export HOST="${HOST:-127.0.0.1}" PORT="${PORT:-8000}"

# The national login (VNeID, docs/citizens.md): its simulator unless VNEID_URL names a real one.
vneid_simulator=""
if [ -z "${VNEID_URL:-}" ]; then
  export VNEID_URL="http://127.0.0.1:${VNEID_SIM_PORT:-8102}"
  export VNEID_CLIENT_SECRET="${VNEID_CLIENT_SECRET:-simulator}"
  .venv/bin/motcua sim vneid --port "${VNEID_SIM_PORT:-8102}" &
  vneid_simulator=$!
fi

.venv/bin/motcua serve --host "$HOST" --port "$PORT" --workers "${WORKERS:-1}" &
server=$!
.venv/bin/motcua worker &
worker=$!

stop() {
  trap - INT TERM EXIT
  kill -TERM "$server" "$worker" $simulator $vneid_simulator $payment_simulator 2>/dev/null || true
  wait "$server" "$worker" $simulator $vneid_simulator $payment_simulator 2>/dev/null || true
#   PAYMENT_SIM_PORT=8103 ./run.sh   PAYMENT_URL=https://… ./run.sh (the real payment platform: no simulator)
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM
trap stop EXIT
# Whichever ends first (a crash, a kill), stop the others and report its status.
set +e
wait -n "$server" "$worker" $simulator $vneid_simulator $payment_simulator
#   PAYMENT_SIM_PORT=8103 ./run.sh   PAYMENT_URL=https://… ./run.sh (the real payment platform: no simulator)
status=$?
set -e
exit "$status"
