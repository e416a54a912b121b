/* serve/routes.c - the endpoints of `chuan serve`: what each answers, on the
 * public API's validators and converters. The HTTP mechanics (bodies,
 * limits, authentication, logging) are server.c's. */
#define _GNU_SOURCE /* open_memstream */
#include "serve.h"
#include "../validator/standard.h"
#include "../validator/validator.h"
#include "../converters/input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

void chuanp_problem(chuanp_http_resp *out, int status, const char *title, const char *fmt, ...)
{
    char detail[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(detail, sizeof detail, _(fmt), ap); /* in the language of messages */
    va_end(ap);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "{\"type\":\"about:blank\",\"title\":");
    chuanp_buf_json_string(&b, title, strlen(title));
    chuanp_buf_printf(&b, ",\"status\":%d,\"detail\":", status);
    chuanp_buf_json_string(&b, detail, strlen(detail));
    chuanp_buf_puts(&b, "}\n");
    out->status = status;
    out->body = chuanp_buf_steal(&b, &out->len);
    out->type = "application/problem+json";
}

static void set_body(chuanp_http_resp *out, int status, const char *type, chuanp_buf *b)
{
    if (b->err) {
        chuanp_buf_free(b);
        chuanp_problem(out, 500, "Internal Server Error", "out of memory");
        return;
    }
    out->status = status;
    out->type = type;
    out->body = chuanp_buf_steal(b, &out->len);
}

static void set_static(chuanp_http_resp *out, const unsigned char *data, size_t len, const char *type)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_append(&b, data, len);
    set_body(out, 200, type, &b);
}

/* The format of the payload: ?format=, else its media type, else sniffed
 * (AUTO). -1 for a media type chuan does not read (415). */
static int payload_format(const chuanp_http_req *r, const char **why)
{
    const char *f = r->param(r, "format");
    if (f && *f && strcmp(f, "auto") != 0) {
        int v = chuanp_format_parse(f);
        *why = "?format";
        return v < 0 ? -2 : v;
    }
    const char *t = r->body_type;
    *why = "Content-Type";
    if (!t || !*t)
        return CHUANP_FMT_AUTO;
    size_t n = strcspn(t, "; ");
    static const struct { const char *type; int fmt; } types[] = {
        {"application/xml", CHUANP_FMT_XML},        {"text/xml", CHUANP_FMT_XML},
        {"application/json", CHUANP_FMT_JSON},      {"application/x-ndjson", CHUANP_FMT_NDJSON},
        {"application/ndjson", CHUANP_FMT_NDJSON},  {"application/jsonl", CHUANP_FMT_NDJSON},
        {"text/csv", CHUANP_FMT_CSV},               {"application/octet-stream", CHUANP_FMT_AUTO},
        {"text/plain", CHUANP_FMT_AUTO},
        /* curl -d's default: nobody sends a form to this endpoint, so it says nothing */
        {"application/x-www-form-urlencoded", CHUANP_FMT_AUTO},
    };
    for (size_t i = 0; i < sizeof types / sizeof *types; i++)
        if (strlen(types[i].type) == n && strncasecmp(t, types[i].type, n) == 0)
            return types[i].fmt;
    if (n > 4 && strncasecmp(t + n - 4, "+xml", 4) == 0)
        return CHUANP_FMT_XML;
    if (n > 5 && strncasecmp(t + n - 5, "+json", 5) == 0)
        return CHUANP_FMT_JSON;
    return -1;
}

/* The report format: ?report=, else Accept. -1 unknown. */
static int report_format(const chuanp_http_req *r, int *basic, const char **type)
{
    *basic = 0;
    const char *rep = r->param(r, "report");
    const char *accept = r->header(r, "Accept");
    if (!rep || !*rep) {
        rep = "json";
        if (accept && strstr(accept, "application/sarif+json"))
            rep = "sarif";
        else if (accept && (strstr(accept, "application/junit+xml") || strstr(accept, "application/xml")))
            rep = "junit";
        else if (accept && strstr(accept, "text/html"))
            rep = "html";
        else if (accept && strstr(accept, "text/plain") && !strstr(accept, "application/json"))
            rep = "text";
    }
    if (strcmp(rep, "basic") == 0) {
        *basic = 1;
        rep = "json";
    }
    int f = chuan_report_format_parse(rep);
    static const char *const types[] = {"text/plain; charset=utf-8", "application/json",
                                        "application/xml", "application/sarif+json",
                                        "text/plain; charset=utf-8", "text/html; charset=utf-8"};
    if (f < 0 || f == CHUAN_REPORT_GITHUB)
        return -1;
    *type = types[f];
    return f;
}

/* Copy the payload into a temporary file named with the extension `ext`
 * (".json"...: auto-selection and sniffing go by names as for files), its
 * path in *path (remove it with unspool). Returns the fd or -1. */
static int spool(const char *data, size_t len, const char *ext, char **path)
{
    const char *dir = getenv("TMPDIR");
    *path = chuanp_asprintf("%s/chuan-serve.XXXXXX%s", dir && *dir ? dir : "/tmp", ext ? ext : "");
    if (!*path)
        return -1;
    int fd = mkstemps(*path, ext ? (int)strlen(ext) : 0);
    if (fd < 0) {
        chuanp_free(*path);
        *path = NULL;
        return -1;
    }
    while (len > 0) {
        ssize_t w = write(fd, data, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            unlink(*path);
            chuanp_free(*path);
            *path = NULL;
            return -1;
        }
        data += w;
        len -= (size_t)w;
    }
    return fd;
}

static void unspool(int fd, char *path)
{
    if (fd >= 0)
        close(fd);
    if (path)
        unlink(path);
    chuanp_free(path);
}

/* The extension a spooled payload gets: its format's, else its name's. */
static const char *spool_ext(int fmt, const char *name)
{
    if (fmt > 0)
        return chuanp_format_ext((chuanp_format)fmt);
    const char *dot = name ? strrchr(name, '.') : NULL;
    if (dot && chuanp_format_from_name(name) != CHUANP_FMT_AUTO && strlen(dot) < 8 && !strchr(dot, '/'))
        return dot;
    return NULL;
}

static const char *payload_name(const chuanp_http_req *r)
{
    const char *n = r->param(r, "name");
    if (n && *n)
        return n;
    return r->body_name && *r->body_name ? r->body_name : "payload";
}

static void do_validate(chuanp_http_req *r, chuanp_http_resp *out)
{
    const char *why, *rtype;
    int basic;
    int fmt = payload_format(r, &why);
    if (fmt == -2)
        return chuanp_problem(out, 400, "Bad Request", "unknown ?format=%s (xml, json, ndjson, csv)",
                              r->param(r, "format"));
    if (fmt < 0)
        return chuanp_problem(out, 415, "Unsupported Media Type",
                              "chuan reads XML, JSON, NDJSON and CSV; %s says %s", why, r->body_type);
    int rep = report_format(r, &basic, &rtype);
    if (rep < 0)
        return chuanp_problem(out, 400, "Bad Request",
                              "unknown report format (?report=json|basic|text|junit|sarif|html)");
    const char *std_id = r->param(r, "standard");
    if (std_id && !*std_id)
        std_id = NULL;
    if (std_id && r->schema)
        return chuanp_problem(out, 400, "Bad Request", "give a standard or a schema, not both");
    char *path = NULL;
    int fd = spool(r->body, r->body_len, spool_ext(fmt, payload_name(r)), &path);
    if (fd < 0)
        return chuanp_problem(out, 503, "Service Unavailable", "cannot spool the payload: %s",
                              chuanp_strerror(errno));
    chuan_validator *own = NULL;
    const chuan_validator *v = NULL;
    chuan_diags errs;
    chuan_diags_init(&errs, 0);
    chuanp_std_choice *choice = NULL; /* auto-selection, as `chuan validate FILE` makes it */
    if (r->schema) {
        const char *st = r->param(r, "schema_type");
        chuan_validator_opts vo = {.schema_text = r->schema, .schema_len = r->schema_len,
                                   .schema_type = st && *st ? st : NULL};
        own = chuanp_validator_new_uploaded(&vo, &errs);
        if (!own) {
            chuanp_problem(out, 400, "Bad Request", "the schema does not compile: %s",
                           errs.count ? errs.items[0].message : "?");
            goto done;
        }
        v = own;
    } else {
        if (!std_id) { /* as `chuan validate FILE`: the payload's root, $schema or service member */
            const char *p1[] = {path};
            chuan_diags ad;
            chuan_diags_init(&ad, 0);
            if (chuanp_standard_autoselect_each(&choice, NULL, p1, 1, &ad) < 0) {
                chuanp_problem(out, 500, "Internal Server Error", "auto-selection failed: %s",
                               ad.count ? ad.items[0].message : "out of memory");
                chuan_diags_clear(&ad);
                goto done;
            }
            chuan_diags_clear(&ad);
            std_id = choice[0].standard;
        }
        if (std_id) {
            const chuanp_stdinfo *si = chuanp_stdset_find(r->set, std_id);
            if (!si) {
                chuanp_problem(out, 404, "Not Found", "no standard '%s' (GET /v1/standards lists them)",
                               std_id);
                goto done;
            }
            v = si->validator;
        } else {
            own = chuan_validator_new(NULL, &errs); /* well-formedness only */
            if (!own) {
                chuanp_problem(out, 500, "Internal Server Error", "out of memory");
                goto done;
            }
            v = own;
        }
    }
    chuan_file_result res;
    const char *fname = fmt == CHUANP_FMT_AUTO ? NULL : chuanp_format_name((chuanp_format)fmt);
    /* what auto-selection said (standard.unknown-service) goes first, as in `chuan validate` */
    chuanp_validator_check(v, payload_name(r), path, fname, choice, &res);
    r->verdict = res.status == CHUAN_STATUS_VALID        ? "valid"
                 : res.status == CHUAN_STATUS_INVALID    ? "invalid"
                 : res.status == CHUAN_STATUS_WELLFORMED ? "well-formed"
                                                         : "failed";
    chuanp_metrics_verdict(r->verdict);
    char *mem = NULL;
    size_t memlen = 0;
    FILE *mf = open_memstream(&mem, &memlen);
    if (!mf) {
        chuan_file_result_clear(&res);
        chuanp_problem(out, 500, "Internal Server Error", "out of memory");
        goto done;
    }
    chuan_report_opts ro = {.format = (chuan_report_format)rep, .tool_command = "validate"};
    chuan_reporter *rp = chuan_reporter_new(mf, &ro);
    int bad = !rp;
    if (rp) {
        chuanp_reporter_set_json_basic(rp, basic);
        /* ?report=html: the lines come from the payload, never from a file the client names */
        chuanp_reporter_set_context(rp, 0, r->body, r->body_len);
        bad |= chuan_reporter_file(rp, &res) < 0 || chuan_reporter_end(rp) < 0;
        chuan_reporter_free(rp);
    }
    bad |= fclose(mf) != 0;
    chuan_file_result_clear(&res);
    if (bad || !mem) {
        (free)(mem);
        chuanp_problem(out, 500, "Internal Server Error", "cannot write the report");
        goto done;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_append(&b, mem, memlen);
    (free)(mem); /* open_memstream's own malloc */
    set_body(out, 200, rtype, &b);
done:
    chuan_validator_free(own);
    chuan_diags_clear(&errs);
    chuanp_std_choices_free(choice, choice ? 1 : 0);
    unspool(fd, path);
}

static int sink(void *ctx, const void *data, size_t len)
{
    chuanp_buf *b = ctx;
    chuanp_buf_append(b, data, len);
    return b->err ? -1 : 0;
}

static void diags_json(chuanp_buf *b, const chuan_diags *d)
{
    chuanp_buf_puts(b, "[");
    for (size_t i = 0; i < d->count; i++) {
        const chuan_diag *g = &d->items[i];
        const char *sev = g->severity == CHUAN_SEV_ERROR ? "error"
                          : g->severity == CHUAN_SEV_WARNING ? "warning" : "info";
        chuanp_buf_printf(b, "%s{\"severity\":\"%s\",\"code\":", i ? "," : "", sev);
        chuanp_buf_json_string(b, g->code ? g->code : "", g->code ? strlen(g->code) : 0);
        chuanp_buf_puts(b, ",\"message\":");
        chuanp_buf_json_string(b, g->message ? g->message : "", g->message ? strlen(g->message) : 0);
        if (g->line > 0)
            chuanp_buf_printf(b, ",\"line\":%ld", g->line);
        if (g->column > 0)
            chuanp_buf_printf(b, ",\"column\":%ld", g->column);
        if (g->path) {
            chuanp_buf_puts(b, ",\"path\":");
            chuanp_buf_json_string(b, g->path, strlen(g->path));
        }
        chuanp_buf_putc(b, '}');
    }
    chuanp_buf_puts(b, "]");
}

static void do_convert(chuanp_http_req *r, chuanp_http_resp *out)
{
    const char *why;
    int fmt = payload_format(r, &why);
    if (fmt == -2)
        return chuanp_problem(out, 400, "Bad Request", "unknown ?format=%s", r->param(r, "format"));
    if (fmt < 0)
        return chuanp_problem(out, 415, "Unsupported Media Type",
                              "chuan reads XML, JSON, NDJSON and CSV; %s says %s", why, r->body_type);
    const char *to = r->param(r, "to");
    int tof = to ? chuanp_format_parse(to) : -1;
    if (tof <= 0 || tof > CHUANP_FMT_CSV) /* dbf, mdb: read, never written */
        return chuanp_problem(out, 400, "Bad Request", "?to= is required: xml, json, ndjson or csv");
    const char *std_id = r->param(r, "standard");
    const char *schema_path = NULL;
    char *schema_copy = NULL;
    int sfd = -1;
    if (std_id && *std_id) {
        const chuanp_stdinfo *si = chuanp_stdset_find(r->set, std_id);
        if (!si)
            return chuanp_problem(out, 404, "Not Found", "no standard '%s'", std_id);
        schema_path = si->model;
    } else if (r->schema) {
        sfd = spool(r->schema, r->schema_len, NULL, &schema_copy);
        if (sfd < 0)
            return chuanp_problem(out, 503, "Service Unavailable", "cannot spool the schema");
        schema_path = schema_copy;
    }
    chuan_converter_opts co = {
        .from = fmt == CHUANP_FMT_AUTO ? NULL : chuanp_format_name((chuanp_format)fmt),
        .to = to, .mapping = r->param(r, "mapping"), .schema = schema_path,
        .record = r->param(r, "record"),
    };
    if (co.mapping && !*co.mapping)
        co.mapping = NULL;
    if (co.record && !*co.record)
        co.record = NULL;
    chuan_diags errs;
    chuan_diags_init(&errs, 0);
    chuan_converter *c = chuan_converter_new(&co, &errs);
    if (!c) {
        chuanp_problem(out, 400, "Bad Request", "cannot set up the conversion: %s",
                       errs.count ? errs.items[0].message : "?");
        goto done;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuan_diags d;
    chuan_diags_init(&d, 1000);
    int rc = chuan_convert_buffer(c, payload_name(r), r->body, r->body_len, sink, &b, &d);
    chuan_converter_free(c);
    if (rc == 0) {
        static const char *const types[] = {"", "application/xml", "application/json",
                                            "application/x-ndjson", "text/csv; charset=utf-8"};
        set_body(out, 200, types[tof], &b);
        r->verdict = "converted";
    } else {
        chuanp_buf_free(&b);
        chuanp_buf_init(&b, 0);
        chuanp_buf_printf(&b, "{\"type\":\"about:blank\",\"title\":\"%s\",\"status\":%d,\"detail\":",
                          rc > 0 ? "Unprocessable Content" : "Bad Request", rc > 0 ? 422 : 400);
        const char *det = rc > 0 ? "the payload (or some of its records) could not be converted"
                                 : "the conversion could not run";
        chuanp_buf_json_string(&b, det, strlen(det));
        chuanp_buf_puts(&b, ",\"diagnostics\":");
        diags_json(&b, &d);
        chuanp_buf_puts(&b, "}\n");
        set_body(out, rc > 0 ? 422 : 400, "application/problem+json", &b);
        r->verdict = "not-converted";
    }
    chuan_diags_clear(&d);
done:
    chuan_diags_clear(&errs);
    unspool(sfd, schema_copy);
}

static void do_standards(chuanp_http_req *r, chuanp_http_resp *out)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "{\"standards\":[");
    for (size_t i = 0; i < chuanp_stdset_count(r->set); i++) {
        const chuanp_stdinfo *x = chuanp_stdset_at(r->set, i);
        chuanp_buf_puts(&b, i ? ",{\"id\":" : "{\"id\":");
        chuanp_buf_json_string(&b, x->id, strlen(x->id));
        const char *keys[] = {"version", "title", "title_vi", "state"};
        const char *vals[] = {x->version, x->title_en, x->title_vi, x->state};
        for (int k = 0; k < 4; k++) {
            chuanp_buf_printf(&b, ",\"%s\":", keys[k]);
            if (vals[k])
                chuanp_buf_json_string(&b, vals[k], strlen(vals[k]));
            else
                chuanp_buf_puts(&b, "null");
        }
        chuanp_buf_puts(&b, ",\"formats\":\"");
        chuanp_buf_puts(&b, x->formats);
        chuanp_buf_puts(&b, "\"}");
    }
    chuanp_buf_puts(&b, "]}\n");
    set_body(out, 200, "application/json", &b);
}

void chuanp_route(chuanp_http_req *r, chuanp_http_resp *out)
{
    const char *u = r->url, *m = r->method;
    int get = strcmp(m, "GET") == 0 || strcmp(m, "HEAD") == 0, post = strcmp(m, "POST") == 0;
    struct { const char *path; int prefix, get, post; const char *route; } table[] = {
        {"/", 0, 1, 0, "/"},
        {"/healthz", 0, 1, 0, "/healthz"},
        {"/metrics", 0, 1, 0, "/metrics"},
        {"/v1/openapi.json", 0, 1, 0, "/v1/openapi.json"},
        {"/v1/standards", 0, 1, 0, "/v1/standards"},
        {"/v1/standards/", 1, 1, 0, "/v1/standards/{id}"},
        {"/v1/validate", 0, 0, 1, "/v1/validate"},
        {"/v1/convert", 0, 0, 1, "/v1/convert"},
        {"/v1/admin/reload", 0, 0, 1, "/v1/admin/reload"},
    };
    size_t i = 0, n = sizeof table / sizeof *table;
    while (i < n && !(table[i].prefix ? strncmp(u, table[i].path, strlen(table[i].path)) == 0
                                      : strcmp(u, table[i].path) == 0))
        i++;
    if (i == n) {
        r->route = "other";
        return chuanp_problem(out, 404, "Not Found", "no such endpoint: %s (see /v1/openapi.json)", u);
    }
    r->route = table[i].route;
    if (!(get && table[i].get) && !(post && table[i].post)) {
        out->disposition = NULL;
        return chuanp_problem(out, 405, "Method Not Allowed", "%s does not take %s", r->route, m);
    }
    /* the page, the health check and the API document are public; the rest needs the token */
    int open = strcmp(r->route, "/") == 0 || strcmp(r->route, "/healthz") == 0 ||
               strcmp(r->route, "/v1/openapi.json") == 0;
    if (!open && !r->authorized)
        return chuanp_problem(out, 401, "Unauthorized", "send Authorization: Bearer TOKEN");
    if (strcmp(r->route, "/") == 0)
        return set_static(out, chuanp_asset_page, chuanp_asset_page_len, "text/html; charset=utf-8");
    if (strcmp(r->route, "/v1/openapi.json") == 0)
        return set_static(out, chuanp_asset_openapi, chuanp_asset_openapi_len, "application/json");
    if (strcmp(r->route, "/healthz") == 0) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_buf_printf(&b, "{\"status\":\"ok\",\"standards\":%zu}\n", chuanp_stdset_count(r->set));
        return set_body(out, 200, "application/json", &b);
    }
    if (strcmp(r->route, "/metrics") == 0) {
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_metrics_write(&b);
        return set_body(out, 200, "text/plain; version=0.0.4; charset=utf-8", &b);
    }
    if (strcmp(r->route, "/v1/standards") == 0)
        return do_standards(r, out);
    if (strcmp(r->route, "/v1/standards/{id}") == 0) {
        const chuanp_stdinfo *x = chuanp_stdset_find(r->set, u + strlen("/v1/standards/"));
        if (!x)
            return chuanp_problem(out, 404, "Not Found", "no standard '%s'", u + strlen("/v1/standards/"));
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_buf_puts(&b, x->json);
        chuanp_buf_putc(&b, '\n');
        return set_body(out, 200, "application/json", &b);
    }
    if (strcmp(r->route, "/v1/validate") == 0)
        return do_validate(r, out);
    if (strcmp(r->route, "/v1/convert") == 0)
        return do_convert(r, out);
    /* /v1/admin/reload */
    if (!r->token_configured)
        return chuanp_problem(out, 403, "Forbidden", "reloading over HTTP needs --token-file");
    if (r->reload(r->reload_ctx) < 0)
        return chuanp_problem(out, 500, "Internal Server Error", "the standards could not be reloaded");
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "{\"reloaded\":true}\n");
    set_body(out, 200, "application/json", &b);
}
