/* tests/unit/test_standard.c - standard packages: finding, loading, the engine over XML, JSON,
 * NDJSON and CSV (same rule ids everywhere), vocabulary keyword compile errors, auto-selection,
 * lint and test. */
#include "unit.h"

#include "../../validator/jsonschema.h"
#include "../../validator/standard_check.h"
#include "../../validator/standard_int.h"
#include "../../validator/vocab_keywords.h"

#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#define MINI "tests/standards/mini"

static void test_find_and_load(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    char *dir = NULL;
    assert_int_equal(chuanp_standard_find(&dir, MINI "/", &d), 0);
    assert_string_equal(dir, MINI);
    free(dir);
    assert_int_equal(chuanp_standard_find(&dir, MINI "/standard.json", &d), 0);
    assert_string_equal(dir, MINI);
    free(dir);
    setenv("CHUAN_STANDARDS", "/nonexistent:tests/standards", 1);
    assert_int_equal(chuanp_standard_find(&dir, "mini", &d), 0);
    assert_string_equal(dir, "tests/standards/mini");
    free(dir);
    assert_int_equal(chuanp_standard_find(&dir, "mini@1.0.0", &d), 0);
    free(dir);
    assert_true(chuanp_standard_find(&dir, "mini@9.9.9", &d) < 0);
    assert_string_equal(d.items[d.count - 1].code, "standard.not-found");
    assert_non_null(strstr(d.items[d.count - 1].message, "found version 1.0.0"));
    assert_true(chuanp_standard_find(&dir, "tests/standards/nothing-here", &d) < 0);
    unsetenv("CHUAN_STANDARDS");

    chuanp_standard *s = NULL;
    assert_int_equal(chuanp_standard_load(&s, MINI, &d), 0);
    assert_string_equal(s->id, "mini");
    assert_string_equal(s->json_records, "/data");
    assert_int_equal(s->nxml_records, 1);
    assert_string_equal(s->xml_records[0], "/DanhSach/HoSo");
    assert_non_null(s->schematron);
    assert_int_equal(s->ncodelists, 2);
    const chuanp_jv *fmts = chuanp_json_get(s->settings, "mini.date_formats");
    assert_non_null(fmts);
    assert_int_equal(fmts->u.arr.count, 2);
    chuanp_standard_free(s);
    chuan_diags_clear(&d);
}

static void collect_codes(const chuan_file_result *r, chuanp_pathlist *codes)
{
    for (size_t i = 0; i < r->diags.count; i++)
        chuanp_strlist_add(codes, r->diags.items[i].code);
}

static int check(const chuanp_engine *e, const char *path, chuanp_format fmt, chuanp_pathlist *codes,
                 chuan_file_result *keep)
{
    chuan_file_result r;
    chuan_file_result_init(&r, path);
    chuanp_input in = {.name = path, .path = path};
    int rc = e->ops->check(e, &in, fmt, &r);
    if (codes)
        collect_codes(&r, codes);
    if (keep)
        *keep = r;
    else
        chuan_file_result_clear(&r);
    return rc;
}

static void test_engine_same_rules_every_format(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_engine *e = NULL;
    chuanp_engine_opts o = {.type = CHUANP_SCHEMA_STANDARD, .standard = MINI};
    assert_int_equal(chuanp_standard_engine_new(&e, &o, &d), 0);
    assert_string_equal(e->label, "mini@1.0.0");
    const char *valid[] = {MINI "/fixtures/valid/two.json", MINI "/fixtures/valid/two.ndjson",
                           MINI "/fixtures/valid/two.xml", MINI "/fixtures/valid/two.csv"};
    chuanp_format vf[] = {CHUANP_FMT_JSON, CHUANP_FMT_NDJSON, CHUANP_FMT_XML, CHUANP_FMT_CSV};
    for (int i = 0; i < 4; i++)
        assert_int_equal(check(e, valid[i], vf[i], NULL, NULL), 0);
    chuanp_pathlist cj = {0}, cx = {0}, cc = {0};
    chuan_file_result rx;
    assert_int_equal(check(e, MINI "/fixtures/invalid/rules.json", CHUANP_FMT_JSON, &cj, NULL), 1);
    assert_int_equal(check(e, MINI "/fixtures/invalid/rules.xml", CHUANP_FMT_XML, &cx, &rx), 1);
    assert_int_equal(check(e, MINI "/fixtures/invalid/rules.csv", CHUANP_FMT_CSV, &cc, NULL), 1);
    assert_int_equal(cj.count, 8);
    assert_int_equal(cx.count, cj.count);
    assert_int_equal(cc.count, cj.count);
    for (size_t i = 0; i < cj.count; i++) {
        assert_true(chuanp_strlist_has(&cx, cj.paths[i]));
        assert_true(chuanp_strlist_has(&cc, cj.paths[i]));
    }
    /* XML locations: XPath and the element's line:column; bilingual message */
    const chuan_diag *x = &rx.diags.items[1];
    assert_string_equal(x->code, "MINI-002");
    assert_string_equal(x->path, "/DanhSach/HoSo[1]/MaSoThue[1]");
    assert_int_equal(x->line, 4);
    assert_int_equal(x->column, 5);
    assert_non_null(strstr(x->message, "check digit is 7, expected 6"));
    assert_non_null(x->message_vi);
    assert_non_null(strstr(x->message_vi, "chữ số kiểm tra"));
    assert_string_equal(x->source, "TEST 1:2026, art. 2");
    chuan_file_result_clear(&rx);
    /* a format the package does not define */
    assert_true(check(e, MINI "/fixtures/valid/two.json", CHUANP_FMT_AUTO, NULL, NULL) < 0);
    chuanp_pathlist_free(&cj);
    chuanp_pathlist_free(&cx);
    chuanp_pathlist_free(&cc);
    chuanp_engine_free(e);
    chuan_diags_clear(&d);
}

static void test_column_totals(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_engine *e = NULL;
    chuanp_engine_opts o = {.type = CHUANP_SCHEMA_STANDARD, .standard = "tests/standards/mini-report"};
    assert_int_equal(chuanp_standard_engine_new(&e, &o, &d), 0);
    chuan_file_result r;
    assert_int_equal(check(e, "tests/standards/mini-report/fixtures/invalid/totals.csv", CHUANP_FMT_CSV,
                           NULL, &r), 1);
    size_t totals = 0;
    for (size_t i = 0; i < r.diags.count; i++) {
        if (strcmp(r.diags.items[i].code, "REP-003") == 0) {
            totals++;
            assert_string_equal(r.diags.items[i].path, "row 4");
            assert_int_equal(r.diags.items[i].line, 4);
        }
    }
    assert_int_equal(totals, 2); /* TongSo and Nu, not Nam */
    chuan_file_result_clear(&r);
    assert_int_equal(check(e, "tests/standards/mini-report/fixtures/valid/report.csv", CHUANP_FMT_CSV,
                           NULL, NULL), 0);
    chuanp_engine_free(e);
    chuan_diags_clear(&d);
}

/* A model with one vocabulary keyword value; returns the compile result. */
static const chuanp_jv *model_settings; /* standard.json "settings" for compile_model */

static int compile_model(const char *json, const char **code)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelists set;
    chuanp_codelists_init(&set);
    chuanp_codelists_add_dir(&set, "tests/standards/codelists");
    chuanp_vocab_ctx vc = {.codelists = &set, .settings = model_settings};
    size_t n;
    const chuanp_jsonschema_ext *ext = chuanp_vocab_extensions(&n);
    chuanp_jsonschema_opts jo = {.exts = ext, .nexts = n, .ext_user = &vc};
    chuanp_jsonschema *s = NULL;
    int rc = chuanp_jsonschema_compile_mem(&s, json, strlen(json), NULL, &jo, &d);
    static char last[64];
    last[0] = '\0';
    if (d.count)
        snprintf(last, sizeof last, "%s", d.items[0].code);
    *code = last;
    chuanp_jsonschema_free(s);
    chuanp_codelists_free(&set);
    chuan_diags_clear(&d);
    return rc;
}

static void test_keyword_compile_errors(void **state)
{
    (void)state;
    const char *code;
    assert_int_equal(compile_model("{\"checkDigit\": \"mst\"}", &code), 0);
    assert_true(compile_model("{\"checkDigit\": \"luhn\"}", &code) != 0);
    assert_string_equal(code, "jsonschema.schema");
    assert_true(compile_model("{\"dateFormat\": \"MM/dd/yy\"}", &code) != 0);
    assert_true(compile_model("{\"dateFormat\": {\"setting\": \"nope\"}}", &code) != 0);
    assert_int_equal(compile_model("{\"dateFormat\": [\"dd/MM/yyyy\", \"nd30-date-line\"]}", &code), 0);
    assert_int_equal(compile_model("{\"codelist\": \"mini-provinces\"}", &code), 0);
    assert_true(compile_model("{\"codelist\": \"no-such-list\"}", &code) != 0);
    assert_string_equal(code, "codelist.missing");
    assert_true(compile_model("{\"compare\": [{\"left\": \"A\", \"op\": \"=>\", \"right\": \"B\"}]}", &code) != 0);
    assert_true(compile_model("{\"sumOf\": {\"total\": \"T\"}}", &code) != 0);
    assert_true(compile_model("{\"personalId\": {\"birth\": \"/x\"}}", &code) != 0);
    assert_true(compile_model("{\"columnTotals\": {\"key\": \"K\"}}", &code) != 0);
    /* requiredSetting names a settings array of member names; a rule may be "info" */
    assert_true(compile_model("{\"requiredSetting\": \"t.required\"}", &code) != 0);
    assert_string_equal(code, "jsonschema.schema");
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *st = NULL;
    const char *sj = "{\"t.required\": [\"A\", \"B\"], \"t.bad\": [\"A\", 1], \"t.str\": \"A\"}";
    assert_int_equal(chuanp_json_parse(&st, sj, strlen(sj), NULL, &a, NULL), 0);
    model_settings = st;
    assert_int_equal(compile_model("{\"requiredSetting\": \"t.required\"}", &code), 0);
    assert_true(compile_model("{\"requiredSetting\": \"t.bad\"}", &code) != 0);
    assert_true(compile_model("{\"requiredSetting\": \"t.str\"}", &code) != 0);
    assert_true(compile_model("{\"requiredSetting\": 3}", &code) != 0);
    assert_int_equal(compile_model("{\"rule\": {\"id\": \"I-1\", \"severity\": \"info\"}, \"minLength\": 1}", &code), 0);
    assert_true(compile_model("{\"rule\": {\"id\": \"I-1\", \"severity\": \"note\"}}", &code) != 0);
    model_settings = NULL;
    chuanp_arena_free(&a);
}

/* requiredSetting reports each missing member with the rule in force; an "info" rule's
 * failures are notes that leave the record valid */
static void test_required_setting_and_info(void **state)
{
    (void)state;
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *st = NULL, *inst = NULL;
    const char *sj = "{\"t.required\": [\"A\", \"B\"]}";
    assert_int_equal(chuanp_json_parse(&st, sj, strlen(sj), NULL, &a, NULL), 0);
    chuanp_codelists set;
    chuanp_codelists_init(&set);
    chuanp_vocab_ctx vc = {.codelists = &set, .settings = st};
    size_t n;
    const chuanp_jsonschema_ext *ext = chuanp_vocab_extensions(&n);
    chuanp_jsonschema_opts jo = {.exts = ext, .nexts = n, .ext_user = &vc};
    const char *model =
        "{\"allOf\": [{\"rule\": {\"id\": \"R-1\", \"message\": \"m\"}, \"requiredSetting\": \"t.required\"},"
        " {\"rule\": {\"id\": \"R-2\", \"severity\": \"info\", \"message\": \"n\"},"
        "  \"properties\": {\"C\": {\"pattern\": \"^[0-9]+$\"}}}]}";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_jsonschema *s = NULL;
    assert_int_equal(chuanp_jsonschema_compile_mem(&s, model, strlen(model), NULL, &jo, &d), 0);
    chuanp_jsonschema_vstate *vs = chuanp_jsonschema_vstate_new(s);
    const char *ij = "{\"A\": \"1\", \"C\": \"x\"}";
    assert_int_equal(chuanp_json_parse(&inst, ij, strlen(ij), NULL, &a, NULL), 0);
    assert_true(chuanp_jsonschema_validate(s, vs, inst, "t.json", &d) > 0);
    assert_int_equal(d.count, 2);
    assert_string_equal(d.items[0].code, "R-1");
    assert_int_equal(d.items[0].severity, CHUAN_SEV_ERROR);
    assert_non_null(strstr(d.items[0].message, "\"B\""));
    assert_string_equal(d.items[1].code, "R-2");
    assert_int_equal(d.items[1].severity, CHUAN_SEV_INFO);
    chuan_diags_clear(&d);
    const char *ok = "{\"A\": \"1\", \"B\": \"2\", \"C\": \"x\"}";
    assert_int_equal(chuanp_json_parse(&inst, ok, strlen(ok), NULL, &a, NULL), 0);
    assert_int_equal(chuanp_jsonschema_validate(s, vs, inst, "t.json", &d), 0);
    assert_int_equal(d.count, 1);
    assert_int_equal(d.errors, 0);
    chuan_diags_clear(&d);
    chuanp_jsonschema_vstate_free(vs);
    chuanp_jsonschema_free(s);
    chuanp_codelists_free(&set);
    chuanp_arena_free(&a);
}

/* The standard every input of paths gets (0), none (1), or different ones (-1). */
static int pick(char **id, char **why, const char *const *paths, size_t n, chuan_diags *d)
{
    chuanp_std_choice *ch = NULL;
    *id = *why = NULL;
    if (chuanp_standard_autoselect_each(&ch, NULL, paths, n, d) < 0)
        return -1;
    int rc = 1;
    for (size_t i = 0; i < n; i++) {
        if (!ch[i].standard || (*id && strcmp(*id, ch[i].standard) != 0)) {
            rc = ch[i].standard || *id ? -1 : 1;
            break;
        }
        if (!*id) {
            *id = strdup(ch[i].standard);
            *why = strdup(ch[i].why ? ch[i].why : "");
            rc = 0;
        }
    }
    chuanp_std_choices_free(ch, n);
    if (rc != 0) {
        free(*id);
        free(*why);
        *id = *why = NULL;
    }
    return rc;
}

static void test_autoselect(void **state)
{
    (void)state;
    char cwd[PATH_MAX], tmpl[] = "/tmp/chuan-auto.XXXXXX";
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *std_dirs = chuanp_asprintf("%s/tests/standards", cwd);
    setenv("CHUAN_STANDARDS", std_dirs, 1);
    char *xml = chuanp_asprintf("%s/" MINI "/fixtures/valid/two.xml", cwd);
    char *rep = chuanp_asprintf("%s/tests/standards/mini-report/fixtures/valid/report.json", cwd);
    char *csv = chuanp_asprintf("%s/" MINI "/fixtures/valid/two.csv", cwd);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    char *id = NULL, *why = NULL;
    const char *one[] = {xml};
    assert_int_equal(pick(&id, &why, one, 1, &d), 0);
    assert_string_equal(id, "mini");
    assert_non_null(strstr(why, "XML root element"));
    free(id);
    free(why);
    const char *js[] = {rep};
    assert_int_equal(pick(&id, &why, js, 1, &d), 0);
    assert_string_equal(id, "mini-report");
    free(id);
    free(why);
    const char *mixed[] = {xml, rep}; /* each input gets its own */
    chuanp_std_choice *ch = NULL;
    assert_int_equal(chuanp_standard_autoselect_each(&ch, NULL, mixed, 2, &d), 0);
    assert_string_equal(ch[0].standard, "mini");
    assert_string_equal(ch[1].standard, "mini-report");
    chuanp_std_choices_free(ch, 2);
    const char *none[] = {csv};
    assert_int_equal(pick(&id, &why, none, 1, &d), 1);
    /* a project file maps globs to standards */
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *pf = chuanp_asprintf("%s/.chuan.json", dir);
    FILE *f = fopen(pf, "w");
    assert_non_null(f);
    fputs("{\"standards\": [{\"glob\": \"out/**/*.csv\", \"standard\": \"mini-report\"}]}", f);
    fclose(f);
    char *sub = chuanp_asprintf("%s/out", dir);
    assert_int_equal(mkdir(sub, 0700), 0);
    assert_int_equal(chdir(sub), 0);
    const char *p1[] = {"a/b/x.csv", "y.csv"};
    assert_int_equal(pick(&id, &why, p1, 2, &d), 0);
    assert_string_equal(id, "mini-report");
    assert_non_null(strstr(why, ".chuan.json (glob out/**/*.csv)"));
    free(id);
    free(why);
    const char *p2[] = {"y.json"};
    assert_int_equal(pick(&id, &why, p2, 1, &d), 1);
    assert_int_equal(chdir(cwd), 0);
    unlink(pf);
    rmdir(sub);
    rmdir(dir);
    unsetenv("CHUAN_STANDARDS");
    free(pf);
    free(sub);
    free(std_dirs);
    free(xml);
    free(rep);
    free(csv);
    chuan_diags_clear(&d);
}

static void test_lint_exit_codes(void **state)
{
    (void)state;
    const char *pkgs[] = {"tests/standards/broken-xslt2", "tests/standards/broken-field",
                          "tests/standards/broken-codelist"};
    const char *codes[] = {"schematron.unsupported-binding", "lint.unknown-field",
                           "codelist.duplicate-code"};
    for (int i = 0; i < 3; i++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        char *label = NULL;
        assert_int_equal(chuanp_standard_lint(pkgs[i], NULL, &d, &label), 2);
        assert_string_equal(d.items[0].code, codes[i]);
        free(label);
        chuan_diags_clear(&d);
    }
    chuan_diags d;
    chuan_diags_init(&d, 0);
    char *label = NULL;
    assert_int_equal(chuanp_standard_lint(MINI, NULL, &d, &label), 0);
    assert_string_equal(label, "mini@1.0.0");
    free(label);
    chuan_diags_clear(&d);
}

static void count_emit(void *ctx, const chuan_file_result *r, const chuanp_std_test_detail *det)
{
    size_t *n = ctx;
    assert_non_null(det);
    n[r->status == CHUAN_STATUS_VALID ? 0 : 1]++;
}

static void test_fixture_runner(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    size_t counts[2] = {0, 0};
    chuanp_std_test_opts o = {0};
    chuanp_std_test_summary sum;
    assert_int_equal(chuanp_standard_test(MINI, &o, count_emit, counts, &sum, &d), 0);
    assert_int_equal(sum.failed, 0);
    assert_int_equal(sum.rules, sum.covered);
    assert_int_equal(sum.rules, 10);
    assert_int_equal(counts[1], 0);
    assert_int_equal(counts[0], sum.fixtures + 1);
    free(sum.label);
    chuan_diags_clear(&d);
}

/* Auto-selection per input by a JSON member: the scan skips strings holding braces and
 * escaped quotes, nested objects that merely look alike, reads a BOM and a "service" after a
 * big "data"; an unknown service beside a records array gets standard.unknown-service. */
static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_autoselect_json_member(void **state)
{
    (void)state;
    char cwd[PATH_MAX], tmpl[] = "/tmp/chuan-auto-json.XXXXXX";
    assert_non_null(getcwd(cwd, sizeof cwd));
    char *std_dirs = chuanp_asprintf("%s/standards", cwd);
    setenv("CHUAN_STANDARDS", std_dirs, 1);
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *f[6];
    const char *text[6] = {
        /* service after data, strings with braces and quotes, a look-alike nested member */
        "\xEF\xBB\xBF{\"data\": [{\"x\": \"}{\\\"service\\\": 1\", \"service\": \"DongBoHoSoMC\"}],"
        " \"o\": {\"service\": \"DongBoHoSoMC\"}, \"service\": \"CapNhatTienDoHoSoMC\"}",
        "{\"service\": \"DongBoHoSoMC\", \"isUpdating\": \"false\", \"data\": []}",
        "{\"service\": \"LayThuTuc\",\n \"data\": [1]}",
        "{\"service\": \"LayThuTuc\"}",
        "{\"o\": {\"service\": \"DongBoHoSoMC\"}, \"data\": []}",
        "{\"service\": \"DongBoHoSoMC\", \"data\": [", /* truncated: still named */
    };
    for (int i = 0; i < 6; i++) {
        f[i] = chuanp_asprintf("%s/b%d.json", dir, i);
        write_file(f[i], text[i]);
    }
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_std_choice *ch = NULL;
    int req = -1;
    assert_int_equal(chuanp_standard_autoselect_each(&ch, &req, (const char *const *)f, 6, &d), 0);
    assert_int_equal(req, 0);
    assert_string_equal(ch[0].standard, "dvc-tiendo");
    assert_non_null(strstr(ch[0].why, "/service \"CapNhatTienDoHoSoMC\""));
    assert_string_equal(ch[1].standard, "dvc-hoso");
    assert_null(ch[2].standard);
    assert_int_equal(ch[2].diags.count, 1);
    assert_string_equal(ch[2].diags.items[0].code, "standard.unknown-service");
    assert_int_equal(ch[2].diags.items[0].line, 1);
    assert_int_equal(ch[2].diags.items[0].column, 13);
    assert_null(ch[3].standard); /* no records array: not a DVCQG body */
    assert_int_equal(ch[3].diags.count, 0);
    assert_null(ch[4].standard);
    assert_int_equal(ch[4].diags.count, 0);
    assert_string_equal(ch[5].standard, "dvc-hoso");
    chuanp_std_choices_free(ch, 6);
    for (int i = 0; i < 6; i++) {
        unlink(f[i]);
        free(f[i]);
    }
    rmdir(dir);
    unsetenv("CHUAN_STANDARDS");
    free(std_dirs);
    chuan_diags_clear(&d);
}

/* patternSetting: the accepted forms of a value are a setting of standard.json. */
static void test_pattern_setting(void **state)
{
    (void)state;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    const char *sj = "{\"forms\": [\"^A[0-9]+$\", \"^[0-9a-f]{4}$\"], \"one\": \"^Z$\", \"bad\": [\"(\"],"
                     " \"empty\": [], \"num\": [5]}";
    chuanp_jv *settings = NULL;
    chuanp_json_opts jo0 = {.file = "settings.json"};
    assert_int_equal(chuanp_json_parse(&settings, sj, strlen(sj), &jo0, &arena, &d), 0);
    chuanp_vocab_ctx vc = {.settings = settings};
    size_t n;
    const chuanp_jsonschema_ext *ext = chuanp_vocab_extensions(&n);
    chuanp_jsonschema_opts jo = {.exts = ext, .nexts = n, .ext_user = &vc};
    static const char *const refused[] = {
        "{\"patternSetting\": {\"setting\": \"bad\"}}", "{\"patternSetting\": {\"setting\": \"empty\"}}",
        "{\"patternSetting\": {\"setting\": \"num\"}}", "{\"patternSetting\": {\"setting\": \"nope\"}}",
        "{\"patternSetting\": \"forms\"}"};
    for (size_t i = 0; i < sizeof refused / sizeof *refused; i++) {
        chuanp_jsonschema *s = NULL;
        assert_true(chuanp_jsonschema_compile_mem(&s, refused[i], strlen(refused[i]), NULL, &jo, &d) != 0);
        assert_null(s);
    }
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    const char *schema = "{\"properties\": {\"a\": {\"patternSetting\": {\"setting\": \"forms\"}},"
                         " \"b\": {\"patternSetting\": {\"setting\": \"one\"}}}}";
    chuanp_jsonschema *s = NULL;
    assert_int_equal(chuanp_jsonschema_compile_mem(&s, schema, strlen(schema), NULL, &jo, &d), 0);
    chuanp_jsonschema_vstate *vs = chuanp_jsonschema_vstate_new(s);
    assert_non_null(vs);
    static const struct { const char *doc; int ok; } cases[] = {
        {"{\"a\": \"A12\", \"b\": \"Z\"}", 1}, {"{\"a\": \"beef\"}", 1}, {"{\"a\": 5}", 1},
        {"{\"a\": \"A12x\"}", 0},         {"{\"a\": \"BEEF\"}", 0}, {"{\"b\": \"ZZ\"}", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        chuanp_jv *doc = NULL;
        chuan_diags vd;
        chuan_diags_init(&vd, 0);
        assert_int_equal(chuanp_json_parse(&doc, cases[i].doc, strlen(cases[i].doc), &jo0, &arena, &vd), 0);
        int rc = chuanp_jsonschema_validate(s, vs, doc, "t.json", &vd);
        assert_int_equal(rc == 0, cases[i].ok);
        if (!cases[i].ok)
            assert_non_null(strstr(vd.items[0].message, "none of the forms of the setting"));
        chuan_diags_clear(&vd);
    }
    chuanp_jsonschema_vstate_free(vs);
    chuanp_jsonschema_free(s);
    chuan_diags_clear(&d);
    chuanp_arena_free(&arena);
}

static char *read_stream(FILE *f)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int c;
    while ((c = fgetc(f)) != EOF)
        chuanp_buf_putc(&b, (char)c);
    return chuanp_buf_steal(&b, NULL);
}

/* Wrapped payloads: base64 members decoded (line breaks allowed, padding optional), bad ones
 * reported at the member, diagnostics re-located to the member with the inner position. */
static void test_unwrap(void **state)
{
    (void)state;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    const char *js = "{\"a\": \"PHg+PC94Pg==\",\n \"b\": \"PHg+\\nPC94\\r\\nPg\", \"c\": \"PH*g\", \"d\": 5,"
                     " \"e\": \"PHg+PC94Pg===\", \"f\": \"PHg+P\", \"g\": \"<y/>\", \"h\": \"PHk-Lz4_\"}";
    chuanp_jv *doc = NULL;
    chuanp_json_opts jo = {.file = "t.json"};
    assert_int_equal(chuanp_json_parse(&doc, js, strlen(js), &jo, &arena, &d), 0);
    static const struct { const char *ptr, *enc, *text; } ok[] = {
        {"/a", "base64", "<x></x>"}, {"/b", "base64", "<x></x>"}, {"/g", "none", "<y/>"},
        {"/h", "base64", "<y>/>?"}, /* URL alphabet: '-' and '_' */
    };
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++) {
        FILE *f = NULL;
        assert_int_equal(chuanp_std_unwrap_open(&f, chuanp_json_pointer(doc, ok[i].ptr), ok[i].ptr,
                                                ok[i].enc, "t.json", &d), 0);
        char *text = read_stream(f);
        fclose(f);
        assert_string_equal(text, ok[i].text);
        chuanp_free(text);
    }
    assert_int_equal(d.count, 0);
    static const struct { const char *ptr, *code; } bad[] = {
        {"/c", "unwrap.decode"}, {"/d", "unwrap.member"}, {"/e", "unwrap.decode"},
        {"/f", "unwrap.decode"}, {"/zz", "unwrap.member"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        FILE *f = NULL;
        size_t before = d.count;
        assert_int_equal(chuanp_std_unwrap_open(&f, chuanp_json_pointer(doc, bad[i].ptr), bad[i].ptr,
                                                "base64", "t.json", &d), 1);
        assert_null(f);
        assert_int_equal(d.count, before + 1);
        assert_string_equal(d.items[before].code, bad[i].code);
        assert_string_equal(d.items[before].path, bad[i].ptr);
    }
    assert_int_equal(d.items[0].line, 2); /* "c" is on line 2 */
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "X-1", .file = "t.json", .line = 77,
                     .column = 11, .offset = 900, .path = "/r/s[1]"};
    chuan_diags_add(&d, &dg);
    dg.line = 0;
    dg.path = NULL;
    chuan_diags_add(&d, &dg);
    const chuanp_jv *m = chuanp_json_pointer(doc, "/a");
    assert_int_equal(chuanp_std_unwrap_relocate(&d, 0, m, "/a", "xml"), 0);
    assert_string_equal(d.items[0].path, "/a (decoded xml 77:11) /r/s[1]");
    assert_int_equal(d.items[0].line, (long)m->line);
    assert_int_equal(d.items[0].column, (long)m->column);
    assert_int_equal(d.items[0].offset, (long long)m->offset);
    assert_string_equal(d.items[1].path, "/a (decoded xml)");
    chuan_diags_clear(&d);
    chuanp_arena_free(&arena);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_find_and_load),
        cmocka_unit_test(test_engine_same_rules_every_format),
        cmocka_unit_test(test_column_totals),
        cmocka_unit_test(test_keyword_compile_errors),
        cmocka_unit_test(test_required_setting_and_info),
        cmocka_unit_test(test_autoselect),
        cmocka_unit_test(test_autoselect_json_member),
        cmocka_unit_test(test_lint_exit_codes),
        cmocka_unit_test(test_fixture_runner),
        cmocka_unit_test(test_pattern_setting),
        cmocka_unit_test(test_unwrap),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
