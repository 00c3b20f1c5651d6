#!/bin/sh
# Runs the live and browser tests RUNS times in a row on a busy machine (one
# busy loop per core beside them) and prints how many runs passed. Tests
# that race the code instead of waiting for events fail here first.
#   scripts/stress-tests.sh [BUILD_DIR] [RUNS] [LABEL_REGEX]
# The log of each failed run is kept as BUILD_DIR/stress-run-N.log.
set -eu
build=${1:-build}
runs=${2:-20}
labels=${3:-live|browser}
[ -f "$build/CTestTestfile.cmake" ] || { echo "stress-tests: no build in $build (run 'make build' first)" >&2; exit 2; }

hogs=""
for _ in $(seq "$(nproc)"); do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!"
done
trap 'kill $hogs 2>/dev/null' EXIT INT TERM

passed=0
for i in $(seq "$runs"); do
    log="$build/stress-run-$i.log"
    start=$(date +%s)
    if (cd "$build" && ctest -L "$labels" -j "$(nproc)" --output-on-failure) > "$log" 2>&1; then
        passed=$((passed + 1))
        rm -f "$log"
        echo "run $i: passed ($(($(date +%s) - start)) s)"
    else
        echo "run $i: FAILED ($(($(date +%s) - start)) s): $(grep -E '\*\*\*|Failed' "$log" | tr '\n' ' ')"
    fi
done
echo "stress: $passed/$runs runs of the tests labelled '$labels' passed beside $(nproc) busy loops"
[ "$passed" -eq "$runs" ]
