/*
 * converters/json_write.c - the JSON writer: compact or indented output,
 * exact number text, minimal escaping (", \, controls), optional \uXXXX
 * escaping of non-ASCII. WTF-8 lone surrogates (ED A0..BF xx, kept by the
 * reader for a lone \uD800-\uDFFF escape) are written back as \uXXXX, so a
 * JSON -> JSON round trip is exact.
 */
#include "json.h"

#include <string.h>

static const char hex[] = "0123456789abcdef";

/* 1: byte needs attention in a string (", \, control, non-ASCII). */
static const unsigned char needs_work[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
};

/* Without \uXXXX escaping of non-ASCII, UTF-8 is copied through in runs:
 * only ", \, controls and 0xED (the lead byte of a possible WTF-8 lone
 * surrogate) need a look. */
static const unsigned char needs_work_utf8[256] = {
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
    0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0,
    0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

static void put_u(chuanp_buf *b, unsigned cp)
{
    char u[6] = {'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
                 hex[cp & 15]};
    chuanp_buf_append(b, u, 6);
}

/* Length of a UTF-8 sequence (or WTF-8 surrogate) at s, decoding *cp;
 * 0 for bytes that are not UTF-8 (written through unchanged). */
static int seq_decode(const unsigned char *s, size_t avail, uint32_t *cp)
{
    unsigned c = s[0];
    if (c >= 0xE0 && c < 0xF0 && avail >= 3 && (s[1] & 0xC0) == 0x80 &&
        (s[2] & 0xC0) == 0x80) {
        *cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return *cp >= 0x800 ? 3 : 0;
    }
    return chuanp_utf8_decode(s, avail, cp);
}

/* Eight bytes at a time: does any of them need a look? (The classic
 * "has a zero byte" and "has a byte less than n" tests: exact as yes/no.) */
#define ONES 0x0101010101010101ull
#define HIGHS 0x8080808080808080ull
static inline uint64_t has_zero(uint64_t x)
{
    return (x - ONES) & ~x & HIGHS;
}

static inline int word_needs_work(uint64_t x, int ascii)
{
    uint64_t m = ((x - ONES * 0x20) & ~x & HIGHS) | has_zero(x ^ (ONES * '"')) |
                 has_zero(x ^ (ONES * '\\'));
    m |= ascii ? (x & HIGHS) : has_zero(x ^ (ONES * 0xED));
    return m != 0;
}

void chuanp_json_write_string(chuanp_buf *b, const char *str, size_t len, int ascii)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    const unsigned char *work = ascii ? needs_work : needs_work_utf8;
    chuanp_buf_reserve(b, len + 2);
    chuanp_buf_putc(b, '"');
    while (s < end) {
        const unsigned char *run = s;
        for (uint64_t x; end - s >= 8; s += 8) {
            memcpy(&x, s, 8);
            if (word_needs_work(x, ascii))
                break;
        }
        while (s < end && !work[*s])
            s++;
        if (s > run)
            chuanp_buf_append(b, run, (size_t)(s - run));
        if (s >= end)
            break;
        unsigned c = *s;
        if (c < 0x80) {
            if (chuanp_buf_reserve(b, 6) == 0)
                b->len = (size_t)(chuanp_json_put_escape(b->data + b->len, (unsigned char)c) - b->data);
            s++;
            continue;
        }
        uint32_t cp;
        int n = seq_decode(s, (size_t)(end - s), &cp);
        if (n == 0) { /* not UTF-8: pass the byte through */
            chuanp_buf_putc(b, (char)c);
            s++;
            continue;
        }
        if (cp >= 0xD800 && cp <= 0xDFFF) {
            put_u(b, cp);
        } else if (ascii) {
            if (cp >= 0x10000) {
                put_u(b, 0xD800 + ((cp - 0x10000) >> 10));
                put_u(b, 0xDC00 + ((cp - 0x10000) & 0x3FF));
            } else {
                put_u(b, cp);
            }
        } else {
            chuanp_buf_append(b, s, (size_t)n);
        }
        s += n;
    }
    chuanp_buf_putc(b, '"');
}

char *chuanp_json_put_string(char *o, const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    *o++ = '"';
    while (s < end) {
        for (uint64_t x; end - s >= 8; s += 8) {
            memcpy(&x, s, 8);
            if (word_needs_work(x, 0))
                break;
            memcpy(o, s, 8);
            o += 8;
        }
        if (s >= end)
            break;
        unsigned c = *s++;
        if (c >= 0x20 && c != '"' && c != '\\')
            *o++ = (char)c;
        else
            o = chuanp_json_put_escape(o, (unsigned char)c);
    }
    *o++ = '"';
    return o;
}

char *chuanp_json_put_escape(char *o, unsigned char c)
{
    *o++ = '\\';
    switch (c) {
    case '"': *o++ = '"'; break;
    case '\\': *o++ = '\\'; break;
    case '\n': *o++ = 'n'; break;
    case '\r': *o++ = 'r'; break;
    case '\t': *o++ = 't'; break;
    case '\b': *o++ = 'b'; break;
    case '\f': *o++ = 'f'; break;
    default:
        memcpy(o, "u00", 3);
        o[3] = hex[c >> 4];
        o[4] = hex[c & 15];
        o += 5;
        break;
    }
    return o;
}

static void newline_indent(chuanp_buf *b, int indent, int level)
{
    static const char spaces[] = "                                ";
    chuanp_buf_putc(b, '\n');
    size_t n = (size_t)indent * (size_t)level;
    while (n > 0) {
        size_t k = n < sizeof spaces - 1 ? n : sizeof spaces - 1;
        chuanp_buf_append(b, spaces, k);
        n -= k;
    }
}

static void write_value(chuanp_buf *b, const chuanp_jv *v, int indent, int ascii, int level)
{
    if (b->err)
        return;
    if (!v) { /* a hole left by a caller: keep the output valid JSON */
        chuanp_buf_append(b, "null", 4);
        return;
    }
    switch ((chuanp_jtype)v->type) {
    case CHUANP_JNULL:
        chuanp_buf_append(b, "null", 4);
        break;
    case CHUANP_JFALSE:
        chuanp_buf_append(b, "false", 5);
        break;
    case CHUANP_JTRUE:
        chuanp_buf_append(b, "true", 4);
        break;
    case CHUANP_JNUMBER:
        chuanp_buf_append(b, v->u.str.text, v->u.str.len);
        break;
    case CHUANP_JSTRING:
        chuanp_json_write_string(b, v->u.str.text, v->u.str.len, ascii);
        break;
    case CHUANP_JARRAY:
        chuanp_buf_putc(b, '[');
        for (size_t i = 0; i < v->u.arr.count; i++) {
            if (i)
                chuanp_buf_putc(b, ',');
            if (indent)
                newline_indent(b, indent, level + 1);
            write_value(b, v->u.arr.items[i], indent, ascii, level + 1);
        }
        if (indent && v->u.arr.count)
            newline_indent(b, indent, level);
        chuanp_buf_putc(b, ']');
        break;
    case CHUANP_JOBJECT:
        chuanp_buf_putc(b, '{');
        for (size_t i = 0; i < v->u.obj.count; i++) {
            const chuanp_jmember *m = &v->u.obj.members[i];
            if (i)
                chuanp_buf_putc(b, ',');
            if (indent)
                newline_indent(b, indent, level + 1);
            chuanp_json_write_string(b, m->key, m->key_len, ascii);
            if (indent)
                chuanp_buf_append(b, ": ", 2);
            else
                chuanp_buf_putc(b, ':');
            write_value(b, m->value, indent, ascii, level + 1);
        }
        if (indent && v->u.obj.count)
            newline_indent(b, indent, level);
        chuanp_buf_putc(b, '}');
        break;
    }
}

void chuanp_json_write(chuanp_buf *out, const chuanp_jv *v, const chuanp_json_write_opts *opts)
{
    int indent = opts && opts->indent > 0 ? opts->indent : 0;
    int level = opts && opts->level > 0 ? opts->level : 0;
    if (indent > 16)
        indent = 16;
    write_value(out, v, indent, opts ? opts->ascii : 0, level);
}
