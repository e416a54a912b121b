/* validator/record_check.c - one record at a time against a standard's
 * record model or a JSON Schema (see validator/record_check.h). */
#include "record_check.h"

#include "jsonschema.h"
#include "standard_int.h"

#include <stdlib.h>

struct chuanp_record_check {
    chuanp_engine *engine;          /* the standard engine, when -s */
    chuanp_jsonschema *own;         /* the compiled --schema */
    const chuanp_jsonschema *model; /* what records are checked against */
    chuanp_schema_hints hints;
    char *label;
};

struct chuanp_record_check_state {
    chuanp_jsonschema_vstate *vs;
};

int chuanp_record_check_new(chuanp_record_check **out, const char *standard, const char *schema,
                            chuan_diags *d)
{
    *out = NULL;
    chuanp_record_check *c = chuanp_calloc(1, sizeof *c);
    if (!c)
        return -1;
    if (standard) {
        chuanp_engine_opts eo = {.type = CHUANP_SCHEMA_STANDARD, .standard = standard};
        if (chuanp_standard_engine_new(&c->engine, &eo, d) < 0)
            goto fail;
        c->model = chuanp_standard_engine_model(c->engine);
        c->hints = *chuanp_standard_engine_hints(c->engine);
        c->label = chuanp_strdup(c->engine->label);
    } else {
        chuanp_jsonschema_opts jo = {.draft = NULL};
        if (chuanp_jsonschema_compile_file(&c->own, schema, &jo, d) != 0)
            goto fail;
        c->model = c->own;
        chuanp_jsonschema_hints(c->own, &c->hints);
        c->label = chuanp_strdup(schema);
    }
    if (!c->label || !c->model)
        goto fail;
    *out = c;
    return 0;
fail:
    chuanp_record_check_free(c);
    return -1;
}

void chuanp_record_check_free(chuanp_record_check *c)
{
    if (!c)
        return;
    chuanp_engine_free(c->engine);
    chuanp_jsonschema_free(c->own);
    chuanp_free(c->label);
    chuanp_free(c);
}

const char *chuanp_record_check_label(const chuanp_record_check *c)
{
    return c->label;
}

const chuanp_schema_hints *chuanp_record_check_hints(const chuanp_record_check *c)
{
    return &c->hints;
}

const char *chuanp_record_check_xml_record(const chuanp_record_check *c)
{
    const chuanp_standard *std = c->engine ? chuanp_standard_engine_package(c->engine) : NULL;
    return std && std->nxml_records > 0 ? std->xml_records[0] : NULL;
}

chuanp_record_check_state *chuanp_record_check_state_new(const chuanp_record_check *c)
{
    chuanp_record_check_state *st = chuanp_calloc(1, sizeof *st);
    if (st && !(st->vs = chuanp_jsonschema_vstate_new(c->model))) {
        chuanp_free(st);
        st = NULL;
    }
    return st;
}

void chuanp_record_check_state_free(chuanp_record_check_state *st)
{
    if (!st)
        return;
    chuanp_jsonschema_vstate_free(st->vs);
    chuanp_free(st);
}

int chuanp_record_check_run(const chuanp_record_check *c, chuanp_record_check_state *st,
                            const chuanp_jv *record, const char *file, chuan_diags *d)
{
    return chuanp_jsonschema_validate(c->model, st->vs, record, file, d);
}
