#!/bin/sh
# Install into a scratch DESTDIR and build a program against the installed
# library with pkg-config: the header, libchuan.so, chuan.pc and the man page
# must be there and work. Usage: tests/install-check.sh CHUAN_BINARY SCRATCH_DIR
set -eu
bin=$1; tmp=$2
build=$(dirname "$bin")
san=""; sanflags=""
case "$build" in *build-san*) san=1; sanflags="-fsanitize=address,undefined" ;; esac
env -u MAKEFLAGS -u MAKELEVEL make -s install BUILD="$build" SANITIZE="$san" DESTDIR="$tmp/root" PREFIX=/usr >/dev/null
for f in bin/chuan lib/libchuan.a lib/libchuan.so lib/libchuan.so.0 include/chuan.h lib/pkgconfig/chuan.pc \
         share/man/man1/chuan.1 share/man/man1/chuan-validate.1 share/man/man5/chuan-standard.5 \
         share/bash-completion/completions/chuan share/zsh/vendor-completions/_chuan share/chuan/standards; do
    [ -e "$tmp/root/usr/$f" ] || { echo "missing after install: $f"; exit 1; }
done
cat > "$tmp/prog.c" <<'C'
#include <chuan.h>
int main(int argc, const char **argv) { return chuan_main(argc, argv, stdout, stderr); }
C
flags=$(PKG_CONFIG_SYSROOT_DIR="$tmp/root" PKG_CONFIG_PATH="$tmp/root/usr/lib/pkgconfig" pkg-config --cflags --libs chuan)
cc $sanflags "$tmp/prog.c" $flags -o "$tmp/prog"
LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/prog" --version | sed -E 's/(libxml2|libxslt|libexslt|PCRE2|utf8proc) [0-9][^,)]*/\1 N/g'
LD_LIBRARY_PATH="$tmp/root/usr/lib" "$tmp/prog" validate --schema fixtures/xml/person.xsd fixtures/xml/person-valid.xml
# The exact export list (jansson's check-exports): tests/exports.txt names every symbol the
# shared library exports, each declared with CHUAN_API in include/chuan.h; nothing else leaks.
nm -D --defined-only "$tmp/root/usr/lib/libchuan.so" | awk '{print $3}' | grep -v '^_' | sort > "$tmp/exports"
diff tests/exports.txt "$tmp/exports" || echo "exports differ from tests/exports.txt"
grep -v '^#' include/chuan.h | grep -o 'CHUAN_API[^(]*(' | sed 's/.*[ *]\([a-z_0-9]*\)($/\1/' | sort > "$tmp/declared"
diff tests/exports.txt "$tmp/declared" || echo "exports differ from the CHUAN_API declarations"
# The pkg-config file keeps the private libraries private: --cflags gives chuan's include folder only.
PKG_CONFIG_PATH="$tmp/root/usr/lib/pkgconfig" pkg-config --cflags chuan
# A C program (examples/validate_convert.c) built only with pkg-config: validate against a
# bundled standard, then convert.
cc $sanflags examples/validate_convert.c $flags -o "$tmp/example"
CHUAN_STANDARDS="$tmp/root/usr/share/chuan/standards" LD_LIBRARY_PATH="$tmp/root/usr/lib" \
    "$tmp/example" hotich fixtures/api/birth.json csv && st=0 || st=$?
echo "example exit $st"
