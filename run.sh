#!/usr/bin/env bash
# Install (if needed), migrate, load the seed catalogue and demo data, serve.
#   PORT=8080 ./run.sh      HOST=0.0.0.0 ./run.sh      DATABASE_URL=postgresql+psycopg://… ./run.sh
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure_venv.sh
scripts/fetch_assets.sh || true
.venv/bin/motcua db upgrade
.venv/bin/motcua seed --demo
exec .venv/bin/motcua serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
