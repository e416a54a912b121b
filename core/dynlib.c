/* core/dynlib.c - a shared library opened with dlopen() on first use, its
 * functions resolved into a table (core/dynlib.h). */
#include "dynlib.h"

#include <dlfcn.h>
#include <stdio.h>
#include <string.h>

static void keep_error(chuanp_dynlib *l, const char *what)
{
    const char *e = dlerror();
    snprintf(l->err, sizeof l->err, "%s", e ? e : what);
}

/* Under l->mu, once: 1 or -1. */
static int load_locked(chuanp_dynlib *l)
{
    dlerror(); /* clear a stale error */
    void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
    if (!h) {
        keep_error(l, l->soname);
        return -1;
    }
    for (size_t i = 0; i < l->nsyms; i++) {
        char sym[128];
        int n = snprintf(sym, sizeof sym, "%s%s", l->prefix, l->names[i]);
        void *p = n > 0 && (size_t)n < sizeof sym ? dlsym(h, sym) : NULL;
        if (!p) {
            keep_error(l, sym);
            memset(l->fns, 0, l->nsyms * sizeof *l->fns);
            dlclose(h);
            return -1;
        }
        /* POSIX: a symbol's address converts to a function pointer */
        memcpy(&l->fns[i], &p, sizeof p);
    }
    l->handle = h;
    return 1; /* the handle stays open for the life of the process */
}

int chuanp_dynlib_load(chuanp_dynlib *l)
{
    int st = atomic_load_explicit(&l->state, memory_order_acquire);
    if (st == 0) {
        pthread_mutex_lock(&l->mu);
        st = atomic_load_explicit(&l->state, memory_order_relaxed);
        if (st == 0) {
            st = load_locked(l);
            atomic_store_explicit(&l->state, st, memory_order_release);
        }
        pthread_mutex_unlock(&l->mu);
    }
    return st > 0 ? 0 : -1;
}

const char *chuanp_dynlib_error(const chuanp_dynlib *l)
{
    return l->err;
}

const void *chuanp_dynlib_data(const chuanp_dynlib *l, const char *name)
{
    if (atomic_load_explicit(&l->state, memory_order_acquire) <= 0)
        return NULL;
    return dlsym(l->handle, name);
}
