#!/bin/sh
# XML validation: chuan validate vs xmllint (streaming and DOM), issue 2.
#   (a) one file >= 200 MB   (b) 2,000 files of ~10 KB
# Usage: sh bench/xml.sh [RECORDS_BIG] [RUNS]
set -u
. bench/lib.sh
big_records=${1:-120000}
runs=${2:-3}
xsd=bench/gen/hoso.xsd
big=$BENCH_DIR/hoso-big.xml
small=$BENCH_DIR/hoso-small

[ -s "$big" ] || python3 bench/gen/records.py --format xml --count "$big_records" > "$big"
[ -d "$small" ] || python3 bench/gen/records.py --format xml --count 12000 --split "$small" --per-file 6
bytes=$(fsize "$big")
nsmall=$(ls "$small" | wc -l)
small_bytes=$(cat "$small"/*.xml | wc -c)
echo "xml: big file $(( bytes / 1000000 )) MB; $nsmall small files, $(( small_bytes / nsmall )) bytes each" >&2

measure "chuan validate (1 large file)" "$runs" "$CHUAN validate -q --schema $xsd $big"
c_big=$MED; c_big_rss=$RSS
measure "xmllint --stream --schema (1 large file)" "$runs" "xmllint --noout --stream --schema $xsd $big"
x_stream=$MED; x_stream_rss=$RSS
measure "xmllint --schema DOM (1 large file)" "$runs" "xmllint --noout --schema $xsd $big"
x_dom=$MED; x_dom_rss=$RSS

measure "chuan validate -j $(nproc) (2,000 files)" "$runs" "$CHUAN validate -q -j $(nproc) --schema $xsd $small"
c_small=$MED; c_small_rss=$RSS
measure "chuan validate -j 1 (2,000 files)" "$runs" "$CHUAN validate -q -j 1 --schema $xsd $small"
c_small1=$MED
measure "xmllint once per file (2,000 calls)" 1 "for f in $small/*.xml; do xmllint --noout --schema $xsd \$f 2>/dev/null; done"
x_each=$MED; x_each_rss=$RSS
measure "xmllint one call, all files" "$runs" "xmllint --noout --schema $xsd $small/*.xml"
x_all=$MED; x_all_rss=$RSS

results_header
cat >> "$RESULTS" <<EOT

### XML validation (bench/xml.sh)

Generated dossier records (bench/gen/records.py), schema bench/gen/hoso.xsd; median of $runs runs
(the 2,000-call xmllint loop: 1 run); peak RSS is the maximum over the runs.

| case | tool | time (s) | MB/s | peak RSS (KiB) | chuan speed-up |
|---|---|---:|---:|---:|---:|
| one file, $(( bytes / 1000000 )) MB | chuan validate | $c_big | $(mbps "$bytes" "$c_big") | $c_big_rss | |
| | xmllint --stream --schema | $x_stream | $(mbps "$bytes" "$x_stream") | $x_stream_rss | $(ratio "$x_stream" "$c_big")x |
| | xmllint --schema (DOM) | $x_dom | $(mbps "$bytes" "$x_dom") | $x_dom_rss | $(ratio "$x_dom" "$c_big")x |
| $nsmall files of ~$(( small_bytes / nsmall / 1000 )) KB | chuan validate -j $(nproc) | $c_small | $(mbps "$small_bytes" "$c_small") | $c_small_rss | |
| | chuan validate -j 1 | $c_small1 | $(mbps "$small_bytes" "$c_small1") | | |
| | xmllint once per file | $x_each | $(mbps "$small_bytes" "$x_each") | $x_each_rss | $(ratio "$x_each" "$c_small")x |
| | xmllint, one call with all files | $x_all | $(mbps "$small_bytes" "$x_all") | $x_all_rss | $(ratio "$x_all" "$c_small")x |

Targets (issue 2): large file chuan/xmllint-stream time ratio $(ratio "$c_big" "$x_stream") (target <= 1.0),
peak RSS $(( c_big_rss / 1024 )) MiB (target <= 32 MiB); small files $(ratio "$x_each" "$c_small")x faster than
one xmllint per file (target >= 5), $(ratio "$x_all" "$c_small")x faster than one xmllint call (target >= 1.5).
EOT
