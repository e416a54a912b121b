/* cli/codelist.c - `chuan codelist import|diff|merge|check`: code lists from published files
 * (the engine is validator/codelist_tool.c). */
#include "cli.h"

#include "../validator/codelist_tool.h"
#include "../validator/vocab.h"

#include <stdlib.h>
#include <string.h>

enum {
    OPT_OUTPUT = 1, OPT_MAP, OPT_FORMAT, OPT_ITEMS, OPT_CODE, OPT_NAME, OPT_PARENT, OPT_FROM,
    OPT_TO, OPT_OLD_MAP, OPT_NEW_MAP, OPT_DATE, OPT_SPLIT, OPT_PARENTS, OPT_REPORT, OPT_OLD_ASOF, OPT_NEW_ASOF, OPT_CODE_PATTERN
};

static const chuanp_opt codelist_opts[] = {
    {"output", 'o', "FILE", OPT_OUTPUT, "import, merge, diff: write to FILE (atomically; default standard output)"},
    {"map", 'm', "FILE", OPT_MAP, "import: the mapping as a JSON file (keys format, items, code, name, parent, valid_from, valid_to); options below win over it"},
    {"input-format", 0, "csv|json", OPT_FORMAT, "import: the source's format (default: by its extension)"},
    {"items", 0, "SPEC", OPT_ITEMS, "import: where the items are in a JSON source, e.g. '[].District[].Ward[]' or 'provinces[].communes[]' (default: the top-level array)"},
    {"code", 0, "FIELD", OPT_CODE, "import: the field (CSV column) holding the code (default code)"},
    {"name", 0, "FIELD", OPT_NAME, "import: the field holding the name (default name)"},
    {"parent", 0, "FIELD", OPT_PARENT, "import: the field holding the parent; '../F' is field F of the enclosing item (default parent, when present)"},
    {"valid-from", 0, "FIELD", OPT_FROM, "import: the field holding valid_from (default valid_from, when present)"},
    {"valid-to", 0, "FIELD", OPT_TO, "import: the field holding valid_to (default valid_to, when present)"},
    {"old-map", 0, "FILE", OPT_OLD_MAP, "diff, merge: read OLD/LIST from a published file through this mapping file instead of a code-list CSV"},
    {"new-map", 0, "FILE", OPT_NEW_MAP, "diff, merge: read NEW/SNAPSHOT through this mapping file"},
    {"date", 0, "YYYY-MM-DD", OPT_DATE, "merge (required), diff: the first day of the new snapshot"},
    {"old-as-of", 0, "YYYY-MM-DD", OPT_OLD_ASOF, "diff: compare the rows of OLD valid on that day (default: the rows with no valid_to)"},
    {"new-as-of", 0, "YYYY-MM-DD", OPT_NEW_ASOF, "diff: the same for NEW"},
    {"split", 0, NULL, OPT_SPLIT, "merge: close and reopen unchanged rows too (one row per snapshot)"},
    {"parents", 0, "FILE", OPT_PARENTS, "check: the code-list CSV (LIST) the parent column refers to"},
    {"code-pattern", 0, "REGEX", OPT_CODE_PATTERN, "check: every code must match REGEX as a whole (PCRE2), e.g. '[0-9]{5}'"},
    {"report", 'r', "text|json", OPT_REPORT, "diff: output format (default text)"},
    {0},
};

typedef struct cl_args {
    chuanp_cli *cli;
    const char *output, *map, *old_map, *new_map, *date, *parents, *code_pattern;
    chuanp_cl_map m;
    int split, json;
    long date_key, old_asof, new_asof;
} cl_args;

static int on_opt(void *ctx, int id, const char *v)
{
    cl_args *a = ctx;
    switch (id) {
    case OPT_OUTPUT: a->output = v; break;
    case OPT_MAP: a->map = v; break;
    case OPT_FORMAT:
        if (strcmp(v, "csv") != 0 && strcmp(v, "json") != 0)
            return chuanp_cli_usage_error(a->cli, "--input-format wants csv or json, not '%s'", v), -1;
        a->m.format = v;
        break;
    case OPT_ITEMS: a->m.items = v; break;
    case OPT_CODE: a->m.code = v; break;
    case OPT_NAME: a->m.name = v; break;
    case OPT_PARENT: a->m.parent = v; break;
    case OPT_FROM: a->m.valid_from = v; break;
    case OPT_TO: a->m.valid_to = v; break;
    case OPT_OLD_MAP: a->old_map = v; break;
    case OPT_NEW_MAP: a->new_map = v; break;
    case OPT_DATE:
        a->date_key = chuanp_date_iso_key(v, strlen(v));
        if (a->date_key < 0)
            return chuanp_cli_usage_error(a->cli, "--date wants a date YYYY-MM-DD, not '%s'", v), -1;
        a->date = v;
        break;
    case OPT_OLD_ASOF:
    case OPT_NEW_ASOF: {
        long k = chuanp_date_iso_key(v, strlen(v));
        if (k < 0)
            return chuanp_cli_usage_error(a->cli, "--%s wants a date YYYY-MM-DD, not '%s'",
                                          id == OPT_OLD_ASOF ? "old-as-of" : "new-as-of", v), -1;
        *(id == OPT_OLD_ASOF ? &a->old_asof : &a->new_asof) = k;
        break;
    }
    case OPT_SPLIT: a->split = 1; break;
    case OPT_PARENTS: a->parents = v; break;
    case OPT_CODE_PATTERN: a->code_pattern = v; break;
    case OPT_REPORT:
        if (strcmp(v, "text") == 0)
            a->json = 0;
        else if (strcmp(v, "json") == 0)
            a->json = 1;
        else
            return chuanp_cli_usage_error(a->cli, "--report wants text or json, not '%s'", v), -1;
        break;
    }
    return 0;
}

/* Exit code of an engine result. */
static int exit_of(int r)
{
    return r < 0 ? CHUAN_EXIT_FAILURE : r > 0 ? CHUAN_EXIT_INVALID : CHUAN_EXIT_OK;
}

static int write_out(chuanp_cli *cli, const char *path, const chuanp_buf *b)
{
    char *err = NULL;
    if (b->err)
        return chuanp_cli_fail(cli, "out of memory");
    int w = chuanp_output_write(path, cli->out, b->data, b->len, &err);
    if (w == -1)
        chuanp_cli_fail(cli, "%s", err ? err : "cannot open the output");
    else if (w < 0)
        chuanp_cli_fail(cli, "cannot write %s: %s", path ? path : "the output",
                        err ? err : "write error");
    chuanp_free(err);
    return w < 0 ? CHUAN_EXIT_FAILURE : CHUAN_EXIT_OK;
}

static int run_import(cl_args *a, const char **pos, size_t npos, chuan_diags *d)
{
    chuanp_cli *cli = a->cli;
    if (npos != 1)
        return chuanp_cli_usage_error(cli, "import needs one FILE");
    void *store = NULL;
    chuanp_codelist *l = NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int r = chuanp_cl_import_file(&l, pos[0], &a->m, a->map, d, &store);
    int rc = exit_of(r);
    chuanp_cli_diags(cli, d);
    if (r == 0) {
        chuanp_cl_write_csv(l, &b);
        rc = write_out(cli, a->output, &b);
        if (rc == 0 && a->output)
            fprintf(cli->err, _("%s: %zu rows\n"), a->output, l->count);
    }
    chuanp_buf_free(&b);
    chuanp_codelist_free(l);
    chuanp_cl_map_release(store);
    return rc;
}

static int run_two(cl_args *a, const char *sub, const char **pos, size_t npos, chuan_diags *d)
{
    chuanp_cli *cli = a->cli;
    chuanp_cl_two t = {.merge = strcmp(sub, "merge") == 0, .split = a->split, .json = a->json,
                       .old_map = a->old_map, .new_map = a->new_map,
                       .date = a->date ? a->date_key : 0, .old_asof = a->old_asof,
                       .new_asof = a->new_asof};
    if (npos != 2)
        return chuanp_cli_usage_error(cli, t.merge ? N_("merge needs LIST and SNAPSHOT")
                                                   : N_("diff needs OLD and NEW"));
    if (t.merge && !a->date)
        return chuanp_cli_usage_error(cli, "merge needs --date YYYY-MM-DD");
    t.old_path = pos[0];
    t.new_path = pos[1];
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    size_t rows = 0;
    int r = chuanp_cl_two_run(&t, &b, &rows, d);
    chuanp_cli_diags(cli, d);
    int rc = exit_of(r);
    if (r == 0) {
        rc = write_out(cli, a->output, &b);
        if (rc == 0 && t.merge && a->output)
            fprintf(cli->err, _("%s: %zu rows\n"), a->output, rows);
    }
    chuanp_buf_free(&b);
    return rc;
}

static int run_check(cl_args *a, const char **pos, size_t npos, chuan_diags *d)
{
    chuanp_cli *cli = a->cli;
    if (npos < 1)
        return chuanp_cli_usage_error(cli, "check needs at least one LIST");
    chuanp_codelist *parents = NULL;
    int worst = 0;
    if (a->parents && chuanp_codelist_load(&parents, a->parents, a->parents, d) != 0) {
        chuanp_cli_diags(cli, d);
        chuanp_codelist_free(parents);
        fprintf(cli->err, _("chuan: the parent list %s cannot be used\n"), a->parents);
        return CHUAN_EXIT_FAILURE;
    }
    for (size_t i = 0; i < npos; i++) {
        chuan_diags one;
        chuan_diags_init(&one, 1000);
        size_t rows = 0;
        int no_parent = 0;
        int r = chuanp_cl_check_file(pos[i], parents, a->code_pattern, &rows, &no_parent, &one);
        if (no_parent)
            fprintf(cli->err, _("%s: no parent column: --parents not used\n"), pos[i]);
        chuanp_cli_diags(cli, &one);
        if (r == 0)
            fprintf(cli->out, _("%s: ok (%zu rows)\n"), pos[i], rows);
        else if (r > 0)
            fprintf(cli->out,
                    chuanp_plural((long)(one.count + one.dropped), N_("%s: invalid (%zu error)\n"),
                                  N_("%s: invalid (%zu errors)\n")),
                    pos[i], one.count + one.dropped);
        else
            fprintf(cli->out, _("%s: cannot be checked\n"), pos[i]);
        int e = exit_of(r);
        if (e > worst)
            worst = e;
        chuan_diags_clear(&one);
    }
    chuanp_codelist_free(parents);
    return worst;
}

static int run_codelist(chuanp_cli *cli, int argc, const char **argv)
{
    cl_args a = {.cli = cli};
    const char **pos = NULL;
    size_t npos = 0;
    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0)
        return p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    int rc = CHUAN_EXIT_FAILURE;
    chuan_diags d;
    chuan_diags_init(&d, 1000);
    chuanp_pathlist reads = {0};
    const char *sub = npos ? pos[0] : NULL;
    if (!sub) {
        rc = chuanp_cli_usage_error(cli, "missing sub-command (import, diff, merge, check)");
        goto out;
    }
    int imp = strcmp(sub, "import") == 0, two = strcmp(sub, "diff") == 0 || strcmp(sub, "merge") == 0;
    if (!imp && !two && strcmp(sub, "check") != 0) {
        rc = chuanp_cli_usage_error(cli, "unknown sub-command '%s' (import, diff, merge, check)", sub);
        goto out;
    }
    int mapping = a.map || a.m.format || a.m.items || a.m.code || a.m.name || a.m.parent ||
                  a.m.valid_from || a.m.valid_to;
    if (!imp && mapping) {
        rc = chuanp_cli_usage_error(cli, "--map, --input-format, --items and the field options "
                                    "apply to import (diff and merge take --old-map/--new-map)");
        goto out;
    }
    if (!two && (a.old_map || a.new_map || a.date || a.split)) {
        rc = chuanp_cli_usage_error(cli, "--old-map, --new-map, --date and --split apply to diff and merge");
        goto out;
    }
    if (strcmp(sub, "check") == 0 ? a.output != NULL : (a.parents || a.code_pattern)) {
        rc = chuanp_cli_usage_error(cli, strcmp(sub, "check") == 0
                                             ? N_("check writes no file (-o)")
                                             : N_("--parents and --code-pattern apply to check"));
        goto out;
    }
    if ((a.json || a.old_asof || a.new_asof) && strcmp(sub, "diff") != 0) {
        rc = chuanp_cli_usage_error(cli, "--report, --old-as-of and --new-as-of apply to diff");
        goto out;
    }
    /* the output never replaces a file the run reads */
    const char *extra[] = {a.map, a.old_map, a.new_map, a.parents};
    for (size_t i = 1; i < npos; i++)
        if (strcmp(pos[i], "-") != 0 && chuanp_pathlist_add(&reads, pos[i]) < 0)
            goto oom;
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++)
        if (extra[i] && chuanp_pathlist_add(&reads, extra[i]) < 0)
            goto oom;
    const char *outs[1] = {a.output};
    if (a.output && chuanp_cli_check_outputs(cli, outs, 1, &reads) < 0)
        goto out;
    if (imp)
        rc = run_import(&a, pos + 1, npos - 1, &d);
    else if (two)
        rc = run_two(&a, sub, pos + 1, npos - 1, &d);
    else
        rc = run_check(&a, pos + 1, npos - 1, &d);
    goto out;
oom:
    rc = chuanp_cli_fail(cli, "out of memory");
out:
    chuanp_pathlist_free(&reads);
    chuan_diags_clear(&d);
    chuanp_free(pos);
    return rc;
}

const chuanp_verb chuanp_verb_codelist = {
    "codelist",
    "import, compare, merge and check code lists (danh mục dùng chung)",
    "chuan codelist import|diff|merge|check [OPTIONS] FILE...",
    "  chuan codelist import [OPTIONS] FILE\n"
    "  chuan codelist diff [OPTIONS] OLD NEW\n"
    "  chuan codelist merge --date YYYY-MM-DD [OPTIONS] LIST SNAPSHOT\n"
    "  chuan codelist check [--parents LIST] [--code-pattern REGEX] LIST...\n"
    "import: a CSV or JSON file (also nested JSON, with --items) through a mapping, written as a\n"
    "code-list CSV (code,name[,valid_from,valid_to][,parent]; names trimmed and NFC).\n"
    "diff: the current rows (valid_to open) of two lists by code: added, removed, renamed,\n"
    "re-parented, with the dates to set (--date). merge: a new snapshot into a dated list on\n"
    "--date: rows gone close (valid_to), new codes open (valid_from), a changed name or parent\n"
    "closes the old row and opens a new one. check: duplicates, overlapping validity, dates in\n"
    "order, with --parents, parents that exist during each row's validity, with --code-pattern,\n"
    "the shape of every code.\n"
    "Example (the bundled communes.csv, see standards/codelists/README.md):\n"
    "  chuan codelist merge --date 2025-07-01 --split --old-map until.map.json\n"
    "    --new-map from.map.json units-until-2025-06-30.json units-from-2025-07-01.json\n"
    "Exit status: 0 done, 1 an input is invalid (nothing written), 2 a file cannot be read or\n"
    "written.",
    codelist_opts,
    run_codelist,
};
