/*
 * cli/cli.h - verbs and options as tables (internal to the command-line tool).
 *
 * A verb is {name, summary, usage, options, run} (core/cmdtable.h: the
 * option parser, help, usage and failure messages are core/cmdline.c's).
 * Nothing here calls exit(): run() returns the exit code (CHUAN_EXIT_*).
 */
#ifndef CHUAN_CLI_H
#define CHUAN_CLI_H

#include "../core/core.h"
#include "../core/cmdtable.h"
#include "../core/progress.h"

/* Open where a verb's report goes (-o FILE, written atomically, else the
 * tool's output) and a reporter on it; colour only on a TTY without
 * NO_COLOR. Returns 0, or prints why and returns -1 (*out is then closed). */
/* Refuse (exit 2, message shown) any output that is another output or a
 * file the run reads (core chuanp_check_outputs): 0 or -1. */
int chuanp_cli_check_outputs(chuanp_cli *cli, const char *const *outputs, size_t nout,
                             const chuanp_pathlist *reads);
/* The same for one output against reads, which it frees (oom: adding to
 * reads failed: "out of memory"). */
int chuanp_cli_output_vs_reads(chuanp_cli *cli, const char *output, chuanp_pathlist *reads,
                               int oom);
int chuanp_cli_report_open(chuanp_cli *cli, const char *output, int format, int quiet,
                           const char *command, chuanp_output *out, chuan_reporter **rep);

/* The workers that fit in memory, at most jobs (a note unless quiet when
 * fewer). */
int chuanp_cli_jobs_fit(chuanp_cli *cli, int jobs, int quiet);
/* Diagnostics on standard error, one line each, then how many were dropped. */
void chuanp_cli_diags(chuanp_cli *cli, const chuan_diags *d);

/* The spreadsheet options of validate and convert (converters/sheet.h),
 * ids CHUANP_OPT_SHEET...: 0 taken, 1 not one of them, -1 usage error. */
enum { CHUANP_OPT_SHEET = 400, CHUANP_OPT_HEADER_ROW, CHUANP_OPT_FONT_MAP, CHUANP_OPT_COLUMNS_MAP,
       CHUANP_OPT_NUMBER_TEXT };
struct chuanp_sheet_opts;
int chuanp_cli_sheet_opt(chuanp_cli *cli, struct chuanp_sheet_opts *s, int id, const char *v);


/* The verb table (cli/verbs.c). */
extern const chuanp_verb *const chuanp_verbs[];
extern const size_t chuanp_nverbs;

extern const chuanp_verb chuanp_verb_help;
extern const chuanp_verb chuanp_verb_validate;
extern const chuanp_verb chuanp_verb_standards;
extern const chuanp_verb chuanp_verb_test;
extern const chuanp_verb chuanp_verb_lint;
extern const chuanp_verb chuanp_verb_diff;
extern const chuanp_verb chuanp_verb_new;
extern const chuanp_verb chuanp_verb_serve;
extern const chuanp_verb chuanp_verb_convert;
extern const chuanp_verb chuanp_verb_encoding;
extern const chuanp_verb chuanp_verb_codelist;

#endif /* CHUAN_CLI_H */
