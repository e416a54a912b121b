/* libFuzzer target: the XLS reader (converters/sheet_xls*.c, sheet_read.c); the
 * properties are those of tests/fuzz/fuzz_sheet.h. */
#include "fuzz_sheet.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return fuzz_sheet(data, size, CHUANP_FMT_XLS, chuanp_xls_reader_open);
}
