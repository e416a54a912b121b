/* validator/init.c - the one set-up of the libraries under libchuan, done
 * once per process by every entry point (chuan_main, the public API's
 * constructors): libxml2/libxslt allocate through chuan's allocator, never
 * reach the network for a document or schema resource, and report errors
 * only through the per-context handlers chuan installs (libxml2's generic
 * channel, which prints to stderr, stays silent). libxslt and libexslt are
 * not set up here: the first Schematron compile opens them and sets them up
 * (chuanp_xslt_load, validator/xslt_lib.c), and they allocate through
 * libxml2's xmlMalloc, which init_once has set by then. */
#include "validator.h"

#include "../core/confine.h"

#include <libxml/parser.h>
#include <libxml/xmlIO.h>
#include <pthread.h>

static void silent_generic_error(void *ctx, const char *msg, ...)
{
    (void)ctx, (void)msg;
}

/* The program opens libxml2 on first use (cli/lazy/xml_lazy.c, x86-64):
 * it defines this as 1 and runs chuanp_xml_setup when it opens the
 * library; anything else linking libchuan sees no definition. */
extern const int chuanp_xml_lazy __attribute__((weak));

void chuanp_xml_setup(void)
{
    chuanp_alloc_setup_xml(); /* before libxml2's first allocation */
    xmlInitParser();
    /* Schemas may import or include other files: never over the network,
     * only regular files, and during a schema compile only below the
     * schema's folder, its package and --ref mappings (core/confine.h). */
    chuanp_confine_install();
    xmlSetGenericErrorFunc(NULL, silent_generic_error);
}

void chuanp_init(void)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    if (&chuanp_xml_lazy != NULL && chuanp_xml_lazy)
        return;
    pthread_once(&once, chuanp_xml_setup);
}
