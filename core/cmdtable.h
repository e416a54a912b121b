/*
 * core/cmdtable.h - a command-line tool as tables: verbs and their options,
 * from which the option parser and the help (core/cmdline.c), the man pages
 * (core/manpage.c) and the shell completions (core/completion.c) work. The
 * tool (cli/) gives the tables and the verbs' run functions.
 */
#ifndef CHUAN_CMDTABLE_H
#define CHUAN_CMDTABLE_H

#include <stddef.h>
#include <stdio.h>

typedef struct chuanp_opt {
    const char *long_name; /* without "--" */
    char short_name;       /* 0 = none */
    const char *metavar;   /* NULL: a flag without a value */
    int id;
    const char *help;
} chuanp_opt;

typedef struct chuanp_verb chuanp_verb;

/* The tool's context, given to every verb. */
typedef struct chuanp_cli {
    FILE *out;
    FILE *err;
    int out_is_tty;
    int err_is_tty;
    const chuanp_verb *verb; /* the verb running, NULL before one is chosen */
} chuanp_cli;

struct chuanp_verb {
    const char *name;
    const char *summary;  /* one line for `chuan help` */
    const char *usage;    /* "chuan validate [OPTIONS] PATH..." */
    const char *details;  /* paragraphs after the option list, may be NULL */
    const chuanp_opt *opts; /* terminated by an entry with id 0 */
    int (*run)(chuanp_cli *cli, int argc, const char **argv);
};

/* Parse argv (argv[0] is the verb name) against cli->verb->opts. For each
 * option calls on_opt(ctx, id, value); collects positional arguments into
 * *pos (borrowed pointers into argv, caller frees the array). --help/-h
 * prints the verb help and makes it return 1 (exit 0). Returns 0 ok, 1
 * help shown, -1 usage error (message printed, exit 2). on_opt returns 0
 * or -1 (it printed the error). */
int chuanp_cli_parse(chuanp_cli *cli, int argc, const char **argv,
                     int (*on_opt)(void *ctx, int id, const char *value), void *ctx,
                     const char ***pos, size_t *npos);
/* Print "chuan VERB: message; try 'chuan VERB --help'" and return 2. */
int chuanp_cli_usage_error(chuanp_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* Print "chuan: message" to err and return 2. */
int chuanp_cli_fail(chuanp_cli *cli, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
/* A whole number from min to max for option opt, else a usage error: 0 or -1. */
int chuanp_cli_int(chuanp_cli *cli, const char *opt, const char *value, long min, long max,
                   long *out);
/* --lang vi|en, anywhere before "--": set the language of messages and
 * take the option out of argv (a copy in *out, freed by the caller).
 * Returns 0, or -1 when the value is missing or unknown (message shown). */
int chuanp_cli_take_lang(chuanp_cli *cli, int *argc, const char **argv, const char ***out);
/* The verb of verbs[0..n) called name, NULL when none is. */
const chuanp_verb *chuanp_verb_find(const chuanp_verb *const *verbs, size_t n, const char *name);
/* The help verb over verbs[0..n): overview() without a VERB, else the
 * verb's help; --man (option id CHUANP_HELP_OPT_MAN) its man page,
 * --completion SHELL (CHUANP_HELP_OPT_COMPLETION) the completion script.
 * Returns the exit code. */
enum { CHUANP_HELP_OPT_MAN = 1, CHUANP_HELP_OPT_COMPLETION };
int chuanp_cli_help(chuanp_cli *cli, const chuanp_verb *const *verbs, size_t nverbs,
                    void (*overview)(FILE *o), int argc, const char **argv);

/* Man pages from the tables (core/manpage.c): chuan(1) listing verbs[0..n)
 * when v is NULL, else chuan-VERB(1). */
void chuanp_man_write(FILE *o, const chuanp_verb *const *verbs, size_t n, const chuanp_verb *v);
/* Shell completion for verbs[0..n) (core/completion.c): shell "bash" or
 * "zsh"; -1 another. */
int chuanp_completion_write(FILE *o, const chuanp_verb *const *verbs, size_t n, const char *shell);

/* Shared by the two writers: the values an option takes when its metavar
 * or help names them as a|b|c or its help ends in a list ("NAME: a
 * (default), b or c"), space-separated in buf; 0 when it names none. */
size_t chuanp_opt_values(const chuanp_opt *p, char *buf, size_t cap);

#endif /* CHUAN_CMDTABLE_H */
