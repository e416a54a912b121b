/* cli/chuan_main.c - the command-line tool as a library function. */
#include "cli.h"
#include "../validator/validator.h"
#include "../validator/xslt_lib.h"

#include <libxml/parser.h>
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <utf8proc.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#include <string.h>
#include <unistd.h>

/* The versions of the libraries actually loaded (not the headers built against): libxslt and
 * libexslt, opened on first use, are opened here to ask them ("unavailable" when they cannot be). */
static void print_version(FILE *out)
{
    char pcre[32] = "?", xslt[16] = "unavailable", exslt[16] = "unavailable";
    pcre2_config(PCRE2_CONFIG_VERSION, pcre);
    int xv, ev;
    chuanp_xslt_versions(&xv, &ev);
    if (xv >= 0)
        snprintf(xslt, sizeof xslt, "%d", xv);
    if (ev >= 0)
        snprintf(exslt, sizeof exslt, "%d", ev);
    fprintf(out, "chuan %s (libxml2 %s, libxslt %s, libexslt %s, PCRE2 %s, utf8proc %s)\n",
            CHUAN_VERSION, xmlParserVersion, xslt, exslt, pcre, utf8proc_version());
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

static int run_help(chuanp_cli *cli, int argc, const char **argv)
{
    return chuanp_cli_help(cli, chuanp_verbs, chuanp_nverbs, print_overview, argc, argv);
}

static const chuanp_opt help_opts[] = {
    {"man", 0, NULL, CHUANP_HELP_OPT_MAN, "write the man page (chuan(1), or chuan-VERB(1)) in roff"},
    {"completion", 0, "bash|zsh", CHUANP_HELP_OPT_COMPLETION, "write the shell completion script"},
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
    if (chuanp_cli_take_lang(&cli, &argc, argv, &args) < 0) {
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
        const chuanp_verb *v = chuanp_verb_find(chuanp_verbs, chuanp_nverbs, name);
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
