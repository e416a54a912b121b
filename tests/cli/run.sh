#!/bin/sh
# Golden CLI tests: one folder per case under tests/cli/cases/<name>/ with
#   cmd      one shell line, run from the repository root; $CHUAN is the binary,
#            $TMP a fresh scratch directory for the case
#   stdout   expected standard output (exact)
#   stderr   expected standard error (exact); no file: stderr must be empty
#   status   expected exit code (default 0)
#   pipefail optional: the cmd pipes chuan's output on purpose; it runs under
#            `bash -o pipefail`, so a failing chuan still fails the pipeline
# A cmd whose status could hide chuan's (`$CHUAN ... | something`) is refused
# unless the case has a `pipefail` file: write chuan's output to a file under
# $TMP, keep its status (st=$?), post-process, then `exit $st`.
# $TMP and the repository's path are replaced by "$TMP" and "$ROOT" in both
# outputs before they are compared.
# Usage: tests/cli/run.sh BIN [--update] [CASE...]
#   --update rewrites stdout/stderr/status from the current behaviour (review with git diff).
set -u
bin=$1; shift
update=0
if [ "${1:-}" = "--update" ]; then update=1; shift; fi
CHUAN=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
export CHUAN
export LC_ALL=C.UTF-8 NO_COLOR=1
root=$(pwd)
cases=${*:-$(ls -d tests/cli/cases/*/ 2>/dev/null)}
passed=0; failed=0; failed_names=""

# 0 when the cmd pipes chuan's standard output (or both outputs) into another
# command: quoted text removed, then "$CHUAN" followed, within the same simple
# command (no ; && || ( )), by a single |.
pipes_chuan() {
    sed -e "s/'[^']*'//g" -e 's/"[^"]*"//g' "$1" |
        grep -Eq '\$\{?CHUAN\}?([^;&|()]|&[^&;|])*\|([^|]|$)'
}

for c in $cases; do
    c=${c%/}
    [ -f "$c/cmd" ] || continue
    name=$(basename "$c")
    if pipes_chuan "$c/cmd" && [ ! -f "$c/pipefail" ]; then
        echo "FAIL $name: cmd pipes chuan's output, which hides its exit status;" \
             "write it to a file under \$TMP and keep st=\$? (or add a pipefail file)"
        failed=$((failed + 1)); failed_names="$failed_names $name"
        continue
    fi
    shell=sh
    [ -f "$c/pipefail" ] && shell="bash -o pipefail"
    TMP=$(mktemp -d /tmp/chuan-cli.XXXXXX)
    export TMP
    (cd "$root" && timeout 60 $shell -c "$(cat "$c/cmd")" >"$TMP/.out" 2>"$TMP/.err"); st=$?
    # make scratch and repository paths stable in expectations
    sed -i -e "s|$TMP|\$TMP|g" -e "s|$root|\$ROOT|g" "$TMP/.out" "$TMP/.err"
    if [ $update -eq 1 ]; then
        cp "$TMP/.out" "$c/stdout"
        if [ -s "$TMP/.err" ]; then cp "$TMP/.err" "$c/stderr"; else rm -f "$c/stderr"; fi
        echo "$st" > "$c/status"
        passed=$((passed + 1))
    else
        ok=1
        want_st=$(cat "$c/status" 2>/dev/null || echo 0)
        [ "$st" = "$want_st" ] || { ok=0; echo "FAIL $name: exit status $st, expected $want_st"; }
        if ! cmp -s "$TMP/.out" "$c/stdout"; then
            ok=0; echo "FAIL $name: stdout differs"; diff -u "$c/stdout" "$TMP/.out" | head -20
        fi
        if [ -f "$c/stderr" ]; then
            if ! cmp -s "$TMP/.err" "$c/stderr"; then
                ok=0; echo "FAIL $name: stderr differs"; diff -u "$c/stderr" "$TMP/.err" | head -20
            fi
        elif [ -s "$TMP/.err" ]; then
            ok=0; echo "FAIL $name: stderr not empty (no stderr file expected it)"; head -20 "$TMP/.err"
        fi
        if [ $ok -eq 1 ]; then passed=$((passed + 1)); else failed=$((failed + 1)); failed_names="$failed_names $name"; fi
    fi
    rm -rf "$TMP"
done
echo "cli: $passed passed, $failed failed"
[ -n "$failed_names" ] && echo "cli: failed:$failed_names"
[ -n "${RESULTS:-}" ] && echo "cli $passed $failed" > "$RESULTS/cli"
[ $failed -eq 0 ]
