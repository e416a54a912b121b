/* converters/convert.c - the format registry and the diagnostics of a
 * conversion (the engine that runs one: converters/batch_run.h). */
#include "convert.h"
#include "csv.h"
#include "sheet.h"

#include <stdarg.h>

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
