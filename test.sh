#!/usr/bin/env bash
# Install the test extras and run the whole suite (SQLite and a real PostgreSQL server
# the harness starts itself; browser tests in Debian's chromium). Extra args go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
scripts/ensure_venv.sh test
scripts/fetch_assets.sh || true
.venv/bin/ruff check motcua tests bench
# Two workers by default (pyproject's addopts; the CI machine has 2 cores); PYTEST_WORKERS=0
# runs in one process.
exec .venv/bin/python -m pytest -n "${PYTEST_WORKERS:-2}" "$@"
