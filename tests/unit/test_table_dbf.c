/* tests/unit/test_table_dbf.c - the DBF reader (converters/table_dbf*.c) on
 * tables built here byte by byte: the field types and their odd values, VFP
 * _NullFlags and varchar, dBase IV and FoxPro memo blocks, a corrupt record
 * flag, a code page named by the header. (The fixtures of fixtures/legacy/
 * and the golden tests legacy-* cover the whole files.) */
#include "unit.h"

#include "../../converters/table_dbf.h"

#include <stdio.h>
#include <unistd.h>

typedef struct fdef {
    const char *name;
    char type;
    unsigned len, dec, flags;
} fdef;

static char dir[64];
static int omit; /* read_all: CHUANP_TABLE_OMIT_EMPTY */

static void setup_dir(void)
{
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/chuan-test-dbf.XXXXXX");
        assert_non_null(mkdtemp(dir));
    }
}

static void put_file(const char *name, const void *data, size_t n)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *w = fopen(p, "wb");
    assert_non_null(w);
    assert_int_equal(fwrite(data, 1, n, w), n);
    fclose(w);
}

/* A table: header + descriptors + records (each rec_len bytes, flag first). */
static size_t build(unsigned char *out, unsigned char version, unsigned char cp, const fdef *f,
                    size_t nf, const unsigned char *recs, size_t nrec, int vfp)
{
    unsigned rec_len = 1;
    for (size_t i = 0; i < nf; i++)
        rec_len += f[i].len;
    unsigned hdr = 32 + 32 * (unsigned)nf + 1 + (vfp ? 263 : 0);
    memset(out, 0, hdr);
    out[0] = version, out[1] = 124, out[2] = 5, out[3] = 6;
    out[4] = (unsigned char)nrec;
    out[8] = hdr & 0xFF, out[9] = hdr >> 8;
    out[10] = rec_len & 0xFF, out[11] = rec_len >> 8;
    out[29] = cp;
    unsigned off = 1;
    for (size_t i = 0; i < nf; i++) {
        unsigned char *d = out + 32 + 32 * i;
        memcpy(d, f[i].name, strlen(f[i].name));
        d[11] = (unsigned char)f[i].type;
        d[12] = off & 0xFF, d[13] = off >> 8;
        d[16] = (unsigned char)f[i].len, d[17] = (unsigned char)f[i].dec;
        d[18] = (unsigned char)f[i].flags;
        off += f[i].len;
    }
    out[32 + 32 * nf] = 0x0D;
    memcpy(out + hdr, recs, rec_len * nrec);
    out[hdr + rec_len * nrec] = 0x1A;
    return hdr + rec_len * nrec + 1;
}

/* Every line the reader gives ("-" for a deleted record), joined by '\n'. */
static int read_all(const char *name, const char *encoding, chuanp_buf *lines, chuan_diags *d)
{
    char p[128];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    FILE *f = fopen(p, "rb");
    assert_non_null(f);
    chuanp_dbf *t = NULL;
    int rc = chuanp_dbf_open(&t, f, p, "t.dbf", encoding, d);
    if (rc == 0) {
        chuanp_dbf_omit_empty(t, omit);
        chuanp_buf line;
        chuanp_buf_init(&line, 0);
        int r;
        while ((r = chuanp_dbf_next(t, &line)) == 1 || r == 2) {
            if (r == 2)
                chuanp_buf_putc(&line, '-');
            chuanp_buf_append(lines, line.data, line.len);
            chuanp_buf_putc(lines, '\n');
            chuanp_buf_reset(&line);
        }
        rc = r;
        chuanp_buf_free(&line);
        chuanp_dbf_close(t);
    }
    fclose(f);
    chuanp_buf_putc(lines, '\0');
    return rc;
}

static const chuan_diag *find(const chuan_diags *d, const char *code)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].code && strcmp(d->items[i].code, code) == 0)
            return &d->items[i];
    return NULL;
}

static void test_field_values(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"N", 'N', 6, 1, 0}, {"D", 'D', 8, 0, 0}, {"L", 'L', 1, 0, 0}};
    unsigned char recs[4 * 16];
    memcpy(recs, "     5.20231231y", 16);
    memcpy(recs + 16, "   -0.500000000n", 16);
    memcpy(recs + 32, " ******20231301X", 16);
    memcpy(recs + 48, "*   0.5        ?", 16);
    unsigned char buf[1024];
    size_t n = build(buf, 0x03, 0, f, 3, recs, 4, 0);
    put_file("v.dbf", buf, n);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("v.dbf", NULL, &out, &d), 0);
    assert_string_equal(out.data, "{\"N\":\"5.\",\"D\":\"2023-12-31\",\"L\":true}\n"
                                  "{\"N\":-0.5,\"D\":null,\"L\":false}\n"
                                  "{\"N\":\"******\",\"D\":\"20231301\",\"L\":null}\n"
                                  "-\n");
    const chuan_diag *g = find(&d, "dbf.number"); /* once per field */
    assert_non_null(g);
    assert_int_equal(g->line, 1);
    assert_string_equal(g->path, "/N");
    g = find(&d, "dbf.date");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    assert_int_equal(g->severity, CHUAN_SEV_ERROR);
    g = find(&d, "dbf.logical");
    assert_non_null(g);
    assert_int_equal(g->line, 3);
    g = find(&d, "dbf.deleted");
    assert_non_null(g);
    assert_string_equal(g->message, "1 deleted record skipped, 3 live records read");
    chuan_diags_clear(&d);
    /* through a package: empty cells (null, "") are left out */
    omit = 1;
    chuanp_buf_reset(&out);
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("v.dbf", NULL, &out, &d), 0);
    omit = 0;
    assert_string_equal(out.data, "{\"N\":\"5.\",\"D\":\"2023-12-31\",\"L\":true}\n"
                                  "{\"N\":-0.5,\"L\":false}\n"
                                  "{\"N\":\"******\",\"D\":\"20231301\"}\n"
                                  "-\n");
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* VFP: _NullFlags bits in field order (a varchar's length bit, then its null
 * bit), integer, currency and date-time. */
static void test_vfp_nullflags(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"V", 'V', 6, 0, 0x02}, {"C", 'C', 3, 0, 0x02}, {"I", 'I', 4, 0, 0},
                             {"Y", 'Y', 8, 4, 0},    {"T", 'T', 8, 0, 0},
                             {"_NullFlags", '0', 1, 0, 0x05}};
    enum { RL = 1 + 6 + 3 + 4 + 8 + 8 + 1 };
    unsigned char recs[2 * RL];
    memset(recs, 0, sizeof recs);
    unsigned char *r = recs;
    /* record 1: V "abc" shorter than the field (length in the last byte), C null */
    r[0] = ' ';
    memcpy(r + 1, "abc\0\0\3", 6);
    memcpy(r + 7, "zzz", 3);
    r[10] = 0xFE, r[11] = 0xFF, r[12] = 0xFF, r[13] = 0xFF;         /* -2 */
    r[14] = 0x39, r[15] = 0x30;                                     /* 12345 = 1.2345 */
    r[22] = 0x59, r[23] = 0x68, r[24] = 0x25;                       /* JD 2451545 */
    r[26] = 0xF4, r[27] = 0x2F, r[28] = 0x93, r[29] = 0x02;         /* 43200500 ms */
    r[30] = 0x01 | 0x04;                                            /* V short, C null */
    /* record 2: V null, C "ab " */
    r = recs + RL;
    r[0] = ' ';
    memcpy(r + 1, "xxxxxx", 6);
    memcpy(r + 7, "ab ", 3);
    r[30] = 0x02;
    unsigned char buf[2048];
    size_t n = build(buf, 0x30, 0x03, f, 6, recs, 2, 1);
    put_file("vfp.dbf", buf, n);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("vfp.dbf", NULL, &out, &d), 0);
    assert_string_equal(out.data,
                        "{\"V\":\"abc\",\"C\":null,\"I\":-2,\"Y\":1.2345,"
                        "\"T\":\"2000-01-01T12:00:00.500\"}\n"
                        "{\"V\":null,\"C\":\"ab\",\"I\":0,\"Y\":0.0000,\"T\":null}\n");
    assert_int_equal(d.errors, 0);
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* dBase IV memo blocks (FF FF 08 00 + length), and a block past the end. */
static void test_dbase4_memo(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"M", 'M', 10, 0, 0}};
    unsigned char recs[3 * 11];
    memcpy(recs, "          1", 11);
    memcpy(recs + 11, "         99", 11);
    memcpy(recs + 22, "           ", 11);
    unsigned char buf[512];
    size_t n = build(buf, 0x8B, 0, f, 1, recs, 3, 0);
    put_file("m4.dbf", buf, n);
    unsigned char memo[1024];
    memset(memo, 0, sizeof memo);
    memo[20] = 0x00, memo[21] = 0x02; /* block size 512 */
    memcpy(memo + 512, "\xFF\xFF\x08\x00\x0D\x00\x00\x00hello", 13);
    put_file("M4.DBT", memo, sizeof memo);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("m4.dbf", NULL, &out, &d), 0);
    assert_string_equal(out.data, "{\"M\":\"hello\"}\n{\"M\":null}\n{\"M\":\"\"}\n");
    const chuan_diag *g = find(&d, "dbf.memo");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_string_equal(g->path, "/M");
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* FoxPro .fpt: a picture block (type 0) in a memo field is binary: base64. */
static void test_fpt_binary(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"M", 'M', 4, 0, 0}, {"G", 'G', 4, 0, 0}};
    unsigned char recs[9] = {' ', 8, 0, 0, 0, 9, 0, 0, 0};
    unsigned char buf[512];
    size_t n = build(buf, 0x30, 0x03, f, 2, recs, 1, 1);
    put_file("p.dbf", buf, n);
    unsigned char memo[640];
    memset(memo, 0, sizeof memo);
    memo[7] = 64; /* block size 64 */
    memcpy(memo + 512, "\0\0\0\1\0\0\0\2hi", 10);     /* block 8: text */
    memcpy(memo + 576, "\0\0\0\0\0\0\0\3\1\2\3", 11); /* block 9: picture */
    put_file("p.fpt", memo, sizeof memo);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("p.dbf", NULL, &out, &d), 0);
    assert_string_equal(out.data, "{\"M\":\"hi\",\"G\":\"AQID\"}\n");
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* A record whose first byte is no deletion flag ends the records (3). */
static void test_corrupt_flag(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"C", 'C', 2, 0, 0}};
    unsigned char recs[] = " a Xbb c ";
    unsigned char buf[256];
    size_t n = build(buf, 0x03, 0, f, 1, recs, 3, 0);
    put_file("x.dbf", buf, n);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("x.dbf", NULL, &out, &d), 3);
    assert_string_equal(out.data, "{\"C\":\"a\"}\n");
    const chuan_diag *g = find(&d, "dbf.record");
    assert_non_null(g);
    assert_int_equal(g->line, 2);
    assert_non_null(find(&d, "dbf.deleted")); /* the count is said even then */
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* A non-Western code page named by the header is trusted (Windows-1251);
 * the same bytes with --encoding name another table. */
static void test_code_page(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"C", 'C', 6, 0, 0}};
    unsigned char recs[] = " \xCF\xF0\xE8\xE2\xE5\xF2";
    unsigned char buf[256];
    size_t n = build(buf, 0x03, 0xC9, f, 1, recs, 1, 0);
    put_file("cp.dbf", buf, n);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("cp.dbf", NULL, &out, &d), 0);
    assert_string_equal(out.data, "{\"C\":\"Привет\"}\n");
    const chuan_diag *g = find(&d, "encoding.decoded");
    assert_non_null(g);
    assert_non_null(strstr(g->message, "cp1251"));
    chuan_diags_clear(&d);
    chuanp_buf_reset(&out);
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("cp.dbf", "tcvn3", &out, &d), 0);
    assert_string_not_equal(out.data, "{\"C\":\"Привет\"}\n");
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

/* Headers that do not hold together are refused before any record. */
static void test_bad_headers(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"C", 'C', 2, 0, 0}};
    unsigned char recs[] = " ab";
    unsigned char buf[256];
    size_t n = build(buf, 0x03, 0, f, 1, recs, 1, 0);
    unsigned char bad[256];
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    /* version 0x04 (dBase 7), record length shorter than the fields, header past the end */
    const struct {
        size_t at;
        unsigned char byte;
    } pokes[] = {{0, 0x04}, {10, 2}, {9, 0x40}};
    for (size_t i = 0; i < sizeof pokes / sizeof *pokes; i++) {
        memcpy(bad, buf, n);
        bad[pokes[i].at] = pokes[i].byte;
        put_file("h.dbf", bad, n);
        chuan_diags_init(&d, 0);
        chuanp_buf_reset(&out);
        assert_int_equal(read_all("h.dbf", NULL, &out, &d), 1);
        assert_non_null(find(&d, "dbf.header"));
        chuan_diags_clear(&d);
    }
    chuanp_buf_free(&out);
}

/* Records past the header's count are said (dbf.extra), not read in silence;
 * control bytes go through the decoder (VISCII 0x02 is a capital letter). */
static void test_extra_and_control_bytes(void **state)
{
    (void)state;
    setup_dir();
    static const fdef f[] = {{"C", 'C', 2, 0, 0}};
    unsigned char recs[] = " \x02" "a b ";
    unsigned char buf[256];
    size_t n = build(buf, 0x03, 0, f, 1, recs, 2, 0);
    buf[4] = 1; /* the header counts one record of the two */
    put_file("e.dbf", buf, n);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(read_all("e.dbf", "viscii", &out, &d), 0);
    assert_string_equal(out.data, "{\"C\":\"\xE1\xBA\xB2" "a\"}\n"); /* U+1EB2 */
    const chuan_diag *g = find(&d, "dbf.extra");
    assert_non_null(g);
    assert_int_equal(g->severity, CHUAN_SEV_WARNING);
    assert_non_null(strstr(g->message, "room for 1 records"));
    chuan_diags_clear(&d);
    chuanp_buf_free(&out);
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return dir[0] ? system(cmd) : 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_field_values),  cmocka_unit_test(test_vfp_nullflags),
        cmocka_unit_test(test_dbase4_memo),   cmocka_unit_test(test_fpt_binary),
        cmocka_unit_test(test_corrupt_flag),  cmocka_unit_test(test_code_page),
        cmocka_unit_test(test_bad_headers),   cmocka_unit_test(test_extra_and_control_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, teardown);
}
