/* core/buf.c - growable byte buffer with a sticky error and a size cap. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

#define BIG_GROW_FROM ((size_t)128 << 10)

void chuanp_buf_init(chuanp_buf *b, size_t limit)
{
    memset(b, 0, sizeof *b);
    b->limit = limit;
}

void chuanp_buf_init_big(chuanp_buf *b)
{
    chuanp_buf_init(b, 0);
    b->big = 1;
}

void chuanp_buf_free(chuanp_buf *b)
{
    if (!b)
        return;
    if (b->big)
        chuanp_big_free(b->data, b->cap);
    else
        chuanp_free(b->data);
    memset(b, 0, sizeof *b);
}

void chuanp_buf_reset(chuanp_buf *b)
{
    b->len = 0;
    b->err = 0;
    if (b->data)
        b->data[0] = '\0';
}

int chuanp_buf_reserve(chuanp_buf *b, size_t extra)
{
    if (b->err)
        return -1;
    if (extra > SIZE_MAX - b->len - 1) {
        b->err = 1;
        return -1;
    }
    size_t need = b->len + extra + 1;
    if (b->limit && need > b->limit + 1) {
        b->err = 2;
        return -1;
    }
    if (need <= b->cap)
        return 0;
    size_t cap = b->cap ? b->cap : 256;
    if (b->big && need >= BIG_GROW_FROM) {
        /* to what is needed or by a quarter, not to the next power of two:
         * a chunk's output of 1.1 MiB takes 1.1 MiB, not a 2 MiB huge page
         * (large blocks often grow in place: core/big_block.c) */
        cap = need - cap < cap / 4 ? cap + cap / 4 : need;
    } else {
        while (cap < need)
            cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    }
    char *p;
    if (b->big) {
        size_t have = b->cap; /* grown to at least cap: the capacity it got */
        p = chuanp_big_grow(b->data, b->data ? b->len + 1 : 0, cap, &have);
        cap = have;
    } else {
        p = chuanp_realloc(b->data, cap);
    }
    if (!p) {
        b->err = 1;
        return -1;
    }
    b->data = p;
    b->cap = cap;
    b->data[b->len] = '\0'; /* keep the "always NUL-terminated" promise for a new buffer */
    return 0;
}

void chuanp_buf_append_slow(chuanp_buf *b, const void *data, size_t len)
{
    if (chuanp_buf_reserve(b, len) < 0)
        return;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
}

void chuanp_buf_puts(chuanp_buf *b, const char *s)
{
    chuanp_buf_append(b, s, strlen(s));
}

void chuanp_buf_putc_slow(chuanp_buf *b, char c)
{
    chuanp_buf_append_slow(b, &c, 1);
}

void chuanp_buf_vprintf(chuanp_buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    /* one pass when the text fits in the spare capacity (the usual case): the size is only
     * asked for separately when the buffer must grow */
    size_t spare = b->data && !b->err ? b->cap - b->len : 0;
    int n = vsnprintf(spare ? b->data + b->len : NULL, spare, fmt, ap2);
    va_end(ap2);
    if (n >= 0 && spare && (size_t)n < spare) {
        if (b->limit && b->len + (size_t)n > b->limit) {
            b->data[b->len] = '\0';
            b->err = 2;
            return;
        }
        b->len += (size_t)n;
        return;
    }
    if (spare)
        b->data[b->len] = '\0';
    if (n < 0) {
        b->err = 1;
        return;
    }
    if (chuanp_buf_reserve(b, (size_t)n) < 0)
        return;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
}

void chuanp_buf_printf(chuanp_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

void chuanp_buf_json_string(chuanp_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789abcdef";
    chuanp_buf_putc(b, '"');
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        const char *esc = NULL;
        char u[6];
        switch (c) {
        case '"': esc = "\\\""; break;
        case '\\': esc = "\\\\"; break;
        case '\n': esc = "\\n"; break;
        case '\r': esc = "\\r"; break;
        case '\t': esc = "\\t"; break;
        case '\b': esc = "\\b"; break;
        case '\f': esc = "\\f"; break;
        default:
            if (c < 0x20) {
                u[0] = '\\'; u[1] = 'u'; u[2] = '0'; u[3] = '0';
                u[4] = hex[c >> 4]; u[5] = hex[c & 15];
                chuanp_buf_append(b, s + i - run, run);
                run = 0;
                chuanp_buf_append(b, u, 6);
                continue;
            }
            run++;
            continue;
        }
        chuanp_buf_append(b, s + i - run, run);
        run = 0;
        chuanp_buf_puts(b, esc);
    }
    chuanp_buf_append(b, s + len - run, run);
    chuanp_buf_putc(b, '"');
}

void chuanp_buf_xml_escape(chuanp_buf *b, const char *s, size_t len, int attr)
{
    size_t run = 0;
    for (size_t i = 0; i < len; i++) {
        const char *esc = NULL;
        switch (s[i]) {
        case '&': esc = "&amp;"; break;
        case '<': esc = "&lt;"; break;
        case '>': esc = "&gt;"; break;
        case '"': esc = attr ? "&quot;" : NULL; break;
        case '\n': esc = attr ? "&#10;" : NULL; break;
        case '\r': esc = "&#13;"; break;
        case '\t': esc = attr ? "&#9;" : NULL; break;
        default: break;
        }
        if (!esc) {
            run++;
            continue;
        }
        chuanp_buf_append(b, s + i - run, run);
        run = 0;
        chuanp_buf_puts(b, esc);
    }
    chuanp_buf_append(b, s + len - run, run);
}

char *chuanp_buf_steal(chuanp_buf *b, size_t *len)
{
    if (b->err) {
        chuanp_buf_free(b);
        return NULL;
    }
    if (b->big) {
        /* the caller frees with chuanp_free: an ordinary copy */
        char *c = chuanp_malloc(b->len + 1);
        if (c) {
            if (b->data)
                memcpy(c, b->data, b->len);
            c[b->len] = '\0';
            if (len)
                *len = b->len;
        }
        chuanp_buf_free(b);
        return c;
    }
    if (!b->data && chuanp_buf_reserve(b, 0) < 0)
        return NULL;
    char *d = b->data;
    if (len)
        *len = b->len;
    memset(b, 0, sizeof *b);
    return d;
}

size_t chuanp_buf_drain(const chuanp_buf *b, size_t *pos, char *dst, size_t size)
{
    size_t k = b->len - *pos;
    if (k > size)
        k = size;
    if (k)
        memcpy(dst, b->data + *pos, k);
    *pos += k;
    return k;
}
