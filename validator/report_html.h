/* validator/report_html.h - the HTML report (one self-contained offline page, English and
 * Vietnamese with a switch), shared by its files:
 *   report_html_page.c     escaping, the two-language text, the page shell (CSS, filters, JS)
 *   report_html_context.c  the payload's lines around a diagnostic
 *   report_html.c          `chuan validate` / `chuan serve`: one section per input
 *   report_html_test.c     `chuan test`: fixtures (expected, actual, outcome), rule coverage */
#ifndef CHUAN_REPORT_HTML_H
#define CHUAN_REPORT_HTML_H

#include "report.h"
#include "standard_check.h"

typedef struct chuanp_html {
    chuanp_pathlist rules, formats; /* values for the filters, in order of appearance */
    /* chuan test */
    size_t fixtures, passed, failed, rules_total, rules_covered, packages;
    const char *package_open;       /* label of the package whose fixtures are listed (owned) */
    chuanp_pathlist exercised;      /* "RULE<TAB>FIXTURE" of the current package */
    chuanp_buf fixtures_html;       /* its fixtures, written after its coverage table */
} chuanp_html;

chuanp_html *chuanp_html_state(chuan_reporter *rep); /* NULL: out of memory (rep->body.err set) */
void chuanp_html_seen(chuanp_pathlist *l, const char *v);

/* text and attribute escaping (also ' and "), invalid UTF-8 and control characters replaced */
void chuanp_html_esc(chuanp_buf *b, const char *s);
void chuanp_html_esc_n(chuanp_buf *b, const char *s, size_t n);
/* both languages: <span class="en">EN</span><span class="vi">VI</span>, escaped (vi NULL: en) */
void chuanp_html_bi(chuanp_buf *b, const char *en, const char *vi);
/* a diagnostic's severity as data-sev and its text in both languages */
void chuanp_html_severity(chuanp_buf *b, chuan_severity s);
/* "line L, column C" in both languages (nothing when line <= 0) */
void chuanp_html_where(chuanp_buf *b, long line, long column);
/* one diagnostic: <li class="d" data-rule data-sev> code, where, message (both languages),
 * path, regulation, properties; ctx (may be NULL) adds the payload's lines */
struct chuanp_html_ctx;
void chuanp_html_diag(chuanp_buf *b, const chuan_diag *d, const struct chuanp_html_ctx *ctx);

/* The whole page to rep->out: head, summary (HTML, already escaped), filters, rep->body. */
void chuanp_html_page(chuan_reporter *rep, int test, const char *summary);

/* ---- context lines (report_html_context.c) ---- */
typedef struct chuanp_html_ctx {
    long *nums;         /* wanted line numbers, ascending */
    char **texts;       /* their text (capped), NULL when not reached */
    size_t n;
    const char *why_en, *why_vi; /* no context: why (static strings) */
} chuanp_html_ctx;

/* Reads the lines around r's diagnostics from where rep says (chuanp_reporter_set_context). */
void chuanp_html_ctx_load(chuanp_html_ctx *c, const chuan_reporter *rep, const chuan_file_result *r);
/* d is about r's input (not a schema's or another file's line): its lines can be shown */
int chuanp_html_ctx_applies(const chuan_file_result *r, const chuan_diag *d);
void chuanp_html_ctx_render(chuanp_buf *b, const chuanp_html_ctx *c, long line);
void chuanp_html_ctx_free(chuanp_html_ctx *c);

/* ---- chuan test (report_html_test.c) ---- */
void chuanp_html_test_file(chuan_reporter *rep, const chuan_file_result *r);
void chuanp_html_test_end(chuan_reporter *rep);

#endif
