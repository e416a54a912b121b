/* validator/standard_diff.c - `chuan diff`: compare two versions of a standard package (model
 * fields and their constraints, rules, code lists, formats) and classify each change for a sender:
 * breaking when a payload the old version accepted may be refused, compatible otherwise. */
#include "standard_check.h"
#include "standard_diff.h"
#include "standard_int.h"

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DEPTH 64
#define MAX_REFS 8       /* $ref followed inside $ref: recursive models unrolled this deep */
#define MAX_NODES 20000  /* field paths per model */

/* ---- change list ------------------------------------------------------ */
typedef struct dctx {
    chuanp_std_changes *out;
    int oom;
} dctx;

static void diff_add(dctx *c, int breaking, const char *kind, const char *subject, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void diff_add(dctx *c, int breaking, const char *kind, const char *subject, const char *fmt, ...)
{
    chuanp_std_changes *o = c->out;
    if (c->oom)
        return;
    if (o->count == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 32;
        chuanp_std_change *p = chuanp_realloc(o->items, cap * sizeof *p);
        if (!p) {
            c->oom = 1;
            return;
        }
        o->items = p;
        o->cap = cap;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&b, chuanp_gettext(fmt), ap); /* the language of messages */
    va_end(ap);
    chuanp_std_change *ch = &o->items[o->count];
    ch->breaking = breaking;
    ch->kind = chuanp_strdup(kind);
    ch->subject = chuanp_strdup(subject);
    ch->message = b.err ? NULL : chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    if (!ch->kind || !ch->subject || !ch->message) {
        chuanp_free(ch->kind);
        chuanp_free(ch->subject);
        chuanp_free(ch->message);
        c->oom = 1;
        return;
    }
    o->count++;
    if (breaking)
        o->nbreaking++;
}

void chuanp_std_changes_free(chuanp_std_changes *c)
{
    for (size_t i = 0; i < c->count; i++) {
        chuanp_free(c->items[i].kind);
        chuanp_free(c->items[i].subject);
        chuanp_free(c->items[i].message);
    }
    chuanp_free(c->items);
    chuanp_free(c->old_label);
    chuanp_free(c->new_label);
    memset(c, 0, sizeof *c);
}

/* A JSON value on one line (new string). */
static char *jtext(const chuanp_jv *v)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_json_write(&b, v, NULL);
    char *s = b.err ? NULL : chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    return s ? s : chuanp_strdup("?");
}

static const char *jstr(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING ? v->u.str.text : NULL;
}

/* ---- model: fields and their constraints ------------------------------ */
typedef struct facet {
    const char *key;
    const chuanp_jv *value;
} facet;

typedef struct node {
    char *path;      /* "" = the record, "/A/B"; array items add a "*" step */
    char *parent;    /* path of the parent node */
    long pos;        /* position among the fields its parent's "properties" define, -1 none */
    int required;    /* named by an unconditional "required" of its parent */
    int cond_required; /* named by a "required" inside then/else/anyOf/oneOf */
    int closed;      /* additionalProperties: false (unconditional) */
    facet *facets;
    size_t nfacets, capf;
} node;

typedef struct rule {
    char *id;
    int severity; /* 2 error, 1 warning, 0 info */
} rule;

typedef struct model {
    node *nodes;
    size_t count, cap;
    rule *rules;
    size_t nrules, caprules;
    const chuanp_jv *root;
    int oom, too_large;
} model;

static node *get_node(model *m, const char *path, const char *parent)
{
    for (size_t i = 0; i < m->count; i++)
        if (strcmp(m->nodes[i].path, path) == 0)
            return &m->nodes[i];
    if (m->count >= MAX_NODES) {
        m->too_large = 1;
        m->oom = 1; /* stops the walk */
        return NULL;
    }
    if (m->count == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        node *p = chuanp_realloc(m->nodes, cap * sizeof *p);
        if (!p) {
            m->oom = 1;
            return NULL;
        }
        m->nodes = p;
        m->cap = cap;
    }
    node *n = &m->nodes[m->count];
    memset(n, 0, sizeof *n);
    n->path = chuanp_strdup(path);
    n->parent = chuanp_strdup(parent ? parent : "");
    if (!n->path || !n->parent) {
        chuanp_free(n->path);
        chuanp_free(n->parent);
        m->oom = 1;
        return NULL;
    }
    n->pos = -1;
    m->count++;
    return n;
}

/* The node of a field a "properties" object defines: numbered in order of definition. */
static node *def_node(model *m, const char *path, const char *parent)
{
    node *n = get_node(m, path, parent);
    if (n && n->pos < 0) {
        long pos = 0;
        for (size_t i = 0; i < m->count; i++)
            if (strcmp(m->nodes[i].parent, parent) == 0 && m->nodes[i].pos >= 0 &&
                m->nodes[i].path[0])
                pos++;
        n->pos = pos;
    }
    return n;
}

static void add_facet(model *m, node *n, const char *key, const chuanp_jv *v)
{
    for (size_t i = 0; i < n->nfacets; i++)
        if (strcmp(n->facets[i].key, key) == 0)
            return; /* the first occurrence speaks for the field */
    if (n->nfacets == n->capf) {
        size_t cap = n->capf ? n->capf * 2 : 8;
        facet *p = chuanp_realloc(n->facets, cap * sizeof *p);
        if (!p) {
            m->oom = 1;
            return;
        }
        n->facets = p;
        n->capf = cap;
    }
    n->facets[n->nfacets++] = (facet){key, v};
}

static int severity_rank(const char *s)
{
    if (!s || strcmp(s, "error") == 0 || strcmp(s, "fatal") == 0)
        return 2;
    if (strcmp(s, "warning") == 0 || strcmp(s, "warn") == 0)
        return 1;
    return 0;
}

static const char *severity_name(int r)
{
    return r == 2 ? "error" : r == 1 ? "warning" : "info";
}

static void add_rule(model *m, const char *id, int sev)
{
    for (size_t i = 0; i < m->nrules; i++)
        if (strcmp(m->rules[i].id, id) == 0) {
            if (sev > m->rules[i].severity)
                m->rules[i].severity = sev;
            return;
        }
    if (m->nrules == m->caprules) {
        size_t cap = m->caprules ? m->caprules * 2 : 32;
        rule *p = chuanp_realloc(m->rules, cap * sizeof *p);
        if (!p) {
            m->oom = 1;
            return;
        }
        m->rules = p;
        m->caprules = cap;
    }
    if (!(m->rules[m->nrules].id = chuanp_strdup(id))) {
        m->oom = 1;
        return;
    }
    m->rules[m->nrules++].severity = sev;
}

/* keywords that hold no constraint of the field itself */
static int is_annotation(const char *k)
{
    static const char *const ann[] = {"title", "description", "$comment", "examples", "default",
                                      "$schema", "$id", "$anchor", "deprecated", "readOnly",
                                      "writeOnly", "$defs", "definitions", "if", "not",
                                      "patternProperties", "dependentSchemas", "prefixItems",
                                      "contains", "unevaluatedProperties", "propertyNames", NULL};
    for (int i = 0; ann[i]; i++)
        if (strcmp(k, ann[i]) == 0)
            return 1;
    return 0;
}

/* path + "/" + name, the name escaped as in a JSON Pointer (~0, ~1); new string */
static char *child_path(const char *path, const char *name)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, path);
    chuanp_buf_putc(&b, '/');
    for (; *name; name++) {
        if (*name == '~')
            chuanp_buf_puts(&b, "~0");
        else if (*name == '/')
            chuanp_buf_puts(&b, "~1");
        else
            chuanp_buf_putc(&b, *name);
    }
    char *s = chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    return s;
}

/* The target of a local "$ref": "#/a/b" in the model, else NULL. */
static const chuanp_jv *resolve_ref(const model *m, const char *ref)
{
    if (!ref || ref[0] != '#')
        return NULL;
    const chuanp_jv *v = m->root;
    const char *p = ref + 1;
    while (v && *p == '/') {
        p++;
        size_t n = strcspn(p, "/");
        char key[256];
        if (n >= sizeof key)
            return NULL;
        memcpy(key, p, n);
        key[n] = '\0';
        v = v->type == CHUANP_JOBJECT ? chuanp_json_get(v, key) : NULL;
        p += n;
    }
    return *p ? NULL : v;
}

static void walk(model *m, const chuanp_jv *s, const char *path, int cond, int refs, int depth)
{
    if (!s || s->type != CHUANP_JOBJECT || depth > MAX_DEPTH || m->oom)
        return;
    node *self = get_node(m, path, NULL);
    if (!self)
        return;
    for (size_t i = 0; i < s->u.obj.count && !m->oom; i++) {
        const char *k = s->u.obj.members[i].key;
        const chuanp_jv *v = s->u.obj.members[i].value;
        if (strcmp(k, "properties") == 0 && v->type == CHUANP_JOBJECT) {
            for (size_t j = 0; j < v->u.obj.count; j++) {
                char *cp = child_path(path, v->u.obj.members[j].key);
                if (!cp || !def_node(m, cp, path))
                    m->oom = 1;
                else
                    walk(m, v->u.obj.members[j].value, cp, cond, refs, depth + 1);
                chuanp_free(cp);
            }
        } else if (strcmp(k, "items") == 0) {
            char *cp = chuanp_asprintf("%s/*", path);
            if (!cp || !get_node(m, cp, path))
                m->oom = 1;
            else
                walk(m, v, cp, cond, refs, depth + 1);
            chuanp_free(cp);
        } else if (strcmp(k, "required") == 0 && v->type == CHUANP_JARRAY) {
            for (size_t j = 0; j < v->u.arr.count; j++) {
                const char *r = jstr(v->u.arr.items[j]);
                char *cp = r ? child_path(path, r) : NULL;
                node *n = cp ? get_node(m, cp, path) : NULL;
                if (n && cond)
                    n->cond_required = 1;
                else if (n)
                    n->required = 1;
                else if (r)
                    m->oom = 1;
                chuanp_free(cp);
            }
        } else if (strcmp(k, "additionalProperties") == 0) {
            if (v->type == CHUANP_JFALSE && !cond && (self = get_node(m, path, NULL)))
                self->closed = 1;
        } else if (strcmp(k, "allOf") == 0 || strcmp(k, "anyOf") == 0 || strcmp(k, "oneOf") == 0) {
            int c = cond || strcmp(k, "allOf") != 0;
            for (size_t j = 0; v->type == CHUANP_JARRAY && j < v->u.arr.count; j++)
                walk(m, v->u.arr.items[j], path, c, refs, depth + 1);
        } else if (strcmp(k, "then") == 0 || strcmp(k, "else") == 0) {
            walk(m, v, path, 1, refs, depth + 1);
        } else if (strcmp(k, "$ref") == 0) {
            if (refs < MAX_REFS)
                walk(m, resolve_ref(m, jstr(v)), path, cond, refs + 1, depth + 1);
        } else if (strcmp(k, "rule") == 0) {
            const char *id = v->type == CHUANP_JOBJECT ? jstr(chuanp_json_get(v, "id")) : NULL;
            if (id)
                add_rule(m, id, severity_rank(jstr(chuanp_json_get(v, "severity"))));
        } else if (!is_annotation(k) && !cond && (self = get_node(m, path, NULL))) {
            add_facet(m, self, k, v);
        }
    }
}

static void model_free(model *m)
{
    for (size_t i = 0; i < m->count; i++) {
        chuanp_free(m->nodes[i].path);
        chuanp_free(m->nodes[i].parent);
        chuanp_free(m->nodes[i].facets);
    }
    for (size_t i = 0; i < m->nrules; i++)
        chuanp_free(m->rules[i].id);
    chuanp_free(m->nodes);
    chuanp_free(m->rules);
}

/* Schematron checks with an id: role fatal/error (default) -> error, warning/warn -> warning,
 * info/information -> info (the mapping the engine uses). */
static int schematron_rules(model *m, const char *path, chuan_diags *d)
{
    if (!path)
        return 0;
    xmlDocPtr doc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.schematron", .file = path,
                         .offset = -1};
        chuan_diags_addf(d, &dg, "cannot read the Schematron %s (missing or not well-formed)", path);
        return -1;
    }
    xmlNodePtr stack[MAX_DEPTH];
    int sp = 0;
    stack[sp++] = xmlDocGetRootElement(doc);
    while (sp && !m->oom) {
        xmlNodePtr n = stack[--sp];
        for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next) {
            if (k->type != XML_ELEMENT_NODE)
                continue;
            if (xmlStrEqual(k->name, BAD_CAST "assert") || xmlStrEqual(k->name, BAD_CAST "report")) {
                xmlChar *id = xmlGetProp(k, BAD_CAST "id"), *role = xmlGetProp(k, BAD_CAST "role");
                int sev = 2;
                if (role && (xmlStrcasecmp(role, BAD_CAST "warning") == 0 ||
                             xmlStrcasecmp(role, BAD_CAST "warn") == 0))
                    sev = 1;
                else if (role && (xmlStrcasecmp(role, BAD_CAST "info") == 0 ||
                                  xmlStrcasecmp(role, BAD_CAST "information") == 0))
                    sev = 0;
                if (id)
                    add_rule(m, (const char *)id, sev);
                xmlFree(id);
                xmlFree(role);
            } else if (sp < MAX_DEPTH) {
                stack[sp++] = k;
            }
        }
    }
    xmlFreeDoc(doc);
    return 0;
}

/* ---- constraint comparison -------------------------------------------- */
static const facet *find_facet(const node *n, const char *key)
{
    for (size_t i = 0; n && i < n->nfacets; i++)
        if (strcmp(n->facets[i].key, key) == 0)
            return &n->facets[i];
    return NULL;
}

static int is_lower_bound(const char *k)
{
    return !strcmp(k, "minimum") || !strcmp(k, "exclusiveMinimum") || !strcmp(k, "minLength") ||
           !strcmp(k, "minItems") || !strcmp(k, "minProperties");
}

static int is_upper_bound(const char *k)
{
    return !strcmp(k, "maximum") || !strcmp(k, "exclusiveMaximum") || !strcmp(k, "maxLength") ||
           !strcmp(k, "maxItems") || !strcmp(k, "maxProperties");
}

static int in_array(const chuanp_jv *arr, const chuanp_jv *v)
{
    for (size_t i = 0; i < arr->u.arr.count; i++)
        if (chuanp_json_equal(arr->u.arr.items[i], v))
            return 1;
    return 0;
}

/* Values of a that are not in b, as "x", "y" (new string). */
static char *missing_values(const chuanp_jv *a, const chuanp_jv *b)
{
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    for (size_t i = 0; i < a->u.arr.count; i++)
        if (!in_array(b, a->u.arr.items[i])) {
            char *t = jtext(a->u.arr.items[i]);
            chuanp_buf_printf(&out, "%s%s", out.len ? ", " : "", t ? t : "?");
            chuanp_free(t);
        }
    char *s = chuanp_buf_steal(&out, NULL); /* NULL when out of memory */
    chuanp_buf_free(&out);
    return s;
}

/* type as a bit set: null boolean object array number string integer */
static unsigned type_bits(const chuanp_jv *v)
{
    static const char *const names[] = {"null", "boolean", "object", "array", "number", "string",
                                        "integer", NULL};
    unsigned bits = 0;
    size_t n = v->type == CHUANP_JARRAY ? v->u.arr.count : 1;
    for (size_t i = 0; i < n; i++) {
        const char *s = jstr(v->type == CHUANP_JARRAY ? v->u.arr.items[i] : v);
        for (int k = 0; s && names[k]; k++)
            if (strcmp(s, names[k]) == 0)
                bits |= 1u << k;
    }
    if (bits & (1u << 4))
        bits |= 1u << 6; /* number accepts every integer */
    return bits;
}

static void compare_facet(dctx *c, const char *path, const char *k, const chuanp_jv *o,
                          const chuanp_jv *n)
{
    if (o && n && chuanp_json_equal(o, n))
        return;
    char *ot = o ? jtext(o) : NULL, *nt = n ? jtext(n) : NULL;
    if ((o && !ot) || (n && !nt)) {
        c->oom = 1;
    } else if (!o) {
        diff_add(c, 1, "field.narrowed", path, "new constraint %s %s", k, nt);
    } else if (!n) {
        diff_add(c, 0, "field.widened", path, "constraint %s %s removed", k, ot);
    } else if ((is_lower_bound(k) || is_upper_bound(k)) && o->type == CHUANP_JNUMBER &&
               n->type == CHUANP_JNUMBER) {
        int cmp = chuanp_json_numcmp(n->u.str.text, n->u.str.len, o->u.str.text, o->u.str.len);
        int narrowed = is_lower_bound(k) ? cmp > 0 : cmp < 0;
        diff_add(c, narrowed, narrowed ? "field.narrowed" : "field.widened", path,
            narrowed ? N_("%s %s -> %s (narrowed)") : N_("%s %s -> %s (widened)"), k, ot, nt);
    } else if (strcmp(k, "enum") == 0 && o->type == CHUANP_JARRAY && n->type == CHUANP_JARRAY) {
        char *gone = missing_values(o, n), *added = missing_values(n, o);
        if (!gone || !added)
            c->oom = 1;
        else if (*gone && *added)
            diff_add(c, 1, "field.narrowed", path, "enum values removed: %s; added: %s", gone, added);
        else if (*gone)
            diff_add(c, 1, "field.narrowed", path, "enum values removed: %s", gone);
        else
            diff_add(c, 0, "field.widened", path, "enum values added: %s", added);
        chuanp_free(gone);
        chuanp_free(added);
    } else if (strcmp(k, "type") == 0) {
        unsigned ob = type_bits(o), nb = type_bits(n);
        int widened = (ob & nb) == ob;
        diff_add(c, !widened, widened ? "field.widened" : "field.narrowed", path,
            widened ? N_("type %s -> %s (widened)") : N_("type %s -> %s (narrowed)"), ot, nt);
    } else {
        /* pattern, format, const, vocabulary keywords: which accepts more is not decidable here */
        diff_add(c, 1, "field.changed", path, "%s changed: %s -> %s (cannot tell whether narrowed)", k, ot,
            nt);
    }
    chuanp_free(ot);
    chuanp_free(nt);
}

static const char *type_of(const node *n)
{
    const facet *f = find_facet(n, "type");
    return f && jstr(f->value) ? jstr(f->value) : f ? _("several") : _("any");
}

static const node *lookup(const model *m, const char *path)
{
    for (size_t i = 0; path && i < m->count; i++)
        if (strcmp(m->nodes[i].path, path) == 0)
            return &m->nodes[i];
    return NULL;
}

static int same_facets(const node *a, const node *b)
{
    if (a->nfacets != b->nfacets)
        return 0;
    for (size_t i = 0; i < a->nfacets; i++) {
        const facet *f = find_facet(b, a->facets[i].key);
        if (!f || !chuanp_json_equal(f->value, a->facets[i].value))
            return 0;
    }
    return 1;
}

/* The new node that takes an old removed field's place (a guess): itself new, same parent,
 * position among the parent's fields, required-ness, type and constraints. */
static const node *rename_target(const model *om, const model *nm, const node *o)
{
    for (size_t i = 0; i < nm->count; i++) {
        const node *n = &nm->nodes[i];
        if (!n->path[0] || lookup(om, n->path) || strcmp(n->parent, o->parent) != 0 ||
            o->pos < 0 || n->pos != o->pos || !lookup(om, n->parent))
            continue;
        if (n->required == o->required && same_facets(o, n))
            return n;
    }
    return NULL;
}

static void compare_models(dctx *c, const model *om, const model *nm)
{
    const node **renamed_to = chuanp_calloc(om->count + 1, sizeof *renamed_to);
    if (!renamed_to) {
        c->oom = 1;
        return;
    }
    /* removed (or renamed) fields: only the topmost of a removed subtree */
    for (size_t i = 0; i < om->count; i++) {
        const node *o = &om->nodes[i];
        if (!o->path[0] || lookup(nm, o->path) || !lookup(nm, o->parent))
            continue;
        const node *to = rename_target(om, nm, o);
        if (to) {
            renamed_to[i] = to;
            diff_add(c, 1, "field.renamed", o->path,
                "renamed to %s (a guess: same position, type and constraints; a sender must use "
                "the new name)",
                to->path);
            continue;
        }
        const node *parent = lookup(nm, o->parent);
        int closed = parent && parent->closed;
        if (closed)
            diff_add(c, 1, "field.removed", o->path,
                o->required ? N_("required field removed (type %s); the new model allows no other "
                                 "field there, so a sender still sending it is refused")
                            : N_("optional field removed (type %s); the new model allows no other "
                                 "field there, so a sender still sending it is refused"),
                type_of(o));
        else
            diff_add(c, 0, "field.removed", o->path,
                o->required ? N_("required field removed (type %s)") : N_("optional field removed (type %s)"),
                type_of(o));
    }
    for (size_t i = 0; i < nm->count; i++) {
        const node *n = &nm->nodes[i];
        const node *o = lookup(om, n->path);
        if (!n->path[0] || o || !lookup(om, n->parent))
            continue;
        int is_rename = 0;
        for (size_t k = 0; k < om->count; k++)
            if (renamed_to[k] == n)
                is_rename = 1;
        if (is_rename)
            continue;
        int when = !n->required && n->cond_required;
        diff_add(c, n->required || when, "field.added", n->path,
            n->required ? N_("new required field (type %s)")
            : when      ? N_("new conditionally required (then/else/anyOf/oneOf) field (type %s)")
                        : N_("new optional field (type %s)"),
            type_of(n));
    }
    /* fields in both: required-ness, constraints */
    for (size_t i = 0; i < nm->count && !c->oom; i++) {
        const node *n = &nm->nodes[i];
        const node *o = lookup(om, n->path);
        if (!o)
            continue;
        const char *label = n->path[0] ? n->path : _("(record)");
        if (n->path[0] && n->required != o->required)
            diff_add(c, n->required, n->required ? "field.required" : "field.optional", label,
                n->required ? N_("optional field became required") : N_("required field became optional"));
        else if (n->path[0] && !n->required && n->cond_required != o->cond_required)
            diff_add(c, n->cond_required, n->cond_required ? "field.required" : "field.optional", label,
                n->cond_required ? N_("now required in some cases (a then/else/anyOf/oneOf branch)")
                                 : N_("no longer required in any case"));
        if (n->closed != o->closed)
            diff_add(c, n->closed, n->closed ? "field.narrowed" : "field.widened", label,
                n->closed ? N_("no longer accepts fields the model does not define")
                          : N_("now accepts fields the model does not define"));
        for (size_t k = 0; k < o->nfacets; k++) {
            const facet *nf = find_facet(n, o->facets[k].key);
            compare_facet(c, label, o->facets[k].key, o->facets[k].value, nf ? nf->value : NULL);
        }
        for (size_t k = 0; k < n->nfacets; k++)
            if (!find_facet(o, n->facets[k].key))
                compare_facet(c, label, n->facets[k].key, NULL, n->facets[k].value);
    }
    chuanp_free(renamed_to);
}

static void compare_rules(dctx *c, const model *om, const model *nm)
{
    for (size_t i = 0; i < nm->nrules; i++) {
        const rule *n = &nm->rules[i];
        const rule *o = NULL;
        for (size_t k = 0; k < om->nrules; k++)
            if (strcmp(om->rules[k].id, n->id) == 0)
                o = &om->rules[k];
        if (!o)
            diff_add(c, n->severity == 2, "rule.added", n->id, 
                n->severity == 2 ? N_("new rule (%s)") : N_("new rule (%s): reported, never refuses a payload"),
                severity_name(n->severity));
        else if (o->severity != n->severity)
            diff_add(c, n->severity > o->severity && n->severity == 2, "rule.severity", n->id,
                "severity %s -> %s", severity_name(o->severity), severity_name(n->severity));
    }
    for (size_t k = 0; k < om->nrules; k++) {
        int found = 0;
        for (size_t i = 0; i < nm->nrules; i++)
            found |= strcmp(om->rules[k].id, nm->rules[i].id) == 0;
        if (!found)
            diff_add(c, 0, "rule.removed", om->rules[k].id, "rule removed (was %s)",
                severity_name(om->rules[k].severity));
    }
}

/* ---- code lists -------------------------------------------------------- */
static void date_text(char out[11], long d)
{
    if (d <= 0)
        memcpy(out, "open", 5);
    else
        snprintf(out, 11, "%04ld-%02ld-%02ld", (d / 10000) % 10000, (d / 100) % 100, d % 100);
}

static int same_parent(const chuanp_code *a, const chuanp_code *b)
{
    return strcmp(a->parent ? a->parent : "", b->parent ? b->parent : "") == 0;
}

/* The row of l with r's code and parent (and valid_from when by_from); l->codes is sorted by
 * code (validator/codelist.c), so a binary search finds the first row of the code. */
static const chuanp_code *find_row(const chuanp_codelist *l, const chuanp_code *r, int by_from)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->codes[mid].code, r->code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < l->count && strcmp(l->codes[i].code, r->code) == 0; i++) {
        const chuanp_code *x = &l->codes[i];
        if (same_parent(x, r) && (!by_from || x->valid_from == r->valid_from))
            return x;
    }
    return NULL;
}

/* "provinces 01 under X (2025-07-01..open)": the row's code, parent and validity as the old
 * version dated it */
static void row_subject(char *buf, size_t n, const char *list, const chuanp_code *r)
{
    char from[11], to[11];
    date_text(from, r->valid_from);
    date_text(to, r->valid_to);
    if (r->parent)
        snprintf(buf, n, _("%s %s under %s"), list, r->code, r->parent);
    else
        snprintf(buf, n, "%s %s", list, r->code);
    if (r->valid_from || r->valid_to) {
        size_t l = strlen(buf);
        snprintf(buf + l, n - l, " (%s..%s)", from, to);
    }
}

static void compare_codelist(dctx *c, const char *name, const chuanp_codelist *o,
                             const chuanp_codelist *n)
{
    char subj[512], d1[11], d2[11];
    for (size_t i = 0; i < n->count && !c->oom; i++) {
        const chuanp_code *r = &n->codes[i];
        const chuanp_code *old = find_row(o, r, 1);
        row_subject(subj, sizeof subj, name, old ? old : r);
        if (!old) {
            diff_add(c, 0, "codelist.added", subj, "new entry '%s'", r->name);
            continue;
        }
        if (old->valid_to != r->valid_to) {
            date_text(d1, old->valid_to);
            date_text(d2, r->valid_to);
            if (!old->valid_to)
                diff_add(c, 1, "codelist.retired", subj, "'%s' retired: valid until %s (exclusive)",
                    r->name, d2);
            else if (!r->valid_to || r->valid_to > old->valid_to)
                diff_add(c, 0, "codelist.extended", subj, "'%s' valid longer: until %s, was %s", r->name,
                    d2, d1);
            else
                diff_add(c, 1, "codelist.retired", subj, "'%s' retired earlier: until %s, was %s",
                    r->name, d2, d1);
        }
        if (strcmp(old->name ? old->name : "", r->name ? r->name : "") != 0)
            diff_add(c, 0, "codelist.renamed", subj, "name '%s' -> '%s'", old->name, r->name);
    }
    for (size_t i = 0; i < o->count && !c->oom; i++) {
        const chuanp_code *r = &o->codes[i];
        if (find_row(n, r, 1))
            continue;
        row_subject(subj, sizeof subj, name, r);
        date_text(d1, r->valid_from);
        if (r->valid_from)
            diff_add(c, 1, "codelist.removed", subj, "entry '%s' removed (was valid from %s)", r->name, d1);
        else
            diff_add(c, 1, "codelist.removed", subj, "entry '%s' removed", r->name);
    }
}

/* ---- formats ------------------------------------------------------------ */
static void compare_formats(dctx *c, const chuanp_standard *o, const chuanp_standard *n)
{
    const char *names[4] = {"json", "ndjson", "xml", "csv"};
    int oh[4] = {o->has_json, o->has_ndjson, o->has_xml, o->has_csv};
    int nh[4] = {n->has_json, n->has_ndjson, n->has_xml, n->has_csv};
    for (int i = 0; i < 4; i++)
        if (oh[i] != nh[i])
            diff_add(c, oh[i], nh[i] ? "format.added" : "format.removed", names[i],
                nh[i] ? N_("%s payloads now accepted") : N_("%s payloads no longer accepted"), names[i]);
    if (o->has_json && n->has_json &&
        strcmp(o->json_records ? o->json_records : "", n->json_records ? n->json_records : "") != 0)
        diff_add(c, 1, "format.changed", "json", "records moved from \"%s\" to \"%s\"",
            o->json_records ? o->json_records : "", n->json_records ? n->json_records : "");
    if (o->has_xml && n->has_xml) {
        for (size_t i = 0; i < o->nxml_records; i++) {
            int found = 0;
            for (size_t k = 0; k < n->nxml_records; k++)
                found |= strcmp(o->xml_records[i], n->xml_records[k]) == 0;
            if (!found)
                diff_add(c, 1, "format.changed", "xml", "record element %s no longer read",
                    o->xml_records[i]);
        }
        for (size_t k = 0; k < n->nxml_records; k++) {
            int found = 0;
            for (size_t i = 0; i < o->nxml_records; i++)
                found |= strcmp(o->xml_records[i], n->xml_records[k]) == 0;
            if (!found)
                diff_add(c, 0, "format.changed", "xml", "record element %s now read", n->xml_records[k]);
        }
        if (!o->xsd != !n->xsd)
            diff_add(c, !o->xsd, "format.changed", "xml",
                n->xsd ? N_("an XSD now checks XML payloads") : N_("the XSD was dropped"));
        if (!o->schematron != !n->schematron)
            diff_add(c, !o->schematron, "format.changed", "xml",
                n->schematron ? N_("a Schematron now checks XML payloads")
                              : N_("the Schematron was dropped"));
    }
}

/* Manifest settings ("hotich.date_formats": [...], "x.checked_from": "2025-07-01"): a list of
 * strings compares as a set (values removed: breaking, added only: compatible); any other change
 * is "changed" (breaking: which payloads it refuses depends on the rule that reads it). */
static void compare_settings(dctx *c, const chuanp_jv *o, const chuanp_jv *n)
{
    for (int pass = 0; pass < 2; pass++) {
        const chuanp_jv *a = pass ? n : o, *b = pass ? o : n;
        for (size_t i = 0; a && a->type == CHUANP_JOBJECT && i < a->u.obj.count; i++) {
            const char *k = a->u.obj.members[i].key;
            const chuanp_jv *av = a->u.obj.members[i].value;
            const chuanp_jv *bv = b && b->type == CHUANP_JOBJECT ? chuanp_json_get(b, k) : NULL;
            if (bv && pass)
                continue; /* compared in the first pass */
            char *at = jtext(av), *bt = bv ? jtext(bv) : NULL;
            if (!at || (bv && !bt))
                c->oom = 1;
            else if (!bv)
                diff_add(c, 1, pass ? "setting.added" : "setting.removed", k,
                    pass ? N_("new setting %s (the rule that reads it may refuse more)")
                         : N_("setting removed (was %s; the rule that read it falls back to its default)"),
                    at);
            else if (!chuanp_json_equal(av, bv)) {
                int lists = av->type == CHUANP_JARRAY && bv->type == CHUANP_JARRAY;
                char *gone = lists ? missing_values(av, bv) : NULL;
                char *added = lists ? missing_values(bv, av) : NULL;
                if (lists && (!gone || !added))
                    c->oom = 1;
                else if (lists && !*gone)
                    diff_add(c, 0, "setting.widened", k, "values added: %s", added);
                else if (lists && !*added)
                    diff_add(c, 1, "setting.narrowed", k, "values removed: %s", gone);
                else
                    diff_add(c, 1, "setting.changed", k, "%s -> %s (cannot tell whether narrowed)", at, bt);
                chuanp_free(gone);
                chuanp_free(added);
            }
            chuanp_free(at);
            chuanp_free(bt);
        }
    }
}

/* CSV columns of the Table Schema ("fields"[].name). */
static void compare_columns(dctx *c, const chuanp_jv *o, const chuanp_jv *n)
{
    const chuanp_jv *of = o ? chuanp_json_get(o, "fields") : NULL;
    const chuanp_jv *nf = n ? chuanp_json_get(n, "fields") : NULL;
    if (!of || !nf || of->type != CHUANP_JARRAY || nf->type != CHUANP_JARRAY)
        return;
    for (int pass = 0; pass < 2; pass++) {
        const chuanp_jv *a = pass ? nf : of, *b = pass ? of : nf;
        for (size_t i = 0; i < a->u.arr.count; i++) {
            const char *name = jstr(chuanp_json_get(a->u.arr.items[i], "name"));
            int found = 0;
            for (size_t k = 0; name && k < b->u.arr.count; k++)
                found |= jstr(chuanp_json_get(b->u.arr.items[k], "name")) &&
                         strcmp(jstr(chuanp_json_get(b->u.arr.items[k], "name")), name) == 0;
            if (name && !found)
                diff_add(c, !pass, pass ? "format.changed" : "format.changed", "csv",
                    pass ? N_("new column %s") : N_("column %s removed from the Table Schema"), name);
        }
    }
}

/* ---- driver --------------------------------------------------------------- */
typedef struct side {
    char *dir;
    chuanp_standard *std;
    chuanp_arena arena;
    chuanp_jv *model_root, *ts_root;
    model m;
    chuanp_codelists set;
} side;

static void init_side(side *s)
{
    memset(s, 0, sizeof *s);
    chuanp_arena_init(&s->arena, 0);
    chuanp_codelists_init(&s->set);
}

static int load_side(side *s, const char *spec, chuan_diags *d)
{
    if (chuanp_standard_find(&s->dir, spec, d) < 0)
        return -1;
    if (chuanp_standard_load(&s->std, s->dir, d) != 0)
        return -1;
    if (s->std->model) {
        if (chuanp_model_read(&s->model_root, &s->arena, s->std->model, d) != 0)
            return -1;
        s->m.root = s->model_root;
        walk(&s->m, s->model_root, "", 0, 0, 0);
        if (s->m.too_large) {
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.model", .file = s->std->model,
                             .offset = -1};
            chuan_diags_addf(d, &dg, "the model defines more than %d field paths: not compared",
                             MAX_NODES);
            return -1;
        }
    }
    if (schematron_rules(&s->m, s->std->schematron, d) < 0)
        return -1;
    if (s->std->tableschema && chuanp_model_read(&s->ts_root, &s->arena, s->std->tableschema, d) != 0)
        return -1;
    if (chuanp_standard_codelist_dirs(s->std, &s->set) < 0)
        return -1;
    return s->m.oom ? -1 : 0;
}

static void free_side(side *s)
{
    model_free(&s->m);
    chuanp_codelists_free(&s->set);
    chuanp_standard_free(s->std);
    chuanp_arena_free(&s->arena);
    chuanp_free(s->dir);
}

static int has_name(const chuanp_standard *s, const char *name)
{
    for (size_t i = 0; i < s->ncodelists; i++)
        if (strcmp(s->codelists[i], name) == 0)
            return 1;
    return 0;
}

int chuanp_standard_diff(const char *old_spec, const char *new_spec, chuanp_std_changes *out,
                         chuan_diags *d)
{
    memset(out, 0, sizeof *out);
    side o, n;
    init_side(&o);
    init_side(&n);
    dctx c = {.out = out};
    int rc = -1;
    if (load_side(&o, old_spec, d) < 0 || load_side(&n, new_spec, d) < 0)
        goto done;
    out->old_label = chuanp_asprintf("%s@%s", o.std->id, o.std->version);
    out->new_label = chuanp_asprintf("%s@%s", n.std->id, n.std->version);
    if (!out->old_label || !out->new_label)
        goto done;
    if (strcmp(o.std->id, n.std->id) != 0)
        diff_add(&c, 1, "package.id", n.std->id, "the package id changed from %s to %s", o.std->id,
            n.std->id);
    compare_formats(&c, o.std, n.std);
    compare_settings(&c, o.std->settings, n.std->settings);
    compare_columns(&c, o.ts_root, n.ts_root);
    compare_models(&c, &o.m, &n.m);
    compare_rules(&c, &o.m, &n.m);
    /* code lists: every list either version names */
    for (int pass = 0; pass < 2 && !c.oom; pass++) {
        const chuanp_standard *a = pass ? n.std : o.std, *b = pass ? o.std : n.std;
        for (size_t i = 0; i < a->ncodelists; i++) {
            const char *name = a->codelists[i];
            if (!has_name(b, name)) {
                diff_add(&c, 0, pass ? "codelist.list-added" : "codelist.list-removed", name,
                    pass ? N_("code list now used by the package") : N_("code list no longer used"));
                continue;
            }
            if (pass)
                continue;
            size_t before = d->count;
            const chuanp_codelist *ol = chuanp_codelists_get(&o.set, name, d);
            const chuanp_codelist *nl = chuanp_codelists_get(&n.set, name, d);
            if (!ol || !nl) {
                if (d->count == before) {
                    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.invalid",
                                     .file = n.std->manifest, .offset = -1};
                    chuan_diags_addf(d, &dg, "code list '%s' cannot be read", name);
                }
                goto done;
            }
            compare_codelist(&c, name, ol, nl);
        }
    }
    rc = c.oom ? -1 : 0;
    if (c.oom) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "internal.oom", .offset = -1};
        chuan_diags_addf(d, &dg, "out of memory");
    }
done:
    free_side(&o);
    free_side(&n);
    if (rc < 0)
        chuanp_std_changes_free(out);
    return rc;
}
