/* tests/unit/test_schematron.c - Schematron compiled to XSLT: rules, extension functions, line
 * numbers, query binding rejection. */
#include "unit.h"

#include "../../validator/schematron.h"
#include "../../validator/validator.h"

#include <libxml/parser.h>

#define DIR "tests/unit/data/sch/"

static void dump(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "  %s %ld:%ld %s %s%s%s\n", d->items[i].code, d->items[i].line,
                d->items[i].column, d->items[i].path ? d->items[i].path : "-", d->items[i].message,
                d->items[i].message_vi ? " | " : "",
                d->items[i].message_vi ? d->items[i].message_vi : "");
}

static const chuan_diag *find(const chuan_diags *d, const char *code, size_t nth)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].code, code) == 0 && nth-- == 0)
            return &d->items[i];
    return NULL;
}

static int compile(const char *path, chuanp_schematron **s, chuanp_codelists *cl, chuan_diags *d)
{
    chuanp_codelists_init(cl);
    chuanp_codelists_add_dir(cl, DIR "codelists");
    chuanp_schematron_opts o = {.codelists = cl};
    return chuanp_schematron_compile(s, path, &o, d);
}

static void test_rules_and_lines(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelists cl;
    chuanp_schematron *s = NULL;
    int rc = compile(DIR "rules.sch", &s, &cl, &d);
    if (rc)
        dump(&d);
    assert_int_equal(rc, 0);
    size_t nids;
    const char *const *ids = chuanp_schematron_rule_ids(s, &nids);
    assert_int_equal(nids, 6);
    assert_string_equal(ids[0], "T-001");

    char *src = NULL, *err = NULL;
    size_t len;
    chuanp_input in = {.name = "doc.xml", .path = DIR "doc.xml"};
    assert_int_equal(chuanp_read_all(&in, 0, &src, &len, &err), 0);
    xmlDocPtr doc = chuanp_xml_parse_safe(src, len, "doc.xml", &d);
    assert_non_null(doc);
    xmlDocPtr svrl = NULL;
    rc = chuanp_schematron_run(s, doc, "doc.xml", src, len, &d, &svrl);
    dump(&d);
    assert_non_null(svrl);
    /* errors: T-002 (2nd), T-003 (2nd, 3rd), T-004 (2nd: Hà Giang expired), T-001 (3rd) */
    assert_int_equal(rc, 5);
    const chuan_diag *x = find(&d, "T-002", 0);
    assert_non_null(x);
    assert_int_equal(x->severity, CHUAN_SEV_ERROR);
    assert_int_equal(x->line, 9);
    assert_int_equal(x->column, 3);
    assert_string_equal(x->path, "/h:DanhSach/h:HoSo[2]");
    assert_non_null(strstr(x->message, "0100109107 is invalid. Check digit mismatch."));
    assert_non_null(x->message_vi);
    assert_string_equal(x->message_vi, "Mã số thuế 0100109107 không hợp lệ.");
    x = find(&d, "T-001", 0);
    assert_non_null(x);
    assert_int_equal(x->line, 15); /* start tag spread over two lines: where it begins */
    assert_int_equal(x->column, 3);
    assert_string_equal(x->source, "Test regulation, art. 1");
    assert_string_equal(x->message, "A dossier needs a code h:HoSo.");
    x = find(&d, "T-004", 0);
    assert_non_null(x);
    assert_int_equal(x->line, 9);
    assert_null(find(&d, "T-004", 1));
    x = find(&d, "T-005", 0);
    assert_non_null(x);
    assert_int_equal(x->severity, CHUAN_SEV_WARNING);
    assert_string_equal(x->message, "Total fee 1000001 is unusually high.");
    x = find(&d, "T-006", 0);
    assert_non_null(x);
    assert_int_equal(x->severity, CHUAN_SEV_WARNING);
    assert_string_equal(x->path, "/h:DanhSach/h:HoSo[2]/@loai");
    assert_int_equal(x->line, 9);
    assert_int_equal(d.errors, 5);
    xmlFreeDoc(svrl);
    xmlFreeDoc(doc);
    free(src);
    chuanp_schematron_free(s);
    chuanp_codelists_free(&cl);
    chuan_diags_clear(&d);
}

static void expect_compile_error(const char *path, const char *code, const char *text)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelists cl;
    chuanp_schematron *s = NULL;
    int rc = compile(path, &s, &cl, &d);
    dump(&d);
    assert_true(rc < 0);
    assert_null(s);
    assert_true(d.count >= 1);
    assert_string_equal(d.items[0].code, code);
    assert_non_null(strstr(d.items[0].message, text));
    assert_true(d.items[0].line > 0);
    chuanp_codelists_free(&cl);
    chuan_diags_clear(&d);
}

static void test_xslt2_rejected(void **state)
{
    (void)state;
    expect_compile_error(DIR "xslt2.sch", "schematron.unsupported-binding", "'xslt2'");
}

static void test_bad_xpath_rejected(void **state)
{
    (void)state;
    expect_compile_error(DIR "bad-xpath.sch", "schematron.compile", "not a valid XPath");
}

static void test_missing_codelist_rejected(void **state)
{
    (void)state;
    expect_compile_error(DIR "missing-list.sch", "codelist.missing", "no-such-list");
}

static void test_engine(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_engine *e = NULL;
    chuanp_engine_opts o = {.type = CHUANP_SCHEMA_SCHEMATRON, .schema_path = DIR "rules.sch",
                            .as_of = "2024-01-01"};
    assert_int_equal(chuanp_schematron_engine_new(&e, &o, &d), 0);
    chuan_file_result r;
    chuan_file_result_init(&r, DIR "doc.xml");
    chuanp_input in = {.name = DIR "doc.xml", .path = DIR "doc.xml"};
    assert_true(e->ops->check(e, &in, CHUANP_FMT_AUTO, &r) > 0);
    assert_int_equal(r.status, CHUAN_STATUS_INVALID);
    chuan_file_result_clear(&r);
    /* not well-formed: invalid (1), with a position */
    chuan_file_result_init(&r, DIR "rules.sch");
    chuanp_input bad = {.name = "x", .path = DIR "codelists/tinh.csv"};
    assert_int_equal(e->ops->check(e, &bad, CHUANP_FMT_AUTO, &r), 1);
    assert_string_equal(r.diags.items[0].code, "xml.parse");
    assert_int_equal(r.diags.items[0].line, 1);
    chuan_file_result_clear(&r);
    e->ops->free(e);
    chuan_diags_clear(&d);
}

/* chuan:date-valid(value, 'fmt|fmt') and chuan:setting(name) over the package settings. */
static void test_dates_and_settings(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    const char *sj = "{\"t.date_formats\": [\"yyyy/MM/dd\", \"dd/MM/yyyy\"], \"t.flag\": true}";
    chuanp_jv *settings = NULL;
    chuanp_json_opts jo = {.file = "settings.json"};
    assert_int_equal(chuanp_json_parse(&settings, sj, strlen(sj), &jo, &arena, &d), 0);
    chuanp_schematron *s = NULL;
    chuanp_schematron_opts o = {.settings = settings};
    assert_int_equal(chuanp_schematron_compile(&s, DIR "dates.sch", &o, &d), 0);
    char *src = NULL, *err = NULL;
    size_t len;
    chuanp_input in = {.name = "dates.xml", .path = DIR "dates.xml"};
    assert_int_equal(chuanp_read_all(&in, 0, &src, &len, &err), 0);
    xmlDocPtr doc = chuanp_xml_parse_safe(src, len, "dates.xml", &d);
    assert_non_null(doc);
    int rc = chuanp_schematron_run(s, doc, "dates.xml", src, len, &d, NULL);
    dump(&d);
    assert_int_equal(rc, 3); /* 2014/02/30, 29/02/2023, 24:00:00 */
    assert_non_null(strstr(find(&d, "D-1", 0)->message, "2014/02/30"));
    assert_int_equal(find(&d, "D-1", 0)->line, 3);
    assert_non_null(strstr(find(&d, "D-1", 1)->message, "29/02/2023"));
    assert_null(find(&d, "D-1", 2));
    assert_non_null(strstr(find(&d, "D-2", 0)->message, "24:00:00"));
    assert_non_null(strstr(find(&d, "D-3", 0)->message, "[yyyy/MM/dd|dd/MM/yyyy]"));
    assert_non_null(strstr(find(&d, "D-3", 1)->message, "[true]"));
    assert_non_null(strstr(find(&d, "D-3", 2)->message, "[]"));
    xmlFreeDoc(doc);
    chuanp_free(src);
    chuanp_schematron_free(s);
    chuanp_arena_free(&arena);
    chuan_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rules_and_lines),
        cmocka_unit_test(test_xslt2_rejected),
        cmocka_unit_test(test_bad_xpath_rejected),
        cmocka_unit_test(test_missing_codelist_rejected),
        cmocka_unit_test(test_engine),
        cmocka_unit_test(test_dates_and_settings),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
