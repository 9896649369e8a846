#!/usr/bin/env bash
# Front-end files are installed from the npm registry, never committed (DESIGN.md).
# Pages work without them (plain forms); HTMX only makes them smoother. axe-core is for the
# browser tests only (their accessibility checks): pinned with its integrity hash in
# tests/browser/axe/package-lock.json, installed by `npm ci` into var/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX_VERSION="2.0.8"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: pages will work without HTMX; the accessibility tests need axe-core" >&2; exit 0
fi
mkdir -p var/assets

if ! { [ -f var/assets/htmx.min.js ] && grep -q "$HTMX_VERSION" var/assets/.versions 2>/dev/null; }; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  if (cd "$tmp" && npm pack --silent "htmx.org@$HTMX_VERSION" >/dev/null 2>&1); then
    tar -xzf "$tmp"/htmx.org-*.tgz -C "$tmp"
    cp "$tmp/package/dist/htmx.min.js" var/assets/htmx.min.js
    echo "htmx $HTMX_VERSION" > var/assets/.versions
  else
    echo "could not fetch htmx from the npm registry: pages will work without it" >&2
  fi
fi

# The lock is copied next to the install so node_modules stays out of the source tree; a
# changed lock installs again.
lock=tests/browser/axe/package-lock.json
if ! { [ -f var/npm/node_modules/axe-core/axe.min.js ] && cmp -s "$lock" var/npm/package-lock.json; }; then
  rm -rf var/npm && mkdir -p var/npm
  cp tests/browser/axe/package.json tests/browser/axe/.npmrc "$lock" var/npm/
  if ! (cd var/npm && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); then
    echo "could not install axe-core from the npm registry: the accessibility tests cannot run" >&2
    exit 1
  fi
fi
