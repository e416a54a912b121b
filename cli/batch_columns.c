/* cli/batch_columns.c - batch mode's CSV output: its columns (the union of
 * every record's keys) from a first pass over the input, before the first
 * chunk is written, so any number of workers gives the same bytes as one
 * (converters/csv_union.c does the pass). */
#define _GNU_SOURCE
#include "batch_columns.h"

#include "../converters/csv.h"
#include "../core/textenc.h"

#include <errno.h>
#include <string.h>

int chuanp_batch_csv_columns(FILE **raw, const char *head, size_t head_len, const char *name,
                             const char *encoding, chuanp_convert_opts *o,
                             chuanp_csv_columns *cols, char **why)
{
    *why = NULL;
    if (fseeko(*raw, 0, SEEK_SET) != 0) {
        /* standard input from a pipe: keep a copy to read twice */
        errno = 0;
        FILE *t = chuanp_spool_stream(head, head_len, *raw);
        if (!t) {
            *why = chuanp_asprintf("cannot copy %s to a temporary file for the pass that finds "
                                   "the CSV columns: %s", name, strerror(errno ? errno : EIO));
            return -1;
        }
        *raw = t; /* the caller closes it as its input */
    }
    chuan_diags tmp; /* the conversion itself reports every problem */
    chuan_diags_init(&tmp, 1);
    FILE *in = NULL;
    int rc = chuanp_textin_open(&in, *raw, name, encoding, NULL, &tmp);
    if (rc == 0 && in) {
        rc = chuanp_csv_columns_scan(in, o, cols);
        if (rc < 0)
            *why = chuanp_strdup("out of memory finding the CSV columns");
        else
            o->csv.columns = cols;
    } else {
        rc = 0; /* not decodable: the conversion says so */
    }
    if (in)
        fclose(in);
    chuan_diags_clear(&tmp);
    clearerr(*raw);
    if (rc == 0 && fseeko(*raw, (off_t)head_len, SEEK_SET) != 0) {
        *why = chuanp_asprintf("cannot read %s again: %s", name, strerror(errno ? errno : EIO));
        rc = -1;
    }
    return rc;
}
