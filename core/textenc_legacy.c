/* core/textenc_legacy.c - TCVN3, VNI-Windows, VISCII, VPS and CP1258 to
 * UTF-8 NFC by table, streaming.
 *
 * Input is decoded in pieces that end just before a word separator (an ASCII
 * byte that is not a letter): a VNI base + mark pair, a CP1258 letter + tone
 * mark and a TCVN3 word never straddle two pieces; the rest of a chunk is
 * carried over to the next call. Inside a piece every byte becomes its UTF-8
 * form from a 256-entry table; tone marks (CP1258, TCVN3 0xB0-0xB4) are
 * composed onto the letter before them; TCVN3 capitals that share the
 * lower-case code are restored word by word (core/textenc_case.c). */
#include "textenc_decoder.h"

#include <stdlib.h>
#include <string.h>

static uint32_t pack_utf8(uint32_t cp)
{
    chuanp_buf b;
    char tmp[8];
    b.data = tmp;
    b.len = 0;
    b.cap = sizeof tmp;
    b.limit = 0;
    b.err = 0;
    chuanp_buf_put_utf8(&b, cp);
    uint32_t v = (uint32_t)b.len << 24;
    for (size_t i = 0; i < b.len; i++)
        v |= (uint32_t)(unsigned char)tmp[i] << (8 * i);
    return v;
}

void chuanp_dec_legacy_init(chuanp_decoder *d)
{
    for (int b = 0; b < 256; b++) {
        uint16_t cp = d->table[b];
        if (cp == CHUANP_ENC_INVALID)
            continue;
        d->u8[b] = pack_utf8(cp);
        d->mark[b] = (uint8_t)chuanp_vn_tone_of_mark(cp);
        if (d->mark[b])
            d->cls[b] = CHUANP_CLS_MARK;
        else if (chuanp_tcvn3_shared[b] && d->enc == CHUANP_ENC_TCVN3)
            d->cls[b] = CHUANP_CLS_SHARED;
        else if (chuanp_vn_upper(cp) != chuanp_vn_lower(cp))
            d->cls[b] = chuanp_vn_upper(cp) == cp ? CHUANP_CLS_UPPER : CHUANP_CLS_LOWER;
        else if (cp >= 0x80 && !(cp >= 0x2000 && cp < 0x2070) && cp != 0xA0)
            d->cls[b] = CHUANP_CLS_LETTER;
    }
}

/* A word separator: an ASCII byte that is not a letter (C0 bytes that an
 * encoding uses for letters, as VISCII and VPS do, are not separators). */
static int separator(const chuanp_decoder *d, unsigned char b)
{
    if (b >= 0x80 || (unsigned)((b | 0x20) - 'a') < 26u)
        return 0;
    return b >= 0x20 || d->table[b] == b;
}

/* ------------------------------------------------------------- output */

typedef struct piece_out {
    chuanp_buf *buf;
    size_t prev;        /* start of the last character written, or SIZE_MAX */
    uint32_t prev_cp;
} piece_out;

static void put_packed(piece_out *o, uint32_t v, uint32_t cp)
{
    chuanp_buf *b = o->buf;
    o->prev = b->len;
    o->prev_cp = cp;
    memcpy(b->data + b->len, &v, 4); /* room reserved by the caller */
    b->len += v >> 24;
}

static void put_cp(piece_out *o, uint32_t cp)
{
    put_packed(o, pack_utf8(cp), cp);
}

/* A combining tone mark after o->prev: compose (NFC). */
static void put_mark(chuanp_decoder *d, piece_out *o, unsigned char b)
{
    int s, t, u;
    if (o->prev != SIZE_MAX && chuanp_vn_letter_info(o->prev_cp, &s, &t, &u) && t == 0) {
        o->buf->len = o->prev;
        put_cp(o, chuanp_vn_letter(s, d->mark[b], u));
        return;
    }
    /* anything else: let utf8proc compose the last character with its marks */
    size_t start = o->prev == SIZE_MAX ? o->buf->len : o->prev;
    put_packed(o, d->u8[b], d->table[b]);
    char *nfc = NULL;
    size_t n = 0;
    if (chuanp_nfc(o->buf->data + start, o->buf->len - start, &nfc, &n) < 0) {
        o->buf->err = 1;
        return;
    }
    if (nfc && n <= o->buf->len - start) {
        memcpy(o->buf->data + start, nfc, n);
        o->buf->len = start + n;
    }
    chuanp_free(nfc);
    o->prev = start; /* the whole cluster is "the last character" now */
    o->prev_cp = 0xFFFD;
}

/* ---------------------------------------------------------------- VNI */

static int vni_base_shape(unsigned char b, int *upper)
{
    switch (b) {
    case 'A': case 'a': *upper = b == 'A'; return 0;
    case 'E': case 'e': *upper = b == 'E'; return 3;
    case 'O': case 'o': *upper = b == 'O'; return 6;
    case 'U': case 'u': *upper = b == 'U'; return 9;
    case 'Y': case 'y': *upper = b == 'Y'; return 11;
    case 0xD4: case 0xF4: *upper = b == 0xD4; return 8;  /* o-horn */
    case 0xD6: case 0xF6: *upper = b == 0xD6; return 10; /* u-horn */
    default: return -1;
    }
}

/* The letter a VNI base byte and a mark byte make together, or 0. */
static uint32_t vni_compose(unsigned char base, unsigned char mark)
{
    unsigned m = chuanp_vni_marks[mark];
    int upper = 0, shape;
    if (!m || (shape = vni_base_shape(base, &upper)) < 0)
        return 0;
    unsigned kind = (m >> 3) & 3, tone = m & 7;
    if (kind == 1) {
        if (shape != 0 && shape != 3 && shape != 6)
            return 0;
        shape = shape == 0 ? 2 : shape == 3 ? 4 : 7; /* â ê ô */
    } else if (kind == 2) {
        if (shape != 0)
            return 0;
        shape = 1; /* ă */
    }
    return chuanp_vn_letter(shape, (int)tone, upper);
}

/* -------------------------------------------------------------- pieces */

/* TCVN3: a letter joins the current word, a separator ends it. */
static inline void tcvn3_byte(chuanp_decoder *d, unsigned char b, const unsigned char *p, size_t i,
                       long long base, chuanp_buf *out)
{
    unsigned cls = d->cls[b];
    if (cls == CHUANP_CLS_OTHER) {
        if (!chuanp_case_sep_quiet(&d->tc, b))
            chuanp_case_sep(d, b, out);
    }
    else
        chuanp_case_letter(d, cls, out->len, p, i, base);
}

static void decode_piece(chuanp_decoder *d, const unsigned char *p, size_t n, long long base,
                         chuanp_buf *out)
{
    if (chuanp_buf_reserve(out, n * 3 + 8) < 0)
        return;
    piece_out o = {out, SIZE_MAX, 0};
    int tcvn3 = d->enc == CHUANP_ENC_TCVN3, vni = d->enc == CHUANP_ENC_VNI;
    int marks = tcvn3 || d->enc == CHUANP_ENC_CP1258;
    for (size_t i = 0; i < n; i++) {
        unsigned char b = p[i];
        uint32_t v = d->u8[b];
        if (v == b + 0x01000000u && (!vni || i + 1 == n || !chuanp_vni_marks[p[i + 1]])) {
            /* ASCII */
            if (tcvn3)
                tcvn3_byte(d, b, p, i, base, out);
            out->data[out->len] = (char)b;
            o.prev = out->len++;
            o.prev_cp = b;
            continue;
        }
        if (vni && i + 1 < n && chuanp_vni_marks[p[i + 1]]) {
            uint32_t c = vni_compose(b, p[i + 1]);
            if (c) {
                put_cp(&o, c);
                i++;
                continue;
            }
        }
        if (!v) {
            if (tcvn3)
                chuanp_case_sep(d, 0, out); /* U+FFFD ends the word and the phrase */
            chuanp_dec_invalid(d, p, i, base);
            put_cp(&o, 0xFFFD);
            continue;
        }
        if (marks && d->mark[b]) {
            put_mark(d, &o, b);
            if (out->err)
                return;
            continue;
        }
        if (tcvn3)
            tcvn3_byte(d, b, p, i, base, out);
        put_packed(&o, v, d->table[b]);
    }
    if (tcvn3)
        chuanp_case_word_end(d, out);
    out->data[out->len] = '\0';
    chuanp_dec_advance(d, p, n, 0);
}

/* A "word" longer than this (no separator at all) is cut anyway, keeping a
 * base letter with the marks after it. Only then can a chunk boundary change
 * the result (TCVN3 capital restoration sees two words). */
enum { LONG_WORD = 4096 };

static void force_cut(chuanp_decoder *d, long long carry_base, chuanp_buf *out)
{
    const unsigned char *c = (const unsigned char *)d->carry.data;
    size_t cut = d->carry.len;
    while (cut > 0 && (d->mark[c[cut - 1]] || chuanp_vni_marks[c[cut - 1]]))
        cut--;
    if (cut > 0)
        cut--;
    decode_piece(d, c, cut, carry_base, out);
    memmove(d->carry.data, d->carry.data + cut, d->carry.len - cut);
    d->carry.len -= cut;
    d->carry.data[d->carry.len] = '\0';
}

static void legacy_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                       chuanp_buf *out)
{
    size_t start = 0;
    if (d->carry.len) {
        /* finish the carried word: up to the first separator of this chunk */
        size_t k = 0;
        while (k < len && !separator(d, p[k]))
            k++;
        chuanp_buf_append(&d->carry, p, k);
        start = k;
        if (d->carry.err) {
            out->err = 1;
            return;
        }
        long long carry_base = d->offset + (long long)k - (long long)d->carry.len;
        if (k == len && !final) {
            if (d->carry.len >= LONG_WORD)
                force_cut(d, carry_base, out);
            return;
        }
        decode_piece(d, (const unsigned char *)d->carry.data, d->carry.len, carry_base, out);
        chuanp_buf_reset(&d->carry);
    }
    size_t end = len;
    if (!final) {
        /* cut before the last separator: the word after it may go on */
        size_t s = len;
        while (s > start && !separator(d, p[s - 1]))
            s--;
        end = s > start ? s - 1 : start;
    }
    decode_piece(d, p + start, end - start, d->offset + (long long)start, out);
    if (end < len) {
        chuanp_buf_append(&d->carry, p + end, len - end);
        if (d->carry.err)
            out->err = 1;
        else if (d->carry.len >= LONG_WORD)
            force_cut(d, d->offset + (long long)len - (long long)d->carry.len, out);
    }
}

void chuanp_dec_legacy_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                           chuanp_buf *out)
{
    int tcvn3 = d->enc == CHUANP_ENC_TCVN3;
    if (tcvn3)
        chuanp_case_run_begin(d, out);
    legacy_run(d, p, len, final, out);
    if (tcvn3)
        chuanp_case_run_end(d, out, final);
}

/* ---- Windows-1252, the code page legacy-font text was typed through ---- */
/* Windows-1252 0x80..0x9F; 0 where it assigns nothing (the byte's own C1 code point) */
static const uint16_t cp1252_hi[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0, 0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

/* The Windows-1252 byte of cp, -1 when none. C1 code points stand for their
 * own byte (the five unassigned ones as Excel keeps them; the others when a
 * file was written by a tool that mapped bytes through Latin-1). */
int chuanp_cp1252_byte(uint32_t cp)
{
    if (cp < 0x80 || (cp >= 0xA0 && cp <= 0xFF) || (cp >= 0x80 && cp <= 0x9F))
        return (int)cp;
    for (int i = 0; i < 32; i++)
        if (cp1252_hi[i] == cp)
            return 0x80 + i;
    return -1;
}
