/*
 * converters/convert.h - the format registry of the conversion engine.
 *
 * A conversion is a record reader for the source format feeding a record
 * writer for the target format (converters/record.h), run by the one
 * engine of converters/batch_run.h. The registry in converters/convert.c
 * maps each format to its reader and writer factory; helpers add one line
 * per format there.
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

/* Add an error diagnostic for the current input (file, line, path may be
 * NULL/0). Returns -1 when out of memory, else 0. */
int chuanp_convert_error(chuan_diags *d, const char *code, const char *file, long line,
                         long column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
int chuanp_convert_warning(chuan_diags *d, const char *code, const char *file, long line,
                           long column, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));

#endif /* CHUAN_CONVERT_H */
