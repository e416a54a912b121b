/* validator/tableschema_compile.c - read a Table Schema descriptor (jansson) into a compiled,
 * read-only chuanp_tableschema; load foreign-key code lists. */
#include "tableschema_int.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

typedef struct compiler {
    const char *path;
    chuan_diags *d;
    int errors;
} compiler;

static void cerr(compiler *c, const char *fmt, const char *a, const char *b)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .file = c->path,
                     .offset = -1};
    chuan_diags_addf(c->d, &dg, fmt, a ? a : "", b ? b : "");
    c->errors++;
}

static int strlist_from(compiler *c, json_t *arr, ts_strlist *out, const char *what,
                        const char *field)
{
    memset(out, 0, sizeof *out);
    if (!json_is_array(arr)) {
        cerr(c, "field '%s': %s must be an array of strings", field, what);
        return -1;
    }
    size_t n = json_array_size(arr);
    out->items = chuanp_calloc(n ? n : 1, sizeof *out->items);
    out->lens = chuanp_calloc(n ? n : 1, sizeof *out->lens);
    if (!out->items || !out->lens)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *it = json_array_get(arr, i);
        if (json_is_object(it)) /* v2: {"value": "...", "label": "..."} */
            it = json_object_get(it, "value");
        if (!json_is_string(it)) {
            cerr(c, "field '%s': %s must be an array of strings", field, what);
            return -1;
        }
        out->items[i] = chuanp_strndup(json_string_value(it), json_string_length(it));
        if (!out->items[i])
            return -1;
        out->lens[i] = json_string_length(it);
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

/* A constraint value (JSON) as a cast value of the field's type. */
static ts_value *constraint_value(compiler *c, const ts_field *f, json_t *j, const char *what)
{
    chuanp_buf text, scratch;
    chuanp_buf_init(&text, 0);
    chuanp_buf_init(&scratch, 0);
    ts_value v, *res = NULL;
    ts_field plain = *f;
    if (json_is_integer(j)) {
        chuanp_buf_printf(&text, "%lld", (long long)json_integer_value(j));
        plain.decimal_char = '.';
        plain.group_char = NULL;
        plain.bare_number = 1;
    } else if (json_is_real(j)) {
        chuanp_buf_printf(&text, "%.17g", json_real_value(j));
        plain.decimal_char = '.';
        plain.group_char = NULL;
        plain.bare_number = 1;
    } else if (json_is_string(j)) {
        chuanp_buf_append(&text, json_string_value(j), json_string_length(j));
    } else if (json_is_boolean(j) && f->type == TS_BOOLEAN) {
        res = chuanp_calloc(1, sizeof *res);
        if (res) {
            res->type = TS_BOOLEAN;
            res->boolean = json_is_true(j);
            res->text = chuanp_strdup(json_is_true(j) ? "true" : "false");
            res->len = strlen(res->text ? res->text : "");
        }
        goto out;
    } else {
        cerr(c, "field '%s': %s has a value of the wrong JSON type", f->name, what);
        goto out;
    }
    if (text.err)
        goto out;
    int bad = chuanp_ts_cast(&plain, f->type, text.data, text.len, &scratch, &v);
    if (bad && f->format) { /* constraint written in ISO form while the data has a pattern */
        plain.format = NULL;
        bad = chuanp_ts_cast(&plain, f->type, text.data, text.len, &scratch, &v);
    }
    if (bad) {
        cerr(c, "field '%s': %s is not a valid value of the field's type", f->name, what);
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
    chuanp_buf_free(&text);
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

static int compile_pattern(compiler *c, ts_field *f, const char *pat)
{
    int ec;
    PCRE2_SIZE eo;
    f->pattern = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
                               PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &ec, &eo, NULL);
    if (!f->pattern) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        cerr(c, "field '%s': pattern does not compile: %s", f->name, (const char *)msg);
        return -1;
    }
    pcre2_jit_compile(f->pattern, PCRE2_JIT_COMPLETE); /* optional speed-up */
    f->pattern_src = chuanp_strdup(pat);
    return 0;
}

static const char *const default_true[] = {"true", "True", "TRUE", "1", NULL};
static const char *const default_false[] = {"false", "False", "FALSE", "0", NULL};

static int compile_field(compiler *c, ts_field *f, json_t *jf, const ts_strlist *schema_missing)
{
    json_t *name = json_object_get(jf, "name");
    if (!json_is_string(name)) {
        cerr(c, "every field needs a string \"name\"%s%s", NULL, NULL);
        return -1;
    }
    f->name = chuanp_strdup(json_string_value(name));
    f->min_length = f->max_length = -1;
    f->bare_number = 1;
    f->decimal_char = '.';
    if (!f->name)
        return -1;
    json_t *type = json_object_get(jf, "type");
    int t = type ? (json_is_string(type) ? chuanp_ts_type_parse(json_string_value(type)) : -1)
                 : TS_STRING;
    if (t < 0) {
        cerr(c, "field '%s': unknown type '%s'", f->name,
             json_is_string(type) ? json_string_value(type) : "?");
        return -1;
    }
    f->type = (ts_type)t;
    json_t *fmt = json_object_get(jf, "format");
    if (json_is_string(fmt)) {
        f->format = chuanp_strdup(json_string_value(fmt));
        if (!f->format)
            return -1;
        if ((f->type == TS_DATE || f->type == TS_TIME || f->type == TS_DATETIME) &&
            strcmp(f->format, "default") != 0 && strcmp(f->format, "any") != 0 &&
            !chuanp_ts_format_ok(f->format)) {
            cerr(c, "field '%s': unsupported date/time format '%s' (directives: %%Y %%y %%m %%d "
                    "%%b %%B %%H %%M %%S %%f %%z %%%%)", f->name, f->format);
            return -1;
        }
        if (f->type == TS_DATE && strcmp(f->format, "default") != 0 &&
            strcmp(f->format, "any") != 0 && strstr(f->format, "%Y") == NULL &&
            strstr(f->format, "%y") == NULL) {
            cerr(c, "field '%s': date format '%s' has no year", f->name, f->format);
            return -1;
        }
    }
    json_t *dc = json_object_get(jf, "decimalChar");
    if (json_is_string(dc) && json_string_length(dc) == 1)
        f->decimal_char = json_string_value(dc)[0];
    else if (dc) {
        cerr(c, "field '%s': decimalChar must be one character%s", f->name, NULL);
        return -1;
    }
    json_t *gc = json_object_get(jf, "groupChar");
    if (json_is_string(gc) && json_string_length(gc) > 0) {
        f->group_char = chuanp_strdup(json_string_value(gc));
        if (!f->group_char)
            return -1;
    }
    json_t *bn = json_object_get(jf, "bareNumber");
    if (json_is_boolean(bn))
        f->bare_number = json_is_true(bn);
    json_t *tv = json_object_get(jf, "trueValues"), *fv = json_object_get(jf, "falseValues");
    if ((tv ? strlist_from(c, tv, &f->true_values, "trueValues", f->name)
            : strlist_default(&f->true_values, default_true)) < 0)
        return -1;
    if ((fv ? strlist_from(c, fv, &f->false_values, "falseValues", f->name)
            : strlist_default(&f->false_values, default_false)) < 0)
        return -1;
    json_t *mv = json_object_get(jf, "missingValues");
    if ((mv ? strlist_from(c, mv, &f->missing, "missingValues", f->name)
            : strlist_copy(&f->missing, schema_missing)) < 0)
        return -1;
    f->item_type = TS_STRING;
    json_t *it = json_object_get(jf, "itemType");
    if (json_is_string(it)) {
        int k = chuanp_ts_type_parse(json_string_value(it));
        if (k < 0 || k == TS_LIST || k == TS_OBJECT || k == TS_ARRAY) {
            cerr(c, "field '%s': unsupported itemType '%s'", f->name, json_string_value(it));
            return -1;
        }
        f->item_type = (ts_type)k;
    }
    json_t *ld = json_object_get(jf, "delimiter");
    if (json_is_string(ld) && json_string_length(ld) > 0)
        f->list_delim = chuanp_strdup(json_string_value(ld));

    json_t *cons = json_object_get(jf, "constraints");
    if (!cons)
        return 0;
    if (!json_is_object(cons)) {
        cerr(c, "field '%s': constraints must be an object%s", f->name, NULL);
        return -1;
    }
    f->required = json_is_true(json_object_get(cons, "required"));
    f->unique = json_is_true(json_object_get(cons, "unique"));
    json_t *j;
    if ((j = json_object_get(cons, "minLength")) != NULL)
        f->min_length = json_is_integer(j) ? (long)json_integer_value(j) : -1;
    if ((j = json_object_get(cons, "maxLength")) != NULL)
        f->max_length = json_is_integer(j) ? (long)json_integer_value(j) : -1;
    static const char *const bounds[] = {"minimum", "maximum", "exclusiveMinimum",
                                         "exclusiveMaximum"};
    ts_value **slots[] = {&f->minimum, &f->maximum, &f->xminimum, &f->xmaximum};
    for (int k = 0; k < 4; k++) {
        if ((j = json_object_get(cons, bounds[k])) == NULL)
            continue;
        if (f->type == TS_DURATION || f->type == TS_STRING || f->type == TS_BOOLEAN ||
            f->type == TS_OBJECT || f->type == TS_ARRAY || f->type == TS_LIST ||
            f->type == TS_GEOPOINT || f->type == TS_ANY) {
            cerr(c, "field '%s': %s is not supported for this type", f->name, bounds[k]);
            return -1;
        }
        *slots[k] = constraint_value(c, f, j, bounds[k]);
        if (!*slots[k])
            return -1;
    }
    if ((j = json_object_get(cons, "pattern")) != NULL) {
        if (!json_is_string(j)) {
            cerr(c, "field '%s': pattern must be a string%s", f->name, NULL);
            return -1;
        }
        if (compile_pattern(c, f, json_string_value(j)) < 0)
            return -1;
    }
    if ((j = json_object_get(cons, "enum")) != NULL) {
        if (!json_is_array(j)) {
            cerr(c, "field '%s': enum must be an array%s", f->name, NULL);
            return -1;
        }
        size_t n = json_array_size(j);
        f->enums = chuanp_calloc(n ? n : 1, sizeof *f->enums);
        if (!f->enums)
            return -1;
        for (size_t i = 0; i < n; i++) {
            ts_value *v = constraint_value(c, f, json_array_get(j, i), "enum");
            if (!v)
                return -1;
            f->enums[i] = *v;
            chuanp_free(v);
            f->nenums = i + 1;
        }
    }
    return 0;
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

/* "a" or ["a", "b"] -> field indices (local fields) or names. */
static int name_list(compiler *c, json_t *j, char ***names, size_t *n, const char *what)
{
    *names = NULL;
    *n = 0;
    size_t cnt = json_is_string(j) ? 1 : json_is_array(j) ? json_array_size(j) : 0;
    if (cnt == 0) {
        cerr(c, "%s must be a field name or a non-empty array of names%s", what, NULL);
        return -1;
    }
    *names = chuanp_calloc(cnt, sizeof **names);
    if (!*names)
        return -1;
    for (size_t i = 0; i < cnt; i++) {
        json_t *s = json_is_string(j) ? j : json_array_get(j, i);
        if (!json_is_string(s)) {
            cerr(c, "%s must list field names%s", what, NULL);
            return -1;
        }
        (*names)[i] = chuanp_strdup(json_string_value(s));
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

static int resolve_fields(compiler *c, const chuanp_tableschema *ts, char **names, size_t n,
                          size_t **out, const char *what)
{
    *out = chuanp_calloc(n, sizeof **out);
    if (!*out)
        return -1;
    for (size_t i = 0; i < n; i++) {
        long k = field_index(ts, names[i]);
        if (k < 0) {
            cerr(c, "%s names an unknown field '%s'", what, names[i]);
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
static int load_reference(compiler *c, const chuanp_tableschema *ts, ts_fkey *fk)
{
    int rc = -1;
    char *path = resolve_relative(ts->path, fk->resource);
    FILE *in = path ? fopen(path, "rb") : NULL;
    chuanp_csv_parser *p = NULL;
    size_t *cols = NULL;
    chuanp_buf key, scratch;
    chuanp_buf_init(&key, 0);
    chuanp_buf_init(&scratch, 0);
    if (!in) {
        cerr(c, "foreign key resource '%s' cannot be read%s", fk->resource, NULL);
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
        cerr(c, "foreign key resource '%s' has no header row%s", fk->resource, NULL);
        goto out;
    }
    for (size_t i = 0; i < fk->nfields; i++) {
        size_t k = 0;
        while (k < row.count && strcmp(row.fields[k].text, fk->ref_names[i]) != 0)
            k++;
        if (k == row.count) {
            cerr(c, "foreign key resource '%s' has no column '%s'", fk->resource,
                 fk->ref_names[i]);
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

static int compile_fkeys(compiler *c, chuanp_tableschema *ts, json_t *arr)
{
    if (!json_is_array(arr)) {
        cerr(c, "foreignKeys must be an array%s%s", NULL, NULL);
        return -1;
    }
    size_t n = json_array_size(arr);
    ts->fks = chuanp_calloc(n ? n : 1, sizeof *ts->fks);
    if (!ts->fks)
        return -1;
    for (size_t i = 0; i < n; i++) {
        json_t *fk = json_array_get(arr, i);
        ts_fkey *k = &ts->fks[i];
        ts->nfks = i + 1;
        json_t *ref = json_object_get(fk, "reference");
        json_t *res = json_object_get(ref, "resource");
        char **local = NULL;
        size_t nlocal = 0, nref = 0;
        if (name_list(c, json_object_get(fk, "fields"), &local, &nlocal, "foreignKeys.fields") < 0)
            return -1;
        int bad = resolve_fields(c, ts, local, nlocal, &k->fields, "foreignKeys.fields");
        names_free(local, nlocal);
        k->nfields = nlocal;
        if (bad < 0)
            return -1;
        int rbad = name_list(c, json_object_get(ref, "fields"), &k->ref_names, &nref,
                             "foreignKeys.reference.fields");
        k->nref = nref;
        if (rbad < 0)
            return -1;
        if (nref != nlocal) {
            cerr(c, "foreignKeys: fields and reference.fields differ in length%s%s", NULL, NULL);
            return -1;
        }
        k->resource = chuanp_strdup(json_is_string(res) ? json_string_value(res) : "");
        if (!k->resource)
            return -1;
        if (k->resource[0] == '\0') { /* self-reference: fields of this table */
            for (size_t j = 0; j < nref; j++)
                if (field_index(ts, k->ref_names[j]) < 0) {
                    cerr(c, "foreignKeys.reference.fields names an unknown field '%s'%s",
                         k->ref_names[j], NULL);
                    return -1;
                }
            continue;
        }
        if (load_reference(c, ts, k) < 0)
            return -1;
    }
    return 0;
}

static int compile_dialect(compiler *c, chuanp_tableschema *ts, json_t *dl)
{
    ts->header = 1;
    ts->quote = '"';
    if (!dl)
        return 0;
    json_t *j = json_object_get(dl, "delimiter");
    if (j) {
        if (!json_is_string(j) || json_string_length(j) != 1) {
            cerr(c, "dialect.delimiter must be one character%s%s", NULL, NULL);
            return -1;
        }
        ts->delimiter = json_string_value(j)[0];
    }
    j = json_object_get(dl, "quoteChar");
    if (j) {
        if (!json_is_string(j) || json_string_length(j) != 1) {
            cerr(c, "dialect.quoteChar must be one character%s%s", NULL, NULL);
            return -1;
        }
        ts->quote = json_string_value(j)[0];
    }
    j = json_object_get(dl, "header");
    if (json_is_boolean(j))
        ts->header = json_is_true(j);
    return 0;
}

static int load(chuanp_tableschema **out, const char *path, chuan_diags *d)
{
    int rc = -1;
    compiler c = {.path = path, .d = d};
    json_error_t je;
    ts_strlist schema_missing = {0};
    char **pk = NULL;
    size_t npk = 0;
    *out = NULL;
    chuanp_tableschema *ts = chuanp_calloc(1, sizeof *ts);
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
    if (!ts)
        goto out;
    ts->path = chuanp_strdup(path);
    if (!ts->path)
        goto out;
    if (!root) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .file = path,
                         .line = je.line > 0 ? je.line : 0, .column = je.column > 0 ? je.column : 0,
                         .offset = je.position};
        chuan_diags_addf(d, &dg, "cannot read the Table Schema: %s", je.text);
        goto out;
    }
    json_t *schema = json_is_object(json_object_get(root, "schema")) ? json_object_get(root, "schema")
                                                                     : root;
    json_t *fields = json_object_get(schema, "fields");
    if (!json_is_array(fields)) {
        cerr(&c, "a Table Schema needs a \"fields\" array%s%s", NULL, NULL);
        goto out;
    }
    static const char *const empty_only[] = {"", NULL};
    json_t *mv = json_object_get(schema, "missingValues");
    if ((mv ? strlist_from(&c, mv, &schema_missing, "missingValues", "(schema)")
            : strlist_default(&schema_missing, empty_only)) < 0)
        goto out;
    ts->nfields = json_array_size(fields);
    ts->fields = chuanp_calloc(ts->nfields ? ts->nfields : 1, sizeof *ts->fields);
    if (!ts->fields)
        goto out;
    for (size_t i = 0; i < ts->nfields; i++)
        if (compile_field(&c, &ts->fields[i], json_array_get(fields, i), &schema_missing) < 0)
            goto out;
    for (size_t i = 0; i < ts->nfields; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ts->fields[i].name, ts->fields[j].name) == 0) {
                cerr(&c, "two fields are named '%s'%s", ts->fields[i].name, NULL);
                goto out;
            }
    json_t *pkj = json_object_get(schema, "primaryKey");
    if (pkj) {
        if (name_list(&c, pkj, &pk, &npk, "primaryKey") < 0 ||
            resolve_fields(&c, ts, pk, npk, &ts->pk, "primaryKey") < 0)
            goto out;
        ts->npk = npk;
    }
    json_t *fks = json_object_get(schema, "foreignKeys");
    if (fks && compile_fkeys(&c, ts, fks) < 0)
        goto out;
    json_t *fm = json_object_get(schema, "fieldsMatch");
    if (fm) {
        static const char *const modes[] = {"exact", "equal", "subset", "superset", "partial"};
        int found = 0;
        for (int k = 0; k < 5; k++)
            if (json_is_string(fm) && strcmp(json_string_value(fm), modes[k]) == 0) {
                ts->fields_match = k;
                found = 1;
            }
        if (!found) {
            cerr(&c, "fieldsMatch must be exact, equal, subset, superset or partial%s%s", NULL,
                 NULL);
            goto out;
        }
    }
    json_t *dl = json_object_get(root, "dialect");
    if (!dl)
        dl = json_object_get(schema, "dialect");
    if (compile_dialect(&c, ts, dl) < 0)
        goto out;
    rc = c.errors ? -1 : 0;
out:
    if (rc == 0 && !ts->path)
        rc = -1;
    if (rc < 0 && c.errors == 0 && d->count == 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .file = path,
                         .offset = -1, .message = "out of memory"};
        chuan_diags_add(d, &dg);
    }
    names_free(pk, npk);
    chuanp_ts_strlist_free(&schema_missing);
    json_decref(root);
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
