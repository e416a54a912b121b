/* core/textenc_decode.c - streaming decoders: legacy Vietnamese encodings and
 * UTF-8 (NFD or mixed) to UTF-8 NFC. See core/textenc.h. */
#include "textenc.h"

#include <stdlib.h>
#include <string.h>

enum {
    CLUSTER_MAX = 16,    /* starter + combining marks composed together */
    WORD_MAX = 64,       /* TCVN3 case restoration looks at one word */
    REPORT_MAX = 20,     /* invalid bytes reported one by one, then summarised */
    HOLD_FORCE = 256 * 1024 /* UTF-8: hold at most this much without an ASCII byte */
};

struct chuanp_decoder {
    chuanp_enc enc;
    const char *name;
    chuan_diags *diags;
    const uint16_t *table; /* single-byte encodings */
    long long offset;      /* bytes consumed before the current chunk */
    long line, col;        /* position of the next character: 1-based line, 0-based column */
    size_t errors;
    int pend;              /* VNI: base byte waiting for its mark, -1 none */
    uint32_t cluster[CLUSTER_MAX];
    size_t ncluster;
    int cluster_shared;    /* TCVN3: cluster[0] came from a shared lower/upper byte */
    uint32_t word[WORD_MAX];
    uint8_t word_shared[WORD_MAX];
    size_t nword;
    int prev_caps;         /* TCVN3: the previous word was in capitals */
    chuanp_buf hold;       /* UTF-8: bytes held back until the next chunk */
};

/* ---------------------------------------------------------- diagnostics */

static void report_invalid(chuanp_decoder *d, long long off, const unsigned char *bytes, size_t n)
{
    d->errors++;
    if (!d->diags || d->errors > REPORT_MAX)
        return;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = d->name,
                    .line = d->line, .column = d->col + 1, .offset = off};
    if (d->enc == CHUANP_ENC_UTF8)
        chuan_diags_addf(d->diags, &g, "invalid UTF-8 byte 0x%02X at byte offset %lld (replaced by U+FFFD)",
                         bytes[0], off);
    else if (n == 2)
        chuan_diags_addf(d->diags, &g,
                         "byte 0x%02X after 0x%02X is not a valid %s sequence at byte offset %lld "
                         "(replaced by U+FFFD)", bytes[1], bytes[0], chuanp_enc_name(d->enc), off);
    else
        chuan_diags_addf(d->diags, &g,
                         "byte 0x%02X is not defined in %s at byte offset %lld (replaced by U+FFFD)",
                         bytes[0], chuanp_enc_name(d->enc), off);
}

static void report_summary(chuanp_decoder *d)
{
    if (!d->diags || d->errors <= REPORT_MAX)
        return;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = d->name,
                    .offset = -1};
    chuan_diags_addf(d->diags, &g, "%zu more undecodable bytes in %s input (%zu in all)",
                     d->errors - REPORT_MAX, chuanp_enc_name(d->enc), d->errors);
}

/* ------------------------------------------------- legacy output stages */

static int is_letter(uint32_t cp)
{
    return chuanp_vn_lower(cp) != chuanp_vn_upper(cp);
}

/* TCVN3 gives toned capitals the lower-case code. Restore them from the
 * word: capitals after the first letter ("VIÖT" -> "VIỆT"), or only an
 * initial capital while the previous word was in capitals ("HÅ" after
 * "CHÝ"); otherwise (title case "Hå", lower case) the letter stays small. */
static void word_flush(chuanp_decoder *d, chuanp_buf *out)
{
    int upper_rest = 0, lower = 0, shared = 0, first_upper = 0;
    for (size_t i = 0; i < d->nword; i++) {
        if (d->word_shared[i]) {
            shared = 1;
            continue;
        }
        uint32_t c = d->word[i];
        if (chuanp_vn_upper(c) == c && chuanp_vn_lower(c) != c) {
            if (i == 0)
                first_upper = 1;
            else
                upper_rest++;
        } else if (chuanp_vn_lower(c) == c && chuanp_vn_upper(c) != c) {
            lower++;
        }
    }
    int caps = shared && lower == 0 && (upper_rest > 0 || (first_upper && d->prev_caps));
    for (size_t i = 0; i < d->nword; i++)
        chuanp_buf_put_utf8(out, caps && d->word_shared[i] ? chuanp_vn_upper(d->word[i]) : d->word[i]);
    if (d->nword)
        d->prev_caps = lower == 0 && upper_rest > 0; /* evidence, not inference */
    d->nword = 0;
}

static void put_char(chuanp_decoder *d, uint32_t cp, int shared, chuanp_buf *out)
{
    if (d->enc != CHUANP_ENC_TCVN3) {
        chuanp_buf_put_utf8(out, cp);
        return;
    }
    if (!is_letter(cp)) {
        word_flush(d, out);
        chuanp_buf_put_utf8(out, cp);
        return;
    }
    if (d->nword == WORD_MAX)
        word_flush(d, out);
    d->word_shared[d->nword] = (uint8_t)shared;
    d->word[d->nword++] = cp;
}

/* Compose a starter with its combining marks (CP1258, TCVN3 0xB0-0xB4):
 * Vietnamese letter + one tone mark directly, anything else through utf8proc. */
static void cluster_flush(chuanp_decoder *d, chuanp_buf *out)
{
    size_t n = d->ncluster;
    d->ncluster = 0;
    if (n == 0)
        return;
    if (n == 1) {
        put_char(d, d->cluster[0], d->cluster_shared, out);
        return;
    }
    int s, t, u, mark = chuanp_vn_tone_of_mark(d->cluster[1]);
    if (n == 2 && mark && chuanp_vn_letter_info(d->cluster[0], &s, &t, &u) && t == 0) {
        put_char(d, chuanp_vn_letter(s, mark, u), d->cluster_shared, out);
        return;
    }
    chuanp_buf tmp;
    chuanp_buf_init(&tmp, 0);
    for (size_t i = 0; i < n; i++)
        chuanp_buf_put_utf8(&tmp, d->cluster[i]);
    char *nfc = NULL;
    size_t nfc_len = 0;
    if (tmp.err || chuanp_nfc(tmp.data, tmp.len, &nfc, &nfc_len) < 0) {
        out->err = 1;
        chuanp_buf_free(&tmp);
        return;
    }
    const unsigned char *p = (const unsigned char *)(nfc ? nfc : tmp.data);
    for (size_t i = 0; i < nfc_len;) {
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, nfc_len - i, &cp);
        if (!k)
            break;
        put_char(d, cp, i == 0 && d->cluster_shared, out);
        i += (size_t)k;
    }
    free(nfc);
    chuanp_buf_free(&tmp);
}

static void emit(chuanp_decoder *d, uint32_t cp, int shared, chuanp_buf *out)
{
    if (cp >= 0x300 && cp < 0x370) {
        if (d->ncluster == CLUSTER_MAX)
            cluster_flush(d, out);
        d->cluster[d->ncluster++] = cp;
        return;
    }
    cluster_flush(d, out);
    d->cluster[0] = cp;
    d->ncluster = 1;
    d->cluster_shared = shared;
}

static void advance(chuanp_decoder *d, unsigned char b)
{
    if (b == '\n') {
        d->line++;
        d->col = 0;
    } else {
        d->col++;
    }
}

static void emit_invalid(chuanp_decoder *d, long long off, const unsigned char *bytes, size_t n,
                         chuanp_buf *out)
{
    report_invalid(d, off, bytes, n);
    emit(d, 0xFFFD, 0, out);
}

/* --------------------------------------------------- single-byte tables */

static void run_single(chuanp_decoder *d, const unsigned char *p, size_t len, chuanp_buf *out)
{
    const uint16_t *tab = d->table;
    int tcvn3 = d->enc == CHUANP_ENC_TCVN3;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = p[i];
        uint16_t cp = tab[b];
        if (cp == CHUANP_ENC_INVALID)
            emit_invalid(d, d->offset + (long long)i, p + i, 1, out);
        else
            emit(d, cp, tcvn3 && chuanp_tcvn3_shared[b], out);
        advance(d, b);
    }
}

/* ------------------------------------------------------------- VNI */

static int vni_base_shape(unsigned char b, int *upper)
{
    *upper = 0;
    switch (b) {
    case 'A': *upper = 1; /* fall through */
    case 'a': return 0;
    case 'E': *upper = 1; /* fall through */
    case 'e': return 3;
    case 'O': *upper = 1; /* fall through */
    case 'o': return 6;
    case 'U': *upper = 1; /* fall through */
    case 'u': return 9;
    case 'Y': *upper = 1; /* fall through */
    case 'y': return 11;
    case 0xD4: *upper = 1; /* fall through */
    case 0xF4: return 8;  /* o-horn */
    case 0xD6: *upper = 1; /* fall through */
    case 0xF6: return 10; /* u-horn */
    default: return -1;
    }
}

/* The letter a VNI base byte and a mark byte make together, or 0. */
static uint32_t vni_compose(unsigned char base, unsigned char mark)
{
    unsigned m = chuanp_vni_marks[mark];
    int upper, shape = vni_base_shape(base, &upper);
    if (!m || shape < 0)
        return 0;
    unsigned kind = (m >> 3) & 3, tone = m & 7;
    if (kind == 1) {
        if (shape == 0)
            shape = 2;
        else if (shape == 3)
            shape = 4;
        else if (shape == 6)
            shape = 7;
        else
            return 0;
    } else if (kind == 2) {
        if (shape != 0)
            return 0;
        shape = 1;
    }
    return chuanp_vn_letter(shape, (int)tone, upper);
}

static void run_vni(chuanp_decoder *d, const unsigned char *p, size_t len, chuanp_buf *out)
{
    int upper;
    for (size_t i = 0; i < len; i++) {
        unsigned char b = p[i];
        if (d->pend >= 0) {
            unsigned char base = (unsigned char)d->pend;
            d->pend = -1;
            uint32_t c = vni_compose(base, b);
            if (c) {
                emit(d, c, 0, out);
                continue; /* the mark is part of the same character */
            }
            emit(d, chuanp_tab_vni[base], 0, out);
        }
        if (vni_base_shape(b, &upper) >= 0) {
            d->pend = b;
        } else {
            uint16_t cp = chuanp_tab_vni[b];
            if (cp == CHUANP_ENC_INVALID)
                emit_invalid(d, d->offset + (long long)i, p + i, 1, out);
            else
                emit(d, cp, 0, out);
        }
        advance(d, b);
    }
}

/* ------------------------------------------------------------ UTF-8 */

/* Is the valid UTF-8 character at p certainly NFC-stable, whatever its
 * neighbours? U+0000..U+02FF (nothing there combines with what precedes it),
 * U+1E00..U+1EFF (every precomposed Vietnamese letter), U+4000..U+9FFF (CJK)
 * and U+FEFF. Anything else goes to utf8proc. tests/unit/test_textenc.c checks
 * each of these code points against utf8proc. */
static int nfc_safe(const unsigned char *p, size_t *n)
{
    unsigned char c = p[0];
    if (c < 0xE0) {
        *n = 2;
        return c < 0xCC;
    }
    if (c < 0xF0) {
        *n = 3;
        if (c == 0xE1)
            return p[1] >= 0xB8 && p[1] <= 0xBB;
        if (c >= 0xE4 && c <= 0xE9)
            return 1;
        return c == 0xEF && p[1] == 0xBB && p[2] == 0xBF;
    }
    *n = 4;
    return 0;
}

static void nfc_append(const unsigned char *p, size_t n, chuanp_buf *out)
{
    size_t i = 0, done = 0, last_ascii = 0;
    while (i < n) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
            last_ascii = i - 1;
        }
        if (i >= n)
            break;
        if (p[i] < 0x80) {
            last_ascii = i++;
            continue;
        }
        size_t k;
        if (nfc_safe(p + i, &k)) {
            i += k;
            continue;
        }
        /* Normalise from the last ASCII character before this one (it may be
         * the base a combining mark attaches to) up to the next ASCII byte. */
        size_t from = last_ascii > done ? last_ascii : done;
        if (from > i)
            from = done;
        size_t to = i + k;
        while (to < n && p[to] >= 0x80)
            to++;
        chuanp_buf_append(out, p + done, from - done);
        char *nfc = NULL;
        size_t nfc_len = 0;
        if (chuanp_nfc((const char *)p + from, to - from, &nfc, &nfc_len) < 0) {
            out->err = 1;
            return;
        }
        chuanp_buf_append(out, nfc ? nfc : (const char *)p + from, nfc_len);
        free(nfc);
        done = i = to;
    }
    chuanp_buf_append(out, p + done, n - done);
}

/* Move line/column over valid UTF-8 text (only when diagnostics are kept). */
static void advance_text(chuanp_decoder *d, const unsigned char *p, size_t n)
{
    if (!d->diags)
        return;
    const unsigned char *end = p + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        d->line++;
        d->col = 0;
        p = nl + 1;
    }
    d->col += (long)chuanp_utf8_count((const char *)p, (size_t)(end - p));
}

/* Decode a piece that ends on a character boundary; base = offset of p[0]. */
static void utf8_segment(chuanp_decoder *d, const unsigned char *p, size_t n, long long base,
                         chuanp_buf *out)
{
    size_t pos = 0;
    while (pos < n) {
        long long bad = chuanp_utf8_invalid_at((const char *)p + pos, n - pos);
        size_t good = bad < 0 ? n - pos : (size_t)bad;
        nfc_append(p + pos, good, out);
        advance_text(d, p + pos, good);
        pos += good;
        if (bad < 0)
            break;
        report_invalid(d, base + (long long)pos, p + pos, 1);
        chuanp_buf_put_utf8(out, 0xFFFD);
        d->col++;
        pos++;
    }
}

static size_t last_ascii_at(const unsigned char *p, size_t n, size_t *pos)
{
    for (size_t i = n; i > 0; i--)
        if (p[i - 1] < 0x80) {
            *pos = i - 1;
            return 1;
        }
    return 0;
}

static void run_utf8(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                     chuanp_buf *out)
{
    size_t start = 0;
    if (d->hold.len) {
        /* Join what was held back with this chunk up to its first ASCII byte. */
        size_t k = 0;
        while (k < len && p[k] >= 0x80)
            k++;
        chuanp_buf_append(&d->hold, p, k);
        start = k;
        if (d->hold.err) {
            out->err = 1;
            return;
        }
        if (k < len || final) {
            utf8_segment(d, (const unsigned char *)d->hold.data, d->hold.len,
                         d->offset + (long long)k - (long long)d->hold.len, out);
            chuanp_buf_reset(&d->hold);
        }
    }
    if (start < len) {
        size_t split = len, pos;
        if (!final)
            split = last_ascii_at(p + start, len - start, &pos) ? start + pos : start;
        utf8_segment(d, p + start, split - start, d->offset + (long long)start, out);
        if (split < len)
            chuanp_buf_append(&d->hold, p + split, len - split);
    }
    if (d->hold.len >= HOLD_FORCE) {
        /* Pathological input without ASCII: cut before the last lead byte. */
        size_t cut = d->hold.len;
        while (cut > 0 && ((unsigned char)d->hold.data[cut - 1] & 0xC0) == 0x80)
            cut--;
        if (cut > 0)
            cut--;
        utf8_segment(d, (const unsigned char *)d->hold.data, cut,
                     d->offset + (long long)len - (long long)d->hold.len, out);
        memmove(d->hold.data, d->hold.data + cut, d->hold.len - cut);
        d->hold.len -= cut;
    }
}

/* ------------------------------------------------------------- public */

chuanp_decoder *chuanp_decoder_new(chuanp_enc enc, const char *name, chuan_diags *diags)
{
    const uint16_t *table = NULL;
    switch (enc) {
    case CHUANP_ENC_TCVN3: table = chuanp_tab_tcvn3; break;
    case CHUANP_ENC_VISCII: table = chuanp_tab_viscii; break;
    case CHUANP_ENC_VPS: table = chuanp_tab_vps; break;
    case CHUANP_ENC_CP1258: table = chuanp_tab_cp1258; break;
    case CHUANP_ENC_VNI: table = chuanp_tab_vni; break;
    case CHUANP_ENC_UTF8: break;
    default: return NULL;
    }
    chuanp_decoder *d = calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->enc = enc;
    d->name = name;
    d->diags = diags;
    d->table = table;
    d->line = 1;
    d->pend = -1;
    chuanp_buf_init(&d->hold, 0);
    return d;
}

int chuanp_decoder_run(chuanp_decoder *d, const void *in, size_t len, int final, chuanp_buf *out)
{
    const unsigned char *p = in;
    if (d->enc == CHUANP_ENC_UTF8) {
        run_utf8(d, p, len, final, out);
    } else {
        if (d->enc == CHUANP_ENC_VNI)
            run_vni(d, p, len, out);
        else
            run_single(d, p, len, out);
        if (final) {
            if (d->pend >= 0) {
                emit(d, chuanp_tab_vni[d->pend], 0, out);
                d->pend = -1;
            }
            cluster_flush(d, out);
            word_flush(d, out);
        }
    }
    d->offset += (long long)len;
    if (final)
        report_summary(d);
    return out->err || d->hold.err ? -1 : 0;
}

size_t chuanp_decoder_errors(const chuanp_decoder *d) { return d->errors; }
long long chuanp_decoder_offset(const chuanp_decoder *d) { return d->offset; }

void chuanp_decoder_free(chuanp_decoder *d)
{
    if (!d)
        return;
    chuanp_buf_free(&d->hold);
    free(d);
}

int chuanp_decode_all(chuanp_enc enc, const void *in, size_t len, chuanp_buf *out, size_t *errors)
{
    chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
    if (!d)
        return -1;
    int rc = chuanp_decoder_run(d, in, len, 1, out);
    if (errors)
        *errors = d->errors;
    chuanp_decoder_free(d);
    return rc;
}
