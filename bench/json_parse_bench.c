/*
 * bench/json_parse_bench.c - MB/s of chuanp_json_parse against jansson's
 * json_loadb on NDJSON one-stop-dossier records (one parse per line, as the
 * validator does). Not part of `make check`. jansson is only the peer here
 * (chuan does not link it); bench/json.sh installs libjansson-dev when missing.
 *
 * Build (from the repository root, after `make`):
 *   cc -O2 -Iinclude -Icore -Iconverters -o build/json_parse_bench \
 *      bench/json_parse_bench.c build/libchuan.a \
 *      $(pkg-config --libs jansson libxml-2.0 libpcre2-8 libutf8proc) -lpthread -lm
 * Run:
 *   build/json_parse_bench [FILE.ndjson] [ROUNDS]
 * Without FILE it generates 100,000 deterministic dossier records (about
 * 100 MB) in memory, shaped like bench/gen/records.py --format ndjson
 * (DongBoHoSoMC fields, Vietnamese names, nested DanhSachLePhi and
 * DanhSachTaiLieuNop arrays). Prints the best of ROUNDS (default 3) runs
 * for each parser, and the ratio.
 */
#include "json.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static unsigned long long rng = 88172645463325252ULL;
static unsigned next_rand(unsigned n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return (unsigned)(rng % n);
}

static void generate(chuanp_buf *b, size_t count)
{
    static const char *ho[] = {"Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Vũ", "Đặng"};
    static const char *dem[] = {"Văn", "Thị", "Hữu", "Minh", "Thanh", "Quốc"};
    static const char *ten[] = {"An", "Bình", "Cường", "Dũng", "Hà", "Hương", "Long", "Yến"};
    static const char *tinh[] = {"Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng",
                                 "Cần Thơ", "Thừa Thiên Huế"};
    static const char *giay[] = {"Tờ khai đăng ký kinh doanh", "Bản sao căn cước công dân",
                                 "Giấy chứng nhận quyền sử dụng đất", "Hợp đồng thuê nhà"};
    for (size_t i = 0; i < count; i++) {
        chuanp_buf_printf(b,
            "{\"MaHoSo\":\"G22.%03u-%06zu\",\"MaTTHC\":\"1.%06u\",\"TenTTHC\":\"Đăng ký "
            "thành lập hộ kinh doanh\",\"MaLinhVuc\":\"%u\",\"KenhThucHien\":%u,"
            "\"ChuHoSo\":{\"HoVaTen\":\"%s %s %s\",\"SoCCCD\":\"0%011u\",\"SoDienThoai\":"
            "\"09%08u\",\"Email\":\"nguoidan%zu@example.vn\",\"DiaChi\":\"Số %u, phường %u, %s\"},"
            "\"LoaiDoiTuong\":%u,\"NgayTiepNhan\":\"2025-%02u-%02uT08:%02u:00+07:00\","
            "\"NgayHenTra\":\"2025-%02u-%02u\",\"TrangThaiHoSo\":%u,\"DaThanhToan\":%s,"
            "\"DanhSachLePhi\":[",
            next_rand(999), i, next_rand(999999), next_rand(90) + 10, next_rand(3) + 1,
            ho[next_rand(8)], dem[next_rand(6)], ten[next_rand(8)], next_rand(2000000000),
            next_rand(99999999), i, next_rand(500) + 1, next_rand(30) + 1, tinh[next_rand(6)],
            next_rand(4) + 1, next_rand(12) + 1, next_rand(28) + 1, next_rand(60),
            next_rand(12) + 1, next_rand(28) + 1, next_rand(10) + 1,
            next_rand(2) ? "true" : "false");
        unsigned nfee = next_rand(3) + 1;
        for (unsigned k = 0; k < nfee; k++)
            chuanp_buf_printf(b, "%s{\"TenPhiLePhi\":\"Lệ phí cấp giấy chứng nhận\",\"MaPhiLePhi\":"
                                 "\"LP%04u\",\"MucPhi\":%u.%02u,\"DonViTinh\":\"VND\"}",
                              k ? "," : "", next_rand(9999), next_rand(500000), next_rand(100));
        chuanp_buf_puts(b, "],\"DanhSachTaiLieuNop\":[");
        unsigned ndoc = next_rand(4) + 1;
        for (unsigned k = 0; k < ndoc; k++)
            chuanp_buf_printf(b, "%s{\"TepDinhKemId\":\"%08x-%04x-4%03x-a%03x-%012x\",\"TenTepDinhKem\":"
                                 "\"%s.pdf\",\"IsDeleted\":false,\"MaThanhPhanHoSo\":\"TP%u\","
                                 "\"DuongDanTaiTepTin\":\"https://dichvucong.gov.vn/files/%u/%zu.pdf\"}",
                              k ? "," : "", next_rand(0xffffffffu), next_rand(0xffff),
                              next_rand(0xfff), next_rand(0xfff), next_rand(0xffffffffu), giay[next_rand(4)],
                              k + 1, next_rand(100000), i);
        chuanp_buf_puts(b, "],\"GhiChu\":null}\n");
    }
}

static double run_chuan(const char *data, size_t len, size_t *records)
{
    chuanp_arena arena;
    chuan_diags d;
    chuanp_arena_init(&arena, 0);
    chuan_diags_init(&d, 10);
    double t0 = now();
    const char *p = data, *end = data + len;
    size_t n = 0;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        chuanp_jv *v;
        if (chuanp_json_parse(&v, p, l, NULL, &arena, &d) != 0) {
            fprintf(stderr, "chuan: parse error on record %zu\n", n + 1);
            exit(1);
        }
        chuanp_arena_reset(&arena);
        n++;
        p += l + 1;
    }
    double t = now() - t0;
    chuanp_arena_free(&arena);
    chuan_diags_clear(&d);
    *records = n;
    return t;
}

static double run_jansson(const char *data, size_t len)
{
    double t0 = now();
    const char *p = data, *end = data + len;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
        json_error_t err;
        json_t *j = json_loadb(p, l, 0, &err);
        if (!j) {
            fprintf(stderr, "jansson: %s\n", err.text);
            exit(1);
        }
        json_decref(j);
        p += l + 1;
    }
    return now() - t0;
}

int main(int argc, char **argv)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int rounds = argc > 2 ? (int)strtol(argv[2], NULL, 10) : 3;
    if (rounds < 1)
        rounds = 1;
    if (argc > 1 && strcmp(argv[1], "-") != 0) {
        FILE *f = fopen(argv[1], "rb");
        if (!f) {
            perror(argv[1]);
            return 2;
        }
        char chunk[65536];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
            chuanp_buf_append(&b, chunk, n);
        fclose(f);
    } else {
        generate(&b, 100000);
    }
    if (b.err) {
        fprintf(stderr, "out of memory\n");
        return 2;
    }
    double mb = (double)b.len / 1e6, best_c = 1e9, best_j = 1e9;
    size_t records = 0;
    for (int r = 0; r < rounds; r++) {
        double tc = run_chuan(b.data, b.len, &records);
        double tj = run_jansson(b.data, b.len);
        if (tc < best_c)
            best_c = tc;
        if (tj < best_j)
            best_j = tj;
    }
    printf("input: %.1f MB, %zu records (best of %d)\n", mb, records, rounds);
    printf("chuanp_json_parse: %8.1f MB/s  %8.0f records/s\n", mb / best_c,
           (double)records / best_c);
    printf("jansson json_loadb: %7.1f MB/s  %8.0f records/s\n", mb / best_j,
           (double)records / best_j);
    printf("ratio: %.2fx\n", best_j / best_c);
    chuanp_buf_free(&b);
    return 0;
}
