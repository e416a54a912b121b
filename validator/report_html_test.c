/* validator/report_html_test.c - the HTML report of `chuan test`: per package, each fixture with
 * its expected and actual diagnostics and the outcome (passed/failed: a fixture of invalid/ that
 * met its expectation "passed", it is never called "valid"), then the rule-coverage table (rule,
 * severity, regulation, the invalid fixtures that exercise it; uncovered rules highlighted). */
#include "report_html.h"

#include <stdlib.h>
#include <string.h>

/* the fixture's name inside its package: "invalid/x.xml" */
static const char *short_name(const char *file)
{
    if (!file)
        return "-";
    const char *p = strstr(file, "/fixtures/");
    return p ? p + 10 : file;
}

static void add_word(chuanp_buf *b, chuanp_pathlist *seen, const char *v)
{
    if (!v || !*v || chuanp_strlist_has(seen, v))
        return;
    chuanp_strlist_add(seen, v);
    if (seen->count > 1)
        chuanp_buf_putc(b, ' ');
    chuanp_html_esc(b, v);
}

/* "CODE<TAB>LINE:COL<TAB>PATH" */
static void expected_line(chuanp_buf *b, const char *l)
{
    const char *t1 = strchr(l, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
    long line = 0, col = 0;
    if (t1)
        sscanf(t1 + 1, "%ld:%ld", &line, &col);
    chuanp_buf_puts(b, "<li><code class=\"code\">");
    chuanp_html_esc_n(b, l, t1 ? (size_t)(t1 - l) : strlen(l));
    chuanp_buf_puts(b, "</code>");
    chuanp_html_where(b, line, col);
    if (t2 && t2[1]) {
        chuanp_buf_puts(b, " <code>");
        chuanp_html_esc(b, t2 + 1);
        chuanp_buf_puts(b, "</code>");
    }
    chuanp_buf_puts(b, "</li>\n");
}

/* the fixtures listed since the last coverage table, after it */
static void flush_fixtures(chuan_reporter *rep, chuanp_html *h)
{
    if (h->fixtures_html.err)
        rep->body.err = 1;
    else if (h->fixtures_html.len)
        chuanp_buf_append(&rep->body, h->fixtures_html.data, h->fixtures_html.len);
    chuanp_buf_reset(&h->fixtures_html);
}

static void package_heading(chuan_reporter *rep, chuanp_html *h, const char *package)
{
    if (!package || (h->package_open && strcmp(h->package_open, package) == 0))
        return;
    flush_fixtures(rep, h);
    chuanp_free((char *)h->package_open);
    h->package_open = chuanp_strdup(package);
    chuanp_pathlist_free(&h->exercised);
    h->packages++;
    chuanp_buf_puts(&rep->body, "<h2 class=\"pkg\">");
    chuanp_html_bi(&rep->body, "Package", "Gói chuẩn");
    chuanp_buf_puts(&rep->body, " <code>");
    chuanp_html_esc(&rep->body, package);
    chuanp_buf_puts(&rep->body, "</code></h2>\n");
}

static void coverage(chuan_reporter *rep, chuanp_html *h, const chuanp_std_test_detail *det)
{
    chuanp_buf *b = &rep->body;
    size_t covered = 0;
    chuanp_buf rows;
    chuanp_buf_init(&rows, 0);
    for (size_t i = 0; i < det->nrules; i++) {
        const chuanp_std_test_rule *ru = &det->rules[i];
        chuanp_html_seen(&h->rules, ru->id);
        size_t idlen = strlen(ru->id), nfx = 0;
        chuanp_buf fx;
        chuanp_buf_init(&fx, 0);
        for (size_t k = 0; k < h->exercised.count; k++) {
            const char *e = h->exercised.paths[k];
            if (strncmp(e, ru->id, idlen) == 0 && e[idlen] == '\t') {
                chuanp_buf_puts(&fx, nfx++ ? "<br>" : "");
                chuanp_buf_puts(&fx, "<span class=\"file\">");
                chuanp_html_esc(&fx, e + idlen + 1);
                chuanp_buf_puts(&fx, "</span>");
            }
        }
        covered += nfx > 0;
        const char *sev = ru->severity ? ru->severity : "error";
        chuanp_buf_printf(&rows, "<tr class=\"rule %s\" data-rule=\"", nfx ? "covered" : "uncovered");
        chuanp_html_esc(&rows, ru->id);
        chuanp_buf_puts(&rows, "\" data-sev=\"");
        chuanp_html_esc(&rows, sev);
        chuanp_buf_puts(&rows, "\"><td><code class=\"code\">");
        chuanp_html_esc(&rows, ru->id);
        chuanp_buf_puts(&rows, "</code></td><td>");
        chuanp_html_severity(&rows, strcmp(sev, "warning") == 0 ? CHUAN_SEV_WARNING
                                    : strcmp(sev, "info") == 0  ? CHUAN_SEV_INFO
                                                                : CHUAN_SEV_ERROR);
        chuanp_buf_puts(&rows, "</td><td>");
        if (ru->source)
            chuanp_html_esc(&rows, ru->source);
        else
            chuanp_html_bi(&rows, "(none cited)", "(không ghi căn cứ)");
        chuanp_buf_puts(&rows, "</td><td class=\"fx\">");
        if (nfx && !fx.err && fx.data)
            chuanp_buf_puts(&rows, fx.data);
        else
            chuanp_html_bi(&rows, "uncovered: no invalid fixture exercises it",
                           "chưa được kiểm: không fixture không hợp lệ nào kích hoạt");
        chuanp_buf_puts(&rows, "</td></tr>\n");
        chuanp_buf_free(&fx);
    }
    h->rules_total += det->nrules;
    h->rules_covered += covered;
    chuanp_buf_puts(b, "<table class=\"coverage\">\n<caption>");
    chuanp_buf_printf(b, "<span class=\"en\">Rule coverage: %zu of %zu rules exercised</span>"
                         "<span class=\"vi\" lang=\"vi\">Độ phủ quy tắc: %zu/%zu quy tắc được kiểm"
                         "</span></caption>\n<thead><tr><th scope=\"col\">",
                      covered, det->nrules, covered, det->nrules);
    chuanp_html_bi(b, "Rule", "Quy tắc");
    chuanp_buf_puts(b, "</th><th scope=\"col\">");
    chuanp_html_bi(b, "Severity", "Mức độ");
    chuanp_buf_puts(b, "</th><th scope=\"col\">");
    chuanp_html_bi(b, "Regulation cited", "Căn cứ");
    chuanp_buf_puts(b, "</th><th scope=\"col\">");
    chuanp_html_bi(b, "Fixtures that exercise it", "Fixture kích hoạt");
    chuanp_buf_puts(b, "</th></tr></thead>\n<tbody>\n");
    if (rows.err)
        b->err = 1;
    else if (rows.data)
        chuanp_buf_puts(b, rows.data);
    chuanp_buf_puts(b, "</tbody></table>\n");
    chuanp_buf_free(&rows);
    flush_fixtures(rep, h);
}

void chuanp_html_test_file(chuan_reporter *rep, const chuan_file_result *r)
{
    chuanp_html *h = chuanp_html_state(rep);
    if (!h)
        return;
    const chuanp_std_test_detail *det = rep->test_detail;
    package_heading(rep, h, det ? det->package : r->standard);
    if (det && det->coverage) {
        coverage(rep, h, det);
        return;
    }
    chuanp_buf *b = &h->fixtures_html;
    int passed = r->status == CHUAN_STATUS_VALID;
    h->fixtures++;
    if (passed)
        h->passed++;
    else
        h->failed++;
    const chuan_diags *act = det ? det->actual : NULL;
    const char *name = short_name(r->file);
    chuanp_html_seen(&h->formats, r->format);
    chuanp_buf_printf(b, "<section class=\"item fixture %s\" data-fmt=\"", passed ? "passed" : "failed");
    chuanp_html_esc(b, r->format);
    chuanp_buf_puts(b, "\" data-rules=\"");
    chuanp_pathlist seen = {0};
    for (size_t i = 0; act && i < act->count; i++) {
        add_word(b, &seen, act->items[i].code);
        chuanp_html_seen(&h->rules, act->items[i].code);
        if (det->expect_invalid) {
            char *e = chuanp_asprintf("%s\t%s", act->items[i].code ? act->items[i].code : "", name);
            if (e)
                chuanp_strlist_add(&h->exercised, e);
            chuanp_free(e);
        }
    }
    for (size_t i = 0; det && det->expected && i < det->expected->count; i++) {
        const char *l = det->expected->paths[i], *t = strchr(l, '\t');
        char *code = chuanp_strndup(l, t ? (size_t)(t - l) : strlen(l));
        add_word(b, &seen, code);
        chuanp_free(code);
    }
    for (size_t i = 0; i < r->diags.count; i++)
        add_word(b, &seen, r->diags.items[i].code);
    chuanp_pathlist_free(&seen);
    chuanp_buf_puts(b, "\" data-sevs=\"");
    for (size_t i = 0; act && i < act->count; i++)
        add_word(b, &seen, chuanp_severity_name(act->items[i].severity));
    for (size_t i = 0; i < r->diags.count; i++)
        add_word(b, &seen, chuanp_severity_name(r->diags.items[i].severity));
    chuanp_pathlist_free(&seen);
    chuanp_buf_printf(b, "\">\n<h3><span class=\"badge %s\">", passed ? "passed" : "failed");
    chuanp_html_bi(b, passed ? "passed" : "failed", passed ? "đạt" : "không đạt");
    chuanp_buf_puts(b, "</span> <span class=\"file\">");
    chuanp_html_esc(b, name);
    chuanp_buf_puts(b, "</span> <span class=\"meta\">");
    if (det)
        chuanp_html_bi(b, det->expect_invalid ? "(an invalid fixture: its errors are expected)"
                                              : "(a valid fixture: no error expected)",
                       det->expect_invalid ? "(fixture không hợp lệ: các lỗi là dự kiến)"
                                           : "(fixture hợp lệ: không được có lỗi)");
    chuanp_buf_puts(b, "</span></h3>\n");
    if (!passed && r->diags.count) {
        chuanp_buf_puts(b, "<ul class=\"why\">\n");
        for (size_t i = 0; i < r->diags.count; i++)
            chuanp_html_diag(b, &r->diags.items[i], NULL);
        chuanp_buf_puts(b, "</ul>\n");
    }
    if (det) {
        chuanp_buf_puts(b, "<div class=\"cols\"><div><h4>");
        chuanp_html_bi(b, "Expected", "Dự kiến");
        chuanp_buf_puts(b, "</h4>");
        if (det->expected && det->expected->count) {
            chuanp_buf_puts(b, "<ul class=\"expected\">\n");
            for (size_t i = 0; i < det->expected->count; i++)
                expected_line(b, det->expected->paths[i]);
            chuanp_buf_puts(b, "</ul>");
        } else {
            chuanp_buf_puts(b, "<p class=\"meta\">");
            chuanp_html_bi(b, det->expect_invalid ? "no .expected diagnostics" : "no error",
                           det->expect_invalid ? "không có chẩn đoán .expected" : "không có lỗi");
            chuanp_buf_puts(b, "</p>");
        }
        chuanp_buf_puts(b, "</div><div><h4>");
        chuanp_html_bi(b, "Actual", "Thực tế");
        chuanp_buf_puts(b, "</h4>");
        if (act && act->count) {
            chuanp_buf_puts(b, "<ul class=\"diags\">\n");
            for (size_t i = 0; i < act->count; i++)
                chuanp_html_diag(b, &act->items[i], NULL);
            chuanp_buf_puts(b, "</ul>");
        } else {
            chuanp_buf_puts(b, "<p class=\"meta\">");
            chuanp_html_bi(b, "no diagnostic", "không có chẩn đoán");
            chuanp_buf_puts(b, "</p>");
        }
        chuanp_buf_puts(b, "</div></div>\n");
    }
    chuanp_buf_puts(b, "</section>\n");
}

void chuanp_html_test_end(chuan_reporter *rep)
{
    chuanp_html *h = rep->html;
    if (h)
        flush_fixtures(rep, h);
    size_t f = h ? h->fixtures : 0, p = h ? h->passed : 0, x = h ? h->failed : 0;
    size_t c = h ? h->rules_covered : 0, t = h ? h->rules_total : 0, k = h ? h->packages : 0;
    chuanp_buf s;
    chuanp_buf_init(&s, 0);
    chuanp_buf_printf(&s, "<span class=\"en\">%zu package%s, %zu fixture%s: %zu passed, %zu failed; "
                          "rules covered %zu/%zu (%zu uncovered)</span>",
                      k, k == 1 ? "" : "s", f, f == 1 ? "" : "s", p, x, c, t, t - c);
    chuanp_buf_printf(&s, "<span class=\"vi\" lang=\"vi\">%zu gói chuẩn, %zu fixture: %zu đạt, %zu "
                          "không đạt; quy tắc được kiểm %zu/%zu (%zu chưa được kiểm)</span>",
                      k, f, p, x, c, t, t - c);
    if (s.err)
        rep->body.err = 1;
    chuanp_html_page(rep, 1, s.data);
    chuanp_buf_free(&s);
}
