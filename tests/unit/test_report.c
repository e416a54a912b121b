/* Unit tests for the reporters: JSON and SARIF parsed (chuan's reader, json_shim.h) and checked
 * field by field, JUnit parsed (libxml2) and checked, GitHub escaping. */
#include "unit.h"

#include "json_shim.h"
#include <libxml/parser.h>
#include <libxml/tree.h>

#include "../../validator/validator.h"

static void make_results(chuan_file_result r[2])
{
    chuan_file_result_init(&r[0], "ok.xml");
    r[0].format = chuanp_strdup("xml");
    r[0].status = CHUAN_STATUS_VALID;
    chuan_file_result_init(&r[1], "bad, file.json");
    r[1].format = chuanp_strdup("json");
    r[1].standard = chuanp_strdup("dvc-hoso");
    r[1].status = CHUAN_STATUS_INVALID;
    r[1].records = 3;
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "DVC-003", .message = "bad \"code\"\nx",
                    .message_vi = "mã sai", .file = "bad, file.json", .line = 4, .column = 12,
                    .offset = 77, .path = "/data/1/MaHoSo", .source = "QCVN 120:2019/BTTTT",
                    .keyword_location = "/properties/MaHoSo/pattern",
                    .schema_location = "urn:x#/properties/MaHoSo/pattern"};
    chuan_diags_add(&r[1].diags, &d);
    chuan_diag w = {.severity = CHUAN_SEV_WARNING, .code = "DVC-009", .message = "50% done",
                    .file = "bad, file.json", .offset = -1};
    chuan_diags_add(&r[1].diags, &w);
}

static char *render(chuan_report_format f, int basic)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    chuan_report_opts o = {.format = f, .tool_command = "validate"};
    chuan_reporter *rep = chuan_reporter_new(out, &o);
    assert_non_null(rep);
    if (basic) {
        chuanp_reporter_set_json_basic(rep, 1);
    }
    chuan_file_result r[2];
    make_results(r);
    for (int i = 0; i < 2; i++) {
        assert_int_equal(chuan_reporter_file(rep, &r[i]), 0);
        chuan_file_result_clear(&r[i]);
    }
    assert_int_equal(chuan_reporter_end(rep), 0);
    chuan_reporter_free(rep);
    fclose(out);
    return buf;
}

static void test_json_report(void **state)
{
    (void)state;
    char *s = render(CHUAN_REPORT_JSON, 0);
    json_error_t err;
    json_t *j = json_loads(s, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "tool")), "chuan");
    json_t *files = json_object_get(j, "files");
    assert_int_equal(json_array_size(files), 2);
    json_t *f1 = json_array_get(files, 1);
    assert_string_equal(json_string_value(json_object_get(f1, "status")), "invalid");
    assert_int_equal(json_integer_value(json_object_get(f1, "records")), 3);
    json_t *d = json_array_get(json_object_get(f1, "diagnostics"), 0);
    assert_string_equal(json_string_value(json_object_get(d, "code")), "DVC-003");
    assert_string_equal(json_string_value(json_object_get(d, "message")), "bad \"code\"\nx");
    assert_string_equal(json_string_value(json_object_get(d, "message_vi")), "mã sai");
    assert_int_equal(json_integer_value(json_object_get(d, "line")), 4);
    assert_int_equal(json_integer_value(json_object_get(d, "column")), 12);
    assert_int_equal(json_integer_value(json_object_get(d, "offset")), 77);
    assert_string_equal(json_string_value(json_object_get(d, "path")), "/data/1/MaHoSo");
    assert_string_equal(json_string_value(json_object_get(d, "source")), "QCVN 120:2019/BTTTT");
    json_t *w = json_array_get(json_object_get(f1, "diagnostics"), 1);
    assert_null(json_object_get(w, "line"));
    assert_string_equal(json_string_value(json_object_get(w, "severity")), "warning");
    json_t *sum = json_object_get(j, "summary");
    assert_int_equal(json_integer_value(json_object_get(sum, "files")), 2);
    assert_int_equal(json_integer_value(json_object_get(sum, "invalid")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "errors")), 1);
    assert_int_equal(json_integer_value(json_object_get(sum, "warnings")), 1);
    json_decref(j);
    free(s);
}

static void test_json_basic_output(void **state)
{
    (void)state;
    char *s = render(CHUAN_REPORT_JSON, 1);
    json_error_t err;
    json_t *j = json_loads(s, 0, &err);
    assert_non_null(j);
    assert_true(json_is_false(json_object_get(j, "valid")));
    json_t *f1 = json_array_get(json_object_get(j, "files"), 1);
    assert_true(json_is_false(json_object_get(f1, "valid")));
    json_t *e = json_array_get(json_object_get(f1, "errors"), 0);
    assert_string_equal(json_string_value(json_object_get(e, "keywordLocation")), "/properties/MaHoSo/pattern");
    assert_string_equal(json_string_value(json_object_get(e, "absoluteKeywordLocation")),
                        "urn:x#/properties/MaHoSo/pattern");
    assert_string_equal(json_string_value(json_object_get(e, "instanceLocation")), "/data/1/MaHoSo");
    json_decref(j);
    free(s);
}

static void test_sarif_report(void **state)
{
    (void)state;
    char *s = render(CHUAN_REPORT_SARIF, 0);
    json_error_t err;
    json_t *j = json_loads(s, 0, &err);
    assert_non_null(j);
    assert_string_equal(json_string_value(json_object_get(j, "version")), "2.1.0");
    json_t *run = json_array_get(json_object_get(j, "runs"), 0);
    json_t *driver = json_object_get(json_object_get(run, "tool"), "driver");
    assert_string_equal(json_string_value(json_object_get(driver, "name")), "chuan");
    json_t *rules = json_object_get(driver, "rules");
    assert_int_equal(json_array_size(rules), 2);
    assert_string_equal(json_string_value(json_object_get(json_array_get(rules, 0), "id")), "DVC-003");
    json_t *results = json_object_get(run, "results");
    assert_int_equal(json_array_size(results), 2);
    json_t *r0 = json_array_get(results, 0);
    assert_string_equal(json_string_value(json_object_get(r0, "ruleId")), "DVC-003");
    assert_string_equal(json_string_value(json_object_get(r0, "level")), "error");
    json_t *loc = json_object_get(json_array_get(json_object_get(r0, "locations"), 0), "physicalLocation");
    assert_string_equal(json_string_value(json_object_get(json_object_get(loc, "artifactLocation"), "uri")),
                        "bad, file.json");
    json_t *region = json_object_get(loc, "region");
    assert_int_equal(json_integer_value(json_object_get(region, "startLine")), 4);
    assert_int_equal(json_integer_value(json_object_get(region, "startColumn")), 12);
    json_t *r1 = json_array_get(results, 1);
    assert_string_equal(json_string_value(json_object_get(r1, "level")), "warning");
    /* no line: no region (SARIF requires startLine >= 1 when present) */
    json_t *loc1 = json_object_get(json_array_get(json_object_get(r1, "locations"), 0), "physicalLocation");
    assert_null(json_object_get(loc1, "region"));
    json_decref(j);
    free(s);
}

static void test_junit_report(void **state)
{
    (void)state;
    char *s = render(CHUAN_REPORT_JUNIT, 0);
    xmlDocPtr doc = xmlReadMemory(s, (int)strlen(s), "junit.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlNodePtr root = xmlDocGetRootElement(doc);
    assert_string_equal((const char *)root->name, "testsuites");
    xmlChar *tests = xmlGetProp(root, (const xmlChar *)"tests");
    xmlChar *failures = xmlGetProp(root, (const xmlChar *)"failures");
    assert_string_equal((char *)tests, "2");
    assert_string_equal((char *)failures, "1");
    xmlFree(tests);
    xmlFree(failures);
    int cases = 0, fails = 0;
    for (xmlNodePtr suite = root->children; suite; suite = suite->next) {
        if (suite->type != XML_ELEMENT_NODE)
            continue;
        for (xmlNodePtr tc = suite->children; tc; tc = tc->next) {
            if (tc->type != XML_ELEMENT_NODE)
                continue;
            cases++;
            for (xmlNodePtr f = tc->children; f; f = f->next)
                if (f->type == XML_ELEMENT_NODE && xmlStrEqual(f->name, (const xmlChar *)"failure")) {
                    fails++;
                    xmlChar *text = xmlNodeGetContent(f);
                    assert_non_null(strstr((char *)text, "bad, file.json:4:12: error: DVC-003:"));
                    xmlFree(text);
                }
        }
    }
    assert_int_equal(cases, 2);
    assert_int_equal(fails, 1);
    xmlFreeDoc(doc);
    free(s);
}

static void test_github_escaping(void **state)
{
    (void)state;
    char *s = render(CHUAN_REPORT_GITHUB, 0);
    assert_non_null(strstr(s, "::error file=bad%2C file.json,line=4,col=12,title=DVC-003::bad \"code\"%0Ax (at /data/1/MaHoSo)\n"));
    assert_non_null(strstr(s, "::warning file=bad%2C file.json,title=DVC-009::50%25 done\n"));
    /* summary last */
    const char *last = strrchr(s, '\n');
    while (last > s && last[-1] != '\n')
        last--;
    assert_true(strncmp(last, "chuan: 2 files checked", 22) == 0);
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_report),
        cmocka_unit_test(test_json_basic_output),
        cmocka_unit_test(test_sarif_report),
        cmocka_unit_test(test_junit_report),
        cmocka_unit_test(test_github_escaping),
    };
    return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
