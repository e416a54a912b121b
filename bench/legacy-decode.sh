#!/bin/sh
# bench/legacy-decode.sh - legacy Vietnamese decoding throughput (core/textenc)
# and the overhead of the textin layer on UTF-8 input. Appends to bench/RESULTS.md.
# Usage: sh bench/legacy-decode.sh [MB]   (from the repository root, after `make`)
set -eu
mb=${1:-32}
build=${BUILD:-build}
[ -f "$build/libchuan.a" ] || make -j2 >/dev/null
cc -std=c11 -O2 -D_DEFAULT_SOURCE -Iinclude -Icore $(pkg-config --cflags libutf8proc) \
    -o "$build/bench-legacy-decode" bench/legacy_decode.c "$build/libchuan.a" \
    $(pkg-config --libs libxml-2.0 libxslt libexslt jansson libpcre2-8 libutf8proc) -lpthread -lm
out=$("$build/bench-legacy-decode" "$mb")
printf '%s\n' "$out"
{
    printf '\n## Legacy Vietnamese decoding (%s, %s MB of text, %s)\n\n' "$(date -u +%Y-%m-%d)" "$mb" \
        "$(nproc) cores, $(uname -m)"
    printf '%s\n' "$out"
} >> bench/RESULTS.md
