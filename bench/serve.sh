#!/bin/sh
# bench/serve.sh - chuan serve under load (wrk on loopback): requests per second and p50/p99
# latency for a ~10 KB edXML packet (standard edxml) and a ~10 KB DVCQG JSON body (dvc-hoso) at
# concurrency 1, 8 and 64, against what users do without the service, one `chuan validate`
# process per request (run back to back for the same time, interleaved), and the server's RSS
# sampled every second over one 60-second run (flat: no leak). Writes BENCH_RESULTS (default
# bench/RESULTS-serve.md). Environment: DURATION (seconds per point, default 10), SOAK (60).
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
command -v wrk >/dev/null 2>&1 || { echo "bench/serve: wrk missing (apt-get install wrk)" >&2; exit 2; }
DURATION=${DURATION:-10}
SOAK=${SOAK:-60}
OUT=${BENCH_RESULTS:-bench/RESULTS-serve.md}
D=$BENCH_DIR
edxml=standards/edxml/fixtures/valid/thaythe.xml
json=$D/serve-dvc.json
[ -s "$json" ] || python3 bench/gen/records.py --format json --count 8 > "$json"
port_file=$D/serve.port
rm -f "$port_file"
"$CHUAN" serve --listen 127.0.0.1:0 --port-file "$port_file" --access-log /dev/null 2>"$D/serve.err" &
pid=$!
trap 'kill $pid 2>/dev/null' EXIT
for _ in $(seq 100); do [ -s "$port_file" ] && break; sleep 0.1; done
port=$(cat "$port_file")
base=http://127.0.0.1:$port
rows=""
one() { # NAME URL PAYLOAD CTYPE CONNS
    PAYLOAD=$3 CTYPE=$4 wrk -t "$(( $5 < 2 ? 1 : 2 ))" -c "$5" -d "${DURATION}s" -s bench/serve_post.lua "$2" |
        grep '^RESULT' || echo "RESULT 0 0 0 0 0 0"
}
proc_rps() { # STANDARD FILE: chuan validate once per request, back to back, for DURATION seconds
    n=0; t0=$(date +%s.%N)
    end=$(awk -v t="$t0" -v d="$DURATION" 'BEGIN { printf "%.3f", t + d }')
    while [ "$(date +%s.%N | awk -v e="$end" '{ print ($1 < e) }')" = 1 ]; do
        "$CHUAN" validate -q -s "$1" "$2" >/dev/null 2>&1; n=$((n + 1))
    done
    awk -v n="$n" -v t0="$t0" -v t1="$(date +%s.%N)" 'BEGIN { printf "%.1f", n / (t1 - t0) }'
}
table=""
for kind in edxml dvc; do
    if [ $kind = edxml ]; then f=$edxml; ct=application/xml; std=edxml; else f=$json; ct=application/json; std=dvc-hoso; fi
    pp=$(proc_rps "$std" "$f")
    for c in 1 8 64; do
        set -- $(one "$kind" "$base/v1/validate?standard=$std" "$f" "$ct" "$c")
        # RESULT requests duration p50 p99 rps errors
        table="$table| $kind ($(fsize "$f") B) | $c | $6 | $4 ms | $5 ms | $(ratio "$6" "$pp")x | $7 |
"
        echo "  serve $kind c=$c: $6 req/s, p50 $4 ms, p99 $5 ms (process per request: $pp/s)" >&2
    done
    table="$table| $kind ($(fsize "$f") B) | process per request | $pp/s | | | 1x | |
"
done
# soak: RSS of the server every second while wrk runs at concurrency 8
rss_first=""; rss_max=0; rss_last=0
PAYLOAD=$edxml CTYPE=application/xml wrk -t 2 -c 8 -d "${SOAK}s" -s bench/serve_post.lua "$base/v1/validate?standard=edxml" > "$D/soak.txt" &
wpid=$!
i=0
while kill -0 $wpid 2>/dev/null; do
    r=$(awk '/VmRSS/ {print $2}' /proc/$pid/status)
    [ -z "$rss_first" ] && [ $i -ge 2 ] && rss_first=$r
    [ "$r" -gt "$rss_max" ] && rss_max=$r
    rss_last=$r; i=$((i + 1)); sleep 1
done
soak=$(grep '^RESULT' "$D/soak.txt")
{
    echo "# chuan serve under load"
    echo
    echo "Written by \`bench/serve.sh\` on $(date -u '+%Y-%m-%d %H:%M UTC'), chuan $(git rev-parse --short HEAD),"
    echo "$(nproc) cores ($(cpu_model)), load average $(loadavg) at the end. wrk on loopback, ${DURATION} s per point;"
    echo "\"process per request\" runs \`chuan validate -q -s STD FILE\` back to back for the same time."
    echo
    echo "| payload | concurrency | requests/s | p50 | p99 | vs process per request | errors |"
    echo "|---|---:|---:|---:|---:|---:|---:|"
    printf '%s' "$table"
    echo
    echo "Soak: ${SOAK} s at concurrency 8 (${soak#RESULT }: requests, µs, p50 ms, p99 ms, req/s, errors);"
    echo "server RSS $(kib "${rss_first:-0}") after 2 s, $(kib "$rss_last") at the end, $(kib "$rss_max") at most."
} > "$OUT"
echo "bench/serve: results in $OUT" >&2
