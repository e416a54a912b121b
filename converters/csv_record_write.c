/* converters/csv_record_write.c - CSV as a record writer for the pipeline.
 *
 * The columns are known before the first row (o->csv.columns): the union of
 * every record's flattened keys from a first pass (chuanp_csv_columns_scan,
 * run by the conversion engine, converters/batch_file.c), or given (--columns, a
 * Table Schema); a record with a key outside given columns is reported
 * (csv.new-column) and not written. Without them (a library caller) the
 * header is the first record's keys, or, for one JSON document holding an
 * array, the union of its items' keys.
 *
 * A column whose path also has columns below it (a list that is empty in
 * one record and has items in another) is written PATH.~3, the items of a
 * path that is an array in some records and an object in others
 * PATH.~4.N... (flatten.c).
 * With a null marker (--csv-null): null is the marker, an empty string "",
 * a missing key an empty cell; the strings "MARKER", "[]" and "{}" are
 * quoted, so that unquoted they mean null, [] and {}. A lone surrogate (\uD800 without its pair)
 * cannot be UTF-8 text: the record is refused (csv.lone-surrogate).
 */
#define _GNU_SOURCE
#include "csv.h"

#include <stdlib.h>
#include <string.h>

typedef struct csv_writer {
    chuanp_writer base;
    chuanp_csv_out out;
    chuanp_colset cols;
    const char *sep;
    size_t seplen;
    int literal, bom, header, streaming;
    int header_written;
    int known;               /* the columns were known before the first row */
    int given;               /* ... given by the user: another key is an error */
    int preset;              /* convert -s: the package's Table Schema columns come first, then the
                                records' other keys (first pass, else the first record's) */
    const char *null_marker; /* --csv-null */
    size_t null_len;
    const chuanp_jv **cells; /* per column for the current row */
    size_t ncells;
    /* the current row's unknown keys */
    chuanp_buf unknown;
    size_t nunknown;
    int duplicate;
    chuanp_buf surrogate;    /* the first column of the row holding a lone surrogate */
    int has_surrogate;
    chuanp_buf cell;
    const char *file;
} csv_writer;

static int collect_key(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    csv_writer *w = ctx;
    (void)leaf;
    if (chuanp_colset_find(&w->cols, name, len) >= 0 || chuanp_wtf8_surrogate(name, len))
        return 0;
    return chuanp_colset_add(&w->cols, name, len) < 0 ? -1 : 0;
}

static void note_surrogate(csv_writer *w, const char *name, size_t len)
{
    if (w->has_surrogate++)
        return;
    /* the name itself may hold the surrogate: show it as \uXXXX */
    chuanp_json_write_string(&w->surrogate, name, len, 0);
}

static int place_cell(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    csv_writer *w = ctx;
    long k = chuanp_colset_find(&w->cols, name, len);
    if (k < 0) {
        if (chuanp_wtf8_surrogate(name, len)) {
            note_surrogate(w, name, len);
            return 0;
        }
        if (w->nunknown < 5) {
            if (w->nunknown)
                chuanp_buf_puts(&w->unknown, ", ");
            chuanp_buf_append(&w->unknown, name, len);
        }
        w->nunknown++;
        return 0;
    }
    if (leaf->type == CHUANP_JSTRING && (leaf->flags & CHUANP_JSTR_LONE_SURROGATE))
        note_surrogate(w, name, len);
    if (w->cells[k])
        w->duplicate = 1;
    w->cells[k] = leaf;
    return 0;
}

static int ensure_cells(csv_writer *w)
{
    if (w->ncells >= w->cols.count)
        return 0;
    const chuanp_jv **c = chuanp_realloc(w->cells, w->cols.count * sizeof *c);
    if (!c)
        return -1;
    w->cells = c;
    w->ncells = w->cols.count;
    return 0;
}

/* Columns whose path is the prefix of another column's path: named PATH.~3. */
static unsigned char *parent_columns(const csv_writer *w)
{
    unsigned char *parent = chuanp_calloc(w->cols.count ? w->cols.count : 1, 1);
    if (!parent || w->literal)
        return parent;
    for (size_t j = 0; j < w->cols.count; j++) {
        const char *n = w->cols.names[j], *p = n;
        size_t len = w->cols.lens[j];
        while ((p = memmem(p, len - (size_t)(p - n), w->sep, w->seplen)) != NULL) {
            long k = p > n ? chuanp_colset_find(&w->cols, n, (size_t)(p - n)) : -1;
            if (k >= 0)
                parent[k] = 1;
            p += w->seplen;
        }
    }
    return parent;
}

static int index_segment(const char *s, size_t len)
{
    if (len == 0 || len > 18 || (s[0] == '0' && len > 1))
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Paths that are arrays in some records and objects in others (both index
 * and key segments below them): their items are written PATH.~4.N... */
static int mixed_parents(const csv_writer *w, chuanp_colset *mixed)
{
    chuanp_colset idx = {0}, key = {0};
    int rc = 0;
    for (size_t j = 0; j < w->cols.count && rc == 0 && !w->literal; j++) {
        const char *n = w->cols.names[j], *end = n + w->cols.lens[j], *p = n;
        const char *e = memmem(p, (size_t)(end - p), w->sep, w->seplen);
        while (e && rc == 0) {
            p = e + w->seplen; /* a segment below the top level */
            const char *q = memmem(p, (size_t)(end - p), w->sep, w->seplen);
            size_t plen = (size_t)(e - n), slen = (size_t)((q ? q : end) - p);
            chuanp_colset *set = index_segment(p, slen) ? &idx : &key;
            if (chuanp_colset_find(set, n, plen) < 0 && chuanp_colset_add(set, n, plen) < 0)
                rc = -1;
            e = q;
        }
    }
    for (size_t i = 0; i < idx.count && rc == 0; i++)
        if (chuanp_colset_find(&key, idx.names[i], idx.lens[i]) >= 0 &&
            chuanp_colset_add(mixed, idx.names[i], idx.lens[i]) < 0)
            rc = -1;
    chuanp_colset_free(&idx);
    chuanp_colset_free(&key);
    return rc;
}

/* The header name of column k: ~4 before the items of a mixed path, ~3
 * after a path that also has columns below it. */
static void header_name(csv_writer *w, size_t k, const chuanp_colset *mixed, int parent)
{
    const char *n = w->cols.names[k], *end = n + w->cols.lens[k], *p = n;
    chuanp_buf_reset(&w->cell);
    const char *e = memmem(p, (size_t)(end - p), w->sep, w->seplen);
    chuanp_buf_append(&w->cell, n, (size_t)((e ? e : end) - n));
    while (e) {
        p = e + w->seplen;
        const char *q = memmem(p, (size_t)(end - p), w->sep, w->seplen);
        size_t slen = (size_t)((q ? q : end) - p);
        chuanp_buf_append(&w->cell, w->sep, w->seplen);
        if (mixed->count && index_segment(p, slen) &&
            chuanp_colset_find(mixed, n, (size_t)(e - n)) >= 0) {
            chuanp_buf_append(&w->cell, "~4", 2);
            chuanp_buf_append(&w->cell, w->sep, w->seplen);
        }
        chuanp_buf_append(&w->cell, p, slen);
        e = q;
    }
    if (parent) {
        chuanp_buf_append(&w->cell, w->sep, w->seplen);
        chuanp_buf_append(&w->cell, "~3", 2);
    }
}

static int write_header(csv_writer *w)
{
    if (w->header_written)
        return 0;
    w->header_written = 1;
    if (w->bom)
        chuanp_csv_out_bom(&w->out);
    if (!w->header || w->cols.count == 0)
        return 0;
    if (w->cols.count == 1 && w->cols.lens[0] == 0) {
        chuanp_buf_append(&w->out.buf, "\"\"\r\n", 4); /* not a blank line */
        return 0;
    }
    unsigned char *parent = parent_columns(w);
    chuanp_colset mixed = {0};
    if (!parent || mixed_parents(w, &mixed) < 0) {
        chuanp_free(parent);
        chuanp_colset_free(&mixed);
        return -1;
    }
    size_t last = w->cols.count - 1;
    for (size_t k = 0; k < w->cols.count; k++) {
        if (k == last && k > 0 && w->cols.lens[k] == 0) {
            /* an unquoted empty last name would read as a trailing delimiter */
            chuanp_buf_putc(&w->out.buf, w->out.delimiter);
            chuanp_buf_append(&w->out.buf, "\"\"", 2);
            continue;
        }
        if (parent[k] || mixed.count) {
            header_name(w, k, &mixed, parent[k]);
            chuanp_csv_out_cell(&w->out, w->cell.data ? w->cell.data : "", w->cell.len, k == 0);
            continue;
        }
        chuanp_csv_out_cell(&w->out, w->cols.names[k], w->cols.lens[k], k == 0);
    }
    chuanp_free(parent);
    chuanp_colset_free(&mixed);
    chuanp_csv_out_end_row(&w->out);
    return w->cell.err ? -1 : 0;
}

static void record_diag(csv_writer *w, const chuanp_record *rec, chuan_diags *d, const char *code,
                        const char *fmt, const char *arg)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = w->file,
                     .line = rec->line, .offset = rec->offset};
    chuan_diags_addf(d, &dg, fmt, arg);
}

/* One cell: missing (NULL), or a leaf. */
static void write_cell(csv_writer *w, const chuanp_jv *leaf, int first)
{
    chuanp_buf_reset(&w->cell);
    if (!leaf) {
        chuanp_csv_out_cell(&w->out, "", 0, first);
        return;
    }
    if (w->null_marker) {
        if (leaf->type == CHUANP_JNULL) {
            chuanp_csv_out_cell(&w->out, w->null_marker, w->null_len, first);
            return;
        }
        const char *t = leaf->type == CHUANP_JSTRING ? leaf->u.str.text : NULL;
        size_t n = t ? leaf->u.str.len : 0;
        if (t && (n == 0 || (n == w->null_len && memcmp(t, w->null_marker, n) == 0) ||
                  (n == 2 && (memcmp(t, "[]", 2) == 0 || memcmp(t, "{}", 2) == 0)))) {
            /* "" is an empty string, "MARKER", "[]" and "{}" strings, not null or empty
             * containers */
            chuanp_csv_out_cell_quoted(&w->out, leaf->u.str.text, leaf->u.str.len, first);
            return;
        }
    }
    chuanp_flat_cell_text(&w->cell, leaf);
    chuanp_csv_out_cell(&w->out, w->cell.data ? w->cell.data : "", w->cell.len, first);
}

/* One object -> one row. Returns 0 written, 1 not representable, -1 fatal. */
static int write_row(csv_writer *w, const chuanp_record *rec, const chuanp_jv *obj, chuan_diags *d)
{
    if (obj->type != CHUANP_JOBJECT) {
        record_diag(w, rec, d, "csv.not-object",
                    "record not written: a CSV row needs a JSON object (flattened into columns)",
                    NULL);
        return 1;
    }
    if (!w->known && !w->header_written && (w->cols.count == 0 || w->preset) &&
        chuanp_flatten(obj, w->sep, w->literal, collect_key, w) < 0)
        return -1;
    if (ensure_cells(w) < 0 || write_header(w) < 0)
        return -1;
    if (w->cols.count)
        memset(w->cells, 0, w->cols.count * sizeof *w->cells);
    chuanp_buf_reset(&w->unknown);
    chuanp_buf_reset(&w->surrogate);
    w->nunknown = 0;
    w->duplicate = 0;
    w->has_surrogate = 0;
    if (chuanp_flatten(obj, w->sep, w->literal, place_cell, w) < 0)
        return -1;
    if (w->has_surrogate) {
        record_diag(w, rec, d, "csv.lone-surrogate",
                    "record not written: %s holds a lone surrogate (a \\uD800-\\uDFFF escape "
                    "without its pair), which UTF-8 text cannot hold; NDJSON and JSON output "
                    "keep it as an escape",
                    w->surrogate.err || !w->surrogate.data ? _("a key") : w->surrogate.data);
        return 1;
    }
    if (w->nunknown) {
        chuanp_buf_printf(&w->unknown, "%s", w->nunknown > 5 ? ", ..." : "");
        record_diag(w, rec, d, "csv.new-column",
                    w->given ? N_("record not written: its keys %s are not among the columns given "
                                  "(--columns or the schema's fields); add them there")
                             : N_("record not written: its keys %s are not columns of the CSV header "
                                  "(the header comes from the first record)"),
                    w->unknown.err ? "?" : w->unknown.data);
        return 1;
    }
    if (w->duplicate) {
        record_diag(w, rec, d, "csv.duplicate-key", "record not written: two keys map to the same column",
                    NULL);
        return 1;
    }
    if (w->cols.count == 1) {
        const chuanp_jv *c = w->cells[0];
        if (!c || (c->type == CHUANP_JNULL && !w->null_marker) ||
            (c->type == CHUANP_JSTRING && c->u.str.len == 0)) {
            /* a lone empty cell would be a blank line, which readers skip */
            chuanp_buf_append(&w->out.buf, "\"\"\r\n", 4);
            return w->out.err || w->out.buf.err ? -1 : 0;
        }
    }
    for (size_t k = 0; k < w->cols.count; k++)
        write_cell(w, w->cells[k], k == 0);
    chuanp_csv_out_end_row(&w->out);
    return w->out.err || w->out.buf.err || w->cell.err ? -1 : 0;
}

static int csv_writer_begin(chuanp_writer *base, int streaming)
{
    csv_writer *w = (csv_writer *)base;
    w->streaming = streaming;
    return 0;
}

static int csv_writer_write(chuanp_writer *base, const chuanp_record *rec, chuan_diags *d)
{
    csv_writer *w = (csv_writer *)base;
    const chuanp_jv *v = rec->value;
    /* a record of a stream (an NDJSON line) that is an array is no row: reported, never dropped
     * (an empty one would vanish) nor split into several rows; a whole JSON document that is an
     * array is the list of records */
    if (v->type != CHUANP_JARRAY || w->streaming)
        return write_row(w, rec, v, d);
    /* An array of records. From a non-streaming source: first pass makes the
     * header the union of every item's keys (in order of first appearance). */
    if (!w->known && !w->streaming && !w->header_written) {
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (v->u.arr.items[i]->type == CHUANP_JOBJECT &&
                chuanp_flatten(v->u.arr.items[i], w->sep, w->literal, collect_key, w) < 0)
                return -1;
    }
    int worst = 0;
    for (size_t i = 0; i < v->u.arr.count; i++) {
        chuanp_record item = *rec;
        item.value = v->u.arr.items[i];
        item.line = item.value->line;
        item.offset = (long long)item.value->offset;
        int rc = write_row(w, &item, item.value, d);
        if (rc < 0)
            return rc;
        if (rc > 0)
            worst = 1;
    }
    return worst;
}

static int csv_writer_end(chuanp_writer *base)
{
    csv_writer *w = (csv_writer *)base;
    if (write_header(w) < 0)
        return -1;
    return chuanp_csv_out_flush(&w->out);
}

static void csv_writer_free(chuanp_writer *base)
{
    csv_writer *w = (csv_writer *)base;
    if (!w)
        return;
    chuanp_csv_out_free(&w->out);
    chuanp_colset_free(&w->cols);
    chuanp_free(w->cells);
    chuanp_buf_free(&w->unknown);
    chuanp_buf_free(&w->surrogate);
    chuanp_buf_free(&w->cell);
    chuanp_free(w);
}

static const struct chuanp_writer_ops csv_writer_ops = {csv_writer_begin, csv_writer_write,
                                                        csv_writer_end, csv_writer_free};

/* The known columns, "PATH.~3" given for the value of PATH read as PATH. */
static int load_columns(csv_writer *w, const chuanp_csv_columns *c)
{
    for (size_t i = 0; i < c->count; i++) {
        const char *n = c->names[i];
        size_t len = strlen(n);
        chuanp_buf_reset(&w->cell);
        if (!w->literal) {
            /* the record's key path: without the .~4 and .~3 segments */
            const char *p = n, *end = n + len;
            for (int first = 1;; first = 0) {
                const char *e = memmem(p, (size_t)(end - p), w->sep, w->seplen);
                size_t slen = (size_t)((e ? e : end) - p);
                int drop = !first && slen == 2 && p[0] == '~' && (p[1] == '4' || (p[1] == '3' && !e));
                if (!drop) {
                    if (w->cell.len)
                        chuanp_buf_append(&w->cell, w->sep, w->seplen);
                    chuanp_buf_append(&w->cell, p, slen);
                }
                if (!e)
                    break;
                p = e + w->seplen;
            }
            if (w->cell.err)
                return -1;
            n = w->cell.data ? w->cell.data : "";
            len = w->cell.len;
        }
        if (chuanp_colset_find(&w->cols, n, len) < 0 && chuanp_colset_add(&w->cols, n, len) < 0)
            return -1;
    }
    w->known = 1;
    w->given = c->given;
    return ensure_cells(w);
}

int chuanp_csv_writer_open(chuanp_writer **out, FILE *fp, const chuanp_convert_opts *o,
                           chuan_diags *d)
{
    *out = NULL;
    csv_writer *w = chuanp_calloc(1, sizeof *w);
    if (!w) {
        chuanp_csv_diag(d, o->file, "csv.memory", 0, 0, -1, 0, "out of memory");
        return -1;
    }
    w->base.ops = &csv_writer_ops;
    w->base.out = fp;
    chuanp_csv_out_init(&w->out, fp, o->csv.delimiter ? o->csv.delimiter : ',', o->csv.quote,
                        o->csv.formula_guard);
    w->sep = o->csv.sep && *o->csv.sep ? o->csv.sep : ".";
    w->seplen = strlen(w->sep);
    w->literal = o->csv.no_flatten;
    w->bom = o->csv.bom;
    w->header = o->csv.header;
    w->streaming = 1;
    w->file = o->file;
    w->null_marker = o->csv.null_marker;
    w->null_len = w->null_marker ? strlen(w->null_marker) : 0;
    chuanp_buf_init(&w->unknown, 0);
    chuanp_buf_init(&w->surrogate, 0);
    chuanp_buf_init(&w->cell, 0);
    *out = &w->base;
    int given = o->csv.columns && o->csv.columns->given; /* --columns wins over the package */
    for (size_t i = 0; o->forms && !given && i < o->forms->ncsv_columns; i++) {
        const char *n = o->forms->csv_columns[i];
        if (chuanp_colset_find(&w->cols, n, strlen(n)) < 0 &&
            chuanp_colset_add(&w->cols, n, strlen(n)) < 0) {
            chuanp_csv_diag(d, o->file, "csv.memory", 0, 0, -1, 0, "out of memory");
            return -1;
        }
        w->preset = 1;
    }
    if (o->csv.columns && load_columns(w, o->csv.columns) < 0) {
        chuanp_csv_diag(d, o->file, "csv.memory", 0, 0, -1, 0, "out of memory");
        return -1;
    }
    return 0;
}
