/* cli/opts.c - option parsing from a verb's option table, generated help. */
#include "cli.h"
#include "../converters/sheet.h"

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

int chuanp_cli_check_outputs(chuanp_cli *cli, const char *const *outputs, size_t nout,
                             const chuanp_pathlist *reads)
{
    char *err = NULL;
    if (chuanp_check_outputs(outputs, nout, (const char *const *)reads->paths, reads->count,
                             &err) == 0)
        return 0;
    chuanp_cli_fail(cli, "%s", err ? err : "out of memory");
    chuanp_free(err);
    return -1;
}

int chuanp_cli_output_vs_reads(chuanp_cli *cli, const char *output, chuanp_pathlist *reads,
                               int oom)
{
    const char *outs[1] = {output};
    int c = oom ? chuanp_cli_fail(cli, "out of memory"), -1
                : chuanp_cli_check_outputs(cli, outs, 1, reads);
    chuanp_pathlist_free(reads);
    return c < 0 ? -1 : 0;
}

int chuanp_cli_jobs_fit(chuanp_cli *cli, int jobs, int quiet)
{
    int fit = chuanp_jobs_fit(jobs);
    if (fit < jobs && !quiet)
        fprintf(cli->err,
                chuanp_plural(fit, N_("chuan: note: %d worker instead of %d: not enough memory (address space) for more\n"),
                              N_("chuan: note: %d workers instead of %d: not enough memory (address space) for more\n")),
                fit, jobs);
    return fit < jobs ? fit : jobs;
}

int chuanp_cli_sheet_opt(chuanp_cli *cli, chuanp_sheet_opts *s, int id, const char *v)
{
    long n;
    switch (id) {
    case CHUANP_OPT_SHEET: s->sheet = v; return 0;
    case CHUANP_OPT_HEADER_ROW:
        if (chuanp_cli_int(cli, "--header-row", v, 1, 1048576, &n) < 0)
            return -1;
        s->header_row = n;
        return 0;
    case CHUANP_OPT_FONT_MAP: s->font_map = v; return 0;
    case CHUANP_OPT_COLUMNS_MAP: s->columns_map = v; return 0;
    case CHUANP_OPT_NUMBER_TEXT: s->number_text = 1; return 0;
    }
    return 1;
}

void chuanp_cli_diags(chuanp_cli *cli, const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        chuanp_diag_print(cli->err, &d->items[i]);
    if (d->dropped)
        fprintf(cli->err, _("chuan: %zu more errors not shown\n"), (size_t)d->dropped);
}

int chuanp_cli_report_open(chuanp_cli *cli, const char *output, int format, int quiet,
                           const char *command, chuanp_output *out, chuan_reporter **rep)
{
    char *err = NULL;
    *rep = NULL;
    if (chuanp_output_open(out, output, cli->out, &err) < 0) {
        chuanp_cli_fail(cli, "%s", err ? err : "cannot open the output");
        chuanp_free(err);
        return -1;
    }
    chuan_report_opts ro = {.format = (chuan_report_format)format,
                            .color = !output && cli->out_is_tty && !getenv("NO_COLOR"),
                            .quiet = quiet,
                            .tool_command = command};
    *rep = chuan_reporter_new(out->fp, &ro);
    if (!*rep) {
        chuanp_output_abort(out);
        chuanp_cli_fail(cli, "out of memory");
        return -1;
    }
    return 0;
}

void chuanp_cli_print_help(chuanp_cli *cli, const chuanp_verb *v)
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
            chuanp_cli_print_help(cli, cli->verb);
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
