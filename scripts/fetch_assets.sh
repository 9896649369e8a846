#!/usr/bin/env bash
# Front-end files are installed from the npm registry, never committed (DESIGN.md).
# Pages work without them (plain forms); HTMX only makes them smoother.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX_VERSION="2.0.8"
mkdir -p var/assets
if [ -f var/assets/htmx.min.js ] && grep -q "$HTMX_VERSION" var/assets/.versions 2>/dev/null; then exit 0; fi
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: pages will work without HTMX" >&2; exit 0
fi
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if (cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null 2>&1); then
  tar -xzf "$tmp"/htmx.org-*.tgz -C "$tmp"
  cp "$tmp/package/dist/htmx.min.js" var/assets/htmx.min.js
  echo "htmx $HTMX_VERSION" > var/assets/.versions
else
  echo "could not fetch htmx from the npm registry: pages will work without it" >&2
fi
