/* converters/batch_outputs.c - one input's outputs: part files under the
 * output's lock, the --resume journal (skip a complete job, continue a
 * journaled one), the commit. */
#define _GNU_SOURCE
#include "batch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------ outputs */

/* The job identity in the journal: FNV-1a of the options that shape the
 * output, the input's name, size and modification time. */
static char *job_identity(const fctx *x)
{
    uint64_t h = 1469598103934665603ull;
    const chuanp_batch_opts *b = x->run->b;
    for (int i = 0; i < b->argc; i++) {
        const char *a = b->argv[i];
        if (strcmp(a, "--resume") == 0 || strcmp(a, "--progress") == 0 ||
            strcmp(a, "--no-progress") == 0 || strncmp(a, "--jobs", 6) == 0 ||
            strncmp(a, "-j", 2) == 0)
            continue;
        for (const unsigned char *p = (const unsigned char *)a; *p; p++)
            h = (h ^ *p) * 1099511628211ull;
        h = (h ^ 0xFF) * 1099511628211ull;
    }
    struct stat st;
    long long size = -1, mtime = 0;
    if (stat(x->f->in, &st) == 0) {
        size = (long long)st.st_size;
        mtime = (long long)st.st_mtime;
    }
    return chuanp_asprintf("%016llx-%lld-%lld", (unsigned long long)h, size, mtime);
}

static char *part_path(const char *path, const char *suffix)
{
    return chuanp_asprintf("%s.chuan-part.%s", path, suffix);
}

/* A journal that says "commit": the job was complete; finish its renames,
 * then check that the output (and the rejects file) are the bytes the
 * journal committed. 1 when they are (nothing to redo), else 0. */
static int finish_committed(fctx *x, const chuanp_journal_state *js)
{
    struct stat st;
    char *part;
    if (x->f->rej && js->rej_part[0] && (part = part_path(x->f->rej, js->rej_part))) {
        if (lstat(part, &st) == 0 && S_ISREG(st.st_mode)) {
            if (st.st_size == 0) {
                unlink(part);
                unlink(x->f->rej);
            } else if (rename(part, x->f->rej) != 0) {
                chuanp_bx_fail(x, "io.write", "cannot write %s: %s", x->f->rej, chuanp_strerror(errno));
            }
        }
        chuanp_free(part);
    }
    if (js->out_part[0] && (part = part_path(x->f->out, js->out_part))) {
        if (lstat(part, &st) == 0 && S_ISREG(st.st_mode) && rename(part, x->f->out) != 0)
            chuanp_bx_fail(x, "io.write", "cannot write %s: %s", x->f->out, chuanp_strerror(errno));
        chuanp_free(part);
    }
    long long size;
    uint64_t sum;
    if (x->failed || js->out_size < 0 || chuanp_file_sum(x->f->out, &size, &sum) < 0 ||
        size != js->out_size || sum != js->out_sum)
        return 0;
    if (x->f->rej && js->rej_size > 0 &&
        (chuanp_file_sum(x->f->rej, &size, &sum) < 0 || size != js->rej_size ||
         sum != js->rej_sum))
        return 0;
    return 1;
}

/* Remove the part files of earlier runs on this output (killed ones; the
 * lock is held, so no live run owns one), except the ones being resumed. */
static void drop_parts(fctx *x, const char *keep_out, const char *keep_rej)
{
    const char *paths[2] = {x->f->out, x->f->rej};
    const char *keep[2] = {keep_out, keep_rej};
    for (int i = 0; i < 2; i++)
        if (paths[i])
            chuanp_remove_stale_parts(paths[i], keep[i]);
}

/* Open this input's outputs, under the output's lock. With --resume, the
 * journal decides: a committed job whose files are intact is skipped
 * (returns 1), a journaled one continues from its last checkpoint, anything
 * else starts over. Returns 0, 1, or <0 on failure (message shown). */
int chuanp_bx_open_outputs(fctx *x, int chunked)
{
    char *err = NULL, *id = NULL;
    long long keep_out = -1, keep_rej = -1;
    const char *out_part = NULL, *rej_part = NULL;
    chuanp_journal_state js;
    memset(&js, 0, sizeof js);
    if (!x->f->out) {
        x->out_fp = x->run->shared_out.fp;
        x->rej_fp = x->run->shared_rej.fp;
        return 0;
    }
    if (chuanp_lock_output(&x->lock, x->f->out, &err) < 0)
        goto fail;
    x->journaling = x->run->b->resume && chunked && x->ndjson_out;
    if (x->run->b->resume) {
        id = job_identity(x);
        if (!id || chuanp_journal_open(&x->journal, x->f->out, id, 1, &js, &err) < 0)
            goto fail;
        if (js.found == 2 && finish_committed(x, &js)) {
            chuanp_journal_close(&x->journal, 0); /* the proof stays until the run ends */
            chuanp_unlock_output(&x->lock);
            x->cp = js.last;
            chuanp_free(id);
            return 1;
        }
        if (x->failed)
            goto fail_shown;
        if (js.found == 1 && x->journaling && js.last.seq > 0 && js.out_part[0] &&
            (!x->f->rej || js.rej_part[0])) {
            out_part = js.out_part;
            rej_part = x->f->rej ? js.rej_part : NULL;
            keep_out = js.last.out_bytes;
            keep_rej = js.last.rej_bytes;
        }
    }
    if (out_part) {
        /* continue the journaled job; its part files must be there */
        if (chuanp_partfile_open(&x->out, x->f->out, NULL, out_part, keep_out, &err) == 0 &&
            (!rej_part || chuanp_partfile_open(&x->rej, x->f->rej, NULL, rej_part, keep_rej,
                                               &err) == 0)) {
            x->cp = js.last;
            x->own_out = 1;
            x->own_rej = rej_part != NULL;
            if (x->lock.stale)
                drop_parts(x, out_part, rej_part);
            goto opened;
        }
        chuanp_partfile_close(&x->out);
        chuanp_free(err);
        err = NULL;
    }
    if (x->lock.stale || js.found)
        drop_parts(x, NULL, NULL);
    if (js.found) {
        /* start over: a fresh journal */
        chuanp_journal_close(&x->journal, 0);
        if (chuanp_journal_open(&x->journal, x->f->out, id, 0, &js, &err) < 0)
            goto fail;
    }
    if (chuanp_partfile_open(&x->out, x->f->out, NULL, NULL, -1, &err) < 0)
        goto fail;
    x->own_out = 1;
    if (x->f->rej) {
        if (chuanp_partfile_open(&x->rej, x->f->rej, NULL, NULL, -1, &err) < 0)
            goto fail;
        x->own_rej = 1;
    }
    if (x->journal.fp && chuanp_journal_parts(&x->journal, &x->out, x->own_rej ? &x->rej : NULL,
                                              &err) < 0)
        goto fail;
opened:
    if (x->journaling) {
        /* kept when a signal ends the run: the rerun continues them */
        chuanp_partfile_persist(&x->out);
        if (x->own_rej)
            chuanp_partfile_persist(&x->rej);
    }
    x->out_fp = x->out.fp;
    x->rej_fp = x->own_rej ? x->rej.fp : NULL;
    chuanp_free(id);
    return 0;
fail:
    chuanp_bx_fail(x, "io.write", "%s", err ? err : "out of memory");
fail_shown:
    chuanp_free(err);
    chuanp_free(id);
    if (x->own_rej)
        chuanp_partfile_abort(&x->rej);
    if (x->own_out)
        chuanp_partfile_abort(&x->out);
    x->own_out = x->own_rej = 0;
    chuanp_journal_close(&x->journal, 1);
    chuanp_unlock_output(&x->lock);
    return -1;
}

/* Size and checksum of a part file about to be committed (-1: none). */
static int part_sum(fctx *x, chuanp_partfile *p, int own, long long *size, uint64_t *sum)
{
    char *err = NULL;
    *size = -1;
    *sum = 0;
    if (!own || !p->part)
        return 0;
    if (chuanp_partfile_flush(p, &err) < 0 || chuanp_file_sum(p->part, size, sum) < 0) {
        chuanp_bx_fail(x, "io.write", "%s", err ? err : "cannot read back a part file");
        chuanp_free(err);
        return -1;
    }
    return 0;
}

/* Commit (rejects first, then the output: an output that exists means the
 * input is done) or drop this input's outputs. */
void chuanp_bx_close_outputs(fctx *x)
{
    char *err = NULL;
    int keep = !x->failed;
    if (keep && x->journal.fp && !x->drop_out) {
        long long os, rs;
        uint64_t osum, rsum;
        if (part_sum(x, &x->out, x->own_out, &os, &osum) < 0 ||
            part_sum(x, &x->rej, x->own_rej, &rs, &rsum) < 0) {
            keep = 0;
        } else if (chuanp_journal_commit(&x->journal, os, osum, rs, rsum, &err) < 0) {
            chuanp_bx_fail(x, "io.write", "%s", err);
            chuanp_free(err);
            err = NULL;
            keep = 0;
        }
    }
    if (x->own_rej) {
        if (!keep) {
            chuanp_partfile_abort(&x->rej);
        } else if (chuanp_partfile_commit(&x->rej, 1, &err) < 0) {
            chuanp_bx_fail(x, "io.write", "%s", err);
            chuanp_free(err);
            err = NULL;
            keep = 0;
        }
    }
    if (x->own_out) {
        if (!keep || x->drop_out) {
            chuanp_partfile_abort(&x->out);
        } else if (chuanp_partfile_commit(&x->out, 0, &err) < 0) {
            chuanp_bx_fail(x, "io.write", "%s", err);
            chuanp_free(err);
            keep = 0;
        }
    }
    /* a committed job's journal is the proof a rerun with --resume trusts;
     * the run removes it when every input is done (batch_run.c) */
    chuanp_journal_close(&x->journal, !(keep && !x->drop_out && !x->failed));
    chuanp_unlock_output(&x->lock);
}

