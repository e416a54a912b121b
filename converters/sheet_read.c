/*
 * converters/sheet_read.c - one record per spreadsheet row (XLSX and XLS).
 *
 * Rows above --header-row N (default 1) are skipped; the header row names the
 * columns (an empty header cell is named by its column letter); --columns-map
 * renames or drops them. Names nest as CSV headers do ("Cha.HoTen"). Each
 * following row is a record, its empty cells left out (a row with no value
 * at all is skipped and counted). Cell values:
 *   text          a string (legacy fonts decoded, sheet_font.c; NFC)
 *   number        a JSON number as the file holds it; a string where the schema or the
 *                 columns map wants text; the displayed text of a zero-padding format
 *                 ("000") with --number-text or "text": true
 *   date format   an ISO 8601 string ("2024-03-15"; "...T08:30:00" with a time), or the
 *                 columns map's "to" pattern
 *   boolean       true / false;  error (#N/A...): its text, with a warning
 * Every value carries line = sheet row and column = sheet column (A = 1), so
 * diagnostics read file:row:col; the sheet is named in the summary note.
 */
#include "sheet.h"
#include "convert.h"
#include "csv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

typedef struct sheet_reader {
    chuanp_reader base;
    chuanp_sheet_src *src;
    chuanp_sheet_fonts *fonts;
    chuanp_colmap *map;
    FILE *spool;
    const char *file;
    const chuanp_schema_hints *hints;
    int number_text;
    long header_row;
    int started, done;
    size_t nout;                       /* output columns */
    long *col_of;                      /* output column -> sheet column */
    const chuanp_colmap_entry **ent;   /* output column -> its map entry (may be NULL) */
    chuanp_hint *col_hints;
    char **names;
    long maxcol;                       /* sheet columns of the header */
    chuanp_flat_tree *tree;
    const chuanp_sheet_cell **by_col;  /* the current row's cells by sheet column */
    long rows, empty_rows, records;
    int oom;
    chuanp_arena *arena;
    chuan_diags *d;
    long row_no;
    int invalid; /* the workbook could not be opened: one bad record */
    chuanp_part part; /* the sheet and where each output column comes from */
} sheet_reader;

void chuanp_sheet_diag(chuan_diags *d, chuan_severity sev, const char *code, const char *file,
                       const char *sheet, long row, long col, const char *fmt, ...)
{
    chuanp_buf where;
    chuanp_buf_init(&where, 0);
    chuanp_part_sheet_ref(&where, sheet ? sheet : "?", row, col >= 0 ? col + 1 : 0);
    chuan_diag g = {.severity = sev, .code = code, .file = file, .line = row > 0 ? row : 0,
                    .column = row > 0 && col >= 0 ? col + 1 : 0, .offset = -1,
                    .path = where.err ? NULL : where.data};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(d, &g, fmt, ap);
    va_end(ap);
    chuanp_buf_free(&where);
}

static void sheet_reader_free(chuanp_reader *base)
{
    sheet_reader *r = (sheet_reader *)base;
    if (r->src)
        r->src->free(r->src);
    chuanp_sheet_fonts_free(r->fonts);
    chuanp_colmap_free(r->map);
    if (r->spool)
        fclose(r->spool);
    for (size_t i = 0; r->names && i < r->nout; i++)
        chuanp_free(r->names[i]);
    chuanp_free(r->names);
    chuanp_free(r->col_of);
    chuanp_free(r->ent);
    chuanp_free(r->col_hints);
    chuanp_free(r->by_col);
    chuanp_flat_tree_free(r->tree);
    chuanp_part_free(&r->part);
    chuanp_free(r);
}

static char *nfc_dup(const char *s, size_t len)
{
    char *n = NULL;
    size_t nl = 0;
    if (chuanp_nfc(s, len, &n, &nl) < 0)
        return NULL;
    return n ? n : chuanp_strndup(s, len);
}

static const char *sheet_name(const sheet_reader *r)
{
    return r->src && r->src->sheet_name ? r->src->sheet_name : "?";
}

/* The header row: output columns, their names and map entries, the tree. */
static int setup_columns(sheet_reader *r, const chuanp_sheet_row *row, chuan_diags *d)
{
    long maxcol = 0;
    for (size_t i = 0; i < row->count; i++)
        if (row->cells[i].kind != CHUANP_CELL_EMPTY && row->cells[i].len > 0)
            maxcol = row->cells[i].col + 1;
    r->maxcol = maxcol;
    size_t cap = (size_t)maxcol + 1;
    r->names = chuanp_calloc(cap, sizeof *r->names);
    r->col_of = chuanp_calloc(cap, sizeof *r->col_of);
    r->ent = chuanp_calloc(cap, sizeof *r->ent);
    r->by_col = chuanp_calloc(CHUANP_SHEET_MAX_COLS + 1, sizeof *r->by_col);
    if (!r->names || !r->col_of || !r->ent || !r->by_col)
        return -1;
    chuanp_buf dropped;
    chuanp_buf_init(&dropped, 4096);
    size_t ci = 0;
    for (long c = 0; c < maxcol; c++) {
        const chuanp_sheet_cell *cell = NULL;
        while (ci < row->count && row->cells[ci].col < c)
            ci++;
        if (ci < row->count && row->cells[ci].col == c)
            cell = &row->cells[ci];
        char letter[16];
        chuanp_col_name(c, letter, sizeof letter);
        const char *h = cell && cell->len ? cell->text : letter;
        size_t hl = cell && cell->len ? cell->len : strlen(letter);
        char *name = nfc_dup(h, hl);
        if (!name) {
            chuanp_buf_free(&dropped);
            return -1;
        }
        /* trimmed: headers typed with a trailing space are common */
        size_t nl = strlen(name);
        while (nl && (name[nl - 1] == ' ' || name[nl - 1] == '\n' || name[nl - 1] == '\r'))
            name[--nl] = '\0';
        size_t lead = strspn(name, " \r\n");
        memmove(name, name + lead, nl - lead + 1);
        const chuanp_colmap_entry *e = r->map ? chuanp_colmap_find(r->map, name) : NULL;
        const char *field = e ? e->field : (!r->map || chuanp_colmap_keep_unmapped(r->map)) ? name
                                                                                           : NULL;
        if (!field && !e) {
            chuanp_buf_printf(&dropped, "%s%s", dropped.len ? ", " : "", name);
        }
        if (!field) {
            chuanp_free(name);
            continue;
        }
        if (field != name) {
            char *f = chuanp_strdup(field);
            chuanp_free(name);
            if (!(name = f)) {
                chuanp_buf_free(&dropped);
                return -1;
            }
        } else {
            /* a legacy header is one key as it stands ("Ng.sinh", "2024"): escaped so the
             * flattening rule does not nest it; only a columns map's fields nest */
            chuanp_buf esc;
            chuanp_buf_init(&esc, 0);
            size_t nl2 = strlen(name);
            if (nl2 && strspn(name, "0123456789") == nl2)
                chuanp_buf_append(&esc, "~2", 2);
            chuanp_flat_escape(&esc, name, nl2, NULL);
            chuanp_free(name);
            name = esc.err ? NULL : chuanp_buf_steal(&esc, NULL);
            chuanp_buf_free(&esc);
            if (!name) {
                chuanp_buf_free(&dropped);
                return -1;
            }
        }
        r->names[r->nout] = name;
        r->col_of[r->nout] = c;
        r->ent[r->nout] = e;
        r->nout++;
    }
    if (dropped.len)
        chuanp_sheet_diag(d, CHUAN_SEV_INFO, "sheet.columns-dropped", r->file, sheet_name(r),
                          row->row, -1, "columns not in the columns map, left out: %s%s",
                          dropped.data, dropped.err == 2 ? "..." : "");
    chuanp_buf_free(&dropped);
    if (r->nout == 0) {
        chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "sheet.no-columns", r->file, sheet_name(r),
                          row->row, -1, "the header row (row %ld) names no column to read%s",
                          row->row, r->map ? _(" (none of its headers is in the columns map)") : "");
        return 1;
    }
    /* two columns of one name: said in the sheet's terms (the flattening tree's message is
     * about CSV options) */
    for (size_t i = 1; i < r->nout && r->nout <= 4096; i++)
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->names[i], r->names[j]) == 0) {
                char a[16], b[16];
                chuanp_col_name(r->col_of[j], a, sizeof a);
                chuanp_col_name(r->col_of[i], b, sizeof b);
                chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "sheet.header-duplicate", r->file,
                                  sheet_name(r), row->row, r->col_of[i],
                                  "columns %s and %s are both '%s': rename one in the sheet (a "
                                  "columns map names columns by their header)", a, b, r->names[i]);
                return 1;
            }
    int rc = chuanp_flat_tree_new(&r->tree, (const char *const *)r->names, r->nout, NULL, 0,
                                  r->file, d);
    if (rc != 0)
        return rc;
    /* each column's JSON Pointer in the record: diagnostics name its cell */
    chuanp_buf ptr;
    chuanp_buf_init(&ptr, 0);
    for (size_t i = 0; i < r->nout; i++) {
        size_t depth = 0;
        const char *const *path = chuanp_flat_tree_path(r->tree, i, &depth);
        chuanp_buf_reset(&ptr);
        for (size_t k = 0; k < depth; k++) {
            chuanp_buf_putc(&ptr, '/');
            for (const char *q = path[k]; *q; q++)
                if (*q == '~')
                    chuanp_buf_puts(&ptr, "~0");
                else if (*q == '/')
                    chuanp_buf_puts(&ptr, "~1");
                else
                    chuanp_buf_putc(&ptr, *q);
        }
        chuanp_buf_putc(&ptr, '\0');
        if (ptr.err || chuanp_part_add_col(&r->part, ptr.data, r->col_of[i] + 1) < 0) {
            chuanp_buf_free(&ptr);
            return -1;
        }
    }
    chuanp_buf_free(&ptr);
    if (r->hints && r->hints->lookup) {
        r->col_hints = chuanp_calloc(r->nout, sizeof *r->col_hints);
        if (!r->col_hints)
            return -1;
        for (size_t i = 0; i < r->nout; i++) {
            size_t depth = 0;
            const char *const *path = chuanp_flat_tree_path(r->tree, i, &depth);
            if (r->hints->lookup(r->hints->ctx, path, depth, &r->col_hints[i]) < 0)
                memset(&r->col_hints[i], 0, sizeof r->col_hints[i]);
        }
    }
    return 0;
}

static chuanp_jv *str_value(sheet_reader *r, const char *s, size_t len, chuanp_arena *a,
                            const chuanp_sheet_cell *c)
{
    chuanp_jv *v = NULL;
    if (chuanp_nfc_quick(s, len)) {
        v = chuanp_jv_string(a, s, len);
    } else {
        char *n = NULL;
        size_t nl = 0;
        if (chuanp_nfc(s, len, &n, &nl) < 0) {
            r->oom = 1;
            return NULL;
        }
        v = n ? chuanp_jv_string(a, n, nl) : chuanp_jv_string(a, s, len);
        chuanp_free(n);
    }
    if (!v) {
        r->oom = 1;
        return NULL;
    }
    v->line = (uint32_t)r->row_no;
    v->column = (uint32_t)(c->col + 1);
    v->offset = (uint64_t)-1;
    return v;
}

static chuanp_jv *cell_value(void *ctx, size_t j, chuanp_arena *a)
{
    sheet_reader *r = ctx;
    long col = r->col_of[j];
    const chuanp_sheet_cell *c = col <= CHUANP_SHEET_MAX_COLS ? r->by_col[col] : NULL;
    if (!c || c->kind == CHUANP_CELL_EMPTY)
        return NULL;
    const chuanp_colmap_entry *e = r->ent[j];
    const chuanp_hint *h = r->col_hints && r->col_hints[j].known ? &r->col_hints[j] : NULL;
    char buf[128];
    chuanp_jv *v = NULL;
    switch (c->kind) {
    case CHUANP_CELL_STRING:
    case CHUANP_CELL_ERROR: {
        size_t len = c->len;
        const char *s = c->text;
        while (len && (s[len - 1] == ' ')) /* trailing spaces typed after a value */
            len--;
        if (len == 0)
            return NULL;
        const char *code = chuanp_colmap_value(e, s, len);
        if (code)
            return str_value(r, code, strlen(code), a, c);
        if (e && e->to && chuanp_colmap_date(e, s, len, 0, 0, 0, buf, sizeof buf))
            return str_value(r, buf, strlen(buf), a, c);
        if (c->kind == CHUANP_CELL_ERROR)
            chuanp_sheet_diag(r->d, CHUAN_SEV_WARNING, "sheet.error-cell", r->file, sheet_name(r),
                              r->row_no, c->col, "the cell holds the error %s, kept as text",
                              c->text);
        return str_value(r, s, len, a, c);
    }
    case CHUANP_CELL_NUMBER: {
        const char *code = chuanp_colmap_value(e, c->text, c->len);
        if (code)
            return str_value(r, code, strlen(code), a, c);
        int want_text = (e && e->text) || (h && h->type == CHUANP_HINT_STRING);
        if ((r->number_text || (e && e->text)) &&
            chuanp_numfmt_zero_pad(c->numfmt, c->num, buf, sizeof buf))
            return str_value(r, buf, strlen(buf), a, c);
        if (want_text)
            return str_value(r, c->text, c->len, a, c);
        v = chuanp_jv_number(a, c->text, c->len);
        if (!v)
            return str_value(r, c->text, c->len, a, c);
        if (!memchr(c->text, '.', c->len) && !memchr(c->text, 'e', c->len) &&
            !memchr(c->text, 'E', c->len))
            v->flags |= CHUANP_JNUM_INT;
        break;
    }
    case CHUANP_CELL_DATE: {
        int y, m, d, hh, mi, ss;
        if (chuanp_excel_date(c->num, r->src->date1904, &y, &m, &d, &hh, &mi, &ss) < 0) {
            chuanp_sheet_diag(r->d, CHUAN_SEV_WARNING, "sheet.date-range", r->file, sheet_name(r),
                              r->row_no, c->col,
                              "the date cell holds %s, which is no date (Excel's 1900-02-29 or "
                              "out of range): kept as the number", c->text);
            v = chuanp_jv_number(a, c->text, c->len);
            break;
        }
        if (e && e->to && !c->date_only_time &&
            chuanp_colmap_date(e, NULL, 0, y, m, d, buf, sizeof buf))
            return str_value(r, buf, strlen(buf), a, c);
        chuanp_excel_date_text(c->num, r->src->date1904, c->date_time, c->date_only_time, buf,
                               sizeof buf);
        return str_value(r, buf, strlen(buf), a, c);
    }
    case CHUANP_CELL_BOOL:
        v = (h && h->type == CHUANP_HINT_STRING) || (e && e->text)
                ? chuanp_jv_string(a, c->num ? "true" : "false", c->num ? 4 : 5)
                : chuanp_jv_bool(a, c->num != 0);
        break;
    default:
        return NULL;
    }
    if (!v) {
        r->oom = 1;
        return NULL;
    }
    v->line = (uint32_t)r->row_no;
    v->column = (uint32_t)(c->col + 1);
    v->offset = (uint64_t)-1;
    return v;
}

static void summary(sheet_reader *r, chuan_diags *d)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int legacy = chuanp_sheet_fonts_summary(r->fonts, &b, r->file, d);
    chuanp_sheet_diag(d, CHUAN_SEV_INFO, "sheet.summary", r->file, sheet_name(r), 0, -1,
                      "sheet '%s': %ld row%s read below the header (row %ld), %ld empty "
                      "row%s skipped; cells decoded by font: %s",
                      sheet_name(r), r->records, r->records == 1 ? "" : "s", r->header_row,
                      r->empty_rows, r->empty_rows == 1 ? "" : "s",
                      legacy && b.data ? b.data : _("none (no legacy font)"));
    chuanp_buf_free(&b);
}

static int sheet_reader_next(chuanp_reader *base, chuanp_arena *arena, chuanp_record *rec,
                             chuan_diags *d)
{
    sheet_reader *r = (sheet_reader *)base;
    if (r->invalid) {
        r->invalid = 0;
        r->done = 1;
        return 2;
    }
    if (r->done)
        return 0;
    for (;;) {
        chuanp_sheet_row row = {0};
        int n = r->src->next_row(r->src, &row, d);
        if (n < 0 || n == 2) {
            r->done = 1;
            return n;
        }
        if (n == 0) {
            r->done = 1;
            if (!r->started)
                chuanp_sheet_diag(d, CHUAN_SEV_WARNING, "sheet.empty", r->file, sheet_name(r), 0,
                                  -1, "sheet '%s' has no header row (row %ld): no records",
                                  sheet_name(r), r->header_row);
            summary(r, d);
            return 0;
        }
        if (row.row < r->header_row)
            continue;
        if (!r->started) {
            r->started = 1;
            int s = setup_columns(r, &row, d);
            if (s < 0) {
                r->done = 1;
                chuanp_convert_error(d, "sheet.memory", r->file, 0, 0, NULL, "out of memory");
                return -1;
            }
            if (s > 0) {
                r->done = 1;
                return 2;
            }
            continue;
        }
        r->rows++;
        /* the row's cells by column; a value right of the header is not dropped silently */
        int any = 0;
        long extra = -1;
        for (size_t i = 0; i < row.count; i++) {
            const chuanp_sheet_cell *c = &row.cells[i];
            if (c->kind == CHUANP_CELL_EMPTY || (c->kind == CHUANP_CELL_STRING && c->len == 0))
                continue;
            if (c->col >= r->maxcol) {
                if (extra < 0)
                    extra = c->col;
                continue;
            }
            r->by_col[c->col] = c;
            any = 1;
        }
        if (extra >= 0) {
            for (size_t i = 0; i < row.count; i++)
                if (row.cells[i].col < r->maxcol)
                    r->by_col[row.cells[i].col] = NULL;
            r->records++;
            chuanp_sheet_diag(d, CHUAN_SEV_ERROR, "sheet.extra-cell", r->file, sheet_name(r),
                              row.row, extra, "a value right of the last header column: the "
                              "header row (%ld) names no column for it", r->header_row);
            rec->line = row.row;
            return 2;
        }
        if (!any) {
            r->empty_rows++;
            continue;
        }
        r->row_no = row.row;
        r->oom = 0;
        r->d = d;
        chuanp_jv *v = chuanp_flat_tree_build(r->tree, cell_value, r, arena);
        for (size_t i = 0; i < row.count; i++)
            if (row.cells[i].col < r->maxcol)
                r->by_col[row.cells[i].col] = NULL;
        if (!v || r->oom) {
            r->done = 1;
            chuanp_convert_error(d, "sheet.memory", r->file, row.row, 0, NULL, "out of memory");
            return -1;
        }
        v->line = (uint32_t)row.row; /* the containers built take the row */
        v->column = 0;
        chuanp_flat_prune(v, NULL, 0);
        r->records++;
        rec->value = v;
        rec->index = r->records;
        rec->line = row.row;
        rec->offset = -1;
        return 1;
    }
}

static const struct chuanp_reader_ops sheet_reader_ops = {sheet_reader_next, sheet_reader_free};

static int open_sheet(chuanp_reader **out, FILE *in, const chuanp_convert_opts *o, chuan_diags *d,
                      int xlsx)
{
    *out = NULL;
    const chuanp_sheet_opts *so = o->sheet;
    sheet_reader *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        goto oom;
    r->base.ops = &sheet_reader_ops;
    r->base.streaming = 1;
    r->file = o->file ? o->file : "-";
    r->hints = o->hints;
    r->number_text = so && so->number_text;
    r->header_row = so && so->header_row > 0 ? so->header_row : 1;
    int rc = chuanp_sheet_fonts_new(&r->fonts, so ? so->font_map : NULL, r->file, d);
    if (rc != 0)
        goto fail_rc;
    if (so && so->columns_map && (rc = chuanp_colmap_load(&r->map, so->columns_map, d)) != 0)
        goto fail_rc;
    /* the backends read by offset: a pipe or a replayed prefix is spooled to a file first */
    int fd = fileno(in);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) < 0) {
        errno = 0;
        r->spool = chuanp_spool_stream(NULL, 0, in);
        if (!r->spool) {
            chuanp_convert_error(d, "io.read", r->file, 0, 0, NULL,
                                 "cannot copy the input to a temporary file: %s",
                                 chuanp_strerror(errno ? errno : EIO));
            rc = -1;
            goto fail_rc;
        }
        in = r->spool;
    }
    rc = xlsx ? chuanp_xlsx_open(&r->src, in, r->file, so ? so->sheet : NULL, r->fonts, d)
              : chuanp_xls_open(&r->src, in, r->file, so ? so->sheet : NULL, r->fonts, d);
    if (rc > 0) {
        /* not a readable workbook (diagnostic added): the input is invalid, the run goes on */
        r->invalid = 1;
        rc = 0;
    } else if (rc == 0 && r->src) {
        if (chuanp_part_set(&r->part, CHUANP_PART_SHEET, sheet_name(r)) < 0)
            rc = -1;
        r->base.part = &r->part;
    }
    if (rc != 0)
        goto fail_rc;
    *out = &r->base;
    return 0;
oom:
    chuanp_convert_error(d, "sheet.memory", o->file, 0, 0, NULL, "out of memory");
    if (r)
        sheet_reader_free(&r->base);
    return -1;
fail_rc:
    if (rc < 0 && d->count == 0)
        chuanp_convert_error(d, "sheet.memory", o->file, 0, 0, NULL, "out of memory");
    sheet_reader_free(&r->base);
    return rc < 0 ? -2 : -1;
}

int chuanp_xlsx_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                            chuan_diags *d)
{
    return open_sheet(r, in, o, d, 1);
}

int chuanp_xls_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                           chuan_diags *d)
{
    return open_sheet(r, in, o, d, 0);
}

/* validate: the sheet as NDJSON in an unlinked temporary file, each record on
 * the line of its sheet row (blank lines between), so the engines' line
 * numbers are sheet rows. Returns 0 (*fd_out), 1 (the workbook is invalid:
 * diagnostics in d), -1 (could not run). */
int chuanp_sheet_to_ndjson(const char *path, const char *name, chuanp_format fmt,
                           const chuanp_sheet_opts *so, int *fd_out, chuanp_part *part,
                           chuan_diags *d)
{
    *fd_out = -1;
    FILE *in = fopen(path, "rb");
    if (!in) {
        chuanp_convert_error(d, "io.open", name, 0, 0, NULL, "cannot open %s: %s", name,
                             chuanp_strerror(errno));
        return -1;
    }
    int fd = chuanp_spool_tmpfile();
    FILE *out = fd >= 0 ? fdopen(dup(fd), "w+b") : NULL;
    if (!out) {
        chuanp_convert_error(d, "io.write", name, 0, 0, NULL, "cannot make a temporary file: %s",
                             chuanp_strerror(errno));
        if (fd >= 0)
            close(fd);
        fclose(in);
        return -1;
    }
    chuanp_convert_opts o = {.from = fmt, .to = CHUANP_FMT_NDJSON, .file = name, .sheet = so};
    chuanp_reader *r = NULL;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int rc = fmt == CHUANP_FMT_XLSX ? chuanp_xlsx_reader_open(&r, in, &o, d)
                                    : chuanp_xls_reader_open(&r, in, &o, d);
    long line = 1;
    int bad = 0;
    while (rc == 0) {
        chuanp_record rec = {0};
        chuanp_arena_reset(&arena);
        int n = r->ops->next(r, &arena, &rec, d);
        if (n == 0)
            break;
        if (n < 0) {
            rc = -1;
            break;
        }
        if (n == 2) {
            bad = 1;
            continue;
        }
        for (; line < rec.line; line++)
            fputc('\n', out);
        chuanp_buf_reset(&b);
        chuanp_json_write(&b, rec.value, NULL);
        chuanp_buf_putc(&b, '\n');
        if (b.err) {
            rc = -1;
            break;
        }
        fwrite(b.data, 1, b.len, out);
        line++;
    }
    if (r && r->part && rc >= 0 && chuanp_part_copy(part, r->part) < 0)
        rc = -1;
    if (r)
        r->ops->free(r);
    chuanp_arena_free(&arena);
    chuanp_buf_free(&b);
    fclose(in);
    if (fflush(out) != 0 || ferror(out))
        rc = -1;
    fclose(out);
    if (rc != 0) {
        close(fd);
        return rc < 0 ? -1 : 1;
    }
    lseek(fd, 0, SEEK_SET);
    *fd_out = fd;
    return bad;
}
