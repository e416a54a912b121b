/* tests/unit/test_i18n.c - the .mo reader, the language choice, libxml2 message shapes. */
#include "unit.h"
#include "../../converters/xml_messages.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <errno.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];

/* Write DIR/vi/LC_MESSAGES/chuan.mo: a catalogue of n sorted (id, translation) pairs,
 * little-endian or big-endian; `cut` bytes fewer than whole (0: whole). */
static void write_mo(const char *const *pairs, unsigned n, int big, size_t cut)
{
    unsigned char buf[4096];
    size_t at = 28 + 16 * (size_t)n;
    memset(buf, 0, sizeof buf);
#define PUT(off, v)                                                                                \
    do {                                                                                           \
        uint32_t v_ = (uint32_t)(v);                                                               \
        for (int k = 0; k < 4; k++)                                                                \
            buf[(off) + (big ? 3 - k : k)] = (unsigned char)(v_ >> (8 * k));                       \
    } while (0)
    PUT(0, 0x950412deu);
    PUT(4, 0);
    PUT(8, n);
    PUT(12, 28);
    PUT(16, 28 + 8 * n);
    for (unsigned i = 0; i < 2 * n; i++) {
        const char *s = pairs[i];
        size_t len = strlen(s);
        size_t table = (i % 2 == 0 ? 28 : 28 + 8 * (size_t)n) + 8 * (i / 2);
        PUT(table, len);
        PUT(table + 4, at);
        memcpy(buf + at, s, len + 1);
        at += len + 1;
    }
#undef PUT
    char path[256];
    snprintf(path, sizeof path, "%s/vi", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/vi/LC_MESSAGES", dir);
    mkdir(path, 0700);
    snprintf(path, sizeof path, "%s/vi/LC_MESSAGES/chuan.mo", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fwrite(buf, 1, at - (cut < at ? cut : 0), f);
    fclose(f);
    chuanp_i18n_reset();
}

static const char *const pairs[] = {
    "Element '%s': ", "Phần tử '%s': ",
    "The attribute '%s' is required but missing.", "Thiếu thuộc tính bắt buộc '%s'.",
    "out of memory", "hết bộ nhớ",
    "valid", "hợp lệ",
};

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/chuan-i18n-unit.%ld", (long)getpid());
    mkdir(dir, 0700);
    setenv("CHUAN_LOCALEDIR", dir, 1);
    return 0;
}

static void test_reads_both_byte_orders(void **state)
{
    (void)state;
    for (int big = 0; big < 2; big++) {
        write_mo(pairs, 4, big, 0);
        assert_string_equal(chuanp_gettext_vi("out of memory"), "hết bộ nhớ");
        assert_string_equal(chuanp_gettext_vi("valid"), "hợp lệ");
        assert_null(chuanp_gettext_vi("invalid"));
        assert_null(chuanp_gettext_vi(""));
        assert_int_equal(chuanp_lang_set("vi_VN.UTF-8"), 0);
        assert_string_equal(_("valid"), "hợp lệ");
        assert_string_equal(_("no such id"), "no such id");
        assert_int_equal(chuanp_lang_set("en"), 0);
        assert_string_equal(_("valid"), "valid");
    }
}

static void test_damaged_catalogue_is_ignored(void **state)
{
    (void)state;
    /* cut inside the strings, inside the tables, inside the header */
    size_t cuts[] = {3, 40, 100, 150, 180};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        write_mo(pairs, 4, 0, cuts[i]);
        const char *t = chuanp_gettext_vi("valid");
        assert_true(t == NULL || strcmp(t, "hợp lệ") == 0);
        assert_true(chuanp_gettext_vi("out of memory") == NULL ||
                    strcmp(chuanp_gettext_vi("out of memory"), "hết bộ nhớ") == 0);
    }
    /* a count that points past the end */
    write_mo(pairs, 4, 0, 0);
    char path[256];
    snprintf(path, sizeof path, "%s/vi/LC_MESSAGES/chuan.mo", dir);
    FILE *f = fopen(path, "r+b");
    assert_non_null(f);
    fseek(f, 8, SEEK_SET);
    fputc(0x7f, f);
    fclose(f);
    chuanp_i18n_reset();
    assert_null(chuanp_gettext_vi("valid"));
    assert_null(chuanp_gettext_vi("out of memory"));
}

static void test_language_from_environment(void **state)
{
    (void)state;
    assert_int_equal(chuanp_lang_set("fr"), -1);
    assert_int_equal(chuanp_lang_set("vi"), 0);
    assert_int_equal(chuanp_lang_get(), CHUANP_LANG_VI);
    assert_int_equal(chuanp_lang_set("C.UTF-8"), 0);
    assert_int_equal(chuanp_lang_get(), CHUANP_LANG_EN);
    assert_int_equal(chuanp_lang_set("vietnam"), -1); /* "vi" must be the whole language */
    assert_int_equal(chuanp_lang_get(), CHUANP_LANG_EN); /* and a refused name changes nothing */
}

/* libxml2's English messages matched against the templates of a catalogue
 * (chuanp_i18n_translate_shape): each argument is at least one character, %% is a
 * literal %, the first template that matches is the one translated. */
static void test_template_match(void **state)
{
    (void)state;
    static const char *const tp[] = {
        "'%s'%s'%s'%s'%s'X", "vi %s|%s|%s|%s|%s",
        "100%% %s", "100%% %s VI",
        "Element '%s': ", "Phần tử '%s': ",
        "Opening and ending tag mismatch: %s line %d and %s", "Thẻ mở %s dòng %d, thẻ đóng %s",
        "a %s b", "A %s B",
        "x %s y", "X %s Y",
    };
    write_mo(tp, 6, 0, 0);
#define SHAPE(t, m) chuanp_i18n_translate_shape((const char *const[]){t, NULL}, m)
#define EXPECT(t, m, want)                                                                         \
    do {                                                                                           \
        char *got_ = SHAPE(t, m);                                                                  \
        assert_non_null(got_);                                                                     \
        assert_string_equal(got_, want);                                                           \
        chuanp_free(got_);                                                                         \
    } while (0)
    EXPECT("Element '%s': ", "Element 'x:y': ", "Phần tử 'x:y': ");
    EXPECT("Opening and ending tag mismatch: %s line %d and %s",
           "Opening and ending tag mismatch: b line 12 and a", "Thẻ mở b dòng 12, thẻ đóng a");
    assert_null(SHAPE("a %s b", "a  b")); /* an argument is not empty */
    EXPECT("a %s b", "a b b b", "A b b B"); /* the shortest argument that lets the rest match */
    EXPECT("100%% %s", "100% x", "100% x VI");
    assert_null(SHAPE("100%% %s", "100 x"));
    assert_null(SHAPE("x %s y", "x q y z"));
    /* the first template that matches */
    char *m = chuanp_i18n_translate_shape((const char *const[]){"x %s y", "a %s b", "Element '%s': ",
                                                                NULL},
                                          "a q b");
    assert_non_null(m);
    assert_string_equal(m, "A q B");
    chuanp_free(m);
    /* a hostile message does not make the matcher slow (its step budget): it just does not
     * match (without the budget this takes longer than any test timeout) */
    char big[4096];
    memset(big, '\'', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    assert_null(SHAPE("'%s'%s'%s'%s'%s'X", big));
    m = SHAPE("'%s'%s'%s'%s'%s'X", "'a'b'c'd'e'X");
    assert_non_null(m);
    assert_string_equal(m, "vi a|b|c|d|e");
    chuanp_free(m);
#undef EXPECT
#undef SHAPE
}

static void test_libxml2_messages(void **state)
{
    (void)state;
    write_mo(pairs, 4, 0, 0);
    char *m = chuanp_xml_message_vi("Element '{urn:x}CanBo': The attribute 'id' is required but missing.");
    assert_non_null(m);
    assert_string_equal(m, "Phần tử '{urn:x}CanBo': Thiếu thuộc tính bắt buộc 'id'.");
    chuanp_free(m);
    /* a head this catalogue translates but a body it does not: libxml2's text stays whole */
    assert_null(chuanp_xml_message_vi("Element 'a': This element is not expected."));
    assert_null(chuanp_xml_message_vi("something else entirely"));
}

/* The C library's and PCRE2's English texts in the language of messages (core/i18n_lib.c), and
 * a "%s" message made elsewhere looked up whole by chuanp_i18n_vformat_vi. */
static const char *const lib_pairs[] = {
    "No space left on device", "Thiết bị hết dung lượng",
    "Not a directory", "Không phải là thư mục",
    "missing terminating ] for character class", "thiếu ] đóng lớp ký tự",
    "out of memory", "hết bộ nhớ",
};

static const char *vformat(chuanp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *r = chuanp_i18n_vformat_vi(b, fmt, ap);
    va_end(ap);
    return r;
}

static void test_library_texts(void **state)
{
    (void)state;
    write_mo(lib_pairs, 4, 0, 0);
    char msg[256], eng[256];
    assert_int_equal(chuanp_lang_set("en"), 0);
    assert_string_equal(chuanp_strerror(ENOSPC), strerror(ENOSPC));
    pcre2_get_error_message(PCRE2_ERROR_MISSING_SQUARE_BRACKET, (PCRE2_UCHAR *)eng, sizeof eng);
    assert_int_equal(chuanp_pcre2_error(PCRE2_ERROR_MISSING_SQUARE_BRACKET, msg, sizeof msg),
                     (int)strlen(eng));
    assert_string_equal(msg, eng);
    assert_int_equal(chuanp_lang_set("vi"), 0);
    assert_string_equal(chuanp_strerror(ENOSPC), "Thiết bị hết dung lượng");
    assert_string_equal(chuanp_strerror(ENOTDIR), "Không phải là thư mục");
    /* listed but not in this catalogue, or not listed: the C library's text */
    assert_string_equal(chuanp_strerror(EPERM), strerror(EPERM));
    /* an unknown number's text lives in a buffer the next strerror() call frees: copy it */
    char unknown[128];
    snprintf(unknown, sizeof unknown, "%s", chuanp_strerror(12345));
    assert_string_equal(unknown, strerror(12345));
    assert_int_equal(chuanp_pcre2_error(PCRE2_ERROR_MISSING_SQUARE_BRACKET, msg, sizeof msg),
                     (int)strlen("thiếu ] đóng lớp ký tự"));
    assert_string_equal(msg, "thiếu ] đóng lớp ký tự");
    char small[6];
    assert_int_equal(chuanp_pcre2_error(PCRE2_ERROR_MISSING_SQUARE_BRACKET, small, sizeof small),
                     PCRE2_ERROR_NOMEMORY);
    assert_string_equal(small, "thi"); /* cut to the buffer before the 'ế' that does not fit */
    pcre2_get_error_message(PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS, (PCRE2_UCHAR *)eng, sizeof eng);
    chuanp_pcre2_error(PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS, msg, sizeof msg);
    assert_string_equal(msg, eng); /* listed, not translated by this catalogue */
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    assert_string_equal(vformat(&b, "%s", "out of memory"), "hết bộ nhớ");
    chuanp_buf_reset(&b);
    assert_null(vformat(&b, "%s", "no such message"));
    chuanp_buf_free(&b);
    assert_int_equal(chuanp_lang_set("en"), 0);
    chuanp_buf_init(&b, 0);
    assert_null(vformat(&b, "%s", "out of memory"));
    chuanp_buf_free(&b);
}

static int teardown(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/vi/LC_MESSAGES/chuan.mo", dir);
    remove(path);
    snprintf(path, sizeof path, "%s/vi/LC_MESSAGES", dir);
    rmdir(path);
    snprintf(path, sizeof path, "%s/vi", dir);
    rmdir(path);
    rmdir(dir);
    chuanp_i18n_reset();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reads_both_byte_orders),
        cmocka_unit_test(test_damaged_catalogue_is_ignored),
        cmocka_unit_test(test_language_from_environment),
        cmocka_unit_test(test_template_match),
        cmocka_unit_test(test_libxml2_messages),
        cmocka_unit_test(test_library_texts),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
