#!/bin/sh
# bench/bench.sh [--quick] - every performance figure of README.md in one run (`make bench`;
# `make bench-quick` is the 10k-record smoke run). For each workload, chuan and its peers run
# interleaved (A B A B ..., ROUNDS rounds, median), on the same generated data, in the same run;
# the load average before and after and the CPU model are written beside every table; every
# tool's output is checked (record counts, equality where defined) and a failed check is printed
# as FAILED in the table and makes the run exit 1. Writes bench/RESULTS.md (bench/RESULTS-quick.md
# for --quick), whose summary table bench/readme.sh copies into README.md.
#
# Data (bench/gen/records.py, fixed seeds): N_BIG records for NDJSON/CSV workloads (1,000,000;
# quick: 10,000), N_XML for XML workloads (100,000; quick 10,000). Environment: ROUNDS (3),
# BENCH_DIR (bench/data), CHUAN (build/chuan).
set -u
cd "$(dirname "$0")/.."
QUICK=0
[ "${1:-}" = --quick ] && QUICK=1
if [ $QUICK = 1 ]; then
    N_BIG=${N_BIG:-10000}; N_XML=${N_XML:-10000}; N_PY=${N_PY:-10000}
    BENCH_RESULTS=${BENCH_RESULTS:-bench/RESULTS-quick.md}
else
    N_BIG=${N_BIG:-1000000}; N_XML=${N_XML:-100000}; N_PY=${N_PY:-100000}
    BENCH_RESULTS=${BENCH_RESULTS:-bench/RESULTS.md}
fi
ROUNDS=${ROUNDS:-3}
export BENCH_RESULTS
. bench/lib.sh
[ -x "$CHUAN" ] || { echo "bench: build chuan first (make)" >&2; exit 2; }
D=$BENCH_DIR
CHECK_FAILED=0
gen() { # gen FILE ARGS...: generate once (deterministic: fixed seeds)
    _f=$1; shift
    [ -s "$_f" ] || { echo "bench: generating $_f" >&2; python3 bench/gen/records.py "$@" > "$_f.tmp" && mv "$_f.tmp" "$_f"; }
}
gen "$D/w-$N_BIG.ndjson" --format ndjson --count "$N_BIG"
gen "$D/w-$N_PY.ndjson" --format ndjson --count "$N_PY"
gen "$D/w-$N_BIG.csv" --format csv --count "$N_BIG"
gen "$D/w-$N_BIG-optional.ndjson" --format ndjson --count "$N_BIG" --optional
gen "$D/w-$N_XML.xml" --format xml --count "$N_XML"
gen "$D/w-$N_XML.json" --format json --count "$N_XML"
[ -x build/vnencode ] || make -s build/vnencode
if [ ! -s "$D/w-$N_BIG.tcvn3.csv" ]; then
    gen "$D/w-$N_BIG-s7.csv" --format csv --count "$N_BIG" --seed 7
    build/vnencode tcvn3 < "$D/w-$N_BIG-s7.csv" > "$D/w-$N_BIG.tcvn3.csv" 2>/dev/null
fi
XSD=bench/gen/hoso.xsd
JS=bench/gen/hoso.schema.json

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

results_start
# ---------------------------------------------------------------- W1
f=$D/w-$N_XML.xml; bytes=$(fsize "$f")
table_start "W1. XSD validation of one XML file" "$N_XML dossiers (bench/gen/records.py --format xml), $(mb "$bytes") MB, schema $XSD"
interleave W1 "chuan validate -j 1" "$CHUAN validate -q -j 1 --schema $XSD $f" \
              "xmllint --stream --schema" "xmllint --noout --stream --schema $XSD $f"
row 1 "$bytes" "$N_XML"; row 2 "$bytes" "$N_XML" 1
check "both verdicts valid (exit statuses)" "0 0" "$S_1 $S_2"
table_end "chuan time / xmllint --stream time: **$(ratio "$T_1" "$T_2")x**"
summary "W1 XSD validation, $(mb "$bytes") MB" "$T_1 s, $(kib "$M_1") RSS" "xmllint --stream $T_2 s" "$(ratio "$T_1" "$T_2")x xmllint's time"

# ---------------------------------------------------------------- W2
f=$D/w-$N_BIG.ndjson; bytes=$(fsize "$f")
table_start "W2. JSON Schema validation of NDJSON" "$N_BIG records, $(mb "$bytes") MB, schema $JS (2020-12)"
set -- "chuan validate -j 1" "$CHUAN validate -q -j 1 --schema $JS $f" \
       "chuan validate -j 2" "$CHUAN validate -q -j 2 --schema $JS $f"
have_ajv=0
if command -v node >/dev/null 2>&1 && [ -d bench/node_modules/ajv ]; then
    have_ajv=1; set -- "$@" "ajv 8 (node $(node --version))" "node bench/jsonschema_ajv.js $JS $f > $D/w2.ajv"
fi
interleave W2 "$@"
row 1 "$bytes" "$N_BIG"; row 2 "$bytes" "$N_BIG" 1
check "chuan -j 1 and -j 2: every record valid (exit statuses)" "0 0" "$S_1 $S_2"
if [ $have_ajv = 1 ]; then
    row 3 "$bytes" "$N_BIG" 1
    check "ajv: records read, invalid" "$N_BIG records, 0 invalid" "$(cat "$D/w2.ajv")"
fi
ajv_ratio=n/a; [ $have_ajv = 1 ] && ajv_ratio=$(ratio "$T_3" "$T_1")
t_j1=$T_1; t_j2=$T_2; rss_j1=$M_1
py_note=""
if /usr/bin/python3 -c 'import jsonschema' 2>/dev/null; then
    pf=$D/w-$N_PY.ndjson
    interleave W2py "chuan validate -j 1 ($N_PY records)" "$CHUAN validate -q -j 1 --schema $JS $pf" \
                    "python-jsonschema ($N_PY records)" "/usr/bin/python3 bench/jsonschema_python.py $JS $pf > $D/w2.py"
    row 1 "$(fsize "$pf")" "$N_PY"; row 2 "$(fsize "$pf")" "$N_PY" 1
    check "python-jsonschema: records read, invalid" "$N_PY records, 0 invalid" "$(cat "$D/w2.py")"
    py_note=", python-jsonschema $(ratio "$T_2" "$T_1")x slower ($N_PY records)"
fi
table_end "-j 2 / -j 1 speed-up: **$(ratio "$t_j1" "$t_j2")x**; ajv / chuan -j 1: **${ajv_ratio}x**"
summary "W2 JSON Schema, $N_BIG NDJSON records" "$t_j1 s -j 1, $t_j2 s -j 2, $(kib "$rss_j1") RSS" "ajv ${ajv_ratio}x slower$py_note" "-j 2 / -j 1 = $(ratio "$t_j1" "$t_j2")x"

# ---------------------------------------------------------------- W3
f=$D/w-$N_BIG.csv; bytes=$(fsize "$f")
table_start "W3. CSV -> NDJSON" "$N_BIG records, $(mb "$bytes") MB CSV (CRLF, Vietnamese text)"
# wc -l reads a 40 MB file in a few ms, below what /usr/bin/time resolves (0.01 s): one wc process
# reads the same file W3_REPEAT times (hot cache; default: about 1 GB in all, at least twice) and
# its times are divided by W3_REPEAT.
W3_REPEAT=${W3_REPEAT:-$(awk -v b="$bytes" 'BEGIN { k = int(1e9 / b + 0.999); print (k < 2) ? 2 : k }')}
w3_files=$(i=0; while [ $i -lt "$W3_REPEAT" ]; do printf '%s ' "$f"; i=$((i + 1)); done)
set -- "wc -l (floor; one process reads the file $W3_REPEAT times, time / $W3_REPEAT)" "wc -l $w3_files" \
       "chuan convert -j $(nproc)" "$CHUAN convert -q -j $(nproc) --from csv --to ndjson -o $D/w3.chuan.ndjson $f" \
       "chuan convert -j 1" "$CHUAN convert -q -j 1 --from csv --to ndjson -o $D/w3.chuan1.ndjson $f"
have_mlr=0
command -v mlr >/dev/null 2>&1 && { have_mlr=1; set -- "$@" "mlr --icsv --ojsonl cat" "mlr --icsv --ojsonl cat $f > $D/w3.mlr.ndjson"; }
interleave W3 "$@"
T_1=$(awk -v t="$T_1" -v k="$W3_REPEAT" 'BEGIN { printf "%.4f", t / k }')
U_1=$(awk -v t="$U_1" -v k="$W3_REPEAT" 'BEGIN { printf "%.4f", t / k }')
row 1 "$bytes" "$N_BIG"; row 2 "$bytes" "$N_BIG" 1; row 3 "$bytes" "$N_BIG" 1
check "chuan -j $(nproc): NDJSON lines" "$N_BIG" "$(lines "$D/w3.chuan.ndjson")"
check "chuan -j $(nproc) and -j 1: same bytes" "same" "$(cmp -s "$D/w3.chuan.ndjson" "$D/w3.chuan1.ndjson" && echo same || echo different)"
mlr_ratio=n/a
if [ $have_mlr = 1 ]; then
    row 4 "$bytes" "$N_BIG" 2
    check "Miller: NDJSON lines" "$N_BIG" "$(lines "$D/w3.mlr.ndjson")"
    mlr_ratio=$(ratio "$T_4" "$T_2")
fi
table_end "chuan -j $(nproc) / wc -l: **$(ratio "$T_2" "$T_1")x** wall (target <= 5x); CPU time (user + system): chuan -j 1 $(ratio "$U_3" "$U_1")x wc -l's; Miller / chuan: **${mlr_ratio}x**"
w3_floor="$(ratio "$T_2" "$T_1")x wc -l (wall), CPU -j 1 $(ratio "$U_3" "$U_1")x"
summary "W3 CSV -> NDJSON, $(mb "$bytes") MB" "$T_2 s -j $(nproc), $(kib "$M_2") RSS" "Miller ${mlr_ratio}x slower" "$w3_floor"

# ---------------------------------------------------------------- W4
f=$D/w-$N_XML.xml; bytes=$(fsize "$f")
table_start "W4. XML -> NDJSON (--record)" "$N_XML dossiers, $(mb "$bytes") MB"
interleave W4 "xmllint --stream --noout (parse floor)" "xmllint --stream --noout $f" \
              "chuan convert --record" "$CHUAN convert -q -j 1 --to ndjson --record /DanhSachHoSo/HoSo -o $D/w4.ndjson $f"
row 1 "$bytes" "$N_XML"; row 2 "$bytes" "$N_XML" 1
check "chuan: NDJSON lines" "$N_XML" "$(lines "$D/w4.ndjson")"
table_end "chuan / parse floor: **$(ratio "$T_2" "$T_1")x** (target <= 1.3x)"
summary "W4 XML -> NDJSON, $(mb "$bytes") MB" "$T_2 s, $(kib "$M_2") RSS" "xmllint parse floor $T_1 s" "$(ratio "$T_2" "$T_1")x the floor"

# ---------------------------------------------------------------- W5
f=$D/w-$N_BIG.ndjson; bytes=$(fsize "$f")
table_start "W5. Standard package dvc-hoso (all rules) vs plain JSON Schema" "$N_BIG records, $(mb "$bytes") MB, -j 1, same binary"
interleave W5 "plain JSON Schema ($JS)" "$CHUAN validate -q -j 1 --schema $JS $f" \
              "standard dvc-hoso, all rules" "$CHUAN validate -q -j 1 -s standards/dvc-hoso $f"
row 1 "$bytes" "$N_BIG"; row 2 "$bytes" "$N_BIG"
w5=$($CHUAN validate -q -j 1 --max-errors 1 -s standards/dvc-hoso "$f" 2>/dev/null | tail -1)
CHECKS="$CHECKS- under dvc-hoso the records give: $w5
"
table_end "throughput of the standard relative to plain JSON Schema: **$(ratio "$T_1" "$T_2")** (target >= 0.5)"
summary "W5 dvc-hoso, all rules" "$T_2 s" "plain JSON Schema $T_1 s" "$(ratio "$T_1" "$T_2") of plain throughput"

# ---------------------------------------------------------------- W6
f=$D/w-$N_BIG-optional.ndjson; bytes=$(fsize "$f")
table_start "W6. NDJSON -> CSV, records with optional fields" "$N_BIG records with different key sets (--optional), $(mb "$bytes") MB"
set -- "chuan convert --to csv" "$CHUAN convert -q --from ndjson --to csv -o $D/w6.chuan.csv $f || true"
command -v mlr >/dev/null 2>&1 && set -- "$@" "mlr --ijsonl --ocsv flatten then unsparsify" "mlr --ijsonl --ocsv flatten then unsparsify $f > $D/w6.mlr.csv"
interleave W6 "$@"
row 1 "$bytes" "$N_BIG"
w6_chuan=$(csv_records "$D/w6.chuan.csv")
check "chuan: CSV records written" "$N_BIG" "$w6_chuan"
w6_ratio=n/a
if [ "$NCMD" -ge 2 ]; then
    row 2 "$bytes" "$N_BIG" 1
    check "Miller: CSV records written" "$N_BIG" "$(csv_records "$D/w6.mlr.csv")"
    w6_ratio=$(ratio "$T_2" "$T_1")
fi
table_end "Miller / chuan: **${w6_ratio}x** (target >= 10x)"
summary "W6 NDJSON -> CSV, optional fields" "$T_1 s, $(kib "$M_1") RSS" "Miller flatten+unsparsify ${w6_ratio}x slower" "$w6_chuan of $N_BIG records written"

# ---------------------------------------------------------------- W7
f=$D/w-$N_XML.xml; bytes=$(fsize "$f")
table_start "W7. XML validation through the dvc-hoso package (auto-selected)" "$N_XML dossiers, $(mb "$bytes") MB"
interleave W7 "chuan validate --schema hoso.xsd" "$CHUAN validate -q -j 1 --schema $XSD $f" \
              "chuan validate (dvc-hoso auto-selected)" "$CHUAN validate -q -j 1 $f || true"
row 1 "$bytes" "$N_XML"; row 2 "$bytes" "$N_XML"
table_end "package path: **$(kib "$M_2")** peak RSS (target <= 64 MiB), throughput $(ratio "$T_1" "$T_2") of the XSD path (target >= 0.5)"
summary "W7 XML through dvc-hoso, $(mb "$bytes") MB" "$T_2 s, $(kib "$M_2") RSS" "XSD path $T_1 s" "$(ratio "$T_1" "$T_2") of the XSD path"

# ---------------------------------------------------------------- W8
f=$D/w-$N_XML.json; bytes=$(fsize "$f")
table_start "W8. JSON -> XML" "$N_XML dossiers in one DVCQG body, $(mb "$bytes") MB"
set -- "chuan convert --to xml" "$CHUAN convert -q --to xml -o $D/w8.chuan.xml $f"
if /usr/bin/python3 -c 'import xmltodict' 2>/dev/null; then
    set -- "$@" "python3-xmltodict unparse" "/usr/bin/python3 -c 'import json,sys,xmltodict; sys.stdout.write(xmltodict.unparse({\"root\": json.load(open(sys.argv[1]))}))' $f > $D/w8.py.xml"
fi
interleave W8 "$@"
row 1 "$bytes" "$N_XML"
check "chuan: <MaHoSo> elements" "$N_XML" "$(grep -o '<MaHoSo>' "$D/w8.chuan.xml" | wc -l | tr -d ' ')"
w8_ratio=n/a
if [ "$NCMD" -ge 2 ]; then
    row 2 "$bytes" "$N_XML" 1
    check "xmltodict: <MaHoSo> elements" "$N_XML" "$(grep -o '<MaHoSo>' "$D/w8.py.xml" | wc -l | tr -d ' ')"
    w8_ratio=$(ratio "$T_2" "$T_1")
fi
table_end "xmltodict / chuan: **${w8_ratio}x**"
summary "W8 JSON -> XML, $(mb "$bytes") MB" "$T_1 s" "xmltodict ${w8_ratio}x slower" ""

# ---------------------------------------------------------------- W9
f=$D/w-$N_BIG.tcvn3.csv; bytes=$(fsize "$f")
table_start "W9. Legacy TCVN3 CSV -> validated NDJSON" "$N_BIG records (seed 7) encoded to TCVN3 by build/vnencode, $(mb "$bytes") MB; chuan detects TCVN3, decodes it by table and validates every row against bench/legacy-row.schema.json"
set -- "chuan convert -j 1" "$CHUAN convert --to ndjson --schema bench/legacy-row.schema.json -j 1 -q $f -o $D/w9.j1.ndjson" \
       "chuan convert -j 2" "$CHUAN convert --to ndjson --schema bench/legacy-row.schema.json -j 2 -q $f -o $D/w9.j2.ndjson"
command -v mlr >/dev/null 2>&1 && set -- "$@" "iconv -f TCVN5712-1 \\| mlr --icsv --ojsonl cat" "iconv -f TCVN5712-1 -t UTF-8 $f | mlr --icsv --ojsonl cat > $D/w9.mlr.ndjson"
interleave W9 "$@"
row 1 "$bytes" "$N_BIG"; row 2 "$bytes" "$N_BIG" 1
"$CHUAN" convert --to ndjson -q "$D/w-$N_BIG-s7.csv" -o "$D/w9.truth.ndjson"
set -- $(/usr/bin/python3 bench/legacy_compare.py "$D/w9.truth.ndjson" "$D/w9.j2.ndjson")
check "chuan: records differing from the UTF-8 original (wrong, of which case only, missing)" "0 0 0" "$1 $2 $3"
check "chuan -j 2 and -j 1: same bytes" "same" "$(cmp -s "$D/w9.j1.ndjson" "$D/w9.j2.ndjson" && echo same || echo different)"
w9_peer=""
if [ "$NCMD" -ge 3 ]; then
    row 3 "$bytes" "$N_BIG" 2
    set -- $(/usr/bin/python3 bench/legacy_compare.py "$D/w9.truth.ndjson" "$D/w9.mlr.ndjson")
    CHECKS="$CHECKS- iconv+mlr (no validation; glibc's TCVN5712-1 is the VN1 table and keeps TCVN3's lower-case codes): $1 records wrong, $2 of them only in letter case, $3 missing
"
    w9_peer="iconv \\| mlr $T_3 s, $1 records wrong"
fi
table_end "-j 2 / -j 1 scaling: **$(ratio "$T_1" "$T_2")x**"
summary "W9 legacy TCVN3 CSV -> validated NDJSON, $N_BIG records" "$T_1 s -j 1, $T_2 s -j 2, $(kib "$M_2") RSS, 0 records wrong" "$w9_peer" "-j 2 / -j 1 = $(ratio "$T_1" "$T_2")x"

# ---------------------------------------------------------------- W10
# chuan serve under load (bench/serve.sh: wrk on loopback), its section copied in
if command -v wrk >/dev/null 2>&1; then
    if [ $QUICK = 1 ]; then sdur=2; ssoak=5; else sdur=10; ssoak=60; fi
    DURATION=$sdur SOAK=$ssoak BENCH_RESULTS=$D/serve-section.md sh bench/serve.sh
    {
        echo
        echo "## W10. chuan serve under load (bench/serve.sh)"
        sed '1,2d' "$D/serve-section.md"
    } >> "$BENCH_RESULTS.tmp"
    best=$(awk -F'|' '/\| (edxml|dvc) .*\| 64 \|/ {gsub(/ /, "", $7); print $2 ": " $7}' "$D/serve-section.md" | tr '\n' ';')
    summary "W10 chuan serve, 10 KB payloads" "see the W10 table" "one chuan validate process per request" "at concurrency 64: $best"
fi

results_end
[ $CHECK_FAILED = 0 ] || { echo "bench: a correctness check FAILED (see $BENCH_RESULTS)" >&2; exit 1; }
