/* validator/schema_hints.c - the schema behind a schema-aware conversion,
 * loaded through one function for every kind: an XSD (converters/
 * xsd_hints.c reads its structure), a Table Schema (column types), or a
 * JSON Schema compiled by the validator (its hints describe the JSON
 * produced: with a record path, each record). Used by the convert verb and
 * by the public converter API. */
#include "schema_hints.h"
#include "jsonschema.h"
#include "tableschema.h"
#include "validator.h"
#include "../converters/xsd_hints.h"

#include <stdio.h>
#include <string.h>

struct chuanp_hints_holder {
    chuanp_xsd_hints *xsd;
    chuanp_ts_hints *ts;
    chuanp_jsonschema *js;
    chuanp_schema_hints js_hints;
    const chuanp_schema_hints *hints;
};

static int looks_like_xsd(const char *path)
{
    if (chuanp_has_suffix(path, ".xsd"))
        return 1;
    if (chuanp_has_suffix(path, ".json"))
        return 0;
    FILE *f = fopen(path, "rb");
    int c = ' ';
    while (f && (c = fgetc(f)) != EOF && (c == ' ' || c == '\t' || c == '\r' || c == '\n' ||
                                         c == 0xEF || c == 0xBB || c == 0xBF))
        ;
    if (f)
        fclose(f);
    return c == '<';
}

static int fail(chuan_diags *d, const char *path, const char *msg)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile", .file = path,
                    .offset = -1};
    chuan_diags_addf(d, &g, "%s", msg);
    return -1;
}

int chuanp_hints_load(chuanp_hints_holder **out, const char *path, const char *record_path,
                      chuan_diags *d)
{
    *out = NULL;
    chuanp_hints_holder *h = chuanp_calloc(1, sizeof *h);
    if (!h)
        return fail(d, path, "out of memory");
    if (looks_like_xsd(path)) {
        /* one compile path: the XSD compiles as `validate --schema` compiles
         * it (includes, resource confinement, every error) or loading
         * fails; the hints then read its declarations */
        chuanp_engine_opts xo = {.type = CHUANP_SCHEMA_XSD, .schema_path = path};
        chuanp_engine *xe = NULL;
        size_t before = d->errors;
        int xrc = chuanp_xml_engine_new(&xe, &xo, d);
        if (xe)
            xe->ops->free(xe);
        if (xrc < 0 || d->errors > before) {
            chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile", .file = path,
                            .offset = -1};
            chuan_diags_addf(d, &g, "%s does not compile", path);
            chuanp_hints_free(h);
            return -1;
        }
        char *errmsg = NULL;
        if (chuanp_xsd_hints_load(&h->xsd, path, record_path, &errmsg) < 0) {
            fail(d, path, errmsg ? errmsg : "out of memory");
            chuanp_free(errmsg);
            chuanp_hints_free(h);
            return -1;
        }
        h->hints = chuanp_xsd_hints_get(h->xsd);
    } else if (chuanp_schema_type_guess(path) == CHUANP_SCHEMA_TABLESCHEMA) {
        size_t before = d->count;
        if (chuanp_ts_hints_load(&h->ts, path, d) < 0) {
            if (d->count == before)
                fail(d, path, "out of memory");
            chuanp_hints_free(h);
            return -1;
        }
        h->hints = chuanp_ts_hints_get(h->ts);
    } else {
        chuanp_jsonschema_opts jo;
        memset(&jo, 0, sizeof jo);
        size_t before = d->errors;
        int rc = chuanp_jsonschema_compile_file(&h->js, path, &jo, d);
        if (rc != 0 || !h->js || d->errors > before) {
            chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile", .file = path,
                            .offset = -1};
            chuan_diags_addf(d, &g, "%s does not compile", path);
            chuanp_hints_free(h);
            return -1;
        }
        chuanp_jsonschema_hints(h->js, &h->js_hints);
        h->hints = &h->js_hints;
    }
    *out = h;
    return 0;
}

const chuanp_schema_hints *chuanp_hints_get(const chuanp_hints_holder *h)
{
    return h ? h->hints : NULL;
}

void chuanp_hints_free(chuanp_hints_holder *h)
{
    if (!h)
        return;
    chuanp_xsd_hints_free(h->xsd);
    chuanp_ts_hints_free(h->ts);
    chuanp_jsonschema_free(h->js);
    chuanp_free(h);
}

int chuanp_hints_csv_columns(const chuanp_hints_holder *h, chuanp_csv_columns *c)
{
    if (!h || !h->ts)
        return 0;
    return chuanp_ts_hints_columns(h->ts, c) < 0 ? -1 : 1;
}
