/* converters/batch_worker.c - a worker's part of a batch input: the
 * records of one raw chunk (decoded, read, validated, converted), or of one
 * chunk of records read by the reading thread (XML record streams). */
#define _GNU_SOURCE
#include "batch_int.h"
#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A FILE whose writes append to a chuanp_buf (a chunk's output). */
static ssize_t sink_write(void *cookie, const char *data, size_t len)
{
    chuanp_buf *b = cookie;
    chuanp_buf_append(b, data, len);
    if (b->err) {
        errno = ENOMEM;
        return -1;
    }
    return (ssize_t)len;
}

static FILE *buf_sink_open(chuanp_buf *b)
{
    cookie_io_functions_t io = {.write = sink_write};
    return fopencookie(b, "w", io);
}

/* A worker's NDJSON writer into the chunk's output (c->out, from the pool,
 * `reserve` bytes ready). Returns 0, or -1 (out of memory). */
static int chunk_writer_open(fctx *x, bchunk *c, const chuanp_convert_opts *o, size_t reserve,
                             chuanp_writer **w, FILE **mem)
{
    chuanp_bx_pool_get(&x->pool, &c->out);
    chuanp_buf_reserve(&c->out, reserve);
    *mem = buf_sink_open(&c->out);
    if (!*mem || chuanp_ndjson_writer_open(w, *mem, o, &c->diags) < 0 || !*w)
        return -1;
    return (*w)->ops->begin && (*w)->ops->begin(*w, 1) < 0 ? -1 : 0;
}

/* The chunk is converted: end the writer (if any) and flush it into c->out.
 * Returns 0, or -1 when something ran out of memory. */
static int chunk_writer_finish(bchunk *c, chuanp_writer *w, FILE *mem)
{
    if (w && w->ops->end && w->ops->end(w) < 0)
        return -1;
    if (mem && fflush(mem) != 0)
        return -1;
    return c->out.err || c->rej.err || c->diags.oom ? -1 : 0;
}

/* A chunk in a legacy encoding, decoded after the prefix into decp; the
 * positions of its diagnostics in the input's terms. Returns 0 or -1. */
static int decode_chunk(fctx *x, bchunk *c, chuanp_buf *decp)
{
    chuanp_buf_reserve(decp, x->prefix_len + c->raw_len + c->raw_len / 4 + 64);
    chuanp_buf_append(decp, x->prefix, x->prefix_len);
    chuanp_decoder *d = chuanp_decoder_new(x->enc, x->f->in, &c->diags);
    if (!d)
        return -1;
    /* positions (undefined bytes, TCVN3 case inferred) in the input's terms */
    chuanp_decoder_set_origin(d, c->first_line, c->raw_start);
    if (chuanp_decoder_run(d, c->raw, c->raw_len, 1, decp) < 0 || decp->err) {
        chuanp_decoder_free(d);
        return -1;
    }
    chuanp_decoder_case_note(d, &c->case_note); /* reported once per input */
    chuanp_decoder_free(d);
    c->bad_bytes = c->diags.errors; /* the record keeps U+FFFD */
    return 0;
}

/* The chunk's text for its reader: the prefix, then the records (*text, *text_len): UTF-8
 * read in place (the chunk's block holds both, see chuanp_bx_run_chunked), else decoded into
 * decp. The two together are o->in_mem (for a reader that reads in place) and what *in
 * reads; *in stays NULL for an empty chunk. -1: out of memory or a decoding failure. */
static int chunk_text(fctx *x, bchunk *c, chuanp_buf *decp, chuanp_convert_opts *o,
                      const char **text, size_t *text_len, FILE **in)
{
    const char **whole = &o->in_mem;
    size_t *whole_len = &o->in_mem_len;
    if (x->enc == CHUANP_ENC_UTF8) {
        /* as `convert` without batch mode reads UTF-8: the bytes as they are
         * (the readers check them: a bad byte rejects its record, and
         * normalise to NFC themselves) */
        *text = c->raw;
        *text_len = c->raw_len;
        *whole = c->raw - x->prefix_len;
        *whole_len = x->prefix_len + c->raw_len;
    } else {
        if (decode_chunk(x, c, decp) < 0)
            return -1;
        chuanp_big_free(c->raw_base, c->raw_cap);
        c->raw_base = c->raw = NULL;
        *text = decp->data + x->prefix_len;
        *text_len = decp->len - x->prefix_len;
        *whole = decp->data;
        *whole_len = decp->len;
    }
    if (*text_len > 0)
        *in = fmemopen((void *)(uintptr_t)*whole, *whole_len, "r");
    return 0;
}

/* Convert the records of one chunk. Returns 0, or <0 on an internal error
 * (out of memory). Record errors are rejects, not failures. */
int chuanp_bx_process_chunk(void *vctx, int worker, void *vchunk)
{
    fctx *x = vctx;
    bchunk *c = vchunk;
    chuanp_buf *decp = &x->wdec[worker];
    chuanp_arena scratch;
    chuanp_reader *r = NULL;
    chuanp_writer *w = NULL;
    FILE *in = NULL, *mem = NULL;
    size_t *st = NULL, *en = NULL;
    chuan_diags rd;
    int rc = -1;
    chuanp_buf_reset(decp);
    chuanp_arena_init(&scratch, 64 * 1024);
    chuan_diags_init(&rd, 0);

    chuanp_convert_opts o = x->o;
    /* records that are only written as NDJSON may come as JSON text */
    o.records_as_json = x->ndjson_out && !x->run->b->check;
    const char *text; /* the chunk's records (after the prefix) as the reader sees them */
    size_t text_len;
    if (chunk_text(x, c, decp, &o, &text, &text_len, &in) < 0)
        goto out;
    if (text_len == 0) {
        rc = 0;
        goto out;
    }
    long ns = -1; /* record spans: found when a record is bad (its text goes to the rejects) */
    if (!in)
        goto out;
    const chuanp_converter *src = chuanp_converter_find(o.from);
    if (src->open_reader(&r, in, &o, &c->diags) < 0 || !r)
        goto out;
    if (x->ndjson_out && chunk_writer_open(x, c, &o, c->raw_len * 2 + 1024, &w, &mem) < 0)
        goto out;
    const long delta = c->first_line - 1 - x->prefix_lines;
    const int first_chunk = c->seq == 0;
    int writer_used = 0;
    size_t cur = 0;
    for (;;) {
        if (x->ndjson_out && !writer_used && x->kind == CHUANP_SPLIT_CSV) {
            /* the plain rows ahead straight into the chunk's output, no record each */
            long nj = chuanp_csv_reader_json_rows(r, &c->out);
            if (nj < 0)
                goto out;
            c->records += nj;
            c->written += nj;
            cur += (size_t)nj;
        }
        chuanp_record rec;
        memset(&rec, 0, sizeof rec);
        rec.offset = -1;
        chuan_diags_clear(&rd);
        if (x->ndjson_out)
            chuanp_arena_reset(&scratch);
        int n = r->ops->next(r, x->ndjson_out ? &scratch : &c->arena, &rec, &rd);
        if (n == 0)
            break;
        if (n != 1 && ns < 0) {
            ns = chuanp_split_spans(x->kind, x->o.csv.delimiter, x->o.csv.quote, text, text_len,
                                    &st, &en);
            if (ns < 0)
                goto out;
            for (long i = 0; i < ns; i++) {
                st[i] += x->prefix_len;
                en[i] += x->prefix_len;
            }
        }
        long long at = n == 1 ? rec.offset : chuanp_bx_first_offset(&rd);
        size_t k = ns < 0 ? cur : chuanp_bx_span_at(st, (size_t)ns, cur, at);
        cur = k + 1;
        const char *raw = NULL;
        size_t raw_len = 0;
        if (n != 1 && (size_t)k < (size_t)ns) {
            raw = text + (st[k] - x->prefix_len);
            raw_len = (n < 0 ? x->prefix_len + text_len : en[k]) - st[k];
        }
        if (n == 1 && rec.line > 0)
            rec.line += delta;
        int reject = n != 1;
        if (n == 1 && x->run->b->check) {
            int v = x->run->b->check->run(x->run->b->check->ctx, x->states[worker], rec.value, x->f->in, &rd);
            if (v < 0)
                goto out;
            reject = v > 0;
        }
        if (n == 1 && !reject) {
            if (x->ndjson_out && rec.json && !writer_used) {
                /* already a JSON line: straight into the chunk's output */
                chuanp_buf_append(&c->out, rec.json, rec.json_len);
                chuanp_buf_putc(&c->out, '\n');
            } else if (x->ndjson_out) {
                writer_used = 1; /* from now on every record goes through it, in order */
                int wr = w->ops->write(w, &rec, &rd);
                if (wr < 0)
                    goto out;
                reject = wr > 0;
            } else if (chuanp_bx_keep_record(c, &rec) < 0) {
                goto out;
            }
        }
        /* reader and validation diagnostics: chunk lines -> input lines */
        size_t had = rd.count;
        chuanp_bx_fix_diags(x, c, &rd, delta, first_chunk);
        if (n != 1 && had > 0 && rd.count == 0) {
            /* a failure whose every diagnostic is on the header line(s), in a later chunk: the
             * header it is given again. The first chunk (or the first partition of a
             * chuan_convert_job) reports and rejects it; here it is no record. */
            if (n < 0) {
                c->fatal = 1;
                break;
            }
            continue;
        }
        c->records++;
        if (reject) {
            long line = n == 1 ? rec.line : chuanp_bx_first_line(&rd);
            if (n == 1)
                chuanp_reject_line(&c->rej, rec.raw, rec.raw_len, rec.raw ? NULL : rec.value,
                                   x->f->in, x->part, line, &rd);
            else
                chuanp_reject_line(&c->rej, raw, raw_len, NULL, x->f->in, x->part, line, &rd);
            c->rejected++;
        } else if (x->ndjson_out) {
            c->written++;
        }
        if (chuan_diags_move(&c->diags, &rd) < 0)
            goto out;
        if (n < 0) {
            c->fatal = 1;
            break;
        }
    }
    rc = chunk_writer_finish(c, w, mem);
out:
    if (w)
        w->ops->free(w);
    if (r)
        r->ops->free(r);
    if (in)
        fclose(in);
    if (mem)
        fclose(mem);
    chuanp_free(st);
    chuanp_free(en);
    chuan_diags_clear(&rd);
    chuanp_arena_free(&scratch);
    return rc;
}

/* Validate and convert the records of a streamed input's chunk (read by
 * the reading thread, run_stream_parallel), exactly as run_stream does one
 * by one. Returns 0, or <0 on an internal error (out of memory). */
int chuanp_bx_process_records(void *vctx, int worker, void *vchunk)
{
    fctx *x = vctx;
    bchunk *c = vchunk;
    chuanp_writer *w = NULL;
    FILE *mem = NULL;
    chuan_diags rd;
    int rc = -1;
    chuan_diags_init(&rd, 0);
    if (x->ndjson_out && chunk_writer_open(x, c, &x->o, 0, &w, &mem) < 0)
        goto out;
    for (size_t i = 0; i < c->nrecs; i++) {
        srec *s = &c->recs[i];
        chuan_diags_clear(&rd);
        if (chuan_diags_move(&rd, &s->diags) < 0)
            goto out;
        int reject = !s->value;
        if (!reject && x->run->b->check) {
            int v = x->run->b->check->run(x->run->b->check->ctx, x->states[worker], s->value, x->f->in, &rd);
            if (v < 0)
                goto out;
            reject = v > 0;
        }
        if (!reject && w) {
            chuanp_record rec = {.value = s->value, .line = s->line, .offset = -1, .raw = s->raw,
                                 .raw_len = s->raw_len};
            int wr = w->ops->write(w, &rec, &rd);
            if (wr < 0)
                goto out;
            reject = wr > 0;
        } else if (!reject && chuanp_bx_keep_value(c, s->value, s->line, s->raw, s->raw_len) < 0) {
            goto out;
        }
        c->records++;
        chuanp_bx_positions(x, &rd);
        if (reject) {
            long line = s->value && s->line ? s->line : chuanp_bx_first_line(&rd);
            chuanp_reject_line(&c->rej, s->value ? s->raw : NULL, s->raw_len,
                               s->value && !s->raw ? s->value : NULL, x->f->in, x->part, line, &rd);
            c->rejected++;
        } else if (w) {
            c->written++;
        }
        if (chuan_diags_move(&c->diags, &rd) < 0)
            goto out;
        if (s->fatal) {
            c->fatal = 1;
            break;
        }
    }
    rc = chunk_writer_finish(c, w, mem);
out:
    if (w)
        w->ops->free(w);
    if (mem)
        fclose(mem);
    chuan_diags_clear(&rd);
    return rc;
}

