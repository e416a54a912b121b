# chuan - build, test, install. Plain GNU make; every dependency via pkg-config.
#
#   make              build/chuan, build/libchuan.a, build/libchuan.so
#   make check        deps + build + every test (unit, cli, conformance, fuzz replay, lint)
#   make check SANITIZE=1   the same with ASan + UBSan (objects in build-san/)
#   make demo         deps + build + validate the bundled samples
#   make install PREFIX=/usr/local DESTDIR=
#   make fuzz         build the libFuzzer targets (clang)

# Linked: LINK_PKGS. Opened with dlopen() on first use (core/dynlib.h, docs/HACKING.md): libmicrohttpd
# (chuan serve), libzip (XLSX), libxslt and libexslt (Schematron), so that no other run loads them
# and the ~20 libraries they pull in; their headers still come from pkg-config, their sonames from
# their development symlinks. The chuan program opens libxml2 on first use too, on x86-64
# (XML_LAZY below, cli/lazy/xml_lazy.c); libchuan, the tests and the fuzzers link it.
LINK_PKGS := libxml-2.0 libpcre2-8 libutf8proc
DLOPEN_PKGS := libmicrohttpd libzip libxslt libexslt
PKGS      := $(LINK_PKGS) $(DLOPEN_PKGS)
CC        ?= cc
PREFIX    ?= /usr/local
LIBDIR    ?= $(PREFIX)/lib
DESTDIR   ?=
SANITIZE  ?=
WERROR    ?= $(if $(CI),1,)

ifeq ($(SANITIZE),1)
BUILD     ?= build-san
SANFLAGS  := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined
OPT       ?= -O1 -g
else
BUILD     ?= build
SANFLAGS  :=
OPT       ?= -O2 -g
endif

WARN      := -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith \
             -Wwrite-strings -Wformat=2 -Wno-format-nonliteral $(if $(filter 1,$(WERROR)),-Werror,)
PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(LINK_PKGS) 2>/dev/null)
# The SONAME of package $(1)'s development symlink (LIBDIR/$(1).so: readelf, else objdump), else $(2).
soname     = $(or $(shell f="$$(pkg-config --variable=libdir $(1) 2>/dev/null)/$(1).so"; \
                 { readelf -d "$$f" 2>/dev/null | sed -n 's/.*(SONAME).*\[\(.*\)\].*/\1/p'; \
                   objdump -p "$$f" 2>/dev/null | sed -n 's/^ *SONAME *\([^ ]*\).*/\1/p'; } | head -n 1),$(2))
MHD_SONAME := $(call soname,libmicrohttpd,libmicrohttpd.so.12)
ZIP_SONAME := $(call soname,libzip,libzip.so.4)
XSLT_SONAME := $(call soname,libxslt,libxslt.so.1)
EXSLT_SONAME := $(call soname,libexslt,libexslt.so.0)
# Debian names a library's package after its soname: libzip.so.4 -> libzip4. Not libxslt's: both
# libxslt.so.1 and libexslt.so.0 are in libxslt1.1.
DYNLIB_DEFS = -DCHUAN_MHD_SONAME='"$(MHD_SONAME)"' -DCHUAN_MHD_PACKAGE='"$(subst .so.,,$(MHD_SONAME))"' \
              -DCHUAN_ZIP_SONAME='"$(ZIP_SONAME)"' -DCHUAN_ZIP_PACKAGE='"$(subst .so.,,$(ZIP_SONAME))"' \
              -DCHUAN_XSLT_SONAME='"$(XSLT_SONAME)"' -DCHUAN_EXSLT_SONAME='"$(EXSLT_SONAME)"' \
              -DCHUAN_XSLT_PACKAGE='"libxslt1.1"'
DYNLIB_USERS := serve/server converters/sheet_xlsx validator/xslt_lib
CFLAGS    ?=
CFLAGS    += -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(OPT) $(WARN) $(SANFLAGS) \
             -fPIC -fvisibility=hidden -Iinclude $(PKG_CFLAGS) -MMD -MP
LDLIBS    += $(PKG_LIBS) -lpthread -lm
LDFLAGS   += $(SANFLAGS)

LIB_SRC   := $(sort $(wildcard core/*.c converters/*.c validator/*.c cli/*.c serve/*.c))
LIB_SRC   := $(filter-out cli/main.c,$(LIB_SRC))
LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/gen/serve_assets.o
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)
FUZZ_SRC  := $(sort $(wildcard tests/fuzz/fuzz_*.c))

export RESULTS

.PHONY: pot po-update i18n-check
.PHONY: all deps check demo install uninstall clean fuzz fuzz-replay fuzz-run unit cli-tests python-tests docs-check ci-check serve-tests browser-tests check-package check-bare \
        conformance banned-check function-length-check dead-check standards-check bench batch-tests bench-quick torture dask-tests

LINGUAS   := vi en
MO_FILES  := $(LINGUAS:%=$(BUILD)/locale/%/LC_MESSAGES/chuan.mo)

all: $(BUILD)/chuan $(BUILD)/libchuan.a $(BUILD)/libchuan.so $(BUILD)/doc/man1/chuan.1 $(MO_FILES)

# Message catalogues (docs/i18n.md): po/LANG.po -> BUILD/locale/LANG/LC_MESSAGES/chuan.mo, found
# beside the binary in the build tree and in PREFIX/share/locale once installed.
$(BUILD)/locale/%/LC_MESSAGES/chuan.mo: po/%.po
	@mkdir -p $(dir $@)
	msgfmt -c -o $@ $<
$(BUILD)/obj/core/i18n.o: CFLAGS += -DCHUAN_LOCALEDIR='"$(PREFIX)/share/locale"'
$(DYNLIB_USERS:%=$(BUILD)/obj/%.o): CFLAGS += $(DYNLIB_DEFS)

# po/chuan.pot from the sources and the option tables; `make po-update` merges it into po/*.po.
$(BUILD)/tests/tables_pot: tests/i18n/tables_pot.c $(BUILD)/libchuan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS)
pot: $(BUILD)/tests/tables_pot
	@sh scripts/i18n-pot.sh $(BUILD)/tests/tables_pot po/chuan.pot
po-update: pot
	msgmerge --quiet --update --backup=off --no-wrap po/vi.po po/chuan.pot
	msgattrib --no-obsolete --no-wrap -o po/vi.po po/vi.po
	msginit --no-translator --no-wrap --locale=en --input=po/chuan.pot -o po/en.po
	sed -i -e 's/^"PO-Revision-Date: YEAR-MO-DA HO:MI+ZONE/"PO-Revision-Date: 2026-12-07 00:00+0000/' \
	    -e 's/^"Language-Team: none/"Language-Team: English/' po/en.po
# Every message id in the code is in both catalogues, translated and not fuzzy; none is unused.
i18n-check: $(BUILD)/tests/tables_pot $(MO_FILES) $(BUILD)/chuan
	@sh tests/i18n/check.sh $(BUILD)

# Man pages (one per verb) and bash/zsh completion, written by the binary from its option tables.
$(BUILD)/doc/man1/chuan.1: $(BUILD)/chuan scripts/gen-man.sh docs/chuan-standard.5 $(MO_FILES)
	@sh scripts/gen-man.sh $(BUILD)/chuan $(BUILD)/doc

deps:
	@sh scripts/install-deps.sh

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

# The service's web page and OpenAPI document, embedded in the library.
$(BUILD)/gen/serve_assets.c: serve/page.html serve/openapi.json scripts/embed.sh
	@mkdir -p $(dir $@)
	@sh scripts/embed.sh $@ chuanp_asset_page serve/page.html chuanp_asset_openapi serve/openapi.json
$(BUILD)/obj/gen/serve_assets.o: $(BUILD)/gen/serve_assets.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c $< -o $@

$(BUILD)/libchuan.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/libchuan.so: $(LIB_OBJ)
	$(CC) -shared -Wl,-soname,libchuan.so.0 $(LDFLAGS) -o $@ $^ $(LDLIBS)

# The program opens libxml2 (and ICU, libstdc++, liblzma, libz with it) on its first call
# (cli/lazy/xml_lazy.c: 4.5 ms of every start otherwise, docs/performance.md); the stubs are x86-64
# assembly, so elsewhere, or with XML_LAZY=0, the program links libxml2 as libchuan's users do.
XML_LAZY  ?= $(if $(filter x86_64,$(shell uname -m)),1,0)
ifeq ($(XML_LAZY),1)
CLI_OBJ    = $(BUILD)/obj/cli/main.o $(BUILD)/obj/cli/lazy/xml_lazy.o
CLI_LDLIBS = $(filter-out -lxml2,$(LDLIBS))
else
CLI_OBJ    = $(BUILD)/obj/cli/main.o
CLI_LDLIBS = $(LDLIBS)
endif
# The libxml2 functions the program calls: the undefined symbols of its objects that the library
# defines (scripts/gen-xml-lazy.sh); rewritten only when the list changes.
$(BUILD)/gen/xml_lazy_table.h: $(BUILD)/obj/cli/main.o $(BUILD)/libchuan.a scripts/gen-xml-lazy.sh
	@mkdir -p $(dir $@)
	@sh scripts/gen-xml-lazy.sh $@.new "$$(pkg-config --variable=libdir libxml-2.0)/libxml2.so" $(BUILD)/obj/cli/main.o $(BUILD)/libchuan.a
	@if cmp -s $@.new $@; then rm -f $@.new; else mv $@.new $@; fi
$(BUILD)/obj/cli/lazy/xml_lazy.o: cli/lazy/xml_lazy.c $(BUILD)/gen/xml_lazy_table.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -I$(BUILD)/gen -c $< -o $@

$(BUILD)/chuan: $(CLI_OBJ) $(BUILD)/libchuan.a
	$(CC) $(LDFLAGS) -o $@ $(CLI_OBJ) $(BUILD)/libchuan.a $(CLI_LDLIBS)

# Unit tests see internal symbols: they link the objects, not the .so. They may make
# legacy-encoded text with the test-data encoder (bench/gen/vnenc.c, not in libchuan).
$(BUILD)/tests/%: tests/unit/%.c tests/unit/unit.h $(BUILD)/obj/bench/gen/vnenc.o $(BUILD)/libchuan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Icore -Iconverters -Ivalidator $(shell pkg-config --cflags cmocka) \
	    -o $@ $< $(BUILD)/obj/bench/gen/vnenc.o $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS) \
	    $(shell pkg-config --libs cmocka)

unit: $(UNIT_BIN)
	@sh tests/run-unit.sh $(BUILD) $(UNIT_BIN)

# The runner's self-test first: it must refuse cases that would hide a failure.
cli-tests: $(BUILD)/chuan
	@sh tests/cli/selftest.sh $(BUILD)/chuan; st=$$?; sh tests/cli/run.sh $(BUILD)/chuan && [ $$st -eq 0 ]

conformance: $(BUILD)/chuan $(UNIT_BIN)
	@if [ -x tests/conformance/run.sh ]; then sh tests/conformance/run.sh $(BUILD); fi

# JSON Schema Test Suite runner (tests/conformance/run.sh).
$(BUILD)/tests/jsonschema_conformance: tests/conformance/jsonschema_conformance.c $(BUILD)/libchuan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS)

conformance: $(BUILD)/tests/jsonschema_conformance

# Batch conversion properties: record invariant, kill -9 / --resume, write failures, --out-dir,
# GNU parallel equivalence (tests/batch/run.sh).
batch-tests: $(BUILD)/chuan $(BUILD)/vnencode
	@sh tests/batch/run.sh $(BUILD)/chuan

# Out-of-memory torture run (tests/torture/): CHUAN_FAIL_ALLOC_AT=N swept over small
# validate/convert cases; fewer runs under the sanitizers (each run starts slower).
TORTURE_SAMPLES  ?= $(if $(SANITIZE),60,400)
TORTURE_MAX_FULL ?= $(if $(SANITIZE),150,1000)
$(BUILD)/tests/fixed_time.so: tests/torture/fixed_time.c
	@mkdir -p $(dir $@)
	$(CC) -shared -fPIC -O2 -o $@ $<

torture: $(BUILD)/chuan $(BUILD)/tests/fixed_time.so
	@sh tests/torture/run.sh $(BUILD)/chuan --preload $(BUILD)/tests/fixed_time.so \
	    --samples $(TORTURE_SAMPLES) --max-full $(TORTURE_MAX_FULL)

# The Python binding (python/chuan) on the shared library, with Debian's interpreter. A sanitizer
# build's library needs the ASan runtime loaded first.
python-tests: $(BUILD)/chuan $(BUILD)/libchuan.so
	@CHUAN=$(BUILD)/chuan CHUAN_LIBRARY=$(BUILD)/libchuan.so \
	    $(if $(SANITIZE),LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" ASAN_OPTIONS=detect_leaks=0,) \
	    /usr/bin/python3 tests/python/test_binding.py

# Dask distributed (Debian python3-distributed): a scheduler and two worker processes on 127.0.0.1
# convert partitions through the binding; the result must equal one `chuan convert` run.
dask-tests: $(BUILD)/chuan $(BUILD)/libchuan.so
	@$(if $(SANITIZE),LD_PRELOAD="$$($(CC) -print-file-name=libasan.so) $$($(CC) -print-file-name=libubsan.so)" ASAN_OPTIONS=detect_leaks=0,) \
	    /usr/bin/python3 tests/dask/test_dask.py $(BUILD)

# chuan serve: real HTTP requests against a real server on a loopback port (tests/serve/).
serve-tests: all
	@/usr/bin/python3 tests/serve/test_serve.py $(BUILD)

# The web page and the HTML reports in Debian's chromium, driven by playwright-core (tests/browser/,
# npm into that folder). SCREENSHOTS=docs also refreshes docs/report-*.png.
browser-tests: all
	@if [ -x /usr/bin/chromium ] && [ -d tests/browser/node_modules/playwright-core ]; then \
	    node tests/browser/page.test.js $(BUILD); p=$$?; node tests/browser/report.test.js $(BUILD) && exit $$p; exit 1; \
	else echo "browser: chromium or playwright-core missing (scripts/install-deps.sh installs them)"; \
	    if [ -n "$(RESULTS)" ]; then echo "browser 0 1" > $(RESULTS)/browser; fi; exit 1; fi

# The pre-commit hooks, the GitHub action's script and the GitLab template, run as their hosts would.
ci-check: all
	@/usr/bin/python3 tests/ci-check.py $(BUILD)

# Man pages and completions written from the option tables render cleanly and cover every option;
# every relative link of README*.md and docs/ resolves; every console/sh example in them runs and
# prints what the docs say (tests/docs/examples.py).
docs-check: all $(BUILD)/vnencode
	@sh tests/docs-check.sh $(BUILD); a=$$?; \
	/usr/bin/python3 tests/docs/links.py .; b=$$?; \
	/usr/bin/python3 tests/docs/examples.py $(BUILD); c=$$?; \
	[ $$a -eq 0 ] && [ $$b -eq 0 ] && [ $$c -eq 0 ]

standards-check: $(BUILD)/chuan
	@if [ -f tests/run-standards.sh ]; then sh tests/run-standards.sh $(BUILD)/chuan; fi

# curl's banned-function list.
banned-check:
	@sh tests/banned.sh

# No function over 150 lines but the documented fast paths (tests/function-length.allow).
function-length-check:
	@/usr/bin/python3 tests/function-length.py

# Internal (chuanp_) symbols with no user outside their own file; tests do not count as users.
dead-check: all
	@sh tests/dead-symbols.sh $(BUILD)

# libFuzzer targets: clang, separate objects with -fsanitize=fuzzer-no-link.
FUZZ_BUILD := build-fuzz
FUZZ_CFLAGS = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g -Iinclude $(PKG_CFLAGS) \
              -fsanitize=address,undefined,fuzzer-no-link -fno-omit-frame-pointer -MMD -MP
FUZZ_OBJ  := $(LIB_SRC:%.c=$(FUZZ_BUILD)/obj/%.o) $(FUZZ_BUILD)/obj/gen/serve_assets.o
FUZZ_BIN  := $(FUZZ_SRC:tests/fuzz/%.c=$(FUZZ_BUILD)/%)
$(DYNLIB_USERS:%=$(FUZZ_BUILD)/obj/%.o): FUZZ_CFLAGS += $(DYNLIB_DEFS)

$(FUZZ_BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/obj/gen/serve_assets.o: $(BUILD)/gen/serve_assets.c
	@mkdir -p $(dir $@)
	clang $(FUZZ_CFLAGS) -c $< -o $@

$(FUZZ_BUILD)/libchuan-fuzz.a: $(FUZZ_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BUILD)/obj/bench/gen/vnenc.o $(FUZZ_BUILD)/libchuan-fuzz.a
	clang $(FUZZ_CFLAGS) -Icore -Iconverters -Ivalidator -fsanitize=fuzzer -o $@ $< \
	    $(FUZZ_BUILD)/obj/bench/gen/vnenc.o $(FUZZ_BUILD)/libchuan-fuzz.a $(PKG_LIBS) -lpthread -lm

fuzz: $(FUZZ_BIN)

# The test-data encoder's objects are kept (make would delete them as intermediate files).
.SECONDARY: $(BUILD)/obj/bench/gen/vnenc.o $(FUZZ_BUILD)/obj/bench/gen/vnenc.o

fuzz-replay: fuzz
	@sh tests/fuzz/replay.sh $(FUZZ_BUILD) $(FUZZ_BIN)

FUZZ_SECONDS ?= 60
fuzz-run: fuzz
	@for t in $(FUZZ_BIN); do n=$${t##*/fuzz_}; mkdir -p $(FUZZ_BUILD)/corpus-$$n; \
	    $$t -max_total_time=$(FUZZ_SECONDS) -max_len=65536 $(FUZZ_BUILD)/corpus-$$n tests/fuzz/corpus/$$n || exit 1; done

check: deps
	@$(MAKE) --no-print-directory all
	@rm -rf $(BUILD)/results && mkdir -p $(BUILD)/results
	@# the suites compare English output: a Vietnamese LANG of the caller must not change it
	@LC_ALL=C.UTF-8 $(MAKE) --no-print-directory -k unit cli-tests i18n-check conformance standards-check banned-check function-length-check dead-check batch-tests python-tests dask-tests docs-check ci-check serve-tests browser-tests torture \
	    $(if $(SANITIZE),,fuzz-replay) RESULTS=$(BUILD)/results; st=$$?; \
	    sh tests/summary.sh $(BUILD)/results; s2=$$?; [ $$st -eq 0 ] && [ $$s2 -eq 0 ]

demo: deps
	@$(MAKE) --no-print-directory all
	@sh scripts/demo.sh $(BUILD)/chuan

# vnencode: UTF-8 <-> legacy Vietnamese encodings filter for test/bench data (bench/gen/encode.c;
# the encoder, bench/gen/vnenc.c, is not in libchuan: chuan never writes legacy encodings).
$(BUILD)/vnencode: bench/gen/encode.c $(BUILD)/obj/bench/gen/vnenc.o $(BUILD)/libchuan.a
	$(CC) $(CFLAGS) -Icore -o $@ $< $(BUILD)/obj/bench/gen/vnenc.o $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS)

# timeit: a command's wall and CPU time at microsecond resolution for bench/lib.sh (bench/timeit.c).
$(BUILD)/timeit: bench/timeit.c
	$(CC) $(CFLAGS) -o $@ $<

# Debian packages built, linted, installed into a fresh minbase chroot and purged (minutes; root).
check-package: deps
	@sh scripts/check-package.sh

# The README's two set-up commands on a bare Debian 12 minbase image (debootstrap; minutes; root).
check-bare:
	@sh scripts/check-bare.sh

# Every performance figure of README.md: peers installed (Debian packages, ajv into bench/), data
# generated (cached in bench/data), chuan and peers interleaved at 100,000 records (W1-W11) and at
# 1,000,000 (W1-W4, W6, W7, W11; about 20-30 min in all on 2 quiet cores: docs/performance.md),
# bench/RESULTS.md written, its summary copied into README.md. bench-quick: 10,000 and 20,000.
bench: all $(BUILD)/timeit
	@sh bench/install-peers.sh
	@sh bench/bench.sh && sh bench/readme.sh

bench-quick: all $(BUILD)/timeit
	@sh bench/install-peers.sh
	@sh bench/bench.sh --quick

install: all
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(LIBDIR) $(DESTDIR)$(PREFIX)/include \
	    $(DESTDIR)$(LIBDIR)/pkgconfig $(DESTDIR)$(PREFIX)/share/man/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/vi/man1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5 $(DESTDIR)$(PREFIX)/share/bash-completion/completions \
	    $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions $(DESTDIR)$(PREFIX)/share/chuan
	install -m 755 $(BUILD)/chuan $(DESTDIR)$(PREFIX)/bin/chuan
	install -m 644 $(BUILD)/libchuan.a $(DESTDIR)$(LIBDIR)/libchuan.a
	install -m 755 $(BUILD)/libchuan.so $(DESTDIR)$(LIBDIR)/libchuan.so.0
	ln -sf libchuan.so.0 $(DESTDIR)$(LIBDIR)/libchuan.so
	install -m 644 include/chuan.h $(DESTDIR)$(PREFIX)/include/chuan.h
	install -m 644 $(BUILD)/doc/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/man1/
	install -m 644 $(BUILD)/doc/vi/man1/*.1 $(DESTDIR)$(PREFIX)/share/man/vi/man1/
	install -m 644 $(BUILD)/doc/man5/chuan-standard.5 $(DESTDIR)$(PREFIX)/share/man/man5/
	install -m 644 $(BUILD)/doc/completion/chuan.bash $(DESTDIR)$(PREFIX)/share/bash-completion/completions/chuan
	install -m 644 $(BUILD)/doc/completion/_chuan $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_chuan
	sed -e 's|@PREFIX@|$(PREFIX)|g' -e 's|@LIBDIR@|$(LIBDIR)|g' -e 's|@VERSION@|$(shell sed -n 's/^#define CHUAN_VERSION "\(.*\)"/\1/p' include/chuan.h)|g' \
	    -e 's|@PRIVATE_LIBS@|$(PKG_LIBS) -lpthread -lm|g' chuan.pc.in > $(DESTDIR)$(LIBDIR)/pkgconfig/chuan.pc
	cp -R standards $(DESTDIR)$(PREFIX)/share/chuan/
	for l in $(LINGUAS); do install -d $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES && \
	    install -m 644 $(BUILD)/locale/$$l/LC_MESSAGES/chuan.mo $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/chuan.mo; done
	@# on the live system, refresh the dynamic linker's cache so programs find libchuan.so.0
	@if [ -z "$(DESTDIR)" ] && command -v ldconfig >/dev/null 2>&1; then ldconfig || true; fi

uninstall:
	rm -f $(DESTDIR)$(PREFIX)/bin/chuan $(DESTDIR)$(LIBDIR)/libchuan.* \
	    $(DESTDIR)$(PREFIX)/include/chuan.h $(DESTDIR)$(LIBDIR)/pkgconfig/chuan.pc \
	    $(DESTDIR)$(PREFIX)/share/man/man1/chuan.1 $(DESTDIR)$(PREFIX)/share/man/man1/chuan-*.1 \
	    $(DESTDIR)$(PREFIX)/share/man/vi/man1/chuan.1 $(DESTDIR)$(PREFIX)/share/man/vi/man1/chuan-*.1 \
	    $(DESTDIR)$(PREFIX)/share/man/man5/chuan-standard.5 \
	    $(DESTDIR)$(PREFIX)/share/bash-completion/completions/chuan \
	    $(DESTDIR)$(PREFIX)/share/zsh/vendor-completions/_chuan
	rm -rf $(DESTDIR)$(PREFIX)/share/chuan
	for l in $(LINGUAS); do rm -f $(DESTDIR)$(PREFIX)/share/locale/$$l/LC_MESSAGES/chuan.mo; done

clean:
	rm -rf build build-san build-fuzz

-include $(LIB_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

# QT3 fn:json-to-xml / fn:xml-to-json conformance runner (tests/conformance/qt3.sh)
$(BUILD)/tests/qt3_runner: tests/conformance/qt3_runner.c $(BUILD)/libchuan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS)
conformance: $(BUILD)/tests/qt3_runner

# schxslt Schematron test cases (tests/conformance/schxslt.sh)
$(BUILD)/tests/schxslt_runner: tests/conformance/schxslt_runner.c $(BUILD)/libchuan.a
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -o $@ $< $(BUILD)/libchuan.a $(LDFLAGS) $(LDLIBS)
conformance: $(BUILD)/tests/schxslt_runner
