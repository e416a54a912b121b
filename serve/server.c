/* serve/server.c - the HTTP side of `chuan serve` on libmicrohttpd: one
 * daemon with a thread pool sized to the cores, limits on bodies, headers,
 * connections and time, bearer-token authentication, multipart uploads, a
 * JSON access log, and signals (SIGTERM/SIGINT: stop accepting, let the
 * requests in flight finish, exit; SIGHUP: reload the standards). */
#include "serve.h"
#include "../core/dynlib.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* libmicrohttpd is opened when the service starts, not linked (core/dynlib.h):
 * every function of it this file calls, called as MHD(name)(...) through the
 * table. <microhttpd.h> gives the types. The soname and the Debian package
 * come from the Makefile (the development symlink's SONAME). */
#ifndef CHUAN_MHD_SONAME
#define CHUAN_MHD_SONAME "libmicrohttpd.so.12"
#endif
#ifndef CHUAN_MHD_PACKAGE
#define CHUAN_MHD_PACKAGE "libmicrohttpd12"
#endif
#define MHD_FUNCS(X)                                                                          \
    X(start_daemon) X(get_daemon_info) X(quiesce_daemon) X(stop_daemon)                      \
    X(lookup_connection_value) X(get_connection_info) X(suspend_connection)                   \
    X(resume_connection) X(create_post_processor) X(post_process) X(destroy_post_processor)   \
    X(create_response_from_buffer_with_free_callback) X(add_response_header)                  \
    X(queue_response) X(destroy_response)

CHUANP_DYNLIB_TABLE(mhd, CHUAN_MHD_SONAME, "MHD_", MHD_FUNCS);
#define MHD(f) ((__typeof__(MHD_##f) *)mhd_fns[SLOT_##f])

typedef struct request request;

typedef struct server {
    const chuanp_serve_opts *o;
    /* POST requests are judged by the workers in arrival order (one queue for all
     * connections, so no connection waits behind a busier polling thread) */
    pthread_mutex_t q_mu;
    pthread_cond_t q_cv;
    request *q_head, *q_tail;
    int q_stop;
    pthread_t *workers;
    unsigned nworkers;
    pthread_mutex_t mu;      /* the current standards set */
    chuanp_stdset *set;
    char *token;
    FILE *log;
    pthread_mutex_t log_mu;
    atomic_int active;       /* requests in flight */
} server;

struct request {
    double t0;
    chuanp_buf body;         /* raw body (not multipart) */
    size_t received;
    int too_large, timed_out, multipart;
    struct MHD_PostProcessor *pp;
    chuanp_buf part_payload, part_schema;
    char *part_name, *part_type;
    /* form fields of a multipart request: standard, format, report, to, ... */
    char *fields[16][2];
    size_t nfields;
    chuanp_stdset *set;
    int counted;
    /* judged by a worker: 1 queued (connection suspended), 2 answered (res holds it) */
    int state;
    struct MHD_Connection *conn;
    const char *method, *url;
    int authorized;
    chuanp_http_resp res;
    const char *route, *verdict;
    request *next;
};

static double now_s(void)
{
    return chuanp_now();
}

static void request_free(request *q)
{
    if (!q)
        return;
    if (q->pp)
        MHD(destroy_post_processor)(q->pp);
    chuanp_buf_free(&q->body);
    chuanp_buf_free(&q->part_payload);
    chuanp_buf_free(&q->part_schema);
    chuanp_free(q->part_name);
    chuanp_free(q->part_type);
    for (size_t i = 0; i < q->nfields; i++) {
        chuanp_free(q->fields[i][0]);
        chuanp_free(q->fields[i][1]);
    }
    if (q->set)
        chuanp_stdset_unref(q->set);
    chuanp_free(q->res.body); /* judged, but the client left before the answer went out */
    chuanp_free(q);
}

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *filename, const char *content_type,
                               const char *transfer_encoding, const char *data, uint64_t off,
                               size_t size)
{
    (void)kind, (void)transfer_encoding;
    request *q = cls;
    if (!key)
        return MHD_YES;
    if (strcmp(key, "file") == 0 || strcmp(key, "payload") == 0) {
        if (off == 0 && q->part_payload.len == 0) {
            chuanp_free(q->part_name);
            chuanp_free(q->part_type);
            q->part_name = filename ? chuanp_strdup(filename) : NULL;
            q->part_type = content_type ? chuanp_strdup(content_type) : NULL;
        }
        chuanp_buf_append(&q->part_payload, data, size);
    } else if (strcmp(key, "schema") == 0) {
        chuanp_buf_append(&q->part_schema, data, size);
    } else {
        size_t i = 0;
        while (i < q->nfields && strcmp(q->fields[i][0], key) != 0)
            i++;
        if (i == q->nfields) {
            if (q->nfields == 16)
                return MHD_YES; /* more fields than any endpoint takes: ignored */
            q->fields[i][0] = chuanp_strdup(key);
            q->fields[i][1] = chuanp_strdup("");
            q->nfields++;
        }
        char *old = q->fields[i][1];
        q->fields[i][1] = chuanp_asprintf("%s%.*s", old ? old : "", (int)size, data);
        chuanp_free(old);
    }
    return q->part_payload.err || q->part_schema.err ? MHD_NO : MHD_YES;
}

static const char *param(const chuanp_http_req *r, const char *name)
{
    const char *v = MHD(lookup_connection_value)(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (v)
        return v;
    request *q = r->param_ctx;
    for (size_t i = 0; i < q->nfields; i++)
        if (q->fields[i][0] && strcmp(q->fields[i][0], name) == 0)
            return q->fields[i][1];
    return NULL;
}

static const char *header(const chuanp_http_req *r, const char *name)
{
    return MHD(lookup_connection_value)(r->conn, MHD_HEADER_KIND, name);
}

static int ct_equal(const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        diff |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return diff == 0;
}

static int authorized(server *s, struct MHD_Connection *c)
{
    if (!s->token)
        return 1;
    const char *h = MHD(lookup_connection_value)(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    return h && strncasecmp(h, "Bearer ", 7) == 0 && ct_equal(h + 7, s->token);
}

static void access_log(server *s, struct MHD_Connection *c, const char *method, const char *url,
                       const char *route, int status, size_t in, size_t out, double secs,
                       const char *verdict)
{
    char addr[INET6_ADDRSTRLEN] = "-";
    const union MHD_ConnectionInfo *ci = MHD(get_connection_info)(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, addr, sizeof addr);
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, addr, sizeof addr);
    }
    char when[32];
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_printf(&b, "{\"time\":\"%s\",\"remote\":\"%s\",\"method\":", when, addr);
    chuanp_buf_json_string(&b, method, strlen(method));
    chuanp_buf_puts(&b, ",\"path\":");
    chuanp_buf_json_string(&b, url, strlen(url));
    chuanp_buf_printf(&b, ",\"route\":\"%s\",\"status\":%d,\"bytes_in\":%zu,\"bytes_out\":%zu,"
                          "\"ms\":%.2f",
                      route, status, in, out, secs * 1000);
    if (verdict)
        chuanp_buf_printf(&b, ",\"verdict\":\"%s\"", verdict);
    chuanp_buf_puts(&b, "}\n");
    if (!b.err) {
        pthread_mutex_lock(&s->log_mu);
        fwrite(b.data, 1, b.len, s->log);
        fflush(s->log);
        pthread_mutex_unlock(&s->log_mu);
    }
    chuanp_buf_free(&b);
}

static int reload(void *ctx)
{
    server *s = ctx;
    chuanp_stdset *fresh = chuanp_stdset_load(s->o->err);
    if (!fresh)
        return -1;
    pthread_mutex_lock(&s->mu);
    chuanp_stdset *old = s->set;
    s->set = fresh;
    pthread_mutex_unlock(&s->mu);
    chuanp_stdset_unref(old); /* freed when its last request ends */
    fprintf(s->o->err, "chuan serve: standards reloaded (%zu)\n", chuanp_stdset_count(fresh));
    return 0;
}

static enum MHD_Result respond(server *s, struct MHD_Connection *c, request *q, const char *method,
                               const char *url, chuanp_http_resp *res, const char *route,
                               const char *verdict)
{
    struct MHD_Response *mr = MHD(create_response_from_buffer_with_free_callback)(
        res->len, res->body ? res->body : (char *)"", res->body ? chuanp_free : NULL);
    if (!mr) {
        chuanp_free(res->body);
        res->body = NULL;
        return MHD_NO;
    }
    res->body = NULL; /* the response owns it now */
    MHD(add_response_header)(mr, MHD_HTTP_HEADER_CONTENT_TYPE, res->type ? res->type : "text/plain");
    MHD(add_response_header)(mr, "X-Content-Type-Options", "nosniff");
    if (res->disposition)
        MHD(add_response_header)(mr, MHD_HTTP_HEADER_CONTENT_DISPOSITION, res->disposition);
    if (res->status == 401)
        MHD(add_response_header)(mr, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer");
    if (strcmp(route, "/") == 0)
        MHD(add_response_header)(mr, "Content-Security-Policy",
                                "default-src 'self'; style-src 'self' 'unsafe-inline'; "
                                "script-src 'self' 'unsafe-inline'");
    enum MHD_Result rc = MHD(queue_response)(c, (unsigned)res->status, mr);
    MHD(destroy_response)(mr);
    double secs = now_s() - (q ? q->t0 : now_s());
    chuanp_metrics_request(route, res->status, secs, q ? q->received : 0, res->len);
    access_log(s, c, method, url, route, res->status, q ? q->received : 0, res->len, secs, verdict);
    return rc;
}

static enum MHD_Result early(server *s, struct MHD_Connection *c, request *q, const char *method,
                             const char *url, int status, const char *title, const char *detail)
{
    chuanp_http_resp res = {0};
    chuanp_problem(&res, status, title, "%s", detail);
    return respond(s, c, q, method, url, &res, "other", NULL);
}

static void judge(server *s, request *q);

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version, const char *upload,
                              size_t *upload_size, void **con_cls)
{
    (void)version;
    server *s = cls;
    request *q = *con_cls;
    if (!q) {
        q = chuanp_calloc(1, sizeof *q);
        if (!q)
            return MHD_NO;
        q->t0 = now_s();
        chuanp_buf_init(&q->body, s->o->max_body);
        chuanp_buf_init(&q->part_payload, s->o->max_body);
        chuanp_buf_init(&q->part_schema, s->o->max_body);
        *con_cls = q;
        atomic_fetch_add(&s->active, 1);
        q->counted = 1;
        const char *cl = MHD(lookup_connection_value)(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
        if (cl) {
            char *end;
            errno = 0;
            unsigned long long n = strtoull(cl, &end, 10);
            if (errno || *end || n > s->o->max_body) {
                q->too_large = 1;
                return early(s, c, q, method, url, 413, "Content Too Large",
                             "the body is larger than this server accepts (--max-body)");
            }
        }
        const char *ct = MHD(lookup_connection_value)(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
        if (ct && strncasecmp(ct, "multipart/form-data", 19) == 0) {
            q->multipart = 1;
            q->pp = MHD(create_post_processor)(c, 64 * 1024, on_part, q);
            if (!q->pp)
                return early(s, c, q, method, url, 400, "Bad Request",
                             "a multipart body needs a boundary");
        }
        return MHD_YES;
    }
    if (*upload_size > 0) {
        q->received += *upload_size;
        if (now_s() - q->t0 > s->o->timeout) {
            q->timed_out = 1;
            return MHD_NO; /* a body that takes longer than the request time: close */
        }
        if (q->received > s->o->max_body) {
            q->too_large = 1;
            return MHD_NO; /* a chunked body past the limit: close the connection */
        }
        if (q->multipart) {
            if (MHD(post_process)(q->pp, upload, *upload_size) != MHD_YES)
                return MHD_NO;
        } else {
            chuanp_buf_append(&q->body, upload, *upload_size);
            if (q->body.err)
                return MHD_NO;
        }
        *upload_size = 0;
        return MHD_YES;
    }
    /* the whole request is in */
    if (q->state == 2) /* judged by a worker, connection resumed: send the answer */
        return respond(s, c, q, method, url, &q->res, q->route, q->verdict);
    if (q->state == 1)
        return MHD_YES; /* resumed without an answer yet (cannot happen): wait */
    pthread_mutex_lock(&s->mu);
    q->set = s->set;
    chuanp_stdset_ref(q->set);
    pthread_mutex_unlock(&s->mu);
    q->conn = c;
    q->method = method;
    q->url = url;
    q->authorized = authorized(s, c);
    if (strcmp(method, "POST") == 0 && s->nworkers > 0) {
        /* validation and conversion: to the workers, in arrival order */
        q->state = 1;
        MHD(suspend_connection)(c);
        pthread_mutex_lock(&s->q_mu);
        if (s->q_tail)
            s->q_tail->next = q;
        else
            s->q_head = q;
        s->q_tail = q;
        pthread_cond_signal(&s->q_cv);
        pthread_mutex_unlock(&s->q_mu);
        return MHD_YES;
    }
    judge(s, q);
    return respond(s, c, q, method, url, &q->res, q->route, q->verdict);
}

/* Route a complete request into q->res (a polling thread for GETs, a worker for POSTs). */
static void judge(server *s, request *q)
{
    struct MHD_Connection *c = q->conn;
    chuanp_http_req r = {.conn = c, .method = q->method, .url = q->url, .param = param,
                         .header = header, .param_ctx = q,
                         .set = q->set, .authorized = q->authorized,
                         .token_configured = s->token != NULL, .route = "other",
                         .reload = reload, .reload_ctx = s};
    if (q->multipart) {
        r.body = q->part_payload.data ? q->part_payload.data : "";
        r.body_len = q->part_payload.len;
        r.body_type = q->part_type;
        r.body_name = q->part_name;
        if (q->part_schema.len) {
            r.schema = q->part_schema.data;
            r.schema_len = q->part_schema.len;
        }
    } else {
        r.body = q->body.data ? q->body.data : "";
        r.body_len = q->body.len;
        r.body_type = MHD(lookup_connection_value)(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
    }
    memset(&q->res, 0, sizeof q->res);
    chuanp_route(&r, &q->res);
    q->route = r.route;
    q->verdict = r.verdict;
}

static void *worker(void *arg)
{
    server *s = arg;
    for (;;) {
        pthread_mutex_lock(&s->q_mu);
        while (!s->q_head && !s->q_stop)
            pthread_cond_wait(&s->q_cv, &s->q_mu);
        request *q = s->q_head;
        if (q) {
            s->q_head = q->next;
            if (!s->q_head)
                s->q_tail = NULL;
            q->next = NULL;
        }
        pthread_mutex_unlock(&s->q_mu);
        if (!q)
            return NULL; /* stopping, and nothing left */
        judge(s, q);
        q->state = 2;
        MHD(resume_connection)(q->conn);
    }
}

static int workers_start(server *s, unsigned n)
{
    pthread_mutex_init(&s->q_mu, NULL);
    pthread_cond_init(&s->q_cv, NULL);
    s->workers = chuanp_calloc(n, sizeof *s->workers);
    if (!s->workers)
        return -1;
    for (; s->nworkers < n; s->nworkers++)
        if (pthread_create(&s->workers[s->nworkers], NULL, worker, s) != 0)
            return s->nworkers ? 0 : -1;
    return 0;
}

/* After the daemon stopped taking connections: the queue is drained, then the workers end. */
static void workers_stop(server *s)
{
    pthread_mutex_lock(&s->q_mu);
    s->q_stop = 1;
    pthread_cond_broadcast(&s->q_cv);
    pthread_mutex_unlock(&s->q_mu);
    for (unsigned i = 0; i < s->nworkers; i++)
        pthread_join(s->workers[i], NULL);
    chuanp_free(s->workers);
    pthread_mutex_destroy(&s->q_mu);
    pthread_cond_destroy(&s->q_cv);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)c, (void)toe;
    server *s = cls;
    request *q = *con_cls;
    if (q && q->counted)
        atomic_fetch_sub(&s->active, 1);
    request_free(q);
    *con_cls = NULL;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls, (void)fmt, (void)ap; /* malformed requests are answered, not logged twice */
}

static int parse_listen(const char *spec, struct sockaddr_storage *ss, socklen_t *len)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || (size_t)(colon - spec) >= sizeof host)
        return -1;
    memcpy(host, spec, (size_t)(colon - spec));
    host[colon - spec] = '\0';
    long port;
    if (chuanp_parse_long(colon + 1, 0, 65535, &port) < 0)
        return -1;
    memset(ss, 0, sizeof *ss);
    char *h = host;
    size_t hl = strlen(h);
    if (hl >= 2 && h[0] == '[' && h[hl - 1] == ']') {
        h[hl - 1] = '\0';
        h++;
    }
    struct sockaddr_in *a4 = (struct sockaddr_in *)ss;
    struct sockaddr_in6 *a6 = (struct sockaddr_in6 *)ss;
    if (inet_pton(AF_INET, h, &a4->sin_addr) == 1) {
        a4->sin_family = AF_INET;
        a4->sin_port = htons((uint16_t)port);
        *len = sizeof *a4;
    } else if (inet_pton(AF_INET6, h, &a6->sin6_addr) == 1) {
        a6->sin6_family = AF_INET6;
        a6->sin6_port = htons((uint16_t)port);
        *len = sizeof *a6;
    } else {
        return -1;
    }
    return 0;
}

static char *read_token(const char *path, FILE *err)
{
    chuanp_input in = {.name = path, .path = path};
    char *data = NULL, *msg = NULL;
    size_t len = 0;
    if (chuanp_read_all(&in, 1 << 20, &data, &len, &msg) < 0) {
        fprintf(err, "chuan serve: --token-file: %s\n", msg ? msg : "cannot read it");
        chuanp_free(msg);
        return NULL;
    }
    while (len && (data[len - 1] == '\n' || data[len - 1] == '\r' || data[len - 1] == ' '))
        data[--len] = '\0';
    if (len < 16) {
        fprintf(err, "chuan serve: --token-file: the token must have at least 16 characters\n");
        chuanp_free(data);
        return NULL;
    }
    return data;
}

int chuanp_serve_run(const chuanp_serve_opts *o)
{
    server s = {.o = o, .log = stderr};
    struct sockaddr_storage ss;
    socklen_t sslen = 0;
    if (chuanp_dynlib_load(&mhd_lib) < 0) {
        fprintf(o->err, _("chuan serve: cannot load %s (%s): the service needs libmicrohttpd "
                          "(Debian package %s)\n"),
                CHUAN_MHD_SONAME, chuanp_dynlib_error(&mhd_lib), CHUAN_MHD_PACKAGE);
        return 2;
    }
    if (parse_listen(o->listen, &ss, &sslen) < 0) {
        fprintf(o->err, "chuan serve: --listen %s: give HOST:PORT (an address, e.g. 127.0.0.1:8080)\n",
                o->listen);
        return 2;
    }
    if (o->token_file && !(s.token = read_token(o->token_file, o->err)))
        return 2;
    if (o->access_log && strcmp(o->access_log, "-") != 0 && !(s.log = fopen(o->access_log, "a"))) {
        fprintf(o->err, "chuan serve: --access-log %s: %s\n", o->access_log, chuanp_strerror(errno));
        chuanp_free(s.token);
        return 2;
    }
    /* idle clients hold descriptors: raise the soft limit to the hard one */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
    }
    pthread_mutex_init(&s.mu, NULL);
    pthread_mutex_init(&s.log_mu, NULL);
    s.set = chuanp_stdset_load(o->err);
    if (!s.set) {
        fprintf(o->err, "chuan serve: out of memory loading the standards\n");
        return 2;
    }
    /* signals are taken by sigwait below; every server thread inherits the mask */
    sigset_t sigs, old;
    sigemptyset(&sigs);
    sigaddset(&sigs, SIGINT);
    sigaddset(&sigs, SIGTERM);
    sigaddset(&sigs, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &sigs, &old);
    /* signals are blocked in the workers too (sigwait below takes them) */
    if (workers_start(&s, o->threads) < 0) {
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        fprintf(o->err, "chuan serve: cannot start worker threads\n");
        chuanp_stdset_unref(s.set);
        chuanp_free(s.token);
        return 2;
    }
    struct MHD_Daemon *d = MHD(start_daemon)(
        MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ERROR_LOG |
            MHD_ALLOW_SUSPEND_RESUME |
            (ss.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0),
        0, NULL, NULL, handle, &s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
        MHD_OPTION_THREAD_POOL_SIZE, o->threads,
        MHD_OPTION_CONNECTION_LIMIT, o->max_connections,
        MHD_OPTION_CONNECTION_TIMEOUT, o->timeout,
        MHD_OPTION_CONNECTION_MEMORY_LIMIT, o->max_header,
        MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL,
        MHD_OPTION_END);
    if (!d) {
        int e = errno;
        workers_stop(&s);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        fprintf(o->err, "chuan serve: cannot listen on %s: %s\n", o->listen, chuanp_strerror(e));
        chuanp_stdset_unref(s.set);
        chuanp_free(s.token);
        return 2;
    }
    const union MHD_DaemonInfo *di = MHD(get_daemon_info)(d, MHD_DAEMON_INFO_BIND_PORT);
    unsigned port = di ? di->port : 0;
    fprintf(o->err, "chuan serve: listening on %.*s:%u (%zu standards, %u threads)%s\n",
            (int)(strrchr(o->listen, ':') - o->listen), o->listen, port, chuanp_stdset_count(s.set),
            o->threads, s.token ? ", token required" : "");
    if (o->port_file) {
        FILE *pf = fopen(o->port_file, "w");
        if (pf) {
            fprintf(pf, "%u\n", port);
            fclose(pf);
        }
    }
    for (;;) {
        int sig = 0;
        if (sigwait(&sigs, &sig) != 0)
            continue;
        if (sig == SIGHUP) {
            reload(&s);
            continue;
        }
        break;
    }
    fprintf(o->err, "chuan serve: stopping: no new connections; %d requests in flight\n",
            atomic_load(&s.active));
    MHD(quiesce_daemon)(d);
    for (int i = 0; i < 300 && atomic_load(&s.active) > 0; i++) /* up to 30 s */
        usleep(100 * 1000);
    workers_stop(&s); /* every queued request judged and resumed */
    MHD(stop_daemon)(d);
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    chuanp_stdset_unref(s.set);
    chuanp_free(s.token);
    if (s.log != stderr)
        fclose(s.log);
    fprintf(o->err, "chuan serve: stopped\n");
    return 0;
}
