/* tests/common/convert_engine.h - convert one stream with the conversion
 * engine `chuan convert` runs, through the function the public API uses
 * (chuanp_batch_convert_one, converters/batch_run.h): the input as an open
 * stream, the output as the run's shared output, no rejects kept, one worker,
 * the counts under the names the tests use. For the unit tests and fuzz
 * targets that give the engine internal options directly.
 *
 * Returns 0 every record converted, 1 some (or the one document) not
 * converted (diagnostics in d), -1 the conversion could not run; *st gets
 * the counts (bad: records not converted). */
#ifndef CHUAN_TEST_CONVERT_ENGINE_H
#define CHUAN_TEST_CONVERT_ENGINE_H

#include "../../converters/batch_run.h"
#include "../../converters/convert.h"

#include <string.h>

typedef struct chuanp_convert_stats {
    long records; /* records read, good and bad */
    long written; /* records the writer accepted */
    long bad;     /* records not converted */
} chuanp_convert_stats;

static inline int test_convert_engine(FILE *in, FILE *out, const chuanp_convert_opts *o,
                                      chuanp_convert_stats *st, chuan_diags *d)
{
    chuanp_batch_opts b;
    memset(&b, 0, sizeof b);
    b.o = *o;
    b.hints = o->hints;
    b.forms = o->forms;
    b.jobs = 1;
    b.output = "the output";
    chuanp_batch_file f;
    memset(&f, 0, sizeof f);
    f.in = o->file ? o->file : "<stream>";
    f.src = in;
    int rc = chuanp_batch_convert_one(&b, &f, out, NULL, d);
    memset(st, 0, sizeof *st);
    st->records = f.records;
    st->written = f.written;
    st->bad = f.rejected;
    return rc == 2 ? -1 : rc;
}

#endif /* CHUAN_TEST_CONVERT_ENGINE_H */
