/* cli/standards.c - `chuan standards [list|show ID]`: the standard packages available. */
#include "std_common.h"

#include "../validator/standard.h"

#include <string.h>

static const chuanp_opt standards_opts[] = {{0}};

static int dummy_opt(void *ctx, int id, const char *v)
{
    (void)ctx;
    (void)id;
    (void)v;
    return 0;
}

static int show(chuanp_cli *cli, const char *spec)
{
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = chuanp_standard_print_show(cli->out, spec, &d);
    if (rc < 0)
        chuanp_cli_std_diags(cli, &d);
    chuan_diags_clear(&d);
    return rc < 0 ? CHUAN_EXIT_FAILURE : CHUAN_EXIT_OK;
}

static int run_standards(chuanp_cli *cli, int argc, const char **argv)
{
    const char **pos = NULL;
    size_t npos = 0;
    int rc;
    int p = chuanp_cli_parse(cli, argc, argv, dummy_opt, NULL, &pos, &npos);
    if (p != 0)
        return p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    if (npos == 0 || (npos == 1 && strcmp(pos[0], "list") == 0))
        rc = chuanp_standard_print_list(cli->out, cli->err) < 0
                 ? chuanp_cli_fail(cli, "out of memory") : CHUAN_EXIT_OK;
    else if (npos == 2 && strcmp(pos[0], "show") == 0)
        rc = show(cli, pos[1]);
    else if (strcmp(pos[0], "show") == 0)
        rc = chuanp_cli_usage_error(cli, "'show' wants one standard (an id or a path)");
    else
        rc = chuanp_cli_usage_error(cli, "unknown subcommand '%s' (list, show ID)", pos[0]);
    chuanp_free(pos);
    return rc;
}

const chuanp_verb chuanp_verb_standards = {
    "standards",
    "list the standard packages, or show one",
    "chuan standards [list | show ID]",
    "Packages are searched in $CHUAN_STANDARDS (colon-separated folders), ./standards, then next\n"
    "to the binary (../share/chuan/standards). ID may be ID@VERSION or a path to a package folder.",
    standards_opts,
    run_standards,
};
