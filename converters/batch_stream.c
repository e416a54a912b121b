/* converters/batch_stream.c - a JSON document or an XML input (records
 * with --record) in a batch run: one reader, records written as they come,
 * or handed to the workers in chunks of whole records. */
#define _GNU_SOURCE
#include "batch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "input.h"
#include "../core/pipeline.h"

#include <strings.h>

/* ------------------------------------------------- streamed documents */


static srec *srec_add(bchunk *c)
{
    if (c->nrecs == c->caprecs) {
        size_t ncap = c->caprecs ? c->caprecs * 2 : 64;
        srec *n = chuanp_realloc(c->recs, ncap * sizeof *n);
        if (!n)
            return NULL;
        c->recs = n;
        c->caprecs = ncap;
    }
    srec *s = &c->recs[c->nrecs++];
    memset(s, 0, sizeof *s);
    chuan_diags_init(&s->diags, 0);
    return s;
}

/* A record stream read here and handed to `jobs` workers in chunks of
 * whole records (chuanp_bx_process_records), written in input order (chuanp_bx_emit_chunk):
 * the same output, rejects and diagnostics as run_stream's serial loop. */
static void run_stream_parallel(fctx *x, chuanp_reader *r, chuanp_writer *w, chuan_diags *rd,
                                int jobs)
{
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    bchunk *c = NULL;
    x->writer = w; /* chuanp_bx_emit_chunk writes the kept records with it (targets other than NDJSON) */
    chuanp_pipeline *p = chuanp_pipeline_new(jobs, (size_t)jobs * 2 + 2, chuanp_bx_process_records,
                                              chuanp_bx_emit_chunk, x);
    if (!p) {
        chuanp_bx_fail(x, "convert.internal", "cannot start worker threads");
        goto out;
    }
    for (;;) {
        chuanp_record rec;
        memset(&rec, 0, sizeof rec);
        rec.offset = -1;
        chuanp_arena_reset(&arena);
        chuan_diags_clear(rd);
        int n = r->ops->next(r, &arena, &rec, rd);
        if (n == 0)
            break;
        srec *s = c || (c = chuanp_bx_chunk_new()) ? srec_add(c) : NULL;
        if (!s)
            goto oom;
        if (n == 1) {
            s->value = chuanp_jv_copy(&c->arena, rec.value);
            s->line = rec.line;
            s->raw = rec.raw ? chuanp_arena_strndup(&c->arena, rec.raw, rec.raw_len) : NULL;
            s->raw_len = rec.raw_len;
            if (!s->value || (rec.raw && !s->raw))
                goto oom;
        }
        if (chuan_diags_move(&s->diags, rd) < 0)
            goto oom;
        s->fatal = n < 0;
        if (n < 0 || c->nrecs >= STREAM_CHUNK_RECORDS) {
            bchunk *full = c;
            c = NULL; /* the pipeline owns it, even when it refuses it */
            if (chuanp_pipeline_push(p, full) < 0 || n < 0)
                break;
        }
    }
    if (c && c->nrecs) {
        bchunk *last = c;
        c = NULL;
        chuanp_pipeline_push(p, last);
    }
    goto out;
oom:
    chuanp_bx_fail(x, "convert.internal", "out of memory reading %s", x->f->in);
out:
    chuanp_bx_chunk_free(c);
    chuanp_pipeline_free(p); /* waits for the chunks pushed */
    x->writer = NULL;
    chuanp_arena_free(&arena);
}

/* A JSON document or XML (records with --record): one reader, records
 * written as they come. Rejected records keep their converted value. With
 * several workers a record stream goes through run_stream_parallel. */
/* Whether a diagnostic of d is about the input itself (not about a file its options name). */
static int about_input(const fctx *x, const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (!d->items[i].file || strcmp(d->items[i].file, x->f->in) == 0)
            return 1;
    return d->count == 0;
}

void chuanp_bx_run_stream(fctx *x, FILE *src, int jobs)
{
    FILE *in = NULL;
    chuanp_reader *r = NULL;
    chuanp_writer *w = NULL;
    chuanp_arena arena;
    chuan_diags rd;
    chuanp_source input;
    chuanp_arena_init(&arena, 64 * 1024);
    chuan_diags_init(&rd, 0);
    /* the one input front end (converters/input.c) */
    chuanp_source_opts so = {.from = x->o.from, .encoding = x->o.encoding};
    int t = chuanp_source_open(&input, x->f->in, NULL, src, &so, &rd);
    chuanp_bx_show(x, &rd);
    if (t > 0) {
        x->ambiguous = x->drop_out = 1;
        goto out;
    }
    if (t < 0) {
        x->failed = 1;
        goto out;
    }
    in = input.fp;
    x->enc = (chuanp_enc)input.enc;
    /* the text the reader gets is UTF-8; only an explicit utf-8 overrides an XML declaration */
    x->o.encoding = x->o.encoding && (!strcasecmp(x->o.encoding, "utf-8") ||
                                      !strcasecmp(x->o.encoding, "utf8")) ? "UTF-8" : NULL;
    const chuanp_converter *src_conv = chuanp_converter_find(x->o.from);
    const chuanp_converter *dst = chuanp_converter_find(x->o.to);
    if (!src_conv || !src_conv->open_reader || !dst || !dst->open_writer) {
        chuanp_bx_fail(x, "convert.unsupported", "cannot convert %s to %s",
                 chuanp_format_name(x->o.from), chuanp_format_name(x->o.to));
        goto out;
    }
    if (src_conv->open_reader(&r, in, &x->o, &rd) < 0 || !r) {
        if (!about_input(x, &rd)) {
            /* a file the options name (a --columns-map, a --font-map) is wrong: the run
             * cannot go on, whatever the input holds */
            chuanp_bx_show(x, &rd);
            x->failed = 1;
            goto out;
        }
        /* the document cannot be read at all: it is one rejected record */
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_reject_line(&b, NULL, 0, NULL, x->f->in, x->part, chuanp_bx_first_line(&rd), &rd);
        chuanp_bx_write_all(x, x->rej_fp, chuanp_bx_rej_name(x), b.data, b.len);
        chuanp_buf_free(&b);
        x->cp.records++;
        x->cp.rejected++;
        x->stopped = x->drop_out = 1;
        chuanp_bx_show(x, &rd);
        goto out;
    }
    if (dst->open_writer(&w, x->out_fp, &x->o, &rd) < 0 || !w ||
        (w->ops->begin && w->ops->begin(w, r->streaming) < 0)) {
        chuanp_bx_show(x, &rd);
        chuanp_bx_fail(x, "io.write", "cannot write %s", chuanp_bx_out_name(x));
        goto out;
    }
    chuanp_bx_show(x, &rd); /* what opening the reader said (a workbook it cannot read) */
    if (r->part && !x->part)
        x->part = r->part; /* a sheet: diagnostics and rejects name it (until r is freed) */
    if (jobs > 1 && r->streaming && (x->run->b->check || x->ndjson_out)) {
        run_stream_parallel(x, r, w, &rd, jobs);
        goto end;
    }
    for (;;) {
        chuanp_record rec;
        memset(&rec, 0, sizeof rec);
        rec.offset = -1;
        chuanp_arena_reset(&arena);
        chuan_diags_clear(&rd);
        int n = r->ops->next(r, &arena, &rec, &rd);
        if (n == 0)
            break;
        int reject = n != 1;
        if (n == 1 && x->run->b->check) {
            int v = x->run->b->check->run(x->run->b->check->ctx, x->states[0], rec.value, x->f->in, &rd);
            if (v < 0) {
                chuanp_bx_fail(x, "convert.internal", "out of memory validating a record");
                goto out;
            }
            reject = v > 0;
        }
        if (n == 1 && !reject) {
            errno = 0;
            int wr = w->ops->write(w, &rec, &rd);
            if (wr < 0) {
                chuanp_bx_show(x, &rd);
                chuanp_bx_fail(x, "io.write", "cannot write %s: %s", chuanp_bx_out_name(x),
                         chuanp_strerror(errno ? errno : EIO));
                goto out;
            }
            reject = wr > 0;
        }
        x->cp.records++;
        chuanp_bx_positions(x, &rd);
        if (reject) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            long line = n == 1 && rec.line ? rec.line : chuanp_bx_first_line(&rd);
            chuanp_reject_line(&b, n == 1 ? rec.raw : NULL, rec.raw_len,
                               n == 1 && !rec.raw ? rec.value : NULL, x->f->in, x->part, line, &rd);
            int wr = chuanp_bx_write_all(x, x->rej_fp, chuanp_bx_rej_name(x), b.data, b.len);
            chuanp_buf_free(&b);
            if (wr < 0)
                goto out;
            x->cp.rejected++;
        } else {
            x->cp.written++;
        }
        chuanp_bx_show(x, &rd);
        pthread_mutex_lock(&x->run->mu);
        x->run->records++;
        x->run->written += !reject;
        x->run->rejected += reject;
        chuanp_bx_progress(x->run);
        pthread_mutex_unlock(&x->run->mu);
        if (n < 0) {
            x->stopped = 1;
            break;
        }
    }
end:
    errno = 0;
    if (w->ops->end && w->ops->end(w) < 0 && !x->failed)
        chuanp_bx_fail(x, "io.write", "cannot write %s: %s", chuanp_bx_out_name(x), chuanp_strerror(errno ? errno : EIO));
    if (x->cp.written == 0 && !r->streaming)
        x->drop_out = 1; /* a document that did not convert: no output */
out:
    chuanp_bx_show(x, &rd);
    if (w)
        w->ops->free(w);
    if (r && x->part == r->part)
        x->part = NULL;
    if (r)
        r->ops->free(r);
    if (in)
        chuanp_source_close(&input);
    chuan_diags_clear(&rd);
    chuanp_arena_free(&arena);
}

