/* validator/schematron_compile.c - ISO Schematron (xslt1 binding) to an XSLT 1.0 stylesheet. */
#include "schematron_internal.h"

#include "../core/confine.h"

#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <stdlib.h>
#include <string.h>

#define XSL_NS "http://www.w3.org/1999/XSL/Transform"
#define SCH15_NS "http://www.ascc.net/xml/schematron"
#define MAX_EXTENDS_DEPTH 16

typedef struct compiler {
    const char *path;
    xmlDocPtr sch;
    xmlNodePtr sroot;
    const xmlChar *sch_ns;
    xmlDocPtr out;
    xmlNodePtr xroot;
    xmlNsPtr xsl, svrl, cx;
    chuan_diags *d;
    int errors;
    chuanp_buf lib_errors; /* libxml2/libxslt messages while compiling */
    char **ids;
    size_t nids, capids;
    chuanp_codelists *codelists;
    xmlNodePtr phase; /* the selected <phase>, NULL: #ALL */
} compiler;

static int is_sch(const compiler *c, xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, c->sch_ns) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

static void fail(compiler *c, xmlNodePtr at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(compiler *c, xmlNodePtr at, const char *code, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = c->path,
                     .line = at ? xmlGetLineNo(at) : 0, .column = 0, .offset = -1};
    if (dg.line < 0)
        dg.line = 0;
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(c->d, &dg, fmt, ap);
    va_end(ap);
    c->errors++;
}

static char *attr(xmlNodePtr n, const char *name)
{
    return (char *)xmlGetProp(n, BAD_CAST name);
}

/* ----------------------------------------------------------- xpath check */
static void xpath_error(void *ctx, xmlErrorPtr e)
{
    chuanp_buf *b = ctx;
    if (b->len == 0 && e && e->message)
        chuanp_buf_puts(b, e->message);
}

/* Load the code lists named by string literals in chuan:in-codelist(value, 'name') calls now,
 * so that runs only read them. */
static void preload_codelists(compiler *c, xmlNodePtr at, const char *expr)
{
    static const char fn[] = "in-codelist(";
    for (const char *p = strstr(expr, fn); p; p = strstr(p + 1, fn)) {
        const char *q = p + sizeof fn - 1;
        int depth = 0;
        char quote = 0;
        for (; *q; q++) {
            if (quote) {
                if (*q == quote)
                    quote = 0;
            } else if (*q == '\'' || *q == '"') {
                quote = *q;
            } else if (*q == '(') {
                depth++;
            } else if (*q == ')') {
                if (depth-- == 0)
                    break;
            } else if (*q == ',' && depth == 0) {
                break;
            }
        }
        if (*q != ',')
            continue;
        q++;
        while (*q == ' ' || *q == '\t' || *q == '\n')
            q++;
        if (*q != '\'' && *q != '"')
            continue;
        const char *end = strchr(q + 1, *q);
        if (!end)
            continue;
        char *name = chuanp_strndup(q + 1, (size_t)(end - q - 1));
        if (!name)
            continue;
        if (!c->codelists) {
            fail(c, at, "schematron.compile",
                 "chuan:in-codelist('%s') needs code lists, and none are available here", name);
        } else {
            size_t before = c->d->count;
            if (!chuanp_codelists_get(c->codelists, name, c->d)) {
                c->errors++;
                for (size_t i = before; i < c->d->count; i++)
                    if (!c->d->items[i].line)
                        c->d->items[i].line = xmlGetLineNo(at);
            }
        }
        chuanp_free(name);
    }
}

/* Compile an XPath expression alone, so a bad test is reported with the
 * line of its element in the .sch file. */
static int check_xpath(compiler *c, xmlNodePtr at, const char *what, const char *expr)
{
    chuanp_buf msg;
    chuanp_buf_init(&msg, 1024);
    xmlXPathContextPtr x = xmlXPathNewContext(NULL);
    int ok = 0;
    if (!x) {
        fail(c, at, "schematron.compile", "out of memory");
        goto out;
    }
    x->error = xpath_error;
    x->userData = &msg;
    xmlXPathCompExprPtr comp = xmlXPathCtxtCompile(x, BAD_CAST expr);
    if (comp) {
        xmlXPathFreeCompExpr(comp);
        ok = 1;
        preload_codelists(c, at, expr);
    } else {
        size_t n = msg.len;
        while (n && (msg.data[n - 1] == '\n' || msg.data[n - 1] == ' '))
            n--;
        fail(c, at, "schematron.compile", "%s '%s' is not a valid XPath 1.0 expression%s%.*s",
             what, expr, n ? ": " : "", (int)n, n ? msg.data : "");
    }
out:
    xmlXPathFreeContext(x);
    chuanp_buf_free(&msg);
    return ok;
}

/* ------------------------------------------------------------- builders */
static xmlNodePtr xsl_el(compiler *c, xmlNodePtr parent, const char *name, xmlNodePtr src)
{
    xmlNodePtr n = xmlNewChild(parent, c->xsl, BAD_CAST name, NULL);
    if (n && src)
        n->line = src->line;
    return n;
}

/* Attribute text for a literal result element: braces doubled (no AVT). */
static void set_literal(xmlNodePtr n, xmlNsPtr ns, const char *name, const char *value)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (const char *p = value; *p; p++) {
        chuanp_buf_putc(&b, *p);
        if (*p == '{' || *p == '}')
            chuanp_buf_putc(&b, *p);
    }
    if (!b.err)
        xmlNewNsProp(n, ns, BAD_CAST name, BAD_CAST b.data);
    chuanp_buf_free(&b);
}

/* ids[i] is one allocation "ID\0SEVERITY\0SOURCE\0" (the coverage table of `chuan test -r html`
 * reads the severity and the regulation after the id, chuanp_schematron_rule_meta) */
static void add_id(compiler *c, const char *id, const char *role, int is_assert, const char *see)
{
    for (size_t i = 0; i < c->nids; i++)
        if (strcmp(c->ids[i], id) == 0)
            return;
    if (c->nids == c->capids) {
        size_t cap = c->capids ? c->capids * 2 : 16;
        char **p = chuanp_realloc(c->ids, cap * sizeof *p);
        if (!p)
            return;
        c->ids = p;
        c->capids = cap;
    }
    chuan_severity sev = chuanp_schematron_role_severity(role, is_assert);
    const char *sn = sev == CHUAN_SEV_ERROR ? "error" : sev == CHUAN_SEV_WARNING ? "warning" : "info";
    size_t li = strlen(id), ls = strlen(sn), lr = see ? strlen(see) : 0;
    char *m = chuanp_malloc(li + ls + lr + 3);
    if (!m)
        return;
    memcpy(m, id, li + 1);
    memcpy(m + li + 1, sn, ls + 1);
    memcpy(m + li + ls + 2, see ? see : "", lr + 1);
    c->ids[c->nids++] = m;
}

/* chuan:source, else see, of the check, else of its rule */
static char *check_source(xmlNodePtr chk, xmlNodePtr rule)
{
    char *see = (char *)xmlGetNsProp(chk, BAD_CAST "source", BAD_CAST CHUANP_SCHEMATRON_NS);
    if (!see)
        see = (char *)xmlGetNsProp(rule, BAD_CAST "source", BAD_CAST CHUANP_SCHEMATRON_NS);
    if (!see)
        see = attr(chk, "see");
    if (!see)
        see = attr(rule, "see");
    return see;
}

/* Message content: text, <name path>, <value-of select>, <emph>/<dir>/<span>. */
static void emit_message(compiler *c, xmlNodePtr dst, xmlNodePtr src, int depth)
{
    if (depth > 32)
        return;
    for (xmlNodePtr k = src->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            xmlNodePtr t = xsl_el(c, dst, "text", k);
            if (t)
                xmlNodeAddContent(t, k->content);
        } else if (is_sch(c, k, "value-of")) {
            char *sel = attr(k, "select");
            if (!sel) {
                fail(c, k, "schematron.invalid", "<value-of> needs a select attribute");
            } else if (check_xpath(c, k, "value-of select", sel)) {
                xmlNodePtr v = xsl_el(c, dst, "value-of", k);
                xmlNewProp(v, BAD_CAST "select", BAD_CAST sel);
            }
            xmlFree(sel);
        } else if (is_sch(c, k, "name")) {
            char *p = attr(k, "path");
            chuanp_buf e;
            chuanp_buf_init(&e, 0);
            chuanp_buf_printf(&e, "name(%s)", p ? p : ".");
            if (!p) {
                xmlNodePtr v = xsl_el(c, dst, "value-of", k);
                xmlNewProp(v, BAD_CAST "select", BAD_CAST e.data);
            } else if (check_xpath(c, k, "name path", p)) {
                /* a path that is not a node-set (a string, after an abstract pattern's
                 * parameters were replaced) is written as its value, not an XPath 1.0 error */
                if (!xmlSearchNsByHref(c->out, c->xroot, BAD_CAST "http://exslt.org/common"))
                    xmlNewNs(c->xroot, BAD_CAST "http://exslt.org/common", BAD_CAST "cxexsl");
                xmlNsPtr ex = xmlSearchNsByHref(c->out, c->xroot, BAD_CAST "http://exslt.org/common");
                chuanp_buf t;
                chuanp_buf_init(&t, 0);
                chuanp_buf_printf(&t, "%s:object-type(%s) = 'node-set'", (const char *)ex->prefix, p);
                xmlNodePtr ch = xsl_el(c, dst, "choose", k);
                xmlNodePtr w = xsl_el(c, ch, "when", k);
                xmlNewProp(w, BAD_CAST "test", BAD_CAST t.data);
                xmlNodePtr v = xsl_el(c, w, "value-of", k);
                xmlNewProp(v, BAD_CAST "select", BAD_CAST e.data);
                xmlNodePtr o = xsl_el(c, ch, "otherwise", k);
                v = xsl_el(c, o, "value-of", k);
                xmlNewProp(v, BAD_CAST "select", BAD_CAST p);
                chuanp_buf_free(&t);
            }
            chuanp_buf_free(&e);
            xmlFree(p);
        } else if (k->type == XML_ELEMENT_NODE && k->ns && xmlStrEqual(k->ns->href, BAD_CAST XSL_NS) &&
                   (xmlStrEqual(k->name, BAD_CAST "copy-of") || xmlStrEqual(k->name, BAD_CAST "value-of"))) {
            /* xsl:copy-of / xsl:value-of in a message or property (ISO allows foreign elements) */
            char *sel = attr(k, "select");
            if (!sel) {
                fail(c, k, "schematron.invalid", "<xsl:%s> needs a select attribute", (const char *)k->name);
            } else if (check_xpath(c, k, "select", sel)) {
                xmlNodePtr v = xsl_el(c, dst, (const char *)k->name, k);
                xmlNewProp(v, BAD_CAST "select", BAD_CAST sel);
            }
            xmlFree(sel);
        } else if (k->type == XML_ELEMENT_NODE) {
            emit_message(c, dst, k, depth + 1); /* emph, dir, span, foreign: their text */
        }
    }
}

static xmlNodePtr find_by_id(compiler *c, const char *element, const char *id)
{
    /* diagnostics live in <diagnostics>; abstract rules in patterns */
    xmlNodePtr stack[64];
    int sp = 0;
    stack[sp++] = c->sroot;
    while (sp) {
        xmlNodePtr n = stack[--sp];
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE)
                continue;
            if (is_sch(c, k, element)) {
                char *kid = attr(k, "id");
                int hit = kid && strcmp(kid, id) == 0;
                xmlFree(kid);
                if (hit)
                    return k;
            }
            if ((is_sch(c, k, "pattern") || is_sch(c, k, "diagnostics") || is_sch(c, k, "properties")) &&
                sp < 64)
                stack[sp++] = k;
        }
    }
    return NULL;
}

/* svrl:diagnostic-reference / svrl:property-reference for each id of the whitespace-separated
 * list (kind "diagnostic" or "property"); an instantiated copy (abstract pattern) reports the
 * id it was copied from (cx:ref). */
static void emit_refs(compiler *c, xmlNodePtr r, xmlNodePtr chk, char *list, const char *kind)
{
    if (!list)
        return;
    char el[32];
    snprintf(el, sizeof el, "%s-reference", kind);
    char *save = NULL;
    for (char *tok = strtok_r(list, " \t\r\n", &save); tok; tok = strtok_r(NULL, " \t\r\n", &save)) {
        xmlNodePtr dn = find_by_id(c, kind, tok);
        if (!dn) {
            fail(c, chk, "schematron.invalid", "%s '%s' is not defined", kind, tok);
            continue;
        }
        xmlChar *orig = xmlGetNsProp(dn, BAD_CAST "ref", BAD_CAST CHUANP_SCHEMATRON_INTERNAL_NS);
        xmlNodePtr ref = xmlNewChild(r, c->svrl, BAD_CAST el, NULL);
        set_literal(ref, NULL, kind, orig ? (const char *)orig : tok);
        xmlFree(orig);
        xmlChar *role = xmlGetProp(dn, BAD_CAST "role");
        if (role)
            set_literal(ref, NULL, "role", (const char *)role);
        xmlFree(role);
        xmlNodePtr text = xmlNewChild(ref, c->svrl, BAD_CAST "text", NULL);
        xmlChar *lang = xmlNodeGetLang(dn);
        if (lang) {
            xmlNsPtr xns = xmlSearchNsByHref(c->out, c->xroot, XML_XML_NAMESPACE);
            xmlNewNsProp(ref, xns, BAD_CAST "lang", lang);
            xmlNewNsProp(text, xns, BAD_CAST "lang", lang);
        }
        xmlFree(lang);
        emit_message(c, text, dn, 0);
    }
}

static void emit_check(compiler *c, xmlNodePtr parent, xmlNodePtr chk, xmlNodePtr rule)
{
    int is_assert = is_sch(c, chk, "assert");
    char *test = attr(chk, "test");
    char *id = attr(chk, "id"), *role = attr(chk, "role"), *flag = attr(chk, "flag");
    char *see = (char *)xmlGetNsProp(chk, BAD_CAST "source", BAD_CAST CHUANP_SCHEMATRON_NS);
    char *diags = attr(chk, "diagnostics"), *props = attr(chk, "properties");
    if (!role)
        role = attr(rule, "role");
    if (!flag)
        flag = attr(rule, "flag");
    if (!see)
        see = (char *)xmlGetNsProp(rule, BAD_CAST "source", BAD_CAST CHUANP_SCHEMATRON_NS);
    if (!see)
        see = attr(chk, "see");
    if (!see)
        see = attr(rule, "see");
    if (!test) {
        fail(c, chk, "schematron.invalid", "<%s> needs a test attribute", is_assert ? "assert" : "report");
        goto out;
    }
    if (!check_xpath(c, chk, is_assert ? "assert test" : "report test", test))
        goto out;
    if (id)
        add_id(c, id, role, is_assert, see);
    xmlNodePtr holder;
    if (is_assert) {
        xmlNodePtr choose = xsl_el(c, parent, "choose", chk);
        xmlNodePtr when = xsl_el(c, choose, "when", chk);
        xmlNewProp(when, BAD_CAST "test", BAD_CAST test);
        holder = xsl_el(c, choose, "otherwise", chk);
    } else {
        holder = xsl_el(c, parent, "if", chk);
        xmlNewProp(holder, BAD_CAST "test", BAD_CAST test);
    }
    xmlNodePtr r = xmlNewChild(holder, c->svrl,
                               BAD_CAST(is_assert ? "failed-assert" : "successful-report"), NULL);
    if (!r)
        goto out;
    r->line = chk->line;
    set_literal(r, NULL, "test", test);
    xmlChar *lang = xmlNodeGetLang(chk);
    if (lang)
        xmlNewNsProp(r, xmlSearchNsByHref(c->out, c->xroot, XML_XML_NAMESPACE), BAD_CAST "lang", lang);
    xmlFree(lang);
    if (id)
        set_literal(r, NULL, "id", id);
    if (role)
        set_literal(r, NULL, "role", role);
    if (flag)
        set_literal(r, NULL, "flag", flag);
    if (see)
        set_literal(r, NULL, "see", see);
    xmlNewProp(r, BAD_CAST "location", BAD_CAST "{cx:path(.)}");
    xmlNewNsProp(r, c->cx, BAD_CAST "pos", BAD_CAST "{cx:pos(.)}");
    xmlNodePtr text = xmlNewChild(r, c->svrl, BAD_CAST "text", NULL);
    emit_message(c, text, chk, 0);
    emit_refs(c, r, chk, diags, "diagnostic");
    emit_refs(c, r, chk, props, "property");
out:
    xmlFree(test);
    xmlFree(id);
    xmlFree(role);
    xmlFree(flag);
    xmlFree(see);
    xmlFree(diags);
    xmlFree(props);
}

#define XSL_ALIAS_NS "urn:chuan:schematron-xsl-alias"

static xmlNsPtr literal_ns(compiler *c, xmlNodePtr n, xmlNsPtr src)
{
    const xmlChar *href = src->href;
    if (xmlStrEqual(href, BAD_CAST XSL_NS)) {
        /* XSLT in a let's content is data, not instructions: written through an alias */
        href = BAD_CAST XSL_ALIAS_NS;
        if (!xmlSearchNsByHref(c->out, c->xroot, href)) {
            xmlNewNs(c->xroot, href, BAD_CAST "cxa");
            xmlNodePtr al = xmlNewNode(c->xsl, BAD_CAST "namespace-alias");
            if (al) {
                xmlNewProp(al, BAD_CAST "stylesheet-prefix", BAD_CAST "cxa");
                xmlNewProp(al, BAD_CAST "result-prefix", BAD_CAST "xsl");
                if (c->xroot->children)
                    xmlAddPrevSibling(c->xroot->children, al);
                else
                    xmlAddChild(c->xroot, al);
            }
        }
    }
    xmlNsPtr ns = xmlSearchNsByHref(c->out, n, href);
    return ns ? ns : xmlNewNs(n, href, src->prefix);
}

/* The element content of a let, as literal result elements (attribute values are not AVTs). */
static void copy_literal(compiler *c, xmlNodePtr dst, xmlNodePtr src, int depth)
{
    if (depth > 64)
        return;
    for (xmlNodePtr k = src->children; k; k = k->next) {
        if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) {
            xmlNodePtr t = xsl_el(c, dst, "text", k);
            if (t)
                xmlNodeAddContent(t, k->content);
        } else if (k->type == XML_ELEMENT_NODE) {
            /* not xmlNewChild: with no namespace it would take the parent's */
            xmlNodePtr n = xmlNewDocNode(c->out, NULL, k->name, NULL);
            if (!n || !xmlAddChild(dst, n)) {
                xmlFreeNode(n);
                continue;
            }
            if (k->ns)
                xmlSetNs(n, literal_ns(c, n, k->ns));
            for (xmlAttrPtr a = k->properties; a; a = a->next) {
                xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
                if (v)
                    set_literal(n, a->ns ? literal_ns(c, n, a->ns) : NULL, (const char *)a->name,
                                (const char *)v);
                xmlFree(v);
            }
            copy_literal(c, n, k, depth + 1);
        }
    }
}

static void emit_let(compiler *c, xmlNodePtr parent, xmlNodePtr let, int top)
{
    char *name = attr(let, "name"), *value = attr(let, "value");
    int content = 0;
    for (xmlNodePtr k = let->children; k; k = k->next)
        content |= k->type == XML_ELEMENT_NODE ||
                   ((k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE) &&
                    !xmlIsBlankNode(k));
    (void)top; /* schema-level lets are global variables, others local: same element */
    if (!name || (value && content) || (!value && !content)) {
        fail(c, let, "schematron.invalid",
             "<let> needs a name and either a value attribute or element content");
    } else if (!value) {
        /* element content: a result tree fragment (exsl:node-set() makes it a node-set) */
        xmlNodePtr v = xsl_el(c, parent, "variable", let);
        xmlNewProp(v, BAD_CAST "name", BAD_CAST name);
        copy_literal(c, v, let, 0);
    } else if (check_xpath(c, let, "let value", value)) {
        xmlNodePtr v = xsl_el(c, parent, "variable", let);
        xmlNewProp(v, BAD_CAST "name", BAD_CAST name);
        xmlNewProp(v, BAD_CAST "select", BAD_CAST value);
    }
    xmlFree(name);
    xmlFree(value);
}

/* lets, asserts and reports of a rule, with the bodies of the abstract rules it extends */
static void emit_rule_body(compiler *c, xmlNodePtr tmpl, xmlNodePtr rule, xmlNodePtr outer, int depth)
{
    if (depth > MAX_EXTENDS_DEPTH) {
        fail(c, rule, "schematron.invalid", "<extends> chain deeper than %d (a cycle?)", MAX_EXTENDS_DEPTH);
        return;
    }
    for (xmlNodePtr k = rule->children; k; k = k->next) {
        if (is_sch(c, k, "let")) {
            emit_let(c, tmpl, k, 0);
        } else if (is_sch(c, k, "assert") || is_sch(c, k, "report")) {
            emit_check(c, tmpl, k, outer);
        } else if (is_sch(c, k, "extends")) {
            char *ref = attr(k, "rule"), *href = attr(k, "href");
            if (href) {
                fail(c, k, "schematron.unsupported", "<extends href> (external rules) is not supported");
            } else if (!ref) {
                fail(c, k, "schematron.invalid", "<extends> needs a rule attribute");
            } else {
                xmlNodePtr abs = find_by_id(c, "rule", ref);
                char *isabs = abs ? attr(abs, "abstract") : NULL;
                if (!abs || !isabs || strcmp(isabs, "true") != 0)
                    fail(c, k, "schematron.invalid", "<extends rule='%s'>: no abstract rule with that id", ref);
                else
                    emit_rule_body(c, tmpl, abs, outer, depth + 1);
                xmlFree(isabs);
            }
            xmlFree(ref);
            xmlFree(href);
        }
    }
}

/* attribute `name` of dst = the text of src's <title>, if any */
static void set_title(compiler *c, xmlNodePtr dst, xmlNodePtr src, const char *name)
{
    for (xmlNodePtr k = src->children; k; k = k->next) {
        if (!is_sch(c, k, "title"))
            continue;
        xmlChar *t = xmlNodeGetContent(k);
        if (t) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            int sp = 0;
            for (const xmlChar *p = t; *p; p++) {
                if (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r') {
                    sp = 1;
                    continue;
                }
                if (sp && b.len)
                    chuanp_buf_putc(&b, ' ');
                sp = 0;
                chuanp_buf_putc(&b, (char)*p);
            }
            if (b.len && !b.err)
                set_literal(dst, NULL, name, b.data);
            chuanp_buf_free(&b);
        }
        xmlFree(t);
        return;
    }
}

static void emit_pattern(compiler *c, xmlNodePtr pat, int index, xmlNodePtr main_out)
{
    char mode[32];
    snprintf(mode, sizeof mode, "M%d", index);
    char *abs = attr(pat, "abstract");
    int abstract = abs && strcmp(abs, "true") == 0;
    xmlFree(abs);
    if (abstract)
        return; /* instantiated by is-a (schematron_expand.c) */
    int nrules = 0;
    for (xmlNodePtr k = pat->children; k; k = k->next)
        nrules += is_sch(c, k, "rule");
    if (nrules == 0) {
        /* a pattern of lets only (a library of variables, often included): schema-wide */
        for (xmlNodePtr k = pat->children; k; k = k->next)
            if (is_sch(c, k, "let"))
                emit_let(c, c->xroot, k, 1);
    }
    /* <svrl:active-pattern/> then walk the document in this pattern's mode */
    xmlNodePtr ap = xmlNewChild(main_out, c->svrl, BAD_CAST "active-pattern", NULL);
    char *pid = attr(pat, "id");
    if (pid)
        set_literal(ap, NULL, "id", pid);
    xmlFree(pid);
    set_title(c, ap, pat, "name");
    xmlNodePtr apply = xsl_el(c, main_out, "apply-templates", pat);
    xmlNewProp(apply, BAD_CAST "select", BAD_CAST "/");
    xmlNewProp(apply, BAD_CAST "mode", BAD_CAST mode);

    int j = 0;
    for (xmlNodePtr r = pat->children; r; r = r->next) {
        if (!is_sch(c, r, "rule"))
            continue;
        j++;
        char *isabs = attr(r, "abstract");
        int abstract_rule = isabs && strcmp(isabs, "true") == 0;
        xmlFree(isabs);
        if (abstract_rule) {
            /* collect the ids for coverage; the body is emitted where extended */
            for (xmlNodePtr k = r->children; k; k = k->next) {
                if (is_sch(c, k, "assert") || is_sch(c, k, "report")) {
                    char *id = attr(k, "id"), *role = attr(k, "role"), *see = check_source(k, r);
                    if (!role)
                        role = attr(r, "role");
                    if (id)
                        add_id(c, id, role, is_sch(c, k, "assert"), see);
                    xmlFree(id);
                    xmlFree(role);
                    xmlFree(see);
                }
            }
            continue;
        }
        char *ctx = attr(r, "context");
        if (!ctx) {
            fail(c, r, "schematron.invalid", "<rule> needs a context attribute");
            continue;
        }
        if (!check_xpath(c, r, "rule context", ctx)) {
            xmlFree(ctx);
            continue;
        }
        xmlNodePtr t = xsl_el(c, c->xroot, "template", r);
        xmlNewProp(t, BAD_CAST "match", BAD_CAST ctx);
        xmlNewProp(t, BAD_CAST "mode", BAD_CAST mode);
        char prio[32];
        snprintf(prio, sizeof prio, "%d", 1000 + nrules - j);
        xmlNewProp(t, BAD_CAST "priority", BAD_CAST prio);
        /* <svrl:fired-rule context id role flag> */
        xmlNodePtr fr = xmlNewChild(t, c->svrl, BAD_CAST "fired-rule", NULL);
        set_literal(fr, NULL, "context", ctx);
        static const char *const fattrs[] = {"id", "role", "flag"};
        for (size_t i = 0; i < 3; i++) {
            char *v = attr(r, fattrs[i]);
            if (v)
                set_literal(fr, NULL, fattrs[i], v);
            xmlFree(v);
        }
        xmlFree(ctx);
        for (xmlNodePtr k = pat->children; k; k = k->next)
            if (is_sch(c, k, "let"))
                emit_let(c, t, k, 0);
        emit_rule_body(c, t, r, r, 0);
        xmlNodePtr next = xsl_el(c, t, "apply-templates", r);
        xmlNewProp(next, BAD_CAST "select", BAD_CAST "@*|*");
        xmlNewProp(next, BAD_CAST "mode", BAD_CAST mode);
    }
    /* nodes no rule matches: keep walking */
    xmlNodePtr t = xsl_el(c, c->xroot, "template", pat);
    xmlNewProp(t, BAD_CAST "match", BAD_CAST "/|@*|*");
    xmlNewProp(t, BAD_CAST "mode", BAD_CAST mode);
    xmlNewProp(t, BAD_CAST "priority", BAD_CAST "-1");
    xmlNodePtr next = xsl_el(c, t, "apply-templates", pat);
    xmlNewProp(next, BAD_CAST "select", BAD_CAST "@*|*");
    xmlNewProp(next, BAD_CAST "mode", BAD_CAST mode);
}

static int binding_supported(const char *b)
{
    static const char *const ok[] = {"xslt", "xslt1", "xslt1.0", "exslt"};
    if (!b)
        return 1;
    for (size_t i = 0; i < sizeof ok / sizeof *ok; i++)
        if (strcasecmp(b, ok[i]) == 0)
            return 1;
    return 0;
}

static void declare_namespaces(compiler *c)
{
    for (xmlNodePtr k = c->sroot->children; k; k = k->next) {
        if (!is_sch(c, k, "ns"))
            continue;
        char *prefix = attr(k, "prefix"), *uri = attr(k, "uri");
        if (!prefix || !uri || !*prefix) {
            fail(c, k, "schematron.invalid", "<ns> needs prefix and uri attributes");
        } else if (strcmp(prefix, "xsl") == 0 || strcmp(prefix, "svrl") == 0 ||
                   strcmp(prefix, "cx") == 0 || strcmp(prefix, "xml") == 0) {
            fail(c, k, "schematron.unsupported", "the namespace prefix '%s' is reserved by chuan",
                 prefix);
        } else if (!xmlSearchNs(c->out, c->xroot, BAD_CAST prefix)) {
            xmlNewNs(c->xroot, BAD_CAST uri, BAD_CAST prefix);
        }
        xmlFree(prefix);
        xmlFree(uri);
    }
}

static void lib_error(void *ctx, const char *fmt, ...)
{
    chuanp_buf *b = ctx;
    if (b->len > 2000)
        return;
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(b, fmt, ap);
    va_end(ap);
}

/* Build the stylesheet document from the parsed schema. */
static void build(compiler *c)
{
    c->out = xmlNewDoc(BAD_CAST "1.0");
    if (!c->out) {
        fail(c, NULL, "schematron.compile", "out of memory");
        return;
    }
    c->xroot = xmlNewNode(NULL, BAD_CAST "stylesheet");
    xmlDocSetRootElement(c->out, c->xroot);
    c->xsl = xmlNewNs(c->xroot, BAD_CAST XSL_NS, BAD_CAST "xsl");
    c->svrl = xmlNewNs(c->xroot, BAD_CAST CHUANP_SVRL_NS, BAD_CAST "svrl");
    c->cx = xmlNewNs(c->xroot, BAD_CAST CHUANP_SCHEMATRON_INTERNAL_NS, BAD_CAST "cx");
    xmlSetNs(c->xroot, c->xsl);
    xmlNewProp(c->xroot, BAD_CAST "version", BAD_CAST "1.0");
    declare_namespaces(c);
    if (!xmlSearchNs(c->out, c->xroot, BAD_CAST "chuan"))
        xmlNewNs(c->xroot, BAD_CAST CHUANP_SCHEMATRON_FN_NS, BAD_CAST "chuan");
    xmlNewProp(c->xroot, BAD_CAST "exclude-result-prefixes", BAD_CAST "cx");
    xmlNodePtr o = xsl_el(c, c->xroot, "output", NULL);
    xmlNewProp(o, BAD_CAST "method", BAD_CAST "xml");

    for (xmlNodePtr k = c->sroot->children; k; k = k->next)
        if (is_sch(c, k, "let"))
            emit_let(c, c->xroot, k, 1);
    for (xmlNodePtr k = c->phase ? c->phase->children : NULL; k; k = k->next)
        if (is_sch(c, k, "let"))
            emit_let(c, c->xroot, k, 1);
    xmlNodePtr main_t = xsl_el(c, c->xroot, "template", NULL);
    xmlNewProp(main_t, BAD_CAST "match", BAD_CAST "/");
    xmlNodePtr main_out = xmlNewChild(main_t, c->svrl, BAD_CAST "schematron-output", NULL);
    set_title(c, main_out, c->sroot, "title");
    if (c->phase) {
        char *ph = attr(c->phase, "id");
        if (ph)
            set_literal(main_out, NULL, "phase", ph);
        xmlFree(ph);
    }
    xmlNodePtr meta = xmlNewChild(main_out, c->svrl, BAD_CAST "metadata", NULL);
    xmlNodePtr proc = xsl_el(c, meta, "text", NULL);
    xmlNodeAddContent(proc, BAD_CAST "chuan (ISO Schematron, xslt1 binding, libxslt)");
    int index = 0, npatterns = 0;
    for (xmlNodePtr k = c->sroot->children; k; k = k->next) {
        if (is_sch(c, k, "pattern")) {
            emit_pattern(c, k, ++index, main_out);
            npatterns++;
        }
    }
    if (npatterns == 0 && !c->phase) /* a phase may activate no pattern */
        fail(c, c->sroot, "schematron.invalid", "the schema has no <pattern>");
}

static int compile(chuanp_schematron **out, const char *path, const chuanp_schematron_opts *opts,
                   chuan_diags *d)
{
    *out = NULL;
    compiler c = {.path = path, .d = d, .codelists = opts ? opts->codelists : NULL};
    chuanp_buf_init(&c.lib_errors, 4096);
    chuanp_schematron *s = NULL;
    int rc = -1;
    char *qb = NULL, *src = NULL;
    size_t srclen = 0;
    {
        char *errmsg = NULL;
        /* a regular file only: a FIFO or a device never blocks the compile */
        if (chuanp_confine_read(NULL, path, 64u << 20, &src, &srclen, &errmsg) != 0) {
            fail(&c, NULL, "schematron.read", "cannot read the Schematron schema: %s",
                 errmsg ? errmsg : "?");
            chuanp_free(errmsg);
            goto out;
        }
        chuan_diags pd;
        chuan_diags_init(&pd, 4);
        c.sch = chuanp_xml_parse_safe(src, srclen, path, &pd);
        for (size_t i = 0; i < pd.count; i++) {
            chuan_diag dg = pd.items[i];
            dg.code = "schematron.parse";
            chuan_diags_add(d, &dg);
        }
        chuan_diags_clear(&pd);
        if (!c.sch)
            goto out;
    }
    c.sroot = xmlDocGetRootElement(c.sch);
    if (!c.sroot || !xmlStrEqual(c.sroot->name, BAD_CAST "schema") || !c.sroot->ns ||
        !(xmlStrEqual(c.sroot->ns->href, BAD_CAST CHUANP_SCHEMATRON_ISO_NS) ||
          xmlStrEqual(c.sroot->ns->href, BAD_CAST SCH15_NS))) {
        fail(&c, c.sroot, "schematron.invalid",
             "not a Schematron schema: the root must be <schema xmlns=\"%s\">",
             CHUANP_SCHEMATRON_ISO_NS);
        goto out;
    }
    c.sch_ns = c.sroot->ns->href;
    qb = attr(c.sroot, "queryBinding");
    if (!binding_supported(qb)) {
        fail(&c, c.sroot, "schematron.unsupported-binding",
             "unsupported query binding '%s': chuan runs Schematron with XSLT 1.0 / XPath 1.0 "
             "(queryBinding absent, 'xslt', 'xslt1' or 'exslt'); rewrite the schema for xslt1",
             qb);
        goto out;
    }
    if (chuanp_schematron_expand(c.sch, path, opts ? opts->package_dir : NULL,
                                 opts ? opts->phase : NULL, &c.phase, d) < 0) {
        c.errors++;
        goto out;
    }
    build(&c);
    if (c.errors)
        goto out;
    s = chuanp_calloc(1, sizeof *s);
    if (!s || !(s->path = chuanp_strdup(path))) {
        fail(&c, NULL, "schematron.compile", "out of memory");
        goto out;
    }
    /* libxslt reports stylesheet compile errors only through its generic
     * handler: capture them while compiling (one thread, once per run).
     * EXSLT is there for every binding (chuanp_xslt_load). */
    XSLT(SetGenericErrorFunc)(&c.lib_errors, lib_error);
    xmlSetGenericErrorFunc(&c.lib_errors, lib_error);
    xmlDocPtr xdoc = c.out;
    c.out = NULL;
    s->style = XSLT(ParseStylesheetDoc)(xdoc);
    XSLT(SetGenericErrorFunc)(NULL, NULL);
    xmlSetGenericErrorFunc(NULL, NULL);
    if (!s->style || s->style->errors) {
        if (!s->style)
            xmlFreeDoc(xdoc);
        fail(&c, NULL, "schematron.compile", "the generated XSLT does not compile: %s",
             c.lib_errors.len ? c.lib_errors.data : "unknown error");
        goto out;
    }
    s->ids = c.ids;
    s->nids = c.nids;
    c.ids = NULL;
    c.nids = 0;
    if (opts) {
        s->codelists = opts->codelists;
        s->as_of = opts->as_of;
        s->settings = opts->settings;
    }
    if (chuanp_schematron_runtime_init(s) < 0) {
        fail(&c, NULL, "schematron.compile", "out of memory");
        goto out;
    }
    *out = s;
    s = NULL;
    rc = 0;
out:
    xmlFree(qb);
    for (size_t i = 0; i < c.nids; i++)
        chuanp_free(c.ids[i]);
    chuanp_free(c.ids);
    chuanp_schematron_free(s);
    xmlFreeDoc(c.out);
    xmlFreeDoc(c.sch);
    chuanp_free(src);
    chuanp_buf_free(&c.lib_errors);
    return rc;
}

void chuanp_schematron_free(chuanp_schematron *s)
{
    if (!s)
        return;
    chuanp_schematron_runtime_free(s);
    if (s->style)
        XSLT(FreeStylesheet)(s->style);
    for (size_t i = 0; i < s->nids; i++)
        chuanp_free(s->ids[i]);
    chuanp_free(s->ids);
    chuanp_free(s->path);
    chuanp_free(s);
}

const char *const *chuanp_schematron_rule_ids(const chuanp_schematron *s, size_t *n)
{
    *n = s->nids;
    return (const char *const *)s->ids;
}

void chuanp_schematron_rule_meta(const chuanp_schematron *s, size_t i, const char **severity,
                                 const char **source)
{
    const char *id = s->ids[i];
    *severity = id + strlen(id) + 1;
    *source = *severity + strlen(*severity) + 1;
    if (!**source)
        *source = NULL;
}

/* Anything that went wrong during the compile fails it (issue 11): a node of
 * the generated XSLT lost to an allocation failure would drop a rule. */
int chuanp_schematron_compile(chuanp_schematron **out, const char *path,
                              const chuanp_schematron_opts *opts, chuan_diags *d)
{
    *out = NULL;
    /* libxslt and libexslt are opened here, by the first compile (validator/xslt_lib.h) */
    if (chuanp_xslt_load(path, d) < 0)
        return -1;
    chuanp_compile_guard g;
    chuanp_compile_guard_begin(&g);
    int rc = compile(out, path, opts, d);
    if (chuanp_compile_guard_check(&g, rc, d, path) != 0 && rc >= 0) {
        chuanp_schematron_free(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}
