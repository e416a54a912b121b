/* converters/csv_read.c - streaming CSV scanner (RFC 4180 + dialects) in constant memory. */
#include "csv_parser.h"

#include <errno.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define ONES 0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

#define INITIAL_BUF (256u << 10)
#define DEFAULT_MAX_RECORD ((size_t)256 << 20)
#define DEFAULT_MAX_FIELDS 1000000u
#define SNIFF_BYTES (64u << 10)


static chuanp_csv_parser *parser_alloc(const chuanp_csv_parser_opts *o)
{
    chuanp_csv_parser *p = chuanp_calloc(1, sizeof *p);
    if (!p)
        return NULL;
    p->delim = o ? o->delimiter : 0;
    p->quote = o && o->quote ? o->quote : '"';
    p->max_record = o && o->max_record ? o->max_record : DEFAULT_MAX_RECORD;
    p->max_fields = o && o->max_fields ? o->max_fields : DEFAULT_MAX_FIELDS;
    p->line = 1;
    chuanp_buf_init(&p->dec, 0);
    p->file = chuanp_strdup(o && o->file ? o->file : "-");
    if (!p->file) {
        chuanp_free(p);
        return NULL;
    }
    return p;
}

chuanp_csv_parser *chuanp_csv_parser_new(FILE *in, const chuanp_csv_parser_opts *o)
{
    chuanp_csv_parser *p = parser_alloc(o);
    if (!p)
        return NULL;
    p->in = in;
    p->owns_buf = 1;
    p->cap = o && o->buffer ? o->buffer : INITIAL_BUF;
    p->buf = chuanp_malloc(p->cap);
    if (!p->buf) {
        chuanp_csv_parser_free(p);
        return NULL;
    }
    return p;
}

chuanp_csv_parser *chuanp_csv_parser_new_mem(const char *data, size_t len,
                                             const chuanp_csv_parser_opts *o)
{
    chuanp_csv_parser *p = parser_alloc(o);
    if (!p)
        return NULL;
    /* borrowed: the parser only reads buf (refill() stops at eof before it would move it) */
    p->buf = (char *)(uintptr_t)data;
    p->cap = p->end = len;
    p->eof = 1;
    return p;
}

void chuanp_csv_parser_free(chuanp_csv_parser *p)
{
    if (!p)
        return;
    if (p->owns_buf)
        chuanp_free(p->buf);
    chuanp_free(p->fields);
    chuanp_free(p->foff);
    chuanp_buf_free(&p->dec);
    chuanp_free(p->file);
    chuanp_free(p);
}

char chuanp_csv_delimiter(const chuanp_csv_parser *p)
{
    return p->delim;
}

const char *chuanp_csv_file(const chuanp_csv_parser *p)
{
    return p->file;
}

void chuanp_csv_diag(chuan_diags *d, const char *file, const char *code, long line, long column,
                     long long offset, long record, const char *fmt, ...)
{
    char path[48];
    if (record > 0)
        snprintf(path, sizeof path, "row %ld", record);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = file, .line = line,
                     .column = column, .offset = offset, .path = record > 0 ? path : NULL};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(d, &dg, fmt, ap);
    va_end(ap);
}

/* Move the unparsed tail to the front, grow when full, read more.
 * Returns 1 data added, 0 end of input, -1 I/O error, -2 OOM/too large. */
static int refill(chuanp_csv_parser *p)
{
    if (p->eof)
        return 0;
    if (p->start > 0) {
        memmove(p->buf, p->buf + p->start, p->end - p->start);
        p->base += (long long)p->start;
        p->end -= p->start;
        p->start = 0;
    }
    if (p->end == p->cap) {
        if (p->cap >= p->max_record + 4)
            return -2;
        size_t ncap = p->cap * 2;
        if (ncap > p->max_record + 4)
            ncap = p->max_record + 4;
        char *nb = chuanp_realloc(p->buf, ncap);
        if (!nb)
            return -2;
        p->buf = nb;
        p->cap = ncap;
    }
    size_t n = fread(p->buf + p->end, 1, p->cap - p->end, p->in);
    if (n == 0) {
        if (ferror(p->in))
            return -1;
        p->eof = 1;
        return 0;
    }
    p->end += n;
    return 1;
}


/* ---- UTF-8 validation + "may not be NFC" in one pass ---- */

long long chuanp_csv_text_check(const char *s, size_t len, int *maybe_not_nfc)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    *maybe_not_nfc = 0;
    while (i < len) {
        while (i + 8 <= len) {
            uint64_t w;
            memcpy(&w, u + i, 8);
            if (w & HIGHS)
                break;
            i += 8;
        }
        while (i < len && u[i] < 0x80)
            i++;
        if (i >= len)
            break;
        /* fast paths: U+0080..U+02FF and U+1E00..U+1EFF (Vietnamese letters) */
        if (u[i] >= 0xC2 && u[i] <= 0xCB && i + 1 < len && (u[i + 1] & 0xC0) == 0x80) {
            i += 2;
            continue;
        }
        if (u[i] == 0xE1 && i + 2 < len && u[i + 1] >= 0xB8 && u[i + 1] <= 0xBB &&
            (u[i + 2] & 0xC0) == 0x80) {
            i += 3;
            continue;
        }
        uint32_t cp;
        int n = chuanp_utf8_decode(u + i, len - i, &cp);
        if (n == 0)
            return (long long)i;
        if (!chuanp_csv_nfc_stable(cp))
            *maybe_not_nfc = 1;
        i += (size_t)n;
    }
    return -1;
}

/* ---- delimiter sniffing ---- */
static const char sniff_candidates[] = {',', ';', '\t', '|'};

/* Field counts of the first records of head for delimiter c. */
static size_t sniff_counts(const char *s, size_t len, char c, char quote, size_t *counts,
                           size_t max)
{
    size_t nrec = 0, fields = 1, i = 0;
    int inq = 0, any = 0;
    while (i < len && nrec < max) {
        char ch = s[i];
        if (inq) {
            if (ch == quote) {
                if (i + 1 < len && s[i + 1] == quote)
                    i++;
                else
                    inq = 0;
            }
        } else if (ch == quote) {
            inq = 1;
            any = 1;
        } else if (ch == c) {
            fields++;
            any = 1;
        } else if (ch == '\n' || ch == '\r') {
            if (ch == '\r' && i + 1 < len && s[i + 1] == '\n')
                i++;
            if (any)
                counts[nrec++] = fields;
            fields = 1;
            any = 0;
        } else {
            any = 1;
        }
        i++;
    }
    /* a last record cut by the sample is not counted unless it is all there is */
    if (nrec == 0 && any && !inq)
        counts[nrec++] = fields;
    return nrec;
}

char chuanp_csv_sniff(const char *head, size_t len, char quote)
{
    size_t counts[32];
    char best = ',';
    size_t best_agree = 0, best_fields = 1;
    if (!quote)
        quote = '"';
    for (size_t k = 0; k < sizeof sniff_candidates; k++) {
        char c = sniff_candidates[k];
        size_t n = sniff_counts(head, len, c, quote, counts, 32);
        if (n == 0 || counts[0] < 2)
            continue;
        size_t agree = 0;
        for (size_t j = 0; j < n; j++)
            agree += counts[j] == counts[0];
        /* prefer more records agreeing with the first, then more fields */
        if (agree > best_agree || (agree == best_agree && counts[0] > best_fields)) {
            best = c;
            best_agree = agree;
            best_fields = counts[0];
        }
    }
    return best;
}

/* ---- one record ---- */
enum { PARSE_ROW = 1, PARSE_END = 0, PARSE_BAD = 2, PARSE_MORE = 3, PARSE_BLANK = 4,
       PARSE_SKIPPED = 5, PARSE_FATAL = -1 };

static void bad_syntax(chuanp_csv_parser *p, chuan_diags *d, const char *code, size_t at,
                       long line, const char *msg)
{
    /* column: characters since the last line start before `at` */
    size_t ls = at;
    while (ls > p->start && p->buf[ls - 1] != '\n' && p->buf[ls - 1] != '\r')
        ls--;
    long col = (long)chuanp_utf8_count(p->buf + ls, at - ls) + 1;
    chuanp_csv_diag(d, p->file, code, line, col, p->base + (long long)at, p->record, "%s", msg);
    p->skipping = 1;
    p->skip_at = at - p->start;
    p->skip_line = line;
}

/* Skip from start + skip_at to the end of that physical line. */
static int skip_line(chuanp_csv_parser *p)
{
    size_t i = p->start + p->skip_at;
    while (i < p->end && p->buf[i] != '\n' && p->buf[i] != '\r')
        i++;
    if (i == p->end && !p->eof)
        return PARSE_MORE;
    if (i < p->end) {
        if (p->buf[i] == '\r' && i + 1 == p->end && !p->eof)
            return PARSE_MORE;
        if (p->buf[i] == '\r' && i + 1 < p->end && p->buf[i + 1] == '\n')
            i++;
        i++;
    }
    p->line = p->skip_line + 1;
    p->start = i;
    p->skipping = 0;
    return PARSE_SKIPPED;
}

static int parse_row(chuanp_csv_parser *p, chuanp_csv_row *row, chuan_diags *d)
{
    const char *b = p->buf;
    const size_t end = p->end;
    const unsigned char q = (unsigned char)p->quote, dl = (unsigned char)p->delim;
    size_t i = p->start, n = 0;
    long line = p->line;
    chuanp_buf_reset(&p->dec);
    if (i == end)
        return p->eof ? PARSE_END : PARSE_MORE;
    /* decoded text never outgrows the input: each field loses its quotes and
     * delimiter, and gains one NUL; +2 covers a last field without a line end */
    if (chuanp_buf_reserve(&p->dec, end - i + 2) < 0)
        return PARSE_FATAL;
    char *dd = p->dec.data;
    for (;;) {
        size_t fstart = i;
        long fline = line;
        int high = 0, quoted = 0;
        size_t dstart = p->dec.len;
        if (i < end && (unsigned char)b[i] == q) {
            quoted = 1;
            i++;
            for (;;) {
                const char *qp = memchr(b + i, q, end - i);
                size_t qi = qp ? (size_t)(qp - b) : end;
                for (size_t k = chuanp_csv_scan4(b, i, qi, '\n', '\r', '\n', '\r', &high); k < qi;
                     k = chuanp_csv_scan4(b, k + 1, qi, '\n', '\r', '\n', '\r', &high))
                    if (b[k] == '\n' || k + 1 >= end || b[k + 1] != '\n')
                        line++; /* LF, or a CR not followed by LF */
                if (!qp) {
                    if (!p->eof)
                        return PARSE_MORE;
                    size_t ls = fstart;
                    while (ls > p->start && b[ls - 1] != '\n' && b[ls - 1] != '\r')
                        ls--;
                    chuanp_csv_diag(d, p->file, "csv.unterminated-quote", fline,
                                    (long)chuanp_utf8_count(b + ls, fstart - ls) + 1,
                                    p->base + (long long)fstart, p->record + 1,
                                    "unterminated quoted field: the quote opened here is never closed");
                    p->record++;
                    p->start = end; /* the rest of the input is inside the quote */
                    return PARSE_BAD;
                }
                memcpy(dd + p->dec.len, b + i, qi - i);
                p->dec.len += qi - i;
                if (qi + 1 == end && !p->eof)
                    return PARSE_MORE;
                if (qi + 1 < end && (unsigned char)b[qi + 1] == q) {
                    dd[p->dec.len++] = (char)q;
                    i = qi + 2;
                    continue;
                }
                i = qi + 1;
                break;
            }
            if (i < end) {
                unsigned char ch = (unsigned char)b[i];
                if (ch != dl && ch != '\n' && ch != '\r') {
                    p->record++;
                    bad_syntax(p, d, "csv.bare-quote", i, line,
                               "unexpected character after a closing quote (a quote inside a "
                               "quoted field must be doubled)");
                    return PARSE_BAD;
                }
            }
        } else {
            i = chuanp_csv_scan4(b, i, end, dl, '\n', '\r', q, &high);
            if (i < end && (unsigned char)b[i] == q) {
                p->record++;
                bad_syntax(p, d, "csv.bare-quote", i, line,
                           "quote character inside an unquoted field (quote the field and "
                           "double the quote)");
                return PARSE_BAD;
            }
            if (i == end && !p->eof)
                return PARSE_MORE;
            memcpy(dd + p->dec.len, b + fstart, i - fstart);
            p->dec.len += i - fstart;
        }
        if (n >= p->max_fields) {
            p->record++;
            bad_syntax(p, d, "csv.too-many-fields", fstart, fline, "too many fields in one record");
            return PARSE_BAD;
        }
        /* record the field (text offset fixed after the row is complete) */
        size_t dlen = p->dec.len - dstart;
        dd[p->dec.len++] = '\0';
        if (n >= p->fcap) {
            size_t ncap = p->fcap ? p->fcap * 2 : 64;
            chuanp_csv_field *nf = chuanp_realloc(p->fields, ncap * sizeof *nf);
            if (!nf)
                return PARSE_FATAL;
            p->fields = nf;
            size_t *no = chuanp_realloc(p->foff, ncap * sizeof *no);
            if (!no)
                return PARSE_FATAL;
            p->foff = no;
            p->fcap = ncap;
        }
        if (p->dec.err)
            return PARSE_FATAL;
        chuanp_csv_field *f = &p->fields[n];
        p->foff[n] = dstart;
        f->len = dlen;
        f->line = fline;
        f->column = 0;
        f->raw_start = fstart - p->start;
        f->quoted = (unsigned)quoted;
        f->nonascii = 0;
        f->not_nfc = 0;
        if (high) {
            int maybe = 0;
            long long bad = chuanp_csv_text_check(p->dec.data + dstart, dlen, &maybe);
            if (bad >= 0) {
                /* locate the byte in the raw input: for unquoted fields it is exact */
                size_t at = quoted ? fstart : fstart + (size_t)bad;
                p->record++;
                bad_syntax(p, d, "csv.utf8", at, fline,
                           "invalid UTF-8 (use --encoding for legacy Vietnamese encodings)");
                return PARSE_BAD;
            }
            f->nonascii = 1;
            f->not_nfc = (unsigned)maybe;
        }
        n++;
        /* what ends the field */
        size_t row_end = i;
        if (i < end) {
            unsigned char ch = (unsigned char)b[i];
            if (ch == dl) {
                i++;
                continue;
            }
            if (ch == '\r') {
                if (i + 1 == end && !p->eof)
                    return PARSE_MORE;
                i += (i + 1 < end && b[i + 1] == '\n') ? 2 : 1;
            } else {
                i++;
            }
            line++;
        }
        /* complete row */
        size_t rs = p->start;
        long rline = p->line;
        p->start = i;
        p->line = line;
        if (row_end == rs && n == 1)
            return PARSE_BLANK; /* blank line: skipped, still counted as a line */
        p->record++;
        for (size_t k = 0; k < n; k++)
            p->fields[k].text = p->dec.data + p->foff[k];
        row->fields = p->fields;
        row->count = n;
        row->record = p->record;
        row->line = rline;
        row->offset = p->base + (long long)rs;
        row->raw = b + rs;
        row->raw_len = row_end - rs;
        return PARSE_ROW;
    }
}

int chuanp_csv_next(chuanp_csv_parser *p, chuanp_csv_row *row, chuan_diags *d)
{
    memset(row, 0, sizeof *row);
    if (!p->started) {
        p->started = 1;
        /* enough input for the BOM and for sniffing, whatever the buffer size */
        size_t want = p->delim ? 3 : SNIFF_BYTES;
        while (p->in && !p->eof && p->end - p->start < want) {
            int r = refill(p);
            if (r == -2)
                break; /* max_record smaller than the sample: sniff what is there */
            if (r < 0) {
                chuanp_csv_diag(d, p->file, "csv.io", 0, 0, -1, 0, "cannot read input: %s",
                                chuanp_strerror(errno));
                return -1;
            }
        }
        if (p->end - p->start >= 3 && memcmp(p->buf + p->start, "\xEF\xBB\xBF", 3) == 0) {
            p->start += 3;
            p->had_bom = 1;
        }
        if (!p->delim) {
            size_t len = p->end - p->start;
            p->delim = chuanp_csv_sniff(p->buf + p->start, len < SNIFF_BYTES ? len : SNIFF_BYTES,
                                        p->quote);
        }
    }
    for (;;) {
        int r = p->skipping ? skip_line(p) : parse_row(p, row, d);
        if (r == PARSE_BLANK || r == PARSE_SKIPPED)
            continue;
        if (r == PARSE_MORE) {
            size_t pending = p->end - p->start;
            int f = refill(p);
            if (f == -2 && pending + 4 >= p->max_record) {
                chuanp_csv_diag(d, p->file, "csv.too-large", p->line, 1,
                                p->base + (long long)p->start, p->record + 1,
                                "record larger than %zu bytes", p->max_record);
                p->eof = 1; /* no way to resynchronise: stop after this record */
                p->start = p->end;
                p->record++;
                return 2;
            }
            if (f < 0) {
                chuanp_csv_diag(d, p->file, "csv.io", 0, 0, -1, 0, "cannot read input: %s",
                                f == -1 ? chuanp_strerror(errno) : "out of memory");
                return -1;
            }
            if (f == 0 && !p->eof)
                p->eof = 1;
            continue;
        }
        if (r == PARSE_FATAL)
            return -1;
        return r;
    }
}

int chuanp_csv_next_json(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                         int *as_json, chuanp_csv_row *row, chuan_diags *d)
{
    *as_json = 0;
    /* the fast path knows the standard quote only; the first call reads the BOM and sniffs */
    while (p->started && !p->skipping && p->quote == '"' && k->ncols > 0) {
        memset(row, 0, sizeof *row);
        chuanp_buf_reset(out);
        int r = chuanp_csv_fast_row(p, k, out, row);
        if (r == CHUANP_FAST_ROW) {
            *as_json = 1;
            return 1;
        }
        if (r != CHUANP_FAST_MORE || refill(p) < 0)
            break; /* the scanner reports what a read could not do */
        if (p->eof && p->start == p->end)
            break;
    }
    return chuanp_csv_next(p, row, d);
}

long chuanp_csv_json_rows(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out)
{
    long n = 0;
    /* the loop of chuanp_csv_next_json, without its row and with the rows appended */
    while (p->started && !p->skipping && p->quote == '"' && k->ncols > 0) {
        chuanp_csv_row row;
        int r = chuanp_csv_fast_row(p, k, out, &row);
        if (r == CHUANP_FAST_ROW) {
            chuanp_buf_putc(out, '\n');
            if (out->err)
                return -1;
            n++;
            continue;
        }
        if (r != CHUANP_FAST_MORE || refill(p) < 0)
            break; /* the scanner reports what a read could not do */
        if (p->eof && p->start == p->end)
            break;
    }
    return n;
}

void chuanp_csv_row_columns(const chuanp_csv_row *row)
{
    const unsigned char *s = (const unsigned char *)row->raw;
    size_t pos = 0;
    long col = 1;
    for (size_t k = 0; k < row->count; k++) {
        chuanp_csv_field *f = &row->fields[k];
        size_t to = f->raw_start;
        for (; pos < to; pos++) {
            unsigned char c = s[pos];
            if (c == '\n' || (c == '\r' && (pos + 1 >= row->raw_len || s[pos + 1] != '\n')))
                col = 1;
            else if (c != '\r' && (c & 0xC0) != 0x80)
                col++;
        }
        f->column = col;
    }
}
