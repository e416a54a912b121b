/* core/textenc_utf8in.c - UTF-8 input (NFC, NFD or mixed) to UTF-8 NFC,
 * streaming, with invalid bytes replaced and reported. Text is cut before an
 * ASCII byte (nothing composes across that), so a chunk boundary never
 * changes the result. */
#include "textenc_decoder.h"

#include <stdlib.h>
#include <string.h>

enum { HOLD_FORCE = 256 * 1024 }; /* hold at most this much without an ASCII byte */

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

/* Length of the prefix of p[0..n) that is well-formed and made only of
 * ASCII, U+0080..U+02FF and U+1E00..U+1EFF: NFC whatever surrounds it.
 * This is the whole per-byte cost of UTF-8 input in the common case. */
static size_t scan_plain(const unsigned char *p, size_t n)
{
    size_t i = 0;
    for (;;) {
        while (i + 8 <= n) {
            uint64_t w;
            memcpy(&w, p + i, 8);
            if (w & 0x8080808080808080ULL)
                break;
            i += 8;
        }
        if (i >= n)
            return n;
        unsigned c = p[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xC2 && c < 0xCC && i + 1 < n && (p[i + 1] & 0xC0) == 0x80) {
            i += 2;
        } else if (c == 0xE1 && i + 2 < n && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB &&
                   (p[i + 2] & 0xC0) == 0x80) {
            i += 3;
        } else {
            return i;
        }
    }
}

/* Compose one base letter with the marks after it the way NFC does, for the
 * clusters of Vietnamese: a vowel + at most one of circumflex U+0302, breve
 * U+0306, horn U+031B + at most one tone mark. Returns the letter, or 0 when
 * the cluster is anything else (utf8proc then does it). */
static uint32_t compose_cluster(uint32_t base, const uint32_t *marks, size_t n)
{
    int s, t, u, mod = -1, mod_at = -1, tone = 0, tone_at = -1;
    if (!chuanp_vn_letter_info(base, &s, &t, &u) || t != 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int tm = chuanp_vn_tone_of_mark(marks[i]);
        if (tm) {
            if (tone)
                return 0;
            tone = tm;
            tone_at = (int)i;
        } else if (marks[i] == 0x0302 || marks[i] == 0x0306 || marks[i] == 0x031B) {
            if (mod >= 0)
                return 0;
            mod = (int)marks[i];
            mod_at = (int)i;
        } else {
            return 0;
        }
    }
    /* circumflex and breve share combining class 230 with the tone marks
     * other than the dot below: a tone written first blocks them */
    if ((mod == 0x0302 || mod == 0x0306) && tone && tone != 5 && tone_at < mod_at)
        return 0;
    if (mod == 0x0302)
        s = s == 0 ? 2 : s == 3 ? 4 : s == 6 ? 7 : -1;
    else if (mod == 0x0306)
        s = s == 0 ? 1 : -1;
    else if (mod == 0x031B)
        s = s == 6 ? 8 : s == 9 ? 10 : -1;
    return s < 0 ? 0 : chuanp_vn_letter(s, tone, u);
}

/* NFC for a run of Vietnamese text (NFD or mixed) without utf8proc.
 * Returns 0 (appended to out), or -1 when the run holds anything else. */
static int compose_vietnamese(const unsigned char *p, size_t n, chuanp_buf *out)
{
    enum { MARKS_MAX = 4 };
    size_t mark_at = out->len, start = out->len;
    uint32_t base = 0, marks[MARKS_MAX];
    size_t nmarks = 0;
    int have_base = 0;
    for (size_t i = 0; i <= n;) {
        uint32_t cp = 0;
        int k = 1;
        if (i < n && !(k = chuanp_utf8_decode(p + i, n - i, &cp)))
            goto fail;
        if (i < n && cp >= 0x0300 && cp < 0x0370) {
            if (!have_base || nmarks == MARKS_MAX)
                goto fail;
            marks[nmarks++] = cp;
            i += (size_t)k;
            continue;
        }
        if (have_base && nmarks) {
            uint32_t c = compose_cluster(base, marks, nmarks);
            if (!c)
                goto fail;
            out->len = mark_at;
            chuanp_buf_put_utf8(out, c);
        }
        if (i == n)
            break;
        if (cp >= 0x0300 && !(cp >= 0x1E00 && cp <= 0x1EFF))
            goto fail; /* not plain text: may compose in other ways */
        mark_at = out->len;
        chuanp_buf_append(out, p + i, (size_t)k);
        base = cp;
        have_base = 1;
        nmarks = 0;
        i += (size_t)k;
    }
    return 0;
fail:
    out->len = start;
    if (out->data)
        out->data[start] = '\0';
    return -1;
}

/* Decode a piece that ends on a character boundary; base = offset of p[0].
 * Plain text is copied; invalid bytes become U+FFFD; a run holding a
 * character that may not be NFC is normalised from the ASCII character
 * before it (the base a mark may attach to) up to the next ASCII byte. */
static void utf8_segment(chuanp_decoder *d, const unsigned char *p, size_t n, long long base,
                         chuanp_buf *out)
{
    size_t pos = 0, done = 0;
    while (pos < n) {
        pos += scan_plain(p + pos, n - pos);
        if (pos >= n)
            break;
        uint32_t cp;
        int len = chuanp_utf8_decode(p + pos, n - pos, &cp);
        if (!len) {
            chuanp_buf_append(out, p + done, pos - done);
            chuanp_dec_invalid(d, p, pos, base);
            chuanp_buf_put_utf8(out, 0xFFFD);
            done = ++pos;
            continue;
        }
        size_t k;
        if (nfc_safe(p + pos, &k)) {
            pos += (size_t)len;
            continue;
        }
        size_t from = pos, to = pos + (size_t)len;
        while (from > done && p[from - 1] >= 0x80)
            from--;
        if (from > done)
            from--;
        while (to < n && p[to] >= 0x80)
            to++;
        /* NFD text has marks in nearly every word: take following words
         * into the same utf8proc call while they need it too */
        while (to < n && to - from < (1u << 16)) {
            size_t plain = scan_plain(p + to, n - to);
            if (plain >= 256 || to + plain >= n)
                break;
            to += plain + 1;
            while (to < n && p[to] >= 0x80)
                to++;
        }
        long long bad = chuanp_utf8_invalid_at((const char *)p + from, to - from);
        if (bad >= 0)
            to = from + (size_t)bad;
        chuanp_buf_append(out, p + done, from - done);
        if (compose_vietnamese(p + from, to - from, out) < 0) {
            char *nfc = NULL;
            size_t nfc_len = 0;
            if (chuanp_nfc((const char *)p + from, to - from, &nfc, &nfc_len) < 0) {
                out->err = 1;
                return;
            }
            chuanp_buf_append(out, nfc ? nfc : (const char *)p + from, nfc_len);
            chuanp_free(nfc);
        }
        done = pos = to;
    }
    chuanp_buf_append(out, p + done, n - done);
    chuanp_dec_advance(d, p, n, 1);
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

void chuanp_dec_utf8_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                         chuanp_buf *out)
{
    size_t start = 0;
    if (d->carry.len) {
        /* Join what was held back with this chunk up to its first ASCII byte. */
        size_t k = 0;
        while (k < len && p[k] >= 0x80)
            k++;
        chuanp_buf_append(&d->carry, p, k);
        start = k;
        if (d->carry.err) {
            out->err = 1;
            return;
        }
        if (k < len || final) {
            utf8_segment(d, (const unsigned char *)d->carry.data, d->carry.len,
                         d->offset + (long long)k - (long long)d->carry.len, out);
            chuanp_buf_reset(&d->carry);
        }
    }
    if (start < len) {
        size_t split = len, pos;
        if (!final)
            split = last_ascii_at(p + start, len - start, &pos) ? start + pos : start;
        utf8_segment(d, p + start, split - start, d->offset + (long long)start, out);
        if (split < len)
            chuanp_buf_append(&d->carry, p + split, len - split);
    }
    if (d->carry.len >= HOLD_FORCE) {
        /* Pathological input without ASCII: cut before the last lead byte. */
        size_t cut = d->carry.len;
        while (cut > 0 && ((unsigned char)d->carry.data[cut - 1] & 0xC0) == 0x80)
            cut--;
        if (cut > 0)
            cut--;
        utf8_segment(d, (const unsigned char *)d->carry.data, cut,
                     d->offset + (long long)len - (long long)d->carry.len, out);
        memmove(d->carry.data, d->carry.data + cut, d->carry.len - cut);
        d->carry.len -= cut;
    }
}
