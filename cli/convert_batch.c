/* cli/convert_batch.c - batch mode of `chuan convert`: inputs and their
 * outputs (mirrored under --out-dir, never outside it, never onto an
 * input), the order files run in, the exit code and the summary. */
#include "convert_batch.h"

#include "../validator/standard.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Files at least this large (or of unknown size: standard input) run one at a time with every worker on their
 * chunks; smaller ones run side by side, one worker each. */
#define BIG_FILE ((long long)8 << 20)

/* (--out-dir runs here: outputs are kept inside the folder.) */
/* One large CSV or NDJSON file (8 chunks or more) converted to NDJSON is
 * cut into chunks for every worker: the same bytes and diagnostics as one
 * worker, sooner. */
static int one_big_record_stream(const chuanp_batch_opts *b, const char *const *pos, size_t npos)
{
    struct stat st;
    if (b->jobs == 1 || (b->jobs == 0 && chuanp_default_jobs() == 1) || npos != 1 ||
        b->o.to != CHUANP_FMT_NDJSON || b->o.record_path || stat(pos[0], &st) != 0 ||
        !S_ISREG(st.st_mode) || (unsigned long long)st.st_size < 8ull * chuanp_batch_chunk_bytes())
        return 0;
    chuanp_format from = b->o.from != CHUANP_FMT_AUTO ? b->o.from : chuanp_format_from_name(pos[0]);
    return from == CHUANP_FMT_CSV || from == CHUANP_FMT_NDJSON;
}

int chuanp_convert_batch_wanted(const chuanp_batch_opts *b, const char *const *pos, size_t npos)
{
    return b->standard || b->schema || b->rejects || b->resume || b->out_dir ||
           one_big_record_stream(b, pos, npos);
}

/* ------------------------------------------------------------ planning */

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
            *why = chuanp_asprintf("cannot create the folder %s: %s", p, strerror(errno));
            goto out;
        }
        *s = '/';
    }
    if (last && mkdir(p, 0777) != 0 && errno != EEXIST) {
        *why = chuanp_asprintf("cannot create the folder %s: %s", p, strerror(errno));
        goto out;
    }
    char real[PATH_MAX];
    if (!realpath(last ? p : ".", real)) {
        *why = chuanp_asprintf("cannot resolve %s: %s", p, strerror(errno));
        goto out;
    }
    size_t rl = strlen(root_real);
    if (strncmp(real, root_real, rl) != 0 || (real[rl] != '\0' && real[rl] != '/')) {
        *why = chuanp_asprintf("refusing to write %s: its folder resolves to %s, outside the "
                               "output folder", file, real);
        goto out;
    }
    rc = 0;
out:
    chuanp_free(p);
    return rc;
}

/* Default rejects file of an output: "<output>.rejects.ndjson", only for a
 * regular (or new) output file. */
static char *default_rejects(const char *output)
{
    struct stat st;
    if (!output || strcmp(output, "-") == 0 || (stat(output, &st) == 0 && !S_ISREG(st.st_mode)))
        return NULL;
    return chuanp_asprintf("%s.rejects.ndjson", output);
}

static int plan(brun *run, const char *const *pos, size_t npos, chuanp_pathlist *all)
{
    const chuanp_batch_opts *b = run->b;
    static const char *const exts_any[] = {".xml", ".json", ".ndjson", ".jsonl", ".csv", ".tsv",
                                           ".xlsx", ".xls", NULL};
    const char *exts_one[3] = {NULL, NULL, NULL};
    const char *const *exts = exts_any;
    char *err = NULL, root_real[PATH_MAX];
    if (b->o.from != CHUANP_FMT_AUTO) {
        exts_one[0] = chuanp_format_ext(b->o.from);
        if (b->o.from == CHUANP_FMT_NDJSON)
            exts_one[1] = ".jsonl";
        exts = exts_one;
    }
    if (b->out_dir) {
        if (mkdir(b->out_dir, 0777) != 0 && errno != EEXIST) {
            chuanp_cli_fail(run->cli, "cannot create the output folder %s: %s", b->out_dir,
                            strerror(errno));
            return -1;
        }
        if (!realpath(b->out_dir, root_real)) {
            chuanp_cli_fail(run->cli, "cannot use the output folder %s: %s", b->out_dir,
                            strerror(errno));
            return -1;
        }
    }
    size_t cap = 0;
    for (size_t k = 0; k < npos; k++) {
        size_t before = all->count;
        if (chuanp_expand_paths(all, &pos[k], 1, exts, &err) < 0) {
            chuanp_cli_fail(run->cli, "%s", err ? err : "out of memory");
            chuanp_free(err);
            return -1;
        }
        if (all->count > cap) {
            cap = all->count * 2;
            bfile *nf = chuanp_realloc(run->files, cap * sizeof *nf);
            if (!nf)
                return chuanp_cli_fail(run->cli, "out of memory"), -1;
            run->files = nf;
        }
        for (size_t j = before; j < all->count; j++) {
            bfile *f = &run->files[j];
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
                return chuanp_cli_usage_error(run->cli, "--out-dir needs file inputs, not -"), -1;
            f->out = mirror_path(b->out_dir, pos[k], f->in, b->o.to);
            if (!f->out)
                return chuanp_cli_fail(run->cli, "refusing to write the output of %s outside %s",
                                       f->in, b->out_dir), -1;
            if (make_dirs_within(root_real, f->out, &err) < 0) {
                chuanp_cli_fail(run->cli, "%s", err ? err : "out of memory");
                chuanp_free(err);
                return -1;
            }
            f->rej = chuanp_asprintf("%s.rejects.ndjson", f->out);
            if (!f->rej)
                return chuanp_cli_fail(run->cli, "out of memory"), -1;
        }
    }
    if (!b->out_dir && run->n == 1 && b->output && strcmp(b->output, "-") != 0) {
        /* one input, one output file: its own output, resumable */
        bfile *f = &run->files[0];
        f->out = chuanp_strdup(b->output);
        f->rej = b->rejects ? chuanp_strdup(b->rejects) : default_rejects(b->output);
        if (!f->out || (b->rejects && !f->rej))
            return chuanp_cli_fail(run->cli, "out of memory"), -1;
        struct stat st;
        if (stat(f->out, &st) == 0 && !S_ISREG(st.st_mode)) {
            chuanp_free(f->rej);
            f->rej = b->rejects ? chuanp_strdup(b->rejects) : NULL;
        }
    }
    run->shared = !b->out_dir && !(run->n == 1 && run->files[0].out);
    if (run->shared && b->resume)
        return chuanp_cli_usage_error(run->cli, "--resume needs --out-dir DIR, or one input "
                                      "with -o FILE"), -1;
    if (run->shared && run->n > 1 && b->o.to != CHUANP_FMT_NDJSON)
        return chuanp_cli_usage_error(run->cli, "%zu inputs: use --out-dir DIR (or --to ndjson "
                                      "to concatenate records)", run->n), -1;
    /* one output per input */
    for (size_t i = 0; b->out_dir && i < run->n; i++)
        for (size_t j = i + 1; j < run->n; j++)
            if (strcmp(run->files[i].out, run->files[j].out) == 0)
                return chuanp_cli_fail(run->cli, "%s and %s would both be written to %s",
                                       run->files[i].in, run->files[j].in, run->files[i].out), -1;
    /* never overwrite an input, the schema or a package file, nor one
     * output with another (core/samefile.c) */
    chuanp_pathlist reads = {0};
    const char **outs = chuanp_calloc(2 * run->n + 2, sizeof *outs);
    size_t nout = 0;
    int c = outs ? 0 : -1;
    for (size_t i = 0; i < run->n && c == 0; i++) {
        c = chuanp_pathlist_add(&reads, run->files[i].in);
        outs[nout++] = run->files[i].out;
        outs[nout++] = run->files[i].rej;
    }
    char *shared_rej = run->shared && !b->rejects ? default_rejects(b->output) : NULL;
    if (run->shared) {
        outs[nout++] = b->output;
        outs[nout++] = b->rejects ? b->rejects : shared_rej;
    }
    if (c == 0 && b->schema)
        c = chuanp_pathlist_add(&reads, b->schema);
    if (c == 0 && b->standard)
        chuanp_standard_files(b->standard, &reads);
    c = c < 0 ? (chuanp_cli_fail(run->cli, "out of memory"), -1)
              : chuanp_cli_check_outputs(run->cli, outs, nout, &reads);
    chuanp_free(shared_rej);
    chuanp_free(outs);
    chuanp_pathlist_free(&reads);
    if (c < 0)
        return -1;
    for (size_t i = 0; i < run->n; i++)
        if (run->files[i].size > 0)
            run->bytes_total += run->files[i].size;
    return 0;
}

/* ----------------------------------------------------------------- run */

static void small_one(size_t i, void *ctx)
{
    brun *run = ctx;
    bfile *f = &run->files[i];
    if (!f->skipped && ((f->size >= 0 && f->size < BIG_FILE) || run->shared))
        chuanp_batch_convert_file(run, f, 1, 0);
}

static void file_done(size_t i, void *ctx)
{
    brun *run = ctx;
    bfile *f = &run->files[i];
    pthread_mutex_lock(&run->mu);
    if (f->diags.count || f->diags.dropped)
        chuanp_batch_progress_clear(run);
    for (size_t k = 0; k < f->diags.count; k++)
        chuanp_batch_print_diag(run->cli->err, &f->diags.items[k]);
    if (f->diags.dropped)
        fprintf(run->cli->err, "%s: %zu more diagnostics not shown\n", f->in, f->diags.dropped);
    chuan_diags_clear(&f->diags);
    if (f->skipped || (f->size >= 0 && f->size < BIG_FILE)) {
        run->files_done++;
        if (f->size > 0 && f->skipped)
            run->bytes_done += f->size;
    }
    chuanp_batch_progress(run, 0);
    pthread_mutex_unlock(&run->mu);
}

static int open_shared(brun *run)
{
    const chuanp_batch_opts *b = run->b;
    char *err = NULL;
    if (chuanp_lock_output(&run->shared_lock, b->output, &err) < 0)
        goto fail;
    if (run->shared_lock.stale) /* part files of killed runs on this output */
        chuanp_remove_stale_parts(b->output, NULL);
    if (chuanp_partfile_open(&run->shared_out, b->output, run->cli->out, NULL, -1, &err) < 0)
        goto fail;
    run->shared_open = 1;
    char *rej = b->rejects ? chuanp_strdup(b->rejects) : default_rejects(b->output);
    if (rej) {
        int rc = chuanp_partfile_open(&run->shared_rej, rej, NULL, NULL, -1, &err);
        chuanp_free(rej);
        if (rc < 0)
            goto fail;
    }
    return 0;
fail:
    chuanp_cli_fail(run->cli, "%s", err ? err : "out of memory");
    chuanp_free(err);
    if (!run->shared_open)
        chuanp_unlock_output(&run->shared_lock);
    return -1;
}

static int close_shared(brun *run, int keep)
{
    char *err = NULL;
    int rc = 0;
    if (!keep) {
        chuanp_partfile_abort(&run->shared_rej);
        chuanp_partfile_abort(&run->shared_out);
        chuanp_unlock_output(&run->shared_lock);
        return 0;
    }
    if (chuanp_partfile_commit(&run->shared_rej, 1, &err) < 0 ||
        chuanp_partfile_commit(&run->shared_out, 0, &err) < 0) {
        chuanp_cli_fail(run->cli, "%s", err ? err : "write error");
        chuanp_free(err);
        chuanp_partfile_abort(&run->shared_out);
        rc = -1;
    }
    chuanp_unlock_output(&run->shared_lock);
    return rc;
}

int chuanp_convert_batch(chuanp_cli *cli, const chuanp_batch_opts *b, const char *const *pos,
                         size_t npos)
{
    static const char *const dash[] = {"-"};
    brun run;
    chuanp_pathlist all = {0};
    chuan_diags cd;
    int rc = CHUAN_EXIT_FAILURE, mu_init = 0;
    memset(&run, 0, sizeof run);
    run.cli = cli;
    run.b = b;
    run.hints = b->hints;
    chuan_diags_init(&cd, 0);
    if (b->o.encoding && chuanp_enc_parse(b->o.encoding) < 0) {
        rc = chuanp_cli_usage_error(cli, "unknown encoding '%s' (accepted: %s)", b->o.encoding,
                                    chuanp_enc_accepted);
        goto out;
    }
    if (b->rejects && b->out_dir) {
        rc = chuanp_cli_usage_error(cli, "--rejects names one file; with --out-dir each output "
                                    "has its own OUTPUT.rejects.ndjson");
        goto out;
    }
    if (b->standard || b->schema) {
        if (chuanp_record_check_new(&run.check, b->standard, b->standard ? NULL : b->schema,
                                    &cd) < 0) {
            for (size_t i = 0; i < cd.count; i++) {
                const chuan_diag *g = &cd.items[i];
                if (g->file)
                    chuanp_batch_print_diag(cli->err, g);
                else
                    fprintf(cli->err, "chuan: error: %s: %s\n", g->code ? g->code : "schema",
                            chuanp_diag_message(g));
            }
            if (b->schema)
                chuanp_cli_fail(cli, "--schema %s does not compile", b->schema);
            else
                chuanp_cli_fail(cli, "-s %s: cannot load the standard package", b->standard);
            goto out;
        }
        run.hints = chuanp_record_check_hints(run.check);
        if (b->standard)
            run.forms = chuanp_record_check_forms(run.check);
    }
    run.record_path = b->o.record_path ? b->o.record_path
                      : run.check ? chuanp_record_check_xml_record(run.check) : NULL;
    if (plan(&run, npos ? pos : dash, npos ? npos : 1, &all) < 0)
        goto out;
    pthread_mutex_init(&run.mu, NULL);
    mu_init = 1;
    run.jobs = b->jobs > 0 ? b->jobs : chuanp_default_jobs();
    int fit = chuanp_jobs_fit(run.jobs);
    if (fit < run.jobs) {
        if (!b->quiet)
            fprintf(cli->err,
                    chuanp_plural(fit, N_("chuan: note: %d worker instead of %d: not enough memory (address space) for more\n"),
                                  N_("chuan: note: %d workers instead of %d: not enough memory (address space) for more\n")),
                    fit, run.jobs);
        run.jobs = fit;
    }
    chuanp_progress_start(&run.progress, cli->err, b->progress, cli->err_is_tty);
    if (run.shared && open_shared(&run) < 0)
        goto out;
    if (run.shared) {
        for (size_t i = 0; i < run.n; i++) {
            chuanp_batch_convert_file(&run, &run.files[i], run.jobs, 1);
            file_done(i, &run);
            if (run.files[i].rc == 2)
                break;
        }
    } else {
        /* small files side by side, then each big one with every worker */
        if (chuanp_run_jobs(run.n, run.jobs, small_one, file_done, &run) < 0) {
            chuanp_cli_fail(cli, "cannot start worker threads");
            goto out;
        }
        for (size_t i = 0; i < run.n; i++) {
            bfile *f = &run.files[i];
            if (f->skipped || (f->size >= 0 && f->size < BIG_FILE))
                continue;
            chuanp_batch_convert_file(&run, f, run.jobs, 1);
            pthread_mutex_lock(&run.mu);
            run.files_done++;
            pthread_mutex_unlock(&run.mu);
        }
    }
    int failed = 0, bad = 0;
    int shared_rej = run.shared && run.shared_rej.fp != NULL;
    int legacy = 0; /* an input in a legacy encoding: the summary says which */
    for (size_t i = 0; i < run.n; i++)
        legacy |= run.files[i].enc > CHUANP_ENC_UTF8;
    long rejected = 0;
    for (size_t i = 0; i < run.n; i++) {
        failed |= run.files[i].rc == 2;
        bad |= run.files[i].rc == 1;
        rejected += run.files[i].rejected;
    }
    if (run.shared) {
        run.shared_open = 0;
        if (close_shared(&run, !failed) < 0)
            failed = 1;
        if (failed) /* nothing was committed */
            for (size_t i = 0; i < run.n; i++)
                run.files[i].written = run.files[i].rejected = 0;
    }
    if (b->resume && !failed) {
        /* every input is done: the journals that proved finished outputs go */
        for (size_t i = 0; i < run.n; i++) {
            char *jp = run.files[i].out ? chuanp_journal_path(run.files[i].out) : NULL;
            if (jp)
                unlink(jp);
            chuanp_free(jp);
        }
    }
    chuanp_batch_progress_clear(&run);
    int unkept = rejected > 0 && run.check && ((run.shared && !shared_rej) ||
                                  (!run.shared && run.n == 1 && !run.files[0].rej));
    if (unkept)
        fprintf(cli->err,
                chuanp_plural(rejected, N_("chuan: %ld rejected record not kept: name a file with --rejects FILE\n"),
                              N_("chuan: %ld rejected records not kept: name a file with --rejects FILE\n")),
                rejected);
    if (!b->quiet)
        chuanp_batch_summary(&run, run.check || b->rejects || run.progress.on || legacy);
    rc = failed ? CHUAN_EXIT_FAILURE : bad ? CHUAN_EXIT_INVALID : CHUAN_EXIT_OK;
out:
    if (run.shared_open)
        close_shared(&run, 0);
    for (size_t i = 0; i < run.n; i++) {
        chuanp_free(run.files[i].out);
        chuanp_free(run.files[i].rej);
        chuan_diags_clear(&run.files[i].diags);
    }
    chuanp_free(run.files);
    if (mu_init)
        pthread_mutex_destroy(&run.mu);
    chuanp_pathlist_free(&all);
    chuanp_record_check_free(run.check);
    chuan_diags_clear(&cd);
    return rc;
}
