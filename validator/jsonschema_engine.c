/* validator/jsonschema_engine.c - the CHUANP_SCHEMA_JSONSCHEMA engine: JSON
 * documents and NDJSON streams checked against a compiled JSON Schema.
 *
 * NDJSON is read in line-aligned blocks (constant memory); with more than one
 * job, worker threads take turns reading blocks and validate them in
 * parallel; diagnostics are merged in input order. */
#define _GNU_SOURCE /* memrchr */
#include "jsonschema_int.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
        chuanp_jsonschema_vstate **np = chuanp_realloc(e->pool, nc * sizeof *np);
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
    chuanp_free(data);
    chuanp_free(msg);
    return rc;
}

/* ------------------------------------------------------------ NDJSON */
/* A slot holds one line-aligned block of the stream, from the moment a worker
 * reads it until its diagnostics are merged into the file's result. */
typedef struct slot {
    char *data;
    size_t len, cap;
    long first_line;         /* line number of the block's first byte */
    long long offset;        /* byte offset of the block */
    chuan_diags diags;
    long records;
    int state;               /* SLOT_FREE, SLOT_BUSY (read, being checked), SLOT_DONE */
    int invalid;
    int failed;              /* internal error */
} slot;

enum { SLOT_FREE, SLOT_BUSY, SLOT_DONE };

/* The shared state of one NDJSON stream. Workers take turns at the reader
 * (under mu): read the next block into a free slot, count its lines, then
 * parse and validate it without the lock. Finished slots are merged into the
 * result strictly in stream order, by whichever worker completes the oldest
 * one, so diagnostics come out in input order. */
typedef struct ndjson_run {
    js_engine *e;
    const chuanp_input *in;
    chuan_file_result *res;
    FILE *f;
    pthread_mutex_t mu;
    pthread_cond_t cv;       /* a slot became free, or the run stopped */
    slot *slots;
    size_t nslots;
    unsigned long long next_read, next_merge; /* block sequence numbers */
    chuanp_buf carry;        /* bytes read past the last newline of the previous block */
    long line;               /* line number of the next block */
    long long offset;        /* byte offset of the next block */
    int eof, stop;
    int rc;
} ndjson_run;

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

/* Parse and validate every line of b (no lock held). */
static void slot_validate(ndjson_run *run, slot *b, chuanp_jsonschema_vstate *st,
                          chuanp_arena *arena)
{
    const char *data = b->data;
    size_t len = b->len, pos = 0;
    long line = b->first_line;
    long long base = b->offset;
    while (pos < len) {
        const char *nl = memchr(data + pos, '\n', len - pos);
        size_t end = nl ? (size_t)(nl - data) : len;
        size_t n = end - pos;
        if (!blank(data + pos, n)) {
            chuanp_json_opts jo = {.file = run->in->name, .line_base = line - 1,
                                   .offset_base = base + (long long)pos,
                                   .allow_bom = base == 0 && pos == 0};
            chuanp_jv *v = NULL;
            int pr = chuanp_json_parse(&v, data + pos, n, &jo, arena, &b->diags);
            b->records++;
            if (pr < 0) {
                b->failed = 1;
                break;
            }
            if (pr > 0)
                b->invalid = 1;
            if (v) {
                int r = chuanp_jsonschema_validate(run->e->schema, st, v, run->in->name, &b->diags);
                if (r < 0) {
                    b->failed = 1;
                    break;
                }
                if (r > 0)
                    b->invalid = 1;
            }
            chuanp_arena_reset(arena);
        }
        line++;
        pos = end + 1;
    }
}

static int slot_grow(slot *b, size_t cap)
{
    if (b->cap >= cap)
        return 0;
    char *nd = chuanp_realloc(b->data, cap);
    if (!nd)
        return -1;
    b->data = nd;
    b->cap = cap;
    return 0;
}

/* Fill b with the next line-aligned block (under mu). Returns 1 filled,
 * 0 at the end of the stream, -1 error (*err set, or out of memory). */
static int slot_read(ndjson_run *run, slot *b, char **err)
{
    chuanp_buf *carry = &run->carry;
    b->len = 0;
    if (slot_grow(b, BLOCK_SIZE + carry->len + 1) < 0)
        return -1;
    if (carry->len)
        memcpy(b->data, carry->data, carry->len);
    b->len = carry->len;
    carry->len = 0;
    for (;;) {
        if (!run->eof) {
            size_t room = b->cap - b->len - 1;
            size_t got = fread(b->data + b->len, 1, room, run->f);
            b->len += got;
            if (got < room) {
                if (ferror(run->f)) {
                    *err = chuanp_strdup("read error");
                    return -1;
                }
                run->eof = 1;
            }
        }
        if (run->eof)
            return b->len > 0;
        /* cut after the last newline */
        char *nl = memrchr(b->data, '\n', b->len);
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
            *err = chuanp_asprintf(_("a line is longer than %u MiB"), MAX_LINE >> 20);
            return -1;
        }
        if (slot_grow(b, b->cap * 2) < 0)
            return -1;
    }
}

static long count_lines(const char *p, size_t len)
{
    long n = 0;
    for (const char *end = p + len; (p = memchr(p, '\n', (size_t)(end - p))); p++)
        n++;
    return n;
}

/* Merge finished slots into the result in stream order (under mu). */
static void merge_done(ndjson_run *run)
{
    for (;;) {
        slot *b = &run->slots[run->next_merge % run->nslots];
        if (b->state != SLOT_DONE)
            return;
        run->res->records += b->records;
        if (b->failed)
            run->rc = -1;
        else if (b->invalid && run->rc == 0)
            run->rc = 1;
        if (chuan_diags_move(&run->res->diags, &b->diags) < 0)
            run->rc = -1;
        chuan_diags_clear(&b->diags);
        chuan_diags_init(&b->diags, run->e->base.opts.max_errors);
        b->state = SLOT_FREE;
        run->next_merge++;
        if (run->rc < 0)
            run->stop = 1;
        pthread_cond_broadcast(&run->cv);
    }
}

static void ndjson_fail(ndjson_run *run, char *err)
{
    internal_error(run->res, run->in->name, err ? err : "out of memory");
    chuanp_free(err);
    run->rc = -1;
    run->stop = 1;
    pthread_cond_broadcast(&run->cv);
}

static void *ndjson_worker(void *arg)
{
    ndjson_run *run = arg;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    chuanp_jsonschema_vstate *st = state_get(run->e);
    pthread_mutex_lock(&run->mu);
    if (!st)
        ndjson_fail(run, NULL);
    for (;;) {
        slot *b = NULL;
        while (!run->stop && !(run->eof && run->carry.len == 0) &&
               (b = &run->slots[run->next_read % run->nslots])->state != SLOT_FREE)
            pthread_cond_wait(&run->cv, &run->mu);
        if (run->stop || (run->eof && run->carry.len == 0))
            break;
        char *err = NULL;
        int r = slot_read(run, b, &err);
        if (r < 0) {
            ndjson_fail(run, err);
            break;
        }
        if (r == 0)
            break;
        b->state = SLOT_BUSY;
        b->offset = run->offset;
        b->first_line = run->line;
        b->records = 0;
        b->invalid = b->failed = 0;
        run->offset += (long long)b->len;
        run->line += count_lines(b->data, b->len);
        run->next_read++;
        pthread_mutex_unlock(&run->mu);
        slot_validate(run, b, st, &arena);
        pthread_mutex_lock(&run->mu);
        b->state = SLOT_DONE;
        merge_done(run);
    }
    pthread_mutex_unlock(&run->mu);
    state_put(run->e, st);
    chuanp_arena_free(&arena);
    return NULL;
}

/* NDJSON: `jobs` workers (the calling thread is one of them) share the reader
 * and validate blocks in parallel; memory is nslots blocks, whatever the
 * stream's length. */
static int check_ndjson(js_engine *e, const chuanp_input *in, chuan_file_result *res)
{
    ndjson_run run = {.e = e, .in = in, .res = res, .line = 1};
    int jobs = e->jobs > 1 ? e->jobs : 1;
    run.f = in->path ? fopen(in->path, "rb") : stdin;
    if (!run.f) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d, "cannot open: %m");
        return -1;
    }
    run.nslots = (size_t)jobs * 4;
    run.slots = chuanp_calloc(run.nslots, sizeof *run.slots);
    chuanp_buf_init(&run.carry, 0);
    pthread_mutex_init(&run.mu, NULL);
    pthread_cond_init(&run.cv, NULL);
    pthread_t *th = chuanp_calloc((size_t)jobs, sizeof *th);
    int started = 0;
    if (!run.slots || !th) {
        internal_error(res, in->name, "out of memory");
        run.rc = -1;
        goto out;
    }
    for (size_t i = 0; i < run.nslots; i++)
        chuan_diags_init(&run.slots[i].diags, e->base.opts.max_errors);
    for (int t = 1; t < jobs; t++) {
        if (pthread_create(&th[t], NULL, ndjson_worker, &run) != 0)
            break;
        started++;
    }
    ndjson_worker(&run);
    for (int t = 1; t <= started; t++)
        pthread_join(th[t], NULL);
out:
    if (run.slots)
        for (size_t i = 0; i < run.nslots; i++) {
            chuanp_free(run.slots[i].data);
            chuan_diags_clear(&run.slots[i].diags);
        }
    chuanp_free(run.slots);
    chuanp_free(th);
    pthread_mutex_destroy(&run.mu);
    pthread_cond_destroy(&run.cv);
    chuanp_buf_free(&run.carry);
    if (run.f != stdin)
        fclose(run.f);
    return run.rc;
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
    chuanp_free(res->format);
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
    chuanp_free(e->pool);
    pthread_mutex_destroy(&e->mu);
    chuanp_jsonschema_free(e->owned);
    chuanp_free((char *)e->base.label);
    chuanp_free(e);
}

static const struct chuanp_engine_ops js_ops = {
    .name = "jsonschema",
    .check = engine_check,
    .free = engine_free,
};

static js_engine *engine_alloc(const chuanp_engine_opts *opts)
{
    js_engine *e = chuanp_calloc(1, sizeof *e);
    if (!e)
        return NULL;
    e->base.ops = &js_ops;
    if (opts)
        e->base.opts = *opts;
    e->base.label = chuanp_strdup(opts && opts->schema_path ? opts->schema_path : "jsonschema");
    if (!e->base.label) {
        chuanp_free(e);
        return NULL;
    }
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

/* A schema in memory (the API's schema_text) is compiled as the document
 * CHUANP_SCHEMA_TEXT_NAME of the working directory: its relative $refs resolve
 * from there, and may read files below it (only when opts->schema_text_reads_files:
 * else no local file, though its diagnostics name it the same way). */
static int compile_text(chuanp_jsonschema **s, const chuanp_engine_opts *opts,
                        chuanp_jsonschema_opts *so, chuan_diags *d)
{
    char *cwd = getcwd(NULL, 0); /* libc's malloc */
    int err = errno;
    char *path = cwd ? chuanp_asprintf("%s/%s", strcmp(cwd, "/") ? cwd : "", CHUANP_SCHEMA_TEXT_NAME)
                     : NULL;
    char *uri = path ? chuanp_js_uri_from_path(path) : NULL;
    int rc = -1;
    if (uri) {
        so->package_dir = opts->schema_text_reads_files ? cwd : NULL;
        rc = chuanp_jsonschema_compile_mem(s, opts->schema_text, opts->schema_len, uri, so, d);
        so->package_dir = NULL;
    } else {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .offset = -1};
        char *why = chuanp_asprintf(": %s", cwd ? _("out of memory") : chuanp_strerror(err));
        chuan_diags_addf(d, &dg, "cannot compile the schema%s", why ? why : "");
        chuanp_free(why);
    }
    (free)(cwd);
    chuanp_free(path);
    chuanp_free(uri);
    return rc;
}

/* The same with extension keywords (the standard-package engine). */
static int jsonschema_engine_new_ext(chuanp_engine **out, const chuanp_engine_opts *opts,
                                     const chuanp_jsonschema_ext *exts, size_t nexts,
                                     void *ext_user, chuan_diags *d)
{
    *out = NULL;
    if (!opts->schema_path && !opts->schema_text) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .offset = -1};
        chuan_diags_addf(d, &dg, "no JSON Schema given (use --schema FILE)");
        return -1;
    }
    chuanp_jsonschema_opts so = {
        .draft = opts->draft, .refs = opts->refs, .nrefs = opts->nrefs,
        .assert_formats = opts->assert_formats, .exts = exts, .nexts = nexts,
        .ext_user = ext_user, .engine_opts = opts, .as_of = opts->as_of};
    chuanp_jsonschema *s = NULL;
    int rc = opts->schema_text ? compile_text(&s, opts, &so, d)
                               : chuanp_jsonschema_compile_file(&s, opts->schema_path, &so, d);
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
    return jsonschema_engine_new_ext(out, opts, NULL, 0, NULL, d);
}

void chuanp_jsonschema_engine_set_jobs(chuanp_engine *base, int jobs)
{
    if (base && base->ops == &js_ops)
        ((js_engine *)base)->jobs = jobs < 1 ? 1 : jobs > 64 ? 64 : jobs;
}
