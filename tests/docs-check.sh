#!/bin/sh
# Man pages and completions written from the option tables (scripts/gen-man.sh): every page renders
# without a groff warning, documents every option of its verb, and the bash completion completes
# verbs, options and option values; the zsh script parses. Usage: tests/docs-check.sh BUILD
set -u
build=$1
doc=$build/doc
passed=0; failed=0
ok() { passed=$((passed + 1)); }
bad() { failed=$((failed + 1)); echo "docs: FAIL $*"; }

for page in "$doc"/man1/*.1 "$doc"/man5/*.5; do
    warn=$(groff -ww -mandoc -Tutf8 -z "$page" 2>&1)
    [ -z "$warn" ] && ok || bad "$page renders with warnings: $warn"
done
# the Vietnamese pages (UTF-8 text: preconv, -k, as man does): one per English page, no warning,
# and in Vietnamese (their sections are)
for page in "$doc"/man1/*.1; do
    vi=$doc/vi/man1/$(basename "$page")
    [ -f "$vi" ] || { bad "no Vietnamese page $vi"; continue; }
    warn=$(groff -k -ww -mandoc -Tutf8 -z "$vi" 2>&1)
    [ -z "$warn" ] && ok || bad "$vi renders with warnings: $warn"
    grep -q '^\.SH TÊN$' "$vi" && ok || bad "$vi is not in Vietnamese (no .SH TÊN)"
done
verbs=$("$build/chuan" --lang en help | awk '/^verbs:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}')
for verb in $verbs; do
    page=$doc/man1/chuan-$verb.1
    [ -f "$page" ] || { bad "no page for $verb"; continue; }
    for opt in $("$build/chuan" --lang en help "$verb" | sed -n 's/^  \(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'); do
        grep -q -- "\\\\-\\\\-$opt\\b" "$page" && ok || bad "chuan-$verb.1 does not document --$opt"
    done
done
grep -q 'chuan\\-validate' "$doc/man1/chuan.1" && ok || bad "chuan.1 does not point to chuan-validate(1)"

# bash: run the completion function as bash would
complete_words() { # WORDS...: prints the candidates for the last word
    PATH="$build:$PATH" bash -c '. "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1)); _chuan; printf "%s\n" "${COMPREPLY[@]}"' \
        sh "$doc/completion/chuan.bash" "$@" 2>&1
}
expect() { # WANT WORDS...
    want=$1; shift
    complete_words "$@" | grep -qx -- "$want" && ok || bad "bash completion of '$*' lacks $want: $(complete_words "$@" | tr '\n' ' ')"
}
expect validate chuan val
expect --report chuan validate --rep
expect sarif chuan validate --report ''
expect tcvn3 chuan convert --encoding ''
expect ndjson chuan convert --to ''
expect dvc-hoso chuan validate -s ''
expect --completion chuan help --comp
if command -v zsh >/dev/null 2>&1; then
    zsh -n "$doc/completion/_chuan" && ok || bad "the zsh completion does not parse"
fi
echo "docs: $passed passed, $failed failed"
[ -n "${RESULTS:-}" ] && echo "docs $passed $failed" > "$RESULTS/docs"
[ "$failed" -eq 0 ]
