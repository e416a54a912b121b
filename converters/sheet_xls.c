/*
 * converters/sheet_xls.c - XLS workbooks (Excel 97-2003, BIFF8), own reader.
 *
 * Why not libfreexl (Debian's libfreexl-dev)? It returns a cell's value but
 * neither its font nor its number format, and the font is what says whether
 * a cell is TCVN3 or VNI; it also reads dates its own way. So this file reads
 * the OLE2 compound file (sheet_xls_cfb.c) and the BIFF8 records itself:
 * FONT, FORMAT, XF, DATEMODE, BOUNDSHEET8, SST (+CONTINUE, rich-text runs:
 * a run's own font), then the chosen sheet's LABELSST, LABEL, RSTRING, RK,
 * MULRK, NUMBER, BOOLERR and FORMULA (+STRING) records, one row at a time.
 * The workbook stream is read into memory (at most CHUANP_XLS_MAX bytes;
 * XLS files are small: 65,536 rows at most). BIFF5 and older are refused.
 */
#include "sheet.h"
#include "sheet_xls_cfb.h"
#include "convert.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct xls_src {
    chuanp_sheet_src base;
    const char *file;
    chuanp_sheet_fonts *fonts;
    unsigned char *wb;   /* the Workbook stream */
    size_t wb_len;
    char **font_names;   /* by FONT record order */
    size_t nfonts;
    int *xf_font, *xf_fmt;
    size_t nxfs, xfs_cap;
    int *fmt_id;
    char **fmt_code;
    size_t nfmts;
    /* shared strings: runs as in sheet_xlsx.c, [int32 ifnt (-1 the cell's)][uint32 len][utf8] */
    chuanp_buf sst;
    size_t *sst_off;
    size_t nsst;
    /* the sheet */
    size_t pos;          /* next record in wb */
    long cur_row;        /* row being collected (0-based), -1 none */
    long last_row;
    chuanp_sheet_cell *cells;
    size_t *text_off;
    size_t ncells, cells_cap;
    chuanp_buf text, tmp;
    int pending_string;  /* a FORMULA's string result comes in the next STRING record */
    long pend_col, pend_xf;
    int finished, done_emit, eof;
    int col_slot[256];   /* the row's cell of each column, -1 none (a cell written twice: the
                            last wins, in place) */
    size_t slot;         /* the cell being made */
    chuanp_sheet_row out;
} xls_src;

static unsigned u16(const unsigned char *p) { return (unsigned)p[0] | (unsigned)p[1] << 8; }
static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* ------------------------------------------------- records and strings */

/* A record and its CONTINUE records, read as one logical byte sequence
 * whose character data restarts with a flags byte at each CONTINUE. */
typedef struct rec_cursor {
    const unsigned char *wb;
    size_t wb_len;
    size_t seg, seg_end; /* current segment [seg, seg_end) in wb */
    size_t next;         /* offset of the record after the current segment */
    int bad;
    int wide;            /* characters in UTF-16 (1) or compressed (0): set by each flags byte */
} rec_cursor;

static int cursor_next_segment(rec_cursor *c)
{
    if (c->next + 4 > c->wb_len || u16(c->wb + c->next) != 0x003C) /* CONTINUE */
        return 0;
    size_t len = u16(c->wb + c->next + 2);
    if (c->next + 4 + len > c->wb_len)
        return 0;
    c->seg = c->next + 4;
    c->seg_end = c->seg + len;
    c->next = c->seg_end;
    return 1;
}

static int cursor_bytes(rec_cursor *c, void *out, size_t n)
{
    unsigned char *o = out;
    while (n) {
        if (c->seg == c->seg_end && !cursor_next_segment(c)) {
            c->bad = 1;
            return -1;
        }
        size_t k = c->seg_end - c->seg < n ? c->seg_end - c->seg : n;
        if (o) {
            memcpy(o, c->wb + c->seg, k);
            o += k;
        }
        c->seg += k;
        n -= k;
    }
    return 0;
}

/* cch characters (flags byte already read: bit 0 = UTF-16) as UTF-8 into b;
 * a CONTINUE in the middle starts with a new flags byte. */
static int cursor_chars(rec_cursor *c, size_t cch, chuanp_buf *b)
{
    uint32_t hi = 0;
    int wide = c->wide;
    while (cch) {
        if (c->seg == c->seg_end) {
            if (!cursor_next_segment(c) || c->seg == c->seg_end) {
                c->bad = 1;
                return -1;
            }
            wide = c->wide = c->wb[c->seg++] & 1;
        }
        if (!wide) {
            chuanp_buf_put_utf8(b, c->wb[c->seg++]);
        } else {
            if (c->seg_end - c->seg < 2) {
                c->bad = 1;
                return -1;
            }
            uint32_t u = u16(c->wb + c->seg);
            c->seg += 2;
            if (u >= 0xD800 && u <= 0xDBFF) {
                hi = u;
                cch--;
                continue;
            }
            if (u >= 0xDC00 && u <= 0xDFFF && hi)
                u = 0x10000 + ((hi - 0xD800) << 10) + (u - 0xDC00);
            else if (u >= 0xD800 && u <= 0xDFFF)
                u = 0xFFFD;
            hi = 0;
            chuanp_buf_put_utf8(b, u ? u : 0xFFFD);
        }
        cch--;
    }
    return 0;
}

/* An XLUnicodeRichExtendedString into runs [font][len][utf8] appended to out. */
static int read_rich_string(rec_cursor *c, size_t cch, chuanp_buf *tmp, chuanp_buf *out)
{
    unsigned char fl;
    if (cursor_bytes(c, &fl, 1) < 0)
        return -1;
    c->wide = fl & 1;
    unsigned char b4[4];
    size_t runs = 0, ext = 0;
    if (fl & 0x08) {
        if (cursor_bytes(c, b4, 2) < 0)
            return -1;
        runs = u16(b4);
    }
    if (fl & 0x04) {
        if (cursor_bytes(c, b4, 4) < 0)
            return -1;
        ext = u32(b4);
    }
    chuanp_buf_reset(tmp);
    /* positions of the characters: UTF-8 offsets of each char index, for the runs */
    size_t *at = NULL;
    if (runs) {
        at = chuanp_malloc((cch + 1) * sizeof *at);
        if (!at)
            return -2;
        for (size_t i = 0; i < cch; i++) {
            at[i] = tmp->len;
            if (cursor_chars(c, 1, tmp) < 0) {
                chuanp_free(at);
                return -1;
            }
        }
        at[cch] = tmp->len;
    } else if (cursor_chars(c, cch, tmp) < 0) {
        return -1;
    }
    size_t start = 0;
    int32_t font = -1;
    for (size_t r = 0; r <= runs; r++) {
        size_t ich = cch;
        int32_t nf = -1;
        if (r < runs) {
            if (cursor_bytes(c, b4, 4) < 0) {
                chuanp_free(at);
                return -1;
            }
            ich = u16(b4);
            nf = (int32_t)u16(b4 + 2);
            if (ich > cch)
                ich = cch;
        }
        size_t a = at ? at[start] : 0, e = at ? at[ich] : tmp->len;
        if (e > a || (r == runs && out->len == 0)) {
            uint32_t l = (uint32_t)(e - a);
            chuanp_buf_append(out, &font, 4);
            chuanp_buf_append(out, &l, 4);
            chuanp_buf_append(out, tmp->data ? tmp->data + a : "", l);
        }
        if (ich > start)
            start = ich;
        font = nf;
    }
    chuanp_free(at);
    if (ext && cursor_bytes(c, NULL, ext) < 0)
        return -1;
    return out->err ? -2 : 0;
}

/* -------------------------------------------------------- the globals */

static const char *font_of(const xls_src *s, long ifnt)
{
    if (ifnt < 0)
        return NULL;
    long i = ifnt >= 4 ? ifnt - 1 : ifnt; /* BIFF skips font index 4 */
    return (size_t)i < s->nfonts ? s->font_names[i] : NULL;
}

static const char *xf_font(const xls_src *s, long xf)
{
    if (xf < 0 || (size_t)xf >= s->nxfs)
        return font_of(s, 0);
    return font_of(s, s->xf_font[xf]);
}

static const char *xf_numfmt(const xls_src *s, long xf, int *id)
{
    *id = 0;
    if (xf < 0 || (size_t)xf >= s->nxfs)
        return NULL;
    *id = s->xf_fmt[xf];
    for (size_t i = 0; i < s->nfmts; i++)
        if (s->fmt_id[i] == *id)
            return s->fmt_code[i];
    return chuanp_numfmt_builtin(*id);
}

/* a short string in a record body (FONT, FORMAT, BOUNDSHEET): cch of cch_bytes, flags, chars */
static char *short_string(const unsigned char *p, size_t len, int cch_bytes)
{
    if (len < (size_t)cch_bytes + 1)
        return NULL;
    size_t cch = cch_bytes == 1 ? p[0] : u16(p);
    int wide = p[cch_bytes] & 1;
    const unsigned char *q = p + cch_bytes + 1;
    size_t avail = len - (size_t)cch_bytes - 1;
    if (cch * (wide ? 2 : 1) > avail)
        cch = avail / (wide ? 2 : 1);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < cch; i++)
        chuanp_buf_put_utf8(&b, wide ? u16(q + 2 * i) : q[i]);
    if (b.err) {
        chuanp_buf_free(&b);
        return NULL;
    }
    if (!b.data)
        return chuanp_strdup("");
    return chuanp_buf_steal(&b, NULL);
}

static int push_str(char ***arr, size_t *n, char *s)
{
    if (!s)
        return -1;
    char **na = chuanp_realloc(*arr, (*n + 1) * sizeof *na);
    if (!na) {
        chuanp_free(s);
        return -1;
    }
    *arr = na;
    na[(*n)++] = s;
    return 0;
}

static int bad(xls_src *s, chuan_diags *d, const char *msg)
{
    chuanp_convert_error(d, "xls.corrupt", s->file, 0, 0, NULL, "not a readable XLS workbook: %s",
                         _(msg));
    return 1;
}

/* The shared string table (SST record at pos, its CONTINUE records after it): *next becomes
 * the record after the last CONTINUE. 0, 1 (refused: said in d), -1 (out of memory). */
static int read_sst(xls_src *s, size_t pos, size_t rec_end, size_t *next, chuan_diags *d)
{
    const unsigned char *wb = s->wb, *p = wb + pos + 4;
    size_t n = s->wb_len;
    rec_cursor c = {.wb = wb, .wb_len = n, .seg = pos + 12, .seg_end = rec_end, .next = rec_end};
    uint32_t unique = u32(p + 4);
    if (unique > (n / 3) + 1)
        return bad(s, d, "the shared string table claims more strings than the file can hold");
    s->sst_off = chuanp_malloc(((size_t)unique + 1) * sizeof *s->sst_off);
    if (!s->sst_off)
        return -1;
    chuanp_buf_init(&s->sst, (size_t)CHUANP_SHEET_MAX_PART);
    for (uint32_t i = 0; i < unique; i++) {
        s->sst_off[i] = s->sst.len;
        unsigned char b2[2];
        if (cursor_bytes(&c, b2, 2) < 0)
            break;
        int r = read_rich_string(&c, u16(b2), &s->tmp, &s->sst);
        if (r == -2)
            return -1;
        if (r < 0)
            break;
        s->nsst = i + 1;
    }
    s->sst_off[s->nsst] = s->sst.len;
    if (s->sst.err == 2) {
        chuanp_convert_error(d, "xls.too-large", s->file, 0, 0, NULL,
                             "the shared strings take more than %lld bytes: refused",
                             (long long)CHUANP_SHEET_MAX_PART);
        return 1;
    }
    if (c.bad || s->nsst < unique)
        return bad(s, d, "the shared string table is cut short");
    *next = c.next;
    return 0;
}

/* The sheet --sheet names: its 1-based index, else its name exactly, else ignoring case; the
 * first sheet without sel. -1: none. */
static long pick_sheet(char **names, size_t nnames, const char *sel)
{
    long pick = -1;
    if (!sel)
        return 0;
    char *end;
    long k = strtol(sel, &end, 10);
    if (*sel && !*end && k >= 1 && (size_t)k <= nnames)
        pick = k - 1;
    for (size_t i = 0; pick < 0 && i < nnames; i++)
        if (strcmp(names[i], sel) == 0)
            pick = (long)i;
    for (size_t i = 0; pick < 0 && i < nnames; i++)
        if (strcasecmp(names[i], sel) == 0)
            pick = (long)i;
    return pick;
}

static int read_globals(xls_src *s, const char *sel, chuan_diags *d)
{
    const unsigned char *wb = s->wb;
    size_t pos = 0, n = s->wb_len;
    if (n < 8 || u16(wb) != 0x0809)
        return bad(s, d, "the workbook stream does not start with a BOF record");
    if (u16(wb + 4) != 0x0600)
        return bad(s, d, "not BIFF8 (Excel 97 or later): older XLS versions are not read");
    char **names = NULL;
    size_t nnames = 0;
    uint32_t *offs = NULL;
    int rc = 1;
    while (pos + 4 <= n) {
        unsigned type = u16(wb + pos), len = u16(wb + pos + 2);
        const unsigned char *p = wb + pos + 4;
        if (pos + 4 + len > n) {
            bad(s, d, "a record runs past the end of the stream");
            goto out;
        }
        size_t rec_end = pos + 4 + len;
        switch (type) {
        case 0x0022: /* DATEMODE */
            if (len >= 2)
                s->base.date1904 = u16(p) == 1;
            break;
        case 0x0031: /* FONT */
            if (len >= 15 && push_str(&s->font_names, &s->nfonts, short_string(p + 14, len - 14, 1)) < 0)
                goto oom;
            break;
        case 0x041E: /* FORMAT */
            if (len >= 5) {
                int *ni = chuanp_realloc(s->fmt_id, (s->nfmts + 1) * sizeof *ni);
                if (!ni)
                    goto oom;
                s->fmt_id = ni;
                ni[s->nfmts] = (int)u16(p);
                size_t k = s->nfmts;
                if (push_str(&s->fmt_code, &k, short_string(p + 2, len - 2, 2)) < 0)
                    goto oom;
                s->nfmts = k;
            }
            break;
        case 0x00E0: /* XF */
            if (len >= 4) {
                if (s->nxfs == s->xfs_cap) {
                    size_t nc = s->xfs_cap ? s->xfs_cap * 2 : 64;
                    int *a = chuanp_realloc(s->xf_font, nc * sizeof *a);
                    if (!a)
                        goto oom;
                    s->xf_font = a;
                    int *b = chuanp_realloc(s->xf_fmt, nc * sizeof *b);
                    if (!b)
                        goto oom;
                    s->xf_fmt = b;
                    s->xfs_cap = nc;
                }
                s->xf_font[s->nxfs] = (int)u16(p);
                s->xf_fmt[s->nxfs] = (int)u16(p + 2);
                s->nxfs++;
            }
            break;
        case 0x0085: /* BOUNDSHEET8 */
            if (len >= 8) {
                uint32_t *no = chuanp_realloc(offs, (nnames + 1) * sizeof *no);
                if (!no)
                    goto oom;
                offs = no;
                offs[nnames] = u32(p);
                if (push_str(&names, &nnames, short_string(p + 6, len - 6, 1)) < 0)
                    goto oom;
            }
            break;
        case 0x00FC: { /* SST */
            int r = len < 8 ? 0 : read_sst(s, pos, rec_end, &rec_end, d);
            if (r < 0)
                goto oom;
            if (r > 0)
                goto out;
            break;
        }
        default:
            break;
        }
        pos = rec_end;
        if (type == 0x000A) /* EOF of the globals */
            break;
    }
    if (nnames == 0) {
        bad(s, d, "the workbook lists no sheet");
        goto out;
    }
    long pick = pick_sheet(names, nnames, sel);
    if (pick < 0) {
        chuanp_buf b;
        chuanp_buf_init(&b, 4096);
        for (size_t i = 0; i < nnames; i++)
            chuanp_buf_printf(&b, "%s%zu '%s'", i ? ", " : "", i + 1, names[i]);
        chuanp_convert_error(d, "sheet.not-found", s->file, 0, 0, NULL,
                             "no sheet '%s' in this workbook (sheets: %s)", sel,
                             b.data ? b.data : "");
        chuanp_buf_free(&b);
        goto out;
    }
    s->base.sheet_name = names[pick];
    names[pick] = NULL;
    s->pos = offs[pick];
    if (s->pos + 8 > n || u16(wb + s->pos) != 0x0809) {
        bad(s, d, "the sheet's BOF record is not where the workbook says");
        goto out;
    }
    s->pos += 4 + u16(wb + s->pos + 2);
    rc = 0;
    goto out;
oom:
    rc = -1;
out:
    for (size_t i = 0; i < nnames; i++)
        chuanp_free(names[i]);
    chuanp_free(names);
    chuanp_free(offs);
    return rc;
}

/* ---------------------------------------------------------- the sheet */

static chuanp_sheet_cell *new_cell(xls_src *s, long col)
{
    if (col >= 0 && col < 256 && s->col_slot[col] >= 0) {
        s->slot = (size_t)s->col_slot[col];
        chuanp_sheet_cell *c = &s->cells[s->slot];
        memset(c, 0, sizeof *c);
        c->col = col;
        s->text_off[s->slot] = s->text.len;
        return c;
    }
    s->slot = s->ncells;
    if (s->ncells == s->cells_cap) {
        size_t nc = s->cells_cap ? s->cells_cap * 2 : 64;
        chuanp_sheet_cell *a = chuanp_realloc(s->cells, nc * sizeof *a);
        if (!a)
            return NULL;
        s->cells = a;
        size_t *o = chuanp_realloc(s->text_off, nc * sizeof *o);
        if (!o)
            return NULL;
        s->text_off = o;
        s->cells_cap = nc;
    }
    chuanp_sheet_cell *c = &s->cells[s->ncells];
    memset(c, 0, sizeof *c);
    c->col = col;
    s->text_off[s->ncells] = s->text.len;
    return c;
}

static void row_reset(xls_src *s)
{
    s->ncells = 0;
    chuanp_buf_reset(&s->text);
    memset(s->col_slot, 0xFF, sizeof s->col_slot);
}

static int end_cell(xls_src *s, chuanp_sheet_cell *c, size_t start, chuan_diags *d, long row)
{
    size_t bad = chuanp_sheet_cell_end(s->fonts);
    if (bad)
        chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "encoding.invalid", s->file, s->base.sheet_name,
                          row + 1, c->col, "%zu character%s of this cell's legacy font %s no "
                          "letter of its encoding (written as U+FFFD)", bad, bad == 1 ? "" : "s",
                          bad == 1 ? "is" : "are");
    c->len = s->text.len - start;
    if (s->text.len > CHUANP_SHEET_MAX_ROW) {
        chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.too-large", s->file, s->base.sheet_name,
                          row + 1, c->col, "a row of more than %zu bytes of text: refused",
                          CHUANP_SHEET_MAX_ROW);
        return 1;
    }
    chuanp_buf_putc(&s->text, '\0');
    if (s->text.err)
        return -1;
    if (s->slot == s->ncells) {
        if (c->col >= 0 && c->col < 256)
            s->col_slot[c->col] = (int)s->ncells;
        s->ncells++;
    }
    return 0;
}

static int number_cell(xls_src *s, long col, long xf, double v, chuan_diags *d, long row)
{
    chuanp_sheet_cell *c = new_cell(s, col);
    if (!c)
        return -1;
    size_t start = s->text.len;
    chuanp_sheet_cell_begin(s->fonts);
    char nb[64];
    chuanp_number_text(v, nb, sizeof nb);
    chuanp_buf_puts(&s->text, nb);
    c->num = v;
    int id;
    c->numfmt = xf_numfmt(s, xf, &id);
    c->kind = chuanp_numfmt_is_date(id, c->numfmt, &c->date_time, &c->date_only_time)
                  ? CHUANP_CELL_DATE
                  : CHUANP_CELL_NUMBER;
    return end_cell(s, c, start, d, row);
}

/* decode runs [font][len][utf8] in the cell's font */
static int runs_cell(xls_src *s, long col, long xf, const char *p, const char *e, chuan_diags *d,
                     long row)
{
    chuanp_sheet_cell *c = new_cell(s, col);
    if (!c)
        return -1;
    size_t start = s->text.len;
    const char *cf = xf_font(s, xf);
    chuanp_sheet_cell_begin(s->fonts);
    while (p + 8 <= e) {
        int32_t f;
        uint32_t l;
        memcpy(&f, p, 4);
        memcpy(&l, p + 4, 4);
        p += 8;
        if (l > (size_t)(e - p))
            break;
        if (chuanp_sheet_decode(s->fonts, f >= 0 ? font_of(s, f) : cf, p, l, &s->text) < 0)
            return -1;
        p += l;
    }
    c->kind = CHUANP_CELL_STRING;
    return end_cell(s, c, start, d, row);
}

static double rk_value(uint32_t rk)
{
    double v;
    if (rk & 2) {
        v = (double)((int32_t)rk >> 2);
    } else {
        uint64_t bits = (uint64_t)(rk & 0xFFFFFFFCu) << 32;
        memcpy(&v, &bits, 8);
    }
    return rk & 1 ? v / 100 : v;
}

static const char *error_text(unsigned e)
{
    switch (e) {
    case 0x00: return "#NULL!";
    case 0x07: return "#DIV/0!";
    case 0x0F: return "#VALUE!";
    case 0x17: return "#REF!";
    case 0x1D: return "#NAME?";
    case 0x24: return "#NUM!";
    case 0x2A: return "#N/A";
    default: return "#ERROR";
    }
}

static int simple_cell(xls_src *s, long col, chuanp_cell_kind kind, const char *text, double num,
                       chuan_diags *d, long row)
{
    chuanp_sheet_cell *c = new_cell(s, col);
    if (!c)
        return -1;
    size_t start = s->text.len;
    chuanp_sheet_cell_begin(s->fonts);
    chuanp_buf_puts(&s->text, text);
    c->kind = kind;
    c->num = num;
    return end_cell(s, c, start, d, row);
}

static int cmp_cell(const void *a, const void *b)
{
    const chuanp_sheet_cell *x = a, *y = b;
    return x->col < y->col ? -1 : x->col > y->col;
}

/* Hand the collected row out: 1, or 0 when there is none. */
static int emit(xls_src *s, chuanp_sheet_row *row)
{
    if (s->cur_row < 0)
        return 0;
    for (size_t i = 0; i < s->ncells; i++)
        s->cells[i].text = s->text.data + s->text_off[i];
    /* in column order (one cell per column: col_slot); insertion, Excel writes them in order */
    for (size_t i = 1; i < s->ncells; i++) {
        chuanp_sheet_cell c = s->cells[i];
        size_t j = i;
        while (j > 0 && cmp_cell(&s->cells[j - 1], &c) > 0) {
            s->cells[j] = s->cells[j - 1];
            j--;
        }
        s->cells[j] = c;
    }
    row->row = s->cur_row + 1;
    row->cells = s->cells;
    row->count = s->ncells;
    s->last_row = s->cur_row;
    s->cur_row = -1;
    return 1;
}

/* A LABEL/RSTRING or STRING record's text (from seg: flags byte, then the characters, maybe
 * across CONTINUE records) as one run in the cell's font. *next (if given): the record after. */
static int text_record_cell(xls_src *s, size_t seg, size_t rec_end, size_t cch, long col,
                            long xf, size_t *next, chuan_diags *d, long r0)
{
    rec_cursor c = {.wb = s->wb, .wb_len = s->wb_len, .seg = seg, .seg_end = rec_end,
                    .next = rec_end};
    unsigned char fl;
    int rc = 0;
    chuanp_buf_reset(&s->tmp);
    if (cursor_bytes(&c, &fl, 1) == 0 && ((c.wide = fl & 1), 1) &&
        cursor_chars(&c, cch, &s->tmp) == 0) {
        chuanp_buf b; /* one run in the cell's font */
        chuanp_buf_init(&b, 0);
        int32_t f = -1;
        uint32_t l = (uint32_t)s->tmp.len;
        chuanp_buf_append(&b, &f, 4);
        chuanp_buf_append(&b, &l, 4);
        chuanp_buf_append(&b, s->tmp.data ? s->tmp.data : "", l);
        rc = b.err ? -1 : runs_cell(s, col, xf, b.data, b.data + b.len, d, r0);
        chuanp_buf_free(&b);
    }
    if (next)
        *next = c.next;
    return rc;
}

/* A FORMULA record's cached result: a number, a boolean, an error, or a string that the next
 * STRING record holds (pending). */
static int formula_cell(xls_src *s, const unsigned char *p, long col, long xf, chuan_diags *d,
                        long r0)
{
    if (u16(p + 12) != 0xFFFF) {
        double v;
        memcpy(&v, p + 6, 8);
        return number_cell(s, col, xf, isfinite(v) ? v : 0, d, r0);
    }
    unsigned kind = p[6];
    if (kind == 0) {
        s->pending_string = 1;
        s->pend_col = col;
        s->pend_xf = xf;
    } else if (kind == 1) {
        return simple_cell(s, col, CHUANP_CELL_BOOL, p[8] ? "true" : "false", p[8] != 0, d, r0);
    } else if (kind == 2) {
        return simple_cell(s, col, CHUANP_CELL_ERROR, error_text(p[8]), 0, d, r0);
    }
    return 0;
}

static int xls_next_row(chuanp_sheet_src *base, chuanp_sheet_row *row, chuan_diags *d)
{
    xls_src *s = (xls_src *)base;
    if (s->finished)
        return 0;
    if (s->done_emit) { /* the previous call handed out a row: start a new one */
        s->done_emit = 0;
        row_reset(s);
        if (s->eof) {
            s->finished = 1;
            return 0;
        }
    }
    const unsigned char *wb = s->wb;
    size_t n = s->wb_len;
    while (s->pos + 4 <= n) {
        size_t at = s->pos;
        unsigned type = u16(wb + at), len = u16(wb + at + 2);
        const unsigned char *p = wb + at + 4;
        if (at + 4 + len > n)
            break;
        /* a cell record: its row decides whether the collected row is complete */
        int is_cell = type == 0x00FD || type == 0x0204 || type == 0x027E || type == 0x00BD ||
                      type == 0x0203 || type == 0x0205 || type == 0x0006 || type == 0x00D6;
        if (is_cell && len >= 6) {
            long r = (long)u16(p);
            if (s->cur_row >= 0 && r != s->cur_row) {
                if (r < s->cur_row) {
                    chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.corrupt", s->file,
                                      s->base.sheet_name, r + 1, -1,
                                      "row %ld comes after row %ld: cells out of order", r + 1,
                                      s->cur_row + 1);
                    s->finished = 1;
                    return 2;
                }
                s->done_emit = 1;
                return emit(s, row); /* this record is read again next time */
            }
            if (s->cur_row < 0) {
                if (r <= s->last_row && s->last_row >= 0) {
                    chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.corrupt", s->file,
                                      s->base.sheet_name, r + 1, -1,
                                      "row %ld comes after row %ld: cells out of order", r + 1,
                                      s->last_row + 1);
                    s->finished = 1;
                    return 2;
                }
                s->cur_row = r;
            }
        }
        size_t rec_end = at + 4 + len;
        int rc = 0;
        long col = len >= 4 ? (long)u16(p + 2) : 0, xf = len >= 6 ? (long)u16(p + 4) : 0;
        long r0 = s->cur_row;
        if (is_cell && col >= 256 && type != 0x00BD) {
            chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.corrupt", s->file, s->base.sheet_name,
                              r0 + 1, -1, "a cell beyond column IV");
            s->finished = 1;
            return 2;
        }
        switch (type) {
        case 0x00FD: /* LABELSST */
            if (len >= 10) {
                uint32_t k = u32(p + 6);
                if (k >= s->nsst) {
                    chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.corrupt", s->file,
                                      s->base.sheet_name, r0 + 1, col,
                                      "the cell refers to shared string %u, which does not exist",
                                      (unsigned)k);
                    s->finished = 1;
                    return 2;
                }
                rc = runs_cell(s, col, xf, s->sst.data + s->sst_off[k],
                               s->sst.data + s->sst_off[k + 1], d, r0);
            }
            break;
        case 0x0204: /* LABEL */
        case 0x00D6: /* RSTRING */
            if (len >= 9)
                rc = text_record_cell(s, at + 12, rec_end, u16(p + 6), col, xf, NULL, d, r0);
            break;
        case 0x027E: /* RK */
            if (len >= 10)
                rc = number_cell(s, col, xf, rk_value(u32(p + 6)), d, r0);
            break;
        case 0x00BD: /* MULRK */
            if (len >= 12) {
                size_t k = (len - 6) / 6;
                for (size_t i = 0; i < k && rc == 0; i++) {
                    const unsigned char *q = p + 4 + 6 * i;
                    if ((long)col + (long)i >= 256)
                        break;
                    rc = number_cell(s, col + (long)i, (long)u16(q), rk_value(u32(q + 2)), d, r0);
                }
            }
            break;
        case 0x0203: /* NUMBER */
            if (len >= 14) {
                double v;
                memcpy(&v, p + 6, 8);
                rc = number_cell(s, col, xf, isfinite(v) ? v : 0, d, r0);
            }
            break;
        case 0x0205: /* BOOLERR */
            if (len >= 8)
                rc = p[7] ? simple_cell(s, col, CHUANP_CELL_ERROR, error_text(p[6]), 0, d, r0)
                          : simple_cell(s, col, CHUANP_CELL_BOOL, p[6] ? "true" : "false",
                                        p[6] != 0, d, r0);
            break;
        case 0x0006: /* FORMULA: its cached result */
            if (len >= 20)
                rc = formula_cell(s, p, col, xf, d, r0);
            break;
        case 0x0207: /* STRING: the result of the FORMULA before */
            if (s->pending_string && len >= 3) {
                s->pending_string = 0;
                rc = text_record_cell(s, at + 6, rec_end, u16(p), s->pend_col, s->pend_xf,
                                      &rec_end, d, r0);
            }
            break;
        case 0x000A: /* EOF of the sheet */
            s->pos = rec_end;
            s->eof = 1;
            if (emit(s, row)) {
                s->done_emit = 1;
                return 1;
            }
            s->finished = 1;
            return 0;
        default:
            break;
        }
        if (rc < 0)
            return -1;
        if (rc > 0) {
            s->finished = 1;
            return 2;
        }
        s->pos = rec_end;
    }
    /* no EOF record: what was collected is still handed out, then the error */
    if (emit(s, row)) {
        s->done_emit = 1;
        return 1;
    }
    s->finished = 1;
    chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "xls.corrupt", s->file, s->base.sheet_name, 0, -1,
                      "the sheet's records end without an EOF record (the file is cut short)");
    return 2;
}

static void xls_free(chuanp_sheet_src *base)
{
    xls_src *s = (xls_src *)base;
    chuanp_free(s->wb);
    for (size_t i = 0; i < s->nfonts; i++)
        chuanp_free(s->font_names[i]);
    chuanp_free(s->font_names);
    chuanp_free(s->xf_font);
    chuanp_free(s->xf_fmt);
    for (size_t i = 0; i < s->nfmts; i++)
        chuanp_free(s->fmt_code[i]);
    chuanp_free(s->fmt_code);
    chuanp_free(s->fmt_id);
    chuanp_buf_free(&s->sst);
    chuanp_free(s->sst_off);
    chuanp_free(s->cells);
    chuanp_free(s->text_off);
    chuanp_buf_free(&s->text);
    chuanp_buf_free(&s->tmp);
    chuanp_free(s->base.sheet_name);
    chuanp_free(s);
}

int chuanp_xls_open(chuanp_sheet_src **out, FILE *in, const char *file, const char *sel,
                    chuanp_sheet_fonts *fonts, chuan_diags *d)
{
    *out = NULL;
    xls_src *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        return -1;
    s->base.next_row = xls_next_row;
    s->base.free = xls_free;
    s->file = file;
    s->fonts = fonts;
    s->cur_row = s->last_row = -1;
    memset(s->col_slot, 0xFF, sizeof s->col_slot);
    chuanp_buf_init(&s->text, 0);
    chuanp_buf_init(&s->tmp, 0);
    chuanp_buf_init(&s->sst, 0);
    int rc = chuanp_cfb_read_stream(in, file, "Workbook", &s->wb, &s->wb_len, d);
    if (rc == 0)
        rc = read_globals(s, sel, d);
    if (rc != 0) {
        xls_free(&s->base);
        return rc;
    }
    *out = &s->base;
    return 0;
}
