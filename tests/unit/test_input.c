/* tests/unit/test_input.c - the input front end (converters/input.c): how
 * validate hands an input to an engine (path form: as it is, or decoded
 * into a temporary copy), what convert's readers get (stream form) and what
 * the engine's chunked path cuts (raw form). */
#include "unit.h"

#include "../../converters/input.h"

#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>

static char *slurp(const char *path, size_t *len)
{
    chuanp_input in = {.name = path, .path = path};
    char *data = NULL, *err = NULL;
    assert_int_equal(chuanp_read_all(&in, 0, &data, len, &err), 0);
    free(err);
    return data;
}

/* The path form, as validate opens an input. */
static int vopen(chuanp_source *s, const char *p, chuanp_format f, const char *enc, int note,
                 chuan_diags *d)
{
    chuanp_source_opts o = {.from = f, .encoding = enc, .as_path = 1, .note = note};
    return chuanp_source_open(s, p, p, NULL, &o, d);
}

static int has_code(const chuan_diags *d, const char *code)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].code && strcmp(d->items[i].code, code) == 0)
            return 1;
    return 0;
}

/* UTF-8 is never copied: the engine reads the file itself. */
static void test_utf8_read_as_is(void **state)
{
    (void)state;
    const char *p = "fixtures/batch/legacy-utf8.csv";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source vi;
    assert_int_equal(vopen(&vi, p, CHUANP_FMT_CSV, NULL, 1, &d), 0);
    assert_string_equal(vi.path, p);
    assert_null(vi.copy_path);
    assert_int_equal(vi.enc, CHUANP_ENC_UTF8);
    assert_int_equal(d.count, 0);
    chuanp_source_close(&vi);
    assert_int_equal(vopen(&vi, p, CHUANP_FMT_CSV, "utf-8", 1, &d), 0);
    assert_null(vi.copy_path);
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
}

/* TCVN3 detected: the copy holds exactly the UTF-8 text, a note says so. */
static void test_tcvn3_decoded_copy(void **state)
{
    (void)state;
    const char *p = "fixtures/batch/legacy-tcvn3.csv";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source vi;
    assert_int_equal(vopen(&vi, p, CHUANP_FMT_CSV, "auto", 1, &d), 0);
    assert_non_null(vi.copy_path);
    assert_string_equal(vi.path, vi.copy_path);
    assert_int_equal(vi.enc, CHUANP_ENC_TCVN3);
    /* what it was read as, then the TCVN3 capitals whose case was inferred */
    assert_int_equal(d.count, 2);
    assert_int_equal(d.items[0].severity, CHUAN_SEV_INFO);
    assert_string_equal(d.items[0].code, "encoding.decoded");
    assert_int_equal(d.items[1].severity, CHUAN_SEV_WARNING);
    assert_string_equal(d.items[1].code, "encoding.tcvn3-case");
    size_t n1, n2;
    char *got = slurp(vi.path, &n1), *want = slurp("fixtures/batch/legacy-utf8.csv", &n2);
    /* same records; legacy-utf8.csv is the same data in UTF-8 */
    assert_int_equal(n1, n2);
    assert_memory_equal(got, want, n1);
    free(got);
    free(want);
    chuanp_source_close(&vi);
    assert_null(vi.copy_path);
    chuan_diags_clear(&d);
}

/* Too short to tell: refused with encoding.ambiguous, and read when named. */
static void test_ambiguous_refused(void **state)
{
    (void)state;
    const char *p = "fixtures/encoding/short-diachi.vni.json";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source vi;
    assert_int_equal(vopen(&vi, p, CHUANP_FMT_JSON, NULL, 1, &d), 1);
    assert_int_equal(vi.enc, CHUANP_ENC_NONE);
    assert_true(has_code(&d, "encoding.ambiguous"));
    assert_int_equal(d.errors, 1);
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    assert_int_equal(vopen(&vi, p, CHUANP_FMT_JSON, "vni", 0, &d), 0);
    assert_int_equal(vi.enc, CHUANP_ENC_VNI);
    assert_int_equal(d.count, 0); /* note off */
    size_t n;
    char *got = slurp(vi.path, &n);
    assert_string_equal(got, "{\"DiaChi\": \"Hà Nội\"}\n");
    free(got);
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
}

/* An XML document declaring UTF-8 is checked as UTF-8 even with bad bytes;
 * one declaring VNI is decoded and its declaration rewritten. */
static void test_xml_declarations(void **state)
{
    (void)state;
    const char *bad = "fixtures/xml/hostile/invalid-utf8.xml";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source vi;
    assert_int_equal(vopen(&vi, bad, CHUANP_FMT_XML, NULL, 1, &d), 0);
    assert_null(vi.copy_path);
    chuanp_source_close(&vi);
    const char *vni = "fixtures/encoding/declared.vni.xml";
    assert_int_equal(vopen(&vi, vni, CHUANP_FMT_XML, NULL, 1, &d), 0);
    assert_int_equal(vi.enc, CHUANP_ENC_VNI);
    assert_true(vi.from_declaration);
    size_t n;
    char *got = slurp(vi.path, &n);
    assert_non_null(strstr(got, "encoding=\"UTF-8\""));
    assert_non_null(strstr(got, "Nguyễn Văn Đức"));
    free(got);
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
}

/* issue 11, defect 2: the XML-declaration sniffer ran strstr over the 64 KiB
 * peek buffer, which has no terminating NUL. The buffer here ends right at an
 * unmapped page: any read past its n bytes faults (with or without ASan).
 * The sniffer is reached through the decision it serves: a declaration
 * naming VNI calls for chuan's decoder (1), none or one outside the
 * declaration does not (0). */
static void test_xml_declared_bounded(void **state)
{
    (void)state;
    long pg = sysconf(_SC_PAGESIZE);
    size_t n = 64 * 1024, span = ((n + (size_t)pg - 1) / (size_t)pg + 1) * (size_t)pg;
    char *map = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + span - (size_t)pg, (size_t)pg, PROT_NONE), 0);
    char *buf = map + span - (size_t)pg - n;
    const chuanp_format xml = CHUANP_FMT_XML;
    const char *heads[] = {"<?xml version=\"1.0\"?><a>", "<?xml version=\"1.0\"?>",
                           "<?xml version=\"1.0\" encoding=\"VNI\"?>"};
    const int want[] = {0, 0, 1};
    for (size_t k = 0; k < 3; k++) {
        memset(buf, 'x', n);
        memcpy(buf, heads[k], strlen(heads[k]));
        assert_int_equal(chuanp_input_needs_decoding(buf, n, 0, xml), want[k]);
        /* no '>' at all in the buffer */
        memset(buf, 'x', n);
        memcpy(buf, "<?xml version=\"1.0\" ", 20);
        assert_int_equal(chuanp_input_needs_decoding(buf, n, 0, xml), 0);
        /* "encoding" only after the declaration: not the declaration's */
        memset(buf, 'x', n);
        memcpy(buf, heads[0], strlen(heads[0]));
        memcpy(buf + n - 20, " encoding=\"VNI\"", 15);
        assert_int_equal(chuanp_input_needs_decoding(buf, n, 0, xml), 0);
        /* a label cut by the end of the buffer (no encoding chuan knows) */
        memcpy(buf, "<?xml encoding=\"", 16);
        memset(buf + 16, 'u', n - 17);
        buf[n - 1] = '>';
        assert_int_equal(chuanp_input_needs_decoding(buf, n, 0, xml), 0);
    }
    munmap(map, span);
}

/* The stream form (convert's readers) gives the same text as the path form's
 * copy, for a detected legacy input, and the bytes as they are for UTF-8. */
static void test_stream_form_same_text(void **state)
{
    (void)state;
    const char *files[] = {"fixtures/batch/legacy-tcvn3.csv", "fixtures/batch/legacy-utf8.csv"};
    for (size_t k = 0; k < 2; k++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_source vi, st;
        assert_int_equal(vopen(&vi, files[k], CHUANP_FMT_CSV, NULL, 0, &d), 0);
        chuanp_source_opts o = {.from = CHUANP_FMT_AUTO};
        assert_int_equal(chuanp_source_open(&st, files[k], NULL, NULL, &o, &d), 0);
        assert_int_equal(st.format, CHUANP_FMT_CSV);
        assert_int_equal(st.enc, vi.enc);
        assert_int_equal(st.enc, k == 0 ? CHUANP_ENC_TCVN3 : CHUANP_ENC_UTF8);
        size_t n1;
        char *want = slurp(vi.path, &n1);
        char *got = malloc(n1 + 2);
        assert_non_null(got);
        assert_int_equal(fread(got, 1, n1 + 1, st.fp), n1);
        assert_memory_equal(got, want, n1);
        free(got);
        free(want);
        chuanp_source_close(&st);
        chuanp_source_close(&vi);
        chuan_diags_clear(&d);
    }
}

/* Without a format the front end decides it, by name, else by the first
 * bytes; both forms say what they decided. */
static void test_format_decided(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source s;
    assert_int_equal(vopen(&s, "fixtures/batch/legacy-utf8.csv", CHUANP_FMT_AUTO, NULL, 1, &d), 0);
    assert_int_equal(s.input_format, CHUANP_FMT_CSV);
    assert_int_equal(s.format, CHUANP_FMT_CSV);
    chuanp_source_close(&s);
    char path[] = "/tmp/chuan-test-input.XXXXXX"; /* no extension: by content */
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, "<?xml version=\"1.0\"?><a/>\n", 26), 26);
    close(fd);
    assert_int_equal(vopen(&s, path, CHUANP_FMT_AUTO, NULL, 1, &d), 0);
    assert_int_equal(s.input_format, CHUANP_FMT_XML);
    chuanp_source_close(&s);
    chuanp_source_opts o = {.from = CHUANP_FMT_AUTO};
    assert_int_equal(chuanp_source_open(&s, path, NULL, NULL, &o, &d), 0);
    assert_int_equal(s.input_format, CHUANP_FMT_XML);
    chuanp_source_close(&s);
    unlink(path);
    assert_int_equal(d.count, 0);
    chuan_diags_clear(&d);
}

/* A missing file is left to the engine (which reports it as before). */
static void test_missing_left_to_engine(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source vi;
    assert_int_equal(vopen(&vi, "no/such.csv", CHUANP_FMT_CSV,
                                        "tcvn3", 1, &d), 0);
    assert_string_equal(vi.path, "no/such.csv");
    assert_int_equal(d.count, 0);
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
}

/* The raw form (the engine's chunked path): the bytes as they are after the
 * head it read, the format and the encoding by the same rules as the stream
 * form, the same encoding.ambiguous text, and a pipe made readable twice. */
static void test_raw_form(void **state)
{
    (void)state;
    const char *files[] = {"fixtures/batch/legacy-tcvn3.csv", "fixtures/batch/legacy-utf8.csv",
                           "fixtures/encoding/short-hanoi.vni.txt"};
    for (size_t k = 0; k < 3; k++) {
        chuan_diags d, ds;
        chuan_diags_init(&d, 0);
        chuan_diags_init(&ds, 0);
        chuanp_source r, st;
        chuanp_source_opts ro = {.from = k == 2 ? CHUANP_FMT_CSV : CHUANP_FMT_AUTO};
        assert_int_equal(chuanp_source_open_raw(&r, files[k], NULL, &ro, &d), 0);
        assert_int_equal(r.format, CHUANP_FMT_CSV);
        size_t n;
        char *want = slurp(files[k], &n);
        assert_true(r.eof && r.head_len == n);
        assert_memory_equal(r.head, want, n);
        free(want);
        int rc = chuanp_source_raw_encoding(&r, NULL, &d);
        chuanp_source_opts so = {.from = ro.from};
        int src = chuanp_source_open(&st, files[k], NULL, NULL, &so, &ds);
        if (k < 2) {
            assert_int_equal(rc, 0);
            assert_int_equal(src, 0);
            assert_int_equal(r.enc, st.enc);
        } else { /* refused with one text */
            assert_int_equal(rc, 1);
            assert_int_equal(src, 1);
            assert_int_equal(d.count, 1);
            assert_int_equal(ds.count, 1);
            assert_string_equal(d.items[0].code, "encoding.ambiguous");
            assert_string_equal(d.items[0].message, ds.items[0].message);
        }
        chuanp_source_close(&st);
        chuanp_source_close(&r);
        chuan_diags_clear(&d);
        chuan_diags_clear(&ds);
    }
    /* a pipe: spooled for a second pass, positioned after the head */
    FILE *p = popen("head -c 100000 /dev/zero | tr '\\0' 'a'", "r");
    assert_non_null(p);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_source r;
    chuanp_source_opts ro = {.from = CHUANP_FMT_NDJSON};
    assert_int_equal(chuanp_source_open_raw(&r, "pipe", p, &ro, &d), 0);
    assert_int_equal(r.head_len, CHUANP_DETECT_PREFIX);
    assert_int_equal(chuanp_source_raw_seekable(&r, &d), 0);
    assert_true(r.raw != p);
    assert_int_equal(ftello(r.raw), (off_t)r.head_len);
    assert_int_equal(fseeko(r.raw, 0, SEEK_SET), 0);
    char buf[4096];
    size_t total = 0, k;
    while ((k = fread(buf, 1, sizeof buf, r.raw)) > 0)
        total += k;
    assert_int_equal(total, 100000);
    chuanp_source_close(&r);
    pclose(p);
    assert_int_equal(d.count, 0);
    chuan_diags_clear(&d);
}

/* A table given as a stream (the public API's buffers) is read from it, in
 * every form, never from a file of its name. */
static void test_table_stream_not_by_name(void **state)
{
    (void)state;
    for (int raw = 0; raw <= 1; raw++) {
        FILE *fp = fopen("fixtures/legacy/canbo.dbf", "rb");
        assert_non_null(fp);
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_source s;
        chuanp_source_opts o = {.from = CHUANP_FMT_DBF};
        assert_int_equal(raw ? chuanp_source_open_raw(&s, "no-such.dbf", fp, &o, &d)
                             : chuanp_source_open(&s, "no-such.dbf", NULL, fp, &o, &d), 0);
        assert_int_equal(s.format, CHUANP_FMT_NDJSON);
        assert_int_equal(s.table_format, CHUANP_FMT_DBF);
        char buf[64] = "";
        if (raw)
            memcpy(buf, s.head, s.head_len < 63 ? s.head_len : 63);
        else
            assert_true(fread(buf, 1, 63, s.fp) > 0);
        assert_string_equal(strstr(buf, "{\"SoDinhDanh\":"), buf);
        chuanp_source_close(&s);
        fclose(fp);
        assert_int_equal(d.errors, 0);
        chuan_diags_clear(&d);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_read_as_is),
        cmocka_unit_test(test_tcvn3_decoded_copy),
        cmocka_unit_test(test_ambiguous_refused),
        cmocka_unit_test(test_xml_declarations),
        cmocka_unit_test(test_missing_left_to_engine),
        cmocka_unit_test(test_stream_form_same_text),
        cmocka_unit_test(test_format_decided),
        cmocka_unit_test(test_xml_declared_bounded),
        cmocka_unit_test(test_raw_form),
        cmocka_unit_test(test_table_stream_not_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
