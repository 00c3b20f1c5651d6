#!/bin/sh
# Runs the live and browser tests RUNS times in a row on a busy machine (by
# default one busy loop per core beside them; BUSY_LOOPS=0 when something
# else loads the machine, e.g. `make fuzz`) and prints how many runs passed.
# Tests that race the code instead of waiting for events fail here first.
#   [BUSY_LOOPS=N] scripts/stress-tests.sh [BUILD_DIR] [RUNS] [LABEL_REGEX]
# The log of each failed run is kept as BUILD_DIR/stress-run-N.log.
set -eu
build=${1:-build}
runs=${2:-20}
labels=${3:-live|browser}
[ -f "$build/CTestTestfile.cmake" ] || { echo "stress-tests: no build in $build (run 'make build' first)" >&2; exit 2; }

hogs=""
for _ in $(seq "${BUSY_LOOPS:-$(nproc)}"); do
    sh -c 'while :; do :; done' &
    hogs="$hogs $!"
done
# A trap replaces the default action: INT and TERM must still end the series
# (after the run in progress, which the shell waits for).
trap 'kill $hogs 2>/dev/null' EXIT
trap 'exit 130' INT TERM

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
echo "stress: $passed/$runs runs of the tests labelled '$labels' passed beside ${BUSY_LOOPS:-$(nproc)} busy loops"
[ "$passed" -eq "$runs" ]
