/*
 * converters/batch_run.h - the conversion engine of `chuan convert`: one
 * pipeline for one file, many files, standard input, --out-dir, -j N,
 * --record, --resume, validation on the way with a rejects file.
 *
 * A run is planned (inputs found by the one input collector, their outputs
 * mirrored under --out-dir, never outside it, never onto anything the run
 * reads), then executed: small files side by side with one worker each,
 * large ones (and standard input) one at a time with every worker on their
 * chunks. Everything the run has to say goes through the caller's events
 * (cli/convert_batch.c prints them); the caller folds the per-file results
 * into a summary and an exit code.
 *
 * Files: batch_plan.c (inputs and outputs), batch_run.c (the run, the
 * shared output; chuanp_batch_convert_one: one input on it, for the API
 * and the tests), batch_file.c (one input, opened by the raw form of
 * converters/input.h), batch_read.c (cutting a raw record stream into
 * chunks), batch_worker.c (a chunk's records),
 * batch_emit.c (in-order writing, checkpoints), batch_stream.c (documents
 * and XML record streams), batch_outputs.c (part files, lock, journal),
 * batch_chunk.c (chunk plumbing), batch_split.c and batch_rejects.c
 * (converters/batch.h). Validation comes from above through
 * chuanp_batch_check (validator/batch_check.c builds one).
 */
#ifndef CHUAN_BATCH_RUN_H
#define CHUAN_BATCH_RUN_H

#include "batch.h"
#include "../core/journal.h"
#include "../core/textenc.h"

#include <pthread.h>

/* Validation of each record (NULL in the options: none). run() returns 0
 * valid, >0 invalid (diagnostics added), <0 internal error. One state per
 * worker; ctx is shared by the threads. */
typedef struct chuanp_batch_check {
    void *ctx;
    void *(*state_new)(void *ctx);
    void (*state_free)(void *state);
    int (*run)(void *ctx, void *state, const chuanp_jv *value, const char *file, chuan_diags *d);
} chuanp_batch_check;

typedef struct chuanp_batch_counts {
    size_t files_done, files;
    long records, rejected;
    long long bytes_done, bytes_total;
} chuanp_batch_counts;

/* What the run reports, called under the run's lock (never at once). */
typedef struct chuanp_batch_events {
    void *ctx;
    /* diagnostics (in order) of one input, and how many were dropped */
    void (*diags)(void *ctx, const char *file, const chuan_diags *d);
    /* progress after a chunk, a record or a file */
    void (*progress)(void *ctx, const chuanp_batch_counts *c);
    /* the run cannot go on as asked: usage (a usage error) or a failure */
    void (*fail)(void *ctx, int usage, const char *msg);
} chuanp_batch_events;

typedef struct chuanp_batch_opts {
    chuanp_convert_opts o;        /* as parsed (file, hints set per input) */
    const chuanp_schema_hints *hints;   /* schema-aware mapping, else NULL */
    const chuanp_package_forms *forms;  /* -s: the package's JSON/CSV forms, else NULL */
    const chuanp_batch_check *check;    /* validation, else NULL */
    const char *output, *out_dir, *rejects;
    FILE *stdout_fp;              /* the output when output is NULL or "-" */
    const chuanp_pathlist *reads; /* files the run reads besides its inputs (schema, package) */
    int jobs;                     /* 0: number of cores */
    int resume;
    int keep_rejects;             /* without --rejects: OUTPUT.rejects.ndjson next to an output file */
    long max_errors;
    int argc;                     /* the verb's arguments: the journal's job identity */
    const char **argv;
} chuanp_batch_opts;

typedef struct chuanp_batch_file {
    const char *in;       /* input path or "-" */
    char *out;            /* output path; NULL: the shared output (-o / stdout) */
    char *rej;            /* rejects path; NULL: none kept */
    long long size;       /* input bytes (-1 unknown) */
    int rc;               /* 0 converted, 1 records rejected / not converted, 2 failed */
    int skipped;          /* --resume: already complete */
    chuanp_enc enc;       /* decoded as */
    long records, written, rejected;
    size_t case_words;    /* TCVN3 words whose case was inferred */
    long deleted;         /* DBF: records marked deleted, skipped (converters/table.h) */
    chuan_diags diags;    /* kept when the file runs beside others */
    /* the public API (validator/api_convert_run.c): the input as an open stream (read to
     * its end, not closed; `in` is then only its name), and a partition's place in the
     * whole input (first_line 0: whole; see chuan_convert_job) */
    FILE *src;
    long first_line, records_before;
} chuanp_batch_file;

typedef struct chuanp_batch_run {
    const chuanp_batch_opts *b;
    chuanp_batch_events ev;
    const char *record_path;      /* --record, else the standard's XML record element */
    chuanp_batch_file *files;
    size_t n;
    chuanp_pathlist inputs;       /* the collected input paths (files[i].in point here) */
    int jobs;
    int shared;                   /* every input goes to one output */
    chuanp_partfile shared_out, shared_rej;
    chuanp_lock shared_lock;      /* the shared output's lock */
    int shared_open;
    int shared_rej_kept;          /* the shared output had a rejects file */
    long rejected_seen;           /* records rejected, committed or not */
    int mu_init;
    pthread_mutex_t mu;           /* counters, events */
    /* counters */
    size_t files_done;
    long records, written, rejected;
    long long bytes_total, bytes_done;
} chuanp_batch_run;

/* Plan a run over the command-line paths (none: standard input): inputs,
 * outputs, the checks that nothing is overwritten. record_path: --record,
 * else the standard's record element (may be NULL). Returns 0, or -1 after
 * ev.fail. */
int chuanp_batch_plan(chuanp_batch_run *run, const chuanp_batch_opts *b,
                      const chuanp_batch_events *ev, const char *record_path,
                      const char *const *pos, size_t npos);
/* Convert every input. Returns 0 (see files[i].rc), or -1 after ev.fail
 * when the run could not go on (no summary). *commit_failed: the shared
 * output could not be committed (reported). */
int chuanp_batch_execute(chuanp_batch_run *run, int *commit_failed);
void chuanp_batch_run_free(chuanp_batch_run *run);
/* batch_file.c: one input. print_now: diagnostics go to the events at once
 * (the file runs alone), else into f->diags. Sets f->rc. */
void chuanp_batch_convert_file(chuanp_batch_run *run, chuanp_batch_file *f, int jobs,
                               int print_now);

/* One input on the engine with the run's shared output (the public API,
 * validator/api_convert_run.c, and the unit tests): b as for a run (output
 * and rejects: the names diagnostics give the two streams; jobs 0: one
 * worker), f->in (its name), f->src (the input as an open stream, read to its
 * end, not closed; NULL: f->in is opened) and a partition's place set by the
 * caller; out: the output, rej: the rejects (NULL: none kept), neither
 * closed. The input's diagnostics are moved to d, its counts left in f.
 * Returns f->rc (0 converted, 1 records rejected / not converted, 2 failed),
 * 2 when the diagnostics could not be kept. */
int chuanp_batch_convert_one(const chuanp_batch_opts *b, chuanp_batch_file *f, FILE *out,
                             FILE *rej, chuan_diags *d);

/* "N converted, N not converted, N failed, N files" (several inputs), then
 * with records_line "N records: N converted, N rejected; encodings: ...". */
void chuanp_batch_summary(FILE *err, const chuanp_batch_run *run, int records_line);

#endif /* CHUAN_BATCH_RUN_H */
