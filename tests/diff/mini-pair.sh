#!/bin/sh
# Make DIR/old/mini and DIR/new/mini from the test package tests/standards/mini: the old one with
# bounds and an enum added, the new one with those bounds narrowed or widened, the enum changed,
# the XML record path moved, a date format dropped and a Schematron check lowered to a warning (tests/cli/cases/diff-mini).
# Usage: tests/diff/mini-pair.sh DIR
set -eu
out=$1
for side in old new; do
    mkdir -p "$out/$side"
    cp -R tests/standards/mini tests/standards/codelists "$out/$side/"
done
props='.allOf[1].properties'
jq "$props.MaSoThue += {\"minLength\": 10, \"maxLength\": 14}
    | $props.SoTien = {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 1000}
    | $props.TrangThai = {\"enum\": [\"1\", \"2\", \"3\"]}" \
    tests/standards/mini/schema/model.schema.json >"$out/old/mini/schema/model.schema.json"
jq "$props.MaSoThue += {\"minLength\": 8, \"maxLength\": 13}
    | $props.SoTien = {\"type\": \"number\", \"minimum\": 1, \"maximum\": 5000}
    | $props.TrangThai = {\"enum\": [\"1\", \"2\", \"4\"]}" \
    tests/standards/mini/schema/model.schema.json >"$out/new/mini/schema/model.schema.json"
jq '.version = "1.1.0" | .formats.xml.record = "/DanhSach/HoSoMoi"
    | .settings["mini.date_formats"] -= ["dd/MM/yyyy"]' tests/standards/mini/standard.json \
    >"$out/new/mini/standard.json"
sed 's/id="MINI-102"/id="MINI-102" role="warning"/' tests/standards/mini/schema/mini.sch \
    >"$out/new/mini/schema/mini.sch"
