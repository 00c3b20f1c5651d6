#!/bin/sh
# `make demo`: starts the leaky example service (no --inspect, no code
# change), drives requests at it, and lets `heapwise watch --hunt` find the
# leak: it samples the memory, sees the post-GC heap grow, captures three
# snapshots and prints the leak report. --hunt-allocations records where the
# leaked objects are allocated; it slows the service a lot while on (fine for
# a demo, not for production: docs/leak-findings.md).
set -eu
HEAPWISE=${1:-build/heapwise}
here=$(dirname "$0")
out="$here/out"
mkdir -p "$out"
rm -f "$out"/snapshots/hunt-*.heapsnapshot

node "$here/leaky-server.js" --port 0 > "$out/server.log" 2>&1 &
server=$!
load=""
cleanup() {
  [ -n "$load" ] && kill "$load" 2>/dev/null || true
  kill "$server" 2>/dev/null || true
}
trap cleanup EXIT INT TERM
for _ in $(seq 50); do
  port=$(sed -n 's/.*listening on http:\/\/127.0.0.1:\([0-9]*\).*/\1/p' "$out/server.log")
  [ -n "$port" ] && break
  sleep 0.1
done
echo "leaky-server: PID $server on port $port; driving 200 requests/s at it"
node "$here/drive-load.js" "$port" 200 &
load=$!

echo "\$ heapwise watch --pid $server --interval 500ms --window 5s --warmup 10s --hunt --hunt-allocations --hunt-interval 5s --once"
"$HEAPWISE" watch --pid "$server" --interval 500ms --window 5s --warmup 10s \
  --hunt --hunt-allocations --hunt-interval 5s --snapshot-dir "$out/snapshots" --once
