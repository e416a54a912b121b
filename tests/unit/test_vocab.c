/* tests/unit/test_vocab.c - rule vocabulary checks: tax codes, dates, personal ids, code lists,
 * decimals and comparisons. */
#include "unit.h"

#include <dirent.h>

#include "../../validator/codelist.h"
#include "../../validator/vocab.h"

static int mst(const char *s)
{
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int rc = chuanp_vocab_check_mst(s, strlen(s), &m);
    if (rc)
        assert_true(m.en.len > 0 && m.vi.len > 0);
    chuanp_vocab_msg_free(&m);
    return rc;
}


/* Empty both messages (what a check leaves before the next). */
static void msg_reset(chuanp_vocab_msg *m)
{
    chuanp_buf_reset(&m->en);
    chuanp_buf_reset(&m->vi);
}

static void test_mst_real_codes_pass(void **state)
{
    (void)state;
    /* DOMAIN.md §5.2: real tax codes, all valid. */
    const char *ok[] = {"0100109106", "0100107518", "0101248141", "0100684378",
                        "0300588569", "0101245486", "4200241296", "0100109106-501"};
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        assert_int_equal(mst(ok[i]), 0);
}

static void test_mst_mutations_fail(void **state)
{
    (void)state;
    const char *codes[] = {"0100109106", "0100107518", "0101248141", "0300588569", "4200241296"};
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        char buf[16];
        for (int pos = 0; pos < 10; pos++) {
            memcpy(buf, codes[i], 11);
            buf[pos] = (char)('0' + (buf[pos] - '0' + 1) % 10);
            /* a changed digit changes S mod 11 (weights are < 11 apart, prime 11) */
            assert_int_equal(mst(buf), 1);
        }
    }
    assert_int_equal(mst("010010910"), 1);       /* 9 digits */
    assert_int_equal(mst("01001091066"), 1);     /* 11 digits */
    assert_int_equal(mst("0100109106-50"), 1);   /* branch of 2 digits */
    assert_int_equal(mst("0100109106_501"), 1);
    assert_int_equal(mst("01001O9106"), 1);
    assert_int_equal(mst(""), 1);
}

static void test_mst_sum_divisible_by_11_invalid(void **state)
{
    (void)state;
    /* 000000000x: S = 0, S mod 11 = 0: no valid check digit at all. */
    for (char c = '0'; c <= '9'; c++) {
        char buf[11] = "000000000";
        buf[9] = c;
        buf[10] = '\0';
        assert_int_equal(mst(buf), 1);
    }
}

static int date_ok(const char *s, chuanp_datefmt f)
{
    chuanp_date d;
    return chuanp_date_parse(s, strlen(s), f, &d) == 0;
}

static void test_date_formats(void **state)
{
    (void)state;
    assert_true(date_ok("29/02/2024", CHUANP_DATEFMT_DMY));
    assert_false(date_ok("29/02/2023", CHUANP_DATEFMT_DMY));
    assert_false(date_ok("31/04/2024", CHUANP_DATEFMT_DMY));
    assert_false(date_ok("1/02/2024", CHUANP_DATEFMT_DMY));
    assert_true(date_ok("2024-12-31", CHUANP_DATEFMT_ISO));
    assert_false(date_ok("2024-12-31T00:00", CHUANP_DATEFMT_ISO));
    assert_true(date_ok("20240101083000", CHUANP_DATEFMT_COMPACT));
    assert_false(date_ok("20240101246000", CHUANP_DATEFMT_COMPACT));
    assert_false(date_ok("2024010108300", CHUANP_DATEFMT_COMPACT));
    assert_true(date_ok("2015/09/30", CHUANP_DATEFMT_YMD_SLASH));
    assert_true(date_ok("2015/09/30 23:59:59", CHUANP_DATEFMT_YMD_SLASH_TIME));
    assert_true(date_ok("30/09/2015 00:00:00", CHUANP_DATEFMT_DMY_TIME));
    assert_false(date_ok("30/09/2015 24:00:00", CHUANP_DATEFMT_DMY_TIME));
    /* every field lands where it belongs */
    chuanp_date d;
    assert_int_equal(chuanp_date_parse("20231130083059", 14, CHUANP_DATEFMT_COMPACT, &d), 0);
    assert_int_equal(d.year, 2023);
    assert_int_equal(d.month, 11);
    assert_int_equal(d.day, 30);
    assert_int_equal(d.hour, 8);
    assert_int_equal(d.minute, 30);
    assert_int_equal(d.second, 59);
    assert_true(d.has_time);
    assert_int_equal(chuanp_date_parse("30/11/2023", 10, CHUANP_DATEFMT_DMY, &d), 0);
    assert_int_equal(d.day * 10000 + d.month * 100 + d.hour, 301100);
    assert_false(d.has_time);
    assert_false(date_ok("30-11-2023", CHUANP_DATEFMT_DMY)); /* literals must match */
    assert_false(date_ok("2023/11/30 08:30", CHUANP_DATEFMT_YMD_SLASH_TIME));
    assert_int_equal(chuanp_datefmt_parse("yyyyMMddHHmmss"), CHUANP_DATEFMT_COMPACT);
    assert_int_equal(chuanp_datefmt_parse("nd30-date-line"), CHUANP_DATEFMT_ND30_LINE);
    assert_int_equal(chuanp_datefmt_parse("MM/dd/yyyy"), CHUANP_DATEFMT_INVALID);
}

static void test_date_nd30_line(void **state)
{
    (void)state;
    chuanp_datefmt f = CHUANP_DATEFMT_ND30_LINE;
    assert_true(date_ok("Hà Nội, ngày 01 tháng 02 năm 2023", f));
    assert_true(date_ok("Tiền Giang, ngày 05 tháng 7 năm 2023", f));
    assert_true(date_ok("ngày 31 tháng 12 năm 2023", f));
    assert_false(date_ok("Tiền Giang, ngày 05 tháng 07 năm 2023", f)); /* 07: no zero for 3-9 */
    assert_false(date_ok("Hà Nội, ngày 01 tháng 2 năm 2023", f));      /* 2 needs a zero */
    assert_false(date_ok("Hà Nội, ngày 1 tháng 02 năm 2023", f));
    assert_false(date_ok("Hà Nội, ngày 30 tháng 02 năm 2023", f));
    assert_false(date_ok("Hà Nội ngày 01 tháng 02 năm 2023", f));
    assert_false(date_ok("Hà Nội, ngày 01 tháng 02 năm 23", f));
    chuanp_date d;
    const char *s = "Hà Nội, ngày 01 tháng 02 năm 2023";
    assert_int_equal(chuanp_date_parse(s, strlen(s), f, &d), 0);
    assert_int_equal(d.year, 2023);
    assert_int_equal(d.month, 2);
    assert_int_equal(d.day, 1);
}

static void test_date_check_message(void **state)
{
    (void)state;
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    chuanp_datefmt fmts[] = {CHUANP_DATEFMT_YMD_SLASH, CHUANP_DATEFMT_DMY};
    assert_int_equal(chuanp_vocab_check_date("2015/09/30", 10, fmts, 2, &m), 0);
    assert_int_equal(chuanp_vocab_check_date("30/09/2015", 10, fmts, 2, &m), 0);
    assert_int_equal(chuanp_vocab_check_date("2015-09-30", 10, fmts, 2, &m), 1);
    assert_non_null(strstr(m.en.data, "yyyy/MM/dd or dd/MM/yyyy"));
    assert_non_null(strstr(m.vi.data, "hoặc"));
    chuanp_vocab_msg_free(&m);
}

static chuanp_codelist *load(const char *path, int want_rc, const char *want_code)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_codelist *l = NULL;
    int rc = chuanp_codelist_load(&l, "test", path, &d);
    assert_int_equal(rc, want_rc);
    if (want_code) {
        assert_true(d.count > 0);
        assert_string_equal(d.items[0].code, want_code);
    } else {
        assert_int_equal(d.count, 0);
    }
    chuan_diags_clear(&d);
    return l;
}

static void test_codelist_validity_dates(void **state)
{
    (void)state;
    chuanp_codelist *l = load("tests/unit/data/provinces-test.csv", 0, NULL);
    const chuanp_code *hit;
    assert_int_equal(chuanp_codelist_lookup(l, "02", 2, 20250630, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "02", 2, 20250701, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup(l, "15", 2, 20250630, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Yên Bái");
    assert_int_equal(chuanp_codelist_lookup(l, "15", 2, 20250701, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Lào Cai");
    assert_int_equal(chuanp_codelist_lookup(l, "10", 2, 20260101, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup(l, "99", 2, 20260101, &hit), CHUANP_CODE_NOT_YET);
    assert_int_equal(chuanp_codelist_lookup(l, "99", 2, 0, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "03", 2, 0, &hit), CHUANP_CODE_UNKNOWN);
    assert_int_equal(chuanp_codelist_lookup(l, "0", 1, 0, &hit), CHUANP_CODE_UNKNOWN);
    assert_int_equal(chuanp_codelist_lookup(l, "79", 2, 20260101, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Thành phố Hồ Chí Minh, TP HCM");

    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    assert_int_equal(chuanp_vocab_check_code_in(l, "02", 2, 20250801, NULL, 0, &m), 1);
    assert_non_null(strstr(m.en.data, "valid until 2025-07-01"));
    assert_non_null(strstr(m.vi.data, "hết hiệu lực"));
    chuanp_vocab_msg_free(&m);
    chuanp_codelist_free(l);
}

/* The bundled province list: 63 provinces until 2025-06-30, 34 from
 * 2025-07-01 (QĐ 124/2004/QĐ-TTg, QĐ 19/2025/QĐ-TTg). */
static size_t valid_on(const chuanp_codelist *l, long date)
{
    size_t n = 0;
    for (size_t i = 0; i < l->count; i++) {
        const chuanp_code *hit;
        /* count each code once: look it up on the date */
        if (i > 0 && strcmp(l->codes[i].code, l->codes[i - 1].code) == 0)
            continue;
        n += chuanp_codelist_lookup(l, l->codes[i].code, strlen(l->codes[i].code), date, &hit) ==
             CHUANP_CODE_VALID;
    }
    return n;
}

static void test_codelist_provinces_63_to_34(void **state)
{
    (void)state;
    chuanp_codelist *l = load("standards/codelists/provinces.csv", 0, NULL);
    assert_int_equal(valid_on(l, 20250630), 63);
    assert_int_equal(valid_on(l, 20250701), 34);
    /* DOMAIN §10.3: 64 provinces from 2004-01-01 (Hà Tây until 2008-08-01), 61 before
     * the split of Lai Châu, Đắk Lắk and Cần Thơ */
    assert_int_equal(valid_on(l, 20080801), 63);
    assert_int_equal(valid_on(l, 20080731), 64);
    assert_int_equal(valid_on(l, 20040101), 64);
    assert_int_equal(valid_on(l, 20031231), 61);
    const chuanp_code *hit;
    assert_int_equal(chuanp_codelist_lookup(l, "02", 2, 20250701, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup(l, "15", 2, 20250701, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "28", 2, 20050912, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "28", 2, 20090101, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup(l, "11", 2, 20031231, &hit), CHUANP_CODE_NOT_YET);
    assert_int_equal(chuanp_codelist_lookup(l, "12", 2, 20031231, &hit), CHUANP_CODE_VALID);
    assert_non_null(strstr(hit->name, "cũ"));
    assert_int_equal(chuanp_codelist_lookup(l, "46", 2, 20241231, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Thừa Thiên Huế");
    assert_int_equal(chuanp_codelist_lookup(l, "46", 2, 20250101, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Huế");
    chuanp_codelist_free(l);
}

/* A parent column: rows are told apart by (code, parent); a lookup may ask
 * for the parent, and says when the code belongs to another one. */
static void test_codelist_parent(void **state)
{
    (void)state;
    chuanp_codelist *l = load("tests/unit/data/parent-test.csv", 0, NULL);
    assert_true(l->has_parent && l->has_dates);
    const chuanp_code *hit;
    assert_int_equal(chuanp_codelist_lookup_in(l, "05", 2, 20240101, "CC", 2, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup_in(l, "05", 2, 20250801, "CC", 2, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup_in(l, "05", 2, 20240101, "CB", 2, &hit), CHUANP_CODE_WRONG_PARENT);
    assert_string_equal(hit->parent, "CC");
    /* another parent's expired row says nothing about this parent */
    assert_int_equal(chuanp_codelist_lookup_in(l, "05", 2, 20250801, "CB", 2, &hit), CHUANP_CODE_UNKNOWN);
    assert_int_equal(chuanp_codelist_lookup_in(l, "07", 2, 20250801, "VC", 2, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup_in(l, "07", 2, 20250801, "CB", 2, &hit), CHUANP_CODE_WRONG_PARENT);
    /* without a parent: any row valid on the date */
    assert_int_equal(chuanp_codelist_lookup(l, "01", 2, 20250801, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "05", 2, 20250801, &hit), CHUANP_CODE_EXPIRED);
    /* a commune that moved to another province on 2025-07-01 */
    assert_int_equal(chuanp_codelist_lookup_in(l, "00700", 5, 20240101, "02", 2, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup_in(l, "00700", 5, 20250801, "02", 2, &hit), CHUANP_CODE_WRONG_PARENT);
    assert_string_equal(hit->parent, "08");
    assert_int_equal(chuanp_codelist_lookup_in(l, "00700", 5, 20250801, "08", 2, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup_in(l, "00700", 5, 20250801, "0", 1, &hit), CHUANP_CODE_WRONG_PARENT);
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    assert_int_equal(chuanp_vocab_check_code_in(l, "00700", 5, 20250801, "02", 2, &m), 1);
    assert_non_null(strstr(m.en.data, "belongs to '08' on 2025-08-01, not to '02'"));
    assert_non_null(strstr(m.vi.data, "thuộc '08'"));
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_code_in(l, "05", 2, 20250801, "CB", 2, &m), 1);
    assert_non_null(strstr(m.en.data, "code '05' (Hạ bậc lương) of the list 'test' is not listed under 'CB'"));
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_code_in(l, "06", 2, 20250801, "CB", 2, &m), 1);
    assert_non_null(strstr(m.en.data, "'06' is not a code of the list 'test'"));
    chuanp_vocab_msg_free(&m);
    chuanp_codelist_free(l);
    chuanp_codelist_free(load("tests/unit/data/empty-parent.csv", 1, "codelist.invalid"));
    chuanp_codelist_free(load("tests/unit/data/dup-parent.csv", 1, "codelist.duplicate-code"));
    chuanp_codelist_free(load("tests/unit/data/bad-header-order.csv", 1, "codelist.invalid"));
}

/* Every bundled code list loads without a diagnostic; the document types
 * carry the copy forms of NĐ 30/2020 and the pre-2020 abbreviations. */
static void test_codelists_bundled(void **state)
{
    (void)state;
    DIR *dh = opendir("standards/codelists");
    assert_non_null(dh);
    struct dirent *e;
    int n = 0;
    while ((e = readdir(dh))) {
        size_t len = strlen(e->d_name);
        if (len < 5 || strcmp(e->d_name + len - 4, ".csv") != 0)
            continue;
        char path[512];
        snprintf(path, sizeof path, "standards/codelists/%s", e->d_name);
        chuanp_codelist_free(load(path, 0, NULL));
        n++;
    }
    closedir(dh);
    assert_true(n >= 20);
    chuanp_codelist *l = load("standards/codelists/document-types.csv", 0, NULL);
    const chuanp_code *hit;
    assert_int_equal(chuanp_codelist_lookup(l, "UQ", 2, 20190101, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "UQ", 2, 20200305, &hit), CHUANP_CODE_EXPIRED);
    assert_int_equal(chuanp_codelist_lookup(l, "NP", 2, 20200304, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "SY", 2, 20250101, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup(l, "GUQ", 3, 20250101, &hit), CHUANP_CODE_VALID);
    chuanp_codelist_free(l);
    l = load("standards/codelists/ethnic-groups.csv", 0, NULL);
    assert_int_equal(chuanp_codelist_lookup(l, "8", 1, 0, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Mông");
    assert_int_equal(chuanp_codelist_lookup(l, "54", 2, 0, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Rơ-măm");
    chuanp_codelist_free(l);
}

/* The generated commune list (scripts/gen-codelists.sh: chuan codelist merge): both snapshots, each
 * commune under its province of the day. */
static void test_codelist_communes(void **state)
{
    (void)state;
    chuanp_codelist *l = load("standards/codelists/communes.csv", 0, NULL);
    assert_int_equal(valid_on(l, 20250701), 3321);
    const chuanp_code *hit;
    /* Phường Phúc Xá (Hà Nội), abolished on 2025-07-01 */
    assert_int_equal(chuanp_codelist_lookup_in(l, "00001", 5, 20240520, "01", 2, &hit), CHUANP_CODE_VALID);
    assert_int_equal(chuanp_codelist_lookup_in(l, "00001", 5, 20250811, "01", 2, &hit), CHUANP_CODE_EXPIRED);
    /* 00004: Trúc Bạch until 2025-06-30, Ba Đình from 2025-07-01, both in Hà Nội */
    assert_int_equal(chuanp_codelist_lookup_in(l, "00004", 5, 20250811, "01", 2, &hit), CHUANP_CODE_VALID);
    assert_string_equal(hit->name, "Phường Ba Đình");
    assert_int_equal(chuanp_codelist_lookup_in(l, "00004", 5, 20250811, "15", 2, &hit), CHUANP_CODE_WRONG_PARENT);
    chuanp_codelist_free(l);
}

static void test_codelist_broken(void **state)
{
    (void)state;
    chuanp_codelist_free(load("tests/unit/data/dup-code.csv", 1, "codelist.duplicate-code"));
    chuanp_codelist_free(load("tests/unit/data/bad-dates.csv", 1, "codelist.date"));
    chuanp_codelist_free(load("tests/unit/data/no-such.csv", -1, "codelist.missing"));
}

static void test_personal_id(void **state)
{
    (void)state;
    chuanp_codelist *prov = load("tests/unit/data/provinces-test.csv", 0, NULL);
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    chuanp_date b1990 = {.year = 1990, .month = 5, .day = 2};
    chuanp_date b2005 = {.year = 2005, .month = 1, .day = 1};
    /* the test list uses 2-digit codes: check province through a 3-digit-free path */
    assert_int_equal(chuanp_vocab_check_personal_id("001090123456", 12, NULL, 0, &b1990, 1, &m), 0);
    assert_int_equal(chuanp_vocab_check_personal_id("001190123456", 12, NULL, 0, &b1990, 2, &m), 0);
    assert_int_equal(chuanp_vocab_check_personal_id("001205123456", 12, NULL, 0, &b2005, 1, &m), 0);
    assert_int_equal(chuanp_vocab_check_personal_id("001305123456", 12, NULL, 0, &b2005, 2, &m), 0);
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_personal_id("001290123456", 12, NULL, 0, &b1990, 1, &m), 1);
    assert_non_null(strstr(m.en.data, "2090"));
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_personal_id("001091123456", 12, NULL, 0, &b1990, 0, &m), 1);
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_personal_id("001090123456", 12, NULL, 0, &b1990, 2, &m), 1);
    assert_non_null(strstr(m.vi.data, "giới tính"));
    msg_reset(&m);
    assert_int_equal(chuanp_vocab_check_personal_id("00109012345", 11, NULL, 0, NULL, 0, &m), 1);
    assert_int_equal(chuanp_vocab_check_personal_id("00109012345a", 12, NULL, 0, NULL, 0, &m), 1);
    /* province code: "010" is not in the 2-digit test list */
    assert_int_equal(chuanp_vocab_check_personal_id("010090123456", 12, prov, 0, NULL, 0, &m), 1);
    chuanp_vocab_msg_free(&m);
    chuanp_codelist_free(prov);
}

static void dec(chuanp_decimal *d, const char *s)
{
    assert_int_equal(chuanp_decimal_parse(d, s, strlen(s)), 0);
}

static void test_decimal(void **state)
{
    (void)state;
    chuanp_decimal a, b;
    dec(&a, "1.50");
    dec(&b, "1.5");
    assert_int_equal(chuanp_decimal_cmp(&a, &b), 0);
    chuanp_decimal_free(&b);
    dec(&b, "-2.25");
    assert_int_equal(chuanp_decimal_add(&a, &b), 0);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuanp_decimal_format(&out, &a);
    assert_string_equal(out.data, "-0.75");
    chuanp_decimal_free(&a);
    chuanp_decimal_free(&b);
    dec(&a, "123456789012345678901234567890");
    dec(&b, "1e1");
    assert_int_equal(chuanp_decimal_add(&a, &b), 0);
    chuanp_buf_reset(&out);
    chuanp_decimal_format(&out, &a);
    assert_string_equal(out.data, "123456789012345678901234567900");
    chuanp_decimal_free(&a);
    chuanp_decimal_free(&b);
    dec(&a, "0.001");
    dec(&b, "1E-3");
    assert_int_equal(chuanp_decimal_cmp(&a, &b), 0);
    chuanp_decimal_free(&a);
    chuanp_decimal_free(&b);
    dec(&a, "-0");
    dec(&b, "0.0");
    assert_int_equal(chuanp_decimal_cmp(&a, &b), 0);
    chuanp_decimal_free(&a);
    chuanp_decimal_free(&b);
    assert_int_equal(chuanp_decimal_parse(&a, "1.", 2), -1);
    assert_int_equal(chuanp_decimal_parse(&a, ".5", 2), -1);
    assert_int_equal(chuanp_decimal_parse(&a, "abc", 3), -1);
    assert_int_equal(chuanp_decimal_parse(&a, "1e99999", 7), -1);
    chuanp_buf_free(&out);
}

static void test_compare_values(void **state)
{
    (void)state;
    chuanp_cmp_kind how;
    assert_true(chuanp_vocab_compare_values("20240102080000", 14, "20240101170000", 14, &how) > 0);
    assert_int_equal(how, CHUANP_CMP_DATE);
    assert_true(chuanp_vocab_compare_values("01/02/2024", 10, "2024-01-31", 10, &how) > 0);
    assert_int_equal(how, CHUANP_CMP_DATE);
    assert_true(chuanp_vocab_compare_values("10", 2, "9.5", 3, &how) > 0);
    assert_int_equal(how, CHUANP_CMP_NUMBER);
    assert_true(chuanp_vocab_compare_values("abc", 3, "abd", 3, &how) < 0);
    assert_int_equal(how, CHUANP_CMP_TEXT);
    assert_int_equal(chuanp_cmp_op_parse(">="), CHUANP_OP_GE);
    assert_true(chuanp_cmp_op_holds(CHUANP_OP_GE, 0));
    assert_false(chuanp_cmp_op_holds(CHUANP_OP_LT, 0));
    assert_int_equal(chuanp_cmp_op_parse("=>"), CHUANP_OP_INVALID);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mst_real_codes_pass),
        cmocka_unit_test(test_mst_mutations_fail),
        cmocka_unit_test(test_mst_sum_divisible_by_11_invalid),
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_date_nd30_line),
        cmocka_unit_test(test_date_check_message),
        cmocka_unit_test(test_codelist_validity_dates),
        cmocka_unit_test(test_codelist_provinces_63_to_34),
        cmocka_unit_test(test_codelist_parent),
        cmocka_unit_test(test_codelist_communes),
        cmocka_unit_test(test_codelists_bundled),
        cmocka_unit_test(test_codelist_broken),
        cmocka_unit_test(test_personal_id),
        cmocka_unit_test(test_decimal),
        cmocka_unit_test(test_compare_values),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
