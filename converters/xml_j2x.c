/* converters/xml_j2x.c - state shared by the JSON -> XML mappings: JSON
 * Pointer of the value being written, diagnostics, indentation. */
#include "xml_map.h"

#include <stdarg.h>
#include <string.h>

void chuanp_j2x_init(chuanp_j2x *c, chuanp_buf *out, const chuanp_convert_opts *o,
                     chuan_diags *d, long line)
{
    memset(c, 0, sizeof *c);
    c->out = out;
    c->o = o;
    c->d = d;
    c->line = line;
    chuanp_buf_init(&c->ptr, 0);
}

void chuanp_j2x_free(chuanp_j2x *c)
{
    if (c)
        chuanp_buf_free(&c->ptr);
}

int chuanp_j2x_fail(chuanp_j2x *c, const chuanp_jv *at, const char *code, const char *fmt, ...)
{
    /* the value's own position when the reader kept it, else the record's line */
    long line = at && at->line ? (long)at->line : c->line;
    long col = at && at->line ? (long)at->column : 0;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = c->o->file,
                    .line = line, .column = col, .offset = -1,
                    .path = c->ptr.len ? c->ptr.data : ""};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(c->d, &g, fmt, ap);
    va_end(ap);
    return 1;
}

size_t chuanp_j2x_push_key(chuanp_j2x *c, const char *key, size_t len)
{
    size_t mark = c->ptr.len;
    chuanp_buf_putc(&c->ptr, '/');
    for (size_t i = 0; i < len; i++) {
        if (key[i] == '~')
            chuanp_buf_puts(&c->ptr, "~0");
        else if (key[i] == '/')
            chuanp_buf_puts(&c->ptr, "~1");
        else
            chuanp_buf_putc(&c->ptr, key[i]);
    }
    return mark;
}

size_t chuanp_j2x_push_index(chuanp_j2x *c, size_t i)
{
    size_t mark = c->ptr.len;
    chuanp_buf_printf(&c->ptr, "/%zu", i);
    return mark;
}

void chuanp_j2x_pop(chuanp_j2x *c, size_t mark)
{
    if (c->ptr.err)
        return;
    c->ptr.len = mark;
    if (c->ptr.data)
        c->ptr.data[mark] = '\0';
}

void chuanp_j2x_newline(chuanp_j2x *c)
{
    if (c->o->indent <= 0)
        return;
    chuanp_buf_putc(c->out, '\n');
    for (int i = 0; i < c->level * c->o->indent; i++)
        chuanp_buf_putc(c->out, ' ');
}

size_t chuanp_j2x_ns_mark(const chuanp_j2x *c)
{
    return c->nns;
}

void chuanp_j2x_ns_push(chuanp_j2x *c, const char *p, size_t len)
{
    if (c->nns < CHUANP_XML_MAX_DEPTH) {
        c->ns[c->nns] = p;
        c->ns_len[c->nns++] = len;
    }
}

void chuanp_j2x_ns_pop(chuanp_j2x *c, size_t mark)
{
    if (mark <= c->nns)
        c->nns = mark;
}

int chuanp_j2x_prefix_ok(const chuanp_j2x *c, const char *qname, size_t len)
{
    const char *colon = memchr(qname, ':', len);
    if (!colon)
        return 1;
    size_t pl = (size_t)(colon - qname);
    if (pl == 3 && memcmp(qname, "xml", 3) == 0)
        return 1;
    for (size_t i = c->nns; i > 0; i--)
        if (c->ns_len[i - 1] == pl && memcmp(c->ns[i - 1], qname, pl) == 0)
            return 1;
    return 0;
}
