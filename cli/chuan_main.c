/* cli/chuan_main.c - the command-line tool as a library function. */
#include "cli.h"
#include "../validator/validator.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlIO.h>
#include <string.h>
#include <unistd.h>

static const chuanp_verb *find_verb(const char *name)
{
    for (size_t i = 0; i < chuanp_nverbs; i++)
        if (strcmp(chuanp_verbs[i]->name, name) == 0)
            return chuanp_verbs[i];
    return NULL;
}

static void print_overview(FILE *o)
{
    fputs("chuan " CHUAN_VERSION " - validate and convert data-exchange payloads (XML, JSON, CSV)\n"
          "against Vietnam's e-government standards.\n\nusage: chuan VERB [OPTIONS] [ARGS...]\n\nverbs:\n",
          o);
    for (size_t i = 0; i < chuanp_nverbs; i++)
        fprintf(o, "  %-12s %s\n", chuanp_verbs[i]->name, chuanp_verbs[i]->summary);
    fputs("\n'chuan help VERB' or 'chuan VERB --help' shows a verb's options.\n"
          "exit codes: 0 valid/converted, 1 invalid input, 2 the tool could not do its job\n",
          o);
}

static int run_help(chuanp_cli *cli, int argc, const char **argv)
{
    if (argc < 2) {
        print_overview(cli->out);
        return CHUAN_EXIT_OK;
    }
    const chuanp_verb *v = find_verb(argv[1]);
    if (!v) {
        cli->verb = NULL;
        return chuanp_cli_usage_error(cli, "unknown verb '%s'", argv[1]);
    }
    chuanp_cli_print_help(cli, v);
    return CHUAN_EXIT_OK;
}

static const chuanp_opt help_opts[] = {{0}};
const chuanp_verb chuanp_verb_help = {
    "help", "show the verbs, or one verb's options", "chuan help [VERB]", NULL, help_opts, run_help,
};

int chuan_main(int argc, const char **argv, FILE *out, FILE *err)
{
    chuanp_cli cli = {.out = out, .err = err};
    cli.out_is_tty = isatty(fileno(out));
    cli.err_is_tty = isatty(fileno(err));
    chuanp_init(); /* libxml2 set-up: allocator, no network, silent generic channel */
    if (argc < 2) {
        print_overview(err);
        return CHUAN_EXIT_FAILURE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--version") == 0 || strcmp(name, "-V") == 0) {
        fprintf(out, "chuan %s (libxml2 %s, libxslt, jansson, PCRE2, utf8proc)\n", CHUAN_VERSION,
                xmlParserVersion);
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
            fprintf(err, "chuan: out of memory: the run is incomplete\n");
            fflush(out);
            return CHUAN_EXIT_FAILURE;
        }
        if (fflush(out) != 0 || ferror(out)) {
            if (rc != CHUAN_EXIT_FAILURE) /* the verb has not said so already */
                fprintf(err, "chuan: cannot write standard output\n");
            return CHUAN_EXIT_FAILURE;
        }
        return rc;
    }
    if (fflush(out) != 0 || ferror(out)) {
        fprintf(err, "chuan: cannot write standard output\n");
        return CHUAN_EXIT_FAILURE;
    }
    return CHUAN_EXIT_OK;
}
