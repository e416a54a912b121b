#!/bin/sh
# JSON Schema validation of NDJSON (issue 3): chuan validate vs ajv 8 (node,
# compile once, JSON.parse + validate per line) and python-jsonschema (validator
# built once), on generated dossier records against bench/gen/hoso.schema.json.
# Reports wall time, CPU time (user + system: the machine may be shared),
# records/s, MB/s, peak RSS, ratios, and -j 2 against -j 1; peak RSS is also
# measured on a file with a tenth of the records (constant memory).
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

# measure_cpu NAME RUNS CMD: like measure (MED wall, RSS), plus CPU (median user+sys seconds)
measure_cpu() {
    _name=$1; _runs=$2; shift 2
    _w=""; _c=""; RSS=0; _i=0
    while [ $_i -lt "$_runs" ]; do
        /usr/bin/time -f "%e %U %S %M" -o "$BENCH_DIR/.time" sh -c "$*" >/dev/null 2>"$BENCH_DIR/.err"
        _st=$?
        [ $_st -gt 1 ] && echo "bench: $_name exited $_st: $(tail -3 "$BENCH_DIR/.err")" >&2
        read -r _e _u _s _m < "$BENCH_DIR/.time"
        _w="$_w $_e"; _c="$_c $(awk -v u="$_u" -v s="$_s" 'BEGIN { print u + s }')"
        [ "$_m" -gt "$RSS" ] && RSS=$_m
        _i=$((_i + 1))
    done
    MED=$(printf '%s\n' $_w | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    CPU=$(printf '%s\n' $_c | sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}')
    printf '  %-46s %8.2f s wall %8.2f s cpu %8d KiB\n' "$_name" "$MED" "$CPU" "$RSS" >&2
}
rps() { awk -v n="$records" -v s="$1" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "inf" }'; }
load0=$(cut -d' ' -f1-3 /proc/loadavg)

measure_cpu "chuan validate -j 1" "$runs" "$CHUAN validate -q -j 1 --schema $schema $big"
c1=$MED; c1_cpu=$CPU; c1_rss=$RSS
measure_cpu "chuan validate -j 2" "$runs" "$CHUAN validate -q -j 2 --schema $schema $big"
c2=$MED; c2_cpu=$CPU; c2_rss=$RSS
measure_cpu "chuan validate -j 1 (a tenth of the records)" 1 "$CHUAN validate -q -j 1 --schema $schema $small"
c_small_rss=$RSS
have_ajv=0; have_py=0
if command -v node >/dev/null 2>&1 && [ -d bench/node_modules/ajv ]; then
    have_ajv=1
    measure_cpu "ajv 8 (node)" "$runs" "node bench/jsonschema_ajv.js $schema $big"
    ajv=$MED; ajv_cpu=$CPU; ajv_rss=$RSS
fi
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    have_py=1
    measure_cpu "python-jsonschema" 1 "/usr/bin/python3 bench/jsonschema_python.py $schema $big"
    py=$MED; py_cpu=$CPU; py_rss=$RSS
fi
load1=$(cut -d' ' -f1-3 /proc/loadavg)

results_header
{
    echo
    echo "### JSON Schema validation of NDJSON (bench/jsonschema.sh)"
    echo
    echo "$records generated dossier records (bench/gen/records.py --format ndjson), $(( bytes / 1000000 )) MB,"
    echo "schema bench/gen/hoso.schema.json (2020-12); median of $runs runs (python-jsonschema: 1 run)."
    echo "Load average $load0 at the start and $load1 at the end on $(nproc) cores: wall times"
    echo "include waiting for a CPU, so the CPU column (user + system) is given too."
    echo
    echo "| tool | wall (s) | CPU (s) | records/s (wall) | MB/s (wall) | peak RSS (KiB) | chuan -j 1 speed-up, wall / CPU |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    echo "| chuan validate -j 1 | $c1 | $c1_cpu | $(rps "$c1") | $(mbps "$bytes" "$c1") | $c1_rss | |"
    echo "| chuan validate -j 2 | $c2 | $c2_cpu | $(rps "$c2") | $(mbps "$bytes" "$c2") | $c2_rss | |"
    [ $have_ajv = 1 ] && echo "| ajv 8 (node $(node --version)) | $ajv | $ajv_cpu | $(rps "$ajv") | $(mbps "$bytes" "$ajv") | $ajv_rss | $(ratio "$ajv" "$c1")x / $(ratio "$ajv_cpu" "$c1_cpu")x |"
    [ $have_py = 1 ] && echo "| python-jsonschema $(/usr/bin/python3 -c 'import jsonschema; print(jsonschema.__version__)' 2>/dev/null) | $py | $py_cpu | $(rps "$py") | $(mbps "$bytes" "$py") | $py_rss | $(ratio "$py" "$c1")x / $(ratio "$py_cpu" "$c1_cpu")x |"
    echo
    echo "Targets (issue 3): chuan -j 1 vs ajv $( [ $have_ajv = 1 ] && ratio "$ajv" "$c1" || echo n/a)x wall (>= 1.5),"
    echo "vs python-jsonschema $( [ $have_py = 1 ] && ratio "$py" "$c1" || echo n/a)x wall (>= 30); -j 2 vs -j 1 $(ratio "$c1" "$c2")x wall (>= 1.7);"
    echo "peak RSS $c1_rss KiB for $records records vs $c_small_rss KiB for $((records / 10)) (constant memory)."
} >> "$RESULTS"
