/* cli/diff.c - `chuan diff OLD NEW`: what changed between two versions of a standard package
 * (engine: validator/standard_diff.c). */
#include "std_common.h"

#include "../validator/standard.h"
#include "../validator/standard_diff.h"

#include <string.h>

enum { OPT_FORMAT = 1, OPT_OUTPUT };

static const chuanp_opt diff_opts[] = {
    {"format", 'f', "FORMAT", OPT_FORMAT, "text, json or markdown (default text)"},
    {"output", 'o', "FILE", OPT_OUTPUT, "write the changes to FILE (atomically)"},
    {0},
};

typedef struct diff_args {
    chuanp_cli *cli;
    int format;
    const char *output;
} diff_args;

static int on_opt(void *ctx, int id, const char *v)
{
    diff_args *a = ctx;
    if (id == OPT_OUTPUT) {
        a->output = v;
        return 0;
    }
    if (strcmp(v, "text") == 0)
        a->format = CHUANP_DIFF_TEXT;
    else if (strcmp(v, "json") == 0)
        a->format = CHUANP_DIFF_JSON;
    else if (strcmp(v, "markdown") == 0 || strcmp(v, "md") == 0)
        a->format = CHUANP_DIFF_MARKDOWN;
    else
        return chuanp_cli_usage_error(a->cli, "unknown format '%s' (text|json|markdown)", v), -1;
    return 0;
}

static int run_diff(chuanp_cli *cli, int argc, const char **argv)
{
    diff_args a = {.cli = cli, .format = CHUANP_DIFF_TEXT};
    const char **pos = NULL;
    size_t npos = 0;
    chuanp_std_changes ch = {0};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    char *err = NULL;
    int rc = CHUAN_EXIT_FAILURE;
    int p = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (p != 0) {
        rc = p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
        goto out;
    }
    if (npos != 2) {
        rc = chuanp_cli_usage_error(cli, "wants two packages: OLD NEW");
        goto out;
    }
    if (a.output) {
        chuanp_pathlist reads = {0};
        for (size_t i = 0; i < 2; i++)
            chuanp_standard_files(pos[i], &reads);
        const char *outs[1] = {a.output};
        int c = chuanp_cli_check_outputs(cli, outs, 1, &reads);
        chuanp_pathlist_free(&reads);
        if (c < 0)
            goto out;
    }
    if (chuanp_standard_diff(pos[0], pos[1], &ch, &d) < 0) {
        chuanp_cli_std_diags(cli, &d);
        goto out;
    }
    chuanp_std_changes_write(&b, &ch, a.format);
    if (b.err) {
        rc = chuanp_cli_fail(cli, "out of memory");
        goto out;
    }
    int w = chuanp_output_write(a.output, cli->out, b.data, b.len, &err);
    if (w < 0) {
        rc = w == -1 ? chuanp_cli_fail(cli, "cannot write %s: %s", a.output, err ? err : "?")
                     : chuanp_cli_fail(cli, "cannot write the changes: %s", err ? err : "write error");
        goto out;
    }
    rc = ch.nbreaking ? CHUAN_EXIT_INVALID : CHUAN_EXIT_OK;
out:
    chuanp_std_changes_free(&ch);
    chuan_diags_clear(&d);
    chuanp_buf_free(&b);
    chuanp_free(pos);
    chuanp_free(err);
    return rc;
}

const chuanp_verb chuanp_verb_diff = {
    "diff",
    "what changed between two versions of a standard package, breaking or compatible",
    "chuan diff [OPTIONS] OLD NEW",
    "OLD and NEW are package folders or ID@VERSION. Lists, for integrators (senders of payloads),\n"
    "fields added, removed or renamed (a rename is guessed: same parent, position, type and constraints),\n"
    "required-ness, constraints narrowed or widened (enum, bounds, type; pattern, format and other\n"
    "keywords only as \"changed\"), rules added or removed or with a new severity, code-list entries\n"
    "added, removed or retired (with dates), manifest settings, formats, XML record paths and CSV\n"
    "columns.\n"
    "Breaking: a payload the old version accepted may be refused. Exit 1 when a change is breaking,\n"
    "0 when all are compatible (or none), 2 when a package cannot be read.",
    diff_opts,
    run_diff,
};
