/*
 * bench/legacy_decode.c - decode throughput of core/textenc per encoding, the
 * overhead of the textin layer on UTF-8 input, and glibc iconv for the two
 * encodings it knows (CP1258, VISCII). Run by bench/legacy-decode.sh.
 *
 *   build/bench-legacy-decode [MB]     (default 32 MB of UTF-8 text)
 */
#define _GNU_SOURCE
#include "gen/vnenc.h"

#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

enum { CHUNK = 64 * 1024, RUNS = 5 };

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return v[n / 2];
}

static double time_decoder(chuanp_enc enc, const char *data, size_t len, size_t *outlen)
{
    double t[RUNS];
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    for (int r = 0; r < RUNS; r++) {
        chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
        double t0 = chuanp_now();
        *outlen = 0;
        for (size_t i = 0; i < len; i += CHUNK) {
            size_t n = len - i < CHUNK ? len - i : CHUNK;
            chuanp_buf_reset(&out);
            chuanp_decoder_run(d, data + i, n, i + n == len, &out);
            *outlen += out.len;
        }
        t[r] = chuanp_now() - t0;
        chuanp_decoder_free(d);
    }
    chuanp_buf_free(&out);
    return median(t, RUNS);
}

static double time_iconv(const char *from, const char *data, size_t len)
{
    double t[RUNS];
    char *obuf = malloc(CHUNK * 4);
    for (int r = 0; r < RUNS; r++) {
        iconv_t cd = iconv_open("UTF-8", from);
        double t0 = chuanp_now();
        for (size_t i = 0; i < len; i += CHUNK) {
            size_t n = len - i < CHUNK ? len - i : CHUNK;
            char *ip = (char *)data + i, *op = obuf;
            size_t il = n, ol = CHUNK * 4;
            iconv(cd, &ip, &il, &op, &ol);
        }
        t[r] = chuanp_now() - t0;
        iconv_close(cd);
    }
    free(obuf);
    return median(t, RUNS);
}

/* Read a file through fread, raw or through textin. */
static double time_read(const char *path, const char *encoding, size_t *total)
{
    double t[RUNS];
    static char buf[CHUNK];
    for (int r = 0; r < RUNS; r++) {
        FILE *raw = fopen(path, "rb"), *in = raw;
        double t0 = chuanp_now();
        if (encoding && chuanp_textin_open(&in, raw, path, encoding, NULL, NULL) != 0)
            abort();
        size_t n;
        *total = 0;
        while ((n = fread(buf, 1, sizeof buf, in)) > 0)
            *total += n;
        t[r] = chuanp_now() - t0;
        if (encoding)
            fclose(in);
        fclose(raw);
    }
    return median(t, RUNS);
}

int main(int argc, char **argv)
{
    size_t mb = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 32;
    static const char *const srcs[] = {"fixtures/encoding/src/hanhchinh.txt", "fixtures/encoding/src/hoten.txt",
                                       "fixtures/encoding/src/diachi.txt", "fixtures/encoding/src/hoso.txt"};
    chuanp_buf text;
    chuanp_buf_init(&text, 0);
    for (int i = 0; text.len < mb << 20; i = (i + 1) % 4) {
        chuanp_input in = {srcs[i], srcs[i]};
        char *d, *err;
        size_t n;
        if (chuanp_read_all(&in, 0, &d, &n, &err) < 0) {
            fprintf(stderr, "%s (run from the repository root)\n", err);
            return 2;
        }
        chuanp_buf_append(&text, d, n);
        free(d);
    }
    printf("| input | bytes in | MB/s (median of %d) |\n|---|---:|---:|\n", RUNS);
    size_t outlen;
    double s = time_decoder(CHUANP_ENC_UTF8, text.data, text.len, &outlen);
    printf("| utf-8 (NFC) -> NFC, decoder | %zu | %.0f |\n", text.len, text.len / s / 1e6);
    {
        double tv[RUNS];
        long long sink = 0;
        for (int r = 0; r < RUNS; r++) {
            double t0 = chuanp_now();
            for (size_t i = 0; i < text.len; i += CHUNK)
                sink += chuanp_utf8_invalid_at(text.data + i, text.len - i < CHUNK ? text.len - i : CHUNK);
            tv[r] = chuanp_now() - t0;
        }
        double v = median(tv, RUNS);
        printf("| utf-8, validation only (chuanp_utf8_invalid_at, what any reader does) | %zu | %.0f |\n",
               text.len + (size_t)(sink & 0), text.len / v / 1e6);
    }
    char *nfd = (char *)utf8proc_NFD((const utf8proc_uint8_t *)text.data);
    s = time_decoder(CHUANP_ENC_UTF8, nfd, strlen(nfd), &outlen);
    printf("| utf-8 (NFD) -> NFC, decoder | %zu | %.0f |\n", strlen(nfd), strlen(nfd) / s / 1e6);
    free(nfd);
    static const chuanp_enc encs[] = {CHUANP_ENC_TCVN3, CHUANP_ENC_VNI, CHUANP_ENC_VISCII,
                                      CHUANP_ENC_VPS, CHUANP_ENC_CP1258};
    for (int k = 0; k < 5; k++) {
        chuanp_buf e;
        chuanp_buf_init(&e, 0);
        vnenc_encode(encs[k], text.data, text.len, &e, NULL, NULL);
        s = time_decoder(encs[k], e.data, e.len, &outlen);
        printf("| %s -> UTF-8 NFC, decoder | %zu | %.0f |\n", chuanp_enc_name(encs[k]), e.len,
               e.len / s / 1e6);
        if (encs[k] == CHUANP_ENC_CP1258 || encs[k] == CHUANP_ENC_VISCII) {
            const char *name = encs[k] == CHUANP_ENC_CP1258 ? "CP1258" : "VISCII";
            s = time_iconv(name, e.data, e.len);
            printf("| %s -> UTF-8, glibc iconv (peer) | %zu | %.0f |\n", chuanp_enc_name(encs[k]),
                   e.len, e.len / s / 1e6);
        }
        chuanp_buf_free(&e);
    }
    /* The textin layer on a UTF-8 file against plain fread. */
    const char *path = "build/bench-legacy-decode.utf8.txt";
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(text.data, 1, text.len, f) != text.len || fclose(f) != 0)
        return 2;
    size_t total;
    double raw = time_read(path, NULL, &total);
    double explicit_utf8 = time_read(path, "utf-8", &total);
    double autodet = time_read(path, "auto", &total);
    printf("\n| reading %zu bytes of UTF-8 | seconds | MB/s | vs plain fread |\n|---|---:|---:|---:|\n", total);
    printf("| plain fread | %.4f | %.0f | 1.00 |\n", raw, total / raw / 1e6);
    printf("| textin --encoding utf-8 | %.4f | %.0f | %.2f |\n", explicit_utf8, total / explicit_utf8 / 1e6,
           explicit_utf8 / raw);
    printf("| textin --encoding auto | %.4f | %.0f | %.2f |\n", autodet, total / autodet / 1e6,
           autodet / raw);
    remove(path);
    chuanp_buf_free(&text);
    return 0;
}
