#!/bin/sh
# `chuan lint` and `chuan test` on every bundled standard (standards/*/standard.json) and on the
# test packages of tests/standards/ (mini must pass; each broken-* must be refused by lint with
# exit 2), and the dvc-hoso conversion round trip (tests/standards/roundtrip-dvc.sh). Appends "standards passed failed" to $RESULTS/standards.
# Usage: tests/run-standards.sh BIN
bin=$1
passed=0; failed=0
out=$(mktemp /tmp/chuan-std.XXXXXX)
check() { # name expected-status command...
    name=$1; want=$2; shift 2
    "$@" >"$out" 2>&1; st=$?
    if [ "$st" = "$want" ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL standards: $name: exit $st, expected $want"
        head -30 "$out"
    fi
}
for m in standards/*/standard.json; do
    [ -f "$m" ] || continue
    d=${m%/standard.json}
    check "lint $d" 0 "$bin" lint "$d"
    check "test $d" 0 "$bin" test -q "$d"
done
for m in tests/standards/*/standard.json; do
    d=${m%/standard.json}
    case $d in */broken-*) continue ;; esac
    check "lint $d" 0 "$bin" lint "$d"
    check "test $d" 0 "$bin" test -q "$d"
done
# convert through the package's forms (JSON body, XML, CSV, NDJSON into each other)
check "roundtrip dvc-hoso" 0 sh tests/standards/roundtrip-dvc.sh "$bin"
for d in tests/standards/broken-*; do
    [ -d "$d" ] || continue
    check "lint $d (must be refused)" 2 "$bin" lint "$d"
done
# the generated commune list is what scripts/gen-communes.py makes of the vendored snapshots
if command -v python3 >/dev/null 2>&1; then
    check "communes.csv up to date" 0 python3 scripts/gen-communes.py --check
fi
rm -f "$out"
echo "standards: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "standards $passed $failed" > "$RESULTS/standards"
[ "$failed" -eq 0 ]
