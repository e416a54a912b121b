/* validator/api.c - the public API of libchuan for validating
 * (include/chuan.h): thin handles over the engines the verbs use
 * (validator/engine.c, validator/validate_one.c), so a C program, the
 * Python binding and the CLI run the same code. Converting: validator/api_convert.c. */
#include "validator.h"
#include "standard.h"
#include "../converters/input.h"

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

/* text_reads_files: a JSON Schema in memory may $ref files of the working directory (the
 * API's contract), or nothing local (a schema uploaded to the service). */
static chuan_validator *validator_new(const chuan_validator_opts *opts, chuan_diags *errors,
                                      int text_reads_files)
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
    if (((schema || opts->schema_text) ? 1 : 0) + (opts->standard ? 1 : 0) > 1) {
        api_error(errors, "usage", "give a schema or a standard, not both%s", NULL);
        goto fail;
    }
    if (schema || opts->schema_text) {
        if (opts->schema_type) {
            int t = chuanp_schema_type_parse(opts->schema_type);
            if (t < 0) {
                api_error(errors, "usage", "unknown schema type '%s'", opts->schema_type);
                goto fail;
            }
            eo.type = (chuanp_schema_type)t;
        } else if (opts->schema_text) {
            eo.type = chuanp_schema_type_sniff(opts->schema_text, opts->schema_len);
        } else {
            eo.type = chuanp_schema_type_guess(schema);
        }
        if (eo.type == CHUANP_SCHEMA_NONE) {
            api_error(errors, "usage", "cannot tell the kind of schema %s",
                      opts->schema_text ? CHUANP_SCHEMA_TEXT_NAME : schema);
            goto fail;
        }
        if (opts->schema_text && (eo.type == CHUANP_SCHEMA_JSONSCHEMA ||
                                  eo.type == CHUANP_SCHEMA_XSD || eo.type == CHUANP_SCHEMA_RNG)) {
            /* compiled from memory (validator/jsonschema_engine.c, xml_engine.c) */
            eo.schema_text = opts->schema_text;
            eo.schema_len = opts->schema_len;
            eo.schema_text_reads_files = text_reads_files;
        } else if (opts->schema_text) {
            /* Schematron and Table Schema read their schema by path */
            v->schema_fd = spool(opts->schema_text, opts->schema_len, &v->schema_copy_path);
            if (v->schema_fd < 0) {
                api_error(errors, "io.write", "cannot copy the schema: %s", chuanp_strerror(errno));
                goto fail;
            }
            eo.schema_path = v->schema_copy_path;
        } else {
            eo.schema_path = schema;
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

chuan_validator *chuan_validator_new(const chuan_validator_opts *opts, chuan_diags *errors)
{
    return validator_new(opts, errors, 1);
}

chuan_validator *chuanp_validator_new_uploaded(const chuan_validator_opts *opts,
                                               chuan_diags *errors)
{
    return validator_new(opts, errors, 0);
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

/* Check one input with the validator's engine (format NULL: sniffed), after
 * what auto-selection found about it (choice, may be NULL). */
static int check_choice(const chuan_validator *v, const char *name, const char *path,
                        const char *format, chuanp_std_choice *choice, chuan_file_result *res)
{
    chuan_file_result_init(res, name);
    res->diags.max = v->max_errors;
    if (choice && chuanp_result_take_choice(res, choice, name) < 0)
        res->diags.oom = 1;
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

static int check(const chuan_validator *v, const char *name, const char *path, const char *format,
                 chuan_file_result *res)
{
    return check_choice(v, name, path, format, NULL, res);
}

/* The service reads a payload from its own spooled copy but reports it
 * under the name the client gave. */
int chuanp_validator_check(const chuan_validator *v, const char *name, const char *path,
                           const char *format, chuanp_std_choice *choice, chuan_file_result *res)
{
    return check_choice(v, name, path, format, choice, res);
}

/* Spool what read_some returns to a temporary file and check it under `name`. */
static int check_spooled(const chuan_validator *v, const char *name, chuan_read_fn read_some,
                         void *ctx, const char *format, chuan_file_result *res)
{
    int fd = chuanp_spool_tmpfile();
    char buf[65536];
    long n;
    int bad = fd < 0;
    errno = 0;
    while (!bad && (n = read_some(ctx, buf, sizeof buf)) != 0) {
        if (n < 0 && errno == EINTR)
            continue;
        bad = n < 0 || write(fd, buf, (size_t)n) != n;
    }
    int err = errno;
    char *p = bad ? NULL : chuanp_asprintf("/dev/fd/%d", fd);
    int rc;
    if (!p) {
        chuan_file_result_init(res, name);
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = name, .offset = -1};
        chuan_diags_addf(&res->diags, &g, "cannot read %s: %s", name, chuanp_strerror(err ? err : EIO));
        res->status = CHUAN_STATUS_FAILED;
        rc = -1;
    } else {
        rc = check(v, name, p, format, res);
    }
    chuanp_free(p);
    if (fd >= 0)
        close(fd);
    return rc;
}

static long read_fd0(void *ctx, void *buf, size_t size)
{
    (void)ctx;
    return (long)read(0, buf, size);
}

static long read_fp(void *ctx, void *buf, size_t size)
{
    FILE *fp = ctx;
    size_t n = fread(buf, 1, size, fp);
    return n == 0 && ferror(fp) ? -1 : (long)n;
}

int chuan_validate_file(const chuan_validator *v, const char *path, const char *format,
                        chuan_file_result *res)
{
    if (!v || !path || !res)
        return -1;
    if (strcmp(path, "-") == 0)
        return check_spooled(v, "-", read_fd0, NULL, format, res);
    return check(v, path, path, format, res);
}

int chuan_validate_stream(const chuan_validator *v, const char *name, FILE *fp, const char *format,
                          chuan_file_result *res)
{
    if (!v || !fp || !res)
        return -1;
    return check_spooled(v, name ? name : "<stream>", read_fp, fp, format, res);
}

int chuan_validate_read(const chuan_validator *v, const char *name, chuan_read_fn read_cb,
                        void *read_ctx, const char *format, chuan_file_result *res)
{
    if (!v || !read_cb || !res)
        return -1;
    return check_spooled(v, name ? name : "<stream>", read_cb, read_ctx, format, res);
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
        chuan_diags_addf(&res->diags, &g, "cannot copy the payload: %s", chuanp_strerror(errno));
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    int rc = check(v, name, path, format, res);
    chuanp_free(path);
    close(fd);
    return rc;
}

