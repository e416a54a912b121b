/* libFuzzer target: NDJSON -> CSV of heterogeneous records (the column
 * union, PATH.~3 and PATH.~4 names, --csv-null). Properties (abort on
 * violation):
 *  - the first pass's line walk gives the columns of parsing + flattening
 *    every line (converters/csv_union_ndjson.c vs chuanp_flatten);
 *  - chuan reads back every CSV it writes: no diagnostic, one record back
 *    per record written, with and without a null marker;
 *  - with the marker, when every record was written, the records read back
 *    equal the input's (string values; JSON equality).
 * Known limits, not checked: records without any key (no columns), and with
 * one column a record without that key (written "", read back "").
 * Any crash, leak or sanitizer report is a bug. */
#include "../../converters/convert.h"
#include "../common/convert_engine.h"
#include "../../converters/csv.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char *run(const char *in, size_t len, chuanp_format from, chuanp_format to,
                 const char *marker, chuanp_convert_stats *st, size_t *errors, size_t *out_len)
{
    FILE *f = fmemopen((void *)in, len, "rb");
    char *out = NULL;
    *out_len = 0;
    FILE *o = open_memstream(&out, out_len);
    if (!f || !o)
        abort();
    chuanp_convert_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.from = from;
    opts.to = to;
    opts.file = "fuzz";
    opts.csv.header = 1;
    opts.csv.quote = '"';
    opts.csv.null_marker = marker;
    chuan_diags d;
    chuan_diags_init(&d, 4);
    int rc = test_convert_engine(f, o, &opts, st, &d);
    *errors = rc < 0 ? (size_t)-1 : d.errors;
    chuan_diags_clear(&d);
    fclose(o);
    fclose(f);
    return out;
}

static int add_name(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    (void)leaf;
    chuanp_colset *set = ctx;
    if (chuanp_colset_find(set, name, len) < 0 && !chuanp_wtf8_surrogate(name, len) &&
        chuanp_colset_add(set, name, len) < 0)
        return -1;
    return 0;
}

/* The columns of parse + flatten over every line, as the NDJSON reader splits them. */
static void reference_columns(const char *s, size_t n, chuanp_colset *set)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    size_t i = n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    while (i < n) {
        const char *nl = memchr(s + i, '\n', n - i);
        size_t e = nl ? (size_t)(nl - s) : n;
        chuanp_jv *v = NULL;
        chuanp_arena_reset(&a);
        if (e > i && chuanp_json_parse(&v, s + i, e - i, NULL, &a, NULL) == 0 && v &&
            v->type == CHUANP_JOBJECT && chuanp_flatten(v, NULL, 0, add_name, set) < 0)
            abort();
        i = e + 1;
    }
    chuanp_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    const char *in = (const char *)data;
    /* 1. the walk = parse + flatten */
    chuanp_colset ref = {0};
    reference_columns(in, size, &ref);
    FILE *f = fmemopen((void *)in, size ? size : 1, "rb");
    if (!f)
        abort();
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = CHUANP_FMT_NDJSON;
    o.to = CHUANP_FMT_CSV;
    chuanp_csv_columns c;
    if (size && chuanp_csv_columns_scan(f, &o, &c) == 0) {
        if (c.count != ref.count)
            abort();
        for (size_t i = 0; i < c.count; i++)
            if (strlen(c.names[i]) != ref.lens[i] || memcmp(c.names[i], ref.names[i], ref.lens[i]))
                abort();
        chuanp_csv_columns_free(&c);
    }
    fclose(f);
    size_t ncols = ref.count;
    chuanp_colset_free(&ref);
    if (ncols == 0)
        return 0; /* records without keys: a CSV without columns cannot hold them */
    /* 2. and 3. read back what was written */
    for (int mode = 0; mode < 2; mode++) {
        const char *marker = mode ? "NULL" : NULL;
        chuanp_convert_stats w, r;
        size_t werr, rerr, csv_len, back_len;
        char *csv = run(in, size, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, marker, &w, &werr, &csv_len);
        if (werr == (size_t)-1) {
            free(csv);
            return 0; /* could not run (out of memory): nothing to compare */
        }
        char *back = run(csv, csv_len, CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, marker, &r, &rerr,
                         &back_len);
        if (w.written > 0 && (rerr != 0 || r.written != w.written))
            abort();
        if (mode && ncols > 1 && w.written > 0 && w.bad == 0 && werr == 0) {
            /* every record written: each comes back equal */
            chuanp_arena a;
            chuanp_arena_init(&a, 0);
            size_t i = size >= 3 && memcmp(in, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0, j = 0;
            while (i < size) {
                const char *nl = memchr(in + i, '\n', size - i);
                size_t e = nl ? (size_t)(nl - in) : size;
                chuanp_jv *x = NULL, *y = NULL;
                if (e > i && chuanp_json_parse(&x, in + i, e - i, NULL, &a, NULL) == 0 && x) {
                    const char *q = memchr(back + j, '\n', back_len - j);
                    if (!q || chuanp_json_parse(&y, back + j, (size_t)(q - back - j), NULL, &a,
                                                NULL) != 0 ||
                        !y)
                        abort();
                    if (!chuanp_json_equal(x, y)) {
                        /* only strings, null, [] and {} come back as they were */
                        int scalar_types = 0;
                        for (size_t k = i; k < e; k++)
                            if ((in[k] >= '0' && in[k] <= '9') || in[k] == 't' || in[k] == 'f')
                                scalar_types = 1;
                        if (!scalar_types)
                            abort();
                    }
                    j = (size_t)(q - back) + 1;
                }
                i = e + 1;
            }
            chuanp_arena_free(&a);
        }
        free(csv);
        free(back);
    }
    return 0;
}
