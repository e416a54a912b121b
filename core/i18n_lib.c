/*
 * core/i18n_lib.c - the English texts of other libraries in the language of
 * messages (docs/i18n.md): the C library's error texts by errno, PCRE2's
 * compile errors by error code. English is exactly the library's own text
 * (strerror(), pcre2_get_error_message()); Vietnamese is the catalogue's
 * translation of the English text listed here for that code, and the
 * library's text for a code not listed.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "core.h"

#include <errno.h>
#include <pcre2.h>
#include <string.h>

/* glibc's texts of the errors a file tool meets */
static const struct {
    int e;
    const char *text;
} errs[] = {
    {EPERM, N_("Operation not permitted")},
    {ENOENT, N_("No such file or directory")},
    {EIO, N_("Input/output error")},
    {ENXIO, N_("No such device or address")},
    {EBADF, N_("Bad file descriptor")},
    {ENOMEM, N_("Cannot allocate memory")},
    {EACCES, N_("Permission denied")},
    {EBUSY, N_("Device or resource busy")},
    {EEXIST, N_("File exists")},
    {EXDEV, N_("Invalid cross-device link")},
    {ENODEV, N_("No such device")},
    {ENOTDIR, N_("Not a directory")},
    {EISDIR, N_("Is a directory")},
    {EINVAL, N_("Invalid argument")},
    {ENFILE, N_("Too many open files in system")},
    {EMFILE, N_("Too many open files")},
    {ETXTBSY, N_("Text file busy")},
    {EFBIG, N_("File too large")},
    {ENOSPC, N_("No space left on device")},
    {ESPIPE, N_("Illegal seek")},
    {EROFS, N_("Read-only file system")},
    {EPIPE, N_("Broken pipe")},
    {ENAMETOOLONG, N_("File name too long")},
    {ELOOP, N_("Too many levels of symbolic links")},
    {ENOTEMPTY, N_("Directory not empty")},
    {EDQUOT, N_("Disk quota exceeded")},
    {ETIMEDOUT, N_("Connection timed out")},
    {ECONNREFUSED, N_("Connection refused")},
    {EAGAIN, N_("Resource temporarily unavailable")},
};

const char *chuanp_strerror(int e)
{
    if (chuanp_lang_get() == CHUANP_LANG_VI)
        for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++)
            if (errs[i].e == e)
                return _(errs[i].text);
    return strerror(e);
}

/* PCRE2's texts of the compile errors a pattern author makes */
static const struct {
    int code;
    const char *text;
} pcre_errs[] = {
    {PCRE2_ERROR_END_BACKSLASH, N_("\\ at end of pattern")},
    {PCRE2_ERROR_UNKNOWN_ESCAPE, N_("unrecognized character follows \\")},
    {PCRE2_ERROR_QUANTIFIER_OUT_OF_ORDER, N_("numbers out of order in {} quantifier")},
    {PCRE2_ERROR_QUANTIFIER_TOO_BIG, N_("number too big in {} quantifier")},
    {PCRE2_ERROR_MISSING_SQUARE_BRACKET, N_("missing terminating ] for character class")},
    {PCRE2_ERROR_ESCAPE_INVALID_IN_CLASS, N_("escape sequence is invalid in character class")},
    {PCRE2_ERROR_CLASS_RANGE_ORDER, N_("range out of order in character class")},
    {PCRE2_ERROR_QUANTIFIER_INVALID, N_("quantifier does not follow a repeatable item")},
    {PCRE2_ERROR_INVALID_AFTER_PARENS_QUERY, N_("unrecognized character after (? or (?-")},
    {PCRE2_ERROR_MISSING_CLOSING_PARENTHESIS, N_("missing closing parenthesis")},
    {PCRE2_ERROR_BAD_SUBPATTERN_REFERENCE, N_("reference to non-existent subpattern")},
    {PCRE2_ERROR_MISSING_COMMENT_CLOSING, N_("missing ) after (?# comment")},
    {PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP, N_("parentheses are too deeply nested")},
    {PCRE2_ERROR_PATTERN_TOO_LARGE, N_("regular expression is too large")},
    {PCRE2_ERROR_UNMATCHED_CLOSING_PARENTHESIS, N_("unmatched closing parenthesis")},
    {PCRE2_ERROR_UNKNOWN_POSIX_CLASS, N_("unknown POSIX class name")},
    {PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH, N_("lookbehind assertion is not fixed length")},
    {PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY, N_("unknown property after \\P or \\p")},
    {PCRE2_ERROR_CLASS_INVALID_RANGE, N_("invalid range in character class")},
    {PCRE2_ERROR_DUPLICATE_SUBPATTERN_NAME, N_("two named subpatterns have the same name (PCRE2_DUPNAMES not set)")},
};

int chuanp_pcre2_error(int code, char *buf, size_t size)
{
    if (!size)
        return -1;
    if (chuanp_lang_get() == CHUANP_LANG_VI)
        for (size_t i = 0; i < sizeof pcre_errs / sizeof pcre_errs[0]; i++)
            if (pcre_errs[i].code == code) {
                const char *t = _(pcre_errs[i].text);
                size_t n = strlen(t);
                if (n < size) {
                    memcpy(buf, t, n + 1);
                    return (int)n;
                }
                /* cut as PCRE2 does (PCRE2_ERROR_NOMEMORY), but at a character boundary */
                n = size - 1;
                while (n > 0 && ((unsigned char)t[n] & 0xC0) == 0x80)
                    n--;
                memcpy(buf, t, n);
                buf[n] = '\0';
                return PCRE2_ERROR_NOMEMORY;
            }
    return pcre2_get_error_message(code, (PCRE2_UCHAR *)buf, size);
}
