/* cli/batch_columns.h - the CSV columns of one batch input, found before its
 * first chunk is written (see batch_columns.c). */
#ifndef CHUAN_BATCH_COLUMNS_H
#define CHUAN_BATCH_COLUMNS_H

#include "../converters/record.h"

/* *raw has been read head_len bytes (head); afterwards it is positioned
 * there again (a pipe is first copied to an unlinked temporary file, which
 * *raw becomes: the caller closes it). encoding: as chuanp_textin_open.
 * Sets o->csv.columns = cols. Returns 0, or -1 with *why (caller frees). */
int chuanp_batch_csv_columns(FILE **raw, const char *head, size_t head_len, const char *name,
                             const char *encoding, chuanp_convert_opts *o,
                             chuanp_csv_columns *cols, char **why);

#endif
