/*
 * tests/common/csv_json_diff.h - the CSV fast path (chuanp_csv_next_json)
 * against the scanner (chuanp_csv_next + chuanp_nfc + chuanp_json_put_string),
 * shared by tests/unit/test_csv.c and tests/fuzz/fuzz_csv.c. Both runs print
 * every row (record, line, offset, raw text, the JSON object or "ragged")
 * and every diagnostic; the two texts must be equal. The bulk mode takes the
 * plain rows with chuanp_csv_json_rows (as the batch workers do) and prints
 * only the objects, "ragged" and the diagnostics: compare it with a
 * CSVDIFF_SLOW_JSON run.
 */
#ifndef CHUAN_TEST_CSV_JSON_DIFF_H
#define CHUAN_TEST_CSV_JSON_DIFF_H

#include "../../converters/csv.h"

#include <stdlib.h>
#include <string.h>

/* Row as JSON the slow way: what the CSV reader's direct encoder does. */
static int csvdiff_slow_json(const chuanp_csv_row *row, const chuanp_csv_json_keys *k,
                             chuanp_buf *out)
{
    chuanp_buf_reset(out);
    for (size_t i = 0; i < k->ncols; i++) {
        const char *t = row->fields[i].text;
        size_t len = row->fields[i].len;
        char *norm = NULL;
        size_t nlen = 0;
        if (row->fields[i].not_nfc && chuanp_nfc(t, len, &norm, &nlen) < 0)
            return -1;
        if (norm) {
            t = norm;
            len = nlen;
        }
        chuanp_buf_append(out, k->text + k->off[i], k->off[i + 1] - k->off[i]);
        if (chuanp_buf_reserve(out, 6 * len + 2) == 0)
            out->len = (size_t)(chuanp_json_put_string(out->data + out->len, t, len) - out->data);
        free(norm);
    }
    chuanp_buf_putc(out, '}');
    return out->err ? -1 : 0;
}

enum { CSVDIFF_SLOW = 0, CSVDIFF_FAST = 1, CSVDIFF_SLOW_JSON = 2, CSVDIFF_BULK = 3 };
/* bufsize: the parser reads a copy of csv of exactly len bytes in place
 * (chuanp_csv_parser_new_mem, as the batch workers do), no FILE */
#define CSVDIFF_IN_PLACE ((size_t)-1)

/* Parse csv[0..len) with a read buffer of bufsize bytes (0: default) in one
 * of the modes above (fast: chuanp_csv_next_json; the _JSON and BULK modes
 * print no row positions); print into out. */
static int csvdiff_run(const char *csv, size_t len, char delim, size_t bufsize, int mode,
                       chuanp_buf *out)
{
    const int fast = mode == CSVDIFF_FAST || mode == CSVDIFF_BULK;
    const int json_only = mode >= CSVDIFF_SLOW_JSON;
    chuanp_csv_parser_opts po = {.delimiter = delim, .file = "t.csv", .buffer = bufsize,
                                 .max_record = 1 << 20};
    FILE *in = NULL;
    char *exact = NULL;
    chuanp_csv_parser *p = NULL;
    if (bufsize == CSVDIFF_IN_PLACE) {
        po.buffer = 0;
        exact = malloc(len ? len : 1); /* no byte after the text: ASan sees a read past it */
        if (exact) {
            memcpy(exact, csv, len);
            p = chuanp_csv_parser_new_mem(exact, len, &po);
        }
    } else {
        in = fmemopen((void *)csv, len ? len : 1, "rb");
        if (in && !len)
            fseek(in, 0, SEEK_END); /* fmemopen refuses size 0: an empty stream */
        p = in ? chuanp_csv_parser_new(in, &po) : NULL;
    }
    chuanp_buf keys, json;
    chuanp_buf_init(&keys, 0);
    chuanp_buf_init(&json, 0);
    size_t *off = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_csv_row row;
    int rc = -1, started = 0;
    size_t seen = 0;
    chuanp_csv_json_keys k = {0};
    if (!p)
        goto out;
    for (;;) {
        int as_json = 0;
        if (started && mode == CSVDIFF_BULK && chuanp_csv_json_rows(p, &k, out) < 0)
            goto out; /* the objects and their line ends, straight into out */
        int r = started && fast ? chuanp_csv_next_json(p, &k, &json, &as_json, &row, &d)
                                : chuanp_csv_next(p, &row, &d);
        for (; seen < d.count; seen++)
            chuanp_buf_printf(out, "!%s %ld:%ld %s\n", d.items[seen].code, d.items[seen].line,
                              d.items[seen].column, d.items[seen].path ? d.items[seen].path : "");
        if (r <= 0)
            break;
        if (r != 1)
            continue;
        if (!started) {
            /* the header: keys as the CSV reader encodes them (csv_record.c) */
            started = 1;
            size_t n = row.count;
            if (n > 1 && row.fields[n - 1].len == 0 && !row.fields[n - 1].quoted &&
                row.raw_len > 0 && row.raw[row.raw_len - 1] == chuanp_csv_delimiter(p)) {
                k.trailing = 1;
                n--;
            }
            off = calloc(n + 1, sizeof *off);
            if (!off)
                goto out;
            for (size_t i = 0; i < n; i++) {
                off[i] = keys.len;
                chuanp_buf_putc(&keys, i ? ',' : '{');
                chuanp_json_write_string(&keys, row.fields[i].text, row.fields[i].len, 0);
                chuanp_buf_putc(&keys, ':');
            }
            off[n] = keys.len;
            for (int z = 0; z < CHUANP_CSV_KEYS_PAD; z++)
                chuanp_buf_putc(&keys, 'z'); /* readable, never copied as a key */
            k.text = keys.data;
            k.off = off;
            k.ncols = n;
            continue;
        }
        if (!json_only) {
            chuanp_buf_printf(out, "%ld@%ld+%lld:", row.record, row.line, row.offset);
            chuanp_buf_append(out, row.raw, row.raw_len);
            chuanp_buf_putc(out, '\n');
        }
        if (as_json) {
            chuanp_buf_append(out, json.data, json.len);
        } else {
            size_t n = row.count;
            if (k.trailing && n == k.ncols + 1 && row.fields[n - 1].len == 0 &&
                !row.fields[n - 1].quoted)
                n--;
            if (n != k.ncols) {
                chuanp_buf_puts(out, "ragged");
            } else {
                if (csvdiff_slow_json(&row, &k, &json) < 0)
                    goto out;
                chuanp_buf_append(out, json.data, json.len);
            }
        }
        chuanp_buf_putc(out, '\n');
    }
    rc = out->err ? -1 : 0;
out:
    chuanp_csv_parser_free(p);
    if (in)
        fclose(in);
    free(exact);
    chuanp_buf_free(&keys);
    chuanp_buf_free(&json);
    free(off);
    chuan_diags_clear(&d);
    return rc;
}

#endif /* CHUAN_TEST_CSV_JSON_DIFF_H */
