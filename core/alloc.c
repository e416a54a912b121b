/*
 * core/alloc.c - the one allocator of libchuan.
 *
 * Every allocation of chuan's own code goes through chuanp_malloc,
 * chuanp_calloc, chuanp_realloc and chuanp_free (core.h); libxml2 and
 * libxslt (xmlMemSetup) are routed here too by chuanp_alloc_setup_xml().
 * libxslt and libexslt are opened later, by the first Schematron compile
 * (validator/xslt_lib.c): they allocate through libxml2's xmlMalloc &c.,
 * whose values are the hooks already set here (test_oom's
 * test_xslt_setup fails their set-up's first allocation).
 * chuan_set_allocator() replaces the functions underneath.
 *
 * Failure injection (the torture test, curl's and SQLite's idea): with
 * CHUAN_FAIL_ALLOC_AT=N in the environment, the N-th allocation of the
 * process (1-based, counted across threads) returns NULL. Every failed
 * allocation, injected or real, is counted: chuanp_alloc_failures() lets
 * the command line turn a run that lost an allocation anywhere into exit 2
 * and lets atomic outputs refuse to commit, so running out of memory never
 * becomes a verdict or a changed output.
 */
#include "core.h"

#include <libxml/xmlerror.h>
#include <libxml/xmlmemory.h>
#include <libxml/globals.h>
#include <limits.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static chuan_malloc_fn alloc_malloc = malloc;
static chuan_realloc_fn alloc_realloc = realloc;
static chuan_free_fn alloc_free = free;

static atomic_ullong alloc_count;
static atomic_ullong alloc_failed;
static atomic_int alloc_used; /* 1 once chuan allocated anything */
/* 0: not read yet; -1: no injection and no counting; else the allocation
 * to fail (LLONG_MAX: count only, for CHUAN_ALLOC_STATS). */
static long long fail_at;
static atomic_int fail_at_read;

/* CHUAN_ALLOC_STATS=1: print the number of allocations at exit (stderr), so
 * the torture test knows how far to sweep CHUAN_FAIL_ALLOC_AT. */
static void print_stats(void)
{
    fprintf(stderr, "chuan: allocations: %llu, failed: %llu\n",
            (unsigned long long)atomic_load(&alloc_count), (unsigned long long)atomic_load(&alloc_failed));
}

static void read_fail_at(void)
{
    const char *s = getenv("CHUAN_FAIL_ALLOC_AT");
    long long v = -1;
    if (s && *s) {
        char *end;
        long long n = strtoll(s, &end, 10);
        if (*end == '\0' && n > 0)
            v = n;
    }
    const char *st = getenv("CHUAN_ALLOC_STATS");
    if (st && strcmp(st, "1") == 0) {
        if (v < 0)
            v = LLONG_MAX;
        atexit(print_stats);
    }
    fail_at = v;
    atomic_store_explicit(&fail_at_read, 1, memory_order_release);
}

/* 1 when this allocation must fail (injected). Allocations are counted only
 * when injection or statistics are on. */
static int inject_failure(void)
{
    if (!atomic_load_explicit(&fail_at_read, memory_order_acquire))
        read_fail_at();
    if (fail_at < 0)
        return 0;
    unsigned long long n = atomic_fetch_add_explicit(&alloc_count, 1, memory_order_relaxed) + 1;
    return (long long)n == fail_at;
}

static void *note_failure(void)
{
    atomic_fetch_add_explicit(&alloc_failed, 1, memory_order_relaxed);
    return NULL;
}

static inline void note_use(void)
{
    if (!atomic_load_explicit(&alloc_used, memory_order_relaxed))
        atomic_store_explicit(&alloc_used, 1, memory_order_relaxed);
}

/* An allocation is begun (counted; -1 when injection fails it, the failure
 * counted), then made (counted: the memory, or NULL with the failure noted).
 * chuanp_malloc is the two; core/big_block.c makes its maps between them. */
int chuanp_alloc_begin(void)
{
    note_use();
    if (inject_failure()) {
        note_failure();
        return -1;
    }
    return 0;
}

void *chuanp_alloc_counted(size_t n)
{
    void *p = alloc_malloc(n ? n : 1);
    return p ? p : note_failure();
}

int chuanp_alloc_default(void)
{
    return alloc_malloc == malloc;
}

void *chuanp_malloc(size_t n)
{
    return chuanp_alloc_begin() < 0 ? NULL : chuanp_alloc_counted(n);
}

void *chuanp_calloc(size_t n, size_t size)
{
    if (size && n > SIZE_MAX / size)
        return note_failure();
    size_t total = n * size;
    void *p = chuanp_malloc(total);
    if (p)
        memset(p, 0, total ? total : 1);
    return p;
}

void *chuanp_realloc(void *p, size_t n)
{
    note_use();
    if (inject_failure())
        return note_failure();
    void *q = alloc_realloc(p, n ? n : 1);
    if (!q)
        return note_failure();
    return q;
}

void chuanp_free(void *p)
{
    if (p)
        alloc_free(p);
}

unsigned long long chuanp_alloc_failures(void)
{
    return atomic_load_explicit(&alloc_failed, memory_order_relaxed);
}

void chuanp_alloc_note_failure(void)
{
    note_failure();
}

void chuanp_alloc_fail_in(unsigned long long k)
{
    if (!atomic_load_explicit(&fail_at_read, memory_order_acquire))
        read_fail_at();
    fail_at = k ? (long long)(atomic_load(&alloc_count) + k) : LLONG_MAX;
}

/* ------------------------------------------------------- compile guard */

static void guard_error(void *ctx, xmlErrorPtr e)
{
    chuanp_compile_guard *g = ctx;
    if (e && e->level >= XML_ERR_ERROR)
        g->errors++;
    xmlStructuredErrorFunc prev = (xmlStructuredErrorFunc)g->old_fn;
    if (prev)
        prev(g->old_ctx, e);
    else if (e && e->message && e->level >= XML_ERR_ERROR)
        xmlGenericError(xmlGenericErrorContext, "%s", e->message); /* as libxml2 would */
}

void chuanp_compile_guard_begin(chuanp_compile_guard *g)
{
    g->failures = chuanp_alloc_failures();
    g->errors = 0;
    g->old_fn = (void (*)(void *, void *))xmlStructuredError;
    g->old_ctx = xmlStructuredErrorContext;
    xmlSetStructuredErrorFunc(g, guard_error);
}

int chuanp_compile_guard_end(chuanp_compile_guard *g)
{
    xmlSetStructuredErrorFunc(g->old_ctx, (xmlStructuredErrorFunc)g->old_fn);
    if (chuanp_alloc_failures() != g->failures)
        return -1;
    return g->errors ? 1 : 0;
}

int chuanp_compile_guard_check(chuanp_compile_guard *g, int rc, chuan_diags *d, const char *file)
{
    int bad = chuanp_compile_guard_end(g);
    if (bad == 0 || rc < 0 || !d)
        return bad;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = bad < 0 ? "io.memory" : "schema.compile",
                     .file = file, .offset = -1};
    if (bad < 0)
        chuan_diags_addf(d, &dg, "out of memory compiling the schema %s", file ? file : "");
    else
        chuan_diags_addf(d, &dg, "cannot compile the schema %s: the XML library reported an error",
                         file ? file : "");
    return bad;
}

/* libxml2's hooks: strdup through our malloc. */
static char *xml_strdup_hook(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = chuanp_malloc(n);
    if (p)
        memcpy(p, s, n);
    return p;
}

static void *xml_malloc_hook(size_t n) { return chuanp_malloc(n); }
static void *xml_realloc_hook(void *p, size_t n) { return chuanp_realloc(p, n); }
static void xml_free_hook(void *p) { chuanp_free(p); }

void chuanp_alloc_setup_xml(void)
{
    static atomic_int done;
    if (atomic_exchange(&done, 1))
        return;
    atomic_store(&alloc_used, 1);
    xmlMemSetup(xml_free_hook, xml_malloc_hook, xml_realloc_hook, xml_strdup_hook);
}

int chuan_set_allocator(chuan_malloc_fn m, chuan_realloc_fn r, chuan_free_fn f)
{
    if (!m || !r || !f)
        return -1;
    if (atomic_load(&alloc_used))
        return -1; /* memory already handed out with the old functions */
    alloc_malloc = m;
    alloc_realloc = r;
    alloc_free = f;
    return 0;
}
