/* validator/tableschema_desc.h - the Table Schema descriptor compiler, shared by
 * tableschema_compile.c (the schema) and tableschema_field.c (one field). */
#ifndef CHUAN_TABLESCHEMA_DESC_H
#define CHUAN_TABLESCHEMA_DESC_H

#include "tableschema_int.h"
#include "../converters/json.h"

typedef struct chuanp_ts_compiler {
    const char *path;
    chuan_diags *d;
    int errors;
    const char *base;      /* "" or "/schema" (a Data Package resource) */
    const chuanp_jv *root; /* position of errors about the whole descriptor */
    char where[256];       /* JSON Pointer of the member being reported */
} chuanp_ts_compiler;

/* The JSON Pointer base + fmt..., in c->where (valid until the next call). */
const char *chuanp_ts_at(chuanp_ts_compiler *c, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A tableschema.schema error at the JSON value v (NULL: the whole descriptor), with the JSON
 * Pointer ptr; fmt takes two strings (NULL prints as ""). */
void chuanp_ts_cerr(chuanp_ts_compiler *c, const chuanp_jv *v, const char *ptr, const char *fmt,
                    const char *a, const char *b);

static inline int is_str(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING;
}
static inline int is_true(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JTRUE;
}
static inline int is_bool(const chuanp_jv *v)
{
    return v && (v->type == CHUANP_JTRUE || v->type == CHUANP_JFALSE);
}
static inline const char *str(const chuanp_jv *v)
{
    return is_str(v) ? v->u.str.text : NULL;
}

/* ---- one field (tableschema_field.c) ---- */
/* Compile fields[fi] (jf) into f; schema_missing: the schema's missingValues. 0 or -1. */
int chuanp_ts_compile_field(chuanp_ts_compiler *c, ts_field *f, const chuanp_jv *jf, size_t fi,
                            const ts_strlist *schema_missing);
void chuanp_ts_field_free(ts_field *f);
/* An array of strings (or of {"value": ...} objects) at ptr into out. 0 or -1. */
int chuanp_ts_strlist_from(chuanp_ts_compiler *c, const chuanp_jv *arr, const char *ptr,
                           ts_strlist *out, const char *what, const char *field);
/* The NULL-terminated vals into out. 0 or -1 (out of memory). */
int chuanp_ts_strlist_default(ts_strlist *out, const char *const *vals);

#endif /* CHUAN_TABLESCHEMA_DESC_H */
