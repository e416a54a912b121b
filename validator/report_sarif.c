/* validator/report_sarif.c - SARIF 2.1.0: one result per diagnostic. */
#include "report.h"

#include <stdlib.h>
#include <string.h>

static void remember_rule(chuan_reporter *rep, const char *id)
{
    for (size_t i = 0; i < rep->nrule_ids; i++)
        if (strcmp(rep->rule_ids[i], id) == 0)
            return;
    if (rep->nrule_ids == rep->caprule_ids) {
        size_t cap = rep->caprule_ids ? rep->caprule_ids * 2 : 16;
        char **n = chuanp_realloc(rep->rule_ids, cap * sizeof *n);
        if (!n)
            return;
        rep->rule_ids = n;
        rep->caprule_ids = cap;
    }
    char *copy = chuanp_strdup(id);
    if (copy)
        rep->rule_ids[rep->nrule_ids++] = copy;
}

static void json_str(chuanp_buf *b, const char *s)
{
    chuanp_buf_json_string(b, s ? s : "", s ? strlen(s) : 0);
}

static void sarif_file(chuan_reporter *rep, const chuan_file_result *r)
{
    chuanp_buf *b = &rep->body;
    if (r->status == CHUAN_STATUS_WELLFORMED) {
        /* say it: a file without results would read as checked and clean */
        if (b->len)
            chuanp_buf_puts(b, ",\n");
        chuanp_buf_puts(b, "        {\"ruleId\":\"standard.none\",\"level\":\"note\",\"message\":{\"text\":");
        json_str(b, _("well-formed only: no standard matched, nothing else was checked"));
        chuanp_buf_puts(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        json_str(b, r->file);
        chuanp_buf_puts(b, "}}}]}");
        remember_rule(rep, "standard.none");
    }
    for (size_t i = 0; i < r->diags.count; i++) {
        const chuan_diag *d = &r->diags.items[i];
        if (b->len)
            chuanp_buf_puts(b, ",\n");
        chuanp_buf_puts(b, "        {\"ruleId\":");
        json_str(b, d->code ? d->code : "chuan");
        remember_rule(rep, d->code ? d->code : "chuan");
        chuanp_buf_printf(b, ",\"level\":\"%s\",\"message\":{\"text\":",
                          d->severity == CHUAN_SEV_ERROR ? "error"
                          : d->severity == CHUAN_SEV_WARNING ? "warning" : "note");
        json_str(b, chuanp_report_message(rep, d));
        chuanp_buf_puts(b, "},\"locations\":[{\"physicalLocation\":{\"artifactLocation\":{\"uri\":");
        json_str(b, d->file ? d->file : r->file);
        chuanp_buf_puts(b, "}");
        if (d->line > 0) {
            chuanp_buf_printf(b, ",\"region\":{\"startLine\":%ld", d->line);
            if (d->column > 0)
                chuanp_buf_printf(b, ",\"startColumn\":%ld", d->column);
            if (d->offset >= 0)
                chuanp_buf_printf(b, ",\"byteOffset\":%lld", d->offset);
            chuanp_buf_putc(b, '}');
        }
        chuanp_buf_putc(b, '}');
        if (d->path && *d->path) {
            chuanp_buf_puts(b, ",\"logicalLocations\":[{\"fullyQualifiedName\":");
            json_str(b, d->path);
            chuanp_buf_puts(b, "}]");
        }
        chuanp_buf_puts(b, "}]");
        if (d->source || d->message_vi || d->properties) {
            chuanp_buf_puts(b, ",\"properties\":{");
            int first = 1;
            if (d->source) {
                chuanp_buf_puts(b, "\"source\":");
                json_str(b, d->source);
                first = 0;
            }
            if (d->message_vi) {
                chuanp_buf_puts(b, first ? "\"message_vi\":" : ",\"message_vi\":");
                json_str(b, d->message_vi);
                first = 0;
            }
            if (d->properties) {
                /* the Schematron sch:property elements the assert/report references */
                chuanp_buf_puts(b, first ? "\"schematronProperties\":" : ",\"schematronProperties\":");
                chuanp_report_properties_json(b, d->properties);
            }
            chuanp_buf_putc(b, '}');
        }
        chuanp_buf_putc(b, '}');
    }
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void sarif_end(chuan_reporter *rep)
{
    FILE *o = rep->out;
    fprintf(o, "{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n"
               "  \"version\": \"2.1.0\",\n  \"runs\": [\n    {\n"
               "      \"tool\": {\"driver\": {\"name\": \"chuan\", \"version\": \"%s\", \"rules\": [",
            CHUAN_VERSION);
    qsort(rep->rule_ids, rep->nrule_ids, sizeof *rep->rule_ids, cmp_str);
    chuanp_buf ids;
    chuanp_buf_init(&ids, 0);
    for (size_t i = 0; i < rep->nrule_ids; i++) {
        chuanp_buf_puts(&ids, i ? ",\n        {\"id\": " : "\n        {\"id\": ");
        json_str(&ids, rep->rule_ids[i]);
        chuanp_buf_putc(&ids, '}');
    }
    if (ids.data && !ids.err)
        fputs(ids.data, o);
    chuanp_buf_free(&ids);
    size_t nseen = rep->nrule_ids;
    fprintf(o, "%s]}},\n      \"results\": [\n", nseen ? "\n      " : "");
    if (rep->body.data && !rep->body.err)
        fwrite(rep->body.data, 1, rep->body.len, o);
    fputs("\n      ]\n    }\n  ]\n}\n", o);
}

const chuanp_report_ops chuanp_report_sarif = {sarif_file, sarif_end};
