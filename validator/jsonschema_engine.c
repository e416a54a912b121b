/* validator/jsonschema_engine.c - the CHUANP_SCHEMA_JSONSCHEMA engine: JSON
 * documents and NDJSON streams checked against a compiled JSON Schema.
 *
 * NDJSON is read in line-aligned blocks (constant memory); with more than one
 * job the blocks of a batch are parsed and validated by worker threads and
 * their diagnostics are appended in input order. */
#include "jsonschema_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SIZE (256u << 10)
#define MAX_LINE (256u << 20)
#define MAX_DOCUMENT ((size_t)2 << 30)

typedef struct js_engine {
    chuanp_engine base;
    chuanp_jsonschema *owned;
    const chuanp_jsonschema *schema;
    int jobs;
    pthread_mutex_t mu;           /* guards the pool of validation states */
    chuanp_jsonschema_vstate **pool;
    size_t npool, cappool;
} js_engine;

static chuanp_jsonschema_vstate *state_get(js_engine *e)
{
    chuanp_jsonschema_vstate *st = NULL;
    pthread_mutex_lock(&e->mu);
    if (e->npool)
        st = e->pool[--e->npool];
    pthread_mutex_unlock(&e->mu);
    return st ? st : chuanp_jsonschema_vstate_new(e->schema);
}

static void state_put(js_engine *e, chuanp_jsonschema_vstate *st)
{
    if (!st)
        return;
    pthread_mutex_lock(&e->mu);
    if (e->npool == e->cappool) {
        size_t nc = e->cappool ? e->cappool * 2 : 8;
        chuanp_jsonschema_vstate **np = realloc(e->pool, nc * sizeof *np);
        if (np) {
            e->pool = np;
            e->cappool = nc;
        }
    }
    if (e->npool < e->cappool) {
        e->pool[e->npool++] = st;
        st = NULL;
    }
    pthread_mutex_unlock(&e->mu);
    chuanp_jsonschema_vstate_free(st);
}

static void internal_error(chuan_file_result *res, const char *file, const char *msg)
{
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = file, .offset = -1};
    chuan_diags_addf(&res->diags, &d, "%s", msg);
}

/* ------------------------------------------------------------ JSON */
static int check_json(js_engine *e, const chuanp_input *in, chuan_file_result *res)
{
    char *data = NULL, *msg = NULL;
    size_t len = 0;
    int rc = -1;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 256 * 1024);
    chuanp_jsonschema_vstate *st = NULL;
    if (chuanp_read_all(in, MAX_DOCUMENT, &data, &len, &msg) < 0) {
        internal_error(res, in->name, msg ? msg : "cannot read the input");
        goto out;
    }
    chuanp_json_opts jo = {.allow_bom = 1, .file = in->name};
    chuanp_jv *root = NULL;
    int pr = chuanp_json_parse(&root, data, len, &jo, &arena, &res->diags);
    if (pr < 0)
        goto out;
    if (pr > 0 && !root) {
        rc = 1;
        goto out;
    }
    st = state_get(e);
    if (!st)
        goto out;
    rc = chuanp_jsonschema_validate(e->schema, st, root, in->name, &res->diags);
    if (rc == 0 && pr > 0)
        rc = 1; /* duplicate keys */
    res->records = 1;
out:
    state_put(e, st);
    chuanp_arena_free(&arena);
    free(data);
    free(msg);
    return rc;
}

/* ------------------------------------------------------------ NDJSON */
typedef struct block {
    char *data;
    size_t len, cap;
    long first_line;         /* line number of the block's first byte */
    long long offset;        /* byte offset of the block */
    chuan_diags diags;
    long records;
    int invalid;
    int failed;              /* internal error */
    char pad[64];            /* keep neighbours' hot fields apart */
} block;

typedef struct ndjson_run {
    js_engine *e;
    const char *file;
    block *blocks;
    size_t nblocks;
    size_t max_errors;
} ndjson_run;

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

static void block_validate(size_t i, void *ctx)
{
    ndjson_run *run = ctx;
    block *b = &run->blocks[i];
    /* work on locals: neighbouring blocks share cache lines with this one */
    chuan_diags diags = b->diags;
    const char *data = b->data;
    size_t len = b->len;
    long records = 0, line = b->first_line;
    long long base = b->offset;
    int invalid = 0, failed = 0;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    chuanp_jsonschema_vstate *st = state_get(run->e);
    size_t pos = 0;
    if (!st)
        failed = 1;
    while (st && pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        if (!blank(data + pos, n)) {
            chuanp_json_opts jo = {.file = run->file, .line_base = line - 1,
                                   .offset_base = base + (long long)pos,
                                   .allow_bom = base == 0 && pos == 0};
            chuanp_jv *v = NULL;
            int pr = chuanp_json_parse(&v, data + pos, n, &jo, &arena, &diags);
            records++;
            if (pr < 0) {
                failed = 1;
                break;
            }
            if (pr > 0)
                invalid = 1;
            if (v) {
                int r = chuanp_jsonschema_validate(run->e->schema, st, v, run->file, &diags);
                if (r < 0) {
                    failed = 1;
                    break;
                }
                if (r > 0)
                    invalid = 1;
            }
            chuanp_arena_reset(&arena);
        }
        line++;
        pos = end + 1;
    }
    state_put(run->e, st);
    chuanp_arena_free(&arena);
    b->diags = diags;
    b->records = records;
    b->invalid = invalid;
    b->failed = failed;
}

/* Fill b with the next line-aligned block from f. carry holds bytes read past
 * the last newline of the previous block. Returns 1 filled, 0 at end, -1 error. */
static int block_read(FILE *f, block *b, chuanp_buf *carry, int *eof, char **err)
{
    b->len = 0;
    size_t want = BLOCK_SIZE;
    if (b->cap < want + carry->len + 1) {
        size_t nc = want + carry->len + 1;
        char *nd = realloc(b->data, nc);
        if (!nd)
            return -1;
        b->data = nd;
        b->cap = nc;
    }
    if (carry->len) {
        memcpy(b->data, carry->data, carry->len);
        b->len = carry->len;
        carry->len = 0;
    }
    for (;;) {
        if (!*eof) {
            size_t room = b->cap - b->len - 1;
            size_t got = fread(b->data + b->len, 1, room, f);
            b->len += got;
            if (got < room) {
                if (ferror(f)) {
                    *err = chuanp_strdup("read error");
                    return -1;
                }
                *eof = 1;
            }
        }
        if (*eof)
            return b->len > 0;
        /* cut after the last newline */
        char *nl = NULL;
        for (size_t k = b->len; k-- > 0;)
            if (b->data[k] == '\n') {
                nl = b->data + k;
                break;
            }
        if (nl) {
            size_t keep = (size_t)(nl - b->data) + 1;
            chuanp_buf_append(carry, b->data + keep, b->len - keep);
            if (carry->err)
                return -1;
            b->len = keep;
            return 1;
        }
        /* one line longer than the block: grow */
        if (b->cap >= MAX_LINE) {
            *err = chuanp_asprintf("a line is longer than %u MiB", MAX_LINE >> 20);
            return -1;
        }
        size_t nc = b->cap * 2;
        char *nd = realloc(b->data, nc);
        if (!nd)
            return -1;
        b->data = nd;
        b->cap = nc;
    }
}

static void count_lines(block *b, long *line)
{
    b->first_line = *line;
    long n = 0;
    for (const char *p = b->data, *end = b->data + b->len; (p = memchr(p, '\n', (size_t)(end - p)));
         p++)
        n++;
    *line += n;
}

typedef struct batch_job {
    ndjson_run *run;
    size_t n;
    int jobs;
    int rc;
} batch_job;

static void *batch_thread(void *arg)
{
    batch_job *j = arg;
    j->rc = chuanp_run_jobs(j->n, j->jobs, block_validate, NULL, j->run);
    return NULL;
}

/* Read up to `batch` blocks into run. Returns the count, or -1 (reported). */
static long batch_read(FILE *f, ndjson_run *run, size_t batch, chuanp_buf *carry, int *eof,
                       long *line, long long *offset, chuan_file_result *res, const char *name)
{
    size_t n = 0;
    char *err = NULL;
    while (n < batch && !(*eof && carry->len == 0)) {
        block *b = &run->blocks[n];
        int r = block_read(f, b, carry, eof, &err);
        if (r < 0) {
            internal_error(res, name, err ? err : "out of memory");
            free(err);
            return -1;
        }
        if (r == 0)
            break;
        b->offset = *offset;
        *offset += (long long)b->len;
        count_lines(b, line);
        b->records = 0;
        b->invalid = b->failed = 0;
        n++;
    }
    return (long)n;
}

/* NDJSON in batches of line-aligned blocks. With several jobs the next batch
 * is read while worker threads validate the current one (double buffering);
 * results are merged in input order. */
static int check_ndjson(js_engine *e, const chuanp_input *in, chuan_file_result *res)
{
    FILE *f = in->path ? fopen(in->path, "rb") : stdin;
    if (!f) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d, "cannot open: %m");
        return -1;
    }
    int jobs = e->jobs > 1 ? e->jobs : 1;
    size_t batch = jobs > 1 ? (size_t)jobs * 8 : 1;
    ndjson_run runs[2];
    for (int k = 0; k < 2; k++) {
        runs[k] = (ndjson_run){.e = e, .file = in->name, .max_errors = e->base.opts.max_errors};
        runs[k].blocks = calloc(batch, sizeof *runs[k].blocks);
    }
    chuanp_buf carry;
    chuanp_buf_init(&carry, 0);
    int rc = 0, eof = 0, cur = 0;
    long line = 1;
    long long offset = 0;
    if (!runs[0].blocks || !runs[1].blocks) {
        rc = -1;
        goto out;
    }
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < batch; i++)
            chuan_diags_init(&runs[k].blocks[i].diags, runs[k].max_errors);
    long n = batch_read(f, &runs[cur], batch, &carry, &eof, &line, &offset, res, in->name);
    while (n > 0) {
        batch_job job = {.run = &runs[cur], .n = (size_t)n, .jobs = jobs};
        pthread_t th;
        int threaded = jobs > 1 && pthread_create(&th, NULL, batch_thread, &job) == 0;
        if (!threaded)
            batch_thread(&job);
        long next = batch_read(f, &runs[1 - cur], batch, &carry, &eof, &line, &offset, res, in->name);
        if (threaded)
            pthread_join(th, NULL);
        if (job.rc < 0 || next < 0)
            rc = -1;
        for (long i = 0; i < n; i++) {
            block *b = &runs[cur].blocks[i];
            res->records += b->records;
            if (b->failed)
                rc = -1;
            else if (b->invalid && rc == 0)
                rc = 1;
            chuan_diags_move(&res->diags, &b->diags);
            chuan_diags_clear(&b->diags);
            chuan_diags_init(&b->diags, runs[cur].max_errors);
        }
        if (rc < 0)
            break;
        cur = 1 - cur;
        n = next;
    }
out:
    for (int k = 0; k < 2; k++) {
        if (!runs[k].blocks)
            continue;
        for (size_t i = 0; i < batch; i++) {
            free(runs[k].blocks[i].data);
            chuan_diags_clear(&runs[k].blocks[i].diags);
        }
        free(runs[k].blocks);
    }
    chuanp_buf_free(&carry);
    if (f != stdin)
        fclose(f);
    return rc;
}

/* ------------------------------------------------------------ engine */
static int engine_check(const chuanp_engine *base, const chuanp_input *in, chuanp_format fmt,
                        chuan_file_result *res)
{
    js_engine *e = (js_engine *)base;
    if (fmt == CHUANP_FMT_AUTO)
        fmt = chuanp_format_sniff(in->name, NULL, 0);
    if (fmt == CHUANP_FMT_XML || fmt == CHUANP_FMT_CSV) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.input", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d,
                         "a JSON Schema checks JSON and NDJSON, not %s (a standard package, -s, "
                         "maps XML and CSV to its record model)", chuanp_format_name(fmt));
        res->status = CHUAN_STATUS_FAILED;
        return -1;
    }
    if (fmt != CHUANP_FMT_NDJSON)
        fmt = CHUANP_FMT_JSON;
    free(res->format);
    res->format = chuanp_strdup(chuanp_format_name(fmt));
    int rc = fmt == CHUANP_FMT_NDJSON ? check_ndjson(e, in, res) : check_json(e, in, res);
    res->status = rc < 0 ? CHUAN_STATUS_FAILED : rc > 0 ? CHUAN_STATUS_INVALID : CHUAN_STATUS_VALID;
    return rc;
}

static void engine_free(chuanp_engine *base)
{
    js_engine *e = (js_engine *)base;
    if (!e)
        return;
    for (size_t i = 0; i < e->npool; i++)
        chuanp_jsonschema_vstate_free(e->pool[i]);
    free(e->pool);
    pthread_mutex_destroy(&e->mu);
    chuanp_jsonschema_free(e->owned);
    free((char *)e->base.label);
    free(e);
}

static const struct chuanp_engine_ops js_ops = {
    .name = "jsonschema",
    .check = engine_check,
    .free = engine_free,
};

static js_engine *engine_alloc(const chuanp_engine_opts *opts)
{
    js_engine *e = calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->base.ops = &js_ops;
    if (opts)
        e->base.opts = *opts;
    e->base.label = chuanp_strdup(opts && opts->schema_path ? opts->schema_path : "jsonschema");
    e->jobs = 1;
    pthread_mutex_init(&e->mu, NULL);
    return e;
}

int chuanp_jsonschema_engine_wrap(chuanp_engine **out, const chuanp_engine_opts *opts,
                                  const chuanp_jsonschema *s)
{
    js_engine *e = engine_alloc(opts);
    *out = NULL;
    if (!e)
        return -1;
    e->schema = s;
    *out = &e->base;
    return 0;
}

int chuanp_jsonschema_engine_new_ext(chuanp_engine **out, const chuanp_engine_opts *opts,
                                     const chuanp_jsonschema_ext *exts, size_t nexts,
                                     void *ext_user, chuan_diags *d)
{
    *out = NULL;
    if (!opts->schema_path) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .offset = -1};
        chuan_diags_addf(d, &dg, "no JSON Schema given (use --schema FILE)");
        return -1;
    }
    chuanp_jsonschema_opts so = {
        .draft = opts->draft, .refs = opts->refs, .nrefs = opts->nrefs,
        .assert_formats = opts->assert_formats, .exts = exts, .nexts = nexts,
        .ext_user = ext_user, .engine_opts = opts, .as_of = opts->as_of};
    chuanp_jsonschema *s = NULL;
    int rc = chuanp_jsonschema_compile_file(&s, opts->schema_path, &so, d);
    if (rc != 0)
        return rc < 0 ? rc : -1;
    js_engine *e = engine_alloc(opts);
    if (!e) {
        chuanp_jsonschema_free(s);
        return -1;
    }
    e->owned = s;
    e->schema = s;
    *out = &e->base;
    return 0;
}

int chuanp_jsonschema_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    return chuanp_jsonschema_engine_new_ext(out, opts, NULL, 0, NULL, d);
}

void chuanp_jsonschema_engine_set_jobs(chuanp_engine *base, int jobs)
{
    if (base && base->ops == &js_ops)
        ((js_engine *)base)->jobs = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
}

const chuanp_jsonschema *chuanp_jsonschema_engine_schema(const chuanp_engine *base)
{
    return base && base->ops == &js_ops ? ((const js_engine *)base)->schema : NULL;
}
