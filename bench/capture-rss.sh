#!/bin/sh
# The client's peak RSS while it captures a big snapshot from a live process
# (it must stay flat: chunks are streamed to disk, never held).
#   bench/capture-rss.sh [HEAPWISE] [RECORDS]   (2,400,000 records: a ~500 MB snapshot)
set -eu
BIN=${1:-build/heapwise}
RECORDS=${2:-2400000}
HERE=$(cd "$(dirname "$0")" && pwd)
OUT=${BENCH_DIR:-/tmp}/capture-rss.heapsnapshot
node "$HERE/../tests/fixtures/live-target.js" "$RECORDS" > /tmp/capture-rss-target.out &
TARGET=$!
trap 'kill $TARGET 2>/dev/null; rm -f "$OUT"' EXIT
while ! grep -q ready /tmp/capture-rss-target.out; do sleep 0.2; done
/usr/bin/time -f "%e s, client peak RSS %M KB" "$BIN" snapshot --pid "$TARGET" -o "$OUT" 2>&1 | tail -1
echo "snapshot: $(stat -c %s "$OUT") bytes"
