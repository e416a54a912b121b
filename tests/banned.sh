#!/bin/sh
# curl's banned-function list: fail when a source file calls one of them.
hits=$(grep -nE '\b(strcpy|strcat|sprintf|vsprintf|strtok|atoi|atol|gets)[[:space:]]*\(' \
       core/*.c converters/*.c validator/*.c cli/*.c 2>/dev/null | grep -v '^\s*//' )
if [ -n "$hits" ]; then
    echo "banned functions used:"; echo "$hits"
    [ -n "${RESULTS:-}" ] && echo "banned 0 1" > "$RESULTS/banned"
    exit 1
fi
echo "banned: 1 passed, 0 failed"
[ -n "${RESULTS:-}" ] && echo "banned 1 0" > "$RESULTS/banned"
exit 0
