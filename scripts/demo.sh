#!/bin/sh
# `make demo`: the main job on the bundled data — validate edXML messages
# (QCVN 102:2016/BTTTT) and show one valid and one invalid result.
set -u
chuan=${1:-build/chuan}
step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
fail=0
expect() { want=$1; shift; step "$*"; "$@"; got=$?; echo "(exit code $got)"; [ "$got" = "$want" ] || fail=1; }

expect 0 "$chuan" validate --schema standards/edxml/schema/edxml.xsd standards/edxml/fixtures/valid/congvan.xml
expect 1 "$chuan" validate --schema standards/edxml/schema/edxml.xsd standards/edxml/fixtures/invalid/xsd-subject-too-long.xml
expect 1 "$chuan" validate -q -r github --schema standards/edxml/schema/edxml.xsd standards/edxml/fixtures/invalid/xsd-*.xml
if [ $fail -ne 0 ]; then echo "demo: unexpected exit code above" >&2; exit 1; fi
echo
echo "demo: done (0 = valid, 1 = invalid, 2 = the tool could not do its job)"
