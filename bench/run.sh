#!/bin/sh
# `make bench`: heapwise against memlab 2.0.5 side by side on generated
# service-like snapshots (~514 MB and ~1.6 GB), then the >4 GiB synthetic
# snapshot with a known answer. Slow (minutes) and disk-hungry (~9 GB in
# BENCH_DIR); not part of `make test`.
#
#   bench/run.sh [HEAPWISE_BIN]    BENCH_DIR=/tmp/heapwise-bench SIZES="500 1600"
set -eu
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/heapwise}")
dir=${BENCH_DIR:-/tmp/heapwise-bench}
sizes=${SIZES:-500 1600}
mkdir -p "$dir"

memlab=$("$here/install-memlab.sh" "$dir/memlab")
vscode=$("$here/install-vscode-parser.sh" "$dir/vscode")

# Units of gen-service-heap.js per size: ~11.4 nodes and ~950 bytes each.
units_for() { case "$1" in 500) echo 535000 ;; 1600) echo 1650000 ;; *) echo $(( $1 * 1070 )) ;; esac; }

measure() {  # measure LABEL CMD... -> "LABEL seconds peak_MiB cpu_seconds" (cpu: user + system)
  label=$1; shift
  /usr/bin/time -f "%e %M %U %S" -o "$dir/time.txt" "$@" > "$dir/out.txt" 2> "$dir/err.txt" || {
    echo "$label failed:" >&2; cat "$dir/err.txt" >&2; exit 1; }
  read -r secs kb user sys < "$dir/time.txt"
  echo "$label $secs $((kb / 1024)) $(awk -v u="$user" -v s="$sys" 'BEGIN { printf "%.2f", u + s }')"
}

printf '%-10s %9s %12s %12s %10s %10s %8s %8s %11s %9s\n' file size_MB memlab_s heapwise_s speedup memlab_MB heap_MB rss/file memlab_cpu heap_cpu
for size in $sizes; do
  snap="$dir/service-${size}mb.heapsnapshot"
  if [ ! -s "$snap" ]; then
    node --max-old-space-size=22000 "$here/gen-service-heap.js" "$(units_for "$size")" "$snap"
  fi
  bytes=$(stat -c %s "$snap")
  set -- $(measure memlab node --max-old-space-size=22000 "$here/memlab-load.js" "$memlab" "$snap")
  m_s=$2 m_mb=$3 m_cpu=$4
  # VS Code's parser may fail (WebAssembly's 4 GiB memory): then say so and go on.
  if v=$(measure vscode node "$here/vscode-load.js" "$vscode" "$snap" 2>/dev/null); then
    set -- $v
    echo "  VS Code's parser: $2 s (CPU $4 s), peak RSS $3 MiB"
  else
    echo "  VS Code's parser failed: $(grep -m1 -E 'Error|error' "$dir/err.txt"), peak RSS $(($(tail -1 "$dir/time.txt" | cut -d' ' -f2) / 1024)) MiB"
  fi
  # The first analysis (--no-cache: what memlab is compared with), then the
  # same command again through the cache: one run to write it, one to read it.
  set -- $(measure heapwise env HEAPWISE_TIMINGS=1 "$bin" summary --no-cache "$snap")
  h_s=$2 h_mb=$3 h_cpu=$4
  phases=$(grep 'phase' "$dir/err.txt" | sed 's/^heapwise: phase /    /')
  awk -v f="${size}mb" -v b="$bytes" -v ms="$m_s" -v hs="$h_s" -v mm="$m_mb" -v hm="$h_mb" -v mc="$m_cpu" -v hc="$h_cpu" 'BEGIN {
    printf "%-10s %9d %12s %12s %9.1fx %10s %8s %7.2fx %11s %9s\n", f, b / 1e6, ms, hs, ms / hs, mm, hm, hm * 1048576 / b, mc, hc }'
  parse_s=$(grep 'phase parse' "$dir/err.txt" | awk '{print $4}')
  echo "  heapwise phases (parse rate $(awk -v b="$bytes" -v s="$parse_s" 'BEGIN { printf "%.0f", b / 1e6 / s }') MB/s):"
  echo "$phases"
  cache_dir="$dir/cache"
  rm -rf "$cache_dir"
  set -- $(measure cache-write env XDG_CACHE_HOME="$cache_dir" "$bin" summary "$snap")
  echo "  first summary writing the cache: $2 s, peak RSS $3 MiB"
  set -- $(measure cache-read env XDG_CACHE_HOME="$cache_dir" "$bin" summary "$snap")
  echo "  next summary reading the cache: $2 s, peak RSS $3 MiB"
done

echo
echo "heapwise leaks on a series of three ~500 MB snapshots:"
series="$dir/series"
if [ ! -s "$series-final.heapsnapshot" ]; then
  node --max-old-space-size=22000 "$here/gen-service-heap.js" 520000 "$series.heapsnapshot" --series 15000
fi
# Without the cache, as the summaries above: the goal is under 2x one
# summary of the last snapshot.
set -- $(measure leaks "$bin" leaks --no-cache "$series-baseline.heapsnapshot" "$series-target.heapsnapshot" "$series-final.heapsnapshot")
l_s=$2 l_mb=$3
grep -E '^#1|Pattern' "$dir/out.txt" | head -2 | sed 's/^/  /'
set -- $(measure summary "$bin" summary --no-cache "$series-final.heapsnapshot")
echo "  $l_s s, peak RSS $l_mb MiB; one summary of the last snapshot $2 s: $(awk -v l="$l_s" -v s="$2" 'BEGIN { printf "%.1f", l / s }')x"

echo
echo "Leak scenarios, heapwise against memlab find-leaks (planted leak ranked first? groups on controls):"
node "$here/compare-leaks.js" "$bin" "$memlab"

echo
echo "Synthetic snapshot over 4 GiB with a known answer:"
node "$here/check-huge.js" "$bin" "$dir"

echo
echo "Live capture of a ~500 MB snapshot (the client's memory must stay flat):"
BENCH_DIR="$dir" "$here/capture-rss.sh" "$bin" | sed 's/^/  /'

echo
echo "The target's throughput with and without watch --interval 1s:"
"$here/watch-overhead.sh" "$bin" 8 15 2>/dev/null | grep -E '^(round|median)' | sed 's/^/  /'
