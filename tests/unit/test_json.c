/* Unit tests for converters/json*: reader positions, numbers, strings,
 * errors, UTF-8, duplicate keys, equality, writer, NDJSON, record adapters. */
#include "unit.h"

#include "../../converters/record.h"

#include <stdio.h>

typedef struct ctx {
    chuanp_arena arena;
    chuan_diags diags;
} ctx;

static int setup(void **state)
{
    ctx *c = calloc(1, sizeof *c);
    if (!c)
        return -1;
    chuanp_arena_init(&c->arena, 0);
    chuan_diags_init(&c->diags, 0);
    *state = c;
    return 0;
}

static int teardown(void **state)
{
    ctx *c = *state;
    chuanp_arena_free(&c->arena);
    chuan_diags_clear(&c->diags);
    free(c);
    return 0;
}

static chuanp_jv *parse_n(ctx *c, const char *s, size_t len, const chuanp_json_opts *o, int *rc)
{
    chuanp_jv *v = NULL;
    chuan_diags_clear(&c->diags);
    *rc = chuanp_json_parse(&v, s, len, o, &c->arena, &c->diags);
    return v;
}

static chuanp_jv *parse_ok(ctx *c, const char *s)
{
    int rc;
    chuanp_jv *v = parse_n(c, s, strlen(s), NULL, &rc);
    if (rc != 0 && c->diags.count)
        print_error("unexpected diagnostic for %s: %s\n", s, c->diags.items[0].message);
    assert_int_equal(rc, 0);
    assert_non_null(v);
    assert_int_equal(c->diags.count, 0);
    return v;
}

static char *write_str(const chuanp_jv *v, int indent, int ascii)
{
    chuanp_buf b;
    chuanp_json_write_opts o = {indent, ascii, 0};
    chuanp_buf_init(&b, 0);
    chuanp_json_write(&b, v, &o);
    assert_int_equal(b.err, 0);
    return chuanp_buf_steal(&b, NULL);
}

/* ------------------------------------------------------------ positions */

static void test_positions_values_and_keys(void **state)
{
    ctx *c = *state;
    const char *doc = "{\r\n\t\"tên\": \"Việt\",\r\n\t\"n\": [1, 2.50],\n  \"ệ\":{\"k\":true}}";
    chuanp_jv *v = parse_ok(c, doc);
    assert_int_equal(v->type, CHUANP_JOBJECT);
    assert_int_equal(v->line, 1);
    assert_int_equal(v->column, 1);
    assert_int_equal(v->offset, 0);
    assert_int_equal(v->u.obj.count, 3);

    const chuanp_jmember *m = &v->u.obj.members[0];
    assert_string_equal(m->key, "tên");
    assert_int_equal(m->key_line, 2);
    assert_int_equal(m->key_column, 2); /* after a tab */
    assert_int_equal(m->key_offset, 4);
    assert_int_equal(m->value->line, 2);
    assert_int_equal(m->value->column, 9); /* "tên" counts 3 characters */
    assert_int_equal(m->value->offset, 12);
    assert_string_equal(m->value->u.str.text, "Việt");

    m = &v->u.obj.members[1];
    assert_int_equal(m->key_line, 3);
    assert_int_equal(m->key_column, 2);
    assert_int_equal(m->key_offset, 24);
    chuanp_jv *arr = m->value;
    assert_int_equal(arr->column, 7);
    assert_int_equal(arr->offset, 29);
    assert_int_equal(chuanp_json_at(arr, 0)->column, 8);
    assert_int_equal(chuanp_json_at(arr, 0)->offset, 30);
    assert_int_equal(chuanp_json_at(arr, 1)->column, 11);
    assert_int_equal(chuanp_json_at(arr, 1)->offset, 33);
    assert_null(chuanp_json_at(arr, 2));

    m = &v->u.obj.members[2];
    assert_string_equal(m->key, "ệ");
    assert_int_equal(m->key_line, 4);
    assert_int_equal(m->key_column, 3);
    assert_int_equal(m->key_offset, 42);
    assert_int_equal(m->value->column, 7);
    assert_int_equal(m->value->offset, 48);
    const chuanp_jmember *k = &m->value->u.obj.members[0];
    assert_int_equal(k->key_column, 8);
    assert_int_equal(k->key_offset, 49);
    assert_int_equal(k->value->type, CHUANP_JTRUE);
    assert_int_equal(k->value->line, 4);
    assert_int_equal(k->value->column, 12);
    assert_int_equal(k->value->offset, 53);
}

static void test_positions_lone_cr_and_bases(void **state)
{
    ctx *c = *state;
    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    o.line_base = 99;
    o.offset_base = 1000;
    int rc;
    chuanp_jv *v = parse_n(c, "[1,\r2,\r\n  3]", 12, &o, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(v->line, 100);
    assert_int_equal(v->offset, 1000);
    chuanp_jv *two = chuanp_json_at(v, 1), *three = chuanp_json_at(v, 2);
    assert_int_equal(two->line, 101); /* a lone CR ends a line */
    assert_int_equal(two->column, 1);
    assert_int_equal(two->offset, 1004);
    assert_int_equal(three->line, 102);
    assert_int_equal(three->column, 3);
    assert_int_equal(three->offset, 1010);
}

static void test_positions_long_line_is_exact(void **state)
{
    ctx *c = *state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '[');
    for (int i = 0; i < 200000; i++)
        chuanp_buf_puts(&b, "\"ệ\",");
    chuanp_buf_puts(&b, "@]");
    assert_int_equal(b.err, 0);
    int rc;
    chuanp_jv *v = parse_n(c, b.data, b.len, NULL, &rc);
    assert_null(v);
    assert_int_equal(rc, 1);
    assert_int_equal(c->diags.count, 1);
    assert_int_equal(c->diags.items[0].line, 1);
    assert_int_equal(c->diags.items[0].column, 1 + 200000 * 4 + 1);
    assert_int_equal(c->diags.items[0].offset, 1 + 200000 * 6);
    assert_string_equal(c->diags.items[0].path, "/200000");
    chuanp_buf_free(&b);
}

static void test_bom(void **state)
{
    ctx *c = *state;
    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    int rc;
    chuanp_jv *v = parse_n(c, "\xEF\xBB\xBF[1]", 6, &o, &rc);
    assert_null(v);
    assert_int_equal(rc, 1);
    assert_string_equal(c->diags.items[0].code, "json.parse");
    assert_int_equal(c->diags.items[0].offset, 0);
    assert_non_null(strstr(c->diags.items[0].message, "byte order mark"));
    o.allow_bom = 1;
    v = parse_n(c, "\xEF\xBB\xBF[1]", 6, &o, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(v->column, 1); /* the BOM takes no column */
    assert_int_equal(v->offset, 3);
    v = parse_n(c, "\xEF\xBB\xBF[1,@]", 8, &o, &rc);
    assert_int_equal(rc, 1);
    assert_int_equal(c->diags.items[0].column, 4);
    assert_int_equal(c->diags.items[0].offset, 6);
}

/* -------------------------------------------------------------- numbers */

static void test_numbers_exact_text(void **state)
{
    ctx *c = *state;
    static const char *const nums[] = {
        "1.50", "-0", "1e400", "123456789012345678901234567890", "0.1e-7", "-0.0",
        "1E+2", "9007199254740993", "-123456789012345678901234567890.000", "0", "5e-324",
    };
    for (size_t i = 0; i < sizeof nums / sizeof *nums; i++) {
        char doc[128];
        snprintf(doc, sizeof doc, "[%s]", nums[i]);
        chuanp_jv *v = chuanp_json_at(parse_ok(c, doc), 0);
        assert_int_equal(v->type, CHUANP_JNUMBER);
        assert_string_equal(v->u.str.text, nums[i]);
        assert_int_equal(v->u.str.len, strlen(nums[i]));
        int is_int = !strpbrk(nums[i], ".eE");
        assert_int_equal(!!(v->flags & CHUANP_JNUM_INT), is_int);
    }
    chuanp_jv *v = parse_ok(c, " 42 ");
    assert_int_equal(v->type, CHUANP_JNUMBER);
    assert_int_equal(v->column, 2);
    assert_string_equal(v->u.str.text, "42");
}

static void test_number_validity(void **state)
{
    (void)state;
    assert_true(chuanp_json_num_valid("0", 1));
    assert_true(chuanp_json_num_valid("-0.5e-10", 8));
    assert_false(chuanp_json_num_valid("01", 2));
    assert_false(chuanp_json_num_valid("1.", 2));
    assert_false(chuanp_json_num_valid("+1", 2));
    assert_false(chuanp_json_num_valid("1e", 2));
    assert_false(chuanp_json_num_valid(".5", 2));
    assert_false(chuanp_json_num_valid("", 0));
    assert_false(chuanp_json_num_valid("1 ", 2));
    assert_false(chuanp_json_num_valid("NaN", 3));
}

typedef struct numcase {
    const char *a, *b;
    int sign;
} numcase;

static int sgn(int x)
{
    return x < 0 ? -1 : x > 0;
}

static void test_numcmp(void **state)
{
    (void)state;
    static const numcase cases[] = {
        {"1", "1.0", 0}, {"1", "1e0", 0}, {"1", "10e-1", 0}, {"0", "-0", 0},
        {"0.0e5", "0", 0}, {"-0.0", "0e-7", 0}, {"1.50", "1.5", 0}, {"2", "10", -1},
        {"10", "9.99", 1}, {"-1", "-2", 1}, {"-1", "1", -1}, {"1e400", "1e401", -1},
        {"1e400", "9e399", 1}, {"1e-400", "0", 1}, {"-1e-400", "0", -1},
        {"123456789012345678901234567890", "123456789012345678901234567891", -1},
        {"123456789012345678901234567890", "1.23456789012345678901234567890e29", 0},
        {"0.1e-7", "1e-8", 0}, {"100", "1e2", 0}, {"0.001", "1e-3", 0}, {"12.5e1", "125", 0},
        {"1E+2", "100", 0}, {"0.5", "0.49999999999999999999999999", 1},
        {"9007199254740993", "9007199254740992", 1}, {"-5", "-5.000000000000000000001", 1},
        {"1e00000000000000000000000000000000000000000000005", "100000", 0},
        {"1e99999999999999999999999999999999999999999", "1e99999999999999999999999999999999999999998", 1},
        {"10e99999999999999999999999999999999999999998", "1e99999999999999999999999999999999999999999", 0},
        {"1e-99999999999999999999999999999999999999999", "1e-99999999999999999999999999999999999999998", -1},
        {"1e99999999999999999999999999999999999999999", "1e400", 1},
        {"1e-99999999999999999999999999999999999999999", "1e-400", -1},
        {"-1e99999999999999999999999999999999999999999", "1", -1},
        {"-1e99999999999999999999999999999999999999999", "-1e400", -1},
        /* 10^38 vs 10^38 - 1 as exponents: the exact big-exponent path */
        {"1e100000000000000000000000000000000000000", "10e99999999999999999999999999999999999999", 0},
        {"1e100000000000000000000000000000000000000", "1e99999999999999999999999999999999999999", 1},
        {"1e100000000000000000000000000000000000000", "100e99999999999999999999999999999999999999", -1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const numcase *k = &cases[i];
        int r = sgn(chuanp_json_numcmp(k->a, strlen(k->a), k->b, strlen(k->b)));
        int s = sgn(chuanp_json_numcmp(k->b, strlen(k->b), k->a, strlen(k->a)));
        if (r != k->sign || s != -k->sign)
            fail_msg("numcmp(%s, %s) = %d / %d, expected %d", k->a, k->b, r, s, k->sign);
    }
}

static void test_num_is_integer(void **state)
{
    (void)state;
    static const struct { const char *t; int yes; } cases[] = {
        {"1", 1}, {"1.0", 1}, {"1e3", 1}, {"12.5e1", 1}, {"1.5", 0}, {"1e-1", 0}, {"0.0", 1},
        {"-0", 1}, {"1e400", 1}, {"1.25e1", 0}, {"100e-2", 1}, {"101e-2", 0}, {"0.5e1", 1},
        {"-7.000", 1}, {"1e-99999999999999999999999999999999999999999", 0},
        {"1e99999999999999999999999999999999999999999", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        if (chuanp_json_num_is_integer(cases[i].t, strlen(cases[i].t)) != cases[i].yes)
            fail_msg("num_is_integer(%s) != %d", cases[i].t, cases[i].yes);
}

/* -------------------------------------------------------------- strings */

static void test_strings_decoded(void **state)
{
    ctx *c = *state;
    chuanp_jv *v = parse_ok(c, "[\"a\\\"b\\\\c\\/d\\b\\f\\n\\r\\t\", \"\\u00e9\\u1EC7\", "
                               "\"\\ud83d\\ude00\", \"x\\u0000y\", \"\\ud800\", \"\\udc00\\ud800z\", "
                               "\"Nguyễn\", \"\"]");
    chuanp_jv *s = chuanp_json_at(v, 0);
    assert_int_equal(s->u.str.len, 12);
    assert_memory_equal(s->u.str.text, "a\"b\\c/d\b\f\n\r\t", 13);
    assert_int_equal(s->flags, 0);
    assert_string_equal(chuanp_json_at(v, 1)->u.str.text, "éệ");
    assert_string_equal(chuanp_json_at(v, 2)->u.str.text, "\xF0\x9F\x98\x80");
    s = chuanp_json_at(v, 3);
    assert_int_equal(s->u.str.len, 3);
    assert_memory_equal(s->u.str.text, "x\0y", 4);
    assert_true(s->flags & CHUANP_JSTR_NUL);
    s = chuanp_json_at(v, 4);
    assert_int_equal(s->u.str.len, 3);
    assert_memory_equal(s->u.str.text, "\xED\xA0\x80", 3); /* WTF-8 */
    assert_true(s->flags & CHUANP_JSTR_LONE_SURROGATE);
    s = chuanp_json_at(v, 5);
    assert_memory_equal(s->u.str.text, "\xED\xB0\x80\xED\xA0\x80z", 8);
    assert_true(s->flags & CHUANP_JSTR_LONE_SURROGATE);
    assert_string_equal(chuanp_json_at(v, 6)->u.str.text, "Nguyễn");
    assert_int_equal(chuanp_json_at(v, 7)->u.str.len, 0);
    /* keys are decoded too */
    v = parse_ok(c, "{\"\\u0041\\n\":1}");
    assert_string_equal(v->u.obj.members[0].key, "A\n");
    assert_non_null(chuanp_json_get(v, "A\n"));
}

/* --------------------------------------------------------------- errors */

typedef struct errcase {
    const char *input;
    size_t len; /* 0: strlen */
    const char *code;
    long line, column;
    long long offset;
    const char *message; /* substring */
    const char *path;    /* NULL: not checked */
} errcase;

static void check_errors(ctx *c, const errcase *cases, size_t n, const chuanp_json_opts *o)
{
    for (size_t i = 0; i < n; i++) {
        const errcase *k = &cases[i];
        size_t len = k->len ? k->len : strlen(k->input);
        int rc;
        chuanp_jv *v = parse_n(c, k->input, len, o, &rc);
        if (rc != 1 || v || c->diags.count != 1)
            fail_msg("case %zu (%s): rc %d, %zu diagnostics", i, k->input, rc, c->diags.count);
        const chuan_diag *d = &c->diags.items[0];
        if (strcmp(d->code, k->code) != 0 || d->line != k->line || d->column != k->column ||
            d->offset != k->offset || !strstr(d->message, k->message) ||
            (k->path && strcmp(d->path, k->path) != 0) || d->severity != CHUAN_SEV_ERROR)
            fail_msg("case %zu: got %s %ld:%ld +%lld \"%s\" path \"%s\"; expected %s %ld:%ld "
                     "+%lld \"%s\"",
                     i, d->code, d->line, d->column, d->offset, d->message, d->path, k->code,
                     k->line, k->column, k->offset, k->message);
    }
}

static void test_syntax_errors(void **state)
{
    ctx *c = *state;
    static const errcase cases[] = {
        {"{\"a\":1,}", 0, "json.parse", 1, 8, 7, "expected a string key after ','", ""},
        {"{\"a\":1 \"b\":2}", 0, "json.parse", 1, 8, 7,
         "expected ',' or '}' after object member", ""},
        {"[1 2]", 0, "json.parse", 1, 4, 3, "expected ',' or ']' after array element", ""},
        {"[1,2", 0, "json.parse", 1, 5, 4, "unexpected end of input", ""},
        {"{\"a\" 1}", 0, "json.parse", 1, 6, 5, "expected ':' after object key", NULL},
        {"\"abc", 0, "json.parse", 1, 1, 0, "unterminated string", ""},
        {"[\"ab\ncd\"]", 0, "json.parse", 1, 5, 4, "unterminated string (line break", "/0"},
        {"\"a\x01\"", 0, "json.parse", 1, 3, 2, "unescaped control character U+0001", ""},
        {"\"\\q\"", 0, "json.parse", 1, 2, 1, "invalid escape '\\q'", ""},
        {"\"\\u12G4\"", 0, "json.parse", 1, 2, 1, "invalid \\u escape", ""},
        {"\"\\u12\"", 0, "json.parse", 1, 2, 1, "invalid \\u escape", ""},
        {"01", 0, "json.parse", 1, 2, 1, "invalid number: leading zeros", ""},
        {"-01", 0, "json.parse", 1, 3, 2, "invalid number: leading zeros", ""},
        {"1.", 0, "json.parse", 1, 3, 2, "invalid number: expected a digit after '.'", ""},
        {"-", 0, "json.parse", 1, 2, 1, "invalid number: expected a digit after '-'", ""},
        {"1e+", 0, "json.parse", 1, 4, 3, "invalid number: expected a digit in the exponent", ""},
        {"[1.e5]", 0, "json.parse", 1, 4, 3, "invalid number: expected a digit after '.'", "/0"},
        {"+1", 0, "json.parse", 1, 1, 0, "unexpected character '+'", ""},
        {".5", 0, "json.parse", 1, 1, 0, "unexpected character '.'", ""},
        {"[1] x", 0, "json.parse", 1, 5, 4, "trailing characters after the JSON value", ""},
        {"{} {}", 0, "json.parse", 1, 4, 3, "trailing characters after the JSON value", ""},
        {"", 0, "json.parse", 1, 1, 0, "unexpected end of input", ""},
        {"   \n  ", 0, "json.parse", 2, 3, 6, "unexpected end of input", ""},
        {"tru", 0, "json.parse", 1, 4, 3, "unexpected end of input in literal 'true'", ""},
        {"[nul]", 0, "json.parse", 1, 2, 1, "invalid literal (expected 'null')", "/0"},
        {"[falsy]", 0, "json.parse", 1, 2, 1, "invalid literal (expected 'false')", "/0"},
        {"{\"a\":[1,{\"b\":x}]}", 0, "json.parse", 1, 14, 13, "unexpected character 'x'",
         "/a/1/b"},
        {"{\"a/b~\":{\"c\":[}}", 0, "json.parse", 1, 15, 14, "expected a JSON value",
         "/a~1b~0/c/0"},
        {"{1:2}", 0, "json.parse", 1, 2, 1, "expected a string key or '}' after '{'", ""},
        {"[\"ệệ\", @]", 0, "json.parse", 1, 8, 11, "unexpected character '@'", "/1"},
        {"[\r\n1,\r\n,]", 0, "json.parse", 3, 1, 7, "expected a JSON value", "/1"},
        {"[1,\r2,\r?]", 0, "json.parse", 3, 1, 7, "unexpected character '?'", NULL},
        {"\t\t@", 0, "json.parse", 1, 3, 2, "unexpected character '@'", ""},
        {"[\x01]", 0, "json.parse", 1, 2, 1, "unexpected control character U+0001", NULL},
        {"[é]", 0, "json.parse", 1, 2, 1, "unexpected character 'é' (U+00E9)", NULL},
        {"[1,]", 0, "json.parse", 1, 4, 3, "unexpected character ']' (expected a JSON value)",
         "/1"},
        {"{\"a\":}", 0, "json.parse", 1, 6, 5, "expected a JSON value", "/a"},
        {"[\"a\" : 1]", 0, "json.parse", 1, 6, 5, "expected ',' or ']' after array element", ""},
        {"nul\0", 4, "json.parse", 1, 1, 0, "invalid literal (expected 'null')", ""},
        {"[1]\0", 4, "json.parse", 1, 4, 3, "trailing characters", ""},
    };
    check_errors(c, cases, sizeof cases / sizeof *cases, NULL);
}

static void test_utf8_errors(void **state)
{
    ctx *c = *state;
    static const errcase cases[] = {
        {"\"\xC0\xAF\"", 0, "json.utf8", 1, 2, 1, "invalid UTF-8 byte 0xC0", ""}, /* overlong */
        {"\"\xE0\x80\xAF\"", 0, "json.utf8", 1, 2, 1, "0xE0", ""},              /* overlong */
        {"\"ab\xED\xA0\x80\"", 0, "json.utf8", 1, 4, 3, "0xED", ""},            /* surrogate */
        {"\"\xE1\xBA", 0, "json.utf8", 1, 2, 1, "0xE1", ""},        /* truncated at EOF */
        {"[\"x\xF0\x9F\x98", 0, "json.utf8", 1, 4, 3, "0xF0", "/0"}, /* truncated at EOF */
        {"\"\xF4\x90\x80\x80\"", 0, "json.utf8", 1, 2, 1, "0xF4", ""}, /* > U+10FFFF */
        {"\"\xF5\x80\x80\x80\"", 0, "json.utf8", 1, 2, 1, "0xF5", ""},
        {"\"\xFF\"", 0, "json.utf8", 1, 2, 1, "0xFF", ""},
        {"\"\x80\"", 0, "json.utf8", 1, 2, 1, "0x80", ""}, /* lone continuation */
        {"\"\xC3(\"", 0, "json.utf8", 1, 2, 1, "0xC3", ""}, /* bad continuation */
        {"\"ệ\xFF\"", 0, "json.utf8", 1, 3, 4, "0xFF", ""},
        {"[1,\x80]", 0, "json.utf8", 1, 4, 3, "0x80", "/1"}, /* outside strings */
        {"\"a\"\xFF", 0, "json.utf8", 1, 4, 3, "0xFF", ""},   /* trailing */
        {"{\"a\xFF\":1}", 0, "json.utf8", 1, 4, 3, "0xFF", ""}, /* in a key */
        {"\"\\\xC3\"", 0, "json.utf8", 1, 3, 2, "0xC3", ""},    /* after a backslash */
        {"{\"k\":1,\n \"\xE2\x82\"}", 0, "json.utf8", 2, 3, 10, "0xE2", NULL},
        {"[-\xC3]", 0, "json.utf8", 1, 3, 2, "0xC3", NULL}, /* inside a number */
    };
    check_errors(c, cases, sizeof cases / sizeof *cases, NULL);
    /* all valid forms pass */
    chuanp_jv *v = parse_ok(c, "[\"\xC2\x80\xDF\xBF\xE0\xA0\x80\xED\x9F\xBF\xEE\x80\x80"
                               "\xF0\x90\x80\x80\xF4\x8F\xBF\xBF\xEF\xBF\xBF\"]");
    assert_int_equal(chuanp_json_at(v, 0)->u.str.len, 24);
}

static void test_depth_limit(void **state)
{
    ctx *c = *state;
    char buf[2 * 513 + 1];
    for (int i = 0; i < 512; i++) {
        buf[i] = '[';
        buf[512 + i] = ']';
    }
    int rc;
    chuanp_jv *v = parse_n(c, buf, 1024, NULL, &rc);
    assert_int_equal(rc, 0);
    assert_non_null(v);
    for (int i = 0; i < 513; i++) {
        buf[i] = '[';
        buf[513 + i] = ']';
    }
    v = parse_n(c, buf, 1026, NULL, &rc);
    assert_int_equal(rc, 1);
    assert_null(v);
    assert_string_equal(c->diags.items[0].code, "json.depth");
    assert_int_equal(c->diags.items[0].column, 513);
    assert_int_equal(c->diags.items[0].offset, 512);
    assert_non_null(strstr(c->diags.items[0].message, "limit of 512"));

    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    o.max_depth = 3;
    static const errcase deep[] = {
        {"{\"a\":[{\"b\":[1]}]}", 0, "json.depth", 1, 12, 11, "limit of 3", "/a/0/b"},
    };
    check_errors(c, deep, 1, &o);
    v = parse_n(c, "[[[1]]]", 7, &o, &rc);
    assert_int_equal(rc, 0);
    /* far deeper than the limit: no recursion, clean error */
    size_t n = 1000000;
    char *big = malloc(n);
    assert_non_null(big);
    memset(big, '[', n);
    v = parse_n(c, big, n, NULL, &rc);
    assert_int_equal(rc, 1);
    assert_string_equal(c->diags.items[0].code, "json.depth");
    o.max_depth = (size_t)-1; /* clamped to CHUANP_JSON_MAX_DEPTH */
    v = parse_n(c, big, n, &o, &rc);
    assert_int_equal(rc, 1);
    assert_int_equal(c->diags.items[0].offset, CHUANP_JSON_MAX_DEPTH);
    free(big);
}

static void test_arena_limit_is_an_input_error(void **state)
{
    ctx *c = *state;
    chuanp_arena small;
    chuanp_arena_init(&small, 4096);
    small.limit = 16384;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '[');
    for (int i = 0; i < 5000; i++)
        chuanp_buf_puts(&b, "\"Nguyễn Văn An\",");
    chuanp_buf_puts(&b, "0]");
    chuanp_jv *v = NULL;
    chuan_diags_clear(&c->diags);
    int rc = chuanp_json_parse(&v, b.data, b.len, NULL, &small, &c->diags);
    assert_int_equal(rc, 1);
    assert_null(v);
    assert_int_equal(c->diags.count, 1);
    assert_string_equal(c->diags.items[0].code, "json.limit");
    assert_non_null(strstr(c->diags.items[0].message, "limit of 16384 bytes"));
    chuanp_arena_reset(&small);
    v = NULL;
    rc = chuanp_json_parse(&v, "[1,2,3]", 7, NULL, &small, &c->diags);
    assert_int_equal(rc, 0);
    chuanp_arena_free(&small);
    chuanp_buf_free(&b);
}

/* ------------------------------------------------------- duplicate keys */

static void test_duplicate_keys(void **state)
{
    ctx *c = *state;
    int rc;
    const char *doc = "{\"a\":1,\"b\":2,\n \"a\":3}";
    chuanp_jv *v = parse_n(c, doc, strlen(doc), NULL, &rc);
    assert_int_equal(rc, 1);
    assert_non_null(v); /* the tree is kept, members in order */
    assert_int_equal(v->u.obj.count, 3);
    assert_string_equal(chuanp_json_get(v, "a")->u.str.text, "3"); /* last wins */
    assert_int_equal(c->diags.count, 1);
    const chuan_diag *d = &c->diags.items[0];
    assert_string_equal(d->code, "json.duplicate-key");
    assert_int_equal(d->severity, CHUAN_SEV_ERROR);
    assert_int_equal(d->line, 2);
    assert_int_equal(d->column, 2);
    assert_int_equal(d->offset, 15);
    assert_string_equal(d->path, "/a");
    assert_string_equal(d->message, "duplicate key \"a\" (first occurrence at 1:2)");

    /* nested, escaped spelling of the same key, a third occurrence */
    doc = "{\"x\":[{\"q\":1,\"\\u0071\":2,\"q\":3}]}";
    v = parse_n(c, doc, strlen(doc), NULL, &rc);
    assert_int_equal(rc, 1);
    assert_int_equal(c->diags.count, 2);
    assert_string_equal(c->diags.items[0].path, "/x/0/q");
    assert_int_equal(c->diags.items[0].column, 14);
    assert_int_equal(c->diags.items[1].column, 25);
    assert_non_null(strstr(c->diags.items[1].message, "first occurrence at 1:8"));

    /* keys that differ after an embedded NUL are distinct */
    parse_ok(c, "{\"a\\u0000b\":1,\"a\\u0000c\":2,\"a\":3}");

    /* large object: hashed, duplicate found at the end */
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '{');
    for (int i = 0; i < 1000; i++)
        chuanp_buf_printf(&b, "\"k%d\":%d,", i, i);
    size_t dup_at = b.len;
    chuanp_buf_puts(&b, "\"k777\":0}");
    v = parse_n(c, b.data, b.len, NULL, &rc);
    assert_int_equal(rc, 1);
    assert_int_equal(c->diags.count, 1);
    assert_int_equal(c->diags.items[0].offset, (long long)dup_at);
    assert_string_equal(c->diags.items[0].path, "/k777");
    char first[64];
    const char *f = strstr(b.data, "\"k777\"");
    snprintf(first, sizeof first, "first occurrence at 1:%ld", (long)(f - b.data) + 1);
    assert_non_null(strstr(c->diags.items[0].message, first));
    /* no false positives in a big object */
    b.data[dup_at + 3] = 'x';
    parse_ok(c, b.data);
    chuanp_buf_free(&b);

    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    o.allow_duplicates = 1;
    v = parse_n(c, "{\"a\":1,\"a\":2}", 13, &o, &rc);
    assert_int_equal(rc, 0);
    assert_int_equal(c->diags.count, 0);
    assert_int_equal(v->u.obj.count, 2);
}

static void test_trailing_allowed(void **state)
{
    ctx *c = *state;
    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    o.allow_trailing = 1;
    chuanp_jv *v = NULL;
    chuan_diags_clear(&c->diags);
    int rc = chuanp_json_parse(&v, "{\"a\":1}  {\"b\":2}", 16, &o, &c->arena, &c->diags);
    assert_int_equal(rc, 0);
    assert_non_null(chuanp_json_get(v, "a"));
    assert_null(chuanp_json_get(v, "b"));
    rc = chuanp_json_parse(&v, "12x", 3, &o, &c->arena, &c->diags);
    assert_int_equal(rc, 0);
    assert_int_equal(v->type, CHUANP_JNUMBER);
    assert_int_equal(v->u.str.len, 2);
    /* no diagnostics list, no options: errors still count */
    assert_int_equal(chuanp_json_parse(&v, "[1,", 3, NULL, &c->arena, NULL), 1);
    assert_null(v);
    assert_int_equal(chuanp_json_parse(&v, "{\"a\":1,\"a\":1}", 13, NULL, &c->arena, NULL), 1);
    assert_non_null(v);
    assert_int_equal(chuanp_json_parse(&v, "[1]", 3, NULL, &c->arena, NULL), 0);
}

/* -------------------------------------------------------------- equality */

static int equal_docs(ctx *c, const char *a, const char *b)
{
    chuanp_jv *x = parse_ok(c, a);
    chuanp_jv *y = parse_ok(c, b);
    int e1 = chuanp_json_equal(x, y), e2 = chuanp_json_equal(y, x);
    assert_int_equal(e1, e2);
    return e1;
}

static void test_equality(void **state)
{
    ctx *c = *state;
    assert_true(equal_docs(c, "1", "1.0"));
    assert_true(equal_docs(c, "1", "1e0"));
    assert_true(equal_docs(c, "1", "10e-1"));
    assert_true(equal_docs(c, "0", "-0.0"));
    assert_false(equal_docs(c, "1", "\"1\""));
    assert_false(equal_docs(c, "true", "1"));
    assert_false(equal_docs(c, "null", "false"));
    assert_true(equal_docs(c, "{\"a\":1,\"b\":[1,2]}", "{\"b\":[1.0,2e0],\"a\":1}"));
    assert_false(equal_docs(c, "[1,2]", "[2,1]"));
    assert_false(equal_docs(c, "[1]", "[1,1]"));
    assert_false(equal_docs(c, "{\"a\":1}", "{\"a\":1,\"b\":1}"));
    assert_false(equal_docs(c, "{\"a\":1}", "{\"b\":1}"));
    assert_true(equal_docs(c, "{}", "{}"));
    assert_true(equal_docs(c, "\"a\\u0000b\"", "\"a\\u0000b\""));
    assert_false(equal_docs(c, "\"a\\u0000b\"", "\"a\\u0000c\""));
    assert_true(equal_docs(c, "\"\\u00e9\"", "\"é\""));
    assert_false(equal_docs(c, "\"e\\u0301\"", "\"é\"")); /* no normalisation */
    /* duplicate keys: the last member counts */
    chuanp_json_opts o;
    memset(&o, 0, sizeof o);
    o.allow_duplicates = 1;
    int rc;
    chuanp_jv *x = parse_n(c, "{\"a\":1,\"a\":2}", 13, &o, &rc);
    chuanp_jv *y = parse_ok(c, "{\"a\":2}");
    assert_true(chuanp_json_equal(x, y));
    /* big objects in a different order (sorted path) */
    chuanp_buf a, b;
    chuanp_buf_init(&a, 0);
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&a, '{');
    chuanp_buf_putc(&b, '{');
    for (int i = 0; i < 50; i++) {
        chuanp_buf_printf(&a, "%s\"k%d\":[%d,{\"x\":\"%d\"}]", i ? "," : "", i, i, i);
        chuanp_buf_printf(&b, "%s\"k%d\":[%d.0,{\"x\":\"%d\"}]", i ? "," : "", 49 - i, 49 - i,
                          49 - i);
    }
    chuanp_buf_putc(&a, '}');
    chuanp_buf_putc(&b, '}');
    x = parse_ok(c, a.data);
    y = parse_ok(c, b.data);
    assert_true(chuanp_json_equal(x, y));
    y->u.obj.members[10].value->u.arr.items[1]->u.obj.members[0].value->u.str.text = "?";
    y->u.obj.members[10].value->u.arr.items[1]->u.obj.members[0].value->u.str.len = 1;
    assert_false(chuanp_json_equal(x, y));
    chuanp_buf_free(&a);
    chuanp_buf_free(&b);
    assert_false(chuanp_json_equal(NULL, x));
    assert_true(chuanp_json_equal(NULL, NULL));
}

/* ---------------------------------------------------------- constructors */

static void test_constructors(void **state)
{
    ctx *c = *state;
    chuanp_arena *a = &c->arena;
    chuanp_jv *obj = chuanp_jv_new(a, CHUANP_JOBJECT);
    chuanp_jv *arr = chuanp_jv_new(a, CHUANP_JARRAY);
    assert_non_null(obj);
    for (int i = 0; i < 100; i++) {
        char t[16];
        int n = snprintf(t, sizeof t, "%d", i);
        assert_int_equal(chuanp_jv_push(a, arr, chuanp_jv_number(a, t, (size_t)n)), 0);
    }
    assert_int_equal(arr->u.arr.count, 100);
    assert_string_equal(chuanp_json_at(arr, 99)->u.str.text, "99");
    assert_int_equal(chuanp_jv_set(a, obj, "list", 4, arr), 0);
    assert_int_equal(chuanp_jv_set(a, obj, "s", 1, chuanp_jv_string(a, "x\0y", 3)), 0);
    assert_int_equal(chuanp_jv_set(a, obj, "b", 1, chuanp_jv_bool(a, 1)), 0);
    assert_int_equal(chuanp_jv_set(a, obj, "s", 1, chuanp_jv_new(a, CHUANP_JNULL)), 0);
    assert_int_equal(obj->u.obj.count, 3); /* "s" replaced */
    assert_int_equal(chuanp_json_get(obj, "s")->type, CHUANP_JNULL);
    assert_null(chuanp_jv_number(a, "01", 2));
    assert_null(chuanp_jv_number(a, "1e", 2));
    chuanp_jv *n = chuanp_jv_number(a, "1.50", 4);
    assert_int_equal(n->flags, 0);
    assert_int_equal(chuanp_jv_number(a, "150", 3)->flags, CHUANP_JNUM_INT);
    chuanp_jv *s = chuanp_jv_string(a, "x\0y", 3);
    assert_true(s->flags & CHUANP_JSTR_NUL);
    s = chuanp_jv_string(a, "\xED\xA0\x80", 3);
    assert_true(s->flags & CHUANP_JSTR_LONE_SURROGATE);
    assert_int_equal(chuanp_jv_push(a, obj, n), -1); /* wrong type */
    assert_int_equal(chuanp_jv_set(a, arr, "k", 1, n), -1);
    char *out = write_str(obj, 0, 0);
    assert_string_equal(out, "{\"list\":[0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,"
                             "21,22,23,24,25,26,27,28,29,30,31,32,33,34,35,36,37,38,39,40,41,"
                             "42,43,44,45,46,47,48,49,50,51,52,53,54,55,56,57,58,59,60,61,62,"
                             "63,64,65,66,67,68,69,70,71,72,73,74,75,76,77,78,79,80,81,82,83,"
                             "84,85,86,87,88,89,90,91,92,93,94,95,96,97,98,99],\"s\":null,"
                             "\"b\":true}");
    free(out);
    /* growing a parsed (exact-size) container copies it first */
    chuanp_jv *p = parse_ok(c, "{\"a\":[1,2,3],\"b\":{}}");
    chuanp_jv *pa = chuanp_json_get(p, "a");
    for (int i = 0; i < 10; i++)
        assert_int_equal(chuanp_jv_push(a, pa, chuanp_jv_number(a, "7", 1)), 0);
    assert_int_equal(chuanp_jv_set(a, p, "c", 1, chuanp_jv_string(a, "z", 1)), 0);
    assert_int_equal(chuanp_jv_set(a, chuanp_json_get(p, "b"), "d", 1, chuanp_jv_bool(a, 0)), 0);
    out = write_str(p, 0, 0);
    assert_string_equal(out, "{\"a\":[1,2,3,7,7,7,7,7,7,7,7,7,7],\"b\":{\"d\":false},\"c\":\"z\"}");
    free(out);
    assert_string_equal(chuanp_jtype_name(CHUANP_JTRUE), "boolean");
    assert_string_equal(chuanp_jtype_name(CHUANP_JOBJECT), "object");
}

/* ---------------------------------------------------------------- writer */

static void test_writer_round_trip(void **state)
{
    ctx *c = *state;
    static const char *const docs[] = {
        "{\"a\":[1,2.50,-0,1e400,\"x\\\"y\\\\z\\n\\t\\u0001\\u001f\"],\"b\":{\"c\":null,\"d\":true,"
        "\"e\":false},\"ệ\":\"😀\",\"s\":\"\\ud800\",\"t\":\"a\\udc00b\",\"/\":\"/\\b\\f\\r\"}",
        "[]", "{}", "[[],{},[{}]]", "\"\"", "0", "-1.5E+10", "null",
        "[123456789012345678901234567890,0.1e-7]", "\"\\u0000\x7f\"",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        chuanp_jv *v = parse_ok(c, docs[i]);
        char *out = write_str(v, 0, 0);
        assert_string_equal(out, docs[i]);
        chuanp_jv *w = parse_ok(c, out);
        assert_true(chuanp_json_equal(v, w));
        char *pretty = write_str(v, 4, 0);
        chuanp_jv *p = parse_ok(c, pretty);
        assert_true(chuanp_json_equal(v, p));
        char *again = write_str(p, 0, 0);
        assert_string_equal(again, docs[i]);
        free(out);
        free(pretty);
        free(again);
    }
    /* non-minimal escapes become minimal */
    chuanp_jv *v = parse_ok(c, "[\"\\u0041\\/\\u00e9\", 1 , true]");
    char *out = write_str(v, 0, 0);
    assert_string_equal(out, "[\"A/é\",1,true]");
    free(out);
}

static void test_writer_indent_and_ascii(void **state)
{
    ctx *c = *state;
    chuanp_jv *v = parse_ok(c, "{\"a\":[1,{}],\"b\":[],\"c\":{\"d\":\"é\"}}");
    char *out = write_str(v, 2, 0);
    assert_string_equal(out, "{\n  \"a\": [\n    1,\n    {}\n  ],\n  \"b\": [],\n  \"c\": {\n"
                             "    \"d\": \"é\"\n  }\n}");
    free(out);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_json_write_opts o = {2, 0, 1};
    chuanp_json_write(&b, chuanp_json_get(v, "c"), &o);
    assert_string_equal(b.data, "{\n    \"d\": \"é\"\n  }");
    chuanp_buf_free(&b);
    v = parse_ok(c, "[\"é😀\u2028ệ\", \"\\ud800\"]");
    out = write_str(v, 0, 1);
    assert_string_equal(out, "[\"\\u00e9\\ud83d\\ude00\\u2028\\u1ec7\",\"\\ud800\"]");
    chuanp_jv *w = parse_ok(c, out);
    assert_true(chuanp_json_equal(v, w));
    free(out);
    chuanp_buf_init(&b, 0);
    chuanp_json_write_string(&b, "a\"\x1b", 3, 0);
    assert_string_equal(b.data, "\"a\\\"\\u001b\"");
    chuanp_buf_free(&b);
}

/* ---------------------------------------------------------------- NDJSON */

static FILE *mem_file(const char *s, size_t len)
{
    FILE *f = fmemopen((void *)s, len, "rb");
    assert_non_null(f);
    return f;
}

static void test_ndjson_bad_lines_continue(void **state)
{
    ctx *c = *state;
    static const char data[] = "{\"a\":1}\n\n  \n{bad}\r\n[1,2]\r\n\"\xff\"\n{\"x\":1,\"x\":2}\n3";
    FILE *f = mem_file(data, sizeof data - 1);
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, "in.ndjson", NULL);
    assert_non_null(r);
    chuan_diags_clear(&c->diags);
    chuanp_jv *v;
    long line;
    size_t len;
    long long off;
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(line, 1);
    assert_non_null(chuanp_json_get(v, "a"));
    const char *raw = chuanp_ndjson_raw(r, &len, &off);
    assert_int_equal(len, 7);
    assert_memory_equal(raw, "{\"a\":1}", 7);
    assert_int_equal(off, 0);

    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2);
    assert_int_equal(line, 4);
    assert_null(v);
    assert_int_equal(c->diags.count, 1);
    assert_string_equal(c->diags.items[0].file, "in.ndjson");
    assert_int_equal(c->diags.items[0].line, 4);
    assert_int_equal(c->diags.items[0].column, 2);
    assert_int_equal(c->diags.items[0].offset, 13);

    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(line, 5);
    assert_int_equal(v->line, 5);
    assert_int_equal(v->offset, 19);
    assert_int_equal(chuanp_json_at(v, 1)->column, 4);
    raw = chuanp_ndjson_raw(r, &len, &off);
    assert_int_equal(len, 5); /* CR dropped */
    assert_int_equal(off, 19);

    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2);
    assert_int_equal(line, 6);
    assert_string_equal(c->diags.items[1].code, "json.utf8");
    assert_int_equal(c->diags.items[1].line, 6);
    assert_int_equal(c->diags.items[1].column, 2);
    assert_int_equal(c->diags.items[1].offset, 27);

    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2);
    assert_int_equal(line, 7);
    assert_string_equal(c->diags.items[2].code, "json.duplicate-key");
    assert_int_equal(c->diags.items[2].line, 7);
    assert_int_equal(c->diags.items[2].column, 8);

    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(line, 8);
    assert_string_equal(v->u.str.text, "3");
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 0);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 0);
    assert_int_equal(c->diags.count, 3);
    chuanp_ndjson_reader_free(r);
    fclose(f);
}

static void test_ndjson_bom_and_long_lines(void **state)
{
    ctx *c = *state;
    static const char data[] = "\xEF\xBB\xBF[1]\n{\"a\":\"0123456789\"}\n[2]\n\"0123456789ab\"";
    FILE *f = mem_file(data, sizeof data - 1);
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, "x", NULL);
    chuanp_ndjson_set_max_line(r, 12);
    chuan_diags_clear(&c->diags);
    chuanp_jv *v;
    long line;
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(v->column, 1);
    assert_int_equal(v->offset, 3);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2);
    assert_int_equal(line, 2);
    assert_string_equal(c->diags.items[0].code, "json.line-too-long");
    assert_int_equal(c->diags.items[0].line, 2);
    assert_int_equal(c->diags.items[0].offset, 7);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(line, 3);
    assert_string_equal(chuanp_json_at(v, 0)->u.str.text, "2");
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2); /* no LF */
    assert_int_equal(line, 4);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 0);
    chuanp_ndjson_reader_free(r);
    fclose(f);
}

static void test_ndjson_long_lines_across_chunks(void **state)
{
    ctx *c = *state;
    /* lines bigger than the read chunk, and a too-long one spanning reads */
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "[\"");
    for (int i = 0; i < 300000; i++)
        chuanp_buf_putc(&b, (char)('a' + i % 26));
    chuanp_buf_puts(&b, "\"]\n[\"");
    for (int i = 0; i < 700000; i++)
        chuanp_buf_putc(&b, 'z');
    chuanp_buf_puts(&b, "\"]\n{}\n");
    FILE *f = mem_file(b.data, b.len);
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, "x", NULL);
    chuanp_ndjson_set_max_line(r, 500000);
    chuan_diags_clear(&c->diags);
    chuanp_jv *v;
    long line;
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(chuanp_json_at(v, 0)->u.str.len, 300000);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 2);
    assert_int_equal(c->diags.items[0].offset, 300005);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 1);
    assert_int_equal(line, 3);
    assert_int_equal(v->type, CHUANP_JOBJECT);
    assert_int_equal(v->offset, 300005 + 700005);
    assert_int_equal(chuanp_ndjson_next(r, &c->arena, &v, &line, &c->diags), 0);
    chuanp_ndjson_reader_free(r);
    fclose(f);
    chuanp_buf_free(&b);
}

/* --------------------------------------------------------------- records */

static char *run_pipeline(ctx *c, const char *input, int from_nd, int to_nd, int indent, int *bad)
{
    FILE *in = mem_file(input, strlen(input));
    char *outbuf = NULL;
    size_t outlen = 0;
    FILE *out = open_memstream(&outbuf, &outlen);
    assert_non_null(out);
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.file = "in";
    o.indent = indent;
    chuanp_reader *r;
    chuanp_writer *w;
    chuan_diags_clear(&c->diags);
    assert_int_equal(from_nd ? chuanp_ndjson_reader_open(&r, in, &o, &c->diags)
                             : chuanp_json_reader_open(&r, in, &o, &c->diags), 0);
    assert_int_equal(to_nd ? chuanp_ndjson_writer_open(&w, out, &o, &c->diags)
                           : chuanp_json_writer_open(&w, out, &o, &c->diags), 0);
    assert_int_equal(w->ops->begin(w, r->streaming), 0);
    chuanp_record rec;
    int rc;
    long expect_index = 1;
    *bad = 0;
    while ((rc = r->ops->next(r, &c->arena, &rec, &c->diags)) > 0) {
        if (rc == 2) {
            (*bad)++;
            expect_index++;
            continue;
        }
        assert_int_equal(rec.index, expect_index++);
        if (from_nd) {
            assert_non_null(rec.raw);
            assert_int_equal(rec.raw_len, strlen(rec.raw));
        }
        assert_int_equal(w->ops->write(w, &rec, &c->diags), 0);
        chuanp_arena_reset(&c->arena);
    }
    assert_int_equal(rc, 0);
    assert_int_equal(w->ops->end(w), 0);
    r->ops->free(r);
    w->ops->free(w);
    fclose(in);
    fclose(out);
    return outbuf;
}

static void test_record_adapters(void **state)
{
    ctx *c = *state;
    int bad;
    char *out = run_pipeline(c, "{\"a\":1}\n\n[2]\nbad\n\"s\"\n", 1, 0, 0, &bad);
    assert_string_equal(out, "[\n{\"a\":1},\n[2],\n\"s\"\n]\n");
    assert_int_equal(bad, 1);
    assert_int_equal(c->diags.items[0].line, 4);
    free(out);
    out = run_pipeline(c, "{\"a\":1}\n[2]\n", 1, 0, 2, &bad);
    assert_string_equal(out, "[\n  {\n    \"a\": 1\n  },\n  [\n    2\n  ]\n]\n");
    free(out);
    out = run_pipeline(c, "\n\n", 1, 0, 0, &bad);
    assert_string_equal(out, "[]\n");
    free(out);
    out = run_pipeline(c, "{\"a\" : 1.50}\n[ 2 ]\n", 1, 1, 0, &bad);
    assert_string_equal(out, "{\"a\":1.50}\n[2]\n");
    free(out);
    /* a JSON document: one record; an array becomes NDJSON lines */
    out = run_pipeline(c, "\xEF\xBB\xBF[{\"a\":1}, 2, [3]]\n", 0, 1, 0, &bad);
    assert_string_equal(out, "{\"a\":1}\n2\n[3]\n");
    free(out);
    out = run_pipeline(c, "{\"a\": {\"b\": 1e400}}", 0, 0, 2, &bad);
    assert_string_equal(out, "{\n  \"a\": {\n    \"b\": 1e400\n  }\n}\n");
    free(out);
    out = run_pipeline(c, "{\"a\": 1", 0, 0, 0, &bad);
    assert_string_equal(out, "");
    assert_int_equal(bad, 1);
    assert_string_equal(c->diags.items[0].code, "json.parse");
    assert_string_equal(c->diags.items[0].file, "in");
    free(out);
}

static void test_writer_reports_write_errors(void **state)
{
    ctx *c = *state;
    FILE *full = fopen("/dev/full", "w");
    if (!full)
        skip();
    chuanp_writer *w;
    chuan_diags_clear(&c->diags);
    assert_int_equal(chuanp_ndjson_writer_open(&w, full, NULL, &c->diags), 0);
    assert_int_equal(w->ops->begin(w, 1), 0);
    chuanp_record rec;
    memset(&rec, 0, sizeof rec);
    rec.value = parse_ok(c, "[1]");
    int rc = 0;
    for (int i = 0; i < 20000 && rc == 0; i++) /* enough to pass the buffers */
        rc = w->ops->write(w, &rec, &c->diags);
    assert_true(rc < 0);
    assert_string_equal(c->diags.items[0].code, "io.write");
    assert_true(w->ops->end(w) < 0);
    w->ops->free(w);
    fclose(full);
}

/* A string node bigger than the next slab step (a 3,000-byte string after a
 * container opened the first 1 KiB slab) got a slab too small for it; the
 * slab's free count wrapped and later nodes were written past the arena
 * block (segfault of `chuan validate` on a 180 KB array of such strings). */
static void test_big_string_after_small_slab(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '[');
    for (int i = 0; i < 60; i++) {
        chuanp_buf_printf(&b, "%s\"%c", i ? "," : "", 'a' + i % 26);
        for (int k = 0; k < 3000; k++)
            chuanp_buf_putc(&b, (char)('a' + (i + k) % 26));
        chuanp_buf_putc(&b, '"');
    }
    chuanp_buf_putc(&b, ']');
    assert_int_equal(b.err, 0);
    chuanp_arena a;
    chuanp_arena_init(&a, 64 * 1024); /* the converter's record arena */
    chuanp_jv *v = NULL;
    assert_int_equal(chuanp_json_parse(&v, b.data, b.len, NULL, &a, NULL), 0);
    assert_int_equal(v->type, CHUANP_JARRAY);
    assert_int_equal(v->u.arr.count, 60);
    for (size_t i = 0; i < 60; i++) {
        const chuanp_jv *e = v->u.arr.items[i];
        assert_int_equal(e->type, CHUANP_JSTRING);
        assert_int_equal(e->u.str.len, 3001);
        assert_int_equal(e->u.str.text[0], 'a' + (int)i % 26);
        for (size_t k = 0; k < 3000; k++)
            if (e->u.str.text[k + 1] != (char)('a' + (i + k) % 26))
                fail_msg("string %zu corrupted at %zu", i, k);
    }
    chuanp_arena_free(&a);
    chuanp_buf_free(&b);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_positions_values_and_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions_lone_cr_and_bases, setup, teardown),
        cmocka_unit_test_setup_teardown(test_positions_long_line_is_exact, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bom, setup, teardown),
        cmocka_unit_test_setup_teardown(test_numbers_exact_text, setup, teardown),
        cmocka_unit_test(test_number_validity),
        cmocka_unit_test(test_numcmp),
        cmocka_unit_test(test_num_is_integer),
        cmocka_unit_test(test_big_string_after_small_slab),
        cmocka_unit_test_setup_teardown(test_strings_decoded, setup, teardown),
        cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_utf8_errors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_depth_limit, setup, teardown),
        cmocka_unit_test_setup_teardown(test_arena_limit_is_an_input_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_duplicate_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_trailing_allowed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_equality, setup, teardown),
        cmocka_unit_test_setup_teardown(test_constructors, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_indent_and_ascii, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_bad_lines_continue, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_bom_and_long_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ndjson_long_lines_across_chunks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_record_adapters, setup, teardown),
        cmocka_unit_test_setup_teardown(test_writer_reports_write_errors, setup, teardown),
    };
    return cmocka_run_group_tests_name("json", tests, NULL, NULL);
}
