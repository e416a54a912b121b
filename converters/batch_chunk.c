/* converters/batch_chunk.c - the plumbing of a batch input's chunks: failures
 * and diagnostics handed to the run's events, chunk life, positions of a
 * chunk's diagnostics in the input's terms, recycled buffers, records kept
 * for the writer. */
#define _GNU_SOURCE
#include "batch_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

void chuanp_bx_fail(fctx *x, const char *code, const char *fmt, ...)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    chuanp_buf vi; /* docs/i18n.md */
    chuanp_buf_init(&vi, 0);
    va_start(ap, fmt);
    const char *mvi = chuanp_i18n_vformat_vi(&vi, fmt, ap);
    va_end(ap);
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = x->f->in, .offset = -1,
                    .message = b.err ? "out of memory" : b.data, .message_vi = mvi};
    pthread_mutex_lock(&x->run->mu);
    if (x->print_now) {
        chuan_diags one = {.items = &g, .count = 1, .cap = 1, .errors = 1};
        x->run->ev.diags(x->run->ev.ctx, x->f->in, &one);
    } else {
        chuan_diags_add(&x->f->diags, &g);
    }
    x->failed = 1; /* under the lock: emit() may run on a worker meanwhile */
    pthread_mutex_unlock(&x->run->mu);
    chuanp_buf_free(&b);
    chuanp_buf_free(&vi);
}

void chuanp_bx_show(fctx *x, chuan_diags *d)
{
    if (!d->count && !d->dropped)
        return;
    for (size_t i = 0; i < d->count; i++)
        x->case_words += chuanp_case_note_words(&d->items[i]);
    x->errors += d->errors;
    pthread_mutex_lock(&x->run->mu);
    if (x->print_now)
        x->run->ev.diags(x->run->ev.ctx, x->f->in, d);
    else
        chuan_diags_move(&x->f->diags, d);
    pthread_mutex_unlock(&x->run->mu);
    chuan_diags_clear(d);
}

void chuanp_bx_chunk_free(bchunk *c)
{
    if (!c)
        return;
    chuanp_big_free(c->raw_base, c->raw_cap);
    chuanp_buf_free(&c->out);
    chuanp_buf_free(&c->rej);
    chuan_diags_clear(&c->diags);
    chuanp_arena_free(&c->arena);
    chuanp_free(c->keep);
    for (size_t i = 0; i < c->nrecs; i++)
        chuan_diags_clear(&c->recs[i].diags);
    chuanp_free(c->recs);
    chuanp_free(c);
}

bchunk *chuanp_bx_chunk_new(void)
{
    bchunk *c = chuanp_calloc(1, sizeof *c);
    if (!c)
        return NULL;
    chuanp_buf_init(&c->out, 0);
    chuanp_buf_init(&c->rej, 0);
    chuan_diags_init(&c->diags, 0);
    chuanp_arena_init(&c->arena, 256 * 1024);
    return c;
}

/* Re-express a diagnostic of a chunk in the input's terms: lines after the
 * header move by `delta`; byte offsets are exact only for UTF-8 input (a
 * legacy encoding changes the byte count). Returns 0 to keep it, 1 to drop
 * it (a header diagnostic repeated by a later chunk). */
static int fix_diag(const fctx *x, const bchunk *c, chuan_diag *g, long delta, int first_chunk)
{
    if (g->line > 0 && g->line <= x->prefix_lines)
        return first_chunk ? 0 : 1;
    if (x->kind == CHUANP_SPLIT_CSV && g->path && strncmp(g->path, "row ", 4) == 0) {
        /* "row N[, column X]": N counts the records of the chunk */
        char *end;
        long row = strtol(g->path + 4, &end, 10);
        if (end != g->path + 4 && row > x->prefix_records) {
            char *p = chuanp_asprintf("row %ld%s", row - x->prefix_records + c->rec_base, end);
            if (p) {
                chuanp_free((char *)g->path);
                g->path = p;
            }
        }
    }
    if (g->line > 0)
        g->line += delta;
    if (x->table_input)
        g->column = 0, g->offset = -1; /* positions in the records' NDJSON text, not the file */
    if (g->offset >= 0)
        g->offset = x->enc == CHUANP_ENC_UTF8 && (size_t)g->offset >= x->prefix_len
                        ? c->raw_start + g->offset - (long long)x->prefix_len
                        : -1;
    return 0;
}

void chuanp_bx_positions(const fctx *x, chuan_diags *d)
{
    for (size_t i = 0; x->table_input && i < d->count; i++)
        d->items[i].column = 0, d->items[i].offset = -1; /* the records' NDJSON text, not the file */
    if (chuanp_part_locate(x->part, d, x->f->in) < 0)
        d->oom = 1;
}

void chuanp_bx_fix_diags(const fctx *x, const bchunk *c, chuan_diags *d, long delta, int first_chunk)
{
    size_t k = 0;
    for (size_t i = 0; i < d->count; i++) {
        if (fix_diag(x, c, &d->items[i], delta, first_chunk)) {
            chuan_diag *g = &d->items[i];
            chuanp_free((char *)g->code);
            chuanp_free((char *)g->message);
            chuanp_free((char *)g->message_vi);
            chuanp_free((char *)g->file);
            chuanp_free((char *)g->path);
            chuanp_free((char *)g->source);
            chuanp_free((char *)g->keyword_location);
            chuanp_free((char *)g->schema_location);
            chuanp_free((char *)g->properties);
            if (g->severity == CHUAN_SEV_ERROR)
                d->errors--;
            else if (g->severity == CHUAN_SEV_WARNING)
                d->warnings--;
            continue;
        }
        d->items[k++] = d->items[i];
    }
    d->count = k;
    if (chuanp_part_locate(x->part, d, x->f->in) < 0) /* an MDB input's table */
        d->oom = 1;
}

/* The span (index) holding buffer offset `off`, searching from *cur. */
size_t chuanp_bx_span_at(const size_t *st, size_t ns, size_t cur, long long off)
{
    if (off < 0)
        return cur;
    size_t k = cur < ns ? cur : ns ? ns - 1 : 0;
    while (k > 0 && (long long)st[k] > off)
        k--;
    while (k + 1 < ns && (long long)st[k + 1] <= off)
        k++;
    return k;
}

long long chuanp_bx_first_offset(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].offset >= 0)
            return d->items[i].offset;
    return -1;
}

long chuanp_bx_first_line(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line > 0)
            return d->items[i].line;
    return 0;
}

/* ------------------------------------------------------------- worker */

void chuanp_bx_pool_get(bufpool *p, chuanp_buf *b)
{
    pthread_mutex_lock(&p->mu);
    if (p->n > 0) {
        *b = p->bufs[--p->n];
        chuanp_buf_reset(b);
    } else {
        chuanp_buf_init_big(b);
    }
    pthread_mutex_unlock(&p->mu);
}

void chuanp_bx_pool_put(bufpool *p, chuanp_buf *b)
{
    pthread_mutex_lock(&p->mu);
    if (p->n < POOL_MAX && b->data) {
        p->bufs[p->n++] = *b;
        chuanp_buf_init(b, 0);
    }
    pthread_mutex_unlock(&p->mu);
    chuanp_buf_free(b);
}

/* Keep a record (value and raw text already in the chunk's arena) for the
 * writer, which runs in input order. */
int chuanp_bx_keep_value(bchunk *c, chuanp_jv *value, long line, const char *raw, size_t raw_len)
{
    if (c->nkeep == c->capkeep) {
        size_t ncap = c->capkeep ? c->capkeep * 2 : 1024;
        kept *k = chuanp_realloc(c->keep, ncap * sizeof *k);
        if (!k)
            return -1;
        c->keep = k;
        c->capkeep = ncap;
    }
    c->keep[c->nkeep++] = (kept){.value = value, .line = line, .raw = raw, .raw_len = raw_len};
    return 0;
}

int chuanp_bx_keep_record(bchunk *c, const chuanp_record *rec)
{
    chuanp_jv *v = chuanp_jv_copy(&c->arena, rec->value);
    const char *raw = rec->raw ? chuanp_arena_strndup(&c->arena, rec->raw, rec->raw_len) : NULL;
    if (!v || (rec->raw && !raw))
        return -1;
    return chuanp_bx_keep_value(c, v, rec->line, raw, rec->raw_len);
}

/* Convert the records of one chunk. Returns 0, or <0 on an internal error
 * (out of memory). Record errors are rejects, not failures. */

void chuanp_bx_progress(chuanp_batch_run *run)
{
    if (!run->ev.progress)
        return;
    chuanp_batch_counts c = {.files_done = run->files_done, .files = run->n,
                             .records = run->records, .rejected = run->rejected,
                             .bytes_done = run->bytes_done, .bytes_total = run->bytes_total};
    run->ev.progress(run->ev.ctx, &c);
}
