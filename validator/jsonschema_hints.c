/* validator/jsonschema_hints.c - what a compiled JSON Schema says about a path
 * (is it an array? which scalar type?) for schema-aware conversion
 * (converters/record.h chuanp_schema_hints). Follows properties, items,
 * prefixItems, $ref, allOf (and the alternatives of anyOf/oneOf). */
#include "jsonschema_int.h"

#include <string.h>

#define HINT_MAX_HOPS 64

static const js_node *deref(const js_node *n)
{
    for (int i = 0; n && n->ref && i < HINT_MAX_HOPS; i++) {
        /* a $ref with sibling keywords that describe the value stays itself */
        if (n->types || n->nprops || n->items || n->nprefix_items)
            break;
        n = n->ref;
    }
    return n;
}

static const js_node *find_prop(const js_node *n, const char *name, int hops)
{
    n = deref(n);
    if (!n || n->is_bool || hops > HINT_MAX_HOPS)
        return NULL;
    size_t len = strlen(name);
    for (size_t i = 0; i < n->nprops; i++)
        if (n->props[i].len == len && memcmp(n->props[i].name, name, len) == 0)
            return n->props[i].schema;
    const js_node *r;
    if (n->ref && (r = find_prop(n->ref, name, hops + 1)))
        return r;
    for (size_t i = 0; i < n->nall_of; i++)
        if ((r = find_prop(n->all_of[i], name, hops + 1)))
            return r;
    for (size_t i = 0; i < n->nany_of; i++)
        if ((r = find_prop(n->any_of[i], name, hops + 1)))
            return r;
    for (size_t i = 0; i < n->none_of; i++)
        if ((r = find_prop(n->one_of[i], name, hops + 1)))
            return r;
    if (n->then_ && (r = find_prop(n->then_, name, hops + 1)))
        return r;
    if (n->additional_props && !n->additional_props->is_bool)
        return n->additional_props;
    return NULL;
}

static unsigned types_of(const js_node *n, int hops)
{
    n = deref(n);
    if (!n || n->is_bool || hops > HINT_MAX_HOPS)
        return 0;
    unsigned t = n->types;
    if (!t && n->ref)
        t = types_of(n->ref, hops + 1);
    for (size_t i = 0; !t && i < n->nall_of; i++)
        t = types_of(n->all_of[i], hops + 1);
    if (!t) {
        unsigned u = 0;
        for (size_t i = 0; i < n->nany_of; i++)
            u |= types_of(n->any_of[i], hops + 1);
        for (size_t i = 0; i < n->none_of; i++)
            u |= types_of(n->one_of[i], hops + 1);
        t = u;
    }
    if (!t && (n->nprops || n->required.count))
        t = JS_T_OBJECT;
    if (!t && (n->items || n->nprefix_items))
        t = JS_T_ARRAY;
    return t;
}

/* The schema of the array items (prefixItems[0] when only a prefix is given). */
static const js_node *items_of(const js_node *n, int hops)
{
    n = deref(n);
    if (!n || n->is_bool || hops > HINT_MAX_HOPS)
        return NULL;
    if (n->items)
        return n->items;
    if (n->nprefix_items)
        return n->prefix_items[0];
    const js_node *r;
    if (n->ref && (r = items_of(n->ref, hops + 1)))
        return r;
    for (size_t i = 0; i < n->nall_of; i++)
        if ((r = items_of(n->all_of[i], hops + 1)))
            return r;
    return NULL;
}

static chuanp_hint_type hint_type(unsigned t)
{
    t &= ~(unsigned)JS_T_NULL | (t == JS_T_NULL ? JS_T_NULL : 0);
    switch (t) {
    case JS_T_STRING: return CHUANP_HINT_STRING;
    case JS_T_INTEGER: return CHUANP_HINT_INTEGER;
    case JS_T_NUMBER:
    case JS_T_NUMBER | JS_T_INTEGER: return CHUANP_HINT_NUMBER;
    /* "number or string" (a fee written either way): text that reads as a number becomes one,
     * other text stays a string (the mappings fall back), so XML and CSV values meet JSON's */
    case JS_T_NUMBER | JS_T_STRING:
    case JS_T_NUMBER | JS_T_INTEGER | JS_T_STRING: return CHUANP_HINT_NUMBER;
    case JS_T_INTEGER | JS_T_STRING: return CHUANP_HINT_INTEGER;
    case JS_T_BOOLEAN: return CHUANP_HINT_BOOLEAN;
    case JS_T_OBJECT: return CHUANP_HINT_OBJECT;
    case JS_T_NULL: return CHUANP_HINT_NULL;
    default: return CHUANP_HINT_UNKNOWN;
    }
}

/* The node describing the value at path (array items for an array), and
 * whether the last step is an array. */
static const js_node *walk(const chuanp_jsonschema *s, const char *const *path, size_t depth,
                           int *is_array)
{
    const js_node *cur = s->root;
    *is_array = 0;
    for (size_t i = 0; i < depth && cur; i++) {
        *is_array = 0;
        const js_node *p = find_prop(cur, path[i], 0);
        if (!p)
            return NULL;
        unsigned t = types_of(p, 0);
        if ((t & JS_T_ARRAY) && !(t & JS_T_OBJECT)) {
            *is_array = 1;
            p = items_of(p, 0);
        }
        cur = p;
        if (!cur && i + 1 < depth)
            *is_array = 0;
    }
    return cur;
}

static int hints_lookup(void *ctx, const char *const *path, size_t depth, chuanp_hint *out)
{
    const chuanp_jsonschema *s = ctx;
    memset(out, 0, sizeof *out);
    int is_array = 0;
    const js_node *n = walk(s, path, depth, &is_array);
    if (!n && !is_array)
        return 0;
    out->known = 1;
    out->is_array = is_array;
    out->type = n ? hint_type(types_of(n, 0)) : CHUANP_HINT_UNKNOWN;
    return 1;
}

static int collect(const js_node *n, const char **names, int max, int count, int hops)
{
    n = deref(n);
    if (!n || n->is_bool || hops > HINT_MAX_HOPS)
        return count;
    for (size_t i = 0; i < n->nprops && count < max; i++) {
        int dup = 0;
        for (int k = 0; k < count && !dup; k++)
            dup = strcmp(names[k], n->props[i].name) == 0;
        if (!dup)
            names[count++] = n->props[i].name;
    }
    if (n->ref)
        count = collect(n->ref, names, max, count, hops + 1);
    for (size_t i = 0; i < n->nall_of; i++)
        count = collect(n->all_of[i], names, max, count, hops + 1);
    return count;
}

static int hints_child_order(void *ctx, const char *const *path, size_t depth, const char **names,
                             int max)
{
    const chuanp_jsonschema *s = ctx;
    int is_array = 0;
    const js_node *n = walk(s, path, depth, &is_array);
    if (!n)
        return -1;
    return collect(n, names, max, 0, 0);
}

void chuanp_jsonschema_hints(const chuanp_jsonschema *s, chuanp_schema_hints *hints)
{
    hints->ctx = (void *)s;
    hints->lookup = hints_lookup;
    hints->child_order = hints_child_order;
}
