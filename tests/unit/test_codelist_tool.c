/* tests/unit/test_codelist_tool.c - the engine of `chuan codelist` (validator/codelist_tool.c). */
#include "unit.h"

#include "../../validator/codelist_tool.h"

#include <stdio.h>
#include <unistd.h>

/* A temporary file holding text; the caller unlinks and frees the path. */
static char *write_tmp(const char *suffix, const char *text)
{
    char tmpl[64];
    snprintf(tmpl, sizeof tmpl, "/tmp/chuan-cltool-XXXXXX%s", suffix);
    int fd = mkstemps(tmpl, (int)strlen(suffix));
    assert_true(fd >= 0);
    size_t n = strlen(text);
    assert_int_equal(write(fd, text, n), (ssize_t)n);
    close(fd);
    return chuanp_strdup(tmpl);
}

static chuanp_codelist *csv_list(const char *text, chuan_diags *d)
{
    char *p = write_tmp(".csv", text);
    chuanp_codelist *l = NULL;
    assert_int_equal(chuanp_codelist_load(&l, p, p, d), 0);
    unlink(p);
    chuanp_free(p);
    return l;
}

static char *to_csv(const chuanp_codelist *l)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_cl_write_csv(l, &b);
    assert_false(b.err);
    return chuanp_buf_steal(&b, NULL);
}

static int has_code(const chuan_diags *d, const char *code)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].code, code) == 0)
            return 1;
    return 0;
}

/* Nested JSON: the parent two `[]` levels up, an integer code, a name trimmed and NFC-normalised
 * (o + U+0323 -> ọ), a null level holding no items. */
static void test_import_nested_json(void **state)
{
    (void)state;
    char *p = write_tmp(".json",
                        "[{\"Code\": \"01\", \"D\": [{\"Code\": \"001\", \"W\": ["
                        "{\"Code\": \"00004\", \"N\": \" Phuong Ngo\\u0323c \"},"
                        "{\"Code\": 7, \"N\": \"B\"}]}, {\"Code\": \"002\", \"W\": null}]},"
                        "{\"Code\": \"02\", \"D\": [{\"Code\": \"003\", \"W\": [{\"Code\": \"9\", \"N\": \"C\"}]}]}]");
    chuanp_cl_map m = {.items = "[].D[].W[]", .code = "Code", .name = "N", .parent = "../../Code"};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *l = NULL;
    assert_int_equal(chuanp_cl_import(&l, p, &m, &d), 0);
    assert_int_equal(d.count, 0);
    char *csv = to_csv(l);
    assert_string_equal(csv, "code,name,parent\n00004,Phuong Ng\xE1\xBB\x8D" "c,01\n7,B,01\n9,C,02\n");
    chuanp_free(csv);
    chuanp_codelist_free(l);
    /* one level up is the district */
    m.parent = "../Code";
    assert_int_equal(chuanp_cl_import(&l, p, &m, &d), 0);
    assert_string_equal(l->codes[0].parent, "001");
    chuanp_codelist_free(l);
    /* above the outermost item: a mapping error, not a crash */
    m.parent = "../../../Code";
    assert_int_equal(chuanp_cl_import(&l, p, &m, &d), 1);
    assert_true(has_code(&d, "codelist.mapping"));
    chuanp_codelist_free(l);
    chuan_diags_clear(&d);
    unlink(p);
    chuanp_free(p);
}

static void test_import_rejects_duplicates(void **state)
{
    (void)state;
    char *p = write_tmp(".csv", "Ma,Ten\nA,One\nB,Two\nA,Three\n");
    chuanp_cl_map m = {.code = "Ma", .name = "Ten"};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *l = NULL;
    assert_int_equal(chuanp_cl_import(&l, p, &m, &d), 1);
    assert_true(has_code(&d, "codelist.duplicate-code"));
    assert_int_equal(d.items[0].line, 4);
    chuanp_codelist_free(l);
    chuan_diags_clear(&d);
    unlink(p);
    chuanp_free(p);
}

static const char *const OLD = "code,name,valid_from,valid_to,parent\n"
                               "1,Gone,,,P\n"
                               "2,Old name,,,P\n"
                               "3,Moves,,,P\n"
                               "4,Same,2001-01-01,,P\n"
                               "5,Closed before,,2010-01-01,P\n";
static const char *const NEW = "code,name,parent\n2,New name,P\n3,Moves,Q\n4,Same,P\n6,Born,Q\n";

static void test_merge(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *a = csv_list(OLD, &d), *b = csv_list(NEW, &d), *m = NULL;
    assert_int_equal(chuanp_cl_merge(&m, a, b, 20250701, 0, &d), 0);
    char *csv = to_csv(m);
    assert_string_equal(csv, "code,name,valid_from,valid_to,parent\n"
                             "1,Gone,,2025-07-01,P\n"
                             "2,Old name,,2025-07-01,P\n"
                             "2,New name,2025-07-01,,P\n"
                             "3,Moves,,2025-07-01,P\n"
                             "3,Moves,2025-07-01,,Q\n"
                             "4,Same,2001-01-01,,P\n"
                             "5,Closed before,,2010-01-01,P\n"
                             "6,Born,2025-07-01,,Q\n");
    chuanp_free(csv);
    chuanp_codelist_free(m);
    /* split: the unchanged row closes and reopens */
    assert_int_equal(chuanp_cl_merge(&m, a, b, 20250701, 1, &d), 0);
    csv = to_csv(m);
    assert_non_null(strstr(csv, "4,Same,2001-01-01,2025-07-01,P\n4,Same,2025-07-01,,P\n"));
    chuanp_free(csv);
    /* the merged list is sound (read back through the import's checks), and merging the same
     * snapshot again later changes nothing */
    csv = to_csv(m);
    char *mp = write_tmp(".csv", csv);
    chuanp_codelist *back = NULL;
    assert_int_equal(chuanp_cl_import(&back, mp, &(chuanp_cl_map){0}, &d), 0);
    assert_int_equal(back->count, m->count);
    chuanp_codelist_free(back);
    unlink(mp);
    chuanp_free(mp);
    chuanp_free(csv);
    chuanp_codelist *again = NULL;
    assert_int_equal(chuanp_cl_merge(&again, m, b, 20260101, 0, &d), 0);
    assert_int_equal(again->count, m->count);
    chuanp_codelist_free(again);
    chuanp_codelist_free(m);
    assert_int_equal(d.count, 0);
    /* a date before the list's last change is refused */
    assert_int_equal(chuanp_cl_merge(&m, a, b, 20050101, 0, &d), 1);
    assert_null(m);
    assert_true(has_code(&d, "codelist.merge"));
    chuanp_codelist_free(a);
    chuanp_codelist_free(b);
    chuan_diags_clear(&d);
}

static void test_diff(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *a = csv_list(OLD, &d), *b = csv_list(NEW, &d);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    size_t n[4];
    assert_int_equal(chuanp_cl_diff(a, 0, b, 0, 20250701, 0, &out, n, &d), 0);
    assert_int_equal(n[0], 1); /* 6 */
    assert_int_equal(n[1], 1); /* 1; 5 was closed already */
    assert_int_equal(n[2], 1); /* 2 */
    assert_int_equal(n[3], 1); /* 3 */
    assert_non_null(strstr(out.data, "removed      1 \"Gone\", parent P: valid_to = 2025-07-01\n"));
    assert_non_null(strstr(out.data, "1 added, 1 removed, 1 renamed, 1 re-parented, 1 unchanged\n"));
    /* as of 2009, 5 was still valid: removed too */
    chuanp_buf_reset(&out);
    assert_int_equal(chuanp_cl_diff(a, 20090101, b, 0, 0, 1, &out, n, &d), 0);
    assert_int_equal(n[1], 2);
    assert_non_null(strstr(out.data, "\"change\": \"removed\", \"code\": \"5\""));
    chuanp_buf_free(&out);
    chuanp_codelist_free(a);
    chuanp_codelist_free(b);
    chuan_diags_clear(&d);
}

/* A parent must exist during the row's validity; [from, to) periods that only touch do not overlap. */
static void test_check_parents(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *parents = csv_list("code,name,valid_from,valid_to\nP,Old,,2025-07-01\n"
                                        "Q,New,2025-07-01,\n", &d);
    chuanp_codelist *ok = csv_list("code,name,valid_from,valid_to,parent\n"
                                   "1,a,,2025-07-01,P\n1,a,2025-07-01,,Q\n", &d);
    assert_int_equal(chuanp_cl_check_parents(ok, parents, &d), 0);
    chuanp_codelist *bad = csv_list("code,name,valid_from,valid_to,parent\n"
                                    "1,a,2025-07-01,,P\n2,b,,2025-07-01,Q\n3,c,,,R\n", &d);
    assert_int_equal(d.count, 0);
    assert_int_equal(chuanp_cl_check_parents(bad, parents, &d), 1);
    assert_int_equal(d.count, 3);
    assert_true(has_code(&d, "codelist.dangling-parent"));
    chuanp_codelist_free(parents);
    chuanp_codelist_free(ok);
    chuanp_codelist_free(bad);
    chuan_diags_clear(&d);
}

static void test_check_codes(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *l = csv_list("code,name\n00001,a\n0001,b\n000012,c\n", &d);
    assert_int_equal(chuanp_cl_check_codes(l, "[0-9]{5}", &d), 1);
    assert_int_equal(d.count, 2); /* whole code: neither 4 nor 6 digits pass */
    assert_int_equal(chuanp_cl_check_codes(l, "[0-9]{4,6}", &d), 0);
    assert_int_equal(chuanp_cl_check_codes(l, "(", &d), -1);
    chuanp_codelist_free(l);
    chuan_diags_clear(&d);
}

static void test_write_csv_quotes(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *l = csv_list("code,name\nB,\"say \"\"hi\"\", ok\"\nA,plain\n", &d);
    char *csv = to_csv(l);
    assert_string_equal(csv, "code,name\nA,plain\nB,\"say \"\"hi\"\", ok\"\n");
    chuanp_free(csv);
    chuanp_codelist_free(l);
    chuan_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_import_nested_json),
        cmocka_unit_test(test_import_rejects_duplicates),
        cmocka_unit_test(test_merge),
        cmocka_unit_test(test_diff),
        cmocka_unit_test(test_check_parents),
        cmocka_unit_test(test_check_codes),
        cmocka_unit_test(test_write_csv_quotes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
