/* converters/batch_emit.c - finished chunks written in input order: the
 * output, the rejects, the diagnostics, the counters, and a journal
 * checkpoint after each chunk with --resume. */
#define _GNU_SOURCE
#include "batch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --------------------------------------------------------------- emit */

int chuanp_bx_write_all(fctx *x, FILE *fp, const char *what, const char *data, size_t len)
{
    if (!len || !fp)
        return 0;
    errno = 0;
    if (fwrite(data, 1, len, fp) != len || ferror(fp)) {
        chuanp_bx_fail(x, "io.write", "cannot write %s: %s", what, chuanp_strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

const char *chuanp_bx_out_name(const fctx *x)
{
    return x->f->out ? x->f->out : x->run->b->output ? x->run->b->output : "standard output";
}

const char *chuanp_bx_rej_name(const fctx *x)
{
    return x->f->rej ? x->f->rej : x->run->b->rejects ? x->run->b->rejects : "the rejects file";
}

/* Write the kept records of a chunk with the one writer of this input;
 * records the writer cannot represent become rejects. */
static int write_kept(fctx *x, bchunk *c)
{
    for (size_t i = 0; i < c->nkeep; i++) {
        kept *k = &c->keep[i];
        chuanp_record rec = {.value = k->value, .index = 0, .line = k->line, .offset = -1,
                             .raw = k->raw, .raw_len = k->raw_len};
        chuan_diags wd;
        chuan_diags_init(&wd, 0);
        errno = 0;
        int wr = x->writer->ops->write(x->writer, &rec, &wd);
        if (wr < 0) {
            chuan_diags_clear(&wd);
            chuanp_bx_fail(x, "io.write", "cannot write %s: %s", chuanp_bx_out_name(x),
                     chuanp_strerror(errno ? errno : EIO));
            return -1;
        }
        if (wr > 0) {
            chuanp_bx_positions(x, &wd);
            chuanp_reject_line(&c->rej, k->raw, k->raw_len, k->raw ? NULL : k->value, x->f->in, x->part,
                               k->line, &wd);
            c->rejected++;
        } else {
            c->written++;
        }
        chuan_diags_move(&c->diags, &wd);
        chuan_diags_clear(&wd);
    }
    return 0;
}

static int checkpoint(fctx *x)
{
    char *err = NULL;
    long long o = chuanp_partfile_flush(&x->out, &err);
    if (o < 0)
        goto fail;
    long long r = x->rej_fp ? chuanp_partfile_flush(&x->rej, &err) : 0;
    if (r < 0)
        goto fail;
    x->cp.out_bytes = o;
    x->cp.rej_bytes = r;
    if (chuanp_journal_add(&x->journal, &x->cp, &err) < 0)
        goto fail;
    return 0;
fail:
    chuanp_bx_fail(x, "io.write", "%s", err ? err : "write error");
    chuanp_free(err);
    return -1;
}

int chuanp_bx_emit_chunk(void *vctx, void *vchunk, int prc)
{
    fctx *x = vctx;
    bchunk *c = vchunk;
    int rc = -1;
    pthread_mutex_lock(&x->run->mu);
    int gone = x->failed || x->stopped; /* the reader may fail meanwhile (chuanp_bx_fail) */
    pthread_mutex_unlock(&x->run->mu);
    if (gone)
        goto out;
    if (prc < 0) {
        chuanp_bx_show(x, &c->diags);
        chuanp_bx_fail(x, "convert.internal", "out of memory converting %s", x->f->in);
        goto out;
    }
    if (!x->ndjson_out && write_kept(x, c) < 0)
        goto out;
    if (x->ndjson_out && chuanp_bx_write_all(x, x->out_fp, chuanp_bx_out_name(x), c->out.data, c->out.len) < 0)
        goto out;
    if (chuanp_bx_write_all(x, x->rej_fp, chuanp_bx_rej_name(x), c->rej.data, c->rej.len) < 0)
        goto out;
    chuanp_bx_show(x, &c->diags);
    chuanp_case_note_merge(&x->case_note, &c->case_note);
    x->bad_bytes += c->bad_bytes;
    x->cp.seq++;
    x->cp.in_offset = c->raw_start + (long long)c->raw_len;
    x->cp.next_line = c->next_line;
    x->cp.records += c->records;
    x->cp.written += c->written;
    x->cp.rejected += c->rejected;
    pthread_mutex_lock(&x->run->mu);
    x->run->records += c->records;
    x->run->written += c->written;
    x->run->rejected += c->rejected;
    x->run->bytes_done += (long long)c->raw_len;
    chuanp_bx_progress(x->run);
    pthread_mutex_unlock(&x->run->mu);
    if (c->fatal) {
        x->stopped = 1;
        goto out;
    }
    if (x->journaling && checkpoint(x) < 0)
        goto out;
    rc = 0;
out:
    chuanp_bx_pool_put(&x->pool, &c->out);
    chuanp_bx_chunk_free(c);
    return rc;
}

