/* libFuzzer target: the XLS reader (converters/sheet_xls*.c, sheet_read.c).
 * The input is written to a temporary file and read as a workbook, every
 * record built, with and without --number-text and a columns-map-free header.
 * Properties (abort on violation): the reader ends (0) or stops with a
 * diagnostic; every record is an object whose line is a sheet row >= 2;
 * an input it refuses (exit 1) has an error diagnostic. Any crash, leak or
 * sanitizer report is a bug. */
#include "../../converters/sheet.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(FILE *f, int number_text)
{
    chuanp_sheet_opts so = {.number_text = number_text};
    chuanp_convert_opts o = {.from = CHUANP_FMT_XLS, .to = CHUANP_FMT_NDJSON,
                             .file = "fuzz", .sheet = &so};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_reader *r = NULL;
    chuanp_arena a;
    chuanp_arena_init(&a, 4096);
    rewind(f);
    if (chuanp_xls_reader_open(&r, f, &o, &d) == 0 && r) {
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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *f = tmpfile();
    if (!f)
        return 0;
    if (fwrite(data, 1, size, f) == size && fflush(f) == 0) {
        run(f, 0);
        run(f, 1);
    }
    fclose(f);
    return 0;
}
