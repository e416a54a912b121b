#!/bin/sh
# XML through a standard package: the streaming path (validator/standard_xml_stream.c) must
# report exactly what the whole-document path reports (CHUAN_XML_WHOLE_DOCUMENT=1): same
# stdout, stderr and exit status, text and JSON reports, on every bundled XML fixture and on
# generated dossiers with errors (indented and on one line), a document cut short after records
# with errors (parse error: the stream gives up, nothing of it may remain), a DTD and a BOM
# (whole-document fallbacks), no record element. Then memory: 20k generated dossiers (~35 MB) must validate in
# < 40 MiB peak RSS (the whole-document path takes ~375 MiB), when /usr/bin/time is there.
# Usage: tests/xml-stream.sh BIN   (from the repository root; exit 0 pass, 1 fail)
bin=$1
tmp=$(mktemp -d /tmp/chuan-xmlstream.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
fail=0; n=0
same() { # package file [options...]
    pkg=$1; f=$2; shift 2
    for r in text json; do
        "$bin" validate -s "$pkg" -r "$r" "$@" "$f" >"$tmp/s.out" 2>"$tmp/s.err"; echo $? >"$tmp/s.st"
        CHUAN_XML_WHOLE_DOCUMENT=1 "$bin" validate -s "$pkg" -r "$r" "$@" "$f" \
            >"$tmp/w.out" 2>"$tmp/w.err"; echo $? >"$tmp/w.st"
        n=$((n + 1))
        for k in out err st; do
            if ! cmp -s "$tmp/s.$k" "$tmp/w.$k"; then
                echo "FAIL xml-stream: $f (-s $pkg -r $r $*): std$k differs (stream vs whole document)"
                diff "$tmp/w.$k" "$tmp/s.$k" | head -10
                fail=1
            fi
        done
    done
}
for m in standards/*/standard.json tests/standards/mini/standard.json; do
    d=${m%/standard.json}
    for f in $(find "$d/fixtures" -name '*.xml' 2>/dev/null | sort); do
        same "$d" "$f"
    done
done
if command -v python3 >/dev/null 2>&1; then
    python3 bench/gen/records.py --format xml --count 300 >"$tmp/g.xml" || fail=1
    # errors in several places: codes, numbers, booleans, attributes, nested elements, missing fields
    sed -e '0~7s|<LoaiDoiTuong>1<|<LoaiDoiTuong>9<|' -e '0~11s|<Gia>[0-9]*</Gia>|<Gia>abc</Gia>|' \
        -e '0~13s|<IsDeleted>false|<IsDeleted>maybe|' -e '0~17s|<NgayTiepNhan>|<NgayTiepNhan x="1">|' \
        -e '0~19s|<TrangThaiHoSo>|<TrangThaiHoSo><Bad>1</Bad>|' -e '0~23{/<MaHoSo>/d}' \
        -e '0~29s|@|-at-|' "$tmp/g.xml" >"$tmp/bad.xml"
    tr -d '\n' <"$tmp/bad.xml" | sed 's|> *<|><|g' >"$tmp/bad-one-line.xml"
    head -c 200000 "$tmp/bad.xml" >"$tmp/cut.xml"
    sed '1a <!DOCTYPE DanhSachHoSo [ <!ENTITY x "1"> ]>' "$tmp/bad.xml" >"$tmp/dtd.xml"
    printf '\357\273\277' >"$tmp/bom.xml"; cat "$tmp/bad.xml" >>"$tmp/bom.xml"
    printf '<?xml version="1.0"?>\n<DanhSachHoSo>\n  <Khac a="1"/>\n</DanhSachHoSo>\n' >"$tmp/none.xml"
    printf '<A>\n  <DanhSachHoSo><HoSo><MaHoSo>x</MaHoSo></HoSo></DanhSachHoSo>\n</A>\n' >"$tmp/other.xml"
    for f in bad bad-one-line cut dtd bom none other; do
        same standards/dvc-hoso "$tmp/$f.xml"
    done
    same standards/dvc-hoso "$tmp/bad.xml" --max-errors 5
    # records under several parents (/R/DanhSachHoSo/HoSo): [n] counts per parent
    mkdir -p "$tmp/stds" && cp -R standards/dvc-hoso "$tmp/stds/deep" && ln -s "$PWD/standards/codelists" "$tmp/stds/codelists"
    sed -i 's|"/DanhSachHoSo/HoSo"|"/R/DanhSachHoSo/HoSo"|' "$tmp/stds/deep/standard.json"
    { echo '<R>'; awk 'NR >= 2 {print} NR > 300 && /<\/HoSo>/ {exit}' "$tmp/bad.xml"
      echo '</DanhSachHoSo><Khac/>'; sed -n '2,$p' "$tmp/bad.xml"; echo '</R>'; } >"$tmp/deep.xml"
    same "$tmp/stds/deep" "$tmp/deep.xml"
    if ! "$bin" validate -s "$tmp/stds/deep" "$tmp/deep.xml" 2>&1 | grep -q 'at /R/DanhSachHoSo\[2\]/HoSo\['; then
        echo "FAIL xml-stream: deep.xml: no diagnostic in the second parent"; fail=1
    fi
    same standards/dvc-hoso "$tmp/cut.xml" --max-errors 3
    # the cases must exercise what they claim: errors in records, a parse error after them
    "$bin" validate -s standards/dvc-hoso "$tmp/bad.xml" >"$tmp/o" 2>&1
    c=$(grep -c 'error: DVC' "$tmp/o")
    "$bin" validate -s standards/dvc-hoso "$tmp/cut.xml" >"$tmp/o" 2>&1
    if [ "$c" -lt 50 ] || ! grep -q 'xml.parse' "$tmp/o" || grep -q 'error: DVC' "$tmp/o"; then
        echo "FAIL xml-stream: generated cases: $c DVC errors (want >= 50), cut document:"
        head -5 "$tmp/o"; fail=1
    fi
    # (not under ASan/UBSan: shadow memory and quarantine are not the program's)
    if [ -x /usr/bin/time ] && ! ldd "$bin" 2>/dev/null | grep -q 'libasan\|libubsan'; then
        python3 bench/gen/records.py --format xml --count 20000 >"$tmp/big.xml" || fail=1
        /usr/bin/time -f '%M' -o "$tmp/rss" "$bin" validate -q -s standards/dvc-hoso "$tmp/big.xml" \
            >"$tmp/big.out" 2>&1
        st=$?
        rss=$(tail -1 "$tmp/rss")
        n=$((n + 1))
        if [ "$st" != 0 ] || [ "${rss:-999999}" -ge 40960 ]; then
            echo "FAIL xml-stream: 20k dossiers: exit $st, peak RSS ${rss} KiB (want 0 and < 40960)"
            fail=1
        fi
    fi
fi
[ "$fail" = 0 ] && echo "xml-stream: $n comparisons passed"
exit $fail
