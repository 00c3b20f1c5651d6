#!/bin/sh
# `make demo`: runs the leaky example service, writes a heap snapshot of it,
# and shows what heapwise says about it.
set -eu
HEAPWISE=${1:-build/heapwise}
here=$(dirname "$0")
out="$here/out"
mkdir -p "$out"
snapshot="$out/leaky-server.heapsnapshot"

node "$here/leaky-server.js" --requests 3000 --snapshot "$snapshot"
echo
echo "\$ heapwise summary $snapshot --top 15"
"$HEAPWISE" summary "$snapshot" --top 15
echo
echo "\$ heapwise stats $snapshot"
"$HEAPWISE" stats "$snapshot"
