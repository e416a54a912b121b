#!/bin/sh
# Build the Debian packages (chuan, libchuan0, libchuan-dev) from the committed tree:
#   sh scripts/build-deb.sh [OUTDIR]      (default build/deb)
# The tree is exported with git archive into a scratch folder (dpkg-buildpackage cleans the folder
# it builds in), built with dpkg-buildpackage -us -uc -b, and checked with lintian (errors fail).
set -eu
out=${1:-build/deb}
top=$(pwd)
version=$(sed -n 's/^#define CHUAN_VERSION "\(.*\)"/\1/p' include/chuan.h)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/chuan-$version" "$out"
git archive HEAD | tar -x -C "$tmp/chuan-$version"
(cd "$tmp/chuan-$version" && dpkg-buildpackage -us -uc -b >"$tmp/build.log" 2>&1) ||
    { tail -40 "$tmp/build.log"; echo "build-deb: dpkg-buildpackage failed" >&2; exit 1; }
cp "$tmp"/*.deb "$out/"
changes=$(ls "$tmp"/*.changes)
lintian --no-tag-display-limit "$changes" > "$out/lintian.txt" 2>&1 || true
cat "$out/lintian.txt"
if grep -q '^E:' "$out/lintian.txt"; then
    echo "build-deb: lintian reports errors" >&2
    exit 1
fi
echo "build-deb: $(ls "$out"/*.deb | wc -l) packages in $out ($(grep -c '^W:' "$out/lintian.txt" || true) lintian warnings)"
