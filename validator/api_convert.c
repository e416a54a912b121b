/* validator/api_convert.c - the converting half of the public API (include/chuan.h):
 * chuan_converter_new and _free (what `chuan convert` does with its options, -s and
 * --schema) and the short forms chuan_convert_file/buffer/stream. Running a
 * job: validator/api_convert_run.c, on the one engine of converters/batch_run.h. */
#include "api_convert.h"

#include <string.h>

static void api_error(chuan_diags *errors, const char *code, const char *fmt, const char *arg)
{
    if (!errors)
        return;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .offset = -1};
    chuan_diags_addf(errors, &g, fmt, arg ? arg : "");
}

static int parse_format(const char *name, chuanp_format *out)
{
    *out = CHUANP_FMT_AUTO;
    if (!name || !*name || strcmp(name, "auto") == 0)
        return 0;
    int f = chuanp_format_parse(name);
    if (f < 0)
        return -1;
    *out = (chuanp_format)f;
    return 0;
}

static int dup_opt(char **dst, const char *src)
{
    if (!src)
        return 0;
    *dst = chuanp_strdup(src);
    return *dst ? 0 : -1;
}

/* What the CLI does with -s / --schema (cli/convert.c, cli/convert_batch.c). */
static int setup_schema(chuan_converter *c, chuan_diags *errors)
{
    chuan_diags d;
    chuan_diags_init(&d, 20);
    int rc = 0;
    int validating = c->standard || (c->schema && chuanp_schema_type_guess(c->schema) ==
                                                      CHUANP_SCHEMA_JSONSCHEMA);
    if (validating) {
        rc = chuanp_record_check_new(&c->check, c->standard, c->standard ? NULL : c->schema, &d);
        if (rc < 0 && d.count == 0)
            api_error(&d, "schema.compile",
                      c->standard ? N_("cannot load the standard package %s")
                                  : N_("--schema %s does not compile"),
                      c->standard ? c->standard : c->schema);
        if (rc >= 0) {
            c->o.hints = chuanp_record_check_hints(c->check);
            if (c->standard)
                c->o.forms = chuanp_record_check_forms(c->check);
            if (!c->o.record_path)
                c->o.record_path = chuanp_record_check_xml_record(c->check);
        }
    } else if (c->schema) {
        rc = chuanp_hints_load(&c->hints, c->schema, c->o.record_path, &d);
        if (rc >= 0)
            c->o.hints = chuanp_hints_get(c->hints);
    }
    if (rc >= 0 && c->o.to == CHUANP_FMT_CSV && c->hints) {
        /* a Table Schema's fields are the CSV output's columns */
        int k = chuanp_hints_csv_columns(c->hints, &c->columns);
        if (k < 0) {
            api_error(&d, "io.memory", "out of memory%s", NULL);
            rc = -1;
        } else if (k > 0) {
            c->o.csv.columns = &c->columns;
        }
    }
    if (errors)
        chuan_diags_move(errors, &d);
    chuan_diags_clear(&d);
    return rc < 0 ? -1 : 0;
}

chuan_converter *chuan_converter_new(const chuan_converter_opts *opts, chuan_diags *errors)
{
    chuanp_init();
    if (!opts || !opts->to) {
        api_error(errors, "usage", "a target format (to) is required%s", NULL);
        return NULL;
    }
    chuan_converter *c = chuanp_calloc(1, sizeof *c);
    if (!c) {
        api_error(errors, "io.memory", "out of memory%s", NULL);
        return NULL;
    }
    c->o.csv.header = 1;
    c->o.csv.quote = '"';
    c->o.indent = opts->indent;
    c->jobs = opts->jobs > 0 ? opts->jobs : 1;
    if (parse_format(opts->from, &c->o.from) < 0) {
        api_error(errors, "usage", "unknown format '%s'", opts->from);
        goto fail;
    }
    if (parse_format(opts->to, &c->o.to) < 0 || c->o.to == CHUANP_FMT_AUTO) {
        api_error(errors, "usage", "unknown target format '%s'", opts->to);
        goto fail;
    }
    const char *m = opts->mapping;
    if (!m || strcmp(m, "simple") == 0)
        c->o.mapping = CHUANP_MAP_SIMPLE;
    else if (strcmp(m, "jsonml") == 0)
        c->o.mapping = CHUANP_MAP_JSONML;
    else if (strcmp(m, "w3c") == 0)
        c->o.mapping = CHUANP_MAP_W3C;
    else {
        api_error(errors, "usage", "unknown mapping '%s'", m);
        goto fail;
    }
    if (opts->standard && opts->schema) {
        api_error(errors, "usage", "give a standard or a schema, not both%s", NULL);
        goto fail;
    }
    if (opts->encoding && chuanp_enc_parse(opts->encoding) < 0) {
        api_error(errors, "usage", "unknown encoding '%s'", opts->encoding);
        goto fail;
    }
    if (dup_opt(&c->record, opts->record) < 0 || dup_opt(&c->encoding, opts->encoding) < 0 ||
        dup_opt(&c->standard, opts->standard) < 0 || dup_opt(&c->schema, opts->schema) < 0) {
        api_error(errors, "io.memory", "out of memory%s", NULL);
        goto fail;
    }
    c->o.record_path = c->record;
    c->o.encoding = c->encoding;
    if ((c->standard || c->schema) && setup_schema(c, errors) < 0)
        goto fail;
    return c;
fail:
    chuan_converter_free(c);
    return NULL;
}

void chuan_converter_free(chuan_converter *c)
{
    if (!c)
        return;
    chuanp_record_check_free(c->check);
    chuanp_hints_free(c->hints);
    chuanp_csv_columns_free(&c->columns);
    chuanp_free(c->record);
    chuanp_free(c->encoding);
    chuanp_free(c->standard);
    chuanp_free(c->schema);
    chuanp_free(c);
}

int chuan_convert_file(const chuan_converter *c, const char *path, chuan_sink_fn sink, void *ctx,
                       chuan_diags *diags)
{
    if (!path)
        return -1;
    chuan_convert_job j = {.name = path, .path = path, .out = sink, .out_ctx = ctx};
    return chuan_convert(c, &j, diags);
}

int chuan_convert_buffer(const chuan_converter *c, const char *name, const void *data, size_t len,
                         chuan_sink_fn sink, void *ctx, chuan_diags *diags)
{
    if (!data && len)
        return -1;
    chuan_convert_job j = {.name = name ? name : "<buffer>", .data = data ? data : "", .len = len,
                           .out = sink, .out_ctx = ctx};
    return chuan_convert(c, &j, diags);
}

int chuan_convert_stream(const chuan_converter *c, const char *name, FILE *fp, chuan_sink_fn sink,
                         void *ctx, chuan_diags *diags)
{
    if (!fp)
        return -1;
    chuan_convert_job j = {.name = name ? name : "<stream>", .fp = fp, .out = sink, .out_ctx = ctx};
    return chuan_convert(c, &j, diags);
}
