#!/bin/sh
# Install the tools the benchmarks compare chuan with, only those missing (Debian packages).
set -eu
need=""
command -v xq >/dev/null 2>&1 || command -v xq-python >/dev/null 2>&1 ||
    need="$need yq"                                        # python yq: xq (Debian: xq-python)
command -v xmllint >/dev/null 2>&1 || need="$need libxml2-utils"
[ -x /usr/bin/time ] || need="$need time"
command -v python3 >/dev/null 2>&1 || need="$need python3"
if [ -z "$need" ]; then echo "bench peers: all present"; exit 0; fi
echo "bench peers: installing$need"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends $need
