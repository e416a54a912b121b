/* converters/json_copy.c - a deep copy of a JSON value into an arena. */
#include "json.h"

/* A deep copy of v in a (readers may lend strings that live only until
 * their next record: CSV cells). NULL when out of memory. */
chuanp_jv *chuanp_jv_copy(chuanp_arena *a, const chuanp_jv *v)
{
    chuanp_jv *c = chuanp_arena_alloc(a, sizeof *c);
    if (!c)
        return NULL;
    *c = *v;
    switch (v->type) {
    case CHUANP_JSTRING:
    case CHUANP_JNUMBER:
        if (!(c->u.str.text = chuanp_arena_strndup(a, v->u.str.text, v->u.str.len)))
            return NULL;
        break;
    case CHUANP_JARRAY:
        c->u.arr.items = chuanp_arena_alloc(a, (v->u.arr.count ? v->u.arr.count : 1) *
                                                   sizeof *c->u.arr.items);
        if (!c->u.arr.items)
            return NULL;
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (!(c->u.arr.items[i] = chuanp_jv_copy(a, v->u.arr.items[i])))
                return NULL;
        break;
    case CHUANP_JOBJECT:
        c->u.obj.members = chuanp_arena_alloc(a, (v->u.obj.count ? v->u.obj.count : 1) *
                                                     sizeof *c->u.obj.members);
        if (!c->u.obj.members)
            return NULL;
        for (size_t i = 0; i < v->u.obj.count; i++) {
            chuanp_jmember *m = &c->u.obj.members[i];
            *m = v->u.obj.members[i];
            if (!(m->key = chuanp_arena_strndup(a, m->key, m->key_len)) ||
                !(m->value = chuanp_jv_copy(a, v->u.obj.members[i].value)))
                return NULL;
        }
        break;
    default:
        break;
    }
    return c;
}
