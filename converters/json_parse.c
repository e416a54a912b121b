/*
 * converters/json_parse.c - the JSON reader (RFC 8259) with positions.
 *
 * An explicit-stack parser (no recursion, so the depth limit is the only
 * bound on nesting) that builds an arena tree. For speed:
 *   - strings are scanned 8 bytes at a time for the bytes that need work
 *     ('"', '\\', controls, non-ASCII); non-ASCII is validated inline;
 *   - columns are computed incrementally: the parser remembers the last
 *     position whose column it knows on the current line and counts the
 *     characters (non-continuation bytes) from there, so a 100 MB minified
 *     one-line file stays linear;
 *   - children of open containers wait on scratch stacks (first on the C
 *     stack, then on the heap) and are copied into exact-size arena arrays
 *     when the container closes;
 *   - a string value and its text share one arena allocation.
 * Lines end at LF, CRLF or a lone CR; a tab counts as one column.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

typedef struct frame {
    chuanp_jv *v;  /* the open array or object */
    size_t base;   /* index of its first child on the vals/mems stack */
    size_t count;  /* children so far (members: keys read so far) */
} frame;

typedef struct parser {
    const unsigned char *buf, *p, *end;
    chuanp_arena *arena;
    chuan_diags *diags;
    const chuanp_json_opts *opts;
    size_t max_depth;
    /* position tracking */
    uint32_t line;                  /* 1-based, without line_base */
    const unsigned char *line_start;
    const unsigned char *col_at;    /* a position on the current line ... */
    uint32_t col;                   /* ... and its column */
    /* scratch stacks */
    frame *frames;
    size_t nframes, cap_frames;
    chuanp_jv **vals;
    size_t nvals, cap_vals;
    chuanp_jmember *mems;
    size_t nmems, cap_mems;
    int heap_frames, heap_vals, heap_mems;
    /* nodes are carved from slabs of the arena (8-byte aligned) */
    unsigned char *slab;
    size_t slab_left, slab_size;
    /* duplicate-key detection for large objects */
    uint32_t *table;
    size_t table_cap;
    int dups;   /* duplicate keys found */
    int limit_hit; /* an allocation failed on the arena's size limit */
    int failed; /* >0 syntax error reported, <0 out of memory */
} parser;

#define SMALL_OBJECT 16
#define WORD_ONES 0x0101010101010101ULL
#define WORD_HIGH 0x8080808080808080ULL

/* ------------------------------------------------------------ positions */

static inline uint64_t load8(const unsigned char *p)
{
    uint64_t w;
    memcpy(&w, p, 8);
    return w;
}

/* Characters (UTF-8 lead or ASCII bytes) in [a, b). */
static inline size_t count_chars(const unsigned char *a, const unsigned char *b)
{
    size_t n = (size_t)(b - a), cont = 0;
    while (b - a >= 8) {
        uint64_t w = load8(a);
        if (w & WORD_HIGH) /* bytes 10xxxxxx; summed by a multiply, not popcount */
            cont += (size_t)((((w & ~(w << 1) & WORD_HIGH) >> 7) * WORD_ONES) >> 56);
        a += 8;
    }
    for (; a < b; a++)
        cont += (*a & 0xC0) == 0x80;
    return n - cont;
}

static inline uint32_t column_of(parser *ps, const unsigned char *at)
{
    if (at < ps->col_at) {
        ps->col_at = ps->line_start;
        ps->col = 1;
    }
    ps->col += (uint32_t)count_chars(ps->col_at, at);
    ps->col_at = at;
    return ps->col;
}

static inline void newline(parser *ps, const unsigned char *next)
{
    ps->line++;
    ps->line_start = next;
    ps->col_at = next;
    ps->col = 1;
}

static inline void set_pos(parser *ps, const unsigned char *at, uint32_t *line, uint32_t *col,
                           uint64_t *off)
{
    *line = ps->line + (uint32_t)ps->opts->line_base;
    *col = column_of(ps, at);
    *off = (uint64_t)(at - ps->buf) + (uint64_t)ps->opts->offset_base;
}

static inline void skip_ws(parser *ps)
{
    const unsigned char *p = ps->p, *end = ps->end;
    while (p < end) {
        unsigned c = *p;
        if (c == ' ' || c == '\t') {
            p++;
        } else if (c == '\n') {
            p++;
            newline(ps, p);
        } else if (c == '\r') {
            p++;
            if (p == end || *p != '\n')
                newline(ps, p);
        } else {
            break;
        }
    }
    ps->p = p;
}

/* ---------------------------------------------------------- diagnostics */

static void pointer_append(chuanp_buf *b, const char *s, size_t len)
{
    chuanp_buf_putc(b, '/');
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '~')
            chuanp_buf_append(b, "~0", 2);
        else if (s[i] == '/')
            chuanp_buf_append(b, "~1", 2);
        else
            chuanp_buf_putc(b, s[i]);
    }
}

/* JSON Pointer of the place being parsed: the open child of every frame;
 * for the innermost frame only when `in_child` (a value inside it). */
static void build_path(const parser *ps, chuanp_buf *b, int in_child)
{
    for (size_t i = 0; i < ps->nframes; i++) {
        const frame *f = &ps->frames[i];
        if (i + 1 == ps->nframes && !in_child)
            break;
        if (f->v->type == CHUANP_JARRAY) {
            chuanp_buf_printf(b, "/%zu", f->count);
        } else if (f->count > 0) {
            const chuanp_jmember *m = &ps->mems[f->base + f->count - 1];
            pointer_append(b, m->key, m->key_len);
        }
    }
}

static void report(parser *ps, const unsigned char *at, const char *code, int in_child,
                   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void report(parser *ps, const unsigned char *at, const char *code, int in_child,
                   const char *fmt, ...)
{
    chuanp_buf path, msg;
    chuanp_buf_init(&path, 0);
    chuanp_buf_init(&msg, 0);
    build_path(ps, &path, in_child);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&msg, fmt, ap);
    va_end(ap);
    chuanp_buf vi; /* the message in Vietnamese (core/i18n.h) */
    chuanp_buf_init(&vi, 0);
    va_start(ap, fmt);
    const char *mvi = chuanp_i18n_vformat_vi(&vi, fmt, ap);
    va_end(ap);
    chuan_diag d;
    memset(&d, 0, sizeof d);
    d.message_vi = mvi;
    d.severity = CHUAN_SEV_ERROR;
    d.code = code;
    d.file = ps->opts->file;
    uint32_t line, col;
    uint64_t off;
    set_pos(ps, at, &line, &col, &off);
    d.line = (long)ps->line + ps->opts->line_base; /* no 32-bit wrap in huge NDJSON */
    d.column = (long)col;
    d.offset = (long long)off;
    d.path = path.len ? path.data : "";
    d.message = msg.data;
    int rc = -1;
    if (!path.err && !msg.err)
        rc = ps->diags ? chuan_diags_add(ps->diags, &d) : 0;
    chuanp_buf_free(&path);
    chuanp_buf_free(&msg);
    chuanp_buf_free(&vi);
    if (!ps->failed)
        ps->failed = rc < 0 ? -1 : 1;
}

/* An allocation failed: the arena's size limit (an error in the input:
 * "json.limit") or real memory exhaustion (<0). Returns -1 either way. */
static int oom(parser *ps)
{
    if (ps->limit_hit && !ps->failed) {
        report(ps, ps->p < ps->end ? ps->p : ps->end, "json.limit", 0,
               "the document needs more memory than the limit of %zu bytes", ps->arena->limit);
        return -1;
    }
    ps->failed = -1;
    return -1;
}

/* Length of the valid UTF-8 sequence at p, or 0 when it is invalid. */
static inline int utf8_len(const unsigned char *p, const unsigned char *end)
{
    unsigned c = p[0];
    size_t avail = (size_t)(end - p);
    if (c < 0x80)
        return 1;
    if (c < 0xC2)
        return 0;
    if (c < 0xE0)
        return avail >= 2 && (p[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c < 0xF0) {
        if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] >= 0xA0))
            return 0;
        return 3;
    }
    if (c < 0xF5) {
        if (avail < 4 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80 ||
            (p[3] & 0xC0) != 0x80)
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] >= 0x90))
            return 0;
        return 4;
    }
    return 0;
}

static void report_utf8(parser *ps, const unsigned char *at, int in_child)
{
    report(ps, at, "json.utf8", in_child, "invalid UTF-8 byte 0x%02X", *at);
}

/* An unexpected byte where `what` was expected (or a fixed message). */
static void unexpected(parser *ps, const unsigned char *at, int in_child, const char *what)
{
    what = _(what); /* a part of the message, in the language of messages */
    if (at >= ps->end) {
        report(ps, at, "json.parse", in_child, "unexpected end of input (%s)", what);
        return;
    }
    unsigned c = *at;
    if (c >= 0x80) {
        int n = utf8_len(at, ps->end);
        if (!n) {
            report_utf8(ps, at, in_child);
            return;
        }
        uint32_t cp;
        chuanp_utf8_decode(at, (size_t)n, &cp);
        report(ps, at, "json.parse", in_child, "unexpected character '%.*s' (U+%04X) (%s)", n,
               (const char *)at, cp, what);
    } else if (c < 0x20 || c == 0x7F) {
        report(ps, at, "json.parse", in_child, "unexpected control character U+%04X (%s)", c,
               what);
    } else {
        report(ps, at, "json.parse", in_child, "unexpected character '%c' (%s)", (int)c, what);
    }
}

/* A fixed message at `at`, unless the byte there is invalid UTF-8. */
static void fail_at(parser *ps, const unsigned char *at, int in_child, const char *msg)
{
    if (at < ps->end && *at >= 0x80 && !utf8_len(at, ps->end))
        report_utf8(ps, at, in_child);
    else
        report(ps, at, "json.parse", in_child, "%s", msg);
}

/* ---------------------------------------------------------------- nodes */

static void *arena_get(parser *ps, size_t size)
{
    void *p = chuanp_arena_alloc(ps->arena, size);
    if (!p && ps->arena->limit && ps->arena->total + size + 16 > ps->arena->limit)
        ps->limit_hit = 1;
    return p;
}

static void *slab_refill(parser *ps, size_t size)
{
    size_t limit = ps->arena->block_size / 4;
    if (limit < 1024)
        limit = 1024;
    if (size > limit / 4)
        return arena_get(ps, size);
    /* slabs grow 1 KiB, 2 KiB, ... so a tiny document wastes little */
    ps->slab_size = ps->slab_size ? ps->slab_size * 2 : 1024;
    if (ps->slab_size > limit)
        ps->slab_size = limit;
    if (ps->slab_size < size)
        ps->slab_size = size; /* a node bigger than the next slab step (else slab_left wraps) */
    unsigned char *p = arena_get(ps, ps->slab_size);
    if (!p)
        return NULL;
    ps->slab = p + size;
    ps->slab_left = ps->slab_size - size;
    return p;
}

/* Arena memory for a node (and its text); NULL when out of memory. */
static inline void *node_alloc(parser *ps, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (size > ps->slab_left)
        return slab_refill(ps, size);
    void *p = ps->slab;
    ps->slab += size;
    ps->slab_left -= size;
    return p;
}

/* -------------------------------------------------------------- scratch */

static int grow(void **arr, size_t *cap, size_t elem, int *heap)
{
    size_t ncap = *cap * 2;
    void *p;
    if (*heap) {
        p = chuanp_realloc(*arr, ncap * elem);
    } else {
        p = chuanp_malloc(ncap * elem);
        if (p)
            memcpy(p, *arr, *cap * elem);
    }
    if (!p)
        return -1;
    *arr = p;
    *cap = ncap;
    *heap = 1;
    return 0;
}

static inline int push_val(parser *ps, chuanp_jv *v)
{
    if (ps->nvals == ps->cap_vals &&
        grow((void **)&ps->vals, &ps->cap_vals, sizeof *ps->vals, &ps->heap_vals) < 0)
        return oom(ps);
    ps->vals[ps->nvals++] = v;
    return 0;
}

static inline chuanp_jmember *push_mem(parser *ps)
{
    if (ps->nmems == ps->cap_mems &&
        grow((void **)&ps->mems, &ps->cap_mems, sizeof *ps->mems, &ps->heap_mems) < 0) {
        oom(ps);
        return NULL;
    }
    return &ps->mems[ps->nmems++];
}

/* -------------------------------------------------------------- strings */

static const unsigned char hexval[256] = {
    ['0'] = 1, ['1'] = 2, ['2'] = 3, ['3'] = 4, ['4'] = 5, ['5'] = 6, ['6'] = 7,
    ['7'] = 8, ['8'] = 9, ['9'] = 10, ['a'] = 11, ['b'] = 12, ['c'] = 13, ['d'] = 14,
    ['e'] = 15, ['f'] = 16, ['A'] = 11, ['B'] = 12, ['C'] = 13, ['D'] = 14, ['E'] = 15,
    ['F'] = 16,
};

/* Bytes a string scan must look at: '"', '\\', controls, non-ASCII. */
static inline uint64_t special_bytes(uint64_t w)
{
    uint64_t quote = w ^ (WORD_ONES * '"');
    uint64_t bslash = w ^ (WORD_ONES * '\\');
    uint64_t t = ((quote - WORD_ONES) & ~quote) | ((bslash - WORD_ONES) & ~bslash) |
                 (w - WORD_ONES * 0x20) | w;
    /* the control test (w - 0x20) has false positives only after a real hit
     * (borrow), and the first set high bit is always a real one */
    return t & WORD_HIGH;
}

/* Scan the string whose opening quote is at q. On success returns the
 * position of the closing quote and sets *escapes. On error reports and
 * returns NULL. */
static const unsigned char *scan_string(parser *ps, const unsigned char *q, int *escapes,
                                        int in_child)
{
    const unsigned char *p = q + 1, *end = ps->end;
    int esc = 0;
    for (;;) {
        while (end - p >= 8) {
            uint64_t s = special_bytes(load8(p));
            if (s) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
                p += __builtin_clzll(s) >> 3;
#else
                p += __builtin_ctzll(s) >> 3;
#endif
                break;
            }
            p += 8;
        }
        if (p >= end)
            break;
        unsigned c = *p;
        if (c == '"') {
            *escapes = esc;
            return p;
        }
        if (c == '\\') {
            esc = 1;
            if (end - p < 2)
                break;
            switch (p[1]) {
            case '"': case '\\': case '/': case 'b': case 'f': case 'n': case 'r': case 't':
                p += 2;
                continue;
            case 'u':
                if (end - p < 6 || !hexval[p[2]] || !hexval[p[3]] || !hexval[p[4]] ||
                    !hexval[p[5]]) {
                    report(ps, p, "json.parse", in_child,
                           "invalid \\u escape in string: expected 4 hexadecimal digits");
                    return NULL;
                }
                p += 6;
                continue;
            default:
                if (p[1] >= 0x80 && !utf8_len(p + 1, end)) {
                    report_utf8(ps, p + 1, in_child);
                } else if (p[1] >= 0x20 && p[1] < 0x7F) {
                    report(ps, p, "json.parse", in_child, "invalid escape '\\%c' in string",
                           p[1]);
                } else {
                    report(ps, p, "json.parse", in_child, "invalid escape in string");
                }
                return NULL;
            }
        }
        if (c < 0x20) {
            if (c == '\n' || c == '\r')
                report(ps, p, "json.parse", in_child,
                       "unterminated string (line break before the closing quote)");
            else
                report(ps, p, "json.parse", in_child,
                       "unescaped control character U+%04X in string", c);
            return NULL;
        }
        if (c < 0x80) { /* false positive of the word test */
            p++;
            continue;
        }
        int n = utf8_len(p, end);
        if (!n) {
            report_utf8(ps, p, in_child);
            return NULL;
        }
        p += n;
    }
    report(ps, q, "json.parse", in_child, "unterminated string");
    return NULL;
}

static inline unsigned hex4(const unsigned char *p)
{
    return ((unsigned)(hexval[p[0]] - 1) << 12) | ((unsigned)(hexval[p[1]] - 1) << 8) |
           ((unsigned)(hexval[p[2]] - 1) << 4) | (unsigned)(hexval[p[3]] - 1);
}

static inline char *put_utf8(char *d, uint32_t cp)
{
    if (cp < 0x80) {
        *d++ = (char)cp;
    } else if (cp < 0x800) {
        *d++ = (char)(0xC0 | (cp >> 6));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        *d++ = (char)(0xE0 | (cp >> 12));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    } else {
        *d++ = (char)(0xF0 | (cp >> 18));
        *d++ = (char)(0x80 | ((cp >> 12) & 0x3F));
        *d++ = (char)(0x80 | ((cp >> 6) & 0x3F));
        *d++ = (char)(0x80 | (cp & 0x3F));
    }
    return d;
}

/* Decode the (already validated) escaped string body s[0..e) into d.
 * Returns the decoded length; sets string flags. */
static size_t decode_escapes(char *dst, const unsigned char *s, const unsigned char *e,
                             uint8_t *flags)
{
    char *d = dst;
    while (s < e) {
        const unsigned char *bs = memchr(s, '\\', (size_t)(e - s));
        if (!bs) {
            memcpy(d, s, (size_t)(e - s));
            d += e - s;
            break;
        }
        memcpy(d, s, (size_t)(bs - s));
        d += bs - s;
        s = bs + 2;
        switch (bs[1]) {
        case 'b': *d++ = '\b'; break;
        case 'f': *d++ = '\f'; break;
        case 'n': *d++ = '\n'; break;
        case 'r': *d++ = '\r'; break;
        case 't': *d++ = '\t'; break;
        case 'u': {
            uint32_t cp = hex4(s);
            s += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && e - s >= 6 && s[0] == '\\' && s[1] == 'u') {
                uint32_t lo = hex4(s + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    s += 6;
                }
            }
            if (cp >= 0xD800 && cp <= 0xDFFF)
                *flags |= CHUANP_JSTR_LONE_SURROGATE;
            else if (cp == 0)
                *flags |= CHUANP_JSTR_NUL;
            d = put_utf8(d, cp);
            break;
        }
        default: *d++ = (char)bs[1]; break; /* " \ / */
        }
    }
    *d = '\0';
    return (size_t)(d - dst);
}

/* Parse the string value whose opening quote is at ps->p. */
static chuanp_jv *parse_string_value(parser *ps, int in_child)
{
    const unsigned char *q = ps->p;
    int esc;
    const unsigned char *close = scan_string(ps, q, &esc, in_child);
    if (!close)
        return NULL;
    size_t raw = (size_t)(close - q - 1);
    chuanp_jv *v = node_alloc(ps, sizeof *v + raw + 1);
    if (!v) {
        oom(ps);
        return NULL;
    }
    char *text = (char *)(v + 1);
    v->type = CHUANP_JSTRING;
    v->flags = 0;
    set_pos(ps, q, &v->line, &v->column, &v->offset);
    if (esc) {
        v->u.str.len = decode_escapes(text, q + 1, close, &v->flags);
    } else {
        memcpy(text, q + 1, raw);
        text[raw] = '\0';
        v->u.str.len = raw;
    }
    v->u.str.text = text;
    ps->p = close + 1;
    return v;
}

static int parse_key(parser *ps, chuanp_jmember *m)
{
    const unsigned char *q = ps->p;
    int esc;
    const unsigned char *close = scan_string(ps, q, &esc, 0);
    if (!close)
        return -1;
    size_t raw = (size_t)(close - q - 1);
    char *text = node_alloc(ps, raw + 1);
    if (!text)
        return oom(ps);
    set_pos(ps, q, &m->key_line, &m->key_column, &m->key_offset);
    if (esc) {
        uint8_t flags = 0;
        m->key_len = decode_escapes(text, q + 1, close, &flags);
    } else {
        memcpy(text, q + 1, raw);
        text[raw] = '\0';
        m->key_len = raw;
    }
    m->key = text;
    m->value = NULL;
    ps->p = close + 1;
    return 0;
}

/* -------------------------------------------------------- numbers, literals */

static inline int is_digit(unsigned c)
{
    return c - '0' < 10u;
}

static chuanp_jv *parse_number(parser *ps)
{
    const unsigned char *s = ps->p, *p = s, *end = ps->end;
    uint8_t flags = CHUANP_JNUM_INT;
    if (*p == '-')
        p++;
    if (p == end || !is_digit(*p)) {
        fail_at(ps, p, 1, "invalid number: expected a digit after '-'");
        return NULL;
    }
    if (*p == '0') {
        p++;
        if (p < end && is_digit(*p)) {
            report(ps, p, "json.parse", 1, "invalid number: leading zeros are not allowed");
            return NULL;
        }
    } else {
        while (p < end && is_digit(*p))
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end || !is_digit(*p)) {
            fail_at(ps, p, 1, "invalid number: expected a digit after '.'");
            return NULL;
        }
        while (p < end && is_digit(*p))
            p++;
        flags = 0;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || !is_digit(*p)) {
            fail_at(ps, p, 1, "invalid number: expected a digit in the exponent");
            return NULL;
        }
        while (p < end && is_digit(*p))
            p++;
        flags = 0;
    }
    size_t len = (size_t)(p - s);
    chuanp_jv *v = node_alloc(ps, sizeof *v + len + 1);
    if (!v) {
        oom(ps);
        return NULL;
    }
    char *text = (char *)(v + 1);
    memcpy(text, s, len);
    text[len] = '\0';
    v->type = CHUANP_JNUMBER;
    v->flags = flags;
    set_pos(ps, s, &v->line, &v->column, &v->offset);
    v->u.str.text = text;
    v->u.str.len = len;
    ps->p = p;
    return v;
}

static chuanp_jv *parse_literal(parser *ps, const char *word, size_t n, chuanp_jtype type)
{
    const unsigned char *p = ps->p;
    if ((size_t)(ps->end - p) < n || memcmp(p, word, n) != 0) {
        size_t i = 1;
        while (i < n && p + i < ps->end && p[i] == (unsigned char)word[i])
            i++;
        if (p + i >= ps->end)
            report(ps, p + i, "json.parse", 1, "unexpected end of input in literal '%s'", word);
        else
            report(ps, p, "json.parse", 1, "invalid literal (expected '%s')", word);
        return NULL;
    }
    chuanp_jv *v = node_alloc(ps, sizeof *v);
    if (!v) {
        oom(ps);
        return NULL;
    }
    memset(&v->u, 0, sizeof v->u);
    v->type = (uint8_t)type;
    v->flags = 0;
    set_pos(ps, p, &v->line, &v->column, &v->offset);
    ps->p = p + n;
    return v;
}

/* ------------------------------------------------------------ containers */

static inline int same_key(const chuanp_jmember *a, const chuanp_jmember *b)
{
    return a->key_len == b->key_len && chuanp_key_eq(a->key, b->key, a->key_len);
}

static void report_duplicate(parser *ps, const chuanp_jmember *first, const chuanp_jmember *dup)
{
    chuanp_buf key, path;
    chuanp_buf_init(&key, 0);
    chuanp_buf_init(&path, 0);
    chuanp_json_write_string(&key, dup->key, dup->key_len, 0);
    build_path(ps, &path, 0);
    pointer_append(&path, dup->key, dup->key_len);
    chuan_diag d;
    memset(&d, 0, sizeof d);
    d.severity = CHUAN_SEV_ERROR;
    d.code = "json.duplicate-key";
    d.file = ps->opts->file;
    d.line = (long)dup->key_line;
    d.column = (long)dup->key_column;
    d.offset = (long long)dup->key_offset;
    d.path = path.data;
    int rc = -1;
    if (!ps->diags)
        rc = 0;
    else if (!key.err && !path.err)
        rc = chuan_diags_addf(ps->diags, &d, "duplicate key %s (first occurrence at %lu:%lu)",
                              key.data, (unsigned long)first->key_line,
                              (unsigned long)first->key_column);
    chuanp_buf_free(&key);
    chuanp_buf_free(&path);
    if (rc < 0)
        ps->failed = -1;
    ps->dups++;
}

static int check_duplicates(parser *ps, const chuanp_jmember *m, size_t n)
{
    if (n < 2)
        return 0;
    if (n <= SMALL_OBJECT) {
        for (size_t j = 1; j < n; j++)
            for (size_t i = 0; i < j; i++)
                if (same_key(&m[i], &m[j])) {
                    report_duplicate(ps, &m[i], &m[j]);
                    break;
                }
        return 0;
    }
    size_t cap = 64;
    while (cap < n * 2)
        cap *= 2;
    if (cap > ps->table_cap) {
        chuanp_free(ps->table);
        ps->table = chuanp_malloc(cap * sizeof *ps->table);
        ps->table_cap = ps->table ? cap : 0;
        if (!ps->table)
            return oom(ps);
    }
    memset(ps->table, 0, cap * sizeof *ps->table);
    size_t mask = cap - 1;
    for (size_t j = 0; j < n; j++) {
        size_t h = chuanp_key_hash(m[j].key, m[j].key_len) & mask;
        for (;;) {
            uint32_t slot = ps->table[h];
            if (!slot) {
                ps->table[h] = (uint32_t)(j + 1);
                break;
            }
            if (same_key(&m[slot - 1], &m[j])) {
                report_duplicate(ps, &m[slot - 1], &m[j]);
                break;
            }
            h = (h + 1) & mask;
        }
    }
    return 0;
}

static chuanp_jv *open_container(parser *ps, chuanp_jtype type)
{
    if (ps->nframes >= ps->max_depth) {
        report(ps, ps->p, "json.depth", 1, "nesting depth exceeds the limit of %zu",
               ps->max_depth);
        return NULL;
    }
    chuanp_jv *v = node_alloc(ps, sizeof *v);
    if (!v) {
        oom(ps);
        return NULL;
    }
    memset(&v->u, 0, sizeof v->u);
    v->type = (uint8_t)type;
    v->flags = 0;
    set_pos(ps, ps->p, &v->line, &v->column, &v->offset);
    if (ps->nframes == ps->cap_frames &&
        grow((void **)&ps->frames, &ps->cap_frames, sizeof *ps->frames, &ps->heap_frames) < 0) {
        oom(ps);
        return NULL;
    }
    frame *f = &ps->frames[ps->nframes++];
    f->v = v;
    f->base = type == CHUANP_JARRAY ? ps->nvals : ps->nmems;
    f->count = 0;
    ps->p++;
    return v;
}

/* Close the innermost container: copy its children into the arena. */
static chuanp_jv *close_container(parser *ps)
{
    frame *f = &ps->frames[ps->nframes - 1];
    chuanp_jv *v = f->v;
    if (v->type == CHUANP_JARRAY) {
        if (f->count) {
            chuanp_jv **items = node_alloc(ps, f->count * sizeof *items);
            if (!items) {
                oom(ps);
                return NULL;
            }
            memcpy(items, ps->vals + f->base, f->count * sizeof *items);
            v->u.arr.items = items;
            v->u.arr.count = f->count;
        }
        ps->nvals = f->base;
    } else {
        if (f->count) {
            chuanp_jmember *m = node_alloc(ps, f->count * sizeof *m);
            if (!m) {
                oom(ps);
                return NULL;
            }
            memcpy(m, ps->mems + f->base, f->count * sizeof *m);
            v->u.obj.members = m;
            v->u.obj.count = f->count;
            if (!ps->opts->allow_duplicates && check_duplicates(ps, m, f->count) < 0)
                return NULL;
        }
        ps->nmems = f->base;
    }
    ps->nframes--;
    ps->p++;
    return v;
}

/* Read `"key" :` at ps->p (whitespace before the key already skipped). */
static int member_key(parser *ps, const char *what)
{
    if (ps->p >= ps->end || *ps->p != '"') {
        unexpected(ps, ps->p, 0, what);
        return -1;
    }
    chuanp_jmember *m = push_mem(ps);
    if (!m || parse_key(ps, m) < 0)
        return -1;
    ps->frames[ps->nframes - 1].count++;
    skip_ws(ps);
    if (ps->p >= ps->end || *ps->p != ':') {
        unexpected(ps, ps->p, 0, "expected ':' after object key");
        return -1;
    }
    ps->p++;
    return 0;
}

/* ------------------------------------------------------------------ parse */

static chuanp_jv *parse_document(parser *ps)
{
    chuanp_jv *v;
    for (;;) {
        /* a value */
        skip_ws(ps);
        if (ps->p >= ps->end) {
            unexpected(ps, ps->p, 1, "expected a JSON value");
            return NULL;
        }
        switch (*ps->p) {
        case '"':
            v = parse_string_value(ps, 1);
            break;
        case '{':
            if (!open_container(ps, CHUANP_JOBJECT))
                return NULL;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == '}') {
                v = close_container(ps);
                break;
            }
            if (member_key(ps, "expected a string key or '}' after '{'") < 0)
                return NULL;
            continue;
        case '[':
            if (!open_container(ps, CHUANP_JARRAY))
                return NULL;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ']') {
                v = close_container(ps);
                break;
            }
            continue;
        case 't':
            v = parse_literal(ps, "true", 4, CHUANP_JTRUE);
            break;
        case 'f':
            v = parse_literal(ps, "false", 5, CHUANP_JFALSE);
            break;
        case 'n':
            v = parse_literal(ps, "null", 4, CHUANP_JNULL);
            break;
        case '-': case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            v = parse_number(ps);
            break;
        default:
            unexpected(ps, ps->p, 1, "expected a JSON value");
            return NULL;
        }
        /* v is complete: attach it to the open containers */
        for (;;) {
            if (!v)
                return NULL;
            if (ps->nframes == 0)
                return v;
            frame *f = &ps->frames[ps->nframes - 1];
            if (f->v->type == CHUANP_JARRAY) {
                if (push_val(ps, v) < 0)
                    return NULL;
                f->count++;
                skip_ws(ps);
                if (ps->p < ps->end && *ps->p == ',') {
                    ps->p++;
                    break; /* next element */
                }
                if (ps->p < ps->end && *ps->p == ']') {
                    v = close_container(ps);
                    continue;
                }
                unexpected(ps, ps->p, 0, "expected ',' or ']' after array element");
                return NULL;
            }
            ps->mems[ps->nmems - 1].value = v;
            skip_ws(ps);
            if (ps->p < ps->end && *ps->p == ',') {
                ps->p++;
                skip_ws(ps);
                if (member_key(ps, "expected a string key after ',' in object") < 0)
                    return NULL;
                break; /* member value */
            }
            if (ps->p < ps->end && *ps->p == '}') {
                v = close_container(ps);
                continue;
            }
            unexpected(ps, ps->p, 0, "expected ',' or '}' after object member");
            return NULL;
        }
    }
}

const char *chuanp_jtype_name(chuanp_jtype t)
{
    switch (t) {
    case CHUANP_JNULL: return "null";
    case CHUANP_JFALSE:
    case CHUANP_JTRUE: return "boolean";
    case CHUANP_JNUMBER: return "number";
    case CHUANP_JSTRING: return "string";
    case CHUANP_JARRAY: return "array";
    case CHUANP_JOBJECT: return "object";
    }
    return "unknown";
}

/* As chuanp_json_parse; *used (when not NULL) is the number of bytes consumed, including the
 * whitespace after the value. */
static int json_parse_ex(chuanp_jv **out, size_t *used, const char *buf, size_t len,
                         const chuanp_json_opts *opts, chuanp_arena *arena, chuan_diags *diags)
{
    static const chuanp_json_opts defaults;
    frame frames0[64];
    chuanp_jv *vals0[256];
    chuanp_jmember mems0[128];
    parser ps;
    chuanp_jv *root = NULL;
    int rc;

    memset(&ps, 0, sizeof ps);
    ps.opts = opts ? opts : &defaults;
    ps.buf = ps.p = (const unsigned char *)buf;
    ps.end = ps.buf + len;
    ps.arena = arena;
    ps.diags = diags;
    ps.max_depth = ps.opts->max_depth ? ps.opts->max_depth : CHUANP_JSON_DEFAULT_DEPTH;
    if (ps.max_depth > CHUANP_JSON_MAX_DEPTH)
        ps.max_depth = CHUANP_JSON_MAX_DEPTH;
    ps.line = 1;
    ps.line_start = ps.col_at = ps.buf;
    ps.col = 1;
    ps.frames = frames0;
    ps.cap_frames = sizeof frames0 / sizeof *frames0;
    ps.vals = vals0;
    ps.cap_vals = sizeof vals0 / sizeof *vals0;
    ps.mems = mems0;
    ps.cap_mems = sizeof mems0 / sizeof *mems0;

    if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0) {
        if (!ps.opts->allow_bom) {
            report(&ps, ps.p, "json.parse", 0,
                   "unexpected byte order mark (U+FEFF) at the start of the input");
            goto out;
        }
        ps.p += 3;
        ps.line_start = ps.col_at = ps.p; /* the BOM takes no column */
    }
    root = parse_document(&ps);
    if (!root)
        goto out;
    skip_ws(&ps);
    if (!ps.opts->allow_trailing && ps.p < ps.end) {
        if (*ps.p >= 0x80 && !utf8_len(ps.p, ps.end))
            report_utf8(&ps, ps.p, 0);
        else
            report(&ps, ps.p, "json.parse", 0, "trailing characters after the JSON value");
        root = NULL;
    }
out:
    if (ps.heap_frames)
        chuanp_free(ps.frames);
    if (ps.heap_vals)
        chuanp_free(ps.vals);
    if (ps.heap_mems)
        chuanp_free(ps.mems);
    chuanp_free(ps.table);
    if (ps.failed < 0)
        rc = -1;
    else if (ps.failed > 0 || !root)
        rc = 1;
    else
        rc = ps.dups ? 1 : 0;
    if (rc < 0 || ps.failed)
        root = NULL;
    *out = root;
    if (used)
        *used = (size_t)(ps.p - ps.buf);
    return rc;
}

int chuanp_json_parse(chuanp_jv **out, const char *buf, size_t len,
                      const chuanp_json_opts *opts, chuanp_arena *arena, chuan_diags *diags)
{
    return json_parse_ex(out, NULL, buf, len, opts, arena, diags);
}
