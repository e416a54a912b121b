#!/bin/sh
# Install chuan on a GitHub runner from the action's own checkout (Debian/Ubuntu, sudo).
set -eu
command -v chuan >/dev/null 2>&1 && exit 0
cd "$(dirname "$0")/../.."
SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
$SUDO sh scripts/install-deps.sh
make -j"$(nproc)" all
$SUDO make install PREFIX=/usr/local
