#!/bin/sh
# Run every cmocka unit-test binary; record "passed failed" for tests/summary.sh.
build=$1; shift
passed=0; failed=0; st=0
for t in "$@"; do
    out=$(CMOCKA_MESSAGE_OUTPUT=stdout "$t" 2>&1); rc=$?
    printf '%s\n' "$out" | grep -E '^\[  (FAILED|  OK|PASSED)' | grep -v '^\[       OK' || true
    p=$(printf '%s\n' "$out" | sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    f=$(printf '%s\n' "$out" | sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' | tail -1)
    p=${p:-0}; f=${f:-0}
    if [ $rc -ne 0 ] && [ "$f" = 0 ]; then f=1; printf '%s\n' "$out" | tail -20; fi
    [ "$f" != 0 ] && { st=1; printf '%s\n' "$out" | grep -E 'FAILED|Failure|error' | head -20; }
    passed=$((passed + p)); failed=$((failed + f))
done
echo "unit: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "unit $passed $failed" > "$RESULTS/unit"
exit $st
