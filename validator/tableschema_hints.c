/* validator/tableschema_hints.c - a Table Schema's field types as schema hints for
 * `chuan convert --schema T.json`: a CSV column whose field is integer, number, year or
 * boolean becomes a JSON number/boolean when its text is already one (no decimalChar or
 * groupChar cast: that is what validation reports); other fields stay strings. */
#include "tableschema_int.h"

#include <stdlib.h>
#include <string.h>

struct chuanp_ts_hints {
    chuanp_tableschema *ts;
    chuanp_flat_tree *tree;   /* field names as flattened paths */
    chuanp_schema_hints hints;
};

static chuanp_hint_type hint_type(const ts_field *f)
{
    switch (f->type) {
    case TS_INTEGER:
    case TS_YEAR:
        return f->group_char || !f->bare_number ? CHUANP_HINT_STRING : CHUANP_HINT_INTEGER;
    case TS_NUMBER:
        return f->decimal_char != '.' || f->group_char || !f->bare_number ? CHUANP_HINT_STRING
                                                                           : CHUANP_HINT_NUMBER;
    case TS_BOOLEAN:
        return chuanp_ts_strlist_has(&f->true_values, "true", 4) &&
                       chuanp_ts_strlist_has(&f->false_values, "false", 5)
                   ? CHUANP_HINT_BOOLEAN
                   : CHUANP_HINT_STRING;
    case TS_OBJECT:
        return CHUANP_HINT_OBJECT;
    default:
        return CHUANP_HINT_STRING;
    }
}

static int lookup(void *ctx, const char *const *path, size_t depth, chuanp_hint *out)
{
    const chuanp_ts_hints *h = ctx;
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < h->ts->nfields; i++) {
        size_t fd = 0;
        const char *const *fp = chuanp_flat_tree_path(h->tree, i, &fd);
        if (fd != depth)
            continue;
        size_t k = 0;
        while (k < depth && strcmp(fp[k], path[k]) == 0)
            k++;
        if (k == depth) {
            out->known = 1;
            out->type = hint_type(&h->ts->fields[i]);
            out->is_array = h->ts->fields[i].type == TS_ARRAY;
            return 0;
        }
    }
    return 0;
}

int chuanp_ts_hints_load(chuanp_ts_hints **out, const char *path, chuan_diags *d)
{
    *out = NULL;
    chuanp_ts_hints *h = chuanp_calloc(1, sizeof *h);
    if (!h)
        return -1;
    if (chuanp_tableschema_load(&h->ts, path, d) < 0)
        goto fail;
    const char **names = chuanp_calloc(h->ts->nfields ? h->ts->nfields : 1, sizeof *names);
    if (!names)
        goto fail;
    for (size_t i = 0; i < h->ts->nfields; i++)
        names[i] = h->ts->fields[i].name;
    int rc = chuanp_flat_tree_new(&h->tree, names, h->ts->nfields, NULL, 0, path, d);
    if (rc > 0) /* names that are not paths: match them as literal keys */
        rc = chuanp_flat_tree_new(&h->tree, names, h->ts->nfields, NULL, CHUANP_FLAT_LITERAL, path,
                                  d);
    chuanp_free(names);
    if (rc != 0)
        goto fail;
    h->hints.ctx = h;
    h->hints.lookup = lookup;
    *out = h;
    return 0;
fail:
    chuanp_ts_hints_free(h);
    return -1;
}

const chuanp_schema_hints *chuanp_ts_hints_get(const chuanp_ts_hints *h)
{
    return &h->hints;
}

void chuanp_ts_hints_free(chuanp_ts_hints *h)
{
    if (!h)
        return;
    chuanp_flat_tree_free(h->tree);
    chuanp_tableschema_free(h->ts);
    chuanp_free(h);
}

int chuanp_ts_hints_columns(const chuanp_ts_hints *h, chuanp_csv_columns *c)
{
    for (size_t i = 0; i < h->ts->nfields; i++)
        if (chuanp_csv_columns_add(c, h->ts->fields[i].name, strlen(h->ts->fields[i].name)) < 0)
            return -1;
    c->given = 1;
    return 0;
}
