/* cli/lint.c - `chuan lint [STANDARD...]`: check standard packages themselves. */
#include "std_common.h"

#include "../validator/standard.h"
#include "../validator/standard_check.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_REPORT = 1, OPT_OUTPUT, OPT_AS_OF };

static const chuanp_opt lint_opts[] = {
    {"report", 'r', "FORMAT", OPT_REPORT, "text, json, junit, sarif or github (default text)"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write the report to FILE (atomically)"},
    {"as-of", 0, "YYYY-MM-DD", OPT_AS_OF, "date for code list validity"},
    {0},
};

typedef struct lint_args {
    chuanp_cli *cli;
    int report;
    const char *output, *as_of;
} lint_args;

static int on_opt(void *ctx, int id, const char *v)
{
    lint_args *a = ctx;
    switch (id) {
    case OPT_REPORT: {
        int r = chuan_report_format_parse(v);
        if (r < 0 || r == CHUAN_REPORT_HTML)
            return chuanp_cli_usage_error(a->cli, "unknown report format '%s' (text|json|junit|sarif|github)", v), -1;
        a->report = r;
        break;
    }
    case OPT_OUTPUT: a->output = v; break;
    case OPT_AS_OF:
        if (strlen(v) != 10 || v[4] != '-' || v[7] != '-')
            return chuanp_cli_usage_error(a->cli, "--as-of wants a date YYYY-MM-DD, not '%s'", v), -1;
        a->as_of = v;
        break;
    }
    return 0;
}

static int run_lint(chuanp_cli *cli, int argc, const char **argv)
{
    lint_args a = {.cli = cli, .report = CHUAN_REPORT_TEXT};
    const char **pos = NULL;
    size_t npos = 0;
    chuanp_pathlist targets = {0};
    chuanp_output out = {0};
    chuan_reporter *rep = NULL;
    char *err = NULL;
    int rc = CHUAN_EXIT_FAILURE, worst = CHUAN_EXIT_OK, write_failed = 0;
    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0) {
        rc = p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
        goto out;
    }
    if (chuanp_cli_std_targets(cli, pos, npos, &targets) != 0)
        goto out;
    if (chuanp_cli_std_report_output(cli, a.output, &targets) < 0)
        goto out;
    if (chuanp_cli_report_open(cli, a.output, a.report, 0, "lint", &out, &rep) < 0)
        goto out;
    for (size_t i = 0; i < targets.count; i++) {
        chuan_file_result r;
        chuan_file_result_init(&r, targets.paths[i]);
        char *label = NULL;
        int l = chuanp_standard_lint(targets.paths[i], a.as_of, &r.diags, &label);
        r.standard = label;
        r.format = chuanp_strdup("package");
        r.status = l == 0 ? CHUAN_STATUS_VALID : l == 1 ? CHUAN_STATUS_INVALID : CHUAN_STATUS_FAILED;
        int code = l < 0 || l == 2 ? CHUAN_EXIT_FAILURE : l;
        if (code > worst)
            worst = code;
        if (chuan_reporter_file(rep, &r) < 0)
            write_failed = 1;
        chuan_file_result_clear(&r);
    }
    if (chuan_reporter_end(rep) < 0 || write_failed || chuanp_output_commit(&out, &err) < 0) {
        chuanp_output_abort(&out);
        rc = chuanp_cli_fail(cli, "cannot write the report: %s", err ? err : "write error");
        goto out;
    }
    rc = worst;
out:
    chuan_reporter_free(rep);
    chuanp_pathlist_free(&targets);
    chuanp_free(pos);
    chuanp_free(err);
    return rc;
}

const chuanp_verb chuanp_verb_lint = {
    "lint",
    "check standard packages: schemas compile, rules are complete, code lists are sound",
    "chuan lint [OPTIONS] [STANDARD...]",
    "STANDARD is an id or the path to a package folder; without one, every package found.\n"
    "Errors (exit 2): a schema that does not compile or is invalid against its meta-schema, an\n"
    "unsupported Schematron query binding, a code list with duplicate codes or bad dates, a rule\n"
    "without id, message or source, a rule naming a field the model does not define.\n"
    "Warnings (exit 1): a rule no invalid fixture's .expected file names, a rule without a\n"
    "Vietnamese message, a format without a valid fixture. Clean: exit 0.",
    lint_opts,
    run_lint,
};
