#!/bin/sh
# bench/xlsx.sh - a large XLSX to NDJSON: chuan against python3-openpyxl's read-only mode (the
# nearest peer packaged in Debian), in the same run, same file: wall time and peak RSS
# (/usr/bin/time -v). The memory claim: chuan's RSS stays flat as the sheet grows (it streams
# the sheet; only the shared-string table is held), so ROWS=100000 and ROWS=1000000 should show
# about the same peak. Writes bench/RESULTS-xlsx.md.
# Environment: ROWS (1000000), BENCH_DIR (bench/data), CHUAN (build/chuan), PEER=0 skips openpyxl.
# Needs: /usr/bin/python3 with openpyxl (scripts/install-deps.sh). Run it on a quiet machine.
set -u
cd "$(dirname "$0")/.."
ROWS=${ROWS:-1000000}
D=${BENCH_DIR:-bench/data}
CHUAN=${CHUAN:-build/chuan}
OUT=${BENCH_XLSX_RESULTS:-bench/RESULTS-xlsx.md}
[ -x "$CHUAN" ] || { echo "bench: build chuan first (make)" >&2; exit 2; }
mkdir -p "$D"
F=$D/register-$ROWS.xlsx
[ -s "$F" ] || /usr/bin/python3 bench/gen/xlsx.py "$ROWS" "$F" || exit 2
measure() { # LABEL CMD...: "LABEL seconds peak-KiB records"
    label=$1; shift
    /usr/bin/time -v -o "$D/time.txt" "$@" > "$D/out.ndjson" 2>"$D/err.txt"
    st=$?
    secs=$(sed -n 's/.*Elapsed (wall clock) time.*: //p' "$D/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$D/time.txt")
    n=$(wc -l < "$D/out.ndjson")
    echo "| $label | $secs | $((rss / 1024)) | $n | $st |"
}
{
    echo "# XLSX -> NDJSON, $ROWS rows ($(date -u +%Y-%m-%d), $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg))"
    echo
    echo "File: $(du -h "$F" | cut -f1) ($F, bench/gen/xlsx.py). Rows: a .VnTime name (TCVN3), an"
    echo "Excel date, a shared string in .VnTime, a code formatted 00000, a number."
    echo
    echo "| tool | wall (m:ss) | peak RSS (MiB) | records | exit |"
    echo "| --- | --- | --- | --- | --- |"
    measure "chuan convert --to ndjson --number-text" "$CHUAN" convert --to ndjson --number-text "$F"
    if [ "${PEER:-1}" != 0 ]; then
        measure "openpyxl 3.0 read_only=True (values only, json.dumps per row)" /usr/bin/python3 -c '
import json, sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
rows = wb.active.iter_rows(values_only=True)
head = next(rows)
out = sys.stdout
for r in rows:
    out.write(json.dumps(dict(zip(head, r)), default=str, ensure_ascii=False) + "\n")
' "$F"
    fi
    echo
    echo "openpyxl does not decode the .VnTime text (it has no notion of fonts as encodings); its"
    echo "output keeps the Windows-1252 characters, chuan's is Unicode."
} | tee "$OUT"
