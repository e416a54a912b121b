/* Unit tests for core/diag_part.c: the sheet/table named in a record
 * diagnostic's location ('S'!A1 /ptr, 'S'!5:5, 'T' /field), Excel's quoting
 * (a quote doubled), which diagnostics are rewritten and which are left. */
#include "unit.h"

static void add(chuan_diags *d, const char *file, long line, long col, const char *path)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "x", .file = file, .line = line,
                    .column = col, .offset = -1, .path = path};
    assert_int_equal(chuan_diags_addf(d, &g, "m"), 0);
}

static void test_sheet_ref(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_part_sheet_ref(&b, "So KS", 5, 12);
    assert_string_equal(b.data, "'So KS'!L5");
    chuanp_buf_reset(&b);
    chuanp_part_sheet_ref(&b, "Bob's", 7, 28);
    assert_string_equal(b.data, "'Bob''s'!AB7");
    chuanp_buf_reset(&b);
    chuanp_part_sheet_ref(&b, "S", 9, 0);
    assert_string_equal(b.data, "'S'!9:9");
    chuanp_buf_reset(&b);
    chuanp_part_sheet_ref(&b, "S", 0, 3);
    assert_string_equal(b.data, "'S'");
    chuanp_buf_reset(&b);
    chuanp_part_sheet_ref(&b, "S", 1, 16384);
    assert_string_equal(b.data, "'S'!XFD1");
    chuanp_buf_free(&b);
}

static void test_locate_sheet(void **state)
{
    (void)state;
    chuanp_part p = {0};
    assert_int_equal(chuanp_part_set(&p, CHUANP_PART_SHEET, "DS"), 0);
    assert_int_equal(chuanp_part_add_col(&p, "/Cha/HoTen", 3), 0);
    assert_int_equal(chuanp_part_add_col(&p, "/a~1b", 2), 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    add(&d, "in.xls", 4, 0, "/Cha/HoTen");  /* a cell: column found from the pointer */
    add(&d, "in.xls", 4, 0, "/Cha");        /* an object several columns fill: the row */
    add(&d, "in.xls", 6, 0, NULL);          /* the record itself */
    add(&d, "in.xls", 6, 0, "/a~1b");
    add(&d, "in.xls", 0, 0, NULL);          /* about the input: left alone */
    add(&d, "in.xls", 2, 1, "'DS'!A2");     /* a reader diagnostic: already located */
    add(&d, "map.json", 3, 0, "/x");        /* another file */
    assert_int_equal(chuanp_part_locate(&p, &d, "in.xls"), 0);
    assert_string_equal(d.items[0].path, "'DS'!C4 /Cha/HoTen");
    assert_int_equal(d.items[0].column, 3);
    assert_string_equal(d.items[1].path, "'DS'!4:4 /Cha");
    assert_int_equal(d.items[1].column, 0);
    assert_string_equal(d.items[2].path, "'DS'!6:6");
    assert_string_equal(d.items[3].path, "'DS'!B6 /a~1b");
    assert_null(d.items[4].path);
    assert_string_equal(d.items[5].path, "'DS'!A2");
    assert_string_equal(d.items[6].path, "/x");
    /* twice: the same (located paths are left) */
    assert_int_equal(chuanp_part_locate(&p, &d, "in.xls"), 0);
    assert_string_equal(d.items[0].path, "'DS'!C4 /Cha/HoTen");
    chuanp_part copy;
    assert_int_equal(chuanp_part_copy(&copy, &p), 0);
    assert_int_equal(copy.ncols, 2);
    assert_string_equal(copy.ptrs[1], "/a~1b");
    chuanp_part_free(&copy);
    chuanp_part_free(&p);
    chuan_diags_clear(&d);
}

static void test_locate_table(void **state)
{
    (void)state;
    chuanp_part p = {0};
    assert_int_equal(chuanp_part_set(&p, CHUANP_PART_TABLE, "Hộ tịch"), 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    add(&d, "db.mdb", 2, 0, "/HoTen");
    add(&d, "db.mdb", 3, 0, "");
    assert_int_equal(chuanp_part_locate(&p, &d, NULL), 0);
    assert_string_equal(d.items[0].path, "'Hộ tịch' /HoTen");
    assert_string_equal(d.items[1].path, "'Hộ tịch'");
    /* no part: nothing changes */
    chuanp_part none = {0};
    add(&d, "db.mdb", 4, 0, "/x");
    assert_int_equal(chuanp_part_locate(&none, &d, NULL), 0);
    assert_string_equal(d.items[2].path, "/x");
    chuanp_part_free(&p);
    chuan_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sheet_ref),
        cmocka_unit_test(test_locate_sheet),
        cmocka_unit_test(test_locate_table),
    };
    return cmocka_run_group_tests_name("diag_part", tests, NULL, NULL);
}
