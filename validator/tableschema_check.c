/* validator/tableschema_check.c - validate a CSV stream against a compiled Table Schema. */
#include "tableschema_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct cell_val {
    ts_value v;
    size_t scratch_at; /* v.text lives in scratch at this offset (SIZE_MAX: in the row) */
    int missing, bad;
} cell_val;

typedef struct ts_run {
    const chuanp_tableschema *ts;
    const char *file;
    chuan_diags *d;
    long *field_col;          /* field -> CSV column, -1 absent */
    long *col_field;          /* CSV column -> field, -1 extra */
    size_t ncols;
    ts_keyset **uniq;         /* per field with unique */
    ts_keyset *pk;
    ts_keyset **fk_local;     /* self-referencing foreign keys: keys used ... */
    ts_keyset **fk_target;    /* ... and keys available */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    chuanp_buf scratch, key, msg;
    cell_val *vals;
    const chuanp_csv_row *row;
    int columns_done;
    long invalid;
} ts_run;

/* ------------------------------------------------------------ diagnostics */
static void quote_value(chuanp_buf *b, const char *s, size_t len)
{
    size_t max = 60, n = 0, i = 0;
    chuanp_buf_putc(b, '\'');
    while (i < len && n < max) {
        uint32_t cp;
        int k = chuanp_utf8_decode((const unsigned char *)s + i, len - i, &cp);
        if (k <= 0)
            k = 1;
        if (cp == '\n')
            chuanp_buf_puts(b, "\\n");
        else if (cp == '\r')
            chuanp_buf_puts(b, "\\r");
        else
            chuanp_buf_append(b, s + i, (size_t)k);
        i += (size_t)k;
        n++;
    }
    if (i < len)
        chuanp_buf_puts(b, "...");
    chuanp_buf_putc(b, '\'');
}

static void cell_diag(ts_run *r, const char *code, long col, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* A diagnostic at cell `col` (CSV column, 0-based) of the current row. */
static void cell_diag(ts_run *r, const char *code, long col, const char *fmt, ...)
{
    const chuanp_csv_row *row = r->row;
    if (!r->columns_done) {
        chuanp_csv_row_columns(row);
        r->columns_done = 1;
    }
    long line = row->line, column = 1;
    long long offset = row->offset;
    if (col >= 0 && (size_t)col < row->count) {
        line = row->fields[col].line;
        column = row->fields[col].column;
        offset = row->offset + (long long)row->fields[col].raw_start;
    }
    long field = col >= 0 && (size_t)col < r->ncols ? r->col_field[col] : -1;
    const char *name = field >= 0 ? r->ts->fields[field].name : NULL;
    chuanp_buf path;
    chuanp_buf_init(&path, 0);
    if (name)
        chuanp_buf_printf(&path, "row %ld, column %s", row->record, name);
    else if (col >= 0)
        chuanp_buf_printf(&path, "row %ld, column %ld", row->record, col + 1);
    else
        chuanp_buf_printf(&path, "row %ld", row->record);
    chuanp_buf_reset(&r->msg);
    if (col >= 0)
        chuanp_buf_printf(&r->msg, "column %ld%s%s%s: ", col + 1, name ? " (" : "", name ? name : "",
                          name ? ")" : "");
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&r->msg, fmt, ap);
    va_end(ap);
    /* in Vietnamese: the same message from the catalogue's templates (core/i18n.h) */
    chuanp_buf vi;
    chuanp_buf_init(&vi, 0);
    const char *tvi = chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_gettext_vi(fmt) : NULL;
    if (tvi) {
        if (col >= 0)
            chuanp_buf_printf(&vi, _("column %ld%s%s%s: "), col + 1, name ? " (" : "",
                              name ? name : "", name ? ")" : "");
        va_start(ap, fmt);
        chuanp_buf_vprintf(&vi, tvi, ap);
        va_end(ap);
    }
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = r->file, .line = line,
                     .column = column, .offset = offset, .path = path.err ? NULL : path.data,
                     .message = r->msg.err ? "(out of memory)" : r->msg.data,
                     .message_vi = tvi && !vi.err ? vi.data : NULL};
    chuan_diags_add(r->d, &dg);
    chuanp_buf_free(&vi);
    chuanp_buf_free(&path);
    r->invalid++;
}

/* ------------------------------------------------------------ header */
static void header_diag(ts_run *r, const chuanp_csv_row *row, long col, const char *code,
                        const char *fmt, const char *a)
{
    chuanp_csv_row_columns(row);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = r->file,
                     .line = col >= 0 ? row->fields[col].line : row->line,
                     .column = col >= 0 ? row->fields[col].column : 1,
                     .offset = row->offset + (col >= 0 ? (long long)row->fields[col].raw_start : 0)};
    char path[64];
    snprintf(path, sizeof path, "row %ld", row->record);
    dg.path = path;
    chuan_diags_addf(r->d, &dg, fmt, a);
    r->invalid++;
}

static long schema_field(const chuanp_tableschema *ts, const char *name)
{
    for (size_t i = 0; i < ts->nfields; i++)
        if (strcmp(ts->fields[i].name, name) == 0)
            return (long)i;
    return -1;
}

static int map_columns(ts_run *r, size_t ncols)
{
    r->ncols = ncols;
    r->col_field = chuanp_malloc((ncols ? ncols : 1) * sizeof *r->col_field);
    r->field_col = chuanp_malloc((r->ts->nfields ? r->ts->nfields : 1) * sizeof *r->field_col);
    if (!r->col_field || !r->field_col)
        return -1;
    for (size_t c = 0; c < ncols; c++)
        r->col_field[c] = -1;
    for (size_t f = 0; f < r->ts->nfields; f++)
        r->field_col[f] = -1;
    return 0;
}

static int check_header(ts_run *r, const chuanp_csv_row *row)
{
    const chuanp_tableschema *ts = r->ts;
    int mode = ts->fields_match;
    if (map_columns(r, row->count) < 0)
        return -1;
    size_t matched = 0;
    for (size_t c = 0; c < row->count; c++) {
        const char *name = row->fields[c].text;
        int dup = 0;
        for (size_t k = 0; k < c && !dup; k++)
            dup = strcmp(row->fields[k].text, name) == 0;
        if (dup) {
            header_diag(r, row, (long)c, "tableschema.header-duplicate",
                        "header column '%s' appears more than once", name);
            continue;
        }
        long f = schema_field(ts, name);
        if (f < 0) {
            if (mode != 3 && mode != 4)
                header_diag(r, row, (long)c, "tableschema.header-extra",
                            "header column '%s' is not a field of the schema", name);
            continue;
        }
        r->col_field[c] = f;
        r->field_col[f] = (long)c;
        matched++;
    }
    for (size_t f = 0; f < ts->nfields; f++)
        if (r->field_col[f] < 0 && mode != 2 && mode != 4)
            header_diag(r, row, -1, "tableschema.header-missing",
                        "the header has no column for the schema field '%s'", ts->fields[f].name);
    if (mode == 4 && matched == 0)
        header_diag(r, row, -1, "tableschema.header-missing",
                    "no header column matches a schema field%s", "");
    if (mode == 0) { /* exact: the columns that match must be in schema order */
        long last = -1;
        for (size_t c = 0; c < row->count; c++) {
            long f = r->col_field[c];
            if (f < 0)
                continue;
            if (f < last) {
                header_diag(r, row, (long)c, "tableschema.header-order",
                            "header column '%s' is out of the schema's field order",
                            row->fields[c].text);
                break;
            }
            last = f;
        }
    }
    return 0;
}

static int positional_columns(ts_run *r, size_t ncols)
{
    if (map_columns(r, ncols) < 0)
        return -1;
    for (size_t c = 0; c < ncols && c < r->ts->nfields; c++) {
        r->col_field[c] = (long)c;
        r->field_col[c] = (long)c;
    }
    return 0;
}

/* ------------------------------------------------------------ cells */
static const char *type_label(const ts_field *f)
{
    return chuanp_ts_type_name(f->type);
}

static void check_cell(ts_run *r, size_t fi, long col, const chuanp_csv_field *cell)
{
    const ts_field *f = &r->ts->fields[fi];
    cell_val *cv = &r->vals[fi];
    const char *s = cell->text;
    size_t len = cell->len;
    chuanp_buf_reset(&r->msg);
    if (chuanp_ts_strlist_has(&f->missing, s, len)) {
        cv->missing = 1;
        if (f->required)
            cell_diag(r, "tableschema.required", col, "a value is required");
        return;
    }
    size_t at = r->scratch.len;
    ts_value *v = &cv->v;
    if (chuanp_ts_cast(f, f->type, s, len, &r->scratch, v) != 0) {
        cv->bad = 1;
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        quote_value(&b, s, len);
        if (f->format && f->type != TS_STRING)
            cell_diag(r, "tableschema.type", col, "value %s is not a %s in format %s",
                      b.err ? "?" : b.data, type_label(f), f->format);
        else if (f->format)
            cell_diag(r, "tableschema.type", col, "value %s is not a valid %s", b.err ? "?" : b.data,
                      f->format);
        else
            cell_diag(r, "tableschema.type", col, "value %s is not a %s", b.err ? "?" : b.data,
                      type_label(f));
        chuanp_buf_free(&b);
        return;
    }
    cv->scratch_at = v->text >= r->scratch.data && r->scratch.data &&
                             v->text < r->scratch.data + r->scratch.cap
                         ? (size_t)(v->text - r->scratch.data)
                         : (size_t)-1;
    (void)at;
    /* length constraints: characters for strings, items for lists/arrays/objects */
    if (f->min_length >= 0 || f->max_length >= 0) {
        long n = f->type == TS_LIST || f->type == TS_ARRAY || f->type == TS_OBJECT
                     ? (long)v->items
                     : (long)chuanp_utf8_count(s, len);
        if (f->min_length >= 0 && n < f->min_length)
            cell_diag(r, "tableschema.min-length", col, "length %ld is less than minLength %ld", n,
                      f->min_length);
        if (f->max_length >= 0 && n > f->max_length)
            cell_diag(r, "tableschema.max-length", col, "length %ld is more than maxLength %ld", n,
                      f->max_length);
    }
    if (f->minimum && chuanp_ts_compare(v, f->minimum) < 0)
        cell_diag(r, "tableschema.minimum", col, "value %.*s is less than minimum %s",
                  (int)v->len, v->text, f->minimum->text);
    if (f->maximum && chuanp_ts_compare(v, f->maximum) > 0 && chuanp_ts_compare(v, f->maximum) != 2)
        cell_diag(r, "tableschema.maximum", col, "value %.*s is more than maximum %s",
                  (int)v->len, v->text, f->maximum->text);
    if (f->xminimum && chuanp_ts_compare(v, f->xminimum) <= 0)
        cell_diag(r, "tableschema.exclusive-minimum", col,
                  "value %.*s is not more than exclusiveMinimum %s", (int)v->len, v->text,
                  f->xminimum->text);
    if (f->xmaximum) {
        int c = chuanp_ts_compare(v, f->xmaximum);
        if (c >= 0)
            cell_diag(r, "tableschema.exclusive-maximum", col,
                      "value %.*s is not less than exclusiveMaximum %s", (int)v->len, v->text,
                      f->xmaximum->text);
    }
    if (f->pattern) {
        int m = pcre2_match(f->pattern, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, r->md, r->mctx);
        if (m < 0) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            quote_value(&b, s, len);
            if (m == PCRE2_ERROR_NOMATCH)
                cell_diag(r, "tableschema.pattern", col, "value %s does not match pattern %s",
                          b.err ? "?" : b.data, f->pattern_src);
            else
                cell_diag(r, "tableschema.pattern", col,
                          "pattern %s could not be evaluated (match limit) on value %s",
                          f->pattern_src, b.err ? "?" : b.data);
            chuanp_buf_free(&b);
        }
    }
    if (f->nenums) {
        int found = 0;
        for (size_t k = 0; k < f->nenums && !found; k++)
            found = chuanp_ts_compare(v, &f->enums[k]) == 0;
        if (!found) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            quote_value(&b, s, len);
            cell_diag(r, "tableschema.enum", col, "value %s is not one of the enum values",
                      b.err ? "?" : b.data);
            chuanp_buf_free(&b);
        }
    }
}

static const char *cell_text(ts_run *r, size_t fi, size_t *len)
{
    cell_val *cv = &r->vals[fi];
    *len = cv->v.len;
    if (cv->scratch_at != (size_t)-1)
        return r->scratch.data + cv->scratch_at;
    return cv->v.text;
}

/* Composite key of fields; 1 when a component is missing or invalid. */
static int composite_key(ts_run *r, const size_t *fields, size_t n)
{
    chuanp_buf_reset(&r->key);
    for (size_t i = 0; i < n; i++) {
        cell_val *cv = &r->vals[fields[i]];
        if (cv->missing || cv->bad || r->field_col[fields[i]] < 0)
            return 1;
        size_t len;
        const char *t = cell_text(r, fields[i], &len);
        chuanp_buf_append(&r->key, t, len);
        chuanp_buf_putc(&r->key, '\x1f');
    }
    return r->key.err ? -1 : 0;
}

static void check_row(ts_run *r, const chuanp_csv_row *row)
{
    const chuanp_tableschema *ts = r->ts;
    r->row = row;
    r->columns_done = 0;
    chuanp_buf_reset(&r->scratch);
    memset(r->vals, 0, (ts->nfields ? ts->nfields : 1) * sizeof *r->vals);
    for (size_t c = r->ncols; c < row->count; c++)
        cell_diag(r, "tableschema.extra-cell", (long)c, "the row has more cells than the header "
                                                        "(%zu)", r->ncols);
    for (size_t fi = 0; fi < ts->nfields; fi++) {
        long c = r->field_col[fi];
        if (c < 0) {
            r->vals[fi].missing = 1;
            continue;
        }
        if ((size_t)c >= row->count) {
            r->vals[fi].missing = 1;
            cell_diag(r, "tableschema.missing-cell", -1,
                      "the row has %zu cells, the header %zu: no cell for field '%s'", row->count,
                      r->ncols, ts->fields[fi].name);
            continue;
        }
        check_cell(r, fi, c, &row->fields[c]);
    }
    for (size_t fi = 0; fi < ts->nfields; fi++) {
        if (!ts->fields[fi].unique || r->vals[fi].missing || r->vals[fi].bad)
            continue;
        size_t len;
        const char *t = cell_text(r, fi, &len);
        long first = 0;
        int added = chuanp_ts_keyset_add(r->uniq[fi], t, len, row->record, &first);
        if (added == 0)
            cell_diag(r, "tableschema.unique", r->field_col[fi],
                      "value %.*s already appears in row %ld", (int)(len > 60 ? 60 : len), t,
                      first);
    }
    if (ts->npk == 1 && ts->fields[ts->pk[0]].unique) {
        /* a one-field key that is also unique: the unique set already checked it */
        size_t f = ts->pk[0];
        if (r->vals[f].missing && !ts->fields[f].required && r->field_col[f] >= 0)
            cell_diag(r, "tableschema.primary-key", r->field_col[f],
                      "a primary key field needs a value");
    } else if (ts->npk) {
        int k = composite_key(r, ts->pk, ts->npk);
        if (k == 1) {
            for (size_t i = 0; i < ts->npk; i++)
                if (r->vals[ts->pk[i]].missing && !ts->fields[ts->pk[i]].required)
                    cell_diag(r, "tableschema.primary-key", r->field_col[ts->pk[i]],
                              "a primary key field needs a value");
        } else if (k == 0) {
            long first = 0;
            if (chuanp_ts_keyset_add(r->pk, r->key.data, r->key.len, row->record, &first) == 0)
                cell_diag(r, "tableschema.primary-key", r->field_col[ts->pk[0]],
                          "primary key duplicates row %ld", first);
        }
    }
    for (size_t i = 0; i < ts->nfks; i++) {
        const ts_fkey *fk = &ts->fks[i];
        if (fk->resource[0] == '\0') {
            /* self-reference: remember what this row offers and what it asks for */
            size_t ref_fields[64];
            size_t n = fk->nref < 64 ? fk->nref : 64;
            int ok = 1;
            for (size_t j = 0; j < n; j++) {
                long f = schema_field(ts, fk->ref_names[j]);
                ok &= f >= 0;
                ref_fields[j] = f >= 0 ? (size_t)f : 0;
            }
            if (ok && composite_key(r, ref_fields, n) == 0)
                chuanp_ts_keyset_add(r->fk_target[i], r->key.data, r->key.len, row->record, NULL);
            if (composite_key(r, fk->fields, fk->nfields) == 0)
                chuanp_ts_keyset_add(r->fk_local[i], r->key.data, r->key.len, row->record, NULL);
            continue;
        }
        if (composite_key(r, fk->fields, fk->nfields) != 0)
            continue; /* a missing component: no reference to check */
        if (!chuanp_ts_keyset_has(fk->ref, r->key.data, r->key.len)) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            for (size_t j = 0; j < fk->nfields; j++) {
                size_t len;
                const char *t = cell_text(r, fk->fields[j], &len);
                if (j)
                    chuanp_buf_puts(&b, ", ");
                quote_value(&b, t, len);
            }
            cell_diag(r, "tableschema.foreign-key", r->field_col[fk->fields[0]],
                      "value %s is not in %s (column%s %s)", b.err ? "?" : b.data, fk->resource,
                      fk->nref > 1 ? "s" : "", fk->ref_names[0]);
            chuanp_buf_free(&b);
        }
    }
}

typedef struct self_ref_check {
    ts_run *r;
    const ts_fkey *fk;
    const ts_keyset *target;
} self_ref_check;

static void check_self_ref(void *ctx, const char *key, size_t len, long row)
{
    self_ref_check *c = ctx;
    if (chuanp_ts_keyset_has(c->target, key, len))
        return;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.foreign-key",
                     .file = c->r->file, .offset = -1};
    char path[96];
    snprintf(path, sizeof path, "row %ld, column %s", row,
             c->r->ts->fields[c->fk->fields[0]].name);
    dg.path = path;
    chuan_diags_addf(c->r->d, &dg, "value '%.*s' is not a value of %s in this table",
                     (int)(len ? len - 1 : 0), key, c->fk->ref_names[0]);
    c->r->invalid++;
}

/* ------------------------------------------------------------ driver */
static void run_free(ts_run *r)
{
    const chuanp_tableschema *ts = r->ts;
    chuanp_free(r->field_col);
    chuanp_free(r->col_field);
    if (r->uniq)
        for (size_t i = 0; i < ts->nfields; i++)
            chuanp_ts_keyset_free(r->uniq[i]);
    chuanp_free(r->uniq);
    chuanp_ts_keyset_free(r->pk);
    for (size_t i = 0; i < ts->nfks; i++) {
        if (r->fk_local)
            chuanp_ts_keyset_free(r->fk_local[i]);
        if (r->fk_target)
            chuanp_ts_keyset_free(r->fk_target[i]);
    }
    chuanp_free(r->fk_local);
    chuanp_free(r->fk_target);
    pcre2_match_data_free(r->md);
    pcre2_match_context_free(r->mctx);
    chuanp_buf_free(&r->scratch);
    chuanp_buf_free(&r->key);
    chuanp_buf_free(&r->msg);
    chuanp_free(r->vals);
}

static int run_init(ts_run *r, const chuanp_tableschema *ts, const char *file, chuan_diags *d)
{
    memset(r, 0, sizeof *r);
    r->ts = ts;
    r->file = file;
    r->d = d;
    chuanp_buf_init(&r->scratch, 0);
    chuanp_buf_init(&r->key, 0);
    chuanp_buf_init(&r->msg, 0);
    r->vals = chuanp_calloc(ts->nfields ? ts->nfields : 1, sizeof *r->vals);
    r->uniq = chuanp_calloc(ts->nfields ? ts->nfields : 1, sizeof *r->uniq);
    r->fk_local = chuanp_calloc(ts->nfks ? ts->nfks : 1, sizeof *r->fk_local);
    r->fk_target = chuanp_calloc(ts->nfks ? ts->nfks : 1, sizeof *r->fk_target);
    r->md = pcre2_match_data_create(32, NULL);
    r->mctx = pcre2_match_context_create(NULL);
    if (!r->vals || !r->uniq || !r->fk_local || !r->fk_target || !r->md || !r->mctx)
        return -1;
    pcre2_set_match_limit(r->mctx, 1000000);
    pcre2_set_depth_limit(r->mctx, 10000);
    for (size_t i = 0; i < ts->nfields; i++)
        if (ts->fields[i].unique && !(r->uniq[i] = chuanp_ts_keyset_new()))
            return -1;
    if (ts->npk && !(ts->npk == 1 && ts->fields[ts->pk[0]].unique) &&
        !(r->pk = chuanp_ts_keyset_new()))
        return -1;
    for (size_t i = 0; i < ts->nfks; i++)
        if (ts->fks[i].resource[0] == '\0' && (!(r->fk_local[i] = chuanp_ts_keyset_new()) ||
                                               !(r->fk_target[i] = chuanp_ts_keyset_new())))
            return -1;
    return 0;
}

int chuanp_tableschema_check_file(const chuanp_tableschema *ts, FILE *in, const char *file,
                                  long *rows, chuan_diags *d)
{
    int rc = -1;
    ts_run r;
    chuanp_csv_parser *p = NULL;
    *rows = 0;
    if (run_init(&r, ts, file, d) < 0)
        goto out;
    chuanp_csv_parser_opts po = {.delimiter = ts->delimiter, .quote = ts->quote, .file = file};
    p = chuanp_csv_parser_new(in, &po);
    if (!p)
        goto out;
    int started = 0, syntax = 0;
    for (;;) {
        chuanp_csv_row row;
        int k = chuanp_csv_next(p, &row, d);
        if (k == 0)
            break;
        if (k < 0)
            goto out; /* I/O error or out of memory: could not check */
        if (k == 2) {
            syntax++;
            continue;
        }
        if (!started) {
            started = 1;
            if (ts->header) {
                if (check_header(&r, &row) < 0)
                    goto out;
                continue;
            }
            if (positional_columns(&r, ts->nfields) < 0)
                goto out;
        }
        (*rows)++;
        check_row(&r, &row);
        if (r.key.err || r.scratch.err || r.msg.err)
            goto out;
    }
    if (!started && ts->header) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.header-missing",
                         .file = file, .offset = -1, .message = N_("the file has no header row")};
        chuan_diags_add(d, &dg);
        r.invalid++;
    }
    for (size_t i = 0; i < ts->nfks; i++) {
        if (ts->fks[i].resource[0] != '\0')
            continue;
        self_ref_check c = {&r, &ts->fks[i], r.fk_target[i]};
        chuanp_ts_keyset_each(r.fk_local[i], check_self_ref, &c);
    }
    rc = r.invalid || syntax ? 1 : 0;
out:
    if (rc < 0 && !d->count) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "tableschema.internal",
                         .file = file, .offset = -1, .message = N_("out of memory")};
        chuan_diags_add(d, &dg);
    }
    chuanp_csv_parser_free(p);
    run_free(&r);
    return rc;
}
