/* Unit tests for the CSV scanner, writer, flattening and record adapters. */
#include "unit.h"

#include "../../converters/csv.h"
#include "../../converters/csv_parser.h"
#include "../common/csv_json_diff.h"

#include <utf8proc.h>

/* chuanp_buf_steal leaves an empty buffer unterminated: tests want "". */
static char *steal(chuanp_buf *b)
{
    if (b->len == 0) {
        chuanp_buf_free(b);
        return chuanp_strdup("");
    }
    return chuanp_buf_steal(b, NULL);
}

/* Parse everything; rows as "rec@line:f1|f2\n" (quoted fields in [..]),
 * errors as "!code@line:col\n". Caller frees. */
static char *dump_opts(const char *csv, size_t len, char delim, size_t max_record)
{
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *f = fmemopen((void *)csv, len, "rb");
    assert_non_null(f);
    chuanp_csv_parser_opts o = {.delimiter = delim, .file = "t.csv", .max_record = max_record};
    chuanp_csv_parser *p = chuanp_csv_parser_new(f, &o);
    chuanp_csv_row row;
    int rc;
    size_t seen = 0;
    while ((rc = chuanp_csv_next(p, &row, &d)) != 0) {
        for (; seen < d.count; seen++)
            chuanp_buf_printf(&out, "!%s@%ld:%ld\n", d.items[seen].code, d.items[seen].line,
                              d.items[seen].column);
        if (rc < 0)
            break;
        if (rc != 1)
            continue;
        chuanp_buf_printf(&out, "%ld@%ld:", row.record, row.line);
        for (size_t i = 0; i < row.count; i++) {
            if (i)
                chuanp_buf_putc(&out, '|');
            if (row.fields[i].quoted)
                chuanp_buf_putc(&out, '[');
            chuanp_buf_append(&out, row.fields[i].text, row.fields[i].len);
            if (row.fields[i].quoted)
                chuanp_buf_putc(&out, ']');
        }
        chuanp_buf_putc(&out, '\n');
    }
    chuanp_csv_parser_free(p);
    fclose(f);
    chuan_diags_clear(&d);
    return steal(&out);
}

static char *dump(const char *csv, char delim)
{
    return dump_opts(csv, strlen(csv), delim, 0);
}

#define EXPECT(csv, delim, want)                                                                   \
    do {                                                                                           \
        char *got_ = dump(csv, delim);                                                             \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_rfc4180_basics(void **state)
{
    (void)state;
    EXPECT("a,b,c\n1,2,3\n", ',', "1@1:a|b|c\n2@2:1|2|3\n");
    EXPECT("a,b\r\n1,2\r\n", ',', "1@1:a|b\n2@2:1|2\n");
    EXPECT("a,b\r1,2\r", ',', "1@1:a|b\n2@2:1|2\n");         /* CR only */
    EXPECT("a,b\n1,2", ',', "1@1:a|b\n2@2:1|2\n");           /* no final line end */
    EXPECT("\"a,1\",\"b\"\"q\"\"\"\n", ',', "1@1:[a,1]|[b\"q\"]\n");
    EXPECT("x,\"\",,\n", ',', "1@1:x|[]||\n");               /* quoted empty vs empty */
    EXPECT("\xEF\xBB\xBFh1,h2\n", ',', "1@1:h1|h2\n");       /* BOM */
    EXPECT("a\n\n\nb\n", ',', "1@1:a\n2@4:b\n");             /* blank lines skipped, counted */
    EXPECT("", ',', "");
}

static void test_quoted_newlines_keep_line_numbers(void **state)
{
    (void)state;
    EXPECT("h1,h2\n\"l1\nl2\r\nl3\",x\nnext,y\n", ',', "1@1:h1|h2\n2@2:[l1\nl2\r\nl3]|x\n3@5:next|y\n");
    EXPECT("\"a\rb\",c\rd,e\r", ',', "1@1:[a\rb]|c\n2@3:d|e\n");
}

static void test_syntax_errors_and_recovery(void **state)
{
    (void)state;
    EXPECT("a,b\nx\"y,2\nok,3\n", ',', "1@1:a|b\n!csv.bare-quote@2:2\n3@3:ok|3\n");
    EXPECT("a,b\n\"x\"y,2\nok,3\n", ',', "1@1:a|b\n!csv.bare-quote@2:4\n3@3:ok|3\n");
    EXPECT("a,b\n1,\"open\nmore\n", ',', "1@1:a|b\n!csv.unterminated-quote@2:3\n");
}

static void test_invalid_utf8_position(void **state)
{
    (void)state;
    char *got = dump("a,b\nVi\xe1\xbb\x87t,x\xff\nok,1\n", ',');
    assert_string_equal(got, "1@1:a|b\n!csv.utf8@2:7\n3@3:ok|1\n");
    free(got);
}

static void test_sniffing(void **state)
{
    (void)state;
    assert_int_equal(chuanp_csv_sniff("a;b;c\n1,5;2,5;3\n", 16, '"'), ';');
    assert_int_equal(chuanp_csv_sniff("a\tb\n1\t2\n", 8, '"'), '\t');
    assert_int_equal(chuanp_csv_sniff("a|b|c\nx|y|z\n", 12, '"'), '|');
    assert_int_equal(chuanp_csv_sniff("\"x;y\",b\n\"1;2\",3\n", 16, '"'), ',');
    assert_int_equal(chuanp_csv_sniff("single\nline\n", 12, '"'), ',');
    EXPECT("Ho;LePhi\nNguyễn;1.500,50\n", 0, "1@1:Ho|LePhi\n2@2:Nguyễn|1.500,50\n");
}

static void test_wide_row_and_huge_field(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (int i = 0; i < 10000; i++)
        chuanp_buf_printf(&b, "%sc%d", i ? "," : "", i);
    chuanp_buf_putc(&b, '\n');
    size_t hdr = b.len;
    chuanp_buf_putc(&b, '"');
    for (int i = 0; i < 10 * 1024 * 1024; i++)
        chuanp_buf_putc(&b, (char)('a' + i % 26));
    chuanp_buf_puts(&b, "\"\n");
    assert_false(b.err);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *f = fmemopen(b.data, b.len, "rb");
    chuanp_csv_parser *p = chuanp_csv_parser_new(f, NULL);
    chuanp_csv_row row;
    assert_int_equal(chuanp_csv_next(p, &row, &d), 1);
    assert_int_equal(row.count, 10000);
    assert_string_equal(row.fields[9999].text, "c9999");
    assert_int_equal(row.raw_len, hdr - 1);
    assert_int_equal(chuanp_csv_next(p, &row, &d), 1);
    assert_int_equal(row.count, 1);
    assert_int_equal(row.fields[0].len, 10 * 1024 * 1024);
    assert_int_equal(row.fields[0].text[26], 'a');
    assert_int_equal(chuanp_csv_next(p, &row, &d), 0);
    chuanp_csv_parser_free(p);
    fclose(f);
    /* a record over the limit is a clear error, not unbounded memory */
    char *got = dump_opts(b.data, b.len, ',', 1 << 20);
    assert_non_null(strstr(got, "!csv.too-large@2:1"));
    free(got);
    chuan_diags_clear(&d);
    chuanp_buf_free(&b);
}

static void test_columns_count_characters(void **state)
{
    (void)state;
    const char *csv = "Họ tên,\"Địa\nchỉ\",x\n";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *in = fmemopen((void *)csv, strlen(csv), "rb");
    chuanp_csv_parser *p = chuanp_csv_parser_new(in, NULL);
    chuanp_csv_row row;
    assert_int_equal(chuanp_csv_next(p, &row, &d), 1);
    chuanp_csv_row_columns(&row);
    assert_int_equal(row.fields[0].column, 1);
    assert_int_equal(row.fields[1].column, 8);
    assert_int_equal(row.fields[2].line, 2);
    assert_int_equal(row.fields[2].column, 6);
    assert_true(row.fields[0].nonascii);
    chuanp_csv_parser_free(p);
    fclose(in);
    chuan_diags_clear(&d);
}

/* The NFC fast path must only skip code points utf8proc agrees are stable. */
static void test_nfc_fast_path_is_sound(void **state)
{
    (void)state;
    static const uint32_t ranges[][2] = {{0xA0, 0x2FF}, {0x1E00, 0x1EFF}, {0x2010, 0x2027},
                                         {0x2030, 0x205E}, {0x20A0, 0x20C0}};
    for (size_t r = 0; r < sizeof ranges / sizeof *ranges; r++) {
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            const utf8proc_property_t *pr = utf8proc_get_property((utf8proc_int32_t)cp);
            if (pr->category == UTF8PROC_CATEGORY_CN)
                continue;
            assert_int_equal(pr->combining_class, 0);
            assert_false(pr->comp_exclusion);
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            chuanp_buf_put_utf8(&b, cp);
            int maybe = 1;
            assert_int_equal(chuanp_csv_text_check(b.data, b.len, &maybe), -1);
            assert_int_equal(maybe, 0);
            char *n = NULL;
            size_t nl = 0;
            assert_int_equal(chuanp_nfc(b.data, b.len, &n, &nl), 0);
            assert_null(n); /* already NFC */
            chuanp_buf_free(&b);
        }
    }
    int maybe = 0;
    assert_int_equal(chuanp_csv_text_check("Vie\xcc\xa3\xcc\x82t", 8, &maybe), -1); /* NFD */
    assert_int_equal(maybe, 1);
}

static void test_writer_quoting_guard_bom_nfc(void **state)
{
    (void)state;
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    chuanp_csv_out w;
    chuanp_csv_out_init(&w, f, ',', '"', 1);
    chuanp_csv_out_bom(&w);
    chuanp_csv_out_cell(&w, "Vie\xcc\xa3\xcc\x82t", 8, 1); /* NFD header -> NFC */
    chuanp_csv_out_cell(&w, "a,b", 3, 0);
    chuanp_csv_out_cell(&w, "say \"hi\"", 8, 0);
    chuanp_csv_out_cell(&w, "=SUM(A1)", 8, 0);
    chuanp_csv_out_cell(&w, "-5,2", 4, 0);
    chuanp_csv_out_cell(&w, "", 0, 0);
    chuanp_csv_out_cell(&w, "l1\nl2", 5, 0);
    chuanp_csv_out_end_row(&w);
    assert_int_equal(chuanp_csv_out_flush(&w), 0);
    chuanp_csv_out_free(&w);
    fclose(f);
    assert_string_equal(mem, "\xEF\xBB\xBFViệt,\"a,b\",\"say \"\"hi\"\"\",'=SUM(A1),\"'-5,2\",,"
                             "\"l1\nl2\"\r\n");
    free(mem);
}

/* ---- flattening ---- */
static chuanp_jv *parse(chuanp_arena *a, const char *json)
{
    chuanp_jv *v = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_json_opts o = {0};
    assert_int_equal(chuanp_json_parse(&v, json, strlen(json), &o, a, &d), 0);
    chuan_diags_clear(&d);
    return v;
}

typedef struct collected {
    char *names[64];
    const chuanp_jv *leaves[64];
    size_t n;
} collected;

static int collect(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    collected *c = ctx;
    c->names[c->n] = chuanp_strndup(name, len);
    c->leaves[c->n++] = leaf;
    return 0;
}

static chuanp_jv *leaf_cell(void *ctx, size_t col, chuanp_arena *a)
{
    (void)a;
    collected *c = ctx;
    return (chuanp_jv *)c->leaves[col];
}

static char *to_text(const chuanp_jv *v)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_json_write_opts o = {0};
    chuanp_json_write(&b, v, &o);
    return steal(&b);
}

static void roundtrip(const char *json, const char *sep, const char *const *want_names)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *v = parse(&a, json);
    collected c = {0};
    assert_int_equal(chuanp_flatten(v, sep, 0, collect, &c), 0);
    for (size_t i = 0; want_names && want_names[i]; i++) {
        assert_true(i < c.n);
        assert_string_equal(c.names[i], want_names[i]);
    }
    chuanp_flat_tree *t = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_flat_tree_new(&t, (const char *const *)c.names, c.n, sep, 0, "t", &d), 0);
    chuanp_jv *back = chuanp_flat_tree_build(t, leaf_cell, &c, &a);
    char *orig = to_text(v), *again = to_text(back);
    assert_string_equal(again, orig);
    free(orig);
    free(again);
    chuanp_flat_tree_free(t);
    for (size_t i = 0; i < c.n; i++)
        free(c.names[i]);
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
}

static void test_flatten_roundtrip(void **state)
{
    (void)state;
    static const char *const n1[] = {"MaHoSo", "DanhSachLePhi.0.Gia", "DanhSachLePhi.0.Ten",
                                     "DanhSachLePhi.1.Gia", NULL};
    roundtrip("{\"MaHoSo\":\"000.00.01.H01-240101-0001\",\"DanhSachLePhi\":[{\"Gia\":1.50,\"Ten\":"
              "\"Lệ phí\"},{\"Gia\":20}]}", NULL, n1);
    static const char *const n2[] = {"a~1b", "c~0d.~20", "c~0d.x~1y", "e", "f", "g", "h.0", "h.1.0",
                                     NULL};
    roundtrip("{\"a.b\":1,\"c~d\":{\"0\":\"zero\",\"x.y\":null},\"e\":{},\"f\":[],\"g\":true,"
              "\"h\":[false,[\"\"]]}", NULL, n2);
    static const char *const n3[] = {"a/b/0", "a~1b", NULL};
    roundtrip("{\"a\":{\"b\":[1]},\"a/b\":2}", "/", n3);
    roundtrip("{\"0\":\"top-level digit keys stay plain\",\"\":{\"\":\"empty keys\"}}", NULL, NULL);
}

static void tree_error(const char *const *names, size_t n, const char *code)
{
    chuanp_flat_tree *t = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_true(chuanp_flat_tree_new(&t, names, n, NULL, 0, "t", &d) > 0);
    assert_null(t);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].code, code);
    chuan_diags_clear(&d);
}

static void test_flatten_header_conflicts(void **state)
{
    (void)state;
    const char *dup[] = {"a", "b", "a"};
    tree_error(dup, 3, "csv.header-duplicate");
    const char *parent[] = {"a", "a.b"};
    tree_error(parent, 2, "csv.header-path");
    const char *child[] = {"a.b", "a"};
    tree_error(child, 2, "csv.header-path");
    const char *gap[] = {"a.0", "a.2"};
    tree_error(gap, 2, "csv.header-path");
    const char *mixed[] = {"a.0", "a.x"};
    tree_error(mixed, 2, "csv.header-path");
    const char *esc[] = {"a~9"};
    tree_error(esc, 1, "csv.header-path");
    /* literal mode accepts anything but duplicates */
    chuanp_flat_tree *t = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_flat_tree_new(&t, parent, 2, NULL, 1, "t", &d), 0);
    chuanp_flat_tree_free(t);
    chuan_diags_clear(&d);
}

/* ---- record adapters ---- */
static char *convert_csv_to_ndjson(const char *csv, const chuanp_convert_opts *o, char **diag_codes)
{
    FILE *in = fmemopen((void *)csv, strlen(csv), "rb");
    chuanp_reader *r = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_csv_reader_open(&r, in, o, &d), 0);
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_buf out, codes;
    chuanp_buf_init(&out, 0);
    chuanp_buf_init(&codes, 0);
    chuanp_record rec;
    int rc;
    while ((rc = r->ops->next(r, &a, &rec, &d)) != 0) {
        if (rc < 0)
            break;
        if (rc == 1) {
            chuanp_json_write_opts wo = {0};
            chuanp_json_write(&out, rec.value, &wo);
            chuanp_buf_putc(&out, '\n');
        }
        chuanp_arena_reset(&a);
    }
    for (size_t i = 0; i < d.count; i++)
        chuanp_buf_printf(&codes, "%s@%ld:%ld ", d.items[i].code, d.items[i].line,
                          d.items[i].column);
    r->ops->free(r);
    fclose(in);
    chuanp_arena_free(&a);
    chuan_diags_clear(&d);
    *diag_codes = steal(&codes);
    return steal(&out);
}

static chuanp_convert_opts default_opts(void)
{
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.csv.header = 1;
    o.csv.quote = '"';
    o.file = "t.csv";
    return o;
}

static void test_reader_records(void **state)
{
    (void)state;
    chuanp_convert_opts o = default_opts();
    char *codes;
    char *got = convert_csv_to_ndjson("MaSo,Ds.0.Gia,Ds.1.Gia\r\n0123,1.50,\r\n", &o, &codes);
    assert_string_equal(got, "{\"MaSo\":\"0123\",\"Ds\":[{\"Gia\":\"1.50\"},{\"Gia\":\"\"}]}\n");
    assert_string_equal(codes, "");
    free(got);
    free(codes);
    /* trailing delimiter dialect, ragged rows, NFD text normalised */
    got = convert_csv_to_ndjson("a;b;\n1;2;\n1;2;3;\n1\nVie\xcc\xa3\xcc\x82t;x;\n", &o, &codes);
    assert_string_equal(got, "{\"a\":\"1\",\"b\":\"2\"}\n{\"a\":\"Việt\",\"b\":\"x\"}\n");
    assert_string_equal(codes, "csv.ragged@3:5 csv.ragged@4:2 ");
    free(got);
    free(codes);
    /* no header: columns named 1..n */
    o.csv.header = 0;
    got = convert_csv_to_ndjson("x,y\n", &o, &codes);
    assert_string_equal(got, "{\"1\":\"x\",\"2\":\"y\"}\n");
    free(got);
    free(codes);
}

/* records_as_json: the direct encoding of a flat row gives the bytes the
 * value tree gives through the JSON writer, for every kind of cell. */
static void test_reader_direct_json_matches_tree(void **state)
{
    (void)state;
    static const char csv[] =
        "Ma~1So,T\xc3\xaan,\"q\"\"k\",ctl,e\r\n"
        "0123,\"a \"\"b\"\" \\ c\",\"line\nbreak\",\"\x01\x1f\t\x7f\",\r\n"
        "x,Vie\xcc\xa3\xcc\x82t Nam \xed\x9f\xbf,\"\",abcdefghijklmnopqrstuvwxyz0123456789,\r\n"
        "1,2\r\n"
        "a,b,c,d,e\r\n";
    char *out[2] = {NULL, NULL};
    for (int direct = 0; direct < 2; direct++) {
        chuanp_convert_opts o = default_opts();
        o.records_as_json = direct;
        FILE *in = fmemopen((void *)csv, sizeof csv - 1, "r");
        assert_non_null(in);
        chuanp_reader *r = NULL;
        chuan_diags d;
        chuan_diags_init(&d, 0);
        assert_int_equal(chuanp_csv_reader_open(&r, in, &o, &d), 0);
        chuanp_arena arena;
        chuanp_arena_init(&arena, 4096);
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        long jsons = 0;
        for (;;) {
            chuanp_record rec;
            memset(&rec, 0, sizeof rec);
            chuanp_arena_reset(&arena);
            int n = r->ops->next(r, &arena, &rec, &d);
            if (n == 0)
                break;
            if (n == 2) {
                chuanp_buf_puts(&b, "bad\n");
                continue;
            }
            assert_int_equal(n, 1);
            if (rec.json) {
                assert_null(rec.value);
                chuanp_buf_append(&b, rec.json, rec.json_len);
                jsons++;
            } else {
                chuanp_json_write_opts wo;
                memset(&wo, 0, sizeof wo);
                chuanp_json_write(&b, rec.value, &wo);
            }
            chuanp_buf_putc(&b, '\n');
        }
        assert_int_equal(jsons, direct ? 3 : 0);
        out[direct] = chuanp_buf_steal(&b, NULL);
        r->ops->free(r);
        chuanp_arena_free(&arena);
        chuan_diags_clear(&d);
        fclose(in);
    }
    assert_string_equal(out[1], out[0]);
    assert_non_null(strstr(out[1], "\"Ma.So\":\"0123\""));
    assert_non_null(strstr(out[1], "\"\\u0001\\u001f\\t\x7f\""));
    assert_non_null(strstr(out[1], "Vi\xe1\xbb\x87t Nam"));
    free(out[0]);
    free(out[1]);
}

/* The fast path classifies 64-byte windows with SSE2 or, where the CPU has
 * it, AVX-512BW (converters/csv_json.c): the tests below run once with each
 * (*state: 0 SSE2, 1 AVX-512BW; skipped on a CPU without it). */
static void use_window(void **state)
{
    int wide = *state != NULL;
    if (chuanp_csv_window_force(wide) < 0)
        skip();
}

/* The one-pass CSV -> JSON path (converters/csv_json.c) gives the bytes,
 * rows and diagnostics of the scanner on rows of every kind, whatever
 * the read buffer size (rows cut at every position). */
static void test_fast_json_matches_scanner(void **state)
{
    use_window(state);
    static const char *const cells[] = {
        "x", "abcdefghijklmnopq", "", "\"\"", "\"q\"\"z\"", "\"multi\nline\"", "\"cr\r\nlf\"",
        "\"lone\rcr\"", "a\\b", "t\tab", "ctl\x01\x1f", "del\x7f", "Vi\xe1\xbb\x87t Nam",
        "Vie\xcc\xa3\xcc\x82t", "bad\xff", "cut\xe1\xbb", "a\"b", "\"x\"y", " ", "\"a,b;c\"",
        "\xe2\x80\x9cq\xe2\x80\x9d", "\xf0\x9f\x98\x80", "\xe2\x80\x80sp", "\xc3\xa0\xc3\xa1\xc3\xa2",
        "\"\xe1\xba\xa0\xe1\xba\xa1\"", "\"\\\\\"",
    };
    static const char *const ends[] = {"\n", "\r\n", "\r", "\n\n", ",\n", ",\r\n"};
    static const char delims[] = {',', ';', '\t'};
    unsigned seed = 12345;
    for (int round = 0; round < 6; round++) {
        char dl = delims[round % 3];
        chuanp_buf csv;
        chuanp_buf_init(&csv, 0);
        int trailing = round >= 3;
        chuanp_buf_printf(&csv, "a%cb%c\"c\"%s", dl, dl, trailing ? (dl == ',' ? ",\n" : dl == ';' ? ";\n" : "\t\n") : "\r\n");
        for (int r = 0; r < 300; r++) {
            seed = seed * 1103515245u + 12345u;
            int nf = (seed >> 16) % 23 == 0 ? 2 : (seed >> 16) % 29 == 0 ? 4 : 3;
            for (int c = 0; c < nf; c++) {
                seed = seed * 1103515245u + 12345u;
                const char *cell = (seed >> 16) % 3 ? cells[(seed >> 8) % 4]
                                                    : cells[(seed >> 8) % (sizeof cells / sizeof *cells)];
                if (c)
                    chuanp_buf_putc(&csv, dl);
                chuanp_buf_puts(&csv, cell);
            }
            seed = seed * 1103515245u + 12345u;
            const char *e = ends[(seed >> 16) % (trailing ? 6 : 4)];
            if (!trailing && e[0] == ',')
                e = "\n";
            chuanp_buf_puts(&csv, e);
        }
        if (round % 2)
            chuanp_buf_puts(&csv, "last,row,unterminated");
        chuanp_buf want, got;
        chuanp_buf_init(&want, 0);
        assert_int_equal(csvdiff_run(csv.data, csv.len, dl, 0, 0, &want), 0);
        assert_non_null(strstr(want.data, "\n{\"a\":")); /* plain rows were there */
        chuanp_buf want_json;
        chuanp_buf_init(&want_json, 0);
        assert_int_equal(csvdiff_run(csv.data, csv.len, dl, 0, CSVDIFF_SLOW_JSON, &want_json), 0);
        static const size_t sizes[] = {0, 1, 2, 3, 5, 7, 8, 9, 13, 17, 31, 64, 100, 4096, CSVDIFF_IN_PLACE};
        for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++) {
            chuanp_buf_init(&got, 0);
            assert_int_equal(csvdiff_run(csv.data, csv.len, dl, sizes[s], 1, &got), 0);
            if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
                fail_msg("round %d, buffer %zu: the fast path differs", round, sizes[s]);
            chuanp_buf_free(&got);
            chuanp_buf_init(&got, 0);
            assert_int_equal(csvdiff_run(csv.data, csv.len, dl, sizes[s], CSVDIFF_BULK, &got), 0);
            if (got.len != want_json.len || memcmp(got.data, want_json.data, want_json.len) != 0)
                fail_msg("round %d, buffer %zu: the bulk rows differ", round, sizes[s]);
            chuanp_buf_free(&got);
        }
        chuanp_buf_free(&want_json);
        chuanp_buf_free(&want);
        chuanp_buf_free(&csv);
    }
}

/* The fast path's 64-byte windows pass Vietnamese letters and Latin-1..U+02FF
 * without stopping (converters/csv_json.c, window_set): every other byte
 * after a lead, each in a long field at every offset of a window, quoted or
 * not, gives the scanner's bytes and diagnostics: invalid and cut
 * sequences, combining marks and singletons that NFC changes (U+0302,
 * U+1F71 -> U+03AC, E1 BD B1: E1 but not B8..BB), characters passed one by
 * one (U+2013), a control and a backslash, a character at the end of the
 * line or of the input. */
static void test_fast_json_long_fields(void **state)
{
    use_window(state);
    static const char *const odd[] = {
        "\xe1\xbb\x87",         /* U+1EC7, passed in the block */
        "\xc3\xa0",              /* U+00E0 */
        "\xcb\xbf",              /* U+02FF, the last C2..CB character */
        "\xcc\x82",              /* U+0302: composes with the letter before it */
        "\xe1\xbd\xb1",         /* U+1F71: NFC is U+03AC */
        "\xe2\x80\x93",         /* U+2013: stable, by the scalar code */
        "\xe1\xbb",              /* cut */
        "\xe1\xb8",              /* cut after B8 */
        "\xe1\xbb\x41",         /* no continuation byte */
        "\xc3",                   /* cut */
        "\xc3\xc3\xa0",         /* a lead where a continuation byte belongs */
        "\x80",                   /* a lone continuation byte */
        "\xc0\x80",              /* overlong */
        "\xc1\xbf",              /* overlong */
        "\xf0\x9f\x98\x80",     /* U+1F600 */
        "\xed\xa0\x80",         /* a surrogate */
        "\xff",
        "\x01",
        "\\",
        "\t",
    };
    static const char viet[] = "Vi\xe1\xbb\x87t Nam c\xe1\xba\xa5p b\xe1\xba\xa3n sao h\xe1\xbb\x99 t\xe1\xbb\x8b"
                               "ch \xc4\x90\xc3\xa0 N\xe1\xba\xb5ng";
    for (size_t s = 0; s < sizeof odd / sizeof *odd; s++) {
        chuanp_buf csv;
        chuanp_buf_init(&csv, 0);
        chuanp_buf_puts(&csv, "a,b,c\r\n");
        for (int n = 0; n < 72; n++) {
            const char *pre = viet + (n % 7); /* not always on a character boundary */
            for (int quoted = 0; quoted < 2; quoted++) {
                const char *qs = quoted ? "\"" : "";
                /* the odd one at offset n of a long field, then more text */
                chuanp_buf_printf(&csv, "x,%s%.*s%s%s%s,y\r\n", qs, n,
                                  "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                                  odd[s], viet, qs);
                /* after text that is not ASCII, at the end of the field */
                chuanp_buf_printf(&csv, "%s%.*s%s%s,%s,z\n", qs, n, pre, odd[s], qs, viet);
                /* at the end of the line */
                chuanp_buf_printf(&csv, "1,2,%s%s%.*s%s\n", qs, viet, n, viet, odd[s]);
            }
        }
        /* rows longer than the input a row is first tried within (4 KiB, or
         * the room the output has; csv_json.c, chuanp_csv_fast_row): the
         * odd one at and around where that try ends */
        static char longtext[70100];
        if (!longtext[0])
            for (size_t i = 0; i + 1 < sizeof longtext; i++)
                longtext[i] = i % 97 < 60 ? viet[i % 97 % (sizeof viet - 1)] : "0123456789abcdef"[i % 16];
        static const int longs[] = {4070, 4083, 4086, 4087, 4088, 4089, 4090, 4091, 4092, 4093, 4094, 4095, 4096, 4097, 6000, 9000, 70000};
        for (size_t n = 0; n < sizeof longs / sizeof *longs; n++)
            for (int quoted = 0; quoted < 2; quoted++) {
                const char *qs = quoted ? "\"" : "";
                chuanp_buf_printf(&csv, "x,%s%.*s%s%s,y\r\n", qs, longs[n], longtext, odd[s], qs);
                chuanp_buf_printf(&csv, "%s%s%.*s%s,%s,z\n", qs, odd[s], longs[n], longtext, qs, viet);
                chuanp_buf_printf(&csv, "1,2,%s%.*s%s%s\n", qs, longs[n], longtext, odd[s], qs);
            }
        chuanp_buf_printf(&csv, "e,n,%s%s", viet, odd[s]); /* at the end of the input */
        assert_false(csv.err);
        chuanp_buf want, got;
        chuanp_buf_init(&want, 0);
        assert_int_equal(csvdiff_run(csv.data, csv.len, ',', 0, 0, &want), 0);
        chuanp_buf want_json;
        chuanp_buf_init(&want_json, 0);
        assert_int_equal(csvdiff_run(csv.data, csv.len, ',', 0, CSVDIFF_SLOW_JSON, &want_json), 0);
        static const size_t sizes[] = {0, 7, 16, 33, 4096, CSVDIFF_IN_PLACE};
        for (size_t z = 0; z < sizeof sizes / sizeof *sizes; z++) {
            chuanp_buf_init(&got, 0);
            assert_int_equal(csvdiff_run(csv.data, csv.len, ',', sizes[z], 1, &got), 0);
            if (got.len != want.len || memcmp(got.data, want.data, want.len) != 0)
                fail_msg("odd %zu, buffer %zu: the fast path differs", s, sizes[z]);
            chuanp_buf_free(&got);
            chuanp_buf_init(&got, 0);
            assert_int_equal(csvdiff_run(csv.data, csv.len, ',', sizes[z], CSVDIFF_BULK, &got), 0);
            if (got.len != want_json.len || memcmp(got.data, want_json.data, want_json.len) != 0)
                fail_msg("odd %zu, buffer %zu: the bulk rows differ", s, sizes[z]);
            chuanp_buf_free(&got);
        }
        chuanp_buf_free(&want_json);
        chuanp_buf_free(&want);
        chuanp_buf_free(&csv);
    }
}

static void test_fast_json_matches_scanner_sse2(void **state) { test_fast_json_matches_scanner(state); }
static void test_fast_json_matches_scanner_avx512(void **state) { test_fast_json_matches_scanner(state); }
static void test_fast_json_long_fields_sse2(void **state) { test_fast_json_long_fields(state); }
static void test_fast_json_long_fields_avx512(void **state) { test_fast_json_long_fields(state); }

/* A header path of many segments (more nodes than 4 per column) builds:
 * the flattening tree's slot table is sized by segments (a fuzzer found
 * the tree hanging on a full table). */
static void test_deep_header_path(void **state)
{
    (void)state;
    chuanp_buf name;
    chuanp_buf_init(&name, 0);
    chuanp_buf_puts(&name, "a");
    for (int i = 0; i < 200; i++)
        chuanp_buf_puts(&name, ".k");
    const char *names[] = {name.data, "b"};
    chuanp_flat_tree *t = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_flat_tree_new(&t, names, 2, NULL, 0, "t.csv", &d), 0);
    size_t depth = 0;
    chuanp_flat_tree_path(t, 0, &depth);
    assert_int_equal(depth, 201);
    chuanp_flat_tree_free(t);
    chuan_diags_clear(&d);
    chuanp_buf_free(&name);
}

static int hint_lookup(void *ctx, const char *const *path, size_t depth, chuanp_hint *out)
{
    (void)ctx;
    memset(out, 0, sizeof *out);
    if (depth == 1 && strcmp(path[0], "SoTien") == 0) {
        out->known = 1;
        out->type = CHUANP_HINT_NUMBER;
    } else if (depth == 1 && strcmp(path[0], "Co") == 0) {
        out->known = 1;
        out->type = CHUANP_HINT_BOOLEAN;
    } else if (depth == 1 && strcmp(path[0], "Ds") == 0) {
        out->known = 1;
        out->is_array = 1;
        out->type = CHUANP_HINT_OBJECT;
    } else if (depth == 1 && strcmp(path[0], "Obj") == 0) {
        out->known = 1;
        out->type = CHUANP_HINT_OBJECT;
    }
    return 0;
}

static void test_reader_with_hints(void **state)
{
    (void)state;
    chuanp_convert_opts o = default_opts();
    chuanp_schema_hints h = {.lookup = hint_lookup};
    o.hints = &h;
    char *codes;
    char *got = convert_csv_to_ndjson("Ma,SoTien,Co,Ds,Obj\n007,1.50,true,[],{}\n008,,false,[],\n"
                                      "009,x1,maybe,[],{}\n",
                                      &o, &codes);
    assert_string_equal(got, "{\"Ma\":\"007\",\"SoTien\":1.50,\"Co\":true,\"Ds\":[],\"Obj\":{}}\n"
                             "{\"Ma\":\"008\",\"SoTien\":null,\"Co\":false,\"Ds\":[],\"Obj\":null}\n"
                             "{\"Ma\":\"009\",\"SoTien\":\"x1\",\"Co\":\"maybe\",\"Ds\":[],"
                             "\"Obj\":{}}\n");
    free(got);
    free(codes);
}

static char *write_records(const char *const *json, size_t n, int streaming, int literal,
                           char **codes)
{
    char *mem = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&mem, &len);
    chuanp_convert_opts o = default_opts();
    o.csv.no_flatten = literal;
    chuanp_writer *w = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_csv_writer_open(&w, f, &o, &d), 0);
    assert_int_equal(w->ops->begin(w, streaming), 0);
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    for (size_t i = 0; i < n; i++) {
        chuanp_record rec = {.value = parse(&a, json[i]), .index = (long)i + 1, .line = (long)i + 1};
        assert_true(w->ops->write(w, &rec, &d) >= 0);
    }
    assert_int_equal(w->ops->end(w), 0);
    w->ops->free(w);
    fclose(f);
    chuanp_buf c;
    chuanp_buf_init(&c, 0);
    for (size_t i = 0; i < d.count; i++)
        chuanp_buf_printf(&c, "%s@%ld ", d.items[i].code, d.items[i].line);
    *codes = steal(&c);
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
    return mem;
}

static void test_writer_records(void **state)
{
    (void)state;
    char *codes;
    const char *stream[] = {"{\"a\":\"0123\",\"b\":{\"c\":1.50,\"d\":[true,null]}}",
                            "{\"b\":{\"c\":2}}", "{\"a\":\"x\",\"z\":1}"};
    char *got = write_records(stream, 3, 1, 0, &codes);
    assert_string_equal(got, "a,b.c,b.d.0,b.d.1\r\n0123,1.50,true,\r\n,2,,\r\n");
    assert_string_equal(codes, "csv.new-column@3 ");
    free(got);
    free(codes);
    /* one JSON array: header is the union of every item's keys */
    const char *doc[] = {"[{\"a\":1},{\"b\":\"x,y\"},{\"a\":3,\"b\":\"\"}]"};
    got = write_records(doc, 1, 0, 0, &codes);
    assert_string_equal(got, "a,b\r\n1,\r\n,\"x,y\"\r\n3,\r\n");
    assert_string_equal(codes, "");
    free(got);
    free(codes);
    /* --no-flatten: nested values as JSON text */
    const char *lit[] = {"{\"k.1\":{\"x\":[1,\"a\"]},\"e\":{}}"};
    got = write_records(lit, 1, 1, 1, &codes);
    assert_string_equal(got, "k.1,e\r\n\"{\"\"x\"\":[1,\"\"a\"\"]}\",{}\r\n");
    free(got);
    free(codes);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4180_basics),
        cmocka_unit_test(test_quoted_newlines_keep_line_numbers),
        cmocka_unit_test(test_syntax_errors_and_recovery),
        cmocka_unit_test(test_invalid_utf8_position),
        cmocka_unit_test(test_sniffing),
        cmocka_unit_test(test_wide_row_and_huge_field),
        cmocka_unit_test(test_columns_count_characters),
        cmocka_unit_test(test_nfc_fast_path_is_sound),
        cmocka_unit_test(test_writer_quoting_guard_bom_nfc),
        cmocka_unit_test(test_flatten_roundtrip),
        cmocka_unit_test(test_flatten_header_conflicts),
        cmocka_unit_test(test_reader_records),
        cmocka_unit_test(test_reader_with_hints),
        cmocka_unit_test(test_reader_direct_json_matches_tree),
        cmocka_unit_test_prestate(test_fast_json_matches_scanner_sse2, NULL),
        cmocka_unit_test_prestate(test_fast_json_matches_scanner_avx512, (void *)1),
        cmocka_unit_test_prestate(test_fast_json_long_fields_sse2, NULL),
        cmocka_unit_test_prestate(test_fast_json_long_fields_avx512, (void *)1),
        cmocka_unit_test(test_deep_header_path),
        cmocka_unit_test(test_writer_records),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
