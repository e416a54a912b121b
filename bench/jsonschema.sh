#!/bin/sh
# JSON Schema validation of NDJSON (issue 3): chuan validate vs ajv 8 (node,
# compile once, JSON.parse + validate per line) and python-jsonschema (validator
# built once), on generated dossier records against bench/gen/hoso.schema.json.
# Reports records/s, MB/s, peak RSS, ratios, and -j 2 against -j 1; peak RSS is
# also measured on a file with a tenth of the records (constant memory).
# Usage: sh bench/jsonschema.sh [RECORDS] [RUNS]
set -u
. bench/lib.sh
records=${1:-1000000}
runs=${2:-3}
schema=bench/gen/hoso.schema.json
big=$BENCH_DIR/hoso-$records.ndjson
small=$BENCH_DIR/hoso-$((records / 10)).ndjson

[ -s "$big" ] || python3 bench/gen/records.py --format ndjson --count "$records" > "$big"
[ -s "$small" ] || head -n $((records / 10)) "$big" > "$small"
bytes=$(fsize "$big")
echo "jsonschema: $records records, $(( bytes / 1000000 )) MB" >&2

measure "chuan validate -j 1" "$runs" "$CHUAN validate -q -j 1 --schema $schema $big"
c1=$MED; c1_rss=$RSS
measure "chuan validate -j 2" "$runs" "$CHUAN validate -q -j 2 --schema $schema $big"
c2=$MED; c2_rss=$RSS
measure "chuan validate -j 1 (a tenth of the records)" 1 "$CHUAN validate -q -j 1 --schema $schema $small"
c_small_rss=$RSS
have_ajv=0; have_py=0
if command -v node >/dev/null 2>&1 && [ -d bench/node_modules/ajv ]; then
    have_ajv=1
    measure "ajv 8 (node)" "$runs" "node bench/jsonschema_ajv.js $schema $big"
    ajv=$MED; ajv_rss=$RSS
fi
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    have_py=1
    measure "python-jsonschema" 1 "/usr/bin/python3 bench/jsonschema_python.py $schema $big"
    py=$MED; py_rss=$RSS
fi
rps() { awk -v n="$records" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }'; }

results_header
{
    echo
    echo "### JSON Schema validation of NDJSON (bench/jsonschema.sh)"
    echo
    echo "$records generated dossier records (bench/gen/records.py --format ndjson), $(( bytes / 1000000 )) MB,"
    echo "schema bench/gen/hoso.schema.json (2020-12); median of $runs runs (python-jsonschema: 1 run);"
    echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo
    echo "| tool | time (s) | records/s | MB/s | peak RSS (KiB) | chuan -j 1 speed-up |"
    echo "|---|---:|---:|---:|---:|---:|"
    echo "| chuan validate -j 1 | $c1 | $(rps "$c1") | $(mbps "$bytes" "$c1") | $c1_rss | |"
    echo "| chuan validate -j 2 | $c2 | $(rps "$c2") | $(mbps "$bytes" "$c2") | $c2_rss | |"
    [ $have_ajv = 1 ] && echo "| ajv 8 (node $(node --version)) | $ajv | $(rps "$ajv") | $(mbps "$bytes" "$ajv") | $ajv_rss | $(ratio "$ajv" "$c1")x |"
    [ $have_py = 1 ] && echo "| python-jsonschema $(/usr/bin/python3 -c 'import jsonschema; print(jsonschema.__version__)' 2>/dev/null) | $py | $(rps "$py") | $(mbps "$bytes" "$py") | $py_rss | $(ratio "$py" "$c1")x |"
    echo
    echo "Targets (issue 3): chuan -j 1 vs ajv $( [ $have_ajv = 1 ] && ratio "$ajv" "$c1" || echo n/a)x (>= 1.5),"
    echo "vs python-jsonschema $( [ $have_py = 1 ] && ratio "$py" "$c1" || echo n/a)x (>= 30); -j 2 vs -j 1 $(ratio "$c1" "$c2")x (>= 1.7);"
    echo "peak RSS $c1_rss KiB for $records records vs $c_small_rss KiB for $((records / 10)) (constant memory)."
} >> "$RESULTS"
