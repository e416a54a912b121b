/* Unit tests for the JSON Schema engine: positions, exact numbers, NDJSON line
 * numbers, messages, rule/message keywords, extension keywords, hostile
 * patterns, self-referencing schemas, references to files and --ref, hints. */
#include "unit.h"

#include "../../converters/json.h"
#include "../../validator/jsonschema.h"
#include "../../validator/jsonschema_int.h"

#include <time.h>
#include <unistd.h>

/* Compile schema text (fails the test when it does not compile). */
static chuanp_jsonschema *compile(const char *schema, const chuanp_jsonschema_opts *o)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_jsonschema *s = NULL;
    int rc = chuanp_jsonschema_compile_mem(&s, schema, strlen(schema), NULL, o, &d);
    if (rc != 0)
        for (size_t i = 0; i < d.count; i++)
            fprintf(stderr, "schema: %s\n", d.items[i].message);
    assert_int_equal(rc, 0);
    chuan_diags_clear(&d);
    return s;
}

/* Validate instance text; diagnostics go to *d. Returns the result. */
static int check(const chuanp_jsonschema *s, const char *instance, chuan_diags *d)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *v = NULL;
    assert_int_equal(chuanp_json_parse(&v, instance, strlen(instance), NULL, &a, d), 0);
    chuanp_jsonschema_vstate *st = chuanp_jsonschema_vstate_new(s);
    assert_non_null(st);
    int r = chuanp_jsonschema_validate(s, st, v, "in.json", d);
    chuanp_jsonschema_vstate_free(st);
    chuanp_arena_free(&a);
    return r;
}

static int valid(const char *schema, const char *instance)
{
    chuanp_jsonschema *s = compile(schema, NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int r = check(s, instance, &d);
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
    assert_true(r >= 0);
    return r == 0;
}

static void test_positions_and_locations(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"$defs\":{\"n\":{\"type\":\"integer\"}},"
        "\"properties\":{\"a\":{\"$ref\":\"#/$defs/n\"},\"b\":{\"items\":{\"maxLength\":2}}}}",
        NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\n  \"a\": \"x\",\n  \"b\": [\"ok\",\n        \"toolong\"]\n}", &d), 1);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.items[0].code, "jsonschema.type");
    assert_int_equal(d.items[0].line, 2);
    assert_int_equal(d.items[0].column, 8);
    assert_string_equal(d.items[0].path, "/a");
    assert_string_equal(d.items[0].keyword_location, "/properties/a/$ref/type");
    assert_string_equal(d.items[0].schema_location, "urn:chuan:schema#/$defs/n/type");
    assert_string_equal(d.items[1].code, "jsonschema.maxLength");
    assert_int_equal(d.items[1].line, 4);
    assert_int_equal(d.items[1].column, 9);
    assert_string_equal(d.items[1].path, "/b/1");
    assert_string_equal(d.items[1].keyword_location, "/properties/b/items/maxLength");
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

static void test_numbers_are_exact(void **state)
{
    (void)state;
    assert_true(valid("{\"multipleOf\":0.01}", "19.99"));
    assert_false(valid("{\"multipleOf\":0.01}", "19.999"));
    assert_true(valid("{\"multipleOf\":0.0001}", "0.0075"));
    assert_true(valid("{\"multipleOf\":3}", "123456789012345678901234567890"));
    assert_false(valid("{\"multipleOf\":11}", "123456789012345678901234567890"));
    assert_true(valid("{\"multipleOf\":1e-30}", "1e-29"));
    assert_false(valid("{\"maximum\":12345678901234567890123}", "12345678901234567890124"));
    assert_true(valid("{\"maximum\":12345678901234567890123}", "12345678901234567890123.0"));
    assert_true(valid("{\"exclusiveMinimum\":0.1}", "0.10000000000000000001"));
    assert_true(valid("{\"type\":\"integer\"}", "1.0"));
    assert_true(valid("{\"type\":\"integer\"}", "1e400"));
    assert_false(valid("{\"type\":\"integer\"}", "1.5e0"));
    assert_true(valid("{\"const\":1}", "1.00"));
    assert_true(valid("{\"enum\":[{\"a\":[1,2]}]}", "{\"a\":[1.0,2e0]}"));
    assert_false(valid("{\"uniqueItems\":true}", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,1.0]"));
    assert_true(valid("{\"uniqueItems\":true}", "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,\"1\"]"));
}

/* Big objects take the sorted/hashed paths of const/enum equality and required. */
static void test_large_objects(void **state)
{
    (void)state;
    chuanp_buf sch, fwd, rev;
    chuanp_buf_init(&sch, 0);
    chuanp_buf_init(&fwd, 0);
    chuanp_buf_init(&rev, 0);
    chuanp_buf_puts(&sch, "{\"required\":[");
    for (int i = 0; i < 100; i++)
        chuanp_buf_printf(&sch, "%s\"k%d\"", i ? "," : "", i);
    chuanp_buf_puts(&sch, "],\"const\":{");
    chuanp_buf_putc(&fwd, '{');
    chuanp_buf_putc(&rev, '{');
    for (int i = 0; i < 100; i++) {
        chuanp_buf_printf(&sch, "%s\"k%d\":%d", i ? "," : "", i, i);
        chuanp_buf_printf(&fwd, "%s\"k%d\":%d", i ? "," : "", i, i);
        chuanp_buf_printf(&rev, "%s\"k%d\":%d.0", i ? "," : "", 99 - i, 99 - i);
    }
    chuanp_buf_puts(&sch, "}}");
    chuanp_buf_putc(&fwd, '}');
    chuanp_buf_putc(&rev, '}');
    assert_true(valid(sch.data, fwd.data));
    assert_true(valid(sch.data, rev.data));
    /* one value differs, one key missing */
    char *p = strstr(rev.data, "\"k50\":50.0");
    assert_non_null(p);
    p[7] = '1';
    assert_false(valid(sch.data, rev.data));
    assert_false(valid(sch.data, "{\"k0\":0}"));
    chuanp_buf_free(&sch);
    chuanp_buf_free(&fwd);
    chuanp_buf_free(&rev);
}

static void test_decimal_helpers(void **state)
{
    (void)state;
    js_dec a, b;
    assert_int_equal(chuanp_js_dec_parse(&a, "0.050", 5), 0);
    assert_string_equal(a.digits, "5");
    assert_int_equal(a.exp, -2);
    assert_int_equal(chuanp_js_dec_parse(&b, "5e-2", 4), 0);
    assert_string_equal(b.digits, "5");
    assert_int_equal(b.exp, -2);
    chuanp_js_dec_free(&a);
    chuanp_js_dec_free(&b);
    chuanp_arena ar;
    chuanp_arena_init(&ar, 0);
    static const char *const same[][2] = {{"0.050", "5e-2"}, {"-0", "0.0"}, {"1E2", "100.00"}};
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(chuanp_js_num_cmp(chuanp_jv_number(&ar, same[i][0], strlen(same[i][0])),
                                           chuanp_jv_number(&ar, same[i][1], strlen(same[i][1]))),
                         0);
    assert_true(chuanp_js_num_cmp(chuanp_jv_number(&ar, "0.05", 4), chuanp_jv_number(&ar, "0.5", 3)) < 0);
    chuanp_arena_free(&ar);
    assert_int_equal(chuanp_js_dec_parse(&a, "1x", 2), -1);
}

static void test_oneof_names_closest_branch(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"oneOf\":[{\"type\":\"string\"},"
        "{\"type\":\"object\",\"required\":[\"kind\",\"id\"],\"properties\":{\"id\":{\"type\":\"integer\"}}},"
        "{\"type\":\"array\"}]}",
        NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"kind\":\"x\",\"id\":\"7\"}", &d), 1);
    assert_true(d.count >= 2);
    assert_string_equal(d.items[0].code, "jsonschema.oneOf");
    assert_non_null(strstr(d.items[0].message, "closest is #2"));
    assert_non_null(strstr(d.items[0].message, "/id"));
    /* the closest branch's own failure follows, with its exact position */
    assert_string_equal(d.items[1].path, "/id");
    assert_int_equal(d.items[1].column, 18);
    assert_string_equal(d.items[1].keyword_location, "/oneOf/1/properties/id/type");
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

static void test_rule_and_message_keywords(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"properties\":{"
        "\"mst\":{\"rule\":{\"id\":\"DVC-003\",\"severity\":\"error\","
        "\"message\":{\"en\":\"Bad tax code\",\"vi\":\"Sai m\\u00e3 s\\u1ed1 thu\\u1ebf\"},"
        "\"source\":\"QCVN 120:2019/BTTTT\"},\"allOf\":[{\"pattern\":\"^[0-9]{10}$\"}]},"
        "\"note\":{\"rule\":{\"id\":\"DVC-009\",\"severity\":\"warning\"},\"maxLength\":3},"
        "\"name\":{\"type\":\"string\",\"minLength\":2,"
        "\"message\":{\"minLength\":{\"en\":\"name too short\",\"vi\":\"t\\u00ean qu\\u00e1 ng\\u1eafn\"}}}}}",
        NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"mst\":\"12\",\"note\":\"long\",\"name\":\"a\"}", &d), 1);
    assert_int_equal(d.count, 3);
    assert_string_equal(d.items[0].code, "DVC-003");
    assert_int_equal(d.items[0].severity, CHUAN_SEV_ERROR);
    assert_string_equal(d.items[0].source, "QCVN 120:2019/BTTTT");
    assert_non_null(strstr(d.items[0].message, "Bad tax code: "));
    assert_non_null(strstr(d.items[0].message, "pattern"));
    assert_non_null(strstr(d.items[0].message_vi, "Sai mã số thuế: "));
    assert_string_equal(d.items[1].code, "DVC-009");
    assert_int_equal(d.items[1].severity, CHUAN_SEV_WARNING);
    assert_string_equal(d.items[2].code, "jsonschema.minLength");
    assert_string_equal(d.items[2].message, "name too short");
    assert_string_equal(d.items[2].message_vi, "tên quá ngắn");
    chuan_diags_clear(&d);
    /* a warning alone keeps the instance valid, but is reported */
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"note\":\"long\"}", &d), 0);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.warnings, 1);
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

/* Conditions inside a warning rule are conditions: a failing "if" does not
 * apply "then", an "anyOf" whose branches all fail warns, a "not" whose
 * schema matches warns (a warning downgrades the rule's verdict, not the
 * result of a probe). */
static void test_warning_rule_conditions(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"properties\":{"
        "\"code\":{\"rule\":{\"id\":\"W-1\",\"severity\":\"warning\"},"
        "\"if\":{\"pattern\":\"^[0-9]{5}$\"},\"then\":{\"minLength\":50}},"
        "\"alt\":{\"rule\":{\"id\":\"W-2\",\"severity\":\"warning\"},"
        "\"anyOf\":[{\"pattern\":\"^a\"},{\"pattern\":\"^b\"}]},"
        "\"neg\":{\"rule\":{\"id\":\"W-3\",\"severity\":\"warning\"},"
        "\"not\":{\"const\":\"x\"}}}}",
        NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    /* "if" fails: no warning; the alternatives and "not" hold */
    assert_int_equal(check(s, "{\"code\":\"6697\",\"alt\":\"b1\",\"neg\":\"y\"}", &d), 0);
    assert_int_equal(d.count, 0);
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    /* "if" holds, "then" fails; no alternative matches (the anyOf and its
     * closest branch, as for an error); "not" matches: warnings only */
    assert_int_equal(check(s, "{\"code\":\"06697\",\"alt\":\"c\",\"neg\":\"x\"}", &d), 0);
    assert_int_equal(d.count, 4);
    assert_int_equal(d.warnings, 4);
    assert_string_equal(d.items[0].code, "W-1");
    assert_string_equal(d.items[1].code, "W-2");
    assert_string_equal(d.items[2].code, "W-2");
    assert_string_equal(d.items[3].code, "W-3");
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

/* Rules written as allOf branches holding "properties" alone (the shape of a standard's
 * rule set): the fast pass looks their few names up among the members instead of walking
 * every member; annotations (unevaluatedProperties), failures and their explanation, and
 * the counting of failures past the report cap must be those of the member walk. */
static void test_properties_only_rules(void **state)
{
    (void)state;
    const char *schema =
        "{\"allOf\":[{\"properties\":{\"a\":true}},"
        "{\"properties\":{\"b\":{\"type\":\"string\"},\"c\":{\"minLength\":3}}}],"
        "\"unevaluatedProperties\":false}";
    /* members named only by the branches are evaluated (the annotation reaches
     * unevaluatedProperties), in any order, with unrelated members around */
    assert_true(valid(schema, "{\"a\":1,\"b\":\"x\"}"));
    assert_true(valid(schema, "{\"c\":\"xyz\",\"b\":\"x\",\"a\":[]}"));
    assert_false(valid(schema, "{\"a\":1,\"b\":\"x\",\"d\":2}"));
    assert_false(valid(schema, "{\"a\":1,\"b\":2}"));
    assert_false(valid(schema, "{\"c\":\"xy\"}"));
    /* every name of a branch is looked for (no unevaluatedProperties to catch a miss) */
    const char *rules = "{\"allOf\":[{\"properties\":{\"a\":{\"type\":\"string\"},"
                        "\"b\":{\"type\":\"string\"},\"c\":{\"type\":\"string\"},"
                        "\"d\":{\"type\":\"string\"}}}]}";
    assert_true(valid(rules, "{\"d\":\"1\",\"c\":\"1\",\"e\":0,\"b\":\"1\",\"a\":\"1\"}"));
    assert_false(valid(rules, "{\"d\":\"1\",\"c\":\"1\",\"e\":0,\"b\":\"1\",\"a\":1}"));
    assert_false(valid(rules, "{\"d\":\"1\",\"c\":\"1\",\"e\":0,\"b\":1,\"a\":\"1\"}"));
    assert_false(valid(rules, "{\"d\":\"1\",\"c\":1,\"e\":0,\"b\":\"1\",\"a\":\"1\"}"));
    assert_false(valid(rules, "{\"d\":1,\"c\":\"1\",\"e\":0,\"b\":\"1\",\"a\":\"1\"}"));
    /* a failure found by the fast pass is explained at its member by the full pass */
    chuanp_jsonschema *s = compile(
        "{\"allOf\":[{\"properties\":{\"x\":{\"minLength\":3}}},"
        "{\"properties\":{\"y\":{\"type\":\"string\"},\"z\":{\"type\":\"string\"}}}]}",
        NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"q\":0,\"z\":1,\"x\":\"ab\",\"y\":2}", &d), 1);
    assert_int_equal(d.count, 3);
    /* branch by branch, members in their order within a branch (the member walk) */
    assert_string_equal(d.items[0].path, "/x");
    assert_string_equal(d.items[1].path, "/z");
    assert_string_equal(d.items[2].path, "/y");
    assert_non_null(strstr(d.items[0].message, "\"ab\""));
    chuan_diags_clear(&d);
    /* past the report cap failures are counted, not formatted */
    chuan_diags_init(&d, 1);
    assert_int_equal(check(s, "{\"q\":0,\"z\":1,\"x\":\"ab\",\"y\":2}", &d), 1);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].path, "/x");
    assert_int_equal(check(s, "{\"x\":\"ab\",\"y\":2}", &d), 1);
    assert_int_equal(d.count, 1);
    assert_true(d.errors >= 3);
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

/* An extension keyword: "sumOf": {"total": "T", "items": "A", "field": "F"}
 * - the member T equals the sum of F over the array A. */
typedef struct sum_state {
    char *total, *items, *field;
} sum_state;

static int sum_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                       void **state, chuan_diags *diags)
{
    const chuanp_jv *t = chuanp_json_get(value, "total"), *i = chuanp_json_get(value, "items"),
                    *f = chuanp_json_get(value, "field");
    if (!t || !i || !f) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema",
                        .line = value->line, .column = value->column};
        chuan_diags_addf(diags, &d, "%s needs total, items and field", ctx->keyword);
        return 1;
    }
    sum_state *s = calloc(1, sizeof *s);
    s->total = chuanp_strdup(t->u.str.text);
    s->items = chuanp_strdup(i->u.str.text);
    s->field = chuanp_strdup(f->u.str.text);
    *state = s;
    return 0;
}

static int sum_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const sum_state *s = state;
    const chuanp_jv *t = chuanp_json_get(call->instance, s->total);
    const chuanp_jv *a = chuanp_json_get(call->instance, s->items);
    if (!t || !a || a->type != CHUANP_JARRAY)
        return 0;
    long sum = 0, total = 0;
    for (size_t k = 0; k < a->u.arr.count; k++) {
        const chuanp_jv *f = chuanp_json_get(a->u.arr.items[k], s->field);
        long v = 0;
        if (f && chuanp_parse_long(f->u.str.text, -1000000, 1000000, &v) == 0)
            sum += v;
    }
    chuanp_parse_long(t->u.str.text, -1000000, 1000000, &total);
    if (sum == total)
        return 0;
    const char *where = call->pointer(call);
    if (!where || strcmp(where, "/fees") != 0)
        return -1;
    char ptr[64];
    snprintf(ptr, sizeof ptr, "/%s", s->total);
    (call->fail)(call, t, ptr, "the total is not the sum of the items", "tổng không khớp");
    return 1;
}

static void sum_free(void *state)
{
    sum_state *s = state;
    if (!s)
        return;
    free(s->total);
    free(s->items);
    free(s->field);
    free(s);
}

static void test_extension_keyword(void **state)
{
    (void)state;
    static const chuanp_jsonschema_ext exts[] = {{"sumOf", sum_compile, sum_validate, sum_free}};
    chuanp_jsonschema_opts o = {.exts = exts, .nexts = 1};
    chuanp_jsonschema *s = compile(
        "{\"properties\":{\"fees\":{\"rule\":{\"id\":\"FEE-001\",\"source\":\"TT 01\"},"
        "\"sumOf\":{\"total\":\"TongTien\",\"items\":\"DanhSach\",\"field\":\"SoTien\"}}}}",
        &o);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"fees\":{\"TongTien\":30,\"DanhSach\":[{\"SoTien\":10},{\"SoTien\":20}]}}", &d), 0);
    assert_int_equal(check(s, "{\"fees\":{\"TongTien\":31,\n\"DanhSach\":[{\"SoTien\":10},{\"SoTien\":20}]}}", &d), 1);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].code, "FEE-001");
    assert_string_equal(d.items[0].path, "/fees/TongTien");
    assert_int_equal(d.items[0].column, 21);
    assert_string_equal(d.items[0].keyword_location, "/properties/fees/sumOf");
    assert_string_equal(d.items[0].source, "TT 01");
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
    /* a bad keyword value makes the schema fail to compile */
    chuan_diags_init(&d, 0);
    const char *bad = "{\"sumOf\":{\"total\":\"x\"}}";
    assert_true(chuanp_jsonschema_compile_mem(&s, bad, strlen(bad), NULL, &o, &d) > 0);
    assert_null(s);
    chuan_diags_clear(&d);
}

static void test_hostile_pattern_ends_quickly(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile("{\"pattern\":\"^(a|a?)+$\",\"patternProperties\":{\"(x+x+)+y\":true}}", NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    char inst[200];
    memset(inst, 'a', sizeof inst);
    inst[0] = '"';
    inst[sizeof inst - 3] = 'b';
    inst[sizeof inst - 2] = '"';
    inst[sizeof inst - 1] = '\0';
    clock_t t0 = clock();
    assert_int_equal(check(s, inst, &d), 1);
    assert_true(clock() - t0 < 5 * CLOCKS_PER_SEC);
    assert_true(d.count >= 1);
    assert_string_equal(d.items[0].code, "jsonschema.limit");
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

/* issue 11, defect 12c: after a regex hit its PCRE2 limit, the rest of the
 * document was not evaluated (its errors vanished). The limit is its own
 * diagnostic, the value is invalid, and evaluation goes on. */
static void test_regex_limit_keeps_evaluating(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"properties\":{\"code\":{\"pattern\":\"^(a|aa)+$\"},\"n\":{\"type\":\"integer\"},"
        "\"neg\":{\"not\":{\"pattern\":\"^(a|aa)+$\"}},"
        "\"alt\":{\"anyOf\":[{\"pattern\":\"^(a|aa)+$\"},{\"type\":\"number\"}]}},"
        "\"required\":[\"zz\"]}", NULL);
    char v[80];
    memset(v, 'a', sizeof v);
    v[60] = 'b';
    v[61] = '\0';
    char *inst = chuanp_asprintf("{\"code\":\"%s\",\"alt\":\"%s\",\"neg\":\"%s\",\"n\":\"x\"}", v, v, v);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, inst, &d), 1);
    int limits = 0, type = 0, required = 0, other = 0;
    for (size_t i = 0; i < d.count; i++) {
        const char *code = d.items[i].code;
        if (strcmp(code, "jsonschema.limit") == 0)
            limits++;
        else if (strcmp(code, "jsonschema.type") == 0)
            type++;
        else if (strcmp(code, "jsonschema.required") == 0)
            required++;
        else
            other++;
    }
    assert_int_equal(limits, 3);   /* code, alt (inside anyOf), neg (inside not) */
    assert_int_equal(type, 1);     /* /n, after the limit hits */
    assert_int_equal(required, 1);
    assert_int_equal(other, 0);    /* no "must not match" for an undecided not */
    chuan_diags_clear(&d);
    /* only an undecided value: still invalid (never "valid" unchecked) */
    char *only = chuanp_asprintf("{\"neg\":\"%s\",\"zz\":1}", v);
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, only, &d), 1);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].code, "jsonschema.limit");
    chuan_diags_clear(&d);
    chuanp_free(only);
    chuanp_free(inst);
    chuanp_jsonschema_free(s);
}

static void test_self_reference_is_detected(void **state)
{
    (void)state;
    const char *schemas[] = {
        "{\"$ref\":\"#\"}",
        "{\"$defs\":{\"a\":{\"$ref\":\"#/$defs/b\"},\"b\":{\"allOf\":[{\"$ref\":\"#/$defs/a\"}]}},"
        "\"$ref\":\"#/$defs/a\"}",
        "{\"anyOf\":[{\"$ref\":\"#\"},{\"type\":\"null\"}]}",
    };
    for (size_t i = 0; i < sizeof schemas / sizeof *schemas; i++) {
        chuanp_jsonschema *s = compile(schemas[i], NULL);
        chuan_diags d;
        chuan_diags_init(&d, 0);
        assert_int_equal(check(s, "{\"a\":[1,2]}", &d), 1);
        int found = 0;
        for (size_t k = 0; k < d.count; k++)
            found |= strcmp(d.items[k].code, "jsonschema.limit") == 0 ||
                     strcmp(d.items[k].code, "jsonschema.anyOf") == 0;
        assert_true(found);
        chuan_diags_clear(&d);
        chuanp_jsonschema_free(s);
    }
    /* recursion that consumes input is fine */
    assert_true(valid("{\"properties\":{\"c\":{\"$ref\":\"#\"}}}", "{\"c\":{\"c\":{\"c\":{}}}}"));
}

static void test_invalid_schema_has_location(void **state)
{
    (void)state;
    const char *bad = "{\n  \"properties\": {\n    \"a\": {\"type\": \"strin\"}\n  }\n}";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_jsonschema *s = NULL;
    assert_true(chuanp_jsonschema_compile_mem(&s, bad, strlen(bad), NULL, NULL, &d) > 0);
    assert_null(s);
    assert_true(d.count >= 1);
    assert_string_equal(d.items[0].code, "jsonschema.schema");
    assert_int_equal(d.items[0].line, 3);
    assert_int_equal(d.items[0].column, 19);
    chuan_diags_clear(&d);
    const char *badre = "{\"pattern\": \"(\"}";
    chuan_diags_init(&d, 0);
    assert_true(chuanp_jsonschema_compile_mem(&s, badre, strlen(badre), NULL, NULL, &d) > 0);
    chuan_diags_clear(&d);
    const char *unres = "{\"$ref\": \"http://example.com/x.json\"}";
    chuan_diags_init(&d, 0);
    assert_true(chuanp_jsonschema_compile_mem(&s, unres, strlen(unres), NULL, NULL, &d) > 0);
    assert_non_null(strstr(d.items[0].message, "--ref"));
    chuan_diags_clear(&d);
}

/* issue 11, defect 1: a schema whose $id names a built-in meta-schema took its
 * place during the meta-schema check; its invalid subschema compiled to NULL
 * and validation dereferenced it (segfault). */
static void test_metaschema_id_refused(void **state)
{
    (void)state;
    const char *cases[] = {
        "{\"$id\":\"https://json-schema.org/draft/2020-12/meta/applicator\","
        "\"patternProperties\":{\"\":\"\"}}",
        "{\"$id\":\"https://json-schema.org/draft/2020-12/schema\",\"type\":\"object\"}",
        "{\"$defs\":{\"x\":{\"$id\":\"http://json-schema.org/draft-07/schema#\"}}}",
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_jsonschema *s = NULL;
        assert_true(chuanp_jsonschema_compile_mem(&s, cases[i], strlen(cases[i]), NULL, NULL, &d) > 0);
        assert_null(s);
        assert_true(d.count >= 1);
        assert_string_equal(d.items[0].code, "jsonschema.schema");
        assert_non_null(strstr(d.items[0].message, "built into chuan"));
        chuan_diags_clear(&d);
    }
    /* referring to a built-in meta-schema stays allowed */
    chuanp_jsonschema *s = compile("{\"$ref\":\"https://json-schema.org/draft/2020-12/schema\"}", NULL);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(check(s, "{\"type\":\"object\"}", &d), 0);
    assert_int_equal(check(s, "{\"type\":12}", &d), 1);
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
}

/* Defence in depth: a NULL compiled subschema is an internal error, never a
 * verdict. */
static void test_null_node_is_internal_error(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile("{\"type\":\"object\"}", NULL);
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *v = NULL;
    assert_int_equal(chuanp_json_parse(&v, "{}", 2, NULL, &a, NULL), 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_js_validate_node(s, NULL, v, "in.json", &d), -1);
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
    chuanp_jsonschema_free(s);
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_file_refs_and_ref_map(void **state)
{
    (void)state;
    char dir[] = "/tmp/chuan-js-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char main_path[256], other[256], mapped[256];
    snprintf(main_path, sizeof main_path, "%s/main.json", dir);
    snprintf(other, sizeof other, "%s/other.json", dir);
    snprintf(mapped, sizeof mapped, "%s/mapped.json", dir);
    write_file(main_path, "{\"properties\":{\"a\":{\"$ref\":\"other.json#/$defs/code\"},"
                          "\"b\":{\"$ref\":\"https://schemas.example.gov.vn/dvc/mapped.json\"}}}");
    write_file(other, "{\"$defs\":{\"code\":{\"type\":\"string\",\"pattern\":\"^[0-9]+$\"}}}");
    write_file(mapped, "{\"type\":\"integer\"}");
    chuanp_ref_map map = {.prefix = "https://schemas.example.gov.vn/dvc/", .path = dir};
    chuanp_jsonschema_opts o = {.refs = &map, .nrefs = 1};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_jsonschema *s = NULL;
    assert_int_equal(chuanp_jsonschema_compile_file(&s, main_path, &o, &d), 0);
    assert_int_equal(check(s, "{\"a\":\"123\",\"b\":4}", &d), 0);
    assert_int_equal(check(s, "{\"a\":\"12x\",\"b\":4.5}", &d), 1);
    assert_int_equal(d.count, 2);
    assert_non_null(strstr(d.items[0].schema_location, "/other.json#/$defs/code/pattern"));
    chuan_diags_clear(&d);
    chuanp_jsonschema_free(s);
    /* without the mapping the schema does not compile */
    chuan_diags_init(&d, 0);
    assert_true(chuanp_jsonschema_compile_file(&s, main_path, NULL, &d) > 0);
    chuan_diags_clear(&d);
    unlink(main_path);
    unlink(other);
    unlink(mapped);
    rmdir(dir);
}

static void test_ecma_regex(void **state)
{
    (void)state;
    assert_false(valid("{\"pattern\":\"^\\\\d$\"}", "\"\\u0664\""));   /* Arabic-Indic digit */
    assert_true(valid("{\"pattern\":\"^\\\\s$\"}", "\"\\u00a0\""));     /* NBSP is \\s */
    assert_false(valid("{\"pattern\":\"^\\\\w$\"}", "\"\\u00e9\""));    /* é is not \\w */
    assert_false(valid("{\"pattern\":\"^a$\"}", "\"a\\n\""));           /* $ only at the end */
    assert_true(valid("{\"pattern\":\"\\\\p{Letter}\"}", "\"\\u1ec7\"")); /* ệ */
    assert_true(valid("{\"pattern\":\"^[^]$\"}", "\"\\n\""));
}

static void test_ndjson_engine_lines(void **state)
{
    (void)state;
    char dir[] = "/tmp/chuan-js-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char schema[256], data[256];
    snprintf(schema, sizeof schema, "%s/s.json", dir);
    snprintf(data, sizeof data, "%s/d.ndjson", dir);
    write_file(schema, "{\"required\":[\"id\"],\"properties\":{\"id\":{\"type\":\"integer\"}}}");
    /* 3000 records; bad ones on lines 2, 1500 and 3001 (line 1000 is blank) */
    FILE *f = fopen(data, "w");
    assert_non_null(f);
    for (int i = 1; i <= 3001; i++) {
        if (i == 1000)
            fputs("   \n", f);
        else if (i == 2 || i == 1500)
            fprintf(f, "{\"id\": \"%d\"}\n", i);
        else if (i == 3001)
            fputs("{\"x\":1}", f); /* last line without newline */
        else
            fprintf(f, "{\"id\": %d, \"pad\": \"%0200d\"}\n", i, i);
    }
    fclose(f);
    for (int jobs = 1; jobs <= 3; jobs += 2) {
        chuanp_engine_opts eo = {.type = CHUANP_SCHEMA_JSONSCHEMA, .schema_path = schema};
        chuan_diags cd;
        chuan_diags_init(&cd, 0);
        chuanp_engine *e = NULL;
        assert_int_equal(chuanp_jsonschema_engine_new(&e, &eo, &cd), 0);
        chuanp_jsonschema_engine_set_jobs(e, jobs);
        chuan_file_result res;
        chuan_file_result_init(&res, data);
        chuanp_input in = {.name = data, .path = data};
        assert_int_equal(e->ops->check(e, &in, CHUANP_FMT_NDJSON, &res), 1);
        assert_int_equal(res.records, 3000);
        assert_int_equal(res.diags.count, 3);
        assert_int_equal(res.diags.items[0].line, 2);
        assert_int_equal(res.diags.items[0].column, 8);
        assert_int_equal(res.diags.items[1].line, 1500);
        assert_int_equal(res.diags.items[2].line, 3001);
        assert_string_equal(res.diags.items[2].code, "jsonschema.required");
        chuan_file_result_clear(&res);
        chuan_diags_clear(&cd);
        chuanp_engine_free(e);
    }
    unlink(schema);
    unlink(data);
    rmdir(dir);
}

static void test_hints(void **state)
{
    (void)state;
    chuanp_jsonschema *s = compile(
        "{\"$defs\":{\"fee\":{\"type\":\"object\",\"properties\":{\"SoTien\":{\"type\":\"integer\"},"
        "\"Ten\":{\"type\":\"string\"}}}},"
        "\"properties\":{\"HoSo\":{\"type\":\"array\",\"items\":{\"type\":\"object\",\"properties\":{"
        "\"MaHoSo\":{\"type\":\"string\"},\"LePhi\":{\"type\":\"array\",\"items\":{\"$ref\":\"#/$defs/fee\"}},"
        "\"Dat\":{\"type\":[\"boolean\",\"null\"]}}}}}}",
        NULL);
    chuanp_schema_hints h;
    chuanp_jsonschema_hints(s, &h);
    chuanp_hint out;
    const char *p1[] = {"HoSo"};
    assert_int_equal(h.lookup(h.ctx, p1, 1, &out), 1);
    assert_true(out.is_array);
    assert_int_equal(out.type, CHUANP_HINT_OBJECT);
    const char *p2[] = {"HoSo", "LePhi", "SoTien"};
    assert_int_equal(h.lookup(h.ctx, p2, 3, &out), 1);
    assert_false(out.is_array);
    assert_int_equal(out.type, CHUANP_HINT_INTEGER);
    const char *p3[] = {"HoSo", "Dat"};
    assert_int_equal(h.lookup(h.ctx, p3, 2, &out), 1);
    assert_int_equal(out.type, CHUANP_HINT_BOOLEAN);
    const char *p4[] = {"HoSo", "Nope"};
    assert_int_equal(h.lookup(h.ctx, p4, 2, &out), 0);
    const char *names[8];
    const char *p5[] = {"HoSo", "LePhi"};
    assert_int_equal(h.child_order(h.ctx, p5, 2, names, 8), 2);
    assert_string_equal(names[0], "SoTien");
    assert_string_equal(names[1], "Ten");
    chuanp_jsonschema_free(s);
}

static void test_formats(void **state)
{
    (void)state;
    chuanp_jsonschema_opts o = {.assert_formats = 1};
    struct { const char *fmt, *value; int ok; } cases[] = {
        {"date", "2024-02-29", 1}, {"date", "2023-02-29", 0},
        {"date-time", "2024-07-01T08:00:00+07:00", 1}, {"date-time", "2024-07-01 08:00", 0},
        {"email", "can.bo@dichvucong.gov.vn", 1}, {"email", "a..b@x.vn", 0},
        {"ipv4", "192.168.1.1", 1}, {"ipv4", "192.168.01.1", 0},
        {"uuid", "2eb8aa08-aa98-11ea-b4aa-73b441d16380", 1}, {"duration", "P1Y2M3DT4H", 1},
        {"hostname", "dichvucong.gov.vn", 1}, {"idn-hostname", "b\xc3\xa1o.vn", 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char schema[128], inst[128];
        snprintf(schema, sizeof schema, "{\"format\":\"%s\"}", cases[i].fmt);
        snprintf(inst, sizeof inst, "\"%s\"", cases[i].value);
        chuanp_jsonschema *s = compile(schema, &o);
        chuan_diags d;
        chuan_diags_init(&d, 0);
        int r = check(s, inst, &d);
        if ((r == 0) != cases[i].ok)
            fprintf(stderr, "format %s on %s\n", cases[i].fmt, cases[i].value);
        assert_int_equal(r == 0, cases[i].ok);
        chuan_diags_clear(&d);
        chuanp_jsonschema_free(s);
    }
    /* without --assert-formats, format is an annotation */
    assert_true(valid("{\"format\":\"date\"}", "\"not a date\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_positions_and_locations),
        cmocka_unit_test(test_numbers_are_exact),
        cmocka_unit_test(test_decimal_helpers),
        cmocka_unit_test(test_large_objects),
        cmocka_unit_test(test_oneof_names_closest_branch),
        cmocka_unit_test(test_rule_and_message_keywords),
        cmocka_unit_test(test_warning_rule_conditions),
        cmocka_unit_test(test_extension_keyword),
        cmocka_unit_test(test_hostile_pattern_ends_quickly),
        cmocka_unit_test(test_self_reference_is_detected),
        cmocka_unit_test(test_invalid_schema_has_location),
        cmocka_unit_test(test_file_refs_and_ref_map),
        cmocka_unit_test(test_ecma_regex),
        cmocka_unit_test(test_ndjson_engine_lines),
        cmocka_unit_test(test_hints),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_metaschema_id_refused),
        cmocka_unit_test(test_null_node_is_internal_error),
        cmocka_unit_test(test_regex_limit_keeps_evaluating),
        cmocka_unit_test(test_properties_only_rules),
    };
    return cmocka_run_group_tests_name("jsonschema", tests, NULL, NULL);
}
