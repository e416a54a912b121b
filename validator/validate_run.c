/* validator/validate_run.c - `chuan validate` over many inputs: per-input
 * engines of auto-selection, the check of one input, the job loop and the
 * counts (validator/validate_run.h). */
#include "validate_run.h"
#include "../core/textenc.h"

#include "jsonschema.h"

#include <errno.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Auto-selection: engines[0] checks well-formedness only, then one engine
 * per distinct standard in choices[0..n); eidx[i] is input i's engine.
 * chosen(ctx, std, why) is called once per standard, when compiled.
 * Returns 0, or <0 with diagnostics in cd (nothing added: out of memory or
 * a standard that does not load without saying why, *failed_std names it).
 * The arrays are new (chuanp_free; engines with chuanp_engine_free). */

static int validate_engines(const chuanp_engine_opts *base, const chuanp_std_choice *choices,
                            size_t n, chuanp_engine ***engines, size_t **eidx, size_t *nengines,
                            void (*chosen)(void *ctx, const char *std, const char *why),
                            void *ctx, const char **failed_std, chuan_diags *cd)
{
    *failed_std = NULL;
    *nengines = 0;
    *engines = chuanp_calloc(n + 1, sizeof **engines);
    *eidx = chuanp_calloc(n + 1, sizeof **eidx);
    const char **ids = chuanp_calloc(n + 1, sizeof *ids);
    int rc = -1;
    if (!*engines || !*eidx || !ids)
        goto out;
    chuanp_engine_opts wf = *base;
    wf.type = CHUANP_SCHEMA_NONE;
    wf.standard = NULL;
    /* --unwrap needs a standard: refused (exit 2) only when an input has none */
    int unmatched = 0;
    for (size_t i = 0; i < n; i++)
        unmatched |= choices[i].standard == NULL;
    if (!unmatched)
        wf.unwrap = NULL;
    if (chuanp_engine_compile(&(*engines)[0], &wf, cd) < 0)
        goto out;
    *nengines = 1;
    for (size_t i = 0; i < n; i++) {
        const char *std = choices[i].standard;
        if (!std)
            continue;
        size_t k = 1;
        while (k < *nengines && strcmp(ids[k], std) != 0)
            k++;
        if (k == *nengines) {
            chuanp_engine_opts eo = *base;
            eo.type = CHUANP_SCHEMA_STANDARD;
            eo.standard = std;
            if (chuanp_engine_compile(&(*engines)[k], &eo, cd) < 0) {
                *failed_std = std;
                goto out;
            }
            ids[k] = std;
            (*nengines)++;
            chosen(ctx, std, choices[i].why);
        }
        (*eidx)[i] = k;
    }
    rc = 0;
out:
    chuanp_free(ids);
    return rc;
}

/* Check input i: res is initialised for `name`; choice (may be NULL): what
 * auto-selection found (its diagnostics are moved into res); with
 * require_standard a well-formedness-only result becomes the error
 * standard.none. *enc gets what the input was read as. */
static void validate_input(const chuanp_engine *e, const char *name, const char *path,
                           chuanp_std_choice *choice, const char *encoding, int note,
                           int require_standard, size_t max_errors, chuan_file_result *res,
                           int *enc)
{
    chuan_file_result_init(res, name);
    res->diags.max = max_errors;
    *enc = CHUANP_ENC_UTF8;
    if (choice) /* what auto-selection found about this input (standard.unknown-service) */
        chuanp_result_take_choice(res, choice, name);
    chuanp_validate_one(e, name, path, CHUANP_FMT_AUTO, encoding, note, res, enc);
    if (res->status == CHUAN_STATUS_WELLFORMED && require_standard) {
        /* no standard, schema or package applied: an error when the run requires one */
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.none", .file = name,
                         .offset = -1,
                         .message = N_("no standard, schema or package applies to this input: only "
                                    "well-formedness was checked (--require-standard)")};
        res->status = chuan_diags_add(&res->diags, &dg) < 0 ? CHUAN_STATUS_FAILED
                                                            : CHUAN_STATUS_INVALID;
    }
}

int chuanp_vrun_engines(chuanp_vrun *r, const chuanp_engine_opts *eng,
                        const char *const *paths, size_t n,
                        void (*chosen)(void *ctx, const char *std, const char *why),
                        void *ctx, const char **failed_std, chuan_diags *cd)
{
    r->stdin_fd = -1;
    r->n = n;
    *failed_std = NULL;
    if (eng->type != CHUANP_SCHEMA_NONE) {
        if (chuanp_engine_compile(&r->own, eng, cd) < 0)
            return -3;
        r->engine = r->own;
        return 0;
    }
    /* no -s / --schema: per input, a .chuan.json glob, the XML root, a JSON
     * member named by a package or a JSON $schema may name one */
    int req = 0;
    if (chuanp_standard_autoselect_each(&r->choices, &req, paths, n, cd) < 0)
        return -1;
    r->require_standard |= req;
    if (validate_engines(eng, r->choices, n, &r->engines, &r->eidx, &r->nengines, chosen, ctx,
                         failed_std, cd) < 0)
        return -2;
    r->engine = r->engines[0];
    return 0;
}

int chuanp_vrun_inputs(chuanp_vrun *r, const char *const *paths)
{
    r->names = paths;
    r->paths = chuanp_calloc(r->n, sizeof *r->paths);
    r->results = chuanp_calloc(r->n, sizeof *r->results);
    r->sizes = chuanp_calloc(r->n, sizeof *r->sizes);
    r->encs = chuanp_calloc(r->n, sizeof *r->encs);
    if (!r->paths || !r->results || !r->sizes || !r->encs)
        return -1;
    for (size_t i = 0; i < r->n; i++) {
        if (strcmp(paths[i], "-") == 0) {
            /* spooled to an unlinked temporary file (core/io_spool.c) so every
             * engine can read it by path (and sniff it) in constant memory */
            if (r->stdin_fd < 0) {
                errno = 0;
                FILE *t = chuanp_spool_stream(NULL, 0, stdin);
                r->stdin_fd = t ? dup(fileno(t)) : -1;
                int e = errno ? errno : EIO;
                if (t)
                    fclose(t);
                if (r->stdin_fd < 0)
                    return errno = e, -2;
            }
            r->paths[i] = chuanp_asprintf("/dev/fd/%d", r->stdin_fd);
        } else {
            r->paths[i] = chuanp_strdup(paths[i]);
        }
        if (!r->paths[i])
            return -1;
        struct stat st;
        r->sizes[i] = stat(r->paths[i], &st) == 0 && S_ISREG(st.st_mode) ? (long long)st.st_size : -1;
        if (r->sizes[i] > 0)
            r->bytes_total += r->sizes[i];
    }
    return 0;
}

static void check_one(size_t i, void *ctx)
{
    chuanp_vrun *r = ctx;
    chuan_file_result *res = &r->results[i];
    int enc = CHUANP_ENC_UTF8;
    const chuanp_engine *engine = r->engines ? r->engines[r->eidx[i]] : r->engine;
    validate_input(engine, r->names[i], r->paths[i], r->choices ? &r->choices[i] : NULL,
                   r->encoding, r->note, r->require_standard, r->max_errors, res, &enc);
    r->encs[i] = (chuanp_enc)enc;
    pthread_mutex_lock(&r->mu);
    r->files_done++;
    r->records += res->records;
    r->invalid += res->status == CHUAN_STATUS_INVALID || res->status == CHUAN_STATUS_FAILED;
    if (r->sizes[i] > 0)
        r->bytes_done += r->sizes[i];
    r->progress(r->ctx, r, 0);
    pthread_mutex_unlock(&r->mu);
}

static void fold_one(size_t i, void *ctx)
{
    chuanp_vrun *r = ctx;
    chuan_file_result *res = &r->results[i];
    if (chuanp_alloc_failures() > 0 && !r->memory_noted) {
        /* Out of memory during the run: this result (and the run) cannot be
         * trusted; say so in the report itself, once (exit 2 follows). */
        r->memory_noted = 1;
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "io.memory", .file = res->file,
                        .offset = -1, .message = N_("out of memory: the check is incomplete")};
        chuan_diags_add(&res->diags, &d);
        res->status = CHUAN_STATUS_FAILED;
    }
    int code = res->status == CHUAN_STATUS_FAILED ? CHUAN_EXIT_FAILURE
               : res->status == CHUAN_STATUS_INVALID ? CHUAN_EXIT_INVALID : CHUAN_EXIT_OK;
    if (code > r->worst)
        r->worst = code;
    if (res->status == CHUAN_STATUS_FAILED)
        r->failed_files++;
    else if (res->status == CHUAN_STATUS_INVALID)
        r->invalid_files++;
    else if (res->status == CHUAN_STATUS_WELLFORMED)
        r->wellformed_files++;
    else
        r->valid_files++;
    r->records_total += res->records;
    if (r->encs[i] > CHUANP_ENC_NONE && r->encs[i] < CHUANP_ENC_COUNT)
        r->per_enc[r->encs[i]]++;
    pthread_mutex_lock(&r->mu);
    if (r->report(r->ctx, res) < 0)
        r->report_failed = 1;
    r->progress(r->ctx, r, 0);
    pthread_mutex_unlock(&r->mu);
    chuan_file_result_clear(res);
}

int chuanp_vrun_run(chuanp_vrun *r, int jobs)
{
    /* fewer inputs than workers: the JSON Schema engine splits big NDJSON streams */
    if (r->n < (size_t)jobs) {
        int per = (int)((size_t)jobs / r->n);
        chuanp_jsonschema_engine_set_jobs((chuanp_engine *)r->engine, per);
        for (size_t k = 1; k < r->nengines; k++)
            chuanp_jsonschema_engine_set_jobs(r->engines[k], per);
    }
    pthread_mutex_init(&r->mu, NULL);
    r->mu_init = 1;
    return chuanp_run_jobs(r->n, jobs, check_one, fold_one, r);
}

/* "12 files: 10 valid, 2 invalid, 0 failed; 1000000 records; encodings: utf-8 10, tcvn3 2"
 * ("..., 3 well-formed only (no standard matched), ..." when some had nothing to check) */
void chuanp_vrun_summary(FILE *err, const chuanp_vrun *r, size_t n)
{
    fprintf(err, chuanp_plural((long)n, N_("%zu file: %zu valid, "), N_("%zu files: %zu valid, ")), n,
            r->valid_files);
    if (r->wellformed_files)
        fprintf(err, _("%zu well-formed only (no standard matched), "), r->wellformed_files);
    fprintf(err, _("%zu invalid, %zu failed; "), r->invalid_files, r->failed_files);
    fprintf(err, chuanp_plural(r->records_total, N_("%ld record"), N_("%ld records")), r->records_total);
    const char *sep = _("; encodings: ");
    for (int e = 0; e < CHUANP_ENC_COUNT; e++)
        if (r->per_enc[e]) {
            fprintf(err, "%s%s %zu", sep, chuanp_enc_name((chuanp_enc)e), r->per_enc[e]);
            sep = ", ";
        }
    fputc('\n', err);
}

void chuanp_vrun_free(chuanp_vrun *r)
{
    if (r->paths)
        for (size_t i = 0; i < r->n; i++)
            chuanp_free(r->paths[i]);
    chuanp_free(r->paths);
    chuanp_free(r->results);
    chuanp_free(r->sizes);
    chuanp_free(r->encs);
    if (r->mu_init)
        pthread_mutex_destroy(&r->mu);
    if (r->stdin_fd >= 0)
        close(r->stdin_fd);
    for (size_t i = 0; r->engines && i < r->nengines; i++)
        chuanp_engine_free(r->engines[i]);
    chuanp_free(r->engines);
    chuanp_free(r->eidx);
    chuanp_std_choices_free(r->choices, r->n);
    chuanp_engine_free(r->own);
    memset(r, 0, sizeof *r);
    r->stdin_fd = -1;
}
