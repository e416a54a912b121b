/* core/nfc.c - Unicode NFC normalisation (utf8proc) with an ASCII fast path. */
#include "core.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* Text is certainly NFC when it has no byte >= 0xCC: every code point below
 * U+0300 is NFC-stable and cannot combine with a following character of that
 * range. Vietnamese precomposed letters live in U+00C0..U+01B0 (2-byte
 * sequences starting C3..C6) and U+1EA0..U+1EF9 (E1 BA/BB), so the common
 * case still needs the full check: we ask utf8proc only when a byte >= 0xCC
 * appears. */
static int maybe_not_nfc(const unsigned char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] >= 0xCC)
            return 1;
    return 0;
}

int chuanp_nfc(const char *s, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = len;
    if (!maybe_not_nfc((const unsigned char *)s, len))
        return 0;
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0)
        return -1;
    if ((size_t)n == len && memcmp(res, s, len) == 0) {
        free(res);
        return 0;
    }
    *out = (char *)res;
    *out_len = (size_t)n;
    return 0;
}
