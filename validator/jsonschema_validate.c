/* validator/jsonschema_validate.c - evaluating compiled nodes against instances.
 *
 * Two modes: quiet (stop at the first failure, record nothing: used for the
 * fast first pass and inside anyOf/oneOf/not/if/contains) and full (keep every
 * failure with its locations). A valid instance costs one quiet pass; an
 * invalid one is re-evaluated in full mode to explain why.
 *
 * Annotations for unevaluatedProperties/Items travel in js_track: one flag per
 * member/item of the instance, filled by the keywords that evaluated it and
 * dropped when the schema object that produced them fails. */
#include "jsonschema_eval.h"

#include <stdlib.h>
#include <string.h>

typedef struct js_track {
    uint8_t *flags; /* per member (object) or item (array) */
    size_t n;
} js_track;

static int eval(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent,
                js_track *t);

/* A failure's text is formatted only when it will be recorded: in quiet mode, once the
 * list is full (count_only) or past max_errs, chuanp_js_fail_bare gives the same verdict
 * without evaluating the message arguments (chuanp_js_describe of the value, ...). */
#define FAIL_HEAD_(kw, code, inst, ...) kw, code, inst
#define FAIL(...)                                                                                  \
    (chuanp_js_text_needed(c) ? chuanp_js_fail(c, n, __VA_ARGS__)                                  \
                              : chuanp_js_fail_bare(c, n, FAIL_HEAD_(__VA_ARGS__)))

static const char *const none_matches =
    N_("%s matches none of the %zu alternatives of %s; closest is #%zu (%s/%zu), which failed%s%s%s: "
       "%s%s");

static js_track *track_new(js_ctx *c, const chuanp_jv *inst)
{
    js_track *t = chuanp_arena_alloc(&c->st->scratch, sizeof *t);
    if (!t)
        return NULL;
    t->n = inst->type == CHUANP_JOBJECT ? inst->u.obj.count
           : inst->type == CHUANP_JARRAY ? inst->u.arr.count : 0;
    t->flags = chuanp_arena_alloc(&c->st->scratch, t->n ? t->n : 1);
    if (!t->flags)
        return NULL;
    memset(t->flags, 0, t->n ? t->n : 1);
    return t;
}

static void track_merge(js_track *dst, const js_track *src)
{
    if (!dst || !src)
        return;
    size_t n = dst->n < src->n ? dst->n : src->n;
    for (size_t i = 0; i < n; i++)
        dst->flags[i] |= src->flags[i];
}

static int kpush(js_ctx *c, const char *kw, const char *key, size_t klen, size_t idx, int has_idx)
{
    if (c->quiet)
        return 0;
    if (chuanp_js_seg_push(&c->st->kp, kw, strlen(kw), 0) < 0)
        return -1;
    if (key)
        return chuanp_js_seg_push(&c->st->kp, key, klen, 0);
    if (has_idx)
        return chuanp_js_seg_push(&c->st->kp, NULL, 0, idx);
    return 0;
}

static void kpop(js_ctx *c, const char *key, int has_idx)
{
    if (c->quiet)
        return;
    c->st->kp.n -= (key || has_idx) ? 2 : 1;
}

/* The instance path is kept in both modes (extension keywords may ask for it). */
static int ipush(js_ctx *c, const char *key, size_t klen, size_t idx)
{
    return chuanp_js_seg_push(&c->st->ip, key, klen, idx);
}

static void ipop(js_ctx *c)
{
    c->st->ip.n--;
}

/* Evaluate a subschema reached through keyword kw (+ key or index). */
static int sub(js_ctx *c, const js_node *child, const char *kw, const char *key, size_t klen,
               size_t idx, int has_idx, const chuanp_jv *inst, const chuanp_jv *parent, js_track *t)
{
    if (kpush(c, kw, key, klen, idx, has_idx) < 0)
        return -1;
    int r = eval(c, child, inst, parent, t);
    kpop(c, key, has_idx);
    return r;
}

static int is_false(const js_node *n)
{
    return n->is_bool && !n->bool_value;
}

/* A member or item rejected by a false schema under keyword kw. */
static int reject(js_ctx *c, const js_node *n, const char *kw, const chuanp_jmember *m, size_t idx,
                  const chuanp_jv *value)
{
    if (m)
        return FAIL(kw, NULL, value, NULL, NULL, NULL, "property \"%s\" is not allowed (%s is false)",
                    m->key, kw);
    return FAIL(kw, NULL, value, NULL, NULL, NULL, "item %zu is not allowed (%s is false)", idx, kw);
}

/* Quietly evaluate (result only). A probe asks whether the instance matches
 * (the condition of "if", a branch of anyOf/oneOf, the schema of "not"): a
 * failure counts as a failure even under a warning rule, as in the fast
 * pass. The warning rule downgrades its own verdict only, where it is
 * reported: otherwise a failing "if" would apply "then", and "not" would
 * warn about values its schema does not match. */
static int probe(js_ctx *c, const js_node *child, const chuanp_jv *inst, const chuanp_jv *parent,
                 js_track *t)
{
    int saved = c->quiet, saved_pre = c->prepass;
    c->quiet = 1;
    c->prepass = 1;
    int r = eval(c, child, inst, parent, t);
    c->quiet = saved;
    c->prepass = saved_pre;
    return r;
}

/* Evaluate the condition of "if" or "not": a failure is a failure whatever the severity of the
 * rule in force (a warning rule's failures count as passed only where they are reported, not
 * where they decide which branch applies). */
static int probe_condition(js_ctx *c, const js_node *child, const chuanp_jv *inst,
                           const chuanp_jv *parent, js_track *t)
{
    int saved = c->quiet, saved_pre = c->prepass;
    c->quiet = 1;
    c->prepass = 1;
    int r = eval(c, child, inst, parent, t);
    c->quiet = saved;
    c->prepass = saved_pre;
    return r;
}

static const char *type_name(const chuanp_jv *v)
{
    switch (v->type) {
    case CHUANP_JNULL: return "null";
    case CHUANP_JTRUE:
    case CHUANP_JFALSE: return "boolean";
    case CHUANP_JNUMBER: return chuanp_js_num_is_integer(v) ? "integer" : "number";
    case CHUANP_JSTRING: return "string";
    case CHUANP_JARRAY: return "array";
    default: return "object";
    }
}

static int type_ok(unsigned types, const chuanp_jv *v)
{
    switch (v->type) {
    case CHUANP_JNULL: return types & JS_T_NULL;
    case CHUANP_JTRUE:
    case CHUANP_JFALSE: return types & JS_T_BOOLEAN;
    case CHUANP_JSTRING: return types & JS_T_STRING;
    case CHUANP_JARRAY: return types & JS_T_ARRAY;
    case CHUANP_JOBJECT: return types & JS_T_OBJECT;
    case CHUANP_JNUMBER:
        if (types & JS_T_NUMBER)
            return 1;
        return (types & JS_T_INTEGER) && chuanp_js_num_is_integer(v);
    default: return 0;
    }
}

static void types_text(chuanp_buf *b, unsigned types)
{
    static const char *const names[] = {"null", "boolean", "object", "array", "number", "string",
                                        "integer"};
    int first = 1;
    for (int i = 0; i < 7; i++)
        if (types & (1u << i)) {
            chuanp_buf_puts(b, first ? "" : " or ");
            chuanp_buf_puts(b, names[i]);
            first = 0;
        }
    if (first)
        chuanp_buf_puts(b, "nothing");
}

/* Limit hit: report once (even from quiet mode), then unwind. */
static int limit(js_ctx *c, const js_node *n, const chuanp_jv *inst, const char *what)
{
    int saved = c->quiet;
    c->quiet = 0;
    int r = chuanp_js_fail(c, n, NULL, "jsonschema.limit", inst, NULL, NULL, NULL, "%s", what);
    c->quiet = saved;
    c->aborted = 1;
    return r < 0 ? -1 : 0;
}

/* A regular expression gave up (PCRE2 match or depth limit): its own
 * diagnostic, kept apart from the errors of the branch being tried (an
 * anyOf alternative, a not) so that no branch can hide it; the value is
 * undecided, which makes the instance invalid, and evaluation goes on. */
static int regex_limit(js_ctx *c, const js_node *n, const js_regex *re, const chuanp_jv *inst)
{
    chuanp_jsonschema_vstate *st = c->st;
    c->undecided = 1;
    for (size_t i = 0; i < st->nlim; i++)
        if (st->lims[i].inst == inst && st->lims[i].node == n && st->lims[i].re == re)
            return 0; /* evaluated again (explaining a branch): reported once */
    size_t before = st->nerr;
    int saved = c->quiet;
    size_t saved_max = c->max_errs;
    c->quiet = 0;
    c->max_errs = 0;
    int f = chuanp_js_fail(c, n, "pattern", "jsonschema.limit", inst, NULL, NULL, NULL,
                           "pattern /%s/ exceeded the regular-expression match limit "
                           "(catastrophic backtracking?): the value is not checked against it",
                           re->source);
    c->quiet = saved;
    c->max_errs = saved_max;
    if (f < 0)
        return -1;
    if (st->nerr == before)
        return 0;
    if (st->nlim == st->caplim) {
        size_t nc = st->caplim ? st->caplim * 2 : 4;
        js_err *nl = chuanp_realloc(st->lims, nc * sizeof *nl);
        if (!nl)
            return -1;
        st->lims = nl;
        st->caplim = nc;
    }
    st->lims[st->nlim] = st->errs[before];
    st->lims[st->nlim].re = re;
    st->nlim++;
    st->nerr = before;
    return 0;
}

/* 1 match, 0 no match, 2 undecided (limit hit, reported), -2 error. */
static int regex_test(js_ctx *c, const js_node *n, const js_regex *re, const chuanp_jv *s,
                      const chuanp_jv *inst)
{
    if (++c->steps > JS_MAX_STEPS)
        return limit(c, n, inst, "validation gave up: the schema needs too many evaluation steps "
                                 "for this value") < 0 ? -2 : 0;
    int r = chuanp_js_regex_match(re, s->u.str.text, s->u.str.len, c->st->md, c->st->mc);
    if (r == -1)
        return regex_limit(c, n, re, inst) < 0 ? -2 : 2;
    return r == 1;
}

/* ---------------------------------------------------------- numbers */
static int eval_number(js_ctx *c, const js_node *n, const chuanp_jv *inst)
{
    int ok = 1, r;
    if (n->multiple_of_dec) {
        js_dec d;
        if (chuanp_js_dec_parse(&d, inst->u.str.text, inst->u.str.len) == 0) {
            int m = chuanp_js_dec_multiple_of(&d, n->multiple_of_dec);
            chuanp_js_dec_free(&d);
            if (!m) {
                if ((r = FAIL("multipleOf", NULL, inst, NULL, NULL, NULL, "%s is not a multiple of %.*s",
                              chuanp_js_describe(c, inst), (int)n->multiple_of->u.str.len,
                              n->multiple_of->u.str.text)) < 0)
                    return -1;
                if (!r) {
                    ok = 0;
                    if (c->quiet)
                        return 0;
                }
            }
        }
    }
    static const struct { int off; const char *kw; int bad_if; int strict; const char *rel; } cmp[] = {
        {offsetof(js_node, maximum), "maximum", 1, 0, N_("at most")},
        {offsetof(js_node, exclusive_maximum), "exclusiveMaximum", 1, 1, N_("less than")},
        {offsetof(js_node, minimum), "minimum", -1, 0, N_("at least")},
        {offsetof(js_node, exclusive_minimum), "exclusiveMinimum", -1, 1, N_("greater than")},
    };
    for (size_t i = 0; i < 4; i++) {
        const chuanp_jv *lim = *(const chuanp_jv *const *)((const char *)n + cmp[i].off);
        if (!lim)
            continue;
        int k = chuanp_js_num_cmp(inst, lim);
        int bad = cmp[i].bad_if > 0 ? (cmp[i].strict ? k >= 0 : k > 0)
                                    : (cmp[i].strict ? k <= 0 : k < 0);
        if (bad) {
            if ((r = FAIL(cmp[i].kw, NULL, inst, NULL, NULL, NULL, "%s must be %s %.*s",
                          chuanp_js_describe(c, inst), _(cmp[i].rel), (int)lim->u.str.len,
                          lim->u.str.text)) < 0)
                return -1;
            if (!r) {
                ok = 0;
                if (c->quiet)
                    return 0;
            }
        }
    }
    return ok;
}

/* ---------------------------------------------------------- strings */
static int eval_string(js_ctx *c, const js_node *n, const chuanp_jv *inst)
{
    int ok = 1, r;
    if (n->max_length >= 0 || n->min_length >= 0) {
        size_t len = inst->u.str.len;
        /* code points (a lone surrogate stored as WTF-8 counts as one) */
        size_t cps = len;
        for (size_t i = 0; i < len; i++)
            if (((unsigned char)inst->u.str.text[i] & 0xC0) == 0x80)
                cps--;
        if (n->max_length >= 0 && (long long)cps > n->max_length) {
            if ((r = FAIL("maxLength", NULL, inst, NULL, NULL, NULL,
                          "%s is longer than %lld characters", chuanp_js_describe(c, inst),
                          n->max_length)) < 0)
                return -1;
            if (!r && !(ok = 0) && c->quiet)
                return 0;
        }
        if (n->min_length >= 0 && (long long)cps < n->min_length) {
            if ((r = FAIL("minLength", NULL, inst, NULL, NULL, NULL,
                          "%s is shorter than %lld characters", chuanp_js_describe(c, inst),
                          n->min_length)) < 0)
                return -1;
            if (!r && !(ok = 0) && c->quiet)
                return 0;
        }
    }
    if (n->pattern) {
        int m = regex_test(c, n, n->pattern, inst, inst);
        if (m == -2)
            return -1;
        if (c->aborted)
            return 0;
        if (!m) {
            if ((r = FAIL("pattern", NULL, inst, NULL, NULL, NULL, "%s does not match the pattern /%s/",
                          chuanp_js_describe(c, inst), n->pattern->source)) < 0)
                return -1;
            if (!r && !(ok = 0) && c->quiet)
                return 0;
        }
    }
    if (n->format_assert && n->format_fn && !n->format_fn(inst->u.str.text, inst->u.str.len)) {
        if ((r = FAIL("format", NULL, inst, NULL, NULL, NULL, "%s is not a valid %s",
                      chuanp_js_describe(c, inst), n->format)) < 0)
            return -1;
        if (!r)
            ok = 0;
    }
    return ok;
}

/* ---------------------------------------------------------- objects */
/* Member lookup for required/dependent*: a linear scan for small objects, a
 * hash index (built once per object evaluation, scratch memory) for big ones. */
typedef struct obj_index {
    const chuanp_jv *obj;
    uint32_t *slots; /* member number + 1 */
    uint32_t mask;
} obj_index;

static int index_build(js_ctx *c, obj_index *ix, const chuanp_jv *o)
{
    ix->obj = o;
    ix->slots = NULL;
    if (o->u.obj.count <= 32)
        return 0;
    uint32_t cap = 64;
    while (cap < o->u.obj.count * 2)
        cap *= 2;
    ix->slots = chuanp_arena_alloc(&c->st->scratch, cap * sizeof *ix->slots);
    if (!ix->slots)
        return -1;
    memset(ix->slots, 0, cap * sizeof *ix->slots);
    ix->mask = cap - 1;
    for (size_t i = 0; i < o->u.obj.count; i++) {
        const chuanp_jmember *m = &o->u.obj.members[i];
        uint32_t h = chuanp_key_hash(m->key, m->key_len) & ix->mask;
        while (ix->slots[h])
            h = (h + 1) & ix->mask;
        ix->slots[h] = (uint32_t)i + 1;
    }
    return 0;
}

static const chuanp_jv *member(const obj_index *ix, const char *k, size_t len)
{
    const chuanp_jv *o = ix->obj;
    if (ix->slots) {
        for (uint32_t h = chuanp_key_hash(k, len) & ix->mask; ix->slots[h]; h = (h + 1) & ix->mask) {
            const chuanp_jmember *m = &o->u.obj.members[ix->slots[h] - 1];
            if (m->key_len == len && chuanp_key_eq(m->key, k, len))
                return m->value;
        }
        return NULL;
    }
    for (size_t i = 0; i < o->u.obj.count; i++)
        if (o->u.obj.members[i].key_len == len && chuanp_key_eq(o->u.obj.members[i].key, k, len))
            return o->u.obj.members[i].value;
    return NULL;
}

static const js_prop *find_prop(const js_node *n, const char *key, size_t len)
{
    if (n->prop_index) {
        uint32_t i = chuanp_key_hash(key, len) & n->prop_mask;
        for (; n->prop_index[i]; i = (i + 1) & n->prop_mask) {
            const js_prop *pr = &n->props[n->prop_index[i] - 1];
            if (pr->len == len && chuanp_key_eq(pr->name, key, len))
                return pr;
        }
        return NULL;
    }
    for (size_t p = 0; p < n->nprops; p++)
        if (n->props[p].len == len && chuanp_key_eq(n->props[p].name, key, len))
            return &n->props[p];
    return NULL;
}

#define STEP(expr)                                                                                 \
    do {                                                                                           \
        int r_ = (expr);                                                                           \
        if (r_ < 0)                                                                                \
            return -1;                                                                             \
        if (!r_) {                                                                                 \
            ok = 0;                                                                                \
            if (c->quiet || c->aborted)                                                            \
                return 0;                                                                          \
        }                                                                                          \
    } while (0)

static int eval_object(js_ctx *c, const js_node *n, const chuanp_jv *inst, js_track *lt)
{
    int ok = 1;
    size_t count = inst->u.obj.count;
    obj_index ix = {.obj = inst};
    if ((n->required.count || n->ndep_required || n->ndep_schemas) && index_build(c, &ix, inst) < 0)
        return -1;
    if (n->max_props >= 0 && (long long)count > n->max_props)
        STEP(FAIL("maxProperties", NULL, inst, NULL, NULL, NULL,
                  "the object has %zu properties, more than the %lld allowed", count, n->max_props));
    if (n->min_props >= 0 && (long long)count < n->min_props)
        STEP(FAIL("minProperties", NULL, inst, NULL, NULL, NULL,
                  "the object has %zu properties, fewer than the %lld required", count, n->min_props));
    for (size_t k = 0; k < n->required.count; k++)
        if (!member(&ix, n->required.names[k], n->required.lens[k]))
            STEP(FAIL("required", NULL, inst, NULL, NULL, NULL, "missing required property \"%s\"",
                      n->required.names[k]));
    for (size_t k = 0; k < n->ndep_required; k++) {
        const js_depreq *d = &n->dep_required[k];
        if (!member(&ix, d->name, d->len))
            continue;
        for (size_t j = 0; j < d->req.count; j++)
            if (!member(&ix, d->req.names[j], d->req.lens[j]))
                STEP(FAIL(n->dep_required_kw, NULL, inst, NULL, NULL, NULL,
                          "property \"%s\" requires property \"%s\"", d->name, d->req.names[j]));
    }
    int any_applicator = n->nprops || n->npprops || n->additional_props || n->property_names;
    /* "properties" alone (the usual shape of a rule in an allOf): members it does not name
     * need no work at all. In the fast pass, a few names are looked for among the members
     * (one length comparison per member) instead of each member among the names. */
    int props_only = !n->npprops && !n->additional_props && !n->property_names;
    if (props_only && n->nprops && c->fast && n->nprops <= 4) {
        for (size_t p = 0; p < n->nprops; p++) {
            const js_prop *pr = &n->props[p];
            for (size_t i = 0; i < count; i++) {
                const chuanp_jmember *m = &inst->u.obj.members[i];
                if (m->key_len != pr->len || !chuanp_key_eq(m->key, pr->name, pr->len))
                    continue;
                if (ipush(c, m->key, m->key_len, 0) < 0)
                    return -1;
                STEP(sub(c, pr->schema, "properties", pr->name, pr->len, 0, 0, m->value, inst, NULL));
                ipop(c);
                if (lt)
                    lt->flags[i] = 1;
            }
        }
        any_applicator = 0;
    }
    for (size_t i = 0; any_applicator && i < count; i++) {
        const chuanp_jmember *m = &inst->u.obj.members[i];
        int matched = 0;
        const js_prop *pr = find_prop(n, m->key, m->key_len);
        if (!pr && props_only)
            continue;
        if (ipush(c, m->key, m->key_len, 0) < 0)
            return -1;
        if (pr) {
            matched = 1;
            STEP(sub(c, pr->schema, "properties", pr->name, pr->len, 0, 0, m->value, inst, NULL));
        }
        for (size_t p = 0; p < n->npprops; p++) {
            chuanp_jv keyv = {.type = CHUANP_JSTRING};
            keyv.u.str.text = m->key;
            keyv.u.str.len = m->key_len;
            int mt = regex_test(c, n, &n->pprops[p].re, &keyv, m->value);
            if (mt == -2)
                return -1;
            if (c->aborted)
                return 0;
            if (mt <= 0)
                continue;
            matched = 1;
            if (mt == 2)
                continue; /* undecided: covered by the pattern, not checked */
            const char *src = n->pprops[p].re.source;
            int r = sub(c, n->pprops[p].schema, "patternProperties", src, strlen(src), 0, 0, m->value,
                        inst, NULL);
            STEP(r);
        }
        if (!matched && n->additional_props) {
            matched = 1;
            if (is_false(n->additional_props))
                STEP(reject(c, n, "additionalProperties", m, 0, m->value));
            else
                STEP(sub(c, n->additional_props, "additionalProperties", NULL, 0, 0, 0, m->value, inst,
                         NULL));
        }
        if (n->property_names) {
            chuanp_jv keyv = {.type = CHUANP_JSTRING, .line = m->key_line, .column = m->key_column,
                              .offset = m->key_offset};
            keyv.u.str.text = m->key;
            keyv.u.str.len = m->key_len;
            int r = sub(c, n->property_names, "propertyNames", NULL, 0, 0, 0, &keyv, inst, NULL);
            if (r == 0 && !c->quiet) {
                /* the key value lives on this stack frame: re-point its errors at the member */
                for (size_t e = 0; e < c->st->nerr; e++)
                    if (c->st->errs[e].inst == &keyv)
                        c->st->errs[e].inst = m->value;
            }
            STEP(r);
        }
        ipop(c);
        if (matched && lt)
            lt->flags[i] = 1;
    }
    for (size_t k = 0; k < n->ndep_schemas; k++) {
        const js_prop *d = &n->dep_schemas[k];
        if (member(&ix, d->name, d->len))
            STEP(sub(c, d->schema, n->dep_schemas_kw, d->name, d->len, 0, 0, inst, NULL, lt));
    }
    return ok;
}

/* ---------------------------------------------------------- arrays */
static int unique_check(js_ctx *c, const js_node *n, const chuanp_jv *inst)
{
    size_t count = inst->u.arr.count;
    chuanp_jv *const *it = inst->u.arr.items;
    if (count < 2)
        return 1;
    if (count <= 16) {
        for (size_t i = 0; i < count; i++)
            for (size_t j = i + 1; j < count; j++)
                if (chuanp_js_equal(it[i], it[j]))
                    return FAIL("uniqueItems", NULL, inst, NULL, NULL, NULL,
                                "items %zu and %zu are equal; items must be unique", i, j);
        return 1;
    }
    typedef struct { uint64_t h; size_t i; } hi;
    hi *v = chuanp_arena_alloc(&c->st->scratch, count * sizeof *v);
    if (!v)
        return -1;
    for (size_t i = 0; i < count; i++) {
        v[i].h = chuanp_js_hash(it[i]);
        v[i].i = i;
    }
    /* insertion-free sort: simple shell sort on hashes */
    for (size_t gap = count / 2; gap > 0; gap /= 2)
        for (size_t i = gap; i < count; i++) {
            hi tmp = v[i];
            size_t j = i;
            while (j >= gap && (v[j - gap].h > tmp.h || (v[j - gap].h == tmp.h && v[j - gap].i > tmp.i))) {
                v[j] = v[j - gap];
                j -= gap;
            }
            v[j] = tmp;
        }
    for (size_t a = 0; a < count; a++)
        for (size_t b = a + 1; b < count && v[b].h == v[a].h; b++)
            if (chuanp_js_equal(it[v[a].i], it[v[b].i]))
                return FAIL("uniqueItems", NULL, inst, NULL, NULL, NULL,
                            "items %zu and %zu are equal; items must be unique", v[a].i, v[b].i);
    return 1;
}

static int eval_array(js_ctx *c, const js_node *n, const chuanp_jv *inst, js_track *lt)
{
    int ok = 1;
    size_t count = inst->u.arr.count;
    if (n->max_items >= 0 && (long long)count > n->max_items)
        STEP(FAIL("maxItems", NULL, inst, NULL, NULL, NULL,
                  "the array has %zu items, more than the %lld allowed", count, n->max_items));
    if (n->min_items >= 0 && (long long)count < n->min_items)
        STEP(FAIL("minItems", NULL, inst, NULL, NULL, NULL,
                  "the array has %zu items, fewer than the %lld required", count, n->min_items));
    if (n->unique_items)
        STEP(unique_check(c, n, inst));
    size_t np = n->nprefix_items < count ? n->nprefix_items : count;
    for (size_t i = 0; i < np; i++) {
        if (ipush(c, NULL, 0, i) < 0)
            return -1;
        int r = sub(c, n->prefix_items[i], n->prefix_kw, NULL, 0, i, 1, inst->u.arr.items[i], inst, NULL);
        ipop(c);
        STEP(r);
        if (lt)
            lt->flags[i] = 1;
    }
    if (n->items) {
        for (size_t i = n->items_all ? 0 : n->nprefix_items; i < count; i++) {
            if (ipush(c, NULL, 0, i) < 0)
                return -1;
            int r = is_false(n->items) ? reject(c, n, n->items_kw, NULL, i, inst->u.arr.items[i])
                                       : sub(c, n->items, n->items_kw, NULL, 0, 0, 0,
                                             inst->u.arr.items[i], inst, NULL);
            ipop(c);
            STEP(r);
            if (lt)
                lt->flags[i] = 1;
        }
    }
    if (n->contains) {
        size_t matches = 0;
        for (size_t i = 0; i < count; i++) {
            int r = probe(c, n->contains, inst->u.arr.items[i], inst, NULL);
            if (r < 0)
                return -1;
            if (c->aborted)
                return 0;
            if (r) {
                matches++;
                if (lt && n->dialect == JS_D2020)
                    lt->flags[i] = 1;
            }
        }
        long long min = n->min_contains >= 0 ? n->min_contains : 1;
        if ((long long)matches < min) {
            if (n->min_contains >= 0)
                STEP(FAIL("minContains", NULL, inst, NULL, NULL, NULL,
                          "the array has %zu items matching \"contains\", fewer than %lld", matches, min));
            else
                STEP(FAIL("contains", NULL, inst, NULL, NULL, NULL,
                          "the array has no item matching the \"contains\" schema"));
        }
        if (n->max_contains >= 0 && (long long)matches > n->max_contains)
            STEP(FAIL("maxContains", NULL, inst, NULL, NULL, NULL,
                      "the array has %zu items matching \"contains\", more than %lld", matches,
                      n->max_contains));
    }
    return ok;
}

/* ---------------------------------------------------------- anyOf / oneOf */
/* Re-run every branch in full mode and keep only the errors of the branch
 * that came closest, after one summary failure. */
static int explain_branches(js_ctx *c, const js_node *n, const char *kw, js_node *const *br,
                            size_t nb, const chuanp_jv *inst, const chuanp_jv *parent)
{
    chuanp_jsonschema_vstate *st = c->st;
    size_t base = st->nerr;
    size_t best = 0, best_start = base, best_end = base;
    int best_depth = -1;
    size_t best_count = (size_t)-1;
    for (size_t i = 0; i < nb; i++) {
        size_t start = st->nerr;
        int r = sub(c, br[i], kw, NULL, 0, i, 1, inst, parent, NULL);
        if (r < 0)
            return -1;
        size_t end = st->nerr;
        int depth = 0;
        for (size_t e = start; e < end; e++)
            if (st->errs[e].depth > depth)
                depth = st->errs[e].depth;
        size_t cnt = end - start;
        /* a branch rejected by its type/const/enum at the top counts as far */
        int shallow_only = cnt > 0;
        for (size_t e = start; e < end; e++)
            if (st->errs[e].depth > (int)st->ip.n ||
                !(st->errs[e].kw && (strcmp(st->errs[e].kw, "type") == 0 ||
                                     strcmp(st->errs[e].kw, "const") == 0 ||
                                     strcmp(st->errs[e].kw, "enum") == 0)))
                shallow_only = 0;
        if (shallow_only)
            depth = -1;
        if (cnt && (depth > best_depth || (depth == best_depth && cnt < best_count))) {
            best = i;
            best_depth = depth;
            best_count = cnt;
            best_start = start;
            best_end = end;
        }
        if (c->aborted)
            break;
    }
    size_t keep = best_end - best_start;
    js_err *tmp = NULL;
    if (keep) {
        tmp = chuanp_malloc(keep * sizeof *tmp);
        if (!tmp)
            return -1;
        memcpy(tmp, st->errs + best_start, keep * sizeof *tmp);
    }
    st->nerr = base;
    const char *why = keep ? tmp[0].detail_en : N_("no details");
    const char *where = keep && tmp[0].ipath && *tmp[0].ipath ? tmp[0].ipath : NULL;
    /* In Vietnamese the closest alternative's own failure is quoted in Vietnamese too: the
     * message is formatted here from the translated template (core/i18n.h). */
    chuanp_buf vb;
    chuanp_buf_init(&vb, 0);
    const char *vfmt = chuanp_lang_get() == CHUANP_LANG_VI && chuanp_js_text_needed(c)
                           ? chuanp_gettext_vi(none_matches)
                           : NULL;
    if (vfmt)
        chuanp_buf_printf(&vb, vfmt, chuanp_js_describe(c, inst), nb, kw, best + 1, kw, best,
                          where ? _(" at ") : "", where ? where : "", "",
                          keep && tmp[0].detail_vi ? tmp[0].detail_vi : keep ? why : _(why),
                          keep > 1 ? _(" (and more, below)") : "");
    int r = FAIL(kw, NULL, inst, NULL, NULL, vfmt && !vb.err ? vb.data : NULL, none_matches,
                 chuanp_js_describe(c, inst), nb, kw, best + 1, kw, best, where ? " at " : "",
                 where ? where : "", "", why, keep > 1 ? N_(" (and more, below)") : "");
    chuanp_buf_free(&vb);
    if (r >= 0 && keep) {
        for (size_t k = 0; k < keep; k++) {
            if (st->nerr == st->caperr) {
                size_t nc = st->caperr * 2 + 16;
                js_err *ne = chuanp_realloc(st->errs, nc * sizeof *ne);
                if (!ne) {
                    chuanp_free(tmp);
                    return -1;
                }
                st->errs = ne;
                st->caperr = nc;
            }
            st->errs[st->nerr++] = tmp[k];
        }
    }
    chuanp_free(tmp);
    return r;
}

static int eval_any_of(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent,
                       js_track *lt)
{
    int valid = 0;
    for (size_t i = 0; i < n->nany_of; i++) {
        js_track *bt = lt ? track_new(c, inst) : NULL;
        if (lt && !bt)
            return -1;
        int r = probe(c, n->any_of[i], inst, parent, bt);
        if (r < 0)
            return -1;
        if (c->aborted)
            return 0;
        if (r) {
            valid++;
            track_merge(lt, bt);
            if (!lt)
                break;
        }
    }
    if (valid)
        return 1;
    if (c->quiet)
        return c->rule && c->rule->warning && !c->prepass;
    return explain_branches(c, n, "anyOf", n->any_of, n->nany_of, inst, parent);
}

static int eval_one_of(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent,
                       js_track *lt)
{
    size_t valid = 0, first = 0, second = 0;
    js_track *keep = NULL;
    for (size_t i = 0; i < n->none_of; i++) {
        js_track *bt = lt ? track_new(c, inst) : NULL;
        if (lt && !bt)
            return -1;
        int r = probe(c, n->one_of[i], inst, parent, bt);
        if (r < 0)
            return -1;
        if (c->aborted)
            return 0;
        if (r) {
            if (valid == 0) {
                first = i;
                keep = bt;
            } else {
                second = i;
            }
            if (++valid > 1)
                break;
        }
    }
    if (valid == 1) {
        track_merge(lt, keep);
        return 1;
    }
    if (valid > 1)
        return FAIL("oneOf", NULL, inst, NULL, NULL, NULL,
                    "%s matches more than one alternative of oneOf (#%zu and #%zu); exactly one "
                    "must match", chuanp_js_describe(c, inst), first + 1, second + 1);
    if (c->quiet)
        return c->rule && c->rule->warning && !c->prepass;
    return explain_branches(c, n, "oneOf", n->one_of, n->none_of, inst, parent);
}

/* ---------------------------------------------------------- dynamic refs */
static const js_node *dynamic_target(js_ctx *c, const js_node *n)
{
    if (!n->dynref_name)
        return n->dynref;
    for (size_t i = 0; i < c->st->nscope; i++) {
        const js_resource *r = c->st->scope[i];
        for (size_t k = 0; k < r->ndyn; k++)
            if (strcmp(r->dyn[k].name, n->dynref_name) == 0 && r->dyn[k].node)
                return r->dyn[k].node;
    }
    return n->dynref;
}

static const js_node *recursive_target(js_ctx *c, const js_node *n)
{
    const js_node *t = n->recref;
    if (!t || !t->resource || !t->resource->recursive_anchor || t->resource->root != t->src)
        return t;
    for (size_t i = 0; i < c->st->nscope; i++) {
        const js_resource *r = c->st->scope[i];
        if (r->recursive_anchor && r->root_node)
            return r->root_node;
    }
    return t;
}

/* ---------------------------------------------------------- extensions */
typedef struct ext_call {
    chuanp_jsonschema_ext_call pub;
    js_ctx *c;
    const js_node *n;
    const char *kw;
} ext_call;

static int ext_fail(const chuanp_jsonschema_ext_call *call, const chuanp_jv *at,
                    const char *rel_pointer, const char *msg_en, const char *msg_vi)
{
    const ext_call *x = (const ext_call *)call;
    js_ctx *c = x->c;
    if (c->quiet)
        return 0;
    int r = chuanp_js_fail(c, x->n, x->kw, NULL, at ? at : call->instance, NULL, rel_pointer, msg_vi,
                           "%s", msg_en ? msg_en : "failed");
    return r < 0 ? -1 : 0;
}

static const char *ext_pointer(const chuanp_jsonschema_ext_call *call)
{
    const ext_call *x = (const ext_call *)call;
    return chuanp_js_instance_pointer(x->c);
}

static int eval_exts(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent)
{
    int ok = 1;
    for (size_t i = 0; i < n->nexts; i++) {
        const js_extkw *k = &n->exts[i];
        if (!k->ext->validate)
            continue;
        ext_call x = {.pub = {.instance = inst, .parent = parent, .root = c->root,
                              .as_of = c->s->as_of, .fail = ext_fail,
                              .pointer = ext_pointer},
                      .c = c, .n = n, .kw = k->ext->keyword};
        x.pub.internal = &x;
        int r = k->ext->validate(k->state, &x.pub);
        if (r < 0)
            return -1;
        if (r > 0 && !(c->rule && c->rule->warning && !c->prepass)) {
            ok = 0;
            if (c->quiet)
                return 0;
        }
    }
    return ok;
}

/* ---------------------------------------------------------- one node */
static int eval_body(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent,
                     js_track *lt)
{
    int ok = 1;
    if (n->ref)
        STEP(sub(c, n->ref, "$ref", NULL, 0, 0, 0, inst, parent, lt));
    if (n->dynref)
        STEP(sub(c, dynamic_target(c, n), "$dynamicRef", NULL, 0, 0, 0, inst, parent, lt));
    if (n->recref)
        STEP(sub(c, recursive_target(c, n), "$recursiveRef", NULL, 0, 0, 0, inst, parent, lt));
    if (n->types && !type_ok(n->types, inst)) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        if (chuanp_js_text_needed(c))
            types_text(&b, n->types);
        int r = FAIL("type", NULL, inst, NULL, NULL, NULL, "expected %s, found %s %s",
                     b.err ? "?" : b.data, type_name(inst), chuanp_js_describe(c, inst));
        chuanp_buf_free(&b);
        STEP(r);
    }
    if (n->const_v && !chuanp_js_equal(inst, n->const_v))
        STEP(FAIL("const", NULL, inst, NULL, NULL, NULL, "%s must equal %s",
                  chuanp_js_describe(c, inst), chuanp_js_describe(c, n->const_v)));
    if (n->enum_v) {
        int found = 0;
        for (size_t i = 0; i < n->enum_v->u.arr.count && !found; i++)
            found = chuanp_js_equal(inst, n->enum_v->u.arr.items[i]);
        if (!found) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            for (size_t i = 0; chuanp_js_text_needed(c) && i < n->enum_v->u.arr.count && i < 8; i++)
                chuanp_buf_printf(&b, "%s%s", i ? ", " : "",
                                  chuanp_js_describe(c, n->enum_v->u.arr.items[i]));
            if (n->enum_v->u.arr.count > 8)
                chuanp_buf_puts(&b, ", ...");
            int r = FAIL("enum", NULL, inst, NULL, NULL, NULL, "%s is not one of the allowed values (%s)",
                         chuanp_js_describe(c, inst), b.err || !b.data ? "" : b.data);
            chuanp_buf_free(&b);
            STEP(r);
        }
    }
    switch (inst->type) {
    case CHUANP_JNUMBER: STEP(eval_number(c, n, inst)); break;
    case CHUANP_JSTRING: STEP(eval_string(c, n, inst)); break;
    case CHUANP_JOBJECT: STEP(eval_object(c, n, inst, lt)); break;
    case CHUANP_JARRAY: STEP(eval_array(c, n, inst, lt)); break;
    default: break;
    }
    for (size_t i = 0; i < n->nall_of; i++)
        STEP(sub(c, n->all_of[i], "allOf", NULL, 0, i, 1, inst, parent, lt));
    if (n->nany_of)
        STEP(eval_any_of(c, n, inst, parent, lt));
    if (n->none_of)
        STEP(eval_one_of(c, n, inst, parent, lt));
    if (n->not_) {
        int was = c->undecided;
        c->undecided = 0;
        int r = probe_condition(c, n->not_, inst, parent, NULL);
        int und = c->undecided; /* a regex gave up inside: "matched" is not known */
        c->undecided |= was;
        if (r < 0)
            return -1;
        if (r && !c->aborted && !und)
            STEP(FAIL("not", NULL, inst, NULL, NULL, NULL,
                      "%s must not match the schema in \"not\"", chuanp_js_describe(c, inst)));
    }
    if (n->if_) {
        js_track *it = lt ? track_new(c, inst) : NULL;
        if (lt && !it)
            return -1;
        int r = probe_condition(c, n->if_, inst, parent, it);
        if (r < 0)
            return -1;
        if (r) {
            track_merge(lt, it);
            if (n->then_)
                STEP(sub(c, n->then_, "then", NULL, 0, 0, 0, inst, parent, lt));
        } else if (n->else_ && !c->aborted) {
            STEP(sub(c, n->else_, "else", NULL, 0, 0, 0, inst, parent, lt));
        }
    }
    if (n->nexts)
        STEP(eval_exts(c, n, inst, parent));
    if (n->uneval_props && inst->type == CHUANP_JOBJECT) {
        for (size_t i = 0; i < inst->u.obj.count; i++) {
            if (lt->flags[i])
                continue;
            const chuanp_jmember *m = &inst->u.obj.members[i];
            if (ipush(c, m->key, m->key_len, 0) < 0)
                return -1;
            int r = is_false(n->uneval_props)
                        ? reject(c, n, "unevaluatedProperties", m, 0, m->value)
                        : sub(c, n->uneval_props, "unevaluatedProperties", NULL, 0, 0, 0, m->value,
                              inst, NULL);
            ipop(c);
            STEP(r);
            lt->flags[i] = 1;
        }
    }
    if (n->uneval_items && inst->type == CHUANP_JARRAY) {
        for (size_t i = 0; i < inst->u.arr.count; i++) {
            if (lt->flags[i])
                continue;
            if (ipush(c, NULL, 0, i) < 0)
                return -1;
            int r = is_false(n->uneval_items)
                        ? reject(c, n, "unevaluatedItems", NULL, i, inst->u.arr.items[i])
                        : sub(c, n->uneval_items, "unevaluatedItems", NULL, 0, 0, 0,
                              inst->u.arr.items[i], inst, NULL);
            ipop(c);
            STEP(r);
            lt->flags[i] = 1;
        }
    }
    return ok;
}

static int eval(js_ctx *c, const js_node *n, const chuanp_jv *inst, const chuanp_jv *parent,
                js_track *t)
{
    if (!n)
        return -1; /* a subschema that failed to compile: never a verdict */
    if (c->aborted)
        return 0;
    if (n->is_bool) {
        if (n->bool_value)
            return 1;
        return chuanp_js_fail(c, n, NULL, "jsonschema.false", inst, NULL, NULL, NULL,
                              "%s is not allowed here (the schema is false)", chuanp_js_describe(c, inst));
    }
    chuanp_jsonschema_vstate *st = c->st;
    if (++c->steps > JS_MAX_STEPS)
        return limit(c, n, inst, "validation gave up: the schema needs too many evaluation steps "
                                 "for this value");
    if (c->depth >= JS_MAX_EVAL_DEPTH)
        return limit(c, n, inst, "validation gave up: schema evaluation nests too deeply");
    /* the same schema applied to the same value without progress: a loop */
    for (size_t i = st->nfr; i-- > 0 && st->fr[i].inst == inst;)
        if (st->fr[i].node == n)
            return limit(c, n, inst,
                         "infinite recursion: the schema refers back to itself for the same value "
                         "(a $ref cycle that consumes no input)");
    if (st->nfr == st->capfr) {
        size_t nc = st->capfr ? st->capfr * 2 : 64;
        js_frame *nf = chuanp_realloc(st->fr, nc * sizeof *nf);
        if (!nf)
            return -1;
        st->fr = nf;
        st->capfr = nc;
    }
    st->fr[st->nfr].node = n;
    st->fr[st->nfr].inst = inst;
    st->nfr++;
    int pushed_scope = 0;
    if (n->resource && (st->nscope == 0 || st->scope[st->nscope - 1] != n->resource)) {
        if (st->nscope == st->capscope) {
            size_t nc = st->capscope ? st->capscope * 2 : 16;
            const js_resource **ns = chuanp_realloc(st->scope, nc * sizeof *ns);
            if (!ns) {
                st->nfr--;
                return -1;
            }
            st->scope = ns;
            st->capscope = nc;
        }
        st->scope[st->nscope++] = n->resource;
        pushed_scope = 1;
    }
    const js_rule *saved_rule = c->rule;
    size_t saved_ip = st->ip.n; /* early returns (quiet mode) leave segments pushed */
    if (n->rule)
        c->rule = n->rule;
    c->depth++;
    js_track *lt = t;
    int r;
    if (n->needs_track && (inst->type == CHUANP_JOBJECT || inst->type == CHUANP_JARRAY)) {
        lt = track_new(c, inst);
        if (!lt) {
            r = -1;
            goto out;
        }
    }
    r = eval_body(c, n, inst, parent, lt);
    if (r > 0 && lt != t)
        track_merge(t, lt);
out:
    c->depth--;
    c->rule = saved_rule;
    st->ip.n = saved_ip;
    if (pushed_scope)
        st->nscope--;
    st->nfr--;
    return r;
}

/* ---------------------------------------------------------- entry points */
chuanp_jsonschema_vstate *chuanp_jsonschema_vstate_new(const chuanp_jsonschema *s)
{
    (void)s;
    chuanp_jsonschema_vstate *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return NULL;
    chuanp_arena_init(&st->scratch, 64 * 1024);
    st->md = pcre2_match_data_create(1, NULL);
    st->mc = pcre2_match_context_create(NULL);
    st->jit = pcre2_jit_stack_create(32 * 1024, 1024 * 1024, NULL);
    if (!st->md || !st->mc) {
        chuanp_jsonschema_vstate_free(st);
        return NULL;
    }
    pcre2_set_match_limit(st->mc, JS_PCRE_MATCH_LIMIT);
    pcre2_set_depth_limit(st->mc, JS_PCRE_DEPTH_LIMIT);
    if (st->jit)
        pcre2_jit_stack_assign(st->mc, NULL, st->jit);
    return st;
}

void chuanp_jsonschema_vstate_free(chuanp_jsonschema_vstate *st)
{
    if (!st)
        return;
    pcre2_match_data_free(st->md);
    pcre2_match_context_free(st->mc);
    pcre2_jit_stack_free(st->jit);
    chuanp_arena_free(&st->scratch);
    chuanp_free(st->ip.v);
    chuanp_free(st->kp.v);
    chuanp_free(st->scope);
    chuanp_free(st->fr);
    chuanp_free(st->errs);
    chuanp_free(st->lims);
    chuanp_free(st);
}

static void reset(chuanp_jsonschema_vstate *st)
{
    chuanp_arena_reset(&st->scratch);
    st->ip.n = st->kp.n = 0;
    st->nscope = st->nfr = st->nerr = st->nlim = 0;
}

static int run(const chuanp_jsonschema *s, chuanp_jsonschema_vstate *st, const js_node *root,
               const chuanp_jv *inst, const char *file, chuan_diags *diags)
{
    /* keep a margin above the report cap: alternatives' failures are discarded */
    size_t max_errs = diags && diags->max ? diags->max * 4 + 64 : 100000;
    js_ctx c = {.s = s, .st = st, .root = inst, .max_errs = max_errs};
    reset(st);
    int r;
    {
        /* fast pass: nothing recorded; any failure (warnings too) sends the
         * instance to the full pass that explains it */
        c.quiet = 1;
        c.prepass = 1;
        c.fast = 1;
        r = eval(&c, root, inst, NULL, NULL);
        if (r < 0)
            return -1;
        if (r > 0 && !c.aborted && !c.undecided)
            return 0;
        reset(st);
        c = (js_ctx){.s = s, .st = st, .root = inst, .max_errs = max_errs};
    }
    c.quiet = 0;
    c.count_only = diags && diags->max && diags->count >= diags->max;
    r = eval(&c, root, inst, NULL, NULL);
    if (r < 0)
        return -1;
    /* regex limit hits join the other errors (no branch dropped them), in
     * the order of the values they are about */
    for (size_t i = 0; i < st->nlim; i++) {
        if (st->nerr == st->caperr) {
            size_t nc = st->caperr ? st->caperr * 2 : 16;
            js_err *ne = chuanp_realloc(st->errs, nc * sizeof *ne);
            if (!ne)
                return -1;
            st->errs = ne;
            st->caperr = nc;
        }
        size_t at = st->nerr;
        size_t off = st->lims[i].inst ? st->lims[i].inst->offset : 0;
        while (at > 0 && st->errs[at - 1].inst && st->errs[at - 1].inst->offset > off)
            at--;
        memmove(&st->errs[at + 1], &st->errs[at], (st->nerr - at) * sizeof *st->errs);
        st->errs[at] = st->lims[i];
        st->nerr++;
    }
    if (chuanp_js_emit(&c, file, diags) < 0)
        return -1;
    if (c.aborted || c.undecided)
        return 1;
    return r > 0 ? 0 : 1;
}

int chuanp_jsonschema_validate(const chuanp_jsonschema *s, chuanp_jsonschema_vstate *st,
                               const chuanp_jv *instance, const char *file, chuan_diags *diags)
{
    return run(s, st, s->root, instance, file, diags);
}

int chuanp_js_validate_node(const chuanp_jsonschema *s, const js_node *n, const chuanp_jv *instance,
                            const char *file, chuan_diags *diags)
{
    chuanp_jsonschema_vstate *st = chuanp_jsonschema_vstate_new(s);
    if (!st)
        return -1;
    int r = run(s, st, n, instance, file, diags);
    chuanp_jsonschema_vstate_free(st);
    return r;
}
