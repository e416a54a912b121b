/* converters/batch_file.c - one input of a batch conversion: open it through
 * the raw form of the one input front end (converters/input.h: its format, a
 * table's records, its encoding, a pipe spooled for a second pass), open its
 * outputs, find the CSV output columns when needed, then hand it to the
 * chunked or the streamed path. */
#define _GNU_SOURCE
#include "batch_int.h"
#include "csv.h"
#include "input.h"
#include "table.h"

#include <errno.h>
#include <string.h>

/* The CSV columns of a CSV output (the union of every record's keys), found
 * by a first pass over the input (converters/csv_union.c) before the first
 * chunk is written, so any number of workers gives the same bytes as one.
 * The front end makes the input readable twice (a pipe is spooled); it is
 * positioned after its head again afterwards. encoding: as
 * chuanp_textin_open. Sets o->csv.columns = cols. Returns 0, or -1 (said). */
static int csv_columns(fctx *x, chuanp_source *s, const char *encoding, chuanp_csv_columns *cols)
{
    chuan_diags tmp; /* the conversion itself reports every problem */
    chuan_diags_init(&tmp, 0);
    if (chuanp_source_raw_seekable(s, &tmp) < 0) {
        chuanp_bx_show(x, &tmp);
        x->failed = 1;
        return -1;
    }
    chuan_diags_clear(&tmp);
    chuan_diags_init(&tmp, 1);
    FILE *in = NULL;
    int rc = fseeko(s->raw, 0, SEEK_SET) == 0 ? chuanp_textin_open(&in, s->raw, x->f->in, encoding,
                                                                   NULL, &tmp) : -1;
    if (rc == 0 && in) {
        rc = chuanp_csv_columns_scan(in, &x->o, cols);
        if (rc < 0)
            chuanp_bx_fail(x, "io.read", "out of memory finding the CSV columns");
        else
            x->o.csv.columns = cols;
    } else {
        rc = 0; /* not decodable: the conversion says so */
    }
    if (in)
        fclose(in);
    chuan_diags_clear(&tmp);
    clearerr(s->raw);
    if (rc == 0 && fseeko(s->raw, (off_t)s->head_len, SEEK_SET) != 0) {
        chuanp_bx_fail(x, "io.read", "cannot read %s again: %s", x->f->in,
                       chuanp_strerror(errno ? errno : EIO));
        rc = -1;
    }
    return rc;
}

/* The input through the raw form of the one input front end
 * (converters/input.c): a database table (DBF, MDB) is the NDJSON text of its
 * records from here on (chunked, resumable), its reader's diagnostics first.
 * -1: not converted (said). */
static int open_input(fctx *x, chuanp_source *s)
{
    chuanp_source_opts so = {.from = x->o.from, .encoding = x->o.encoding, .table = x->o.table,
                             .table_flags = x->o.forms ? CHUANP_TABLE_OMIT_EMPTY : 0,
                             .head_cap = HEAD_BYTES + CHUNK_BYTES};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = chuanp_source_open_raw(s, x->f->in, x->f->src, &so, &d);
    if (s->table_format != CHUANP_FMT_AUTO) {
        x->table_errors = s->table_errors;
        x->f->deleted = s->deleted;
        x->part = s->part.kind != CHUANP_PART_NONE ? &s->part : NULL;
        if (chuanp_part_locate(x->part, &d, x->f->in) < 0) /* the reader's record diagnostics */
            d.oom = 1;
    }
    chuanp_bx_show(x, &d);
    if (rc != 0) {
        if (rc > 0)
            x->ambiguous = 1; /* not a readable table: not converted */
        else
            x->failed = 1;
        return -1;
    }
    x->o.from = s->format;
    if (s->table_format != CHUANP_FMT_AUTO) {
        x->table_input = 1;
        x->table_enc = (chuanp_enc)s->table_enc;
        x->o.encoding = "utf-8";
    }
    return 0;
}

/* Each worker's validation state and decoding buffer. -1: out of memory. */
static int worker_states(fctx *x, int jobs)
{
    const chuanp_batch_opts *b = x->run->b;
    x->nstates = jobs;
    x->states = chuanp_calloc((size_t)jobs, sizeof *x->states);
    x->wdec = chuanp_calloc((size_t)jobs, sizeof *x->wdec);
    if (!x->states || !x->wdec)
        return -1;
    for (int i = 0; b->check && i < jobs; i++)
        if (!(x->states[i] = b->check->state_new(b->check->ctx)))
            return -1;
    return 0;
}

void chuanp_batch_convert_file(chuanp_batch_run *run, chuanp_batch_file *f, int jobs,
                               int print_now)
{
    fctx x;
    memset(&x, 0, sizeof x);
    x.run = run;
    x.f = f;
    x.o = run->b->o;
    x.o.file = f->in;
    x.o.hints = run->b->hints;
    x.o.record_path = run->record_path;
    chuanp_buf envelope; /* the input body's members around its records (JSON -> JSON) */
    chuanp_buf_init(&envelope, 0);
    x.o.forms = run->b->forms;
    x.o.envelope_seen = run->b->forms ? &envelope : NULL;
    x.print_now = print_now;
    x.cp.next_line = 1;
    x.ndjson_out = x.o.to == CHUANP_FMT_NDJSON;
    x.out.slot = x.rej.slot = -1;
    chuanp_source src;
    memset(&src, 0, sizeof src);
    int outputs = 0;
    chuanp_csv_columns cols = {0}; /* CSV output: found by a first pass (csv_columns) */

    pthread_mutex_init(&x.pool.mu, NULL);
    if (worker_states(&x, jobs) < 0) {
        chuanp_bx_fail(&x, "convert.internal", "out of memory");
        goto out;
    }
    if (open_input(&x, &src) < 0)
        goto out;
    /* record streams cut into chunks when workers write the output bytes
     * themselves (NDJSON); another target has one writer, fed faster by the
     * streamed path (records validated by the workers when -j N) */
    int chunked = (x.o.from == CHUANP_FMT_NDJSON || x.o.from == CHUANP_FMT_CSV) && x.ndjson_out;
    x.kind = x.o.from == CHUANP_FMT_CSV ? CHUANP_SPLIT_CSV : CHUANP_SPLIT_LINES;
    int o = chuanp_bx_open_outputs(&x, chunked);
    if (o != 0) {
        if (o > 0)
            f->skipped = 1;
        goto out;
    }
    outputs = 1;
    if (chunked) {
        chuan_diags ed;
        chuan_diags_init(&ed, 0);
        int pe = chuanp_source_raw_encoding(&src, x.o.encoding, &ed);
        chuanp_bx_show(&x, &ed);
        if (pe != 0) {
            x.ambiguous = pe > 0;
            x.failed = pe < 0;
            x.drop_out = 1;
            goto out;
        }
        x.enc = (chuanp_enc)src.enc;
        if (chuanp_csv_columns_wanted(&x.o) &&
            csv_columns(&x, &src, chuanp_enc_name(x.enc), &cols) < 0)
            goto out;
        if (!x.ndjson_out) {
            chuan_diags wd;
            chuan_diags_init(&wd, 0);
            if (chuanp_converter_find(x.o.to)->open_writer(&x.writer, x.out_fp, &x.o, &wd) < 0 ||
                !x.writer || (x.writer->ops->begin && x.writer->ops->begin(x.writer, 1) < 0)) {
                chuanp_bx_show(&x, &wd);
                chuanp_bx_fail(&x, "io.write", "cannot write %s", chuanp_bx_out_name(&x));
                chuan_diags_clear(&wd);
                goto out;
            }
        }
        chuanp_bx_run_chunked(&x, src.raw, src.head, src.head_len, src.head_cap, src.eof, jobs);
        src.head = NULL; /* taken over */
        errno = 0;
        if (x.writer && !x.failed && x.writer->ops->end && x.writer->ops->end(x.writer) < 0)
            chuanp_bx_fail(&x, "io.write", "cannot write %s: %s", chuanp_bx_out_name(&x),
                     chuanp_strerror(errno ? errno : EIO));
    } else {
        if (f->first_line > 1 || f->records_before > 0) {
            chuanp_bx_fail(&x, "usage", "%s: only NDJSON and CSV inputs converted to NDJSON can be "
                           "converted in partitions", f->in);
            goto out;
        }
        if (chuanp_csv_columns_wanted(&x.o) && csv_columns(&x, &src, x.o.encoding, &cols) < 0)
            goto out;
        FILE *in = chuanp_replay_open(src.head, src.head_len, src.raw, 0);
        if (!in) {
            chuanp_bx_fail(&x, "convert.internal", "out of memory");
            goto out;
        }
        chuanp_bx_run_stream(&x, in, jobs);
        fclose(in);
    }
out:
    if (x.writer)
        x.writer->ops->free(x.writer);
    if (outputs)
        chuanp_bx_close_outputs(&x);
    x.part = NULL;
    chuanp_source_close(&src);
    chuanp_buf_free(&envelope);
    chuanp_csv_columns_free(&cols);
    chuanp_free(x.prefix);
    for (int i = 0; x.states && i < x.nstates; i++)
        if (x.states[i])
            run->b->check->state_free(x.states[i]);
    chuanp_free(x.states);
    for (int i = 0; x.wdec && i < x.nstates; i++)
        chuanp_buf_free(&x.wdec[i]);
    chuanp_free(x.wdec);
    for (int i = 0; i < x.pool.n; i++)
        chuanp_buf_free(&x.pool.bufs[i]);
    pthread_mutex_destroy(&x.pool.mu);
    f->enc = x.table_input ? x.table_enc : x.enc;
    f->records = x.cp.records;
    /* only what was committed counts: nothing when the outputs were dropped */
    f->written = x.failed ? 0 : x.cp.written;
    f->rejected = x.failed ? 0 : x.cp.rejected;
    f->case_words = x.case_words;
    f->rc = x.failed ? 2 : (x.cp.rejected || x.stopped || x.ambiguous || x.bad_bytes || x.errors ||
                            x.table_errors) ? 1 : 0;
}
