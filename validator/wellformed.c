/*
 * validator/wellformed.c - the engine used without a schema: every input is
 * checked for well-formedness in its own format (XML through the streaming
 * XML engine, JSON as one document, NDJSON line by line in constant memory).
 */
#include "validator.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct wf_engine {
    chuanp_engine base;
    chuanp_engine *xml;
} wf_engine;

static void input_error(chuan_file_result *res, const chuanp_input *in, const char *msg)
{
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "input.unreadable", .file = in->name,
                    .offset = -1};
    chuan_diags_addf(&res->diags, &d, "%s", msg);
}

static int check_json(const chuanp_input *in, chuan_file_result *res)
{
    char *data = NULL, *err = NULL;
    size_t len = 0;
    if (chuanp_read_all(in, 0, &data, &len, &err) < 0) {
        input_error(res, in, err ? err : "out of memory");
        chuanp_free(err);
        return -1;
    }
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_json_opts o = {.allow_bom = 1, .file = in->name};
    chuanp_jv *v = NULL;
    int rc = chuanp_json_parse(&v, data, len, &o, &arena, &res->diags);
    chuanp_arena_free(&arena);
    chuanp_free(data);
    res->records = rc == 0 ? 1 : 0;
    return rc;
}

static int check_ndjson(const chuanp_input *in, chuan_file_result *res)
{
    FILE *f = in->path ? fopen(in->path, "rb") : stdin;
    if (!f) {
        char *msg = chuanp_asprintf(_("cannot open %s: %s"), in->name, chuanp_strerror(errno));
        input_error(res, in, msg ? msg : "cannot open input");
        chuanp_free(msg);
        return -1;
    }
    chuanp_json_opts o = {.allow_bom = 1, .file = in->name};
    chuanp_ndjson_reader *r = chuanp_ndjson_reader_new(f, in->name, &o);
    int rc = -1;
    if (!r)
        goto out;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    int bad = 0, st;
    for (;;) {
        chuanp_jv *v;
        long line;
        chuanp_arena_reset(&arena);
        st = chuanp_ndjson_next(r, &arena, &v, &line, &res->diags);
        if (st == 1)
            res->records++;
        else if (st == 2)
            bad = 1;
        else
            break;
    }
    chuanp_arena_free(&arena);
    rc = st < 0 ? -1 : bad ? 1 : 0;
out:
    chuanp_ndjson_reader_free(r);
    if (f != stdin)
        fclose(f);
    return rc;
}

static int wf_check(const chuanp_engine *base, const chuanp_input *in, chuanp_format fmt,
                    chuan_file_result *res)
{
    const wf_engine *e = (const wf_engine *)base;
    switch (fmt) {
    case CHUANP_FMT_XML: return chuanp_xml_check(e->xml, in, res);
    case CHUANP_FMT_JSON: return check_json(in, res);
    case CHUANP_FMT_NDJSON: return check_ndjson(in, res);
    default: {
        /* CSV has no well-formedness of its own to check: without a schema nothing can be judged,
         * which is "could not check" (exit 2), not "invalid" (exit 1) */
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "input.no-schema", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d,
                         "%s is %s, which chuan can only judge against a schema: give --schema "
                         "(a Table Schema), --standard ID, or a .chuan.json that names one",
                         in->name, chuanp_format_name(fmt));
        return -1;
    }
    }
}

static void wf_free(chuanp_engine *base)
{
    wf_engine *e = (wf_engine *)base;
    chuanp_engine_free(e->xml);
    chuanp_free(e);
}

static const struct chuanp_engine_ops wf_ops = {"wellformed", wf_check, wf_free};

int chuanp_wellformed_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    *out = NULL;
    wf_engine *e = chuanp_calloc(1, sizeof *e);
    if (!e)
        return -1;
    e->base.ops = &wf_ops;
    e->base.opts = *opts;
    e->base.label = NULL;
    if (chuanp_xml_engine_new(&e->xml, opts, d) < 0) {
        chuanp_free(e);
        return -1;
    }
    *out = &e->base;
    return 0;
}
