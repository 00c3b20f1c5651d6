#!/bin/sh
# Installs the Debian packages heapwise needs to build and test; installs only
# what is missing, so running it again is cheap. Needs root (or sudo) when
# anything is missing.
set -eu

PACKAGES="cmake ninja-build g++ make pkg-config libgtest-dev nlohmann-json3-dev zlib1g-dev libboost-dev libcpp-httplib-dev"

missing=""
# Node.js may come from another packaging (NodeSource's nodejs bundles npm and
# conflicts with Debian's npm), so ask for the commands, not the packages.
command -v node >/dev/null 2>&1 || missing="$missing nodejs"
command -v npm >/dev/null 2>&1 || missing="$missing npm"
for pkg in $PACKAGES; do
    if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
        missing="$missing $pkg"
    fi
done

[ -z "$missing" ] && exit 0

echo "heapwise: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
