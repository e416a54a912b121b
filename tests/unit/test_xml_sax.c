/* Unit tests for the XML record fast path (converters/xml_sax.c): it must
 * give what the general path (xmlTextReader + chuanp_simple_from_xml) gives,
 * byte for byte (tests/common/xml_sax_diff.h). */
#include "unit.h"

#include "../common/xml_sax_diff.h"

#include <libxml/parser.h>

static const char *const shapes[] = {
    /* plain records, repeated names, empty elements, whitespace */
    "<L><r><a>1</a><b/><a>2</a><c> x </c><a>3</a></r>\n<r><a>4</a></r><r/><r></r><r>  </r></L>",
    /* attributes and namespace declarations, before children, "#text" */
    "<L xmlns:p=\"urn:p\"><r id=\"1\" p:k=\"v\" xmlns=\"urn:d\" xmlns:q=\"urn:q\"><q:a x=\"\">t</q:a>"
    "<b z=\"1\">text</b><b z=\"2\">  </b></r></L>",
    /* references in attributes and text, CDATA, comments, PIs */
    "<L><r a=\"&amp;&lt;&gt;&quot;&apos;&#38;&#x41;&#66;&#38;#60;\" b=\"x&#9;y\n z\">"
    "&amp;&#233;<![CDATA[<c&>]]><!-- c -->t<?pi d?>u</r>"
    "<r><!-- first --><a>1</a></r><r><?pi?>v</r><r><![CDATA[]]></r></L>",
    /* mixed content: warnings with the path, text trimmed */
    "<L><r>\n  lead <a>1</a> tail <b><c>2</c>in b</b>\n</r><r><a>1</a>\n  \n</r></L>",
    /* names: prefixes, _xHHHH_ escapes, a decoded name that collides */
    "<L><r><_x0040_id>1</_x0040_id><a_x0020_b>2</a_x0020_b><_x0023_text>3</_x0023_text>"
    "x<e/></r><r id=\"9\"><_x0040_id>1</_x0040_id></r></L>",
    /* NFC: decomposed text is normalised */
    "<L><r><a>Vie\xcc\xa3\xcc\x82t</a><b k=\"e\xcc\x81\">A\xcc\x8a</b></r></L>",
    /* undefined prefix (namespace error, parsing goes on) */
    "<L><r><p:a>1</p:a></r><r><b q:x=\"1\">2</b></r></L>",
    /* malformed: mismatched tag after records, truncated */
    "<L><r><a>1</a></r><r><a>2</a></r><r><a>3</b></r></L>",
    "<L><r><a>1</a></r><r><a>2</a></r><r><a>",
    "<L><r>1</r></L><extra/>",
    "",
    "not xml",
    /* short and rootless inputs (found by fuzz_xml2json) */
    "<", "<>", "<a", "<?xml version=\"1.0\"?>", "<!-- c -->",
    "<L><r a=\"1\">x</r><r so:\"2\">y</r></L>",
    /* no record matches */
    "<L><x>1</x></L>",
    /* DTD (the general path reads it again), encodings */
    "<?xml version=\"1.0\"?><!DOCTYPE L [<!ENTITY e \"ent\"><!ATTLIST r d CDATA \"def\">]>"
    "<L><r>&e;<a>&e;x</a></r><r d=\"1\"/></L>",
    "<!DOCTYPE L><L><r>1</r></L>",
    "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><L><r a=\"\xe9\">caf\xe9</r></L>",
    "\xef\xbb\xbf<L><r>bom</r></L>",
    "<!-- before --><?pi x?><L><r>1</r></L><!-- after -->",
};

static void test_shapes(void **state)
{
    (void)state;
    static const char *const paths[] = {"/L/r", "//r", "//a", "/L/r/a", "//b", "r"};
    for (size_t i = 0; i < sizeof shapes / sizeof *shapes; i++)
        for (size_t j = 0; j < sizeof paths / sizeof *paths; j++)
            assert_int_equal(xmldiff_check(shapes[i], strlen(shapes[i]), paths[j]), 0);
}

/* UTF-16 with a byte-order mark: the general path reads it */
static void test_utf16(void **state)
{
    (void)state;
    const char *s = "<L><r>x</r></L>";
    char buf[64] = {(char)0xff, (char)0xfe};
    size_t n = 2;
    for (const char *p = s; *p; p++) {
        buf[n++] = *p;
        buf[n++] = 0;
    }
    assert_int_equal(xmldiff_check(buf, n, "//r"), 0);
}

/* First bytes that look like other encodings (detected while the parser
 * context is created). */
static void test_odd_starts(void **state)
{
    (void)state;
    static const struct { const char *s; size_t n; } in[] = {
        {"\0\0\0<\0\0\0L\0\0\0>", 12},
        {"<\0\0\0L\0\0\0>\0\0\0", 12},
        {"\x4c\x6f\xa7\x94\x93\x40", 6},
        {"\xfe\xff\0<\0L\0>\0<\0r\0>\0x\0<\0/\0r\0>\0<\0/\0L\0>", 32},
        {"<?xml version=\"1.0\" encoding=\"nonesuch\"?><L><r/></L>", 52},
        {"<?xml version=\"1.0\" encoding=\"UTF-16\"?><L><r/></L>", 50},
        {"\xef\xbb", 2},
        {"\xef\xbb\xbf", 3},
    };
    for (size_t i = 0; i < sizeof in / sizeof *in; i++)
        assert_int_equal(xmldiff_check(in[i].s, in[i].n, "//r"), 0);
}

/* Past line 65535 libxml2 keeps 65535 and xmlGetLineNo looks at the first
 * child; records span several 64 KiB chunks. Mixed content makes the lines
 * visible in warnings. */
static void test_big_lines_and_chunks(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "<L>\n");
    for (int i = 0; i < 70000; i++) {
        switch (i % 7) {
        case 0: chuanp_buf_printf(&b, "<r>\n<a>%d</a>\n</r>\n", i); break;
        case 1: chuanp_buf_printf(&b, "<r>t%d\n<a>1</a>x</r>\n", i); break;
        case 2: chuanp_buf_printf(&b, "<r><a>\n<b>%d</b>y</a>z</r>\n", i); break;
        case 3: chuanp_buf_printf(&b, "<r k=\"%d\"/>\n", i); break;
        case 4: chuanp_buf_printf(&b, "<r>\n\n<a>%d</a>w\n</r>\n", i); break;
        case 5: chuanp_buf_printf(&b, "<r><a x=\"%d\">\nq<b/>\n</a></r>\n", i); break;
        default: chuanp_buf_printf(&b, "<r>%d</r>\n", i); break;
        }
    }
    chuanp_buf_puts(&b, "</L>\n");
    assert_false(b.err);
    assert_int_equal(xmldiff_check(b.data, b.len, "/L/r"), 0);
    assert_int_equal(xmldiff_check(b.data, b.len, "//a"), 0);
    /* a long record across chunk boundaries, text split by the parser */
    chuanp_buf_reset(&b);
    chuanp_buf_puts(&b, "<L><r><a>");
    for (int i = 0; i < 50000; i++)
        chuanp_buf_puts(&b, "Vi\xe1\xbb\x87t &amp; ");
    chuanp_buf_puts(&b, "</a><b>1</b><b>2</b></r></L>");
    assert_int_equal(xmldiff_check(b.data, b.len, "//r"), 0);
    chuanp_buf_free(&b);
}

/* A DTD past the fast path's first chunk: the general path reads the
 * consumed bytes again, in reads of the same sizes (the entity budget's
 * message counts the bytes read). */
static void test_dtd_replay_reads(void **state)
{
    (void)state;
    static const int sizes[] = {10000, 70000};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_buf_puts(&b, "<?xml version=\"1.0\"?>\n<!-- ");
        for (int k = 0; k < sizes[i]; k++)
            chuanp_buf_putc(&b, 'c');
        chuanp_buf_puts(&b, " -->\n<!DOCTYPE L [<!ENTITY e \"");
        for (int k = 0; k < 10000; k++)
            chuanp_buf_putc(&b, 'A');
        chuanp_buf_puts(&b, "\">]>\n<L>\n");
        for (int k = 0; k < 2000; k++)
            chuanp_buf_puts(&b, "<r><a>&e;</a></r>\n");
        chuanp_buf_puts(&b, "</L>\n");
        assert_int_equal(xmldiff_check(b.data, b.len, "//r"), 0);
        chuanp_buf_free(&b);
    }
}

/* Depth: libxml2's tree builder stops past 256 levels, the fast path must too. */
static void test_depth(void **state)
{
    (void)state;
    static const int levels[] = {255, 256, 257, 258, 300};
    for (size_t i = 0; i < sizeof levels / sizeof *levels; i++) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        for (int k = 0; k < levels[i]; k++)
            chuanp_buf_puts(&b, "<a>");
        chuanp_buf_puts(&b, "x");
        for (int k = 0; k < levels[i]; k++)
            chuanp_buf_puts(&b, "</a>");
        assert_int_equal(xmldiff_check(b.data, b.len, "//a"), 0);
        assert_int_equal(xmldiff_check(b.data, b.len, "/a/a"), 0);
        assert_int_equal(xmldiff_check(b.data, b.len, "/b"), 0);
        chuanp_buf_free(&b);
    }
}

/* The checker itself can fail: a different path gives different output. */
static void test_checker_sees_differences(void **state)
{
    (void)state;
    const char *x = "<L><r><a>1</a></r></L>";
    xmldiff_out a, c;
    xmldiff_run(x, strlen(x), "//r", 1, &a);
    xmldiff_run(x, strlen(x), "//a", 1, &c);
    assert_true(a.ndjson_len != c.ndjson_len || memcmp(a.ndjson, c.ndjson, a.ndjson_len) != 0);
    assert_string_equal(a.ndjson, "{\"a\":\"1\"}\n");
    xmldiff_free(&a);
    xmldiff_free(&c);
}

int main(void)
{
    xmlInitParser();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_shapes),
        cmocka_unit_test(test_utf16),
        cmocka_unit_test(test_odd_starts),
        cmocka_unit_test(test_big_lines_and_chunks),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_dtd_replay_reads),
        cmocka_unit_test(test_checker_sees_differences),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
