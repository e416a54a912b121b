/* validator/tableschema_compile.c - read a Table Schema descriptor (chuan's JSON reader:
 * every error names the line, column and JSON Pointer of the offending member) into a
 * compiled, read-only chuanp_tableschema; load foreign-key code lists. */
#include "tableschema_int.h"

#include "../converters/json.h"
#include "../core/confine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIPTOR_MAX_BYTES (64u << 20)

typedef struct compiler {
    const char *path;
    chuan_diags *d;
    int errors;
    const char *base;      /* "" or "/schema" (a Data Package resource) */
    const chuanp_jv *root; /* position of errors about the whole descriptor */
    char where[256];       /* JSON Pointer of the member being reported */
} compiler;

/* The JSON Pointer base + fmt..., in c->where (valid until the next call). */
static const char *at(compiler *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *at(compiler *c, const char *fmt, ...)
{
    int n = snprintf(c->where, sizeof c->where, "%s", c->base);
    va_list ap;
    va_start(ap, fmt);
    if (n >= 0 && (size_t)n < sizeof c->where)
        vsnprintf(c->where + n, sizeof c->where - (size_t)n, fmt, ap);
    va_end(ap);
    return c->where;
}

/* An error at the JSON value v (NULL: the whole descriptor), JSON Pointer ptr. */
static void cerr(compiler *c, const chuanp_jv *v, const char *ptr, const char *fmt, const char *a,
                 const char *b)
{
    if (!v)
        v = c->root;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .file = c->path,
                     .offset = -1, .path = ptr && *ptr ? ptr : NULL};
    if (v && v->line) {
        dg.line = (long)v->line;
        dg.column = (long)v->column;
        dg.offset = (long long)v->offset;
    }
    chuan_diags_addf(c->d, &dg, fmt, a ? a : "", b ? b : "");
    c->errors++;
}

static int is_str(const chuanp_jv *v) { return v && v->type == CHUANP_JSTRING; }
static int is_true(const chuanp_jv *v) { return v && v->type == CHUANP_JTRUE; }
static int is_bool(const chuanp_jv *v)
{
    return v && (v->type == CHUANP_JTRUE || v->type == CHUANP_JFALSE);
}
static const char *str(const chuanp_jv *v) { return is_str(v) ? v->u.str.text : NULL; }

/* An array of strings (or of {"value": ...} objects, Table Schema v2) at ptr. */
static int strlist_from(compiler *c, const chuanp_jv *arr, const char *ptr, ts_strlist *out,
                        const char *what, const char *field)
{
    memset(out, 0, sizeof *out);
    if (!arr || arr->type != CHUANP_JARRAY) {
        cerr(c, arr, ptr, "field '%s': %s must be an array of strings", field, what);
        return -1;
    }
    size_t n = arr->u.arr.count;
    out->items = chuanp_calloc(n ? n : 1, sizeof *out->items);
    out->lens = chuanp_calloc(n ? n : 1, sizeof *out->lens);
    if (!out->items || !out->lens)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const chuanp_jv *it = arr->u.arr.items[i];
        if (it->type == CHUANP_JOBJECT) /* v2: {"value": "...", "label": "..."} */
            it = chuanp_json_get(it, "value") ? chuanp_json_get(it, "value") : it;
        if (!is_str(it)) {
            char p[300];
            snprintf(p, sizeof p, "%s/%zu", ptr, i);
            cerr(c, it, p, "field '%s': %s must be an array of strings", field, what);
            return -1;
        }
        out->items[i] = chuanp_strndup(it->u.str.text, it->u.str.len);
        if (!out->items[i])
            return -1;
        out->lens[i] = it->u.str.len;
        out->count = i + 1;
    }
    return 0;
}

static int strlist_default(ts_strlist *out, const char *const *vals)
{
    size_t n = 0;
    while (vals[n])
        n++;
    out->items = chuanp_calloc(n, sizeof *out->items);
    out->lens = chuanp_calloc(n, sizeof *out->lens);
    if (!out->items || !out->lens)
        return -1;
    for (size_t i = 0; i < n; i++) {
        out->items[i] = chuanp_strdup(vals[i]);
        if (!out->items[i])
            return -1;
        out->lens[i] = strlen(vals[i]);
        out->count = i + 1;
    }
    return 0;
}

static int strlist_copy(ts_strlist *dst, const ts_strlist *src)
{
    memset(dst, 0, sizeof *dst);
    dst->items = chuanp_calloc(src->count ? src->count : 1, sizeof *dst->items);
    dst->lens = chuanp_calloc(src->count ? src->count : 1, sizeof *dst->lens);
    if (!dst->items || !dst->lens)
        return -1;
    for (size_t i = 0; i < src->count; i++) {
        dst->items[i] = chuanp_strndup(src->items[i], src->lens[i]);
        if (!dst->items[i])
            return -1;
        dst->lens[i] = src->lens[i];
        dst->count = i + 1;
    }
    return 0;
}

/* Cast text as the field's type (constraints may be written in ISO form while the data has a
 * pattern). 0 ok. */
static int cast_constraint(const ts_field *f, ts_field *plain, const char *text, size_t len,
                           chuanp_buf *scratch, ts_value *v)
{
    int bad = chuanp_ts_cast(plain, f->type, text, len, scratch, v);
    if (bad && f->format) {
        plain->format = NULL;
        bad = chuanp_ts_cast(plain, f->type, text, len, scratch, v);
    }
    return bad;
}

/* A constraint value (JSON j at ptr) as a cast value of the field's type. Numbers keep their
 * exact text ("0.1" stays 0.1); an integral number written with a fraction or an exponent
 * ("1e3", "5.0") also fits an integer field. */
static ts_value *constraint_value(compiler *c, const ts_field *f, const chuanp_jv *j,
                                  const char *ptr, const char *what)
{
    chuanp_buf scratch;
    chuanp_buf_init(&scratch, 0);
    ts_value v, *res = NULL;
    ts_field plain = *f;
    int bad;
    if (j->type == CHUANP_JNUMBER) {
        plain.decimal_char = '.';
        plain.group_char = NULL;
        plain.bare_number = 1;
        bad = cast_constraint(f, &plain, j->u.str.text, j->u.str.len, &scratch, &v);
        if (bad && !(j->flags & CHUANP_JNUM_INT) &&
            chuanp_json_num_is_integer(j->u.str.text, j->u.str.len)) {
            char num[64], src[64];
            snprintf(src, sizeof src, "%.*s", (int)(j->u.str.len < 63 ? j->u.str.len : 63),
                     j->u.str.text);
            snprintf(num, sizeof num, "%.17g", strtod(src, NULL));
            chuanp_buf_reset(&scratch);
            bad = cast_constraint(f, &plain, num, strlen(num), &scratch, &v);
        }
    } else if (j->type == CHUANP_JSTRING) {
        bad = cast_constraint(f, &plain, j->u.str.text, j->u.str.len, &scratch, &v);
    } else if (is_bool(j) && f->type == TS_BOOLEAN) {
        res = chuanp_calloc(1, sizeof *res);
        if (res) {
            res->type = TS_BOOLEAN;
            res->boolean = is_true(j);
            res->text = chuanp_strdup(is_true(j) ? "true" : "false");
            res->len = strlen(res->text ? res->text : "");
        }
        goto out;
    } else {
        cerr(c, j, ptr, "field '%s': %s has a value of the wrong JSON type", f->name, what);
        goto out;
    }
    if (scratch.err)
        goto out;
    if (bad) {
        cerr(c, j, ptr, "field '%s': %s is not a valid value of the field's type", f->name, what);
        goto out;
    }
    res = chuanp_calloc(1, sizeof *res);
    if (!res)
        goto out;
    *res = v;
    res->text = chuanp_strndup(v.text, v.len);
    if (!res->text) {
        chuanp_free(res);
        res = NULL;
    }
out:
    chuanp_buf_free(&scratch);
    return res;
}

static void value_free(ts_value *v)
{
    if (!v)
        return;
    chuanp_free((char *)v->text);
    chuanp_free(v);
}

static int compile_pattern(compiler *c, ts_field *f, const chuanp_jv *pv, const char *ptr)
{
    int ec;
    PCRE2_SIZE eo;
    f->pattern = pcre2_compile((PCRE2_SPTR)pv->u.str.text, pv->u.str.len,
                               PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &eo, NULL);
    if (!f->pattern) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        cerr(c, pv, ptr, "field '%s': pattern does not compile: %s", f->name, (const char *)msg);
        return -1;
    }
    pcre2_jit_compile(f->pattern, PCRE2_JIT_COMPLETE); /* optional speed-up */
    f->pattern_src = chuanp_strndup(pv->u.str.text, pv->u.str.len);
    return 0;
}

static const char *const default_true[] = {"true", "True", "TRUE", "1", NULL};
static const char *const default_false[] = {"false", "False", "FALSE", "0", NULL};

/* A non-negative integer constraint (minLength, maxLength) into *out. */
static int length_constraint(compiler *c, const ts_field *f, const chuanp_jv *j, const char *ptr,
                             const char *what, long *out)
{
    if (j->type != CHUANP_JNUMBER || !(j->flags & CHUANP_JNUM_INT) || j->u.str.text[0] == '-' ||
        j->u.str.len > 18) {
        cerr(c, j, ptr, "field '%s': %s must be a non-negative integer", f->name, what);
        return -1;
    }
    long v = 0;
    for (size_t i = 0; i < j->u.str.len; i++)
        v = v * 10 + (j->u.str.text[i] - '0');
    *out = v;
    return 0;
}

static int compile_constraints(compiler *c, ts_field *f, const chuanp_jv *cons, size_t fi)
{
    if (cons->type != CHUANP_JOBJECT) {
        cerr(c, cons, at(c, "/fields/%zu/constraints", fi),
             "field '%s': constraints must be an object%s", f->name, NULL);
        return -1;
    }
    const chuanp_jv *j;
    static const char *const flags[] = {"required", "unique"};
    int *fslots[] = {&f->required, &f->unique};
    for (int k = 0; k < 2; k++) {
        if ((j = chuanp_json_get(cons, flags[k])) == NULL)
            continue;
        if (!is_bool(j)) {
            cerr(c, j, at(c, "/fields/%zu/constraints/%s", fi, flags[k]),
                 "field '%s': %s must be true or false", f->name, flags[k]);
            return -1;
        }
        *fslots[k] = is_true(j);
    }
    if ((j = chuanp_json_get(cons, "minLength")) != NULL &&
        length_constraint(c, f, j, at(c, "/fields/%zu/constraints/minLength", fi), "minLength",
                          &f->min_length) < 0)
        return -1;
    if ((j = chuanp_json_get(cons, "maxLength")) != NULL &&
        length_constraint(c, f, j, at(c, "/fields/%zu/constraints/maxLength", fi), "maxLength",
                          &f->max_length) < 0)
        return -1;
    static const char *const bounds[] = {"minimum", "maximum", "exclusiveMinimum",
                                         "exclusiveMaximum"};
    ts_value **slots[] = {&f->minimum, &f->maximum, &f->xminimum, &f->xmaximum};
    for (int k = 0; k < 4; k++) {
        if ((j = chuanp_json_get(cons, bounds[k])) == NULL)
            continue;
        const char *ptr = at(c, "/fields/%zu/constraints/%s", fi, bounds[k]);
        if (f->type == TS_DURATION || f->type == TS_STRING || f->type == TS_BOOLEAN ||
            f->type == TS_OBJECT || f->type == TS_ARRAY || f->type == TS_LIST ||
            f->type == TS_GEOPOINT || f->type == TS_ANY) {
            cerr(c, j, ptr, "field '%s': %s is not supported for this type", f->name, bounds[k]);
            return -1;
        }
        *slots[k] = constraint_value(c, f, j, ptr, bounds[k]);
        if (!*slots[k])
            return -1;
    }
    if ((j = chuanp_json_get(cons, "pattern")) != NULL) {
        const char *ptr = at(c, "/fields/%zu/constraints/pattern", fi);
        if (!is_str(j)) {
            cerr(c, j, ptr, "field '%s': pattern must be a string%s", f->name, NULL);
            return -1;
        }
        if (compile_pattern(c, f, j, ptr) < 0)
            return -1;
    }
    if ((j = chuanp_json_get(cons, "enum")) != NULL) {
        if (j->type != CHUANP_JARRAY) {
            cerr(c, j, at(c, "/fields/%zu/constraints/enum", fi),
                 "field '%s': enum must be an array%s", f->name, NULL);
            return -1;
        }
        size_t n = j->u.arr.count;
        f->enums = chuanp_calloc(n ? n : 1, sizeof *f->enums);
        if (!f->enums)
            return -1;
        for (size_t i = 0; i < n; i++) {
            ts_value *v = constraint_value(c, f, j->u.arr.items[i],
                                           at(c, "/fields/%zu/constraints/enum/%zu", fi, i), "enum");
            if (!v)
                return -1;
            f->enums[i] = *v;
            chuanp_free(v);
            f->nenums = i + 1;
        }
    }
    return 0;
}

/* "format" of a date/time field: a pattern chuan can read, with a year for dates. */
static int compile_format(compiler *c, ts_field *f, const chuanp_jv *fmt, size_t fi)
{
    f->format = chuanp_strdup(fmt->u.str.text);
    if (!f->format)
        return -1;
    if (strcmp(f->format, "default") == 0 || strcmp(f->format, "any") == 0)
        return 0;
    if ((f->type == TS_DATE || f->type == TS_TIME || f->type == TS_DATETIME) &&
        !chuanp_ts_format_ok(f->format)) {
        cerr(c, fmt, at(c, "/fields/%zu/format", fi),
             "field '%s': unsupported date/time format '%s' (directives: %%Y %%y %%m %%d "
             "%%b %%B %%H %%M %%S %%f %%z %%%%)", f->name, f->format);
        return -1;
    }
    if (f->type == TS_DATE && strstr(f->format, "%Y") == NULL && strstr(f->format, "%y") == NULL) {
        cerr(c, fmt, at(c, "/fields/%zu/format", fi), "field '%s': date format '%s' has no year",
             f->name, f->format);
        return -1;
    }
    return 0;
}

static int compile_field(compiler *c, ts_field *f, const chuanp_jv *jf, size_t fi,
                         const ts_strlist *schema_missing)
{
    if (jf->type != CHUANP_JOBJECT) {
        cerr(c, jf, at(c, "/fields/%zu", fi), "a field must be an object%s%s", NULL, NULL);
        return -1;
    }
    const chuanp_jv *name = chuanp_json_get(jf, "name");
    if (!is_str(name)) {
        cerr(c, name ? name : jf, at(c, name ? "/fields/%zu/name" : "/fields/%zu", fi),
             "every field needs a string \"name\"%s%s", NULL, NULL);
        return -1;
    }
    f->name = chuanp_strdup(str(name));
    f->min_length = f->max_length = -1;
    f->bare_number = 1;
    f->decimal_char = '.';
    if (!f->name)
        return -1;
    const chuanp_jv *type = chuanp_json_get(jf, "type");
    int t = type ? (is_str(type) ? chuanp_ts_type_parse(str(type)) : -1) : TS_STRING;
    if (t < 0) {
        cerr(c, type, at(c, "/fields/%zu/type", fi),
             is_str(type) ? "field '%s': unknown type '%s'" : "field '%s': type must be a string%s",
             f->name, is_str(type) ? str(type) : NULL);
        return -1;
    }
    f->type = (ts_type)t;
    const chuanp_jv *fmt = chuanp_json_get(jf, "format");
    if (is_str(fmt) && compile_format(c, f, fmt, fi) < 0)
        return -1;
    const chuanp_jv *dc = chuanp_json_get(jf, "decimalChar");
    if (is_str(dc) && dc->u.str.len == 1)
        f->decimal_char = str(dc)[0];
    else if (dc) {
        cerr(c, dc, at(c, "/fields/%zu/decimalChar", fi),
             "field '%s': decimalChar must be one character%s", f->name, NULL);
        return -1;
    }
    const chuanp_jv *gc = chuanp_json_get(jf, "groupChar");
    if (is_str(gc) && gc->u.str.len > 0 && !(f->group_char = chuanp_strdup(str(gc))))
        return -1;
    const chuanp_jv *bn = chuanp_json_get(jf, "bareNumber");
    if (is_bool(bn))
        f->bare_number = is_true(bn);
    const chuanp_jv *tv = chuanp_json_get(jf, "trueValues"), *fv = chuanp_json_get(jf, "falseValues");
    if ((tv ? strlist_from(c, tv, at(c, "/fields/%zu/trueValues", fi), &f->true_values,
                           "trueValues", f->name)
            : strlist_default(&f->true_values, default_true)) < 0)
        return -1;
    if ((fv ? strlist_from(c, fv, at(c, "/fields/%zu/falseValues", fi), &f->false_values,
                           "falseValues", f->name)
            : strlist_default(&f->false_values, default_false)) < 0)
        return -1;
    const chuanp_jv *mv = chuanp_json_get(jf, "missingValues");
    if ((mv ? strlist_from(c, mv, at(c, "/fields/%zu/missingValues", fi), &f->missing,
                           "missingValues", f->name)
            : strlist_copy(&f->missing, schema_missing)) < 0)
        return -1;
    f->item_type = TS_STRING;
    const chuanp_jv *it = chuanp_json_get(jf, "itemType");
    if (is_str(it)) {
        int k = chuanp_ts_type_parse(str(it));
        if (k < 0 || k == TS_LIST || k == TS_OBJECT || k == TS_ARRAY) {
            cerr(c, it, at(c, "/fields/%zu/itemType", fi), "field '%s': unsupported itemType '%s'",
                 f->name, str(it));
            return -1;
        }
        f->item_type = (ts_type)k;
    }
    const chuanp_jv *ld = chuanp_json_get(jf, "delimiter");
    if (is_str(ld) && ld->u.str.len > 0 && !(f->list_delim = chuanp_strdup(str(ld))))
        return -1;
    const chuanp_jv *cons = chuanp_json_get(jf, "constraints");
    return cons ? compile_constraints(c, f, cons, fi) : 0;
}

static void field_free(ts_field *f)
{
    chuanp_free(f->name);
    chuanp_free(f->format);
    chuanp_free(f->group_char);
    chuanp_ts_strlist_free(&f->true_values);
    chuanp_ts_strlist_free(&f->false_values);
    chuanp_ts_strlist_free(&f->missing);
    chuanp_free(f->list_delim);
    value_free(f->minimum);
    value_free(f->maximum);
    value_free(f->xminimum);
    value_free(f->xmaximum);
    pcre2_code_free(f->pattern);
    chuanp_free(f->pattern_src);
    for (size_t i = 0; i < f->nenums; i++)
        chuanp_free((char *)f->enums[i].text);
    chuanp_free(f->enums);
}

static long field_index(const chuanp_tableschema *ts, const char *name)
{
    for (size_t i = 0; i < ts->nfields; i++)
        if (strcmp(ts->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* "a" or ["a", "b"] (JSON j at ptr) -> names. */
static int name_list(compiler *c, const chuanp_jv *j, const char *ptr, char ***names, size_t *n,
                     const char *what)
{
    *names = NULL;
    *n = 0;
    size_t cnt = is_str(j) ? 1 : j && j->type == CHUANP_JARRAY ? j->u.arr.count : 0;
    if (cnt == 0) {
        cerr(c, j, ptr, "%s must be a field name or a non-empty array of names%s", what, NULL);
        return -1;
    }
    *names = chuanp_calloc(cnt, sizeof **names);
    if (!*names)
        return -1;
    for (size_t i = 0; i < cnt; i++) {
        const chuanp_jv *s = is_str(j) ? j : j->u.arr.items[i];
        if (!is_str(s)) {
            char p[300];
            snprintf(p, sizeof p, "%s/%zu", ptr, i);
            cerr(c, s, p, "%s must list field names%s", what, NULL);
            return -1;
        }
        (*names)[i] = chuanp_strdup(str(s));
        if (!(*names)[i])
            return -1;
        *n = i + 1;
    }
    return 0;
}

static void names_free(char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        chuanp_free(names[i]);
    chuanp_free(names);
}

/* The names of the list j (at ptr) as field indices of this table. */
static int resolve_fields(compiler *c, const chuanp_tableschema *ts, char **names, size_t n,
                          const chuanp_jv *j, const char *ptr, size_t **out, const char *what)
{
    *out = chuanp_calloc(n, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < n; i++) {
        long k = field_index(ts, names[i]);
        if (k < 0) {
            char p[300];
            const chuanp_jv *e = j->type == CHUANP_JARRAY ? j->u.arr.items[i] : j;
            if (j->type == CHUANP_JARRAY)
                snprintf(p, sizeof p, "%s/%zu", ptr, i);
            else
                snprintf(p, sizeof p, "%s", ptr);
            cerr(c, e, p, "%s names an unknown field '%s'", what, names[i]);
            return -1;
        }
        (*out)[i] = (size_t)k;
    }
    return 0;
}

static char *resolve_relative(const char *schema_path, const char *rel)
{
    if (rel[0] == '/')
        return chuanp_strdup(rel);
    const char *slash = strrchr(schema_path, '/');
    if (!slash)
        return chuanp_strdup(rel);
    return chuanp_asprintf("%.*s/%s", (int)(slash - schema_path), schema_path, rel);
}

/* Read the referenced CSV: the composite key of every row into a key set. */
static int load_reference(compiler *c, const chuanp_tableschema *ts, ts_fkey *fk,
                          const chuanp_jv *ref, size_t fi)
{
    const chuanp_jv *res = chuanp_json_get(ref, "resource"), *rf = chuanp_json_get(ref, "fields");
    int rc = -1;
    char *path = resolve_relative(ts->path, fk->resource);
    FILE *in = path ? fopen(path, "rb") : NULL;
    chuanp_csv_parser *p = NULL;
    size_t *cols = NULL;
    chuanp_buf key, scratch;
    chuanp_buf_init(&key, 0);
    chuanp_buf_init(&scratch, 0);
    if (!in) {
        cerr(c, res, at(c, "/foreignKeys/%zu/reference/resource", fi),
             "foreign key resource '%s' cannot be read%s", fk->resource, NULL);
        goto out;
    }
    chuanp_csv_parser_opts po = {.file = path};
    p = chuanp_csv_parser_new(in, &po);
    fk->ref = chuanp_ts_keyset_new();
    cols = chuanp_calloc(fk->nfields, sizeof *cols);
    if (!p || !fk->ref || !cols)
        goto out;
    chuanp_csv_row row;
    int r = chuanp_csv_next(p, &row, c->d);
    if (r != 1) {
        cerr(c, res, at(c, "/foreignKeys/%zu/reference/resource", fi),
             "foreign key resource '%s' has no header row%s", fk->resource, NULL);
        goto out;
    }
    for (size_t i = 0; i < fk->nfields; i++) {
        size_t k = 0;
        while (k < row.count && strcmp(row.fields[k].text, fk->ref_names[i]) != 0)
            k++;
        if (k == row.count) {
            int arr = rf->type == CHUANP_JARRAY;
            cerr(c, arr ? rf->u.arr.items[i] : rf,
                 arr ? at(c, "/foreignKeys/%zu/reference/fields/%zu", fi, i)
                     : at(c, "/foreignKeys/%zu/reference/fields", fi),
                 "foreign key resource '%s' has no column '%s'", fk->resource, fk->ref_names[i]);
            goto out;
        }
        cols[i] = k;
    }
    while ((r = chuanp_csv_next(p, &row, c->d)) != 0) {
        if (r < 0) {
            c->errors++;
            goto out;
        }
        if (r != 1)
            continue;
        chuanp_buf_reset(&key);
        for (size_t i = 0; i < fk->nfields; i++) {
            if (cols[i] >= row.count)
                break;
            const ts_field *lf = &ts->fields[fk->fields[i]];
            const chuanp_csv_field *cell = &row.fields[cols[i]];
            ts_value v;
            chuanp_buf_reset(&scratch);
            if (chuanp_ts_cast(lf, lf->type, cell->text, cell->len, &scratch, &v) != 0) {
                v.text = cell->text;
                v.len = cell->len;
            }
            chuanp_buf_append(&key, v.text, v.len);
            chuanp_buf_putc(&key, '\x1f');
        }
        if (key.err || chuanp_ts_keyset_add(fk->ref, key.data, key.len, row.record, NULL) < 0)
            goto out;
    }
    rc = 0;
out:
    chuanp_csv_parser_free(p);
    if (in)
        fclose(in);
    chuanp_free(path);
    chuanp_free(cols);
    chuanp_buf_free(&key);
    chuanp_buf_free(&scratch);
    return rc;
}

static int compile_fkey(compiler *c, chuanp_tableschema *ts, const chuanp_jv *fk, size_t i)
{
    ts_fkey *k = &ts->fks[i];
    if (fk->type != CHUANP_JOBJECT) {
        cerr(c, fk, at(c, "/foreignKeys/%zu", i), "a foreign key must be an object%s%s", NULL,
             NULL);
        return -1;
    }
    const chuanp_jv *ref = chuanp_json_get(fk, "reference");
    if (!ref || ref->type != CHUANP_JOBJECT) {
        cerr(c, ref ? ref : fk, ref ? at(c, "/foreignKeys/%zu/reference", i)
                                    : at(c, "/foreignKeys/%zu", i),
             "foreignKeys: a foreign key needs a \"reference\" object%s%s", NULL, NULL);
        return -1;
    }
    const chuanp_jv *res = chuanp_json_get(ref, "resource");
    const chuanp_jv *lf = chuanp_json_get(fk, "fields"), *rf = chuanp_json_get(ref, "fields");
    char **local = NULL;
    size_t nlocal = 0, nref = 0;
    char lptr[64], rptr[64];
    snprintf(lptr, sizeof lptr, "%s/foreignKeys/%zu/fields", c->base, i);
    snprintf(rptr, sizeof rptr, "%s/foreignKeys/%zu/reference/fields", c->base, i);
    if (name_list(c, lf ? lf : fk, lf ? lptr : at(c, "/foreignKeys/%zu", i), &local, &nlocal,
                  "foreignKeys.fields") < 0) {
        names_free(local, nlocal);
        return -1;
    }
    int bad = resolve_fields(c, ts, local, nlocal, lf, lptr, &k->fields, "foreignKeys.fields");
    names_free(local, nlocal);
    k->nfields = nlocal;
    if (bad < 0)
        return -1;
    int rbad = name_list(c, rf ? rf : ref, rf ? rptr : at(c, "/foreignKeys/%zu/reference", i),
                         &k->ref_names, &nref, "foreignKeys.reference.fields");
    k->nref = nref;
    if (rbad < 0)
        return -1;
    if (nref != nlocal) {
        cerr(c, rf, rptr, "foreignKeys: fields and reference.fields differ in length%s%s", NULL,
             NULL);
        return -1;
    }
    if (res && !is_str(res)) {
        cerr(c, res, at(c, "/foreignKeys/%zu/reference/resource", i),
             "foreignKeys: reference.resource must be a string%s%s", NULL, NULL);
        return -1;
    }
    k->resource = chuanp_strdup(is_str(res) ? str(res) : "");
    if (!k->resource)
        return -1;
    if (k->resource[0] != '\0')
        return load_reference(c, ts, k, ref, i);
    /* self-reference: fields of this table */
    for (size_t j = 0; j < nref; j++)
        if (field_index(ts, k->ref_names[j]) < 0) {
            int arr = rf->type == CHUANP_JARRAY;
            cerr(c, arr ? rf->u.arr.items[j] : rf,
                 arr ? at(c, "/foreignKeys/%zu/reference/fields/%zu", i, j) : rptr,
                 "foreignKeys.reference.fields names an unknown field '%s'%s", k->ref_names[j],
                 NULL);
            return -1;
        }
    return 0;
}

static int compile_fkeys(compiler *c, chuanp_tableschema *ts, const chuanp_jv *arr)
{
    if (arr->type != CHUANP_JARRAY) {
        cerr(c, arr, at(c, "/foreignKeys"), "foreignKeys must be an array%s%s", NULL, NULL);
        return -1;
    }
    size_t n = arr->u.arr.count;
    ts->fks = chuanp_calloc(n ? n : 1, sizeof *ts->fks);
    if (!ts->fks)
        return -1;
    for (size_t i = 0; i < n; i++) {
        ts->nfks = i + 1;
        if (compile_fkey(c, ts, arr->u.arr.items[i], i) < 0)
            return -1;
    }
    return 0;
}

/* One character of the dialect (delimiter, quoteChar). */
static int dialect_char(compiler *c, const chuanp_jv *dl, const char *dptr, const char *key,
                        char *out)
{
    const chuanp_jv *j = chuanp_json_get(dl, key);
    if (!j)
        return 0;
    if (!is_str(j) || j->u.str.len != 1) {
        char p[300];
        snprintf(p, sizeof p, "%s/%s", dptr, key);
        cerr(c, j, p, "dialect.%s must be one character%s", key, NULL);
        return -1;
    }
    *out = str(j)[0];
    return 0;
}

static int compile_dialect(compiler *c, chuanp_tableschema *ts, const chuanp_jv *dl,
                           const char *dptr)
{
    ts->header = 1;
    ts->quote = '"';
    if (!dl)
        return 0;
    if (dl->type != CHUANP_JOBJECT) {
        cerr(c, dl, dptr, "dialect must be an object%s%s", NULL, NULL);
        return -1;
    }
    if (dialect_char(c, dl, dptr, "delimiter", &ts->delimiter) < 0 ||
        dialect_char(c, dl, dptr, "quoteChar", &ts->quote) < 0)
        return -1;
    const chuanp_jv *j = chuanp_json_get(dl, "header");
    if (is_bool(j))
        ts->header = is_true(j);
    return 0;
}

/* The schema's fields, each compiled, no two with one name. */
static int compile_fields(compiler *c, chuanp_tableschema *ts, const chuanp_jv *fields,
                          const ts_strlist *schema_missing)
{
    ts->nfields = fields->u.arr.count;
    ts->fields = chuanp_calloc(ts->nfields ? ts->nfields : 1, sizeof *ts->fields);
    if (!ts->fields)
        return -1;
    for (size_t i = 0; i < ts->nfields; i++)
        if (compile_field(c, &ts->fields[i], fields->u.arr.items[i], i, schema_missing) < 0)
            return -1;
    for (size_t i = 0; i < ts->nfields; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ts->fields[i].name, ts->fields[j].name) == 0) {
                char first[32];
                snprintf(first, sizeof first, "%zu", j);
                cerr(c, chuanp_json_get(fields->u.arr.items[i], "name"),
                     at(c, "/fields/%zu/name", i), "two fields are named '%s' (the first is "
                     "/fields/%s)", ts->fields[i].name, first);
                return -1;
            }
    return 0;
}

static int compile_fields_match(compiler *c, chuanp_tableschema *ts, const chuanp_jv *fm)
{
    static const char *const modes[] = {"exact", "equal", "subset", "superset", "partial"};
    for (int k = 0; k < 5; k++)
        if (is_str(fm) && strcmp(str(fm), modes[k]) == 0) {
            ts->fields_match = k;
            return 0;
        }
    cerr(c, fm, at(c, "/fieldsMatch"),
         "fieldsMatch must be exact, equal, subset, superset or partial%s%s", NULL, NULL);
    return -1;
}

/* Compile the parsed descriptor root into ts. */
static int compile_root(compiler *c, chuanp_tableschema *ts, const chuanp_jv *root)
{
    int rc = -1;
    ts_strlist schema_missing = {0};
    char **pk = NULL;
    size_t npk = 0;
    const chuanp_jv *schema = root;
    const chuanp_jv *inner = chuanp_json_get(root, "schema");
    if (inner && inner->type == CHUANP_JOBJECT) { /* a Data Package resource */
        schema = inner;
        c->base = "/schema";
    }
    c->root = schema;
    const chuanp_jv *fields = chuanp_json_get(schema, "fields");
    if (!fields || fields->type != CHUANP_JARRAY) {
        cerr(c, fields ? fields : schema, fields ? at(c, "/fields") : at(c, "%s", ""),
             "a Table Schema needs a \"fields\" array%s%s", NULL, NULL);
        goto out;
    }
    static const char *const empty_only[] = {"", NULL};
    const chuanp_jv *mv = chuanp_json_get(schema, "missingValues");
    if ((mv ? strlist_from(c, mv, at(c, "/missingValues"), &schema_missing, "missingValues",
                           "(schema)")
            : strlist_default(&schema_missing, empty_only)) < 0)
        goto out;
    if (compile_fields(c, ts, fields, &schema_missing) < 0)
        goto out;
    const chuanp_jv *pkj = chuanp_json_get(schema, "primaryKey");
    if (pkj) {
        char pptr[64];
        snprintf(pptr, sizeof pptr, "%s/primaryKey", c->base);
        if (name_list(c, pkj, pptr, &pk, &npk, "primaryKey") < 0 ||
            resolve_fields(c, ts, pk, npk, pkj, pptr, &ts->pk, "primaryKey") < 0)
            goto out;
        ts->npk = npk;
    }
    const chuanp_jv *fks = chuanp_json_get(schema, "foreignKeys");
    if (fks && compile_fkeys(c, ts, fks) < 0)
        goto out;
    const chuanp_jv *fm = chuanp_json_get(schema, "fieldsMatch");
    if (fm && compile_fields_match(c, ts, fm) < 0)
        goto out;
    const chuanp_jv *dl = chuanp_json_get(root, "dialect");
    const char *dptr = "/dialect";
    if (!dl) {
        dl = chuanp_json_get(schema, "dialect");
        dptr = at(c, "/dialect");
    }
    if (compile_dialect(c, ts, dl, dptr) < 0)
        goto out;
    rc = c->errors ? -1 : 0;
out:
    names_free(pk, npk);
    chuanp_ts_strlist_free(&schema_missing);
    return rc;
}

static int load(chuanp_tableschema **out, const char *path, chuan_diags *d)
{
    int rc = -1;
    compiler c = {.path = path, .d = d, .base = ""};
    char *data = NULL, *why = NULL;
    size_t len = 0;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    *out = NULL;
    chuanp_tableschema *ts = chuanp_calloc(1, sizeof *ts);
    if (!ts || !(ts->path = chuanp_strdup(path)))
        goto out;
    /* a regular file only: a FIFO or a device never blocks the compile */
    if (chuanp_confine_read(NULL, path, DESCRIPTOR_MAX_BYTES, &data, &len, &why) != 0) {
        cerr(&c, NULL, NULL, "cannot read the Table Schema: %s%s", why ? why : "error", NULL);
        goto out;
    }
    chuanp_json_opts jo = {.allow_bom = 1, .file = path};
    chuanp_jv *root = NULL;
    chuan_diags pd;
    chuan_diags_init(&pd, 20);
    int pr = chuanp_json_parse(&root, data, len, &jo, &arena, &pd);
    for (size_t i = 0; pr > 0 && i < pd.count; i++) { /* syntax, UTF-8, depth, duplicate key */
        chuan_diag dg = pd.items[i];
        dg.code = "tableschema.schema";
        dg.message_vi = NULL;
        chuan_diags_addf(d, &dg, "cannot read the Table Schema: %s", pd.items[i].message);
        c.errors++;
    }
    chuan_diags_clear(&pd);
    if (pr != 0)
        goto out;
    if (root->type != CHUANP_JOBJECT) {
        cerr(&c, root, NULL, "a Table Schema must be a JSON object, not %s%s",
             chuanp_jtype_name((chuanp_jtype)root->type), NULL);
        goto out;
    }
    rc = compile_root(&c, ts, root);
out:
    if (rc < 0 && c.errors == 0 && d->count == 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .file = path,
                         .offset = -1, .message = "out of memory"};
        chuan_diags_add(d, &dg);
    }
    chuanp_free(data);
    chuanp_free(why);
    chuanp_arena_free(&arena);
    if (rc < 0) {
        chuanp_tableschema_free(ts);
        return -1;
    }
    *out = ts;
    return 0;
}

void chuanp_tableschema_free(chuanp_tableschema *ts)
{
    if (!ts)
        return;
    for (size_t i = 0; ts->fields && i < ts->nfields; i++)
        field_free(&ts->fields[i]);
    chuanp_free(ts->fields);
    chuanp_free(ts->pk);
    for (size_t i = 0; ts->fks && i < ts->nfks; i++) {
        chuanp_free(ts->fks[i].fields);
        chuanp_free(ts->fks[i].resource);
        names_free(ts->fks[i].ref_names, ts->fks[i].nref);
        chuanp_ts_keyset_free(ts->fks[i].ref);
    }
    chuanp_free(ts->fks);
    chuanp_free(ts->path);
    chuanp_free(ts);
}

/* Anything that went wrong during the compile fails it (issue 11). */
int chuanp_tableschema_load(chuanp_tableschema **out, const char *path, chuan_diags *d)
{
    chuanp_compile_guard g;
    chuanp_compile_guard_begin(&g);
    int rc = load(out, path, d);
    if (chuanp_compile_guard_check(&g, rc, d, path) != 0 && rc >= 0) {
        chuanp_tableschema_free(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}
