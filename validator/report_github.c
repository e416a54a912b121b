/* validator/report_github.c - GitHub Actions workflow commands.
 * GitHub shows only the first 10 annotations of a kind per step, so the
 * summary is printed last as plain text (always visible in the log). */
#include "report.h"

#include <string.h>

/* %, CR, LF are escaped in data; properties also escape ':' and ','. */
static void gh_escape(FILE *o, const char *s, int property)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '%': fputs("%25", o); break;
        case '\r': fputs("%0D", o); break;
        case '\n': fputs("%0A", o); break;
        case ':': fputs(property ? "%3A" : ":", o); break;
        case ',': fputs(property ? "%2C" : ",", o); break;
        default: fputc(*s, o);
        }
    }
}

static void github_file(chuan_reporter *rep, const chuan_file_result *r)
{
    FILE *o = rep->out;
    for (size_t i = 0; i < r->diags.count; i++) {
        const chuan_diag *d = &r->diags.items[i];
        fputs(d->severity == CHUAN_SEV_ERROR ? "::error " : d->severity == CHUAN_SEV_WARNING
                                                              ? "::warning "
                                                              : "::notice ",
              o);
        fputs("file=", o);
        gh_escape(o, d->file ? d->file : r->file, 1);
        if (d->line > 0)
            fprintf(o, ",line=%ld", d->line);
        if (d->column > 0)
            fprintf(o, ",col=%ld", d->column);
        fputs(",title=", o);
        gh_escape(o, d->code ? d->code : "chuan", 1);
        fputs("::", o);
        gh_escape(o, chuanp_report_message(rep, d), 0);
        if (d->path && *d->path) {
            fputs(_(" (at "), o);
            gh_escape(o, d->path, 0);
            fputc(')', o);
        }
        fputc('\n', o);
    }
    if (r->status == CHUAN_STATUS_WELLFORMED) {
        fputs("::notice file=", o);
        gh_escape(o, r->file, 1);
        fputs(",title=standard.none::", o);
        gh_escape(o, _("well-formed only: no standard matched, nothing else was checked"), 0);
        fputc('\n', o);
    }
}

static void github_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    FILE *o = rep->out; /* the words of the text report's summary (report_text.c) */
    fputs("chuan: ", o);
    fprintf(o, chuanp_plural((long)t->files, N_("%zu file checked: %zu valid, "), N_("%zu files checked: %zu valid, ")),
            t->files, t->valid);
    if (t->wellformed)
        fprintf(o, _("%zu well-formed only (no standard matched), "), t->wellformed);
    fprintf(o, _("%zu invalid"), t->invalid);
    fprintf(o, _(", %zu failed"), t->failed);
    fprintf(o, chuanp_plural((long)t->errors, N_(" (%zu error, "), N_(" (%zu errors, ")), t->errors);
    fprintf(o, chuanp_plural((long)t->warnings, N_("%zu warning)"), N_("%zu warnings)")), t->warnings);
    fputc('\n', o);
}

const chuanp_report_ops chuanp_report_github = {github_file, github_end};
