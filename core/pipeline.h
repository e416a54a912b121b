/*
 * core/pipeline.h - one record stream processed in parallel, emitted in order.
 *
 * The calling thread is the reader and the writer: it hands chunks (whole
 * records, cut by the caller) to chuanp_pipeline_push(), worker threads run
 * process() on them in any order, and emit() runs on the calling thread in
 * chunk order (inside push() and finish()), so outputs are in input order.
 * After chuanp_pipeline_emit_from_workers(), a worker that finishes the
 * next chunk to emit emits it (and the ones after it that are done), so the
 * calling thread goes on reading while output is written; emit() then runs
 * on any of the threads, one call at a time, still in chunk order, each
 * call seeing the memory of the one before (the pipeline's lock).
 * At most `inflight` chunks exist at once (pushed and not yet emitted):
 * push() waits for room, which keeps memory constant whatever the input
 * size. With jobs == 1 no thread is started: process() and emit() run
 * inside push().
 *
 * Ownership: a pushed chunk belongs to the pipeline until emit() returns;
 * emit() frees it (or recycles it). process() returns 0, or <0 to stop the
 * run (the chunk is still emitted so the caller can report it).
 */
#ifndef CHUAN_PIPELINE_H
#define CHUAN_PIPELINE_H

#include "core.h"

typedef struct chuanp_pipeline chuanp_pipeline;

/* process(ctx, worker, chunk): worker is 0..jobs-1 (per-worker state). */
typedef int (*chuanp_pipeline_process_fn)(void *ctx, int worker, void *chunk);
/* emit(ctx, chunk, processed_rc): 0 to go on, <0 to stop pushing. */
typedef int (*chuanp_pipeline_emit_fn)(void *ctx, void *chunk, int processed_rc);

/* NULL when out of memory or threads cannot start. */
chuanp_pipeline *chuanp_pipeline_new(int jobs, size_t inflight, chuanp_pipeline_process_fn process,
                                     chuanp_pipeline_emit_fn emit, void *ctx);
/* Hand over a chunk. Returns 0, or <0 when an emit() asked to stop (the
 * chunk is then dropped through emit with processed_rc = 1 so it is freed). */
int chuanp_pipeline_push(chuanp_pipeline *p, void *chunk);
/* Let workers emit (before the first push; no effect with jobs == 1). */
void chuanp_pipeline_emit_from_workers(chuanp_pipeline *p);
/* Wait for every pushed chunk to be processed and emitted, stop the
 * workers. Returns 0, or <0 when an emit() asked to stop. */
int chuanp_pipeline_finish(chuanp_pipeline *p);
/* Finish (if not done) and free. Accepts NULL. */
void chuanp_pipeline_free(chuanp_pipeline *p);

#endif /* CHUAN_PIPELINE_H */
