#!/bin/sh
# make check-bare: the README's two set-up commands on a bare Debian 12 image. A fresh minbase
# chroot (no make, no compiler, no pkg-config) gets the committed tree (git archive) and runs
# `sh bootstrap demo` and then `sh bootstrap check` as the README says, unchanged. Root; takes
# minutes (it installs the toolchain and the test tools). Prints "bare: N passed, M failed".
set -u
. scripts/chroot.sh
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "bare: ok $*"; }
bad() { failed=$((failed + 1)); echo "bare: FAIL $*"; }
t0=$(date +%s)
chroot_create || { echo "bare: debootstrap failed"; echo "bare: 0 passed, 1 failed"; exit 1; }
chroot_run "command -v make || command -v cc || command -v pkg-config" >/dev/null &&
    bad "the minbase image already has make, cc or pkg-config" || ok "make, cc and pkg-config absent"
mkdir -p "$ROOT/src/chuan"
# Trust what the host trusts locally: where egress goes through an intercepting proxy, its CA sits in
# /usr/local/share/ca-certificates and npm in the chroot needs it (ca-certificates, installed by
# scripts/install-deps.sh, picks the folder up). On an ordinary machine the folder is empty.
if ls /usr/local/share/ca-certificates/*.crt >/dev/null 2>&1; then
    mkdir -p "$ROOT/usr/local/share/ca-certificates"
    cp /usr/local/share/ca-certificates/*.crt "$ROOT/usr/local/share/ca-certificates/"
fi
git archive HEAD | tar -x -C "$ROOT/src/chuan"
chroot_run "cd /src/chuan && sh bootstrap demo" > "$ROOT/demo.log" 2>&1 && ok "sh bootstrap demo" ||
    { tail -20 "$ROOT/demo.log"; bad "sh bootstrap demo"; }
chroot_run "cd /src/chuan && sh bootstrap check" > "$ROOT/check.log" 2>&1 && ok "sh bootstrap check: $(tail -1 "$ROOT/check.log")" ||
    { grep -E "FAIL|[Ee]rror|missing" "$ROOT/check.log" | grep -v "0 failed" | head -40; tail -30 "$ROOT/check.log"
      bad "sh bootstrap check"; }
# The logs outlive the chroot (removed on exit) for a failure to be read afterwards.
mkdir -p build && cp "$ROOT/demo.log" build/check-bare-demo.log && cp "$ROOT/check.log" build/check-bare-check.log
echo "bare: took $(( $(date +%s) - t0 )) s"
echo "bare: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
