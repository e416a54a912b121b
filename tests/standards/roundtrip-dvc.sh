#!/bin/sh
# `chuan convert -s dvc-hoso` through the package's own forms: every valid fixture form (the
# JSON body, XML, CSV, NDJSON of the same two dossiers) into every other form; the records of
# each result must equal the JSON body's /data exactly (python3 compares the parsed values, key
# order aside), each result must validate against the package, and the JSON result must keep the
# envelope (service, isUpdating) and be auto-selected. Invalid fixtures that exist in several forms
# are converted to every form and must be rejected with the rule ids of their .expected file.
# Usage: tests/standards/roundtrip-dvc.sh BIN     (prints "roundtrip: N passed, M failed")
bin=$1
fx=standards/dvc-hoso/fixtures
T=$(mktemp -d /tmp/chuan-rt.XXXXXX)
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "FAIL roundtrip: $*"; }

# records of a converted output, as the JSON body's "data" would hold them
records() { # file form -> $T/rec.json
    case $2 in
    json) python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["data"], sort_keys=True))' "$1" ;;
    *) "$bin" convert -q -s dvc-hoso --to ndjson "$1" 2>/dev/null |
        python3 -c 'import json,sys; print(json.dumps([json.loads(l) for l in sys.stdin if l.strip()], sort_keys=True))' ;;
    esac
}
records "$fx/valid/dongbo-hoso.json" json > "$T/want.json"
for from in json xml csv ndjson; do
    src=$fx/valid/dongbo-hoso.$from
    for to in json xml csv ndjson; do
        out=$T/out-$from.$to
        if ! "$bin" convert -q -s dvc-hoso --to "$to" -o "$out" "$src" 2>"$T/err"; then
            bad "$from -> $to: convert failed"; head -5 "$T/err"; continue
        fi
        records "$out" "$to" > "$T/got.json"
        if cmp -s "$T/want.json" "$T/got.json"; then ok; else
            bad "$from -> $to: records differ"; diff "$T/want.json" "$T/got.json" | head -5; fi
        if "$bin" validate -q -s dvc-hoso "$out" >"$T/err" 2>&1; then ok; else
            bad "$from -> $to: the result does not validate"; head -5 "$T/err"; fi
        if [ "$to" = json ]; then
            case $(head -c 60 "$out") in
            '{"service":"DongBoHoSoMC","isUpdating":"false","data":['*) ok ;;
            *) bad "$from -> json: no DongBoHoSoMC envelope: $(head -c 60 "$out")" ;;
            esac
            if "$bin" validate "$out" 2>&1 | grep -q 'using standard dvc-hoso'; then ok; else
                bad "$from -> json: the result is not auto-selected as dvc-hoso"; fi
        fi
    done
done
# the input body's envelope is kept (isUpdating "true")
"$bin" convert -q -s dvc-hoso --to json "$fx/valid/dongbo-hoso-tinh.json" -o "$T/tinh.json" 2>/dev/null
case $(head -c 60 "$T/tinh.json") in
'{"service":"DongBoHoSoMC","isUpdating":"true","data":['*) ok ;;
*) bad "json -> json: the input envelope was not kept" ;;
esac
# invalid fixtures in several forms: rejected with the same rule ids in every target form
for exp in "$fx"/invalid/*.json.expected; do
    base=${exp%.json.expected}
    [ -f "$base.xml" ] && [ -f "$base.csv" ] || continue
    want=$(cut -f1 "$exp" | sort -u | tr '\n' ' ')
    for from in json xml csv; do
        for to in json xml csv; do
            "$bin" convert -s dvc-hoso --to "$to" -o "$T/inv.$to" "$base.$from" 2>"$T/err"
            got=$(grep -o ': \(error\|warning\|info\): [A-Z]*-[0-9]*' "$T/err" | sed 's/.*: //' | sort -u | tr '\n' ' ')
            if [ "$got" = "$want" ]; then ok; else
                bad "$(basename "$base").$from -> $to: rule ids '$got', expected '$want'"; fi
        done
    done
done
rm -rf "$T"
echo "roundtrip: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
