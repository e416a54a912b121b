#!/bin/sh
# Self-test of tests/cli/run.sh: the runner must fail the cases below, each
# of which would hide a failure, and pass the honest ones.
# Usage: tests/cli/selftest.sh BIN
set -u
bin=$1
work=$(mktemp -d /tmp/chuan-cli-selftest.XXXXXX)
trap 'rm -rf "$work"' EXIT
passed=0; failed=0
# mk NAME CMD [STATUS] [STDERR]: a throwaway case; stdout expected empty
mk() {
    mkdir -p "$work/$1"
    printf '%s\n' "$2" > "$work/$1/cmd"
    : > "$work/$1/stdout"
    echo "${3:-0}" > "$work/$1/status"
    [ -n "${4:-}" ] && printf '%s\n' "$4" > "$work/$1/stderr"
    return 0
}
# expect WANT(pass|fail) NAME WHY
expect() {
    if RESULTS= sh tests/cli/run.sh "$bin" "$work/$2" > "$work/$2.log" 2>&1; then got=pass; else got=fail; fi
    if [ "$got" = "$1" ] && grep -q "^cli: [0-9]* passed, [0-9]* failed$" "$work/$2.log"; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1)); echo "FAIL cli-selftest $2: runner said $got, expected $1 ($3)"
        sed 's/^/    /' "$work/$2.log" | head -10
    fi
}
mk piped '$CHUAN validate /nonexistent/x.xml | cat'
expect fail piped "chuan's output piped without a pipefail file"
mk piped-stderr-too '$CHUAN validate /nonexistent/x.xml 2>&1 | tail -1'
expect fail piped-stderr-too "2>&1 | still pipes chuan"
mk piped-in-loop 'for f in a b; do $CHUAN validate /nonexistent/$f.xml | head -1 || exit; done'
expect fail piped-in-loop "pipe inside a loop"
mk pipefail-kept '$CHUAN validate /nonexistent/x.xml 2>/dev/null | cat'
touch "$work/pipefail-kept/pipefail"
expect fail pipefail-kept "pipefail declared: chuan's exit 2 must reach the runner"
mk pipefail-ok '$CHUAN --version | grep -c chuan >/dev/null'
touch "$work/pipefail-ok/pipefail"
expect pass pipefail-ok "pipefail declared, chuan succeeds"
mk stderr-unexpected '$CHUAN validate /nonexistent/x.xml' 2
expect fail stderr-unexpected "stderr not empty and no stderr file"
mk stderr-differs '$CHUAN validate /nonexistent/x.xml' 2 'something else'
expect fail stderr-differs "stderr differs from its file"
mk status-kept '$CHUAN validate /nonexistent/x.xml > $TMP/o 2>&1; st=$?; cat $TMP/o >/dev/null; exit $st' 0
expect fail status-kept "the cmd keeps chuan's exit 2"
mk quoted-bar '$CHUAN convert --csv-delimiter "|" --to ndjson fixtures/csv/pipe.csv > /dev/null'
expect pass quoted-bar "a | inside quotes is not a pipe"
mk stdin-pipe 'printf "a,b\n1,2\n" | $CHUAN convert --from csv --to ndjson - > /dev/null'
expect pass stdin-pipe "piping into chuan keeps its status"
mk or-chain '$CHUAN --version > /dev/null || exit 3'
expect pass or-chain "|| is not a pipe"
echo "cli-selftest: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "cli-selftest $passed $failed" > "$RESULTS/cli-selftest"
[ $failed -eq 0 ]
