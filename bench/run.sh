#!/bin/sh
# Run every benchmark script bench/<area>.sh (each appends its section to bench/RESULTS.md).
cd "$(dirname "$0")/.."
sh bench/install-peers.sh || exit 2
st=0
for b in bench/*.sh; do
    case $(basename "$b") in run.sh|install-peers.sh) continue ;; esac
    sh "$b" || st=1
done
exit $st
