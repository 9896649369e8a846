#!/usr/bin/env bash
# Create .venv and install motcua (and optional extras) pinned by constraints.txt.
# Re-installs only when pyproject.toml or constraints.txt changed.
set -euo pipefail
cd "$(dirname "$0")/.."
extras="${1:-}"
PYTHON="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=".venv/.motcua-installed${extras:+-$extras}"
digest=$(cat pyproject.toml constraints.txt | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$digest" ]; then
  spec="."
  [ -n "$extras" ] && spec=".[$extras]"
  .venv/bin/pip install --quiet --disable-pip-version-check -c constraints.txt -e "$spec"
  echo "$digest" > "$stamp"
fi
