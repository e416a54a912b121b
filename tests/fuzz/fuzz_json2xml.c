/* libFuzzer target: JSON -> XML with every mapping, and the w3c round trip
 * JSON -> XML -> JSON, which must give the same JSON, number text included
 * (strings NFC-normalised as chuan writes them). A mismatch calls abort(). */
#define _GNU_SOURCE
#include "../../converters/convert.h"
#include "../common/convert_engine.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    return 0;
}

static int run(const char *in, size_t len, chuanp_format from, chuanp_format to, chuanp_mapping m,
               char **out, size_t *out_len)
{
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = from;
    o.to = to;
    o.mapping = m;
    o.file = "fuzz";
    chuan_diags d;
    chuan_diags_init(&d, 100);
    FILE *fin = fmemopen((void *)in, len, "r");
    FILE *fout = open_memstream(out, out_len);
    if (!fin || !fout)
        abort();
    chuanp_convert_stats st;
    int rc = test_convert_engine(fin, fout, &o, &st, &d);
    fclose(fin);
    fclose(fout);
    chuan_diags_clear(&d);
    return rc;
}

/* The JSON as chuan's writer prints it (exact numbers), NFC-normalised. */
static char *normal(const char *json, size_t len)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuan_diags d;
    chuan_diags_init(&d, 10);
    chuanp_json_opts po;
    memset(&po, 0, sizeof po);
    po.allow_bom = 1;
    chuanp_jv *v = NULL;
    char *res = NULL;
    if (chuanp_json_parse(&v, json, len, &po, &a, &d) == 0) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_json_write_opts wo;
        memset(&wo, 0, sizeof wo);
        chuanp_json_write(&b, v, &wo);
        char *norm = NULL;
        size_t nl = 0;
        if (!b.err && chuanp_nfc(b.data, b.len, &norm, &nl) == 0)
            res = norm ? norm : chuanp_strndup(b.data, b.len);
        chuanp_buf_free(&b);
    }
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
    return res;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    const char *in = (const char *)data;
    char *out = NULL;
    size_t out_len = 0;
    run(in, size, CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE, &out, &out_len);
    free(out);
    out = NULL;
    run(in, size, CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_JSONML, &out, &out_len);
    free(out);
    out = NULL;
    if (run(in, size, CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_W3C, &out, &out_len) != 0) {
        free(out);
        return 0;
    }
    char *back = NULL;
    size_t back_len = 0;
    if (run(out, out_len, CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_W3C, &back, &back_len) != 0) {
        fprintf(stderr, "w3c XML did not convert back:\n%.*s\n", (int)out_len, out);
        abort();
    }
    char *a = normal(in, size), *b = normal(back, back_len);
    /* a is NULL when the input is not plain UTF-8 text (lone surrogates) */
    if (a && (!b || strcmp(a, b) != 0)) {
        fprintf(stderr, "w3c round trip differs:\n%s\n---\n%s\n", a, b ? b : "(no JSON)");
        abort();
    }
    free(a);
    free(b);
    free(out);
    free(back);
    return 0;
}
