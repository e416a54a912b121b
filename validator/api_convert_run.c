/* validator/api_convert_run.c - chuan_convert: one job of the public API on the
 * one conversion engine `chuan convert` runs (chuanp_batch_convert_one,
 * converters/batch_run.h) with the two sinks as its shared output, so the API
 * writes the bytes the CLI writes. */
#define _GNU_SOURCE /* fopencookie */
#include "api_convert.h"
#include "batch_check.h"

#include "../converters/convert.h"

#include <errno.h>
#include <string.h>
#include <unistd.h>

/* ------------------------------------------------------------ streams */

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

static FILE *sink_open(sink_cookie *sc)
{
    cookie_io_functions_t io = {.write = sink_write};
    return fopencookie(sc, "w", io);
}

typedef struct read_cookie {
    chuan_read_fn fn;
    void *ctx;
} read_cookie;

static ssize_t read_read(void *cookie, char *buf, size_t size)
{
    read_cookie *r = cookie;
    long n = r->fn(r->ctx, buf, size);
    if (n < 0 && !errno)
        errno = EIO;
    return n < 0 ? -1 : (ssize_t)n;
}

/* The job's input as one stream (NULL: a path the engine opens), and what closes it. */
typedef struct api_input {
    FILE *fp;
    int own;
    read_cookie rc;
} api_input;

static int input_open(api_input *in, const chuan_convert_job *job)
{
    memset(in, 0, sizeof *in);
    int given = !!job->path + !!job->data + !!job->fp + !!job->read;
    if (given != 1)
        return -1;
    if (job->path && (!job->name || strcmp(job->name, job->path) == 0)) {
        return 0; /* the engine opens it (a DBF's memo file beside it is found) */
    } else if (job->path) {
        if (strcmp(job->path, "-") == 0) {
            in->fp = stdin;
            return 0;
        }
        in->fp = fopen(job->path, "rb");
        in->own = 1;
    } else if (job->fp) {
        in->fp = job->fp;
    } else if (job->read) {
        in->rc = (read_cookie){job->read, job->read_ctx};
        cookie_io_functions_t io = {.read = read_read};
        in->fp = fopencookie(&in->rc, "r", io);
        in->own = 1;
    } else {
        /* fmemopen refuses a size of 0: an empty input is an empty stream */
        in->fp = job->len ? fmemopen((void *)job->data, job->len, "r") : fopen("/dev/null", "rb");
        in->own = 1;
    }
    return in->fp ? 0 : -1;
}

static void input_close(api_input *in)
{
    if (in->own && in->fp)
        fclose(in->fp);
    in->fp = NULL;
}

/* `chuan convert -s ID --rejects F` on one input: the conversion engine with the
 * output and the rejects as its shared output. */
static int convert_batch(const chuan_converter *c, chuan_convert_job *job, FILE *src, FILE *out,
                         FILE *rej, chuan_diags *diags)
{
    chuanp_batch_check hook;
    chuanp_batch_opts b;
    memset(&b, 0, sizeof b);
    b.o = c->o;
    b.hints = c->o.hints;
    b.forms = c->o.forms;
    if (c->check) {
        chuanp_record_check_batch(c->check, &hook);
        b.check = &hook;
    }
    b.jobs = c->jobs;
    b.output = "the output sink";
    b.rejects = "the rejects sink";
    chuanp_batch_file f;
    memset(&f, 0, sizeof f);
    f.in = job->name;
    f.src = src;
    f.first_line = job->first_line;
    f.records_before = job->records_before;
    int rc = chuanp_batch_convert_one(&b, &f, out, rej, diags);
    job->records = f.records;
    job->written = f.written;
    job->rejected = f.rejected;
    return rc == 2 ? -1 : rc;
}

int chuan_convert(const chuan_converter *c, chuan_convert_job *job, chuan_diags *diags)
{
    if (!c || !job || !job->out || !diags)
        return -1;
    job->records = job->written = job->rejected = 0;
    const char *name = job->name ? job->name : job->path ? job->path : "<stream>";
    chuan_convert_job j = *job;
    j.name = name;
    api_input in;
    memset(&in, 0, sizeof in);
    if (input_open(&in, &j) < 0) {
        chuanp_convert_error(diags, "io.open", name, 0, 0, NULL, "cannot open %s: %s", name,
                             chuanp_strerror(errno ? errno : EINVAL));
        return -1;
    }
    sink_cookie so = {.fn = j.out, .ctx = j.out_ctx}, sr = {.fn = j.rejects, .ctx = j.rejects_ctx};
    FILE *out = sink_open(&so);
    FILE *rej = j.rejects ? sink_open(&sr) : NULL;
    int rc = -1;
    if (!out || (j.rejects && !rej)) {
        chuanp_convert_error(diags, "io.memory", name, 0, 0, NULL, "out of memory");
        goto done;
    }
    rc = convert_batch(c, &j, in.fp, out, rej, diags);
done:
    if (out && fclose(out) != 0 && rc >= 0)
        rc = -1;
    if (rej && fclose(rej) != 0 && rc >= 0)
        rc = -1;
    if (so.failed || sr.failed) {
        chuanp_convert_error(diags, "io.write", name, 0, 0, NULL, "the sink refused the output");
        rc = -1;
    }
    input_close(&in);
    if (rc >= 0 && chuanp_alloc_failures() > 0) {
        chuanp_convert_error(diags, "io.memory", name, 0, 0, NULL,
                             "out of memory: the conversion is incomplete");
        rc = -1;
    }
    if (rc >= 0 && diags->errors > 0)
        rc = 1;
    job->records = j.records;
    job->written = j.written;
    job->rejected = j.rejected;
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}
