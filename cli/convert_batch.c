/* cli/convert_batch.c - `chuan convert` on the conversion engine
 * (converters/batch_run.h): compile the validation, print what the engine
 * reports, fold the results into a summary and an exit code. */
#include "convert_batch.h"

#include "../validator/batch_check.h"
#include "../validator/standard.h"

#include <string.h>
#include <sys/stat.h>

typedef struct cvb_ctx {
    chuanp_cli *cli;
    chuanp_progress progress;
} cvb_ctx;

static void ev_diags(void *ctx, const char *file, const chuan_diags *d)
{
    cvb_ctx *c = ctx;
    chuanp_progress_clear(&c->progress);
    for (size_t k = 0; k < d->count; k++)
        chuanp_diag_print(c->cli->err, &d->items[k]);
    if (d->dropped)
        fprintf(c->cli->err, "%s: %zu more diagnostics not shown\n", file, d->dropped);
}

static void ev_progress(void *ctx, const chuanp_batch_counts *n)
{
    cvb_ctx *c = ctx;
    chuanp_progress_counts pc = {.files_done = n->files_done, .files = n->files,
                                 .records = n->records, .bad = n->rejected,
                                 .bad_label = N_("rejected"), .bytes_done = n->bytes_done,
                                 .bytes_total = n->bytes_total};
    chuanp_progress_draw(&c->progress, 0, &pc);
}

static void ev_fail(void *ctx, int usage, const char *msg)
{
    cvb_ctx *c = ctx;
    chuanp_progress_clear(&c->progress);
    if (usage)
        chuanp_cli_usage_error(c->cli, "%s", msg);
    else
        chuanp_cli_fail(c->cli, "%s", msg);
}

/* The record check of -s / a JSON Schema; its compile errors are shown. */
static int load_check(chuanp_cli *cli, const chuanp_cvb_opts *b, chuanp_record_check **check)
{
    chuan_diags cd;
    chuan_diags_init(&cd, 0);
    int rc = chuanp_record_check_new(check, b->standard, b->standard ? NULL : b->schema, &cd);
    if (rc < 0)
        chuanp_cli_diags(cli, &cd);
    if (rc < 0 && b->schema)
        chuanp_cli_fail(cli, "--schema %s does not compile", b->schema);
    else if (rc < 0)
        chuanp_cli_fail(cli, "-s %s: cannot load the standard package", b->standard);
    chuan_diags_clear(&cd);
    return rc < 0 ? -1 : 0;
}

/* The exit code of a finished run, after its last words on standard error. */
static int finish(chuanp_cli *cli, const chuanp_cvb_opts *b, const chuanp_batch_run *run,
                  int commit_failed)
{
    int failed = commit_failed, bad = 0;
    for (size_t i = 0; i < run->n; i++) {
        failed |= run->files[i].rc == 2;
        bad |= run->files[i].rc == 1;
    }
    long rejected = run->rejected_seen;
    int unkept = rejected > 0 && b->e.check &&
                 ((run->shared && !run->shared_rej_kept) ||
                  (!run->shared && run->n == 1 && !run->files[0].rej));
    if (unkept)
        fprintf(cli->err,
                chuanp_plural(rejected, N_("chuan: %ld rejected record not kept: name a file with --rejects FILE\n"),
                              N_("chuan: %ld rejected records not kept: name a file with --rejects FILE\n")),
                rejected);
    return failed ? CHUAN_EXIT_FAILURE : bad ? CHUAN_EXIT_INVALID : CHUAN_EXIT_OK;
}

int chuanp_convert_batch(chuanp_cli *cli, chuanp_cvb_opts *b, const char *const *pos,
                         size_t npos)
{
    chuanp_batch_run run;
    chuanp_record_check *check = NULL;
    chuanp_batch_check hook;
    chuanp_pathlist reads = {0};
    cvb_ctx ctx = {.cli = cli};
    int rc = CHUAN_EXIT_FAILURE;
    memset(&run, 0, sizeof run);
    if (b->e.rejects && b->e.out_dir) {
        rc = chuanp_cli_usage_error(cli, "--rejects names one file; with --out-dir each output "
                                    "has its own OUTPUT.rejects.ndjson");
        goto out;
    }
    if (b->standard || b->schema) {
        if (load_check(cli, b, &check) < 0)
            goto out;
        chuanp_record_check_batch(check, &hook);
        b->e.check = &hook;
        b->e.hints = chuanp_record_check_hints(check);
        if (b->standard)
            b->e.forms = chuanp_record_check_forms(check);
    }
    /* never overwrite the schema or a package file either */
    if (b->schema_file && chuanp_pathlist_add(&reads, b->schema_file) < 0) {
        rc = chuanp_cli_fail(cli, "out of memory");
        goto out;
    }
    if (b->standard)
        chuanp_standard_files(b->standard, &reads);
    b->e.reads = &reads;
    b->e.stdout_fp = cli->out;
    const char *record_path = b->e.o.record_path ? b->e.o.record_path
                              : check ? chuanp_record_check_xml_record(check) : NULL;
    chuanp_batch_events ev = {.ctx = &ctx, .diags = ev_diags, .progress = ev_progress,
                              .fail = ev_fail};
    if (chuanp_batch_plan(&run, &b->e, &ev, record_path, pos, npos) < 0)
        goto out;
    run.jobs = chuanp_cli_jobs_fit(cli, run.jobs, b->quiet);
    chuanp_progress_start(&ctx.progress, cli->err, b->progress, cli->err_is_tty);
    int commit_failed = 0;
    if (chuanp_batch_execute(&run, &commit_failed) < 0)
        goto out;
    int legacy = 0; /* an input in a legacy encoding: the summary says which */
    for (size_t i = 0; i < run.n; i++)
        legacy |= run.files[i].enc > CHUANP_ENC_UTF8;
    chuanp_progress_clear(&ctx.progress);
    rc = finish(cli, b, &run, commit_failed);
    if (!b->quiet)
        chuanp_batch_summary(cli->err, &run, check || b->e.rejects || ctx.progress.on || legacy);
out:
    chuanp_batch_run_free(&run);
    chuanp_pathlist_free(&reads);
    chuanp_record_check_free(check);
    return rc;
}
