/* converters/csv_json.c - a CSV row straight into a JSON object, in one pass.
 *
 * CSV -> NDJSON spends its time moving bytes: the scanner copies each field
 * out of the row, then the JSON writer copies it again with escapes. For the
 * common row (every field present, valid UTF-8 already in NFC, no stray
 * quote) this pass writes the JSON directly from the input. It classifies
 * 64 bytes of the row at a time into masks of the bytes that matter (a
 * "window": SSE2, or AVX-512BW where the CPU has it) and moves the bytes
 * between them 16 at a time, without a branch per byte or per field length.
 * Anything else is left to the scanner (CHUANP_FAST_SLOW), which reports it
 * exactly as before; the unit tests compare both paths on rows of every
 * kind, with each kind of window.
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

/* Copy b[*i..end) to *o up to the first stop byte (control, non-ASCII,
 * backslash, q, d) or to the end, advancing both. The output has room: 6
 * bytes for each byte of input. */
static inline __attribute__((always_inline)) void
copy_run(char **o, const char *b, size_t *i, size_t end, unsigned char q, unsigned char d)
{
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

#ifdef __SSE2__
/* 64 bytes of the row at base, classified once for the fields they hold:
 * bit k of a mask is byte base + k. A byte "stops" the copy when the caller
 * must look at it: a control, backslash, the quote, (outside quotes) the
 * delimiter, or a byte >= 0x80 that does not belong to a complete character
 * known to be NFC-stable and passed as it is (U+0080..U+02FF: C2..CB + a
 * continuation byte; the Vietnamese letters U+1E00..U+1EFF: E1, B8..BB + a
 * continuation byte) within the 64 bytes; plain_char() looks at the
 * others. base is always on a character boundary (the row's start, a stop
 * or the end of the last window), so a continuation byte at bit 0 stops
 * too. Only made with WINDOW_NEED bytes or more left from base: the moves
 * of the copy stay inside the input. */
typedef struct window {
    size_t base;
    uint64_t unquoted, quoted; /* the stop bytes outside and inside quotes */
    __m128i vq, vd;            /* the quote and the delimiter in every byte */
} window;

enum { WINDOW = 64, WINDOW_NEED = WINDOW + 32 };

/* The stop masks from the classes of the window's bytes: low (controls,
 * backslash, the quote; bytes < 0x80 only, as delim is taken), delim, high
 * (>= 0x80) and among those cont (80..BF), l2 (C2..CB), l3 (E1), b8
 * (B8..BB). A quote or delimiter byte >= 0x80 is left to plain_char() and
 * the caller, as the scalar copy does. */
static inline __attribute__((always_inline)) void
window_set(window *w, size_t base, uint64_t low, uint64_t delim, uint64_t high, uint64_t cont,
           uint64_t l2, uint64_t l3, uint64_t b8)
{
    /* a lead whose continuation bytes are not all there (the window's end
     * included: the shifts bring in zeros), a byte >= 0x80 that is neither
     * such a lead nor a continuation byte, a continuation byte no such lead
     * expects */
    const uint64_t lead_bad = (l2 & ~(cont >> 1)) | (l3 & ~((b8 >> 1) & (cont >> 2)));
    const uint64_t expect = (l2 << 1) | (l3 << 1) | (l3 << 2);
    const uint64_t bad = lead_bad | (high & ~cont & ~l2 & ~l3) | (cont & ~expect);
    w->base = base;
    w->quoted = low | bad;
    w->unquoted = w->quoted | (delim & ~high);
}

static inline uint64_t mask16(__m128i x, int at)
{
    return (uint64_t)(unsigned)_mm_movemask_epi8(x) << at;
}

/* The window at base with SSE2: 16 bytes at a time, signed compares. */
static inline __attribute__((always_inline)) void window_at(window *w, const char *b, size_t base)
{
    const __m128i vb = _mm_set1_epi8('\\'), v20 = _mm_set1_epi8(0x20);
    uint64_t low = 0, delim = 0, high = 0, cont = 0, l2 = 0, l3 = 0, b8 = 0;
    __m128i v[4];
    for (int k = 0; k < 4; k++) {
        v[k] = _mm_loadu_si128((const __m128i *)(const void *)(b + base + 16 * k));
        /* signed: bytes >= 0x80 are negative, so "< 0x20" takes them too */
        low |= mask16(_mm_or_si128(_mm_cmplt_epi8(v[k], v20),
                                   _mm_or_si128(_mm_cmpeq_epi8(v[k], vb), _mm_cmpeq_epi8(v[k], w->vq))),
                      16 * k);
        delim |= mask16(_mm_cmpeq_epi8(v[k], w->vd), 16 * k);
        high |= mask16(v[k], 16 * k);
    }
    if (high) {
        /* signed bytes: 0x80..0xBF are -128..-65, 0xC2..0xCB -62..-53, 0xB8..0xBB -72..-69 */
        for (int k = 0; k < 4; k++) {
            cont |= mask16(_mm_cmplt_epi8(v[k], _mm_set1_epi8((char)0xC0)), 16 * k);
            l2 |= mask16(_mm_and_si128(_mm_cmpgt_epi8(v[k], _mm_set1_epi8((char)0xC1)),
                                       _mm_cmplt_epi8(v[k], _mm_set1_epi8((char)0xCC))),
                         16 * k);
            l3 |= mask16(_mm_cmpeq_epi8(v[k], _mm_set1_epi8((char)0xE1)), 16 * k);
            b8 |= mask16(_mm_and_si128(_mm_cmpgt_epi8(v[k], _mm_set1_epi8((char)0xB7)),
                                       _mm_cmplt_epi8(v[k], _mm_set1_epi8((char)0xBC))),
                         16 * k);
        }
    }
    window_set(w, base, low & ~high, delim, high, cont, l2, l3, b8);
}

#if defined(__x86_64__) && defined(__GNUC__)
#include <immintrin.h>
#include <stdatomic.h>
#define WINDOW_WIDE 1
/* The window at base in one 64-byte register, where the CPU has AVX-512BW:
 * one load and unsigned compares straight into 64-bit masks. */
__attribute__((target("avx512f,avx512bw"))) static void window_at_wide(window *w, const char *b,
                                                                      size_t base)
{
    const __m512i v = _mm512_loadu_si512((const void *)(b + base));
    const uint64_t high = _mm512_movepi8_mask(v);
    const uint64_t low = _mm512_cmplt_epu8_mask(v, _mm512_set1_epi8(0x20)) |
                         _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8('\\')) |
                         _mm512_cmpeq_epi8_mask(v, _mm512_broadcastb_epi8(w->vq));
    const uint64_t delim = _mm512_cmpeq_epi8_mask(v, _mm512_broadcastb_epi8(w->vd));
    uint64_t cont = 0, l2 = 0, l3 = 0, b8 = 0;
    if (high) {
        cont = _mm512_mask_cmplt_epu8_mask(high, v, _mm512_set1_epi8((char)0xC0));
        l2 = _mm512_mask_cmple_epu8_mask(_mm512_cmpge_epu8_mask(v, _mm512_set1_epi8((char)0xC2)), v,
                                         _mm512_set1_epi8((char)0xCB));
        l3 = _mm512_cmpeq_epi8_mask(v, _mm512_set1_epi8((char)0xE1));
        b8 = _mm512_mask_cmple_epu8_mask(_mm512_cmpge_epu8_mask(v, _mm512_set1_epi8((char)0xB8)), v,
                                         _mm512_set1_epi8((char)0xBB));
    }
    window_set(w, base, low & ~high, delim, high, cont, l2, l3, b8);
}

/* Which of the two makes the windows: 0 not asked yet, 1 SSE2, 2 AVX-512BW
 * (set once per process; chuanp_csv_window_force for the tests). */
static atomic_int window_kind;

static inline int window_wide(void)
{
    int k = atomic_load_explicit(&window_kind, memory_order_relaxed);
    if (!k) {
        __builtin_cpu_init();
        k = __builtin_cpu_supports("avx512bw") ? 2 : 1;
        atomic_store_explicit(&window_kind, k, memory_order_relaxed);
    }
    return k == 2;
}
#endif

/* Copy from b[*i] up to the first stop byte of the windows (*i on it), or
 * when fewer than WINDOW_NEED bytes are left for a new window, as
 * copy_run() does (q the quote, d the delimiter). The output has room: 6
 * bytes for each byte of input. */
static inline __attribute__((always_inline)) void copy_window(char **o, const char *b, size_t *i,
                                                               size_t end, window *w, int quoted,
                                                               unsigned char q, unsigned char d)
{
    size_t k = *i;
    char *out = *o;
    for (;;) {
        if (k - w->base >= WINDOW) { /* past this window (or before any: base is far off) */
            if (end - k < WINDOW_NEED) {
                *i = k;
                *o = out;
                copy_run(o, b, i, end, q, quoted ? q : d);
                return;
            }
#ifdef WINDOW_WIDE
            if (window_wide())
                window_at_wide(w, b, k);
            else
#endif
                window_at(w, b, k);
        }
        const unsigned off = (unsigned)(k - w->base);
        const uint64_t m = (quoted ? w->quoted : w->unquoted) >> off;
        const size_t n = m ? (size_t)__builtin_ctzll(m) : WINDOW - off;
        /* 32 bytes whatever n is (most fields are shorter: no branch on
         * their length), then the rest; reads below base + WINDOW_NEED <= end */
        for (size_t t = 0; t < 32; t += 16)
            _mm_storeu_si128((__m128i *)(void *)(out + t),
                             _mm_loadu_si128((const __m128i *)(const void *)(b + k + t)));
        for (size_t t = 32; t < n; t += 16)
            _mm_storeu_si128((__m128i *)(void *)(out + t),
                             _mm_loadu_si128((const __m128i *)(const void *)(b + k + t)));
        k += n;
        out += n;
        if (m)
            break;
    }
    *i = k;
    *o = out;
}
#define COPY(quoted) copy_window(&o, b, &i, end, &win, (quoted), q, dl)
#else
#define COPY(quoted) copy_run(&o, b, &i, end, q, (quoted) ? q : dl)
#endif

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

/* A row's output beside its text's worst case (six bytes per input byte, a
 * \u00XX escape each): the keys, quotes, commas and braces, and the room the
 * short key moves may write past the end. */
static inline size_t row_overhead(const chuanp_csv_json_keys *k)
{
    return k->off[k->ncols] + 2 * k->ncols + 8 + CHUANP_CSV_KEYS_PAD;
}

/* chuanp_csv_fast_row as if the parser's bytes ended at `end` (<= p->end)
 * and eof said whether more may come. */
static inline int fast_row_to(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                              chuanp_csv_row *row, const size_t end, const int eof)
{
    const char *b = p->buf;
    const size_t start = p->start;
    const unsigned char q = (unsigned char)p->quote, dl = (unsigned char)p->delim;
    size_t i = start, row_end;
    long line = p->line;
    if (i == end)
        return eof ? CHUANP_FAST_SLOW : CHUANP_FAST_MORE;
    if (b[i] == '\n' || b[i] == '\r')
        return CHUANP_FAST_SLOW; /* a blank line */
    /* worst case: every byte a \u00XX escape, plus the keys and braces; appended */
    if (chuanp_buf_reserve(out, 6 * (end - i) + row_overhead(k)) < 0)
        return CHUANP_FAST_SLOW;
    char *o = out->data + out->len;
    size_t col = 0;
#ifdef __SSE2__
    window win = {SIZE_MAX / 2, 0, 0, _mm_set1_epi8((char)q), _mm_set1_epi8((char)dl)}; /* none yet */
#endif
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
                COPY(1);
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
                COPY(0);
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

/* Input bytes a row is first tried within, at least (see below). */
#define ROW_ROOM ((size_t)4 << 10)

int chuanp_csv_fast_row(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                        chuanp_csv_row *row)
{
    /* A row's output is reserved for its worst case first, six bytes per
     * input byte. Reserving that for every byte left in the buffer (a whole
     * chunk in a batch run) grew each chunk's output to 4 MiB, most of it
     * never written (docs/performance.md). A row is tried within the room
     * the output has (ROW_ROOM bytes of input at least), as if the input
     * ended there; only a row that does not end within it is tried again
     * with room for all the bytes left. */
    size_t fixed = row_overhead(k) + 1; /* and the NUL chuanp_buf_reserve keeps room for */
    size_t room = out->cap > out->len + fixed ? (out->cap - out->len - fixed) / 6 : 0;
    if (room < ROW_ROOM)
        room = ROW_ROOM;
    if (p->end - p->start > room) {
        int r = fast_row_to(p, k, out, row, p->start + room, 0);
        if (r != CHUANP_FAST_MORE)
            return r;
    }
    return fast_row_to(p, k, out, row, p->end, p->eof);
}

int chuanp_csv_window_force(int wide)
{
#ifdef WINDOW_WIDE
    __builtin_cpu_init();
    if (wide && !__builtin_cpu_supports("avx512bw"))
        return -1;
    atomic_store_explicit(&window_kind, wide ? 2 : 1, memory_order_relaxed);
    return 0;
#else
    return wide ? -1 : 0;
#endif
}
