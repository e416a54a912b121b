/* validator/report_text.c - human-readable report (colour only on a TTY). */
#include "report.h"

#include <string.h>

#define RED "\033[31m"
#define YELLOW "\033[33m"
#define GREEN "\033[32m"
#define BOLD "\033[1m"
#define RESET "\033[0m"

static void text_file(chuan_reporter *rep, const chuan_file_result *r)
{
    int c = rep->opts.color;
    FILE *o = rep->out;
    if (r->status == CHUAN_STATUS_VALID && r->diags.count == 0) {
        if (!rep->opts.quiet) {
            fprintf(o, "%s%s%s: %svalid%s", c ? BOLD : "", r->file, c ? RESET : "", c ? GREEN : "",
                    c ? RESET : "");
            if (r->records > 0)
                fprintf(o, " (%ld record%s)", r->records, r->records == 1 ? "" : "s");
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
            fprintf(o, "    source: %s\n", d->source);
    }
    chuanp_buf_free(&b);
    if (r->diags.dropped)
        fprintf(o, "%s: %zu more diagnostic%s not shown (--max-errors)\n", r->file, r->diags.dropped,
                r->diags.dropped == 1 ? "" : "s");
    if (!rep->opts.quiet || r->status != CHUAN_STATUS_VALID)
        fprintf(o, "%s%s%s: %s%s%s\n", c ? BOLD : "", r->file, c ? RESET : "",
                c ? (r->status == CHUAN_STATUS_VALID ? GREEN : RED) : "",
                chuanp_status_name(r->status), c ? RESET : "");
}

static void text_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    fprintf(rep->out, "%zu file%s checked: %zu valid, %zu invalid", t->files, t->files == 1 ? "" : "s",
            t->valid, t->invalid);
    if (t->failed)
        fprintf(rep->out, ", %zu failed", t->failed);
    fprintf(rep->out, " (%zu error%s, %zu warning%s)", t->errors, t->errors == 1 ? "" : "s",
            t->warnings, t->warnings == 1 ? "" : "s");
    if (t->records)
        fprintf(rep->out, "; %ld records", t->records);
    fputc('\n', rep->out);
}

const chuanp_report_ops chuanp_report_text = {text_file, text_end};
