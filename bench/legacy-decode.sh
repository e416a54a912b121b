#!/bin/sh
# bench/legacy-decode.sh - legacy Vietnamese decoding throughput (core/textenc,
# issue 7 item 1) against glibc iconv where iconv has the encoding, and the
# overhead of the textin layer on UTF-8 input. Appends to bench/RESULTS.md.
# Usage: sh bench/legacy-decode.sh [MB]   (from the repository root; notes: bench/legacy-decode.md)
set -eu
cd "$(dirname "$0")/.."
. bench/lib.sh
mb=${1:-32}
build=${BUILD:-build}
[ -f "$build/libchuan.a" ] || make -j2 >/dev/null
cc -std=c11 -O2 -D_DEFAULT_SOURCE -Iinclude -Icore $(pkg-config --cflags libutf8proc) \
    -o "$build/bench-legacy-decode" bench/legacy_decode.c bench/gen/vnenc.c "$build/libchuan.a" \
    $(pkg-config --libs libxml-2.0 libxslt libexslt libpcre2-8 libutf8proc) -lpthread -lm
out=$("$build/bench-legacy-decode" "$mb")
printf '%s\n' "$out"
results_header
{
    printf '\n### Legacy Vietnamese decoding (bench/legacy-decode.sh)\n\n'
    printf '%s MB of Vietnamese text (fixtures/encoding/src, repeated) in each encoding; median of 5 runs.\n\n' "$mb"
    printf '%s\n' "$out"
} >> "$RESULTS"
