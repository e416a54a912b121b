/*
 * validator/xslt_lib.h - libxslt and libexslt, opened on first use.
 *
 * Only Schematron (validator/schematron_*.c) runs XSLT, and libexslt pulls
 * in libgcrypt and libgpg-error: linked, the four were mapped and relocated
 * at the start of every run (docs/performance.md, "Start-up"). They are
 * opened with dlopen() instead (core/dynlib.h): chuanp_xslt_load() opens
 * both and does their one-time set-up; chuanp_schematron_compile calls it
 * first (a compiled schema means both are loaded), and the functions of libxslt are called as XSLT(name)(...) through
 * the table below. The libxslt headers still give the types.
 */
#ifndef CHUAN_XSLT_LIB_H
#define CHUAN_XSLT_LIB_H

#include "../core/core.h"
#include "../core/dynlib.h"

#include <libxslt/extensions.h>
#include <libxslt/security.h>
#include <libxslt/transform.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltInternals.h>
#include <libxslt/xsltutils.h>

/* Every function of libxslt chuan calls, without the "xslt" prefix (a new
 * call is one more name here: the link fails on a direct call). */
#define CHUANP_XSLT_FUNCS(X)                                                                     \
    X(Init) X(NewSecurityPrefs) X(SetSecurityPrefs) X(SecurityForbid) X(FreeSecurityPrefs)       \
    X(SetCtxtSecurityPrefs) X(XPathGetTransformContext) X(NewTransformContext)                   \
    X(FreeTransformContext) X(SetTransformErrorFunc) X(RegisterExtFunction)                      \
    X(ApplyStylesheetUser) X(SetGenericErrorFunc) X(ParseStylesheetDoc) X(FreeStylesheet)

CHUANP_DYNLIB_SLOTS(chuanp_xslt, CHUANP_XSLT_FUNCS);
/* libxslt's function xslt<f>, after a successful chuanp_xslt_load(). */
#define XSLT(f) ((__typeof__(xslt##f) *)chuanp_xslt_fns[SLOT_##f])

/* Open libxslt and libexslt (once, thread-safe; a failure to open is kept)
 * and set them up once: libxslt's globals, the EXSLT modules. 0, or -1 with
 * a "schematron.compile" diagnostic about `schema` added to d (may be NULL):
 * the file that could not be loaded, dlerror()'s text and the Debian
 * package; or "io.memory" when the set-up lost an allocation (tried again by
 * the next call). Anything loaded later allocates through chuan's allocator:
 * libxslt calls libxml2's xmlMalloc, which chuanp_init() set. */
int chuanp_xslt_load(const char *schema, chuan_diags *d);

/* For --version: open the two libraries (no set-up, no diagnostic) and give
 * the versions of those loaded (xsltLibxsltVersion, exsltLibexsltVersion),
 * -1 for one that cannot be loaded. */
void chuanp_xslt_versions(int *xslt, int *exslt);

#endif
