/* validator/tableschema_field.c - compile one field of a Table Schema descriptor: type,
 * format, number and boolean options, missing values, constraints (cast to the field's type). */
#include "tableschema_desc.h"

#include <stdlib.h>
#include <string.h>

/* An array of strings (or of {"value": ...} objects, Table Schema v2) at ptr. */
int chuanp_ts_strlist_from(chuanp_ts_compiler *c, const chuanp_jv *arr, const char *ptr,
                           ts_strlist *out, const char *what, const char *field)
{
    memset(out, 0, sizeof *out);
    if (!arr || arr->type != CHUANP_JARRAY) {
        chuanp_ts_cerr(c, arr, ptr, "field '%s': %s must be an array of strings", field, what);
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
            chuanp_ts_cerr(c, it, p, "field '%s': %s must be an array of strings", field, what);
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

int chuanp_ts_strlist_default(ts_strlist *out, const char *const *vals)
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
static ts_value *constraint_value(chuanp_ts_compiler *c, const ts_field *f, const chuanp_jv *j,
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
        chuanp_ts_cerr(c, j, ptr, "field '%s': %s has a value of the wrong JSON type", f->name,
                       what);
        goto out;
    }
    if (scratch.err)
        goto out;
    if (bad) {
        chuanp_ts_cerr(c, j, ptr, "field '%s': %s is not a valid value of the field's type",
                       f->name, what);
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

static int compile_pattern(chuanp_ts_compiler *c, ts_field *f, const chuanp_jv *pv, const char *ptr)
{
    int ec;
    PCRE2_SIZE eo;
    f->pattern = pcre2_compile((PCRE2_SPTR)pv->u.str.text, pv->u.str.len,
                               PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &eo, NULL);
    if (!f->pattern) {
        PCRE2_UCHAR msg[256];
        chuanp_pcre2_error(ec, (char *)msg, sizeof msg);
        chuanp_ts_cerr(c, pv, ptr, "field '%s': pattern does not compile: %s", f->name,
                       (const char *)msg);
        return -1;
    }
    pcre2_jit_compile(f->pattern, PCRE2_JIT_COMPLETE); /* optional speed-up */
    f->pattern_src = chuanp_strndup(pv->u.str.text, pv->u.str.len);
    return 0;
}

static const char *const default_true[] = {"true", "True", "TRUE", "1", NULL};
static const char *const default_false[] = {"false", "False", "FALSE", "0", NULL};

/* A non-negative integer constraint (minLength, maxLength) into *out. */
static int length_constraint(chuanp_ts_compiler *c, const ts_field *f, const chuanp_jv *j,
                             const char *ptr, const char *what, long *out)
{
    if (j->type != CHUANP_JNUMBER || !(j->flags & CHUANP_JNUM_INT) || j->u.str.text[0] == '-' ||
        j->u.str.len > 18) {
        chuanp_ts_cerr(c, j, ptr, "field '%s': %s must be a non-negative integer", f->name, what);
        return -1;
    }
    long v = 0;
    for (size_t i = 0; i < j->u.str.len; i++)
        v = v * 10 + (j->u.str.text[i] - '0');
    *out = v;
    return 0;
}

static int compile_constraints(chuanp_ts_compiler *c, ts_field *f, const chuanp_jv *cons, size_t fi)
{
    if (cons->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(c, cons, chuanp_ts_at(c, "/fields/%zu/constraints", fi),
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
            chuanp_ts_cerr(c, j, chuanp_ts_at(c, "/fields/%zu/constraints/%s", fi, flags[k]),
                           "field '%s': %s must be true or false", f->name, flags[k]);
            return -1;
        }
        *fslots[k] = is_true(j);
    }
    if ((j = chuanp_json_get(cons, "minLength")) != NULL &&
        length_constraint(c, f, j, chuanp_ts_at(c, "/fields/%zu/constraints/minLength", fi),
                          "minLength", &f->min_length) < 0)
        return -1;
    if ((j = chuanp_json_get(cons, "maxLength")) != NULL &&
        length_constraint(c, f, j, chuanp_ts_at(c, "/fields/%zu/constraints/maxLength", fi),
                          "maxLength", &f->max_length) < 0)
        return -1;
    static const char *const bounds[] = {"minimum", "maximum", "exclusiveMinimum",
                                         "exclusiveMaximum"};
    ts_value **slots[] = {&f->minimum, &f->maximum, &f->xminimum, &f->xmaximum};
    for (int k = 0; k < 4; k++) {
        if ((j = chuanp_json_get(cons, bounds[k])) == NULL)
            continue;
        const char *ptr = chuanp_ts_at(c, "/fields/%zu/constraints/%s", fi, bounds[k]);
        if (f->type == TS_DURATION || f->type == TS_STRING || f->type == TS_BOOLEAN ||
            f->type == TS_OBJECT || f->type == TS_ARRAY || f->type == TS_LIST ||
            f->type == TS_GEOPOINT || f->type == TS_ANY) {
            chuanp_ts_cerr(c, j, ptr, "field '%s': %s is not supported for this type", f->name,
                           bounds[k]);
            return -1;
        }
        *slots[k] = constraint_value(c, f, j, ptr, bounds[k]);
        if (!*slots[k])
            return -1;
    }
    if ((j = chuanp_json_get(cons, "pattern")) != NULL) {
        const char *ptr = chuanp_ts_at(c, "/fields/%zu/constraints/pattern", fi);
        if (!is_str(j)) {
            chuanp_ts_cerr(c, j, ptr, "field '%s': pattern must be a string%s", f->name, NULL);
            return -1;
        }
        if (compile_pattern(c, f, j, ptr) < 0)
            return -1;
    }
    if ((j = chuanp_json_get(cons, "enum")) != NULL) {
        if (j->type != CHUANP_JARRAY) {
            chuanp_ts_cerr(c, j, chuanp_ts_at(c, "/fields/%zu/constraints/enum", fi),
                           "field '%s': enum must be an array%s", f->name, NULL);
            return -1;
        }
        size_t n = j->u.arr.count;
        f->enums = chuanp_calloc(n ? n : 1, sizeof *f->enums);
        if (!f->enums)
            return -1;
        for (size_t i = 0; i < n; i++) {
            ts_value *v = constraint_value(
                c, f, j->u.arr.items[i], chuanp_ts_at(c, "/fields/%zu/constraints/enum/%zu", fi, i),
                "enum");
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
static int compile_format(chuanp_ts_compiler *c, ts_field *f, const chuanp_jv *fmt, size_t fi)
{
    f->format = chuanp_strdup(fmt->u.str.text);
    if (!f->format)
        return -1;
    if (strcmp(f->format, "default") == 0 || strcmp(f->format, "any") == 0)
        return 0;
    if ((f->type == TS_DATE || f->type == TS_TIME || f->type == TS_DATETIME) &&
        !chuanp_ts_format_ok(f->format)) {
        chuanp_ts_cerr(c, fmt, chuanp_ts_at(c, "/fields/%zu/format", fi),
                       "field '%s': unsupported date/time format '%s' (directives: %%Y %%y %%m %%d "
                       "%%b %%B %%H %%M %%S %%f %%z %%%%)",
                       f->name, f->format);
        return -1;
    }
    if (f->type == TS_DATE && strstr(f->format, "%Y") == NULL && strstr(f->format, "%y") == NULL) {
        chuanp_ts_cerr(c, fmt, chuanp_ts_at(c, "/fields/%zu/format", fi),
                       "field '%s': date format '%s' has no year", f->name, f->format);
        return -1;
    }
    return 0;
}

int chuanp_ts_compile_field(chuanp_ts_compiler *c, ts_field *f, const chuanp_jv *jf, size_t fi,
                            const ts_strlist *schema_missing)
{
    if (jf->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(c, jf, chuanp_ts_at(c, "/fields/%zu", fi), "a field must be an object%s%s",
                       NULL, NULL);
        return -1;
    }
    const chuanp_jv *name = chuanp_json_get(jf, "name");
    if (!is_str(name)) {
        chuanp_ts_cerr(c, name ? name : jf,
                       chuanp_ts_at(c, name ? "/fields/%zu/name" : "/fields/%zu", fi),
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
        chuanp_ts_cerr(c, type, chuanp_ts_at(c, "/fields/%zu/type", fi),
                       is_str(type) ? N_("field '%s': unknown type '%s'")
                                    : N_("field '%s': type must be a string%s"),
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
        chuanp_ts_cerr(c, dc, chuanp_ts_at(c, "/fields/%zu/decimalChar", fi),
                       "field '%s': decimalChar must be one character%s", f->name, NULL);
        return -1;
    }
    const chuanp_jv *gc = chuanp_json_get(jf, "groupChar");
    if (is_str(gc) && gc->u.str.len > 0 && !(f->group_char = chuanp_strdup(str(gc))))
        return -1;
    const chuanp_jv *bn = chuanp_json_get(jf, "bareNumber");
    if (is_bool(bn))
        f->bare_number = is_true(bn);
    const chuanp_jv *tv = chuanp_json_get(jf, "trueValues"),
                    *fv = chuanp_json_get(jf, "falseValues");
    if ((tv ? chuanp_ts_strlist_from(c, tv, chuanp_ts_at(c, "/fields/%zu/trueValues", fi),
                                     &f->true_values, "trueValues", f->name)
            : chuanp_ts_strlist_default(&f->true_values, default_true)) < 0)
        return -1;
    if ((fv ? chuanp_ts_strlist_from(c, fv, chuanp_ts_at(c, "/fields/%zu/falseValues", fi),
                                     &f->false_values, "falseValues", f->name)
            : chuanp_ts_strlist_default(&f->false_values, default_false)) < 0)
        return -1;
    const chuanp_jv *mv = chuanp_json_get(jf, "missingValues");
    if ((mv ? chuanp_ts_strlist_from(c, mv, chuanp_ts_at(c, "/fields/%zu/missingValues", fi),
                                     &f->missing, "missingValues", f->name)
            : strlist_copy(&f->missing, schema_missing)) < 0)
        return -1;
    f->item_type = TS_STRING;
    const chuanp_jv *it = chuanp_json_get(jf, "itemType");
    if (is_str(it)) {
        int k = chuanp_ts_type_parse(str(it));
        if (k < 0 || k == TS_LIST || k == TS_OBJECT || k == TS_ARRAY) {
            chuanp_ts_cerr(c, it, chuanp_ts_at(c, "/fields/%zu/itemType", fi),
                           "field '%s': unsupported itemType '%s'", f->name, str(it));
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

void chuanp_ts_field_free(ts_field *f)
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
