/* converters/sheet_xls.c - XLS (BIFF8) workbooks (placeholder until the reader lands). */
#include "sheet.h"
#include "convert.h"

int chuanp_xls_open(chuanp_sheet_src **out, FILE *in, const char *file, const char *sel,
                    chuanp_sheet_fonts *fonts, chuan_diags *d)
{
    (void)in, (void)sel, (void)fonts;
    *out = NULL;
    chuanp_convert_error(d, "convert.unsupported", file, 0, 0, NULL, "XLS is not read yet");
    return 1;
}
