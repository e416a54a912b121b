#!/bin/sh
# The generated code lists of standards/codelists/, made by `chuan codelist` (docs/codelists.md):
#   communes.csv   merge of the two vendored administrative-unit snapshots on 2025-07-01
#   provinces.csv  merge of provinces-2004.csv and provinces-2025.csv on 2025-07-01, plus the
#                  pre-2004 Lai Châu row (checked only: the typed lists are the source)
# Usage: scripts/gen-codelists.sh [--check] [CHUAN]   (CHUAN default build/chuan)
#   without --check: rewrite communes.csv; with --check: exit 1 when a committed list differs.
set -u
check=0
[ "${1:-}" = "--check" ] && { check=1; shift; }
chuan=${1:-build/chuan}
L=standards/codelists
S=$L/sources/vn-admin-units
tmp=$(mktemp -d /tmp/chuan-codelists.XXXXXX) || exit 2
trap 'rm -rf "$tmp"' EXIT
status=0

# communes: one row per commune and snapshot, under its province of the day
"$chuan" codelist merge --date 2025-07-01 --split \
    --old-map $S/until.map.json --new-map $S/from.map.json \
    $S/units-until-2025-06-30.json $S/units-from-2025-07-01.json -o "$tmp/communes.csv" || exit 2
"$chuan" codelist check --code-pattern '[0-9]{5}' --parents $L/provinces.csv "$tmp/communes.csv" >/dev/null || exit 1
if [ $check = 1 ]; then
    if cmp -s "$tmp/communes.csv" $L/communes.csv; then
        echo "$L/communes.csv: up to date"
    else
        echo "$L/communes.csv is not what 'chuan codelist merge' makes: rerun $0" >&2
        status=1
    fi
else
    # same-directory rename: the list is replaced whole or not at all
    cp "$tmp/communes.csv" $L/.communes.csv.new && mv $L/.communes.csv.new $L/communes.csv &&
        echo "wrote $L/communes.csv"
fi

# provinces: typed lists (QĐ 124/2004, QĐ 19/2025); the combined one is their merge, with the
# Lai Châu of before 2004 (not in either list) added. Checked only: the typed lists are the source.
"$chuan" codelist merge --date 2025-07-01 $L/provinces-2004.csv $L/provinces-2025.csv \
    -o "$tmp/provinces.csv" 2>/dev/null || exit 2
if grep -v '^12,Lai Châu (tỉnh cũ' $L/provinces.csv | cmp -s - "$tmp/provinces.csv"; then
    echo "$L/provinces.csv: the merge of provinces-2004 and provinces-2025 (and the old Lai Châu)"
else
    echo "$L/provinces.csv is not the merge of provinces-2004.csv and provinces-2025.csv" >&2
    status=1
fi
exit $status
