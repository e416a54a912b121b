/* Unit tests for the HTML report's edges: context lines (cut on a character boundary, CRLF, no
 * final newline, binary input, standard input, a payload in memory, a diagnostic about another
 * file, no context by default), escaping of markup, invalid UTF-8 and control characters. */
#include "unit.h"

#include <stdio.h>
#include <unistd.h>

#include "../../validator/validator.h"

typedef enum { CTX_NONE, CTX_FILES, CTX_MEMORY } ctx_mode;

static char *render(const char *file, const char *data, size_t len, ctx_mode mode,
                    const chuan_diag *diags, size_t n)
{
    char *buf = NULL;
    size_t blen = 0;
    FILE *out = open_memstream(&buf, &blen);
    chuan_report_opts o = {.format = CHUAN_REPORT_HTML, .tool_command = "validate"};
    chuan_reporter *rep = chuan_reporter_new(out, &o);
    assert_non_null(rep);
    if (mode != CTX_NONE)
        chuanp_reporter_set_context(rep, mode == CTX_FILES, mode == CTX_MEMORY ? data : NULL, len);
    chuan_file_result r;
    chuan_file_result_init(&r, file);
    r.format = chuanp_strdup("xml");
    r.status = CHUAN_STATUS_INVALID;
    for (size_t i = 0; i < n; i++) {
        chuan_diag d = diags[i];
        if (!d.file)
            d.file = file;
        assert_int_equal(chuan_diags_add(&r.diags, &d), 0);
    }
    assert_int_equal(chuan_reporter_file(rep, &r), 0);
    chuan_file_result_clear(&r);
    assert_int_equal(chuan_reporter_end(rep), 0);
    chuan_reporter_free(rep);
    fclose(out);
    return buf;
}

static char *write_tmp(const char *data, size_t len)
{
    char *path = chuanp_strdup("/tmp/chuan-unit-html.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "wb");
    assert_int_equal(fwrite(data, 1, len, f), len);
    fclose(f);
    return path;
}

static void test_context_from_file(void **state)
{
    (void)state;
    /* line 3: "x" and 100 x "ệ" (3 bytes each): byte 240 is inside the 80th "ệ", so the line is
     * cut after the 79th, then "…" */
    char text[1024] = "<a>\r\n<b>x</b>\r\nx";
    for (int i = 0; i < 100; i++)
        strcat(text, "\xE1\xBB\x87");
    strcat(text, "\n<c/>\n</a>"); /* no final newline */
    char *path = write_tmp(text, strlen(text));
    chuan_diag d[2] = {{.severity = CHUAN_SEV_ERROR, .code = "X-1", .message = "m", .line = 3,
                        .column = 1, .offset = -1},
                       {.severity = CHUAN_SEV_ERROR, .code = "X-2", .message = "m", .line = 5,
                        .offset = -1}};
    char *s = render(path, NULL, 0, CTX_FILES, d, 2);
    char want[600] = "<span class=\"l hit\"><span class=\"n\">3</span>x";
    for (int i = 0; i < 79; i++)
        strcat(want, "\xE1\xBB\x87");
    strcat(want, "\xE2\x80\xA6</span>");
    assert_non_null(strstr(s, want));
    /* CRLF: no carriage return shown; neighbours of line 3 */
    assert_non_null(strstr(s, "<span class=\"l\"><span class=\"n\">1</span>&lt;a&gt;</span>"));
    assert_non_null(strstr(s, "<span class=\"n\">2</span>&lt;b&gt;x&lt;/b&gt;</span>"));
    /* the last line has no newline and is still shown */
    assert_non_null(strstr(s, "<span class=\"l hit\"><span class=\"n\">5</span>&lt;/a&gt;</span>"));
    assert_null(strstr(s, "&#13;"));
    assert_null(strstr(s, "class=\"note\""));
    free(s);
    /* no context unless the caller says where it comes from (library users, the default) */
    s = render(path, NULL, 0, CTX_NONE, d, 1);
    assert_null(strstr(s, "pre class=\"ctx\""));
    assert_non_null(strstr(s, "the payload&#39;s lines are not shown here"));
    free(s);
    unlink(path);
    chuanp_free(path);
}

static void test_context_refusals(void **state)
{
    (void)state;
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "X-1", .message = "m", .line = 1, .offset = -1};
    char *s = render("-", NULL, 0, CTX_FILES, &d, 1);
    assert_non_null(strstr(s, "read from standard input"));
    assert_null(strstr(s, "pre class=\"ctx\""));
    free(s);
    char *path = write_tmp("<a>\0\0\0</a>\n", 11);
    s = render(path, NULL, 0, CTX_FILES, &d, 1);
    assert_non_null(strstr(s, "binary, compressed or UTF-16 input"));
    assert_null(strstr(s, "pre class=\"ctx\""));
    free(s);
    unlink(path);
    chuanp_free(path);
    /* a diagnostic about another file (a schema) gets no lines of the input */
    path = write_tmp("<a>\n<b/>\n</a>\n", 14);
    chuan_diag other = d;
    other.file = "schema.xsd";
    s = render(path, NULL, 0, CTX_FILES, &other, 1);
    assert_null(strstr(s, "pre class=\"ctx\""));
    free(s);
    unlink(path);
    chuanp_free(path);
}

static void test_context_from_memory(void **state)
{
    (void)state;
    static const char payload[] = "\xEF\xBB\xBF{\n  \"a\": 1\n}\n";
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "J-1", .message = "m", .line = 2, .offset = -1};
    /* the name is a real file: it is not opened, the bytes given are shown */
    char *s = render("Makefile", payload, sizeof payload - 1, CTX_MEMORY, &d, 1);
    assert_non_null(strstr(s, "<span class=\"l\"><span class=\"n\">1</span>{</span>"));
    assert_non_null(strstr(s, "<span class=\"l hit\"><span class=\"n\">2</span>  &quot;a&quot;: 1</span>"));
    free(s);
}

static void test_escaping(void **state)
{
    (void)state;
    chuan_diag d = {.severity = CHUAN_SEV_WARNING, .code = "Q\"><script>x</script>",
                    .message = "</script><img src=x onerror='alert(1)'> bad \xC3\x28 \x01 end",
                    .message_vi = "sai \xE1\xBB", .path = "/a[@b=\"<\"]", .source = "<i>law</i>",
                    .properties = "p<1>\t</dd>x\nq\tok", .offset = -1};
    char *s = render("<b>name.xml", NULL, 0, CTX_NONE, &d, 1);
    assert_non_null(strstr(s, "data-rule=\"Q&quot;&gt;&lt;script&gt;x&lt;/script&gt;\""));
    assert_non_null(strstr(s, "&lt;/script&gt;&lt;img src=x onerror=&#39;alert(1)&#39;&gt; bad "
                              "\xEF\xBF\xBD( \xEF\xBF\xBD end"));
    assert_non_null(strstr(s, "sai \xEF\xBF\xBD\xEF\xBF\xBD</span>"));
    assert_non_null(strstr(s, "<span class=\"file\">&lt;b&gt;name.xml</span>"));
    assert_non_null(strstr(s, "<dt>p&lt;1&gt;</dt><dd>&lt;/dd&gt;x</dd><dt>q</dt><dd>ok</dd>"));
    assert_non_null(strstr(s, "&lt;i&gt;law&lt;/i&gt;"));
    /* one script element: chuan's own */
    const char *p = strstr(s, "<script>");
    assert_non_null(p);
    assert_null(strstr(p + 1, "<script"));
    free(s);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_context_from_file),
        cmocka_unit_test(test_context_refusals),
        cmocka_unit_test(test_context_from_memory),
        cmocka_unit_test(test_escaping),
    };
    return cmocka_run_group_tests_name("report_html", tests, NULL, NULL);
}
