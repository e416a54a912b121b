#!/bin/sh
# bench/convert.sh - chuan convert against xq (python yq) and the parse-only floor
# `xmllint --stream --noout`, in one run:
#   1. XML -> NDJSON of one >= 200 MB generated file (--record /DanhSachHoSo/HoSo)
#   2. XML -> JSON of 2,000 small files (one dossier each)
# Reports median wall time, MB/s, peak RSS and ratios; appends a section to bench/RESULTS.md.
#
# Environment: CHUAN (default build/chuan), BENCH_DATA (generated data, default
# /tmp/chuan-bench-convert), BIG_COUNT (records in the big file, default 120000 = ~215 MB),
# RUNS (repetitions, default 3), XQ_BIG_MB (xq reads a slice of this many MB of the big file,
# default 20: xq holds the whole document in memory; XQ_BIG_MB=0 gives it the whole file),
# XQ_FILES (small files converted by xq one process each, default 100; the time is scaled
# to 2,000).
set -eu
cd "$(dirname "$0")/.."
CHUAN=${CHUAN:-build/chuan}
DATA=${BENCH_DATA:-/tmp/chuan-bench-convert}
BIG_COUNT=${BIG_COUNT:-120000}
RUNS=${RUNS:-3}
XQ_BIG_MB=${XQ_BIG_MB:-20}
XQ_FILES=${XQ_FILES:-100}
OUT=${BENCH_RESULTS:-bench/RESULTS.md}
# Debian's yq package installs xq as xq-python
XQ=${XQ:-$(command -v xq || command -v xq-python || true)}
[ -n "$XQ" ] || { echo "bench/convert.sh: xq missing: sh bench/install-peers.sh" >&2; exit 2; }
command -v xmllint >/dev/null || { echo "bench/convert.sh: xmllint missing" >&2; exit 2; }
[ -x "$CHUAN" ] || { echo "bench/convert.sh: build chuan first (make)" >&2; exit 2; }
mkdir -p "$DATA"

big=$DATA/big-$BIG_COUNT.xml
if [ ! -s "$big" ]; then
    echo "generating $big ($BIG_COUNT records)..."
    python3 bench/gen/records.py --format xml --count "$BIG_COUNT" --seed 1 > "$big.tmp" && mv "$big.tmp" "$big"
fi
small=$DATA/small
if [ ! -d "$small" ] || [ "$(ls "$small" | wc -l)" -ne 2000 ]; then
    echo "generating 2,000 small files..."
    rm -rf "$small"
    python3 bench/gen/records.py --format xml --count 2000 --seed 2 --split "$small" --per-file 1
fi
big_mb=$(du -m "$big" | cut -f1)
big_bytes=$(wc -c < "$big")
small_bytes=$(cat "$small"/*.xml | wc -c)

# run NAME CMD...: RUNS repetitions; prints "median_seconds max_rss_kib"
run() {
    name=$1; shift
    times=""; rss=0
    i=0
    while [ $i -lt "$RUNS" ]; do
        /usr/bin/time -f "%e %M" -o "$DATA/time.txt" sh -c "$*" > /dev/null 2>"$DATA/err.txt" ||
            { echo "$name failed:" >&2; cat "$DATA/err.txt" >&2; exit 1; }
        read -r t m < "$DATA/time.txt"
        times="$times $t"
        [ "$m" -gt "$rss" ] && rss=$m
        i=$((i + 1))
    done
    med=$(printf '%s\n' $times | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
    echo "$med $rss"
}

echo "1. XML -> NDJSON, $big_mb MB ($BIG_COUNT records), $RUNS runs each"
set -- $(run xmllint "xmllint --stream --noout '$big'"); floor_t=$1; floor_m=$2
set -- $(run chuan "'$CHUAN' convert --to ndjson --record /DanhSachHoSo/HoSo '$big' > '$DATA/big.ndjson'")
chuan_t=$1; chuan_m=$2
if [ "$XQ_BIG_MB" -gt 0 ]; then
    # a well-formed slice: the first records up to XQ_BIG_MB, closed
    slice=$DATA/slice-$XQ_BIG_MB.xml
    if [ ! -s "$slice" ]; then
        head -c $((XQ_BIG_MB * 1024 * 1024)) "$big" | sed '$d' | awk '/<\/HoSo>/{n=NR} {l[NR]=$0} END {for (i=1;i<=n;i++) print l[i]; print "</DanhSachHoSo>"}' > "$slice"
    fi
    xq_in=$slice
else
    xq_in=$big
fi
xq_bytes=$(wc -c < "$xq_in")
set -- $(RUNS=1 run xq "$XQ -c '.DanhSachHoSo.HoSo[]' '$xq_in'"); xq_t=$1; xq_m=$2

echo "2. XML -> JSON, 2,000 small files ($((small_bytes / 1024)) KiB)"
set -- $(run chuan-small "rm -rf '$DATA/out-chuan' && '$CHUAN' convert --to json --no-progress -j 2 --out-dir '$DATA/out-chuan' '$small'")
cs_t=$1; cs_m=$2
set -- $(run chuan-small-j1 "rm -rf '$DATA/out-chuan' && '$CHUAN' convert --to json --no-progress -j 1 --out-dir '$DATA/out-chuan' '$small'")
cs1_t=$1; cs1_m=$2
set -- $(run xmllint-small "xmllint --stream --noout '$small'/*.xml"); fs_t=$1; fs_m=$2
ls "$small"/*.xml | head -n "$XQ_FILES" > "$DATA/xq-files.txt"
mkdir -p "$DATA/out-xq"
set -- $(RUNS=1 run xq-small "while read -r f; do $XQ . \"\$f\" > '$DATA/out-xq/'\$(basename \"\$f\" .xml).json; done < '$DATA/xq-files.txt'")
xqs_t=$1; xqs_m=$2
set -- $(RUNS=1 run xq-small-one "$XQ -c . '$small'/*.xml"); xq1_t=$1; xq1_m=$2

mbs() { awk -v b="$1" -v t="$2" 'BEGIN { printf "%.1f", (t > 0 ? b / 1048576 / t : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }
xqs_2000=$(awk -v t="$xqs_t" -v n="$XQ_FILES" 'BEGIN { printf "%.2f", t * 2000 / n }')
xq_rate=$(mbs "$xq_bytes" "$xq_t")
xq_big_est=$(awk -v b="$big_bytes" -v r="$xq_rate" 'BEGIN { printf "%.1f", (r > 0 ? b / 1048576 / r : 0) }')

{
    echo
    echo "## convert ($(date -u +%Y-%m-%d), $(nproc) cores, $(uname -m))"
    echo
    echo "XML -> NDJSON of a $big_mb MB file ($BIG_COUNT dossiers, bench/gen/records.py --format xml),"
    echo "median of $RUNS runs (xq: 1 run on the first $((xq_bytes / 1048576)) MB, see XQ_BIG_MB):"
    echo
    echo "| tool | command | median s | MB/s | peak RSS MiB | time vs chuan |"
    echo "|---|---|---|---|---|---|"
    echo "| chuan | \`convert --to ndjson --record /DanhSachHoSo/HoSo\` | $chuan_t | $(mbs "$big_bytes" "$chuan_t") | $(mib "$chuan_m") | 1.00 |"
    echo "| xmllint (parse floor) | \`--stream --noout\` | $floor_t | $(mbs "$big_bytes" "$floor_t") | $(mib "$floor_m") | $(ratio "$floor_t" "$chuan_t") |"
    echo "| xq (yq $(dpkg-query -W -f='${Version}' yq 2>/dev/null || echo '?')) | \`xq -c '.DanhSachHoSo.HoSo[]'\` on $((xq_bytes / 1048576)) MB | $xq_t | $xq_rate | $(mib "$xq_m") | $(ratio "$xq_big_est" "$chuan_t") (at its MB/s over the whole file: ${xq_big_est} s) |"
    echo
    echo "chuan / parse floor: **$(ratio "$chuan_t" "$floor_t")x** (target <= 1.5x); chuan peak RSS **$(mib "$chuan_m") MiB** (target <= 32 MiB)."
    echo
    echo "XML -> JSON of 2,000 small files ($((small_bytes / 1024)) KiB in all), median of $RUNS runs:"
    echo
    echo "| tool | command | s | peak RSS MiB | time vs chuan -j 2 |"
    echo "|---|---|---|---|---|"
    echo "| chuan | \`convert --to json -j 2 --out-dir\` | $cs_t | $(mib "$cs_m") | 1.00 |"
    echo "| chuan | \`convert --to json -j 1 --out-dir\` | $cs1_t | $(mib "$cs1_m") | $(ratio "$cs1_t" "$cs_t") |"
    echo "| xmllint (parse floor) | \`--stream --noout\` (one process) | $fs_t | $(mib "$fs_m") | $(ratio "$fs_t" "$cs_t") |"
    echo "| xq | \`xq . f > f.json\` per file ($XQ_FILES files: $xqs_t s, scaled to 2,000) | $xqs_2000 | $(mib "$xqs_m") | **$(ratio "$xqs_2000" "$cs_t")** |"
    echo "| xq | \`xq -c . *.xml\` (one process, one concatenated output) | $xq1_t | $(mib "$xq1_m") | $(ratio "$xq1_t" "$cs_t") |"
    echo
    echo "Target: 2,000 small files >= 30x faster than xq (per-file conversion, as a user converting"
    echo "files one by one would run it)."
} | tee -a "$OUT"
