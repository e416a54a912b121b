/* validator/schematron_locate.c - XPath, line and column of XML nodes; safe XML parsing. */
#include "schematron.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_INPUT_DEPTH 256

int chuanp_line_index_build(chuanp_line_index *idx, const char *src, size_t len)
{
    memset(idx, 0, sizeof *idx);
    if (!src)
        return 0;
    size_t n = 1;
    for (size_t i = 0; i < len; i++)
        n += src[i] == '\n';
    idx->starts = malloc(n * sizeof *idx->starts);
    if (!idx->starts)
        return -1;
    idx->src = src;
    idx->len = len;
    idx->starts[0] = 0;
    size_t k = 1;
    for (size_t i = 0; i < len; i++)
        if (src[i] == '\n')
            idx->starts[k++] = i + 1;
    idx->n = n;
    return 0;
}

void chuanp_line_index_free(chuanp_line_index *idx)
{
    if (!idx)
        return;
    free(idx->starts);
    memset(idx, 0, sizeof *idx);
}

static void put_qname(chuanp_buf *out, xmlNodePtr n)
{
    if (n->ns && n->ns->prefix) {
        chuanp_buf_puts(out, (const char *)n->ns->prefix);
        chuanp_buf_putc(out, ':');
    }
    chuanp_buf_puts(out, (const char *)n->name);
}

static int same_name(xmlNodePtr a, xmlNodePtr b)
{
    if (a->type != XML_ELEMENT_NODE || b->type != XML_ELEMENT_NODE)
        return 0;
    if (!xmlStrEqual(a->name, b->name))
        return 0;
    const xmlChar *na = a->ns ? a->ns->href : NULL, *nb = b->ns ? b->ns->href : NULL;
    return xmlStrEqual(na, nb);
}

static void element_path(chuanp_buf *out, xmlNodePtr n, int depth)
{
    if (!n || n->type != XML_ELEMENT_NODE || depth > 4096)
        return;
    element_path(out, n->parent, depth + 1);
    chuanp_buf_putc(out, '/');
    put_qname(out, n);
    /* [n] on every element below the root, as the XSD engine writes paths */
    if (!n->parent || n->parent->type != XML_ELEMENT_NODE)
        return;
    long pos = 1;
    for (xmlNodePtr s = n->prev; s; s = s->prev)
        if (same_name(s, n))
            pos++;
    chuanp_buf_printf(out, "[%ld]", pos);
}

void chuanp_xml_node_path(chuanp_buf *out, xmlNodePtr node)
{
    if (!node)
        return;
    switch (node->type) {
    case XML_DOCUMENT_NODE:
        chuanp_buf_putc(out, '/');
        break;
    case XML_ATTRIBUTE_NODE:
        element_path(out, node->parent, 0);
        chuanp_buf_puts(out, "/@");
        put_qname(out, node);
        break;
    case XML_ELEMENT_NODE:
        element_path(out, node, 0);
        break;
    default:
        element_path(out, node->parent, 0);
        chuanp_buf_puts(out, node->type == XML_TEXT_NODE || node->type == XML_CDATA_SECTION_NODE
                                 ? "/text()"
                                 : "/node()");
        break;
    }
}

/* Find "<qname" followed by a delimiter in [from, to). */
static const char *find_tag(const char *from, const char *to, const char *qname, size_t qlen)
{
    for (const char *p = from; p + 1 + qlen <= to; p++) {
        if (*p != '<' || memcmp(p + 1, qname, qlen) != 0)
            continue;
        if (p + 1 + qlen == to)
            return p;
        char c = p[1 + qlen];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>' || c == '/')
            return p;
    }
    return NULL;
}

void chuanp_xml_node_position(xmlNodePtr node, const chuanp_line_index *idx, long *line,
                              long *column, long long *offset)
{
    *line = 0;
    *column = 0;
    *offset = -1;
    if (!node)
        return;
    if (node->type == XML_ATTRIBUTE_NODE || node->type == XML_TEXT_NODE ||
        node->type == XML_CDATA_SECTION_NODE)
        node = node->parent;
    if (!node || node->type != XML_ELEMENT_NODE)
        return;
    long l = xmlGetLineNo(node);
    if (l <= 0)
        return;
    *line = l;
    if (!idx || !idx->starts || (size_t)l > idx->n)
        return;
    chuanp_buf q;
    chuanp_buf_init(&q, 1024);
    put_qname(&q, node);
    if (q.err) {
        chuanp_buf_free(&q);
        return;
    }
    /* libxml2 records the line where the start tag ends: search that line,
     * then a few lines back for a start tag spread over several lines. */
    for (long back = 0; back < 16 && l - back >= 1; back++) {
        size_t ln = (size_t)(l - back);
        const char *from = idx->src + idx->starts[ln - 1];
        const char *to = ln < idx->n ? idx->src + idx->starts[ln] : idx->src + idx->len;
        const char *hit = find_tag(from, to, q.data, q.len);
        if (hit) {
            *line = (long)ln;
            *column = (long)chuanp_utf8_count(from, (size_t)(hit - from)) + 1;
            *offset = (long long)(hit - idx->src);
            break;
        }
    }
    chuanp_buf_free(&q);
}

typedef struct parse_errors {
    chuan_diags *d;
    const char *file;
    int reported;
} parse_errors;

static void parse_serror(void *ctx, xmlErrorPtr e)
{
    xmlParserCtxtPtr p = ctx;
    parse_errors *pe = p ? p->_private : NULL;
    if (!pe || !e || e->level < XML_ERR_ERROR || pe->reported)
        return;
    pe->reported = 1;
    size_t n = e->message ? strcspn(e->message, "\n") : 0;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "xml.parse", .file = pe->file,
                     .line = e->line, .column = e->int2, .offset = -1};
    chuan_diags_addf(pe->d, &dg, "not well-formed XML: %.*s", (int)n, n ? e->message : "error");
}

xmlDocPtr chuanp_xml_parse_safe(const char *buf, size_t len, const char *file, chuan_diags *d)
{
    parse_errors pe = {.d = d, .file = file};
    xmlParserCtxtPtr p = xmlNewParserCtxt();
    if (!p) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "xml.parse", .file = file,
                         .offset = -1, .message = "out of memory"};
        chuan_diags_add(d, &dg);
        return NULL;
    }
    p->_private = &pe;
    p->sax->serror = parse_serror;
    p->sax->error = NULL;
    p->sax->warning = NULL;
    int opts = XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING | XML_PARSE_NOERROR;
    if (len > (size_t)INT32_MAX) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "xml.parse", .file = file,
                         .offset = -1, .message = "the document is larger than 2 GB"};
        chuan_diags_add(d, &dg);
        xmlFreeParserCtxt(p);
        return NULL;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(p, buf, (int)len, file, NULL, opts);
    if (doc && !p->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (!doc && !pe.reported) {
        xmlErrorPtr e = xmlCtxtGetLastError(p);
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "xml.parse", .file = file,
                         .line = e ? e->line : 0, .column = e ? e->int2 : 0, .offset = -1};
        chuan_diags_addf(d, &dg, "not well-formed XML: %s",
                         e && e->message ? e->message : "no document element");
    }
    xmlFreeParserCtxt(p);
    return doc;
}
