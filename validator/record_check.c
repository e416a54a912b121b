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
    chuanp_package_forms forms;
    chuanp_arena arena;     /* the Table Schema behind forms.csv_columns */
    int arena_init;
};

/* The package's forms: JSON records and envelope, CSV columns from its Table Schema. */
static int load_forms(chuanp_record_check *c, const chuanp_standard *std, chuan_diags *d)
{
    c->forms.json_records = std->json_records && *std->json_records ? std->json_records : NULL;
    c->forms.json_envelope = std->json_envelope;
    if (!std->tableschema)
        return 0;
    chuanp_arena_init(&c->arena, 0);
    c->arena_init = 1;
    char *data = NULL, *err = NULL;
    size_t len = 0;
    chuanp_input in = {.name = std->tableschema, .path = std->tableschema};
    if (chuanp_read_all(&in, 16u << 20, &data, &len, &err) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.tableschema",
                         .file = std->tableschema, .offset = -1};
        chuan_diags_addf(d, &dg, "cannot read the Table Schema: %s", err ? err : "?");
        chuanp_free(err);
        return -1;
    }
    chuanp_jv *ts = NULL;
    chuanp_json_opts jo = {.file = std->tableschema, .allow_bom = 1};
    int rc = chuanp_json_parse(&ts, data, len, &jo, &c->arena, d);
    chuanp_free(data);
    if (rc != 0)
        return -1;
    const chuanp_jv *fields = chuanp_json_get(ts, "fields");
    if (!fields || fields->type != CHUANP_JARRAY)
        return 0;
    const char **cols = chuanp_arena_alloc(&c->arena, (fields->u.arr.count + 1) * sizeof *cols);
    if (!cols)
        return -1;
    size_t n = 0;
    for (size_t i = 0; i < fields->u.arr.count; i++) {
        const chuanp_jv *name = chuanp_json_get(fields->u.arr.items[i], "name");
        if (name && name->type == CHUANP_JSTRING)
            cols[n++] = name->u.str.text;
    }
    c->forms.csv_columns = cols;
    c->forms.ncsv_columns = n;
    return 0;
}

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
        if (load_forms(c, chuanp_standard_engine_package(c->engine), d) < 0)
            goto fail;
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
    if (c->arena_init)
        chuanp_arena_free(&c->arena);
    chuanp_free(c);
}

const chuanp_package_forms *chuanp_record_check_forms(const chuanp_record_check *c)
{
    return &c->forms;
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
