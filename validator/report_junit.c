/* validator/report_junit.c - JUnit XML: one testcase per input file. */
#include "report.h"

#include <string.h>

static void xml_attr(chuanp_buf *b, const char *s)
{
    chuanp_buf_xml_escape(b, s ? s : "", s ? strlen(s) : 0, 1);
}

static void junit_file(chuan_reporter *rep, const chuan_file_result *r)
{
    chuanp_buf *b = &rep->body;
    const char *cmd = rep->opts.tool_command ? rep->opts.tool_command : "validate";
    chuanp_buf_printf(b, "    <testcase classname=\"chuan.%s\" name=\"", cmd);
    xml_attr(b, r->file);
    chuanp_buf_printf(b, "\" time=\"%.3f\">", r->seconds);
    if (r->status == CHUAN_STATUS_WELLFORMED)
    {
        chuanp_buf_puts(b, "\n      <skipped message=\"");
        xml_attr(b, _("well-formed only: no standard matched, nothing else was checked"));
        chuanp_buf_puts(b, "\"/>\n    ");
    }
    if (r->status != CHUAN_STATUS_VALID || r->diags.count) {
        if (r->status == CHUAN_STATUS_WELLFORMED && !r->diags.count)
            goto done;
        const char *tag = r->status == CHUAN_STATUS_FAILED ? "error"
                          : r->status == CHUAN_STATUS_INVALID ? "failure" : "system-out";
        if (strcmp(tag, "system-out") == 0) {
            chuanp_buf_puts(b, "\n      <system-out>");
        } else {
            chuanp_buf_printf(b, "\n      <%s type=\"%s\" message=\"", tag, chuanp_status_name(r->status));
            chuanp_buf_printf(b, chuanp_plural((long)r->diags.errors, N_("%zu error, "), N_("%zu errors, ")),
                              r->diags.errors);
            chuanp_buf_printf(b, chuanp_plural((long)r->diags.warnings, N_("%zu warning"), N_("%zu warnings")),
                              r->diags.warnings);
            chuanp_buf_puts(b, "\">");
        }
        chuanp_buf line;
        chuanp_buf_init(&line, 0);
        for (size_t i = 0; i < r->diags.count; i++) {
            chuanp_buf_reset(&line);
            chuanp_report_diag_line(&line, rep, &r->diags.items[i]);
            chuanp_buf_putc(&line, '\n');
            if (!line.err)
                chuanp_buf_xml_escape(b, line.data, line.len, 0);
        }
        chuanp_buf_free(&line);
        chuanp_buf_printf(b, "</%s>\n    ", tag);
    }
done:
    chuanp_buf_puts(b, "</testcase>\n");
}

static void junit_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    const char *cmd = rep->opts.tool_command ? rep->opts.tool_command : "validate";
    fprintf(rep->out,
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
            "<testsuites name=\"chuan %s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" time=\"%.3f\">\n"
            "  <testsuite name=\"chuan %s\" tests=\"%zu\" failures=\"%zu\" errors=\"%zu\" skipped=\"%zu\" "
            "time=\"%.3f\">\n",
            cmd, t->files, t->invalid, t->failed, t->seconds, cmd, t->files, t->invalid, t->failed,
            t->wellformed, t->seconds);
    if (rep->body.data && !rep->body.err)
        fwrite(rep->body.data, 1, rep->body.len, rep->out);
    fputs("  </testsuite>\n</testsuites>\n", rep->out);
}

const chuanp_report_ops chuanp_report_junit = {junit_file, junit_end};
