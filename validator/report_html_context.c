/* validator/report_html_context.c - the payload's lines around each diagnostic, for the HTML
 * report: read once per input (the wanted line numbers sorted, the file scanned up to the last
 * one), each line capped. Standard input is not kept, big inputs are not reread, binary or
 * compressed inputs have no lines to show: the report says so instead. */
#include "report_html.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum {
    AROUND = 2,            /* lines shown before and after the diagnostic's */
    MAX_LINE = 240,        /* bytes shown of one line */
    MAX_DIAGS = 200,       /* diagnostics of one input that get context */
};
#define MAX_INPUT (64LL << 20) /* inputs above this size are not reread */

int chuanp_html_ctx_applies(const chuan_file_result *r, const chuan_diag *d)
{
    return d->line > 0 && (!d->file || !r->file || strcmp(d->file, r->file) == 0);
}

static int cmp_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return x < y ? -1 : x > y;
}

static void why(chuanp_html_ctx *c, const char *en, const char *vi)
{
    c->why_en = en;
    c->why_vi = vi;
}

/* the wanted line numbers; 0 when none, -1 out of memory */
static int wanted(chuanp_html_ctx *c, const chuan_file_result *r)
{
    size_t nd = r->diags.count < MAX_DIAGS ? r->diags.count : MAX_DIAGS, n = 0;
    c->nums = chuanp_calloc(nd * (2 * AROUND + 1) + 1, sizeof *c->nums);
    if (!c->nums)
        return -1;
    for (size_t i = 0; i < nd; i++) {
        if (!chuanp_html_ctx_applies(r, &r->diags.items[i]))
            continue;
        long l = r->diags.items[i].line;
        for (long k = l - AROUND; l > 0 && k <= l + AROUND; k++)
            if (k > 0)
                c->nums[n++] = k;
    }
    qsort(c->nums, n, sizeof *c->nums, cmp_long);
    size_t u = 0;
    for (size_t i = 0; i < n; i++)
        if (!u || c->nums[u - 1] != c->nums[i])
            c->nums[u++] = c->nums[i];
    c->n = u;
    if (!u)
        return 0;
    c->texts = chuanp_calloc(u, sizeof *c->texts);
    return c->texts ? 1 : -1;
}

typedef struct scan {
    chuanp_html_ctx *c;
    size_t next;     /* index of the next wanted line */
    long line;       /* current line number */
    chuanp_buf cur;  /* its first MAX_LINE bytes */
    int cut, binary;
} scan;

static void end_line(scan *s)
{
    chuanp_html_ctx *c = s->c;
    while (s->cur.len && s->cur.data[s->cur.len - 1] == '\r')
        s->cur.len--;
    if (s->next < c->n && c->nums[s->next] == s->line) {
        size_t len = s->cur.len;
        int cut = s->cut || len > MAX_LINE;
        if (cut) { /* on a character boundary: cur holds a few bytes past MAX_LINE */
            len = MAX_LINE;
            while (len && ((unsigned char)s->cur.data[len] & 0xC0) == 0x80)
                len--;
        }
        char *t = chuanp_malloc(len + 4);
        if (t) {
            memcpy(t, s->cur.data ? s->cur.data : "", len);
            if (cut)
                memcpy(t + len, "\xE2\x80\xA6", 3), len += 3; /* … */
            t[len] = '\0';
        }
        c->texts[s->next++] = t;
    }
    s->line++;
    s->cut = 0;
    chuanp_buf_reset(&s->cur);
}

/* returns 1 when every wanted line is read */
static int feed(scan *s, const char *p, size_t n)
{
    for (size_t i = 0; i < n && s->next < s->c->n; i++) {
        if (p[i] == '\n') {
            end_line(s);
        } else if (p[i] == '\0') {
            s->binary = 1;
            return 1;
        } else if (s->next < s->c->n && s->c->nums[s->next] == s->line) {
            if (s->cur.len < MAX_LINE + 4)
                chuanp_buf_putc(&s->cur, p[i]);
            else
                s->cut = 1;
        }
    }
    return s->next >= s->c->n;
}

static void finish(scan *s)
{
    if (!s->binary && s->next < s->c->n && (s->cur.len || s->cut))
        end_line(s); /* the last line has no newline */
    if (s->binary)
        why(s->c, "binary, compressed or UTF-16 input: no lines to show",
            "dữ liệu nhị phân, nén hoặc UTF-16: không có dòng để hiển thị");
    chuanp_buf_free(&s->cur);
}

void chuanp_html_ctx_load(chuanp_html_ctx *c, const chuan_reporter *rep, const chuan_file_result *r)
{
    memset(c, 0, sizeof *c);
    int w = wanted(c, r);
    if (w <= 0) {
        if (w < 0)
            why(c, "out of memory: no lines shown", "hết bộ nhớ: không hiển thị dòng");
        return;
    }
    scan s = {.c = c, .line = 1};
    chuanp_buf_init(&s.cur, 0);
    if (rep->ctx_data) {
        size_t skip = rep->ctx_len >= 3 && memcmp(rep->ctx_data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        feed(&s, rep->ctx_data + skip, rep->ctx_len - skip);
        finish(&s);
        return;
    }
    if (!rep->ctx_files || !r->file) {
        chuanp_buf_free(&s.cur);
        why(c, "the payload's lines are not shown here", "không hiển thị các dòng của dữ liệu ở đây");
        return;
    }
    struct stat st;
    if (strcmp(r->file, "-") == 0) {
        why(c, "read from standard input: its lines are not kept, none shown",
            "đọc từ đầu vào chuẩn (stdin): không lưu lại nên không hiển thị dòng");
    } else if (stat(r->file, &st) != 0 || !S_ISREG(st.st_mode)) {
        why(c, "the input cannot be reopened to show its lines",
            "không mở lại được dữ liệu để hiển thị các dòng");
    } else if (st.st_size > MAX_INPUT) {
        why(c, "input larger than 64 MiB: its lines are not shown",
            "dữ liệu lớn hơn 64 MiB: không hiển thị các dòng");
    } else {
        FILE *f = fopen(r->file, "rb");
        if (!f) {
            why(c, "the input cannot be reopened to show its lines",
                "không mở lại được dữ liệu để hiển thị các dòng");
        } else {
            char buf[1 << 15];
            size_t n;
            int first = 1;
            while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
                size_t skip = first && n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
                if (first && n >= 2 && ((unsigned char)buf[0] == 0x1f && (unsigned char)buf[1] == 0x8b)) {
                    s.binary = 1; /* gzip */
                    break;
                }
                first = 0;
                if (feed(&s, buf + skip, n - skip))
                    break;
            }
            fclose(f);
            finish(&s);
            return;
        }
    }
    chuanp_buf_free(&s.cur);
}

void chuanp_html_ctx_render(chuanp_buf *b, const chuanp_html_ctx *c, long line)
{
    size_t i = 0;
    while (i < c->n && c->nums[i] < line - AROUND)
        i++;
    int open = 0;
    for (; i < c->n && c->nums[i] <= line + AROUND; i++) {
        if (!c->texts[i])
            continue;
        if (!open)
            chuanp_buf_puts(b, "<pre class=\"ctx\">");
        open = 1;
        chuanp_buf_printf(b, "<span class=\"l%s\"><span class=\"n\">%ld</span>",
                          c->nums[i] == line ? " hit" : "", c->nums[i]);
        chuanp_html_esc(b, c->texts[i]);
        chuanp_buf_puts(b, "</span>");
    }
    if (open)
        chuanp_buf_puts(b, "</pre>");
}

void chuanp_html_ctx_free(chuanp_html_ctx *c)
{
    for (size_t i = 0; c->texts && i < c->n; i++)
        chuanp_free(c->texts[i]);
    chuanp_free(c->texts);
    chuanp_free(c->nums);
    memset(c, 0, sizeof *c);
}
