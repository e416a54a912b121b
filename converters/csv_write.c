/* converters/csv_write.c - CSV cells with minimal RFC 4180 quoting, BOM, formula guard. */
#include "csv.h"

#include <stdlib.h>
#include <string.h>

#define FLUSH_AT (256u << 10)

void chuanp_csv_out_init(chuanp_csv_out *w, FILE *out, char delimiter, char quote, int formula_guard)
{
    memset(w, 0, sizeof *w);
    w->out = out;
    w->delimiter = delimiter ? delimiter : ',';
    w->quote = quote ? quote : '"';
    w->formula_guard = formula_guard;
    static const char always[] = "\n\r,;\t|";
    for (const char *c = always; *c; c++)
        w->special[(unsigned char)*c] = 1;
    w->special[(unsigned char)w->delimiter] = 1;
    w->special[(unsigned char)w->quote] = 1;
    chuanp_buf_init(&w->buf, 0);
}

void chuanp_csv_out_free(chuanp_csv_out *w)
{
    if (w)
        chuanp_buf_free(&w->buf);
}

void chuanp_csv_out_bom(chuanp_csv_out *w)
{
    chuanp_buf_append(&w->buf, "\xEF\xBB\xBF", 3);
}

int chuanp_csv_formula_start(const char *s, size_t len)
{
    /* OWASP "CSV injection": = + - @ start a formula; TAB and CR too in some
     * spreadsheets. */
    return len > 0 && (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' || s[0] == '\t' ||
                       s[0] == '\r');
}

static int needs_quotes(const chuanp_csv_out *w, const char *s, size_t len)
{
    /* U+FEFF first in the file would be taken for a BOM and dropped */
    if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
        return 1;
    /* every character a reader may take for the delimiter is quoted too, so
     * sniffing (converters/csv_read.c) finds the one written: a header
     * "a;b" with ',' between cells must not read back as two columns */
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++)
        if (w->special[u[i]])
            return 1;
    return 0;
}

static void put_cell(chuanp_csv_out *w, const char *s, size_t len, int force)
{
    int guard = w->formula_guard && chuanp_csv_formula_start(s, len);
    if (!force && !needs_quotes(w, s, len)) {
        if (guard)
            chuanp_buf_putc(&w->buf, '\'');
        chuanp_buf_append(&w->buf, s, len);
        return;
    }
    chuanp_buf_putc(&w->buf, w->quote);
    if (guard)
        chuanp_buf_putc(&w->buf, '\'');
    const char *p = s, *e = s + len;
    while (p < e) {
        const char *q = memchr(p, w->quote, (size_t)(e - p));
        if (!q) {
            chuanp_buf_append(&w->buf, p, (size_t)(e - p));
            break;
        }
        chuanp_buf_append(&w->buf, p, (size_t)(q - p) + 1);
        chuanp_buf_putc(&w->buf, w->quote);
        p = q + 1;
    }
    chuanp_buf_putc(&w->buf, w->quote);
}

static void out_cell(chuanp_csv_out *w, const char *s, size_t len, int first, int force)
{
    if (!first)
        chuanp_buf_putc(&w->buf, w->delimiter);
    char *nfc = NULL;
    size_t nlen = len;
    int maybe = 0;
    if (chuanp_csv_text_check(s, len, &maybe) < 0 && maybe && chuanp_nfc(s, len, &nfc, &nlen) == 0 &&
        nfc) {
        put_cell(w, nfc, nlen, force);
        chuanp_free(nfc);
        return;
    }
    put_cell(w, s, len, force);
}

void chuanp_csv_out_cell(chuanp_csv_out *w, const char *s, size_t len, int first)
{
    out_cell(w, s, len, first, 0);
}

void chuanp_csv_out_cell_quoted(chuanp_csv_out *w, const char *s, size_t len, int first)
{
    out_cell(w, s, len, first, 1);
}

void chuanp_csv_out_end_row(chuanp_csv_out *w)
{
    chuanp_buf_append(&w->buf, "\r\n", 2);
    if (w->buf.len >= FLUSH_AT)
        chuanp_csv_out_flush(w);
}

int chuanp_csv_out_flush(chuanp_csv_out *w)
{
    if (w->buf.err)
        w->err = 1;
    if (!w->err && w->buf.len && fwrite(w->buf.data, 1, w->buf.len, w->out) != w->buf.len)
        w->err = 1;
    chuanp_buf_reset(&w->buf);
    return w->err ? -1 : 0;
}
