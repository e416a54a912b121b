/* cli/opts.c - helpers several verbs share: the outputs against what a run
 * reads, the workers that fit, diagnostics, reports, spreadsheet options. */
#include "cli.h"
#include "../converters/sheet.h"

#include <stdlib.h>
#include <string.h>

int chuanp_cli_check_outputs(chuanp_cli *cli, const char *const *outputs, size_t nout,
                             const chuanp_pathlist *reads)
{
    char *err = NULL;
    if (chuanp_check_outputs(outputs, nout, (const char *const *)reads->paths, reads->count,
                             &err) == 0)
        return 0;
    chuanp_cli_fail(cli, "%s", err ? err : "out of memory");
    chuanp_free(err);
    return -1;
}

int chuanp_cli_output_vs_reads(chuanp_cli *cli, const char *output, chuanp_pathlist *reads,
                               int oom)
{
    const char *outs[1] = {output};
    int c = oom ? chuanp_cli_fail(cli, "out of memory"), -1
                : chuanp_cli_check_outputs(cli, outs, 1, reads);
    chuanp_pathlist_free(reads);
    return c < 0 ? -1 : 0;
}

int chuanp_cli_jobs_fit(chuanp_cli *cli, int jobs, int quiet)
{
    int fit = chuanp_jobs_fit(jobs);
    if (fit < jobs && !quiet)
        fprintf(cli->err,
                chuanp_plural(fit, N_("chuan: note: %d worker instead of %d: not enough memory (address space) for more\n"),
                              N_("chuan: note: %d workers instead of %d: not enough memory (address space) for more\n")),
                fit, jobs);
    return fit < jobs ? fit : jobs;
}

int chuanp_cli_sheet_opt(chuanp_cli *cli, chuanp_sheet_opts *s, int id, const char *v)
{
    long n;
    switch (id) {
    case CHUANP_OPT_SHEET: s->sheet = v; return 0;
    case CHUANP_OPT_HEADER_ROW:
        if (chuanp_cli_int(cli, "--header-row", v, 1, 1048576, &n) < 0)
            return -1;
        s->header_row = n;
        return 0;
    case CHUANP_OPT_FONT_MAP: s->font_map = v; return 0;
    case CHUANP_OPT_COLUMNS_MAP: s->columns_map = v; return 0;
    case CHUANP_OPT_NUMBER_TEXT: s->number_text = 1; return 0;
    }
    return 1;
}

void chuanp_cli_diags(chuanp_cli *cli, const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        chuanp_diag_print(cli->err, &d->items[i]);
    if (d->dropped)
        fprintf(cli->err, _("chuan: %zu more errors not shown\n"), (size_t)d->dropped);
}

int chuanp_cli_report_open(chuanp_cli *cli, const char *output, int format, int quiet,
                           const char *command, chuanp_output *out, chuan_reporter **rep)
{
    char *err = NULL;
    *rep = NULL;
    if (chuanp_output_open(out, output, cli->out, &err) < 0) {
        chuanp_cli_fail(cli, "%s", err ? err : "cannot open the output");
        chuanp_free(err);
        return -1;
    }
    chuan_report_opts ro = {.format = (chuan_report_format)format,
                            .color = !output && cli->out_is_tty && !getenv("NO_COLOR"),
                            .quiet = quiet,
                            .tool_command = command};
    *rep = chuan_reporter_new(out->fp, &ro);
    if (!*rep) {
        chuanp_output_abort(out);
        chuanp_cli_fail(cli, "out of memory");
        return -1;
    }
    return 0;
}

