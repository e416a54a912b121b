/* validator/xslt_lib.c - libxslt and libexslt opened on first use, set up
 * once (validator/xslt_lib.h, core/dynlib.h). */
#include "xslt_lib.h"

#include <libexslt/exslt.h>
#include <pthread.h>
#include <stdatomic.h>

/* The sonames come from the Makefile (the development symlinks' SONAME).
 * Debian ships both libraries in one package, named libxslt1.1, not after
 * either soname. */
#ifndef CHUAN_XSLT_SONAME
#define CHUAN_XSLT_SONAME "libxslt.so.1"
#endif
#ifndef CHUAN_EXSLT_SONAME
#define CHUAN_EXSLT_SONAME "libexslt.so.0"
#endif
#ifndef CHUAN_XSLT_PACKAGE
#define CHUAN_XSLT_PACKAGE "libxslt1.1"
#endif

CHUANP_DYNLIB_SHARED(chuanp_xslt, CHUAN_XSLT_SONAME, "xslt", CHUANP_XSLT_FUNCS);

#define EXSLT_FUNCS(X) X(RegisterAll)
CHUANP_DYNLIB_TABLE(exslt, CHUAN_EXSLT_SONAME, "exslt", EXSLT_FUNCS);
#define EXSLT(f) ((__typeof__(exslt##f) *)exslt_fns[SLOT_##f])

static pthread_mutex_t setup_mu = PTHREAD_MUTEX_INITIALIZER;
static atomic_int set_up; /* 1 once the set-up ran without losing an allocation */

/* libxslt's globals and the EXSLT modules (str:, date:, math:, set:, exsl:,
 * dyn:, func:, for every query binding: queryBinding="exslt" says the schema
 * uses them, and XSLT 1.0 processors offer them anyway), registered
 * process-wide, once, before any thread compiles a stylesheet. Both calls
 * can be repeated (libxslt keeps a flag, the modules go into hash tables by
 * name), which lets a set-up that ran out of memory be tried again. */
static int set_up_locked(void)
{
    unsigned long long failures = chuanp_alloc_failures();
    XSLT(Init)();
    EXSLT(RegisterAll)();
    return chuanp_alloc_failures() == failures ? 0 : -1;
}

int chuanp_xslt_load(const char *schema, chuan_diags *d)
{
    if (atomic_load_explicit(&set_up, memory_order_acquire))
        return 0;
    /* libxml2 set up before libxslt allocates through it: a no-op where chuanp_init did it, the
     * opening of the library in the chuan program (cli/lazy/xml_lazy.c) */
    xmlInitParser();
    chuanp_dynlib *bad = chuanp_dynlib_load(&chuanp_xslt_lib) < 0 ? &chuanp_xslt_lib
                         : chuanp_dynlib_load(&exslt_lib) < 0     ? &exslt_lib
                                                                  : NULL;
    if (bad) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schematron.compile", .file = schema,
                         .offset = -1};
        if (d)
            chuan_diags_addf(d, &dg,
                             "cannot compile the schema %s: cannot load %s (%s): Schematron needs "
                             "libxslt and libexslt (Debian package %s)",
                             schema ? schema : "", bad->soname, chuanp_dynlib_error(bad),
                             CHUAN_XSLT_PACKAGE);
        return -1;
    }
    int rc = 0;
    pthread_mutex_lock(&setup_mu);
    if (!atomic_load_explicit(&set_up, memory_order_relaxed)) {
        rc = set_up_locked();
        if (rc == 0)
            atomic_store_explicit(&set_up, 1, memory_order_release);
    }
    pthread_mutex_unlock(&setup_mu);
    if (rc < 0 && d) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "io.memory", .file = schema,
                         .offset = -1};
        chuan_diags_addf(d, &dg, "out of memory compiling the schema %s", schema ? schema : "");
    }
    return rc;
}

void chuanp_xslt_versions(int *xslt, int *exslt)
{
    const int *v = NULL, *e = NULL;
    if (chuanp_dynlib_load(&chuanp_xslt_lib) == 0) {
        v = chuanp_dynlib_data(&chuanp_xslt_lib, "xsltLibxsltVersion");
        if (chuanp_dynlib_load(&exslt_lib) == 0)
            e = chuanp_dynlib_data(&exslt_lib, "exsltLibexsltVersion");
    }
    *xslt = v ? *v : -1;
    *exslt = e ? *e : -1;
}
