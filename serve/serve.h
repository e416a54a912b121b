/*
 * serve/serve.h - `chuan serve`: the validation and conversion service
 * (libmicrohttpd), a front end beside cli/ on the same engines and the same
 * public API (include/chuan.h). Internal to libchuan (prefix chuanp_).
 *
 * Files: server.c (daemon, limits, request bodies, signals, access log),
 * routes.c (the endpoints), stdset.c (every standard compiled once,
 * reloaded atomically), metrics.c (Prometheus text), and the web page and
 * OpenAPI document embedded at build time from serve/page.html and
 * serve/openapi.json (BUILD/gen/serve_assets.c).
 *
 * Ownership: a request holds a reference on the standards set it started
 * with; a reload swaps the set and the old one is freed by its last request.
 */
#ifndef CHUAN_SERVE_H
#define CHUAN_SERVE_H

#include "../core/core.h"

#include <pthread.h>

typedef struct chuanp_serve_opts {
    const char *listen;          /* HOST:PORT (default 127.0.0.1:8080); port 0: any free port */
    const char *token_file;      /* Authorization: Bearer TOKEN required when set */
    const char *access_log;      /* FILE, or NULL for standard error */
    const char *port_file;       /* write the port listened on there (tests, port 0) */
    size_t max_body;             /* bytes (default 64 MiB) */
    unsigned timeout;            /* seconds: idle connection and whole request (default 30) */
    unsigned max_connections;    /* default 4096 */
    unsigned threads;            /* default: cores */
    size_t max_header;           /* memory per connection for headers (default 32 KiB) */
    FILE *err;
} chuanp_serve_opts;

/* Run until SIGTERM or SIGINT (requests in flight finish first); SIGHUP
 * reloads the standards. Returns 0, or 2 when it cannot start. */
int chuanp_serve_run(const chuanp_serve_opts *o);

/* ---- standards compiled once (stdset.c) ------------------------------ */
typedef struct chuanp_stdset chuanp_stdset;
typedef struct chuanp_stdinfo {
    char *id, *version, *title_en, *title_vi, *state, *dir;
    char *formats;               /* "xml,json,ndjson,csv" */
    char *model;                 /* the record model: schema-aware conversion with ?standard= */
    char *json;                  /* GET /v1/standards/{id}: metadata, rules, code lists */
    struct chuan_validator *validator;
} chuanp_stdinfo;
chuanp_stdset *chuanp_stdset_load(FILE *err); /* NULL when out of memory */
void chuanp_stdset_ref(chuanp_stdset *s);
void chuanp_stdset_unref(chuanp_stdset *s);
size_t chuanp_stdset_count(const chuanp_stdset *s);
const chuanp_stdinfo *chuanp_stdset_at(const chuanp_stdset *s, size_t i);
const chuanp_stdinfo *chuanp_stdset_find(const chuanp_stdset *s, const char *id);

/* ---- metrics (metrics.c) --------------------------------------------- */
void chuanp_metrics_request(const char *route, int status, double seconds, size_t in, size_t out);
void chuanp_metrics_verdict(const char *verdict);
void chuanp_metrics_write(chuanp_buf *b);

/* ---- embedded assets (generated) -------------------------------------- */
extern const unsigned char chuanp_asset_page[];
extern const size_t chuanp_asset_page_len;
extern const unsigned char chuanp_asset_openapi[];
extern const size_t chuanp_asset_openapi_len;

/* ---- one request, as routes.c sees it --------------------------------- */
typedef struct chuanp_http_req {
    struct MHD_Connection *conn;
    const char *method, *url;
    const char *body;            /* the payload (raw body, or the multipart "file"/"payload" part) */
    size_t body_len;
    const char *body_type;       /* its media type (NULL: unknown) */
    const char *body_name;       /* file name of a multipart part, else NULL */
    const char *schema;          /* multipart "schema" part, NULL when none */
    size_t schema_len;
    const char *(*param)(const struct chuanp_http_req *r, const char *name); /* query or form */
    const char *(*header)(const struct chuanp_http_req *r, const char *name); /* request header */
    void *param_ctx;
    chuanp_stdset *set;          /* referenced for the request */
    int authorized;              /* a valid token was given (or none is needed) */
    int token_configured;
    /* results for the access log */
    const char *route;
    const char *verdict;
    int (*reload)(void *ctx);    /* POST /v1/admin/reload */
    void *reload_ctx;
} chuanp_http_req;

typedef struct chuanp_http_resp {
    int status;
    char *body;                  /* chuan allocator; NULL for none */
    size_t len;
    const char *type;            /* Content-Type */
    const char *disposition;     /* Content-Disposition, may be NULL */
} chuanp_http_resp;

void chuanp_route(chuanp_http_req *r, chuanp_http_resp *out);
/* An RFC 9457 problem document. */
void chuanp_problem(chuanp_http_resp *out, int status, const char *title, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif /* CHUAN_SERVE_H */
