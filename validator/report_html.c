/* validator/report_html.c - the HTML report of `chuan validate` and `chuan serve` (?report=html):
 * per input its verdict (valid / invalid / well-formed only / error) and each diagnostic with the
 * payload's lines around it; `chuan test` goes to report_html_test.c. */
#include "report_html.h"

#include <string.h>

/* " A B C" of the distinct codes or severities, for the filters (data-rules, data-sevs) */
static void data_list(chuanp_buf *b, const chuan_diags *d, int sev)
{
    chuanp_pathlist seen = {0};
    for (size_t i = 0; i < d->count; i++) {
        const char *v = sev ? chuanp_severity_name(d->items[i].severity)
                            : d->items[i].code ? d->items[i].code : "error";
        if (chuanp_strlist_has(&seen, v))
            continue;
        chuanp_strlist_add(&seen, v);
        if (seen.count > 1)
            chuanp_buf_putc(b, ' ');
        chuanp_html_esc(b, v);
    }
    chuanp_pathlist_free(&seen);
}

static void verdict(chuanp_buf *b, chuan_status s)
{
    static const struct {
        const char *cls, *en, *vi;
    } v[] = {
        [CHUAN_STATUS_VALID] = {"valid", "valid", "hợp lệ"},
        [CHUAN_STATUS_INVALID] = {"invalid", "invalid", "không hợp lệ"},
        [CHUAN_STATUS_FAILED] = {"error", "error: not checked", "lỗi: không kiểm tra được"},
        [CHUAN_STATUS_WELLFORMED] = {"well-formed", "well-formed (no standard matched: nothing else "
                                                    "was checked)",
                                     "đúng cú pháp (không khớp chuẩn nào: không kiểm tra gì thêm)"},
    };
    unsigned i = (unsigned)s < 4 ? (unsigned)s : CHUAN_STATUS_FAILED;
    chuanp_buf_printf(b, "<span class=\"badge %s\">", v[i].cls);
    chuanp_html_bi(b, v[i].en, v[i].vi);
    chuanp_buf_puts(b, "</span>");
}

static const char *status_class(chuan_status s)
{
    return s == CHUAN_STATUS_VALID        ? "valid"
           : s == CHUAN_STATUS_INVALID    ? "invalid"
           : s == CHUAN_STATUS_WELLFORMED ? "well-formed"
                                          : "error";
}

static void html_file(chuan_reporter *rep, const chuan_file_result *r)
{
    if (rep->opts.tool_command && strcmp(rep->opts.tool_command, "test") == 0) {
        chuanp_html_test_file(rep, r);
        return;
    }
    chuanp_html *h = chuanp_html_state(rep);
    if (!h)
        return;
    chuanp_buf *b = &rep->body;
    chuanp_html_seen(&h->formats, r->format);
    for (size_t i = 0; i < r->diags.count; i++)
        chuanp_html_seen(&h->rules, r->diags.items[i].code);
    chuanp_buf_printf(b, "<section class=\"item %s\" data-fmt=\"", status_class(r->status));
    chuanp_html_esc(b, r->format);
    chuanp_buf_puts(b, "\" data-rules=\"");
    data_list(b, &r->diags, 0);
    chuanp_buf_puts(b, "\" data-sevs=\"");
    data_list(b, &r->diags, 1);
    chuanp_buf_puts(b, "\">\n<h2>");
    verdict(b, r->status);
    chuanp_buf_puts(b, " <span class=\"file\">");
    chuanp_html_esc(b, r->file ? r->file : "-");
    chuanp_buf_puts(b, "</span></h2>\n<p class=\"meta\">");
    if (r->format) {
        chuanp_html_bi(b, "format", "định dạng");
        chuanp_buf_puts(b, " <code>");
        chuanp_html_esc(b, r->format);
        chuanp_buf_puts(b, "</code> · ");
    }
    if (r->standard) {
        chuanp_html_bi(b, "standard", "chuẩn");
        chuanp_buf_puts(b, " <code>");
        chuanp_html_esc(b, r->standard);
        chuanp_buf_puts(b, "</code> · ");
    }
    chuanp_buf_printf(b, "<span class=\"en\">%zu error%s, %zu warning%s</span><span class=\"vi\" "
                         "lang=\"vi\">%zu lỗi, %zu cảnh báo</span>",
                      r->diags.errors, r->diags.errors == 1 ? "" : "s", r->diags.warnings,
                      r->diags.warnings == 1 ? "" : "s", r->diags.errors, r->diags.warnings);
    if (r->records > 0)
        chuanp_buf_printf(b, " · <span class=\"en\">%ld record%s</span><span class=\"vi\" lang=\"vi\">"
                             "%ld bản ghi</span>", r->records, r->records == 1 ? "" : "s", r->records);
    chuanp_buf_puts(b, "</p>\n");
    if (r->selected) {
        chuanp_buf_puts(b, "<p class=\"meta\">");
        chuanp_html_bi(b, "Standard chosen", "Chuẩn được chọn");
        chuanp_buf_puts(b, " ");
        chuanp_html_esc(b, r->selected);
        chuanp_buf_puts(b, "</p>\n");
    }
    if (r->diags.count) {
        chuanp_html_ctx ctx;
        chuanp_html_ctx_load(&ctx, rep, r);
        if (ctx.why_en) {
            chuanp_buf_puts(b, "<p class=\"note\">");
            chuanp_html_bi(b, ctx.why_en, ctx.why_vi);
            chuanp_buf_puts(b, "</p>\n");
        }
        chuanp_buf_puts(b, "<ol class=\"diags\">\n");
        for (size_t i = 0; i < r->diags.count; i++)
            chuanp_html_diag(b, &r->diags.items[i],
                             chuanp_html_ctx_applies(r, &r->diags.items[i]) ? &ctx : NULL);
        chuanp_buf_puts(b, "</ol>\n");
        chuanp_html_ctx_free(&ctx);
    }
    if (r->diags.dropped)
        chuanp_buf_printf(b, "<p class=\"note\"><span class=\"en\">%zu more diagnostic%s not listed "
                             "(--max-errors)</span><span class=\"vi\" lang=\"vi\">còn %zu chẩn đoán "
                             "không liệt kê (--max-errors)</span></p>\n",
                          r->diags.dropped, r->diags.dropped == 1 ? "" : "s", r->diags.dropped);
    chuanp_buf_puts(b, "</section>\n");
}

static void html_end(chuan_reporter *rep)
{
    if (rep->opts.tool_command && strcmp(rep->opts.tool_command, "test") == 0) {
        chuanp_html_test_end(rep);
        return;
    }
    const report_totals *t = &rep->totals;
    chuanp_buf s;
    chuanp_buf_init(&s, 0);
    chuanp_buf_printf(&s, "<span class=\"en\">%zu input%s: %zu valid, %zu invalid, %zu well-formed "
                          "only (no standard matched), %zu not checked (error); %zu error%s, %zu "
                          "warning%s</span>",
                      t->files, t->files == 1 ? "" : "s", t->valid, t->invalid, t->wellformed,
                      t->failed, t->errors, t->errors == 1 ? "" : "s", t->warnings,
                      t->warnings == 1 ? "" : "s");
    chuanp_buf_printf(&s, "<span class=\"vi\" lang=\"vi\">%zu dữ liệu: %zu hợp lệ, %zu không hợp lệ, "
                          "%zu chỉ đúng cú pháp (không khớp chuẩn nào), %zu không kiểm tra được (lỗi); "
                          "%zu lỗi, %zu cảnh báo</span>",
                      t->files, t->valid, t->invalid, t->wellformed, t->failed, t->errors, t->warnings);
    if (s.err)
        rep->body.err = 1;
    chuanp_html_page(rep, 0, s.data);
    chuanp_buf_free(&s);
}

const chuanp_report_ops chuanp_report_html = {html_file, html_end};
