/* validator/report_html_page.c - the HTML report's escaping, two-language text and page shell:
 * inline CSS and a little JS (no external asset), filters by rule, severity and format as labelled
 * form controls, an English/Tiếng Việt switch. No payload text ever goes into the script: values
 * are escaped text and attributes only. */
#include "report_html.h"

#include <string.h>

chuanp_html *chuanp_html_state(chuan_reporter *rep)
{
    if (!rep->html) {
        if (!(rep->html = chuanp_calloc(1, sizeof *rep->html)))
            rep->body.err = 1; /* the run ends with exit 2, no page */
        else
            chuanp_buf_init(&rep->html->fixtures_html, 0);
    }
    return rep->html;
}

void chuanp_html_free(chuanp_html *h)
{
    if (!h)
        return;
    chuanp_pathlist_free(&h->rules);
    chuanp_pathlist_free(&h->formats);
    chuanp_pathlist_free(&h->exercised);
    chuanp_buf_free(&h->fixtures_html);
    chuanp_free((char *)h->package_open);
    chuanp_free(h);
}

void chuanp_html_seen(chuanp_pathlist *l, const char *v)
{
    if (v && *v)
        chuanp_strlist_add(l, v);
}

void chuanp_html_esc_n(chuanp_buf *b, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '&': chuanp_buf_puts(b, "&amp;"); continue;
        case '<': chuanp_buf_puts(b, "&lt;"); continue;
        case '>': chuanp_buf_puts(b, "&gt;"); continue;
        case '"': chuanp_buf_puts(b, "&quot;"); continue;
        case '\'': chuanp_buf_puts(b, "&#39;"); continue;
        case '\t':
        case '\n': chuanp_buf_putc(b, (char)c); continue;
        default: break;
        }
        if (c < 0x20 || c == 0x7f) {
            chuanp_buf_puts(b, "\xEF\xBF\xBD");
        } else if (c < 0x80) {
            chuanp_buf_putc(b, (char)c);
        } else {
            uint32_t cp;
            int len = chuanp_utf8_decode((const unsigned char *)s + i, n - i, &cp);
            if (len <= 0) {
                chuanp_buf_puts(b, "\xEF\xBF\xBD");
            } else {
                chuanp_buf_append(b, s + i, (size_t)len);
                i += (size_t)len - 1;
            }
        }
    }
}

void chuanp_html_esc(chuanp_buf *b, const char *s)
{
    if (s)
        chuanp_html_esc_n(b, s, strlen(s));
}

void chuanp_html_bi(chuanp_buf *b, const char *en, const char *vi)
{
    chuanp_buf_puts(b, "<span class=\"en\">");
    chuanp_html_esc(b, en ? en : vi);
    chuanp_buf_puts(b, "</span><span class=\"vi\" lang=\"vi\">");
    chuanp_html_esc(b, vi ? vi : en);
    chuanp_buf_puts(b, "</span>");
}

void chuanp_html_severity(chuanp_buf *b, chuan_severity s)
{
    static const char *const vi[] = {"lỗi", "cảnh báo", "thông tin"};
    int i = s == CHUAN_SEV_ERROR ? 0 : s == CHUAN_SEV_WARNING ? 1 : 2;
    chuanp_buf_printf(b, "<span class=\"sev sev-%s\">", chuanp_severity_name(s));
    chuanp_html_bi(b, chuanp_severity_name(s), vi[i]);
    chuanp_buf_puts(b, "</span>");
}

void chuanp_html_where(chuanp_buf *b, long line, long column)
{
    if (line <= 0)
        return;
    chuanp_buf_puts(b, " <span class=\"where\"><span class=\"en\">");
    chuanp_buf_printf(b, "line %ld", line);
    if (column > 0)
        chuanp_buf_printf(b, ", column %ld", column);
    chuanp_buf_puts(b, "</span><span class=\"vi\" lang=\"vi\">");
    chuanp_buf_printf(b, "dòng %ld", line);
    if (column > 0)
        chuanp_buf_printf(b, ", cột %ld", column);
    chuanp_buf_puts(b, "</span></span>");
}

void chuanp_html_diag(chuanp_buf *b, const chuan_diag *d, const chuanp_html_ctx *ctx)
{
    const char *code = d->code ? d->code : "error";
    chuanp_buf_puts(b, "<li class=\"d\" data-rule=\"");
    chuanp_html_esc(b, code);
    chuanp_buf_printf(b, "\" data-sev=\"%s\">", chuanp_severity_name(d->severity));
    chuanp_html_severity(b, d->severity);
    chuanp_buf_puts(b, " <code class=\"code\">"); /* never translated */
    chuanp_html_esc(b, code);
    chuanp_buf_puts(b, "</code>");
    chuanp_html_where(b, d->line, d->column);
    chuanp_buf_puts(b, "<div class=\"msg\">");
    chuanp_html_bi(b, d->message ? d->message : "", d->message_vi);
    chuanp_buf_puts(b, "</div>");
    if (d->path && *d->path) {
        chuanp_buf_puts(b, "<div class=\"path\">");
        chuanp_html_bi(b, "at", "tại");
        chuanp_buf_puts(b, " <code>");
        chuanp_html_esc(b, d->path);
        chuanp_buf_puts(b, "</code></div>");
    }
    if (d->source && *d->source) {
        chuanp_buf_puts(b, "<div class=\"src\">");
        chuanp_html_bi(b, "Regulation:", "Căn cứ:");
        chuanp_buf_putc(b, ' ');
        chuanp_html_esc(b, d->source);
        chuanp_buf_puts(b, "</div>");
    }
    if (d->properties && *d->properties) {
        chuanp_buf_puts(b, "<dl class=\"props\">");
        for (const char *p = d->properties; *p;) {
            const char *nl = strchr(p, '\n'), *end = nl ? nl : p + strlen(p);
            const char *tab = memchr(p, '\t', (size_t)(end - p));
            chuanp_buf_puts(b, "<dt>");
            chuanp_html_esc_n(b, p, (size_t)((tab ? tab : end) - p));
            chuanp_buf_puts(b, "</dt><dd>");
            if (tab)
                chuanp_html_esc_n(b, tab + 1, (size_t)(end - tab - 1));
            chuanp_buf_puts(b, "</dd>");
            p = nl ? nl + 1 : end;
        }
        chuanp_buf_puts(b, "</dl>");
    }
    if (ctx && d->line > 0)
        chuanp_html_ctx_render(b, ctx, d->line);
    chuanp_buf_puts(b, "</li>\n");
}

static const char css[] =
    "html[lang=vi] .en,html[lang=en] .vi,[hidden]{display:none!important}\n"
    "body{font:15px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f6f7f9}\n"
    "header{background:#fff;border-bottom:1px solid #d8dce2;padding:12px 20px;position:sticky;top:0}\n"
    "h1{font-size:20px;margin:0 0 4px}h2{font-size:17px;margin:0}h3{font-size:15px;margin:0}\n"
    "main{padding:12px 20px}#summary{margin:4px 0}\n"
    ".controls{display:flex;flex-wrap:wrap;gap:6px 14px;align-items:center;margin-top:6px}\n"
    ".controls label{font-weight:600}select{font:inherit;padding:2px 4px}\n"
    "select:focus,a:focus{outline:3px solid #1a73e8;outline-offset:1px}\n"
    ".item{background:#fff;border:1px solid #d8dce2;border-left:6px solid #888;border-radius:4px;"
    "padding:10px 14px;margin:0 0 12px}\n"
    ".item.valid,.item.passed{border-left-color:#1e8e3e}.item.invalid,.item.failed{border-left-color:"
    "#c5221f}.item.error{border-left-color:#8e24aa}.item.well-formed{border-left-color:#e37400}\n"
    ".badge{display:inline-block;padding:1px 8px;border-radius:10px;color:#fff;font-weight:600;"
    "font-size:13px;background:#888}\n"
    ".badge.valid,.badge.passed{background:#1e8e3e}.badge.invalid,.badge.failed{background:#c5221f}"
    ".badge.error{background:#8e24aa}.badge.well-formed{background:#b06000}\n"
    ".file{font-family:ui-monospace,monospace;word-break:break-all}.meta,.note{color:#555;margin:4px 0}"
    "\n.note{font-style:italic}\n"
    "ol.diags,ul.diags{margin:6px 0;padding-left:22px}.d{margin:0 0 10px}\n"
    ".sev{font-weight:600}.sev-error{color:#c5221f}.sev-warning{color:#b06000}.sev-info{color:#1a73e8}\n"
    "code{font-family:ui-monospace,monospace;background:#eef0f3;padding:0 3px;border-radius:3px;"
    "overflow-wrap:anywhere}\n"
    ".where{color:#444}.path,.src{color:#555;font-size:13px}.msg{margin:2px 0}\n"
    "dl.props{margin:2px 0;font-size:13px}dl.props dt{display:inline;font-weight:600}"
    "dl.props dt:after{content:': '}dl.props dd{display:inline;margin:0 12px 0 0}\n"
    "pre.ctx{background:#fbfbfc;border:1px solid #e0e3e7;padding:4px 0;margin:4px 0;overflow-x:auto;"
    "font-size:13px}\n"
    "pre.ctx .l{display:block;padding:0 8px}pre.ctx .hit{background:#fde7e6}"
    "pre.ctx .n{display:inline-block;min-width:4em;color:#777;text-align:right;margin-right:10px;"
    "user-select:none}\n"
    ".cols{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:12px}.cols h4{margin:6px 0 2px;font-size:14px}"
    "\n.why{color:#c5221f}\n"
    "table.coverage{border-collapse:collapse;background:#fff;width:100%;margin:0 0 16px}\n"
    "table.coverage caption{text-align:left;font-weight:600;padding:6px 0}\n"
    "table.coverage th,table.coverage td{border:1px solid #d8dce2;padding:4px 8px;vertical-align:top;"
    "text-align:left}\n"
    "table.coverage code{white-space:nowrap}table.coverage .fx .file{word-break:normal;"
    "white-space:nowrap;font-size:13px}table.coverage td:nth-child(3){width:50%;font-size:13px}\n"
    "tr.uncovered{background:#fde7e6}tr.uncovered .fx{color:#c5221f;font-weight:600}\n"
    "@media print{header{position:static}.controls{display:none}}\n";

/* option texts cannot hold markup: data-en/data-vi, swapped by the script */
static const char js[] =
    "(function(){\n"
    "var $=function(i){return document.getElementById(i)};\n"
    "function each(s,f){Array.prototype.forEach.call(document.querySelectorAll(s),f)}\n"
    "function has(e,a,v){return !v||(' '+(e.getAttribute(a)||'')+' ').indexOf(' '+v+' ')>=0}\n"
    "function lang(l){document.documentElement.lang=l;"
    "each('option[data-vi]',function(o){o.textContent=o.getAttribute('data-'+l)});count()}\n"
    "var shown=0,total=0;\n"
    "function count(){var en=$('shown-en'),vi=$('shown-vi');"
    "en.textContent='showing '+shown+' of '+total;vi.textContent='hiển thị '+shown+' / '+total}\n"
    "function filter(){var r=$('f-rule').value,s=$('f-sev').value,f=$('f-fmt').value;shown=0;total=0;\n"
    "each('.d',function(d){d.hidden=!(has(d,'data-rule',r)&&has(d,'data-sev',s))});\n"
    "each('.item',function(it){var ok=has(it,'data-fmt',f)&&has(it,'data-rules',r)&&"
    "has(it,'data-sevs',s);it.hidden=!ok;total++;if(ok)shown++});\n"
    "each('tr.rule',function(t){t.hidden=!(has(t,'data-rule',r)&&has(t,'data-sev',s))});count()}\n"
    "['f-rule','f-sev','f-fmt'].forEach(function(i){$(i).addEventListener('change',filter)});\n"
    "$('lang').addEventListener('change',function(){lang(this.value)});\n"
    "lang($('lang').value);filter();\n"
    "})();\n";

static void option(chuanp_buf *b, const char *value, const char *en, const char *vi, int vietnamese,
                   int selected)
{
    chuanp_buf_puts(b, "<option value=\"");
    chuanp_html_esc(b, value);
    chuanp_buf_puts(b, "\"");
    if (vi) {
        chuanp_buf_puts(b, " data-en=\"");
        chuanp_html_esc(b, en);
        chuanp_buf_puts(b, "\" data-vi=\"");
        chuanp_html_esc(b, vi);
        chuanp_buf_puts(b, "\"");
    }
    chuanp_buf_puts(b, selected ? " selected>" : ">");
    chuanp_html_esc(b, vietnamese && vi ? vi : en);
    chuanp_buf_puts(b, "</option>");
}

static void label(chuanp_buf *b, const char *id, const char *en, const char *vi)
{
    chuanp_buf_printf(b, "<label for=\"%s\">", id);
    chuanp_html_bi(b, en, vi);
    chuanp_buf_puts(b, "</label> ");
}

static void filters(chuanp_buf *b, const chuan_reporter *rep, const chuanp_html *h)
{
    int vi = rep->vietnamese;
    chuanp_buf_puts(b, "<form class=\"controls\" role=\"search\" onsubmit=\"return false\">\n");
    label(b, "lang", "Language", "Ngôn ngữ");
    chuanp_buf_puts(b, "<select id=\"lang\">");
    option(b, "en", "English", NULL, vi, !vi);
    option(b, "vi", "Tiếng Việt", NULL, vi, vi);
    chuanp_buf_puts(b, "</select>\n");
    label(b, "f-rule", "Rule", "Quy tắc");
    chuanp_buf_puts(b, "<select id=\"f-rule\">");
    option(b, "", "all rules", "mọi quy tắc", vi, 1);
    for (size_t i = 0; h && i < h->rules.count; i++)
        option(b, h->rules.paths[i], h->rules.paths[i], NULL, vi, 0);
    chuanp_buf_puts(b, "</select>\n");
    label(b, "f-sev", "Severity", "Mức độ");
    chuanp_buf_puts(b, "<select id=\"f-sev\">");
    option(b, "", "all severities", "mọi mức độ", vi, 1);
    option(b, "error", "error", "lỗi", vi, 0);
    option(b, "warning", "warning", "cảnh báo", vi, 0);
    option(b, "info", "info", "thông tin", vi, 0);
    chuanp_buf_puts(b, "</select>\n");
    label(b, "f-fmt", "Format", "Định dạng");
    chuanp_buf_puts(b, "<select id=\"f-fmt\">");
    option(b, "", "all formats", "mọi định dạng", vi, 1);
    for (size_t i = 0; h && i < h->formats.count; i++)
        option(b, h->formats.paths[i], h->formats.paths[i], NULL, vi, 0);
    chuanp_buf_puts(b, "</select>\n<output id=\"shown\" aria-live=\"polite\"><span class=\"en\" "
                       "id=\"shown-en\"></span><span class=\"vi\" lang=\"vi\" id=\"shown-vi\"></span>"
                       "</output>\n</form>\n");
}

void chuanp_html_page(chuan_reporter *rep, int test, const char *summary)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_printf(&b, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
                          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                          "<meta name=\"generator\" content=\"chuan %s\">\n<title>chuan %s</title>\n"
                          "<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>",
                      rep->vietnamese ? "vi" : "en", CHUAN_VERSION, test ? "test" : "validate", css);
    if (test)
        chuanp_html_bi(&b, "chuan test: the packages' fixtures", "chuan test: kiểm thử fixture của gói chuẩn");
    else
        chuanp_html_bi(&b, "chuan validate: report", "chuan validate: kết quả kiểm tra");
    chuanp_buf_printf(&b, "</h1>\n<p id=\"summary\">%s</p>\n", summary ? summary : "");
    filters(&b, rep, rep->html);
    chuanp_buf_puts(&b, "</header>\n<main>\n");
    if (b.data && !b.err)
        fwrite(b.data, 1, b.len, rep->out);
    else
        rep->body.err = 1;
    chuanp_buf_free(&b);
    if (rep->body.data && !rep->body.err)
        fwrite(rep->body.data, 1, rep->body.len, rep->out);
    fprintf(rep->out, "</main>\n<script>\n%s</script>\n</body>\n</html>\n", js);
}
