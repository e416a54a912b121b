/*
 * cli/convert_batch.h - `chuan convert` in batch mode: validation on the
 * way with a rejects file, legacy encodings, one large record stream split
 * across workers, crash-safe outputs with --resume, progress and summary.
 * cli/convert.c hands a run over when chuanp_convert_batch_wanted() says
 * so; README.md ("Batch conversion") is the user documentation.
 *
 * Files: convert_batch.c (planning: inputs, outputs under --out-dir, the
 * run and its summary), batch_file.c (one input: chunked or streamed),
 * batch_progress.c (progress line and summary).
 */
#ifndef CHUAN_CONVERT_BATCH_H
#define CHUAN_CONVERT_BATCH_H

#include "cli.h"

#include "../converters/batch.h"
#include "../converters/convert.h"
#include "../core/journal.h"
#include "../core/textenc.h"
#include "../validator/record_check.h"

#include <pthread.h>

typedef struct chuanp_batch_opts {
    chuanp_convert_opts o;        /* as parsed (file, hints set per input) */
    const chuanp_schema_hints *hints; /* from an XSD / Table Schema --schema, else NULL */
    const char *standard, *schema; /* validation: -s ID or a JSON Schema file */
    const char *output, *out_dir, *rejects;
    int jobs;                     /* 0: number of cores */
    int resume;
    int progress;                 /* -1 auto (TTY), 0 never, 1 always */
    int quiet;
    long max_errors;
    int argc;                     /* the verb's arguments: the journal's job identity */
    const char **argv;
} chuanp_batch_opts;

/* Whether the run needs batch mode: validation (-s, a JSON Schema), --rejects,
 * --resume or --out-dir. */
int chuanp_convert_batch_wanted(const chuanp_batch_opts *b, const char *const *pos, size_t npos);
/* Run it; returns the exit code. */
int chuanp_convert_batch(chuanp_cli *cli, const chuanp_batch_opts *b, const char *const *pos,
                         size_t npos);

/* ---- internals shared by the batch files ----------------------------- */

typedef struct bfile {
    const char *in;       /* input path or "-" */
    char *out;            /* output path; NULL: the shared output (-o / stdout) */
    char *rej;            /* rejects path; NULL: none kept */
    long long size;       /* input bytes (-1 unknown) */
    int rc;               /* 0 converted, 1 records rejected / not converted, 2 failed */
    int skipped;          /* --resume: already complete */
    chuanp_enc enc;       /* decoded as */
    long records, written, rejected;
    size_t case_words;    /* TCVN3 words whose case was inferred */
    chuan_diags diags;    /* kept when the file runs beside others */
    /* the public API (cli/api_convert.c): the input as an open stream (read to its
     * end, not closed; `in` is then only its name), and a partition's place in the
     * whole input (first_line 0: whole; see chuan_convert_job) */
    FILE *src;
    long first_line, records_before;
} bfile;

typedef struct brun {
    chuanp_cli *cli;
    const chuanp_batch_opts *b;
    chuanp_record_check *check;
    const chuanp_schema_hints *hints;
    const char *record_path;      /* --record, else the standard's XML record element */
    const chuanp_package_forms *forms; /* -s: the package's JSON/CSV forms, else NULL */
    bfile *files;
    size_t n;
    int jobs;
    int shared;                   /* every input goes to one output */
    chuanp_partfile shared_out, shared_rej;
    chuanp_lock shared_lock;      /* the shared output's lock */
    int shared_open;
    pthread_mutex_t mu;           /* counters, progress, standard error */
    /* counters */
    size_t files_done;
    long records, written, rejected;
    long long bytes_total, bytes_done;
    long per_enc[CHUANP_ENC_COUNT];
    chuanp_progress progress;
} brun;

/* Bytes per chunk of a record stream: 512 KiB, or CHUAN_BATCH_CHUNK_KB (tests). */
size_t chuanp_batch_chunk_bytes(void);

/* One input (batch_file.c). print_now: diagnostics go to standard error at
 * once (the file runs alone), else into f->diags. Sets f->rc. */
void chuanp_batch_convert_file(brun *run, bfile *f, int jobs, int print_now);

/* batch_progress.c: all under run->mu */
void chuanp_batch_progress(brun *run, int force);
void chuanp_batch_progress_clear(brun *run);
void chuanp_batch_print_diag(FILE *err, const chuan_diag *g);
/* "N converted, N not converted, N failed, N files" (several inputs), then
 * with records_line "N records: N converted, N rejected; encodings: ...". */
void chuanp_batch_summary(brun *run, int records_line);

#endif /* CHUAN_CONVERT_BATCH_H */
