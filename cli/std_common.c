/* cli/std_common.c - helpers for the verbs about standard packages. */
#include "std_common.h"

#include "../validator/standard.h"

#include <stdlib.h>
#include <string.h>

void chuanp_cli_std_diags(chuanp_cli *cli, const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        chuanp_diag_print(cli->err, &d->items[i]);
}

int chuanp_cli_std_targets(chuanp_cli *cli, const char **pos, size_t npos, chuanp_pathlist *out)
{
    memset(out, 0, sizeof *out);
    if (npos == 0) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        int rc = chuanp_standard_list(out, &d);
        chuan_diags_clear(&d);
        if (rc < 0)
            return chuanp_cli_fail(cli, "out of memory");
        if (out->count == 0)
            return chuanp_cli_fail(cli, "no standard packages found (looked in $CHUAN_STANDARDS, "
                                        "./standards and next to the binary)");
        return 0;
    }
    out->paths = chuanp_calloc(npos, sizeof *out->paths);
    if (!out->paths)
        return chuanp_cli_fail(cli, "out of memory");
    out->cap = npos;
    for (size_t i = 0; i < npos; i++) {
        if (!(out->paths[i] = chuanp_strdup(pos[i])))
            return chuanp_cli_fail(cli, "out of memory");
        out->count++;
    }
    return 0;
}

int chuanp_cli_std_report_output(chuanp_cli *cli, const char *output, const chuanp_pathlist *targets)
{
    if (!output)
        return 0;
    /* the report never replaces a file of a package it reads */
    chuanp_pathlist reads = {0};
    for (size_t i = 0; i < targets->count; i++)
        chuanp_standard_files(targets->paths[i], &reads); /* one not found fails later */
    return chuanp_cli_output_vs_reads(cli, output, &reads, 0);
}
