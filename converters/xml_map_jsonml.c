/*
 * converters/xml_map_jsonml.c - the lossless "jsonml" mapping (jsonml.org).
 *
 *   element     ["qname", {"xmlns:p": "uri", "attr": "value"}, child, ...]
 *               (the attribute object is left out when there are none)
 *   text        "string" (CDATA sections become text, as in canonical XML)
 *   comment     ["#comment", "text"]
 *   PI          ["?target", "data"]
 *   document    ["#document", node, ...] only when comments or PIs sit
 *               beside the root element; otherwise the root element itself
 * Every text node is kept, whitespace included, so XML -> JSON -> XML gives
 * the same canonical XML (C14N), text NFC-normalised.
 */
#include "xml_map.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------- XML -> JSON */

static chuanp_jv *str(chuanp_x2j *c, const char *s)
{
    return chuanp_xml_jstring(c, s ? s : "", s ? strlen(s) : 0);
}

static int push(chuanp_x2j *c, chuanp_jv *arr, chuanp_jv *v)
{
    if (!v || chuanp_jv_push(c->arena, arr, v) < 0) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

static chuanp_jv *pair(chuanp_x2j *c, const char *tag, const char *text)
{
    chuanp_jv *a = chuanp_jv_new(c->arena, CHUANP_JARRAY);
    if (!a || push(c, a, str(c, tag)) < 0 || push(c, a, str(c, text)) < 0)
        return c->oom = 1, NULL;
    return a;
}

static chuanp_jv *element(chuanp_x2j *c, xmlNodePtr el);

static int children(chuanp_x2j *c, chuanp_jv *arr, xmlNodePtr n)
{
    chuanp_buf text;
    chuanp_buf_init(&text, 0);
    int rc = 0;
    /* adjacent text, CDATA and entity text merge into one string */
    for (; n && rc == 0; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            chuanp_buf_puts(&text, n->content ? (const char *)n->content : "");
            continue;
        }
        if (n->type == XML_ENTITY_REF_NODE) {
            if (n->children && n->children->children)
                for (xmlNodePtr t = n->children->children; t; t = t->next)
                    if (t->type == XML_TEXT_NODE && t->content)
                        chuanp_buf_puts(&text, (const char *)t->content);
            continue;
        }
        if (text.len) {
            rc = push(c, arr, chuanp_xml_jstring(c, text.data, text.len));
            chuanp_buf_reset(&text);
        }
        if (rc)
            break;
        if (n->type == XML_ELEMENT_NODE) {
            chuanp_jv *e = element(c, n);
            rc = e ? push(c, arr, e) : -1;
        } else if (n->type == XML_COMMENT_NODE) {
            rc = push(c, arr, pair(c, "#comment", (const char *)n->content));
        } else if (n->type == XML_PI_NODE) {
            size_t nl = strlen((const char *)n->name);
            char *tag = chuanp_arena_alloc(c->arena, nl + 2);
            if (!tag)
                return c->oom = 1, -1;
            tag[0] = '?';
            memcpy(tag + 1, n->name, nl + 1);
            rc = push(c, arr, pair(c, tag, (const char *)n->content));
        }
    }
    if (rc == 0 && text.len)
        rc = push(c, arr, chuanp_xml_jstring(c, text.data, text.len));
    if (text.err)
        c->oom = 1, rc = -1;
    chuanp_buf_free(&text);
    return rc;
}

static chuanp_jv *element(chuanp_x2j *c, xmlNodePtr el)
{
    if (c->depth >= CHUANP_XML_MAX_DEPTH) {
        chuanp_convert_error(c->d, "xml.depth", c->o->file, (long)xmlGetLineNo(el), 0, NULL,
                             "elements nested deeper than %d", CHUANP_XML_MAX_DEPTH);
        c->failed = 1;
        return NULL;
    }
    chuanp_jv *arr = chuanp_jv_new(c->arena, CHUANP_JARRAY);
    size_t ql;
    const char *q = chuanp_xml_qname(c->arena, el->ns ? el->ns->prefix : NULL, el->name, &ql);
    if (!arr || !q || push(c, arr, chuanp_jv_string(c->arena, q, ql)) < 0)
        return c->oom = 1, NULL;
    if (el->nsDef || el->properties) {
        chuanp_jv *attrs = chuanp_jv_new(c->arena, CHUANP_JOBJECT);
        if (!attrs)
            return c->oom = 1, NULL;
        for (xmlNsPtr ns = el->nsDef; ns; ns = ns->next) {
            size_t kl;
            const char *k = chuanp_xml_qname(c->arena, ns->prefix ? (const xmlChar *)"xmlns" : NULL,
                                             ns->prefix ? ns->prefix : (const xmlChar *)"xmlns", &kl);
            chuanp_jv *v = str(c, (const char *)ns->href);
            if (!k || !v || chuanp_jv_set(c->arena, attrs, k, kl, v) < 0)
                return c->oom = 1, NULL;
        }
        for (xmlAttrPtr a = el->properties; a; a = a->next) {
            size_t kl;
            const char *k = chuanp_xml_qname(c->arena, a->ns ? a->ns->prefix : NULL, a->name, &kl);
            xmlChar *val = xmlNodeListGetString(el->doc, a->children, 1);
            chuanp_jv *v = str(c, val ? (const char *)val : "");
            xmlFree(val);
            if (!k || !v || chuanp_jv_set(c->arena, attrs, k, kl, v) < 0)
                return c->oom = 1, NULL;
        }
        if (push(c, arr, attrs) < 0)
            return NULL;
    }
    c->depth++;
    int rc = children(c, arr, el->children);
    c->depth--;
    return rc == 0 ? arr : NULL;
}

chuanp_jv *chuanp_jsonml_from_xml(chuanp_x2j *c, xmlNodePtr node)
{
    return element(c, node);
}

chuanp_jv *chuanp_jsonml_from_doc(chuanp_x2j *c, xmlDocPtr doc)
{
    int extra = 0;
    xmlNodePtr root = NULL;
    for (xmlNodePtr n = doc->children; n; n = n->next) {
        if (n->type == XML_COMMENT_NODE || n->type == XML_PI_NODE)
            extra = 1;
        else if (n->type == XML_ELEMENT_NODE)
            root = n;
    }
    if (!extra)
        return root ? element(c, root) : NULL;
    chuanp_jv *arr = chuanp_jv_new(c->arena, CHUANP_JARRAY);
    if (!arr || push(c, arr, str(c, "#document")) < 0)
        return c->oom = 1, NULL;
    for (xmlNodePtr n = doc->children; n; n = n->next) {
        chuanp_jv *v = NULL;
        if (n->type == XML_ELEMENT_NODE)
            v = element(c, n);
        else if (n->type == XML_COMMENT_NODE)
            v = pair(c, "#comment", (const char *)n->content);
        else if (n->type == XML_PI_NODE) {
            size_t nl = strlen((const char *)n->name);
            char *tag = chuanp_arena_alloc(c->arena, nl + 2);
            if (!tag)
                return c->oom = 1, NULL;
            tag[0] = '?';
            memcpy(tag + 1, n->name, nl + 1);
            v = pair(c, tag, (const char *)n->content);
        } else {
            continue;
        }
        if (!v || push(c, arr, v) < 0)
            return NULL;
    }
    return arr;
}

/* ------------------------------------------------------- JSON -> XML */

static int put_text(chuanp_j2x *c, const chuanp_jv *v, int attr)
{
    long long bad = chuanp_xml_bad_char(v->u.str.text, v->u.str.len);
    if (bad >= 0)
        return chuanp_j2x_fail(c, v, "convert.xml-char",
                               "U+%04X cannot be written in XML 1.0; --mapping w3c escapes it "
                               "reversibly",
                               (unsigned)chuanp_xml_char_at(v->u.str.text + bad,
                                                            v->u.str.len - (size_t)bad));
    char *norm = NULL;
    size_t nl = v->u.str.len;
    if (chuanp_xml_nfc_copy(v->u.str.text, v->u.str.len, &norm, &nl) < 0)
        return chuanp_j2x_fail(c, v, "convert.utf8", "string is not valid UTF-8");
    chuanp_xml_put_text(c->out, norm ? norm : v->u.str.text, nl, attr);
    chuanp_free(norm);
    return 0;
}

static int is_tag(const chuanp_jv *v, const char *tag)
{
    return v->type == CHUANP_JSTRING && strlen(tag) == v->u.str.len &&
           memcmp(v->u.str.text, tag, v->u.str.len) == 0;
}

/* ["#comment", "text"] / ["?target", "data"] */
static int write_special(chuanp_j2x *c, const chuanp_jv *v, const chuanp_jv *tag)
{
    const chuanp_jv *body = v->u.arr.count == 2 ? v->u.arr.items[1] : NULL;
    int comment = is_tag(tag, "#comment");
    if (v->u.arr.count > 2 || (body && body->type != CHUANP_JSTRING))
        return chuanp_j2x_fail(c, v, "convert.jsonml", "%s wants one string",
                               comment ? "[\"#comment\", text]" : "[\"?target\", data]");
    const char *t = body ? body->u.str.text : "";
    size_t tl = body ? body->u.str.len : 0;
    if (chuanp_xml_bad_char(t, tl) >= 0)
        return chuanp_j2x_fail(c, v, "convert.xml-char", "character XML 1.0 cannot hold");
    if (comment) {
        for (size_t i = 0; i + 1 < tl; i++)
            if (t[i] == '-' && t[i + 1] == '-')
                return chuanp_j2x_fail(c, v, "convert.jsonml", "a comment cannot contain \"--\"");
        if (tl && t[tl - 1] == '-')
            return chuanp_j2x_fail(c, v, "convert.jsonml", "a comment cannot end with \"-\"");
        chuanp_buf_puts(c->out, "<!--");
        chuanp_buf_append(c->out, t, tl);
        chuanp_buf_puts(c->out, "-->");
        return 0;
    }
    const char *target = tag->u.str.text + 1;
    size_t tgl = tag->u.str.len - 1;
    if (!chuanp_xml_is_name(target, tgl) || memchr(target, ':', tgl) ||
        (tgl == 3 && (target[0] | 0x20) == 'x' && (target[1] | 0x20) == 'm' &&
         (target[2] | 0x20) == 'l'))
        return chuanp_j2x_fail(c, v, "convert.jsonml", "'%.*s' is not a processing-instruction target",
                               (int)tgl, target);
    for (size_t i = 0; i + 1 < tl; i++)
        if (t[i] == '?' && t[i + 1] == '>')
            return chuanp_j2x_fail(c, v, "convert.jsonml", "PI data cannot contain \"?>\"");
    chuanp_buf_puts(c->out, "<?");
    chuanp_buf_append(c->out, target, tgl);
    if (tl) {
        chuanp_buf_putc(c->out, ' ');
        chuanp_buf_append(c->out, t, tl);
    }
    chuanp_buf_puts(c->out, "?>");
    return 0;
}

static int write_node(chuanp_j2x *c, const chuanp_jv *v, int top);

static int write_elem(chuanp_j2x *c, const chuanp_jv *v)
{
    const chuanp_jv *tag = v->u.arr.items[0];
    if (!chuanp_xml_is_name(tag->u.str.text, tag->u.str.len))
        return chuanp_j2x_fail(c, tag, "convert.jsonml", "'%.*s' is not an XML element name",
                               (int)(tag->u.str.len > 60 ? 60 : tag->u.str.len), tag->u.str.text);
    if (c->level >= CHUANP_XML_MAX_DEPTH)
        return chuanp_j2x_fail(c, v, "convert.depth", "nested deeper than %d levels",
                               CHUANP_XML_MAX_DEPTH);
    size_t ns_mark = chuanp_j2x_ns_mark(c); /* declarations of this element end with it */
    const chuanp_jv *attrs = v->u.arr.count > 1 && v->u.arr.items[1]->type == CHUANP_JOBJECT
                                 ? v->u.arr.items[1] : NULL;
    for (size_t i = 0; attrs && i < attrs->u.obj.count; i++) {
        const chuanp_jmember *m = &attrs->u.obj.members[i];
        if (m->key_len > 6 && memcmp(m->key, "xmlns:", 6) == 0)
            chuanp_j2x_ns_push(c, m->key + 6, m->key_len - 6);
    }
    if (!chuanp_j2x_prefix_ok(c, tag->u.str.text, tag->u.str.len))
        return chuanp_j2x_fail(c, tag, "convert.jsonml", "the prefix of '%.*s' is not declared",
                               (int)(tag->u.str.len > 60 ? 60 : tag->u.str.len), tag->u.str.text);
    chuanp_buf_putc(c->out, '<');
    chuanp_buf_append(c->out, tag->u.str.text, tag->u.str.len);
    size_t first = 1;
    if (attrs) {
        first = 2;
        size_t m1 = chuanp_j2x_push_index(c, 1);
        for (size_t i = 0; i < attrs->u.obj.count; i++) {
            const chuanp_jmember *m = &attrs->u.obj.members[i];
            size_t m2 = chuanp_j2x_push_key(c, m->key, m->key_len);
            if (!chuanp_xml_is_name(m->key, m->key_len) ||
                (m->key_len == 6 && memcmp(m->key, "xmlns:", 6) == 0))
                return chuanp_j2x_fail(c, m->value, "convert.jsonml",
                                       "'%.*s' is not an XML attribute name",
                                       (int)(m->key_len > 60 ? 60 : m->key_len), m->key);
            if (!(m->key_len > 6 && memcmp(m->key, "xmlns:", 6) == 0) &&
                !chuanp_j2x_prefix_ok(c, m->key, m->key_len))
                return chuanp_j2x_fail(c, m->value, "convert.jsonml",
                                       "the prefix of attribute '%.*s' is not declared",
                                       (int)(m->key_len > 60 ? 60 : m->key_len), m->key);
            for (size_t j = 0; j < i; j++)
                if (attrs->u.obj.members[j].key_len == m->key_len &&
                    memcmp(attrs->u.obj.members[j].key, m->key, m->key_len) == 0)
                    return chuanp_j2x_fail(c, m->value, "convert.jsonml", "attribute given twice");
            if (m->value->type != CHUANP_JSTRING)
                return chuanp_j2x_fail(c, m->value, "convert.jsonml",
                                       "an attribute value must be a string");
            chuanp_buf_putc(c->out, ' ');
            chuanp_buf_append(c->out, m->key, m->key_len);
            chuanp_buf_puts(c->out, "=\"");
            int rc = put_text(c, m->value, 1);
            if (rc)
                return rc;
            chuanp_buf_putc(c->out, '"');
            chuanp_j2x_pop(c, m2);
        }
        chuanp_j2x_pop(c, m1);
    }
    if (first == v->u.arr.count) {
        chuanp_buf_puts(c->out, "/>");
        chuanp_j2x_ns_pop(c, ns_mark);
        return 0;
    }
    chuanp_buf_putc(c->out, '>');
    c->level++;
    for (size_t i = first; i < v->u.arr.count; i++) {
        size_t mark = chuanp_j2x_push_index(c, i);
        int rc = write_node(c, v->u.arr.items[i], 0);
        if (rc)
            return rc;
        chuanp_j2x_pop(c, mark);
    }
    c->level--;
    chuanp_buf_puts(c->out, "</");
    chuanp_buf_append(c->out, tag->u.str.text, tag->u.str.len);
    chuanp_buf_putc(c->out, '>');
    chuanp_j2x_ns_pop(c, ns_mark);
    return 0;
}

static int write_node(chuanp_j2x *c, const chuanp_jv *v, int top)
{
    if (v->type == CHUANP_JSTRING && !top)
        return put_text(c, v, 0);
    if (v->type != CHUANP_JARRAY || v->u.arr.count == 0 ||
        v->u.arr.items[0]->type != CHUANP_JSTRING)
        return chuanp_j2x_fail(c, v, "convert.jsonml",
                               top ? N_("expected a JsonML element [\"name\", {attributes}, children...]")
                                   : N_("expected a string or a JsonML node [\"name\", ...]"));
    const chuanp_jv *tag = v->u.arr.items[0];
    if (is_tag(tag, "#comment") || (tag->u.str.len > 1 && tag->u.str.text[0] == '?'))
        return write_special(c, v, tag);
    if (is_tag(tag, "#document")) {
        if (!top)
            return chuanp_j2x_fail(c, v, "convert.jsonml", "#document only at the top");
        int roots = 0;
        for (size_t i = 1; i < v->u.arr.count; i++) {
            const chuanp_jv *n = v->u.arr.items[i];
            size_t mark = chuanp_j2x_push_index(c, i);
            int is_el = n->type == CHUANP_JARRAY && n->u.arr.count > 0 &&
                        n->u.arr.items[0]->type == CHUANP_JSTRING &&
                        !is_tag(n->u.arr.items[0], "#comment") &&
                        !(n->u.arr.items[0]->u.str.len && n->u.arr.items[0]->u.str.text[0] == '?');
            if (is_el && ++roots > 1)
                return chuanp_j2x_fail(c, n, "convert.jsonml", "a document has one root element");
            if (i > 1)
                chuanp_buf_putc(c->out, '\n');
            int rc = write_node(c, n, 0);
            if (rc)
                return rc;
            if (n->type == CHUANP_JSTRING)
                return chuanp_j2x_fail(c, n, "convert.jsonml", "text outside the root element");
            chuanp_j2x_pop(c, mark);
        }
        if (roots == 0)
            return chuanp_j2x_fail(c, v, "convert.jsonml", "#document without a root element");
        return 0;
    }
    if (top && v->type == CHUANP_JARRAY && tag->u.str.len && tag->u.str.text[0] == '#')
        return chuanp_j2x_fail(c, v, "convert.jsonml", "unknown node type '%.*s'",
                               (int)tag->u.str.len, tag->u.str.text);
    return write_elem(c, v);
}

int chuanp_jsonml_to_xml(chuanp_j2x *c, const chuanp_jv *v)
{
    return write_node(c, v, 1);
}
