/* converters/convert.c - the format registry and the record pipeline. */
#include "convert.h"
#include "csv.h"
#include "sheet.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

/* One line per format: {format, reader factory, writer factory}. A helper
 * that implements a format adds its line here (NULL where a direction does
 * not exist yet). */
static const chuanp_converter registry[] = {
    {CHUANP_FMT_XML, chuanp_xml_reader_open, chuanp_xml_writer_open},
    {CHUANP_FMT_JSON, chuanp_json_reader_open, chuanp_json_writer_open},
    {CHUANP_FMT_NDJSON, chuanp_ndjson_reader_open, chuanp_ndjson_writer_open},
    {CHUANP_FMT_CSV, chuanp_csv_reader_open, chuanp_csv_writer_open},
    {CHUANP_FMT_XLSX, chuanp_xlsx_reader_open, NULL},
    {CHUANP_FMT_XLS, chuanp_xls_reader_open, NULL},
};

const chuanp_converter *chuanp_converter_find(chuanp_format f)
{
    for (size_t i = 0; i < sizeof registry / sizeof *registry; i++)
        if (registry[i].format == f)
            return &registry[i];
    return NULL;
}

static int add_diag(chuan_diags *d, chuan_severity sev, const char *code, const char *file,
                    long line, long column, const char *path, const char *fmt, va_list ap)
{
    chuan_diag g = {.severity = sev, .code = code, .file = file, .line = line,
                    .column = column, .offset = -1, .path = path};
    return chuanp_diags_vaddf(d, &g, fmt, ap);
}

int chuanp_convert_error(chuan_diags *d, const char *code, const char *file, long line,
                         long column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = add_diag(d, CHUAN_SEV_ERROR, code, file, line, column, path, fmt, ap);
    va_end(ap);
    return rc;
}

int chuanp_convert_warning(chuan_diags *d, const char *code, const char *file, long line,
                           long column, const char *path, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = add_diag(d, CHUAN_SEV_WARNING, code, file, line, column, path, fmt, ap);
    va_end(ap);
    return rc;
}

/* The union of the records' keys (converters/csv_union.c), then back to
 * where the records start; an input that cannot seek (standard input, a
 * decoded legacy encoding) is first copied to an unlinked temporary file,
 * which *in becomes. Returns 0, or -1 with a diagnostic. */
static int csv_first_pass(FILE **in, FILE **spool, const chuanp_convert_opts *o,
                          chuanp_csv_columns *cols, chuan_diags *d)
{
    off_t pos = ftello(*in);
    if (pos < 0 || fseeko(*in, pos, SEEK_SET) != 0) {
        errno = 0;
        *spool = chuanp_spool_stream(NULL, 0, *in);
        if (!*spool) {
            chuanp_convert_error(d, "io.read", o->file, 0, 0, NULL,
                                 "cannot copy the input to a temporary file for the pass that "
                                 "finds the CSV columns: %s", chuanp_strerror(errno ? errno : EIO));
            return -1;
        }
        *in = *spool;
        pos = 0;
    }
    errno = 0;
    if (chuanp_csv_columns_scan(*in, o, cols) < 0) {
        chuanp_convert_error(d, "csv.memory", o->file, 0, 0, NULL,
                             "out of memory finding the CSV columns");
        return -1;
    }
    clearerr(*in);
    if (fseeko(*in, pos, SEEK_SET) != 0) {
        chuanp_convert_error(d, "io.read", o->file, 0, 0, NULL, "cannot read the input again: %s",
                             chuanp_strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int chuanp_convert_stream(FILE *in, FILE *out, const chuanp_convert_opts *o,
                          chuanp_convert_stats *st, chuan_diags *d)
{
    chuanp_reader *r = NULL;
    chuanp_writer *w = NULL;
    chuanp_arena arena;
    chuanp_csv_columns cols = {0};
    FILE *spool = NULL;
    int rc = 0;
    size_t errors_before = d->errors;
    memset(st, 0, sizeof *st);
    errno = 0;
    chuanp_arena_init(&arena, 64 * 1024);

    const chuanp_converter *src = chuanp_converter_find(o->from);
    const chuanp_converter *dst = chuanp_converter_find(o->to);
    if (!src || !src->open_reader || !dst || !dst->open_writer) {
        chuanp_convert_error(d, "convert.unsupported", o->file, 0, 0, NULL,
                             "cannot convert %s to %s: %s is not supported", chuanp_format_name(o->from),
                             chuanp_format_name(o->to),
                             !src || !src->open_reader ? "reading this format" : "writing this format");
        rc = -1;
        goto out;
    }
    /* CSV output: the columns before the first row, from a first pass */
    chuanp_convert_opts wo = *o;
    if (chuanp_csv_columns_wanted(o)) {
        if (csv_first_pass(&in, &spool, o, &cols, d) < 0) {
            rc = -1;
            goto out;
        }
        wo.csv.columns = &cols;
    }
    /* records that only pass from the reader to a compact JSON writer may
     * come as JSON text */
    chuanp_convert_opts ro = *o;
    ro.records_as_json = o->to == CHUANP_FMT_NDJSON || (o->to == CHUANP_FMT_JSON && o->indent <= 0);
    if (src->open_reader(&r, in, &ro, d) < 0 || !r) {
        rc = -1;
        goto out;
    }
    if (dst->open_writer(&w, out, &wo, d) < 0 || !w) {
        rc = -1;
        goto out;
    }
    st->streaming = r->streaming;
    if (w->ops->begin && w->ops->begin(w, r->streaming) < 0) {
        rc = -1;
        goto out;
    }
    for (;;) {
        chuanp_record rec;
        memset(&rec, 0, sizeof rec);
        rec.offset = -1;
        chuanp_arena_reset(&arena);
        int n = r->ops->next(r, &arena, &rec, d);
        if (n == 0)
            break;
        if (n < 0) {
            rc = -1;
            goto out;
        }
        st->records++;
        if (o->progress && (st->records & 4095) == 0)
            o->progress(o->progress_ctx, st->records, (long long)ftello(in));
        if (n == 2) {
            st->bad++;
            continue;
        }
        if (rec.index == 0)
            rec.index = st->records;
        int wr = w->ops->write(w, &rec, d);
        if (wr < 0) {
            rc = -1;
            goto out;
        }
        if (wr > 0)
            st->bad++;
        else
            st->written++;
    }
    if (w->ops->end && w->ops->end(w) < 0) {
        rc = -1;
        goto out;
    }
    if (d->oom) {
        rc = -1;
        goto out;
    }
    rc = st->bad > 0 ? 1 : 0;
out:
    if (rc < 0 && d->errors == errors_before)
        /* a writer or reader failed without saying why: most likely the output */
        chuanp_convert_error(d, "io.write", o->file, 0, 0, NULL, "cannot write the output: %s",
                             errno ? chuanp_strerror(errno) : "write error");
    if (w)
        w->ops->free(w);
    if (r)
        r->ops->free(r);
    chuanp_arena_free(&arena);
    chuanp_csv_columns_free(&cols);
    if (spool)
        fclose(spool);
    return rc;
}
