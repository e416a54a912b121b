#!/bin/sh
# Dead internal symbols: fail when a chuanp_ symbol defined by a library object has no user in
# another product object (the library's other objects and cli/main.o). Test, fuzz and bench
# programs do not count as users: a function only tests call is dead (delete it, or test through
# the real entry point), and one only its own file calls should be static. Public API (chuan_)
# is not checked here (tests/exports.txt and tests/install-check.sh guard it).
# Usage: sh tests/dead-symbols.sh [BUILD]   (after `make`; reads BUILD/obj/**/*.o)
# Only objects whose source file exists are read, so stale objects of deleted files do not count.
# tests/dead-symbols.allow lists exceptions, one "symbol  # reason" a line.
set -u
build=${1:-build}
tmp=$(mktemp -d /tmp/chuan-dead.XXXXXX)
trap 'rm -rf "$tmp"' EXIT INT TERM

fail() {
    echo "dead-symbols: $*"
    [ -n "${RESULTS:-}" ] && echo "dead-symbols 0 1" > "$RESULTS/dead-symbols"
    exit 1
}

command -v nm >/dev/null 2>&1 || fail "nm (binutils) is missing"
objs=""
for src in core/*.c converters/*.c validator/*.c cli/*.c serve/*.c; do
    [ -f "$src" ] || continue
    obj=$build/obj/${src%.c}.o
    [ -f "$obj" ] || fail "$obj is missing: run make first"
    objs="$objs $obj"
done
[ -f "$build/obj/gen/serve_assets.o" ] && objs="$objs $build/obj/gen/serve_assets.o"
# the program's libxml2 stubs (x86-64, XML_LAZY=1: cli/lazy/xml_lazy.c) are a product object too
[ -f "$build/obj/cli/lazy/xml_lazy.o" ] && [ -f cli/lazy/xml_lazy.c ] && objs="$objs $build/obj/cli/lazy/xml_lazy.o"
[ -n "$objs" ] || fail "no objects under $build/obj"

# "object symbol" for every global chuanp_ definition, and for every undefined reference.
for o in $objs; do
    nm -g --defined-only "$o" | awk -v o="$o" '$3 ~ /^chuanp_/ {print o, $3}'
done | sort -u > "$tmp/defs" || fail "nm failed"
for o in $objs; do
    nm -u "$o" | awk -v o="$o" '$2 ~ /^chuanp_/ {print o, $2}'
done | sort -u > "$tmp/uses" || fail "nm failed"
[ -s "$tmp/defs" ] || fail "no chuanp_ definitions found (objects built without symbols?)"

# A definition is alive when another object references it.
awk 'NR == FNR { users[$2] = users[$2] " " $1; next }
     { n = split(users[$2], u, " "); alive = 0
       for (i = 1; i <= n; i++) if (u[i] != $1) alive = 1
       if (!alive) print $1, $2 }' "$tmp/uses" "$tmp/defs" > "$tmp/dead"

allow=tests/dead-symbols.allow
: > "$tmp/allow"
if [ -f "$allow" ]; then
    sed -e 's/#.*//' -e 's/[[:space:]]//g' "$allow" | grep -v '^$' | sort -u > "$tmp/allow"
    awk 'NR == FNR { ok[$1] = 1; next } !($2 in ok)' "$tmp/allow" "$tmp/dead" > "$tmp/dead2"
    # an allowed symbol that is gone or has found a user: say so, so the list shrinks
    awk '{print $2}' "$tmp/dead" | sort -u > "$tmp/deadnames"
    comm -23 "$tmp/allow" "$tmp/deadnames" | sed 's/^/dead-symbols: note: no longer needed in tests\/dead-symbols.allow: /'
    mv "$tmp/dead2" "$tmp/dead"
fi

if [ -s "$tmp/dead" ]; then
    echo "dead-symbols: internal symbols with no user outside their own file"
    echo "(make them static, or delete them when nothing calls them; tests do not count):"
    sed -e "s|^$build/obj/||" -e 's|\.o |.c: |' "$tmp/dead" | sort
    fail "$(wc -l < "$tmp/dead") symbol(s)"
fi
echo "dead-symbols: 1 passed, 0 failed ($(wc -l < "$tmp/defs") internal symbols; $(wc -l < "$tmp/allow") allowed without a user by $allow)"
[ -n "${RESULTS:-}" ] && echo "dead-symbols 1 0" > "$RESULTS/dead-symbols"
exit 0
