/*
 * validator/tableschema.h - Frictionless Table Schema: compile once, check
 * CSV files (thread-safe).
 *
 * A compiled chuanp_tableschema is read-only after chuanp_tableschema_load:
 * every check allocates its own state (unique-value sets, PCRE2 match data).
 * Unique / primaryKey / self-referencing foreignKey checks keep a hash set
 * of the distinct keys seen: memory grows with the number of distinct
 * values of those columns, not with the file size otherwise.
 */
#ifndef CHUAN_TABLESCHEMA_H
#define CHUAN_TABLESCHEMA_H

#include "validator.h"
#include "../converters/csv.h"

typedef struct chuanp_tableschema chuanp_tableschema;

/* Compile the descriptor at path (JSON: {"fields": [...], "missingValues",
 * "primaryKey", "foreignKeys", "fieldsMatch", and the chuan extension
 * "dialect": {"delimiter", "quoteChar", "header"}}). Referenced CSV
 * resources (foreignKeys to code lists) are read now, relative to the
 * schema's directory. Returns 0, or <0 with diagnostics. */
int chuanp_tableschema_load(chuanp_tableschema **out, const char *path, chuan_diags *d);
void chuanp_tableschema_free(chuanp_tableschema *ts);

/* Validate one CSV input. Diagnostics go to d (codes tableschema.*, csv.*),
 * path "row N, column NAME". *rows receives the number of data rows.
 * Returns 0 valid, >0 invalid, <0 could not read. */
int chuanp_tableschema_check_file(const chuanp_tableschema *ts, FILE *in, const char *file,
                                  long *rows, chuan_diags *d);

/* Schema hints for `convert --schema T.json` (see tableschema_hints.c). */
typedef struct chuanp_ts_hints chuanp_ts_hints;
int chuanp_ts_hints_load(chuanp_ts_hints **out, const char *path, chuan_diags *d);
const chuanp_schema_hints *chuanp_ts_hints_get(const chuanp_ts_hints *h);
void chuanp_ts_hints_free(chuanp_ts_hints *h);
/* Its field names in schema order (the columns of a CSV output), appended to c. 0 or -1 (OOM). */
int chuanp_ts_hints_columns(const chuanp_ts_hints *h, chuanp_csv_columns *c);

/* The engine for CHUANP_SCHEMA_TABLESCHEMA (validator/engine.c). */
int chuanp_tableschema_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts,
                                  chuan_diags *d);

#endif /* CHUAN_TABLESCHEMA_H */
