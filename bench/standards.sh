#!/bin/sh
# Standard packages (issue 6): validating NDJSON records against the dvc-hoso package (its model,
# every rule and the vocabulary: code lists, check digits, dates, comparisons) versus plain JSON
# Schema validation of the same records (bench/gen/hoso.schema.json), by the same binary.
# Target: the standard runs at >= 50% of the plain throughput.
# Usage: sh bench/standards.sh [RECORDS] [RUNS]
set -u
. bench/lib.sh
records=${1:-1000000}
runs=${2:-3}
data=$BENCH_DIR/hoso-$records.ndjson
schema=bench/gen/hoso.schema.json
std=standards/dvc-hoso
[ -f "$std/standard.json" ] || std=dvc-hoso

[ -s "$data" ] || python3 bench/gen/records.py --format ndjson --count "$records" > "$data"
bytes=$(fsize "$data")
echo "standards: $records records, $(( bytes / 1000000 )) MB" >&2

# CPU seconds (user + system) of one run: steadier than wall time on a shared machine.
cpu() { /usr/bin/time -f "%U %S" -o "$BENCH_DIR/.cpu" sh -c "$*" >/dev/null 2>&1
        awk '{printf "%.2f", $1 + $2}' "$BENCH_DIR/.cpu"; }

measure "chuan validate --schema (plain JSON Schema)" "$runs" "$CHUAN validate -q -j 1 --schema $schema $data || true"
p_med=$MED; p_rss=$RSS; p_cpu=$(cpu "$CHUAN validate -q -j 1 --schema $schema $data || true")
measure "chuan validate -s dvc-hoso (all rules)" "$runs" "$CHUAN validate -q -j 1 -s $std $data || true"
s_med=$MED; s_rss=$RSS; s_cpu=$(cpu "$CHUAN validate -q -j 1 -s $std $data || true")
# what the records give under the standard (the generator's data are not all valid for it)
summary=$($CHUAN validate -q -j 1 --max-errors 1 -s $std $data 2>/dev/null | tail -1)

results_header
cat >> "$RESULTS" <<EOT

### Standard packages: dvc-hoso vs plain JSON Schema (bench/standards.sh)

$records NDJSON dossier records (bench/gen/records.py, $(( bytes / 1000000 )) MB), one worker (-j 1) so that
both runs use the same streaming path; median of $runs runs, CPU = user + system seconds of one more run.
Under dvc-hoso the records give: $summary

| validation | time (s) | MB/s | records/s | CPU (s) | peak RSS (KiB) |
|---|---:|---:|---:|---:|---:|
| plain JSON Schema (hoso.schema.json) | $p_med | $(mbps "$bytes" "$p_med") | $(awk -v n="$records" -v s="$p_med" 'BEGIN{printf "%.0f", n/s}') | $p_cpu | $p_rss |
| standard dvc-hoso, all rules | $s_med | $(mbps "$bytes" "$s_med") | $(awk -v n="$records" -v s="$s_med" 'BEGIN{printf "%.0f", n/s}') | $s_cpu | $s_rss |

Throughput of the standard relative to plain JSON Schema: $(ratio "$p_med" "$s_med") by wall time,
$(ratio "$p_cpu" "$s_cpu") by CPU time (target >= 0.50).
EOT
