#!/bin/sh
# make check-package: build the .debs (scripts/build-deb.sh, lintian without errors), install them
# into a fresh Debian 12 minbase chroot (debootstrap; Debian's packages only), run the installed
# chuan (--version, validate a bundled fixture, a man page, completion present), then purge the
# packages and check nothing of them is left. Needs root. Prints "package: N passed, M failed".
set -u
deb=${DEB_DIR:-build/deb}
. scripts/chroot.sh
passed=0; failed=0
ok() { passed=$((passed + 1)); echo "package: ok $*"; }
bad() { failed=$((failed + 1)); echo "package: FAIL $*"; }
t0=$(date +%s)
sh scripts/build-deb.sh "$deb" && ok "build and lintian" || { bad "build-deb"; echo "package: $passed passed, $failed failed"; exit 1; }
chroot_create || { bad "debootstrap"; echo "package: $passed passed, $failed failed"; exit 1; }
root=$ROOT
mkdir -p "$root/tmp/debs"
cp "$deb"/chuan_*.deb "$deb"/libchuan0_*.deb "$deb"/libchuan-dev_*.deb "$root/tmp/debs/"
cp standards/edxml/fixtures/valid/*.xml "$root/tmp/" 2>/dev/null
cp fixtures/sheets/register.xlsx "$root/tmp/book.xlsx"
in_root() { chroot_run "$1"; }
in_root "apt-get update -qq && apt-get install -y -qq --no-install-recommends /tmp/debs/*.deb man-db >/tmp/install.log 2>&1" &&
    ok "apt-get install of the three packages in a minbase chroot" || { bad "install: $(tail -5 "$root/tmp/install.log")"; }
v=$(in_root "chuan --version" 2>&1) && ok "chuan --version: $v" || bad "chuan --version: $v"
f=$(cd "$root/tmp" && ls *.xml | head -1)
out=$(in_root "cd /tmp && chuan validate -s edxml $f" 2>&1) && ok "chuan validate -s edxml $f" || bad "validate: $out"
# libzip and libmicrohttpd are opened on first use (dlopen), not linked: the packages' Depends must
# bring them, and the installed chuan must find them by soname
out=$(in_root "cd /tmp && chuan convert -q --to ndjson book.xlsx" 2>&1) && [ -n "$out" ] &&
    ok "chuan convert book.xlsx (libzip opened on first use)" || bad "convert book.xlsx: $out"
out=$(in_root "rm -f /tmp/port; chuan serve --listen 127.0.0.1:0 --port-file /tmp/port 2>/tmp/serve.log & p=\$!;
    i=0; while [ ! -s /tmp/port ] && [ \$i -lt 100 ] && kill -0 \$p 2>/dev/null; do sleep 0.1; i=\$((i + 1)); done;
    kill \$p 2>/dev/null; wait \$p; st=\$?; cat /tmp/serve.log; [ -s /tmp/port ] && [ \$st -eq 0 ]" 2>&1) &&
    ok "chuan serve starts and stops (libmicrohttpd opened on first use)" || bad "serve: $out"
out=$(in_root "MANWIDTH=80 man chuan-validate 2>&1 | head -5") && echo "$out" | grep -q 'chuan-validate' &&
    ok "man chuan-validate" || bad "man chuan-validate: $out"
in_root "test -f /usr/share/bash-completion/completions/chuan && test -f /usr/lib/x86_64-linux-gnu/pkgconfig/chuan.pc" &&
    ok "completion and pkg-config file installed" || bad "completion or chuan.pc missing"
in_root "apt-get purge -y -qq chuan libchuan-dev libchuan0 >/tmp/purge.log 2>&1" && ok "purge" || bad "purge"
left=$(in_root "dpkg -l | grep -c chuan; ls /usr/share/chuan /usr/bin/chuan 2>/dev/null | head -3" 2>/dev/null | tr '\n' ' ')
[ "$left" = "0 " ] && ok "nothing left after purge" || bad "left after purge: $left"
echo "package: took $(( $(date +%s) - t0 )) s"
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
