#!/bin/sh
# The catalogues against the code (docs/i18n.md): every message id that xgettext and the option
# tables give (scripts/i18n-pot.sh) is in po/vi.po and po/en.po with a translation that is not
# fuzzy; no catalogue has an id the code no longer uses; po/chuan.pot is up to date; both compile
# with msgfmt -c (same printf conversions as the English); vi.po leaves no message in English; the
# built catalogues are the ones chuan reads. Usage: tests/i18n/check.sh BUILD
set -u
build=$1
tmp=$(mktemp -d /tmp/chuan-i18n.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "i18n: FAIL $*"; }

if sh scripts/i18n-pot.sh "$build/tests/tables_pot" "$tmp/chuan.pot" 2>"$tmp/xgettext.err"; then ok
else bad "extraction failed: $(cat "$tmp/xgettext.err")"; fi
for l in vi en; do
    if msgfmt -c -o "$tmp/$l.mo" "po/$l.po" 2>"$tmp/msgfmt.err"; then ok
    else bad "msgfmt -c po/$l.po: $(cat "$tmp/msgfmt.err")"; fi
    cmp -s "$tmp/$l.mo" "$build/locale/$l/LC_MESSAGES/chuan.mo" && ok ||
        bad "$build/locale/$l/LC_MESSAGES/chuan.mo is not po/$l.po compiled (make)"
done
out=$(/usr/bin/python3 tests/i18n/compare.py "$tmp/chuan.pot" po/chuan.pot po/vi.po po/en.po)
st=$?
[ -n "$out" ] && echo "$out" | sed 's/^/i18n: /'
p=$(echo "$out" | sed -n 's/^checks: \([0-9]*\) passed, \([0-9]*\) failed$/\1/p')
f=$(echo "$out" | sed -n 's/^checks: \([0-9]*\) passed, \([0-9]*\) failed$/\2/p')
passed=$((passed + ${p:-0})); failed=$((failed + ${f:-1}))
[ $st -eq 0 ] || [ "${f:-1}" -gt 0 ] || failed=$((failed + 1))

# a keyword call whose message is `c ? "a" : "b"`: xgettext extracts "a" only, so "b" stays
# English in Vietnamese; both branches must be N_() (tests/i18n/cond_scan.py). The scan must
# report exactly the BAD lines of its cases file (it can fail), and nothing in the sources.
srcs=$(ls core/*.c converters/*.c validator/*.c cli/*.c cli/lazy/*.c serve/*.c | LC_ALL=C sort)
# shellcheck disable=SC2086
out=$(/usr/bin/python3 tests/i18n/cond_scan.py scripts/i18n-pot.sh $srcs) && ok ||
    bad "conditional messages not both N_() (xgettext sees only the first):
$out"
cases=tests/i18n/cond_scan_cases.txt
want=$(grep -n 'BAD' "$cases" | grep -v '^[12]:' | cut -d: -f1 | tr '\n' ' ')
got=$(/usr/bin/python3 tests/i18n/cond_scan.py scripts/i18n-pot.sh "$cases" | cut -d: -f2 | tr '\n' ' ')
[ "$got" = "$want" ] && ok || bad "cond_scan.py on $cases: reported lines '$got', want '$want'"

# the glossary (docs/i18n.md): no discouraged Vietnamese variant in a msgstr, every msgstr NFC;
# the check must report the BAD lines of its cases file and none of the OK ones
out=$(/usr/bin/python3 tests/i18n/glossary.py tests/i18n/glossary.txt po/vi.po) && ok ||
    bad "po/vi.po against the glossary (tests/i18n/glossary.txt):
$out"
out=$(/usr/bin/python3 tests/i18n/glossary.py tests/i18n/glossary.txt --cases tests/i18n/glossary_cases.txt) &&
    ok || bad "glossary.py on its cases: $out"

# English left in Vietnamese output: every golden case run in Vietnamese (tests/cli/cases/vi-*
# whose cmd selects vi and not --lang en) holds no English word (tests/i18n/english_scan.py);
# the scan reports the BAD lines of its cases file and none of the OK ones.
# tests/i18n/english_sweep.sh runs every golden case in Vietnamese for the same scan.
vifiles=$(for c in tests/cli/cases/vi-*/; do
    grep -qE -- '--lang[ =]vi|LANG=vi|LC_ALL=vi|LC_MESSAGES=vi' "$c/cmd" || continue
    grep -q -- '--lang en' "$c/cmd" && continue
    for f in stdout stderr; do [ -f "$c$f" ] && echo "$c$f"; done
done)
# shellcheck disable=SC2086
out=$(/usr/bin/python3 tests/i18n/english_scan.py tests/i18n/english_allow.txt $vifiles) && ok ||
    bad "English words in the Vietnamese goldens:
$out"
out=$(/usr/bin/python3 tests/i18n/english_scan.py tests/i18n/english_allow.txt --cases tests/i18n/english_scan_cases.txt) &&
    ok || bad "english_scan.py on its cases: $out"

# chuan finds its catalogue from the build tree, with no vi_VN locale generated on this machine
msg=$(LANG=vi_VN.UTF-8 LC_ALL= LC_MESSAGES= "$build/chuan" validate 2>&1)
case $msg in *"chưa cho đầu vào"*) ok ;; *) bad "LANG=vi_VN.UTF-8: not Vietnamese: $msg" ;; esac
# found from wherever chuan is started: by PATH, from another folder
abs=$(cd "$build" && pwd)
msg=$(cd / && PATH="$abs:$PATH" LC_ALL=C chuan --lang vi validate 2>&1)
case $msg in *"chưa cho đầu vào"*) ok ;; *) bad "chuan started by PATH from /: not Vietnamese: $msg" ;; esac
msg=$(LANG=vi_VN.UTF-8 "$build/chuan" --lang en validate 2>&1)
case $msg in *"no input given"*) ok ;; *) bad "--lang en does not win over LANG: $msg" ;; esac
msg=$(LC_ALL=C "$build/chuan" validate --lang=vi 2>&1)
case $msg in *"chưa cho đầu vào"*) ok ;; *) bad "--lang=vi after the verb: $msg" ;; esac
msg=$(LANG=vi_VN.UTF-8 CHUAN_LOCALEDIR=/nonexistent "$build/chuan" validate 2>&1)
case $msg in *"no input given"*) ok ;; *) bad "without a catalogue the messages are not English: $msg" ;; esac

echo "i18n: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "i18n $passed $failed" > "$RESULTS/i18n"
[ "$failed" -eq 0 ]
