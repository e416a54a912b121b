/* cli/test.c - `chuan test [STANDARD...]`: run standard packages' conformance fixtures. */
#include "std_common.h"

#include "../validator/standard.h"
#include "../validator/standard_check.h"
#include "../validator/validator.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_REPORT = 1, OPT_OUTPUT, OPT_UPDATE, OPT_AS_OF, OPT_QUIET };

static const chuanp_opt test_opts[] = {
    {"report", 'r', "FORMAT", OPT_REPORT, "text, json, junit or html (default text)"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write the report to FILE (atomically)"},
    {"update", 0, NULL, OPT_UPDATE, "rewrite invalid/<case>.expected from the current output"},
    {"as-of", 0, "YYYY-MM-DD", OPT_AS_OF, "date for code list validity when a record has none"},
    {"quiet", 'q', NULL, OPT_QUIET, "text report: only failing fixtures and the summary"},
    {0},
};

typedef struct test_args {
    chuanp_cli *cli;
    int report;
    const char *output;
    int update, quiet;
    const char *as_of;
} test_args;

static int on_opt(void *ctx, int id, const char *v)
{
    test_args *a = ctx;
    switch (id) {
    case OPT_REPORT: {
        int r = chuan_report_format_parse(v);
        if (r != CHUAN_REPORT_TEXT && r != CHUAN_REPORT_JSON && r != CHUAN_REPORT_JUNIT &&
            r != CHUAN_REPORT_HTML)
            return chuanp_cli_usage_error(a->cli, "unknown report format '%s' (text|json|junit|html)", v), -1;
        a->report = r;
        break;
    }
    case OPT_OUTPUT: a->output = v; break;
    case OPT_UPDATE: a->update = 1; break;
    case OPT_QUIET: a->quiet = 1; break;
    case OPT_AS_OF:
        if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
            return chuanp_cli_usage_error(a->cli, "--as-of wants a date YYYY-MM-DD, not '%s'", v), -1;
        a->as_of = v;
        break;
    }
    return 0;
}

typedef struct emit_ctx {
    chuan_reporter *rep;
    int failed_write;
} emit_ctx;

static void emit(void *ctx, const chuan_file_result *r, const chuanp_std_test_detail *det)
{
    emit_ctx *e = ctx;
    chuanp_reporter_test_detail(e->rep, det); /* the HTML report shows it; others ignore it */
    if (chuan_reporter_file(e->rep, r) < 0)
        e->failed_write = 1;
}

static int run_test(chuanp_cli *cli, int argc, const char **argv)
{
    test_args a = {.cli = cli, .report = CHUAN_REPORT_TEXT};
    const char **pos = NULL;
    size_t npos = 0;
    chuanp_pathlist targets = {0};
    chuanp_output out = {0};
    chuan_reporter *rep = NULL;
    char *err = NULL;
    int rc = CHUAN_EXIT_FAILURE, worst = CHUAN_EXIT_OK;
    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0) {
        rc = p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
        goto out;
    }
    if (chuanp_cli_std_targets(cli, pos, npos, &targets) != 0)
        goto out;
    if (chuanp_cli_std_report_output(cli, a.output, &targets) < 0)
        goto out;
    if (chuanp_cli_report_open(cli, a.output, a.report, a.quiet, "test", &out, &rep) < 0)
        goto out;
    emit_ctx ec = {.rep = rep};
    chuanp_std_test_opts to = {.update = a.update, .as_of = a.as_of};
    for (size_t i = 0; i < targets.count; i++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_std_test_summary sum;
        int t = chuanp_standard_test(targets.paths[i], &to, emit, &ec, &sum, &d);
        if (t < 0) {
            chuanp_cli_std_diags(cli, &d);
            fprintf(cli->err, _("chuan: standard %s: cannot run its fixtures\n"), targets.paths[i]);
            worst = CHUAN_EXIT_FAILURE;
        } else {
            fprintf(cli->err, _("chuan: standard %s: %zu fixtures, %zu passed, %zu failed; rules "
                                "covered %zu/%zu%s\n"),
                    sum.label ? sum.label : targets.paths[i], sum.fixtures, sum.passed, sum.failed,
                    sum.covered, sum.rules, a.update ? _(" (expectations updated)") : "");
            if (t > 0 && worst < CHUAN_EXIT_INVALID)
                worst = CHUAN_EXIT_INVALID;
        }
        chuanp_free(sum.label);
        chuan_diags_clear(&d);
    }
    if (chuan_reporter_end(rep) < 0 || ec.failed_write || chuanp_output_commit(&out, &err) < 0) {
        chuanp_output_abort(&out);
        rc = chuanp_cli_fail(cli, "cannot write the report: %s", err ? err : "write error");
        goto out;
    }
    rc = worst;
out:
    if (rc == CHUAN_EXIT_FAILURE)
        chuanp_output_abort(&out);
    chuan_reporter_free(rep);
    chuanp_pathlist_free(&targets);
    chuanp_free(pos);
    chuanp_free(err);
    return rc;
}

const chuanp_verb chuanp_verb_test = {
    "test",
    "run standard packages' fixtures and report rule coverage",
    "chuan test [OPTIONS] [STANDARD...]",
    "STANDARD is an id (dvc-hoso, edxml@1.0.0) or the path to a package folder; without one,\n"
    "every package found is tested. Valid fixtures must give no error; each invalid fixture\n"
    "must give exactly the diagnostics of its .expected file (CODE<TAB>LINE:COLUMN<TAB>PATH per\n"
    "line, in any order). Every rule must be exercised by an invalid fixture.\n"
    "Exit: 0 all passed and covered, 1 a mismatch or an uncovered rule, 2 a package is broken.",
    test_opts,
    run_test,
};
