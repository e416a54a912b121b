/* Unit tests for converters/table_mdb_text.c: the legacy text of mdb-json's
 * records. The records are made as mdb-json writes them for a register typed
 * with legacy fonts: each legacy byte as its Windows-1252 character. */
#include "unit.h"

#include "../../converters/json.h"
#include "../../converters/table.h"
#include "../../bench/gen/vnenc.h"

/* Windows-1252 0x80..0x9F (0: unassigned, the byte's C1 code point) */
static const uint16_t hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/* Unicode text typed with a legacy font: its bytes in enc, each as its Windows-1252
 * character, appended as a JSON string. */
static void typed(chuanp_buf *line, chuanp_enc enc, const char *text)
{
    chuanp_buf bytes, chars;
    chuanp_buf_init(&bytes, 0);
    chuanp_buf_init(&chars, 0);
    assert_int_equal(vnenc_encode(enc, text, strlen(text), &bytes, NULL, NULL), 0);
    for (size_t i = 0; i < bytes.len; i++) {
        unsigned b = (unsigned char)bytes.data[i];
        uint32_t cp = b >= 0x80 && b < 0xA0 && hi[b - 0x80] ? hi[b - 0x80] : b;
        chuanp_buf_put_utf8(&chars, cp);
    }
    chuanp_json_write_string(line, chars.data, chars.len, 0);
    chuanp_buf_free(&bytes);
    chuanp_buf_free(&chars);
}

static const char *names[] = {"Nguyễn Văn An", "Trần Thị Bích Ngọc", "Lê Đức Thắng",
                              "Phạm Thị Hoa", "Hoàng Văn Dũng", "Đặng Thu Hiền",
                              "Vũ Minh Tuấn", "Bùi Thị Xuân"};
static const char *places[] = {"Bệnh viện Bạch Mai", "Trạm y tế xã Tiên Dương", "Hà Nội",
                               "Thành phố Hồ Chí Minh"};

static void record(chuanp_buf *b, int i)
{
    chuanp_buf_printf(b, "{\"id\":%d,\"HoTen\":", i + 1);
    typed(b, CHUANP_ENC_TCVN3, names[i % 8]);
    chuanp_buf_puts(b, ",\"NoiSinh\":");
    typed(b, CHUANP_ENC_VNI, places[i % 4]);
    chuanp_buf_puts(b, ",\"Ghi\":\"Jos\xc3\xa9 Caf\xc3\xa9\",\"Uni\":\"Nguy\xe1\xbb\x85n\","
                       "\"so\":12.50,\"d\":null}");
}

static const chuan_diag *find(const chuan_diags *d, const char *code, size_t nth)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].code, code) == 0 && nth-- == 0)
            return &d->items[i];
    return NULL;
}

static void test_detected_per_column(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_mdb_text *t;
    assert_int_equal(chuanp_mdb_text_new(&t, NULL, "db.mdb", &d), 0);
    chuanp_buf line, out;
    chuanp_buf_init(&line, 0);
    chuanp_buf_init(&out, 0);
    for (int i = 0; i < 40; i++) {
        chuanp_buf_reset(&line);
        record(&line, i);
        assert_int_equal(chuanp_mdb_text_sample(t, line.data, line.len), 0);
    }
    assert_int_equal(chuanp_mdb_text_decide(t), 0);
    chuanp_arena a;
    chuanp_arena_init(&a, 4096);
    for (int i = 0; i < 40; i++) {
        chuanp_buf_reset(&line);
        chuanp_buf_reset(&out);
        record(&line, i);
        assert_int_equal(chuanp_mdb_text_line(t, line.data, line.len, i + 1, &out), 0);
        chuanp_jv *v = NULL;
        chuanp_arena_reset(&a);
        assert_int_equal(chuanp_json_parse(&v, out.data, out.len, NULL, &a, NULL), 0);
        assert_string_equal(chuanp_json_get(v, "HoTen")->u.str.text, names[i % 8]);
        assert_string_equal(chuanp_json_get(v, "NoiSinh")->u.str.text, places[i % 4]);
        /* Western text and Unicode text stay, numbers keep their text */
        assert_string_equal(chuanp_json_get(v, "Ghi")->u.str.text, "Jos\xc3\xa9 Caf\xc3\xa9");
        assert_string_equal(chuanp_json_get(v, "Uni")->u.str.text, "Nguy\xe1\xbb\x85n");
        assert_non_null(strstr(out.data, "\"so\":12.50,\"d\":null}"));
    }
    chuanp_mdb_text_finish(t);
    const chuan_diag *tc = find(&d, "encoding.decoded", 0), *vn = find(&d, "encoding.decoded", 1);
    assert_non_null(tc);
    assert_non_null(vn);
    assert_non_null(strstr(tc->message, "40 cells decoded from tcvn3 (detected per column"));
    assert_non_null(strstr(tc->message, "columns HoTen)"));
    assert_non_null(strstr(vn->message, "40 cells decoded from vni"));
    assert_null(find(&d, "encoding.undecided", 0));
    assert_null(find(&d, "encoding.invalid", 0));
    chuanp_arena_free(&a);
    chuanp_mdb_text_free(t);
    chuanp_buf_free(&line);
    chuanp_buf_free(&out);
    chuan_diags_clear(&d);
}

static void test_named_and_invalid(void **state)
{
    (void)state;
    /* a byte TCVN3 does not define */
    int undefined = -1;
    for (int b = 0x80; b < 0x100 && undefined < 0; b++)
        if (chuanp_tab_tcvn3[b] == CHUANP_ENC_INVALID)
            undefined = b;
    assert_true(undefined > 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_mdb_text *t;
    assert_int_equal(chuanp_mdb_text_new(&t, "tcvn3", "db.mdb", &d), 0);
    chuanp_buf line, out;
    chuanp_buf_init(&line, 0);
    chuanp_buf_init(&out, 0);
    chuanp_buf_puts(&line, "{\"a/b\":");
    typed(&line, CHUANP_ENC_TCVN3, "Hà Nội");
    chuanp_buf_puts(&line, ",\"x\":\"");
    uint32_t cp = undefined >= 0xA0 ? (uint32_t)undefined
                  : hi[undefined - 0x80] ? hi[undefined - 0x80] : (uint32_t)undefined;
    chuanp_buf_put_utf8(&line, cp);
    chuanp_buf_puts(&line, "\"}");
    assert_int_equal(chuanp_mdb_text_sample(t, line.data, line.len), 0);
    assert_int_equal(chuanp_mdb_text_line(t, line.data, line.len, 7, &out), 0);
    assert_non_null(strstr(out.data, "{\"a/b\":\"Hà Nội\",\"x\":\"\xef\xbf\xbd\"}"));
    chuanp_mdb_text_finish(t);
    const chuan_diag *g = find(&d, "encoding.invalid", 0);
    assert_non_null(g);
    assert_int_equal(g->line, 7);
    assert_string_equal(g->path, "/x");
    g = find(&d, "encoding.decoded", 0);
    assert_non_null(g);
    assert_string_equal(g->message, "2 cells decoded from tcvn3 (--encoding)");
    /* not an object, or no legacy text: passed on byte for byte */
    chuanp_buf_reset(&out);
    assert_int_equal(chuanp_mdb_text_line(t, "{ \"n\" : 1.0 }", 13, 8, &out), 0);
    assert_string_equal(out.data, "{ \"n\" : 1.0 }");
    chuanp_buf_reset(&out);
    assert_int_equal(chuanp_mdb_text_line(t, "[1,", 3, 9, &out), 0);
    assert_string_equal(out.data, "[1,");
    chuanp_mdb_text_free(t);
    chuan_diags_clear(&d);
    /* utf-8 named: nothing decoded, nothing parsed */
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_mdb_text_new(&t, "utf-8", "db.mdb", &d), 0);
    chuanp_buf_reset(&out);
    assert_int_equal(chuanp_mdb_text_line(t, line.data, line.len, 1, &out), 0);
    assert_memory_equal(out.data, line.data, line.len);
    chuanp_mdb_text_finish(t);
    assert_int_equal(d.count, 0);
    chuanp_mdb_text_free(t);
    chuan_diags_clear(&d);
    chuanp_buf_free(&line);
    chuanp_buf_free(&out);
}

static void test_too_little_text(void **state)
{
    (void)state;
    /* two short names: the detector is not sure; kept, and said */
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_mdb_text *t;
    assert_int_equal(chuanp_mdb_text_new(&t, "auto", "db.mdb", &d), 0);
    chuanp_buf line, out;
    chuanp_buf_init(&line, 0);
    chuanp_buf_init(&out, 0);
    chuanp_buf_puts(&line, "{\"n\":");
    typed(&line, CHUANP_ENC_TCVN3, "Hồ Thị Lê");
    chuanp_buf_putc(&line, '}');
    assert_int_equal(chuanp_mdb_text_sample(t, line.data, line.len), 0);
    assert_int_equal(chuanp_mdb_text_decide(t), 0);
    assert_int_equal(chuanp_mdb_text_line(t, line.data, line.len, 1, &out), 0);
    assert_memory_equal(out.data, line.data, line.len);
    chuanp_mdb_text_finish(t);
    const chuan_diag *g = find(&d, "encoding.undecided", 0);
    assert_non_null(g);
    assert_non_null(strstr(g->message, "column n kept as mdb-json gives it"));
    assert_null(find(&d, "encoding.decoded", 0));
    chuanp_mdb_text_free(t);
    chuan_diags_clear(&d);
    chuanp_buf_free(&line);
    chuanp_buf_free(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_detected_per_column),
        cmocka_unit_test(test_named_and_invalid),
        cmocka_unit_test(test_too_little_text),
    };
    return cmocka_run_group_tests_name("mdb_text", tests, NULL, NULL);
}
