/* validator/api.c - the public API of libchuan for validating and
 * converting (include/chuan.h): thin handles over the engines the verbs
 * use (validator/engine.c, validator/validate_one.c, converters/convert.c),
 * so a C program, the Python binding and the CLI run the same code. */
#define _GNU_SOURCE /* fopencookie */
#include "schema_hints.h"
#include "validator.h"
#include "../converters/convert.h"
#include "../converters/convert_input.h"
#include "../converters/validate_input.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

struct chuan_validator {
    chuanp_engine *engine;
    char *schema_copy_path; /* "/dev/fd/N" of a schema given in memory */
    int schema_fd;
    size_t max_errors;
};

struct chuan_converter {
    chuanp_convert_opts o;
    chuanp_hints_holder *hints;
    char *record;
};

void chuan_free(void *p)
{
    chuanp_free(p);
}

static void api_error(chuan_diags *errors, const char *code, const char *fmt, const char *arg)
{
    if (!errors)
        return;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .offset = -1};
    chuan_diags_addf(errors, &g, fmt, arg ? arg : "");
}

/* Copy data[0..len) into an unlinked temporary file: the engines read
 * inputs by path (the same file-based readers the CLI uses). */
static int spool(const void *data, size_t len, char **path)
{
    int fd = chuanp_spool_tmpfile();
    if (fd < 0)
        return -1;
    const char *p = data;
    while (len > 0) {
        ssize_t w = write(fd, p, len);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            close(fd);
            return -1;
        }
        p += w;
        len -= (size_t)w;
    }
    *path = chuanp_asprintf("/dev/fd/%d", fd);
    if (!*path) {
        close(fd);
        return -1;
    }
    return fd;
}

chuan_validator *chuan_validator_new(const chuan_validator_opts *opts, chuan_diags *errors)
{
    chuanp_init();
    chuan_validator_opts none;
    memset(&none, 0, sizeof none);
    if (!opts)
        opts = &none;
    chuan_validator *v = chuanp_calloc(1, sizeof *v);
    if (!v) {
        api_error(errors, "io.memory", "out of memory%s", NULL);
        return NULL;
    }
    v->schema_fd = -1;
    v->max_errors = opts->max_errors ? opts->max_errors : 1000;
    chuanp_engine_opts eo;
    memset(&eo, 0, sizeof eo);
    eo.draft = opts->draft;
    eo.as_of = opts->as_of;
    eo.assert_formats = opts->assert_formats;
    eo.max_errors = v->max_errors;
    const char *schema = opts->schema;
    if (opts->schema_text) {
        v->schema_fd = spool(opts->schema_text, opts->schema_len, &v->schema_copy_path);
        if (v->schema_fd < 0) {
            api_error(errors, "io.write", "cannot copy the schema: %s", strerror(errno));
            goto fail;
        }
        schema = v->schema_copy_path;
    }
    if ((schema ? 1 : 0) + (opts->standard ? 1 : 0) > 1) {
        api_error(errors, "usage", "give a schema or a standard, not both%s", NULL);
        goto fail;
    }
    if (schema) {
        eo.schema_path = schema;
        if (opts->schema_type) {
            int t = chuanp_schema_type_parse(opts->schema_type);
            if (t < 0) {
                api_error(errors, "usage", "unknown schema type '%s'", opts->schema_type);
                goto fail;
            }
            eo.type = (chuanp_schema_type)t;
        } else {
            eo.type = chuanp_schema_type_guess(schema);
        }
        if (eo.type == CHUANP_SCHEMA_NONE) {
            api_error(errors, "usage", "cannot tell the kind of schema %s", opts->schema);
            goto fail;
        }
    } else if (opts->standard) {
        eo.standard = opts->standard;
        eo.type = CHUANP_SCHEMA_STANDARD;
    }
    chuan_diags d;
    chuan_diags_init(&d, 0);
    if (chuanp_engine_compile(&v->engine, &eo, &d) < 0 || !v->engine) {
        if (d.count == 0)
            api_error(errors, "schema.compile", "cannot compile the schema%s", NULL);
        if (errors)
            chuan_diags_move(errors, &d);
        chuan_diags_clear(&d);
        goto fail;
    }
    chuan_diags_clear(&d);
    return v;
fail:
    chuan_validator_free(v);
    return NULL;
}

void chuan_validator_free(chuan_validator *v)
{
    if (!v)
        return;
    chuanp_engine_free(v->engine);
    if (v->schema_fd >= 0)
        close(v->schema_fd);
    chuanp_free(v->schema_copy_path);
    chuanp_free(v);
}

static int parse_format(const char *name, chuanp_format *out)
{
    *out = CHUANP_FMT_AUTO;
    if (!name || !*name || strcmp(name, "auto") == 0)
        return 0;
    int f = chuanp_format_parse(name);
    if (f < 0)
        return -1;
    *out = (chuanp_format)f;
    return 0;
}

int chuanp_validator_check(const chuan_validator *v, const char *name, const char *path,
                           const char *format, chuan_file_result *res);

/* Check one input with the validator's engine (format NULL: sniffed). */
static int check(const chuan_validator *v, const char *name, const char *path, const char *format,
                 chuan_file_result *res)
{
    chuan_file_result_init(res, name);
    res->diags.max = v->max_errors;
    chuanp_format fmt;
    if (parse_format(format, &fmt) < 0) {
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "usage", .file = name, .offset = -1};
        chuan_diags_addf(&res->diags, &g, "unknown format '%s'", format);
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    int rc = chuanp_validate_one(v->engine, name, path, fmt, NULL, 1, res, NULL);
    if (chuanp_alloc_failures() > 0 && rc >= 0) {
        /* an allocation failed somewhere: the verdict cannot be trusted */
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.memory", .file = name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &g, "out of memory: %s was not checked completely", name);
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    /* well-formed only (a validator without schema or standard) is not invalid */
    return rc < 0 ? -1 : res->status == CHUAN_STATUS_VALID || res->status == CHUAN_STATUS_WELLFORMED ? 0 : 1;
}

/* The service reads a payload from its own spooled copy but reports it
 * under the name the client gave. */
int chuanp_validator_check(const chuan_validator *v, const char *name, const char *path,
                           const char *format, chuan_file_result *res)
{
    return check(v, name, path, format, res);
}

int chuan_validate_file(const chuan_validator *v, const char *path, const char *format,
                        chuan_file_result *res)
{
    if (!v || !path || !res)
        return -1;
    if (strcmp(path, "-") == 0) {
        int fd = chuanp_spool_tmpfile();
        char buf[65536];
        ssize_t n;
        int bad = fd < 0;
        while (!bad && (n = read(0, buf, sizeof buf)) != 0) {
            if (n < 0 && errno == EINTR)
                continue;
            bad = n < 0 || write(fd, buf, (size_t)n) != n;
        }
        char *p = bad ? NULL : chuanp_asprintf("/dev/fd/%d", fd);
        int rc;
        if (!p) {
            chuan_file_result_init(res, "-");
            chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = "-",
                            .offset = -1};
            chuan_diags_addf(&res->diags, &g, "cannot read standard input: %s", strerror(errno));
            res->status = CHUAN_STATUS_FAILED;
            rc = -1;
        } else {
            rc = check(v, "-", p, format, res);
        }
        chuanp_free(p);
        if (fd >= 0)
            close(fd);
        return rc;
    }
    return check(v, path, path, format, res);
}

int chuan_validate_buffer(const chuan_validator *v, const char *name, const void *data, size_t len,
                          const char *format, chuan_file_result *res)
{
    if (!v || !res || (!data && len))
        return -1;
    if (!name)
        name = "<buffer>";
    char *path = NULL;
    int fd = spool(data ? data : "", len, &path);
    if (fd < 0) {
        chuan_file_result_init(res, name);
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.write", .file = name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &g, "cannot copy the payload: %s", strerror(errno));
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    int rc = check(v, name, path, format, res);
    chuanp_free(path);
    close(fd);
    return rc;
}

/* ---------------------------------------------------------------- convert */

chuan_converter *chuan_converter_new(const chuan_converter_opts *opts, chuan_diags *errors)
{
    chuanp_init();
    if (!opts || !opts->to) {
        api_error(errors, "usage", "a target format (to) is required%s", NULL);
        return NULL;
    }
    chuan_converter *c = chuanp_calloc(1, sizeof *c);
    if (!c) {
        api_error(errors, "io.memory", "out of memory%s", NULL);
        return NULL;
    }
    c->o.csv.header = 1;
    c->o.csv.quote = '"';
    c->o.indent = opts->indent;
    if (parse_format(opts->from, &c->o.from) < 0) {
        api_error(errors, "usage", "unknown format '%s'", opts->from);
        goto fail;
    }
    if (parse_format(opts->to, &c->o.to) < 0 || c->o.to == CHUANP_FMT_AUTO) {
        api_error(errors, "usage", "unknown target format '%s'", opts->to);
        goto fail;
    }
    const char *m = opts->mapping;
    if (!m || strcmp(m, "simple") == 0)
        c->o.mapping = CHUANP_MAP_SIMPLE;
    else if (strcmp(m, "jsonml") == 0)
        c->o.mapping = CHUANP_MAP_JSONML;
    else if (strcmp(m, "w3c") == 0)
        c->o.mapping = CHUANP_MAP_W3C;
    else {
        api_error(errors, "usage", "unknown mapping '%s'", m);
        goto fail;
    }
    if (opts->record) {
        c->record = chuanp_strdup(opts->record);
        if (!c->record) {
            api_error(errors, "io.memory", "out of memory%s", NULL);
            goto fail;
        }
        c->o.record_path = c->record;
    }
    if (opts->schema) {
        chuan_diags d;
        chuan_diags_init(&d, 20);
        int rc = chuanp_hints_load(&c->hints, opts->schema, c->o.record_path, &d);
        if (errors)
            chuan_diags_move(errors, &d);
        chuan_diags_clear(&d);
        if (rc < 0)
            goto fail;
        c->o.hints = chuanp_hints_get(c->hints);
    }
    return c;
fail:
    chuan_converter_free(c);
    return NULL;
}

void chuan_converter_free(chuan_converter *c)
{
    if (!c)
        return;
    chuanp_hints_free(c->hints);
    chuanp_free(c->record);
    chuanp_free(c);
}

typedef struct sink_cookie {
    chuan_sink_fn fn;
    void *ctx;
    int failed;
} sink_cookie;

static ssize_t sink_write(void *cookie, const char *buf, size_t len)
{
    sink_cookie *s = cookie;
    if (s->failed || s->fn(s->ctx, buf, len) != 0) {
        s->failed = 1;
        errno = EIO;
        return -1;
    }
    return (ssize_t)len;
}

static int convert_path(const chuan_converter *c, const char *name, const char *path,
                        chuan_sink_fn fn, void *ctx, chuan_diags *diags)
{
    cv_input input;
    memset(&input, 0, sizeof input);
    int irc = chuanp_cv_input_open(&input, path, c->o.from, NULL, diags);
    if (irc != 0)
        return irc > 0 ? 1 : -1;
    sink_cookie sc = {.fn = fn, .ctx = ctx};
    cookie_io_functions_t io = {.write = sink_write};
    FILE *out = fopencookie(&sc, "w", io);
    if (!out) {
        chuanp_cv_input_close(&input);
        chuanp_convert_error(diags, "io.memory", name, 0, 0, NULL, "out of memory");
        return -1;
    }
    chuanp_convert_opts o = c->o;
    o.file = name;
    o.from = input.format;
    chuanp_convert_stats st;
    memset(&st, 0, sizeof st);
    int rc = chuanp_convert_stream(input.fp, out, &o, &st, diags);
    if (fclose(out) != 0 || sc.failed) {
        chuanp_convert_error(diags, "io.write", name, 0, 0, NULL, "the sink refused the output");
        rc = -1;
    }
    chuanp_cv_input_close(&input);
    if (rc >= 0 && chuanp_alloc_failures() > 0) {
        chuanp_convert_error(diags, "io.memory", name, 0, 0, NULL,
                             "out of memory: the conversion is incomplete");
        rc = -1;
    }
    if (rc >= 0 && diags->errors > 0)
        rc = 1;
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

int chuan_convert_file(const chuan_converter *c, const char *path, chuan_sink_fn sink, void *ctx,
                       chuan_diags *diags)
{
    if (!c || !path || !sink || !diags)
        return -1;
    return convert_path(c, path, path, sink, ctx, diags);
}

int chuan_convert_buffer(const chuan_converter *c, const char *name, const void *data, size_t len,
                         chuan_sink_fn sink, void *ctx, chuan_diags *diags)
{
    if (!c || !sink || !diags || (!data && len))
        return -1;
    if (!name)
        name = "<buffer>";
    char *path = NULL;
    int fd = spool(data ? data : "", len, &path);
    if (fd < 0) {
        chuanp_convert_error(diags, "io.write", name, 0, 0, NULL, "cannot copy the payload");
        return -1;
    }
    int rc = convert_path(c, name, path, sink, ctx, diags);
    chuanp_free(path);
    close(fd);
    return rc;
}
