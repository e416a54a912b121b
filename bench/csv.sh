#!/bin/sh
# CSV: chuan convert / validate vs Miller and csvkit, issue 5.
#   CSV -> NDJSON, CSV -> JSON, NDJSON -> CSV on one generated file >= 500 MB,
#   Table Schema validation of the same file, and the floor `wc -l`.
#   csvkit's csvjson is timed on a 20 MB prefix (it runs at well under 1 MB/s).
# Usage: sh bench/csv.sh [RECORDS] [RUNS]
set -u
. bench/lib.sh
records=${1:-1300000}
runs=${2:-3}
big=$BENCH_DIR/records-big.csv
nd=$BENCH_DIR/records-big.ndjson
small=$BENCH_DIR/records-20mb.csv
schema=bench/gen/hoso.tableschema.json

[ -s "$big" ] || python3 bench/gen/records.py --format csv --count "$records" > "$big"
# the NDJSON input is the same records (flat objects), so every tool writes the same columns
[ -s "$nd" ] || $CHUAN convert --from csv --to ndjson -o "$nd" "$big"
# a 20 MB prefix cut at a record boundary (the generator writes one line per record)
[ -s "$small" ] || head -c 20000000 "$big" | sed '$d' > "$small"
bytes=$(fsize "$big")
ndbytes=$(fsize "$nd")
sbytes=$(fsize "$small")
echo "csv: $(( bytes / 1000000 )) MB CSV, $(( ndbytes / 1000000 )) MB NDJSON, prefix $(( sbytes / 1000000 )) MB" >&2

measure "wc -l (floor)" "$runs" "wc -l $big"
wc_t=$MED; wc_rss=$RSS
jobs=$(nproc)
measure "chuan convert CSV -> NDJSON -j 1" "$runs" "$CHUAN convert -j 1 --from csv --to ndjson -o /dev/null $big"
c_nd1=$MED; c_nd1_rss=$RSS
# the default: every core (one large file is cut into chunks)
measure "chuan convert CSV -> NDJSON -j $jobs" "$runs" "$CHUAN convert -j $jobs --from csv --to ndjson -o /dev/null $big"
c_nd=$MED; c_nd_rss=$RSS
measure "chuan convert CSV -> NDJSON -j $jobs (20 MB prefix)" "$runs" "$CHUAN convert -j $jobs --from csv --to ndjson -o /dev/null $small"
c_nd_small_rss=$RSS
measure "mlr --icsv --ojsonl cat" 1 "mlr --icsv --ojsonl cat $big"
m_nd=$MED; m_nd_rss=$RSS
measure "chuan convert CSV -> JSON" "$runs" "$CHUAN convert --from csv --to json -o /dev/null $big"
c_js=$MED; c_js_rss=$RSS
measure "mlr --icsv --ojson cat" 1 "mlr --icsv --ojson cat $big"
m_js=$MED; m_js_rss=$RSS
measure "chuan convert NDJSON -> CSV" "$runs" "$CHUAN convert --from ndjson --to csv -o /dev/null $nd"
c_cs=$MED; c_cs_rss=$RSS
measure "mlr --ijsonl --ocsv cat" 1 "mlr --ijsonl --ocsv cat $nd"
m_cs=$MED; m_cs_rss=$RSS
# the generated file repeats some MaHoSo values: validation finds them and exits 1
measure "chuan validate --schema (Table Schema)" "$runs" "$CHUAN validate -q --max-errors 100 --schema $schema $big || [ \$? -eq 1 ]"
c_ts=$MED; c_ts_rss=$RSS
measure "chuan convert CSV -> JSON (20 MB prefix)" "$runs" "$CHUAN convert --from csv --to json -o /dev/null $small"
c_js_small=$MED
measure "csvjson --no-inference (20 MB prefix)" 1 "csvjson --no-inference $small"
k_js=$MED; k_js_rss=$RSS

results_header
cat >> "$RESULTS" <<EOT

### CSV conversion and Table Schema validation (bench/csv.sh)

Generated dossier records (bench/gen/records.py --format csv, $records records, $(( bytes / 1000000 )) MB,
CRLF, Vietnamese text); the NDJSON input is the same records converted by chuan ($(( ndbytes / 1000000 )) MB).
Median of $runs runs for chuan and wc, 1 run for Miller and csvkit; peak RSS is the maximum over the runs.
Output to /dev/null (chuan) or a pipe to /dev/null (peers).

| case | tool | time (s) | MB/s | peak RSS (KiB) | chuan speed-up |
|---|---|---:|---:|---:|---:|
| floor | wc -l | $wc_t | $(mbps "$bytes" "$wc_t") | $wc_rss | |
| CSV -> NDJSON | chuan convert -j 1 | $c_nd1 | $(mbps "$bytes" "$c_nd1") | $c_nd1_rss | |
| | chuan convert -j $jobs (default) | $c_nd | $(mbps "$bytes" "$c_nd") | $c_nd_rss | |
| | mlr --icsv --ojsonl cat | $m_nd | $(mbps "$bytes" "$m_nd") | $m_nd_rss | $(ratio "$m_nd" "$c_nd")x |
| CSV -> JSON | chuan convert | $c_js | $(mbps "$bytes" "$c_js") | $c_js_rss | |
| | mlr --icsv --ojson cat | $m_js | $(mbps "$bytes" "$m_js") | $m_js_rss | $(ratio "$m_js" "$c_js")x |
| CSV -> JSON, $(( sbytes / 1000000 )) MB prefix | chuan convert | $c_js_small | $(mbps "$sbytes" "$c_js_small") | | |
| | csvjson --no-inference | $k_js | $(mbps "$sbytes" "$k_js") | $k_js_rss | $(ratio "$k_js" "$c_js_small")x |
| NDJSON -> CSV | chuan convert | $c_cs | $(mbps "$ndbytes" "$c_cs") | $c_cs_rss | |
| | mlr --ijsonl --ocsv cat | $m_cs | $(mbps "$ndbytes" "$m_cs") | $m_cs_rss | $(ratio "$m_cs" "$c_cs")x |
| Table Schema (bench/gen/hoso.tableschema.json) | chuan validate | $c_ts | $(mbps "$bytes" "$c_ts") | $c_ts_rss | |

Targets (issue 5), chuan with its default -j $jobs: CSV -> NDJSON $(ratio "$m_nd" "$c_nd")x Miller's throughput (target >= 10) with
1/$(ratio "$m_nd_rss" "$c_nd_rss") of its peak memory (target <= 1/10); $(ratio "$c_nd" "$wc_t")x the time of
\`wc -l\` (target <= 5; -j 1: $(ratio "$c_nd1" "$wc_t")x); peak RSS $c_nd_rss KiB on $(( bytes / 1000000 )) MB vs $c_nd_small_rss KiB on the
$(( sbytes / 1000000 )) MB prefix (independent of file size). The Table Schema run keeps every distinct
MaHoSo (unique + primaryKey), so its memory grows with distinct keys, not with the file.
EOT
