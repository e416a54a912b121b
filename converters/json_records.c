/*
 * converters/json_records.c - JSON and NDJSON as record readers and writers
 * of the conversion pipeline (converters/record.h).
 *
 *   json reader    one document = one record (read whole from the FILE*); with a package's
 *                  records pointer (convert -s), the items of that array, the members around
 *                  it kept for the writer (the envelope)
 *   ndjson reader  one record per non-blank line, raw line kept in rec->raw
 *   json writer    a single record written as is; a streaming source as a
 *                  JSON array, one element per record; with a package's records member,
 *                  {envelope..., "data": [records]}
 *   ndjson writer  one compact line per record; a non-streaming record that
 *                  is an array is written one element per line
 * Every write is checked; a failed write is fatal (<0) with "io.write".
 */
#include "record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (64u * 1024)

static void add_io_diag(chuan_diags *d, const char *code, const char *file, const char *what,
                        int err)
{
    chuan_diag x;
    memset(&x, 0, sizeof x);
    x.severity = CHUAN_SEV_ERROR;
    x.code = code;
    x.file = file;
    x.offset = -1;
    if (d)
        chuan_diags_addf(d, &x, "%s: %s", what, chuanp_strerror(err));
}

static size_t depth_of(const chuanp_convert_opts *o)
{
    return o && o->max_depth ? o->max_depth : 0;
}

/* ============================================================ json reader */

typedef struct json_reader {
    chuanp_reader base;
    FILE *in;
    char *file;
    size_t max_depth;
    int allow_duplicates;
    int done;
    /* a package's records pointer: the document is parsed once into `arena` and its records
     * handed out one by one */
    const char *records_ptr;
    chuanp_buf *envelope_seen;
    chuanp_arena arena;
    chuanp_jv *const *items;
    size_t nitems, next;
    int have_items;
} json_reader;

/* The member at a JSON Pointer made of object keys ("/data"), or NULL. */
static const chuanp_jv *member_at(const chuanp_jv *v, const char *ptr)
{
    char seg[512];
    while (v && *ptr == '/') {
        ptr++;
        size_t n = 0;
        while (*ptr && *ptr != '/' && n + 1 < sizeof seg) {
            if (ptr[0] == '~' && (ptr[1] == '0' || ptr[1] == '1')) {
                seg[n++] = ptr[1] == '0' ? '~' : '/';
                ptr += 2;
            } else {
                seg[n++] = *ptr++;
            }
        }
        seg[n] = '\0';
        if (v->type != CHUANP_JOBJECT || (*ptr && *ptr != '/'))
            return NULL;
        v = chuanp_json_get(v, seg);
    }
    return *ptr ? NULL : v;
}

/* Items of the package's records array (or of a top-level array; else the document is the one
 * record); the other top-level members go to envelope_seen. */
static int take_records(json_reader *r, chuanp_jv *doc)
{
    const chuanp_jv *arr = member_at(doc, r->records_ptr);
    if (arr && arr->type == CHUANP_JARRAY) {
        r->items = arr->u.arr.items;
        r->nitems = arr->u.arr.count;
        if (r->envelope_seen && doc->type == CHUANP_JOBJECT) {
            const char *name = r->records_ptr + 1;
            chuanp_buf *b = r->envelope_seen;
            chuanp_buf_reset(b);
            chuanp_json_write_opts wo;
            memset(&wo, 0, sizeof wo);
            for (size_t i = 0; i < doc->u.obj.count; i++) {
                const chuanp_jmember *m = &doc->u.obj.members[i];
                if (!strchr(name, '/') && !strchr(name, '~') && strcmp(m->key, name) == 0)
                    continue;
                if (b->len)
                    chuanp_buf_putc(b, ',');
                chuanp_json_write_string(b, m->key, m->key_len, 0);
                chuanp_buf_putc(b, ':');
                chuanp_json_write(b, m->value, &wo);
            }
            if (b->err)
                return -1;
        }
    } else if (doc->type == CHUANP_JARRAY) {
        r->items = doc->u.arr.items;
        r->nitems = doc->u.arr.count;
    } else {
        chuanp_jv **one = chuanp_arena_alloc(&r->arena, sizeof *one);
        if (!one)
            return -1;
        one[0] = doc; /* not a body: the document is the one record */
        r->items = one;
        r->nitems = 1;
    }
    r->have_items = 1;
    return 0;
}

static int next_item(json_reader *r, chuanp_record *rec)
{
    if (r->next >= r->nitems)
        return 0;
    chuanp_jv *v = r->items[r->next++];
    memset(rec, 0, sizeof *rec);
    rec->value = v;
    rec->index = (long)r->next;
    rec->line = (long)v->line;
    rec->offset = (long long)v->offset;
    return 1;
}

static int json_reader_next(chuanp_reader *base, chuanp_arena *arena, chuanp_record *rec,
                            chuan_diags *d)
{
    json_reader *r = (json_reader *)base;
    chuanp_buf b;
    int rc;
    if (r->have_items)
        return next_item(r, rec);
    if (r->done)
        return 0;
    r->done = 1;
    if (r->records_ptr)
        arena = &r->arena; /* the records outlive the caller's per-record arena */
    chuanp_buf_init(&b, 0);
    for (;;) {
        if (chuanp_buf_reserve(&b, FLUSH_AT) < 0) {
            add_io_diag(d, "io.read", r->file, "out of memory reading the input", ENOMEM);
            rc = -1;
            goto out;
        }
        size_t n = fread(b.data + b.len, 1, b.cap - b.len - 1, r->in);
        b.len += n;
        if (n == 0)
            break;
    }
    if (ferror(r->in)) {
        add_io_diag(d, "io.read", r->file, "read error", errno ? errno : EIO);
        rc = -1;
        goto out;
    }
    chuanp_json_opts jo;
    memset(&jo, 0, sizeof jo);
    jo.file = r->file;
    jo.allow_bom = 1;
    jo.max_depth = r->max_depth;
    jo.allow_duplicates = r->allow_duplicates;
    chuanp_jv *v = NULL;
    rc = chuanp_json_parse(&v, b.data ? b.data : "", b.len, &jo, arena, d);
    if (rc < 0) {
        add_io_diag(d, "json.oom", r->file, "parsing the input", ENOMEM);
        rc = -1;
        goto out;
    }
    if (rc > 0) {
        rc = 2;
        goto out;
    }
    if (r->records_ptr) {
        chuanp_buf_free(&b);
        if (take_records(r, v) < 0) {
            add_io_diag(d, "json.oom", r->file, "reading the records", ENOMEM);
            return -1;
        }
        return next_item(r, rec);
    }
    memset(rec, 0, sizeof *rec);
    rec->value = v;
    rec->index = 1;
    rec->line = (long)v->line;
    rec->offset = (long long)v->offset;
    rc = 1;
out:
    chuanp_buf_free(&b);
    return rc;
}

static void json_reader_free(chuanp_reader *base)
{
    json_reader *r = (json_reader *)base;
    if (!r)
        return;
    chuanp_free(r->file);
    chuanp_arena_free(&r->arena);
    chuanp_free(r);
}

static const struct chuanp_reader_ops json_reader_ops = {json_reader_next, json_reader_free};

int chuanp_json_reader_open(chuanp_reader **out, FILE *in, const chuanp_convert_opts *o,
                            chuan_diags *d)
{
    json_reader *r = chuanp_calloc(1, sizeof *r);
    *out = NULL;
    if (!r || (o && o->file && !(r->file = chuanp_strdup(o->file)))) {
        chuanp_free(r);
        add_io_diag(d, "io.read", o ? o->file : NULL, "opening the JSON reader", ENOMEM);
        return -1;
    }
    r->base.ops = &json_reader_ops;
    r->base.streaming = 0;
    r->in = in;
    r->max_depth = depth_of(o);
    r->allow_duplicates = o && o->json_allow_duplicates;
    chuanp_arena_init(&r->arena, 64 * 1024);
    if (o && o->forms && o->forms->json_records && *o->forms->json_records) {
        r->records_ptr = o->forms->json_records;
        r->envelope_seen = o->envelope_seen;
        r->base.streaming = 1;
    }
    *out = &r->base;
    return 0;
}

/* ========================================================== ndjson reader */

typedef struct ndjson_reader {
    chuanp_reader base;
    chuanp_ndjson_reader *nd;
    long index;
} ndjson_reader;

static int ndjson_reader_next(chuanp_reader *base, chuanp_arena *arena, chuanp_record *rec,
                              chuan_diags *d)
{
    ndjson_reader *r = (ndjson_reader *)base;
    chuanp_jv *v = NULL;
    long line = 0;
    int rc = chuanp_ndjson_next(r->nd, arena, &v, &line, d);
    if (rc <= 0)
        return rc < 0 ? -1 : 0;
    r->index++;
    if (rc != 1)
        return 2;
    size_t len;
    long long off;
    const char *raw = chuanp_ndjson_raw(r->nd, &len, &off);
    char *copy = chuanp_arena_strndup(arena, raw, len);
    if (!copy) {
        add_io_diag(d, "io.read", NULL, "keeping an NDJSON line", ENOMEM);
        return -1;
    }
    memset(rec, 0, sizeof *rec);
    rec->value = v;
    rec->index = r->index;
    rec->line = line;
    rec->offset = off;
    rec->raw = copy;
    rec->raw_len = len;
    return 1;
}

static void ndjson_reader_free(chuanp_reader *base)
{
    ndjson_reader *r = (ndjson_reader *)base;
    if (!r)
        return;
    chuanp_ndjson_reader_free(r->nd);
    chuanp_free(r);
}

static const struct chuanp_reader_ops ndjson_reader_ops = {ndjson_reader_next,
                                                           ndjson_reader_free};

int chuanp_ndjson_reader_open(chuanp_reader **out, FILE *in, const chuanp_convert_opts *o,
                              chuan_diags *d)
{
    ndjson_reader *r = chuanp_calloc(1, sizeof *r);
    *out = NULL;
    chuanp_json_opts jo;
    memset(&jo, 0, sizeof jo);
    jo.max_depth = depth_of(o);
    jo.allow_duplicates = o && o->json_allow_duplicates;
    if (r)
        r->nd = chuanp_ndjson_reader_new(in, o ? o->file : NULL, &jo);
    if (!r || !r->nd) {
        chuanp_free(r);
        add_io_diag(d, "io.read", o ? o->file : NULL, "opening the NDJSON reader", ENOMEM);
        return -1;
    }
    r->base.ops = &ndjson_reader_ops;
    r->base.streaming = 1;
    *out = &r->base;
    return 0;
}

/* ================================================================ writers */

typedef struct json_writer {
    chuanp_writer base;
    chuanp_buf buf;
    int ndjson;     /* one compact line per record */
    int indent;
    int streaming;
    size_t written; /* records written */
    int failed;
    /* a package's body: {envelope..., "<member>": [records]} */
    const char *member;              /* the records member, NULL otherwise */
    const chuanp_jv *envelope;       /* the package's envelope template */
    const chuanp_buf *envelope_seen; /* the input's, when it had one */
    int opened;
} json_writer;

/* "{" the envelope members, then the records member opening its array. */
static void open_body(json_writer *w)
{
    if (w->opened)
        return;
    w->opened = 1;
    chuanp_buf *b = &w->buf;
    chuanp_buf_putc(b, '{');
    if (w->envelope_seen && w->envelope_seen->len) {
        chuanp_buf_append(b, w->envelope_seen->data, w->envelope_seen->len);
        chuanp_buf_putc(b, ',');
    } else if (w->envelope) {
        chuanp_json_write_opts wo;
        memset(&wo, 0, sizeof wo);
        for (size_t i = 0; i < w->envelope->u.obj.count; i++) {
            const chuanp_jmember *m = &w->envelope->u.obj.members[i];
            chuanp_json_write_string(b, m->key, m->key_len, 0);
            chuanp_buf_putc(b, ':');
            chuanp_json_write(b, m->value, &wo);
            chuanp_buf_putc(b, ',');
        }
    }
    chuanp_json_write_string(b, w->member, strlen(w->member), 0);
    chuanp_buf_puts(b, ":[");
}

/* Write out the buffer. Returns 0 or -1 (sticky). */
static int flush_buf(json_writer *w)
{
    if (w->failed)
        return -1;
    if (w->buf.err) {
        errno = ENOMEM;
        w->failed = 1;
        return -1;
    }
    if (w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->base.out) != w->buf.len) {
        w->failed = 1;
        return -1;
    }
    chuanp_buf_reset(&w->buf);
    return 0;
}

static int json_writer_begin(chuanp_writer *base, int streaming)
{
    json_writer *w = (json_writer *)base;
    w->streaming = streaming;
    if (w->member)
        w->streaming = 1; /* records go into the body's array; opened at the first one */
    else if (streaming && !w->ndjson)
        chuanp_buf_putc(&w->buf, '[');
    return 0;
}

static void put_indent(chuanp_buf *b, int n)
{
    for (int i = 0; i < n; i++)
        chuanp_buf_putc(b, ' ');
}

static int json_writer_write(chuanp_writer *base, const chuanp_record *rec, chuan_diags *d)
{
    json_writer *w = (json_writer *)base;
    chuanp_json_write_opts wo;
    memset(&wo, 0, sizeof wo);
    if (w->member)
        open_body(w);
    if (rec && !rec->value && rec->json && w->streaming && !w->indent) {
        /* already compact JSON text (records_as_json) */
        if (!w->ndjson)
            chuanp_buf_puts(&w->buf, w->written ? ",\n" : "\n");
        chuanp_buf_append(&w->buf, rec->json, rec->json_len);
        if (w->ndjson)
            chuanp_buf_putc(&w->buf, '\n');
        goto written;
    }
    if (!rec || !rec->value) {
        add_io_diag(d, "io.write", NULL, "no value to write", EINVAL);
        return -1;
    }
    const chuanp_jv *v = rec->value;
    if (w->ndjson) {
        if (!w->streaming && v->type == CHUANP_JARRAY) {
            for (size_t i = 0; i < v->u.arr.count; i++) {
                chuanp_json_write(&w->buf, v->u.arr.items[i], &wo);
                chuanp_buf_putc(&w->buf, '\n');
                if (w->buf.len >= FLUSH_AT && flush_buf(w) < 0)
                    break;
            }
        } else {
            chuanp_json_write(&w->buf, v, &wo);
            chuanp_buf_putc(&w->buf, '\n');
        }
    } else if (w->streaming) {
        wo.indent = w->indent;
        wo.level = w->indent ? 1 : 0;
        chuanp_buf_puts(&w->buf, w->written ? ",\n" : "\n");
        put_indent(&w->buf, w->indent);
        chuanp_json_write(&w->buf, v, &wo);
    } else {
        if (w->written) {
            add_io_diag(d, "io.write", NULL,
                        "a JSON document holds one value; more than one record given", EINVAL);
            return -1;
        }
        wo.indent = w->indent;
        chuanp_json_write(&w->buf, v, &wo);
        chuanp_buf_putc(&w->buf, '\n');
    }
written:
    w->written++;
    if ((w->buf.len >= FLUSH_AT || w->buf.err) && flush_buf(w) < 0) {
        add_io_diag(d, "io.write", NULL, "write error", errno ? errno : EIO);
        return -1;
    }
    return 0;
}

static int json_writer_end(chuanp_writer *base)
{
    json_writer *w = (json_writer *)base;
    if (w->member) {
        open_body(w);
        chuanp_buf_puts(&w->buf, w->written ? "\n]}\n" : "]}\n");
    } else if (w->streaming && !w->ndjson)
        chuanp_buf_puts(&w->buf, w->written ? "\n]\n" : "]\n");
    if (flush_buf(w) < 0)
        return -1;
    if (fflush(w->base.out) != 0 || ferror(w->base.out)) {
        w->failed = 1;
        return -1;
    }
    return 0;
}

static void json_writer_free(chuanp_writer *base)
{
    json_writer *w = (json_writer *)base;
    if (!w)
        return;
    chuanp_buf_free(&w->buf);
    chuanp_free(w);
}

static const struct chuanp_writer_ops json_writer_ops = {json_writer_begin, json_writer_write,
                                                         json_writer_end, json_writer_free};

static int writer_open(chuanp_writer **out, FILE *fp, const chuanp_convert_opts *o,
                       chuan_diags *d, int ndjson)
{
    json_writer *w = chuanp_calloc(1, sizeof *w);
    *out = NULL;
    if (!w) {
        add_io_diag(d, "io.write", o ? o->file : NULL, "opening the writer", ENOMEM);
        return -1;
    }
    w->base.ops = &json_writer_ops;
    w->base.out = fp;
    w->ndjson = ndjson;
    w->indent = o && o->indent > 0 ? (o->indent > 16 ? 16 : o->indent) : 0;
    const char *rp = o && o->forms ? o->forms->json_records : NULL;
    if (!ndjson && rp && rp[0] == '/' && rp[1] && !strchr(rp + 1, '/') && !strchr(rp, '~')) {
        w->member = rp + 1;
        w->envelope = o->forms->json_envelope && o->forms->json_envelope->type == CHUANP_JOBJECT
                          ? o->forms->json_envelope
                          : NULL;
        w->envelope_seen = o->envelope_seen;
    }
    chuanp_buf_init(&w->buf, 0);
    *out = &w->base;
    return 0;
}

int chuanp_json_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o,
                            chuan_diags *d)
{
    return writer_open(w, out, o, d, 0);
}

int chuanp_ndjson_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o,
                              chuan_diags *d)
{
    return writer_open(w, out, o, d, 1);
}
