/*
 * bench/gen/encode.c - vnencode: UTF-8 -> TCVN3 / VNI / VISCII / VPS / CP1258
 * (or back with -d), a filter for making legacy test and benchmark data:
 *
 *     python3 bench/gen/records.py --format csv --count 1000000 | build/vnencode tcvn3 > tcvn3.csv
 *     build/vnencode -d tcvn3 < tcvn3.csv          # decode back to UTF-8 NFC
 *
 * Build (after `make`):  make build/vnencode
 * It uses only libchuan's text-encoding core (core/textenc*.c), not the chuan CLI.
 * Exit: 0 ok, 1 some characters could not be encoded ('?' written; counted on
 * stderr) or undecodable bytes met with -d, 2 usage / read / write error.
 * Capitals that TCVN3 writes with the lower-case code are counted on stderr
 * but are not an error (that is how TCVN3 files are written).
 */
#include "vnenc.h"

#include <stdio.h>
#include <string.h>

enum { CHUNK = 1 << 16 };

static int usage(void)
{
    fprintf(stderr, "usage: vnencode [-d] ENCODING < in > out\n  ENCODING: %s\n", chuanp_enc_accepted);
    return 2;
}

static int flush_out(chuanp_buf *b)
{
    if (b->err || fwrite(b->data, 1, b->len, stdout) != b->len)
        return -1;
    chuanp_buf_reset(b);
    return 0;
}

/* Encoding works on whole lines (a character never straddles a newline). */
static int encode_stream(chuanp_enc enc)
{
    chuanp_buf line, out;
    chuanp_buf_init(&line, 0);
    chuanp_buf_init(&out, 0);
    size_t unmappable = 0, lossy = 0;
    int rc = 0;
    char buf[CHUNK];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, stdin)) > 0) {
        size_t start = 0;
        for (size_t i = 0; i < n; i++) {
            if (buf[i] != '\n')
                continue;
            chuanp_buf_append(&line, buf + start, i + 1 - start);
            start = i + 1;
            size_t u = 0, l = 0;
            if (vnenc_encode(enc, line.data, line.len, &out, &u, &l) < 0) {
                fprintf(stderr, "vnencode: invalid UTF-8 input\n");
                rc = 2;
                goto out;
            }
            unmappable += u;
            lossy += l;
            chuanp_buf_reset(&line);
        }
        chuanp_buf_append(&line, buf + start, n - start);
        if (out.len > CHUNK && flush_out(&out) < 0) {
            rc = 2;
            goto out;
        }
    }
    if (ferror(stdin)) {
        fprintf(stderr, "vnencode: read error\n");
        rc = 2;
        goto out;
    }
    if (line.len) {
        size_t u = 0, l = 0;
        if (vnenc_encode(enc, line.data, line.len, &out, &u, &l) < 0) {
            fprintf(stderr, "vnencode: invalid UTF-8 input\n");
            rc = 2;
            goto out;
        }
        unmappable += u;
        lossy += l;
    }
    if (flush_out(&out) < 0) {
        rc = 2;
        goto out;
    }
    if (lossy)
        fprintf(stderr, "vnencode: %zu capitals written with the shared lower-case code (%s)\n",
                lossy, chuanp_enc_name(enc));
    if (unmappable) {
        fprintf(stderr, "vnencode: %zu characters not in %s written as '?'\n", unmappable,
                chuanp_enc_name(enc));
        rc = 1;
    }
out:
    chuanp_buf_free(&line);
    chuanp_buf_free(&out);
    return rc;
}

static int decode_stream(chuanp_enc enc)
{
    chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    int rc = 0;
    char buf[CHUNK];
    size_t n;
    if (!d)
        return 2;
    do {
        n = fread(buf, 1, sizeof buf, stdin);
        if (chuanp_decoder_run(d, buf, n, n == 0, &out) < 0 || flush_out(&out) < 0) {
            rc = 2;
            break;
        }
    } while (n > 0);
    if (rc == 0 && ferror(stdin))
        rc = 2;
    if (rc == 0 && chuanp_decoder_errors(d)) {
        fprintf(stderr, "vnencode: %zu undecodable bytes (written as U+FFFD)\n", chuanp_decoder_errors(d));
        rc = 1;
    }
    chuanp_decoder_free(d);
    chuanp_buf_free(&out);
    return rc;
}

int main(int argc, char **argv)
{
    int decode = argc == 3 && strcmp(argv[1], "-d") == 0;
    if (argc != 2 + decode)
        return usage();
    int enc = chuanp_enc_parse(argv[1 + decode]);
    if (enc <= CHUANP_ENC_ASCII)
        return usage();
    int rc = decode ? decode_stream((chuanp_enc)enc) : encode_stream((chuanp_enc)enc);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fprintf(stderr, "vnencode: write error\n");
        rc = 2;
    }
    return rc;
}
