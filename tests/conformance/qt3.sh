#!/bin/sh
# W3C QT3 fn:json-to-xml / fn:xml-to-json cases against the w3c mapping.
# usage: tests/conformance/qt3.sh BUILD_DIR   (appends "qt3 passed failed" to $RESULTS/qt3)
build=${1:-build}
dir=$(dirname "$0")
out=$("$build/tests/qt3_runner" "$dir/qt3-json" "$dir/qt3-expected.txt"); st=$?
printf '%s\n' "$out" | grep -v ' PASS$' | grep -v 'passes but is not in' || true
sum=$(printf '%s\n' "$out" | tail -1)
passed=$(printf '%s\n' "$sum" | sed -n 's/.* \([0-9]*\) passed.*/\1/p')
failed=$(printf '%s\n' "$sum" | sed -n 's/.* \([0-9]*\) failed.*/\1/p')
passed=${passed:-0}; failed=${failed:-1}
[ $st -ne 0 ] && [ "$failed" = 0 ] && failed=1
[ -n "${RESULTS:-}" ] && echo "qt3 $passed $failed" > "$RESULTS/qt3"
exit $st
