/* tests/unit/json_shim.h - the few jansson calls the reporter tests read their JSON with,
 * on chuan's own reader (converters/json.h), so the tests need no second JSON library.
 * Test-only: every parse keeps its arena until json_decref(root). */
#ifndef CHUAN_JSON_SHIM_H
#define CHUAN_JSON_SHIM_H

#include "../../converters/json.h"

#include <stdlib.h>
#include <string.h>

typedef chuanp_jv json_t;
typedef struct json_error_t {
    int line, column;
    char text[160];
} json_error_t;

#define JSON_SHIM_MAX 16
static struct {
    const chuanp_jv *root;
    chuanp_arena arena;
} json_shim_docs[JSON_SHIM_MAX];

static inline json_t *json_loads(const char *s, size_t flags, json_error_t *e)
{
    (void)flags;
    for (size_t i = 0; i < JSON_SHIM_MAX; i++) {
        if (json_shim_docs[i].root)
            continue;
        chuan_diags d;
        chuan_diags_init(&d, 1);
        chuanp_arena_init(&json_shim_docs[i].arena, 0);
        chuanp_jv *root = NULL;
        int rc = chuanp_json_parse(&root, s, strlen(s), NULL, &json_shim_docs[i].arena, &d);
        if (e) {
            memset(e, 0, sizeof *e);
            if (d.count) {
                e->line = (int)d.items[0].line;
                e->column = (int)d.items[0].column;
                snprintf(e->text, sizeof e->text, "%s", d.items[0].message);
            }
        }
        chuan_diags_clear(&d);
        if (rc != 0) {
            chuanp_arena_free(&json_shim_docs[i].arena);
            return NULL;
        }
        json_shim_docs[i].root = root;
        return root;
    }
    return NULL;
}

static inline void json_decref(json_t *root)
{
    for (size_t i = 0; root && i < JSON_SHIM_MAX; i++)
        if (json_shim_docs[i].root == root) {
            chuanp_arena_free(&json_shim_docs[i].arena);
            json_shim_docs[i].root = NULL;
        }
}

static inline int json_shim_is(const json_t *j, int t) { return j && j->type == t; }
#define json_is_null(j) json_shim_is((j), CHUANP_JNULL)
#define json_is_true(j) json_shim_is((j), CHUANP_JTRUE)
#define json_is_false(j) json_shim_is((j), CHUANP_JFALSE)
#define json_is_boolean(j) (json_is_true(j) || json_is_false(j))
#define json_is_string(j) json_shim_is((j), CHUANP_JSTRING)
#define json_is_number(j) json_shim_is((j), CHUANP_JNUMBER)
#define json_is_integer(j) (json_is_number(j) && ((j)->flags & CHUANP_JNUM_INT))
#define json_is_real(j) (json_is_number(j) && !((j)->flags & CHUANP_JNUM_INT))
#define json_is_array(j) json_shim_is((j), CHUANP_JARRAY)
#define json_is_object(j) json_shim_is((j), CHUANP_JOBJECT)

static inline json_t *json_object_get(const json_t *o, const char *key)
{
    return chuanp_json_get(o, key);
}
static inline json_t *json_array_get(const json_t *a, size_t i) { return chuanp_json_at(a, i); }
static inline size_t json_array_size(const json_t *a)
{
    return json_is_array(a) ? a->u.arr.count : 0;
}
static inline size_t json_object_size(const json_t *o)
{
    return json_is_object(o) ? o->u.obj.count : 0;
}
static inline const char *json_string_value(const json_t *s)
{
    return json_is_string(s) ? s->u.str.text : NULL;
}
static inline long long json_integer_value(const json_t *n)
{
    return json_is_integer(n) ? strtoll(n->u.str.text, NULL, 10) : 0;
}
static inline double json_number_value(const json_t *n)
{
    return json_is_number(n) ? strtod(n->u.str.text, NULL) : 0;
}

#endif /* CHUAN_JSON_SHIM_H */
