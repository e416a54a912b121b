/* core/cmdline.c - a command-line tool run from its tables (core/cmdtable.h):
 * options parsed from a verb's option table, the help generated from it,
 * usage and failure messages, --lang, and the help verb (overview, one
 * verb's options, man pages, shell completion). Nothing here knows chuan's
 * verbs: cli/ gives the tables. */
#include "cmdtable.h"
#include "core.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int chuanp_cli_usage_error(chuanp_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(cli->err, "chuan%s%s: ", cli->verb ? " " : "", cli->verb ? cli->verb->name : "");
    vfprintf(cli->err, chuanp_gettext(fmt), ap);
    va_end(ap);
    if (cli->verb)
        fprintf(cli->err, _("; try 'chuan %s --help'\n"), cli->verb->name);
    else
        fputs(_("; try 'chuan help'\n"), cli->err);
    return CHUAN_EXIT_FAILURE;
}

int chuanp_cli_fail(chuanp_cli *cli, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("chuan: ", cli->err);
    vfprintf(cli->err, chuanp_gettext(fmt), ap);
    fputc('\n', cli->err);
    va_end(ap);
    return CHUAN_EXIT_FAILURE;
}

int chuanp_cli_int(chuanp_cli *cli, const char *opt, const char *value, long min, long max,
                   long *out)
{
    if (chuanp_parse_long(value, min, max, out) < 0) {
        chuanp_cli_usage_error(cli, "option %s wants a whole number from %ld to %ld, not '%s'", opt,
                               min, max, value);
        return -1;
    }
    return 0;
}

static void print_help(chuanp_cli *cli, const chuanp_verb *v)
{
    FILE *o = cli->out;
    fprintf(o, _("usage: %s\n\n%s\n"), v->usage, chuanp_gettext(v->summary));
    if (v->opts && v->opts[0].id) {
        fputs(_("\noptions:\n"), o);
        for (const chuanp_opt *p = v->opts; p->id; p++) {
            char left[64];
            char sh[5] = "    ";
            if (p->short_name) {
                sh[0] = '-';
                sh[1] = p->short_name;
                sh[2] = ',';
            }
            snprintf(left, sizeof left, "%s--%s%s%s", sh, p->long_name, p->metavar ? " " : "",
                     p->metavar ? p->metavar : "");
            fprintf(o, "  %-30s %s\n", left, chuanp_gettext(p->help));
        }
        fprintf(o, "  %-30s %s\n", "-h, --help", _("show this help"));
        fprintf(o, "  %-30s %s\n", "    --lang vi|en", _("language of messages (else LC_ALL, LC_MESSAGES, LANG)"));
    }
    if (v->details)
        fprintf(o, "\n%s\n", chuanp_gettext(v->details));
}

static const chuanp_opt *find_long(const chuanp_opt *opts, const char *name, size_t len)
{
    for (const chuanp_opt *p = opts; p && p->id; p++)
        if (strlen(p->long_name) == len && strncmp(p->long_name, name, len) == 0)
            return p;
    return NULL;
}

static const chuanp_opt *find_short(const chuanp_opt *opts, char c)
{
    for (const chuanp_opt *p = opts; p && p->id; p++)
        if (p->short_name == c)
            return p;
    return NULL;
}

int chuanp_cli_parse(chuanp_cli *cli, int argc, const char **argv,
                     int (*on_opt)(void *ctx, int id, const char *value), void *ctx,
                     const char ***pos, size_t *npos)
{
    const chuanp_opt *opts = cli->verb->opts;
    const char **p = chuanp_calloc((size_t)argc + 1, sizeof *p);
    size_t n = 0;
    int rc = 0, only_pos = 0;
    if (!p)
        return chuanp_cli_fail(cli, "out of memory"), -1;
    for (int i = 1; i < argc && rc == 0; i++) {
        const char *a = argv[i];
        if (only_pos || a[0] != '-' || strcmp(a, "-") == 0) {
            p[n++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            only_pos = 1;
            continue;
        }
        if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            print_help(cli, cli->verb);
            rc = 1;
            break;
        }
        if (a[1] == '-') {
            const char *name = a + 2, *eq = strchr(name, '=');
            size_t len = eq ? (size_t)(eq - name) : strlen(name);
            const chuanp_opt *o = find_long(opts, name, len);
            if (!o) {
                chuanp_cli_usage_error(cli, "unknown option --%.*s", (int)len, name);
                rc = -1;
                break;
            }
            const char *val = NULL;
            if (o->metavar) {
                if (eq)
                    val = eq + 1;
                else if (i + 1 < argc)
                    val = argv[++i];
                else {
                    chuanp_cli_usage_error(cli, "option --%s needs a value (%s)", o->long_name,
                                           o->metavar);
                    rc = -1;
                    break;
                }
            } else if (eq) {
                chuanp_cli_usage_error(cli, "option --%s takes no value", o->long_name);
                rc = -1;
                break;
            }
            if (on_opt(ctx, o->id, val) < 0)
                rc = -1;
            continue;
        }
        /* short options, possibly bundled: -qj4 */
        for (const char *s = a + 1; *s && rc == 0; s++) {
            const chuanp_opt *o = find_short(opts, *s);
            if (!o) {
                chuanp_cli_usage_error(cli, "unknown option -%c", *s);
                rc = -1;
                break;
            }
            if (!o->metavar) {
                if (on_opt(ctx, o->id, NULL) < 0)
                    rc = -1;
                continue;
            }
            const char *val = s[1] ? s + 1 : (i + 1 < argc ? argv[++i] : NULL);
            if (!val) {
                chuanp_cli_usage_error(cli, "option -%c needs a value (%s)", o->short_name,
                                       o->metavar);
                rc = -1;
                break;
            }
            if (on_opt(ctx, o->id, val) < 0)
                rc = -1;
            break;
        }
    }
    if (rc != 0) {
        chuanp_free(p);
        return rc;
    }
    *pos = p;
    *npos = n;
    return 0;
}

const chuanp_verb *chuanp_verb_find(const chuanp_verb *const *verbs, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(verbs[i]->name, name) == 0)
            return verbs[i];
    return NULL;
}

int chuanp_cli_take_lang(chuanp_cli *cli, int *argc, const char **argv, const char ***out)
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

/* the help verb's options (its table is the tool's: CHUANP_HELP_OPT_*) */
typedef struct help_args {
    int man;
    const char *completion;
} help_args;

static int on_help_opt(void *ctx, int id, const char *v)
{
    help_args *a = ctx;
    if (id == CHUANP_HELP_OPT_MAN)
        a->man = 1;
    else if (id == CHUANP_HELP_OPT_COMPLETION)
        a->completion = v;
    return 0;
}

int chuanp_cli_help(chuanp_cli *cli, const chuanp_verb *const *verbs, size_t nverbs,
                    void (*overview)(FILE *o), int argc, const char **argv)
{
    help_args a = {0};
    const char **pos = NULL;
    size_t npos = 0;
    int rc = chuanp_cli_parse(cli, argc, argv, on_help_opt, &a, &pos, &npos);
    if (rc != 0)
        return rc > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    const chuanp_verb *v = NULL;
    if (npos > 0 && !(v = chuanp_verb_find(verbs, nverbs, pos[0]))) {
        cli->verb = NULL;
        rc = chuanp_cli_usage_error(cli, "unknown verb '%s'", pos[0]);
    } else if (a.completion) {
        rc = chuanp_completion_write(cli->out, verbs, nverbs, a.completion) < 0
                 ? chuanp_cli_usage_error(cli, "--completion: bash or zsh, not '%s'", a.completion)
                 : CHUAN_EXIT_OK;
    } else if (a.man) {
        chuanp_man_write(cli->out, verbs, nverbs, v);
    } else if (v) {
        print_help(cli, v);
    } else {
        overview(cli->out);
    }
    chuanp_free(pos);
    return rc;
}
