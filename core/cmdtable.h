/*
 * core/cmdtable.h - a command-line tool as tables: verbs and their options,
 * from which the help (cli/opts.c), the man pages (core/manpage.c) and the
 * shell completions (core/completion.c) are written.
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

typedef struct chuanp_cli chuanp_cli; /* the tool's context (cli/cli.h) */

typedef struct chuanp_verb {
    const char *name;
    const char *summary;  /* one line for `chuan help` */
    const char *usage;    /* "chuan validate [OPTIONS] PATH..." */
    const char *details;  /* paragraphs after the option list, may be NULL */
    const chuanp_opt *opts; /* terminated by an entry with id 0 */
    int (*run)(chuanp_cli *cli, int argc, const char **argv);
} chuanp_verb;

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
