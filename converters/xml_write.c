/*
 * converters/xml_write.c - the XML record writer.
 *
 * One document record becomes one XML document. A record stream (NDJSON
 * lines, CSV rows) becomes one wrapper element with one child per record:
 * with --record /A/B the wrapper is <A> and each record <B>; --wrapper
 * names the wrapper; the defaults are <records> and <record>. Each record
 * is built in memory first: a record that cannot be represented is
 * reported and nothing of it is written.
 */
#include "xml_map.h"

#include <stdlib.h>
#include <string.h>

typedef struct xml_writer {
    chuanp_writer base;
    const chuanp_convert_opts *o;
    chuanp_buf buf;
    int streaming;
    char *wrapper;   /* encoded element names */
    char *child;
} xml_writer;

static int flush_buf(xml_writer *w)
{
    if (w->buf.err)
        return -1;
    if (w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->base.out) != w->buf.len)
        return -1;
    chuanp_buf_reset(&w->buf);
    return ferror(w->base.out) ? -1 : 0;
}

static int writer_begin(chuanp_writer *base, int streaming)
{
    xml_writer *w = (xml_writer *)base;
    w->streaming = streaming;
    if (!streaming)
        return 0; /* a document is written whole by writer_write, or not at all */
    chuanp_buf_puts(&w->buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    chuanp_buf_printf(&w->buf, "<%s>", w->wrapper);
    return flush_buf(w);
}

static int writer_write(chuanp_writer *base, const chuanp_record *rec, chuan_diags *d)
{
    xml_writer *w = (xml_writer *)base;
    chuanp_j2x c;
    chuanp_buf_reset(&w->buf);
    chuanp_j2x_init(&c, &w->buf, w->o, d, rec->line);
    int rc;
    if (w->streaming) {
        c.level = 1;
        if (w->o->mapping != CHUANP_MAP_SIMPLE || w->o->indent <= 0) {
            /* the simple mapping starts its own indented line */
            chuanp_buf_putc(&w->buf, '\n');
            for (int i = 0; i < w->o->indent; i++)
                chuanp_buf_putc(&w->buf, ' ');
        }
        switch (w->o->mapping) {
        case CHUANP_MAP_JSONML: rc = chuanp_jsonml_to_xml(&c, rec->value); break;
        case CHUANP_MAP_W3C: rc = chuanp_w3c_to_xml(&c, rec->value, NULL, 0, 1); break;
        default:
            c.level = 1;
            rc = chuanp_simple_to_xml(&c, w->child, strlen(w->child), rec->value);
            break;
        }
    } else {
        chuanp_buf_puts(&w->buf, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        switch (w->o->mapping) {
        case CHUANP_MAP_JSONML: rc = chuanp_jsonml_to_xml(&c, rec->value); break;
        case CHUANP_MAP_W3C: rc = chuanp_w3c_to_xml(&c, rec->value, NULL, 0, 1); break;
        default:
            rc = chuanp_simple_doc_to_xml(&c, rec->value,
                                          w->o->record_wrapper ? w->o->record_wrapper : "root");
            break;
        }
        chuanp_buf_putc(&w->buf, '\n');
    }
    if (c.ptr.err || w->buf.err)
        rc = -1;
    chuanp_j2x_free(&c);
    if (rc != 0) {
        chuanp_buf_reset(&w->buf);
        return rc;
    }
    return flush_buf(w);
}

static int writer_end(chuanp_writer *base)
{
    xml_writer *w = (xml_writer *)base;
    if (w->streaming)
        chuanp_buf_printf(&w->buf, "\n</%s>\n", w->wrapper);
    if (flush_buf(w) < 0 || fflush(w->base.out) != 0)
        return -1;
    return 0;
}

static void writer_free(chuanp_writer *base)
{
    xml_writer *w = (xml_writer *)base;
    if (!w)
        return;
    chuanp_buf_free(&w->buf);
    chuanp_free(w->wrapper);
    chuanp_free(w->child);
    chuanp_free(w);
}

static const struct chuanp_writer_ops xml_writer_ops = {writer_begin, writer_write, writer_end,
                                                        writer_free};

static char *encoded(const char *s, size_t len)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_xml_encode_name(&b, s, len);
    return chuanp_buf_steal(&b, NULL);
}

/* Wrapper and child names from --wrapper / --record /A/B. */
static int names_from_opts(xml_writer *w, const chuanp_convert_opts *o)
{
    const char *wrapper = "records", *child = "record";
    size_t wl = strlen(wrapper), cl = strlen(child);
    const char *p = o->record_path;
    if (p && *p) {
        const char *end = p + strlen(p);
        while (end > p && end[-1] == '/')
            end--;
        const char *last = end;
        while (last > p && last[-1] != '/')
            last--;
        if (last < end) {
            child = last;
            cl = (size_t)(end - last);
        }
        const char *pend = last;
        while (pend > p && pend[-1] == '/')
            pend--;
        const char *parent = pend;
        while (parent > p && parent[-1] != '/')
            parent--;
        if (parent < pend) {
            wrapper = parent;
            wl = (size_t)(pend - parent);
        }
    }
    if (o->record_wrapper) {
        wrapper = o->record_wrapper;
        wl = strlen(wrapper);
    }
    w->wrapper = encoded(wrapper, wl);
    w->child = encoded(child, cl);
    return w->wrapper && w->child ? 0 : -1;
}

int chuanp_xml_writer_open(chuanp_writer **out, FILE *fp, const chuanp_convert_opts *o,
                           chuan_diags *d)
{
    (void)d;
    *out = NULL;
    xml_writer *w = chuanp_calloc(1, sizeof *w);
    if (!w)
        return -1;
    w->base.ops = &xml_writer_ops;
    w->base.out = fp;
    w->o = o;
    chuanp_buf_init(&w->buf, 0);
    if (names_from_opts(w, o) < 0) {
        writer_free(&w->base);
        return -1;
    }
    *out = &w->base;
    return 0;
}
