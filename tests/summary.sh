#!/bin/sh
# Sum the per-suite results written by the test runners; print the closing line.
dir=$1
passed=0; failed=0
for f in "$dir"/*; do
    [ -f "$f" ] || continue
    while read -r name p fl; do
        printf '  %-14s %6s passed, %s failed\n' "$name" "$p" "$fl"
        passed=$((passed + p)); failed=$((failed + fl))
    done < "$f"
done
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
