/* core/str.c - small string helpers. */
#include "core.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

char *chuanp_strdup(const char *s)
{
    return s ? chuanp_strndup(s, strlen(s)) : NULL;
}

char *chuanp_strndup(const char *s, size_t len)
{
    char *p = chuanp_malloc(len + 1);
    if (!p)
        return NULL;
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

char *chuanp_asprintf(const char *fmt, ...)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    return chuanp_buf_steal(&b, NULL);
}

int chuanp_has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

int chuanp_parse_long(const char *s, long min, long max, long *out)
{
    if (!s || !*s || isspace((unsigned char)*s))
        return -1;
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (errno || *end || v < min || v > max)
        return -1;
    *out = v;
    return 0;
}
