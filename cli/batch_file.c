/* cli/batch_file.c - one input of a batch conversion.
 *
 * NDJSON and CSV inputs are chunked: this thread reads the raw bytes, cuts
 * them after whole records (converters/batch_split.c) and hands the chunks
 * to workers (core/pipeline.c) that decode, read, convert and validate
 * them; finished chunks are written here in input order, each followed by
 * a journal checkpoint when --resume is on. A CSV header is read once and
 * put in front of every chunk, so each chunk is a CSV file of its own.
 * Other inputs (a JSON document, XML) are read by this thread; with
 * several workers and a record stream (XML with --record), records go to
 * the workers in chunks of whole records to be validated and written.
 *
 * Every record ends in exactly one place: the output when it converted
 * and passed validation, else the rejects file with its diagnostics. */
#define _GNU_SOURCE
#include "convert_batch.h"
#include "batch_columns.h"

#include "../converters/csv.h"
#include "../core/pipeline.h"

#include <errno.h>
#include <sys/stat.h>
#include <unistd.h>
#include <stdlib.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>

#define HEAD_BYTES CHUANP_DETECT_PREFIX
#define CHUNK_BYTES ((size_t)512 << 10) /* default; CHUAN_BATCH_CHUNK_KB overrides (tests) */
#define MAX_RECORD_BYTES ((size_t)256 << 20)

typedef struct kept {
    chuanp_jv *value;
    long line;
    const char *raw;
    size_t raw_len;
} kept;

/* A record read by the reading thread, for a worker (streamed inputs). */
typedef struct srec {
    chuanp_jv *value;    /* a copy in the chunk's arena; NULL: the reader rejected it */
    long line;
    const char *raw;     /* the record's text when the reader keeps it (arena) */
    size_t raw_len;
    chuan_diags diags;   /* the reader's diagnostics for this record */
    int fatal;           /* the reader stopped after it */
} srec;

typedef struct bchunk {
    long seq;
    char *raw;
    size_t raw_len;
    long long raw_start; /* input offset of raw[0] */
    long first_line;     /* input line of raw[0] */
    long next_line;      /* input line just after the chunk */
    long rec_base;       /* CSV: records before the chunk (the header included) */
    chuanp_buf out;      /* NDJSON target: the converted records */
    chuanp_buf rej;      /* rejects lines */
    chuan_diags diags;
    chuanp_arena arena;  /* records kept for the writer (other targets) */
    kept *keep;
    size_t nkeep, capkeep;
    long records, written, rejected;
    size_t bad_bytes;    /* bytes the encoding does not define */
    chuanp_case_note case_note; /* TCVN3 words whose case was inferred */
    int fatal;           /* a record error that stops the reader */
    srec *recs;          /* streamed inputs: the records read, in order */
    size_t nrecs, caprecs;
} bchunk;

/* Buffers recycled between chunks: fresh large allocations cost a page
 * fault per 4 KiB, more than the conversion itself. */
#define POOL_MAX 16
typedef struct bufpool {
    pthread_mutex_t mu;
    chuanp_buf bufs[POOL_MAX];
    int n;
} bufpool;

typedef struct fctx {
    brun *run;
    bufpool pool;
    chuanp_buf *wdec;    /* per worker: the decoded chunk */
    bfile *f;
    chuanp_convert_opts o;
    chuanp_enc enc;
    chuanp_split_kind kind;
    char *prefix;        /* decoded CSV header with its line end */
    size_t prefix_len;
    long prefix_lines;
    long prefix_records; /* 1 with a CSV header */
    int ndjson_out;      /* workers write the output bytes themselves */
    chuanp_record_check_state **states;
    int nstates;
    chuanp_partfile out, rej;
    int own_out, own_rej;
    FILE *out_fp, *rej_fp;
    chuanp_journal journal;
    int journaling;      /* checkpoints after each chunk (--resume, chunked NDJSON output) */
    chuanp_lock lock;    /* held while this input's outputs are written */
    chuanp_writer *writer; /* other targets: writes kept records in order */
    chuanp_checkpoint cp;
    int print_now;
    int failed;          /* write error or internal error: exit 2 */
    int stopped;         /* a fatal record error: the rest is not read */
    int drop_out;        /* a document that did not convert: no output file */
    int ambiguous;       /* the encoding could not be told: not converted */
    size_t bad_bytes;
    chuanp_case_note case_note; /* chunked: the chunks' notes, in input order */
    size_t case_words;   /* from the encoding.tcvn3-case warnings shown */
} fctx;

/* ------------------------------------------------------------ helpers */

static void fail_msg(fctx *x, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fail_msg(fctx *x, const char *code, const char *fmt, ...)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = x->f->in, .offset = -1,
                    .message = b.err ? "out of memory" : b.data};
    pthread_mutex_lock(&x->run->mu);
    if (x->print_now) {
        chuanp_batch_progress_clear(x->run);
        chuanp_batch_print_diag(x->run->cli->err, &g);
    } else {
        chuan_diags_add(&x->f->diags, &g);
    }
    pthread_mutex_unlock(&x->run->mu);
    chuanp_buf_free(&b);
    x->failed = 1;
}

static void show_diags(fctx *x, chuan_diags *d)
{
    if (!d->count && !d->dropped)
        return;
    for (size_t i = 0; i < d->count; i++)
        x->case_words += chuanp_case_note_words(&d->items[i]);
    pthread_mutex_lock(&x->run->mu);
    if (x->print_now) {
        chuanp_batch_progress_clear(x->run);
        for (size_t i = 0; i < d->count; i++)
            chuanp_batch_print_diag(x->run->cli->err, &d->items[i]);
        if (d->dropped)
            fprintf(x->run->cli->err, "%s: %zu more diagnostics not shown\n", x->f->in, d->dropped);
    } else {
        chuan_diags_move(&x->f->diags, d);
    }
    pthread_mutex_unlock(&x->run->mu);
    chuan_diags_clear(d);
}

static void chunk_free(bchunk *c)
{
    if (!c)
        return;
    chuanp_free(c->raw);
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

static bchunk *chunk_new(void)
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
    if (g->offset >= 0)
        g->offset = x->enc == CHUANP_ENC_UTF8 && (size_t)g->offset >= x->prefix_len
                        ? c->raw_start + g->offset - (long long)x->prefix_len
                        : -1;
    return 0;
}

static void fix_diags(const fctx *x, const bchunk *c, chuan_diags *d, long delta, int first_chunk)
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
            if (g->severity == CHUAN_SEV_ERROR)
                d->errors--;
            else if (g->severity == CHUAN_SEV_WARNING)
                d->warnings--;
            continue;
        }
        d->items[k++] = d->items[i];
    }
    d->count = k;
}

/* The span (index) holding buffer offset `off`, searching from *cur. */
static size_t span_at(const size_t *st, size_t ns, size_t cur, long long off)
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

static long long first_offset(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].offset >= 0)
            return d->items[i].offset;
    return -1;
}

static long first_line(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].line > 0)
            return d->items[i].line;
    return 0;
}

/* ------------------------------------------------------------- worker */

static void pool_get(bufpool *p, chuanp_buf *b)
{
    pthread_mutex_lock(&p->mu);
    if (p->n > 0) {
        *b = p->bufs[--p->n];
        chuanp_buf_reset(b);
    } else {
        chuanp_buf_init(b, 0);
    }
    pthread_mutex_unlock(&p->mu);
}

static void pool_put(bufpool *p, chuanp_buf *b)
{
    pthread_mutex_lock(&p->mu);
    if (p->n < POOL_MAX && b->data) {
        p->bufs[p->n++] = *b;
        chuanp_buf_init(b, 0);
    }
    pthread_mutex_unlock(&p->mu);
    chuanp_buf_free(b);
}

/* A FILE reading two pieces of memory one after the other: a CSV chunk is
 * its header, then the chunk's own bytes, without copying them together. */
typedef struct two_pieces {
    const char *p[2];
    size_t n[2];
    size_t k, pos;
} two_pieces;

static ssize_t pieces_read(void *cookie, char *buf, size_t size)
{
    two_pieces *t = cookie;
    size_t got = 0;
    while (got < size && t->k < 2) {
        size_t left = t->n[t->k] - t->pos;
        if (left == 0) {
            t->k++;
            t->pos = 0;
            continue;
        }
        size_t take = left < size - got ? left : size - got;
        memcpy(buf + got, t->p[t->k] + t->pos, take);
        t->pos += take;
        got += take;
    }
    return (ssize_t)got;
}

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
    pool_get(&x->pool, &c->out);
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

/* A deep copy of v in a (readers may lend strings that live only until
 * their next record: CSV cells). NULL when out of memory. */
static chuanp_jv *copy_value(chuanp_arena *a, const chuanp_jv *v)
{
    chuanp_jv *c = chuanp_arena_alloc(a, sizeof *c);
    if (!c)
        return NULL;
    *c = *v;
    switch (v->type) {
    case CHUANP_JSTRING:
    case CHUANP_JNUMBER:
        if (!(c->u.str.text = chuanp_arena_strndup(a, v->u.str.text, v->u.str.len)))
            return NULL;
        break;
    case CHUANP_JARRAY:
        c->u.arr.items = chuanp_arena_alloc(a, (v->u.arr.count ? v->u.arr.count : 1) *
                                                   sizeof *c->u.arr.items);
        if (!c->u.arr.items)
            return NULL;
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (!(c->u.arr.items[i] = copy_value(a, v->u.arr.items[i])))
                return NULL;
        break;
    case CHUANP_JOBJECT:
        c->u.obj.members = chuanp_arena_alloc(a, (v->u.obj.count ? v->u.obj.count : 1) *
                                                     sizeof *c->u.obj.members);
        if (!c->u.obj.members)
            return NULL;
        for (size_t i = 0; i < v->u.obj.count; i++) {
            chuanp_jmember *m = &c->u.obj.members[i];
            *m = v->u.obj.members[i];
            if (!(m->key = chuanp_arena_strndup(a, m->key, m->key_len)) ||
                !(m->value = copy_value(a, v->u.obj.members[i].value)))
                return NULL;
        }
        break;
    default:
        break;
    }
    return c;
}

/* Keep a record (value and raw text already in the chunk's arena) for the
 * writer, which runs in input order. */
static int keep_value(bchunk *c, chuanp_jv *value, long line, const char *raw, size_t raw_len)
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

static int keep_record(bchunk *c, const chuanp_record *rec)
{
    chuanp_jv *v = copy_value(&c->arena, rec->value);
    const char *raw = rec->raw ? chuanp_arena_strndup(&c->arena, rec->raw, rec->raw_len) : NULL;
    if (!v || (rec->raw && !raw))
        return -1;
    return keep_value(c, v, rec->line, raw, rec->raw_len);
}

/* Convert the records of one chunk. Returns 0, or <0 on an internal error
 * (out of memory). Record errors are rejects, not failures. */
static int process_chunk(void *vctx, int worker, void *vchunk)
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

    const char *text; /* the chunk's records (after the prefix) as the reader sees them */
    size_t text_len;
    two_pieces tp = {{x->prefix, c->raw}, {x->prefix_len, c->raw_len}, 0, 0};
    if (x->enc == CHUANP_ENC_UTF8) {
        /* as `convert` without batch mode reads UTF-8: the bytes as they are
         * (the readers check them: a bad byte rejects its record, and
         * normalise to NFC themselves), read in place after the prefix */
        text = c->raw;
        text_len = c->raw_len;
        cookie_io_functions_t io = {.read = pieces_read};
        in = fopencookie(&tp, "r", io);
    } else {
        chuanp_buf_reserve(decp, x->prefix_len + c->raw_len + c->raw_len / 4 + 64);
        chuanp_buf_append(decp, x->prefix, x->prefix_len);
        chuanp_decoder *d = chuanp_decoder_new(x->enc, x->f->in, &c->diags);
        if (!d || chuanp_decoder_run(d, c->raw, c->raw_len, 1, decp) < 0 || decp->err) {
            chuanp_decoder_free(d);
            goto out;
        }
        /* TCVN3 case inferred: in the input's terms; reported once per input */
        chuanp_decoder_case_note(d, &c->case_note);
        if (c->case_note.line > 0)
            c->case_note.line += c->first_line - 1;
        if (c->case_note.offset >= 0)
            c->case_note.offset += c->raw_start;
        chuanp_decoder_free(d);
        /* undefined bytes: positions in the input's terms; the record keeps U+FFFD */
        c->bad_bytes = c->diags.errors;
        for (size_t i = 0; i < c->diags.count; i++) {
            chuan_diag *g = &c->diags.items[i];
            if (g->offset >= 0)
                g->offset += c->raw_start;
            if (g->line > 0)
                g->line += c->first_line - 1;
        }
        chuanp_free(c->raw);
        c->raw = NULL;
        text = decp->data + x->prefix_len;
        text_len = decp->len - x->prefix_len;
        if (text_len > 0)
            in = fmemopen(decp->data, decp->len, "r");
    }
    if (text_len == 0) {
        rc = 0;
        goto out;
    }
    long ns = -1; /* record spans: found when a record is bad (its text goes to the rejects) */
    if (!in)
        goto out;
    chuanp_convert_opts o = x->o;
    /* records that are only written as NDJSON may come as JSON text */
    o.records_as_json = x->ndjson_out && !x->run->check;
    const chuanp_converter *src = chuanp_converter_find(o.from);
    if (src->open_reader(&r, in, &o, &c->diags) < 0 || !r)
        goto out;
    if (x->ndjson_out && chunk_writer_open(x, c, &o, c->raw_len * 3 + 1024, &w, &mem) < 0)
        goto out;
    const long delta = c->first_line - 1 - x->prefix_lines;
    const int first_chunk = c->seq == 0;
    int writer_used = 0;
    size_t cur = 0;
    for (;;) {
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
        long long at = n == 1 ? rec.offset : first_offset(&rd);
        size_t k = ns < 0 ? cur : span_at(st, (size_t)ns, cur, at);
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
        if (n == 1 && x->run->check) {
            int v = chuanp_record_check_run(x->run->check, x->states[worker], rec.value, x->f->in, &rd);
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
            } else if (keep_record(c, &rec) < 0) {
                goto out;
            }
        }
        /* reader and validation diagnostics: chunk lines -> input lines */
        size_t had = rd.count;
        fix_diags(x, c, &rd, delta, first_chunk);
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
            long line = n == 1 ? rec.line : first_line(&rd);
            if (n == 1)
                chuanp_reject_line(&c->rej, rec.raw, rec.raw_len, rec.raw ? NULL : rec.value,
                                   x->f->in, line, &rd);
            else
                chuanp_reject_line(&c->rej, raw, raw_len, NULL, x->f->in, line, &rd);
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
static int process_records(void *vctx, int worker, void *vchunk)
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
        if (!reject && x->run->check) {
            int v = chuanp_record_check_run(x->run->check, x->states[worker], s->value, x->f->in, &rd);
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
        } else if (!reject && keep_value(c, s->value, s->line, s->raw, s->raw_len) < 0) {
            goto out;
        }
        c->records++;
        if (reject) {
            long line = s->value && s->line ? s->line : first_line(&rd);
            chuanp_reject_line(&c->rej, s->value ? s->raw : NULL, s->raw_len,
                               s->value && !s->raw ? s->value : NULL, x->f->in, line, &rd);
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

/* --------------------------------------------------------------- emit */

static int write_all(fctx *x, FILE *fp, const char *what, const char *data, size_t len)
{
    if (!len || !fp)
        return 0;
    errno = 0;
    if (fwrite(data, 1, len, fp) != len || ferror(fp)) {
        fail_msg(x, "io.write", "cannot write %s: %s", what, strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

static const char *out_name(const fctx *x)
{
    return x->f->out ? x->f->out : x->run->b->output ? x->run->b->output : "standard output";
}

static const char *rej_name(const fctx *x)
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
            fail_msg(x, "io.write", "cannot write %s: %s", out_name(x),
                     strerror(errno ? errno : EIO));
            return -1;
        }
        if (wr > 0) {
            chuanp_reject_line(&c->rej, k->raw, k->raw_len, k->raw ? NULL : k->value, x->f->in,
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
    fail_msg(x, "io.write", "%s", err ? err : "write error");
    chuanp_free(err);
    return -1;
}

static int emit_chunk(void *vctx, void *vchunk, int prc)
{
    fctx *x = vctx;
    bchunk *c = vchunk;
    int rc = -1;
    if (x->failed || x->stopped)
        goto out;
    if (prc < 0) {
        show_diags(x, &c->diags);
        fail_msg(x, "convert.internal", "out of memory converting %s", x->f->in);
        goto out;
    }
    if (!x->ndjson_out && write_kept(x, c) < 0)
        goto out;
    if (x->ndjson_out && write_all(x, x->out_fp, out_name(x), c->out.data, c->out.len) < 0)
        goto out;
    if (write_all(x, x->rej_fp, rej_name(x), c->rej.data, c->rej.len) < 0)
        goto out;
    show_diags(x, &c->diags);
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
    chuanp_batch_progress(x->run, 0);
    pthread_mutex_unlock(&x->run->mu);
    if (c->fatal) {
        x->stopped = 1;
        goto out;
    }
    if (x->journaling && checkpoint(x) < 0)
        goto out;
    rc = 0;
out:
    pool_put(&x->pool, &c->out);
    chunk_free(c);
    return rc;
}

/* ------------------------------------------------------ the raw input */

static size_t read_full(FILE *fp, char *buf, size_t want)
{
    size_t n = 0;
    while (n < want) {
        size_t k = fread(buf + n, 1, want - n, fp);
        if (k == 0)
            break;
        n += k;
    }
    return n;
}

/* The encoding of a chunked input: named, or detected on its first bytes.
 * Returns 0, 1 when the detector refuses to guess (diagnostic shown). */
static int pick_encoding(fctx *x, const char *head, size_t n)
{
    int e = chuanp_enc_parse(x->o.encoding);
    if (e > CHUANP_ENC_NONE) {
        x->enc = e == CHUANP_ENC_ASCII ? CHUANP_ENC_UTF8 : (chuanp_enc)e;
        return 0;
    }
    chuanp_detect_result r;
    if (chuanp_detect(head, n, &r) < 0) {
        fail_msg(x, "convert.internal", "out of memory detecting the encoding");
        return -1;
    }
    if (r.enc == CHUANP_ENC_NONE) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.ambiguous",
                        .file = x->f->in, .offset = -1};
        chuan_diags_addf(&d, &g,
                         "cannot tell which encoding this is (best: %s %.2f, %s %.2f; needs %.2f); "
                         "name it with --encoding", chuanp_enc_name(r.best), r.best_conf,
                         chuanp_enc_name(r.second), r.second_conf, CHUANP_DETECT_THRESHOLD);
        show_diags(x, &d);
        return 1;
    }
    x->enc = r.enc == CHUANP_ENC_ASCII ? CHUANP_ENC_UTF8 : r.enc;
    return 0;
}

/* Decode a few raw bytes (a header, a head for sniffing). note (may be
 * NULL): the TCVN3 words whose case was inferred, from the input's start. */
static int decode_bytes(const fctx *x, const char *raw, size_t len, chuanp_buf *out,
                        chuanp_case_note *note)
{
    chuan_diags lines; /* only so that the decoder counts lines for the note */
    chuan_diags_init(&lines, 1);
    chuanp_decoder *d = chuanp_decoder_new(x->enc, x->f->in, note ? &lines : NULL);
    int rc = d ? chuanp_decoder_run(d, raw, len, 1, out) : -1;
    if (d && note)
        chuanp_decoder_case_note(d, note);
    chuanp_decoder_free(d);
    chuan_diags_clear(&lines);
    return rc < 0 || out->err ? -1 : 0;
}

/* CSV: the delimiter (sniffed on the decoded head when not given) and the
 * header, read once and put in front of every chunk. *hlen: raw bytes of
 * the header. Returns 0, or <0 (failed). */
static int csv_setup(fctx *x, FILE *raw, char **pend, size_t *plen, size_t *pcap, int *eof,
                     size_t *hlen)
{
    *hlen = 0;
    if (!x->o.csv.quote)
        x->o.csv.quote = '"';
    if (!x->o.csv.delimiter) {
        chuanp_buf d;
        chuanp_buf_init(&d, 0);
        if (decode_bytes(x, *pend, *plen < HEAD_BYTES ? *plen : HEAD_BYTES, &d, NULL) < 0) {
            chuanp_buf_free(&d);
            fail_msg(x, "convert.internal", "out of memory");
            return -1;
        }
        size_t skip = d.len >= 3 && memcmp(d.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        x->o.csv.delimiter = chuanp_csv_sniff(d.data + skip, d.len - skip, x->o.csv.quote);
        chuanp_buf_free(&d);
    }
    if (!x->o.csv.header)
        return 0;
    chuanp_splitter sp;
    chuanp_splitter_init(&sp, CHUANP_SPLIT_CSV, x->o.csv.delimiter, x->o.csv.quote);
    size_t i = 0;
    long cut = -1;
    for (;;) {
        for (; i < *plen && cut < 0; i++)
            if ((cut = chuanp_splitter_feed(&sp, *pend + i, 1)) >= 0)
                cut += (long)i;
        if (cut >= 0 || *eof)
            break;
        if (*plen > MAX_RECORD_BYTES) {
            fail_msg(x, "csv.too-large", "the CSV header is longer than %zu bytes", MAX_RECORD_BYTES);
            return -1;
        }
        if (*pcap - *plen < CHUNK_BYTES) {
            char *np = chuanp_realloc(*pend, *pcap * 2 + CHUNK_BYTES);
            if (!np) {
                fail_msg(x, "convert.internal", "out of memory");
                return -1;
            }
            *pend = np;
            *pcap = *pcap * 2 + CHUNK_BYTES;
        }
        size_t k = fread(*pend + *plen, 1, CHUNK_BYTES, raw);
        if (k == 0)
            *eof = 1;
        *plen += k;
    }
    *hlen = cut >= 0 ? (size_t)cut : *plen;
    x->prefix_lines = cut >= 0 ? sp.lines : 0;
    x->prefix_records = *hlen > 0;
    chuanp_buf d;
    chuanp_buf_init(&d, 0);
    if (decode_bytes(x, *pend, *hlen, &d, &x->case_note) < 0) {
        chuanp_buf_free(&d);
        fail_msg(x, "convert.internal", "out of memory");
        return -1;
    }
    if (cut < 0 && *hlen > 0) {
        chuanp_buf_putc(&d, '\n'); /* a header without a line end, then the data */
        x->prefix_lines = 1;
    }
    x->prefix = chuanp_buf_steal(&d, &x->prefix_len);
    return x->prefix || !*hlen ? 0 : -1;
}

size_t chuanp_batch_chunk_bytes(void)
{
    const char *env = getenv("CHUAN_BATCH_CHUNK_KB");
    long kb;
    if (env && chuanp_parse_long(env, 1, 1 << 20, &kb) == 0)
        return (size_t)kb << 10;
    return CHUNK_BYTES;
}

/* Cut the input into chunks of whole records and run them through the
 * pipeline. pend/plen/pcap: the bytes read so far (taken over). */
static void run_chunked(fctx *x, FILE *raw, char *pend, size_t plen, size_t pcap, int eof,
                        int jobs)
{
    chuanp_pipeline *p = NULL;
    size_t hlen = 0;
    long long raw_pos = 0;
    if (x->kind == CHUANP_SPLIT_CSV && csv_setup(x, raw, &pend, &plen, &pcap, &eof, &hlen) < 0)
        goto out;
    long line_base = x->prefix_lines, rec_base = x->prefix_records;
    raw_pos = (long long)hlen;
    memmove(pend, pend + hlen, plen - hlen);
    plen -= hlen;
    if (x->cp.seq > 0) {
        /* --resume: continue after the last checkpoint */
        if (fseeko(raw, (off_t)x->cp.in_offset, SEEK_SET) != 0) {
            fail_msg(x, "io.read", "cannot resume %s: %s", x->f->in, strerror(errno));
            goto out;
        }
        raw_pos = x->cp.in_offset;
        line_base = x->cp.next_line - 1;
        rec_base = x->prefix_records + x->cp.records;
        plen = 0;
        eof = 0;
    } else if (x->f->first_line > line_base + 1 || x->f->records_before > 0) {
        /* a partition of a larger input (chuan_convert_job), not its first: the whole
         * input's lines and rows; its header diagnostics are the first partition's */
        line_base = x->f->first_line - 1;
        rec_base = x->prefix_records + x->f->records_before;
        x->cp.seq = 1;
    }
#ifdef __GLIBC__
    /* Chunk buffers (MiBs) are allocated and freed at a high rate, across
     * threads: keep them on the heap. As fresh mmaps, every page of every
     * chunk faulted on first touch (a third of the time of a run). */
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    mallopt(M_TRIM_THRESHOLD, 128 << 20);
#endif
    p = chuanp_pipeline_new(jobs, (size_t)jobs * 2 + 2, process_chunk, emit_chunk, x);
    if (!p) {
        fail_msg(x, "convert.internal", "cannot start worker threads");
        goto out;
    }
    size_t chunk_bytes = chuanp_batch_chunk_bytes();
    chuanp_splitter sp;
    chuanp_splitter_init(&sp, x->kind, x->o.csv.delimiter, x->o.csv.quote);
    size_t scanned = 0;
    long last_cut = -1, cut_lines = 0, lines_done = 0, seq = x->cp.seq;
    long cut_records = 0, records_done = 0;
    for (;;) {
        if (scanned < plen) {
            long cut = chuanp_splitter_feed(&sp, pend + scanned, plen - scanned);
            if (cut >= 0) {
                last_cut = (long)scanned + cut;
                cut_lines = sp.lines;
                cut_records = sp.records;
            }
            scanned = plen;
        }
        if (plen > 0 && (eof || (last_cut > 0 && plen >= chunk_bytes))) {
            size_t take = eof ? plen : (size_t)last_cut;
            bchunk *c = chunk_new();
            size_t rest_cap = plen - take + 2 * CHUNK_BYTES;
            char *rest = chuanp_malloc(rest_cap);
            if (!c || !rest) {
                chunk_free(c);
                chuanp_free(rest);
                fail_msg(x, "convert.internal", "out of memory");
                goto out;
            }
            memcpy(rest, pend + take, plen - take);
            c->seq = seq++;
            c->raw = pend;
            c->raw_len = take;
            c->raw_start = raw_pos;
            c->first_line = line_base + lines_done + 1;
            c->rec_base = rec_base + records_done;
            if (!eof) {
                lines_done = cut_lines;
                records_done = cut_records;
            }
            c->next_line = line_base + lines_done + 1;
            pend = rest;
            pcap = rest_cap;
            plen -= take;
            scanned -= take;
            raw_pos += (long long)take;
            last_cut = -1;
            if (chuanp_pipeline_push(p, c) < 0)
                break;
            continue;
        }
        if (eof)
            break;
        if (plen > MAX_RECORD_BYTES) {
            fail_msg(x, "convert.too-large", "%s: a record longer than %zu bytes at line %ld",
                     x->f->in, MAX_RECORD_BYTES, line_base + lines_done + 1);
            break;
        }
        if (pcap - plen < CHUNK_BYTES) {
            char *np = chuanp_realloc(pend, pcap * 2);
            if (!np) {
                fail_msg(x, "convert.internal", "out of memory");
                break;
            }
            pend = np;
            pcap *= 2;
        }
        size_t k = fread(pend + plen, 1, chunk_bytes < CHUNK_BYTES ? chunk_bytes : CHUNK_BYTES, raw);
        if (k == 0) {
            if (ferror(raw)) {
                fail_msg(x, "io.read", "cannot read %s: %s", x->f->in, strerror(errno ? errno : EIO));
                break;
            }
            eof = 1;
        }
        plen += k;
    }
    chuanp_pipeline_finish(p);
    chuan_diags nd;
    chuan_diags_init(&nd, 0);
    chuanp_case_note_report(&x->case_note, x->f->in, &nd);
    show_diags(x, &nd);
out:
    chuanp_pipeline_free(p);
    chuanp_free(pend);
}

/* ------------------------------------------------- streamed documents */

#define STREAM_CHUNK_RECORDS 256

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
 * whole records (process_records), written in input order (emit_chunk):
 * the same output, rejects and diagnostics as run_stream's serial loop. */
static void run_stream_parallel(fctx *x, chuanp_reader *r, chuanp_writer *w, chuan_diags *rd,
                                int jobs)
{
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    bchunk *c = NULL;
    x->writer = w; /* emit_chunk writes the kept records with it (targets other than NDJSON) */
    chuanp_pipeline *p = chuanp_pipeline_new(jobs, (size_t)jobs * 2 + 2, process_records,
                                              emit_chunk, x);
    if (!p) {
        fail_msg(x, "convert.internal", "cannot start worker threads");
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
        srec *s = c || (c = chunk_new()) ? srec_add(c) : NULL;
        if (!s)
            goto oom;
        if (n == 1) {
            s->value = copy_value(&c->arena, rec.value);
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
    fail_msg(x, "convert.internal", "out of memory reading %s", x->f->in);
out:
    chunk_free(c);
    chuanp_pipeline_free(p); /* waits for the chunks pushed */
    x->writer = NULL;
    chuanp_arena_free(&arena);
}

/* A JSON document or XML (records with --record): one reader, records
 * written as they come. Rejected records keep their converted value. With
 * several workers a record stream goes through run_stream_parallel. */
static void run_stream(fctx *x, FILE *src, int jobs)
{
    FILE *in = NULL;
    chuanp_reader *r = NULL;
    chuanp_writer *w = NULL;
    chuanp_arena arena;
    chuan_diags rd;
    chuanp_textin_info info;
    chuanp_arena_init(&arena, 64 * 1024);
    chuan_diags_init(&rd, 0);
    int t = chuanp_textin_open(&in, src, x->f->in, x->o.encoding, &info, &rd);
    show_diags(x, &rd);
    if (t > 0) {
        x->ambiguous = x->drop_out = 1;
        goto out;
    }
    if (t < 0) {
        x->failed = 1;
        goto out;
    }
    x->enc = info.enc;
    const chuanp_converter *src_conv = chuanp_converter_find(x->o.from);
    const chuanp_converter *dst = chuanp_converter_find(x->o.to);
    if (!src_conv || !src_conv->open_reader || !dst || !dst->open_writer) {
        fail_msg(x, "convert.unsupported", "cannot convert %s to %s",
                 chuanp_format_name(x->o.from), chuanp_format_name(x->o.to));
        goto out;
    }
    if (src_conv->open_reader(&r, in, &x->o, &rd) < 0 || !r) {
        /* the document cannot be read at all: it is one rejected record */
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_reject_line(&b, NULL, 0, NULL, x->f->in, first_line(&rd), &rd);
        write_all(x, x->rej_fp, rej_name(x), b.data, b.len);
        chuanp_buf_free(&b);
        x->cp.records++;
        x->cp.rejected++;
        x->stopped = x->drop_out = 1;
        show_diags(x, &rd);
        goto out;
    }
    if (dst->open_writer(&w, x->out_fp, &x->o, &rd) < 0 || !w ||
        (w->ops->begin && w->ops->begin(w, r->streaming) < 0)) {
        show_diags(x, &rd);
        fail_msg(x, "io.write", "cannot write %s", out_name(x));
        goto out;
    }
    if (jobs > 1 && r->streaming && (x->run->check || x->ndjson_out)) {
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
        if (n == 1 && x->run->check) {
            int v = chuanp_record_check_run(x->run->check, x->states[0], rec.value, x->f->in, &rd);
            if (v < 0) {
                fail_msg(x, "convert.internal", "out of memory validating a record");
                goto out;
            }
            reject = v > 0;
        }
        if (n == 1 && !reject) {
            errno = 0;
            int wr = w->ops->write(w, &rec, &rd);
            if (wr < 0) {
                show_diags(x, &rd);
                fail_msg(x, "io.write", "cannot write %s: %s", out_name(x),
                         strerror(errno ? errno : EIO));
                goto out;
            }
            reject = wr > 0;
        }
        x->cp.records++;
        if (reject) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            long line = n == 1 && rec.line ? rec.line : first_line(&rd);
            chuanp_reject_line(&b, n == 1 ? rec.raw : NULL, rec.raw_len,
                               n == 1 && !rec.raw ? rec.value : NULL, x->f->in, line, &rd);
            int wr = write_all(x, x->rej_fp, rej_name(x), b.data, b.len);
            chuanp_buf_free(&b);
            if (wr < 0)
                goto out;
            x->cp.rejected++;
        } else {
            x->cp.written++;
        }
        show_diags(x, &rd);
        pthread_mutex_lock(&x->run->mu);
        x->run->records++;
        x->run->written += !reject;
        x->run->rejected += reject;
        chuanp_batch_progress(x->run, 0);
        pthread_mutex_unlock(&x->run->mu);
        if (n < 0) {
            x->stopped = 1;
            break;
        }
    }
end:
    errno = 0;
    if (w->ops->end && w->ops->end(w) < 0 && !x->failed)
        fail_msg(x, "io.write", "cannot write %s: %s", out_name(x), strerror(errno ? errno : EIO));
    if (x->cp.written == 0 && !r->streaming)
        x->drop_out = 1; /* a document that did not convert: no output */
out:
    show_diags(x, &rd);
    if (w)
        w->ops->free(w);
    if (r)
        r->ops->free(r);
    if (in)
        fclose(in);
    chuan_diags_clear(&rd);
    chuanp_arena_free(&arena);
}

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
                fail_msg(x, "io.write", "cannot write %s: %s", x->f->rej, strerror(errno));
            }
        }
        chuanp_free(part);
    }
    if (js->out_part[0] && (part = part_path(x->f->out, js->out_part))) {
        if (lstat(part, &st) == 0 && S_ISREG(st.st_mode) && rename(part, x->f->out) != 0)
            fail_msg(x, "io.write", "cannot write %s: %s", x->f->out, strerror(errno));
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
static int open_outputs(fctx *x, int chunked)
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
    fail_msg(x, "io.write", "%s", err ? err : "out of memory");
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
        fail_msg(x, "io.write", "%s", err ? err : "cannot read back a part file");
        chuanp_free(err);
        return -1;
    }
    return 0;
}

/* Commit (rejects first, then the output: an output that exists means the
 * input is done) or drop this input's outputs. */
static void close_outputs(fctx *x)
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
            fail_msg(x, "io.write", "%s", err);
            chuanp_free(err);
            err = NULL;
            keep = 0;
        }
    }
    if (x->own_rej) {
        if (!keep) {
            chuanp_partfile_abort(&x->rej);
        } else if (chuanp_partfile_commit(&x->rej, 1, &err) < 0) {
            fail_msg(x, "io.write", "%s", err);
            chuanp_free(err);
            err = NULL;
            keep = 0;
        }
    }
    if (x->own_out) {
        if (!keep || x->drop_out) {
            chuanp_partfile_abort(&x->out);
        } else if (chuanp_partfile_commit(&x->out, 0, &err) < 0) {
            fail_msg(x, "io.write", "%s", err);
            chuanp_free(err);
            keep = 0;
        }
    }
    /* a committed job's journal is the proof a rerun with --resume trusts;
     * the run removes it when every input is done (cli/convert_batch.c) */
    chuanp_journal_close(&x->journal, !(keep && !x->drop_out && !x->failed));
    chuanp_unlock_output(&x->lock);
}

/* --------------------------------------------------------------- entry */

void chuanp_batch_convert_file(brun *run, bfile *f, int jobs, int print_now)
{
    fctx x;
    memset(&x, 0, sizeof x);
    x.run = run;
    x.f = f;
    x.o = run->b->o;
    x.o.file = f->in;
    x.o.hints = run->hints;
    x.o.record_path = run->record_path;
    chuanp_buf envelope; /* the input body's members around its records (JSON -> JSON) */
    chuanp_buf_init(&envelope, 0);
    x.o.forms = run->forms;
    x.o.envelope_seen = run->forms ? &envelope : NULL;
    x.print_now = print_now;
    x.cp.next_line = 1;
    x.ndjson_out = x.o.to == CHUANP_FMT_NDJSON;
    x.out.slot = x.rej.slot = -1;
    FILE *raw = NULL;
    char *head = NULL;
    int outputs = 0;
    chuanp_csv_columns cols = {0}; /* CSV output: found by a first pass (batch_columns.c) */
    char *why = NULL;
    size_t head_cap = HEAD_BYTES + CHUNK_BYTES;

    pthread_mutex_init(&x.pool.mu, NULL);
    x.nstates = jobs;
    x.states = chuanp_calloc((size_t)jobs, sizeof *x.states);
    x.wdec = chuanp_calloc((size_t)jobs, sizeof *x.wdec);
    if (!x.states || !x.wdec) {
        fail_msg(&x, "convert.internal", "out of memory");
        goto out;
    }
    for (int i = 0; run->check && i < jobs; i++)
        if (!(x.states[i] = chuanp_record_check_state_new(run->check))) {
            fail_msg(&x, "convert.internal", "out of memory");
            goto out;
        }
    raw = f->src ? f->src : strcmp(f->in, "-") == 0 ? stdin : fopen(f->in, "rb");
    if (!raw) {
        fail_msg(&x, "io.open", "cannot open %s: %s", f->in, strerror(errno));
        goto out;
    }
    head = chuanp_malloc(head_cap);
    if (!head) {
        fail_msg(&x, "convert.internal", "out of memory");
        goto out;
    }
    size_t head_len = read_full(raw, head, HEAD_BYTES);
    if (ferror(raw)) {
        fail_msg(&x, "io.read", "cannot read %s: %s", f->in, strerror(errno ? errno : EIO));
        goto out;
    }
    int eof = head_len < HEAD_BYTES;
    if (x.o.from == CHUANP_FMT_AUTO)
        x.o.from = chuanp_format_sniff(strcmp(f->in, "-") ? f->in : NULL, head, head_len);
    int chunked = x.o.from == CHUANP_FMT_NDJSON || x.o.from == CHUANP_FMT_CSV;
    x.kind = x.o.from == CHUANP_FMT_CSV ? CHUANP_SPLIT_CSV : CHUANP_SPLIT_LINES;
    int o = open_outputs(&x, chunked);
    if (o != 0) {
        if (o > 0)
            f->skipped = 1;
        goto out;
    }
    outputs = 1;
    if (chunked) {
        int pe = pick_encoding(&x, head, head_len);
        if (pe != 0) {
            x.ambiguous = pe > 0;
            x.drop_out = 1;
            goto out;
        }
        if (chuanp_csv_columns_wanted(&x.o) &&
            chuanp_batch_csv_columns(&raw, head, head_len, f->in, chuanp_enc_name(x.enc), &x.o,
                                     &cols, &why) < 0) {
            fail_msg(&x, "io.read", "%s", why ? why : "out of memory");
            goto out;
        }
        if (!x.ndjson_out) {
            chuan_diags wd;
            chuan_diags_init(&wd, 0);
            if (chuanp_converter_find(x.o.to)->open_writer(&x.writer, x.out_fp, &x.o, &wd) < 0 ||
                !x.writer || (x.writer->ops->begin && x.writer->ops->begin(x.writer, 1) < 0)) {
                show_diags(&x, &wd);
                fail_msg(&x, "io.write", "cannot write %s", out_name(&x));
                chuan_diags_clear(&wd);
                goto out;
            }
        }
        run_chunked(&x, raw, head, head_len, head_cap, eof, jobs);
        head = NULL; /* taken over */
        errno = 0;
        if (x.writer && !x.failed && x.writer->ops->end && x.writer->ops->end(x.writer) < 0)
            fail_msg(&x, "io.write", "cannot write %s: %s", out_name(&x),
                     strerror(errno ? errno : EIO));
    } else {
        if (f->first_line > 1 || f->records_before > 0) {
            fail_msg(&x, "usage", "%s: only NDJSON and CSV inputs can be converted in partitions",
                     f->in);
            goto out;
        }
        if (chuanp_csv_columns_wanted(&x.o) &&
            chuanp_batch_csv_columns(&raw, head, head_len, f->in, x.o.encoding, &x.o, &cols,
                                     &why) < 0) {
            fail_msg(&x, "io.read", "%s", why ? why : "out of memory");
            goto out;
        }
        FILE *src = chuanp_replay_open(head, head_len, raw, 0);
        if (!src) {
            fail_msg(&x, "convert.internal", "out of memory");
            goto out;
        }
        run_stream(&x, src, jobs);
        fclose(src);
    }
out:
    if (x.writer)
        x.writer->ops->free(x.writer);
    if (outputs)
        close_outputs(&x);
    if (raw && raw != stdin && raw != f->src)
        fclose(raw);
    chuanp_free(head);
    chuanp_buf_free(&envelope);
    chuanp_csv_columns_free(&cols);
    chuanp_free(why);
    chuanp_free(x.prefix);
    for (int i = 0; x.states && i < x.nstates; i++)
        chuanp_record_check_state_free(x.states[i]);
    chuanp_free(x.states);
    for (int i = 0; x.wdec && i < x.nstates; i++)
        chuanp_buf_free(&x.wdec[i]);
    chuanp_free(x.wdec);
    for (int i = 0; i < x.pool.n; i++)
        chuanp_buf_free(&x.pool.bufs[i]);
    pthread_mutex_destroy(&x.pool.mu);
    f->enc = x.enc;
    f->records = x.cp.records;
    /* only what was committed counts: nothing when the outputs were dropped */
    f->written = x.failed ? 0 : x.cp.written;
    f->rejected = x.failed ? 0 : x.cp.rejected;
    f->case_words = x.case_words;
    f->rc = x.failed ? 2 : (x.cp.rejected || x.stopped || x.ambiguous || x.bad_bytes) ? 1 : 0;
}
