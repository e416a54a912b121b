/* libFuzzer target: the service's request handling (serve/routes.c) without the socket: the
 * input is cut into a method, a URL, query parameters, headers and a body, and routed against
 * the bundled standards. Properties: every answer has an HTTP status in 200..599 and a body; a
 * 4xx/5xx answer is an RFC 9457 problem document (or a 422 with diagnostics); a 200 answer of
 * /v1/validate is a report. Any crash, leak or sanitizer report is a bug. */
#include "../../serve/serve.h"
#include "../../validator/validator.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static chuanp_stdset *set;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    setenv("CHUAN_STANDARDS", "standards", 0);
    chuanp_init();
    FILE *null = fopen("/dev/null", "w");
    set = chuanp_stdset_load(null ? null : stderr);
    if (null)
        fclose(null);
    return 0;
}

/* "k=v" pairs of the query and the headers, looked up by name. */
typedef struct kv {
    char *query, *headers;
} kv;

static const char *lookup(char *list, const char *name, char sep)
{
    size_t n = strlen(name);
    for (char *p = list; p && *p;) {
        char *end = strchr(p, sep);
        if (strncmp(p, name, n) == 0 && p[n] == '=') {
            static __thread char value[256];
            size_t len = end ? (size_t)(end - p - (ptrdiff_t)n - 1) : strlen(p + n + 1);
            if (len >= sizeof value)
                len = sizeof value - 1;
            memcpy(value, p + n + 1, len);
            value[len] = '\0';
            return value;
        }
        p = end ? end + 1 : NULL;
    }
    return NULL;
}

static const char *param(const chuanp_http_req *r, const char *name)
{
    return lookup(((kv *)r->param_ctx)->query, name, '&');
}

static const char *header(const chuanp_http_req *r, const char *name)
{
    return lookup(((kv *)r->param_ctx)->headers, name, '\n');
}

static int no_reload(void *ctx)
{
    (void)ctx;
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* method \0 url \0 query \0 headers \0 body */
    char *copy = malloc(size + 1);
    if (!copy || !set)
        return (free(copy), 0);
    memcpy(copy, data, size);
    copy[size] = '\0';
    char *parts[5] = {0};
    char *p = copy;
    size_t k = 0;
    while (k < 4 && p < copy + size) {
        parts[k++] = p;
        p += strlen(p) + 1;
    }
    size_t body_len = p < copy + size ? (size_t)(copy + size - p) : 0;
    static const char *const methods[] = {"GET", "POST", "HEAD", "PUT"};
    const char *method = methods[(parts[0] ? (unsigned char)parts[0][0] : 0) % 4];
    kv ctx = {.query = parts[2], .headers = parts[3]};
    chuanp_http_req r = {.method = method, .url = parts[1] && *parts[1] == '/' ? parts[1] : "/v1/validate",
                         .body = body_len ? p : "", .body_len = body_len,
                         .param = param, .header = header, .param_ctx = &ctx, .set = set,
                         .authorized = 1, .route = "other", .reload = no_reload};
    r.body_type = header(&r, "Content-Type");
    chuanp_http_resp out = {0};
    chuanp_route(&r, &out);
    if (out.status < 200 || out.status > 599 || !out.type)
        abort();
    if (out.status >= 400 && strcmp(out.type, "application/problem+json") != 0)
        abort();
    if (out.status >= 400 && !(out.body && strstr(out.body, "\"status\":")))
        abort();
    chuanp_free(out.body);
    free(copy);
    return 0;
}
