/* tests/unit/test_validate_input.c - how validate hands an input to an
 * engine: as it is (UTF-8) or decoded into a temporary copy (cli/validate_input.c). */
#include "unit.h"

#include "../../converters/convert_input.h"
#include "../../converters/validate_input.h"

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
    chuanp_vinput vi;
    assert_int_equal(chuanp_vinput_open(&vi, p, p, CHUANP_FMT_CSV, NULL, 1, &d), 0);
    assert_string_equal(vi.path, p);
    assert_null(vi.copy_path);
    assert_int_equal(vi.enc, CHUANP_ENC_UTF8);
    assert_int_equal(d.count, 0);
    chuanp_vinput_close(&vi);
    assert_int_equal(chuanp_vinput_open(&vi, p, p, CHUANP_FMT_CSV, "utf-8", 1, &d), 0);
    assert_null(vi.copy_path);
    chuanp_vinput_close(&vi);
    chuan_diags_clear(&d);
}

/* TCVN3 detected: the copy holds exactly the UTF-8 text, a note says so. */
static void test_tcvn3_decoded_copy(void **state)
{
    (void)state;
    const char *p = "fixtures/batch/legacy-tcvn3.csv";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_vinput vi;
    assert_int_equal(chuanp_vinput_open(&vi, p, p, CHUANP_FMT_CSV, "auto", 1, &d), 0);
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
    chuanp_vinput_close(&vi);
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
    chuanp_vinput vi;
    assert_int_equal(chuanp_vinput_open(&vi, p, p, CHUANP_FMT_JSON, NULL, 1, &d), 1);
    assert_int_equal(vi.enc, CHUANP_ENC_NONE);
    assert_true(has_code(&d, "encoding.ambiguous"));
    assert_int_equal(d.errors, 1);
    chuanp_vinput_close(&vi);
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    assert_int_equal(chuanp_vinput_open(&vi, p, p, CHUANP_FMT_JSON, "vni", 0, &d), 0);
    assert_int_equal(vi.enc, CHUANP_ENC_VNI);
    assert_int_equal(d.count, 0); /* note off */
    size_t n;
    char *got = slurp(vi.path, &n);
    assert_string_equal(got, "{\"DiaChi\": \"Hà Nội\"}\n");
    free(got);
    chuanp_vinput_close(&vi);
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
    chuanp_vinput vi;
    assert_int_equal(chuanp_vinput_open(&vi, bad, bad, CHUANP_FMT_XML, NULL, 1, &d), 0);
    assert_null(vi.copy_path);
    chuanp_vinput_close(&vi);
    const char *vni = "fixtures/encoding/declared.vni.xml";
    assert_int_equal(chuanp_vinput_open(&vi, vni, vni, CHUANP_FMT_XML, NULL, 1, &d), 0);
    assert_int_equal(vi.enc, CHUANP_ENC_VNI);
    assert_true(vi.from_declaration);
    size_t n;
    char *got = slurp(vi.path, &n);
    assert_non_null(strstr(got, "encoding=\"UTF-8\""));
    assert_non_null(strstr(got, "Nguyễn Văn Đức"));
    free(got);
    chuanp_vinput_close(&vi);
    chuan_diags_clear(&d);
}

/* issue 11, defect 2: the XML-declaration sniffer ran strstr over the 64 KiB
 * peek buffer, which has no terminating NUL. The buffer here ends right at an
 * unmapped page: any read past its n bytes faults (with or without ASan). */
static void test_xml_declared_bounded(void **state)
{
    (void)state;
    long pg = sysconf(_SC_PAGESIZE);
    size_t n = 64 * 1024, span = ((n + (size_t)pg - 1) / (size_t)pg + 1) * (size_t)pg;
    char *map = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    assert_true(map != MAP_FAILED);
    assert_int_equal(mprotect(map + span - (size_t)pg, (size_t)pg, PROT_NONE), 0);
    char *buf = map + span - (size_t)pg - n;
    char label[64];
    const char *heads[] = {"<?xml version=\"1.0\"?><a>", "<?xml version=\"1.0\"?>",
                           "<?xml version=\"1.0\" encoding=\"VNI\"?>"};
    const char *want[] = {"", "", "VNI"};
    for (size_t k = 0; k < 3; k++) {
        memset(buf, 'x', n);
        memcpy(buf, heads[k], strlen(heads[k]));
        chuanp_xml_declared(buf, n, label, sizeof label);
        assert_string_equal(label, want[k]);
        /* no '>' at all in the buffer */
        memset(buf, 'x', n);
        memcpy(buf, "<?xml version=\"1.0\" ", 20);
        chuanp_xml_declared(buf, n, label, sizeof label);
        assert_string_equal(label, "");
        /* "encoding" only after the declaration: not the declaration's */
        memset(buf, 'x', n);
        memcpy(buf, heads[0], strlen(heads[0]));
        memcpy(buf + n - 20, " encoding=\"VNI\"", 15);
        chuanp_xml_declared(buf, n, label, sizeof label);
        assert_string_equal(label, "");
        /* a label cut by the end of the buffer */
        memcpy(buf, "<?xml encoding=\"", 16);
        memset(buf + 16, 'u', n - 17);
        buf[n - 1] = '>';
        chuanp_xml_declared(buf, n, label, sizeof label);
        assert_int_equal(strlen(label), sizeof label - 1);
    }
    munmap(map, span);
}

/* A missing file is left to the engine (which reports it as before). */
static void test_missing_left_to_engine(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_vinput vi;
    assert_int_equal(chuanp_vinput_open(&vi, "no/such.csv", "no/such.csv", CHUANP_FMT_CSV,
                                        "tcvn3", 1, &d), 0);
    assert_string_equal(vi.path, "no/such.csv");
    assert_int_equal(d.count, 0);
    chuanp_vinput_close(&vi);
    chuan_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_read_as_is),
        cmocka_unit_test(test_tcvn3_decoded_copy),
        cmocka_unit_test(test_ambiguous_refused),
        cmocka_unit_test(test_xml_declarations),
        cmocka_unit_test(test_missing_left_to_engine),
        cmocka_unit_test(test_xml_declared_bounded),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
