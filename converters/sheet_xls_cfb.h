/* converters/sheet_xls_cfb.h - one stream of an OLE2 compound file (MS-CFB), for XLS. */
#ifndef CHUAN_SHEET_XLS_CFB_H
#define CHUAN_SHEET_XLS_CFB_H

#include "../core/core.h"

#define CHUANP_XLS_MAX ((size_t)256 << 20) /* the largest XLS file read */

/* Read stream `name` ("Workbook") of the compound file in `in` into *data
 * (chuanp_malloc'ed). Returns 0, 1 (not a compound file, broken, or no such
 * stream: diagnostic xls.corrupt), -1 (out of memory / I/O: diagnostic). */
int chuanp_cfb_read_stream(FILE *in, const char *file, const char *name, unsigned char **data,
                           size_t *len, chuan_diags *d);
/* The same on a file already in memory (the fuzz target). */
int chuanp_cfb_stream_mem(const unsigned char *buf, size_t n, const char *file, const char *name,
                          unsigned char **data, size_t *len, chuan_diags *d);

#endif /* CHUAN_SHEET_XLS_CFB_H */
