#!/bin/sh
# `make demo`: the main job on the bundled standards and sample payloads.
set -u
chuan=${1:-build/chuan}
# bold command lines only on a terminal (and without NO_COLOR): logs get plain text
if [ -t 1 ] && [ -z "${NO_COLOR:-}" ]; then bold='\033[1m'; plain='\033[0m'; else bold=''; plain=''; fi
step() { printf "\n${bold}\$ %s${plain}\n" "$*"; }
fail=0
expect() { want=$1; shift; step "$*"; "$@"; got=$?; echo "(exit code $got)"; [ "$got" = "$want" ] || fail=1; }
fx=standards/dvc-hoso/fixtures

expect 0 "$chuan" standards list
# edXML (QCVN 102:2016/BTTTT): one valid message, one invalid one
# no -s: the standard is picked from the XML root namespace
expect 0 "$chuan" validate standards/edxml/fixtures/valid/congvan.xml
expect 1 "$chuan" validate -s edxml standards/edxml/fixtures/invalid/xsd-subject-too-long.xml
# the same invalid dossier as XML, JSON and CSV: the same rule id in each payload's own terms
expect 1 "$chuan" validate -s dvc-hoso $fx/invalid/dvc001-missing-donvixuly.xml $fx/invalid/dvc001-missing-donvixuly.json $fx/invalid/dvc001-missing-donvixuly.csv
# a CI report
expect 1 "$chuan" validate -q -r github -s dvc-hoso $fx/invalid/dvc001-missing-donvixuly.json
# conversion: XML dossiers to NDJSON, typed and shaped by the standard's model
expect 0 "$chuan" convert --to ndjson --schema standards/dvc-hoso/schema/model.schema.json --record /DanhSachHoSo/HoSo $fx/valid/dongbo-hoso.xml
# a maintainer runs a package's conformance fixtures
expect 0 "$chuan" test -q edxml
if [ $fail -ne 0 ]; then echo "demo: unexpected exit code above" >&2; exit 1; fi
echo
echo "demo: done (exit codes: 0 valid, 1 invalid, 2 the tool could not do its job)"
