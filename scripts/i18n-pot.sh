#!/bin/sh
# scripts/i18n-pot.sh TABLES_POT_BIN OUT.pot - every message id of chuan:
# xgettext over the sources (the choke points and markers below) merged with
# the verb/option tables written by TABLES_POT_BIN (tests/i18n/tables_pot.c).
# docs/i18n.md says which function takes which argument.
set -eu
bin=$1 out=$2
tmp=$(mktemp -d /tmp/chuan-pot.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
# shellcheck disable=SC2046
xgettext --from-code=UTF-8 --language=C --sort-output --add-location=file --no-wrap \
    --package-name=chuan --msgid-bugs-address=" " \
    -k_ -kN_ -kchuan_diags_addf:3 -kchuanp_diags_vaddf:3 -kchuanp_cli_fail:2 \
    -kchuanp_cli_usage_error:2 -kchuanp_convert_error:7 -kchuanp_convert_warning:7 \
    -kchuanp_csv_diag:8 -kbad_syntax:6 -kcell_diag:4 -kFAIL:7 -kchuanp_js_fail:9 -kefail:4 \
    -kadd_diag:3 -kdiff_add:5 -kdbf_err:5 -kdbf_warn:5 -kmemo_err:2 -knote_err:3 -kfail:4 -ktest_diag:4 -kapi_error:3 -kmap_error:3 -kitem_error:3 -kcerr:2 \
    -kreport:5 -kfail_msg:3 -kplan_fail:3 -krecord_diag:5 -kchuanp_sheet_diag:8 -kchuanp_bx_fail:3 -kchuanp_j2x_fail:4 -kchuanp_js_schema_error:3 -kdiag:5 -kfinding:5 -kheader_diag:5 -knote:5 -kschema_error:4 -kchuanp_ts_cerr:4 -kbad:3 -kpattern_bad:4 -kcolmap_bad:4 -kinput_error:3 -kinternal_error:3 -kproject_bad:4 -krefuse:3 -kchuanp_problem:4 -kfail_at:4 -kcorrupt:3 -kunexpected:4 -kheader_error:6 -kmember_diag:6 -klimit:4 \
    -o "$tmp/src.pot" $(ls core/*.c converters/*.c validator/*.c cli/*.c cli/lazy/*.c serve/*.c | LC_ALL=C sort)
"$bin" > "$tmp/tables.pot"
msgcat --use-first --sort-output --add-location=file --no-wrap -o "$tmp/all.pot" "$tmp/src.pot" "$tmp/tables.pot"
# ids that are no message (only conversions and punctuation, e.g. "%s: %s") are left out
python3 - "$tmp/all.pot" "$out.tmp" <<'PY'
import re, sys
blocks = open(sys.argv[1], encoding="utf-8").read().split("\n\n")
keep = []
for b in blocks:
    lines = b.split("\n")
    ids, on = [], False
    for l in lines:
        if l.startswith("msgid "):
            on = True
            ids.append(l[6:])
        elif l.startswith("msgstr"):
            on = False
        elif on and l.startswith('"'):
            ids.append(l)
    msgid = "".join(eval(x) for x in ids) if ids else None
    if msgid == "":  # the header: no source location
        b = "\n".join(l for l in lines if not l.startswith("#:"))
    if msgid and re.fullmatch(r"([^A-Za-z%]|%[-+ #0-9.*]*[hlzjt]*[a-zA-Z%])+", msgid):
        continue
    keep.append(b)
open(sys.argv[2], "w", encoding="utf-8").write("\n\n".join(keep))
PY
sed -i -e '/^"POT-Creation-Date:/d' "$out.tmp"
mv "$out.tmp" "$out"
