/* Unit tests for core/textenc_case.c: TCVN3 capitals that share the small
 * letter's byte, restored from the phrase, on hand-written text; the count
 * of inferred words, its warning, and independence from chunk boundaries. */
#define _GNU_SOURCE
#include "unit.h"

#include "../../bench/gen/vnenc.h"

#include <stdio.h>

/* UTF-8 text -> TCVN3 (capitals lose their case) -> decoded. */
static void tcvn3_trip(const char *text, chuanp_buf *out, size_t *inferred)
{
    chuanp_buf e;
    chuanp_buf_init(&e, 0);
    assert_int_equal(vnenc_encode(CHUANP_ENC_TCVN3, text, strlen(text), &e, NULL, NULL), 0);
    chuanp_decoder *d = chuanp_decoder_new(CHUANP_ENC_TCVN3, NULL, NULL);
    assert_non_null(d);
    assert_int_equal(chuanp_decoder_run(d, e.data, e.len, 1, out), 0);
    chuanp_case_note n;
    chuanp_decoder_case_note(d, &n);
    if (inferred)
        *inferred = n.words;
    chuanp_decoder_free(d);
    chuanp_buf_free(&e);
}

/* Text that comes back exactly as written. */
static const char *const restored[] = {
    /* names: the words after a surname are capitalised */
    "Nguyễn Văn Ánh",
    "bà Lê Thị Ấm ở xã Tân Phước",
    "Họ tên: Trần Ánh Dương",
    "Châu Á",
    /* a third or fourth word of a name only when it ends the phrase */
    "Đinh Thị Ngọc Ánh, Lương Thế Vỹ",
    "ông Nguyễn Văn An ủy quyền cho bà Phạm Thị Ánh.",
    /* a capital followed by shared letters: the next word tells */
    "TP. Hồ Chí Minh; TP. HỒ CHÍ MINH; CHÍ MINH HỒ, Lê Hồ",
    "NHÀ Ở XÃ HỘI",
    "Hộ tịch, hồ sơ",
    /* the start of a line, a field or a sentence */
    "Ủy ban nhân dân xã\nỦy ban nhân dân huyện",
    "thủ tục hành chính. Ủy ban nhân dân tỉnh quyết định",
    "HT01,Hộ tịch,Ủy quyền\tẤp 3",
    "{\"DonVi\":\"Ủy ban nhân dân\",\"DiaChi\":[\"Ấp 3\"]}",
    "<DonVi>Ủy ban nhân dân</DonVi>",
    "\"HT01\",\"Ủy ban, xã\"",
    /* otherwise small */
    "Lý do: ủy quyền; ấp Mỹ Điền, xã Tân Phước",
    "Hà Nội ở phía bắc, ánh sáng",
    "Chờ... ừ",
    "Hà Nội ủy quyền",
    /* forced by the word's own letters */
    "VIỆT NAM ĐỘC LẬP, hồ sơ, Hoàng",
};

static void test_restored(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof restored / sizeof *restored; i++) {
        chuanp_buf d;
        chuanp_buf_init(&d, 0);
        tcvn3_trip(restored[i], &d, NULL);
        if (strcmp(d.data, restored[i]) != 0)
            fail_msg("'%s' came back as '%s'", restored[i], d.data);
        chuanp_buf_free(&d);
    }
}

/* Where the phrase misleads: documented limits (README, "TCVN3 capitals"). */
static void test_known_limits(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        /* a name of four words cut by a lower-case word */
        {"Nguyễn Thị Ngọc Ánh sinh năm 1980", "Nguyễn Thị Ngọc ánh sinh năm 1980"},
        /* a capital mid-sentence outside a name */
        {"đi Ấn Độ", "đi ấn Độ"},
        /* a word after a complete three-word name that ends the phrase */
        {"Nguyễn Văn An ấy.", "Nguyễn Văn An Ấy."},
        /* a two-word name followed by a lower-case word */
        {"Vũ Ấm ủy quyền", "Vũ Ấm Ủy quyền"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        chuanp_buf d;
        chuanp_buf_init(&d, 0);
        tcvn3_trip(cases[i].in, &d, NULL);
        assert_string_equal(d.data, cases[i].out);
        chuanp_buf_free(&d);
    }
}

/* Inferred: a word whose case its own letters do not force. */
static void test_count(void **state)
{
    (void)state;
    static const struct {
        const char *in;
        size_t inferred;
    } cases[] = {
        {"Nguyễn Văn Ánh", 1},              /* Ánh */
        {"VIỆT NAM, hồ sơ, Hoàng, Hòa", 0}, /* forced */
        {"TP. Hồ Chí Minh", 1},             /* Hồ (or HỒ) */
        {"ủy ban, ở, Ủy", 3},
        {"Bình An", 0},                     /* no shared letter */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        chuanp_buf d;
        size_t n = 99;
        chuanp_buf_init(&d, 0);
        tcvn3_trip(cases[i].in, &d, &n);
        if (n != cases[i].inferred)
            fail_msg("'%s': %zu inferred, expected %zu", cases[i].in, n, cases[i].inferred);
        chuanp_buf_free(&d);
    }
}

/* One warning per input, at the end, with the first word and its place. */
static void test_warning(void **state)
{
    (void)state;
    chuanp_buf e;
    chuanp_buf_init(&e, 0);
    const char *text = "a\nb Nguyễn Văn Ánh, bà Lê Thị Ấm\nỦy ban\n";
    assert_int_equal(vnenc_encode(CHUANP_ENC_TCVN3, text, strlen(text), &e, NULL, NULL), 0);
    FILE *raw = fmemopen(e.data, e.len, "rb"), *in = NULL;
    assert_non_null(raw);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_textin_open(&in, raw, "in.txt", "tcvn3", NULL, &d), 0);
    char got[256];
    size_t n = fread(got, 1, sizeof got - 1, in);
    got[n] = '\0';
    assert_string_equal(got, text);
    fclose(in);
    fclose(raw);
    assert_int_equal(d.count, 1);
    const chuan_diag *g = &d.items[0];
    assert_string_equal(g->code, "encoding.tcvn3-case");
    assert_int_equal(g->severity, CHUAN_SEV_WARNING);
    assert_string_equal(g->file, "in.txt");
    /* "b NguyÔn V¨n ¸nh": the shared byte of Á is the 14th of line 2 */
    assert_int_equal(g->line, 2);
    assert_int_equal(g->column, 14);
    assert_int_equal(g->offset, 15);
    assert_string_equal(g->message,
                        "3 words hold toned letters whose case TCVN3 does not encode; their case "
                        "was inferred (first: \"Ánh\" at 2:14); check them or re-export as Unicode");
    assert_int_equal(chuanp_case_note_words(g), 3); /* Ánh, Ấm, Ủy */
    chuan_diags_clear(&d);

    /* a note of several parts of one input keeps the first word */
    chuanp_case_note a = {0, 0, 0, -1, ""}, b = {3, 7, 2, 90, "Ấm"}, c = {2, 9, 1, 120, "Ủy"};
    chuanp_case_note_merge(&a, &b);
    chuanp_case_note_merge(&a, &c);
    assert_int_equal(a.words, 5);
    assert_int_equal(a.line, 7);
    assert_string_equal(a.word, "Ấm");
    chuanp_case_note one = {1, 0, 0, 42, "Ủy"};
    chuanp_case_note_report(&one, "x", &d);
    assert_string_equal(d.items[0].message,
                        "1 word holds a toned letter whose case TCVN3 does not encode; its case "
                        "was inferred (\"Ủy\" at byte offset 42); check it or re-export as Unicode");
    chuan_diags_clear(&d);
    chuanp_buf_free(&e);
}

/* A word waiting for the next one is held back across chunks: any cut, in
 * two or three chunks, gives the one-piece result and the same count. */
static void test_chunks(void **state)
{
    (void)state;
    const char *text = "TP. Hồ Chí Minh, Lê Hồ; NHÀ Ở XÃ HỘI\nĐinh Thị Ngọc Ánh, Vũ Văn Ấm ủy quyền";
    chuanp_buf e, whole;
    chuanp_buf_init(&e, 0);
    chuanp_buf_init(&whole, 0);
    assert_int_equal(vnenc_encode(CHUANP_ENC_TCVN3, text, strlen(text), &e, NULL, NULL), 0);
    size_t inferred;
    tcvn3_trip(text, &whole, &inferred);
    assert_string_equal(whole.data, text);
    for (size_t c1 = 0; c1 <= e.len; c1++)
        for (size_t c2 = c1; c2 <= e.len; c2 += 3) {
            chuanp_buf out;
            chuanp_buf_init(&out, 0);
            chuanp_decoder *d = chuanp_decoder_new(CHUANP_ENC_TCVN3, NULL, NULL);
            assert_non_null(d);
            assert_int_equal(chuanp_decoder_run(d, e.data, c1, 0, &out), 0);
            assert_int_equal(chuanp_decoder_run(d, e.data + c1, c2 - c1, 0, &out), 0);
            assert_int_equal(chuanp_decoder_run(d, e.data + c2, e.len - c2, 1, &out), 0);
            if (strcmp(out.data, whole.data) != 0)
                fail_msg("cut at %zu and %zu: %s", c1, c2, out.data);
            chuanp_case_note n;
            chuanp_decoder_case_note(d, &n);
            assert_int_equal(n.words, inferred);
            chuanp_decoder_free(d);
            chuanp_buf_free(&out);
        }
    chuanp_buf_free(&e);
    chuanp_buf_free(&whole);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_restored),
        cmocka_unit_test(test_known_limits),
        cmocka_unit_test(test_count),
        cmocka_unit_test(test_warning),
        cmocka_unit_test(test_chunks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
