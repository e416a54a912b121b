/* validator/batch_check.c - record validation (validator/record_check.h)
 * handed to the conversion engine (converters/batch_run.h), which sits
 * below the validator and only knows chuanp_batch_check. */
#include "batch_check.h"

static void *state_new(void *ctx)
{
    return chuanp_record_check_state_new(ctx);
}

static void state_free(void *state)
{
    chuanp_record_check_state_free(state);
}

static int run(void *ctx, void *state, const chuanp_jv *value, const char *file, chuan_diags *d)
{
    return chuanp_record_check_run(ctx, state, value, file, d);
}

void chuanp_record_check_batch(chuanp_record_check *c, chuanp_batch_check *out)
{
    out->ctx = c;
    out->state_new = state_new;
    out->state_free = state_free;
    out->run = run;
}
