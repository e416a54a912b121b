/* tests/fuzz/fuzz_sheet.h - the body of the spreadsheet reader targets (fuzz_xlsx, fuzz_xls).
 * The input is written to a temporary file and read as a workbook, every
 * record built, with and without --number-text and a columns-map-free header.
 * Properties (abort on violation): the reader ends (0) or stops with a
 * diagnostic; every record is an object whose line is a sheet row >= 2;
 * an input it refuses (exit 1) has an error diagnostic. Any crash, leak or
 * sanitizer report is a bug. */
#ifndef CHUAN_FUZZ_SHEET_H
#define CHUAN_FUZZ_SHEET_H
#include "../../converters/sheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef int (*sheet_open_fn)(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                             chuan_diags *d);

static void run(FILE *f, int number_text, chuanp_format fmt, sheet_open_fn open_reader)
{
    chuanp_sheet_opts so = {.number_text = number_text};
    chuanp_convert_opts o = {.from = fmt, .to = CHUANP_FMT_NDJSON,
                             .file = "fuzz", .sheet = &so};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_reader *r = NULL;
    chuanp_arena a;
    chuanp_arena_init(&a, 4096);
    rewind(f);
    if (open_reader(&r, f, &o, &d) == 0 && r) {
        int n, bad = 0;
        for (;;) {
            chuanp_record rec;
            memset(&rec, 0, sizeof rec);
            chuanp_arena_reset(&a);
            if ((n = r->ops->next(r, &a, &rec, &d)) == 0 || n < 0)
                break;
            if (n == 2) {
                bad = 1;
                continue;
            }
            if (!rec.value || rec.value->type != CHUANP_JOBJECT || rec.line < 2)
                abort(); /* a record is a row below the header */
        }
        if (bad && d.errors == 0)
            abort(); /* refused without saying why */
        r->ops->free(r);
    }
    chuanp_arena_free(&a);
    chuan_diags_clear(&d);
}

/* The one body of fuzz_xlsx and fuzz_xls. */
static int fuzz_sheet(const uint8_t *data, size_t size, chuanp_format fmt, sheet_open_fn open_reader)
{
    FILE *f = tmpfile();
    if (!f)
        return 0;
    if (fwrite(data, 1, size, f) == size && fflush(f) == 0) {
        run(f, 0, fmt, open_reader);
        run(f, 1, fmt, open_reader);
    }
    fclose(f);
    return 0;
}

#endif /* CHUAN_FUZZ_SHEET_H */
