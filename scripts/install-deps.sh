#!/bin/sh
# Install the Debian packages chuan needs to build and test, only those missing.
# Non-interactive and idempotent: `apt-get update` at most once, then install.
set -eu

# pkg-config module -> Debian package
need_pkgs=""
check_pc() { pkg-config --exists "$1" 2>/dev/null || need_pkgs="$need_pkgs $2"; }
check_cmd() { command -v "$1" >/dev/null 2>&1 || need_pkgs="$need_pkgs $2"; }
check_file() { ls $1 >/dev/null 2>&1 || need_pkgs="$need_pkgs $2"; }

check_cmd pkg-config pkg-config
check_cmd cc gcc
check_cmd make make
if command -v pkg-config >/dev/null 2>&1; then
    check_pc libxml-2.0 libxml2-dev
    check_pc libxslt libxslt1-dev
    check_pc libexslt libxslt1-dev
    check_pc libpcre2-8 libpcre2-dev
    check_pc libutf8proc libutf8proc-dev
    check_pc libmicrohttpd libmicrohttpd-dev
    check_pc cmocka libcmocka-dev
    check_pc libzip libzip-dev # XLSX (converters/sheet_xlsx.c)
else
    need_pkgs="$need_pkgs libzip-dev libxml2-dev libxslt1-dev libpcre2-dev libutf8proc-dev libmicrohttpd-dev libcmocka-dev"
fi
# libFuzzer targets (clang + its runtime) and the test helpers.
check_cmd clang clang
check_file '/usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a' libclang-rt-dev
check_cmd xmllint libxml2-utils
# msgfmt compiles po/*.po; xgettext, msgmerge and msgen keep them in step (docs/i18n.md)
check_cmd msgfmt gettext
check_cmd xgettext gettext
# man pages (groff -ww renders each in make check) and the zsh completion's parse check
check_cmd groff groff-base
check_cmd zsh zsh
# the torture run reads the backtrace of a crash inside libxml2 with gdb
check_cmd gdb gdb
# the CI-integration test reads the hook/action/template YAML with Debian's python3-yaml
/usr/bin/python3 -c 'import yaml' >/dev/null 2>&1 || need_pkgs="$need_pkgs python3-yaml"
# spreadsheet fixtures (tests/sheets/make-fixtures.py) and the XLSX bench's peer
/usr/bin/python3 -c 'import openpyxl' >/dev/null 2>&1 || need_pkgs="$need_pkgs python3-openpyxl"
/usr/bin/python3 -c 'import xlwt' >/dev/null 2>&1 || need_pkgs="$need_pkgs python3-xlwt"
# the web page's browser test: Debian's chromium driven by playwright-core (npm, below)
check_cmd chromium chromium
check_cmd node nodejs
# Access MDB/ACCDB inputs: mdbtools' mdb-tables and mdb-json, run as child processes (docs/legacy-tables.md)
check_cmd mdb-json mdbtools
check_cmd npm npm
# npm reaches its registry over https: Debian's nodejs uses the system trust store, which only
# Recommends brings in (and we install --no-install-recommends)
check_file /etc/ssl/certs/ca-certificates.crt ca-certificates
check_cmd debootstrap debootstrap   # make check-package / check-bare (not in make check)
# make check-package builds the .debs (dpkg-buildpackage, debhelper) and lints them
check_cmd dpkg-buildpackage dpkg-dev
check_cmd dh debhelper
check_cmd lintian lintian
# batch conversion tests: GNU parallel (--pipe equivalence), python3 (record invariant checks)
check_cmd parallel parallel
perl -MText::CSV -e 1 >/dev/null 2>&1 || need_pkgs="$need_pkgs libtext-csv-perl" # parallel --csv
[ -x /usr/bin/python3 ] || need_pkgs="$need_pkgs python3" # Debian's interpreter: the binding tests
# the distributed test (tests/dask): a Dask scheduler and workers, Debian's package
/usr/bin/python3 -c 'import distributed' >/dev/null 2>&1 || need_pkgs="$need_pkgs python3-distributed"
# tests/diff/*.sh edit package copies with jq; fixtures/legacy/make-tables.py reads glibc's charmaps
check_cmd jq jq
check_file /usr/share/i18n/charmaps/TCVN5712-1.gz locales

# playwright-core is pinned to 1.61.1, its last release that runs on Debian 12's Node.js 18 (1.62 needs 20).
npm_deps() { # playwright-core into tests/browser (the pinned version; never a browser download)
    want=$(sed -n 's/.*"playwright-core": "\([^"]*\)".*/\1/p' tests/browser/package.json)
    have=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' tests/browser/node_modules/playwright-core/package.json 2>/dev/null || true)
    if [ "$have" != "$want" ] && command -v npm >/dev/null 2>&1; then
        (cd tests/browser && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund --silent) ||
            echo "deps: npm could not install playwright-core (the browser test will fail)" >&2
    fi
}
if [ -z "$need_pkgs" ]; then
    npm_deps
    echo "deps: all present"
    exit 0
fi
# de-duplicate
need_pkgs=$(printf '%s\n' $need_pkgs | sort -u | tr '\n' ' ')
if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
        echo "deps: missing packages: $need_pkgs (run as root, or install them)" >&2; exit 2; fi
else
    SUDO=""
fi
echo "deps: installing $need_pkgs"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# libclang-rt-dev is the Debian 13 name; Debian 12 ships libclang-rt-14-dev.
pkgs=""
for p in $need_pkgs; do
    if [ "$p" = libclang-rt-dev ] && ! apt-cache show libclang-rt-dev >/dev/null 2>&1; then
        p=libclang-rt-14-dev
    fi
    pkgs="$pkgs $p"
done
$SUDO apt-get install -y -qq --no-install-recommends $pkgs
npm_deps
