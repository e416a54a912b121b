/* converters/batch_run.c - a planned batch conversion run: small files side
 * by side with one worker each, big ones (and standard input) one at a time
 * with every worker on their chunks; the shared output (-o FILE or standard
 * output) when every input goes to one place. */
#include "batch_int.h"

#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files at least this large (or of unknown size: standard input) run one at
 * a time with every worker on their chunks; smaller ones run side by side,
 * one worker each. */
#define BIG_FILE ((long long)8 << 20)

/* A file that runs beside others with one worker: not alone in the run,
 * of a known size below BIG_FILE. */
static int is_small(const chuanp_batch_run *run, const chuanp_batch_file *f)
{
    return run->n > 1 && f->size >= 0 && f->size < BIG_FILE;
}

static void run_fail(chuanp_batch_run *run, const char *msg)
{
    pthread_mutex_lock(&run->mu);
    run->ev.fail(run->ev.ctx, 0, msg);
    pthread_mutex_unlock(&run->mu);
}

static void small_one(size_t i, void *ctx)
{
    chuanp_batch_run *run = ctx;
    chuanp_batch_file *f = &run->files[i];
    if (!f->skipped && (is_small(run, f) || run->shared))
        chuanp_batch_convert_file(run, f, 1, 0);
}

static void file_done(size_t i, void *ctx)
{
    chuanp_batch_run *run = ctx;
    chuanp_batch_file *f = &run->files[i];
    pthread_mutex_lock(&run->mu);
    if (f->diags.count || f->diags.dropped)
        run->ev.diags(run->ev.ctx, f->in, &f->diags);
    chuan_diags_clear(&f->diags);
    if (f->skipped || is_small(run, f)) {
        run->files_done++;
        if (f->size > 0 && f->skipped)
            run->bytes_done += f->size;
    }
    chuanp_bx_progress(run);
    pthread_mutex_unlock(&run->mu);
}

static int open_shared(chuanp_batch_run *run)
{
    const chuanp_batch_opts *b = run->b;
    char *err = NULL;
    if (chuanp_lock_output(&run->shared_lock, b->output, &err) < 0)
        goto fail;
    if (run->shared_lock.stale) /* part files of killed runs on this output */
        chuanp_remove_stale_parts(b->output, NULL);
    if (chuanp_partfile_open(&run->shared_out, b->output, b->stdout_fp, NULL, -1, &err) < 0)
        goto fail;
    run->shared_open = 1;
    char *rej = b->rejects ? chuanp_strdup(b->rejects) : chuanp_bx_default_rejects(b);
    if (rej) {
        int rc = chuanp_partfile_open(&run->shared_rej, rej, NULL, NULL, -1, &err);
        chuanp_free(rej);
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    run_fail(run, err ? err : "out of memory");
    chuanp_free(err);
    if (!run->shared_open)
        chuanp_unlock_output(&run->shared_lock);
    return -1;
}

static int close_shared(chuanp_batch_run *run, int keep)
{
    char *err = NULL;
    int rc = 0;
    if (!keep) {
        chuanp_partfile_abort(&run->shared_rej);
        chuanp_partfile_abort(&run->shared_out);
        chuanp_unlock_output(&run->shared_lock);
        return 0;
    }
    if (chuanp_partfile_commit(&run->shared_rej, 1, &err) < 0 ||
        chuanp_partfile_commit(&run->shared_out, 0, &err) < 0) {
        run_fail(run, err ? err : "write error");
        chuanp_free(err);
        chuanp_partfile_abort(&run->shared_out);
        rc = -1;
    }
    chuanp_unlock_output(&run->shared_lock);
    return rc;
}

/* Every input to the shared output, in order, each with every worker. */
static void run_shared(chuanp_batch_run *run)
{
    for (size_t i = 0; i < run->n; i++) {
        chuanp_batch_convert_file(run, &run->files[i], run->jobs, 1);
        file_done(i, run);
        if (run->files[i].rc == 2)
            break;
    }
}

/* Small files side by side, then each big one with every worker. */
static int run_own(chuanp_batch_run *run)
{
    if (chuanp_run_jobs(run->n, run->jobs, small_one, file_done, run) < 0) {
        run_fail(run, "cannot start worker threads");
        return -1;
    }
    for (size_t i = 0; i < run->n; i++) {
        chuanp_batch_file *f = &run->files[i];
        if (f->skipped || is_small(run, f))
            continue;
        chuanp_batch_convert_file(run, f, run->jobs, 1);
        pthread_mutex_lock(&run->mu);
        run->files_done++;
        pthread_mutex_unlock(&run->mu);
    }
    return 0;
}

int chuanp_batch_execute(chuanp_batch_run *run, int *commit_failed)
{
    const chuanp_batch_opts *b = run->b;
    *commit_failed = 0;
    for (size_t i = 0; i < run->n; i++)
        if (run->files[i].size > 0)
            run->bytes_total += run->files[i].size;
    if (run->shared) {
        if (open_shared(run) < 0)
            return -1;
        run_shared(run);
    } else if (run_own(run) < 0) {
        return -1;
    }
    int failed = 0;
    for (size_t i = 0; i < run->n; i++)
        failed |= run->files[i].rc == 2;
    for (size_t i = 0; i < run->n; i++)
        run->rejected_seen += run->files[i].rejected;
    if (run->shared) {
        run->shared_rej_kept = run->shared_rej.fp != NULL;
        run->shared_open = 0;
        if (close_shared(run, !failed) < 0)
            failed = *commit_failed = 1;
        if (failed) /* nothing was committed */
            for (size_t i = 0; i < run->n; i++)
                run->files[i].written = run->files[i].rejected = 0;
    }
    if (b->resume && !failed) {
        /* every input is done: the journals that proved finished outputs go */
        for (size_t i = 0; i < run->n; i++) {
            char *jp = run->files[i].out ? chuanp_journal_path(run->files[i].out) : NULL;
            if (jp)
                unlink(jp);
            chuanp_free(jp);
        }
    }
    return 0;
}

void chuanp_batch_run_free(chuanp_batch_run *run)
{
    if (run->shared_open)
        close_shared(run, 0);
    run->shared_open = 0;
    for (size_t i = 0; i < run->n; i++) {
        chuanp_free(run->files[i].out);
        chuanp_free(run->files[i].rej);
        chuan_diags_clear(&run->files[i].diags);
    }
    chuanp_free(run->files);
    run->files = NULL;
    run->n = 0;
    if (run->mu_init)
        pthread_mutex_destroy(&run->mu);
    run->mu_init = 0;
    chuanp_pathlist_free(&run->inputs);
}

int chuanp_batch_convert_one(const chuanp_batch_opts *b, chuanp_batch_file *f, FILE *out,
                             FILE *rej, chuan_diags *d)
{
    int jobs = b->jobs > 0 ? b->jobs : 1;
    chuanp_batch_run run;
    memset(&run, 0, sizeof run);
    run.b = b;
    run.record_path = b->o.record_path;
    run.jobs = jobs;
    run.shared = 1;
    run.shared_out.fp = out;
    run.shared_out.slot = -1;
    run.shared_rej.fp = rej;
    run.shared_rej.slot = -1;
    pthread_mutex_init(&run.mu, NULL);
    f->size = -1;
    chuan_diags_init(&f->diags, d->max);
    run.files = f;
    run.n = 1;
    chuanp_batch_convert_file(&run, f, jobs, 0);
    pthread_mutex_destroy(&run.mu);
    int moved = chuan_diags_move(d, &f->diags);
    chuan_diags_clear(&f->diags);
    return moved < 0 ? 2 : f->rc;
}
