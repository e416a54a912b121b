/* validator/validate_run.c - per-input engines of auto-selection and the
 * check of one input (validator/validate_run.h). */
#include "validate_run.h"
#include "../core/textenc.h"

#include <string.h>

int chuanp_validate_engines(const chuanp_engine_opts *base, const chuanp_std_choice *choices,
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

void chuanp_validate_input(const chuanp_engine *e, const char *name, const char *path,
                           chuanp_std_choice *choice, const char *encoding, int note,
                           int require_standard, size_t max_errors, chuan_file_result *res,
                           int *enc)
{
    chuan_file_result_init(res, name);
    res->diags.max = max_errors;
    *enc = CHUANP_ENC_UTF8;
    if (choice) {
        /* what auto-selection found about this input (standard.unknown-service) */
        if (chuan_diags_move(&res->diags, &choice->diags) < 0)
            res->diags.oom = 1;
        res->selected = chuanp_strdup(choice->why);
    }
    chuanp_validate_one(e, name, path, CHUANP_FMT_AUTO, encoding, note, res, enc);
    if (res->status == CHUAN_STATUS_WELLFORMED && require_standard) {
        /* no standard, schema or package applied: an error when the run requires one */
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.none", .file = name,
                         .offset = -1,
                         .message = "no standard, schema or package applies to this input: only "
                                    "well-formedness was checked (--require-standard)"};
        res->status = chuan_diags_add(&res->diags, &dg) < 0 ? CHUAN_STATUS_FAILED
                                                            : CHUAN_STATUS_INVALID;
    }
}
