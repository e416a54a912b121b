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
        return st == CHUAN_STATUS_VALID ? "passed" : st == CHUAN_STATUS_INVALID ? "FAILED" : "error";
    return chuanp_status_name(st);
}

/* " (2 records; standard dvc-hoso from the JSON member /service ...)", or
 * " (no standard matched)" after "well-formed" */
static void status_detail(FILE *o, const chuan_file_result *r)
{
    if (r->status == CHUAN_STATUS_WELLFORMED) {
        fputs(" (no standard matched)", o);
        return;
    }
    const char *sep = " (";
    if (r->status == CHUAN_STATUS_VALID && r->records > 0) {
        fprintf(o, "%s%ld record%s", sep, r->records, r->records == 1 ? "" : "s");
        sep = "; ";
    }
    if (r->selected && r->standard) {
        fprintf(o, "%sstandard %s %s", sep, r->standard, r->selected);
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
            fprintf(o, "    source: %s\n", d->source);
    }
    chuanp_buf_free(&b);
    if (r->diags.dropped)
        fprintf(o, "%s: %zu more diagnostic%s not shown (--max-errors)\n", r->file, r->diags.dropped,
                r->diags.dropped == 1 ? "" : "s");
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
    if (is_test(rep))
        fprintf(rep->out, "%zu check%s: %zu passed, %zu failed", t->files, t->files == 1 ? "" : "s",
                t->valid, t->invalid);
    else
    {
        fprintf(rep->out, "%zu file%s checked: %zu valid, ", t->files, t->files == 1 ? "" : "s",
                t->valid);
        if (t->wellformed)
            fprintf(rep->out, "%zu well-formed only (no standard matched), ", t->wellformed);
        fprintf(rep->out, "%zu invalid", t->invalid);
    }
    if (t->failed)
        fprintf(rep->out, ", %zu failed", t->failed);
    fprintf(rep->out, " (%zu error%s, %zu warning%s)", t->errors, t->errors == 1 ? "" : "s",
            t->warnings, t->warnings == 1 ? "" : "s");
    if (t->records)
        fprintf(rep->out, "; %ld record%s", t->records, t->records == 1 ? "" : "s");
    fputc('\n', rep->out);
}

const chuanp_report_ops chuanp_report_text = {text_file, text_end};
