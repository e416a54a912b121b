/* validator/validate_run.h - the engine side of `chuan validate` over many
 * inputs: one engine per standard chosen by auto-selection, and the check
 * of one input with what auto-selection found about it. cli/validate.c
 * parses options, runs the inputs (core jobs) and prints. */
#ifndef CHUAN_VALIDATE_RUN_H
#define CHUAN_VALIDATE_RUN_H

#include "standard.h"
#include "validator.h"

/* Auto-selection: engines[0] checks well-formedness only, then one engine
 * per distinct standard in choices[0..n); eidx[i] is input i's engine.
 * chosen(ctx, std, why) is called once per standard, when compiled.
 * Returns 0, or <0 with diagnostics in cd (nothing added: out of memory or
 * a standard that does not load without saying why, *failed_std names it).
 * The arrays are new (chuanp_free; engines with chuanp_engine_free). */
int chuanp_validate_engines(const chuanp_engine_opts *base, const chuanp_std_choice *choices,
                            size_t n, chuanp_engine ***engines, size_t **eidx, size_t *nengines,
                            void (*chosen)(void *ctx, const char *std, const char *why),
                            void *ctx, const char **failed_std, chuan_diags *cd);

/* Check input i: res is initialised for `name`; choice (may be NULL): what
 * auto-selection found (its diagnostics are moved into res); with
 * require_standard a well-formedness-only result becomes the error
 * standard.none. *enc gets what the input was read as. */
void chuanp_validate_input(const chuanp_engine *e, const char *name, const char *path,
                           chuanp_std_choice *choice, const char *encoding, int note,
                           int require_standard, size_t max_errors, chuan_file_result *res,
                           int *enc);

#endif /* CHUAN_VALIDATE_RUN_H */
