/* core/jobs.c - a fixed pool of worker threads over an index range, with
 * completion callbacks delivered in index order on the calling thread. */
#include "core.h"

#include <pthread.h>
#include <sys/mman.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct pool {
    size_t n, next;
    unsigned char *done;
    chuanp_job_fn fn;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t cv;
} pool;

static void *worker(void *arg)
{
    pool *p = arg;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        size_t i = p->next;
        if (i < p->n)
            p->next++;
        pthread_mutex_unlock(&p->mu);
        if (i >= p->n)
            return NULL;
        p->fn(i, p->ctx);
        pthread_mutex_lock(&p->mu);
        p->done[i] = 1;
        pthread_cond_broadcast(&p->cv);
        pthread_mutex_unlock(&p->mu);
    }
}

int chuanp_jobs_fit(int jobs)
{
    /* the address space one more worker takes at its peak (its stack, its
     * buffers and chunks in flight, malloc's per-thread reserve): measured
     * about 35 MB for a chunked NDJSON conversion with validation */
    const size_t per_worker = (size_t)40 << 20;
    for (; jobs > 1; jobs--) {
        void *p = mmap(NULL, (size_t)jobs * per_worker, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS,
                       -1, 0);
        if (p != MAP_FAILED) {
            munmap(p, (size_t)jobs * per_worker);
            break;
        }
    }
    return jobs < 1 ? 1 : jobs;
}

int chuanp_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > 64 ? 64 : (int)n;
}

int chuanp_run_jobs(size_t n, int jobs, chuanp_job_fn fn, chuanp_job_fn done, void *ctx)
{
    if (jobs < 1)
        jobs = 1;
    if ((size_t)jobs > n)
        jobs = n ? (int)n : 1;
    if (jobs == 1) {
        for (size_t i = 0; i < n; i++) {
            fn(i, ctx);
            if (done)
                done(i, ctx);
        }
        return 0;
    }
    pool p = {.n = n, .fn = fn, .ctx = ctx};
    p.done = chuanp_calloc(n, 1);
    pthread_t *th = chuanp_calloc((size_t)jobs, sizeof *th);
    if (!p.done || !th) {
        chuanp_free(p.done);
        chuanp_free(th);
        return -1;
    }
    pthread_mutex_init(&p.mu, NULL);
    pthread_cond_init(&p.cv, NULL);
    int started = 0;
    for (int t = 0; t < jobs; t++) {
        if (pthread_create(&th[t], NULL, worker, &p) != 0)
            break;
        started++;
    }
    if (started == 0) {
        /* no threads: do it here */
        for (size_t i = 0; i < n; i++) {
            fn(i, ctx);
            if (done)
                done(i, ctx);
        }
    } else {
        for (size_t i = 0; i < n; i++) {
            pthread_mutex_lock(&p.mu);
            while (!p.done[i])
                pthread_cond_wait(&p.cv, &p.mu);
            pthread_mutex_unlock(&p.mu);
            if (done)
                done(i, ctx);
        }
        for (int t = 0; t < started; t++)
            pthread_join(th[t], NULL);
    }
    pthread_mutex_destroy(&p.mu);
    pthread_cond_destroy(&p.cv);
    chuanp_free(p.done);
    chuanp_free(th);
    return 0;
}
