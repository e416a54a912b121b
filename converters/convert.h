/*
 * converters/convert.h - the format registry and the conversion pipeline.
 *
 * A conversion is a record reader for the source format feeding a record
 * writer for the target format (converters/record.h). The registry in
 * converters/convert.c maps each format to its reader and writer factory;
 * helpers add one line per format there.
 *
 * Pipeline results (three-way): 0 every record converted; >0 at least one
 * record (or the one document) could not be converted, each reported as a
 * diagnostic with its line, the others converted; <0 the conversion could
 * not run (unsupported format pair, write error, out of memory).
 */
#ifndef CHUAN_CONVERT_H
#define CHUAN_CONVERT_H

#include "record.h"

typedef struct chuanp_converter {
    chuanp_format format;
    chuanp_reader_open_fn open_reader; /* NULL: this format cannot be read yet */
    chuanp_writer_open_fn open_writer; /* NULL: this format cannot be written yet */
} chuanp_converter;

/* The registry entry of a format, NULL when it has none. */
const chuanp_converter *chuanp_converter_find(chuanp_format f);

typedef struct chuanp_convert_stats {
    long records;  /* records read, good and bad */
    long written;  /* records the writer accepted */
    long bad;      /* records reported and skipped */
    int streaming; /* the reader yielded a record stream */
} chuanp_convert_stats;

/* Convert everything read from `in` into `out` (neither is closed). */
int chuanp_convert_stream(FILE *in, FILE *out, const chuanp_convert_opts *o,
                          chuanp_convert_stats *st, chuan_diags *d);

/* Add an error diagnostic for the current input (file, line, path may be
 * NULL/0). Returns -1 when out of memory, else 0. */
int chuanp_convert_error(chuan_diags *d, const char *code, const char *file, long line,
                         long column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
int chuanp_convert_warning(chuan_diags *d, const char *code, const char *file, long line,
                           long column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif /* CHUAN_CONVERT_H */
