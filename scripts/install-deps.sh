#!/bin/sh
# Installs the Debian packages heapwise needs to build (and, with the
# argument "test", to run every test: clang-format for the format check,
# clang and its libFuzzer for the sanitizer build with the fuzz targets,
# node-typescript (tsc) for the TypeScript scenario, Debian's chromium for
# the dashboard's browser test and, from npm, that
# test's driver playwright-core). Installs
# only what is missing, so running it again is cheap. Needs root (or sudo)
# when anything is missing.
set -eu
cd "$(dirname "$0")/.."

PACKAGES="cmake ninja-build g++ make pkg-config libgtest-dev nlohmann-json3-dev zlib1g-dev libboost-dev"

missing=""
# Node.js may come from another packaging (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm), so ask for the commands, not the packages.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
[ "${1:-}" = test ] && PACKAGES="$PACKAGES chromium clang-format node-typescript clang libclang-rt-14-dev"
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

if [ -n "$missing" ]; then
    echo "heapwise: installing Debian packages:$missing" >&2
    SUDO=""
    [ "$(id -u)" -ne 0 ] && SUDO="sudo"
    export DEBIAN_FRONTEND=noninteractive
    $SUDO apt-get update -qq
    # shellcheck disable=SC2086
    $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

# The browser test's driver, pinned by web/package-lock.json (it uses the
# chromium above; it never downloads a browser of its own).
if [ "${1:-}" = test ] && [ ! -d web/node_modules/playwright-core ]; then
    echo "heapwise: installing web/ test dependencies with npm" >&2
    (cd web && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
fi
