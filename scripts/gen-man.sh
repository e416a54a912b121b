#!/bin/sh
# Write the man pages and shell completions of a built chuan from its own option tables:
#   sh scripts/gen-man.sh build/chuan OUTDIR
# OUTDIR/man1/chuan.1, OUTDIR/man1/chuan-VERB.1 (one per verb), OUTDIR/man5/chuan-standard.5
# (the package format: docs/chuan-standard.5), OUTDIR/completion/chuan.bash and _chuan (zsh);
# the same pages in Vietnamese (--lang vi: the texts through the catalogue) in OUTDIR/vi/man1.
set -eu
bin=$1; out=$2
mkdir -p "$out/man1" "$out/man5" "$out/completion" "$out/vi/man1"
# the pages are English (--lang en: the verb list below is parsed whatever LANG says)
"$bin" --lang en help --man > "$out/man1/chuan.1"
"$bin" --lang vi help --man > "$out/vi/man1/chuan.1"
for verb in $("$bin" --lang en help | awk '/^verbs:/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {exit}'); do
    "$bin" --lang en help --man "$verb" > "$out/man1/chuan-$verb.1"
    "$bin" --lang vi help --man "$verb" > "$out/vi/man1/chuan-$verb.1"
done
cp docs/chuan-standard.5 "$out/man5/chuan-standard.5"
"$bin" help --completion bash > "$out/completion/chuan.bash"
"$bin" help --completion zsh > "$out/completion/_chuan"
