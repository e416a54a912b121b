/* core/textenc_encode.c - UTF-8 -> legacy Vietnamese encodings (tests, bench
 * data generator). The reverse of core/textenc_decode.c. */
#include "textenc.h"

#include <stdlib.h>

static int rev_lookup(const chuanp_enc_pair *tab, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tab[mid].cp == cp)
            return tab[mid].byte;
        if (tab[mid].cp < cp)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
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
    int base = rev_lookup(chuanp_rev_cp1258, chuanp_rev_cp1258_len, chuanp_vn_letter(s, 0, u));
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
    const chuanp_enc_pair *rev;
    size_t nrev;
    const uint16_t *tab;
    switch (enc) {
    case CHUANP_ENC_TCVN3: rev = chuanp_rev_tcvn3; nrev = chuanp_rev_tcvn3_len; tab = chuanp_tab_tcvn3; break;
    case CHUANP_ENC_VISCII: rev = chuanp_rev_viscii; nrev = chuanp_rev_viscii_len; tab = chuanp_tab_viscii; break;
    case CHUANP_ENC_VPS: rev = chuanp_rev_vps; nrev = chuanp_rev_vps_len; tab = chuanp_tab_vps; break;
    case CHUANP_ENC_CP1258: rev = chuanp_rev_cp1258; nrev = chuanp_rev_cp1258_len; tab = chuanp_tab_cp1258; break;
    case CHUANP_ENC_VNI: rev = chuanp_rev_vni; nrev = chuanp_rev_vni_len; tab = chuanp_tab_vni; break;
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
        int b = rev_lookup(rev, nrev, chuanp_vn_letter(s, t, 0));
        if (b < 0)
            return -1;
        chuanp_buf_putc(out, (char)b);
        if (lossy)
            (*lossy)++;
        return 0;
    }
    int b = rev_lookup(rev, nrev, cp);
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

int chuanp_encode(chuanp_enc enc, const char *utf8, size_t len, chuanp_buf *out,
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
