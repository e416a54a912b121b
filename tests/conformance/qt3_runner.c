/*
 * tests/conformance/qt3_runner.c - runs the W3C QT3 test cases of
 * fn:json-to-xml and fn:xml-to-json against chuan's w3c mapping.
 *
 * usage: qt3_runner SUITE_DIR EXPECTED_FILE [-v]
 *
 * A case is runnable when its expression is one of
 *   json-to-xml(LITERAL [, map{OPTIONS}]), optionally followed by //j:string
 *   xml-to-json(json-to-xml(LITERAL [, map{OPTIONS}]))
 *   xml-to-json(<direct XML constructor without enclosed expressions>)
 *   xml-to-json(PATH) where PATH selects the content of xsl:variable in a named
 *   xsl:template of the environment's source stylesheet
 * with literal option values, and its result is assert-xml (deep-equal,
 * prefixes ignored), assert-eq / assert-string-value (JSON equality,
 * number text compared as decimals), an error code, or all-of / any-of of
 * those (other XPath assertions in an all-of are type checks the XML
 * comparison covers). Everything else (unparsed-text, XPath navigation of
 * the result, schema-typed validation, fallback functions, XML 1.1) is
 * counted as not runnable. Every runnable case must pass, and every case
 * listed in EXPECTED_FILE must be runnable and pass, so the count can only
 * go up. Prints one line per case with -v and a summary line:
 *   qt3: N cases, R runnable, P passed, F failed
 */
#include "../../converters/xml_map.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define CAT_NS "http://www.w3.org/2010/09/qt-fots-catalog"

typedef struct outcome {
    int runnable;
    char *error;      /* error code raised, NULL if none */
    char *xml;        /* json-to-xml result */
    char *json;       /* xml-to-json result */
    const char *why;  /* reason when not runnable */
} outcome;

static void outcome_free(outcome *o)
{
    free(o->error);
    free(o->xml);
    free(o->json);
}

static int is_cat(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns &&
           strcmp((const char *)n->ns->href, CAT_NS) == 0 &&
           (!name || strcmp((const char *)n->name, name) == 0);
}

static xmlNodePtr first_child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr c = n ? n->children : NULL; c; c = c->next)
        if (is_cat(c, name))
            return c;
    return NULL;
}

/* ------------------------------------------------ expression scanning */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
        p++;
    return p;
}

static int eat(const char **p, const char *word)
{
    const char *q = skip_ws(*p);
    size_t n = strlen(word);
    if (strncmp(q, word, n) != 0)
        return 0;
    *p = q + n;
    return 1;
}

/* XQuery string literal with doubled quotes and predefined/char entity refs. */
static char *string_literal(const char **p)
{
    const char *q = skip_ws(*p);
    char quote = *q;
    if (quote != '\'' && quote != '"')
        return NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (q++;; q++) {
        if (!*q) {
            chuanp_buf_free(&b);
            return NULL;
        }
        if (*q == quote) {
            if (q[1] == quote) {
                chuanp_buf_putc(&b, quote);
                q++;
                continue;
            }
            break;
        }
        if (*q == '&') {
            const char *semi = strchr(q, ';');
            if (!semi) {
                chuanp_buf_free(&b);
                return NULL;
            }
            size_t n = (size_t)(semi - q - 1);
            const char *e = q + 1;
            if (n == 3 && !strncmp(e, "amp", 3)) chuanp_buf_putc(&b, '&');
            else if (n == 2 && !strncmp(e, "lt", 2)) chuanp_buf_putc(&b, '<');
            else if (n == 2 && !strncmp(e, "gt", 2)) chuanp_buf_putc(&b, '>');
            else if (n == 4 && !strncmp(e, "quot", 4)) chuanp_buf_putc(&b, '"');
            else if (n == 4 && !strncmp(e, "apos", 4)) chuanp_buf_putc(&b, '\'');
            else if (n > 1 && e[0] == '#') {
                unsigned long cp = e[1] == 'x' ? strtoul(e + 2, NULL, 16) : strtoul(e + 1, NULL, 10);
                chuanp_buf_put_utf8(&b, (uint32_t)cp);
            } else {
                chuanp_buf_free(&b);
                return NULL;
            }
            q = semi;
            continue;
        }
        chuanp_buf_putc(&b, *q);
    }
    *p = q + 1;
    if (b.len == 0) { /* '' : an empty string (an untouched buffer has no terminator) */
        chuanp_buf_free(&b);
        return chuanp_strdup("");
    }
    return chuanp_buf_steal(&b, NULL);
}

typedef struct j2x_opts {
    chuanp_w3c_opts w3c;
    const char *type_error; /* option of the wrong type: XPTY0004 / FOJS0005 */
} j2x_opts;

/* map{'escape':true(), "duplicates":"use-first"} */
static int options(const char **p, j2x_opts *o, const char **why)
{
    if (!eat(p, "map"))
        return -1;
    if (!eat(p, "{"))
        return -1;
    if (eat(p, "}"))
        return 0;
    for (;;) {
        char *key = string_literal(p);
        if (!key || !eat(p, ":")) {
            free(key);
            *why = "option key not a literal";
            return -1;
        }
        int boolean = -1;
        char *sval = NULL;
        if (eat(p, "true()"))
            boolean = 1;
        else if (eat(p, "false()"))
            boolean = 0;
        else if (!(sval = string_literal(p))) {
            free(key);
            *why = "option value not a literal";
            return -1;
        }
        int is_bool_opt = !strcmp(key, "liberal") || !strcmp(key, "escape") ||
                          !strcmp(key, "validate") || !strcmp(key, "indent");
        if (!strcmp(key, "fallback")) {
            free(key);
            free(sval);
            *why = "fallback function";
            return -1;
        }
        if (is_bool_opt && sval) {
            o->type_error = "XPTY0004";
        } else if (!strcmp(key, "duplicates")) {
            if (!sval) o->type_error = "XPTY0004";
            else if (!strcmp(sval, "reject")) o->w3c.duplicates = CHUANP_W3C_DUP_REJECT;
            else if (!strcmp(sval, "use-first")) o->w3c.duplicates = CHUANP_W3C_DUP_USE_FIRST;
            else if (!strcmp(sval, "retain")) o->w3c.duplicates = CHUANP_W3C_DUP_RETAIN;
            else o->type_error = "FOJS0005";
        } else if (!strcmp(key, "escape")) {
            o->w3c.escape = boolean ? CHUANP_W3C_ESCAPE_TRUE : CHUANP_W3C_ESCAPE_FALSE;
        } else if (!strcmp(key, "validate")) {
            o->w3c.validate = boolean;
        } else if (!strcmp(key, "liberal")) {
            o->w3c.liberal = boolean;
        }
        free(key);
        free(sval);
        if (eat(p, "}"))
            break;
        if (!eat(p, ",")) {
            *why = "options map syntax";
            return -1;
        }
    }
    if (o->w3c.validate && o->w3c.duplicates == CHUANP_W3C_DUP_RETAIN && !o->type_error)
        o->type_error = "FOJS0005";
    return 0;
}

/* ------------------------------------------------ running the mapping */

static void set_error(outcome *out, const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].severity == CHUAN_SEV_ERROR) {
            const char *c = d->items[i].code;
            out->error = chuanp_strdup(!strncmp(c, "json.", 5) ? "FOJS0001" : c);
            return;
        }
    out->error = chuanp_strdup("internal");
}

static int json_to_xml(const char *json, const j2x_opts *jo, outcome *out)
{
    chuanp_arena arena;
    chuan_diags d;
    chuanp_arena_init(&arena, 0);
    chuan_diags_init(&d, 0);
    chuanp_json_opts po = {.allow_duplicates = 1, .file = "literal"};
    chuanp_jv *v = NULL;
    int rc = 0;
    if (jo->type_error) {
        out->error = chuanp_strdup(jo->type_error);
        goto out;
    }
    if (chuanp_json_parse(&v, json, strlen(json), &po, &arena, &d) != 0) {
        set_error(out, &d);
        goto out;
    }
    chuanp_convert_opts co = {.mapping = CHUANP_MAP_W3C, .w3c = &jo->w3c, .file = "literal",
                              .json_allow_duplicates = 1};
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_j2x c;
    chuanp_j2x_init(&c, &b, &co, &d, 1);
    int r = chuanp_w3c_to_xml(&c, v, NULL, 0, 1);
    chuanp_j2x_free(&c);
    if (r != 0)
        set_error(out, &d);
    else
        out->xml = chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    rc = r < 0 ? -1 : 0;
out:
    chuan_diags_clear(&d);
    chuanp_arena_free(&arena);
    return rc;
}

/* Replace out->xml with its single j:string descendant (-1: not exactly one). */
static int select_strings(outcome *out)
{
    xmlDocPtr doc = xmlReadMemory(out->xml, (int)strlen(out->xml), "x", NULL, XML_PARSE_NONET);
    if (!doc)
        return -1;
    xmlNodePtr found = NULL, n = xmlDocGetRootElement(doc);
    int count = 0;
    while (n) { /* pre-order walk */
        if (n->type == XML_ELEMENT_NODE && strcmp((const char *)n->name, "string") == 0) {
            found = n;
            count++;
        }
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n && !n->next)
            n = n->parent && n->parent->type != XML_DOCUMENT_NODE ? n->parent : NULL;
        if (n)
            n = n->next;
    }
    int rc = -1;
    if (count == 1) {
        xmlBufferPtr b = xmlBufferCreate();
        xmlNodeDump(b, doc, found, 0, 0);
        const char *text = (const char *)xmlBufferContent(b);
        /* our writer uses the default namespace, declared on the root: restate it */
        if (strncmp(text, "<string", 7) == 0) {
            free(out->xml);
            out->xml = chuanp_asprintf("<string xmlns=\"%s\"%s", CHUANP_W3C_NS, text + 7);
            rc = out->xml ? 0 : -1;
        }
        xmlBufferFree(b);
    }
    xmlFreeDoc(doc);
    return rc;
}

static void xml_to_json_node(xmlNodePtr el, outcome *out)
{
    chuanp_arena arena;
    chuan_diags d;
    chuanp_arena_init(&arena, 0);
    chuan_diags_init(&d, 0);
    chuanp_convert_opts co = {.mapping = CHUANP_MAP_W3C, .file = "literal"};
    chuanp_x2j c;
    memset(&c, 0, sizeof c);
    c.arena = &arena;
    c.o = &co;
    c.d = &d;
    chuanp_jv *v = chuanp_w3c_from_xml(&c, el);
    if (!v || c.failed) {
        set_error(out, &d);
    } else {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_json_write_opts wo = {0};
        chuanp_json_write(&b, v, &wo);
        out->json = chuanp_buf_steal(&b, NULL);
    }
    chuan_diags_clear(&d);
    chuanp_arena_free(&arena);
}

/* Drop whitespace-only text nodes (XQuery boundary space / XSLT stripping),
 * except under xml:space="preserve". */
static void strip_blanks(xmlNodePtr n, int preserve)
{
    for (xmlNodePtr c = n->children; c;) {
        xmlNodePtr next = c->next;
        if (c->type == XML_ELEMENT_NODE) {
            int p = preserve;
            xmlChar *sp = xmlGetNsProp(c, (const xmlChar *)"space", XML_XML_NAMESPACE);
            if (sp)
                p = strcmp((const char *)sp, "preserve") == 0;
            xmlFree(sp);
            strip_blanks(c, p);
        } else if (c->type == XML_TEXT_NODE && !preserve && c->content &&
                   chuanp_xml_is_blank((const char *)c->content, strlen((const char *)c->content))) {
            xmlUnlinkNode(c);
            xmlFreeNode(c);
        }
        c = next;
    }
}

/* XQuery boundary whitespace: whitespace-only runs between two tags of a
 * direct constructor (character references are not boundary whitespace). */
static void strip_boundary(chuanp_buf *b, const char *lit)
{
    for (const char *p = lit; *p; p++) {
        chuanp_buf_putc(b, *p);
        if (*p != '>')
            continue;
        const char *q = p + 1;
        while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
            q++;
        if (*q == '<')
            p = q - 1;
    }
}

static void xml_to_json_literal(const char *lit, int preserve, outcome *out)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "<w xmlns:fn=\"" CHUANP_W3C_NS "\" xmlns:xs=\"http://www.w3.org/2001/XMLSchema\" "
                        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    if (preserve)
        chuanp_buf_puts(&b, lit);
    else
        strip_boundary(&b, lit);
    chuanp_buf_puts(&b, "</w>");
    xmlDocPtr doc = xmlReadMemory(b.data, (int)b.len, "literal", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    chuanp_buf_free(&b);
    if (!doc) {
        out->runnable = 0;
        out->why = "XML literal does not parse";
        return;
    }
    xmlNodePtr w = xmlDocGetRootElement(doc);
    xmlNodePtr el = NULL;
    for (xmlNodePtr c = w->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            el = c;
    if (el)
        xml_to_json_node(el, out);
    xmlFreeDoc(doc);
}

/* No XSLT instruction and no attribute value template below n. */
static int literal_content(xmlNodePtr n)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (n->ns && !strcmp((const char *)n->ns->href, "http://www.w3.org/1999/XSL/Transform"))
            return 0;
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeListGetString(n->doc, a->children, 1);
            int avt = v && strchr((const char *)v, '{');
            xmlFree(v);
            if (avt)
                return 0;
        }
        if (!literal_content(n->children))
            return 0;
    }
    return 1;
}

/* xml-to-json of the content of xsl:variable in template `name` of an XSLT source. */
static void xml_to_json_template(const char *dir, const char *src, const char *name, outcome *out)
{
    char *path = chuanp_asprintf("%s/fn/%s", dir, src);
    xmlDocPtr doc = path ? xmlReadFile(path, NULL, XML_PARSE_NONET) : NULL;
    free(path);
    if (!doc) {
        out->runnable = 0;
        out->why = "source document missing";
        return;
    }
    xmlNodePtr var = NULL;
    for (xmlNodePtr t = xmlDocGetRootElement(doc)->children; t && !var; t = t->next) {
        if (t->type != XML_ELEMENT_NODE || strcmp((const char *)t->name, "template") != 0)
            continue;
        xmlChar *nm = xmlGetNoNsProp(t, (const xmlChar *)"name");
        if (nm && strcmp((const char *)nm, name) == 0)
            for (xmlNodePtr v = t->children; v; v = v->next)
                if (v->type == XML_ELEMENT_NODE && strcmp((const char *)v->name, "variable") == 0)
                    var = v;
        xmlFree(nm);
    }
    if (!var) {
        out->runnable = 0;
        out->why = "template not found";
        xmlFreeDoc(doc);
        return;
    }
    xmlChar *sp = xmlGetNsProp(var, (const xmlChar *)"space", XML_XML_NAMESPACE);
    strip_blanks(var, sp && strcmp((const char *)sp, "preserve") == 0);
    xmlFree(sp);
    /* XSLT instructions or attribute value templates make it an expression */
    xmlChar *sel = xmlGetNoNsProp(var, (const xmlChar *)"select");
    int is_literal = !sel && literal_content(var->children);
    xmlFree(sel);
    int n = 0;
    xmlNodePtr el = NULL;
    for (xmlNodePtr c = var->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE) {
            n++;
            el = c;
        }
    if (!is_literal) {
        out->runnable = 0;
        out->why = "variable content is an XSLT expression";
    } else if (n != 1) {
        out->error = chuanp_strdup("XPTY0004"); /* not exactly one node */
    } else {
        xml_to_json_node(el, out);
    }
    xmlFreeDoc(doc);
}

static const char *env_source(xmlNodePtr catalog, xmlNodePtr tc)
{
    xmlNodePtr env = first_child(tc, "environment");
    xmlChar *ref = env ? xmlGetNoNsProp(env, (const xmlChar *)"ref") : NULL;
    const char *file = NULL;
    for (xmlNodePtr e = catalog->children; e && ref; e = e->next) {
        if (!is_cat(e, "environment"))
            continue;
        xmlChar *nm = xmlGetNoNsProp(e, (const xmlChar *)"name");
        if (nm && !strcmp((const char *)nm, (const char *)ref)) {
            xmlNodePtr s = first_child(e, "source");
            xmlChar *f = s ? xmlGetNoNsProp(s, (const xmlChar *)"file") : NULL;
            static char buf[256];
            if (f)
                snprintf(buf, sizeof buf, "%s", (const char *)f), file = buf;
            xmlFree(f);
        }
        xmlFree(nm);
    }
    xmlFree(ref);
    return file;
}

static void run_expression(const char *dir, xmlNodePtr catalog, xmlNodePtr tc, const char *expr,
                           outcome *out)
{
    const char *p = expr;
    int preserve = 0;
    out->runnable = 1;
    if (eat(&p, "declare boundary-space preserve;"))
        preserve = 1;
    eat(&p, "fn:");
    if (eat(&p, "json-to-xml(")) {
        j2x_opts jo = {.w3c = {.escape = CHUANP_W3C_ESCAPE_FALSE}};
        char *lit = string_literal(&p);
        if (!lit) {
            out->runnable = 0;
            out->why = "argument is not a string literal";
            return;
        }
        if (eat(&p, ",") && options(&p, &jo, &out->why) < 0) {
            out->runnable = 0;
            if (!out->why)
                out->why = "options are not a literal map";
        } else if (!eat(&p, ")")) {
            out->runnable = 0;
            out->why = "options map syntax";
        } else {
            /* "//j:string": the one string element of the result */
            int strings = eat(&p, "//j:string");
            if (*skip_ws(p)) {
                out->runnable = 0;
                out->why = "result is navigated further";
            } else if (json_to_xml(lit, &jo, out) < 0) {
                out->error = chuanp_strdup("internal");
            } else if (strings && out->xml && select_strings(out) < 0) {
                out->runnable = 0;
                out->why = "result has more than one string";
            }
        }
        free(lit);
        return;
    }
    if (!eat(&p, "xml-to-json(")) {
        out->runnable = 0;
        out->why = "not a call on a literal";
        return;
    }
    const char *q = p;
    eat(&q, "fn:");
    if (eat(&q, "json-to-xml(")) {
        j2x_opts jo = {.w3c = {.escape = CHUANP_W3C_ESCAPE_FALSE}};
        char *lit = string_literal(&q);
        if (!lit || (eat(&q, ",") && options(&q, &jo, &out->why) < 0) || !eat(&q, ")") ||
            !eat(&q, ")") || *skip_ws(q)) {
            free(lit);
            out->runnable = 0;
            if (!out->why)
                out->why = "not json-to-xml of a literal";
            return;
        }
        json_to_xml(lit, &jo, out);
        free(lit);
        if (out->xml) {
            xmlDocPtr doc = xmlReadMemory(out->xml, (int)strlen(out->xml), "x", NULL,
                                          XML_PARSE_NONET);
            if (doc)
                xml_to_json_node(xmlDocGetRootElement(doc), out);
            xmlFreeDoc(doc);
        }
        return;
    }
    const char *t = skip_ws(p);
    if (!strncmp(t, "//*:template[@name=\"", 20)) {
        const char *nm = t + 20, *end = strchr(nm, '"');
        const char *src = env_source(catalog, tc);
        if (!end || !src || strcmp(end, "\"]/*:variable/*)") != 0) {
            out->runnable = 0;
            out->why = "template reference";
            return;
        }
        char name[64];
        snprintf(name, sizeof name, "%.*s", (int)(end - nm), nm);
        xml_to_json_template(dir, src, name, out);
        return;
    }
    int docnode = 0;
    if (!strncmp(t, "document{", 9)) {
        t = skip_ws(t + 9);
        docnode = 1;
    }
    if (*t != '<') {
        out->runnable = 0;
        out->why = "argument is not a direct XML constructor";
        return;
    }
    const char *close = strrchr(t, ')');
    if (close && docnode) {
        while (close > t && (close[-1] == ' ' || close[-1] == '\n'))
            close--;
        close = close > t && close[-1] == '}' ? close - 1 : NULL;
    }
    if (!close || *skip_ws(docnode ? close + 1 + (close[1] == ')' ? 1 : 0) : close + 1) ||
        memchr(t, '{', (size_t)(close - t)) ||
        memchr(t, '}', (size_t)(close - t))) {
        out->runnable = 0;
        out->why = "constructor with enclosed expressions or options";
        return;
    }
    char *lit = chuanp_strndup(t, (size_t)(close - t));
    xml_to_json_literal(lit, preserve, out);
    free(lit);
}

/* ------------------------------------------------------- comparisons */

static void collect(xmlNodePtr first, xmlNodePtr *items, int *n, int max, int keep_blank)
{
    chuanp_buf dummy;
    (void)dummy;
    *n = 0;
    for (xmlNodePtr c = first; c && *n < max; c = c->next) {
        if (c->type == XML_COMMENT_NODE || c->type == XML_PI_NODE)
            continue;
        if (c->type == XML_TEXT_NODE && !keep_blank && c->content &&
            chuanp_xml_is_blank((const char *)c->content, strlen((const char *)c->content)))
            continue;
        items[(*n)++] = c;
    }
}

static int has_element_child(xmlNodePtr n)
{
    for (xmlNodePtr c = n->children; c; c = c->next)
        if (c->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

static int deep_equal(xmlNodePtr a, xmlNodePtr b);

static int attrs_subset(xmlNodePtr a, xmlNodePtr b)
{
    for (xmlAttrPtr x = a->properties; x; x = x->next) {
        xmlChar *va = xmlNodeListGetString(a->doc, x->children, 1);
        xmlChar *vb = xmlGetNsProp(b, x->name, x->ns ? x->ns->href : NULL);
        int ok = vb && va && strcmp((const char *)va, (const char *)vb) == 0;
        if (!x->ns && !xmlHasNsProp(b, x->name, NULL))
            ok = 0;
        xmlFree(va);
        xmlFree(vb);
        if (!ok)
            return 0;
    }
    return 1;
}

static int deep_equal(xmlNodePtr a, xmlNodePtr b)
{
    if (a->type != b->type)
        return 0;
    if (a->type == XML_TEXT_NODE)
        return strcmp((const char *)a->content, (const char *)b->content) == 0;
    if (strcmp((const char *)a->name, (const char *)b->name) != 0)
        return 0;
    const char *na = a->ns ? (const char *)a->ns->href : "";
    const char *nb = b->ns ? (const char *)b->ns->href : "";
    if (strcmp(na, nb) != 0 || !attrs_subset(a, b) || !attrs_subset(b, a))
        return 0;
    xmlNodePtr ia[4096], ib[4096];
    int n, m;
    int blank = !has_element_child(a) && !has_element_child(b);
    collect(a->children, ia, &n, 4096, blank);
    collect(b->children, ib, &m, 4096, blank);
    if (n != m)
        return 0;
    for (int i = 0; i < n; i++)
        if (!deep_equal(ia[i], ib[i]))
            return 0;
    return 1;
}

static int xml_matches(const char *actual, const char *expected)
{
    char *wrapped = chuanp_asprintf("<w>%s</w>", expected);
    xmlDocPtr e = xmlReadMemory(wrapped, (int)strlen(wrapped), "e", NULL, XML_PARSE_NONET);
    xmlDocPtr a = xmlReadMemory(actual, (int)strlen(actual), "a", NULL, XML_PARSE_NONET);
    free(wrapped);
    int ok = 0;
    if (e && a) {
        xmlNodePtr items[16];
        int n;
        collect(xmlDocGetRootElement(e)->children, items, &n, 16, 0);
        ok = n == 1 && deep_equal(items[0], xmlDocGetRootElement(a));
    }
    xmlFreeDoc(e);
    xmlFreeDoc(a);
    return ok;
}

static int json_matches(const char *actual, const char *expected_json)
{
    chuanp_arena arena;
    chuan_diags d;
    chuanp_arena_init(&arena, 0);
    chuan_diags_init(&d, 0);
    chuanp_json_opts po = {.allow_duplicates = 1};
    chuanp_jv *x = NULL, *y = NULL;
    int ok = chuanp_json_parse(&x, actual, strlen(actual), &po, &arena, &d) == 0 &&
             chuanp_json_parse(&y, expected_json, strlen(expected_json), &po, &arena, &d) == 0 &&
             chuanp_json_equal(x, y);
    chuan_diags_clear(&d);
    chuanp_arena_free(&arena);
    return ok;
}

/* 1 pass, 0 fail, -1 not a kind of assertion we check */
static int check(xmlNodePtr r, const outcome *o)
{
    if (is_cat(r, "error")) {
        xmlChar *code = xmlGetNoNsProp(r, (const xmlChar *)"code");
        int ok = o->error && code && strcmp((const char *)code, o->error) == 0;
        xmlFree(code);
        return ok;
    }
    if (is_cat(r, "assert-xml")) {
        xmlChar *t = xmlNodeGetContent(r);
        int ok = !o->error && o->xml && xml_matches(o->xml, (const char *)t);
        xmlFree(t);
        return ok;
    }
    if (is_cat(r, "assert-eq") || is_cat(r, "assert-string-value")) {
        xmlChar *t = xmlNodeGetContent(r);
        const char *p = (const char *)t;
        char *lit = is_cat(r, "assert-eq") ? string_literal(&p) : chuanp_strdup((const char *)t);
        int ok = lit && !o->error && o->json && json_matches(o->json, lit);
        free(lit);
        xmlFree(t);
        return ok;
    }
    if (is_cat(r, "all-of") || is_cat(r, "any-of")) {
        int any = is_cat(r, "any-of"), checked = 0, result = any ? 0 : 1;
        for (xmlNodePtr c = r->children; c; c = c->next) {
            if (c->type != XML_ELEMENT_NODE)
                continue;
            int k = check(c, o);
            if (k < 0)
                continue; /* type/count assertions: covered by the XML comparison */
            checked++;
            result = any ? (result || k) : (result && k);
        }
        return checked ? result : -1;
    }
    return -1;
}

/* --------------------------------------------------------------- main */

typedef struct names {
    char **v;
    size_t n;
} names;

static int listed(const names *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], name) == 0)
            return 1;
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: qt3_runner SUITE_DIR EXPECTED_FILE [-v]\n");
        return 2;
    }
    int verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    names expected = {0};
    FILE *ef = fopen(argv[2], "r");
    char line[256];
    while (ef && fgets(line, sizeof line, ef)) {
        line[strcspn(line, " \t\r\n#")] = '\0';
        if (!*line)
            continue;
        char **v = realloc(expected.v, (expected.n + 1) * sizeof *v);
        if (!v)
            return 2;
        expected.v = v;
        expected.v[expected.n++] = chuanp_strdup(line);
    }
    if (ef)
        fclose(ef);
    static const char *const sets[] = {"json-to-xml.xml", "xml-to-json.xml"};
    int total = 0, runnable = 0, passed = 0, failed = 0, missing = 0;
    for (size_t s = 0; s < 2; s++) {
        char *path = chuanp_asprintf("%s/fn/%s", argv[1], sets[s]);
        xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET);
        if (!doc) {
            fprintf(stderr, "qt3: cannot read %s\n", path);
            free(path);
            return 2;
        }
        free(path);
        xmlNodePtr cat = xmlDocGetRootElement(doc);
        for (xmlNodePtr tc = cat->children; tc; tc = tc->next) {
            if (!is_cat(tc, "test-case"))
                continue;
            total++;
            xmlChar *name = xmlGetNoNsProp(tc, (const xmlChar *)"name");
            xmlNodePtr test = first_child(tc, "test"), result = first_child(tc, "result");
            xmlNodePtr rc = NULL;
            for (xmlNodePtr c = result ? result->children : NULL; c; c = c->next)
                if (c->type == XML_ELEMENT_NODE)
                    rc = c;
            outcome o = {0};
            int xml11 = 0;
            for (xmlNodePtr dep = tc->children; dep; dep = dep->next)
                if (is_cat(dep, "dependency")) {
                    xmlChar *t = xmlGetNoNsProp(dep, (const xmlChar *)"type");
                    xmlChar *v = xmlGetNoNsProp(dep, (const xmlChar *)"value");
                    xml11 |= t && v && !strcmp((const char *)t, "xml-version") &&
                             !strcmp((const char *)v, "1.1");
                    xmlFree(t);
                    xmlFree(v);
                }
            xmlChar *expr = test ? xmlNodeGetContent(test) : NULL;
            if (xml11) {
                o.why = "needs XML 1.1";
            } else if (expr && rc) {
                run_expression(argv[1], cat, tc, (const char *)expr, &o);
            } else {
                o.why = "no expression";
            }
            int verdict = o.runnable ? check(rc, &o) : -1;
            if (o.runnable && verdict < 0) {
                o.runnable = 0;
                o.why = "assertion kind not checked";
            }
            int in_list = listed(&expected, (const char *)name);
            if (o.runnable) {
                runnable++;
                if (verdict) passed++;
                else failed++;
                if (verbose || !verdict)
                    printf("%s %s%s%s%s%s%s%s\n", (const char *)name, verdict ? "PASS" : "FAIL",
                           o.error ? " error=" : "", o.error ? o.error : "",
                           !verdict && o.json ? " json=" : "", !verdict && o.json ? o.json : "",
                           !verdict && o.xml ? " xml=" : "", !verdict && o.xml ? o.xml : "");
                if (verdict && !in_list)
                    printf("%s passes but is not in %s: add it\n", (const char *)name, argv[2]);
            } else {
                if (verbose)
                    printf("%s SKIP (%s)\n", (const char *)name, o.why ? o.why : "?");
                if (in_list) {
                    printf("%s is listed in %s but no longer runnable\n", (const char *)name, argv[2]);
                    missing++;
                }
            }
            outcome_free(&o);
            xmlFree(expr);
            xmlFree(name);
        }
        xmlFreeDoc(doc);
    }
    printf("qt3: %d cases, %d runnable, %d passed, %d failed, %zu expected\n", total, runnable,
           passed, failed + missing, expected.n);
    for (size_t i = 0; i < expected.n; i++)
        free(expected.v[i]);
    free(expected.v);
    xmlCleanupParser();
    return failed || missing || (size_t)passed < expected.n ? 1 : 0;
}
