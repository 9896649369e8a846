#!/usr/bin/env bash
# Front-end files are installed from the npm registry, never committed (DESIGN.md).
# Pages work without them (plain forms); HTMX only makes them smoother, and Chart.js draws the
# report tables as charts (docs/reports.md, "Charts"; the tables stay). axe-core is for the
# browser tests only (their accessibility checks): pinned here by exact version (no lock file
# is committed: a lock names download hosts), fetched with `npm pack` into var/npm.
set -euo pipefail
cd "$(dirname "$0")/.."
HTMX_VERSION="2.0.8"
CHARTJS_VERSION="4.6.1"
AXE_VERSION="4.14.1"
if ! command -v npm >/dev/null 2>&1; then
  echo "npm not found: pages will work without HTMX and charts; the accessibility tests need axe-core" >&2; exit 0
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

# Chart.js: its UMD bundle (no dependency left to load), served as /assets/chart.umd.min.js.
if ! { [ -f var/assets/chart.umd.min.js ] && grep -qx "$CHARTJS_VERSION" var/assets/.chartjs-version 2>/dev/null; }; then
  tmp_chart=$(mktemp -d)
  if (cd "$tmp_chart" && npm pack --silent "chart.js@$CHARTJS_VERSION" >/dev/null 2>&1); then
    tar -xzf "$tmp_chart"/chart.js-*.tgz -C "$tmp_chart"
    cp "$tmp_chart/package/dist/chart.umd.min.js" var/assets/chart.umd.min.js
    echo "$CHARTJS_VERSION" > var/assets/.chartjs-version
  else
    echo "could not fetch Chart.js from the npm registry: report pages will show their tables only" >&2
  fi
  rm -rf "$tmp_chart"
fi

# Unpacked where the tests look (var/npm/node_modules/axe-core); a changed version installs again.
axe=var/npm/node_modules/axe-core
if ! { [ -f "$axe/axe.min.js" ] && grep -qx "$AXE_VERSION" "$axe/.version" 2>/dev/null; }; then
  tmp_axe=$(mktemp -d)
  if (cd "$tmp_axe" && npm pack --silent "axe-core@$AXE_VERSION" >/dev/null 2>&1); then
    rm -rf var/npm && mkdir -p "$axe"
    tar -xzf "$tmp_axe"/axe-core-*.tgz -C "$axe" --strip-components=1
    echo "$AXE_VERSION" > "$axe/.version"
    rm -rf "$tmp_axe"
  else
    rm -rf "$tmp_axe"
    echo "could not install axe-core from the npm registry: the accessibility tests cannot run" >&2
    exit 1
  fi
fi
