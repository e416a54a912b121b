#!/bin/sh
# JSON reader: chuanp_json_parse vs jansson json_loadb, one parse per NDJSON
# line, in one process (bench/json_parse_bench.c), issue 3 item 1.
# Usage: sh bench/json.sh [RECORDS] [ROUNDS]
set -u
. bench/lib.sh
records=${1:-100000}
rounds=${2:-3}
data=$BENCH_DIR/hoso-$records.ndjson
bin=build/json_parse_bench

[ -s "$data" ] || python3 bench/gen/records.py --format ndjson --count "$records" > "$data"
[ -f build/libchuan.a ] || make
# jansson is the peer here only (chuan itself does not use it): install it for the comparison.
if ! pkg-config --exists jansson; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libjansson-dev \
        >/dev/null || { echo "bench: the peer jansson (libjansson-dev) cannot be installed" >&2; exit 2; }
fi
cc -O2 -Iinclude -Icore -Iconverters -o "$bin" bench/json_parse_bench.c build/libchuan.a \
    $(pkg-config --libs jansson libxml-2.0 libpcre2-8 libutf8proc) -lpthread -lm \
    || { echo "bench: cannot build $bin" >&2; exit 2; }
out=$("$bin" "$data" "$rounds") || { echo "bench: $bin failed" >&2; exit 2; }
printf '%s\n' "$out" >&2

results_header
cat >> "$RESULTS" <<EOT

### JSON reader (bench/json.sh)

$records NDJSON dossier records from bench/gen/records.py, parsed line by line in one process
(best of $rounds rounds each; arena reset per record for chuan, json_decref per record for jansson).

\`\`\`
$out
\`\`\`

Target (issue 3): chuanp_json_parse >= 250 MB/s on this machine.
EOT
