/* validator/jsonschema_registry.c - schema documents, resources and the URI
 * registry: loading (embedded meta-schemas, --ref mappings, local files; never
 * the network), scanning for $id / $anchor / $dynamicAnchor, resolving
 * references to schema values. */
#include "jsonschema_int.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_SCHEMA_BYTES (64u << 20)

/* ------------------------------------------------------------ pointer map */
static size_t ptr_hash(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

void *chuanp_js_pmap_get(const js_pmap *m, const void *key)
{
    if (!m->cap)
        return NULL;
    size_t i = ptr_hash(key) & (m->cap - 1);
    while (m->e[i].key) {
        if (m->e[i].key == key)
            return m->e[i].value;
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static int js_pmap_put(js_pmap *m, const void *key, void *value)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        js_pmap_entry *ne = chuanp_calloc(ncap, sizeof *ne);
        if (!ne)
            return -1;
        for (size_t k = 0; k < m->cap; k++)
            if (m->e[k].key) {
                size_t i = ptr_hash(m->e[k].key) & (ncap - 1);
                while (ne[i].key)
                    i = (i + 1) & (ncap - 1);
                ne[i] = m->e[k];
            }
        chuanp_free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    size_t i = ptr_hash(key) & (m->cap - 1);
    while (m->e[i].key && m->e[i].key != key)
        i = (i + 1) & (m->cap - 1);
    if (!m->e[i].key)
        m->count++;
    m->e[i].key = key;
    m->e[i].value = value;
    return 0;
}

void chuanp_js_pmap_free(js_pmap *m)
{
    chuanp_free(m->e);
    memset(m, 0, sizeof *m);
}

/* ------------------------------------------------------------ errors */
void chuanp_js_schema_error(chuanp_jsonschema *s, const chuanp_jv *v, const char *fmt, ...)
{
    js_where *w = v ? chuanp_js_pmap_get(&s->where, v) : NULL;
    const char *file = w && w->doc && w->doc->file ? w->doc->file : s->main_file;
    if (w && w->doc && !w->doc->file)
        file = w->doc->uri;
    chuan_diag d = {.severity = CHUAN_SEV_ERROR,
                    .code = "jsonschema.schema",
                    .file = file,
                    .line = v ? (long)v->line : 0,
                    .column = v ? (long)v->column : 0,
                    .offset = v ? (long long)v->offset : -1,
                    .path = w ? w->pointer : NULL};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(s->diags, &d, fmt, ap);
    va_end(ap);
    s->bad = 1;
}

/* ------------------------------------------------------------ URI table */
static size_t str_hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211ULL;
    }
    return (size_t)h;
}

static const chuanp_jv *uri_get(const chuanp_jsonschema *s, const char *uri)
{
    if (!s->nbuckets)
        return NULL;
    for (js_uri_entry *e = s->uris[str_hash(uri) % s->nbuckets]; e; e = e->next)
        if (strcmp(e->uri, uri) == 0)
            return e->target;
    return NULL;
}

static int uri_put(chuanp_jsonschema *s, const char *uri, const chuanp_jv *target)
{
    if (!s->nbuckets) {
        s->nbuckets = 257;
        s->uris = chuanp_calloc(s->nbuckets, sizeof *s->uris);
        if (!s->uris) {
            s->nbuckets = 0;
            return -1;
        }
    }
    if (uri_get(s, uri))
        return 0; /* first registration wins */
    js_uri_entry *e = chuanp_arena_alloc(&s->arena, sizeof *e);
    if (!e)
        return -1;
    e->uri = chuanp_arena_strndup(&s->arena, uri, strlen(uri));
    if (!e->uri)
        return -1;
    e->target = target;
    size_t b = str_hash(uri) % s->nbuckets;
    e->next = s->uris[b];
    s->uris[b] = e;
    return 0;
}

/* ------------------------------------------------------------ dialects */
static int dialect_of_uri(const char *u)
{
    size_t n = strlen(u);
    while (n && u[n - 1] == '#')
        n--;
    const char *p = u;
    if (strncmp(p, "https://", 8) == 0)
        p += 8;
    else if (strncmp(p, "http://", 7) == 0)
        p += 7;
    else
        return 0;
    size_t rest = n - (size_t)(p - u);
    if (rest == strlen("json-schema.org/draft/2020-12/schema") &&
        strncmp(p, "json-schema.org/draft/2020-12/schema", rest) == 0)
        return JS_D2020;
    if (rest == strlen("json-schema.org/draft/2019-09/schema") &&
        strncmp(p, "json-schema.org/draft/2019-09/schema", rest) == 0)
        return JS_D2019;
    if (rest == strlen("json-schema.org/draft-07/schema") &&
        strncmp(p, "json-schema.org/draft-07/schema", rest) == 0)
        return JS_DRAFT7;
    if (rest == strlen("json-schema.org/draft-06/schema") &&
        strncmp(p, "json-schema.org/draft-06/schema", rest) == 0)
        return JS_DRAFT7;
    return 0;
}

static unsigned full_vocab(const chuanp_jsonschema *s)
{
    return JS_VOC_VALIDATION | JS_VOC_APPLICATOR | JS_VOC_UNEVALUATED |
           (s->assert_formats ? JS_VOC_FORMAT_ASSERT : 0);
}

/* ------------------------------------------------------------ loading */
/* Only regular files (never block on a FIFO, a device or stdin), and with
 * a confinement only below its folders (core/confine.h). Returns the bytes,
 * or NULL with *refused set when the confinement said no. */
static char *read_file(chuanp_confine *c, const char *path, size_t *len, int *refused)
{
    char *data = NULL, *why = NULL;
    int rc = chuanp_confine_read(c, path, MAX_SCHEMA_BYTES, &data, len, &why);
    chuanp_free(why);
    if (rc > 0)
        *refused = 1;
    return rc == 0 ? data : NULL;
}

/* Find bytes for a document URI. Returns 0 (+ *buf, *file), 1 not found,
 * 2 refused (reported), <0 error. */
static int fetch(chuanp_jsonschema *s, const char *uri, char **buf, size_t *len, char **file,
                 const char **embedded)
{
    *buf = NULL;
    *file = NULL;
    *embedded = NULL;
    const js_embedded *e = chuanp_js_embedded_find(uri);
    if (e) {
        *embedded = e->text;
        *len = strlen(e->text);
        return 0;
    }
    for (size_t i = 0; i < s->nrefs; i++) {
        const char *pre = s->refs[i].prefix;
        size_t pl = strlen(pre);
        if (strncmp(uri, pre, pl) != 0)
            continue;
        const char *rest = uri + pl;
        struct stat st;
        char *path;
        int is_dir = stat(s->refs[i].path, &st) == 0 && S_ISDIR(st.st_mode);
        if (is_dir) {
            char *dec = chuanp_js_pct_decode(rest, strlen(rest));
            if (!dec)
                return -1;
            const char *r = dec;
            while (*r == '/')
                r++;
            if (strstr(r, "..")) {
                chuanp_free(dec);
                continue; /* never escape the mapped directory */
            }
            path = chuanp_asprintf("%s/%s", s->refs[i].path, r);
            chuanp_free(dec);
        } else {
            if (*rest)
                continue;
            path = chuanp_strdup(s->refs[i].path);
        }
        if (!path)
            return -1;
        int refused = 0;
        /* a mapped folder: nothing below it leads out (symbolic links) */
        *buf = read_file(is_dir ? &s->confine : NULL, path, len, &refused);
        if (*buf) {
            *file = path;
            return 0;
        }
        chuanp_free(path);
        if (refused)
            return 2;
    }
    char *path = chuanp_js_path_from_uri(uri);
    if (path) {
        int refused = 0;
        *buf = read_file(&s->confine, path, len, &refused);
        if (*buf) {
            *file = path;
            return 0;
        }
        chuanp_free(path);
        if (refused)
            return 2;
    }
    return 1;
}

/* ------------------------------------------------------------ scanning */
static char *ptr_append(chuanp_jsonschema *s, const char *ptr, const char *key, size_t klen)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, ptr);
    chuanp_buf_putc(&b, '/');
    for (size_t i = 0; i < klen; i++) {
        if (key[i] == '~')
            chuanp_buf_puts(&b, "~0");
        else if (key[i] == '/')
            chuanp_buf_puts(&b, "~1");
        else
            chuanp_buf_putc(&b, key[i]);
    }
    char *r = b.err ? NULL : chuanp_arena_strndup(&s->arena, b.data, b.len);
    chuanp_buf_free(&b);
    return r;
}

static char *ptr_index(chuanp_jsonschema *s, const char *ptr, size_t i)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, "%zu", i);
    return ptr_append(s, ptr, tmp, (size_t)n);
}

static js_resource *new_resource(chuanp_jsonschema *s, const char *uri, const chuanp_jv *root,
                                 int dialect, unsigned vocab)
{
    js_resource *r = chuanp_arena_alloc(&s->arena, sizeof *r);
    if (!r)
        return NULL;
    memset(r, 0, sizeof *r);
    r->uri = chuanp_arena_strndup(&s->arena, uri, strlen(uri));
    r->root = root;
    r->dialect = dialect;
    r->vocab = vocab;
    r->next = s->resources;
    s->resources = r;
    return r->uri ? r : NULL;
}

static int add_anchor(chuanp_jsonschema *s, js_resource *r, const char *name, const chuanp_jv *v)
{
    char *u = chuanp_asprintf("%s#%s", r->uri, name);
    if (!u)
        return -1;
    int rc = uri_put(s, u, v);
    chuanp_free(u);
    return rc;
}

static int add_dynamic(chuanp_jsonschema *s, js_resource *r, const char *name, const chuanp_jv *v)
{
    if (r->ndyn == r->capdyn) {
        size_t nc = r->capdyn ? r->capdyn * 2 : 4;
        js_dynanchor *nd = chuanp_arena_alloc(&s->arena, nc * sizeof *nd);
        if (!nd)
            return -1;
        if (r->ndyn)
            memcpy(nd, r->dyn, r->ndyn * sizeof *nd);
        r->dyn = nd;
        r->capdyn = nc;
    }
    r->dyn[r->ndyn].name = name;
    r->dyn[r->ndyn].src = v;
    r->dyn[r->ndyn].node = NULL;
    r->ndyn++;
    return 0;
}

static int scan(chuanp_jsonschema *s, js_doc *doc, const chuanp_jv *v, js_resource *res,
                const char *ptr, int dialect, unsigned vocab, int depth);

static int scan_vocab(chuanp_jsonschema *s, const char *meta_uri, int *dialect, unsigned *vocab,
                      const chuanp_jv *at, int depth);

static int record(chuanp_jsonschema *s, js_doc *doc, const chuanp_jv *v, js_resource *res,
                  const char *ptr, int dialect)
{
    if (chuanp_js_pmap_get(&s->where, v))
        return 0;
    js_where *w = chuanp_arena_alloc(&s->arena, sizeof *w);
    if (!w)
        return -1;
    memset(w, 0, sizeof *w);
    w->resource = res;
    w->pointer = (char *)ptr;
    w->dialect = dialect;
    w->doc = doc;
    return js_pmap_put(&s->where, v, w);
}

static int scan_map(chuanp_jsonschema *s, js_doc *doc, const chuanp_jv *m, js_resource *res,
                    const char *ptr, const char *kw, int dialect, unsigned vocab, int depth)
{
    if (!m || m->type != CHUANP_JOBJECT)
        return 0;
    char *p = ptr_append(s, ptr, kw, strlen(kw));
    if (!p)
        return -1;
    for (size_t i = 0; i < m->u.obj.count; i++) {
        const chuanp_jmember *mem = &m->u.obj.members[i];
        char *q = ptr_append(s, p, mem->key, mem->key_len);
        if (!q || scan(s, doc, mem->value, res, q, dialect, vocab, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static int scan_list(chuanp_jsonschema *s, js_doc *doc, const chuanp_jv *a, js_resource *res,
                     const char *ptr, const char *kw, int dialect, unsigned vocab, int depth)
{
    if (!a || a->type != CHUANP_JARRAY)
        return 0;
    char *p = ptr_append(s, ptr, kw, strlen(kw));
    if (!p)
        return -1;
    for (size_t i = 0; i < a->u.arr.count; i++) {
        char *q = ptr_index(s, p, i);
        if (!q || scan(s, doc, a->u.arr.items[i], res, q, dialect, vocab, depth + 1) < 0)
            return -1;
    }
    return 0;
}

static const char *const single_kws[] = {
    "additionalProperties", "propertyNames", "not", "if", "then", "else", "contains",
    "unevaluatedProperties", "unevaluatedItems", "additionalItems", "items", NULL};
static const char *const list_kws[] = {"allOf", "anyOf", "oneOf", "prefixItems", "items", NULL};
static const char *const map_kws[] = {"properties", "patternProperties", "$defs", "definitions",
                                      "dependentSchemas", "dependencies", NULL};

static int scan(chuanp_jsonschema *s, js_doc *doc, const chuanp_jv *v, js_resource *res,
                const char *ptr, int dialect, unsigned vocab, int depth)
{
    if (depth > JS_MAX_COMPILE_DEPTH) {
        chuanp_js_schema_error(s, v, "schema nested too deeply");
        return 0;
    }
    if (v->type == CHUANP_JTRUE || v->type == CHUANP_JFALSE)
        return record(s, doc, v, res, ptr, dialect);
    if (v->type != CHUANP_JOBJECT)
        return 0;
    int is_doc_root = v == doc->root;
    const chuanp_jv *ref = chuanp_json_get(v, "$ref");
    const chuanp_jv *id = chuanp_json_get(v, "$id");
    const chuanp_jv *sch = chuanp_json_get(v, "$schema");
    int new_res = 0;
    char *newuri = NULL;
    if (id && id->type == CHUANP_JSTRING && !(dialect == JS_DRAFT7 && ref)) {
        const char *t = id->u.str.text;
        if (t[0] == '#' && dialect == JS_DRAFT7) {
            if (t[1] && add_anchor(s, res, t + 1, v) < 0)
                return -1;
        } else if (t[0] != '#' || t[1] == '\0') {
            char *abs = chuanp_js_uri_resolve(res->uri, t);
            if (!abs)
                return -1;
            newuri = chuanp_js_uri_strip_fragment(abs);
            chuanp_free(abs);
            if (!newuri)
                return -1;
            if (strcmp(newuri, res->uri) != 0 || is_doc_root)
                new_res = 1;
            if (new_res && !doc->builtin && chuanp_js_embedded_find(newuri)) {
                /* a user schema never takes the place of a built-in
                 * meta-schema (its URI would win the registry and be used
                 * to check schemas, including itself) */
                chuanp_js_schema_error(s, id,
                                       "$id '%s' is the URI of a meta-schema built into chuan: a "
                                       "schema cannot replace it (refer to it with $ref instead)",
                                       t);
                chuanp_free(newuri);
                return 0;
            }
        }
    }
    if (sch && sch->type == CHUANP_JSTRING && (is_doc_root || new_res)) {
        int d = dialect;
        unsigned vc = vocab;
        if (scan_vocab(s, sch->u.str.text, &d, &vc, sch, depth) < 0) {
            chuanp_free(newuri);
            return -1;
        }
        dialect = d;
        vocab = vc;
        if (is_doc_root) {
            res->dialect = dialect;
            res->vocab = vocab;
        }
    }
    if (new_res) {
        if (strcmp(newuri, res->uri) != 0 || !is_doc_root) {
            js_resource *nr = new_resource(s, newuri, v, dialect, vocab);
            if (!nr) {
                chuanp_free(newuri);
                return -1;
            }
            res = nr;
            ptr = "";
        }
        if (uri_put(s, newuri, v) < 0) {
            chuanp_free(newuri);
            return -1;
        }
    }
    chuanp_free(newuri);
    if (dialect != JS_DRAFT7) {
        const chuanp_jv *a = chuanp_json_get(v, "$anchor");
        if (a && a->type == CHUANP_JSTRING && add_anchor(s, res, a->u.str.text, v) < 0)
            return -1;
    }
    if (dialect == JS_D2020) {
        const chuanp_jv *a = chuanp_json_get(v, "$dynamicAnchor");
        if (a && a->type == CHUANP_JSTRING &&
            (add_anchor(s, res, a->u.str.text, v) < 0 || add_dynamic(s, res, a->u.str.text, v) < 0))
            return -1;
    }
    if (dialect == JS_D2019) {
        const chuanp_jv *a = chuanp_json_get(v, "$recursiveAnchor");
        if (a && a->type == CHUANP_JTRUE && v == res->root)
            res->recursive_anchor = 1;
    }
    if (record(s, doc, v, res, ptr, dialect) < 0)
        return -1;
    if (dialect == JS_DRAFT7 && ref) {
        /* draft-07: siblings of $ref are ignored, but definitions may still be
         * targets of pointers */
        return scan_map(s, doc, chuanp_json_get(v, "definitions"), res, ptr, "definitions", dialect,
                        vocab, depth);
    }
    for (const char *const *k = single_kws; *k; k++) {
        const chuanp_jv *c = chuanp_json_get(v, *k);
        if (c && (c->type == CHUANP_JOBJECT || c->type == CHUANP_JTRUE || c->type == CHUANP_JFALSE)) {
            char *q = ptr_append(s, ptr, *k, strlen(*k));
            if (!q || scan(s, doc, c, res, q, dialect, vocab, depth + 1) < 0)
                return -1;
        }
    }
    for (const char *const *k = list_kws; *k; k++)
        if (scan_list(s, doc, chuanp_json_get(v, *k), res, ptr, *k, dialect, vocab, depth) < 0)
            return -1;
    for (const char *const *k = map_kws; *k; k++) {
        const chuanp_jv *m = chuanp_json_get(v, *k);
        if (!m || m->type != CHUANP_JOBJECT)
            continue;
        if (strcmp(*k, "dependencies") == 0) {
            char *p = ptr_append(s, ptr, *k, strlen(*k));
            if (!p)
                return -1;
            for (size_t i = 0; i < m->u.obj.count; i++) {
                const chuanp_jmember *mem = &m->u.obj.members[i];
                if (mem->value->type == CHUANP_JARRAY)
                    continue;
                char *q = ptr_append(s, p, mem->key, mem->key_len);
                if (!q || scan(s, doc, mem->value, res, q, dialect, vocab, depth + 1) < 0)
                    return -1;
            }
            continue;
        }
        if (scan_map(s, doc, m, res, ptr, *k, dialect, vocab, depth) < 0)
            return -1;
    }
    return 0;
}

static const chuanp_jv *ensure_document(chuanp_jsonschema *s, const char *docuri, const chuanp_jv *at);

/* Dialect and vocabularies from a $schema URI (a custom meta-schema is
 * loaded and its $vocabulary read). */
static int scan_vocab(chuanp_jsonschema *s, const char *meta_uri, int *dialect, unsigned *vocab,
                      const chuanp_jv *at, int depth)
{
    int d = dialect_of_uri(meta_uri);
    if (d) {
        *dialect = d;
        *vocab = full_vocab(s);
        return 0;
    }
    if (depth > 8)
        return 0;
    if (strstr(meta_uri, "json-schema.org/draft-04/") || strstr(meta_uri, "json-schema.org/draft-03/") ||
        strstr(meta_uri, "json-schema.org/schema")) {
        chuanp_js_schema_error(s, at,
                               "$schema %s is not supported: chuan reads 2020-12, 2019-09 and "
                               "draft-07 (draft-06 as draft-07)", meta_uri);
        return 0;
    }
    char *docuri = chuanp_js_uri_strip_fragment(meta_uri);
    if (!docuri)
        return -1;
    const chuanp_jv *meta = ensure_document(s, docuri, at);
    chuanp_free(docuri);
    if (!meta || meta->type != CHUANP_JOBJECT)
        return 0; /* reported by ensure_document */
    const chuanp_jv *ms = chuanp_json_get(meta, "$schema");
    if (ms && ms->type == CHUANP_JSTRING && strcmp(ms->u.str.text, meta_uri) != 0)
        if (scan_vocab(s, ms->u.str.text, dialect, vocab, at, depth + 1) < 0)
            return -1;
    const chuanp_jv *voc = chuanp_json_get(meta, "$vocabulary");
    if (voc && voc->type == CHUANP_JOBJECT) {
        unsigned vc = 0;
        for (size_t i = 0; i < voc->u.obj.count; i++) {
            const char *k = voc->u.obj.members[i].key;
            const char *slash = strstr(k, "/vocab/");
            const char *name = slash ? slash + 7 : "";
            if (strcmp(name, "validation") == 0)
                vc |= JS_VOC_VALIDATION;
            else if (strcmp(name, "applicator") == 0)
                vc |= JS_VOC_APPLICATOR | (*dialect == JS_D2019 ? JS_VOC_UNEVALUATED : 0);
            else if (strcmp(name, "unevaluated") == 0)
                vc |= JS_VOC_UNEVALUATED;
            else if (strcmp(name, "format-assertion") == 0)
                vc |= JS_VOC_FORMAT_ASSERT;
            else if (strcmp(name, "core") == 0 || strcmp(name, "meta-data") == 0 ||
                     strcmp(name, "format-annotation") == 0 || strcmp(name, "content") == 0 ||
                     strcmp(name, "format") == 0)
                continue;
            else if (voc->u.obj.members[i].value->type == CHUANP_JTRUE)
                chuanp_js_schema_error(s, at, "meta-schema %s requires the unknown vocabulary %s",
                                       meta_uri, k);
        }
        if (s->assert_formats)
            vc |= JS_VOC_FORMAT_ASSERT;
        *vocab = vc;
    }
    return 0;
}

int chuanp_js_load_document(chuanp_jsonschema *s, const char *uri, const char *file,
                            const char *buf, size_t len, js_doc **out)
{
    *out = NULL;
    chuanp_json_opts jo = {.allow_bom = 1, .file = file ? file : uri};
    chuanp_jv *root = NULL;
    int rc = chuanp_json_parse(&root, buf, len, &jo, &s->arena, s->diags);
    if (rc < 0)
        return -1;
    if (rc > 0) {
        s->bad = 1;
        return 1;
    }
    js_doc *doc = chuanp_arena_alloc(&s->arena, sizeof *doc);
    if (!doc)
        return -1;
    memset(doc, 0, sizeof *doc);
    doc->uri = chuanp_arena_strndup(&s->arena, uri, strlen(uri));
    doc->file = file ? chuanp_arena_strndup(&s->arena, file, strlen(file)) : NULL;
    doc->root = root;
    const js_embedded *emb = file ? NULL : chuanp_js_embedded_find(uri);
    doc->builtin = emb && emb->text == buf;
    doc->next = s->docs;
    s->docs = doc;
    if (uri_put(s, uri, root) < 0)
        return -1;
    if (root->type != CHUANP_JOBJECT && root->type != CHUANP_JTRUE && root->type != CHUANP_JFALSE) {
        chuanp_js_schema_error(s, root, "a schema must be an object or a boolean");
        *out = doc;
        return 1;
    }
    js_resource *res = new_resource(s, uri, root, s->default_dialect, full_vocab(s));
    if (!res)
        return -1;
    res->dialect = s->default_dialect;
    if (scan(s, doc, root, res, "", s->default_dialect, full_vocab(s), 0) < 0)
        return -1;
    *out = doc;
    return 0;
}

/* The root value of the document at docuri, loading it when needed. */
static const chuanp_jv *ensure_document(chuanp_jsonschema *s, const char *docuri, const chuanp_jv *at)
{
    const chuanp_jv *v = uri_get(s, docuri);
    if (v)
        return v;
    char *buf = NULL, *file = NULL;
    const char *emb = NULL;
    size_t len = 0;
    int rc = fetch(s, docuri, &buf, &len, &file, &emb);
    if (rc < 0) {
        chuanp_js_schema_error(s, at, "out of memory loading %s", docuri);
        return NULL;
    }
    if (rc == 2) {
        s->bad = 1; /* the refusal is reported (schema.resource) */
        return NULL;
    }
    if (rc > 0) {
        chuanp_js_schema_error(s, at,
                               "cannot resolve '%s': not found locally (chuan never uses the "
                               "network; map it with --ref PREFIX=PATH)",
                               docuri);
        return NULL;
    }
    js_doc *doc = NULL;
    int saved = s->default_dialect;
    if (emb) {
        /* embedded meta-schemas declare their own $schema */
        rc = chuanp_js_load_document(s, docuri, NULL, emb, len, &doc);
    } else {
        rc = chuanp_js_load_document(s, docuri, file, buf, len, &doc);
    }
    s->default_dialect = saved;
    chuanp_free(buf);
    chuanp_free(file);
    if (rc != 0 || !doc)
        return NULL;
    return doc->root;
}

/* Walk a JSON Pointer (already percent-decoded) from v. Records a js_where
 * for the target when it was not scanned (e.g. inside an unknown keyword). */
static const chuanp_jv *walk_pointer(chuanp_jsonschema *s, const chuanp_jv *v, const char *ptr)
{
    js_where *last = chuanp_js_pmap_get(&s->where, v);
    const char *last_ptr = last ? last->pointer : "";
    const char *p = ptr;
    chuanp_buf tok;
    chuanp_buf_init(&tok, 0);
    const chuanp_jv *cur = v;
    while (*p == '/' && cur) {
        p++;
        chuanp_buf_reset(&tok);
        while (*p && *p != '/') {
            if (p[0] == '~' && p[1] == '0') {
                chuanp_buf_putc(&tok, '~');
                p += 2;
            } else if (p[0] == '~' && p[1] == '1') {
                chuanp_buf_putc(&tok, '/');
                p += 2;
            } else {
                chuanp_buf_putc(&tok, *p++);
            }
        }
        const char *t = tok.data ? tok.data : "";
        if (cur->type == CHUANP_JOBJECT) {
            const chuanp_jv *next = NULL;
            for (size_t i = 0; i < cur->u.obj.count; i++)
                if (cur->u.obj.members[i].key_len == tok.len &&
                    memcmp(cur->u.obj.members[i].key, t, tok.len) == 0)
                    next = cur->u.obj.members[i].value;
            cur = next;
        } else if (cur->type == CHUANP_JARRAY) {
            long idx;
            if (chuanp_parse_long(t, 0, (long)cur->u.arr.count - 1, &idx) < 0)
                cur = NULL;
            else
                cur = cur->u.arr.items[idx];
        } else {
            cur = NULL;
        }
        if (cur) {
            js_where *w = chuanp_js_pmap_get(&s->where, cur);
            if (w) {
                last = w;
                last_ptr = w->pointer;
            } else {
                char *np = ptr_append(s, last_ptr, t, tok.len);
                if (!np) {
                    cur = NULL;
                    break;
                }
                last_ptr = np;
            }
        }
    }
    chuanp_buf_free(&tok);
    if (!cur || *p)
        return NULL;
    if (!chuanp_js_pmap_get(&s->where, cur) && last) {
        if (cur->type == CHUANP_JOBJECT || cur->type == CHUANP_JTRUE || cur->type == CHUANP_JFALSE) {
            /* identify $id / anchors below an unscanned target too */
            if (scan(s, last->doc, cur, last->resource, last_ptr, last->dialect,
                     last->resource->vocab, 0) < 0)
                return NULL;
        } else if (record(s, last->doc, cur, last->resource, last_ptr, last->dialect) < 0) {
            return NULL;
        }
    }
    return cur;
}

/* Resolve `ref` against base: the target schema value or NULL (reported). */
const chuanp_jv *chuanp_js_resolve(chuanp_jsonschema *s, const char *base, const char *ref,
                                   const chuanp_jv *at, char **abs_out)
{
    const chuanp_jv *target = NULL;
    char *abs = chuanp_js_uri_resolve(base, ref);
    char *docuri = NULL, *frag = NULL;
    if (abs_out)
        *abs_out = NULL;
    if (!abs)
        goto out;
    docuri = chuanp_js_uri_strip_fragment(abs);
    const char *h = strchr(abs, '#');
    frag = h ? chuanp_js_pct_decode(h + 1, strlen(h + 1)) : chuanp_strdup("");
    if (!docuri || !frag)
        goto out;
    if (*frag && *frag != '/') {
        char *key = chuanp_asprintf("%s#%s", docuri, frag);
        if (!key)
            goto out;
        target = uri_get(s, key);
        if (!target && !uri_get(s, docuri)) {
            if (ensure_document(s, docuri, at))
                target = uri_get(s, key);
        } else if (!target) {
            /* the document is known; the anchor is not */
        }
        chuanp_free(key);
        if (!target && !s->bad)
            chuanp_js_schema_error(s, at, "cannot resolve '%s': no anchor '%s' in %s", ref, frag,
                                   docuri);
        goto out;
    }
    const chuanp_jv *root = ensure_document(s, docuri, at);
    if (!root)
        goto out;
    target = *frag ? walk_pointer(s, root, frag) : root;
    if (!target)
        chuanp_js_schema_error(s, at, "cannot resolve '%s': %s has nothing at '%s'", ref, docuri,
                               frag);
out:
    if (abs_out && target)
        *abs_out = abs;
    else
        chuanp_free(abs);
    chuanp_free(docuri);
    chuanp_free(frag);
    return target;
}
