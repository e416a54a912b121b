#!/bin/sh
# `chuan lint` and `chuan test` on every bundled standard (standards/*/standard.json) and on the
# test packages of tests/standards/ (mini must pass; each broken-* must be refused by lint with
# exit 2), tests/xml-stream.sh and the dvc-hoso conversion round trip (tests/standards/roundtrip-dvc.sh).
# Appends "standards passed failed" to $RESULTS/standards.
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
# XML through a package: the streaming path reports what the whole-document path does, in flat memory
check "xml stream = whole document" 0 sh tests/xml-stream.sh "$bin"
# convert through the package's forms (JSON body, XML, CSV, NDJSON into each other)
check "roundtrip dvc-hoso" 0 sh tests/standards/roundtrip-dvc.sh "$bin"
for d in tests/standards/broken-*; do
    [ -d "$d" ] || continue
    check "lint $d (must be refused)" 2 "$bin" lint "$d"
done
# the generated lists are what `chuan codelist merge` makes of their sources (scripts/gen-codelists.sh)
check "communes.csv and provinces.csv up to date" 0 sh scripts/gen-codelists.sh --check "$bin"
# and the check would fail on a stale list
cl_tmp=$(mktemp -d /tmp/chuan-cl.XXXXXX)
mkdir -p "$cl_tmp/standards/codelists" && cp -r standards/codelists/* "$cl_tmp/standards/codelists/" &&
    sed -i '2d' "$cl_tmp/standards/codelists/communes.csv" && cp -r scripts "$cl_tmp/"
case $bin in /*) abs=$bin ;; *) abs=$PWD/$bin ;; esac
check "a stale communes.csv is noticed" 1 sh -c "cd '$cl_tmp' && sh scripts/gen-codelists.sh --check '$abs'"
rm -rf "$cl_tmp"
rm -f "$out"
echo "standards: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "standards $passed $failed" > "$RESULTS/standards"
[ "$failed" -eq 0 ]
