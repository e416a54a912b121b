/* tests/common/convert_engine.h - convert one stream with the conversion
 * engine `chuan convert` runs (chuanp_batch_convert_file,
 * converters/batch_run.h), the way the public API does
 * (validator/api_convert_run.c): the input as an open stream, the output as
 * the run's shared output, no rejects kept, one worker. For the unit tests
 * and fuzz targets that give the engine internal options directly.
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
    chuanp_batch_run run;
    memset(&run, 0, sizeof run);
    run.b = &b;
    run.record_path = o->record_path;
    run.jobs = 1;
    run.shared = 1;
    run.shared_out.fp = out;
    run.shared_out.slot = -1;
    run.shared_rej.slot = -1;
    pthread_mutex_init(&run.mu, NULL);
    chuanp_batch_file f;
    memset(&f, 0, sizeof f);
    f.in = o->file ? o->file : "<stream>";
    f.src = in;
    f.size = -1;
    chuan_diags_init(&f.diags, d->max);
    run.files = &f;
    run.n = 1;
    chuanp_batch_convert_file(&run, &f, 1, 0);
    pthread_mutex_destroy(&run.mu);
    int moved = chuan_diags_move(d, &f.diags);
    chuan_diags_clear(&f.diags);
    memset(st, 0, sizeof *st);
    st->records = f.records;
    st->written = f.written;
    st->bad = f.rejected;
    return moved < 0 || f.rc == 2 ? -1 : f.rc;
}

#endif /* CHUAN_TEST_CONVERT_ENGINE_H */
