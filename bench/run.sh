#!/bin/sh
# Run every benchmark (bench/<area>.sh) in one go; each appends a section to
# bench/RESULTS.md. Peers are installed by bench/install-peers.sh.
set -u
cd "$(dirname "$0")/.."
[ -x build/chuan ] || make
sh bench/install-peers.sh
for b in bench/xml.sh bench/json.sh bench/jsonschema.sh bench/convert.sh bench/csv.sh bench/standards.sh bench/legacy-decode.sh bench/legacy.sh; do
    [ -f "$b" ] || continue
    echo "== $b" >&2
    sh "$b" || echo "bench: $b failed" >&2
done
echo "results appended to bench/RESULTS.md" >&2
