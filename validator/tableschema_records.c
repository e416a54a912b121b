/* validator/tableschema_records.c - CSV rows as typed JSON records (values cast by a Table
 * Schema, every value positioned at its cell) for JSON Schema rule sets over CSV payloads. */
#include "tableschema_int.h"

#include <stdlib.h>
#include <string.h>

struct chuanp_ts_reader {
    const chuanp_tableschema *ts;
    chuanp_csv_parser *p;
    chuanp_flat_tree *tree;
    char **names;
    size_t ncols;
    long *col_field;
    int started;
    const chuanp_csv_row *row;
    chuanp_buf scratch;
    long data_rows;
    int oom;
};

void chuanp_ts_reader_free(chuanp_ts_reader *r)
{
    if (!r)
        return;
    chuanp_csv_parser_free(r->p);
    chuanp_flat_tree_free(r->tree);
    for (size_t i = 0; i < r->ncols; i++)
        chuanp_free(r->names[i]);
    chuanp_free(r->names);
    chuanp_free(r->col_field);
    chuanp_buf_free(&r->scratch);
    chuanp_free(r);
}

int chuanp_ts_reader_open(chuanp_ts_reader **out, const chuanp_tableschema *ts, FILE *in,
                          const char *file, chuan_diags *d)
{
    *out = NULL;
    chuanp_ts_reader *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->ts = ts;
    chuanp_buf_init(&r->scratch, 0);
    chuanp_csv_parser_opts po = {.delimiter = ts->delimiter, .quote = ts->quote, .file = file};
    r->p = chuanp_csv_parser_new(in, &po);
    if (!r->p)
        goto oom;
    *out = r;
    return 0;
oom:
    chuanp_ts_reader_free(r);
    chuanp_csv_diag(d, file, "csv.memory", 0, 0, -1, 0, "out of memory");
    return -1;
}

static long field_named(const chuanp_tableschema *ts, const char *name)
{
    for (size_t i = 0; i < ts->nfields; i++)
        if (strcmp(ts->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int setup(chuanp_ts_reader *r, const chuanp_csv_row *row)
{
    const chuanp_tableschema *ts = r->ts;
    size_t n = ts->header ? row->count : ts->nfields;
    r->names = chuanp_calloc(n ? n : 1, sizeof *r->names);
    r->col_field = chuanp_calloc(n ? n : 1, sizeof *r->col_field);
    if (!r->names || !r->col_field)
        return -1;
    for (size_t c = 0; c < n; c++) {
        const char *name = ts->header ? row->fields[c].text : ts->fields[c].name;
        size_t len = strlen(name);
        char *nfc = NULL;
        size_t nlen = 0;
        if (chuanp_nfc(name, len, &nfc, &nlen) < 0)
            return -1;
        r->names[c] = nfc ? nfc : chuanp_strndup(name, len);
        if (!r->names[c])
            return -1;
        r->ncols = c + 1;
        r->col_field[c] = ts->header ? field_named(ts, name) : (long)c;
    }
    /* nested keys when the header is a flattened tree, literal keys otherwise */
    chuan_diags quiet;
    chuan_diags_init(&quiet, 1);
    int rc = chuanp_flat_tree_new(&r->tree, (const char *const *)r->names, n, NULL, 0,
                                  chuanp_csv_file(r->p), &quiet);
    if (rc > 0)
        rc = chuanp_flat_tree_new(&r->tree, (const char *const *)r->names, n, NULL, 1,
                                  chuanp_csv_file(r->p), &quiet);
    chuan_diags_clear(&quiet);
    return rc == 0 ? 0 : -1;
}

static chuanp_jv *text_value(chuanp_arena *a, chuanp_jtype t, const chuanp_csv_field *f,
                             const char *s, size_t len)
{
    chuanp_jv *v = chuanp_csv_field_value(a, t, f);
    if (!v)
        return NULL;
    v->u.str.text = chuanp_arena_strndup(a, s, len);
    v->u.str.len = len;
    return v->u.str.text ? v : NULL;
}

static chuanp_jv *typed(chuanp_ts_reader *r, const ts_field *fd, ts_type type,
                        const chuanp_csv_field *f, const char *s, size_t len, chuanp_arena *a);

static chuanp_jv *list_value(chuanp_ts_reader *r, const ts_field *fd, const chuanp_csv_field *f,
                             chuanp_arena *a)
{
    const char *d = fd->list_delim ? fd->list_delim : ",";
    size_t dl = strlen(d), st = 0, n = 1;
    for (size_t i = 0; i + dl <= f->len; i++)
        if (memcmp(f->text + i, d, dl) == 0) {
            n++;
            i += dl - 1;
        }
    chuanp_jv *arr = chuanp_csv_field_value(a, CHUANP_JARRAY, f);
    if (!arr || !(arr->u.arr.items = chuanp_arena_alloc(a, n * sizeof(chuanp_jv *))))
        return NULL;
    ts_field item = *fd;
    item.format = NULL;
    for (size_t i = 0; i <= f->len; i++) {
        if (i == f->len || (f->len - i >= dl && memcmp(f->text + i, d, dl) == 0)) {
            chuanp_jv *iv = typed(r, &item, fd->item_type, f, f->text + st, i - st, a);
            if (!iv)
                return NULL;
            arr->u.arr.items[arr->u.arr.count++] = iv;
            st = i + dl;
            i += dl - 1;
        }
    }
    return arr;
}

static chuanp_jv *typed(chuanp_ts_reader *r, const ts_field *fd, ts_type type,
                        const chuanp_csv_field *f, const char *s, size_t len, chuanp_arena *a)
{
    ts_value v;
    chuanp_buf_reset(&r->scratch);
    if (chuanp_ts_cast(fd, type, s, len, &r->scratch, &v) != 0)
        return text_value(a, CHUANP_JSTRING, f, s, len);
    switch (type) {
    case TS_NUMBER:
    case TS_INTEGER:
    case TS_YEAR: {
        if (v.special)
            return text_value(a, CHUANP_JSTRING, f, s, len);
        chuanp_jv *n = text_value(a, CHUANP_JNUMBER, f, v.text, v.len);
        if (n && type != TS_NUMBER)
            n->flags = CHUANP_JNUM_INT;
        return n;
    }
    case TS_BOOLEAN:
        return chuanp_csv_field_value(a, v.boolean ? CHUANP_JTRUE : CHUANP_JFALSE, f);
    case TS_DATE:
    case TS_TIME:
    case TS_DATETIME:
    case TS_YEARMONTH:
        return text_value(a, CHUANP_JSTRING, f, v.text, v.len);
    case TS_OBJECT:
    case TS_ARRAY: {
        chuanp_jv *j = NULL;
        chuanp_json_opts jo = {.file = chuanp_csv_file(r->p), .line_base = f->line - 1};
        chuan_diags quiet;
        chuan_diags_init(&quiet, 1);
        int rc = chuanp_json_parse(&j, s, len, &jo, a, &quiet);
        chuan_diags_clear(&quiet);
        if (rc == 0 && j)
            return j;
        return text_value(a, CHUANP_JSTRING, f, s, len);
    }
    case TS_LIST:
        return list_value(r, fd, f, a);
    default:
        return text_value(a, CHUANP_JSTRING, f, s, len);
    }
}

static chuanp_jv *cell(void *ctx, size_t col, chuanp_arena *a)
{
    chuanp_ts_reader *r = ctx;
    const chuanp_csv_field *f = &r->row->fields[col];
    long fi = r->col_field[col];
    chuanp_jv *v;
    if (fi < 0) {
        v = text_value(a, CHUANP_JSTRING, f, f->text, f->len);
    } else {
        const ts_field *fd = &r->ts->fields[fi];
        if (chuanp_ts_strlist_has(&fd->missing, f->text, f->len))
            return NULL; /* missing value: the key is left out */
        v = typed(r, fd, fd->type, f, f->text, f->len, a);
    }
    if (!v)
        r->oom = 1;
    return v;
}

int chuanp_ts_reader_next(chuanp_ts_reader *r, chuanp_arena *arena, chuanp_record *rec,
                          chuan_diags *d)
{
    chuanp_csv_row row;
    for (;;) {
        int rc = chuanp_csv_next(r->p, &row, d);
        if (rc != 1)
            return rc;
        if (!r->started) {
            r->started = 1;
            if (setup(r, &row) < 0) {
                chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.memory", row.line, 1, row.offset,
                                row.record, "out of memory");
                return -1;
            }
            if (r->ts->header)
                continue;
        }
        r->data_rows++;
        if (row.count != r->ncols) {
            chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.ragged", row.line, 1, row.offset,
                            row.record, "record has %zu fields, the header has %zu", row.count,
                            r->ncols);
            return 2;
        }
        chuanp_csv_row_columns(&row);
        r->row = &row;
        r->oom = 0;
        chuanp_jv *v = chuanp_flat_tree_build(r->tree, cell, r, arena);
        r->row = NULL;
        if (!v || r->oom) {
            chuanp_csv_diag(d, chuanp_csv_file(r->p), "csv.memory", row.line, 1, row.offset,
                            row.record, "out of memory");
            return -1;
        }
        /* index: the row number of "row N, column NAME" */
        chuanp_csv_record_set(rec, v, &row, row.record);
        return 1;
    }
}
