/* cli/new.c - `chuan new standard ID [--dir DIR]`: scaffold a standard package that passes
 * `chuan lint` and `chuan test` as created (engine: validator/standard_new.c). */
#include "std_common.h"

#include "../validator/standard_new.h"

#include <string.h>

enum { OPT_DIR = 1 };

static const chuanp_opt new_opts[] = {
    {"dir", 'd', "DIR", OPT_DIR, "create the package in DIR (default: the current folder)"},
    {0},
};

typedef struct new_args {
    const char *dir;
} new_args;

static int on_opt(void *ctx, int id, const char *v)
{
    new_args *a = ctx;
    if (id == OPT_DIR)
        a->dir = v;
    return 0;
}

static int run_new(chuanp_cli *cli, int argc, const char **argv)
{
    new_args a = {.dir = "."};
    const char **pos = NULL;
    size_t npos = 0;
    char *made = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = CHUAN_EXIT_FAILURE;
    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0) {
        rc = p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
        goto out;
    }
    if (npos != 2 || strcmp(pos[0], "standard") != 0) {
        rc = chuanp_cli_usage_error(cli, "wants 'standard ID' (the only thing it makes)");
        goto out;
    }
    if (chuanp_standard_new(pos[1], a.dir, &made, &d) != 0) {
        chuanp_cli_std_diags(cli, &d);
        goto out;
    }
    fprintf(cli->out, _("created %s: manifest, model with rule example, Table Schema, fixtures, README"),
            made);
    fputc('\n', cli->out);
    fprintf(cli->out, _("next: edit them, then run chuan lint %s && chuan test %s"), made, made);
    fputc('\n', cli->out);
    rc = CHUAN_EXIT_OK;
out:
    chuan_diags_clear(&d);
    chuanp_free(made);
    chuanp_free(pos);
    return rc;
}

const chuanp_verb chuanp_verb_new = {
    "new",
    "scaffold a standard package that passes chuan lint and chuan test as created",
    "chuan new [OPTIONS] standard ID",
    "Creates DIR/ID: standard.json (a placeholder regulation to replace), schema/model.schema.json\n"
    "with one example rule, schema/ID.tableschema.json, the XML record path /DanhSach/BanGhi,\n"
    "valid and invalid fixtures for JSON, NDJSON, XML and CSV with their .expected files, and a\n"
    "README.md with the sections of the bundled packages. An existing DIR/ID is never touched\n"
    "(exit 2); the package appears complete or not at all.",
    new_opts,
    run_new,
};
