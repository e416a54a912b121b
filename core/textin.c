/* core/textin.c - the input-decoding layer every reader uses: a FILE that
 * yields UTF-8 NFC whatever the input encoding (glibc fopencookie). */
#define _GNU_SOURCE
#include "textenc.h"

#include <errno.h>
#include <iconv.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { READ_CHUNK = 64 * 1024, DECL_MAX = 512 };

typedef struct textin {
    FILE *raw;
    const char *name;
    chuan_diags *diags;
    iconv_t cd;       /* another encoding an XML declaration named, (iconv_t)-1 if none */
    chuanp_buf conv;  /* its UTF-8, before NFC */
    unsigned char pend[8]; /* bytes of a sequence cut by the end of a read */
    size_t npend;
    long long conv_off; /* input offset of the next byte given to iconv */
    chuanp_decoder *dec;
    chuanp_buf out;   /* decoded, not yet handed out */
    size_t out_pos;
    unsigned char *in;
    int eof;
} textin;

static void textin_free(textin *t)
{
    if (!t)
        return;
    chuanp_decoder_free(t->dec);
    if (t->cd != (iconv_t)-1)
        iconv_close(t->cd);
    chuanp_buf_free(&t->conv);
    chuanp_buf_free(&t->out);
    chuanp_free(t->in);
    chuanp_free(t);
}

static int iconv_step(textin *t, const unsigned char *p, size_t n, int final);

/* Decode n input bytes (final: the last ones) into t->out. At the end of the
 * input, the words whose case TCVN3 did not encode get their one warning. */
static int decode_step(textin *t, const unsigned char *p, size_t n, int final)
{
    int rc = t->cd == (iconv_t)-1 ? chuanp_decoder_run(t->dec, p, n, final, &t->out)
                                   : iconv_step(t, p, n, final);
    if (final && rc == 0) {
        chuanp_case_note note;
        chuanp_decoder_case_note(t->dec, &note);
        chuanp_case_note_report(&note, t->name, t->diags);
    }
    return rc;
}

/* Encodings other than chuan's own (named by an XML declaration) go through
 * glibc iconv to UTF-8 first, then through the UTF-8 decoder for NFC. */
static int iconv_step(textin *t, const unsigned char *p, size_t n, int final)
{
    chuanp_buf in;
    chuanp_buf_init(&in, 0);
    chuanp_buf_append(&in, t->pend, t->npend);
    chuanp_buf_append(&in, p, n);
    t->npend = 0;
    chuanp_buf_reset(&t->conv);
    if (in.err || chuanp_buf_reserve(&t->conv, in.len * 4 + 16) < 0) {
        chuanp_buf_free(&in);
        return -1;
    }
    char *ip = in.data, *op = t->conv.data;
    size_t il = in.len, ol = t->conv.cap - 1;
    while (il > 0) {
        if (iconv(t->cd, &ip, &il, &op, &ol) != (size_t)-1)
            break;
        if (errno == EINVAL && !final && il < sizeof t->pend) {
            memcpy(t->pend, ip, il); /* a sequence cut by the read: finish it next time */
            t->npend = il;
            break;
        }
        if (errno == E2BIG)
            break; /* cannot happen: 4 bytes out per byte in */
        /* EILSEQ (or a cut sequence at the very end): U+FFFD, report, go on */
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = t->name,
                        .offset = t->conv_off + (ip - in.data)};
        if (t->diags)
            chuan_diags_addf(t->diags, &g, "byte 0x%02X is not valid in the declared encoding "
                             "at byte offset %lld (replaced by U+FFFD)", (unsigned char)*ip, g.offset);
        memcpy(op, "\xEF\xBF\xBD", 3);
        op += 3;
        ol -= 3;
        ip++;
        il--;
    }
    t->conv_off += (long long)(in.len - t->npend);
    t->conv.len = (size_t)(op - t->conv.data);
    chuanp_buf_free(&in);
    return chuanp_decoder_run(t->dec, t->conv.data, t->conv.len, final, &t->out);
}

static ssize_t textin_read(void *cookie, char *buf, size_t size)
{
    textin *t = cookie;
    while (t->out_pos == t->out.len && !t->eof) {
        chuanp_buf_reset(&t->out);
        t->out_pos = 0;
        size_t n = fread(t->in, 1, READ_CHUNK, t->raw);
        if (n < READ_CHUNK) {
            if (ferror(t->raw)) {
                errno = EIO;
                return -1;
            }
            t->eof = 1;
        }
        if (decode_step(t, t->in, n, t->eof) < 0) {
            errno = ENOMEM;
            return -1;
        }
    }
    return (ssize_t)chuanp_buf_drain(&t->out, &t->out_pos, buf, size);
}

static int textin_close(void *cookie)
{
    textin_free(cookie);
    return 0;
}

/* The encoding named by a leading XML declaration: sets *val and *vlen to
 * the offset and length of the value inside the quotes. Returns 1 when found. */
static int xml_decl_encoding(const char *s, size_t len, size_t *val, size_t *vlen)
{
    size_t i = 0;
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        i = 3;
    if (len - i < 6 || memcmp(s + i, "<?xml", 5) != 0)
        return 0;
    size_t end = i + 5, lim = len < i + DECL_MAX ? len : i + DECL_MAX;
    while (end + 1 < lim && !(s[end] == '?' && s[end + 1] == '>'))
        end++;
    if (end + 1 >= lim)
        return 0;
    for (size_t p = i + 5; p + 8 < end; p++) {
        if (memcmp(s + p, "encoding", 8) != 0 || !(s[p - 1] == ' ' || s[p - 1] == '\t' ||
                                                   s[p - 1] == '\n' || s[p - 1] == '\r'))
            continue;
        size_t q = p + 8;
        while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r'))
            q++;
        if (q >= end || s[q] != '=')
            return 0;
        q++;
        while (q < end && (s[q] == ' ' || s[q] == '\t' || s[q] == '\n' || s[q] == '\r'))
            q++;
        if (q >= end || (s[q] != '"' && s[q] != '\''))
            return 0;
        char quote = s[q++];
        size_t v = q;
        while (q < end && s[q] != quote)
            q++;
        if (q >= end)
            return 0;
        *val = v;
        *vlen = q - v;
        return 1;
    }
    return 0;
}

/* The decoded text is UTF-8: make its XML declaration say so. */
static void rewrite_decl(chuanp_buf *b)
{
    size_t v, n;
    if (!xml_decl_encoding(b->data, b->len, &v, &n))
        return;
    if ((n == 5 && strncasecmp(b->data + v, "utf-8", 5) == 0) ||
        (n == 4 && strncasecmp(b->data + v, "utf8", 4) == 0))
        return;
    chuanp_buf nb;
    chuanp_buf_init(&nb, 0);
    chuanp_buf_append(&nb, b->data, v);
    chuanp_buf_puts(&nb, "UTF-8");
    chuanp_buf_append(&nb, b->data + v + n, b->len - v - n);
    if (nb.err) {
        b->err = nb.err;
        chuanp_buf_free(&nb);
        return;
    }
    chuanp_buf_free(b);
    *b = nb;
}

static int diag(chuan_diags *d, chuan_severity sev, const char *code, const char *name,
                const char *fmt, const char *a, const char *b)
{
    chuan_diag g = {.severity = sev, .code = code, .file = name, .offset = -1};
    if (d)
        chuan_diags_addf(d, &g, fmt, a, b);
    return 0;
}

/* Pick the encoding for an auto input from its first bytes. Returns 0, or
 * 1 (ambiguous: diagnostic added), or -1 (out of memory). */
static int choose(const unsigned char *pre, size_t n, const char *name, chuanp_textin_info *info,
                  iconv_t *other, chuan_diags *d)
{
    size_t v, vlen;
    if (xml_decl_encoding((const char *)pre, n, &v, &vlen)) {
        char label[64];
        size_t k = vlen < sizeof label - 1 ? vlen : sizeof label - 1;
        memcpy(label, pre + v, k);
        label[k] = '\0';
        snprintf(info->declared, sizeof info->declared, "%s", label);
        int e = chuanp_enc_parse(label);
        if (e > CHUANP_ENC_UTF8) {
            info->enc = info->detected = (chuanp_enc)e;
            info->confidence = 1.0;
            info->from_declaration = 1;
            return 0;
        }
        if (e < 0) {
            iconv_t cd = iconv_open("UTF-8", label);
            if (cd != (iconv_t)-1) {
                /* another encoding (ISO-8859-1, ...): glibc iconv decodes it */
                *other = cd;
                info->enc = info->detected = CHUANP_ENC_UTF8;
                info->confidence = 1.0;
                info->from_declaration = 1;
                return 0;
            }
            diag(d, CHUAN_SEV_WARNING, "encoding.declaration", name,
                 "the XML declaration names encoding \"%s\", which neither chuan nor iconv "
                 "decodes; the encoding is detected from the content instead%s", label, "");
        }
    }
    return chuanp_textin_detect(pre, n, name, info, d);
}

int chuanp_textin_detect(const void *prefix, size_t n, const char *name, chuanp_textin_info *info,
                         chuan_diags *d)
{
    chuanp_detect_result r;
    if (chuanp_detect(prefix, n, &r) < 0)
        return -1;
    info->detected = r.enc;
    info->confidence = r.confidence;
    info->best = r.best;
    info->second = r.second;
    info->best_conf = r.best_conf;
    info->second_conf = r.second_conf;
    memcpy(info->conf, r.conf, sizeof info->conf);
    if (r.enc == CHUANP_ENC_NONE) {
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.ambiguous", .file = name,
                        .offset = -1};
        if (d)
            chuan_diags_addf(d, &g,
                             "cannot tell which encoding this is (best: %s %.2f, %s %.2f; needs %.2f); "
                             "name it with --encoding", chuanp_enc_name(r.best), r.best_conf,
                             chuanp_enc_name(r.second), r.second_conf, CHUANP_DETECT_THRESHOLD);
        return 1;
    }
    info->enc = r.enc == CHUANP_ENC_ASCII ? CHUANP_ENC_UTF8 : r.enc;
    return 0;
}

int chuanp_textin_open(FILE **out, FILE *raw, const char *name, const char *encoding,
                       chuanp_textin_info *info, chuan_diags *d)
{
    chuanp_textin_info local;
    textin *t = NULL;
    int rc = -1;
    *out = NULL;
    if (!info)
        info = &local;
    memset(info, 0, sizeof *info);
    int e = chuanp_enc_parse(encoding);
    if (e < 0) {
        diag(d, CHUAN_SEV_ERROR, "encoding.unknown", name, "unknown encoding '%s' (accepted: %s)",
             encoding, chuanp_enc_accepted);
        goto out;
    }
    t = chuanp_calloc(1, sizeof *t);
    if (!t)
        goto out;
    t->cd = (iconv_t)-1;
    t->raw = raw;
    t->name = name;
    t->diags = d;
    chuanp_buf_init(&t->out, 0);
    chuanp_buf_init(&t->conv, 0);
    if (!(t->in = chuanp_malloc(READ_CHUNK)))
        goto out;
    /* The prefix: detection looks at it; it is decoded like the rest. */
    size_t n = chuanp_fread_full(raw, t->in,
                                 e == CHUANP_ENC_NONE ? CHUANP_DETECT_PREFIX : READ_CHUNK);
    if (ferror(raw)) {
        diag(d, CHUAN_SEV_ERROR, "io.read", name, "cannot read %s%s", name ? name : "input", "");
        goto out;
    }
    t->eof = feof(raw) != 0;
    if (e == CHUANP_ENC_NONE) {
        rc = choose(t->in, n, name, info, &t->cd, d);
        if (rc != 0)
            goto out;
        rc = -1;
    } else {
        info->enc = info->detected = (chuanp_enc)e;
        info->confidence = 1.0;
    }
    t->dec = chuanp_decoder_new(info->enc, name, d);
    if (!t->dec || decode_step(t, t->in, n, t->eof) < 0)
        goto out;
    if (info->enc != CHUANP_ENC_UTF8 || t->cd != (iconv_t)-1)
        rewrite_decl(&t->out);
    if (t->out.err)
        goto out;
    cookie_io_functions_t io = {.read = textin_read, .close = textin_close};
    *out = fopencookie(t, "r", io);
    if (!*out)
        goto out;
    t = NULL; /* owned by the FILE now */
    rc = 0;
out:
    textin_free(t);
    return rc;
}
