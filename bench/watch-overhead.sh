#!/bin/sh
# The target's throughput with and without `heapwise watch --interval 1s`
# attached by PID (alternating runs on the same process, so warm-up and
# machine noise fall on both sides), and the client's peak RSS.
#   bench/watch-overhead.sh [HEAPWISE] [ROUNDS] [SECONDS]
set -eu
BIN=${1:-build/heapwise}
ROUNDS=${2:-6}
SECONDS_PER_RUN=${3:-15}
HERE=$(cd "$(dirname "$0")" && pwd)
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
node "$HERE/overhead-target.js" "$PORT" >/dev/null &
TARGET=$!
trap 'kill $TARGET 2>/dev/null' EXIT
sleep 2
node "$HERE/overhead-load.js" "$PORT" 5 >/dev/null   # warm-up
without="" with=""
i=0
while [ $i -lt "$ROUNDS" ]; do
    without="$without $(node "$HERE/overhead-load.js" "$PORT" "$SECONDS_PER_RUN")"
    /usr/bin/time -f %M -o /tmp/heapwise-watch-rss "$BIN" watch --pid $TARGET --interval 1s >/dev/null 2>&1 &
    WATCH=$!
    sleep 2   # attached and sampling
    with="$with $(node "$HERE/overhead-load.js" "$PORT" "$SECONDS_PER_RUN")"
    pkill -INT -P $WATCH; wait $WATCH || true   # SIGINT to heapwise: time(1) ignores it
    echo "round $((i + 1)): without $(echo $without | awk '{print $NF}') req/s, with $(echo $with | awk '{print $NF}') req/s, heapwise peak RSS $(cat /tmp/heapwise-watch-rss) KB"
    i=$((i + 1))
done
node -e '
const med = (a) => { a = a.map(Number).sort((x, y) => x - y); const m = a.length >> 1; return a.length % 2 ? a[m] : (a[m - 1] + a[m]) / 2; };
const [wo, w] = [process.argv[1].trim().split(/\s+/), process.argv[2].trim().split(/\s+/)];
const a = med(wo), b = med(w);
console.log(`median throughput: without ${a.toFixed(1)} req/s, with watch --interval 1s ${b.toFixed(1)} req/s: ${((b / a - 1) * 100).toFixed(2)} %`);
' "$without" "$with"
