#!/bin/sh
# Replay every fuzz target over its seed corpus (tests/fuzz/corpus/<name>/):
# each input runs once under ASan+UBSan; any crash fails the suite.
# `make fuzz-run FUZZ_SECONDS=N` fuzzes each target for N seconds instead.
build=$1; shift
passed=0; failed=0
for t in "$@"; do
    name=$(basename "$t"); name=${name#fuzz_}
    dir=tests/fuzz/corpus/$name
    [ -d "$dir" ] || { echo "fuzz: no corpus for $name"; failed=$((failed + 1)); continue; }
    if ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=halt_on_error=1 "$t" -runs=0 -timeout=120 -rss_limit_mb=4096 -artifact_prefix="$build/" \
          "$dir" >"$build/fuzz-$name.log" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL fuzz_$name:"; tail -30 "$build/fuzz-$name.log"
    fi
done
echo "fuzz: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "fuzz $passed $failed" > "$RESULTS/fuzz"
[ $failed -eq 0 ]
