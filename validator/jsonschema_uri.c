/* validator/jsonschema_uri.c - URI references (RFC 3986 section 5) for $id and $ref. */
#include "jsonschema_int.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct uri_parts {
    const char *scheme; size_t scheme_len; int has_scheme;
    const char *auth; size_t auth_len; int has_auth;
    const char *path; size_t path_len;
    const char *query; size_t query_len; int has_query;
    const char *frag; size_t frag_len; int has_frag;
} uri_parts;

/* Does the reference have a scheme (is it absolute)? */
static int js_uri_has_scheme(const char *s)
{
    if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')))
        return 0;
    for (const char *p = s + 1; *p; p++) {
        if (*p == ':')
            return 1;
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '+' || *p == '-' || *p == '.'))
            return 0;
    }
    return 0;
}

static void uri_split(const char *s, uri_parts *u)
{
    memset(u, 0, sizeof *u);
    const char *p = s;
    if (js_uri_has_scheme(s)) {
        const char *c = strchr(s, ':');
        u->scheme = s;
        u->scheme_len = (size_t)(c - s);
        u->has_scheme = 1;
        p = c + 1;
    }
    if (p[0] == '/' && p[1] == '/') {
        p += 2;
        u->auth = p;
        while (*p && *p != '/' && *p != '?' && *p != '#')
            p++;
        u->auth_len = (size_t)(p - u->auth);
        u->has_auth = 1;
    }
    u->path = p;
    while (*p && *p != '?' && *p != '#')
        p++;
    u->path_len = (size_t)(p - u->path);
    if (*p == '?') {
        u->query = ++p;
        while (*p && *p != '#')
            p++;
        u->query_len = (size_t)(p - u->query);
        u->has_query = 1;
    }
    if (*p == '#') {
        u->frag = p + 1;
        u->frag_len = strlen(p + 1);
        u->has_frag = 1;
    }
}

/* RFC 3986 5.2.4 remove_dot_segments, appending the result to out. */
static void remove_dots(chuanp_buf *out, const char *in, size_t len)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    size_t i = 0;
    while (i < len) {
        const char *p = in + i;
        size_t rest = len - i;
        if (rest >= 3 && memcmp(p, "../", 3) == 0) {
            i += 3;
        } else if (rest >= 2 && memcmp(p, "./", 2) == 0) {
            i += 2;
        } else if (rest >= 3 && memcmp(p, "/./", 3) == 0) {
            i += 2;
        } else if (rest == 2 && memcmp(p, "/.", 2) == 0) {
            i += 1;
            /* becomes "/" */
            chuanp_buf_putc(&b, '/');
            i = len;
        } else if ((rest >= 4 && memcmp(p, "/../", 4) == 0) || (rest == 3 && memcmp(p, "/..", 3) == 0)) {
            i += 3;
            while (b.len > 0 && b.data[b.len - 1] != '/')
                b.len--;
            if (b.len > 0)
                b.len--;
            if (rest == 3) {
                chuanp_buf_putc(&b, '/');
                i = len;
            }
        } else if ((rest == 1 && p[0] == '.') || (rest == 2 && memcmp(p, "..", 2) == 0)) {
            i = len;
        } else {
            size_t j = i;
            if (in[j] == '/')
                j++;
            while (j < len && in[j] != '/')
                j++;
            chuanp_buf_append(&b, in + i, j - i);
            i = j;
        }
    }
    if (b.len)
        chuanp_buf_append(out, b.data, b.len);
    chuanp_buf_free(&b);
}

static void put(chuanp_buf *b, const char *s, size_t n)
{
    chuanp_buf_append(b, s, n);
}

char *chuanp_js_uri_resolve(const char *base, const char *ref)
{
    uri_parts r, B;
    uri_split(ref, &r);
    uri_split(base ? base : "", &B);
    chuanp_buf out;
    chuanp_buf_init(&out, 0);
    chuanp_buf_reserve(&out, strlen(ref) + (base ? strlen(base) : 0) + 8);
    if (r.has_scheme) {
        put(&out, r.scheme, r.scheme_len);
        chuanp_buf_putc(&out, ':');
        if (r.has_auth) {
            chuanp_buf_puts(&out, "//");
            put(&out, r.auth, r.auth_len);
        }
        remove_dots(&out, r.path, r.path_len);
        if (r.has_query) {
            chuanp_buf_putc(&out, '?');
            put(&out, r.query, r.query_len);
        }
    } else {
        if (B.has_scheme) {
            put(&out, B.scheme, B.scheme_len);
            chuanp_buf_putc(&out, ':');
        }
        if (r.has_auth) {
            chuanp_buf_puts(&out, "//");
            put(&out, r.auth, r.auth_len);
            remove_dots(&out, r.path, r.path_len);
            if (r.has_query) {
                chuanp_buf_putc(&out, '?');
                put(&out, r.query, r.query_len);
            }
        } else {
            if (B.has_auth) {
                chuanp_buf_puts(&out, "//");
                put(&out, B.auth, B.auth_len);
            }
            if (r.path_len == 0) {
                put(&out, B.path, B.path_len);
                if (r.has_query) {
                    chuanp_buf_putc(&out, '?');
                    put(&out, r.query, r.query_len);
                } else if (B.has_query) {
                    chuanp_buf_putc(&out, '?');
                    put(&out, B.query, B.query_len);
                }
            } else {
                if (r.path[0] == '/') {
                    remove_dots(&out, r.path, r.path_len);
                } else {
                    chuanp_buf merged;
                    chuanp_buf_init(&merged, 0);
                    if (B.has_auth && B.path_len == 0) {
                        chuanp_buf_putc(&merged, '/');
                    } else {
                        size_t k = B.path_len;
                        while (k > 0 && B.path[k - 1] != '/')
                            k--;
                        put(&merged, B.path, k);
                    }
                    put(&merged, r.path, r.path_len);
                    if (merged.err == 0 && merged.data) {
                        /* A relative base path (e.g. urn-like) keeps its form. */
                        remove_dots(&out, merged.data, merged.len);
                    }
                    chuanp_buf_free(&merged);
                }
                if (r.has_query) {
                    chuanp_buf_putc(&out, '?');
                    put(&out, r.query, r.query_len);
                }
            }
        }
    }
    if (r.has_frag) {
        chuanp_buf_putc(&out, '#');
        put(&out, r.frag, r.frag_len);
    }
    if (out.err) {
        chuanp_buf_free(&out);
        return NULL;
    }
    if (!out.data)
        return chuanp_strdup("");
    return chuanp_buf_steal(&out, NULL);
}

char *chuanp_js_uri_strip_fragment(const char *uri)
{
    const char *h = strchr(uri, '#');
    return h ? chuanp_strndup(uri, (size_t)(h - uri)) : chuanp_strdup(uri);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

char *chuanp_js_pct_decode(const char *s, size_t len)
{
    char *out = chuanp_malloc(len + 1);
    if (!out)
        return NULL;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '%' && i + 2 < len && hexval((unsigned char)s[i + 1]) >= 0 &&
            hexval((unsigned char)s[i + 2]) >= 0) {
            out[o++] = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            out[o++] = s[i];
        }
    }
    out[o] = '\0';
    return out;
}

char *chuanp_js_uri_from_path(const char *path)
{
    char *abs = NULL, *res = NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    if (path[0] == '/') {
        abs = chuanp_strdup(path);
    } else {
        char cwd[PATH_MAX];
        if (!getcwd(cwd, sizeof cwd))
            goto out;
        abs = chuanp_asprintf("%s/%s", cwd, path);
    }
    if (!abs)
        goto out;
    chuanp_buf_puts(&b, "file://");
    for (const unsigned char *p = (const unsigned char *)abs; *p; p++) {
        if (*p <= 0x20 || *p == '%' || *p == '#' || *p == '?' || *p >= 0x7f)
            chuanp_buf_printf(&b, "%%%02X", *p);
        else
            chuanp_buf_putc(&b, (char)*p);
    }
    if (b.err)
        goto out;
    {
        /* normalise ./ and ../ in the path part */
        char *norm = chuanp_js_uri_resolve(b.data, "");
        res = norm;
    }
out:
    chuanp_free(abs);
    chuanp_buf_free(&b);
    return res;
}

char *chuanp_js_path_from_uri(const char *uri)
{
    if (strncmp(uri, "file://", 7) != 0)
        return NULL;
    const char *p = uri + 7;
    if (*p != '/') {
        /* file://localhost/... */
        if (strncmp(p, "localhost/", 10) == 0)
            p += 9;
        else
            return NULL;
    }
    size_t n = strcspn(p, "?#");
    return chuanp_js_pct_decode(p, n);
}
