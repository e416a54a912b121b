/* Unit and round-trip property tests for the conversion pipeline and the
 * XML <-> JSON mappings (converters/convert.c, converters/xml_*.c). */
#include "unit.h"

#include "../../converters/convert.h"
#include "../common/convert_engine.h"
#include "../../converters/xml_entity.h"
#include "../../converters/xml_map.h"
#include "../../converters/xsd_hints.h"

#include <libxml/c14n.h>
#include <libxml/parser.h>

/* Run the pipeline over an in-memory input; *out is the output (free it). */
static int convert_mem(const char *in, size_t len, const chuanp_convert_opts *o, char **out,
                       chuan_diags *d)
{
    FILE *fin = fmemopen((void *)in, len, "r");
    size_t olen = 0;
    FILE *fout = open_memstream(out, &olen);
    assert_non_null(fin);
    assert_non_null(fout);
    chuanp_convert_stats st;
    int rc = test_convert_engine(fin, fout, o, &st, d);
    fclose(fin);
    fclose(fout);
    return rc;
}

static char *c14n(const char *xml)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)strlen(xml), "x", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    xmlChar *res = NULL;
    int n = xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 0, &res);
    xmlFreeDoc(doc);
    assert_true(n >= 0);
    char *copy = chuanp_strdup((const char *)res);
    xmlFree(res);
    return copy;
}

static chuanp_convert_opts opts(chuanp_format from, chuanp_format to, chuanp_mapping m)
{
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = from;
    o.to = to;
    o.mapping = m;
    o.file = "test";
    return o;
}

/* XML -> JSON -> XML with `m`; returns the final XML (free it). */
static char *xml_round_trip(const char *xml, chuanp_mapping m, int expect_rc)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_XML, CHUANP_FMT_JSON, m);
    char *json = NULL, *back = NULL;
    assert_int_equal(convert_mem(xml, strlen(xml), &o, &json, &d), expect_rc);
    o = opts(CHUANP_FMT_JSON, CHUANP_FMT_XML, m);
    assert_int_equal(convert_mem(json, strlen(json), &o, &back, &d), 0);
    free(json);
    chuan_diags_clear(&d);
    return back;
}

static const char *const lossless_docs[] = {
    "<r/>",
    "<r xmlns=\"urn:a\" xmlns:b=\"urn:b\" b:at=\"1\" z=\"&lt;&amp;&quot;\"><b:x>t</b:x><x/></r>",
    "<p>Điều <b>1</b> của <i>Luật</i> số 30/2016.<br/>tail &amp; more</p>",
    "<!-- before --><?pi some data?><r><!--c--><?x?><a>1</a>\n  <a>2</a>\n</r><!-- after -->",
    "<r><![CDATA[<raw> & text]]><a x=\"&#9;tab&#10;nl\">  spaced  </a></r>",
    "<r xml:lang=\"vi\"><a xmlns=\"\">x</a><q:b xmlns:q=\"urn:q\"><q:c q:d=\"1\"/></q:b></r>",
    "<r>&#13;&#x10FFFF;\xc2\xa0</r>",
};

static void test_jsonml_round_trip_c14n(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof lossless_docs / sizeof *lossless_docs; i++) {
        char *back = xml_round_trip(lossless_docs[i], CHUANP_MAP_JSONML, 0);
        char *a = c14n(lossless_docs[i]), *b = c14n(back);
        if (strcmp(a, b) != 0)
            fail_msg("jsonml round trip differs for doc %zu:\n%s\n%s", i, a, b);
        free(a);
        free(b);
        free(back);
    }
}

/* Random documents: names, attributes, text with markup characters and
 * Vietnamese, comments, PIs, mixed content. */
static unsigned rnd(unsigned *s)
{
    *s = *s * 1103515245u + 12345u;
    return (*s >> 16) & 0x7fff;
}

static void random_tree(chuanp_buf *b, unsigned *s, int depth)
{
    static const char *const names[] = {"a", "HoSo", "p:x", "ma-so", "_v", "Tên"};
    static const char *const texts[] = {"1", " 0100109106 ", "a&b", "<x>", "\"q\" 'a'", "Việt Nam",
                                        "\t\n", "]]>", ""};
    const char *name = names[rnd(s) % 6];
    chuanp_buf_printf(b, "<%s", name);
    if (strncmp(name, "p:", 2) == 0)
        chuanp_buf_puts(b, " xmlns:p=\"urn:p\"");
    if (rnd(s) % 2)
        chuanp_buf_puts(b, " k=\"v&amp;&lt;\"");
    chuanp_buf_putc(b, '>');
    int kids = depth > 3 ? 0 : (int)(rnd(s) % 4);
    for (int i = 0; i < kids; i++) {
        switch (rnd(s) % 5) {
        case 0: chuanp_buf_puts(b, "<!--note-->"); break;
        case 1: chuanp_buf_puts(b, "<?proc data?>"); break;
        case 2: {
            const char *t = texts[rnd(s) % 9];
            chuanp_buf_xml_escape(b, t, strlen(t), 0);
            break;
        }
        default: random_tree(b, s, depth + 1); break;
        }
    }
    chuanp_buf_printf(b, "</%s>", name);
}

static void test_jsonml_round_trip_random(void **state)
{
    (void)state;
    unsigned seed = 42;
    for (int i = 0; i < 200; i++) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        random_tree(&b, &seed, 0);
        char *back = xml_round_trip(b.data, CHUANP_MAP_JSONML, 0);
        char *x = c14n(b.data), *y = c14n(back);
        if (strcmp(x, y) != 0)
            fail_msg("random doc %d:\n%s\n%s", i, x, y);
        free(x);
        free(y);
        free(back);
        chuanp_buf_free(&b);
    }
}

/* JSON -> w3c XML -> JSON: equal, number text included. */
static void test_w3c_round_trip_exact(void **state)
{
    (void)state;
    static const char *const docs[] = {
        "{\"a\":[1,1.50,-0,1E400,123456789012345678901234567890,0.1e-7],\"b\":{}}",
        "[\"x\\u0001y\",\"\\ud800 lone\",\"back\\\\slash\",\"\\u007f\\u0085\",\"Vi\\u1ec7t\"]",
        "{\"\\u0007key\":true,\"\":null,\"k y\":false,\"a\\\\\":\"\"}",
        "\"just a string\"", "42", "null", "[[[]],{\"x\":[{}]}]",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_convert_opts o = opts(CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_W3C);
        char *xml = NULL, *json = NULL;
        assert_int_equal(convert_mem(docs[i], strlen(docs[i]), &o, &xml, &d), 0);
        o = opts(CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_W3C);
        assert_int_equal(convert_mem(xml, strlen(xml), &o, &json, &d), 0);
        /* compare as written by the one JSON writer (exact number text) */
        chuanp_arena a;
        chuanp_arena_init(&a, 0);
        chuanp_json_opts po = {0};
        chuanp_jv *v1 = NULL, *v2 = NULL;
        assert_int_equal(chuanp_json_parse(&v1, docs[i], strlen(docs[i]), &po, &a, &d), 0);
        assert_int_equal(chuanp_json_parse(&v2, json, strlen(json), &po, &a, &d), 0);
        chuanp_buf b1, b2;
        chuanp_buf_init(&b1, 0);
        chuanp_buf_init(&b2, 0);
        chuanp_json_write_opts wo = {0};
        chuanp_json_write(&b1, v1, &wo);
        chuanp_json_write(&b2, v2, &wo);
        if (strcmp(b1.data, b2.data) != 0)
            fail_msg("w3c round trip %zu:\n%s\n%s\nvia %s", i, b1.data, b2.data, xml);
        chuanp_buf_free(&b1);
        chuanp_buf_free(&b2);
        chuanp_arena_free(&a);
        free(xml);
        free(json);
        chuan_diags_clear(&d);
    }
}

static void test_w3c_escape_auto_marks_only_needed(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_W3C);
    char *xml = NULL;
    const char *in = "[\"a\\\\b\",\"c\\u0001\"]";
    assert_int_equal(convert_mem(in, strlen(in), &o, &xml, &d), 0);
    assert_non_null(strstr(xml, "<string>a\\b</string>"));
    assert_non_null(strstr(xml, "<string escaped=\"true\">c\\u0001</string>"));
    free(xml);
    chuan_diags_clear(&d);
}

/* JSON -> simple+schema -> XML -> JSON is the identity; arrays stay arrays. */
static void test_simple_schema_round_trip(void **state)
{
    (void)state;
    chuanp_xsd_hints *h = NULL;
    char *err = NULL;
    assert_int_equal(chuanp_xsd_hints_load(&h, "fixtures/convert/schema/hoso.xsd",
                                           "/DanhSachHoSo/HoSo", &err), 0);
    const char *rec =
        "{\"MaHoSo\":\"000.00.12.H41-230327-0001\",\"MaDoiTuong\":\"0100109106\","
        "\"TrangThaiHoSo\":2,\"TaiLieuNop\":[{\"TepDinhKemId\":\"7\",\"IsDeleted\":false}],"
        "\"DanhSachLePhi\":[{\"Gia\":75000.50}]}\n";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_NDJSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE);
    o.hints = chuanp_xsd_hints_get(h);
    o.record_path = "/DanhSachHoSo/HoSo";
    char *xml = NULL, *json = NULL;
    assert_int_equal(convert_mem(rec, strlen(rec), &o, &xml, &d), 0);
    assert_non_null(strstr(xml, "<DanhSachHoSo>"));
    /* schema order: MaDoiTuong after MaHoSo..., TrangThaiHoSo later */
    assert_true(strstr(xml, "<MaDoiTuong>") < strstr(xml, "<TrangThaiHoSo>"));
    o.from = CHUANP_FMT_XML;
    o.to = CHUANP_FMT_NDJSON;
    assert_int_equal(convert_mem(xml, strlen(xml), &o, &json, &d), 0);
    assert_string_equal(json, rec);
    free(xml);
    free(json);
    chuan_diags_clear(&d);
    chuanp_xsd_hints_free(h);
}

static void test_schema_single_occurrence_is_array(void **state)
{
    (void)state;
    chuanp_xsd_hints *h = NULL;
    char *err = NULL;
    assert_int_equal(chuanp_xsd_hints_load(&h, "fixtures/convert/schema/hoso.xsd", NULL, &err), 0);
    const char *xml = "<DanhSachHoSo><HoSo><MaDoiTuong>0100109106</MaDoiTuong>"
                      "<TrangThaiHoSo> 3 </TrangThaiHoSo></HoSo></DanhSachHoSo>";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_SIMPLE);
    char *json = NULL;
    assert_int_equal(convert_mem(xml, strlen(xml), &o, &json, &d), 0);
    assert_string_equal(json, "{\"DanhSachHoSo\":{\"HoSo\":{\"MaDoiTuong\":\"0100109106\","
                              "\"TrangThaiHoSo\":\" 3 \"}}}\n");
    free(json);
    o.hints = chuanp_xsd_hints_get(h);
    assert_int_equal(convert_mem(xml, strlen(xml), &o, &json, &d), 0);
    assert_string_equal(json, "{\"DanhSachHoSo\":{\"HoSo\":[{\"MaDoiTuong\":\"0100109106\","
                              "\"TrangThaiHoSo\":3}]}}\n");
    free(json);
    chuan_diags_clear(&d);
    chuanp_xsd_hints_free(h);
}

/* Keys that are not XML names survive JSON -> XML -> JSON. */
static void test_simple_name_escaping_round_trip(void **state)
{
    (void)state;
    const char *in = "{\"r\":{\"@k y\":\"h\",\"1st\":\"a\",\"a b\":\"b\",\"\":\"c\",\"x:y:z\":\"d\","
                     "\"_x0041_\":\"e\",\"Việt Nam\":\"f\",\"p:q\":\"g\"}}\n";
    char *back = NULL, *xml = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE);
    assert_int_equal(convert_mem(in, strlen(in), &o, &xml, &d), 0);
    assert_non_null(strstr(xml, "<_x0031_st>a</_x0031_st>"));
    assert_non_null(strstr(xml, "<_x0000_>c</_x0000_>"));
    /* p:q has no xmlns:p: its colon is encoded, so the XML stays namespace-well-formed */
    assert_non_null(strstr(xml, "<p_x003A_q>g</p_x003A_q>"));
    o = opts(CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_SIMPLE);
    assert_int_equal(convert_mem(xml, strlen(xml), &o, &back, &d), 0);
    assert_string_equal(back, in);
    free(xml);
    free(back);
    chuan_diags_clear(&d);
}

static void test_simple_rejects_control_chars_with_line(void **state)
{
    (void)state;
    const char *in = "{\"r\":1}\n{\"r\":\"bad\\u0002\"}\n{\"r\":3}\n";
    char *xml = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_NDJSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE);
    assert_int_equal(convert_mem(in, strlen(in), &o, &xml, &d), 1);
    assert_int_equal(d.errors, 1);
    assert_string_equal(d.items[0].code, "convert.xml-char");
    assert_int_equal(d.items[0].line, 2);
    assert_string_equal(d.items[0].path, "/r");
    assert_non_null(strstr(xml, "<record><r>1</r></record>"));
    assert_non_null(strstr(xml, "<record><r>3</r></record>"));
    assert_null(strstr(xml, "bad"));
    free(xml);
    chuan_diags_clear(&d);
}

static void test_duplicate_keys_reported(void **state)
{
    (void)state;
    const char *in = "{\"r\":{\"a\":1,\"a\":2}}";
    char *xml = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE);
    assert_int_equal(convert_mem(in, strlen(in), &o, &xml, &d), 1);
    assert_string_equal(d.items[0].code, "json.duplicate-key");
    free(xml);
    chuan_diags_clear(&d);
}

static void test_record_stream_bad_record_continues(void **state)
{
    (void)state;
    /* 100 good records, then one that is not well-formed (undeclared
     * entity, line 102): the records before it are converted */
    chuanp_buf in;
    chuanp_buf_init(&in, 0);
    chuanp_buf_puts(&in, "<L>\n");
    for (int i = 0; i < 100; i++)
        chuanp_buf_printf(&in, "<R><v>%d</v><w>padding padding padding padding</w></R>\n", i);
    chuanp_buf_puts(&in, "<R><v>&ext;</v></R>\n<R><v>x</v></R>\n</L>\n");
    char *out = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_XML, CHUANP_FMT_NDJSON, CHUANP_MAP_SIMPLE);
    o.record_path = "/L/R";
    assert_int_equal(convert_mem(in.data, in.len, &o, &out, &d), 1);
    assert_non_null(strstr(out, "{\"v\":\"0\",\"w\":\"padding padding padding padding\"}\n"));
    assert_non_null(strstr(out, "{\"v\":\"90\","));
    assert_null(strstr(out, "ext"));
    assert_int_equal(d.items[0].line, 102);
    assert_string_equal(d.items[0].code, "xml.parse");
    free(out);
    chuanp_buf_free(&in);
    chuan_diags_clear(&d);
}

/* A record whose value XML cannot hold is reported with its line; the
 * others are written. */
static void test_ndjson_to_xml_wrapper_from_record_path(void **state)
{
    (void)state;
    const char *in = "{\"a\":\"1\"}\n\n{\"a\":[\"x\",\"y\"]}\n";
    char *out = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_convert_opts o = opts(CHUANP_FMT_NDJSON, CHUANP_FMT_XML, CHUANP_MAP_SIMPLE);
    o.record_path = "/DanhSach/Muc";
    assert_int_equal(convert_mem(in, strlen(in), &o, &out, &d), 0);
    assert_string_equal(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<DanhSach>\n"
                             "<Muc><a>1</a></Muc>\n<Muc><a>x</a><a>y</a></Muc>\n</DanhSach>\n");
    free(out);
    chuan_diags_clear(&d);
}

static void expect_hint(const chuanp_schema_hints *h, const char *p1, const char *p2, int known,
                        int is_array, chuanp_hint_type type)
{
    const char *path[2] = {p1, p2};
    chuanp_hint hint;
    h->lookup(h->ctx, path, p2 ? 2 : 1, &hint);
    if (hint.known != known || (known && (hint.is_array != is_array || hint.type != type)))
        fail_msg("%s/%s: known %d array %d type %d", p1, p2 ? p2 : "", hint.known, hint.is_array,
                 (int)hint.type);
}

static void test_xsd_hints_features(void **state)
{
    (void)state;
    chuanp_xsd_hints *x = NULL;
    char *err = NULL;
    assert_int_equal(chuanp_xsd_hints_load(&x, "fixtures/convert/schema/features.xsd", NULL, &err), 0);
    const chuanp_schema_hints *h = chuanp_xsd_hints_get(x);
    expect_hint(h, "t:Goc", NULL, 1, 0, CHUANP_HINT_OBJECT);
    expect_hint(h, "t:Goc", "t:Ma", 1, 0, CHUANP_HINT_STRING);          /* from the base type */
    expect_hint(h, "t:Goc", "@id", 1, 0, CHUANP_HINT_INTEGER);         /* base attribute */
    expect_hint(h, "t:Goc", "@ver", 1, 0, CHUANP_HINT_INTEGER);        /* attribute group */
    expect_hint(h, "Goc", "A", 1, 1, CHUANP_HINT_BOOLEAN);             /* repeating choice */
    expect_hint(h, "Goc", "B", 1, 1, CHUANP_HINT_NUMBER);              /* restriction chain */
    expect_hint(h, "Goc", "Ngay", 1, 1, CHUANP_HINT_STRING);           /* group, maxOccurs 3 */
    expect_hint(h, "Goc", "Ghi", 1, 0, CHUANP_HINT_STRING);            /* element ref */
    expect_hint(h, "Goc", "SoTien", 1, 0, CHUANP_HINT_OBJECT);
    const char *tp[3] = {"Goc", "SoTien", "#text"};
    chuanp_hint hint;
    h->lookup(h->ctx, tp, 3, &hint);
    assert_int_equal(hint.type, CHUANP_HINT_NUMBER);                   /* simple content */
    expect_hint(h, "Goc", "Nope", 0, 0, CHUANP_HINT_UNKNOWN);
    const char *names[8];
    const char *gp[1] = {"Goc"};
    int n = h->child_order(h->ctx, gp, 1, names, 8);
    assert_int_equal(n, 6);
    assert_string_equal(names[0], "Ma");
    assert_string_equal(names[5], "SoTien");
    chuanp_xsd_hints_free(x);
    assert_int_equal(chuanp_xsd_hints_load(&x, "fixtures/convert/schema/features.xsd", "/Goc/X", &err),
                     -1);
    assert_non_null(strstr(err, "no element at --record /Goc/X"));
    free(err);
    err = NULL;
    assert_int_equal(chuanp_xsd_hints_load(&x, "fixtures/convert/simple/plain.json", NULL, &err), -1);
    free(err);
}

static void test_name_codec(void **state)
{
    (void)state;
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    static const char *const keys[] = {"a", "1", "a b", "", "_x0020_", "-x", "x:", ":x", "\xed\xa0\x80"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_xml_encode_name(&b, keys[i], strlen(keys[i]));
        assert_true(chuanp_xml_is_name(b.data, b.len));
        size_t len = b.len;
        const char *back = chuanp_xml_decode_name(&a, b.data, &len);
        assert_int_equal(len, strlen(keys[i]));
        assert_memory_equal(back, keys[i], len);
        chuanp_buf_free(&b);
    }
    chuanp_arena_free(&a);
}

/* issue 11, defect 3: the bytes entity references expand to, nested and in
 * attributes, measured once per entity; over the budget is reported. */
static void test_entity_expansion_measure(void **state)
{
    (void)state;
    const char *src = "<!DOCTYPE r [<!ENTITY a \"xyz\"><!ENTITY b \"&a;&a;-\">]>"
                      "<r x=\"&a;\">&b;<k>&b;text</k></r>";
    xmlDocPtr doc = xmlReadMemory(src, (int)strlen(src), "t.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    chuanp_xml_entity_budget b = {.input_bytes = strlen(src)};
    xmlNodePtr at = (xmlNodePtr)1;
    assert_int_equal(chuanp_xml_entity_measure(&b, xmlDocGetRootElement(doc), &at), 0);
    assert_null(at);
    assert_int_equal(b.expanded, 3 + 7 + 7);
    /* the budget is per document: a second measure adds up */
    assert_int_equal(chuanp_xml_entity_measure(&b, xmlDocGetRootElement(doc), &at), 0);
    assert_int_equal(b.expanded, 34);
    xmlFreeDoc(doc);
    assert_int_equal(chuanp_xml_entity_limit(10), CHUANP_XML_ENTITY_MIN);
    assert_int_equal(chuanp_xml_entity_limit(1000000), 10000000);
    /* one 20 KB entity referenced 60 times: linear amplification, which
     * libxml2 lets through when references are not substituted; over the
     * 1 MiB budget at the 53rd */
    chuanp_buf db;
    chuanp_buf_init(&db, 0);
    chuanp_buf_puts(&db, "<!DOCTYPE r [<!ENTITY a \"");
    for (int i = 0; i < 20000; i++)
        chuanp_buf_putc(&db, 'x');
    chuanp_buf_puts(&db, "\">]><r>");
    for (int i = 0; i < 60; i++)
        chuanp_buf_puts(&db, "<s>&a;</s>");
    chuanp_buf_puts(&db, "</r>");
    const char *deep = db.data;
    doc = xmlReadMemory(deep, (int)strlen(deep), "d.xml", NULL, XML_PARSE_NONET);
    assert_non_null(doc);
    chuanp_xml_entity_budget d = {.input_bytes = strlen(deep)};
    assert_int_equal(chuanp_xml_entity_measure(&d, xmlDocGetRootElement(doc), &at), 1);
    assert_non_null(at);
    assert_string_equal((const char *)at->name, "s");
    assert_true(d.expanded > CHUANP_XML_ENTITY_MIN);
    assert_int_equal(d.expanded, 53 * 20000);
    xmlFreeDoc(doc);
    chuanp_buf_free(&db);
    /* no DTD: nothing to measure */
    doc = xmlReadMemory("<r>x</r>", 8, "n.xml", NULL, XML_PARSE_NONET);
    chuanp_xml_entity_budget n = {0};
    assert_int_equal(chuanp_xml_entity_measure(&n, xmlDocGetRootElement(doc), &at), 0);
    assert_int_equal(n.expanded, 0);
    xmlFreeDoc(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_jsonml_round_trip_c14n),
        cmocka_unit_test(test_jsonml_round_trip_random),
        cmocka_unit_test(test_w3c_round_trip_exact),
        cmocka_unit_test(test_w3c_escape_auto_marks_only_needed),
        cmocka_unit_test(test_simple_schema_round_trip),
        cmocka_unit_test(test_schema_single_occurrence_is_array),
        cmocka_unit_test(test_simple_name_escaping_round_trip),
        cmocka_unit_test(test_simple_rejects_control_chars_with_line),
        cmocka_unit_test(test_duplicate_keys_reported),
        cmocka_unit_test(test_record_stream_bad_record_continues),
        cmocka_unit_test(test_ndjson_to_xml_wrapper_from_record_path),
        cmocka_unit_test(test_xsd_hints_features),
        cmocka_unit_test(test_name_codec),
        cmocka_unit_test(test_entity_expansion_measure),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
