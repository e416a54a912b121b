/* validator/tableschema_engine.c - the Table Schema engine behind `chuan validate`. */
#include "tableschema_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct ts_engine {
    chuanp_engine base;
    chuanp_tableschema *ts;
} ts_engine;

static int ts_check(const chuanp_engine *e, const chuanp_input *in, chuanp_format fmt,
                    chuan_file_result *res)
{
    const ts_engine *te = (const ts_engine *)e;
    chuanp_free(res->format);
    res->format = chuanp_strdup("csv");
    if (fmt != CHUANP_FMT_AUTO && fmt != CHUANP_FMT_CSV) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.format",
                         .file = in->name, .offset = -1};
        chuan_diags_addf(&res->diags, &dg, "a Table Schema validates CSV, not %s",
                         chuanp_format_name(fmt));
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    FILE *f = in->path ? fopen(in->path, "rb") : stdin;
    if (!f) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "io", .file = in->name,
                         .offset = -1};
        chuan_diags_addf(&res->diags, &dg, "cannot open: %s", chuanp_strerror(errno));
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    long rows = 0;
    int rc = chuanp_tableschema_check_file(te->ts, f, in->name, &rows, &res->diags);
    if (in->path)
        fclose(f);
    res->records = rows;
    res->status = rc == 0 ? CHUAN_STATUS_VALID : rc > 0 ? CHUAN_STATUS_INVALID
                                                        : CHUAN_STATUS_FAILED;
    return rc;
}

static void ts_engine_free(chuanp_engine *e)
{
    ts_engine *te = (ts_engine *)e;
    if (!te)
        return;
    chuanp_tableschema_free(te->ts);
    chuanp_free(te);
}

static const struct chuanp_engine_ops ts_ops = {"tableschema", ts_check, ts_engine_free};

int chuanp_tableschema_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts,
                                  chuan_diags *d)
{
    *out = NULL;
    if (!opts->schema_path) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.schema", .offset = -1,
                         .message = N_("a Table Schema engine needs --schema FILE")};
        chuan_diags_add(d, &dg);
        return -1;
    }
    ts_engine *te = chuanp_calloc(1, sizeof *te);
    if (!te)
        return -1;
    if (chuanp_tableschema_load(&te->ts, opts->schema_path, d) < 0) {
        chuanp_free(te);
        return -1;
    }
    te->base.ops = &ts_ops;
    te->base.opts = *opts;
    te->base.label = opts->schema_path;
    *out = &te->base;
    return 0;
}
