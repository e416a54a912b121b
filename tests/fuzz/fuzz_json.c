/*
 * tests/fuzz/fuzz_json.c - libFuzzer target for the JSON reader and writer.
 *
 * Parses arbitrary bytes. When they parse: writes compact, re-parses that
 * output, and aborts unless the two trees are equal (JSON Schema equality)
 * and the second compact write is byte-identical to the first. Also writes
 * indented and ASCII-escaped forms and checks they re-parse to an equal
 * tree, and runs the same bytes through the NDJSON reader (every line), so
 * both readers see every input.
 */
#include "json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check(int cond, const char *what)
{
    if (!cond) {
        fprintf(stderr, "fuzz_json: %s\n", what);
        abort();
    }
}

static chuanp_jv *reparse(chuanp_arena *a, const chuanp_buf *b, const char *what)
{
    chuan_diags d;
    chuanp_json_opts o;
    chuanp_jv *v = NULL;
    chuan_diags_init(&d, 0);
    memset(&o, 0, sizeof o);
    o.allow_duplicates = 1; /* a tree with duplicate keys is written as is */
    o.max_depth = CHUANP_JSON_MAX_DEPTH;
    int rc = chuanp_json_parse(&v, b->data, b->len, &o, a, &d);
    if (rc != 0)
        fprintf(stderr, "fuzz_json: %s output does not parse: %s\n", what,
                d.count ? d.items[0].message : "?");
    check(rc == 0 && v, what);
    chuan_diags_clear(&d);
    return v;
}

static void round_trip(const chuanp_jv *v)
{
    chuanp_arena a;
    chuanp_buf first, second, other;
    chuanp_arena_init(&a, 0);
    chuanp_buf_init(&first, 0);
    chuanp_buf_init(&second, 0);
    chuanp_buf_init(&other, 0);

    chuanp_json_write(&first, v, NULL);
    check(!first.err, "compact write failed");
    chuanp_jv *w = reparse(&a, &first, "compact");
    check(chuanp_json_equal(v, w), "compact round trip is not equal");
    chuanp_json_write(&second, w, NULL);
    check(!second.err && second.len == first.len &&
              memcmp(first.data, second.data, first.len) == 0,
          "second compact write differs from the first");

    chuanp_json_write_opts pretty = {2, 0, 0};
    chuanp_json_write(&other, v, &pretty);
    check(chuanp_json_equal(v, reparse(&a, &other, "indented")), "indented round trip");
    chuanp_buf_reset(&other);
    chuanp_json_write_opts ascii = {0, 1, 0};
    chuanp_json_write(&other, v, &ascii);
    for (size_t i = 0; i < other.len; i++)
        check((unsigned char)other.data[i] < 0x80, "ASCII output has a non-ASCII byte");
    check(chuanp_json_equal(v, reparse(&a, &other, "ascii")), "ascii round trip");

    chuanp_buf_free(&first);
    chuanp_buf_free(&second);
    chuanp_buf_free(&other);
    chuanp_arena_free(&a);
}

static void ndjson(const uint8_t *data, size_t size)
{
    FILE *f = fmemopen((void *)data, size, "rb");
    if (!f)
        return;
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, "fuzz", NULL);
    if (r) {
        chuanp_ndjson_set_max_line(r, 4096);
        chuanp_arena a;
        chuan_diags d;
        chuanp_arena_init(&a, 4096);
        chuan_diags_init(&d, 16);
        chuanp_jv *v;
        long line, last = 0;
        int rc;
        while ((rc = chuanp_ndjson_next(r, &a, &v, &line, &d)) > 0) {
            check(line > last, "NDJSON line numbers must increase");
            last = line;
            check((rc == 1) == (v != NULL), "NDJSON value iff record");
            chuanp_arena_reset(&a);
        }
        check(rc == 0, "NDJSON reader failed");
        chuanp_arena_free(&a);
        chuan_diags_clear(&d);
    }
    chuanp_ndjson_reader_free(r);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    chuanp_arena a;
    chuan_diags d;
    chuanp_json_opts o;
    chuanp_jv *v = NULL;
    chuanp_arena_init(&a, 0);
    chuan_diags_init(&d, 0);
    memset(&o, 0, sizeof o);
    o.max_depth = 64;
    o.allow_bom = size > 0 && (data[0] & 1);
    int rc = chuanp_json_parse(&v, (const char *)data, size, &o, &a, &d);
    check(rc >= 0, "out of memory");
    if (rc == 0) {
        check(v != NULL && d.count == 0, "success without a value");
        round_trip(v);
    } else {
        check(d.count >= 1, "failure without a diagnostic");
        for (size_t i = 0; i < d.count; i++) {
            const chuan_diag *x = &d.items[i];
            check(x->line >= 1 && x->column >= 1 && x->offset >= 0 &&
                      (size_t)x->offset <= size,
                  "diagnostic position out of range");
            check(x->code && x->message && x->path, "diagnostic without code/message/path");
        }
        if (v) /* duplicate keys only: the tree is complete */
            round_trip(v);
    }
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
    ndjson(data, size);
    return 0;
}
