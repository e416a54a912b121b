#!/bin/sh
# bench/tcvn3-case.sh - how often TCVN3 capital restoration gets a letter's case wrong
# (issue 7). Generates N dossier records (bench/gen/records.py --format csv), encodes them
# to TCVN3 with build/vnencode, decodes that with `chuan convert --encoding tcvn3` (CSV ->
# NDJSON), converts the UTF-8 original the same way, and compares record by record and
# word by word (bench/tcvn3_case.py): records that differ, words whose capital was lost
# (Ánh -> ánh), words given a wrong capital (Hồ -> HỒ), other differences (should be 0),
# and the encoding.tcvn3-case warning chuan printed. Then the same word comparison on the
# hand-written texts fixtures/encoding/*.utf-8.* (prose, names, addresses, a CSV), which
# the generator's few fields do not stand for.
#   sh bench/tcvn3-case.sh [N]      N records (default 100000); SEED overrides the seed
set -u
cd "$(dirname "$0")/.."
. bench/lib.sh
N=${1:-100000}
SEED=${SEED:-20261123}
[ -x build/vnencode ] || make build/vnencode >/dev/null
[ -x "$CHUAN" ] || make >/dev/null
D=$BENCH_DIR
utf8=$D/case-$N-$SEED.utf8.csv
tcvn3=$D/case-$N-$SEED.tcvn3.csv
if [ ! -s "$tcvn3" ]; then
    python3 bench/gen/records.py --format csv --count "$N" --seed "$SEED" > "$utf8" || exit 2
    build/vnencode tcvn3 < "$utf8" > "$tcvn3" 2>/dev/null
fi
"$CHUAN" convert --to ndjson --encoding utf-8 -q "$utf8" -o "$D/case.truth.ndjson" || exit 2
"$CHUAN" convert --to ndjson --encoding tcvn3 -q "$tcvn3" -o "$D/case.tcvn3.ndjson" 2>"$D/case.err"
st=$?
echo "chuan convert --encoding tcvn3: exit $st"
sed 's/^/  stderr: /' "$D/case.err"
python3 bench/tcvn3_case.py "$D/case.truth.ndjson" "$D/case.tcvn3.ndjson"
echo "hand-written texts (fixtures/encoding/*.utf-8.*; text decoded by build/vnencode -d, the same decoder):"
for u in fixtures/encoding/*.utf-8.txt fixtures/encoding/*.utf-8.csv; do
    case $u in *nfd*|*mixed*) continue ;; esac
    build/vnencode tcvn3 < "$u" 2>/dev/null | build/vnencode -d tcvn3 > "$D/case-hand.txt" 2>/dev/null
    printf '  %s: ' "$u"
    python3 bench/tcvn3_case.py --text "$u" "$D/case-hand.txt"
done
