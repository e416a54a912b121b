#!/bin/sh
# bench/readme.sh - copy the summary table of the latest bench/RESULTS.md into README.md and
# README.vi.md, between
# the markers <!-- bench:summary:begin --> and <!-- bench:summary:end -->: the README's
# performance figures are never typed by hand.
set -eu
cd "$(dirname "$0")/.."
src=${1:-bench/RESULTS.md}
grep -q 'bench:summary:begin' "$src" || { echo "bench/readme.sh: no summary in $src" >&2; exit 2; }
for readme in README.md README.vi.md; do
awk -v src="$src" '
    BEGIN { while ((getline l < src) > 0) { if (l ~ /bench:summary:begin/) on = 1; if (on) t = t l "\n"; if (l ~ /bench:summary:end/) on = 0 } }
    /bench:summary:begin/ { printf "%s", t; skip = 1; next }
    /bench:summary:end/ { skip = 0; next }
    !skip { print }
' "$readme" > "$readme.tmp"
mv "$readme.tmp" "$readme"
echo "$readme: performance summary copied from $src" >&2
done
