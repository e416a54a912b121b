/* validator/validate_run.h - the engine side of `chuan validate` over many
 * inputs: the engines (one, or one per standard chosen by auto-selection),
 * the inputs (standard input spooled once), the job loop over the inputs
 * and the folding of their results into counts. cli/validate.c parses
 * options, prints progress, reports and the summary. */
#ifndef CHUAN_VALIDATE_RUN_H
#define CHUAN_VALIDATE_RUN_H

#include "standard.h"
#include "validator.h"
#include "../core/textenc.h"

#include <pthread.h>

/* A run over many inputs. The caller sets the options and hooks, then
 * calls chuanp_vrun_engines, chuanp_vrun_inputs, chuanp_vrun_run, and
 * always chuanp_vrun_free. */
typedef struct chuanp_vrun chuanp_vrun;
struct chuanp_vrun {
    /* set by the caller */
    const char *encoding;  /* NULL: detected per input */
    int note;              /* add the "well-formed only" note */
    int require_standard;  /* ORed with what the configuration requires */
    size_t max_errors;
    /* under the run's lock: a result (report it; <0 the report failed),
     * and the counters changed (force: draw now) */
    int (*report)(void *ctx, chuan_file_result *res);
    void (*progress)(void *ctx, const chuanp_vrun *r, int force);
    void *ctx;
    /* read only for the caller */
    size_t n;                  /* inputs */
    const chuanp_engine *engine; /* the one engine, or the well-formedness one */
    size_t files_done, invalid;  /* under the lock: progress */
    long records;
    long long bytes_done, bytes_total;
    size_t valid_files, invalid_files, failed_files, wellformed_files; /* the summary */
    long records_total;
    size_t per_enc[CHUANP_ENC_COUNT];
    int worst;                 /* highest exit code of a result */
    int report_failed;
    /* private */
    chuanp_engine *own;        /* the engine compiled for -s/--schema */
    chuanp_engine **engines;   /* auto-selection */
    size_t *eidx, nengines;
    chuanp_std_choice *choices;
    char **paths;
    const char *const *names;
    chuan_file_result *results;
    long long *sizes;
    chuanp_enc *encs;
    int stdin_fd, memory_noted, mu_init;
    pthread_mutex_t mu;
};

/* The engines for the inputs: with eng->type CHUANP_SCHEMA_NONE, auto-
 * selection per input (chosen() once per standard compiled), else eng.
 * Returns 0; -1 auto-selection failed (diagnostics in cd); -2 a per-input
 * engine failed (diagnostics in cd, or none: *failed_std names the
 * standard, NULL out of memory); -3 the schema did not compile (cd). */
int chuanp_vrun_engines(chuanp_vrun *r, const chuanp_engine_opts *eng,
                        const char *const *paths, size_t n,
                        void (*chosen)(void *ctx, const char *std, const char *why),
                        void *ctx, const char **failed_std, chuan_diags *cd);
/* What each engine reads ("-": standard input, spooled once) and the
 * sizes. 0, -1 out of memory, -2 standard input could not be spooled
 * (errno). */
int chuanp_vrun_inputs(chuanp_vrun *r, const char *const *paths);
/* Check the inputs with jobs workers (results in input order through
 * report). 0, or -1 when the threads could not start. */
int chuanp_vrun_run(chuanp_vrun *r, int jobs);
/* The summary line of n inputs on err: "12 files: 10 valid, 2 invalid, 0
 * failed; 1000000 records; encodings: utf-8 10, tcvn3 2". */
void chuanp_vrun_summary(FILE *err, const chuanp_vrun *r, size_t n);
void chuanp_vrun_free(chuanp_vrun *r);

#endif /* CHUAN_VALIDATE_RUN_H */
