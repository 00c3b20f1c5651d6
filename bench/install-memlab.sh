#!/bin/sh
# Installs memlab 2.0.5 with npm into a scratch folder (default
# /tmp/heapwise-memlab) for the side-by-side benchmarks. No browser download.
set -eu
dir=${1:-/tmp/heapwise-memlab}
if [ -f "$dir/node_modules/memlab/package.json" ] && grep -q '"version": "2.0.5"' "$dir/node_modules/memlab/package.json"; then
  echo "$dir"
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"private":true}' > package.json
PUPPETEER_SKIP_DOWNLOAD=1 npm install --no-audit --no-fund --loglevel=error memlab@2.0.5 >&2
echo "$dir"
