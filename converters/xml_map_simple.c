/*
 * converters/xml_map_simple.c - the "simple" mapping, with or without
 * schema hints.
 *
 * XML -> JSON: an element becomes a key; attributes "@name"; namespace
 * declarations "@xmlns" / "@xmlns:p"; names as written (prefix:local);
 * text "#text" when the element also has attributes or children, else the
 * element's value is its text; same-name siblings become an array (with a
 * schema: every element that may repeat is an array); whitespace-only text
 * between elements is ignored; values are strings unless a schema types
 * them. JSON -> XML reverses it; keys that are not XML names are encoded
 * with _xHHHH_ (xml_text.c).
 */
#include "xml_map.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------- hints */

static int hint_of(const chuanp_schema_hints *h, const char *const *path, size_t depth,
                   chuanp_hint *out)
{
    memset(out, 0, sizeof *out);
    if (!h || !h->lookup || depth == 0)
        return 0;
    return h->lookup(h->ctx, path, depth, out) >= 0 && out->known; /* providers return 0 or 1 */
}

/* ------------------------------------------------------- XML -> JSON */

/* Text of a node list: text, CDATA and (internal) entity references. */
static void gather_text(chuanp_buf *b, xmlNodePtr n, int depth)
{
    for (; n && depth < 32; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content)
                chuanp_buf_puts(b, (const char *)n->content);
        } else if (n->type == XML_ENTITY_REF_NODE && n->children) {
            gather_text(b, n->children->children, depth + 1);
        }
    }
}

static int single_text(xmlNodePtr first, const char **s, size_t *len)
{
    if (!first) {
        *s = "";
        *len = 0;
        return 1;
    }
    if (first->next || (first->type != XML_TEXT_NODE && first->type != XML_CDATA_SECTION_NODE))
        return 0;
    *s = first->content ? (const char *)first->content : "";
    *len = strlen(*s);
    return 1;
}

static void trim(const char **s, size_t *len)
{
    while (*len && strchr(" \t\r\n", (*s)[0])) {
        (*s)++;
        (*len)--;
    }
    while (*len && strchr(" \t\r\n", (*s)[*len - 1]))
        (*len)--;
}

static const char *path_str(chuanp_x2j *c)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 4096);
    for (size_t i = 0; i < c->depth; i++) {
        chuanp_buf_putc(&b, '/');
        chuanp_buf_puts(&b, c->path[i]);
    }
    const char *r = b.err ? "" : chuanp_arena_strndup(c->arena, b.data ? b.data : "", b.len);
    chuanp_buf_free(&b);
    return r ? r : "";
}

/* A leaf's value: a string, or the schema's scalar type when the text is
 * a faithful literal of it (the exact text is kept for numbers). */
static chuanp_jv *leaf_value(chuanp_x2j *c, const char *s, size_t len, long line, int node_text)
{
    chuanp_hint h;
    if (!hint_of(c->o->hints, c->path, c->depth, &h))
        return node_text ? chuanp_xml_jstring_node(c, s, len) : chuanp_xml_jstring(c, s, len);
    const char *t = s;
    size_t tl = len;
    trim(&t, &tl);
    chuanp_jv *v = NULL;
    switch (h.type) {
    case CHUANP_HINT_INTEGER:
    case CHUANP_HINT_NUMBER:
        if (chuanp_json_num_valid(t, tl) &&
            (h.type == CHUANP_HINT_NUMBER || !memchr(t, '.', tl))) {
            v = chuanp_jv_number(c->arena, t, tl);
            if (!v)
                c->oom = 1;
            return v;
        }
        break;
    case CHUANP_HINT_BOOLEAN:
        if ((tl == 4 && memcmp(t, "true", 4) == 0) || (tl == 5 && memcmp(t, "false", 5) == 0)) {
            v = chuanp_jv_new(c->arena, tl == 4 ? CHUANP_JTRUE : CHUANP_JFALSE);
            if (!v)
                c->oom = 1;
            return v;
        }
        break;
    case CHUANP_HINT_OBJECT:
        if (tl == 0) {
            v = chuanp_jv_new(c->arena, CHUANP_JOBJECT);
            if (!v)
                c->oom = 1;
            return v;
        }
        break;
    default:
        return chuanp_xml_jstring(c, s, len);
    }
    static const char *const tn[] = {"unknown", "string", "integer", "number",
                                     "boolean", "object", "null"};
    chuanp_convert_warning(c->d, "convert.type", c->o->file, line, 0, path_str(c),
                           "'%.*s' is not a JSON %s literal; kept as a string", (int)(len > 60 ? 60 : len),
                           s, tn[h.type]);
    return chuanp_xml_jstring(c, s, len);
}

static chuanp_jv *find_member(chuanp_jv *obj, const char *key, size_t len)
{
    for (size_t i = obj->u.obj.count; i > 0; i--) {
        chuanp_jmember *m = &obj->u.obj.members[i - 1];
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m->value;
    }
    return NULL;
}

static int set_member(chuanp_x2j *c, chuanp_jv *obj, const char *key, size_t len, chuanp_jv *v)
{
    if (!v || chuanp_jv_set(c->arena, obj, key, len, v) < 0) {
        c->oom = 1;
        return -1;
    }
    return 0;
}

static chuanp_jv *attr_value(chuanp_x2j *c, xmlAttrPtr a, const char *key, size_t klen)
{
    const char *s;
    size_t len;
    if (single_text(a->children, &s, &len)) {
        if (c->depth < CHUANP_XML_MAX_DEPTH) {
            c->path[c->depth++] = key;
            chuanp_jv *v = leaf_value(c, s, len, (long)xmlGetLineNo(a->parent), 1);
            c->depth--;
            return v;
        }
        return chuanp_xml_jstring(c, s, len);
    }
    (void)klen;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    gather_text(&b, a->children, 0);
    chuanp_jv *v = b.err ? NULL : chuanp_xml_jstring(c, b.data ? b.data : "", b.len);
    chuanp_buf_free(&b);
    if (!v)
        c->oom = 1;
    return v;
}

chuanp_jv *chuanp_simple_from_xml(chuanp_x2j *c, xmlNodePtr el)
{
    int has_elem = 0, has_text = 0;
    for (xmlNodePtr n = el->children; n; n = n->next) {
        if (n->type == XML_ELEMENT_NODE)
            has_elem = 1;
        else if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE ||
                 n->type == XML_ENTITY_REF_NODE)
            has_text = 1;
    }
    if (!el->properties && !el->nsDef && !has_elem) {
        const char *s;
        size_t len;
        if (single_text(el->children, &s, &len))
            return leaf_value(c, s, len, (long)xmlGetLineNo(el), 1);
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        gather_text(&b, el->children, 0);
        chuanp_jv *v = b.err ? NULL : leaf_value(c, b.data ? b.data : "", b.len,
                                                 (long)xmlGetLineNo(el), 0);
        chuanp_buf_free(&b);
        if (!v)
            c->oom = 1;
        return v;
    }
    chuanp_jv *obj = chuanp_jv_new(c->arena, CHUANP_JOBJECT);
    if (!obj) {
        c->oom = 1;
        return NULL;
    }
    for (xmlNsPtr ns = el->nsDef; ns; ns = ns->next) {
        size_t kl;
        const char *k = chuanp_xml_qname(c->arena, ns->prefix ? (const xmlChar *)"@xmlns" : NULL,
                                         ns->prefix ? ns->prefix : (const xmlChar *)"@xmlns", &kl);
        const char *href = ns->href ? (const char *)ns->href : "";
        if (!k || set_member(c, obj, k, kl, chuanp_xml_jstring(c, href, strlen(href))) < 0)
            return NULL;
    }
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        size_t ql;
        const char *q = chuanp_xml_qname(c->arena, a->ns ? a->ns->prefix : NULL, a->name, &ql);
        if (!q)
            return c->oom = 1, NULL;
        q = chuanp_xml_decode_name(c->arena, q, &ql);
        char *k = chuanp_arena_alloc(c->arena, ql + 2);
        if (!k)
            return c->oom = 1, NULL;
        k[0] = '@';
        memcpy(k + 1, q, ql);
        k[ql + 1] = '\0';
        if (set_member(c, obj, k, ql + 1, attr_value(c, a, k, ql + 1)) < 0)
            return NULL;
    }
    for (xmlNodePtr n = el->children; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        size_t kl;
        const char *k = chuanp_xml_qname(c->arena, n->ns ? n->ns->prefix : NULL, n->name, &kl);
        if (!k)
            return c->oom = 1, NULL;
        k = chuanp_xml_decode_name(c->arena, k, &kl);
        if (c->depth >= CHUANP_XML_MAX_DEPTH) {
            chuanp_convert_error(c->d, "xml.depth", c->o->file, (long)xmlGetLineNo(n), 0, NULL,
                                 "elements nested deeper than %d", CHUANP_XML_MAX_DEPTH);
            c->failed = 1;
            return NULL;
        }
        c->path[c->depth++] = k;
        chuanp_hint h;
        int forced = hint_of(c->o->hints, c->path, c->depth, &h) && h.is_array;
        chuanp_jv *v = chuanp_simple_from_xml(c, n);
        c->depth--;
        if (!v)
            return NULL;
        chuanp_jv *prev = find_member(obj, k, kl);
        if (prev && prev->type == CHUANP_JARRAY) {
            if (chuanp_jv_push(c->arena, prev, v) < 0)
                return c->oom = 1, NULL;
        } else if (prev) {
            /* second occurrence without a schema: the value becomes an array in place */
            chuanp_jv *first = chuanp_jv_new(c->arena, prev->type);
            if (!first)
                return c->oom = 1, NULL;
            *first = *prev;
            memset(prev, 0, sizeof *prev);
            prev->type = CHUANP_JARRAY;
            prev->line = first->line;
            if (chuanp_jv_push(c->arena, prev, first) < 0 || chuanp_jv_push(c->arena, prev, v) < 0)
                return c->oom = 1, NULL;
        } else if (forced) {
            chuanp_jv *arr = chuanp_jv_new(c->arena, CHUANP_JARRAY);
            if (!arr || chuanp_jv_push(c->arena, arr, v) < 0 || set_member(c, obj, k, kl, arr) < 0)
                return c->oom = 1, NULL;
        } else if (set_member(c, obj, k, kl, v) < 0) {
            return NULL;
        }
    }
    if (has_text) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        gather_text(&b, el->children, 0);
        if (b.err) {
            chuanp_buf_free(&b);
            return c->oom = 1, NULL;
        }
        if (b.len && (!has_elem || !chuanp_xml_is_blank(b.data, b.len))) {
            if (has_elem)
                chuanp_convert_warning(c->d, "convert.mixed-content", c->o->file,
                                       (long)xmlGetLineNo(el), 0, path_str(c),
                                       "text beside child elements is joined in #text; "
                                       "--mapping jsonml keeps its position");
            const char *s = b.data;
            size_t len = b.len;
            if (has_elem)
                trim(&s, &len);
            chuanp_jv *tv;
            if (!has_elem && c->depth < CHUANP_XML_MAX_DEPTH) {
                c->path[c->depth++] = "#text";
                tv = leaf_value(c, s, len, (long)xmlGetLineNo(el), 0);
                c->depth--;
            } else {
                tv = chuanp_xml_jstring(c, s, len);
            }
            if (set_member(c, obj, "#text", 5, tv) < 0) {
                chuanp_buf_free(&b);
                return NULL;
            }
        }
        chuanp_buf_free(&b);
    }
    return obj;
}

chuanp_jv *chuanp_simple_from_doc(chuanp_x2j *c, xmlDocPtr doc)
{
    xmlNodePtr root = xmlDocGetRootElement(doc);
    chuanp_jv *obj = chuanp_jv_new(c->arena, CHUANP_JOBJECT);
    if (!obj || !root)
        return c->oom = !obj, obj;
    size_t kl;
    const char *k = chuanp_xml_qname(c->arena, root->ns ? root->ns->prefix : NULL, root->name, &kl);
    if (!k)
        return c->oom = 1, NULL;
    k = chuanp_xml_decode_name(c->arena, k, &kl);
    c->path[0] = k;
    c->depth = 1;
    chuanp_jv *v = chuanp_simple_from_xml(c, root);
    c->depth = 0;
    if (!v || set_member(c, obj, k, kl, v) < 0)
        return NULL;
    return obj;
}

/* ------------------------------------------------------- JSON -> XML */

static int write_value(chuanp_j2x *c, const char *key, size_t klen, const chuanp_jv *v);

/* Append scalar text (NFC); fails on characters XML cannot hold. */
static int put_scalar(chuanp_j2x *c, const chuanp_jv *v, int attr)
{
    switch (v->type) {
    case CHUANP_JNULL: return 0;
    case CHUANP_JTRUE: chuanp_buf_puts(c->out, "true"); return 0;
    case CHUANP_JFALSE: chuanp_buf_puts(c->out, "false"); return 0;
    case CHUANP_JNUMBER: chuanp_buf_append(c->out, v->u.str.text, v->u.str.len); return 0;
    case CHUANP_JSTRING: break;
    default: return chuanp_j2x_fail(c, v, "convert.simple-shape", "expected a scalar here");
    }
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

static int is_attr_key(const chuanp_jmember *m)
{
    return m->key_len > 1 && m->key[0] == '@';
}

static int is_text_key(const chuanp_jmember *m)
{
    return m->key_len == 5 && memcmp(m->key, "#text", 5) == 0;
}

static int write_attrs(chuanp_j2x *c, const chuanp_jv *obj)
{
    for (size_t i = 0; i < obj->u.obj.count; i++) {
        const chuanp_jmember *m = &obj->u.obj.members[i];
        if (!is_attr_key(m))
            continue;
        size_t mark = chuanp_j2x_push_key(c, m->key, m->key_len);
        const char *name = m->key + 1;
        size_t nl = m->key_len - 1;
        int rc = 0;
        if (m->value->type == CHUANP_JARRAY || m->value->type == CHUANP_JOBJECT) {
            rc = chuanp_j2x_fail(c, m->value, "convert.simple-shape",
                                 "an attribute (@ key) needs a scalar value");
        } else {
            chuanp_buf_putc(c->out, ' ');
            int is_ns = (nl == 5 && memcmp(name, "xmlns", 5) == 0) ||
                        (nl > 6 && memcmp(name, "xmlns:", 6) == 0);
            if (is_ns)
                chuanp_buf_append(c->out, name, nl);
            else if (chuanp_j2x_prefix_ok(c, name, nl))
                chuanp_xml_encode_name(c->out, name, nl);
            else
                chuanp_xml_encode_local(c->out, name, nl); /* p:x without xmlns:p: p_x003A_x */
            chuanp_buf_puts(c->out, "=\"");
            rc = put_scalar(c, m->value, 1);
            chuanp_buf_putc(c->out, '"');
        }
        chuanp_j2x_pop(c, mark);
        if (rc)
            return rc;
    }
    return 0;
}

static int write_member(chuanp_j2x *c, const chuanp_jmember *m)
{
    size_t mark = chuanp_j2x_push_key(c, m->key, m->key_len);
    int rc;
    if (is_text_key(m))
        rc = put_scalar(c, m->value, 0);
    else
        rc = write_value(c, m->key, m->key_len, m->value);
    chuanp_j2x_pop(c, mark);
    return rc;
}

/* Children in schema order (names the schema lists first, in its order),
 * then the remaining members in their JSON order. */
static int write_children(chuanp_j2x *c, const chuanp_jv *obj, int *wrote_elem)
{
    size_t n = obj->u.obj.count;
    unsigned char small[64];
    unsigned char *done = n <= sizeof small ? small : chuanp_calloc(n, 1);
    if (!done)
        return -1;
    memset(done, 0, n <= sizeof small ? n : 0);
    int rc = 0;
    const chuanp_schema_hints *h = c->o->hints;
    if (h && h->child_order) {
        const char *names[256];
        int k = h->child_order(h->ctx, c->path, c->depth, names, 256);
        for (int j = 0; j < k && rc == 0; j++)
            for (size_t i = 0; i < n && rc == 0; i++) {
                const chuanp_jmember *m = &obj->u.obj.members[i];
                if (done[i] || strlen(names[j]) != m->key_len ||
                    memcmp(names[j], m->key, m->key_len) != 0)
                    continue;
                done[i] = 1;
                *wrote_elem = 1;
                rc = write_member(c, m);
            }
    }
    for (size_t i = 0; i < n && rc == 0; i++) {
        const chuanp_jmember *m = &obj->u.obj.members[i];
        if (done[i] || is_attr_key(m))
            continue;
        if (!is_text_key(m))
            *wrote_elem = 1;
        rc = write_member(c, m);
    }
    if (done != small)
        chuanp_free(done);
    return rc;
}

static int has_content(const chuanp_jv *v)
{
    if (v->type == CHUANP_JNULL)
        return 0;
    if (v->type == CHUANP_JSTRING)
        return v->u.str.len > 0;
    if (v->type != CHUANP_JOBJECT)
        return 1;
    for (size_t i = 0; i < v->u.obj.count; i++)
        if (!is_attr_key(&v->u.obj.members[i]))
            return 1;
    return 0;
}

static int write_element(chuanp_j2x *c, const char *key, size_t klen, const chuanp_jv *v)
{
    if (c->depth >= CHUANP_XML_MAX_DEPTH || c->level > 1000)
        return chuanp_j2x_fail(c, v, "convert.depth", "nested deeper than %d levels",
                               CHUANP_XML_MAX_DEPTH);
    /* prefixes this element declares are in scope for its own name too */
    size_t ns_mark = chuanp_j2x_ns_mark(c);
    if (v->type == CHUANP_JOBJECT)
        for (size_t i = 0; i < v->u.obj.count; i++) {
            const chuanp_jmember *m = &v->u.obj.members[i];
            if (m->key_len > 7 && memcmp(m->key, "@xmlns:", 7) == 0)
                chuanp_j2x_ns_push(c, m->key + 7, m->key_len - 7);
        }
    chuanp_buf name;
    chuanp_buf_init(&name, 0);
    if (chuanp_j2x_prefix_ok(c, key, klen))
        chuanp_xml_encode_name(&name, key, klen);
    else
        chuanp_xml_encode_local(&name, key, klen); /* undeclared prefix: keep it reversibly */
    if (name.err) {
        chuanp_j2x_ns_pop(c, ns_mark);
        return chuanp_buf_free(&name), -1;
    }
    c->path[c->depth++] = key;
    int rc = 0;
    chuanp_buf_putc(c->out, '<');
    chuanp_buf_append(c->out, name.data, name.len);
    if (v->type == CHUANP_JOBJECT && (rc = write_attrs(c, v)) != 0)
        goto out;
    if (!has_content(v)) {
        chuanp_buf_puts(c->out, "/>");
        goto out;
    }
    chuanp_buf_putc(c->out, '>');
    if (v->type == CHUANP_JOBJECT) {
        int wrote_elem = 0;
        c->level++;
        rc = write_children(c, v, &wrote_elem);
        c->level--;
        if (rc)
            goto out;
        if (wrote_elem)
            chuanp_j2x_newline(c);
    } else if ((rc = put_scalar(c, v, 0)) != 0) {
        goto out;
    }
    chuanp_buf_puts(c->out, "</");
    chuanp_buf_append(c->out, name.data, name.len);
    chuanp_buf_putc(c->out, '>');
out:
    c->depth--;
    chuanp_j2x_ns_pop(c, ns_mark);
    chuanp_buf_free(&name);
    return rc;
}

static int write_value(chuanp_j2x *c, const char *key, size_t klen, const chuanp_jv *v)
{
    if (v->type != CHUANP_JARRAY) {
        if (c->level > 0)
            chuanp_j2x_newline(c);
        return write_element(c, key, klen, v);
    }
    for (size_t i = 0; i < v->u.arr.count; i++) {
        const chuanp_jv *item = v->u.arr.items[i];
        size_t mark = chuanp_j2x_push_index(c, i);
        int rc;
        if (item->type == CHUANP_JARRAY)
            rc = chuanp_j2x_fail(c, item, "convert.simple-shape",
                                 "an array inside an array has no simple XML form; "
                                 "--mapping w3c or jsonml can hold it");
        else {
            if (c->level > 0)
                chuanp_j2x_newline(c);
            rc = write_element(c, key, klen, item);
        }
        chuanp_j2x_pop(c, mark);
        if (rc)
            return rc;
    }
    return 0;
}

int chuanp_simple_to_xml(chuanp_j2x *c, const char *name, size_t name_len, const chuanp_jv *v)
{
    return write_value(c, name, name_len, v);
}

int chuanp_simple_doc_to_xml(chuanp_j2x *c, const chuanp_jv *v, const char *wrapper)
{
    if (v->type == CHUANP_JOBJECT && v->u.obj.count == 1 &&
        !is_attr_key(&v->u.obj.members[0]) && !is_text_key(&v->u.obj.members[0]) &&
        v->u.obj.members[0].value->type != CHUANP_JARRAY) {
        const chuanp_jmember *m = &v->u.obj.members[0];
        size_t mark = chuanp_j2x_push_key(c, m->key, m->key_len);
        int rc = write_element(c, m->key, m->key_len, m->value);
        chuanp_j2x_pop(c, mark);
        return rc;
    }
    /* anything else is the content of one wrapper element */
    if (v->type == CHUANP_JARRAY) {
        c->path[c->depth++] = wrapper;
        chuanp_buf_printf(c->out, "<%s>", wrapper);
        c->level++;
        int rc = write_value(c, "item", 4, v);
        c->level--;
        c->depth--;
        if (rc)
            return rc;
        chuanp_j2x_newline(c);
        chuanp_buf_printf(c->out, "</%s>", wrapper);
        return 0;
    }
    return write_element(c, wrapper, strlen(wrapper), v);
}
