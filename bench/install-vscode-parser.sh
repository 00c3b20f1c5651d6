#!/bin/sh
# Installs VS Code's heap snapshot parser (@vscode/v8-heap-parser 0.1.0) with
# npm into a scratch folder for the side-by-side benchmark; prints the folder.
set -eu
dir=${1:-/tmp/heapwise-vscode-parser}
if [ -f "$dir/node_modules/@vscode/v8-heap-parser/package.json" ]; then
  echo "$dir"
  exit 0
fi
mkdir -p "$dir"
cd "$dir"
[ -f package.json ] || echo '{"private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error @vscode/v8-heap-parser@0.1.0 >&2
echo "$dir"
