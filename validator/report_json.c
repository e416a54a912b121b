/* validator/report_json.c - machine-readable JSON report (schema in README),
 * optionally the JSON Schema "basic" output format per file. */
#include "report.h"

#include <string.h>

static void kv_str(chuanp_buf *b, const char *key, const char *v, int *first)
{
    if (!v)
        return;
    chuanp_buf_printf(b, "%s\"%s\":", *first ? "" : ",", key);
    chuanp_buf_json_string(b, v, strlen(v));
    *first = 0;
}

static void kv_num(chuanp_buf *b, const char *key, long long v, int *first)
{
    chuanp_buf_printf(b, "%s\"%s\":%lld", *first ? "" : ",", key, v);
    *first = 0;
}

static void diag_json(chuanp_buf *b, const chuan_reporter *rep, const chuan_diag *d)
{
    int first = 1;
    chuanp_buf_putc(b, '{');
    kv_str(b, "severity", chuanp_severity_name(d->severity), &first);
    kv_str(b, "code", d->code, &first);
    kv_str(b, "message", chuanp_report_message(rep, d), &first);
    kv_str(b, "message_vi", d->message_vi, &first);
    kv_str(b, "file", d->file, &first);
    if (d->line > 0)
        kv_num(b, "line", d->line, &first);
    if (d->column > 0)
        kv_num(b, "column", d->column, &first);
    if (d->offset >= 0)
        kv_num(b, "offset", d->offset, &first);
    kv_str(b, "path", d->path, &first);
    kv_str(b, "source", d->source, &first);
    kv_str(b, "keywordLocation", d->keyword_location, &first);
    kv_str(b, "absoluteKeywordLocation", d->schema_location, &first);
    if (d->properties) {
        chuanp_buf_puts(b, first ? "\"properties\":" : ",\"properties\":");
        chuanp_report_properties_json(b, d->properties);
    }
    chuanp_buf_putc(b, '}');
}

/* JSON Schema 2020-12 "basic" output unit. */
static void diag_basic(chuanp_buf *b, const chuan_reporter *rep, const chuan_diag *d)
{
    int first = 1;
    chuanp_buf_putc(b, '{');
    kv_str(b, "keywordLocation", d->keyword_location ? d->keyword_location : "", &first);
    kv_str(b, "absoluteKeywordLocation", d->schema_location, &first);
    kv_str(b, "instanceLocation", d->path ? d->path : "", &first);
    kv_str(b, "error", chuanp_report_message(rep, d), &first);
    chuanp_buf_putc(b, '}');
}

static void json_file(chuan_reporter *rep, const chuan_file_result *r)
{
    chuanp_buf *b = &rep->body;
    int first = 1;
    chuanp_buf_puts(b, rep->totals.files > 1 ? ",\n    {" : "\n    {");
    kv_str(b, "file", r->file, &first);
    if (rep->json_basic) {
        /* nothing but well-formedness checked: not "valid" */
        chuanp_buf_printf(b, ",\"valid\":%s%s,\"errors\":[", r->status == CHUAN_STATUS_VALID ? "true" : "false",
                          r->status == CHUAN_STATUS_WELLFORMED ? ",\"wellFormedOnly\":true" : "");
        for (size_t i = 0; i < r->diags.count; i++) {
            if (i)
                chuanp_buf_putc(b, ',');
            diag_basic(b, rep, &r->diags.items[i]);
        }
        chuanp_buf_puts(b, "]}");
        return;
    }
    kv_str(b, "format", r->format, &first);
    kv_str(b, "standard", r->standard, &first);
    kv_str(b, "status", chuanp_status_name(r->status), &first);
    kv_str(b, "selected", r->selected, &first);
    kv_num(b, "records", r->records, &first);
    kv_num(b, "errors", (long long)r->diags.errors, &first);
    kv_num(b, "warnings", (long long)r->diags.warnings, &first);
    kv_num(b, "dropped", (long long)r->diags.dropped, &first);
    chuanp_buf_puts(b, ",\"diagnostics\":[");
    for (size_t i = 0; i < r->diags.count; i++) {
        chuanp_buf_puts(b, i ? ",\n      " : "\n      ");
        diag_json(b, rep, &r->diags.items[i]);
    }
    chuanp_buf_puts(b, r->diags.count ? "\n    ]}" : "]}");
    /* stream it: the JSON report needs no totals before the files (out of
     * memory: nothing to write; the run ends with exit 2) */
    if (b->data && !b->err)
        fwrite(b->data, 1, b->len, rep->out);
    chuanp_buf_reset(b);
}

static void json_end(chuan_reporter *rep)
{
    const report_totals *t = &rep->totals;
    if (rep->json_basic) {
        fprintf(rep->out, "{\"valid\":%s,\"files\":[%s\n]}\n",
                t->invalid || t->failed || t->wellformed ? "false" : "true",
                rep->body.err ? "" : rep->body.data ? rep->body.data : "");
        return;
    }
    fprintf(rep->out,
            "\n  ],\n  \"summary\": {\"files\":%zu,\"valid\":%zu,\"wellformed\":%zu,\"invalid\":%zu,"
            "\"failed\":%zu,\"errors\":%zu,\"warnings\":%zu,\"records\":%ld}\n}\n",
            t->files, t->valid, t->wellformed, t->invalid, t->failed, t->errors, t->warnings,
            t->records);
}

static void json_file_first(chuan_reporter *rep, const chuan_file_result *r);

static void json_begin(chuan_reporter *rep)
{
    if (rep->json_basic)
        return;
    fprintf(rep->out, "{\n  \"tool\": \"chuan\",\n  \"version\": \"%s\",\n  \"command\": \"%s\",\n  \"files\": [",
            CHUAN_VERSION, rep->opts.tool_command ? rep->opts.tool_command : "validate");
}

static void json_file_first(chuan_reporter *rep, const chuan_file_result *r)
{
    if (rep->totals.files == 1)
        json_begin(rep);
    json_file(rep, r);
}

static void json_end_all(chuan_reporter *rep)
{
    if (rep->totals.files == 0)
        json_begin(rep);
    json_end(rep);
}

const chuanp_report_ops chuanp_report_json = {json_file_first, json_end_all};
