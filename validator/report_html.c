/* validator/report_html.c - a self-contained HTML page (used by `chuan test`). */
#include "report.h"

#include <string.h>

static void esc(chuanp_buf *b, const char *s)
{
    chuanp_buf_xml_escape(b, s ? s : "", s ? strlen(s) : 0, 0);
}

static void html_file(chuan_reporter *rep, const chuan_file_result *r)
{
    chuanp_buf *b = &rep->body;
    chuanp_buf_printf(b, "<tr class=\"%s\"><td>", chuanp_status_name(r->status));
    esc(b, r->file);
    chuanp_buf_printf(b, "</td><td>%s</td><td>", chuanp_status_name(r->status));
    if (r->diags.count) {
        chuanp_buf_puts(b, "<ul>");
        for (size_t i = 0; i < r->diags.count; i++) {
            const chuan_diag *d = &r->diags.items[i];
            chuanp_buf_printf(b, "<li><code>%ld:%ld</code> <b>", d->line, d->column);
            esc(b, d->code);
            chuanp_buf_puts(b, "</b> ");
            esc(b, chuanp_report_message(rep, d));
            if (d->path) {
                chuanp_buf_puts(b, " <code>");
                esc(b, d->path);
                chuanp_buf_puts(b, "</code>");
            }
            if (d->source) {
                chuanp_buf_puts(b, " <i>");
                esc(b, d->source);
                chuanp_buf_puts(b, "</i>");
            }
            chuanp_buf_puts(b, "</li>");
        }
        chuanp_buf_puts(b, "</ul>");
    }
    chuanp_buf_puts(b, "</td></tr>\n");
}

static void html_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    fprintf(rep->out,
            "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chuan %s report</title>\n"
            "<style>body{font-family:sans-serif}table{border-collapse:collapse}td{border:1px solid #ccc;"
            "padding:4px;vertical-align:top}.valid td:nth-child(2){color:green}.invalid "
            "td:nth-child(2),.failed td:nth-child(2){color:#b00}</style></head><body>\n"
            "<h1>chuan %s</h1><p>%zu files: %zu valid, %zu invalid, %zu failed; %zu errors, %zu "
            "warnings</p>\n<table><tr><th>file</th><th>status</th><th>diagnostics</th></tr>\n",
            rep->opts.tool_command ? rep->opts.tool_command : "validate",
            rep->opts.tool_command ? rep->opts.tool_command : "validate", t->files, t->valid,
            t->invalid, t->failed, t->errors, t->warnings);
    if (rep->body.data && !rep->body.err)
        fwrite(rep->body.data, 1, rep->body.len, rep->out);
    fputs("</table></body></html>\n", rep->out);
}

const chuanp_report_ops chuanp_report_html = {html_file, html_end};
