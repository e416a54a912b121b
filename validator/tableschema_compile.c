/* validator/tableschema_compile.c - read a Table Schema descriptor (chuan's JSON reader:
 * every error names the line, column and JSON Pointer of the offending member) into a
 * compiled, read-only chuanp_tableschema: the schema's keys, foreign-key code lists, dialect
 * (fields: tableschema_field.c). */
#include "tableschema_desc.h"

#include "../core/confine.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#define DESCRIPTOR_MAX_BYTES (64u << 20)

/* The JSON Pointer base + fmt..., in c->where (valid until the next call). */
const char *chuanp_ts_at(chuanp_ts_compiler *c, const char *fmt, ...)
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
void chuanp_ts_cerr(chuanp_ts_compiler *c, const chuanp_jv *v, const char *ptr, const char *fmt,
                    const char *a, const char *b)
{
    if (!v)
        v = c->root;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR,
                     .code = "tableschema.schema",
                     .file = c->path,
                     .offset = -1,
                     .path = ptr && *ptr ? ptr : NULL};
    if (v && v->line) {
        dg.line = (long)v->line;
        dg.column = (long)v->column;
        dg.offset = (long long)v->offset;
    }
    chuan_diags_addf(c->d, &dg, fmt, a ? a : "", b ? b : "");
    c->errors++;
}

static long field_index(const chuanp_tableschema *ts, const char *name)
{
    for (size_t i = 0; i < ts->nfields; i++)
        if (strcmp(ts->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}

/* "a" or ["a", "b"] (JSON j at ptr) -> names. */
static int name_list(chuanp_ts_compiler *c, const chuanp_jv *j, const char *ptr, char ***names,
                     size_t *n, const char *what)
{
    *names = NULL;
    *n = 0;
    size_t cnt = is_str(j) ? 1 : j && j->type == CHUANP_JARRAY ? j->u.arr.count : 0;
    if (cnt == 0) {
        chuanp_ts_cerr(c, j, ptr, "%s must be a field name or a non-empty array of names%s", what,
                       NULL);
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
            chuanp_ts_cerr(c, s, p, "%s must list field names%s", what, NULL);
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
static int resolve_fields(chuanp_ts_compiler *c, const chuanp_tableschema *ts, char **names,
                          size_t n, const chuanp_jv *j, const char *ptr, size_t **out,
                          const char *what)
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
            chuanp_ts_cerr(c, e, p, "%s names an unknown field '%s'", what, names[i]);
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
static int load_reference(chuanp_ts_compiler *c, const chuanp_tableschema *ts, ts_fkey *fk,
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
        chuanp_ts_cerr(c, res, chuanp_ts_at(c, "/foreignKeys/%zu/reference/resource", fi),
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
        chuanp_ts_cerr(c, res, chuanp_ts_at(c, "/foreignKeys/%zu/reference/resource", fi),
                       "foreign key resource '%s' has no header row%s", fk->resource, NULL);
        goto out;
    }
    for (size_t i = 0; i < fk->nfields; i++) {
        size_t k = 0;
        while (k < row.count && strcmp(row.fields[k].text, fk->ref_names[i]) != 0)
            k++;
        if (k == row.count) {
            int arr = rf->type == CHUANP_JARRAY;
            chuanp_ts_cerr(c, arr ? rf->u.arr.items[i] : rf,
                           arr ? chuanp_ts_at(c, "/foreignKeys/%zu/reference/fields/%zu", fi, i)
                               : chuanp_ts_at(c, "/foreignKeys/%zu/reference/fields", fi),
                           "foreign key resource '%s' has no column '%s'", fk->resource,
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

static int compile_fkey(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *fk,
                        size_t i)
{
    ts_fkey *k = &ts->fks[i];
    if (fk->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(c, fk, chuanp_ts_at(c, "/foreignKeys/%zu", i),
                       "a foreign key must be an object%s%s", NULL, NULL);
        return -1;
    }
    const chuanp_jv *ref = chuanp_json_get(fk, "reference");
    if (!ref || ref->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(c, ref ? ref : fk,
                       ref ? chuanp_ts_at(c, "/foreignKeys/%zu/reference", i)
                           : chuanp_ts_at(c, "/foreignKeys/%zu", i),
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
    if (name_list(c, lf ? lf : fk, lf ? lptr : chuanp_ts_at(c, "/foreignKeys/%zu", i), &local,
                  &nlocal, "foreignKeys.fields") < 0) {
        names_free(local, nlocal);
        return -1;
    }
    int bad = resolve_fields(c, ts, local, nlocal, lf, lptr, &k->fields, "foreignKeys.fields");
    names_free(local, nlocal);
    k->nfields = nlocal;
    if (bad < 0)
        return -1;
    int rbad =
        name_list(c, rf ? rf : ref, rf ? rptr : chuanp_ts_at(c, "/foreignKeys/%zu/reference", i),
                  &k->ref_names, &nref, "foreignKeys.reference.fields");
    k->nref = nref;
    if (rbad < 0)
        return -1;
    if (nref != nlocal) {
        chuanp_ts_cerr(c, rf, rptr, "foreignKeys: fields and reference.fields differ in length%s%s",
                       NULL, NULL);
        return -1;
    }
    if (res && !is_str(res)) {
        chuanp_ts_cerr(c, res, chuanp_ts_at(c, "/foreignKeys/%zu/reference/resource", i),
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
            chuanp_ts_cerr(c, arr ? rf->u.arr.items[j] : rf,
                           arr ? chuanp_ts_at(c, "/foreignKeys/%zu/reference/fields/%zu", i, j)
                               : rptr,
                           "foreignKeys.reference.fields names an unknown field '%s'%s",
                           k->ref_names[j], NULL);
            return -1;
        }
    return 0;
}

static int compile_fkeys(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *arr)
{
    if (arr->type != CHUANP_JARRAY) {
        chuanp_ts_cerr(c, arr, chuanp_ts_at(c, "/foreignKeys"), "foreignKeys must be an array%s%s",
                       NULL, NULL);
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
static int dialect_char(chuanp_ts_compiler *c, const chuanp_jv *dl, const char *dptr,
                        const char *key, char *out)
{
    const chuanp_jv *j = chuanp_json_get(dl, key);
    if (!j)
        return 0;
    if (!is_str(j) || j->u.str.len != 1) {
        char p[300];
        snprintf(p, sizeof p, "%s/%s", dptr, key);
        chuanp_ts_cerr(c, j, p, "dialect.%s must be one character%s", key, NULL);
        return -1;
    }
    *out = str(j)[0];
    return 0;
}

static int compile_dialect(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *dl,
                           const char *dptr)
{
    ts->header = 1;
    ts->quote = '"';
    if (!dl)
        return 0;
    if (dl->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(c, dl, dptr, "dialect must be an object%s%s", NULL, NULL);
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
static int compile_fields(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *fields,
                          const ts_strlist *schema_missing)
{
    ts->nfields = fields->u.arr.count;
    ts->fields = chuanp_calloc(ts->nfields ? ts->nfields : 1, sizeof *ts->fields);
    if (!ts->fields)
        return -1;
    for (size_t i = 0; i < ts->nfields; i++)
        if (chuanp_ts_compile_field(c, &ts->fields[i], fields->u.arr.items[i], i, schema_missing) <
            0)
            return -1;
    for (size_t i = 0; i < ts->nfields; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(ts->fields[i].name, ts->fields[j].name) == 0) {
                char first[32];
                snprintf(first, sizeof first, "%zu", j);
                chuanp_ts_cerr(c, chuanp_json_get(fields->u.arr.items[i], "name"),
                               chuanp_ts_at(c, "/fields/%zu/name", i),
                               "two fields are named '%s' (the first is "
                               "/fields/%s)",
                               ts->fields[i].name, first);
                return -1;
            }
    return 0;
}

static int compile_fields_match(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *fm)
{
    static const char *const modes[] = {"exact", "equal", "subset", "superset", "partial"};
    for (int k = 0; k < 5; k++)
        if (is_str(fm) && strcmp(str(fm), modes[k]) == 0) {
            ts->fields_match = k;
            return 0;
        }
    chuanp_ts_cerr(c, fm, chuanp_ts_at(c, "/fieldsMatch"),
                   "fieldsMatch must be exact, equal, subset, superset or partial%s%s", NULL, NULL);
    return -1;
}

/* Compile the parsed descriptor root into ts. */
static int compile_root(chuanp_ts_compiler *c, chuanp_tableschema *ts, const chuanp_jv *root)
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
        chuanp_ts_cerr(c, fields ? fields : schema,
                       fields ? chuanp_ts_at(c, "/fields") : chuanp_ts_at(c, "%s", ""),
                       "a Table Schema needs a \"fields\" array%s%s", NULL, NULL);
        goto out;
    }
    static const char *const empty_only[] = {"", NULL};
    const chuanp_jv *mv = chuanp_json_get(schema, "missingValues");
    if ((mv ? chuanp_ts_strlist_from(c, mv, chuanp_ts_at(c, "/missingValues"), &schema_missing,
                                     "missingValues", "(schema)")
            : chuanp_ts_strlist_default(&schema_missing, empty_only)) < 0)
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
        dptr = chuanp_ts_at(c, "/dialect");
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
    chuanp_ts_compiler c = {.path = path, .d = d, .base = ""};
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
        chuanp_ts_cerr(&c, NULL, NULL, "cannot read the Table Schema: %s%s", why ? why : "error",
                       NULL);
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
        chuan_diags_addf(d, &dg, "cannot read the Table Schema: %s", chuanp_diag_message(&pd.items[i]));
        c.errors++;
    }
    chuan_diags_clear(&pd);
    if (pr != 0)
        goto out;
    if (root->type != CHUANP_JOBJECT) {
        chuanp_ts_cerr(&c, root, NULL, "a Table Schema must be a JSON object, not %s%s",
                       chuanp_jtype_name((chuanp_jtype)root->type), NULL);
        goto out;
    }
    rc = compile_root(&c, ts, root);
out:
    if (rc < 0 && c.errors == 0 && d->count == 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR,
                         .code = "tableschema.schema",
                         .file = path,
                         .offset = -1,
                         .message = N_("out of memory")};
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
        chuanp_ts_field_free(&ts->fields[i]);
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
