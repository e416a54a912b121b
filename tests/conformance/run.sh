#!/bin/sh
# Run every conformance suite runner tests/conformance/*.sh (each appends its
# "name passed failed" line to $RESULTS). usage: tests/conformance/run.sh BUILD_DIR
dir=$(dirname "$0")
st=0
for s in "$dir"/*.sh; do
    [ "$(basename "$s")" = run.sh ] && continue
    sh "$s" "$@" || st=1
done
exit $st
