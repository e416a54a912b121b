/* libFuzzer target: the command line's input front end - format sniffing,
 * XML declaration sniffing, encoding detection and decoding, the stdin
 * replay stream - with inputs larger than the 64 KiB peek buffer.
 *
 * (converters/input.c: the stream form convert's readers get, the path form
 * validate's engines open.)
 *
 * Input: byte 0 = mode, byte 1 = size knob, the rest = payload.
 *   mode & 3       shape: 0 the payload as is; 1 the payload repeated past
 *                  64 KiB; 2 the payload's first half, filler, then its
 *                  second half starting near the 64 KiB boundary (a
 *                  sequence or a declaration cut by the peek); 3 as is
 *   (mode >> 2) & 7 --encoding: none, auto, utf-8, tcvn3, vni, viscii, vps, cp1258
 *   (mode >> 5) & 7 --from / file name: auto (no extension), auto (.xml,
 *                  .json, .csv names), xml, json, ndjson, csv
 *   knob & 0x40    validate's input (4. below) instead of convert's (2. and 3.)
 *   knob & 0x80    the replay stream's head is cut at knob bytes, not 64 KiB,
 *                  and decoding through it is compared with decoding the file
 * (Detection over a 64 KiB prefix of legacy text costs about a second under
 * ASan and coverage, hence one path per run.)
 *
 * Properties (abort() on violation):
 *   - no crash, no over-read (the sniffers get exact-size heap copies), no leak;
 *   - the sniffed format is a format;
 *   - convert's opened input, when decoded, is valid UTF-8; when not decoded,
 *     it is the file's bytes exactly;
 *   - the replay stream (stdin: peeked head, then the rest) gives back the
 *     file's bytes exactly, and decoding through it gives the same text as
 *     decoding the file;
 *   - validate's decoded copy is valid UTF-8;
 *   - every open returns one of its documented codes. */
#define _GNU_SOURCE
#include "input.h"
#include "textenc.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PEEK (64 * 1024)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char dir[64];

static void cleanup(void)
{
    if (dir[0])
        rmdir(dir);
}

static void need(int ok)
{
    if (!ok)
        abort();
}

/* Everything a stream gives, into b. Returns 0, or -1 on a read error. */
static int slurp(FILE *fp, chuanp_buf *b)
{
    char tmp[16384];
    size_t n;
    while ((n = fread(tmp, 1, sizeof tmp, fp)) > 0)
        chuanp_buf_append(b, tmp, n);
    need(!b->err);
    return ferror(fp) ? -1 : 0;
}

static int same(const chuanp_buf *b, const char *s, size_t n)
{
    return b->len == n && (n == 0 || memcmp(b->data, s, n) == 0);
}

static void utf8_ok(const chuanp_buf *b)
{
    need(chuanp_utf8_invalid_at(b->data, b->len) < 0);
}

/* The shaped input (see the header). */
static char *shape(const uint8_t *p, size_t n, int how, unsigned knob, size_t *outlen)
{
    size_t len = n, target = PEEK + (size_t)knob * 67;
    if (how == 1 && n > 0)
        len = (target / n + 1) * n;
    else if (how == 2)
        len = PEEK - (knob % 16) + n - n / 2; /* second half starts at PEEK - knob%16 */
    if (len < n)
        len = n;
    char *s = chuanp_malloc(len ? len : 1);
    need(s != NULL);
    if (how == 1 && n > 0) {
        for (size_t i = 0; i < len; i += n)
            memcpy(s + i, p, n);
    } else if (how == 2 && len > n) {
        size_t h = n / 2, at = len - (n - h);
        memcpy(s, p, h);
        /* filler: ASCII when knob is even, else Vietnamese UTF-8 / legacy-looking bytes */
        static const char fill_utf8[] = "\xE1\xBB\x87 "; /* "ệ " */
        for (size_t i = h; i < at; i++)
            s[i] = knob & 1 ? fill_utf8[(i - h) % 4] : " a\n"[(i - h) % 3];
        memcpy(s + at, p + h, n - h);
    } else if (n) {
        memcpy(s, p, n);
    }
    *outlen = len;
    return s;
}

static const char *const encodings[] = {NULL, "auto", "utf-8", "tcvn3", "vni", "viscii", "vps", "cp1258"};
static const struct {
    chuanp_format from;
    const char *ext;
} formats[] = {
    {CHUANP_FMT_AUTO, ""},        {CHUANP_FMT_AUTO, ".xml"},  {CHUANP_FMT_AUTO, ".json"},
    {CHUANP_FMT_AUTO, ".csv"},    {CHUANP_FMT_XML, ".dat"},   {CHUANP_FMT_JSON, ""},
    {CHUANP_FMT_NDJSON, ".ndjson"}, {CHUANP_FMT_CSV, ".txt"},
};

/* 2. and 3.: convert's input, then the replay stream standard input gets. */
static void convert_path(const char *path, const char *s, size_t len, chuanp_format from,
                         const char *encoding, unsigned knob)
{
    int is_auto = !encoding || strcmp(encoding, "auto") == 0;
    int is_utf8 = encoding && strcmp(encoding, "utf-8") == 0;
    chuan_diags d;
    chuan_diags_init(&d, 50);
    chuanp_source in;
    chuanp_buf conv;
    chuanp_buf_init(&conv, 0);
    chuanp_source_opts so = {.from = from, .encoding = encoding};
    int rc = chuanp_source_open(&in, path, NULL, NULL, &so, &d);
    need(rc == -1 || rc == 0 || rc == 1);
    int decoded = 0;
    if (rc == 0) {
        decoded = in.text != NULL && in.table_format == CHUANP_FMT_AUTO;
        int r = slurp(in.fp, &conv);
        if (in.table_format != CHUANP_FMT_AUTO) {
            if (r == 0)
                utf8_ok(&conv); /* a DBF/MDB table's records: NDJSON text (fuzz_dbf checks more) */
        } else if (decoded) {
            need(!is_utf8);
            if (r == 0)
                utf8_ok(&conv);
        } else {
            need(r == 0 && same(&conv, s, len)); /* read as it is: every byte, once */
        }
        chuanp_source_close(&in);
    }
    chuan_diags_clear(&d);

    /* stdin: the replay stream over a head peeked from the file, then the
     * rest; the same bytes, and decoding through it gives the same text */
    size_t cut = len < PEEK ? len : PEEK;
    if (knob & 0x80 && len)
        cut = knob % (len + 1) < cut ? knob % (len + 1) : cut;
    FILE *raw = fopen(path, "rb");
    need(raw != NULL);
    char *head = chuanp_malloc(cut ? cut : 1);
    need(head && fread(head, 1, cut, raw) == cut);
    FILE *rp = chuanp_replay_open(head, cut, raw, 1);
    need(rp != NULL);
    chuanp_buf back;
    chuanp_buf_init(&back, 0);
    if (decoded && (knob & 0x80)) {
        FILE *text = NULL;
        chuan_diags_init(&d, 50);
        if (chuanp_textin_open(&text, rp, "fuzz", is_auto ? NULL : encoding, NULL, &d) == 0 && text) {
            int r = slurp(text, &back);
            fclose(text);
            if (r == 0)
                need(same(&back, conv.data, conv.len));
        }
        chuan_diags_clear(&d);
    } else if (!decoded) {
        need(slurp(rp, &back) == 0 && same(&back, s, len));
    }
    fclose(rp);
    fclose(raw);
    chuanp_buf_free(&back);
    chuanp_buf_free(&conv);
}

/* 4. validate's input: read as it is, or a decoded copy. */
static void validate_path(const char *path, chuanp_format fmt, const char *encoding)
{
    int is_utf8 = encoding && strcmp(encoding, "utf-8") == 0;
    chuan_diags d;
    chuan_diags_init(&d, 50);
    chuanp_source vi;
    chuanp_source_opts so = {.from = fmt, .encoding = encoding, .as_path = 1, .note = 1};
    int rc = chuanp_source_open(&vi, path, "fuzz", NULL, &so, &d);
    need(rc == -1 || rc == 0 || rc == 1);
    if (rc == 0 && vi.copy_path) {
        need(!is_utf8);
        FILE *c = fopen(vi.copy_path, "rb");
        need(c != NULL);
        chuanp_buf copy;
        chuanp_buf_init(&copy, 0);
        need(slurp(c, &copy) == 0);
        utf8_ok(&copy);
        fclose(c);
        chuanp_buf_free(&copy);
    } else if (rc == 0) {
        need(strcmp(vi.path, path) == 0);
    }
    chuanp_source_close(&vi);
    chuan_diags_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    unsigned mode = data[0], knob = data[1];
    size_t len;
    char *s = shape(data + 2, size - 2, mode & 3, knob, &len);
    const char *encoding = encodings[(mode >> 2) & 7];
    chuanp_format from = formats[(mode >> 5) & 7].from;
    const char *ext = formats[(mode >> 5) & 7].ext;

    /* 1. the sniffers, on an exact-size copy of what the peek holds */
    size_t k = len < PEEK ? len : PEEK;
    char *peek = chuanp_malloc(k ? k : 1);
    need(peek != NULL);
    memcpy(peek, s, k);
    chuanp_format f = chuanp_format_sniff(NULL, peek, k);
    need(f >= CHUANP_FMT_AUTO && f <= CHUANP_FMT_MDB);
    int nd = chuanp_input_needs_decoding(peek, k, len <= PEEK, from ? from : f);
    need(nd == 0 || nd == 1);
    chuanp_free(peek);

    /* the file convert and validate open */
    if (!dir[0]) {
        snprintf(dir, sizeof dir, "/tmp/chuan-fuzz-input.XXXXXX");
        need(mkdtemp(dir) != NULL);
        atexit(cleanup);
    }
    char path[128];
    snprintf(path, sizeof path, "%s/in%s", dir, ext);
    FILE *w = fopen(path, "wb");
    need(w && fwrite(s, 1, len, w) == len && fclose(w) == 0);
    if (knob & 0x40)
        validate_path(path, from ? from : f, encoding);
    else
        convert_path(path, s, len, from, encoding, knob);
    unlink(path);
    chuanp_free(s);
    return 0;
}
