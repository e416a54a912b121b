/* converters/csv_record.c - CSV as a record reader for the pipeline (the
 * writer: converters/csv_record_write.c).
 *
 * One record per data row, a JSON object keyed by the header names,
 * unflattened (converters/flatten.c). Values stay strings unless schema
 * hints give a type. With a null marker (--csv-null) an empty unquoted cell
 * is a missing key, the unquoted marker null, unquoted [] and {} the empty
 * array and object; quoted, each of them is a string ("" the empty one).
 *
 * Direct JSON: when the caller only writes the records as compact JSON
 * (records_as_json), the header is flat and no schema types the cells, a
 * row is encoded straight into JSON text (rec->json) from the keys encoded
 * once: the same bytes the value tree would give, without building it.
 */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

/* =================================================================== reader */
typedef struct csv_reader {
    chuanp_reader base;
    chuanp_csv_parser *p;
    chuanp_flat_tree *tree;
    char **names;
    size_t ncols;
    int header;          /* the first row is a header */
    int started;
    int dead;            /* the header cannot be mapped: no row can be converted */
    int trailing;        /* every row ends with a delimiter: drop that empty field */
    int literal;
    int offers_literal;  /* the verb has --no-flatten: header diagnostics say so */
    const char *sep;
    const chuanp_schema_hints *hints;
    chuanp_hint *col_hints;
    long data_rows;
    int missing_empty;   /* convert -s: empty unquoted cells are absent values (the package's CSV form) */
    int as_json;         /* the caller takes rec->json */
    int direct;          /* ... and this header allows it */
    chuanp_buf keys;     /* direct: "{" or "," + the key in JSON + ":" per column */
    size_t *key_off;     /* direct: column i's key text is keys[key_off[i]..key_off[i+1]) */
    chuanp_buf json;     /* direct: the current record */
    chuanp_csv_json_keys jkeys; /* direct: keys and key_off for the scanner's fast path */
    const char *null_marker; /* --csv-null */
    size_t null_len;
    /* per row, for the cell callback */
    const chuanp_csv_row *row;
    chuan_diags *d;
    int oom;
} csv_reader;

static void csv_reader_free(chuanp_reader *base)
{
    csv_reader *r = (csv_reader *)base;
    if (!r)
        return;
    chuanp_csv_parser_free(r->p);
    chuanp_flat_tree_free(r->tree);
    for (size_t i = 0; i < r->ncols; i++)
        chuanp_free(r->names[i]);
    chuanp_free(r->names);
    chuanp_free(r->col_hints);
    chuanp_buf_free(&r->keys);
    chuanp_buf_free(&r->json);
    chuanp_free(r->key_off);
    chuanp_free(r);
}

static char *nfc_copy(const char *s, size_t len)
{
    char *n = NULL;
    size_t nlen = 0;
    if (chuanp_nfc(s, len, &n, &nlen) < 0)
        return NULL;
    return n ? n : chuanp_strndup(s, len);
}

/* Header (or the implicit 1..n names), flattening tree, schema hints. */
static void csv_record_set(chuanp_record *rec, chuanp_jv *v, const chuanp_csv_row *row, long index)
{
    v->line = (uint32_t)row->line;
    v->column = 1;
    v->offset = (uint64_t)row->offset;
    rec->value = v;
    rec->index = index;
    rec->line = row->line;
    rec->offset = row->offset;
    rec->raw = row->raw;
    rec->raw_len = row->raw_len;
}

/* Encode the keys of a flat header once. Returns 0 or -1 (out of memory). */
static int setup_direct(csv_reader *r, size_t n)
{
    r->key_off = chuanp_calloc(n + 1, sizeof *r->key_off);
    if (!r->key_off)
        return -1;
    for (size_t i = 0; i < n; i++) {
        size_t depth = 0;
        const char *key = chuanp_flat_tree_path(r->tree, i, &depth)[0];
        r->key_off[i] = r->keys.len;
        chuanp_buf_putc(&r->keys, i ? ',' : '{');
        chuanp_json_write_string(&r->keys, key, strlen(key), 0);
        chuanp_buf_putc(&r->keys, ':');
    }
    r->key_off[n] = r->keys.len;
    static const char pad[CHUANP_CSV_KEYS_PAD];
    chuanp_buf_append(&r->keys, pad, sizeof pad); /* readable after the last key */
    r->direct = 1;
    r->jkeys = (chuanp_csv_json_keys){.text = r->keys.data, .off = r->key_off, .ncols = n,
                                      .trailing = r->trailing};
    return r->keys.err ? -1 : 0;
}

/* The row as one JSON object, like chuanp_json_write() of the value tree
 * row_cell() would build. Returns 0 or -1 (out of memory). */
static int encode_direct(csv_reader *r, const chuanp_csv_row *row, chuanp_record *rec)
{
    chuanp_buf *b = &r->json;
    chuanp_buf_reset(b);
    for (size_t i = 0; i < r->ncols; i++) {
        const chuanp_csv_field *f = &row->fields[i];
        const char *text = f->text;
        size_t len = f->len, klen = r->key_off[i + 1] - r->key_off[i];
        char *norm = NULL;
        if (f->not_nfc) {
            size_t nlen = 0;
            if (chuanp_nfc(text, len, &norm, &nlen) < 0)
                return -1;
            if (norm) {
                text = norm;
                len = nlen;
            }
        }
        chuanp_buf_append(b, r->keys.data + r->key_off[i], klen);
        if (len > 65536) { /* grows as it goes instead of reserving the worst case */
            chuanp_json_write_string(b, text, len, 0);
        } else if (chuanp_buf_reserve(b, 6 * len + 2) == 0) {
            char *end = chuanp_json_put_string(b->data + b->len, text, len);
            b->len = (size_t)(end - b->data);
        }
        chuanp_free(norm);
    }
    chuanp_buf_putc(b, '}');
    if (b->err)
        return -1;
    rec->json = b->data;
    rec->json_len = b->len;
    return 0;
}

static int setup_columns(csv_reader *r, const chuanp_csv_row *row, chuan_diags *d)
{
    size_t n = row->count;
    if (n > 1 && row->fields[n - 1].len == 0 && !row->fields[n - 1].quoted &&
        row->raw_len > 0 && row->raw[row->raw_len - 1] == chuanp_csv_delimiter(r->p)) {
        r->trailing = 1;
        n--;
    }
    r->names = chuanp_calloc(n ? n : 1, sizeof *r->names);
    if (!r->names)
        return -1;
    for (size_t i = 0; i < n; i++) {
        if (r->header && memchr(row->fields[i].text, '\0', row->fields[i].len)) {
            chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.header-path", row->fields[i].line, 0,
                            row->offset, row->record, "column %zu: NUL character in a column name",
                            i + 1);
            return 1;
        }
        if (r->header) {
            r->names[i] = nfc_copy(row->fields[i].text, row->fields[i].len);
        } else {
            r->names[i] = chuanp_asprintf("%zu", i + 1);
        }
        if (!r->names[i])
            return -1;
        r->ncols = i + 1;
    }
    int rc = chuanp_flat_tree_new(&r->tree, (const char *const *)r->names, n, r->sep,
                                  (r->literal ? CHUANP_FLAT_LITERAL : 0u) |
                                      (r->offers_literal ? CHUANP_FLAT_SAY_LITERAL : 0u),
                                  chuanp_csv_file(r->p), d);
    if (rc != 0)
        return rc;
    if (r->as_json && !(r->hints && r->hints->lookup) && !r->null_marker && n > 0 &&
        chuanp_flat_tree_is_flat(r->tree))
        return setup_direct(r, n);
    if (r->hints && r->hints->lookup) {
        r->col_hints = chuanp_calloc(n ? n : 1, sizeof *r->col_hints);
        if (!r->col_hints)
            return -1;
        for (size_t i = 0; i < n; i++) {
            size_t depth = 0;
            const char *const *path = chuanp_flat_tree_path(r->tree, i, &depth);
            if (r->hints->lookup(r->hints->ctx, path, depth, &r->col_hints[i]) < 0)
                memset(&r->col_hints[i], 0, sizeof r->col_hints[i]);
        }
    }
    return 0;
}

/* A new value of `type` (no text) at field f's line and column, in a. NULL
 * when out of memory. */
static chuanp_jv *csv_field_value(chuanp_arena *a, chuanp_jtype type, const chuanp_csv_field *f)
{
    chuanp_jv *v = chuanp_arena_alloc(a, sizeof *v);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    v->type = (uint8_t)type;
    v->line = (uint32_t)f->line;
    v->column = (uint32_t)f->column;
    v->offset = (uint64_t)-1;
    return v;
}

/* Typed value of a cell by its schema hint; NULL type = keep the string. */
static chuanp_jv *typed_cell(csv_reader *r, const chuanp_hint *h, const chuanp_csv_field *f,
                             const char *text, size_t len, chuanp_arena *a, int *done)
{
    *done = 1;
    if (h->is_array && len == 2 && memcmp(text, "[]", 2) == 0)
        return csv_field_value(a, CHUANP_JARRAY, f);
    switch (h->type) {
    case CHUANP_HINT_INTEGER:
    case CHUANP_HINT_NUMBER:
        if (len == 0 && !f->quoted)
            return csv_field_value(a, CHUANP_JNULL, f);
        if (chuanp_json_num_valid(text, len) &&
            (h->type == CHUANP_HINT_NUMBER || (!memchr(text, '.', len) && !memchr(text, 'e', len) &&
                                               !memchr(text, 'E', len)))) {
            chuanp_jv *v = csv_field_value(a, CHUANP_JNUMBER, f);
            if (v) {
                v->u.str.text = text;
                v->u.str.len = len;
                if (h->type == CHUANP_HINT_INTEGER)
                    v->flags = CHUANP_JNUM_INT;
            }
            return v;
        }
        break;
    case CHUANP_HINT_BOOLEAN:
        if (len == 0 && !f->quoted)
            return csv_field_value(a, CHUANP_JNULL, f);
        if (len == 4 && memcmp(text, "true", 4) == 0)
            return csv_field_value(a, CHUANP_JTRUE, f);
        if (len == 5 && memcmp(text, "false", 5) == 0)
            return csv_field_value(a, CHUANP_JFALSE, f);
        break;
    case CHUANP_HINT_NULL:
        if (len == 0)
            return csv_field_value(a, CHUANP_JNULL, f);
        break;
    case CHUANP_HINT_OBJECT:
        if (len == 0 && !f->quoted)
            return csv_field_value(a, CHUANP_JNULL, f);
        if (len == 2 && memcmp(text, "{}", 2) == 0)
            return csv_field_value(a, CHUANP_JOBJECT, f);
        if (r->literal && len > 0 && (text[0] == '{' || text[0] == '[')) {
            /* --no-flatten: a nested value was written as JSON text */
            chuanp_jv *v = NULL;
            chuanp_json_opts jo = {.file = chuanp_csv_file(r->p), .line_base = f->line - 1};
            chuan_diags tmp;
            chuan_diags_init(&tmp, 1);
            if (chuanp_json_parse(&v, text, len, &jo, a, &tmp) == 0 && v) {
                chuan_diags_clear(&tmp);
                return v;
            }
            chuan_diags_clear(&tmp);
        }
        break;
    default:
        break;
    }
    *done = 0;
    return NULL;
}

static chuanp_jv *row_cell(void *ctx, size_t col, chuanp_arena *a)
{
    csv_reader *r = ctx;
    const chuanp_csv_field *f = &r->row->fields[col];
    const char *text = f->text;
    size_t len = f->len;
    char *copy;
    if (r->null_marker && !f->quoted) {
        if (len == 0)
            return NULL; /* a missing key */
        int t = len == r->null_len && memcmp(text, r->null_marker, len) == 0 ? CHUANP_JNULL
                : len == 2 && memcmp(text, "[]", 2) == 0                    ? CHUANP_JARRAY
                : len == 2 && memcmp(text, "{}", 2) == 0                    ? CHUANP_JOBJECT
                                                                            : -1;
        if (t >= 0) { /* null, [] and {} unquoted; the strings are quoted */
            chuanp_jv *v = csv_field_value(a, (chuanp_jtype)t, f);
            if (!v)
                r->oom = 1;
            return v;
        }
    }
    if (f->not_nfc) {
        char *n = NULL;
        size_t nlen = 0;
        if (chuanp_nfc(text, len, &n, &nlen) < 0) {
            r->oom = 1;
            return NULL;
        }
        if (n) {
            copy = chuanp_arena_strndup(a, n, nlen);
            chuanp_free(n);
            len = nlen;
        } else {
            copy = chuanp_arena_strndup(a, text, len);
        }
    } else {
        /* borrowed from the parser: valid until the next record is read,
         * as record.h promises for every record value */
        copy = (char *)text;
    }
    if (!copy) {
        r->oom = 1;
        return NULL;
    }
    if (r->missing_empty && len == 0 && !f->quoted)
        return NULL; /* a package's CSV form: an empty cell is a missing value */
    if (r->col_hints && r->col_hints[col].known) {
        int done = 0;
        chuanp_jv *v = typed_cell(r, &r->col_hints[col], f, copy, len, a, &done);
        if (done) {
            if (!v)
                r->oom = 1;
            return v;
        }
    }
    chuanp_jv *v = csv_field_value(a, CHUANP_JSTRING, f);
    if (!v) {
        r->oom = 1;
        return NULL;
    }
    v->u.str.text = copy;
    v->u.str.len = len;
    return v;
}

static int csv_reader_next(chuanp_reader *base, chuanp_arena *arena, chuanp_record *rec,
                           chuan_diags *d)
{
    csv_reader *r = (csv_reader *)base;
    chuanp_csv_row row;
    if (r->dead)
        return 0;
    for (;;) {
        int as_json = 0;
        int rc = r->direct ? chuanp_csv_next_json(r->p, &r->jkeys, &r->json, &as_json, &row, d)
                           : chuanp_csv_next(r->p, &row, d);
        if (rc != 1)
            return rc;
        if (as_json) {
            /* a plain row, already JSON (csv_json.c) */
            r->data_rows++;
            rec->json = r->json.data;
            rec->json_len = r->json.len;
            rec->index = r->data_rows;
            rec->line = row.line;
            rec->offset = row.offset;
            rec->raw = row.raw;
            rec->raw_len = row.raw_len;
            return 1;
        }
        if (!r->started) {
            r->started = 1;
            int s = setup_columns(r, &row, d);
            if (s < 0)
                return -1;
            if (s > 0) {
                r->dead = 1; /* a bad header: the input is invalid, not the tool */
                return 2;
            }
            if (r->header)
                continue;
        }
        size_t n = row.count;
        if (r->trailing && n == r->ncols + 1 && row.fields[n - 1].len == 0 &&
            !row.fields[n - 1].quoted)
            n--;
        r->data_rows++;
        if (n != r->ncols) {
            chuanp_csv_row_columns(&row);
            const chuanp_csv_field *at = &row.fields[n > r->ncols ? r->ncols : n - 1];
            long col = at->column;
            if (n < r->ncols)
                col += (long)chuanp_utf8_count(row.raw + at->raw_start,
                                               row.raw_len - at->raw_start);
            /* one message id per wording, so that each has its translation */
            if (r->header)
                chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.ragged", at->line, col, row.offset,
                                row.record,
                                n == 1 ? N_("record has %zu field, the header has %zu")
                                       : N_("record has %zu fields, the header has %zu"),
                                n, r->ncols);
            else
                chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.ragged", at->line, col, row.offset,
                                row.record,
                                n == 1 ? N_("record has %zu field, the first record has %zu")
                                       : N_("record has %zu fields, the first record has %zu"),
                                n, r->ncols);
            return 2;
        }
        if (r->direct) {
            if (encode_direct(r, &row, rec) < 0) {
                chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.memory", row.line, 1, row.offset,
                                row.record, "out of memory");
                return -1;
            }
            rec->index = r->data_rows;
            rec->line = row.line;
            rec->offset = row.offset;
            rec->raw = row.raw;
            rec->raw_len = row.raw_len;
            return 1;
        }
        r->row = &row;
        r->d = d;
        r->oom = 0;
        chuanp_flat_build_opts bo = {.sparse = r->null_marker != NULL};
        chuanp_jv *v = chuanp_flat_tree_build_ex(r->tree, row_cell, r, arena, &bo);
        r->row = NULL;
        if (!v || r->oom) {
            chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.memory", row.line, 1, row.offset,
                            row.record, "out of memory");
            return -1;
        }
        if (r->missing_empty)
            chuanp_flat_prune(v, NULL, 0);
        if (bo.conflict) {
            chuanp_csv_row_columns(&row);
            const chuanp_csv_field *f = &row.fields[bo.conflict - 1];
            chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.value-conflict", f->line, f->column,
                            row.offset, row.record,
                            "column %zu '%s' holds the value of its path, and the columns below "
                            "that path hold values too: one of them must be empty",
                            bo.conflict, r->names[bo.conflict - 1]);
            return 2;
        }
        csv_record_set(rec, v, &row, r->data_rows);
        return 1;
    }
}

static const struct chuanp_reader_ops csv_reader_ops = {csv_reader_next, csv_reader_free};

long chuanp_csv_reader_json_rows(chuanp_reader *base, chuanp_buf *out)
{
    if (!base || base->ops != &csv_reader_ops)
        return 0;
    csv_reader *r = (csv_reader *)base;
    if (r->dead || !r->started || !r->direct)
        return 0;
    long n = chuanp_csv_json_rows(r->p, &r->jkeys, out);
    if (n > 0)
        r->data_rows += n;
    return n;
}

int chuanp_csv_reader_open(chuanp_reader **out, FILE *in, const chuanp_convert_opts *o,
                           chuan_diags *d)
{
    *out = NULL;
    csv_reader *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->base.ops = &csv_reader_ops;
    r->base.streaming = 1;
    chuanp_csv_parser_opts po = {.delimiter = o->csv.delimiter, .quote = o->csv.quote,
                                 .file = o->file};
    r->p = o->in_mem ? chuanp_csv_parser_new_mem(o->in_mem, o->in_mem_len, &po)
                     : chuanp_csv_parser_new(in, &po);
    if (!r->p)
        goto oom;
    r->header = o->csv.header;
    r->literal = o->csv.no_flatten;
    r->offers_literal = o->csv.offers_no_flatten;
    r->sep = o->csv.sep;
    r->hints = o->hints;
    r->as_json = o->records_as_json;
    r->missing_empty = o->forms != NULL;
    r->null_marker = o->csv.null_marker;
    r->null_len = r->null_marker ? strlen(r->null_marker) : 0;
    chuanp_buf_init(&r->keys, 0);
    chuanp_buf_init(&r->json, 0);
    *out = &r->base;
    return 0;
oom:
    if (r)
        csv_reader_free(&r->base);
    chuanp_csv_diag(d, o->file, "csv.memory", 0, 0, -1, 0, "out of memory");
    return -1;
}

