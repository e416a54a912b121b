/* validator/batch_check.h - a compiled record check as the conversion
 * engine's validation hook. */
#ifndef CHUAN_BATCH_CHECK_H
#define CHUAN_BATCH_CHECK_H

#include "record_check.h"
#include "../converters/batch_run.h"

/* Fill *out so that the engine runs c on each record (c outlives the run). */
void chuanp_record_check_batch(chuanp_record_check *c, chuanp_batch_check *out);

#endif
