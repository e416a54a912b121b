#!/bin/sh
# bench/bench.sh [--quick] - every performance figure of README.md in one run (`make bench`;
# `make bench-quick` is the smoke run). For each workload, chuan and its peers run interleaved
# (A B A B ..., ROUNDS rounds, median), on the same generated data, in the same run; the load
# average before and after and the CPU model are written beside every table; every tool's output
# is checked (record counts, equality where defined) and a failed check is printed as FAILED in
# the table and makes the run exit 1. Writes bench/RESULTS.md (bench/RESULTS-quick.md for
# --quick), whose summary table bench/readme.sh copies into README.md.
#
# Part 1, N_BIG records (100,000; quick 10,000): W1-W11. Part 2, N_HUGE records (1,000,000;
# quick 20,000; N_HUGE=0 leaves it out): the workloads whose point is constant memory and
# throughput at scale (W1 W2 W3 W4 W6 W7 W11), with every peer that fits this machine at that
# size. A peer that does not (more memory than the machine has, or minutes per round; the CAP_*
# variables below) runs at its cap in part 1, and part 2's table shows that row again, labelled
# with its size and with what the peer would need at N_HUGE: never a peer silently left out.
# docs/performance.md says what each workload measures, at which size, and why peers are capped.
#
# Data: bench/gen/records.py (seed SEED; W9 seed 7) and bench/gen/xlsx.py (W11), generated once
# and cached in BENCH_DIR under names keyed by record count, seed and the generator's checksum.
# Environment: N_BIG, N_HUGE, ROUNDS (7), ROUNDS_HUGE (ROUNDS), SEED (20261123), BENCH_ONLY (a
# list such as "W2 W11": only those workloads), CAP_PYJS, CAP_MLR_UNSPARSIFY, CAP_OPENPYXL_CSV
# (100,000; quick 10,000), BENCH_DIR (bench/data), CHUAN (build/chuan), BENCH_RESULTS.
set -u
cd "$(dirname "$0")/.."
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
if [ $QUICK = 1 ]; then
    N_BIG=${N_BIG:-10000}; N_HUGE=${N_HUGE:-20000}; CAP=10000
    BENCH_RESULTS=${BENCH_RESULTS:-bench/RESULTS-quick.md}
else
    N_BIG=${N_BIG:-100000}; N_HUGE=${N_HUGE:-1000000}; CAP=100000
    BENCH_RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}
fi
# seven rounds: on this 2-core guest one round in three or four can be slow for every tool,
# and in a noisy hour three of five were (docs/performance.md, "What make bench measures");
# the median of seven shrugs off three
ROUNDS=${ROUNDS:-7}
ROUNDS_BIG=$ROUNDS
ROUNDS_HUGE=${ROUNDS_HUGE:-$ROUNDS}
SEED=${SEED:-20261123}
# Peers capped in part 2 (records): python-jsonschema (about 4 min per round at 1,000,000
# records), Miller's unsparsify (holds every record: about 25 GB at 1,000,000), openpyxl writing
# CSV (the same reading as its NDJSON row, which does run at N_HUGE: a minute more per round).
CAP_PYJS=${CAP_PYJS:-$CAP}
CAP_MLR_UNSPARSIFY=${CAP_MLR_UNSPARSIFY:-$CAP}
CAP_OPENPYXL_CSV=${CAP_OPENPYXL_CSV:-$CAP}
export BENCH_RESULTS
. bench/lib.sh
[ -x "$CHUAN" ] || { echo "bench: build chuan first (make)" >&2; exit 2; }
D=$BENCH_DIR
CHECK_FAILED=0
GEN_SECONDS=0
T_START=$(date +%s)
XSD=bench/gen/hoso.xsd
JS=bench/gen/hoso.schema.json
GEN_ID=$(cksum < bench/gen/records.py | cut -d' ' -f1)
XGEN_ID=$(cksum < bench/gen/xlsx.py | cut -d' ' -f1)

# the cache files of earlier versions of this script (named by count only) go
for _old in "$D"/w-* "$D"/register-*; do
    case $_old in *-g[0-9]*) ;; *) [ -f "$_old" ] && rm -f "$_old" && echo "bench: removed $_old (an older cache name)" >&2 ;; esac
done

want() { [ -z "${BENCH_ONLY:-}" ] && return 0; case " $BENCH_ONLY " in *" $1 "*) return 0 ;; esac; return 1; }

# generate OUT CMD...: CMD's standard output becomes OUT (whole or not at all), timed.
generate() {
    _out=$1; shift
    echo "bench: generating $_out" >&2
    _g0=$(date +%s)
    if "$@" > "$_out.tmp"; then mv "$_out.tmp" "$_out"; else
        rm -f "$_out.tmp"; echo "bench: could not generate $_out" >&2; exit 2
    fi
    GEN_SECONDS=$((GEN_SECONDS + $(date +%s) - _g0))
}
# data FORMAT N SEED [--optional]: F = the cached records (bench/gen/records.py), made once;
# files of an older generator (another checksum) for the same count and seed are removed.
data() {
    _tag=""; [ -n "${4:-}" ] && _tag=-optional
    F=$D/w-$2-s$3$_tag-g$GEN_ID.$1
    [ -s "$F" ] && return 0
    rm -f "$D/w-$2-s$3$_tag-g"*".$1"
    generate "$F" python3 bench/gen/records.py --format "$1" --count "$2" --seed "$3" ${4:-}
}
# tcvn3_data N: F_UTF8 = the CSV records of seed 7, F = the same encoded to TCVN3 (build/vnencode)
tcvn3_data() {
    data csv "$1" 7; F_UTF8=$F
    F=$D/w-$1-s7-tcvn3-g$GEN_ID.csv
    [ -x build/vnencode ] || make -s build/vnencode
    [ -s "$F" ] || generate "$F" sh -c 'build/vnencode tcvn3 < "$1" 2>/dev/null' sh "$F_UTF8"
}
# xlsx_data N: F = the cached N-row register (bench/gen/xlsx.py, its fixed seed)
xlsx_data() {
    F=$D/register-$1-g$XGEN_ID.xlsx
    [ -s "$F" ] && return 0
    rm -f "$D/register-$1-g"*.xlsx
    echo "bench: generating $F" >&2
    _g0=$(date +%s)
    /usr/bin/python3 bench/gen/xlsx.py "$1" "$F.tmp.xlsx" && mv "$F.tmp.xlsx" "$F" ||
        { rm -f "$F.tmp.xlsx"; echo "bench: could not generate $F" >&2; exit 2; }
    GEN_SECONDS=$((GEN_SECONDS + $(date +%s) - _g0))
}

# check LABEL EXPECTED ACTUAL: a correctness line under the table; a mismatch fails the run.
check() {
    if [ "$2" = "$3" ]; then
        CHECKS="$CHECKS- $1: $3 (ok)
"
    else
        CHECKS="$CHECKS- **FAILED** $1: expected $2, got $3
"
        CHECK_FAILED=1
    fi
}
lines() { [ -f "$1" ] && wc -l < "$1" | tr -d ' ' || echo 0; }
csv_records() { /usr/bin/python3 -c 'import csv,sys; csv.field_size_limit(1<<30); print(sum(1 for _ in csv.reader(open(sys.argv[1], newline="", encoding="utf-8"))) - 1)' "$1" 2>/dev/null || echo 0; }

# Constant memory: part 1 remembers chuan's peak RSS per workload, part 2 shows it beside its own.
remember_rss() { [ "$PART" = 1 ] && eval "RSS1_$1=\$2"; return 0; }
rss_then() { # KEY: " (X MiB at N_BIG records)" in part 2
    eval "_r=\${RSS1_$1:-}"
    [ "$PART" = 2 ] && [ -n "$_r" ] && printf ' (%s at %s records)' "$(kib "$_r")" "$N_BIG"
    return 0
}
rss_note() { # KEY RSS: part 2's sentence on chuan's memory against part 1
    eval "_r=\${RSS1_$1:-}"
    [ "$PART" = 2 ] && [ -n "$_r" ] &&
        printf '; chuan peak RSS %s at %s records, %s at %s (x%s for %sx the records)' "$(kib "$_r")" "$N_BIG" \
            "$(kib "$2")" "$N" "$(ratio "$2" "$_r")" "$(awk -v a="$N" -v b="$N_BIG" 'BEGIN { printf "%g", a / b }')"
    return 0
}
# capped_row KEY LABEL N_HERE WHAT: part 2's row for a peer capped at a smaller size: its row from
# part 1 of this run (WHAT: what it would need at N_HERE, from that row), or a row saying it was
# not run.
capped_row() {
    eval "_sn=\${SAVEDN_$1:-}; _st=\${SAVEDT_$1:-}; _sm=\${SAVEDM_$1:-}"
    if [ -n "$_sn" ]; then
        saved_row "$1" "$2 ($_sn records: its row in part 1 of this run, speed-up against chuan there; at $3 records it $4)"
        CAPPED="$CAPPED- $2 ran at $_sn records (part 1 of this run), not at $3: at $3 it $4 (part 1: $_st s, $(kib "$_sm") at $_sn records).
"
    else
        printf '| %s | not run: %s records is above its cap (CAP_*, docs/performance.md) | | | | | |\n' "$2" "$3" >> "$BENCH_RESULTS.tmp"
        CAPPED="$CAPPED- $2 not run at $3 records (above its cap: docs/performance.md), nor at $N_BIG in part 1.
"
    fi
}
# est_time KEY N: the capped peer's time at N, extrapolated linearly from its saved row
est_time() {
    eval "_st=\${SAVEDT_$1:-}; _sn=\${SAVEDN_$1:-}"
    [ -n "$_sn" ] || { echo "?"; return 0; }
    awk -v t="$_st" -v n="$2" -v s="$_sn" 'BEGIN { printf "%.0f", t * n / s }'
}
mb1() { awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'; }
# missing_row LABEL: a peer that is not installed gets a row saying so (bench/install-peers.sh)
missing_row() { printf '| %s | not run: not installed (bench/install-peers.sh) | | | | | |\n' "$1" >> "$BENCH_RESULTS.tmp"; }
tidy() { [ "$PART" = 2 ] && rm -f "$@"; return 0; } # part 2's outputs are large: removed once checked

part_start() { # TITLE TEXT
    PART_T0=$(date +%s)
    printf '\n## %s\n\n%s\n' "$1" "$2" >> "$BENCH_RESULTS.tmp"
}

# ---------------------------------------------------------------- W1
w1() {
    data xml "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W1. XSD validation of one XML file, $N records" "$N dossiers (bench/gen/records.py --format xml), $(mb "$bytes") MB, schema $XSD"
    interleave W1 "chuan validate -j 1" "$CHUAN validate -q -j 1 --schema $XSD $f" \
                  "xmllint --stream --schema" "xmllint --noout --stream --schema $XSD $f"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N" 1
    check "both verdicts valid (exit statuses)" "0 0" "$S_1 $S_2"
    table_end "chuan time / xmllint --stream time: **$(ratio "$T_1" "$T_2")x**$(rss_note W1 "$M_1")"
    summary "W1 XSD validation, $N records, $(mb "$bytes") MB" "$T_1 s, $(kib "$M_1") RSS$(rss_then W1)" "xmllint --stream $T_2 s" "$(ratio "$T_1" "$T_2")x xmllint's time"
    remember_rss W1 "$M_1"
}

# ---------------------------------------------------------------- W2
w2() {
    data ndjson "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W2. JSON Schema validation of NDJSON, $N records" "$N records, $(mb "$bytes") MB, schema $JS (2020-12)"
    set -- "chuan validate -j 1" "$CHUAN validate -q -j 1 --schema $JS $f" \
           "chuan validate -j 2" "$CHUAN validate -q -j 2 --schema $JS $f"
    i_ajv=0; i_py=0; have_py=0
    if command -v node >/dev/null 2>&1 && [ -d bench/node_modules/ajv ]; then
        set -- "$@" "ajv 8 (node $(node --version))" "node bench/jsonschema_ajv.js $JS $f > $D/w2.ajv"; i_ajv=$(($# / 2))
    fi
    /usr/bin/python3 -c 'import jsonschema' 2>/dev/null && have_py=1
    if [ $have_py = 1 ] && [ "$N" -le "$CAP_PYJS" ]; then
        set -- "$@" "python-jsonschema" "/usr/bin/python3 bench/jsonschema_python.py $JS $f > $D/w2.py"; i_py=$(($# / 2))
    fi
    interleave W2 "$@"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N" 1
    check "chuan -j 1 and -j 2: every record valid (exit statuses)" "0 0" "$S_1 $S_2"
    ajv_ratio=n/a
    if [ $i_ajv -gt 0 ]; then
        row $i_ajv "$bytes" "$N" 1
        check "ajv: records read, invalid" "$N records, 0 invalid" "$(cat "$D/w2.ajv")"
        eval "ajv_ratio=\$(ratio \$T_$i_ajv \$T_1)"
    else
        missing_row "ajv 8 (node)"
    fi
    py_note=""
    if [ $i_py -gt 0 ]; then
        row $i_py "$bytes" "$N" 1
        check "python-jsonschema: records read, invalid" "$N records, 0 invalid" "$(cat "$D/w2.py")"
        save_row PYJS $i_py "$bytes" "$N" 1; SAVEDN_PYJS=$N
        eval "PY_RATIO=\$(ratio \$T_$i_py \$T_1)"
        py_note=", python-jsonschema ${PY_RATIO}x slower"
    elif [ $have_py = 1 ]; then
        capped_row PYJS "python-jsonschema" "$N" "would take about $(est_time PYJS "$N") s per round"
        [ -n "${SAVEDN_PYJS:-}" ] && py_note=", python-jsonschema ${PY_RATIO}x slower at $SAVEDN_PYJS records (part 1)"
    else
        missing_row "python-jsonschema"
    fi
    table_end "-j 2 / -j 1 speed-up: **$(ratio "$T_1" "$T_2")x**; ajv / chuan -j 1: **${ajv_ratio}x**$(rss_note W2 "$M_1")"
    summary "W2 JSON Schema, $N NDJSON records" "$T_1 s -j 1, $T_2 s -j 2, $(kib "$M_1") RSS$(rss_then W2)" "ajv ${ajv_ratio}x slower$py_note" "-j 2 / -j 1 = $(ratio "$T_1" "$T_2")x"
    remember_rss W2 "$M_1"
    tidy "$D/w2.ajv" "$D/w2.py"
}

# ---------------------------------------------------------------- W3
w3() {
    data csv "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W3. CSV -> NDJSON, $N records" "$N records, $(mb "$bytes") MB CSV (CRLF, Vietnamese text)"
    # wc -l reads a 40 MB file in a few ms: one wc process reads the same file W3_REPEAT times
    # (hot cache; default: about 1 GB in all, at least twice) and its times are divided by
    # W3_REPEAT, so the floor carries neither wc's start-up nor the timer's (bench/timeit.c) and
    # the shell's fork and exec, which chuan's rows carry.
    rep=${W3_REPEAT:-$(awk -v b="$bytes" 'BEGIN { k = int(1e9 / b + 0.999); print (k < 2) ? 2 : k }')}
    w3_files=$(i=0; while [ $i -lt "$rep" ]; do printf '%s ' "$f"; i=$((i + 1)); done)
    # Every tool writes a new file each round (BEFORE_ROUND removes the outputs, untimed): replacing
    # a 75 MB file that is still being written back costs ext4 35-63 ms at rename (auto_da_alloc,
    # docs/performance.md), so rounds that replace and rounds that do not are not the same
    # measurement. That cost is shown on its own row (the output of the previous round kept), and
    # so is the conversion without an output file (stdout to /dev/null).
    set -- "wc -l (floor; one process reads the file $rep times, time / $rep)" "wc -l $w3_files" \
           "chuan convert -j $(nproc), new output file" "$CHUAN convert -q -j $(nproc) --from csv --to ndjson -o $D/w3.chuan.ndjson $f" \
           "chuan convert -j 1, new output file" "$CHUAN convert -q -j 1 --from csv --to ndjson -o $D/w3.chuan1.ndjson $f" \
           "chuan convert -j $(nproc), replacing the last round's output" "$CHUAN convert -q -j $(nproc) --from csv --to ndjson -o $D/w3.kept.out $f" \
           "chuan convert -j $(nproc), stdout to /dev/null" "$CHUAN convert -q -j $(nproc) --from csv --to ndjson $f"
    have_mlr=0
    command -v mlr >/dev/null 2>&1 && { have_mlr=1; set -- "$@" "mlr --icsv --ojsonl cat, new output file" "mlr --icsv --ojsonl cat $f > $D/w3.mlr.ndjson"; }
    "$CHUAN" convert -q -j "$(nproc)" --from csv --to ndjson -o "$D/w3.kept.out" "$f" # round 1 replaces too
    BEFORE_ROUND="rm -f $D/w3.chuan.ndjson $D/w3.chuan1.ndjson $D/w3.mlr.ndjson"
    interleave W3 "$@"
    BEFORE_ROUND=""
    T_1=$(awk -v t="$T_1" -v k="$rep" 'BEGIN { printf "%.4g", t / k }')
    U_1=$(awk -v t="$U_1" -v k="$rep" 'BEGIN { printf "%.4g", t / k }')
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N" 1; row 3 "$bytes" "$N" 1; row 4 "$bytes" "$N" 1; row 5 "$bytes" "$N" 1
    check "chuan -j $(nproc): NDJSON lines" "$N" "$(lines "$D/w3.chuan.ndjson")"
    check "chuan -j $(nproc) and -j 1: same bytes" "same" "$(cmp -s "$D/w3.chuan.ndjson" "$D/w3.chuan1.ndjson" && echo same || echo different)"
    check "chuan -j $(nproc), replacing: same bytes" "same" "$(cmp -s "$D/w3.chuan.ndjson" "$D/w3.kept.out" && echo same || echo different)"
    mlr_ratio=n/a
    if [ $have_mlr = 1 ]; then
        row 6 "$bytes" "$N" 2
        check "Miller: NDJSON lines" "$N" "$(lines "$D/w3.mlr.ndjson")"
        mlr_ratio=$(ratio "$T_6" "$T_2")
    else
        missing_row "mlr --icsv --ojsonl cat"
    fi
    table_end "chuan -j $(nproc) / wc -l: **$(ratio "$T_2" "$T_1")x** wall, writing a new file (target <= 5x); replacing an existing output $(ratio "$T_4" "$T_1")x; to /dev/null $(ratio "$T_5" "$T_1")x; CPU time (user + system): chuan -j 1 $(ratio "$U_3" "$U_1")x wc -l's; Miller / chuan: **${mlr_ratio}x**$(rss_note W3 "$M_2")"
    summary "W3 CSV -> NDJSON, $N records, $(mb "$bytes") MB" "$T_2 s -j $(nproc), $(kib "$M_2") RSS$(rss_then W3)" "Miller ${mlr_ratio}x slower" "$(ratio "$T_2" "$T_1")x wc -l (wall, new file; $(ratio "$T_5" "$T_1")x to /dev/null), CPU -j 1 $(ratio "$U_3" "$U_1")x"
    remember_rss W3 "$M_2"
    tidy "$D/w3.chuan.ndjson" "$D/w3.chuan1.ndjson" "$D/w3.mlr.ndjson" "$D/w3.kept.out"
}

# ---------------------------------------------------------------- W4
w4() {
    data xml "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W4. XML -> NDJSON (--record), $N records" "$N dossiers, $(mb "$bytes") MB"
    interleave W4 "xmllint --stream --noout (parse floor)" "xmllint --stream --noout $f" \
                  "chuan convert --record" "$CHUAN convert -q -j 1 --to ndjson --record /DanhSachHoSo/HoSo -o $D/w4.ndjson $f"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N" 1
    check "chuan: NDJSON lines" "$N" "$(lines "$D/w4.ndjson")"
    table_end "chuan / parse floor: **$(ratio "$T_2" "$T_1")x** (target <= 1.3x)$(rss_note W4 "$M_2")"
    summary "W4 XML -> NDJSON, $N records, $(mb "$bytes") MB" "$T_2 s, $(kib "$M_2") RSS$(rss_then W4)" "xmllint parse floor $T_1 s" "$(ratio "$T_2" "$T_1")x the floor"
    remember_rss W4 "$M_2"
    tidy "$D/w4.ndjson"
}

# ---------------------------------------------------------------- W5
w5() {
    data ndjson "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W5. Standard package dvc-hoso (all rules) vs plain JSON Schema, $N records" "$N records, $(mb "$bytes") MB, -j 1, same binary"
    interleave W5 "plain JSON Schema ($JS)" "$CHUAN validate -q -j 1 --schema $JS $f" \
                  "standard dvc-hoso, all rules" "$CHUAN validate -q -j 1 -s standards/dvc-hoso $f"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N"
    w5=$($CHUAN validate -q -j 1 --max-errors 1 -s standards/dvc-hoso "$f" 2>/dev/null | tail -1)
    CHECKS="$CHECKS- under dvc-hoso the records give: $w5
"
    table_end "throughput of the standard relative to plain JSON Schema: **$(ratio "$T_1" "$T_2")** (target >= 0.5)"
    summary "W5 dvc-hoso, all rules, $N records" "$T_2 s" "plain JSON Schema $T_1 s" "$(ratio "$T_1" "$T_2") of plain throughput"
}

# ---------------------------------------------------------------- W6
w6() {
    data ndjson "$N" "$SEED" --optional; f=$F; bytes=$(fsize "$f")
    table_start "W6. NDJSON -> CSV, records with optional fields, $N records" "$N records with different key sets (--optional), $(mb "$bytes") MB"
    set -- "chuan convert --to csv" "$CHUAN convert -q --from ndjson --to csv -o $D/w6.chuan.csv $f || true"
    have_mlr=0; command -v mlr >/dev/null 2>&1 && have_mlr=1
    [ $have_mlr = 1 ] && [ "$N" -le "$CAP_MLR_UNSPARSIFY" ] &&
        set -- "$@" "mlr --ijsonl --ocsv flatten then unsparsify" "mlr --ijsonl --ocsv flatten then unsparsify $f > $D/w6.mlr.csv"
    interleave W6 "$@"
    row 1 "$bytes" "$N"
    w6_chuan=$(csv_records "$D/w6.chuan.csv")
    check "chuan: CSV records written" "$N" "$w6_chuan"
    w6_ratio=n/a; w6_peer="Miller flatten+unsparsify"; w6_note="Miller not installed"
    if [ "$NCMD" -ge 2 ]; then
        row 2 "$bytes" "$N" 1
        check "Miller: CSV records written" "$N" "$(csv_records "$D/w6.mlr.csv")"
        save_row MLRU 2 "$bytes" "$N" 1; SAVEDN_MLRU=$N
        w6_ratio=$(ratio "$T_2" "$T_1"); MLRU_RATIO=$w6_ratio
        w6_peer="$w6_peer ${w6_ratio}x slower"
        w6_note="Miller / chuan: **${w6_ratio}x** (target >= 10x)"
    elif [ $have_mlr = 1 ]; then
        capped_row MLRU "mlr --ijsonl --ocsv flatten then unsparsify" "$N" "would hold every record: about $(awk -v m="${SAVEDM_MLRU:-0}" -v n="$N" -v s="${SAVEDN_MLRU:-1}" 'BEGIN { printf "%.1f", m * n / s / 1048576 }') GiB by its part-1 peak RSS"
        w6_note="Miller not run at $N records (see its row)"
        [ -n "${SAVEDN_MLRU:-}" ] && w6_peer="$w6_peer ${MLRU_RATIO}x slower at $SAVEDN_MLRU records (part 1), not run at $N" &&
            w6_note="Miller / chuan at $SAVEDN_MLRU records (part 1): **${MLRU_RATIO}x** (target >= 10x); not run at $N records"
    else
        missing_row "mlr --ijsonl --ocsv flatten then unsparsify"
    fi
    table_end "$w6_note$(rss_note W6 "$M_1")"
    summary "W6 NDJSON -> CSV, optional fields, $N records" "$T_1 s, $(kib "$M_1") RSS$(rss_then W6)" "$w6_peer" "$w6_chuan of $N records written"
    remember_rss W6 "$M_1"
    tidy "$D/w6.chuan.csv" "$D/w6.mlr.csv"
}

# ---------------------------------------------------------------- W7
w7() {
    data xml "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W7. XML validation through the dvc-hoso package (auto-selected), $N records" "$N dossiers, $(mb "$bytes") MB"
    interleave W7 "chuan validate --schema hoso.xsd" "$CHUAN validate -q -j 1 --schema $XSD $f" \
                  "chuan validate (dvc-hoso auto-selected)" "$CHUAN validate -q -j 1 $f || true"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N"
    table_end "package path: **$(kib "$M_2")** peak RSS (target <= 64 MiB), throughput $(ratio "$T_1" "$T_2") of the XSD path (target >= 0.5)$(rss_note W7 "$M_2")"
    summary "W7 XML through dvc-hoso, $N records, $(mb "$bytes") MB" "$T_2 s, $(kib "$M_2") RSS$(rss_then W7)" "XSD path $T_1 s" "$(ratio "$T_1" "$T_2") of the XSD path"
    remember_rss W7 "$M_2"
}

# ---------------------------------------------------------------- W8
w8() {
    data json "$N" "$SEED"; f=$F; bytes=$(fsize "$f")
    table_start "W8. JSON -> XML, $N records" "$N dossiers in one DVCQG body, $(mb "$bytes") MB"
    set -- "chuan convert --to xml" "$CHUAN convert -q --to xml -o $D/w8.chuan.xml $f"
    if /usr/bin/python3 -c 'import xmltodict' 2>/dev/null; then
        set -- "$@" "python3-xmltodict unparse" "/usr/bin/python3 -c 'import json,sys,xmltodict; sys.stdout.write(xmltodict.unparse({\"root\": json.load(open(sys.argv[1]))}))' $f > $D/w8.py.xml"
    fi
    interleave W8 "$@"
    row 1 "$bytes" "$N"
    check "chuan: <MaHoSo> elements" "$N" "$(grep -o '<MaHoSo>' "$D/w8.chuan.xml" | wc -l | tr -d ' ')"
    w8_ratio=n/a
    if [ "$NCMD" -ge 2 ]; then
        row 2 "$bytes" "$N" 1
        check "xmltodict: <MaHoSo> elements" "$N" "$(grep -o '<MaHoSo>' "$D/w8.py.xml" | wc -l | tr -d ' ')"
        w8_ratio=$(ratio "$T_2" "$T_1")
    else
        missing_row "python3-xmltodict unparse"
    fi
    table_end "xmltodict / chuan: **${w8_ratio}x**"
    summary "W8 JSON -> XML, $N records, $(mb "$bytes") MB" "$T_1 s" "xmltodict ${w8_ratio}x slower" ""
}

# ---------------------------------------------------------------- W9
w9() {
    tcvn3_data "$N"; f=$F; bytes=$(fsize "$f")
    table_start "W9. Legacy TCVN3 CSV -> validated NDJSON, $N records" "$N records (seed 7) encoded to TCVN3 by build/vnencode, $(mb "$bytes") MB; chuan detects TCVN3, decodes it by table and validates every row against bench/legacy-row.schema.json"
    set -- "chuan convert -j 1" "$CHUAN convert --to ndjson --schema bench/legacy-row.schema.json -j 1 -q $f -o $D/w9.j1.ndjson" \
           "chuan convert -j 2" "$CHUAN convert --to ndjson --schema bench/legacy-row.schema.json -j 2 -q $f -o $D/w9.j2.ndjson"
    command -v mlr >/dev/null 2>&1 && set -- "$@" "iconv -f TCVN5712-1 \\| mlr --icsv --ojsonl cat" "iconv -f TCVN5712-1 -t UTF-8 $f | mlr --icsv --ojsonl cat > $D/w9.mlr.ndjson"
    interleave W9 "$@"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N" 1
    "$CHUAN" convert --to ndjson -q "$F_UTF8" -o "$D/w9.truth.ndjson"
    set -- $(/usr/bin/python3 bench/legacy_compare.py "$D/w9.truth.ndjson" "$D/w9.j2.ndjson")
    check "chuan: records differing from the UTF-8 original (wrong, of which case only, missing)" "0 0 0" "$1 $2 $3"
    w9_wrong=$1
    check "chuan -j 2 and -j 1: same bytes" "same" "$(cmp -s "$D/w9.j1.ndjson" "$D/w9.j2.ndjson" && echo same || echo different)"
    w9_peer=""
    if [ "$NCMD" -ge 3 ]; then
        row 3 "$bytes" "$N" 2
        set -- $(/usr/bin/python3 bench/legacy_compare.py "$D/w9.truth.ndjson" "$D/w9.mlr.ndjson")
        CHECKS="$CHECKS- iconv+mlr (no validation; glibc's TCVN5712-1 is the VN1 table and keeps TCVN3's lower-case codes): $1 records wrong, $2 of them only in letter case, $3 missing
"
        w9_peer="iconv \\| mlr $T_3 s, $1 records wrong"
    fi
    table_end "-j 2 / -j 1 scaling: **$(ratio "$T_1" "$T_2")x**"
    summary "W9 legacy TCVN3 CSV -> validated NDJSON, $N records" "$T_1 s -j 1, $T_2 s -j 2, $(kib "$M_2") RSS, $w9_wrong records wrong" "$w9_peer" "-j 2 / -j 1 = $(ratio "$T_1" "$T_2")x"
}

# ---------------------------------------------------------------- W10
# chuan serve under load (bench/serve.sh: wrk on loopback), its section copied in
w10() {
    command -v wrk >/dev/null 2>&1 || {
        printf '\n### W10. chuan serve under load\n\nNot run: wrk is missing (bench/install-peers.sh installs it).\n' >> "$BENCH_RESULTS.tmp"
        return 0
    }
    if [ $QUICK = 1 ]; then sdur=2; ssoak=5; else sdur=10; ssoak=60; fi
    DURATION=$sdur SOAK=$ssoak BENCH_RESULTS=$D/serve-section.md sh bench/serve.sh
    {
        echo
        echo "### W10. chuan serve under load (bench/serve.sh)"
        sed '1,2d' "$D/serve-section.md"
    } >> "$BENCH_RESULTS.tmp"
    best=$(awk -F'|' '/\| (edxml|dvc) .*\| 64 \|/ {gsub(/ /, "", $7); print $2 ": " $7}' "$D/serve-section.md" | tr '\n' ';')
    summary "W10 chuan serve, 10 KB payloads" "see the W10 table" "one chuan validate process per request" "at concurrency 64: $best"
}

# ---------------------------------------------------------------- W11
# XLSX -> NDJSON and CSV: chuan against python3-openpyxl's read-only (streaming) mode, the nearest
# peer packaged in Debian. Both read the same sheet; openpyxl writes what it reads, without the
# font-aware decoding (bench/xlsx_openpyxl.py); bench/xlsx_compare.py checks every row.
w11() {
    xlsx_data "$N"; f=$F; bytes=$(fsize "$f")
    table_start "W11. XLSX -> NDJSON and CSV, $N rows" "one sheet of $N rows below a header (bench/gen/xlsx.py: a name and a place in a .VnTime font, i.e. TCVN3, an Excel date, a code formatted 00000, a number), $(mb1 "$bytes") MB of XLSX; chuan decodes the TCVN3 cells by their font (--number-text keeps the code as displayed)"
    set -- "chuan convert --to ndjson" "$CHUAN convert -q --number-text --to ndjson -o $D/w11.chuan.ndjson $f" \
           "chuan convert --to csv" "$CHUAN convert -q --number-text --to csv -o $D/w11.chuan.csv $f"
    i_opx=0; i_opc=0; have_opx=0
    /usr/bin/python3 -c 'import openpyxl' 2>/dev/null && have_opx=1
    if [ $have_opx = 1 ]; then
        opx_v=$(/usr/bin/python3 -c 'import openpyxl; print(openpyxl.__version__)')
        set -- "$@" "openpyxl $opx_v read_only -> NDJSON" "/usr/bin/python3 bench/xlsx_openpyxl.py ndjson $f > $D/w11.py.ndjson"; i_opx=3
        if [ "$N" -le "$CAP_OPENPYXL_CSV" ]; then
            set -- "$@" "openpyxl $opx_v read_only -> CSV" "/usr/bin/python3 bench/xlsx_openpyxl.py csv $f > $D/w11.py.csv"; i_opc=4
        fi
    fi
    interleave W11 "$@"
    row 1 "$bytes" "$N"; row 2 "$bytes" "$N"
    check "chuan (NDJSON, CSV): exit statuses" "0 0" "$S_1 $S_2"
    check "chuan: NDJSON lines" "$N" "$(lines "$D/w11.chuan.ndjson")"
    check "chuan: CSV records" "$N" "$(csv_records "$D/w11.chuan.csv")"
    opx_ratio=n/a; opx_peer="python3-openpyxl not installed"; w11_result=""
    if [ $i_opx -gt 0 ]; then
        row 3 "$bytes" "$N" 1
        check "openpyxl: NDJSON lines" "$N" "$(lines "$D/w11.py.ndjson")"
        w11_cmp=$(/usr/bin/python3 bench/xlsx_compare.py "$D/w11.chuan.ndjson" "$D/w11.py.ndjson" 2>&1 | tail -1)
        check "every row the same in both outputs (rows chuan, rows openpyxl, rows differing, first row, last row; openpyxl's values mapped by bench/gen/xlsx.py's TCVN3 table, dates, the 00000 format)" \
            "$N $N 0 first-equal last-equal" "$w11_cmp"
        [ "$w11_cmp" = "$N $N 0 first-equal last-equal" ] && w11_result="every row equal to openpyxl's, decoded" ||
            w11_result="rows differ from openpyxl's: $w11_cmp"
        opx_ratio=$(ratio "$T_3" "$T_1")
        opx_peer="openpyxl read-only ${opx_ratio}x slower, $(kib "$M_3") RSS"
        if [ $i_opc -gt 0 ]; then
            row 4 "$bytes" "$N" 2
            check "openpyxl: CSV records" "$N" "$(csv_records "$D/w11.py.csv")"
            save_row OPXCSV 4 "$bytes" "$N" 2; SAVEDN_OPXCSV=$N
        else
            capped_row OPXCSV "openpyxl $opx_v read_only -> CSV" "$N" "would take about $(est_time OPXCSV "$N") s per round, as its NDJSON row"
        fi
    else
        missing_row "python3-openpyxl read_only"
    fi
    table_end "openpyxl / chuan (NDJSON): **${opx_ratio}x**; openpyxl keeps the .VnTime cells as Windows-1252 characters (no notion of a font as an encoding), chuan writes Unicode$(rss_note W11 "$M_1")"
    summary "W11 XLSX -> NDJSON, $N rows, $(mb1 "$bytes") MB" "$T_1 s, $(kib "$M_1") RSS$(rss_then W11)" "$opx_peer" "$w11_result"
    remember_rss W11 "$M_1"
    tidy "$D/w11.chuan.ndjson" "$D/w11.chuan.csv" "$D/w11.py.ndjson" "$D/w11.py.csv"
}

results_start
# ---------------------------------------------------------------- part 1
PART=1; N=$N_BIG; ROUNDS=$ROUNDS_BIG; CAPPED=""
part_start "Part 1: $N_BIG records" "Every workload at $N_BIG records (${BENCH_ONLY:-W1-W11}), $ROUNDS rounds."
for w in W1 W2 W3 W4 W5 W6 W7 W8 W9 W10 W11; do
    want $w && "$(echo $w | tr W w)"
done
T_PART1=$(($(date +%s) - PART_T0))
SUMMARY_SIZES="$N_BIG records ($ROUNDS_BIG rounds)"

# ---------------------------------------------------------------- part 2
T_PART2=0
if [ "$N_HUGE" -gt 0 ]; then
    PART=2; N=$N_HUGE; ROUNDS=$ROUNDS_HUGE; CAPPED=""
    part_start "Part 2: $N_HUGE records" "The workloads whose point is constant memory and throughput at scale (W1 W2 W3 W4 W6 W7 W11${BENCH_ONLY:+; this run: $BENCH_ONLY}), at $N_HUGE records, $ROUNDS rounds, with every peer that fits this machine at that size; each table compares chuan's peak RSS with part 1's. Peers that do not fit are shown by their part-1 row of this run, labelled with their size (list below)."
    for w in W1 W2 W3 W4 W6 W7 W11; do
        want $w && "$(echo $w | tr W w)"
    done
    if [ -n "$CAPPED" ]; then
        printf '\n### Peers capped in part 2\n\n%s' "$CAPPED" >> "$BENCH_RESULTS.tmp"
    fi
    T_PART2=$(($(date +%s) - PART_T0))
    SUMMARY_SIZES="$SUMMARY_SIZES and $N_HUGE records ($ROUNDS_HUGE rounds)"
fi
{
    echo
    echo "## Run time"
    echo
    echo "$(awk -v t="$(($(date +%s) - T_START))" 'BEGIN { printf "%.1f", t / 60 }') min in all: part 1 $(awk -v t="$T_PART1" 'BEGIN { printf "%.1f", t / 60 }') min, part 2 $(awk -v t="$T_PART2" 'BEGIN { printf "%.1f", t / 60 }') min, of which $GEN_SECONDS s generating data (cached in $D for the next run)."
} >> "$BENCH_RESULTS.tmp"
results_end
[ $CHECK_FAILED = 0 ] || { echo "bench: a correctness check FAILED (see $BENCH_RESULTS)" >&2; exit 1; }
