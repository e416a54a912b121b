#!/bin/sh
# tests/i18n/english_sweep.sh BUILD [CASE...] - run golden CLI cases with chuan in Vietnamese and
# list the English words left in what chuan itself printed (docs/i18n.md, "Finding English").
# Every `$CHUAN` of a case's cmd runs `BUILD/chuan --lang vi`, through a wrapper that keeps a copy
# of chuan's standard output and error (not of what the rest of the cmd prints); the copies are
# scanned by tests/i18n/english_scan.py. Not part of make check: it runs every case (a minute or
# two) and also reports what is not a message of chuan's - converted data, a package's English
# notes, libraries' texts no template covers - which a person sorts. Exit 0 always; the report
# goes to standard output, grouped by the set of words found.
set -u
build=$1; shift
root=$(pwd)
real=$(cd "$build" && pwd)/chuan
work=$(mktemp -d /tmp/chuan-sweep.XXXXXX)
trap 'rm -rf "$work"' EXIT
cat > "$work/chuan" <<'WRAP'
#!/bin/sh
n=$(date +%s%N)
"$REAL_CHUAN" --lang vi "$@" >"$SWEEP_LOG/$n.out" 2>"$SWEEP_LOG/$n.err"; st=$?
cat "$SWEEP_LOG/$n.out"; cat "$SWEEP_LOG/$n.err" >&2
exit $st
WRAP
chmod +x "$work/chuan"
export REAL_CHUAN="$real" CHUAN="$work/chuan" LC_ALL=C.UTF-8 NO_COLOR=1
cases=${*:-$(ls -d tests/cli/cases/*/)}
for c in $cases; do
    c=${c%/}; name=$(basename "$c")
    [ -f "$c/cmd" ] || continue
    case $name in vi-*) continue ;; esac   # already Vietnamese (or English on purpose)
    SWEEP_LOG=$work/log/$name; export SWEEP_LOG
    mkdir -p "$SWEEP_LOG"
    TMP=$(mktemp -d /tmp/chuan-sweep-case.XXXXXX); export TMP
    (cd "$root" && timeout 60 sh -c "$(cat "$c/cmd")" >/dev/null 2>&1 </dev/null)
    rm -rf "$TMP"
done
find "$work/log" -type f | LC_ALL=C sort > "$work/files"
# shellcheck disable=SC2046
/usr/bin/python3 tests/i18n/english_scan.py tests/i18n/english_allow.txt $(cat "$work/files") |
    sed "s|$work/log/||" | /usr/bin/python3 -c '
import collections, re, sys
groups = collections.OrderedDict()
for line in sys.stdin:
    m = re.match(r"([^/]+)/[^:]+:\d+: \[([^]]*)\] (.*)", line.rstrip("\n"))
    if not m:
        continue
    case, words, text = m.groups()
    groups.setdefault(words, []).append((case, text))
for words, hits in sorted(groups.items(), key=lambda kv: -len(kv[1])):
    case, text = hits[0]
    print(f"{len(hits):5d} [{words}] {case}: {text[:160]}")
print(f"{sum(len(h) for h in groups.values())} lines, {len(groups)} sets of words")
'
exit 0
