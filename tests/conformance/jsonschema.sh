#!/bin/sh
# Conformance suites run by `make check` (make conformance):
#   - the official JSON Schema Test Suite through the JSON Schema engine
#     (draft2020-12, draft2019-09, draft7; required, optional, optional/format),
#     failing on any case not listed in jsonschema-known-failures.txt;
#   - the embedded meta-schemas are up to date with validator/metaschemas/.
# Appends "jsonschema passed failed" to $RESULTS/jsonschema.
build=${1:-build}
st=0
out=$("$build/tests/jsonschema_conformance" tests/conformance/json-schema-test-suite \
    tests/conformance/jsonschema-known-failures.txt); rc=$?
printf '%s\n' "$out" | grep -v '^jsonschema '
line=$(printf '%s\n' "$out" | grep '^jsonschema ' | tail -1)
passed=$(echo "$line" | cut -d' ' -f2); failed=$(echo "$line" | cut -d' ' -f3)
passed=${passed:-0}; failed=${failed:-1}
[ $rc -ne 0 ] && [ "$failed" = 0 ] && failed=1
# the generated C file must match the meta-schema sources
tmp=$(mktemp)
if python3 scripts/gen-jsonschema-metaschemas.py "$tmp" && cmp -s "$tmp" validator/jsonschema_metaschemas.c; then
    passed=$((passed + 1))
else
    echo "validator/jsonschema_metaschemas.c is out of date: run scripts/gen-jsonschema-metaschemas.py"
    failed=$((failed + 1))
fi
rm -f "$tmp"
echo "jsonschema conformance: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "jsonschema $passed $failed" >> "$RESULTS/jsonschema"
[ "$failed" -eq 0 ] || st=1
exit $st
