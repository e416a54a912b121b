/* bench/gen/vnenc.c - UTF-8 -> legacy Vietnamese encodings, for making test and
 * benchmark data (build/vnencode, unit tests, fuzz_textenc, bench/legacy_decode.c).
 * Not part of libchuan: chuan decodes legacy encodings (core/textenc_decode.c) but
 * never writes them. Built on libchuan's tables (core/textenc_tables.c). */
#include "vnenc.h"

#include <stdlib.h>

/* The byte of code point cp (>= 0x80) in a byte -> code point table: the lowest byte
 * that decodes to it, -1 when none. The inverse of each table is built on first use. */
static int rev_lookup(const uint16_t *tab, uint32_t cp)
{
    static const uint16_t *tabs[8];
    static uint8_t inv[8][0x10000]; /* byte, 0 = none (no byte >= 0x80 is 0) */
    if (cp < 0x80 || cp > 0xFFFF)
        return -1;
    size_t k = 0;
    while (k < 8 && tabs[k] && tabs[k] != tab)
        k++;
    if (k == 8)
        return -1;
    if (!tabs[k]) {
        for (int b = 255; b >= 0; b--)
            if (tab[b] >= 0x80 && tab[b] != CHUANP_ENC_INVALID)
                inv[k][tab[b]] = (uint8_t)b;
        tabs[k] = tab;
    }
    return inv[k][cp] ? inv[k][cp] : -1;
}

/* Windows-1258 combining tone marks by tone index (1 sắc .. 5 nặng). */
static const unsigned char cp1258_marks[6] = {0, 0xEC, 0xCC, 0xD2, 0xDE, 0xF2};

/* VNI-Windows mark byte for (kind, tone), lower-case form; 0 = none. */
static unsigned char vni_mark(int kind, int tone)
{
    for (int b = 0xC0; b < 0x100; b++) {
        unsigned m = chuanp_vni_marks[b];
        if (m && !(m & 0x40) && (int)((m >> 3) & 3) == kind && (int)(m & 7) == tone)
            return (unsigned char)b;
    }
    return 0;
}

static int encode_vni(uint32_t cp, chuanp_buf *out)
{
    int s, t, u;
    if (!chuanp_vn_letter_info(cp, &s, &t, &u))
        return -1;
    static const unsigned char base_lower[12] = {'a', 'a', 'a', 'e', 'e', 'i', 'o', 'o', 0xF4, 'u', 0xF6, 'y'};
    static const int kind[12] = {0, 2, 1, 0, 1, 0, 0, 1, 0, 0, 0, 0};
    if (s == 5) /* toned i are single bytes, found by the table lookup */
        return -1;
    unsigned char base = base_lower[s];
    if (u)
        base = (unsigned char)(base < 0x80 ? base - 32 : base - 0x20);
    unsigned char mark = 0;
    if (kind[s] || t) {
        mark = vni_mark(kind[s], t);
        if (!mark)
            return -1;
        if (u)
            mark = (unsigned char)(mark - 0x20);
    }
    chuanp_buf_putc(out, (char)base);
    if (mark)
        chuanp_buf_putc(out, (char)mark);
    return 0;
}

static int encode_cp1258(uint32_t cp, chuanp_buf *out)
{
    int s, t, u;
    if (!chuanp_vn_letter_info(cp, &s, &t, &u) || t == 0)
        return -1;
    int base = rev_lookup(chuanp_tab_cp1258, chuanp_vn_letter(s, 0, u));
    uint32_t plain = chuanp_vn_letter(s, 0, u);
    if (plain < 0x80)
        base = (int)plain;
    if (base < 0)
        return -1;
    chuanp_buf_putc(out, (char)base);
    chuanp_buf_putc(out, (char)cp1258_marks[t]);
    return 0;
}

static int encode_one(chuanp_enc enc, uint32_t cp, chuanp_buf *out, size_t *lossy)
{
    const uint16_t *tab;
    switch (enc) {
    case CHUANP_ENC_TCVN3: tab = chuanp_tab_tcvn3; break;
    case CHUANP_ENC_VISCII: tab = chuanp_tab_viscii; break;
    case CHUANP_ENC_VPS: tab = chuanp_tab_vps; break;
    case CHUANP_ENC_CP1258: tab = chuanp_tab_cp1258; break;
    case CHUANP_ENC_VNI: tab = chuanp_tab_vni; break;
    default: return -1;
    }
    if (cp < 0x80) {
        if (tab[cp] != cp) /* a C0 position the encoding uses for a letter */
            return -1;
        chuanp_buf_putc(out, (char)cp);
        return 0;
    }
    int s, t, u;
    if (enc == CHUANP_ENC_TCVN3 && chuanp_vn_letter_info(cp, &s, &t, &u) && u && t) {
        /* TCVN3 (as Unikey writes it) gives toned capitals the lower-case code. */
        int b = rev_lookup(tab, chuanp_vn_letter(s, t, 0));
        if (b < 0)
            return -1;
        chuanp_buf_putc(out, (char)b);
        if (lossy)
            (*lossy)++;
        return 0;
    }
    int b = rev_lookup(tab, cp);
    if (b >= 0) {
        chuanp_buf_putc(out, (char)b);
        return 0;
    }
    if (enc == CHUANP_ENC_VNI)
        return encode_vni(cp, out);
    if (enc == CHUANP_ENC_CP1258)
        return encode_cp1258(cp, out);
    return -1;
}

int vnenc_encode(chuanp_enc enc, const char *utf8, size_t len, chuanp_buf *out,
                 size_t *unmappable, size_t *lossy)
{
    if (unmappable)
        *unmappable = 0;
    if (lossy)
        *lossy = 0;
    if (chuanp_utf8_invalid_at(utf8, len) >= 0)
        return -1;
    char *nfc = NULL;
    size_t n = len;
    if (chuanp_nfc(utf8, len, &nfc, &n) < 0)
        return -1;
    const unsigned char *p = (const unsigned char *)(nfc ? nfc : utf8);
    if (enc == CHUANP_ENC_UTF8) {
        chuanp_buf_append(out, p, n);
    } else {
        for (size_t i = 0; i < n;) {
            uint32_t cp;
            int k = chuanp_utf8_decode(p + i, n - i, &cp);
            if (!k)
                break;
            if (encode_one(enc, cp, out, lossy) < 0) {
                chuanp_buf_putc(out, '?');
                if (unmappable)
                    (*unmappable)++;
            }
            i += (size_t)k;
        }
    }
    chuanp_free(nfc);
    return out->err ? -1 : 0;
}

int vnenc_decode_all(chuanp_enc enc, const void *in, size_t len, chuanp_buf *out, size_t *errors)
{
    chuanp_decoder *d = chuanp_decoder_new(enc, NULL, NULL);
    if (!d)
        return -1;
    int rc = chuanp_decoder_run(d, in, len, 1, out);
    if (errors)
        *errors = chuanp_decoder_errors(d);
    chuanp_decoder_free(d);
    return rc;
}
