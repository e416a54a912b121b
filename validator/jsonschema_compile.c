/* validator/jsonschema_compile.c - schema values to compiled nodes.
 *
 * Every schema value (object or boolean) becomes one js_node, memoised by the
 * value's address so $ref cycles compile to cyclic node graphs. Keywords are
 * read once here; validation never looks at the schema document again. */
#include "jsonschema_int.h"

#include <stdlib.h>
#include <string.h>


static const chuanp_jv *get(const chuanp_jv *o, const char *k)
{
    return chuanp_json_get(o, k);
}

static void *alloc0(chuanp_jsonschema *s, size_t n)
{
    void *p = chuanp_arena_alloc(&s->arena, n ? n : 1);
    if (p)
        memset(p, 0, n ? n : 1);
    return p;
}

static char *loc_of(chuanp_jsonschema *s, const js_where *w)
{
    const char *uri = w && w->resource ? w->resource->uri : "";
    const char *ptr = w && w->pointer ? w->pointer : "";
    size_t n = strlen(uri) + strlen(ptr) + 2;
    char *r = chuanp_arena_alloc(&s->arena, n);
    if (r)
        snprintf(r, n, "%s#%s", uri, ptr);
    return r;
}

static int is_schema_value(const chuanp_jv *v)
{
    return v && (v->type == CHUANP_JOBJECT || v->type == CHUANP_JTRUE || v->type == CHUANP_JFALSE);
}

static js_node *sub(chuanp_jsonschema *s, const chuanp_jv *v, const char *kw)
{
    if (!is_schema_value(v)) {
        chuanp_js_schema_error(s, v, "\"%s\" must be a schema (object or boolean)", kw);
        return NULL;
    }
    return chuanp_js_compile_value(s, v);
}

static int sub_list(chuanp_jsonschema *s, const chuanp_jv *a, const char *kw, js_node ***out,
                    size_t *n)
{
    if (a->type != CHUANP_JARRAY || a->u.arr.count == 0) {
        chuanp_js_schema_error(s, a, "\"%s\" must be a non-empty array of schemas", kw);
        return 0;
    }
    *out = alloc0(s, a->u.arr.count * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < a->u.arr.count; i++)
        if (!((*out)[i] = sub(s, a->u.arr.items[i], kw)))
            return s->bad ? 0 : -1;
    *n = a->u.arr.count;
    return 0;
}

static int nonneg(chuanp_jsonschema *s, const chuanp_jv *v, const char *kw, long long *out)
{
    if (!v)
        return 0;
    if (v->type != CHUANP_JNUMBER || !chuanp_js_num_is_integer(v) || v->u.str.text[0] == '-') {
        chuanp_js_schema_error(s, v, "\"%s\" must be a non-negative integer", kw);
        return 0;
    }
    js_dec d;
    if (chuanp_js_dec_parse(&d, v->u.str.text, v->u.str.len) < 0)
        return 0;
    long long r = 0;
    if ((long long)d.ndigits + d.exp > 18) {
        r = (long long)1 << 62;
    } else {
        for (size_t i = 0; i < d.ndigits; i++)
            r = r * 10 + (d.digits[i] - '0');
        for (long long e = 0; e < d.exp; e++)
            r *= 10;
    }
    chuanp_js_dec_free(&d);
    *out = r;
    return 0;
}

static int names(chuanp_jsonschema *s, const chuanp_jv *a, const char *kw, js_names *out)
{
    if (a->type != CHUANP_JARRAY) {
        chuanp_js_schema_error(s, a, "\"%s\" must be an array of strings", kw);
        return 0;
    }
    out->count = a->u.arr.count;
    out->names = alloc0(s, out->count * sizeof *out->names);
    out->lens = alloc0(s, out->count * sizeof *out->lens);
    if (!out->names || !out->lens)
        return -1;
    for (size_t i = 0; i < a->u.arr.count; i++) {
        const chuanp_jv *n = a->u.arr.items[i];
        if (n->type != CHUANP_JSTRING) {
            chuanp_js_schema_error(s, n, "\"%s\" must contain only strings", kw);
            return 0;
        }
        out->names[i] = n->u.str.text;
        out->lens[i] = n->u.str.len;
    }
    return 0;
}

static const char *text_of(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING ? v->u.str.text : NULL;
}

static int compile_rule(chuanp_jsonschema *s, js_node *n, const chuanp_jv *r)
{
    if (r->type != CHUANP_JOBJECT || !text_of(get(r, "id"))) {
        chuanp_js_schema_error(s, r, "\"rule\" must be an object with a string \"id\"");
        return 0;
    }
    js_rule *rule = alloc0(s, sizeof *rule);
    if (!rule)
        return -1;
    rule->id = text_of(get(r, "id"));
    rule->source = text_of(get(r, "source"));
    const chuanp_jv *sev = get(r, "severity");
    if (sev) {
        const char *t = text_of(sev);
        if (t && (strcmp(t, "warning") == 0 || strcmp(t, "info") == 0)) {
            rule->warning = 1;
            rule->info = t[0] == 'i';
            s->has_warning_rules = 1;
        } else if (!t || strcmp(t, "error") != 0) {
            chuanp_js_schema_error(s, sev, "rule severity must be \"error\", \"warning\" or \"info\"");
            return 0;
        }
    }
    const chuanp_jv *m = get(r, "message");
    if (m && m->type == CHUANP_JSTRING) {
        rule->msg_en = m->u.str.text;
    } else if (m && m->type == CHUANP_JOBJECT) {
        rule->msg_en = text_of(get(m, "en"));
        rule->msg_vi = text_of(get(m, "vi"));
    }
    n->rule = rule;
    return 0;
}

static int track_regex(chuanp_jsonschema *s, js_regex *re)
{
    if (s->nregexes == s->capregexes) {
        size_t nc = s->capregexes ? s->capregexes * 2 : 16;
        js_regex **nr = chuanp_realloc(s->regexes, nc * sizeof *nr);
        if (!nr)
            return -1;
        s->regexes = nr;
        s->capregexes = nc;
    }
    s->regexes[s->nregexes++] = re;
    return 0;
}

static js_regex *regex(chuanp_jsonschema *s, const chuanp_jv *v, const char *what)
{
    js_regex *re = alloc0(s, sizeof *re);
    if (!re)
        return NULL;
    char *err = NULL;
    if (chuanp_js_regex_compile(re, v->u.str.text, v->u.str.len, &err) < 0) {
        chuanp_js_schema_error(s, v, "%s /%s/ is not a valid regular expression: %s", what,
                               v->u.str.text, err ? err : "?");
        chuanp_free(err);
        return NULL;
    }
    if (track_regex(s, re) < 0) {
        chuanp_js_regex_free(re);
        return NULL;
    }
    return re;
}

static unsigned type_bit(const chuanp_jv *t)
{
    static const struct { const char *name; unsigned bit; } types[] = {
        {"null", JS_T_NULL},     {"boolean", JS_T_BOOLEAN}, {"object", JS_T_OBJECT},
        {"array", JS_T_ARRAY},   {"number", JS_T_NUMBER},   {"string", JS_T_STRING},
        {"integer", JS_T_INTEGER}};
    if (t->type != CHUANP_JSTRING)
        return 0;
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strcmp(t->u.str.text, types[i].name) == 0)
            return types[i].bit;
    return 0;
}

static int number_kw(chuanp_jsonschema *s, const chuanp_jv *v, const char *kw, const chuanp_jv **out)
{
    if (!v)
        return 0;
    if (v->type != CHUANP_JNUMBER) {
        chuanp_js_schema_error(s, v, "\"%s\" must be a number", kw);
        return 0;
    }
    *out = v;
    return 0;
}

static int compile_props(chuanp_jsonschema *s, const chuanp_jv *m, const char *kw, js_prop **out,
                         size_t *n)
{
    if (m->type != CHUANP_JOBJECT) {
        chuanp_js_schema_error(s, m, "\"%s\" must be an object", kw);
        return 0;
    }
    *out = alloc0(s, m->u.obj.count * sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < m->u.obj.count; i++) {
        const chuanp_jmember *mem = &m->u.obj.members[i];
        (*out)[i].name = mem->key;
        (*out)[i].len = mem->key_len;
        if (!((*out)[i].schema = sub(s, mem->value, kw)))
            return s->bad ? 0 : -1;
    }
    *n = m->u.obj.count;
    return 0;
}

/* A hash table over the property names (first of duplicates wins). */
static int index_props(chuanp_jsonschema *s, js_node *n)
{
    if (n->nprops < 4)
        return 0;
    uint32_t cap = 8;
    while (cap < n->nprops * 2)
        cap *= 2;
    n->prop_index = alloc0(s, cap * sizeof *n->prop_index);
    if (!n->prop_index)
        return -1;
    n->prop_mask = cap - 1;
    for (size_t p = 0; p < n->nprops; p++) {
        uint32_t i = chuanp_key_hash(n->props[p].name, n->props[p].len) & n->prop_mask;
        int dup = 0;
        while (n->prop_index[i] && !dup) {
            const js_prop *q = &n->props[n->prop_index[i] - 1];
            dup = q->len == n->props[p].len && memcmp(q->name, n->props[p].name, q->len) == 0;
            if (!dup)
                i = (i + 1) & n->prop_mask;
        }
        if (!dup)
            n->prop_index[i] = (uint32_t)p + 1;
    }
    return 0;
}

static int compile_ref(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v, const char *kw,
                       js_node **out, const chuanp_jv **target_out)
{
    if (v->type != CHUANP_JSTRING) {
        chuanp_js_schema_error(s, v, "\"%s\" must be a string", kw);
        return 0;
    }
    const chuanp_jv *t = chuanp_js_resolve(s, n->resource->uri, v->u.str.text, v, NULL);
    if (!t)
        return 0;
    if (target_out)
        *target_out = t;
    if (!(*out = sub(s, t, kw)))
        return s->bad ? 0 : -1;
    return 0;
}

static int compile_ext(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v, js_where *w)
{
    size_t count = 0;
    for (size_t i = 0; i < s->opts.nexts; i++)
        if (get(v, s->opts.exts[i].keyword))
            count++;
    if (!count)
        return 0;
    n->exts = alloc0(s, count * sizeof *n->exts);
    if (!n->exts)
        return -1;
    for (size_t i = 0; i < s->opts.nexts; i++) {
        const chuanp_jsonschema_ext *e = &s->opts.exts[i];
        const chuanp_jv *kv = get(v, e->keyword);
        if (!kv)
            continue;
        char *loc = chuanp_asprintf("%s/%s", n->loc, e->keyword);
        chuanp_jsonschema_ext_compile_ctx cx = {
            .keyword = e->keyword, .schema = v,
            .schema_file = w && w->doc ? w->doc->file : NULL,
            .schema_location = loc, .engine_opts = s->opts.engine_opts, .user = s->opts.ext_user};
        void *state = NULL;
        int rc = e->compile ? e->compile(&cx, kv, &state, s->diags) : 0;
        chuanp_free(loc);
        if (rc < 0)
            return -1;
        if (rc > 0) {
            s->bad = 1;
            continue;
        }
        js_extkw *k = &n->exts[n->nexts++];
        k->ext = e;
        k->state = state;
        if (s->nextkws == s->capextkws) {
            size_t nc = s->capextkws ? s->capextkws * 2 : 16;
            js_extkw **nk = chuanp_realloc(s->extkws, nc * sizeof *nk);
            if (!nk) {
                if (e->free)
                    e->free(state);
                k->state = NULL;
                return -1;
            }
            s->extkws = nk;
            s->capextkws = nc;
        }
        s->extkws[s->nextkws++] = k;
    }
    return 0;
}

#define TRY(x)                                                                                     \
    do {                                                                                           \
        if ((x) < 0)                                                                               \
            return -1;                                                                             \
    } while (0)

/* The referencing keywords. Returns 1 when a draft-07 "$ref" overrides every sibling keyword. */
static int compile_refs(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v)
{
    int d = n->dialect;
    const chuanp_jv *k;

    if ((k = get(v, "$ref")))
        TRY(compile_ref(s, n, k, "$ref", &n->ref, NULL));
    if (d == JS_DRAFT7 && n->ref)
        return 1;
    if (d == JS_D2020 && (k = get(v, "$dynamicRef"))) {
        const chuanp_jv *target = NULL;
        TRY(compile_ref(s, n, k, "$dynamicRef", &n->dynref, &target));
        s->has_dynamic = 1;
        const char *h = k->type == CHUANP_JSTRING ? strchr(k->u.str.text, '#') : NULL;
        if (h && h[1] && h[1] != '/' && target) {
            const chuanp_jv *da = get(target, "$dynamicAnchor");
            if (da && da->type == CHUANP_JSTRING && strcmp(da->u.str.text, h + 1) == 0)
                n->dynref_name = h + 1;
        }
    }
    if (d == JS_D2019 && (k = get(v, "$recursiveRef"))) {
        TRY(compile_ref(s, n, k, "$recursiveRef", &n->recref, NULL));
        s->has_dynamic = 1;
    }
    return 0;
}

static int compile_pattern_props(chuanp_jsonschema *s, js_node *n, const chuanp_jv *k)
{
    if (k->type != CHUANP_JOBJECT) {
        chuanp_js_schema_error(s, k, "\"patternProperties\" must be an object");
        return 0;
    }
    n->pprops = alloc0(s, k->u.obj.count * sizeof *n->pprops);
    if (!n->pprops)
        return -1;
    for (size_t i = 0; i < k->u.obj.count; i++) {
        const chuanp_jmember *m = &k->u.obj.members[i];
        char *err = NULL;
        js_pprop *pp = &n->pprops[n->npprops];
        if (chuanp_js_regex_compile(&pp->re, m->key, m->key_len, &err) < 0) {
            chuanp_js_schema_error(s, m->value,
                                   "patternProperties key /%s/ is not a valid regular "
                                   "expression: %s", m->key, err ? err : "?");
            chuanp_free(err);
            continue;
        }
        if (track_regex(s, &pp->re) < 0) {
            chuanp_js_regex_free(&pp->re);
            return -1;
        }
        n->npprops++;
        if (!(pp->schema = sub(s, m->value, "patternProperties")) && !s->bad)
            return -1;
    }
    return 0;
}

/* draft-07's "dependencies": arrays are dependentRequired, schemas are dependentSchemas. */
static int compile_dependencies(chuanp_jsonschema *s, js_node *n, const chuanp_jv *k)
{
    size_t ns = 0, nr = 0;
    for (size_t i = 0; i < k->u.obj.count; i++) {
        if (k->u.obj.members[i].value->type == CHUANP_JARRAY)
            nr++;
        else
            ns++;
    }
    n->dep_schemas = alloc0(s, ns * sizeof *n->dep_schemas);
    n->dep_required = alloc0(s, nr * sizeof *n->dep_required);
    if (!n->dep_schemas || !n->dep_required)
        return -1;
    n->dep_schemas_kw = n->dep_required_kw = "dependencies";
    for (size_t i = 0; i < k->u.obj.count; i++) {
        const chuanp_jmember *m = &k->u.obj.members[i];
        if (m->value->type == CHUANP_JARRAY) {
            js_depreq *r = &n->dep_required[n->ndep_required++];
            r->name = m->key;
            r->len = m->key_len;
            TRY(names(s, m->value, "dependencies", &r->req));
        } else {
            js_prop *p = &n->dep_schemas[n->ndep_schemas++];
            p->name = m->key;
            p->len = m->key_len;
            if (!(p->schema = sub(s, m->value, "dependencies")) && !s->bad)
                return -1;
        }
    }
    return 0;
}

/* "prefixItems"/"items" (2020-12) or "items" as an array or a schema with "additionalItems". */
static int compile_items(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v)
{
    const chuanp_jv *k;

    if (n->dialect == JS_D2020) {
        if ((k = get(v, "prefixItems")))
            TRY(sub_list(s, k, "prefixItems", &n->prefix_items, &n->nprefix_items));
        n->prefix_kw = "prefixItems";
        if ((k = get(v, "items")) && !(n->items = sub(s, k, "items")) && !s->bad)
            return -1;
        n->items_kw = "items";
    } else if ((k = get(v, "items"))) {
        if (k->type == CHUANP_JARRAY) {
            n->prefix_kw = "items";
            if (k->u.arr.count) {
                TRY(sub_list(s, k, "items", &n->prefix_items, &n->nprefix_items));
            } else {
                n->prefix_items = NULL;
                n->nprefix_items = 0;
            }
            const chuanp_jv *ai = get(v, "additionalItems");
            if (ai && !(n->items = sub(s, ai, "additionalItems")) && !s->bad)
                return -1;
            n->items_kw = "additionalItems";
        } else {
            if (!(n->items = sub(s, k, "items")) && !s->bad)
                return -1;
            n->items_kw = "items";
            n->items_all = 1;
        }
    }
    return 0;
}

static int compile_applicators(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v)
{
    int d = n->dialect;
    const chuanp_jv *k;

    if ((k = get(v, "allOf")))
        TRY(sub_list(s, k, "allOf", &n->all_of, &n->nall_of));
    if ((k = get(v, "anyOf")))
        TRY(sub_list(s, k, "anyOf", &n->any_of, &n->nany_of));
    if ((k = get(v, "oneOf")))
        TRY(sub_list(s, k, "oneOf", &n->one_of, &n->none_of));
    if ((k = get(v, "not")) && !(n->not_ = sub(s, k, "not")) && !s->bad)
        return -1;
    if ((k = get(v, "if"))) {
        if (!(n->if_ = sub(s, k, "if")) && !s->bad)
            return -1;
        if ((k = get(v, "then")) && !(n->then_ = sub(s, k, "then")) && !s->bad)
            return -1;
        if ((k = get(v, "else")) && !(n->else_ = sub(s, k, "else")) && !s->bad)
            return -1;
    }
    if ((k = get(v, "properties"))) {
        TRY(compile_props(s, k, "properties", &n->props, &n->nprops));
        TRY(index_props(s, n));
    }
    if ((k = get(v, "patternProperties")))
        TRY(compile_pattern_props(s, n, k));
    if ((k = get(v, "additionalProperties")) &&
        !(n->additional_props = sub(s, k, "additionalProperties")) && !s->bad)
        return -1;
    if ((k = get(v, "propertyNames")) &&
        !(n->property_names = sub(s, k, "propertyNames")) && !s->bad)
        return -1;
    if (d != JS_DRAFT7 && (k = get(v, "dependentSchemas"))) {
        TRY(compile_props(s, k, "dependentSchemas", &n->dep_schemas, &n->ndep_schemas));
        n->dep_schemas_kw = "dependentSchemas";
    }
    if ((d == JS_DRAFT7 || (!get(v, "dependentSchemas") && !get(v, "dependentRequired"))) &&
        (k = get(v, "dependencies")) && k->type == CHUANP_JOBJECT)
        TRY(compile_dependencies(s, n, k));
    TRY(compile_items(s, n, v));
    if ((k = get(v, "contains")) && !(n->contains = sub(s, k, "contains")) && !s->bad)
        return -1;
    return 0;
}

static int compile_type(chuanp_jsonschema *s, js_node *n, const chuanp_jv *k)
{
    if (k->type == CHUANP_JARRAY) {
        for (size_t i = 0; i < k->u.arr.count; i++) {
            unsigned b = type_bit(k->u.arr.items[i]);
            if (!b)
                chuanp_js_schema_error(s, k->u.arr.items[i], "unknown type in \"type\"");
            n->types |= b;
        }
        if (!n->types)
            n->types = 0x80; /* "type": [] matches nothing */
    } else {
        n->types = type_bit(k);
        if (!n->types)
            chuanp_js_schema_error(s, k, "\"type\" must name a JSON type");
    }
    return 0;
}

/* "multipleOf" kept as an exact decimal (its digits in the schema's arena). */
static int compile_multiple_of(chuanp_jsonschema *s, js_node *n)
{
    js_dec *dd = alloc0(s, sizeof *dd);
    if (!dd || chuanp_js_dec_parse(dd, n->multiple_of->u.str.text, n->multiple_of->u.str.len) < 0)
        return -1;
    if (dd->big) {
        char *copy = chuanp_arena_strndup(&s->arena, dd->big, dd->ndigits);
        chuanp_free(dd->big);
        dd->big = NULL;
        if (!copy)
            return -1;
        dd->digits = copy;
    } else {
        dd->digits = dd->buf;
    }
    if (dd->neg || (dd->ndigits == 1 && dd->digits[0] == '0'))
        chuanp_js_schema_error(s, n->multiple_of, "\"multipleOf\" must be greater than 0");
    n->multiple_of_dec = dd;
    return 0;
}

static int compile_dep_required(chuanp_jsonschema *s, js_node *n, const chuanp_jv *k)
{
    if (k->type != CHUANP_JOBJECT) {
        chuanp_js_schema_error(s, k, "\"dependentRequired\" must be an object");
        return 0;
    }
    n->dep_required = alloc0(s, k->u.obj.count * sizeof *n->dep_required);
    if (!n->dep_required)
        return -1;
    n->dep_required_kw = "dependentRequired";
    for (size_t i = 0; i < k->u.obj.count; i++) {
        js_depreq *r = &n->dep_required[n->ndep_required++];
        r->name = k->u.obj.members[i].key;
        r->len = k->u.obj.members[i].key_len;
        TRY(names(s, k->u.obj.members[i].value, "dependentRequired", &r->req));
    }
    return 0;
}

static int compile_validation(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v)
{
    int d = n->dialect;
    const chuanp_jv *k;

    if ((k = get(v, "type")))
        TRY(compile_type(s, n, k));
    if ((k = get(v, "const")))
        n->const_v = k;
    if ((k = get(v, "enum"))) {
        if (k->type != CHUANP_JARRAY)
            chuanp_js_schema_error(s, k, "\"enum\" must be an array");
        else
            n->enum_v = k;
    }
    TRY(number_kw(s, get(v, "multipleOf"), "multipleOf", &n->multiple_of));
    if (n->multiple_of)
        TRY(compile_multiple_of(s, n));
    TRY(number_kw(s, get(v, "maximum"), "maximum", &n->maximum));
    TRY(number_kw(s, get(v, "minimum"), "minimum", &n->minimum));
    TRY(number_kw(s, get(v, "exclusiveMaximum"), "exclusiveMaximum", &n->exclusive_maximum));
    TRY(number_kw(s, get(v, "exclusiveMinimum"), "exclusiveMinimum", &n->exclusive_minimum));
    TRY(nonneg(s, get(v, "maxLength"), "maxLength", &n->max_length));
    TRY(nonneg(s, get(v, "minLength"), "minLength", &n->min_length));
    TRY(nonneg(s, get(v, "maxItems"), "maxItems", &n->max_items));
    TRY(nonneg(s, get(v, "minItems"), "minItems", &n->min_items));
    TRY(nonneg(s, get(v, "maxProperties"), "maxProperties", &n->max_props));
    TRY(nonneg(s, get(v, "minProperties"), "minProperties", &n->min_props));
    if (d != JS_DRAFT7) {
        TRY(nonneg(s, get(v, "maxContains"), "maxContains", &n->max_contains));
        TRY(nonneg(s, get(v, "minContains"), "minContains", &n->min_contains));
    }
    if ((k = get(v, "uniqueItems")))
        n->unique_items = k->type == CHUANP_JTRUE;
    if ((k = get(v, "pattern"))) {
        if (k->type != CHUANP_JSTRING)
            chuanp_js_schema_error(s, k, "\"pattern\" must be a string");
        else if (!(n->pattern = regex(s, k, "pattern")) && !s->bad)
            return -1;
    }
    if ((k = get(v, "required")))
        TRY(names(s, k, "required", &n->required));
    if (d != JS_DRAFT7 && (k = get(v, "dependentRequired")))
        TRY(compile_dep_required(s, n, k));
    return 0;
}

static int compile_object(chuanp_jsonschema *s, js_node *n, const chuanp_jv *v, js_where *w)
{
    unsigned voc = n->vocab;
    const chuanp_jv *k;
    int rc;

    if ((k = get(v, "rule")))
        TRY(compile_rule(s, n, k));
    if ((k = get(v, "message"))) {
        if (k->type != CHUANP_JSTRING && k->type != CHUANP_JOBJECT)
            chuanp_js_schema_error(s, k, "\"message\" must be a string or an object");
        else
            n->message = k;
    }
    if ((rc = compile_refs(s, n, v)) != 0)
        return rc < 0 ? -1 : 0; /* draft-07: $ref overrides every sibling keyword */
    if (voc & JS_VOC_APPLICATOR)
        TRY(compile_applicators(s, n, v));
    if (n->dialect != JS_DRAFT7 && (voc & JS_VOC_UNEVALUATED)) {
        if ((k = get(v, "unevaluatedProperties")) &&
            !(n->uneval_props = sub(s, k, "unevaluatedProperties")) && !s->bad)
            return -1;
        if ((k = get(v, "unevaluatedItems")) &&
            !(n->uneval_items = sub(s, k, "unevaluatedItems")) && !s->bad)
            return -1;
        n->needs_track = n->uneval_props || n->uneval_items;
    }

    n->max_length = n->min_length = n->max_items = n->min_items = -1;
    n->max_props = n->min_props = n->min_contains = n->max_contains = -1;
    if (voc & JS_VOC_VALIDATION)
        TRY(compile_validation(s, n, v));
    if ((k = get(v, "format")) && k->type == CHUANP_JSTRING) {
        n->format = k->u.str.text;
        n->format_fn = chuanp_js_format_lookup(n->format);
        n->format_assert = (voc & JS_VOC_FORMAT_ASSERT) || s->assert_formats;
    }
    TRY(compile_ext(s, n, v, w));
    return 0;
}

js_node *chuanp_js_compile_value(chuanp_jsonschema *s, const chuanp_jv *v)
{
    js_where *w = chuanp_js_pmap_get(&s->where, v);
    if (w && w->node)
        return w->node;
    if (v->type == CHUANP_JTRUE && !w)
        return &s->true_node;
    if (v->type == CHUANP_JFALSE && !w)
        return &s->false_node;
    if (!w) {
        chuanp_js_schema_error(s, v, "internal: schema value was not scanned");
        return NULL;
    }
    if (++s->compile_depth > JS_MAX_COMPILE_DEPTH) {
        s->compile_depth--;
        chuanp_js_schema_error(s, v, "schema references nest too deeply");
        return NULL;
    }
    js_node *n = alloc0(s, sizeof *n);
    if (!n)
        goto fail;
    w->node = n;
    n->src = v;
    n->resource = w->resource;
    n->dialect = w->dialect ? w->dialect : s->default_dialect;
    n->vocab = w->resource ? w->resource->vocab : 0xff;
    n->loc = loc_of(s, w);
    if (!n->loc)
        goto fail;
    n->max_length = n->min_length = n->max_items = n->min_items = -1;
    n->max_props = n->min_props = n->min_contains = n->max_contains = -1;
    if (v->type == CHUANP_JTRUE || v->type == CHUANP_JFALSE) {
        n->is_bool = 1;
        n->bool_value = v->type == CHUANP_JTRUE;
    } else if (v->type == CHUANP_JOBJECT) {
        if (compile_object(s, n, v, w) < 0)
            goto fail;
    } else {
        chuanp_js_schema_error(s, v, "a schema must be an object or a boolean");
    }
    s->compile_depth--;
    return n;
fail:
    s->compile_depth--;
    return NULL;
}

/* Compile the dynamic anchors of every resource (targets of $dynamicRef /
 * $recursiveRef at run time). New resources may appear while compiling. */
int chuanp_js_compile_dynamic(chuanp_jsonschema *s)
{
    int again = 1;
    while (again) {
        again = 0;
        for (js_resource *r = s->resources; r; r = r->next) {
            if (r->recursive_anchor && !r->root_node) {
                if (!(r->root_node = chuanp_js_compile_value(s, r->root)))
                    return s->bad ? 0 : -1;
                again = 1;
            }
            for (size_t i = 0; i < r->ndyn; i++)
                if (!r->dyn[i].node) {
                    r->dyn[i].node = chuanp_js_compile_value(s, r->dyn[i].src);
                    if (!r->dyn[i].node)
                        return s->bad ? 0 : -1;
                    again = 1;
                }
        }
    }
    return 0;
}

int chuanp_js_compile_root(chuanp_jsonschema *s, js_doc *doc)
{
    s->root = chuanp_js_compile_value(s, doc->root);
    if (!s->root)
        return s->bad ? 1 : -1;
    if (s->has_dynamic && chuanp_js_compile_dynamic(s) < 0)
        return -1;
    return s->bad ? 1 : 0;
}
