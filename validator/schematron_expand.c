/* validator/schematron_expand.c - the ISO Schematron pre-processing steps before compiling:
 * include (sch:include, sch:extends href) -> abstract pattern expansion (is-a, param) -> phase
 * selection. Each works on the parsed schema in place. */
#include "schematron_internal.h"

#include "../core/confine.h"

#include <libxml/parser.h>
#include <string.h>

#define MAX_INCLUDE_DEPTH 16

typedef struct expander {
    const char *path; /* the top schema, for diagnostics */
    const xmlChar *ns;
    chuanp_confine conf;
    chuan_diags *d;
    int errors;
    int serial; /* ids of instantiated diagnostics/properties */
} expander;

static void efail(expander *x, xmlNodePtr at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void efail(expander *x, xmlNodePtr at, const char *code, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = x->path,
                     .line = at ? xmlGetLineNo(at) : 0, .offset = -1};
    if (dg.line < 0)
        dg.line = 0;
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(x->d, &dg, fmt, ap);
    va_end(ap);
    x->errors++;
}

static int is_el(const expander *x, xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, x->ns) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

/* The element with id (or xml:id) in the subtree of n, or NULL. */
static xmlNodePtr by_id(xmlNodePtr n, const char *id, int depth)
{
    if (!n || depth > 64)
        return NULL;
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        xmlChar *v = xmlGetProp(n, BAD_CAST "id");
        if (!v)
            v = xmlGetNsProp(n, BAD_CAST "id", XML_XML_NAMESPACE);
        int hit = v && strcmp((const char *)v, id) == 0;
        xmlFree(v);
        if (hit)
            return n;
        xmlNodePtr f = by_id(n->children, id, depth + 1);
        if (f)
            return f;
    }
    return NULL;
}

/* Give a copy the language its source had where it was (ISO: language fixup). */
static void fix_lang(xmlNodePtr copy, xmlNodePtr src)
{
    if (copy->type != XML_ELEMENT_NODE || xmlHasNsProp(copy, BAD_CAST "lang", XML_XML_NAMESPACE))
        return;
    xmlChar *lang = xmlNodeGetLang(src);
    if (lang)
        xmlNodeSetLang(copy, lang);
    xmlFree(lang);
}

static void resolve_includes(expander *x, xmlNodePtr n, const char *base, int depth);

/* Load href (file[#id]) relative to base: the referenced element, with its own includes resolved,
 * in a document the caller frees (*doc). */
static xmlNodePtr load_ref(expander *x, xmlNodePtr at, const char *base, const char *href,
                           int depth, xmlDocPtr *doc, char **file_out)
{
    *doc = NULL;
    *file_out = NULL;
    if (depth >= MAX_INCLUDE_DEPTH) {
        efail(x, at, "schematron.include", "includes nested deeper than %d (a cycle?)",
              MAX_INCLUDE_DEPTH);
        return NULL;
    }
    const char *hash = strchr(href, '#');
    size_t flen = hash ? (size_t)(hash - href) : strlen(href);
    if (flen == 0 || memchr(href, ':', flen) || href[0] == '/') {
        efail(x, at, "schematron.include",
              "'%s': includes must be relative file names inside the schema's folder", href);
        return NULL;
    }
    const char *slash = strrchr(base, '/');
    chuanp_buf p;
    chuanp_buf_init(&p, 256);
    if (slash)
        chuanp_buf_printf(&p, "%.*s/", (int)(slash - base), base);
    chuanp_buf_printf(&p, "%.*s", (int)flen, href);
    if (p.err) {
        chuanp_buf_free(&p);
        efail(x, at, "schematron.compile", "out of memory");
        return NULL;
    }
    char *src = NULL, *why = NULL;
    size_t len = 0;
    xmlNodePtr target = NULL;
    int rc = chuanp_confine_read(&x->conf, p.data, 64u << 20, &src, &len, &why);
    if (rc != 0) {
        efail(x, at, "schematron.include", "cannot include '%s': %s", href, why ? why : "?");
        goto out;
    }
    chuan_diags pd;
    chuan_diags_init(&pd, 4);
    *doc = chuanp_xml_parse_safe(src, len, p.data, &pd);
    for (size_t i = 0; i < pd.count; i++) {
        chuan_diag dg = pd.items[i];
        dg.code = "schematron.include";
        chuan_diags_add(x->d, &dg);
        x->errors++;
    }
    chuan_diags_clear(&pd);
    if (!*doc)
        goto out;
    target = xmlDocGetRootElement(*doc);
    if (hash && hash[1]) {
        target = by_id(target, hash + 1, 0);
        if (!target)
            efail(x, at, "schematron.include", "'%s': no element with id '%s' in %.*s", href,
                  hash + 1, (int)flen, href);
    }
    if (target) {
        resolve_includes(x, target, p.data, depth + 1);
        *file_out = chuanp_strdup(p.data);
    }
out:
    chuanp_free(why);
    chuanp_free(src);
    chuanp_buf_free(&p);
    return target;
}

/* Replace every sch:include by the element it references, and every sch:extends href by the
 * content of the element it references (ISO 19757-3 §5.4.5, §5.4.4). */
static void resolve_includes(expander *x, xmlNodePtr n, const char *base, int depth)
{
    xmlNodePtr next;
    for (xmlNodePtr k = n->children; k; k = next) {
        next = k->next;
        if (k->type != XML_ELEMENT_NODE)
            continue;
        int inc = is_el(x, k, "include");
        xmlChar *href = NULL;
        if (inc || (is_el(x, k, "extends") && (href = xmlGetProp(k, BAD_CAST "href")))) {
            if (!href)
                href = xmlGetProp(k, BAD_CAST "href");
            if (!href) {
                efail(x, k, "schematron.invalid", "<include> needs an href attribute");
                continue;
            }
            xmlDocPtr doc = NULL;
            char *file = NULL;
            xmlNodePtr target = load_ref(x, k, base, (const char *)href, depth, &doc, &file);
            if (target) {
                if (inc) {
                    xmlNodePtr copy = xmlDocCopyNode(target, k->doc, 1);
                    if (copy) {
                        fix_lang(copy, target);
                        xmlAddPrevSibling(k, copy);
                    } else {
                        efail(x, k, "schematron.compile", "out of memory");
                    }
                } else {
                    for (xmlNodePtr c = target->children; c; c = c->next) {
                        xmlNodePtr copy = xmlDocCopyNode(c, k->doc, 1);
                        if (copy) {
                            fix_lang(copy, c);
                            xmlAddPrevSibling(k, copy);
                        } else {
                            efail(x, k, "schematron.compile", "out of memory");
                        }
                    }
                }
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            }
            xmlFree(href);
            chuanp_free(file);
            xmlFreeDoc(doc);
            continue;
        }
        resolve_includes(x, k, base, depth);
    }
}

/* ------------------------------------------------------- abstract patterns */
typedef struct param {
    char *name, *value;
} param;

static int by_length_desc(const void *a, const void *b)
{
    size_t la = strlen(((const param *)a)->name), lb = strlen(((const param *)b)->name);
    return la < lb ? 1 : la > lb ? -1 : 0;
}

static int name_char(unsigned char ch)
{
    return ch >= 0x80 || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
           (ch >= '0' && ch <= '9') || ch == '_' || ch == '-' || ch == '.';
}

/* value with $name replaced by the parameter's value (longest names first) in *out (NULL:
 * unchanged). Returns 0, -1 out of memory. */
static int substitute(const char *value, const param *ps, size_t n, char **out)
{
    *out = NULL;
    if (!strchr(value, '$'))
        return 0;
    chuanp_buf b;
    chuanp_buf_init(&b, strlen(value) + 64);
    int changed = 0;
    for (const char *p = value; *p;) {
        if (*p == '$') {
            size_t i;
            for (i = 0; i < n; i++) {
                size_t l = strlen(ps[i].name);
                if (strncmp(p + 1, ps[i].name, l) == 0 && !name_char((unsigned char)p[1 + l]))
                    break;
            }
            if (i < n) {
                chuanp_buf_puts(&b, ps[i].value);
                p += 1 + strlen(ps[i].name);
                changed = 1;
                continue;
            }
        }
        chuanp_buf_putc(&b, *p++);
    }
    int err = b.err ? -1 : 0;
    if (!changed || b.err) {
        chuanp_buf_free(&b);
        return err;
    }
    *out = b.data; /* owned by the caller (chuanp_free) */
    return 0;
}

static void substitute_tree(expander *x, xmlNodePtr n, const param *ps, size_t np)
{
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        for (xmlAttrPtr a = n->properties; a; a = a->next) {
            xmlChar *v = xmlNodeGetContent((xmlNodePtr)a);
            char *s = NULL;
            if (!v || substitute((const char *)v, ps, np, &s) < 0)
                efail(x, n, "schematron.compile", "out of memory");
            if (s)
                xmlSetNsProp(n, a->ns, a->name, BAD_CAST s);
            chuanp_free(s);
            xmlFree(v);
        }
        substitute_tree(x, n->children, ps, np);
    }
}

/* The diagnostics/properties an instantiated check names: copied with the parameters replaced,
 * under a new id; the copy keeps the name it is reported with in cx:ref. */
static void instantiate_refs(expander *x, xmlNodePtr root, xmlNodePtr n, const param *ps, size_t np)
{
    static const char *const kinds[][3] = {{"diagnostics", "diagnostic", "diagnostics"},
                                           {"properties", "property", "properties"}};
    for (; n; n = n->next) {
        if (n->type != XML_ELEMENT_NODE)
            continue;
        if (is_el(x, n, "assert") || is_el(x, n, "report")) {
            for (size_t kk = 0; kk < 2; kk++) {
                xmlChar *list = xmlGetProp(n, BAD_CAST kinds[kk][0]);
                if (!list)
                    continue;
                chuanp_buf nl;
                chuanp_buf_init(&nl, 64);
                char *save = NULL;
                for (char *tok = strtok_r((char *)list, " \t\r\n", &save); tok;
                     tok = strtok_r(NULL, " \t\r\n", &save)) {
                    xmlNodePtr def = NULL;
                    for (xmlNodePtr g = root->children; g && !def; g = g->next)
                        if (is_el(x, g, kinds[kk][2]))
                            for (xmlNodePtr e = g->children; e && !def; e = e->next) {
                                xmlChar *id = is_el(x, e, kinds[kk][1]) ? xmlGetProp(e, BAD_CAST "id") : NULL;
                                if (id && strcmp((const char *)id, tok) == 0)
                                    def = e;
                                xmlFree(id);
                            }
                    if (nl.len)
                        chuanp_buf_putc(&nl, ' ');
                    if (!def) {
                        chuanp_buf_puts(&nl, tok); /* reported by the compiler */
                        continue;
                    }
                    xmlNodePtr copy = xmlDocCopyNode(def, def->doc, 1);
                    if (!copy) {
                        efail(x, n, "schematron.compile", "out of memory");
                        continue;
                    }
                    fix_lang(copy, def);
                    char id[64];
                    snprintf(id, sizeof id, "cx.%s.%d", kinds[kk][1], ++x->serial);
                    xmlSetProp(copy, BAD_CAST "id", BAD_CAST id);
                    xmlNsPtr cx = xmlSearchNsByHref(root->doc, root, BAD_CAST CHUANP_SCHEMATRON_INTERNAL_NS);
                    if (!cx)
                        cx = xmlNewNs(root, BAD_CAST CHUANP_SCHEMATRON_INTERNAL_NS, BAD_CAST "cx");
                    xmlSetNsProp(copy, cx, BAD_CAST "ref", BAD_CAST tok);
                    substitute_tree(x, copy->children, ps, np);
                    xmlAddNextSibling(def, copy);
                    chuanp_buf_puts(&nl, id);
                }
                if (nl.err)
                    efail(x, n, "schematron.compile", "out of memory");
                else
                    xmlSetProp(n, BAD_CAST kinds[kk][0], BAD_CAST nl.data);
                chuanp_buf_free(&nl);
                xmlFree(list);
            }
        }
        instantiate_refs(x, root, n->children, ps, np);
    }
}

static void expand_patterns(expander *x, xmlNodePtr root)
{
    for (xmlNodePtr pat = root->children; pat; pat = pat->next) {
        if (!is_el(x, pat, "pattern"))
            continue;
        xmlChar *isa = xmlGetProp(pat, BAD_CAST "is-a");
        if (!isa)
            continue;
        xmlNodePtr abs = NULL;
        for (xmlNodePtr k = root->children; k && !abs; k = k->next) {
            if (!is_el(x, k, "pattern"))
                continue;
            xmlChar *id = xmlGetProp(k, BAD_CAST "id"), *ab = xmlGetProp(k, BAD_CAST "abstract");
            if (id && ab && strcmp((const char *)id, (const char *)isa) == 0 &&
                strcmp((const char *)ab, "true") == 0)
                abs = k;
            xmlFree(id);
            xmlFree(ab);
        }
        if (!abs) {
            efail(x, pat, "schematron.invalid", "<pattern is-a='%s'>: no abstract pattern with that id",
                  (const char *)isa);
            xmlFree(isa);
            continue;
        }
        xmlFree(isa);
        param ps[64];
        size_t np = 0;
        for (xmlNodePtr k = pat->children; k; k = k->next) {
            if (!is_el(x, k, "param"))
                continue;
            char *name = (char *)xmlGetProp(k, BAD_CAST "name"), *value = (char *)xmlGetProp(k, BAD_CAST "value");
            if (!name || !value || !*name || np == sizeof ps / sizeof *ps) {
                efail(x, k, "schematron.invalid", "<param> needs name and value (at most 64 per pattern)");
                xmlFree(name);
                xmlFree(value);
                continue;
            }
            ps[np].name = name;
            ps[np].value = value;
            np++;
        }
        qsort(ps, np, sizeof *ps, by_length_desc);
        /* the instance gets the abstract pattern's content, parameters replaced */
        xmlNodePtr next;
        for (xmlNodePtr k = pat->children; k; k = next) {
            next = k->next;
            if (is_el(x, k, "param")) {
                xmlUnlinkNode(k);
                xmlFreeNode(k);
            }
        }
        for (xmlNodePtr k = abs->children; k; k = k->next) {
            if (is_el(x, k, "title") && pat->children)
                continue;
            xmlNodePtr copy = xmlDocCopyNode(k, pat->doc, 1);
            if (!copy) {
                efail(x, k, "schematron.compile", "out of memory");
                continue;
            }
            fix_lang(copy, k);
            xmlAddChild(pat, copy);
        }
        substitute_tree(x, pat->children, ps, np);
        instantiate_refs(x, root, pat->children, ps, np);
        xmlUnsetProp(pat, BAD_CAST "is-a");
        for (size_t i = 0; i < np; i++) {
            xmlFree(ps[i].name);
            xmlFree(ps[i].value);
        }
    }
}

/* --------------------------------------------------------------- phases */
static int in_list(const char *list, const char *id)
{
    return list && strcmp(list, id) == 0;
}

/* Remove the patterns the phase does not activate; *phase_out = the phase element (its lets are
 * the compiler's), NULL for #ALL. */
static void select_phase(expander *x, xmlNodePtr root, const char *phase, xmlNodePtr *phase_out)
{
    *phase_out = NULL;
    xmlChar *def = NULL;
    if (!phase || strcmp(phase, "#DEFAULT") == 0) {
        def = xmlGetProp(root, BAD_CAST "defaultPhase");
        phase = def ? (const char *)def : "#ALL";
    }
    if (strcmp(phase, "#ALL") == 0) {
        xmlFree(def);
        return;
    }
    xmlNodePtr ph = NULL;
    for (xmlNodePtr k = root->children; k && !ph; k = k->next) {
        xmlChar *id = is_el(x, k, "phase") ? xmlGetProp(k, BAD_CAST "id") : NULL;
        if (id && strcmp((const char *)id, phase) == 0)
            ph = k;
        xmlFree(id);
    }
    if (!ph) {
        chuanp_buf ids;
        chuanp_buf_init(&ids, 64);
        for (xmlNodePtr k = root->children; k; k = k->next) {
            xmlChar *id = is_el(x, k, "phase") ? xmlGetProp(k, BAD_CAST "id") : NULL;
            if (id)
                chuanp_buf_printf(&ids, "%s%s", ids.len ? ", " : "", (const char *)id);
            xmlFree(id);
        }
        efail(x, def ? root : NULL, "schematron.phase", "no phase '%s' in the schema (phases: %s)",
              phase, ids.len && !ids.err ? ids.data : _("none; use #ALL"));
        chuanp_buf_free(&ids);
        xmlFree(def);
        return;
    }
    xmlFree(def);
    *phase_out = ph;
    xmlNodePtr next;
    for (xmlNodePtr pat = root->children; pat; pat = next) {
        next = pat->next;
        if (!is_el(x, pat, "pattern"))
            continue;
        xmlChar *ab = xmlGetProp(pat, BAD_CAST "abstract"), *id = xmlGetProp(pat, BAD_CAST "id");
        int keep = ab && strcmp((const char *)ab, "true") == 0;
        for (xmlNodePtr a = ph->children; a && !keep && id; a = a->next) {
            xmlChar *ap = is_el(x, a, "active") ? xmlGetProp(a, BAD_CAST "pattern") : NULL;
            keep = in_list((const char *)ap, (const char *)id);
            xmlFree(ap);
        }
        xmlFree(ab);
        xmlFree(id);
        if (!keep) {
            xmlUnlinkNode(pat);
            xmlFreeNode(pat);
        }
    }
}

int chuanp_schematron_expand(xmlDocPtr sch, const char *path, const char *package_dir,
                             const char *phase, xmlNodePtr *phase_out, chuan_diags *d)
{
    expander x = {.path = path, .d = d};
    xmlNodePtr root = xmlDocGetRootElement(sch);
    *phase_out = NULL;
    if (!root || !root->ns)
        return -1;
    x.ns = root->ns->href;
    chuanp_confine_init(&x.conf, NULL, path);
    x.conf.what = N_("the Schematron schema");
    if (chuanp_confine_add_parent(&x.conf, path) < 0 ||
        (package_dir && chuanp_confine_add_dir(&x.conf, package_dir) < 0)) {
        chuanp_confine_free(&x.conf);
        efail(&x, NULL, "schematron.compile", "out of memory");
        return -1;
    }
    resolve_includes(&x, root, path, 0);
    if (!x.errors)
        expand_patterns(&x, root);
    if (!x.errors)
        select_phase(&x, root, phase, phase_out);
    chuanp_confine_free(&x.conf);
    return x.errors ? -1 : 0;
}
