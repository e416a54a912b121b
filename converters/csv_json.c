/* converters/csv_json.c - a CSV row straight into a JSON object, in one pass.
 *
 * CSV -> NDJSON spends its time moving bytes: the scanner copies each field
 * out of the row, then the JSON writer copies it again with escapes. For the
 * common row (every field present, valid UTF-8 already in NFC, no stray
 * quote) this pass writes the JSON directly from the input, eight bytes at
 * a time between the bytes that matter. Anything else is left to the
 * scanner (CHUANP_FAST_SLOW), which reports it exactly as before; the unit
 * tests compare both paths on rows of every kind.
 */
#include "csv_parser.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Bytes of x that stop the copy: controls, non-ASCII, backslash, the quote
 * and (outside quotes) the delimiter. The lowest set bit is exact. */
static inline uint64_t stops(uint64_t x, uint64_t pq, uint64_t pd)
{
    uint64_t zq = x ^ pq, zd = x ^ pd, zb = x ^ (ONES * '\\');
    return (((x - ONES * 0x20) & ~x) | (x & HIGHS) | ((zq - ONES) & ~zq) | ((zd - ONES) & ~zd) |
            ((zb - ONES) & ~zb)) & HIGHS;
}

#ifdef __SSE2__
/* The valid prefix of a 16-byte block v whose stop bytes (controls,
 * backslash, q, d) start at lim (16: none): lim when every byte before it is
 * ASCII or part of a complete character plain_char() passes at once
 * (U+0080..U+02FF: C2..CB + one continuation byte; U+1E00..U+1EFF: E1,
 * B8..BB + one continuation byte), else the first position the scalar code
 * must look at: the lead byte of the first character that is not such a
 * character, is cut by lim or by the block's end, or a byte that cannot
 * start a character. Every byte before the result belongs to a complete
 * character of those ranges. */
static inline unsigned plain_prefix(__m128i v, unsigned hm, unsigned lim)
{
    const unsigned lm = lim >= 16 ? 0xFFFFu : (1u << lim) - 1;
    const unsigned h = hm & lm;
    if (!h)
        return lim;
    /* signed bytes: 0x80..0xBF are -128..-65, 0xC2..0xCB -62..-53, 0xB8..0xBB -72..-69 */
    const unsigned cont =
        (unsigned)_mm_movemask_epi8(_mm_cmplt_epi8(v, _mm_set1_epi8((char)0xC0)));
    const unsigned l2 = (unsigned)_mm_movemask_epi8(_mm_and_si128(
                            _mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xC1)),
                            _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xCC)))) & lm;
    const unsigned l3 =
        (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8((char)0xE1))) & lm;
    const unsigned b8 = (unsigned)_mm_movemask_epi8(_mm_and_si128(
                            _mm_cmpgt_epi8(v, _mm_set1_epi8((char)0xB7)),
                            _mm_cmplt_epi8(v, _mm_set1_epi8((char)0xBC))));
    const unsigned lead = h & ~cont;
    const unsigned expect = (l2 << 1) | (l3 << 1) | (l3 << 2); /* may reach bits 16, 17 */
    /* an expected continuation byte that is not one (or not B8..BB after E1),
     * at or past lim included: that character is cut */
    const unsigned missing = (expect & ~(cont & lm)) | ((l3 << 1) & ~(b8 & lm));
    const unsigned other = (lead & ~(l2 | l3)) | (cont & lm & ~expect);
    const unsigned trouble = missing | other;
    if (!trouble)
        return lim;
    const unsigned t = (unsigned)__builtin_ctz(trouble);
    if (missing >> t & 1u) {
        /* the character whose continuation is missing starts at the last lead before t */
        const unsigned before = lead & ((1u << t) - 1);
        return before ? 31u - (unsigned)__builtin_clz(before) : 0;
    }
    return t;
}

/* Copy 16 bytes at a time up to the first stop byte (control, backslash,
 * q, d) or the first byte of a character plain_prefix() does not pass.
 * Returns 1 at a stop (*i on it), 0 with fewer than 16 bytes left. The
 * output has room: 6 bytes for each byte of input. */
static inline __attribute__((always_inline)) int
copy16(char **o, const char *b, size_t *i, size_t end, unsigned char q, unsigned char d)
{
    const __m128i vq = _mm_set1_epi8((char)q), vd = _mm_set1_epi8((char)d),
                  vb = _mm_set1_epi8('\\'), v20 = _mm_set1_epi8(0x20);
    size_t k = *i;
    char *w = *o;
    while (end - k >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(b + k));
        _mm_storeu_si128((__m128i *)(void *)w, v);
        /* signed: bytes >= 0x80 are negative, so "< 0x20" takes them too */
        __m128i s = _mm_or_si128(_mm_cmplt_epi8(v, v20),
                                 _mm_or_si128(_mm_cmpeq_epi8(v, vb),
                                              _mm_or_si128(_mm_cmpeq_epi8(v, vq),
                                                           _mm_cmpeq_epi8(v, vd))));
        unsigned m = (unsigned)_mm_movemask_epi8(s);
        if (m) {
            unsigned hm = (unsigned)_mm_movemask_epi8(v); /* bytes >= 0x80 */
            unsigned sm = m & ~hm;                         /* the stop bytes proper */
            unsigned adv = plain_prefix(v, hm, sm ? (unsigned)__builtin_ctz(sm) : 16);
            if (adv < 16) {
                *i = k + adv;
                *o = w + adv;
                return 1;
            }
        }
        k += 16;
        w += 16;
    }
    *i = k;
    *o = w;
    return 0;
}
#endif

/* Copy b[*i..end) to *o up to the first stop byte (control, non-ASCII,
 * backslash, q, d) or to the end, advancing both. The output has room: 6
 * bytes for each byte of input. */
static inline __attribute__((always_inline)) void
copy_run(char **o, const char *b, size_t *i, size_t end, unsigned char q, unsigned char d)
{
#ifdef __SSE2__
    if (copy16(o, b, i, end, q, d))
        return;
#endif
    const uint64_t pq = ONES * q, pd = ONES * d;
    size_t k = *i;
    char *w = *o;
    uint64_t x, m = 0;
    while (end - k >= 8) {
        memcpy(&x, b + k, 8);
        memcpy(w, b + k, 8);
        m = stops(x, pq, pd);
        if (m)
            break;
        k += 8;
        w += 8;
    }
    if (m) {
        unsigned adv = (unsigned)__builtin_ctzll(m) >> 3;
        k += adv;
        w += adv;
    }
    *i = k;
    *o = w;
}

/* One UTF-8 character at b[i] (b[i] >= 0x80) that may pass as it is: its
 * length, 0 when it is not valid UTF-8 or may not be NFC (the scanner
 * decides), -1 when it may be cut by the end of the buffer. */
static inline int plain_char(const char *b, size_t i, size_t end, int eof)
{
    const unsigned char *u = (const unsigned char *)b + i;
    size_t avail = end - i;
    /* Latin-1 .. U+02FF and the Vietnamese letters U+1E00..U+1EFF */
    if (u[0] >= 0xC2 && u[0] <= 0xCB && avail >= 2 && (u[1] & 0xC0) == 0x80)
        return 2;
    if (u[0] == 0xE1 && avail >= 3 && u[1] >= 0xB8 && u[1] <= 0xBB && (u[2] & 0xC0) == 0x80)
        return 3;
    size_t need = u[0] >= 0xF0 ? 4 : u[0] >= 0xE0 ? 3 : 2;
    if (avail < need)
        return eof ? 0 : -1;
    uint32_t cp;
    int n = chuanp_utf8_decode(u, avail, &cp);
    return n > 0 && chuanp_csv_nfc_stable(cp) ? n : 0;
}

int chuanp_csv_fast_row(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                        chuanp_csv_row *row)
{
    const char *b = p->buf;
    const size_t start = p->start, end = p->end;
    const unsigned char q = (unsigned char)p->quote, dl = (unsigned char)p->delim;
    const int eof = p->eof;
    size_t i = start, row_end;
    long line = p->line;
    if (i == end)
        return eof ? CHUANP_FAST_SLOW : CHUANP_FAST_MORE;
    if (b[i] == '\n' || b[i] == '\r')
        return CHUANP_FAST_SLOW; /* a blank line */
    /* worst case: every byte a \u00XX escape, plus the keys and braces; appended */
    if (chuanp_buf_reserve(out, 6 * (end - i) + k->off[k->ncols] + 2 * k->ncols + 8 +
                                    CHUANP_CSV_KEYS_PAD) < 0)
        return CHUANP_FAST_SLOW;
    char *o = out->data + out->len;
    size_t col = 0;
    for (;;) {
        if (col == k->ncols) {
            /* one field more is the trailing delimiter's empty field, or a ragged row */
            if (!k->trailing || (i < end && b[i] != '\n' && b[i] != '\r'))
                return CHUANP_FAST_SLOW;
            if (i == end && !eof)
                return CHUANP_FAST_MORE;
            row_end = i;
            goto line_end;
        }
        size_t klen = k->off[col + 1] - k->off[col];
        /* a short key in two fixed moves (the keys and the output have room) */
        memcpy(o, k->text + k->off[col], CHUANP_CSV_KEYS_PAD);
        if (klen > CHUANP_CSV_KEYS_PAD)
            memcpy(o, k->text + k->off[col], klen);
        o += klen;
        *o++ = '"';
        if (i < end && (unsigned char)b[i] == q) {
            /* quoted: only the closing quote ends it; "" is a quote; line ends are kept */
            i++;
            for (;;) {
                copy_run(&o, b, &i, end, q, q);
                if (i >= end)
                    return eof ? CHUANP_FAST_SLOW : CHUANP_FAST_MORE; /* unterminated: the scanner says so */
                unsigned char c = (unsigned char)b[i];
                if (c == q) {
                    if (i + 1 == end && !eof)
                        return CHUANP_FAST_MORE;
                    if (i + 1 < end && (unsigned char)b[i + 1] == q) {
                        o = chuanp_json_put_escape(o, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (c >= 0x80) {
                    int n = plain_char(b, i, end, eof);
                    if (n <= 0)
                        return n < 0 ? CHUANP_FAST_MORE : CHUANP_FAST_SLOW;
                    memcpy(o, b + i, (size_t)n);
                    o += n;
                    i += (size_t)n;
                    continue;
                }
                if (c >= 0x20 && c != '\\') {
                    *o++ = (char)c; /* a byte of the tail, fewer than eight left */
                    i++;
                    continue;
                }
                if (c == '\n') {
                    line++;
                } else if (c == '\r') {
                    if (i + 1 == end && !eof)
                        return CHUANP_FAST_MORE;
                    if (i + 1 >= end || b[i + 1] != '\n')
                        line++; /* a lone CR ends a line */
                }
                o = chuanp_json_put_escape(o, c);
                i++;
            }
            if (i < end) {
                unsigned char c = (unsigned char)b[i];
                if (c != dl && c != '\n' && c != '\r')
                    return CHUANP_FAST_SLOW; /* text after the closing quote */
            } else if (!eof) {
                return CHUANP_FAST_MORE;
            }
        } else {
            for (;;) {
                copy_run(&o, b, &i, end, q, dl);
                if (i >= end) {
                    if (!eof)
                        return CHUANP_FAST_MORE;
                    break;
                }
                unsigned char c = (unsigned char)b[i];
                if (c == dl || c == '\n' || c == '\r')
                    break;
                if (c == q)
                    return CHUANP_FAST_SLOW; /* a quote inside an unquoted field */
                if (c >= 0x80) {
                    int n = plain_char(b, i, end, eof);
                    if (n <= 0)
                        return n < 0 ? CHUANP_FAST_MORE : CHUANP_FAST_SLOW;
                    memcpy(o, b + i, (size_t)n);
                    o += n;
                    i += (size_t)n;
                    continue;
                }
                if (c >= 0x20 && c != '\\')
                    *o++ = (char)c;
                else
                    o = chuanp_json_put_escape(o, c);
                i++;
            }
        }
        *o++ = '"';
        col++;
        if (i < end && (unsigned char)b[i] == dl) {
            i++;
            continue;
        }
        row_end = i;
        break;
    }
    if (col != k->ncols)
        return CHUANP_FAST_SLOW; /* too few fields */
line_end:
    if (i < end) {
        if (b[i] == '\r') {
            if (i + 1 == end && !eof)
                return CHUANP_FAST_MORE;
            i += i + 1 < end && b[i + 1] == '\n' ? 2 : 1;
        } else {
            i++;
        }
        line++;
    }
    *o++ = '}';
    out->len = (size_t)(o - out->data);
    out->data[out->len] = '\0';
    p->record++;
    row->fields = NULL;
    row->count = k->ncols;
    row->record = p->record;
    row->line = p->line;
    row->offset = p->base + (long long)start;
    row->raw = b + start;
    row->raw_len = row_end - start;
    p->start = i;
    p->line = line;
    return CHUANP_FAST_ROW;
}
