/*
 * cli/convert_batch.h - `chuan convert` wired to the conversion engine
 * (converters/batch_run.h): the validation compiled (-s, a JSON Schema),
 * the engine's events printed (diagnostics, progress, failures), the
 * summary and the exit code. README.md ("Batch conversion") is the user
 * documentation.
 */
#ifndef CHUAN_CONVERT_BATCH_H
#define CHUAN_CONVERT_BATCH_H

#include "cli.h"

#include "../converters/batch_run.h"

typedef struct chuanp_cvb_opts {
    chuanp_batch_opts e;          /* the engine's options (check, forms, reads: set here) */
    const char *standard, *schema; /* validation: -s ID or a JSON Schema file */
    const char *schema_file;      /* --schema (any kind): never overwritten */
    int progress;                 /* -1 auto (TTY), 0 never, 1 always */
    int quiet;
} chuanp_cvb_opts;

/* Run it; returns the exit code. */
int chuanp_convert_batch(chuanp_cli *cli, chuanp_cvb_opts *b, const char *const *pos,
                         size_t npos);

#endif /* CHUAN_CONVERT_BATCH_H */
