/*
 * core/dynlib.h - a shared library opened with dlopen() on first use.
 *
 * Why: glibc has no lazy DT_NEEDED, and every library chuan links is mapped
 * and relocated at every start. libmicrohttpd (only `chuan serve` needs it)
 * and libzip (only the XLSX reader) pull in eleven more (gnutls, nettle,
 * gmp, p11-kit, libcrypto, ...), which doubled the start-up time of every
 * other run; libxslt and libexslt (only Schematron) two more (libgcrypt,
 * libgpg-error) (docs/performance.md, "Start-up"). They are therefore not
 * linked: their users (serve/server.c, converters/sheet_xlsx.c,
 * validator/xslt_lib.c for validator/schematron_*.c) keep the library's
 * header for the types, list the functions they call, and call them through
 * a table that chuanp_dynlib_load fills (docs/HACKING.md, "Libraries opened
 * on first use").
 *
 * A user lists the functions it calls and declares their table at file
 * scope:
 *
 *     #define ZIP_FUNCS(X) X(fdopen) X(discard) ...
 *     CHUANP_DYNLIB_TABLE(zip, "libzip.so.4", "zip_", ZIP_FUNCS);
 *
 * and calls ((__typeof__(zip_fdopen) *)zip_fns[SLOT_fdopen])(...) after a
 * successful chuanp_dynlib_load(&zip_lib) (a macro per user hides the cast).
 * A table several files call through is declared in their header with
 * CHUANP_DYNLIB_SLOTS and defined in one file with CHUANP_DYNLIB_SHARED
 * (libxslt: validator/xslt_lib.h). A data symbol (a library's version
 * number) is read with chuanp_dynlib_data.
 *
 * The library is opened once (RTLD_NOW | RTLD_LOCAL: every listed symbol
 * resolved at once, nothing leaks into the global namespace) and never
 * closed; a failure is kept too (the same answer to every later call).
 * Thread-safe: any number of threads may call chuanp_dynlib_load at once.
 */
#ifndef CHUAN_DYNLIB_H
#define CHUAN_DYNLIB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stddef.h>

/* The type of a table slot: GCC lets a void (*)(void) be cast to any
 * function pointer type without -Wcast-function-type. */
typedef void (*chuanp_dynfn)(void);

typedef struct chuanp_dynlib {
    const char *soname;       /* dlopen()ed by this name: "libzip.so.4" */
    const char *prefix;       /* before each name: "zip_" */
    const char *const *names; /* the symbols to resolve ... */
    size_t nsyms;
    chuanp_dynfn *fns;        /* ... into these slots, in the same order */
    /* private */
    pthread_mutex_t mu;
    atomic_int state;         /* 0 not tried yet, 1 loaded, -1 failed */
    void *handle;             /* dlopen()'s, once loaded (chuanp_dynlib_data) */
    char err[512];            /* dlerror() of the failure */
} chuanp_dynlib;

#define CHUANP_DYNLIB_INIT(soname, prefix, names, fns)                                           \
    {(soname), (prefix), (names), sizeof(names) / sizeof *(names), (fns),                        \
     PTHREAD_MUTEX_INITIALIZER, 0, NULL, ""}

/* The table of the functions LIST(X) names (X(fdopen) X(discard) ..., without
 * the prefix): the slots NAME_fns, indexed by SLOT_<function>, and the
 * library NAME_lib that fills them. */
#define CHUANP_DYNLIB_SLOT_(f) SLOT_##f,
#define CHUANP_DYNLIB_NAME_(f) #f,
#define CHUANP_DYNLIB_TABLE(NAME, soname, prefix, LIST)                                          \
    enum { LIST(CHUANP_DYNLIB_SLOT_) NAME##_nfuncs };                                            \
    static const char *const NAME##_names[NAME##_nfuncs] = {LIST(CHUANP_DYNLIB_NAME_)};         \
    static chuanp_dynfn NAME##_fns[NAME##_nfuncs];                                               \
    static chuanp_dynlib NAME##_lib = CHUANP_DYNLIB_INIT(soname, prefix, NAME##_names, NAME##_fns)

/* The same table called from several files (libxslt: validator/xslt_lib.h):
 * their header declares the slots and the extern NAME_fns with
 * CHUANP_DYNLIB_SLOTS; one file defines NAME_fns and the library NAME_lib
 * (static: that file loads it) with CHUANP_DYNLIB_SHARED. NAME carries the
 * chuanp_ prefix of a cross-file symbol. */
#define CHUANP_DYNLIB_SLOTS(NAME, LIST)                                                          \
    enum { LIST(CHUANP_DYNLIB_SLOT_) NAME##_nfuncs };                                            \
    extern chuanp_dynfn NAME##_fns[NAME##_nfuncs]
#define CHUANP_DYNLIB_SHARED(NAME, soname, prefix, LIST)                                         \
    static const char *const NAME##_names[NAME##_nfuncs] = {LIST(CHUANP_DYNLIB_NAME_)};         \
    chuanp_dynfn NAME##_fns[NAME##_nfuncs];                                                      \
    static chuanp_dynlib NAME##_lib = CHUANP_DYNLIB_INIT(soname, prefix, NAME##_names, NAME##_fns)

/* Open the library and fill every slot: 0, or -1 when the library cannot be
 * opened or lacks a symbol (chuanp_dynlib_error says why). The first call
 * does the work; later ones return its result. */
int chuanp_dynlib_load(chuanp_dynlib *l);
/* After a failed load: dlerror()'s text, which names the file (the soname,
 * or the path of a file found by that name), e.g. "libzip.so.4: cannot
 * open shared object file: No such file or directory". "" otherwise. */
const char *chuanp_dynlib_error(const chuanp_dynlib *l);
/* After a successful load: the address of the data symbol `name` (the whole
 * name, no prefix: "xsltLibxsltVersion"), or NULL when the library lacks it.
 * NULL before a load or after a failed one. */
const void *chuanp_dynlib_data(const chuanp_dynlib *l, const char *name);

#endif
