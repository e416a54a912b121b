/* libFuzzer target: the CSV reader. Properties checked (abort on violation):
 *  - a tiny read buffer (every record crosses refills) yields exactly the rows
 *    and diagnostics of parsing the whole input from memory;
 *  - flatten(unflatten(row)) == row for every record the reader builds;
 *  - CSV -> records -> CSV -> records gives the same records;
 *  - the one-pass CSV -> JSON path gives the scanner's rows, JSON bytes and
 *    diagnostics (tests/common/csv_json_diff.h), with a tiny buffer too, and
 *    so do the plain rows taken in bulk (chuanp_csv_json_rows), its 64-byte
 *    windows classified with SSE2 or AVX-512BW (by the first byte).
 * Table Schema checking of the input runs too (tests/fuzz/csv.tableschema.json).
 * Any crash, leak or sanitizer report is a bug. */
#include "../../converters/csv.h"
#include "../../converters/csv_parser.h"
#include "../../validator/tableschema.h"
#include "../common/csv_json_diff.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chuanp_tableschema *schema;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    if (chuanp_tableschema_load(&schema, "tests/fuzz/csv.tableschema.json", &d) < 0)
        schema = NULL; /* run from elsewhere: reader properties only */
    chuan_diags_clear(&d);
    return 0;
}

/* All rows and diagnostics of a parse, as text. */
static void scan_all(chuanp_csv_parser *p, chuanp_buf *out)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_csv_row row;
    int rc;
    size_t seen = 0;
    while ((rc = chuanp_csv_next(p, &row, &d)) != 0) {
        for (; seen < d.count; seen++)
            chuanp_buf_printf(out, "!%s %ld:%ld %s\n", d.items[seen].code, d.items[seen].line,
                              d.items[seen].column, d.items[seen].path ? d.items[seen].path : "");
        if (rc < 0)
            break;
        if (rc != 1)
            continue;
        chuanp_buf_printf(out, "%ld@%ld+%lld:", row.record, row.line, row.offset);
        for (size_t i = 0; i < row.count; i++) {
            chuanp_buf_printf(out, "|%d:%zu:", row.fields[i].quoted, row.fields[i].len);
            chuanp_buf_append(out, row.fields[i].text, row.fields[i].len);
        }
        chuanp_buf_append(out, row.raw, row.raw_len);
        chuanp_buf_putc(out, '\n');
    }
    chuan_diags_clear(&d);
}

static int collect(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    (void)leaf;
    chuanp_buf *names = ctx;
    chuanp_buf_append(names, name, len);
    chuanp_buf_putc(names, '\0');
    return 0;
}

typedef struct leaves {
    const chuanp_jv *v[4096];
    size_t n;
} leaves;

static int collect_leaf(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    (void)name, (void)len;
    leaves *l = ctx;
    if (l->n < 4096)
        l->v[l->n++] = leaf;
    return 0;
}

static chuanp_jv *leaf_at(void *ctx, size_t col, chuanp_arena *a)
{
    (void)a;
    leaves *l = ctx;
    return col < l->n ? (chuanp_jv *)l->v[col] : NULL;
}

static void json_text(chuanp_buf *b, const chuanp_jv *v)
{
    chuanp_json_write_opts o = {0};
    chuanp_json_write(b, v, &o);
    chuanp_buf_putc(b, '\n');
}

/* flatten -> tree -> build must give the record back. */
static void check_flatten(const chuanp_jv *v, chuanp_arena *a)
{
    chuanp_buf names, x, y;
    chuanp_buf_init(&names, 0);
    chuanp_buf_init(&x, 0);
    chuanp_buf_init(&y, 0);
    leaves *l = calloc(1, sizeof *l);
    if (!l || chuanp_flatten(v, NULL, 0, collect, &names) < 0 ||
        chuanp_flatten(v, NULL, 0, collect_leaf, l) < 0)
        abort();
    if (l->n < 4096 && names.len) {
        const char **list = calloc(l->n, sizeof *list);
        const char *p = names.data;
        for (size_t i = 0; i < l->n; i++) {
            list[i] = p;
            p += strlen(p) + 1;
        }
        chuanp_flat_tree *t = NULL;
        chuan_diags d;
        chuan_diags_init(&d, 0);
        if (chuanp_flat_tree_new(&t, list, l->n, NULL, 0, "fuzz", &d) != 0)
            abort(); /* names the flattener wrote must form a valid tree */
        chuanp_jv *back = chuanp_flat_tree_build(t, leaf_at, l, a);
        json_text(&x, v);
        json_text(&y, back);
        if (x.len != y.len || memcmp(x.data, y.data, x.len) != 0)
            abort();
        chuanp_flat_tree_free(t);
        chuan_diags_clear(&d);
        free(list);
    }
    free(l);
    chuanp_buf_free(&names);
    chuanp_buf_free(&x);
    chuanp_buf_free(&y);
}

/* Read CSV text, write records as NDJSON text into json (and CSV into csv when not NULL). */
static void records(const char *data, size_t size, char delim, chuanp_buf *json, char **csv,
                    size_t *csv_len, int check)
{
    FILE *in = fmemopen((void *)data, size, "rb");
    if (!in)
        return;
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.csv.header = 1;
    o.csv.quote = '"';
    o.csv.delimiter = delim;
    o.file = "fuzz.csv";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_reader *r = NULL;
    chuanp_writer *w = NULL;
    FILE *out = csv ? open_memstream(csv, csv_len) : NULL;
    if (chuanp_csv_reader_open(&r, in, &o, &d) < 0)
        abort();
    o.csv.delimiter = ',';
    if (out && (chuanp_csv_writer_open(&w, out, &o, &d) < 0 || w->ops->begin(w, 1) < 0))
        abort();
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_record rec;
    int rc;
    while ((rc = r->ops->next(r, &a, &rec, &d)) != 0 && rc > -1) {
        if (rc == 1) {
            json_text(json, rec.value);
            if (check)
                check_flatten(rec.value, &a);
            if (w && w->ops->write(w, &rec, &d) != 0)
                abort(); /* every record of one CSV has the header's columns */
        }
        chuanp_arena_reset(&a);
    }
    if (w && w->ops->end(w) < 0)
        abort();
    if (w)
        w->ops->free(w);
    if (out)
        fclose(out);
    r->ops->free(r);
    chuanp_arena_free(&a);
    chuan_diags_clear(&d);
    fclose(in);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char delims[] = {0, ',', ';', '\t', '|'};
    char delim = delims[data[0] % 5];
    size_t bufsize = 1 + (data[0] >> 3);
    const char *text = (const char *)data + 1;
    size--;

    /* 1. streaming with a tiny buffer == streaming with the whole input in one buffer */
    chuanp_buf a, b;
    chuanp_buf_init(&a, 0);
    chuanp_buf_init(&b, 0);
    chuanp_csv_parser_opts po = {.delimiter = delim, .file = "fuzz.csv", .buffer = bufsize,
                                 .max_record = 1 << 20};
    chuanp_csv_parser_opts whole = po;
    whole.buffer = size + 1;
    FILE *f = fmemopen((void *)text, size, "rb");
    FILE *g = fmemopen((void *)text, size, "rb");
    if (f && g) {
        chuanp_csv_parser *p = chuanp_csv_parser_new(f, &po);
        chuanp_csv_parser *m = chuanp_csv_parser_new(g, &whole);
        if (!p || !m)
            abort();
        scan_all(p, &a);
        scan_all(m, &b);
        if (a.len != b.len || (a.len && memcmp(a.data, b.data, a.len) != 0))
            abort();
        chuanp_csv_parser_free(p);
        chuanp_csv_parser_free(m);
    }
    if (f)
        fclose(f);
    if (g)
        fclose(g);
    chuanp_buf_free(&a);
    chuanp_buf_free(&b);

    /* 2. the fast CSV -> JSON path == the scanner */
    {
        chuanp_buf s, q;
        chuanp_buf_init(&s, 0);
        chuanp_buf_init(&q, 0);
        /* read through a FILE with a small buffer, or in place as the batch workers read */
        size_t how = data[0] & 1 ? CSVDIFF_IN_PLACE : bufsize;
        if (chuanp_csv_window_force(data[0] >> 1 & 1) < 0)
            chuanp_csv_window_force(0);
        if (csvdiff_run(text, size, delim, 0, 0, &s) == 0 &&
            csvdiff_run(text, size, delim, how, 1, &q) == 0 &&
            (s.len != q.len || (s.len && memcmp(s.data, q.data, s.len) != 0)))
            abort();
        chuanp_buf_free(&s);
        chuanp_buf_free(&q);
        /* the rows the batch workers take in bulk (chuanp_csv_json_rows) */
        chuanp_buf_init(&s, 0);
        chuanp_buf_init(&q, 0);
        if (csvdiff_run(text, size, delim, 0, CSVDIFF_SLOW_JSON, &s) == 0 &&
            csvdiff_run(text, size, delim, how, CSVDIFF_BULK, &q) == 0 &&
            (s.len != q.len || (s.len && memcmp(s.data, q.data, s.len) != 0)))
            abort();
        chuanp_buf_free(&s);
        chuanp_buf_free(&q);
    }

    /* 3. records: flatten round trip, and CSV -> records -> CSV -> same records */
    chuanp_buf j1, j2;
    chuanp_buf_init(&j1, 0);
    chuanp_buf_init(&j2, 0);
    char *csv = NULL;
    size_t csv_len = 0;
    records(text, size, delim, &j1, &csv, &csv_len, 1);
    if (csv) {
        records(csv, csv_len, ',', &j2, NULL, NULL, 0);
        if (j1.len != j2.len || (j1.len && memcmp(j1.data, j2.data, j1.len) != 0))
            abort();
        free(csv);
    }
    chuanp_buf_free(&j1);
    chuanp_buf_free(&j2);

    /* 3. Table Schema checks never crash */
    if (schema) {
        FILE *in = fmemopen((void *)text, size, "rb");
        if (in) {
            chuan_diags d;
            chuan_diags_init(&d, 100);
            long rows = 0;
            chuanp_tableschema_check_file(schema, in, "fuzz.csv", &rows, &d);
            chuan_diags_clear(&d);
            fclose(in);
        }
    }
    return 0;
}
