/* validator/report.c - the reporter object, shared helpers, dispatch by format. */
#include "report.h"
#include "validator.h"

#include <stdlib.h>
#include <string.h>

static const char *const format_names[] = {"text", "json", "junit", "sarif", "github", "html"};

int chuan_report_format_parse(const char *name)
{
    for (size_t i = 0; i < sizeof format_names / sizeof *format_names; i++)
        if (strcmp(name, format_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *chuanp_severity_name(chuan_severity s)
{
    return s == CHUAN_SEV_ERROR ? "error" : s == CHUAN_SEV_WARNING ? "warning" : "info";
}

const char *chuanp_status_name(chuan_status s)
{
    return s == CHUAN_STATUS_VALID        ? "valid"
           : s == CHUAN_STATUS_INVALID    ? "invalid"
           : s == CHUAN_STATUS_WELLFORMED ? "well-formed"
                                          : "failed";
}

const char *chuanp_report_message(const chuan_reporter *rep, const chuan_diag *d)
{
    if (rep->vietnamese && d->message_vi)
        return d->message_vi;
    return d->message ? d->message : (d->message_vi ? d->message_vi : "");
}

void chuanp_report_diag_line(chuanp_buf *b, const chuan_reporter *rep, const chuan_diag *d)
{
    chuanp_diag_format(b, d, chuanp_report_message(rep, d));
}

void chuanp_report_properties_json(chuanp_buf *b, const char *props)
{
    chuanp_buf_putc(b, '{');
    int first = 1;
    for (const char *p = props; p && *p;) {
        const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
        const char *tab = memchr(p, '\t', (size_t)(end - p));
        const char *idend = tab ? tab : end;
        /* a property named twice by one check: the first wins (no duplicate keys) */
        int seen = 0;
        for (const char *q = props; q < p && !seen;) {
            const char *qe = strchr(q, '\n'), *qt = strchr(q, '\t');
            size_t ql = (size_t)((qt && (!qe || qt < qe) ? qt : qe ? qe : q + strlen(q)) - q);
            seen = ql == (size_t)(idend - p) && memcmp(q, p, ql) == 0;
            q = qe ? qe + 1 : q + strlen(q);
        }
        if (!seen) {
            if (!first)
                chuanp_buf_putc(b, ',');
            first = 0;
            chuanp_buf_json_string(b, p, (size_t)(idend - p));
            chuanp_buf_putc(b, ':');
            chuanp_buf_json_string(b, tab ? tab + 1 : "", tab ? (size_t)(end - tab - 1) : 0);
        }
        p = nl ? nl + 1 : end;
    }
    chuanp_buf_putc(b, '}');
}

static int locale_is_vietnamese(void)
{
    /* --lang, else LC_ALL / LC_MESSAGES / LANG: core/i18n.c decides */
    return chuanp_lang_get() == CHUANP_LANG_VI;
}

chuan_reporter *chuan_reporter_new(FILE *out, const chuan_report_opts *opts)
{
    static const chuanp_report_ops *const ops[] = {
        [CHUAN_REPORT_TEXT] = &chuanp_report_text,     [CHUAN_REPORT_JSON] = &chuanp_report_json,
        [CHUAN_REPORT_JUNIT] = &chuanp_report_junit,   [CHUAN_REPORT_SARIF] = &chuanp_report_sarif,
        [CHUAN_REPORT_GITHUB] = &chuanp_report_github, [CHUAN_REPORT_HTML] = &chuanp_report_html,
    };
    if ((unsigned)opts->format >= sizeof ops / sizeof *ops)
        return NULL;
    chuan_reporter *rep = chuanp_calloc(1, sizeof *rep);
    if (!rep)
        return NULL;
    rep->out = out;
    rep->opts = *opts;
    rep->ops = ops[opts->format];
    rep->vietnamese = locale_is_vietnamese();
    chuanp_buf_init(&rep->body, 0);
    return rep;
}

void chuanp_reporter_set_json_basic(chuan_reporter *rep, int on)
{
    rep->json_basic = on;
}

void chuanp_reporter_set_context(chuan_reporter *rep, int from_files, const char *data, size_t len)
{
    rep->ctx_files = from_files;
    rep->ctx_data = data;
    rep->ctx_len = len;
}

void chuanp_reporter_test_detail(chuan_reporter *rep, const struct chuanp_std_test_detail *det)
{
    rep->test_detail = det;
}

int chuan_reporter_file(chuan_reporter *rep, const chuan_file_result *r)
{
    report_totals *t = &rep->totals;
    t->files++;
    if (r->status == CHUAN_STATUS_VALID)
        t->valid++;
    else if (r->status == CHUAN_STATUS_INVALID)
        t->invalid++;
    else if (r->status == CHUAN_STATUS_WELLFORMED)
        t->wellformed++;
    else
        t->failed++;
    t->errors += r->diags.errors;
    t->warnings += r->diags.warnings;
    t->dropped += r->diags.dropped;
    t->records += r->records;
    t->seconds += r->seconds;
    rep->ops->file(rep, r);
    rep->test_detail = NULL;
    return ferror(rep->out) || rep->body.err ? -1 : 0;
}

int chuan_reporter_end(chuan_reporter *rep)
{
    rep->ops->end(rep);
    if (rep->body.err)
        return -1;
    return fflush(rep->out) != 0 || ferror(rep->out) ? -1 : 0;
}

void chuan_reporter_free(chuan_reporter *rep)
{
    if (!rep)
        return;
    chuanp_buf_free(&rep->body);
    chuanp_html_free(rep->html);
    for (size_t i = 0; i < rep->nrule_ids; i++)
        chuanp_free(rep->rule_ids[i]);
    chuanp_free(rep->rule_ids);
    chuanp_free(rep);
}
