/* cli/std_common.h - shared by the verbs about standard packages (standards, test, lint). */
#ifndef CHUAN_CLI_STD_COMMON_H
#define CHUAN_CLI_STD_COMMON_H

#include "cli.h"

/* "chuan: file:line:col: code: message" lines on cli->err. */
void chuanp_cli_std_diags(chuanp_cli *cli, const chuan_diags *d);
/* The packages to work on: the positional arguments, or every package found
 * in the search folders when there are none. Returns 0 or 2 (printed). */
int chuanp_cli_std_targets(chuanp_cli *cli, const char **pos, size_t npos, chuanp_pathlist *out);

/* -o FILE of test/lint: 0 when it replaces no file of the packages read
 * (nor is one), else -1 (printed). NULL output: 0. */
int chuanp_cli_std_report_output(chuanp_cli *cli, const char *output, const chuanp_pathlist *targets);

#endif
