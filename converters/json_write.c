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

void chuanp_json_write_string(chuanp_buf *b, const char *str, size_t len, int ascii)
{
    const unsigned char *s = (const unsigned char *)str, *end = s + len;
    const unsigned char *work = ascii ? needs_work : needs_work_utf8;
    chuanp_buf_reserve(b, len + 2);
    chuanp_buf_putc(b, '"');
    while (s < end) {
        const unsigned char *run = s;
        while (s < end && !work[*s])
            s++;
        if (s > run)
            chuanp_buf_append(b, run, (size_t)(s - run));
        if (s >= end)
            break;
        unsigned c = *s;
        if (c < 0x80) {
            switch (c) {
            case '"': chuanp_buf_append(b, "\\\"", 2); break;
            case '\\': chuanp_buf_append(b, "\\\\", 2); break;
            case '\n': chuanp_buf_append(b, "\\n", 2); break;
            case '\r': chuanp_buf_append(b, "\\r", 2); break;
            case '\t': chuanp_buf_append(b, "\\t", 2); break;
            case '\b': chuanp_buf_append(b, "\\b", 2); break;
            case '\f': chuanp_buf_append(b, "\\f", 2); break;
            default: put_u(b, c); break;
            }
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
