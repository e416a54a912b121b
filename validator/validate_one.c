/* validator/validate_one.c - check one input with a compiled engine: the
 * step every client of the engines takes (the validate verb's workers, the
 * public API): format, input front end (legacy encodings decoded), engine,
 * verdict. */
#include "validator.h"
#include "standard.h"
#include "../converters/input.h"
#include "../converters/table.h"

#include <string.h>

int chuanp_validate_one(const chuanp_engine *e, const char *name, const char *path,
                        chuanp_format fmt, const char *encoding, int note, chuan_file_result *res,
                        int *enc_out)
{
    chuanp_input in = {.name = name, .path = path};
    chuanp_source src = {.copy_fd = -1};
    double t0 = chuanp_now();
    if (fmt == CHUANP_FMT_AUTO)
        fmt = e->opts.format;
    /* the input front end (converters/input.h), path form: the format (by name, else by the
     * first bytes), the encoding; through a standard package, empty DBF cells are left out
     * (as empty CSV cells are) */
    chuanp_source_opts so = {.from = fmt, .encoding = encoding, .table = e->opts.table,
                             .table_flags = e->opts.type == CHUANP_SCHEMA_STANDARD
                                                ? CHUANP_TABLE_OMIT_EMPTY : 0,
                             .sheet = e->opts.sheet, .as_path = 1, .note = note};
    int rc = chuanp_source_open(&src, path, name, NULL, &so, &res->diags);
    fmt = src.input_format;
    chuanp_free(res->format);
    chuanp_free(res->standard);
    res->format = chuanp_strdup(chuanp_format_name(fmt));
    res->standard = chuanp_strdup(e->label);
    if (rc == 0) {
        in.path = src.path;
        /* a spreadsheet or a DBF/MDB table reaches the engine as NDJSON, one line per row or
         * record: its lines are the rows, its columns and offsets mean nothing in the file and
         * are dropped */
        int sheet = chuanp_format_is_binary(fmt);
        int table = src.table_format != CHUANP_FMT_AUTO;
        size_t before = res->diags.count;
        rc = e->ops->check(e, &in, src.format, res);
        for (size_t i = before; (sheet || table) && i < res->diags.count; i++) {
            res->diags.items[i].column = 0;
            res->diags.items[i].offset = -1;
        }
        /* the sheet or table in the location (a sheet's cell from the record's pointer) */
        if (chuanp_part_locate(&src.part, &res->diags, name) < 0)
            res->diags.oom = 1;
    }
    chuanp_source_close(&src);
    if (enc_out)
        *enc_out = src.enc;
    if (rc >= 0 && res->diags.oom)
        rc = -1;
    /* no standard, schema or package applied: never "valid" after zero checks */
    res->status = rc < 0                            ? CHUAN_STATUS_FAILED
                  : (rc > 0 || res->diags.errors)   ? CHUAN_STATUS_INVALID
                  : e->opts.type == CHUANP_SCHEMA_NONE ? CHUAN_STATUS_WELLFORMED
                                                      : CHUAN_STATUS_VALID;
    res->seconds = chuanp_now() - t0;
    return rc;
}

int chuanp_result_take_choice(chuan_file_result *res, chuanp_std_choice *c, const char *name)
{
    int rc = 0;
    if (c->why && !res->selected && !(res->selected = chuanp_strdup(c->why)))
        rc = -1;
    for (size_t k = 0; k < c->diags.count; k++) {
        char *f = name ? chuanp_strdup(name) : NULL; /* a spooled copy's name is not the input's */
        if (name && !f)
            return -1;
        chuanp_free((char *)c->diags.items[k].file);
        c->diags.items[k].file = f;
    }
    if (chuan_diags_move(&res->diags, &c->diags) < 0) {
        res->diags.oom = 1;
        rc = -1;
    }
    return rc;
}
