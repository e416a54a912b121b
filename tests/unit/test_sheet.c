/* Unit tests for the spreadsheet helpers (converters/sheet_*.c): Excel serial
 * dates in both bases and the 1900 leap-year bug, number formats, number text,
 * column names, font -> encoding and the Windows-1252 round trip of legacy
 * text, the columns map's date patterns, format sniffing of zip/OLE2 heads. */
#include "unit.h"

#include "../../converters/sheet.h"
#include "../../bench/gen/vnenc.h"

#include <stdio.h>

static void date_is(double serial, int d1904, const char *want)
{
    char buf[64];
    assert_int_equal(chuanp_excel_date_text(serial, d1904, 0, 0, buf, sizeof buf), 0);
    assert_string_equal(buf, want);
}

static void test_excel_dates(void **state)
{
    (void)state;
    date_is(1, 0, "1900-01-01");
    date_is(59, 0, "1900-02-28");
    date_is(61, 0, "1900-03-01"); /* after the day that never was */
    date_is(25569, 0, "1970-01-01");
    date_is(45366, 0, "2024-03-15");
    date_is(0, 1, "1904-01-01");
    date_is(7305, 1, "1924-01-01");
    date_is(45366 - 1462, 1, "2024-03-15"); /* the same day in the 1904 system */
    date_is(45366.5, 0, "2024-03-15T12:00:00");
    int y, m, d, hh, mi, ss;
    /* 1900-02-29 (serial 60) does not exist: refused, not invented */
    assert_int_equal(chuanp_excel_date(60, 0, &y, &m, &d, &hh, &mi, &ss), -1);
    assert_int_equal(chuanp_excel_date(-1, 0, &y, &m, &d, &hh, &mi, &ss), -1);
    assert_int_equal(chuanp_excel_date(3e6, 0, &y, &m, &d, &hh, &mi, &ss), -1);
    char buf[64];
    assert_int_equal(chuanp_excel_date_text(0.75, 0, 1, 1, buf, sizeof buf), 0);
    assert_string_equal(buf, "18:00:00");
    /* 23:59:59.9 rounds to the next day, not to 24:00:00 */
    assert_int_equal(chuanp_excel_date_text(45366 + 86399.9 / 86400, 0, 1, 0, buf, sizeof buf), 0);
    assert_string_equal(buf, "2024-03-16T00:00:00");
}

static void test_number_formats(void **state)
{
    (void)state;
    int t, ot;
    assert_true(chuanp_numfmt_is_date(14, NULL, &t, &ot));
    assert_false(t);
    assert_true(chuanp_numfmt_is_date(164, "dd/mm/yyyy", &t, &ot));
    assert_true(chuanp_numfmt_is_date(164, "h:mm", &t, &ot));
    assert_true(t && ot);
    assert_true(chuanp_numfmt_is_date(164, "[$-42A]d mmmm yyyy", &t, &ot));
    assert_false(chuanp_numfmt_is_date(164, "000", &t, &ot));
    assert_false(chuanp_numfmt_is_date(164, "0.00\" days\"", &t, &ot)); /* quoted letters */
    assert_false(chuanp_numfmt_is_date(164, "[Red]0.00", &t, &ot));
    assert_false(chuanp_numfmt_is_date(0, NULL, &t, &ot));
    assert_false(chuanp_numfmt_is_date(49, NULL, &t, &ot)); /* "@" */
    char buf[64];
    assert_true(chuanp_numfmt_zero_pad("000", 7, buf, sizeof buf));
    assert_string_equal(buf, "007");
    assert_true(chuanp_numfmt_zero_pad("000000000000", 22224003517.0, buf, sizeof buf));
    assert_string_equal(buf, "022224003517");
    assert_true(chuanp_numfmt_zero_pad("00", 123, buf, sizeof buf));
    assert_string_equal(buf, "123");
    assert_false(chuanp_numfmt_zero_pad("0.00", 7, buf, sizeof buf));
    assert_false(chuanp_numfmt_zero_pad("000", 7.5, buf, sizeof buf));
    assert_false(chuanp_numfmt_zero_pad("000", -7, buf, sizeof buf));
    assert_false(chuanp_numfmt_zero_pad(NULL, 7, buf, sizeof buf));
    chuanp_number_text(0.1, buf, sizeof buf);
    assert_string_equal(buf, "0.1");
    chuanp_number_text(1.25, buf, sizeof buf);
    assert_string_equal(buf, "1.25");
    chuanp_number_text(-0.0, buf, sizeof buf);
    assert_string_equal(buf, "0");
    chuanp_number_text(123456789012.0, buf, sizeof buf);
    assert_string_equal(buf, "123456789012");
    chuanp_col_name(0, buf, sizeof buf);
    assert_string_equal(buf, "A");
    chuanp_col_name(27, buf, sizeof buf);
    assert_string_equal(buf, "AB");
    chuanp_col_name(16383, buf, sizeof buf);
    assert_string_equal(buf, "XFD");
}

static const char *decoded(chuanp_sheet_fonts *f, const char *font, const char *text,
                           chuanp_buf *b)
{
    chuanp_buf_reset(b);
    chuanp_sheet_cell_begin(f);
    assert_int_equal(chuanp_sheet_decode(f, font, text, strlen(text), b), 0);
    chuanp_sheet_cell_end(f);
    return b->data ? b->data : "";
}

/* What chuanp_sheet_decode makes of bytes 0xF1 0xD1 ("añÑ x" as typed through Windows-1252;
 * "aủẹ x" in TCVN3, "ađĐ x" in VNI, "aĐỦ x" in VPS) in `font` is what the encoding `enc` decodes them to (in capitals for the
 * TCVN3 capitals fonts): the font name selected that encoding. */
static void assert_font(chuanp_sheet_fonts *f, const char *font, chuanp_enc enc, int upper)
{
    static const char bytes[] = "a\xF1\xD1 x", typed[] = "a\xC3\xB1\xC3\x91 x";
    chuanp_buf b, want;
    chuanp_buf_init(&b, 0);
    chuanp_buf_init(&want, 0);
    if (enc == CHUANP_ENC_UTF8) {
        chuanp_buf_puts(&want, typed);
    } else {
        assert_int_equal(vnenc_decode_all(enc, bytes, strlen(bytes), &want, NULL), 0);
        assert_true(strcmp(want.data, typed) != 0);
    }
    if (upper) {
        chuanp_buf up;
        chuanp_buf_init(&up, 0);
        for (size_t i = 0; i < want.len;) {
            uint32_t cp;
            int k = chuanp_utf8_decode((const unsigned char *)want.data + i, want.len - i, &cp);
            assert_true(k > 0);
            chuanp_buf_put_utf8(&up, chuanp_vn_upper(cp));
            i += (size_t)k;
        }
        assert_true(strcmp(up.data, want.data) != 0);
        chuanp_buf_reset(&want);
        chuanp_buf_append(&want, up.data, up.len);
        chuanp_buf_free(&up);
    }
    const char *got = decoded(f, font, typed, &b);
    if (strcmp(got, want.data) != 0)
        fail_msg("font '%s': got '%s', expected '%s'", font ? font : "(none)", got, want.data);
    chuanp_buf_free(&want);
    chuanp_buf_free(&b);
}

static void test_fonts(void **state)
{
    (void)state;
    chuanp_sheet_fonts *f = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_sheet_fonts_new(&f, NULL, "t", &d), 0);
    /* the encoding each font name selects: ".Vn*" TCVN3 (".Vn*H" its capitals), "VNI-*" and
     * "VNI *" VNI, "VPS*" VPS, any case; others (and no font) Unicode */
    chuanp_sheet_fonts *g = NULL; /* its cell counts are not the ones checked below */
    assert_int_equal(chuanp_sheet_fonts_new(&g, NULL, "t", &d), 0);
    assert_font(g, ".VnTime", CHUANP_ENC_TCVN3, 0);
    assert_font(g, ".VnTimeH", CHUANP_ENC_TCVN3, 1);
    assert_font(g, "VNI-Times", CHUANP_ENC_VNI, 0);
    assert_font(g, "vni-helve", CHUANP_ENC_VNI, 0);
    assert_font(g, "VNI Times", CHUANP_ENC_VNI, 0);
    assert_font(g, "VPS Times", CHUANP_ENC_VPS, 0);
    assert_font(g, "Times New Roman", CHUANP_ENC_UTF8, 0);
    assert_font(g, ".Time", CHUANP_ENC_UTF8, 0);
    assert_font(g, NULL, CHUANP_ENC_UTF8, 0);
    chuanp_sheet_fonts_free(g);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    /* TCVN3 "Nguyễn Văn" typed in .VnTime: bytes 0xD4 (ễ) and 0xA8 (ă) as Windows-1252 */
    assert_string_equal(decoded(f, ".VnTime", "Nguy\xC3\x94n V\xC2\xA8n", &b), "Nguyễn Văn");
    /* a Unicode font keeps the same characters */
    assert_string_equal(decoded(f, "Arial", "Nguy\xC3\x94n", &b), "NguyÔn");
    /* text outside Windows-1252 was typed in Unicode: kept even in a legacy font */
    assert_string_equal(decoded(f, ".VnTime", "Nguyễn", &b), "Nguyễn");
    /* .VnTimeH: capitals */
    assert_string_equal(decoded(f, ".VnTimeH", "s\xC3\xA6 h\xC3\xA9 t\xC3\x9E" "ch", &b),
                        "SỔ HỘ TỊCH");
    /* VNI "Hà Nội": H a + 0xF8 (grave), N o + 0xE4 (circumflex + dot) i */
    assert_string_equal(decoded(f, "VNI-Times", "Ha\xC3\xB8 No\xC3\xA4i", &b), "Hà Nội");
    /* the bytes Windows-1252 leaves unassigned come back as themselves (U+0081 -> 0x81);
     * the Windows-1252 character of 0x80 (U+20AC) gives byte 0x80 */
    chuanp_buf_reset(&b);
    chuanp_sheet_cell_begin(f);
    assert_int_equal(chuanp_sheet_decode(f, ".VnTime", "\xE2\x82\xAC\xC2\x81", 5, &b), 0);
    chuanp_sheet_cell_end(f);
    chuanp_buf ref;
    chuanp_buf_init(&ref, 0);
    size_t errs = 0;
    assert_int_equal(vnenc_decode_all(CHUANP_ENC_TCVN3, "\x80\x81", 2, &ref, &errs), 0);
    assert_string_equal(b.data, ref.data);
    chuanp_buf summary;
    chuanp_buf_init(&summary, 0);
    assert_int_equal(chuanp_sheet_fonts_summary(f, &summary, "t", &d), 1);
    assert_non_null(strstr(summary.data, "tcvn3 3"));
    assert_non_null(strstr(summary.data, "vni 1"));
    assert_non_null(strstr(summary.data, "unicode 2"));
    chuanp_buf_free(&summary);
    chuanp_buf_free(&ref);
    chuanp_buf_free(&b);
    chuanp_sheet_fonts_free(f);
    chuan_diags_clear(&d);
}

static void test_font_map(void **state)
{
    (void)state;
    const char *path = "build/test-sheet-fonts.map";
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs("# local fonts\nABC Times* = tcvn3\n.VnTime = unicode\n", fp);
    fclose(fp);
    chuanp_sheet_fonts *f = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_sheet_fonts_new(&f, path, "t", &d), 0);
    assert_font(f, "abc times new", CHUANP_ENC_TCVN3, 0);
    assert_font(f, ".VnTime", CHUANP_ENC_UTF8, 0); /* the map first */
    assert_font(f, ".VnArial", CHUANP_ENC_TCVN3, 0);
    chuanp_sheet_fonts_free(f);
    fp = fopen(path, "w");
    fputs("Foo = klingon\n", fp);
    fclose(fp);
    assert_true(chuanp_sheet_fonts_new(&f, path, "t", &d) > 0);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].code, "sheet.font-map");
    assert_int_equal(d.items[0].line, 1);
    chuan_diags_clear(&d);
    remove(path);
}

static void test_colmap_dates(void **state)
{
    (void)state;
    chuanp_colmap_entry e = {.field = "F", .from = "dd/MM/yy", .to = "dd/MM/yyyy", .pivot = 30};
    char out[64];
    assert_int_equal(chuanp_colmap_date(&e, "02/03/24", 8, 0, 0, 0, out, sizeof out), 1);
    assert_string_equal(out, "02/03/2024");
    assert_int_equal(chuanp_colmap_date(&e, "21/05/93", 8, 0, 0, 0, out, sizeof out), 1);
    assert_string_equal(out, "21/05/1993");
    assert_int_equal(chuanp_colmap_date(&e, "2/3/24", 6, 0, 0, 0, out, sizeof out), 1);
    assert_string_equal(out, "02/03/2024");
    /* not a date of the pattern, or no such day: left as it is */
    assert_int_equal(chuanp_colmap_date(&e, "31/02/24", 8, 0, 0, 0, out, sizeof out), 0);
    assert_int_equal(chuanp_colmap_date(&e, "29/02/23", 8, 0, 0, 0, out, sizeof out), 0);
    assert_int_equal(chuanp_colmap_date(&e, "29/02/24", 8, 0, 0, 0, out, sizeof out), 1);
    assert_int_equal(chuanp_colmap_date(&e, "abc", 3, 0, 0, 0, out, sizeof out), 0);
    assert_int_equal(chuanp_colmap_date(&e, "02/03/2024", 10, 0, 0, 0, out, sizeof out), 0);
    /* a date cell: y/m/d given */
    assert_int_equal(chuanp_colmap_date(&e, NULL, 0, 1990, 8, 14, out, sizeof out), 1);
    assert_string_equal(out, "14/08/1990");
    chuanp_colmap_entry iso = {.field = "F", .to = "yyyy-MM-dd"};
    assert_int_equal(chuanp_colmap_date(&iso, "x", 1, 0, 0, 0, out, sizeof out), 0);
    assert_int_equal(chuanp_colmap_date(&iso, NULL, 0, 2001, 2, 3, out, sizeof out), 1);
    assert_string_equal(out, "2001-02-03");
}

static void test_sniff(void **state)
{
    (void)state;
    assert_int_equal(chuanp_format_sniff(NULL, "PK\x03\x04rest", 8), CHUANP_FMT_XLSX);
    assert_int_equal(chuanp_format_sniff(NULL, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8),
                     CHUANP_FMT_XLS);
    assert_int_equal(chuanp_format_sniff("a.XLSX", "", 0), CHUANP_FMT_XLSX);
    assert_int_equal(chuanp_format_sniff("a.xls", "", 0), CHUANP_FMT_XLS);
    assert_int_equal(chuanp_format_parse("xlsx"), CHUANP_FMT_XLSX);
    assert_true(chuanp_format_is_binary(CHUANP_FMT_XLS));
    assert_false(chuanp_format_is_binary(CHUANP_FMT_CSV));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_excel_dates),
        cmocka_unit_test(test_number_formats),
        cmocka_unit_test(test_fonts),
        cmocka_unit_test(test_font_map),
        cmocka_unit_test(test_colmap_dates),
        cmocka_unit_test(test_sniff),
    };
    return cmocka_run_group_tests_name("sheet", tests, NULL, NULL);
}
