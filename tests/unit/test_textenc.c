/* Unit tests for core/textenc*: tables (every letter x tone x case through
 * every encoding), streaming across chunk boundaries, invalid bytes, the
 * syllable checker, detection on fixtures/encoding/, the textin layer. */
#define _GNU_SOURCE
#include "unit.h"

#include "../../bench/gen/vnenc.h"

#include <stdio.h>
#include <utf8proc.h>

static const chuanp_enc legacy[] = {CHUANP_ENC_TCVN3, CHUANP_ENC_VNI, CHUANP_ENC_VISCII,
                                    CHUANP_ENC_VPS, CHUANP_ENC_CP1258};
enum { NLEGACY = sizeof legacy / sizeof *legacy };

static char *slurp(const char *path, size_t *len)
{
    chuanp_input in = {path, path};
    char *data = NULL, *err = NULL;
    if (chuanp_read_all(&in, 0, &data, len, &err) < 0) {
        fprintf(stderr, "%s\n", err);
        free(err);
        return NULL;
    }
    return data;
}

static void put_cp(chuanp_buf *b, uint32_t cp) { chuanp_buf_put_utf8(b, cp); }

/* decode(encode(text)) == text, with nothing unmappable and nothing invalid. */
static void assert_roundtrip(chuanp_enc enc, const char *text, size_t len)
{
    chuanp_buf e, d;
    chuanp_buf_init(&e, 0);
    chuanp_buf_init(&d, 0);
    size_t unmappable = 9, errors = 9;
    assert_int_equal(vnenc_encode(enc, text, len, &e, &unmappable, NULL), 0);
    assert_int_equal(unmappable, 0);
    assert_int_equal(vnenc_decode_all(enc, e.data, e.len, &d, &errors), 0);
    assert_int_equal(errors, 0);
    if (d.len != len || memcmp(d.data, text, len) != 0)
        fail_msg("%s: '%.*s' came back as '%.*s'", chuanp_enc_name(enc), (int)len, text,
                 (int)d.len, d.data);
    chuanp_buf_free(&e);
    chuanp_buf_free(&d);
}

static void test_every_letter_every_tone(void **state)
{
    (void)state;
    for (size_t k = 0; k < NLEGACY + 1; k++) {
        chuanp_enc enc = k < NLEGACY ? legacy[k] : CHUANP_ENC_UTF8;
        for (int s = 0; s < CHUANP_VN_SHAPES; s++)
            for (int t = 0; t < CHUANP_VN_TONES; t++)
                for (int u = 0; u < 2; u++) {
                    chuanp_buf b;
                    chuanp_buf_init(&b, 0);
                    uint32_t cp = chuanp_vn_letter(s, t, u);
                    if (enc == CHUANP_ENC_TCVN3 && u) {
                        /* TCVN3 capitals share the lower-case code: they come
                         * back as capitals inside a word in capitals */
                        chuanp_buf_puts(&b, "B");
                        put_cp(&b, cp);
                        chuanp_buf_puts(&b, "C");
                    } else if (enc == CHUANP_ENC_TCVN3) {
                        /* a small letter inside a sentence (alone at the start
                         * of the input it would be taken as a capital) */
                        chuanp_buf_puts(&b, "b ");
                        put_cp(&b, cp);
                    } else {
                        put_cp(&b, cp);
                    }
                    assert_roundtrip(enc, b.data, b.len);
                    /* and after a base letter and before a mark-like byte */
                    chuanp_buf_reset(&b);
                    chuanp_buf_puts(&b, u ? "N" : "n");
                    put_cp(&b, cp);
                    chuanp_buf_puts(&b, u ? "NG " : "ng ");
                    assert_roundtrip(enc, b.data, b.len);
                    chuanp_buf_free(&b);
                }
        assert_roundtrip(enc, "Đ đ ĐĐ đđ", strlen("Đ đ ĐĐ đđ"));
    }
}

/* Spot checks against the published tables. */
static void assert_encodes(chuanp_enc enc, const char *text, const char *bytes)
{
    chuanp_buf e;
    chuanp_buf_init(&e, 0);
    assert_int_equal(vnenc_encode(enc, text, strlen(text), &e, NULL, NULL), 0);
    if (e.len != strlen(bytes) || memcmp(e.data, bytes, e.len) != 0)
        fail_msg("%s: '%s' encoded wrongly", chuanp_enc_name(enc), text);
    chuanp_buf_free(&e);
}

static void test_published_codes(void **state)
{
    (void)state;
    assert_encodes(CHUANP_ENC_TCVN3, "á à ả ã ạ ư đ Đ", "\xB8 \xB5 \xB6 \xB7 \xB9 \xAD \xAE \xA7");
    assert_encodes(CHUANP_ENC_TCVN3, "Á", "\xB8"); /* shared with á */
    assert_encodes(CHUANP_ENC_VNI, "á Á ệ Ệ ơ ớ Ư đ Đ í ỵ ắ", "a\xF9 A\xD9 e\xE4 E\xC4 \xF4 \xF4\xF9 \xD6 \xF1 \xD1 \xED \xEE a\xE9");
    assert_encodes(CHUANP_ENC_VISCII, "Ẳ Ẵ Ẫ Ỷ Ỹ Ỵ", "\x02 \x05 \x06 \x14 \x19 \x1E");
    assert_encodes(CHUANP_ENC_VPS, "Ạ Ậ ạ", "\x02 \x03 \xE5");
    assert_encodes(CHUANP_ENC_CP1258, "á ệ Ư ơ", "\xE1 \xEA\xF2 \xDD \xF5");
}

static const char sample[] =
    "Ủy ban nhân dân xã Hòa Tiến, huyện Hòa Vang: ông Nguyễn Văn Đức, bà Trần Thị Hương; "
    "VIỆT NAM ĐỘC LẬP. Giấy chứng nhận được cấp ngày 15/3/2024.\n";

/* Decoding in two chunks, cut at every byte, gives the one-piece result. */
static void test_chunk_boundaries(void **state)
{
    (void)state;
    for (size_t k = 0; k < NLEGACY + 1; k++) {
        chuanp_enc enc = k < NLEGACY ? legacy[k] : CHUANP_ENC_UTF8;
        chuanp_buf e, whole;
        chuanp_buf_init(&e, 0);
        chuanp_buf_init(&whole, 0);
        if (enc == CHUANP_ENC_UTF8) {
            char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)sample);
            chuanp_buf_puts(&e, nfd);
            free(nfd);
        } else {
            assert_int_equal(vnenc_encode(enc, sample, strlen(sample), &e, NULL, NULL), 0);
        }
        assert_int_equal(vnenc_decode_all(enc, e.data, e.len, &whole, NULL), 0);
        if (enc != CHUANP_ENC_TCVN3)
            assert_string_equal(whole.data, sample);
        for (size_t cut = 0; cut <= e.len; cut++) {
            chuanp_buf out;
            chuanp_buf_init(&out, 0);
            chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
            assert_non_null(d);
            assert_int_equal(chuanp_decoder_run(d, e.data, cut, 0, &out), 0);
            assert_int_equal(chuanp_decoder_run(d, e.data + cut, e.len - cut, 1, &out), 0);
            assert_int_equal(chuanp_decoder_errors(d), 0);
            if (out.len != whole.len || memcmp(out.data, whole.data, out.len) != 0)
                fail_msg("%s: cut at %zu differs: %s", chuanp_enc_name(enc), cut, out.data);
            chuanp_decoder_free(d);
            chuanp_buf_free(&out);
        }
        /* one byte at a time */
        chuanp_buf out;
        chuanp_buf_init(&out, 0);
        chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
        for (size_t i = 0; i < e.len; i++)
            assert_int_equal(chuanp_decoder_run(d, e.data + i, 1, 0, &out), 0);
        assert_int_equal(chuanp_decoder_run(d, "", 0, 1, &out), 0);
        assert_string_equal(out.data, whole.data);
        chuanp_decoder_free(d);
        chuanp_buf_free(&out);
        chuanp_buf_free(&e);
        chuanp_buf_free(&whole);
    }
}

/* UTF-8 input in any mix of NFC and NFD, marks in any order: the decoder
 * gives exactly what utf8proc's NFC gives. */
static void test_utf8_nfc_matches_utf8proc(void **state)
{
    (void)state;
    static const uint32_t alphabet[] = {
        'a', 'e', 'i', 'o', 'u', 'y', 'A', 'O', 'U', 'n', ' ', 0xE2, 0xEA, 0xF4, 0x1A1, 0x1B0,
        0x103, 0xC2, 0xE9, 0x1EA1, 0x300, 0x301, 0x303, 0x309, 0x323, 0x302, 0x306, 0x31B,
        0x304, 0x308, 0x1100, 0x1161, 0x4E00, 0x2126,
    };
    uint32_t seed = 12345;
    for (int round = 0; round < 5000; round++) {
        chuanp_buf in, out;
        chuanp_buf_init(&in, 0);
        chuanp_buf_init(&out, 0);
        seed = seed * 1103515245u + 12345u;
        int len = 1 + (int)((seed >> 16) % 12);
        for (int i = 0; i < len; i++) {
            seed = seed * 1103515245u + 12345u;
            chuanp_buf_put_utf8(&in, alphabet[(seed >> 16) % (sizeof alphabet / sizeof *alphabet)]);
        }
        char *want = (char *)utf8proc_NFC((const utf8proc_uint8_t *)in.data);
        assert_int_equal(vnenc_decode_all(CHUANP_ENC_UTF8, in.data, in.len, &out, NULL), 0);
        if (strcmp(out.data, want) != 0)
            fail_msg("round %d: NFC differs for input of %zu bytes", round, in.len);
        free(want);
        chuanp_buf_free(&in);
        chuanp_buf_free(&out);
    }
}

static void test_tcvn3_capitals_from_context(void **state)
{
    (void)state;
    chuanp_buf d;
    chuanp_buf_init(&d, 0);
    /* "VIÖT NAM, CHÝ MINH Hå, Hå Chý Minh, ñy ban": an initial capital
     * follows the case of the previous word only when that one showed it. */
    const char *in = "VI\xD6T NAM, CH\xDD MINH H\xE5, H\xE5 Ch\xDD Minh, \xF1y ban";
    assert_int_equal(vnenc_decode_all(CHUANP_ENC_TCVN3, in, strlen(in), &d, NULL), 0);
    assert_string_equal(d.data, "VIỆT NAM, CHÍ MINH HỒ, Hồ Chí Minh, ủy ban");
    /* a comma, digit or quote starts afresh; a space or '.' does not */
    chuanp_buf_reset(&d);
    const char *in2 = "TP. H\xE5 CH\xDD MINH, H\xE5 Ch\xDD Minh; \"HT01\",\"H\xE9 t\xDE" "ch\"";
    assert_int_equal(vnenc_decode_all(CHUANP_ENC_TCVN3, in2, strlen(in2), &d, NULL), 0);
    assert_string_equal(d.data, "TP. HỒ CHÍ MINH, Hồ Chí Minh; \"HT01\",\"Hộ tịch\"");
    chuanp_buf_free(&d);
}

static void test_invalid_bytes_reported(void **state)
{
    (void)state;
    static const struct {
        chuanp_enc enc;
        const char *in;
        long long offset;
        const char *out;
    } cases[] = {
        {CHUANP_ENC_UTF8, "ab\xFF" "cd", 2, "ab\xEF\xBF\xBD" "cd"},
        {CHUANP_ENC_UTF8, "Vi\xE1\xBB", 2, "Vi\xEF\xBF\xBD\xEF\xBF\xBD"}, /* cut at the end */
        {CHUANP_ENC_CP1258, "x\x81y", 1, "x\xEF\xBF\xBDy"},
        {CHUANP_ENC_TCVN3, "x\x8Dy", 1, "x\xEF\xBF\xBDy"},
        {CHUANP_ENC_VNI, "ab\xF9", 2, "ab\xEF\xBF\xBD"},      /* a mark after a non-base */
        {CHUANP_ENC_VNI, "i\xFF", 1, "i\xEF\xBF\xBD"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        chuan_diags diags;
        chuan_diags_init(&diags, 0);
        chuanp_buf out;
        chuanp_buf_init(&out, 0);
        chuanp_decoder *d = chuanp_decoder_new(cases[i].enc, "in.txt", &diags);
        assert_int_equal(chuanp_decoder_run(d, cases[i].in, strlen(cases[i].in), 1, &out), 0);
        assert_true(diags.count >= 1);
        assert_string_equal(diags.items[0].code, "encoding.invalid");
        assert_string_equal(diags.items[0].file, "in.txt");
        assert_int_equal(diags.items[0].offset, cases[i].offset);
        assert_int_equal(diags.items[0].line, 1);
        assert_int_equal(diags.items[0].column, cases[i].offset + 1);
        assert_string_equal(out.data, cases[i].out);
        chuanp_decoder_free(d);
        chuanp_buf_free(&out);
        chuan_diags_clear(&diags);
    }
}

static void test_invalid_bytes_capped(void **state)
{
    (void)state;
    char junk[500];
    memset(junk, 0x81, sizeof junk);
    chuan_diags diags;
    chuan_diags_init(&diags, 0);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuanp_decoder *d = chuanp_decoder_new(CHUANP_ENC_CP1258, "j", &diags);
    assert_int_equal(chuanp_decoder_run(d, junk, sizeof junk, 1, &out), 0);
    assert_int_equal(chuanp_decoder_errors(d), 500);
    assert_int_equal(diags.count, 21); /* 20 listed + a summary */
    assert_int_equal(chuanp_utf8_count(out.data, out.len), 500);
    chuanp_decoder_free(d);
    chuanp_buf_free(&out);
    chuan_diags_clear(&diags);
}

/* chuanp_vn_syllable_ok on a UTF-8 word (its code points, at most 16). */
static int syllable_ok(const char *s)
{
    uint32_t cps[16];
    size_t n = 0, len = strlen(s);
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = chuanp_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        assert_true(k > 0 && n < 16);
        cps[n++] = cp;
        i += (size_t)k;
    }
    return chuanp_vn_syllable_ok(cps, n);
}

static void test_syllables(void **state)
{
    (void)state;
    static const char *const good[] = {
        "Nguyễn", "Việt", "đường", "phường", "quốc", "quy", "quận", "giấy", "gì", "gìn", "giếng",
        "nghiêng", "khuya", "khuỷu", "thuở", "xoong", "Đắk", "Lắk", "ủy", "uỷ", "yêu", "yến",
        "kỳ", "ghế", "nghĩ", "chuyển", "hoàng", "huỳnh", "tiếp", "nhận", "ngoặt", "oái",
        "ươn", "gửi", "người", "HỒ", "TRƯỜNG",
    };
    static const char *const bad[] = {
        "ca\xCC\x81", /* NFD is not handled here: letters are NFC */
        "vieät", "Hå", "cé", "kan", "ghu", "ngê", "qa", "áà", "tảc", "tàc", "tac", "fá",
        "nguyên\xC3\xB1", "xyz", "ăn\xC2\xB8", "bcd", "ưc", "iê", "nghiêngnghiêng",
    };
    for (size_t i = 0; i < sizeof good / sizeof *good; i++)
        if (!syllable_ok(good[i]))
            fail_msg("'%s' should be a syllable", good[i]);
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (syllable_ok(bad[i]))
            fail_msg("'%s' should not be a syllable", bad[i]);
}

static void assert_detects(const char *path, chuanp_enc want)
{
    size_t len;
    char *data = slurp(path, &len);
    assert_non_null(data);
    assert_true(len >= 200);
    chuanp_detect_result r;
    assert_int_equal(chuanp_detect(data, len, &r), 0);
    if (r.enc != want)
        fail_msg("%s: detected %s (%.2f), want %s", path, chuanp_enc_name(r.enc), r.confidence,
                 chuanp_enc_name(want));
    assert_true(r.confidence >= CHUANP_DETECT_THRESHOLD);
    free(data);
}

static void test_detect_fixtures(void **state)
{
    (void)state;
    static const char *const texts[] = {"hanhchinh", "hoten", "diachi", "hoso"};
    for (size_t i = 0; i < 4; i++) {
        char path[128];
        for (size_t k = 0; k < NLEGACY; k++) {
            snprintf(path, sizeof path, "fixtures/encoding/%s.%s.txt", texts[i],
                     chuanp_enc_name(legacy[k]));
            assert_detects(path, legacy[k]);
        }
        snprintf(path, sizeof path, "fixtures/encoding/%s.utf-8.txt", texts[i]);
        assert_detects(path, CHUANP_ENC_UTF8);
    }
    assert_detects("fixtures/encoding/hanhchinh.nfd.utf-8.txt", CHUANP_ENC_UTF8);
    assert_detects("fixtures/encoding/hoten.mixed-nfc-nfd.utf-8.txt", CHUANP_ENC_UTF8);
}

static void test_detect_refuses_short_and_foreign(void **state)
{
    (void)state;
    static const char *const files[] = {
        "fixtures/encoding/short-hanoi.tcvn3.txt", "fixtures/encoding/short-hanoi.vni.txt",
        "fixtures/encoding/short-hanoi.viscii.txt", "fixtures/encoding/short-hanoi.vps.txt",
        "fixtures/encoding/short-hanoi.cp1258.txt", "fixtures/encoding/latin1-french.txt",
    };
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        size_t len;
        char *data = slurp(files[i], &len);
        assert_non_null(data);
        chuanp_detect_result r;
        assert_int_equal(chuanp_detect(data, len, &r), 0);
        if (r.enc != CHUANP_ENC_NONE)
            fail_msg("%s: should be ambiguous, got %s %.2f", files[i], chuanp_enc_name(r.enc),
                     r.confidence);
        assert_true(r.best_conf < CHUANP_DETECT_THRESHOLD);
        free(data);
    }
    chuanp_detect_result r;
    const char *ascii = "MaHoSo,ChuHoSo\n001,Nguyen Van A\n";
    assert_int_equal(chuanp_detect(ascii, strlen(ascii), &r), 0);
    assert_int_equal(r.enc, CHUANP_ENC_ASCII);
    assert_true(r.ascii);
    /* short UTF-8 is still UTF-8 */
    assert_int_equal(chuanp_detect("Hà Nội", strlen("Hà Nội"), &r), 0);
    assert_int_equal(r.enc, CHUANP_ENC_UTF8);
}

/* chuanp_detect scores a prefix (textin's first 64 KiB): a UTF-8 sequence cut by its end is
 * still well-formed UTF-8, one broken inside is not; the last word counts. */
static void test_detect_prefix_cut(void **state)
{
    (void)state;
    const char *vi = "Nguyễn Thị Hường, Hà Nội";
    size_t len = strlen(vi);
    chuanp_detect_result r;
    assert_int_equal(chuanp_detect(vi, len - 1, &r), 0); /* "ộ" cut after its first bytes */
    assert_true(r.utf8_valid);
    assert_int_equal(r.enc, CHUANP_ENC_UTF8);
    char bad[64];
    memcpy(bad, vi, len + 1);
    bad[len - 2] = 'x'; /* a continuation byte replaced: ill-formed inside */
    assert_int_equal(chuanp_detect(bad, len, &r), 0);
    assert_false(r.utf8_valid);
    assert_int_equal(r.conf[CHUANP_ENC_UTF8], 0.0);
    /* the last word is scored too (the legacy decoders hold a word back until they are
     * flushed): "Kiều Hồ" in VNI, no separator after "Hồ" */
    assert_int_equal(chuanp_detect("Kie\xe0u Ho\xe0", 9, &r), 0);
    assert_int_equal(r.valid[CHUANP_ENC_VNI], 2);
    size_t n;
    char *data = slurp("fixtures/encoding/hoten.vni.txt", &n);
    assert_non_null(data);
    chuanp_detect_result whole;
    assert_int_equal(chuanp_detect(data, n, &whole), 0);
    assert_int_equal(whole.enc, CHUANP_ENC_VNI);
    assert_true(whole.valid[CHUANP_ENC_VNI] > 0);
    free(data);
}

/* Every code point the UTF-8 fast path passes through unchecked is NFC-stable. */
static void test_nfc_fast_path_ranges(void **state)
{
    (void)state;
    static const uint32_t ranges[][2] = {{0x80, 0x2FF}, {0x1E00, 0x1EFF}, {0x4000, 0x9FFF}, {0xFEFF, 0xFEFF}};
    for (size_t r = 0; r < 4; r++)
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            const utf8proc_property_t *p = utf8proc_get_property((utf8proc_int32_t)cp);
            assert_int_equal(p->combining_class, 0);
            assert_false(p->comp_exclusion);
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            chuanp_buf_put_utf8(&b, cp);
            char *nfc = (char *)utf8proc_NFC((const utf8proc_uint8_t *)b.data);
            assert_string_equal(nfc, b.data);
            free(nfc);
            chuanp_buf_free(&b);
        }
}

static char *read_stream(FILE *f, size_t *len)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    char tmp[777];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
        chuanp_buf_append(&b, tmp, n);
    return chuanp_buf_steal(&b, len);
}

static void test_textin_auto(void **state)
{
    (void)state;
    size_t want_len;
    char *want = slurp("fixtures/encoding/src/hoten.txt", &want_len);
    for (size_t k = 0; k < NLEGACY; k++) {
        char path[128];
        snprintf(path, sizeof path, "fixtures/encoding/hoten.%s.txt", chuanp_enc_name(legacy[k]));
        FILE *raw = fopen(path, "rb"), *in = NULL;
        assert_non_null(raw);
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_textin_info info;
        assert_int_equal(chuanp_textin_open(&in, raw, path, "auto", &info, &d), 0);
        assert_int_equal(info.enc, legacy[k]);
        assert_true(info.confidence >= CHUANP_DETECT_THRESHOLD);
        size_t len;
        char *got = read_stream(in, &len);
        fclose(in);
        fclose(raw);
        /* TCVN3 too: its capitals are inferred right in these names */
        assert_int_equal(len, want_len);
        assert_memory_equal(got, want, len);
        if (legacy[k] == CHUANP_ENC_TCVN3) {
            /* ... and said to be inferred, once */
            assert_int_equal(d.count, 1);
            assert_string_equal(d.items[0].code, "encoding.tcvn3-case");
            assert_int_equal(d.items[0].severity, CHUAN_SEV_WARNING);
        } else {
            assert_int_equal(d.count, 0);
        }
        free(got);
        chuan_diags_clear(&d);
    }
    free(want);
}

static void test_textin_nfd_and_passthrough(void **state)
{
    (void)state;
    size_t want_len, len;
    char *want = slurp("fixtures/encoding/src/hanhchinh.txt", &want_len);
    FILE *raw = fopen("fixtures/encoding/hanhchinh.nfd.utf-8.txt", "rb"), *in = NULL;
    chuanp_textin_info info;
    assert_int_equal(chuanp_textin_open(&in, raw, "nfd", NULL, &info, NULL), 0);
    assert_int_equal(info.enc, CHUANP_ENC_UTF8);
    char *got = read_stream(in, &len);
    assert_int_equal(len, want_len);
    assert_memory_equal(got, want, len);
    fclose(in);
    fclose(raw);
    free(got);
    free(want);
}

static void test_textin_xml_declaration(void **state)
{
    (void)state;
    /* <?xml ... encoding="TCVN3"?><t>Vi\xD6t Nam</t>: the declaration wins
     * (the text alone is too short to detect), and is rewritten to UTF-8. */
    static const char xml[] = "<?xml version=\"1.0\" encoding=\"TCVN3\"?>\n<t>Vi\xD6t Nam</t>\n";
    FILE *raw = fmemopen((void *)xml, sizeof xml - 1, "rb"), *in = NULL;
    chuanp_textin_info info;
    assert_int_equal(chuanp_textin_open(&in, raw, "x.xml", "auto", &info, NULL), 0);
    assert_int_equal(info.enc, CHUANP_ENC_TCVN3);
    assert_true(info.from_declaration);
    size_t len;
    char *got = read_stream(in, &len);
    assert_string_equal(got, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<t>Việt Nam</t>\n");
    fclose(in);
    fclose(raw);
    free(got);
}

/* An XML declaration naming an encoding chuan has no table for: iconv. */
static void test_textin_xml_declaration_iconv(void **state)
{
    (void)state;
    static const char xml[] = "<?xml version='1.0' encoding='ISO-8859-1'?><t>caf\xE9 \xE0 Orl\xE9" "ans</t>";
    FILE *raw = fmemopen((void *)xml, sizeof xml - 1, "rb"), *in = NULL;
    chuanp_textin_info info;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_textin_open(&in, raw, "l.xml", NULL, &info, &d), 0);
    assert_true(info.from_declaration);
    size_t len;
    char *got = read_stream(in, &len);
    assert_string_equal(got, "<?xml version='1.0' encoding='UTF-8'?><t>café à Orléans</t>");
    assert_int_equal(d.count, 0);
    fclose(in);
    fclose(raw);
    free(got);
    chuan_diags_clear(&d);
}

static void test_textin_refuses_and_rejects(void **state)
{
    (void)state;
    static const char amb[] = "H\xB5 N\xE9i"; /* "Hà Nội" in TCVN3: too short */
    FILE *raw = fmemopen((void *)amb, sizeof amb - 1, "rb"), *in = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_textin_info info;
    assert_true(chuanp_textin_open(&in, raw, "amb.txt", "auto", &info, &d) > 0);
    assert_null(in);
    assert_int_equal(d.count, 1);
    assert_string_equal(d.items[0].code, "encoding.ambiguous");
    /* named explicitly, it decodes */
    rewind(raw);
    assert_int_equal(chuanp_textin_open(&in, raw, "amb.txt", "abc", &info, &d), 0);
    size_t len;
    char *got = read_stream(in, &len);
    assert_string_equal(got, "Hà Nội");
    free(got);
    fclose(in);
    assert_true(chuanp_textin_open(&in, raw, "amb.txt", "klingon", &info, &d) < 0);
    assert_string_equal(d.items[d.count - 1].code, "encoding.unknown");
    fclose(raw);
    chuan_diags_clear(&d);
}

static void test_names(void **state)
{
    (void)state;
    assert_int_equal(chuanp_enc_parse("TCVN3"), CHUANP_ENC_TCVN3);
    assert_int_equal(chuanp_enc_parse("ABC"), CHUANP_ENC_TCVN3);
    assert_int_equal(chuanp_enc_parse("VNI-Windows"), CHUANP_ENC_VNI);
    assert_int_equal(chuanp_enc_parse("windows-1258"), CHUANP_ENC_CP1258);
    assert_int_equal(chuanp_enc_parse("UTF-8"), CHUANP_ENC_UTF8);
    assert_int_equal(chuanp_enc_parse("auto"), CHUANP_ENC_NONE);
    assert_int_equal(chuanp_enc_parse("tcvn5712-1"), -1); /* VN1, not TCVN3 */
    assert_string_equal(chuanp_enc_name(CHUANP_ENC_VPS), "vps");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_letter_every_tone),
        cmocka_unit_test(test_published_codes),
        cmocka_unit_test(test_chunk_boundaries),
        cmocka_unit_test(test_utf8_nfc_matches_utf8proc),
        cmocka_unit_test(test_tcvn3_capitals_from_context),
        cmocka_unit_test(test_invalid_bytes_reported),
        cmocka_unit_test(test_invalid_bytes_capped),
        cmocka_unit_test(test_syllables),
        cmocka_unit_test(test_detect_fixtures),
        cmocka_unit_test(test_detect_refuses_short_and_foreign),
        cmocka_unit_test(test_detect_prefix_cut),
        cmocka_unit_test(test_nfc_fast_path_ranges),
        cmocka_unit_test(test_textin_auto),
        cmocka_unit_test(test_textin_nfd_and_passthrough),
        cmocka_unit_test(test_textin_xml_declaration),
        cmocka_unit_test(test_textin_xml_declaration_iconv),
        cmocka_unit_test(test_textin_refuses_and_rejects),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
