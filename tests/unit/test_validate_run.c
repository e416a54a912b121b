/* tests/unit/test_validate_run.c - `chuan validate` over many inputs from C
 * (validator/validate_run.c): engines, inputs, the job loop, the counts in
 * input order; and the option helpers cli/validate.c calls
 * (validator/engine.c). */
#include "unit.h"

#include <stdio.h>

#include "../../validator/validate_run.h"

typedef struct seen {
    char files[8][64]; /* the result is cleared after the report */
    int status[8];
    size_t n;
    int draws;
} seen;

static int on_report(void *ctx, chuan_file_result *res)
{
    seen *s = ctx;
    if (s->n < 8) {
        snprintf(s->files[s->n], sizeof s->files[0], "%s", res->file);
        s->status[s->n++] = res->status;
    }
    return 0;
}

static void on_progress(void *ctx, const chuanp_vrun *r, int force)
{
    (void)r;
    (void)force;
    ((seen *)ctx)->draws++;
}

/* One schema, three inputs, two workers: results in input order, folded. */
static void test_run_schema(void **state)
{
    (void)state;
    const char *paths[] = {"fixtures/jsonschema/hoso-valid.json",
                           "fixtures/jsonschema/hoso-invalid.json",
                           "fixtures/jsonschema/hoso-valid.json"};
    chuanp_engine_opts eng = {.schema_path = "fixtures/jsonschema/hoso.schema.json"};
    assert_int_equal(chuanp_engine_opts_settle(&eng), 0);
    assert_int_equal(eng.type, CHUANP_SCHEMA_JSONSCHEMA);
    seen s = {0};
    chuanp_vrun r = {.stdin_fd = -1, .max_errors = 100, .report = on_report,
                     .progress = on_progress, .ctx = &s};
    chuan_diags cd;
    chuan_diags_init(&cd, 0);
    const char *failed = NULL;
    assert_int_equal(chuanp_vrun_engines(&r, &eng, paths, 3, NULL, NULL, &failed, &cd), 0);
    assert_int_equal(chuanp_vrun_inputs(&r, paths), 0);
    assert_true(r.bytes_total > 0);
    assert_int_equal(chuanp_vrun_run(&r, 2), 0);
    assert_int_equal(s.n, 3);
    for (size_t i = 0; i < 3; i++)
        assert_string_equal(s.files[i], paths[i]);
    assert_int_equal(s.status[0], CHUAN_STATUS_VALID);
    assert_int_equal(s.status[1], CHUAN_STATUS_INVALID);
    assert_int_equal(s.status[2], CHUAN_STATUS_VALID);
    assert_int_equal(r.valid_files, 2);
    assert_int_equal(r.invalid_files, 1);
    assert_int_equal(r.failed_files, 0);
    assert_int_equal(r.files_done, 3);
    assert_int_equal(r.worst, CHUAN_EXIT_INVALID);
    assert_true(s.draws >= 6); /* after each check and each report */
    chuanp_vrun_free(&r);
    chuan_diags_clear(&cd);
}

/* A schema that does not compile: -3 with its diagnostics. */
static void test_bad_schema(void **state)
{
    (void)state;
    const char *paths[] = {"fixtures/jsonschema/hoso-valid.json"};
    chuanp_engine_opts eng = {.schema_path = "fixtures/jsonschema/bad.schema.json"};
    assert_int_equal(chuanp_engine_opts_settle(&eng), 0);
    chuanp_vrun r = {.stdin_fd = -1};
    chuan_diags cd;
    chuan_diags_init(&cd, 0);
    const char *failed = NULL;
    assert_int_equal(chuanp_vrun_engines(&r, &eng, paths, 1, NULL, NULL, &failed, &cd), -3);
    assert_true(cd.count > 0);
    chuanp_vrun_free(&r);
    chuan_diags_clear(&cd);
}

static void test_settle(void **state)
{
    (void)state;
    chuanp_engine_opts both = {.schema_path = "x.xsd", .standard = "edxml"};
    assert_int_equal(chuanp_engine_opts_settle(&both), 1);
    chuanp_engine_opts missing = {.schema_path = "fixtures/no/such.xsd"};
    assert_int_equal(chuanp_engine_opts_settle(&missing), 2);
    chuanp_engine_opts kind = {.type = CHUANP_SCHEMA_XSD};
    assert_int_equal(chuanp_engine_opts_settle(&kind), 4);
    chuanp_engine_opts std = {.standard = "edxml"};
    assert_int_equal(chuanp_engine_opts_settle(&std), 0);
    assert_int_equal(std.type, CHUANP_SCHEMA_STANDARD);
    chuanp_engine_opts none = {0};
    assert_int_equal(chuanp_engine_opts_settle(&none), 0);
    assert_int_equal(none.type, CHUANP_SCHEMA_NONE);
}

static void test_ref_map_add(void **state)
{
    (void)state;
    chuanp_ref_map refs[2];
    size_t n = 0;
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "noequals"), -1);
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "=path"), -1);
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "prefix="), -1);
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "https://a/=dir"), 0);
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "b=c=d"), 0);
    assert_int_equal(chuanp_ref_map_add(refs, &n, 2, "x=y"), -2);
    assert_int_equal(n, 2);
    assert_string_equal(refs[0].prefix, "https://a/");
    assert_string_equal(refs[0].path, "dir");
    assert_string_equal(refs[1].prefix, "b");
    assert_string_equal(refs[1].path, "c=d");
    chuanp_pathlist reads = {0};
    chuanp_engine_opts eng = {.schema_path = "s.json", .refs = refs, .nrefs = n};
    assert_int_equal(chuanp_engine_opts_reads(&eng, &reads), 0);
    assert_int_equal(reads.count, 3);
    chuanp_pathlist_free(&reads);
    for (size_t i = 0; i < n; i++)
        chuanp_free((char *)refs[i].prefix);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_run_schema),
        cmocka_unit_test(test_bad_schema),
        cmocka_unit_test(test_settle),
        cmocka_unit_test(test_ref_map_add),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
