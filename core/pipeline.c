/* core/pipeline.c - chunks processed by worker threads, emitted in order
 * on the calling thread, or by whichever thread finds the next chunk done
 * (see core/pipeline.h). */
#include "pipeline.h"

#include <pthread.h>
#include <stdlib.h>

enum { SLOT_EMPTY = 0, SLOT_QUEUED, SLOT_DONE };

typedef struct slot {
    void *chunk;
    int state;
    int rc;
} slot;

struct chuanp_pipeline {
    int jobs;
    size_t cap;
    slot *slots;
    size_t pushed, taken, emitted;
    int closing, finished, stop;
    int emit_any; /* workers emit too (chuanp_pipeline_emit_from_workers) */
    int emitting; /* a thread is inside emit(): the others leave it the next chunks */
    chuanp_pipeline_process_fn process;
    chuanp_pipeline_emit_fn emit;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t work, done;
    pthread_t *threads;
    int started;
    /* per-thread worker numbers */
    struct worker_arg {
        chuanp_pipeline *p;
        int id;
    } *args;
};

/* Emit finished chunks in order; with wait, block until the oldest one is
 * done (at least one emitted). One thread emits at a time (`emitting`), so
 * chunks leave in order whoever emits them. Called with the lock held;
 * returns with it. */
static void emit_ready(chuanp_pipeline *p, int wait)
{
    for (;;) {
        if (p->emitted == p->pushed)
            return;
        slot *s = &p->slots[p->emitted % p->cap];
        if (s->state != SLOT_DONE || p->emitting) {
            if (!wait)
                return;
            pthread_cond_wait(&p->done, &p->mu);
            continue;
        }
        void *chunk = s->chunk;
        int rc = s->rc;
        s->chunk = NULL;
        s->state = SLOT_EMPTY;
        p->emitted++;
        p->emitting = 1;
        pthread_mutex_unlock(&p->mu);
        int erc = p->emit(p->ctx, chunk, rc);
        pthread_mutex_lock(&p->mu);
        if (erc < 0)
            p->stop = 1;
        p->emitting = 0;
        pthread_cond_broadcast(&p->done); /* room for push, the next chunk for a waiting emitter */
        wait = 0;
    }
}

static void *worker(void *arg)
{
    struct worker_arg *wa = arg;
    chuanp_pipeline *p = wa->p;
    for (;;) {
        pthread_mutex_lock(&p->mu);
        while (p->taken == p->pushed && !p->closing)
            pthread_cond_wait(&p->work, &p->mu);
        if (p->taken == p->pushed) {
            pthread_mutex_unlock(&p->mu);
            return NULL;
        }
        slot *s = &p->slots[p->taken++ % p->cap];
        void *chunk = s->chunk;
        pthread_mutex_unlock(&p->mu);
        int rc = p->process(p->ctx, wa->id, chunk);
        pthread_mutex_lock(&p->mu);
        s->rc = rc;
        s->state = SLOT_DONE;
        pthread_cond_broadcast(&p->done);
        if (p->emit_any)
            emit_ready(p, 0);
        pthread_mutex_unlock(&p->mu);
    }
}

chuanp_pipeline *chuanp_pipeline_new(int jobs, size_t inflight, chuanp_pipeline_process_fn process,
                                     chuanp_pipeline_emit_fn emit, void *ctx)
{
    chuanp_pipeline *p = chuanp_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->jobs = jobs < 1 ? 1 : jobs;
    p->cap = inflight < (size_t)p->jobs + 1 ? (size_t)p->jobs + 1 : inflight;
    p->process = process;
    p->emit = emit;
    p->ctx = ctx;
    if (p->jobs == 1)
        return p;
    p->slots = chuanp_calloc(p->cap, sizeof *p->slots);
    p->threads = chuanp_calloc((size_t)p->jobs, sizeof *p->threads);
    p->args = chuanp_calloc((size_t)p->jobs, sizeof *p->args);
    if (!p->slots || !p->threads || !p->args)
        goto fail;
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->done, NULL);
    for (int t = 0; t < p->jobs; t++) {
        p->args[t].p = p;
        p->args[t].id = t;
        if (pthread_create(&p->threads[t], NULL, worker, &p->args[t]) != 0)
            break;
        p->started++;
    }
    if (p->started == 0) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
        goto fail;
    }
    return p;
fail:
    chuanp_free(p->slots);
    chuanp_free(p->threads);
    chuanp_free(p->args);
    chuanp_free(p);
    return NULL;
}

int chuanp_pipeline_push(chuanp_pipeline *p, void *chunk)
{
    if (p->jobs == 1) {
        int rc = p->stop ? 1 : p->process(p->ctx, 0, chunk);
        if (p->emit(p->ctx, chunk, rc) < 0)
            p->stop = 1;
        return p->stop ? -1 : 0;
    }
    pthread_mutex_lock(&p->mu);
    while (p->pushed - p->emitted >= p->cap)
        emit_ready(p, 1);
    if (p->stop) {
        pthread_mutex_unlock(&p->mu);
        p->emit(p->ctx, chunk, 1);
        return -1;
    }
    slot *s = &p->slots[p->pushed % p->cap];
    s->chunk = chunk;
    s->state = SLOT_QUEUED;
    p->pushed++;
    pthread_cond_signal(&p->work);
    emit_ready(p, 0);
    int stop = p->stop;
    pthread_mutex_unlock(&p->mu);
    return stop ? -1 : 0;
}

void chuanp_pipeline_emit_from_workers(chuanp_pipeline *p)
{
    if (!p || p->jobs == 1)
        return;
    pthread_mutex_lock(&p->mu);
    p->emit_any = 1;
    pthread_mutex_unlock(&p->mu);
}

int chuanp_pipeline_finish(chuanp_pipeline *p)
{
    if (!p)
        return 0;
    if (p->finished || p->jobs == 1) {
        p->finished = 1;
        return p->stop ? -1 : 0;
    }
    pthread_mutex_lock(&p->mu);
    while (p->emitted < p->pushed || p->emitting) {
        if (p->emitted < p->pushed)
            emit_ready(p, 1);
        else
            pthread_cond_wait(&p->done, &p->mu); /* a worker is emitting the last chunk */
    }
    p->closing = 1;
    pthread_cond_broadcast(&p->work);
    pthread_mutex_unlock(&p->mu);
    for (int t = 0; t < p->started; t++)
        pthread_join(p->threads[t], NULL);
    p->finished = 1;
    return p->stop ? -1 : 0;
}

void chuanp_pipeline_free(chuanp_pipeline *p)
{
    if (!p)
        return;
    chuanp_pipeline_finish(p);
    if (p->jobs > 1) {
        pthread_mutex_destroy(&p->mu);
        pthread_cond_destroy(&p->work);
        pthread_cond_destroy(&p->done);
    }
    chuanp_free(p->slots);
    chuanp_free(p->threads);
    chuanp_free(p->args);
    chuanp_free(p);
}
