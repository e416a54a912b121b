/* Unit tests for CSV output of heterogeneous records: the column union
 * (first pass), PATH.~3 value columns, --csv-null (missing vs "" vs null),
 * lone surrogates, and a round-trip property over generated records:
 * chuan reads back every CSV it writes, and with a null marker JSON -> CSV
 * -> JSON gives the same records (string values: types need a schema). */
#include "unit.h"

#include "../../converters/convert.h"
#include "../common/convert_engine.h"
#include "../../converters/csv.h"

#include <stdio.h>

/* Run chuanp_convert_stream over text; returns the output (free()) and the
 * pipeline's result in *rc, diagnostic codes in *codes (free()). */
static char *convert(const char *text, chuanp_format from, chuanp_format to, const char *marker,
                     const chuanp_csv_columns *cols, int *rc, char **codes)
{
    FILE *in = fmemopen((void *)text, strlen(text), "rb");
    assert_non_null(in);
    char *out = NULL;
    size_t out_len = 0;
    FILE *o = open_memstream(&out, &out_len);
    assert_non_null(o);
    chuanp_convert_opts opts;
    memset(&opts, 0, sizeof opts);
    opts.from = from;
    opts.to = to;
    opts.file = "t";
    opts.csv.header = 1;
    opts.csv.quote = '"';
    opts.csv.null_marker = marker;
    opts.csv.columns = cols;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_stats st;
    *rc = test_convert_engine(in, o, &opts, &st, &d);
    fclose(o);
    fclose(in);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < d.count; i++)
        chuanp_buf_printf(&b, "%s@%ld ", d.items[i].code, d.items[i].line);
    chuanp_buf_putc(&b, '\0');
    *codes = strdup(b.data);
    chuanp_buf_free(&b);
    chuan_diags_clear(&d);
    return out;
}

static void test_union_header_and_value_columns(void **state)
{
    (void)state;
    const char *in = "{\"a\":\"1\",\"L\":[]}\n"
                     "{\"b\":{\"c\":\"x\"},\"L\":[{\"g\":\"p\"}]}\n"
                     "{\"a\":\"3\",\"b\":\"s\"}\n";
    int rc;
    char *codes;
    char *csv = convert(in, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, NULL, NULL, &rc, &codes);
    /* every record written; L and b are also parents: L.~3, b.~3 */
    assert_int_equal(rc, 0);
    assert_string_equal(codes, "");
    assert_string_equal(csv, "a,L.~3,b.c,L.0.g,b.~3\r\n1,[],,,\r\n,,x,p,\r\n3,,,,s\r\n");
    free(codes);
    char *back = convert(csv, CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, NULL, NULL, &rc, &codes);
    assert_int_equal(rc, 0);
    assert_string_equal(codes, "");
    /* without a marker an empty cell is "": what the documentation says */
    assert_string_equal(back, "{\"a\":\"1\",\"L\":\"[]\",\"b\":{\"c\":\"\"}}\n"
                              "{\"a\":\"\",\"L\":[{\"g\":\"p\"}],\"b\":{\"c\":\"x\"}}\n"
                              "{\"a\":\"3\",\"L\":[{\"g\":\"\"}],\"b\":\"s\"}\n");
    free(back);
    free(codes);
    /* with a marker: exact */
    free(csv);
    csv = convert(in, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, "NULL", NULL, &rc, &codes);
    free(codes);
    back = convert(csv, CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, "NULL", NULL, &rc, &codes);
    assert_int_equal(rc, 0);
    assert_string_equal(back, "{\"a\":\"1\",\"L\":[]}\n"
                              "{\"L\":[{\"g\":\"p\"}],\"b\":{\"c\":\"x\"}}\n"
                              "{\"a\":\"3\",\"b\":\"s\"}\n");
    free(back);
    free(codes);
    free(csv);
}

static void test_null_marker_cells(void **state)
{
    (void)state;
    const char *in = "{\"k\":\"\",\"n\":null,\"s\":\"NULL\",\"e\":[],\"o\":{},\"t\":\"[]\",\"u\":\"{}\"}\n"
                     "{\"s\":\"x\"}\n";
    int rc;
    char *codes;
    char *csv = convert(in, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, "NULL", NULL, &rc, &codes);
    assert_int_equal(rc, 0);
    assert_string_equal(csv, "k,n,s,e,o,t,u\r\n\"\",NULL,\"NULL\",[],{},\"[]\",\"{}\"\r\n,,x,,,,\r\n");
    free(codes);
    char *back = convert(csv, CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, "NULL", NULL, &rc, &codes);
    assert_int_equal(rc, 0);
    assert_string_equal(back, in);
    free(back);
    free(codes);
    free(csv);
}

static void test_given_columns_report_extra_keys(void **state)
{
    (void)state;
    chuanp_csv_columns cols = {0};
    assert_int_equal(chuanp_csv_columns_parse(&cols, "a,b\\,c,L.~3"), 0);
    assert_int_equal(cols.count, 3);
    assert_string_equal(cols.names[1], "b,c");
    int rc;
    char *codes;
    char *csv = convert("{\"a\":\"1\"}\n{\"a\":\"2\",\"z\":\"9\"}\n{\"L\":\"v\"}\n", CHUANP_FMT_NDJSON,
                        CHUANP_FMT_CSV, NULL, &cols, &rc, &codes);
    assert_int_equal(rc, 1);
    assert_string_equal(codes, "csv.new-column@2 ");
    assert_string_equal(csv, "a,\"b,c\",L\r\n1,,\r\n,,v\r\n");
    free(csv);
    free(codes);
    chuanp_csv_columns_free(&cols);
    chuanp_csv_columns bad = {0};
    assert_int_equal(chuanp_csv_columns_parse(&bad, "a,,b"), 1);
    chuanp_csv_columns_free(&bad);
}

static void test_lone_surrogate_refused(void **state)
{
    (void)state;
    int rc;
    char *codes;
    const char *in = "{\"a\":\"x\\ud800y\"}\n{\"a\":\"ok\"}\n{\"b\\udc00\":\"k\"}\n";
    char *csv = convert(in, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, NULL, NULL, &rc, &codes);
    assert_int_equal(rc, 1);
    assert_string_equal(codes, "csv.lone-surrogate@1 csv.lone-surrogate@3 ");
    assert_string_equal(csv, "a\r\nok\r\n"); /* valid UTF-8 that reads back */
    free(csv);
    free(codes);
    /* NDJSON keeps the escape */
    char *nd = convert(in, CHUANP_FMT_NDJSON, CHUANP_FMT_NDJSON, NULL, NULL, &rc, &codes);
    assert_int_equal(rc, 0);
    assert_string_equal(nd, in);
    free(nd);
    free(codes);
    /* XML cannot hold it either */
    char *xml = convert("{\"a\":\"x\\ud800y\"}\n", CHUANP_FMT_NDJSON, CHUANP_FMT_XML, NULL, NULL,
                        &rc, &codes);
    assert_int_equal(rc, 1);
    assert_non_null(strstr(codes, "convert.xml-char"));
    free(xml);
    free(codes);
}

/* PATH.~3 in a header; a row where both the value and the columns below are filled. */
static void test_value_column_reading(void **state)
{
    (void)state;
    int rc;
    char *codes;
    char *back = convert("id,L.~3,L.0.g\r\n1,[],\r\n2,,p\r\n3,x,q\r\n4,,\r\n", CHUANP_FMT_CSV,
                         CHUANP_FMT_NDJSON, NULL, NULL, &rc, &codes);
    assert_int_equal(rc, 1);
    assert_string_equal(codes, "csv.value-conflict@4 ");
    assert_string_equal(back, "{\"id\":\"1\",\"L\":\"[]\"}\n{\"id\":\"2\",\"L\":[{\"g\":\"p\"}]}\n"
                              "{\"id\":\"4\",\"L\":[{\"g\":\"\"}]}\n");
    free(back);
    free(codes);
    /* ~4: the array form of a path beside its object keys */
    back = convert("id,a.~4.0,a.~4.1,a.k\r\n1,x,y,\r\n2,,,v\r\n3,x,,v\r\n", CHUANP_FMT_CSV,
                   CHUANP_FMT_NDJSON, "NULL", NULL, &rc, &codes);
    assert_int_equal(rc, 1);
    assert_string_equal(codes, "csv.value-conflict@4 ");
    assert_string_equal(back, "{\"id\":\"1\",\"a\":[\"x\",\"y\"]}\n{\"id\":\"2\",\"a\":{\"k\":\"v\"}}\n");
    free(back);
    free(codes);
    /* ~3 at the top level, twice, or beside the plain column; ~4 last, at the top
     * level, before a key or under an array: header errors */
    const char *bad[] = {"~3,a\r\n1,2\r\n", "a.~3,a.~3\r\n1,2\r\n", "a,a.~3\r\n1,2\r\n",
                         "a.~3,a\r\n1,2\r\n", "a.~4,b\r\n1,2\r\n", "~4.0,b\r\n1,2\r\n",
                         "a.~4.k,b\r\n1,2\r\n", "a.0,a.~4.1\r\n1,2\r\n"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        back = convert(bad[i], CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, NULL, NULL, &rc, &codes);
        assert_int_equal(rc, 1);
        assert_non_null(strstr(codes, "csv.header-"));
        free(back);
        free(codes);
    }
}


/* The NDJSON first pass walks lines without parsing them: it must give the
 * same columns, in the same order, as parsing and flattening every line
 * that parses (lines that do not parse add nothing). */
static int ref_key(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    (void)leaf;
    chuanp_colset *set = ctx;
    if (chuanp_colset_find(set, name, len) < 0 && !chuanp_wtf8_surrogate(name, len) &&
        chuanp_colset_add(set, name, len) < 0)
        return -1;
    return 0;
}

/* chuanp_flat_escape (eight bytes at a time) against the rule byte by byte:
 * '~' -> "~0", the separator -> "~1", at every offset. */
static void test_flat_escape_every_offset(void **state)
{
    (void)state;
    static const char *const seps[] = {".", "__", "/"};
    for (size_t si = 0; si < 3; si++) {
        const char *sep = seps[si];
        size_t sl = strlen(sep);
        for (size_t len = 0; len < 40; len++)
            for (size_t at = 0; at <= len; at++)
                for (int what = 0; what < 3; what++) {
                    char key[64];
                    memset(key, 'a', len);
                    key[len] = '\0';
                    if (at < len)
                        key[at] = what == 0 ? '~' : what == 1 ? sep[0] : (char)0xC3;
                    chuanp_buf want, got;
                    chuanp_buf_init(&want, 0);
                    chuanp_buf_init(&got, 0);
                    for (size_t i = 0; i < len;) {
                        if (key[i] == '~') {
                            chuanp_buf_append(&want, "~0", 2);
                            i++;
                        } else if (len - i >= sl && memcmp(key + i, sep, sl) == 0) {
                            chuanp_buf_append(&want, "~1", 2);
                            i += sl;
                        } else {
                            chuanp_buf_putc(&want, key[i++]);
                        }
                    }
                    chuanp_flat_escape(&got, key, len, sep);
                    assert_int_equal(got.len, want.len);
                    assert_memory_equal(got.data ? got.data : "", want.data ? want.data : "",
                                        want.len);
                    chuanp_buf_free(&want);
                    chuanp_buf_free(&got);
                }
    }
}

static void test_fast_scan_matches_parser(void **state)
{
    (void)state;
    const char *lines[] = {
        "\xEF\xBB\xBF{\"a\":1,\"b\":{\"c\":[1,{\"d\":null}],\"e\":{}}}",
        "{\"k\\\"q\":\"v\",\"a\":2}",               /* a key with an escape */
        "{\"u\\u0041\":true, \"0\":{\"1\":[[]]}}",  /* \u escape; digit keys below the top */
        "{\"x\":1,}",                                /* not JSON: adds nothing */
        "{\"bad\":tru}",
        "[{\"arr\":1}]",                             /* a record that is an array */
        "\"scalar\"",
        "   ",
        "",
        "{\"s\\ud800\":\"lone\",\"ok\":\"\\ud800\"}", /* a key UTF-8 cannot hold */
        "{\"t~x.y\":{\"2024\":\"v\",\"m.n\":[\"p\",\"q\"]}}\r",
        "{\"a\":1,\"a\":2,\"dup\":3}",               /* duplicate keys: rejected by the reader */
        "{\"deep\":[[[[[[[[[[[[1]]]]]]]]]]]]}",
        "{\"n\":-0.5e+3,\"m\":01}",                  /* 01 is not a number */
        "{\"Tên\":{\"Họ\":\"x\"}} ",
        "{\"late\":\"x\"}",
        /* long keys and strings: escapes, '~' and '.' past the first eight bytes */
        "{\"abcdefghijk\\\"lmnop\":1,\"long.key.with.dots.x\":{\"inner~tilde~key~\":2}}",
        "{\"0123456789abcdef\":\"a value longer than eight \\\\ bytes\",\"k\":\"\\\"q\\\" beyond\"}",
        "{\"12345678~9\":1,\"abcdefgh.ij\":{\"abcdefghijklmnop\":[\"0123456789\\\"\"]}}",
    };
    chuanp_buf in;
    chuanp_buf_init(&in, 0);
    chuanp_colset ref = {0};
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    for (size_t i = 0; i < sizeof lines / sizeof *lines; i++) {
        chuanp_buf_puts(&in, lines[i]);
        chuanp_buf_putc(&in, '\n');
        const char *l = lines[i];
        if (i == 0)
            l += 3; /* the BOM */
        chuanp_jv *v = NULL;
        if (chuanp_json_parse(&v, l, strlen(l), NULL, &a, NULL) == 0 && v &&
            v->type == CHUANP_JOBJECT)
            assert_int_equal(chuanp_flatten(v, NULL, 0, ref_key, &ref), 0);
    }
    chuanp_buf_putc(&in, '\0');
    FILE *f = fmemopen(in.data, in.len - 1, "rb");
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = CHUANP_FMT_NDJSON;
    o.to = CHUANP_FMT_CSV;
    chuanp_csv_columns c;
    assert_int_equal(chuanp_csv_columns_scan(f, &o, &c), 0);
    fclose(f);
    chuanp_buf got, want;
    chuanp_buf_init(&got, 0);
    chuanp_buf_init(&want, 0);
    for (size_t i = 0; i < c.count; i++)
        chuanp_buf_printf(&got, "%s|", c.names[i]);
    for (size_t i = 0; i < ref.count; i++)
        chuanp_buf_printf(&want, "%s|", ref.names[i]);
    chuanp_buf_putc(&got, '\0');
    chuanp_buf_putc(&want, '\0');
    assert_string_equal(got.data, want.data);
    assert_non_null(strstr(got.data, "|k\"q|"));
    assert_non_null(strstr(got.data, "|late|"));
    assert_null(strstr(got.data, "bad"));
    chuanp_buf_free(&got);
    chuanp_buf_free(&want);
    chuanp_csv_columns_free(&c);
    chuanp_colset_free(&ref);
    chuanp_buf_free(&in);
    chuanp_arena_free(&a);
}

/* ------------------------------------------------- round-trip property */
static unsigned long long rng = 88172645463325252ULL;
static unsigned rnd(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static const char *const strings[] = {"", "NULL", "[]", "{}", "a,b", "x\"y", "dòng 1\r\ndòng 2",
                                      "~", "0", "12", "Việt", " lead", "=1+2", "\\N", "-"};
static const char *const keys[] = {"a", "b", "k.dot", "~t", "2024", "0", "Tên", "L", "x"};

static void gen_value(chuanp_buf *b, int depth, unsigned path);

/* One object; which keys exist varies, and so does the kind of each value:
 * a path may be a string, null, [], a list or an object in different records. */
static void gen_object(chuanp_buf *b, int depth, unsigned path)
{
    chuanp_buf_putc(b, '{');
    int first = 1;
    for (unsigned i = 0; i < sizeof keys / sizeof *keys; i++) {
        if (rnd(3) == 0)
            continue;
        if (!first)
            chuanp_buf_putc(b, ',');
        first = 0;
        chuanp_json_write_string(b, keys[i], strlen(keys[i]), 0);
        chuanp_buf_putc(b, ':');
        gen_value(b, depth + 1, path * 31 + i + 1);
    }
    chuanp_buf_putc(b, '}');
}

static void gen_value(chuanp_buf *b, int depth, unsigned path)
{
    unsigned r = rnd(10);
    if (depth < 3 && r < 2) {
        gen_object(b, depth, path);
        return;
    }
    if (depth < 3 && r < 4) {
        unsigned n = rnd(4); /* lists of different lengths, empty too */
        chuanp_buf_putc(b, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i)
                chuanp_buf_putc(b, ',');
            gen_value(b, depth + 1, path * 7 + 3);
        }
        chuanp_buf_putc(b, ']');
        return;
    }
    if (r == 4) {
        chuanp_buf_puts(b, "null");
    } else if (r == 5) {
        chuanp_buf_puts(b, rnd(2) ? "{}" : "[]");
    } else {
        const char *s = strings[rnd(sizeof strings / sizeof *strings)];
        chuanp_json_write_string(b, s, strlen(s), 0);
    }
}

static void test_roundtrip_property(void **state)
{
    (void)state;
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    for (int set = 0; set < 300; set++) {
        chuanp_buf nd;
        chuanp_buf_init(&nd, 0);
        unsigned n = 1 + rnd(12);
        for (unsigned i = 0; i < n; i++) {
            gen_object(&nd, 0, 0);
            chuanp_buf_putc(&nd, '\n');
        }
        chuanp_buf_putc(&nd, '\0');
        for (int mode = 0; mode < 2; mode++) {
            const char *marker = mode ? "NULL" : NULL;
            int rc;
            char *codes;
            char *csv = convert(nd.data, CHUANP_FMT_NDJSON, CHUANP_FMT_CSV, marker, NULL, &rc,
                                &codes);
            if (rc != 0 || codes[0])
                fail_msg("set %d: writing %s gave %d %s", set, nd.data, rc, codes);
            free(codes);
            char *back = convert(csv, CHUANP_FMT_CSV, CHUANP_FMT_NDJSON, marker, NULL, &rc, &codes);
            /* chuan reads back every CSV it writes, one record per record */
            if (rc != 0 || codes[0])
                fail_msg("set %d: reading back\n%s\ngave %d %s", set, csv, rc, codes);
            size_t lines = 0;
            for (const char *p = back; *p; p++)
                lines += *p == '\n';
            assert_int_equal(lines, n);
            if (mode) {
                /* exact: the same records (key order follows the columns) */
                const char *p = nd.data, *q = back;
                for (unsigned i = 0; i < n; i++) {
                    const char *pe = strchr(p, '\n'), *qe = strchr(q, '\n');
                    chuanp_jv *x = NULL, *y = NULL;
                    assert_int_equal(chuanp_json_parse(&x, p, (size_t)(pe - p), NULL, &a, NULL), 0);
                    assert_int_equal(chuanp_json_parse(&y, q, (size_t)(qe - q), NULL, &a, NULL), 0);
                    if (!chuanp_json_equal(x, y))
                        fail_msg("set %d record %u:\n%.*s\nbecame\n%.*s\nvia\n%s", set, i,
                                 (int)(pe - p), p, (int)(qe - q), q, csv);
                    p = pe + 1;
                    q = qe + 1;
                }
            }
            free(codes);
            free(back);
            free(csv);
            chuanp_arena_reset(&a);
        }
        chuanp_buf_free(&nd);
    }
    chuanp_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_union_header_and_value_columns),
        cmocka_unit_test(test_null_marker_cells),
        cmocka_unit_test(test_given_columns_report_extra_keys),
        cmocka_unit_test(test_lone_surrogate_refused),
        cmocka_unit_test(test_value_column_reading),
        cmocka_unit_test(test_fast_scan_matches_parser),
        cmocka_unit_test(test_flat_escape_every_offset),
        cmocka_unit_test(test_roundtrip_property),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
