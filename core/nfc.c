/* core/nfc.c - Unicode NFC normalisation (utf8proc) with an ASCII fast path. */
#include "core.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

/* NFC quick check for the text chuan sees most: true when every code point
 * is below U+0300 (Latin, Vietnamese base letters and precomposed letters of
 * Latin-1/Extended-A/B) or in U+1E00..U+1EFF (Latin Extended Additional: the
 * precomposed Vietnamese letters with tone marks), U+2010..U+205F
 * (punctuation) or U+20A0..U+20BF (currency, the dong sign). All of these
 * are NFC_Quick_Check=Yes with combining class 0, so a string made only of
 * them is already NFC; anything else (a combining mark, Hangul, ...) goes
 * to utf8proc. */
int chuanp_nfc_quick(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        unsigned char c = p[i];
        if (c < 0x80) {
            i++;
        } else if (c >= 0xC2 && c <= 0xCB && i + 1 < len) {
            i += 2; /* U+0080..U+02FF */
        } else if (c == 0xE1 && i + 2 < len && p[i + 1] >= 0xB8 && p[i + 1] <= 0xBB) {
            i += 3; /* U+1E00..U+1EFF */
        } else if (c == 0xE2 && i + 2 < len &&
                   ((p[i + 1] == 0x80 && p[i + 2] >= 0x90) || (p[i + 1] == 0x81 && p[i + 2] < 0xA0) ||
                    (p[i + 1] == 0x82 && p[i + 2] >= 0xA0))) {
            i += 3; /* U+2010..U+205F, U+20A0..U+20BF */
        } else {
            return 0;
        }
    }
    return 1;
}

int chuanp_nfc(const char *s, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = len;
    if (chuanp_nfc_quick(s, len))
        return 0;
    utf8proc_uint8_t *res = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len, &res,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE);
    if (n < 0) {
        if (n == UTF8PROC_ERROR_NOMEM)
            chuanp_alloc_note_failure();
        return -1;
    }
    if ((size_t)n == len && memcmp(res, s, len) == 0) {
        (free)(res); /* utf8proc's own malloc */
        return 0;
    }
    /* Hand out memory of chuan's allocator, so callers free it as usual. */
    char *copy = chuanp_strndup((const char *)res, (size_t)n);
    (free)(res);
    if (!copy)
        return -1;
    *out = copy;
    *out_len = (size_t)n;
    return 0;
}
