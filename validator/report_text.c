/* validator/report_text.c - human-readable report (colour only on a TTY). */
#include "report.h"

#include <string.h>

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

/* `chuan test` reports fixtures: an expectation met is "passed", not "valid". */
static int is_test(const chuan_reporter *rep)
{
    return rep->opts.tool_command && strcmp(rep->opts.tool_command, "test") == 0;
}

static const char *status_word(const chuan_reporter *rep, chuan_status st)
{
    if (is_test(rep))
        return st == CHUAN_STATUS_VALID ? _("passed") : st == CHUAN_STATUS_INVALID ? _("FAILED") : _("error");
    return st == CHUAN_STATUS_VALID        ? _("valid")
           : st == CHUAN_STATUS_INVALID    ? _("invalid")
           : st == CHUAN_STATUS_WELLFORMED ? _("well-formed")
                                           : _("failed");
}


/* " (2 records; standard dvc-hoso from the JSON member /service ...)", or
 * " (no standard matched)" after "well-formed" */
static void status_detail(FILE *o, const chuan_file_result *r)
{
    if (r->status == CHUAN_STATUS_WELLFORMED) {
        fputs(_(" (no standard matched)"), o);
        return;
    }
    const char *sep = " (";
    if (r->status == CHUAN_STATUS_VALID && r->records > 0) {
        fputs(sep, o);
        fprintf(o, chuanp_plural(r->records, N_("%ld record"), N_("%ld records")), r->records);
        sep = "; ";
    }
    if (r->selected && r->standard) {
        fputs(sep, o);
        fprintf(o, _("standard %s %s"), r->standard, r->selected);
        sep = "; ";
    }
    if (*sep == ';')
        fputc(')', o);
}

static void text_file(chuan_reporter *rep, const chuan_file_result *r)
{
    int c = rep->opts.color;
    FILE *o = rep->out;
    int good = r->status == CHUAN_STATUS_VALID || r->status == CHUAN_STATUS_WELLFORMED;
    if (good && r->diags.count == 0) {
        if (!rep->opts.quiet) {
            fprintf(o, "%s%s%s: %s%s%s", c ? BOLD : "", r->file, c ? RESET : "",
                    c ? (r->status == CHUAN_STATUS_VALID ? GREEN : YELLOW) : "",
                    status_word(rep, r->status), c ? RESET : "");
            status_detail(o, r);
            fputc('\n', o);
        }
        return;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < r->diags.count; i++) {
        const chuan_diag *d = &r->diags.items[i];
        chuanp_buf_reset(&b);
        chuanp_report_diag_line(&b, rep, d);
        const char *sev = chuanp_severity_name(d->severity);
        const char *p = (c && !b.err) ? strstr(b.data, sev) : NULL;
        if (p)
            fprintf(o, BOLD "%.*s" RESET "%s%s" RESET "%s\n", (int)(p - b.data), b.data,
                    d->severity == CHUAN_SEV_ERROR ? RED : YELLOW, sev, p + strlen(sev));
        else
            fprintf(o, "%s\n", b.err ? "(out of memory)" : b.data);
        if (d->source && *d->source)
            fprintf(o, _("    source: %s\n"), d->source);
    }
    chuanp_buf_free(&b);
    if (r->diags.dropped)
        fprintf(o, chuanp_plural((long)r->diags.dropped, N_("%s: %zu more diagnostic not shown (--max-errors)\n"),
                      N_("%s: %zu more diagnostics not shown (--max-errors)\n")),
                r->file, r->diags.dropped);
    if (!rep->opts.quiet || !good) {
        fprintf(o, "%s%s%s: %s%s%s", c ? BOLD : "", r->file, c ? RESET : "",
                c ? (r->status == CHUAN_STATUS_VALID ? GREEN : good ? YELLOW : RED) : "",
                status_word(rep, r->status), c ? RESET : "");
        status_detail(o, r);
        fputc('\n', o);
    }
}

static void text_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    FILE *o = rep->out;
    if (is_test(rep)) {
        fprintf(o, chuanp_plural((long)t->files, N_("%zu check: %zu passed, %zu failed"), N_("%zu checks: %zu passed, %zu failed")),
                t->files, t->valid, t->invalid);
    } else {
        fprintf(o, chuanp_plural((long)t->files, N_("%zu file checked: %zu valid, "), N_("%zu files checked: %zu valid, ")),
                t->files, t->valid);
        if (t->wellformed)
            fprintf(o, _("%zu well-formed only (no standard matched), "), t->wellformed);
        fprintf(o, _("%zu invalid"), t->invalid);
    }
    if (t->failed)
        fprintf(o, _(", %zu failed"), t->failed);
    fprintf(o, chuanp_plural((long)t->errors, N_(" (%zu error, "), N_(" (%zu errors, ")), t->errors);
    fprintf(o, chuanp_plural((long)t->warnings, N_("%zu warning)"), N_("%zu warnings)")), t->warnings);
    if (t->records)
        fprintf(o, chuanp_plural(t->records, N_("; %ld record"), N_("; %ld records")), t->records);
    fputc('\n', o);
}

const chuanp_report_ops chuanp_report_text = {text_file, text_end};
