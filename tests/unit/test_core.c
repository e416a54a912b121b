/* Unit tests for core/: buffers, arena, UTF-8, NFC, diagnostics, outputs. */
#include "unit.h"

#include "../../core/confine.h"

#include <sys/stat.h>
#include <stdio.h>
#include <unistd.h>

static void test_buf_json_escape(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_json_string(&b, "a\"b\\c\n\x01 Việt", strlen("a\"b\\c\n\x01 Việt"));
    assert_false(b.err);
    assert_string_equal(b.data, "\"a\\\"b\\\\c\\n\\u0001 Việt\"");
    chuanp_buf_free(&b);
}

static void test_buf_limit_is_sticky(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 4);
    chuanp_buf_puts(&b, "abcd");
    assert_int_equal(b.err, 0);
    chuanp_buf_puts(&b, "e");
    assert_int_equal(b.err, 2);
    chuanp_buf_puts(&b, "f");
    assert_int_equal(b.len, 4);
    chuanp_buf_free(&b);
}

/* chuanp_buf_printf formats into the spare capacity in one pass when it fits: the result,
 * the growth, the size cap and the sticky error must be those of the two-pass way. */
static void test_buf_printf(void **state)
{
    (void)state;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_printf(&b, "%s-%d", "ab", 12); /* empty buffer: grows */
    assert_string_equal(b.data, "ab-12");
    chuanp_buf_printf(&b, "/%zu", (size_t)7); /* fits the spare capacity */
    assert_string_equal(b.data, "ab-12/7");
    assert_int_equal(b.len, 7);
    char big[1000];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    chuanp_buf_printf(&b, "[%s]", big); /* does not fit: grows, formats again */
    assert_int_equal(b.len, 7 + 1001);
    assert_int_equal(b.data[7], '[');
    assert_int_equal(b.data[b.len - 1], ']');
    assert_int_equal(b.data[b.len], '\0');
    chuanp_buf_free(&b);
    /* the cap: text that fits the capacity but not the cap is refused, nothing written */
    chuanp_buf_init(&b, 8);
    chuanp_buf_puts(&b, "abc");
    assert_true(b.cap - b.len > 20);
    chuanp_buf_printf(&b, "%s", "defghi");
    assert_int_equal(b.err, 2);
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    chuanp_buf_printf(&b, "%s", "d"); /* sticky */
    assert_int_equal(b.len, 3);
    assert_string_equal(b.data, "abc");
    chuanp_buf_free(&b);
    chuanp_buf_init(&b, 8);
    chuanp_buf_puts(&b, "abc");
    chuanp_buf_printf(&b, "%d", 12345); /* exactly the cap */
    assert_int_equal(b.err, 0);
    assert_string_equal(b.data, "abc12345");
    chuanp_buf_free(&b);
}

static void test_arena_reset_keeps_memory_bounded(void **state)
{
    (void)state;
    chuanp_arena a;
    chuanp_arena_init(&a, 4096);
    for (int round = 0; round < 100; round++) {
        for (int i = 0; i < 1000; i++)
            assert_non_null(chuanp_arena_alloc(&a, 24));
        assert_non_null(chuanp_arena_alloc(&a, 100000)); /* big block */
        chuanp_arena_reset(&a);
        assert_int_equal(a.total, 0);
    }
    char *s = chuanp_arena_strndup(&a, "xin chào", 8);
    assert_memory_equal(s, "xin chào", 8);
    assert_int_equal(s[8], 0);
    chuanp_arena_free(&a);
}

/* chuanp_key_eq against memcmp at every length 0..40 and every differing
 * byte; chuanp_key_hash spreads the dossier keys over a 64-slot table. */
static void test_key_eq_and_hash(void **state)
{
    (void)state;
    char a[48], b[48];
    for (size_t len = 0; len <= 40; len++) {
        for (size_t i = 0; i < len; i++)
            a[i] = b[i] = (char)('A' + (i * 7) % 26);
        assert_true(chuanp_key_eq(a, b, len));
        assert_int_equal(chuanp_key_hash(a, len), chuanp_key_hash(b, len));
        for (size_t at = 0; at < len; at++) {
            b[at] ^= 0x20;
            assert_false(chuanp_key_eq(a, b, len));
            b[at] ^= 0x20;
        }
    }
    static const char *const keys[] = {
        "MaHoSo", "MaTTHC", "TenTTHC", "MaLinhVuc", "TenLinhVuc", "SoBienNhan", "ChuHoSo",
        "LoaiDoiTuong", "MaDoiTuong", "ThongTinKhac", "Email", "Fax", "SoDienThoai",
        "TrichYeuHoSo", "NgayTiepNhan", "NgayHenTra", "TrangThaiHoSo", "NgayTra", "ThongTinTra",
        "HinhThuc", "NgayKetThucXuLy", "DonViXuLy", "GhiChu", "TaiLieuNop", "DanhSachLePhi"};
    unsigned used[64] = {0}, distinct = 0;
    for (size_t k = 0; k < sizeof keys / sizeof *keys; k++)
        if (!used[chuanp_key_hash(keys[k], strlen(keys[k])) & 63]++)
            distinct++;
    assert_true(distinct >= 18); /* 25 keys in 64 slots: about 20 distinct at random */
    /* keys that share their first and last 8 bytes and differ only in the
     * middle (ids from input data) must not share one probe chain */
    char key[40];
    unsigned slots[4096] = {0}, filled = 0;
    for (unsigned k = 0; k < 1000; k++) {
        snprintf(key, sizeof key, "ABCDEFGH-%06u-STUVWXYZ", k);
        if (!slots[chuanp_key_hash(key, strlen(key)) & 4095]++)
            filled++;
    }
    assert_true(filled >= 850); /* 1000 keys in 4096 slots: about 890 at random */
}

static void test_utf8_invalid_offsets(void **state)
{
    (void)state;
    assert_int_equal(chuanp_utf8_invalid_at("abc", 3), -1);
    assert_int_equal(chuanp_utf8_invalid_at("Nguyễn Văn A", strlen("Nguyễn Văn A")), -1);
    assert_int_equal(chuanp_utf8_invalid_at("abcdefghij\xff", 11), 10);
    assert_int_equal(chuanp_utf8_invalid_at("\xc0\xaf", 2), 0);        /* overlong */
    assert_int_equal(chuanp_utf8_invalid_at("x\xed\xa0\x80", 4), 1);   /* surrogate */
    assert_int_equal(chuanp_utf8_invalid_at("\xf4\x90\x80\x80", 4), 0); /* > U+10FFFF */
    assert_int_equal(chuanp_utf8_invalid_at("ab\xe1\xba", 4), 2);      /* truncated */
}

static void test_nfc(void **state)
{
    (void)state;
    char *out;
    size_t n;
    /* "Việt" decomposed: e + U+0323 + U+0302 */
    const char *nfd = "Vie\xcc\xa3\xcc\x82t";
    assert_int_equal(chuanp_nfc(nfd, strlen(nfd), &out, &n), 0);
    assert_non_null(out);
    assert_int_equal(n, strlen("Việt"));
    assert_memory_equal(out, "Việt", n);
    free(out);
    assert_int_equal(chuanp_nfc("Việt", strlen("Việt"), &out, &n), 0);
    assert_null(out); /* already NFC: no copy */
    assert_int_equal(chuanp_nfc("plain", 5, &out, &n), 0);
    assert_null(out);
}

static void test_diags_cap_and_counts(void **state)
{
    (void)state;
    chuan_diags l;
    chuan_diags_init(&l, 2);
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "x.y", .file = "f.xml", .line = 3};
    for (int i = 0; i < 5; i++)
        assert_int_equal(chuan_diags_addf(&l, &d, "message %d", i), 0);
    d.severity = CHUAN_SEV_WARNING;
    chuan_diags_add(&l, &d);
    assert_int_equal(l.count, 2);
    assert_int_equal(l.dropped, 4);
    assert_int_equal(l.errors, 5);
    assert_int_equal(l.warnings, 1);
    assert_string_equal(l.items[1].message, "message 1");
    chuan_diags dst;
    chuan_diags_init(&dst, 0);
    assert_int_equal(chuan_diags_move(&dst, &l), 0);
    assert_int_equal(dst.count, 2);
    assert_int_equal(dst.errors, 5);
    assert_int_equal(l.count, 0);
    chuan_diags_clear(&dst);
    chuan_diags_clear(&l);
}

static void test_output_atomic(void **state)
{
    (void)state;
    char dir[] = "/tmp/chuan-unit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char *path = chuanp_asprintf("%s/out.txt", dir);
    chuanp_output o;
    char *err = NULL;
    assert_int_equal(chuanp_output_open(&o, path, stdout, &err), 0);
    fputs("hello", o.fp);
    struct stat st;
    assert_int_not_equal(stat(path, &st), 0); /* not there before commit */
    assert_int_equal(chuanp_output_commit(&o, &err), 0);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);
    /* abort leaves nothing behind */
    assert_int_equal(chuanp_output_open(&o, path, stdout, &err), 0);
    fputs("partial", o.fp);
    chuanp_output_abort(&o);
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);
    /* /dev/full: the commit reports the write failure */
    assert_int_equal(chuanp_output_open(&o, "/dev/full", stdout, &err), 0);
    fputs("x", o.fp);
    assert_int_equal(chuanp_output_commit(&o, &err), -1);
    assert_non_null(err);
    free(err);
    unlink(path);
    rmdir(dir);
    free(path);
}

static void test_format_sniff(void **state)
{
    (void)state;
    assert_int_equal(chuanp_format_sniff("-", "  <a/>", 6), CHUANP_FMT_XML);
    assert_int_equal(chuanp_format_sniff("-", "{\"a\":1}\n{\"a\":2}\n", 16), CHUANP_FMT_NDJSON);
    assert_int_equal(chuanp_format_sniff("-", "{\"a\":\n1}\n", 9), CHUANP_FMT_JSON);
    assert_int_equal(chuanp_format_sniff("-", "a;b\n1;2\n", 8), CHUANP_FMT_CSV);
    assert_int_equal(chuanp_format_sniff("x.XML", "", 0), CHUANP_FMT_XML);
    assert_int_equal(chuanp_format_sniff("-", "\xff\xfe<\0", 4), CHUANP_FMT_XML);
}

static void square(size_t i, void *ctx) { ((long *)ctx)[i] = (long)(i * i); }
static size_t order_seen;
static void in_order(size_t i, void *ctx)
{
    (void)ctx;
    assert_int_equal(i, order_seen);
    order_seen++;
}

static void test_jobs_in_order(void **state)
{
    (void)state;
    long v[1000];
    order_seen = 0;
    assert_int_equal(chuanp_run_jobs(1000, 4, square, in_order, v), 0);
    assert_int_equal(order_seen, 1000);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(v[i], (long)i * i);
}

/* issue 11, defect 11: schema resources only from regular files below the
 * allowed folders (after realpath: no "../", no symbolic link leads out). */
static void put_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void test_confine_read(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/chuan-confine.XXXXXX";
    char *dir = mkdtemp(tmpl);
    assert_non_null(dir);
    char *in = chuanp_asprintf("%s/in", dir), *out = chuanp_asprintf("%s/out", dir);
    char *a = chuanp_asprintf("%s/in/a.xsd", dir), *b = chuanp_asprintf("%s/out/b.xsd", dir);
    char *up = chuanp_asprintf("%s/in/../out/b.xsd", dir), *link = chuanp_asprintf("%s/in/l.xsd", dir);
    char *fifo = chuanp_asprintf("%s/in/f.xsd", dir);
    assert_int_equal(mkdir(in, 0700), 0);
    assert_int_equal(mkdir(out, 0700), 0);
    put_file(a, "A");
    put_file(b, "B");
    assert_int_equal(symlink(b, link), 0);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_confine c;
    chuanp_confine_init(&c, &d, a);
    assert_int_equal(chuanp_confine_add_parent(&c, a), 0);
    char *data = NULL, *why = NULL;
    size_t len = 0;
    assert_int_equal(chuanp_confine_read(&c, a, 0, &data, &len, &why), 0);
    assert_string_equal(data, "A");
    chuanp_free(data);
    const char *refused[] = {b, up, link, "/etc/passwd", fifo};
    for (size_t i = 0; i < 5; i++) {
        assert_int_equal(chuanp_confine_read(&c, refused[i], 0, &data, &len, &why), 1);
        assert_null(data);
        assert_non_null(strstr(why, refused[i]));
        chuanp_free(why);
    }
    assert_int_equal(c.refused, 5);
    assert_int_equal(d.count, 5);
    assert_string_equal(d.items[0].code, "schema.resource");
    /* a missing file is not a refusal */
    char *missing = chuanp_asprintf("%s/in/none.xsd", dir);
    assert_int_equal(chuanp_confine_read(&c, missing, 0, &data, &len, &why), -1);
    chuanp_free(why);
    /* a second root (a package) opens its tree; no confinement: anywhere,
     * but still never a FIFO */
    assert_int_equal(chuanp_confine_add_dir(&c, out), 0);
    assert_int_equal(chuanp_confine_read(&c, up, 0, &data, &len, &why), 0);
    chuanp_free(data);
    assert_int_equal(chuanp_confine_read(NULL, b, 0, &data, &len, &why), 0);
    chuanp_free(data);
    assert_int_equal(chuanp_confine_read(NULL, fifo, 0, &data, &len, &why), 1);
    chuanp_free(why);
    chuanp_confine_free(&c);
    /* a schema named through a symbolic link: the folder of its target is
     * its own folder too */
    chuanp_confine_init(&c, NULL, link);
    assert_int_equal(chuanp_confine_add_parent(&c, link), 0);
    assert_int_equal(chuanp_confine_read(&c, link, 0, &data, &len, &why), 0);
    assert_string_equal(data, "B");
    chuanp_free(data);
    assert_int_equal(chuanp_confine_read(&c, a, 0, &data, &len, &why), 0);
    chuanp_free(data);
    chuanp_confine_free(&c);
    chuan_diags_clear(&d);
    unlink(fifo), unlink(link), unlink(a), unlink(b), rmdir(in), rmdir(out), rmdir(dir);
    chuanp_free(in), chuanp_free(out), chuanp_free(a), chuanp_free(b), chuanp_free(up);
    chuanp_free(link), chuanp_free(fifo), chuanp_free(missing);
}

/* Large blocks: small ones are ordinary, large ones keep their bytes when they grow (from an
 * ordinary block and between maps), a freed one is reused, a buffer on them works as any
 * buffer, and failure injection counts them. */
static void test_big_blocks(void **state)
{
    (void)state;
    size_t cap = 0;
    char *p = chuanp_big_grow(NULL, 0, 1000, &cap);
    assert_non_null(p);
    assert_true(cap >= 1000);
    memset(p, 'a', 1000);
    p = chuanp_big_grow(p, 1000, 3u << 20, &cap); /* ordinary -> large */
    assert_non_null(p);
    assert_true(cap >= 3u << 20);
    for (int i = 0; i < 1000; i++)
        assert_int_equal(p[i], 'a');
    p[(3u << 20) - 1] = 'z';
    p = chuanp_big_grow(p, 3u << 20, 9u << 20, &cap); /* large -> larger */
    assert_non_null(p);
    assert_int_equal(p[999], 'a');
    assert_int_equal(p[(3u << 20) - 1], 'z');
    p[(9u << 20) - 1] = 'y';
    chuanp_big_free(p, cap);
    size_t cap2 = 0;
    char *q = chuanp_big_alloc(5u << 20, &cap2);
    assert_non_null(q);
    assert_true(cap2 >= 5u << 20);
    q[cap2 - 1] = 'x'; /* the whole capacity is usable */
    chuanp_big_free(q, cap2);
    chuanp_big_free(NULL, 0);

    chuanp_buf b;
    chuanp_buf_init_big(&b);
    for (int i = 0; i < 300000; i++)
        chuanp_buf_puts(&b, "0123456789");
    assert_int_equal(b.err, 0);
    assert_int_equal(b.len, 3000000);
    assert_memory_equal(b.data + 2999990, "0123456789", 10);
    assert_int_equal(b.data[b.len], '\0');
    chuanp_buf_reset(&b);
    chuanp_buf_puts(&b, "again");
    assert_string_equal(b.data, "again");
    size_t n = 0;
    char *s = chuanp_buf_steal(&b, &n); /* an ordinary copy: chuanp_free frees it */
    assert_string_equal(s, "again");
    assert_int_equal(n, 5);
    chuanp_free(s);
    chuanp_buf_free(&b);

    unsigned long long failed = chuanp_alloc_failures();
    chuanp_alloc_fail_in(1);
    assert_null(chuanp_big_alloc(4u << 20, &cap));
    assert_int_equal(chuanp_alloc_failures(), failed + 1);
    chuanp_alloc_fail_in(0);
}

/* Large blocks of every size, grown and freed in a random order, never share a byte and keep
 * theirs: blocks up to 2 MiB are pieces of shared huge-page slabs (core/big_block.c), growing in
 * place or moving, beside maps of their own and ordinary blocks. */
static void test_big_blocks_random(void **state)
{
    (void)state;
    enum { LIVE = 24, OPS = 600 };
    struct {
        unsigned char *p;
        size_t cap, len;
    } b[LIVE];
    memset(b, 0, sizeof b);
    unsigned seed = 2026;
    for (int op = 0; op < OPS; op++) {
        seed = seed * 1103515245u + 12345u;
        int k = (int)((seed >> 16) % LIVE);
        seed = seed * 1103515245u + 12345u;
        unsigned r = seed >> 8;
        /* mostly 100 KiB .. 1.5 MiB, some small, some past 2 MiB */
        size_t n = r % 10 == 0 ? 1 + r % 5000 : r % 10 == 1 ? (2u << 20) + r % (3u << 20)
                                                            : (100u << 10) + r % (1400u << 10);
        if (!b[k].p) {
            b[k].p = chuanp_big_alloc(n, &b[k].cap);
            assert_non_null(b[k].p);
            assert_true(b[k].cap >= n);
            b[k].len = n;
            memset(b[k].p, k + 1, n);
        } else if (r % 3 == 0) {
            chuanp_big_free(b[k].p, b[k].cap);
            b[k].p = NULL;
        } else if (n > b[k].len) {
            b[k].p = chuanp_big_grow(b[k].p, b[k].len, n, &b[k].cap);
            assert_non_null(b[k].p);
            assert_true(b[k].cap >= n);
            memset(b[k].p + b[k].len, k + 1, n - b[k].len);
            b[k].len = n;
        }
        for (int i = 0; i < LIVE; i++) {
            if (!b[i].p)
                continue;
            /* its bytes are still its own */
            assert_int_equal(b[i].p[0], i + 1);
            assert_int_equal(b[i].p[b[i].len / 2], i + 1);
            assert_int_equal(b[i].p[b[i].len - 1], i + 1);
            for (int j = 0; j < i; j++)
                if (b[j].p)
                    assert_true(b[j].p + b[j].cap <= b[i].p || b[i].p + b[i].cap <= b[j].p);
        }
    }
    for (int i = 0; i < LIVE; i++) {
        if (!b[i].p)
            continue;
        for (size_t x = 0; x < b[i].len; x++)
            if (b[i].p[x] != i + 1)
                fail_msg("block %d, byte %zu: %d", i, x, b[i].p[x]);
        chuanp_big_free(b[i].p, b[i].cap);
    }
#if !defined(__SANITIZE_ADDRESS__)
    /* four blocks of 400 KiB share one 2 MiB slab: what a batch run's chunks touch */
    char *q[4];
    size_t qc[4];
    for (int i = 0; i < 4; i++)
        assert_non_null(q[i] = chuanp_big_alloc(400u << 10, &qc[i]));
    char *lo = q[0], *hi = q[0];
    for (int i = 1; i < 4; i++) {
        lo = q[i] < lo ? q[i] : lo;
        hi = q[i] > hi ? q[i] : hi;
    }
    assert_true((size_t)(hi - lo) < (2u << 20));
    for (int i = 0; i < 4; i++)
        chuanp_big_free(q[i], qc[i]);
#endif
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_buf_json_escape),
        cmocka_unit_test(test_buf_limit_is_sticky),
        cmocka_unit_test(test_arena_reset_keeps_memory_bounded),
        cmocka_unit_test(test_utf8_invalid_offsets),
        cmocka_unit_test(test_key_eq_and_hash),
        cmocka_unit_test(test_nfc),
        cmocka_unit_test(test_diags_cap_and_counts),
        cmocka_unit_test(test_output_atomic),
        cmocka_unit_test(test_format_sniff),
        cmocka_unit_test(test_jobs_in_order),
        cmocka_unit_test(test_confine_read),
        cmocka_unit_test(test_buf_printf),
        cmocka_unit_test(test_big_blocks),
        cmocka_unit_test(test_big_blocks_random),
    };
    return cmocka_run_group_tests_name("core", tests, NULL, NULL);
}
