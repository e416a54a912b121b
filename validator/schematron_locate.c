/* validator/schematron_locate.c - XPath, line and column of XML nodes; safe XML parsing. */
#include "schematron.h"

#include "../converters/xml_entity.h"

#include <libxml/parser.h>
#include <stdlib.h>
#include <string.h>

#define XML_MAX_INPUT_DEPTH 256

/* Advance *i to `to`, keeping line and column (characters) up to date. */
static void advance(const char *src, size_t *i, size_t to, long *line, long *col)
{
    for (; *i < to; (*i)++) {
        unsigned char c = (unsigned char)src[*i];
        if (c == '\n') {
            (*line)++;
            *col = 1;
        } else if ((c & 0xC0) != 0x80) {
            (*col)++;
        }
    }
}

/* Offset just past the first occurrence of `end` at or after i (len if none). */
static size_t skip_past(const char *src, size_t len, size_t i, const char *end)
{
    size_t n = strlen(end);
    for (; i + n <= len; i++)
        if (memcmp(src + i, end, n) == 0)
            return i + n;
    return len;
}

static size_t skip_doctype(const char *src, size_t len, size_t i)
{
    int depth = 0;
    for (; i < len; i++) {
        if (src[i] == '[')
            depth++;
        else if (src[i] == ']' && depth > 0)
            depth--;
        else if (src[i] == '>' && depth == 0)
            return i + 1;
    }
    return len;
}

static size_t number_elements(xmlNodePtr n, size_t k)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        n->_private = (void *)(uintptr_t)(++k);
        k = number_elements(n->children, k);
    }
    return k;
}

int chuanp_line_index_build(chuanp_line_index *idx, xmlDocPtr doc, const char *src, size_t len)
{
    memset(idx, 0, sizeof *idx);
    if (!src || !doc)
        return 0;
    size_t cap = 1024, i = 0;
    long line = 1, col = 1;
    idx->tags = chuanp_malloc(cap * sizeof *idx->tags);
    if (!idx->tags)
        return -1;
    idx->src = src;
    idx->len = len;
    while (i < len) {
        const char *lt = memchr(src + i, '<', len - i);
        if (!lt)
            break;
        size_t at = (size_t)(lt - src);
        advance(src, &i, at, &line, &col);
        size_t next;
        if (at + 4 <= len && memcmp(src + at, "<!--", 4) == 0)
            next = skip_past(src, len, at + 4, "-->");
        else if (at + 9 <= len && memcmp(src + at, "<![CDATA[", 9) == 0)
            next = skip_past(src, len, at + 9, "]]>");
        else if (at + 1 < len && src[at + 1] == '!')
            next = skip_doctype(src, len, at + 2);
        else if (at + 1 < len && src[at + 1] == '?')
            next = skip_past(src, len, at + 2, "?>");
        else if (at + 1 < len && src[at + 1] == '/')
            next = at + 2;
        else {
            if (idx->ntags == cap) {
                chuanp_tag_pos *t = chuanp_realloc(idx->tags, cap * 2 * sizeof *t);
                if (!t)
                    return -1;
                idx->tags = t;
                cap *= 2;
            }
            idx->tags[idx->ntags++] = (chuanp_tag_pos){line, col, (long long)at};
            next = at + 1;
        }
        advance(src, &i, next, &line, &col);
    }
    size_t nel = number_elements(xmlDocGetRootElement(doc), 0);
    idx->usable = nel == idx->ntags;
    return 0;
}

void chuanp_line_index_free(chuanp_line_index *idx)
{
    if (!idx)
        return;
    chuanp_free(idx->tags);
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
    *line = l > 0 ? l : 0;
    uintptr_t k = (uintptr_t)node->_private;
    if (!idx || !idx->usable || k == 0 || k > idx->ntags)
        return;
    const chuanp_tag_pos *t = &idx->tags[k - 1];
    /* the tag there must be this element's (entity content could shift them) */
    size_t nl = strlen((const char *)node->name);
    const char *p = idx->src + t->offset + 1;
    size_t room = idx->len - (size_t)t->offset - 1;
    if (node->ns && node->ns->prefix) {
        size_t pl = strlen((const char *)node->ns->prefix);
        if (room < pl + 1 || memcmp(p, node->ns->prefix, pl) != 0 || p[pl] != ':')
            return;
        p += pl + 1;
        room -= pl + 1;
    }
    if (room < nl || memcmp(p, node->name, nl) != 0)
        return;
    *line = t->line;
    *column = t->column;
    *offset = t->offset;
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
                         .offset = -1, .message = N_("out of memory")};
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
                         .offset = -1, .message = N_("the document is larger than 2 GB")};
        chuan_diags_add(d, &dg);
        xmlFreeParserCtxt(p);
        return NULL;
    }
    xmlDocPtr doc = xmlCtxtReadMemory(p, buf, (int)len, file, NULL, opts);
    if (doc && !p->wellFormed) {
        xmlFreeDoc(doc);
        doc = NULL;
    }
    if (doc) {
        /* Schematron's string values and the standard's record mapping
         * expand entity references themselves: bound them first */
        chuanp_xml_entity_budget b = {.input_bytes = len};
        xmlNodePtr at = NULL;
        int m = chuanp_xml_entity_measure(&b, xmlDocGetRootElement(doc), &at);
        if (m != 0) {
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR,
                             .code = m < 0 ? "io.memory" : "xml.entity-expansion", .file = file,
                             .line = at ? xmlGetLineNo(at) : 0, .offset = -1};
            if (m < 0)
                chuan_diags_addf(d, &dg, "out of memory measuring entity expansion");
            else
                chuan_diags_addf(d, &dg,
                                 "entity references expand to more than %llu bytes: the limit "
                                 "is %d x the %zu bytes of input, at least %u bytes",
                                 (unsigned long long)chuanp_xml_entity_limit(len),
                                 CHUANP_XML_ENTITY_RATIO, len, CHUANP_XML_ENTITY_MIN);
            xmlFreeDoc(doc);
            doc = NULL;
            pe.reported = 1;
        }
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
