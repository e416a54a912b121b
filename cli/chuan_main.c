/* cli/chuan_main.c - the command-line tool as a library function. */
#include "cli.h"
#include "../validator/validator.h"

#include <libexslt/exslt.h>
#include <libxml/parser.h>
#include <libxslt/xsltconfig.h>
#include <libxslt/xslt.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#include <string.h>
#include <unistd.h>

/* The versions of the libraries actually loaded (not the headers built against). */
static void print_version(FILE *out)
{
    char pcre[32] = "?";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    fprintf(out, "chuan %s (libxml2 %s, libxslt %d, libexslt %d, PCRE2 %s, utf8proc %s)\n",
            CHUAN_VERSION, xmlParserVersion, xsltLibxsltVersion, exsltLibexsltVersion, pcre, utf8proc_version());
}

static const chuanp_verb *find_verb(const char *name)
{
    for (size_t i = 0; i < chuanp_nverbs; i++)
        if (strcmp(chuanp_verbs[i]->name, name) == 0)
            return chuanp_verbs[i];
    return NULL;
}

static void print_overview(FILE *o)
{
    fputs("chuan " CHUAN_VERSION " - ", o);
    fputs(_("validate and convert data-exchange payloads (XML, JSON, CSV)\n"
            "against Vietnam's e-government standards.\n\nusage: chuan VERB [OPTIONS] [ARGS...]\n\nverbs:\n"),
          o);
    for (size_t i = 0; i < chuanp_nverbs; i++)
        fprintf(o, "  %-12s %s\n", chuanp_verbs[i]->name, chuanp_gettext(chuanp_verbs[i]->summary));
    fputs(_("\n'chuan help VERB' or 'chuan VERB --help' shows a verb's options.\n"
            "--lang vi|en (any verb) chooses the language of messages; else LC_ALL, LC_MESSAGES, LANG.\n"
            "exit codes: 0 valid/converted, 1 invalid input, 2 the tool could not do its job\n"),
          o);
}

/* --lang vi|en, anywhere before "--": set the language of messages and
 * take the option out of argv (a copy in *out, freed by the caller).
 * Returns 0, or -1 when the value is missing or unknown (message shown). */
static int take_lang(chuanp_cli *cli, int *argc, const char **argv, const char ***out)
{
    const char **v = chuanp_calloc((size_t)*argc + 1, sizeof *v);
    if (!v)
        return chuanp_cli_fail(cli, "out of memory"), -1;
    int n = 0, only_pos = 0, rc = 0;
    for (int i = 0; i < *argc; i++) {
        const char *a = argv[i], *val = NULL;
        if (!only_pos && strcmp(a, "--") == 0)
            only_pos = 1;
        if (only_pos || i == 0 || strncmp(a, "--lang", 6) != 0 || (a[6] != '\0' && a[6] != '=')) {
            v[n++] = a;
            continue;
        }
        if (a[6] == '=')
            val = a + 7;
        else if (i + 1 < *argc)
            val = argv[++i];
        if (!val || chuanp_lang_set(val) < 0) {
            chuanp_cli_usage_error(cli, "option --lang wants vi or en, not '%s'", val ? val : "");
            rc = -1;
        }
    }
    *argc = n;
    *out = v;
    return rc;
}

enum { OPT_MAN = 1, OPT_COMPLETION };
typedef struct help_args {
    int man;
    const char *completion;
} help_args;

static int on_help_opt(void *ctx, int id, const char *v)
{
    help_args *a = ctx;
    if (id == OPT_MAN)
        a->man = 1;
    else if (id == OPT_COMPLETION)
        a->completion = v;
    return 0;
}

static int run_help(chuanp_cli *cli, int argc, const char **argv)
{
    help_args a = {0};
    const char **pos = NULL;
    size_t npos = 0;
    int rc = chuanp_cli_parse(cli, argc, argv, on_help_opt, &a, &pos, &npos);
    if (rc != 0)
        return rc > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    const chuanp_verb *v = NULL;
    if (npos > 0 && !(v = find_verb(pos[0]))) {
        cli->verb = NULL;
        rc = chuanp_cli_usage_error(cli, "unknown verb '%s'", pos[0]);
    } else if (a.completion) {
        rc = chuanp_completion_write(cli->out, chuanp_verbs, chuanp_nverbs, a.completion) < 0
                 ? chuanp_cli_usage_error(cli, "--completion: bash or zsh, not '%s'", a.completion)
                 : CHUAN_EXIT_OK;
    } else if (a.man) {
        chuanp_man_write(cli->out, chuanp_verbs, chuanp_nverbs, v);
    } else if (v) {
        chuanp_cli_print_help(cli, v);
    } else {
        print_overview(cli->out);
    }
    chuanp_free(pos);
    return rc;
}

static const chuanp_opt help_opts[] = {
    {"man", 0, NULL, OPT_MAN, "write the man page (chuan(1), or chuan-VERB(1)) in roff"},
    {"completion", 0, "bash|zsh", OPT_COMPLETION, "write the shell completion script"},
    {0},
};
const chuanp_verb chuanp_verb_help = {
    "help", "show the verbs, or one verb's options", "chuan help [--man] [VERB]", NULL, help_opts,
    run_help,
};

static int run_main(chuanp_cli *clip, int argc, const char **argv, FILE *out, FILE *err);

int chuan_main(int argc, const char **argv, FILE *out, FILE *err)
{
    chuanp_cli cli = {.out = out, .err = err};
    cli.out_is_tty = isatty(fileno(out));
    cli.err_is_tty = isatty(fileno(err));
    chuanp_init(); /* libxml2 set-up: allocator, no network, silent generic channel */
    chuanp_temp_install_handlers(); /* the CLI only: signals remove chuan's temporary files */
    const char **args = NULL;
    if (take_lang(&cli, &argc, argv, &args) < 0) {
        chuanp_free(args);
        return CHUAN_EXIT_FAILURE;
    }
    int rc = run_main(&cli, argc, args, out, err);
    chuanp_free(args);
    return rc;
}

static int run_main(chuanp_cli *clip, int argc, const char **argv, FILE *out, FILE *err)
{
    chuanp_cli cli = *clip;
    if (argc < 2) {
        print_overview(err);
        return CHUAN_EXIT_FAILURE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        print_version(out);
    } else if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0) {
        print_overview(out);
    } else {
        const chuanp_verb *v = find_verb(name);
        if (!v)
            return chuanp_cli_usage_error(&cli, "unknown verb '%s'", name);
        cli.verb = v;
        int rc = v->run(&cli, argc - 1, argv + 1);
        if (chuanp_alloc_failures() > 0) {
            /* Running out of memory anywhere is never a verdict. */
            fprintf(err, "chuan: %s\n", _("out of memory: the run is incomplete"));
            fflush(out);
            return CHUAN_EXIT_FAILURE;
        }
        if (fflush(out) != 0 || ferror(out)) {
            if (rc != CHUAN_EXIT_FAILURE) /* the verb has not said so already */
                fprintf(err, "chuan: %s\n", _("cannot write standard output"));
            return CHUAN_EXIT_FAILURE;
        }
        return rc;
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(err, "chuan: %s\n", _("cannot write standard output"));
        return CHUAN_EXIT_FAILURE;
    }
    return CHUAN_EXIT_OK;
}
