/* cli/serve.c - `chuan serve`: options, then the service (serve/). */
#include "cli.h"
#include "../serve/serve.h"

#include <stdlib.h>
#include <string.h>

enum { OPT_LISTEN = 1, OPT_STANDARDS, OPT_TOKEN, OPT_LOG, OPT_MAX_BODY, OPT_TIMEOUT, OPT_CONNS,
       OPT_THREADS, OPT_PORT_FILE };

static const chuanp_opt serve_opts[] = {
    {"listen", 0, "HOST:PORT", OPT_LISTEN, "address to listen on (default 127.0.0.1:8080; port 0: any free port)"},
    {"standards", 0, "DIR", OPT_STANDARDS, "a folder of standard packages, searched first (repeatable)"},
    {"token-file", 0, "FILE", OPT_TOKEN, "require Authorization: Bearer with the token in FILE"},
    {"access-log", 0, "FILE", OPT_LOG, "one JSON line per request to FILE (default: standard error)"},
    {"max-body", 0, "MIB", OPT_MAX_BODY, "largest request body in MiB (default 64)"},
    {"timeout", 0, "SECONDS", OPT_TIMEOUT, "idle connections and slow requests are closed after this (default 30)"},
    {"max-connections", 0, "N", OPT_CONNS, "open connections at most (default 4096)"},
    {"threads", 0, "N", OPT_THREADS, "worker threads (default: number of cores)"},
    {"port-file", 0, "FILE", OPT_PORT_FILE, "write the port listened on to FILE"},
    {0},
};

typedef struct serve_args {
    chuanp_cli *cli;
    chuanp_serve_opts o;
    chuanp_buf search; /* CHUAN_STANDARDS with the --standards folders first */
} serve_args;

static int on_opt(void *ctx, int id, const char *v)
{
    serve_args *a = ctx;
    long n;
    switch (id) {
    case OPT_LISTEN: a->o.listen = v; return 0;
    case OPT_STANDARDS:
        chuanp_buf_puts(&a->search, v);
        chuanp_buf_putc(&a->search, ':');
        return 0;
    case OPT_TOKEN: a->o.token_file = v; return 0;
    case OPT_LOG: a->o.access_log = v; return 0;
    case OPT_PORT_FILE: a->o.port_file = v; return 0;
    case OPT_MAX_BODY:
        if (chuanp_cli_int(a->cli, "--max-body", v, 1, 4096, &n) < 0)
            return -1;
        a->o.max_body = (size_t)n << 20;
        return 0;
    case OPT_TIMEOUT:
        if (chuanp_cli_int(a->cli, "--timeout", v, 1, 3600, &n) < 0)
            return -1;
        a->o.timeout = (unsigned)n;
        return 0;
    case OPT_CONNS:
        if (chuanp_cli_int(a->cli, "--max-connections", v, 1, 1000000, &n) < 0)
            return -1;
        a->o.max_connections = (unsigned)n;
        return 0;
    case OPT_THREADS:
        if (chuanp_cli_int(a->cli, "--threads", v, 1, 1024, &n) < 0)
            return -1;
        a->o.threads = (unsigned)n;
        return 0;
    }
    return -1;
}

static int run_serve(chuanp_cli *cli, int argc, const char **argv)
{
    serve_args a = {.cli = cli,
                    .o = {.listen = "127.0.0.1:8080", .max_body = (size_t)64 << 20, .timeout = 30,
                          .max_connections = 4096, .threads = (unsigned)chuanp_default_jobs(),
                          .max_header = 32 * 1024, .err = cli->err}};
    chuanp_buf_init(&a.search, 0);
    const char **pos = NULL;
    size_t npos = 0;
    int rc = chuanp_cli_parse(cli, argc, argv, on_opt, &a, &pos, &npos);
    if (rc != 0) {
        chuanp_buf_free(&a.search);
        return rc > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    }
    if (npos > 0) {
        rc = chuanp_cli_usage_error(cli, "serve takes no arguments besides options");
    } else {
        if (a.search.len) { /* the service finds packages as the other verbs do, these first */
            const char *env = getenv("CHUAN_STANDARDS");
            if (env)
                chuanp_buf_puts(&a.search, env);
            setenv("CHUAN_STANDARDS", a.search.data, 1);
        }
        fflush(cli->out);
        rc = chuanp_serve_run(&a.o) == 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    }
    chuanp_free(pos);
    chuanp_buf_free(&a.search);
    return rc;
}

const chuanp_verb chuanp_verb_serve = {
    "serve",
    "a validation and conversion service over HTTP, with a web page",
    "chuan serve [OPTIONS]",
    "Endpoints: POST /v1/validate, POST /v1/convert, GET /v1/standards, GET /v1/standards/ID,\n"
    "GET /healthz, GET /metrics, GET /v1/openapi.json, and the web page at /.\n"
    "Every standard is compiled once at start; SIGHUP (or POST /v1/admin/reload with the token)\n"
    "reloads them. SIGTERM stops accepting connections and lets requests in flight finish.\n"
    "TLS belongs to a reverse proxy in front (docs/serve.md).\n"
    "Example: chuan serve --listen 127.0.0.1:8080 --token-file /etc/chuan/token",
    serve_opts,
    run_serve,
};
