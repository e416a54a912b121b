/*
 * converters/xsd_hints.c - schema hints from an XML Schema (see xsd_hints.h).
 *
 * The schema is expanded once, at load time, into a tree of element names
 * (a trie from the global elements down, recursion cut at 40 levels); each
 * node carries its hint and its children in schema order. Lookups walk the
 * tree by local name, so the loaded hints are read-only and shared by all
 * worker threads.
 */
#include "xsd_hints.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define XS_NS "http://www.w3.org/2001/XMLSchema"
#define MAX_EXPAND_DEPTH 40
#define MAX_NODES 200000

typedef struct hnode {
    char *name; /* local name; "@attr" for attributes, "#text" for simple content */
    chuanp_hint hint;
    struct hnode **kids;
    size_t nkids, cap;
} hnode;

struct chuanp_xsd_hints {
    chuanp_schema_hints api;
    hnode root;       /* kids: the global elements */
    hnode *base;      /* where record paths start (the record element) */
    size_t nodes;
    xmlDocPtr doc;    /* only while loading */
};

static int is_xs(xmlNodePtr n, const char *local)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && n->ns->href &&
           strcmp((const char *)n->ns->href, XS_NS) == 0 &&
           (!local || strcmp((const char *)n->name, local) == 0);
}

static xmlChar *attr(xmlNodePtr n, const char *name)
{
    return xmlGetNoNsProp(n, (const xmlChar *)name);
}

static const char *local_of(const char *qname)
{
    const char *c = strchr(qname, ':');
    return c ? c + 1 : qname;
}

/* Whether a QName attribute value names a type of the XML Schema namespace. */
static int qname_is_xs(xmlNodePtr ctx, const char *qname)
{
    const char *c = strchr(qname, ':');
    xmlChar *prefix = c ? xmlStrndup((const xmlChar *)qname, (int)(c - qname)) : NULL;
    xmlNsPtr ns = xmlSearchNs(ctx->doc, ctx, prefix);
    xmlFree(prefix);
    return ns && ns->href && strcmp((const char *)ns->href, XS_NS) == 0;
}

static int max_occurs_many(xmlNodePtr n)
{
    xmlChar *m = attr(n, "maxOccurs");
    int many = 0;
    if (m) {
        long v = 0;
        many = strcmp((const char *)m, "unbounded") == 0 ||
               (chuanp_parse_long((const char *)m, 0, 1L << 30, &v) == 0 && v > 1);
        xmlFree(m);
    }
    return many;
}

static xmlNodePtr find_global(xmlDocPtr doc, const char *kind, const char *name)
{
    xmlNodePtr s = xmlDocGetRootElement(doc);
    for (xmlNodePtr n = s ? s->children : NULL; n; n = n->next) {
        if (!is_xs(n, kind))
            continue;
        xmlChar *nm = attr(n, "name");
        int hit = nm && strcmp((const char *)nm, name) == 0;
        xmlFree(nm);
        if (hit)
            return n;
    }
    return NULL;
}

static chuanp_hint_type builtin_type(const char *local)
{
    static const char *const ints[] = {"integer", "int", "long", "short", "byte",
                                       "nonNegativeInteger", "positiveInteger", "nonPositiveInteger",
                                       "negativeInteger", "unsignedLong", "unsignedInt",
                                       "unsignedShort", "unsignedByte", NULL};
    for (size_t i = 0; ints[i]; i++)
        if (strcmp(local, ints[i]) == 0)
            return CHUANP_HINT_INTEGER;
    if (strcmp(local, "decimal") == 0 || strcmp(local, "double") == 0 ||
        strcmp(local, "float") == 0)
        return CHUANP_HINT_NUMBER;
    if (strcmp(local, "boolean") == 0)
        return CHUANP_HINT_BOOLEAN;
    if (strcmp(local, "anyType") == 0)
        return CHUANP_HINT_UNKNOWN;
    return CHUANP_HINT_STRING;
}

/* Scalar type of a simple type definition (restriction chain to a built-in). */
static chuanp_hint_type simple_type(chuanp_xsd_hints *h, xmlNodePtr st, int depth)
{
    if (!st || depth > MAX_EXPAND_DEPTH)
        return CHUANP_HINT_STRING;
    for (xmlNodePtr n = st->children; n; n = n->next) {
        if (is_xs(n, "list") || is_xs(n, "union"))
            return CHUANP_HINT_STRING;
        if (!is_xs(n, "restriction"))
            continue;
        xmlChar *base = attr(n, "base");
        chuanp_hint_type t = CHUANP_HINT_STRING;
        if (base) {
            const char *b = (const char *)base;
            t = qname_is_xs(n, b) ? builtin_type(local_of(b))
                                  : simple_type(h, find_global(h->doc, "simpleType", local_of(b)),
                                                depth + 1);
        } else {
            for (xmlNodePtr k = n->children; k; k = k->next)
                if (is_xs(k, "simpleType"))
                    t = simple_type(h, k, depth + 1);
        }
        xmlFree(base);
        return t;
    }
    return CHUANP_HINT_STRING;
}

static hnode *child(chuanp_xsd_hints *h, hnode *parent, const char *name)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (strcmp(parent->kids[i]->name, name) == 0)
            return parent->kids[i];
    if (h->nodes >= MAX_NODES)
        return NULL;
    if (parent->nkids == parent->cap) {
        size_t cap = parent->cap ? parent->cap * 2 : 8;
        hnode **k = chuanp_realloc(parent->kids, cap * sizeof *k);
        if (!k)
            return NULL;
        parent->kids = k;
        parent->cap = cap;
    }
    hnode *n = chuanp_calloc(1, sizeof *n);
    if (!n || !(n->name = chuanp_strdup(name))) {
        chuanp_free(n);
        return NULL;
    }
    h->nodes++;
    parent->kids[parent->nkids++] = n;
    return n;
}

static int expand_complex(chuanp_xsd_hints *h, hnode *node, xmlNodePtr ct, int depth);

/* Type of a named type reference: built-in, simpleType or complexType. */
static int expand_type_ref(chuanp_xsd_hints *h, hnode *node, xmlNodePtr ctx, const char *qname,
                           int depth)
{
    if (qname_is_xs(ctx, qname)) {
        node->hint.type = builtin_type(local_of(qname));
        return 0;
    }
    xmlNodePtr t = find_global(h->doc, "complexType", local_of(qname));
    if (t)
        return expand_complex(h, node, t, depth + 1);
    node->hint.type = simple_type(h, find_global(h->doc, "simpleType", local_of(qname)), depth + 1);
    return 0;
}

static int add_attribute(chuanp_xsd_hints *h, hnode *node, xmlNodePtr a, int depth)
{
    xmlChar *name = attr(a, "name");
    xmlChar *ref = name ? NULL : attr(a, "ref");
    xmlNodePtr decl = a;
    if (ref) {
        name = xmlStrdup((const xmlChar *)local_of((const char *)ref));
        decl = find_global(h->doc, "attribute", (const char *)name);
    }
    int rc = 0;
    if (name) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_buf_printf(&b, "@%s", local_of((const char *)name));
        hnode *n = b.err ? NULL : child(h, node, b.data);
        chuanp_buf_free(&b);
        if (!n) {
            rc = -1;
        } else {
            n->hint.known = 1;
            n->hint.type = CHUANP_HINT_STRING;
            xmlChar *type = decl ? attr(decl, "type") : NULL;
            if (type)
                n->hint.type = qname_is_xs(decl, (const char *)type)
                                   ? builtin_type(local_of((const char *)type))
                                   : simple_type(h, find_global(h->doc, "simpleType",
                                                                local_of((const char *)type)),
                                                 depth + 1);
            else if (decl)
                for (xmlNodePtr k = decl->children; k; k = k->next)
                    if (is_xs(k, "simpleType"))
                        n->hint.type = simple_type(h, k, depth + 1);
            xmlFree(type);
        }
    }
    xmlFree(name);
    xmlFree(ref);
    return rc;
}

static int expand_element(chuanp_xsd_hints *h, hnode *parent, xmlNodePtr el, int repeat, int depth);

static int expand_model(chuanp_xsd_hints *h, hnode *node, xmlNodePtr model, int repeat, int depth);

/* <xs:group ref="g"/>: the model of the named group. */
static int expand_group(chuanp_xsd_hints *h, hnode *node, xmlNodePtr n, int repeat, int depth)
{
    xmlChar *ref = attr(n, "ref");
    xmlNodePtr g = ref ? find_global(h->doc, "group", local_of((const char *)ref)) : NULL;
    int r = repeat || max_occurs_many(n), rc = 0;
    xmlFree(ref);
    for (xmlNodePtr k = g ? g->children : NULL; k && rc == 0; k = k->next)
        if (is_xs(k, "sequence") || is_xs(k, "choice") || is_xs(k, "all"))
            rc = expand_model(h, node, k, r, depth + 1);
    return rc;
}

static int expand_model(chuanp_xsd_hints *h, hnode *node, xmlNodePtr model, int repeat, int depth)
{
    if (depth > MAX_EXPAND_DEPTH)
        return 0;
    repeat = repeat || max_occurs_many(model);
    for (xmlNodePtr n = model->children; n; n = n->next) {
        int rc = 0;
        if (is_xs(n, "element")) {
            rc = expand_element(h, node, n, repeat || max_occurs_many(n), depth + 1);
        } else if (is_xs(n, "sequence") || is_xs(n, "choice") || is_xs(n, "all")) {
            rc = expand_model(h, node, n, repeat, depth + 1);
        } else if (is_xs(n, "group")) {
            rc = expand_group(h, node, n, repeat, depth);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int expand_attrs_and_model(chuanp_xsd_hints *h, hnode *node, xmlNodePtr holder, int depth)
{
    for (xmlNodePtr n = holder->children; n; n = n->next) {
        int rc = 0;
        if (is_xs(n, "sequence") || is_xs(n, "choice") || is_xs(n, "all"))
            rc = expand_model(h, node, n, 0, depth + 1);
        else if (is_xs(n, "group"))
            rc = expand_group(h, node, n, 0, depth);
        else if (is_xs(n, "attribute"))
            rc = add_attribute(h, node, n, depth);
        else if (is_xs(n, "attributeGroup")) {
            xmlChar *ref = attr(n, "ref");
            xmlNodePtr g = ref ? find_global(h->doc, "attributeGroup", local_of((const char *)ref))
                               : NULL;
            xmlFree(ref);
            if (g && depth < MAX_EXPAND_DEPTH)
                rc = expand_attrs_and_model(h, node, g, depth + 1);
        }
        if (rc < 0)
            return rc;
    }
    return 0;
}

static int expand_complex(chuanp_xsd_hints *h, hnode *node, xmlNodePtr ct, int depth)
{
    if (depth > MAX_EXPAND_DEPTH)
        return 0;
    node->hint.type = CHUANP_HINT_OBJECT;
    for (xmlNodePtr n = ct->children; n; n = n->next) {
        if (!is_xs(n, "complexContent") && !is_xs(n, "simpleContent"))
            continue;
        int simple = is_xs(n, "simpleContent");
        for (xmlNodePtr d = n->children; d; d = d->next) {
            if (!is_xs(d, "extension") && !is_xs(d, "restriction"))
                continue;
            xmlChar *base = attr(d, "base");
            int rc = 0;
            if (simple) {
                hnode *t = child(h, node, "#text");
                if (!t) {
                    xmlFree(base);
                    return -1;
                }
                t->hint.known = 1;
                t->hint.type = CHUANP_HINT_STRING;
                if (base)
                    rc = expand_type_ref(h, t, d, (const char *)base, depth);
                if (t->hint.type == CHUANP_HINT_OBJECT) /* simple content of a complex base */
                    t->hint.type = CHUANP_HINT_STRING;
            } else if (base && is_xs(d, "extension") && !qname_is_xs(d, (const char *)base)) {
                xmlNodePtr bt = find_global(h->doc, "complexType", local_of((const char *)base));
                if (bt)
                    rc = expand_complex(h, node, bt, depth + 1);
            }
            xmlFree(base);
            if (rc < 0 || expand_attrs_and_model(h, node, d, depth) < 0)
                return -1;
        }
        return 0;
    }
    return expand_attrs_and_model(h, node, ct, depth);
}

static int expand_element(chuanp_xsd_hints *h, hnode *parent, xmlNodePtr el, int repeat, int depth)
{
    if (depth > MAX_EXPAND_DEPTH)
        return 0;
    xmlChar *name = attr(el, "name");
    xmlNodePtr decl = el;
    if (!name) {
        xmlChar *ref = attr(el, "ref");
        if (!ref)
            return 0;
        name = xmlStrdup((const xmlChar *)local_of((const char *)ref));
        xmlFree(ref);
        decl = find_global(h->doc, "element", (const char *)name);
    }
    hnode *node = name ? child(h, parent, (const char *)name) : NULL;
    xmlFree(name);
    if (!node)
        return -1;
    int fresh = !node->hint.known;
    node->hint.known = 1;
    node->hint.is_array |= repeat;
    if (!fresh || !decl)
        return 0;
    node->hint.type = CHUANP_HINT_UNKNOWN;
    xmlChar *type = attr(decl, "type");
    int rc = 0;
    if (type) {
        rc = expand_type_ref(h, node, decl, (const char *)type, depth);
        xmlFree(type);
        return rc;
    }
    for (xmlNodePtr n = decl->children; n && rc == 0; n = n->next) {
        if (is_xs(n, "complexType"))
            rc = expand_complex(h, node, n, depth + 1);
        else if (is_xs(n, "simpleType"))
            node->hint.type = simple_type(h, n, depth + 1);
    }
    return rc;
}

/* ----------------------------------------------------------- lookups */

static const hnode *walk(const hnode *n, const char *const *path, size_t depth)
{
    for (size_t i = 0; i < depth && n; i++) {
        const char *want = path[i][0] == '@' || path[i][0] == '#' ? path[i] : local_of(path[i]);
        const hnode *next = NULL;
        for (size_t k = 0; k < n->nkids && !next; k++) {
            const char *have = n->kids[k]->name;
            if (want[0] == '@' ? strcmp(local_of(want + 1), have + 1) == 0 && have[0] == '@'
                               : strcmp(want, have) == 0)
                next = n->kids[k];
        }
        n = next;
    }
    return n;
}

static int lookup(void *ctx, const char *const *path, size_t depth, chuanp_hint *out)
{
    const chuanp_xsd_hints *h = ctx;
    const hnode *n = walk(h->base, path, depth);
    memset(out, 0, sizeof *out);
    if (!n)
        return 0;
    *out = n->hint;
    return 0;
}

static int child_order(void *ctx, const char *const *path, size_t depth, const char **names,
                       int max)
{
    const chuanp_xsd_hints *h = ctx;
    const hnode *n = walk(h->base, path, depth);
    if (!n)
        return -1;
    int k = 0;
    for (size_t i = 0; i < n->nkids && k < max; i++)
        if (n->kids[i]->name[0] != '@' && n->kids[i]->name[0] != '#')
            names[k++] = n->kids[i]->name;
    return k;
}

static hnode *find_anywhere(hnode *n, const char *name, int depth)
{
    for (size_t i = 0; i < n->nkids && depth < MAX_EXPAND_DEPTH; i++) {
        if (strcmp(n->kids[i]->name, name) == 0)
            return n->kids[i];
        hnode *f = find_anywhere(n->kids[i], name, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

/* The node of the record element: records' hint paths start below it. */
static hnode *record_base(chuanp_xsd_hints *h, const char *record_path)
{
    if (!record_path)
        return &h->root;
    const char *p = record_path;
    int anywhere = p[0] != '/' || p[1] == '/';
    while (*p == '/')
        p++;
    if (anywhere)
        return find_anywhere(&h->root, local_of(p), 0);
    hnode *n = &h->root;
    while (*p && n) {
        const char *slash = strchr(p, '/');
        size_t len = slash ? (size_t)(slash - p) : strlen(p);
        char *step = chuanp_strndup(p, len);
        if (!step)
            return NULL;
        hnode *next = NULL;
        for (size_t i = 0; i < n->nkids && !next; i++)
            if (strcmp(n->kids[i]->name, local_of(step)) == 0)
                next = n->kids[i];
        chuanp_free(step);
        n = next;
        p = slash ? slash + 1 : p + len;
    }
    return n;
}

static void free_node(hnode *n)
{
    for (size_t i = 0; i < n->nkids; i++) {
        free_node(n->kids[i]);
        chuanp_free(n->kids[i]);
    }
    chuanp_free(n->kids);
    chuanp_free(n->name);
}

static int load(chuanp_xsd_hints **out, const char *path, const char *record_path, char **errmsg)
{
    *out = NULL;
    *errmsg = NULL;
    chuanp_xsd_hints *h = chuanp_calloc(1, sizeof *h);
    xmlParserCtxtPtr ctxt = xmlNewParserCtxt();
    int rc = -1;
    if (!h || !ctxt)
        goto out;
    h->doc = xmlCtxtReadFile(ctxt, path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                   XML_PARSE_NOWARNING);
    xmlNodePtr s = h->doc ? xmlDocGetRootElement(h->doc) : NULL;
    if (!s || !is_xs(s, "schema")) {
        *errmsg = chuanp_asprintf("%s: %s", path,
                                  !h->doc ? "cannot read the schema (missing or not well-formed)"
                                          : "not an XML Schema (no xs:schema root)");
        goto out;
    }
    for (xmlNodePtr n = s->children; n; n = n->next)
        if (is_xs(n, "element") && expand_element(h, &h->root, n, 0, 0) < 0) {
            *errmsg = chuanp_asprintf(_("%s: schema too large or out of memory"), path);
            goto out;
        }
    h->base = record_base(h, record_path);
    if (!h->base) {
        *errmsg = chuanp_asprintf(_("%s: the schema declares no element at --record %s"), path,
                                  record_path);
        goto out;
    }
    h->api.ctx = h;
    h->api.lookup = lookup;
    h->api.child_order = child_order;
    rc = 0;
out:
    if (h && h->doc) {
        xmlFreeDoc(h->doc);
        h->doc = NULL;
    }
    xmlFreeParserCtxt(ctxt);
    if (rc < 0) {
        chuanp_xsd_hints_free(h);
        if (!*errmsg)
            *errmsg = chuanp_strdup("out of memory");
        return -1;
    }
    *out = h;
    return 0;
}

const chuanp_schema_hints *chuanp_xsd_hints_get(chuanp_xsd_hints *h)
{
    return h ? &h->api : NULL;
}

void chuanp_xsd_hints_free(chuanp_xsd_hints *h)
{
    if (!h)
        return;
    free_node(&h->root);
    xmlFreeDoc(h->doc);
    chuanp_free(h);
}

/* Anything that went wrong while reading the schema fails the load (issue 11):
 * a declaration lost to an allocation failure would change the conversion. */
int chuanp_xsd_hints_load(chuanp_xsd_hints **out, const char *path, const char *record_path,
                          char **errmsg)
{
    chuanp_compile_guard g;
    chuanp_compile_guard_begin(&g);
    int rc = load(out, path, record_path, errmsg);
    if (chuanp_compile_guard_check(&g, rc, NULL, path) != 0 && rc >= 0) {
        chuanp_xsd_hints_free(*out);
        *out = NULL;
        *errmsg = chuanp_asprintf(_("%s: out of memory reading the schema"), path);
        rc = -1;
    }
    return rc;
}
