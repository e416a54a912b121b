#!/bin/sh
# curl's banned-function list: fail when a source file calls one of them.
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\(' \
       core/*.c converters/*.c validator/*.c cli/*.c 2>/dev/null | grep -v '^\s*//' )
# The one allocator (core/alloc.c): no direct malloc/calloc/realloc/free; (free)() is the
# documented way to release memory a library allocated with libc's malloc.
alloc=$(grep -nP '(?<![\w.>(])(malloc|calloc|realloc|free)\s*\(' \
       core/*.c converters/*.c validator/*.c cli/*.c 2>/dev/null | grep -v '^core/alloc.c:')
hits="$hits${alloc:+
$alloc}"
if [ -n "$hits" ]; then
    echo "banned functions used:"; echo "$hits"
    [ -n "${RESULTS:-}" ] && echo "banned 0 1" > "$RESULTS/banned"
    exit 1
fi
echo "banned: 1 passed, 0 failed"
[ -n "${RESULTS:-}" ] && echo "banned 1 0" > "$RESULTS/banned"
exit 0
