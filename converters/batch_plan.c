/* converters/batch_plan.c - the plan of a batch conversion: the inputs (the
 * one input collector), their outputs (mirrored under --out-dir, never
 * outside it, never onto anything the run reads) and their rejects files. */
#include "batch_int.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* The output of `file` (found under argument `arg`) in dir: its path below
 * a directory argument, or the base name of a file argument, with the
 * target format's extension. NULL when a path segment is "..". */
static char *mirror_path(const char *dir, const char *arg, const char *file, chuanp_format to)
{
    const char *rel = file;
    size_t al = strlen(arg);
    struct stat st;
    if (stat(arg, &st) == 0 && S_ISDIR(st.st_mode) && strncmp(file, arg, al) == 0) {
        rel = file + al;
        while (*rel == '/')
            rel++;
    } else {
        const char *slash = strrchr(file, '/');
        rel = slash ? slash + 1 : file;
    }
    for (const char *p = rel; *p;) {
        size_t n = strcspn(p, "/");
        if ((n == 2 && p[0] == '.' && p[1] == '.') || n == 0)
            return NULL;
        p += n;
        while (*p == '/')
            p++;
    }
    const char *dot = strrchr(rel, '.');
    const char *slash = strrchr(rel, '/');
    size_t stem = dot && (!slash || dot > slash + 1) && dot != rel ? (size_t)(dot - rel)
                                                                   : strlen(rel);
    size_t dl = strlen(dir);
    return chuanp_asprintf("%s%s%.*s%s", dir, dl && dir[dl - 1] == '/' ? "" : "/", (int)stem, rel,
                           chuanp_format_ext(to));
}

/* Create the folders of `file` below `root` (which exists), refusing a
 * folder that resolves outside root (a symbolic link). Returns 0, or -1
 * with *why. */
static int make_dirs_within(const char *root_real, const char *file, char **why)
{
    char *p = chuanp_strdup(file);
    int rc = -1;
    if (!p) {
        *why = chuanp_strdup("out of memory");
        return -1;
    }
    char *last = strrchr(p, '/');
    if (last)
        *last = '\0';
    for (char *s = p + 1; last && *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (mkdir(p, 0777) != 0 && errno != EEXIST) {
            *why = chuanp_asprintf(_("cannot create the folder %s: %s"), p, chuanp_strerror(errno));
            goto out;
        }
        *s = '/';
    }
    if (last && mkdir(p, 0777) != 0 && errno != EEXIST) {
        *why = chuanp_asprintf(_("cannot create the folder %s: %s"), p, chuanp_strerror(errno));
        goto out;
    }
    char real[PATH_MAX];
    if (!realpath(last ? p : ".", real)) {
        *why = chuanp_asprintf(_("cannot resolve %s: %s"), p, chuanp_strerror(errno));
        goto out;
    }
    size_t rl = strlen(root_real);
    if (strncmp(real, root_real, rl) != 0 || (real[rl] != '\0' && real[rl] != '/')) {
        *why = chuanp_asprintf(_("refusing to write %s: its folder resolves to %s, outside the "
                               "output folder"), file, real);
        goto out;
    }
    rc = 0;
out:
    chuanp_free(p);
    return rc;
}

/* Default rejects file of the output: "<output>.rejects.ndjson", only for a
 * regular (or new) output file and when rejects are kept by default. */
char *chuanp_bx_default_rejects(const chuanp_batch_opts *b)
{
    struct stat st;
    const char *output = b->output;
    if (!b->keep_rejects || !output || strcmp(output, "-") == 0 || (stat(output, &st) == 0 && !S_ISREG(st.st_mode)))
        return NULL;
    return chuanp_asprintf("%s.rejects.ndjson", output);
}


static int plan_fail(chuanp_batch_run *run, int usage, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int plan_fail(chuanp_batch_run *run, int usage, const char *fmt, ...)
{
    chuanp_buf m;
    chuanp_buf_init(&m, 0);
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&m, _(fmt), ap); /* printed as it is: in the language of messages */
    va_end(ap);
    run->ev.fail(run->ev.ctx, usage, m.err ? "out of memory" : m.data);
    chuanp_buf_free(&m);
    return -1;
}

/* The input files of the paths, their outputs, their folders. */
static int plan_files(chuanp_batch_run *run, const char *const *pos, size_t npos)
{
    const chuanp_batch_opts *b = run->b;
    chuanp_pathlist *all = &run->inputs;
    char *err = NULL, root_real[PATH_MAX];
    if (b->out_dir) {
        if (mkdir(b->out_dir, 0777) != 0 && errno != EEXIST) {
            plan_fail(run, 0, "cannot create the output folder %s: %s", b->out_dir,
                            chuanp_strerror(errno));
            return -1;
        }
        if (!realpath(b->out_dir, root_real)) {
            plan_fail(run, 0, "cannot use the output folder %s: %s", b->out_dir,
                            chuanp_strerror(errno));
            return -1;
        }
    }
    size_t cap = 0;
    for (size_t k = 0; k < npos; k++) {
        size_t before = all->count;
        if (chuanp_collect_inputs(all, &pos[k], 1, b->o.from, &err) < 0) {
            plan_fail(run, 0, "%s", err ? err : "out of memory");
            chuanp_free(err);
            return -1;
        }
        if (all->count > cap) {
            cap = all->count * 2;
            chuanp_batch_file *nf = chuanp_realloc(run->files, cap * sizeof *nf);
            if (!nf)
                return plan_fail(run, 0, "out of memory");
            run->files = nf;
        }
        for (size_t j = before; j < all->count; j++) {
            chuanp_batch_file *f = &run->files[j];
            memset(f, 0, sizeof *f);
            f->in = all->paths[j];
            f->size = -1;
            chuan_diags_init(&f->diags, (size_t)b->max_errors);
            run->n = j + 1;
            struct stat st;
            if (strcmp(f->in, "-") != 0 && stat(f->in, &st) == 0)
                f->size = (long long)st.st_size;
            if (!b->out_dir)
                continue;
            if (strcmp(f->in, "-") == 0)
                return plan_fail(run, 1, "--out-dir needs file inputs, not -");
            f->out = mirror_path(b->out_dir, pos[k], f->in, b->o.to);
            if (!f->out)
                return plan_fail(run, 0, "refusing to write the output of %s outside %s",
                                       f->in, b->out_dir);
            if (make_dirs_within(root_real, f->out, &err) < 0) {
                plan_fail(run, 0, "%s", err ? err : "out of memory");
                chuanp_free(err);
                return -1;
            }
            if (!b->keep_rejects)
                continue;
            f->rej = chuanp_asprintf("%s.rejects.ndjson", f->out);
            if (!f->rej)
                return plan_fail(run, 0, "out of memory");
        }
    }
    return 0;
}

/* Where the outputs go when there is no --out-dir, and the checks that
 * every output is distinct and overwrites nothing the run reads. */
static int plan_outputs(chuanp_batch_run *run)
{
    const chuanp_batch_opts *b = run->b;
    if (!b->out_dir && run->n == 1 && b->output && strcmp(b->output, "-") != 0) {
        /* one input, one output file: its own output, resumable */
        chuanp_batch_file *f = &run->files[0];
        f->out = chuanp_strdup(b->output);
        f->rej = b->rejects ? chuanp_strdup(b->rejects) : chuanp_bx_default_rejects(b);
        if (!f->out || (b->rejects && !f->rej))
            return plan_fail(run, 0, "out of memory");
        struct stat st;
        if (stat(f->out, &st) == 0 && !S_ISREG(st.st_mode)) {
            chuanp_free(f->rej);
            f->rej = b->rejects ? chuanp_strdup(b->rejects) : NULL;
        }
    }
    run->shared = !b->out_dir && !(run->n == 1 && run->files[0].out);
    if (run->shared && b->resume)
        return plan_fail(run, 1, "--resume needs --out-dir DIR, or one input "
                                      "with -o FILE");
    if (run->shared && run->n > 1 && b->o.to != CHUANP_FMT_NDJSON)
        return plan_fail(run, 1, "%zu inputs: use --out-dir DIR (or --to ndjson "
                                      "to concatenate records)", run->n);
    /* one output per input */
    for (size_t i = 0; b->out_dir && i < run->n; i++)
        for (size_t j = i + 1; j < run->n; j++)
            if (strcmp(run->files[i].out, run->files[j].out) == 0)
                return plan_fail(run, 0, "%s and %s would both be written to %s",
                                       run->files[i].in, run->files[j].in, run->files[i].out);
    /* never overwrite an input, the schema or a package file, nor one
     * output with another (core/samefile.c) */
    chuanp_pathlist reads = {0};
    const char **outs = chuanp_calloc(2 * run->n + 2, sizeof *outs);
    char *shared_rej = run->shared && !b->rejects ? chuanp_bx_default_rejects(b) : NULL;
    char *err = NULL;
    size_t nout = 0;
    int c = outs ? 0 : -1;
    for (size_t i = 0; i < run->n && c == 0; i++) {
        c = chuanp_pathlist_add(&reads, run->files[i].in);
        outs[nout++] = run->files[i].out;
        outs[nout++] = run->files[i].rej;
    }
    if (c == 0 && run->shared) {
        outs[nout++] = b->output;
        outs[nout++] = b->rejects ? b->rejects : shared_rej;
    }
    for (size_t i = 0; c == 0 && b->reads && i < b->reads->count; i++)
        c = chuanp_pathlist_add(&reads, b->reads->paths[i]);
    if (c == 0 && chuanp_check_outputs(outs, nout, (const char *const *)reads.paths, reads.count,
                                       &err) != 0)
        c = plan_fail(run, 0, "%s", err ? err : "out of memory");
    else if (c < 0)
        plan_fail(run, 0, "out of memory");
    chuanp_free(err);
    chuanp_free(shared_rej);
    chuanp_free(outs);
    chuanp_pathlist_free(&reads);
    if (c < 0)
        return -1;
    return 0;
}


int chuanp_batch_plan(chuanp_batch_run *run, const chuanp_batch_opts *b,
                      const chuanp_batch_events *ev, const char *record_path,
                      const char *const *pos, size_t npos)
{
    static const char *const dash[] = {"-"};
    memset(run, 0, sizeof *run);
    run->b = b;
    run->ev = *ev;
    run->record_path = record_path;
    run->jobs = b->jobs > 0 ? b->jobs : chuanp_default_jobs();
    if (pthread_mutex_init(&run->mu, NULL) != 0)
        return plan_fail(run, 0, "cannot create a lock");
    run->mu_init = 1;
    if (b->o.encoding && chuanp_enc_parse(b->o.encoding) < 0)
        return plan_fail(run, 1, "unknown encoding '%s' (accepted: %s)", b->o.encoding,
                    chuanp_enc_accepted);
    if (plan_files(run, npos ? pos : dash, npos ? npos : 1) < 0 || plan_outputs(run) < 0)
        return -1;
    return 0;
}
