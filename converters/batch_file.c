/* converters/batch_file.c - one input of a batch conversion: open it, sniff
 * its format, open its outputs, find the CSV output columns when needed,
 * then hand it to the chunked or the streamed path. */
#define _GNU_SOURCE
#include "batch_int.h"
#include "csv.h"
#include "table.h"

#include <errno.h>
#include <string.h>

/* The CSV columns of a CSV output (the union of every record's keys), found
 * by a first pass over the input (converters/csv_union.c) before the first
 * chunk is written, so any number of workers gives the same bytes as one.
 * *raw has been read head_len bytes (head); afterwards it is positioned
 * there again (a pipe is first copied to an unlinked temporary file, which
 * *raw becomes: the caller closes it). encoding: as chuanp_textin_open.
 * Sets o->csv.columns = cols. Returns 0, or -1 with *why (caller frees). */
static int csv_columns(FILE **raw, const char *head, size_t head_len, const char *name,
                             const char *encoding, chuanp_convert_opts *o,
                             chuanp_csv_columns *cols, char **why)
{
    *why = NULL;
    if (fseeko(*raw, 0, SEEK_SET) != 0) {
        /* standard input from a pipe: keep a copy to read twice */
        errno = 0;
        FILE *t = chuanp_spool_stream(head, head_len, *raw);
        if (!t) {
            *why = chuanp_asprintf(_("cannot copy %s to a temporary file for the pass that finds "
                                   "the CSV columns: %s"), name, chuanp_strerror(errno ? errno : EIO));
            return -1;
        }
        *raw = t; /* the caller closes it as its input */
    }
    chuan_diags tmp; /* the conversion itself reports every problem */
    chuan_diags_init(&tmp, 1);
    FILE *in = NULL;
    int rc = chuanp_textin_open(&in, *raw, name, encoding, NULL, &tmp);
    if (rc == 0 && in) {
        rc = chuanp_csv_columns_scan(in, o, cols);
        if (rc < 0)
            *why = chuanp_strdup("out of memory finding the CSV columns");
        else
            o->csv.columns = cols;
    } else {
        rc = 0; /* not decodable: the conversion says so */
    }
    if (in)
        fclose(in);
    chuan_diags_clear(&tmp);
    clearerr(*raw);
    if (rc == 0 && fseeko(*raw, (off_t)head_len, SEEK_SET) != 0) {
        *why = chuanp_asprintf(_("cannot read %s again: %s"), name, chuanp_strerror(errno ? errno : EIO));
        rc = -1;
    }
    return rc;
}

/* A database table (DBF, MDB): the NDJSON text of its records, spooled to a temporary file, is
 * the input from here on (chunked, resumable); its reader's diagnostics come first. *raw
 * becomes that file and head holds its first bytes again. -1: not converted (said). */
static int table_input(fctx *x, FILE **raw, char *head, size_t *head_len, int *eof)
{
    chuanp_batch_file *f = x->f;
    chuan_diags td;
    chuan_diags_init(&td, 0);
    FILE *src = *raw == stdin ? chuanp_replay_open(head, *head_len, *raw, 0) : NULL;
    int trc = 0;
    FILE *t = *raw == stdin && !src ? NULL
              : chuanp_table_spool(f->in, src, f->in, x->o.from, x->o.encoding, x->o.table,
                                   x->o.forms ? CHUANP_TABLE_OMIT_EMPTY : 0, &td, &trc);
    if (src)
        fclose(src);
    x->table_errors = td.errors;
    f->deleted = chuanp_table_deleted(&td);
    x->table_enc = (chuanp_enc)chuanp_table_encoding(&td);
    if (chuanp_table_part(&td, &x->table_part) < 0)
        td.oom = 1;
    x->part = x->table_part.kind != CHUANP_PART_NONE ? &x->table_part : NULL;
    if (chuanp_part_locate(x->part, &td, f->in) < 0) /* the reader's record diagnostics */
        td.oom = 1;
    chuanp_bx_show(x, &td);
    if (!t) {
        if (*raw == stdin && !src)
            chuanp_bx_fail(x, "convert.internal", "out of memory");
        if (trc > 0)
            x->ambiguous = 1; /* not a readable table: not converted */
        else
            x->failed = 1;
        return -1;
    }
    if (*raw != stdin)
        fclose(*raw);
    *raw = t;
    x->table_input = 1;
    x->o.from = CHUANP_FMT_NDJSON;
    x->o.encoding = "utf-8";
    *head_len = chuanp_bx_read_full(*raw, head, HEAD_BYTES);
    *eof = *head_len < HEAD_BYTES;
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
    FILE *raw = NULL;
    char *head = NULL;
    int outputs = 0;
    chuanp_csv_columns cols = {0}; /* CSV output: found by a first pass (csv_columns) */
    char *why = NULL;
    size_t head_cap = HEAD_BYTES + CHUNK_BYTES;

    pthread_mutex_init(&x.pool.mu, NULL);
    if (worker_states(&x, jobs) < 0) {
        chuanp_bx_fail(&x, "convert.internal", "out of memory");
        goto out;
    }
    raw = f->src ? f->src : strcmp(f->in, "-") == 0 ? stdin : fopen(f->in, "rb");
    if (!raw) {
        chuanp_bx_fail(&x, "io.open", "cannot open %s: %s", f->in, chuanp_strerror(errno));
        goto out;
    }
    head = chuanp_malloc(head_cap);
    if (!head) {
        chuanp_bx_fail(&x, "convert.internal", "out of memory");
        goto out;
    }
    size_t head_len = chuanp_bx_read_full(raw, head, HEAD_BYTES);
    if (ferror(raw)) {
        chuanp_bx_fail(&x, "io.read", "cannot read %s: %s", f->in, chuanp_strerror(errno ? errno : EIO));
        goto out;
    }
    int eof = head_len < HEAD_BYTES;
    if (x.o.from == CHUANP_FMT_AUTO)
        x.o.from = chuanp_format_sniff(strcmp(f->in, "-") ? f->in : NULL, head, head_len);
    if (chuanp_table_format(x.o.from) && table_input(&x, &raw, head, &head_len, &eof) < 0)
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
        int pe = chuanp_bx_pick_encoding(&x, head, head_len, eof);
        if (pe != 0) {
            x.ambiguous = pe > 0;
            x.drop_out = 1;
            goto out;
        }
        if (chuanp_csv_columns_wanted(&x.o) &&
            csv_columns(&raw, head, head_len, f->in, chuanp_enc_name(x.enc), &x.o,
                                     &cols, &why) < 0) {
            chuanp_bx_fail(&x, "io.read", "%s", why ? why : "out of memory");
            goto out;
        }
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
        chuanp_bx_run_chunked(&x, raw, head, head_len, head_cap, eof, jobs);
        head = NULL; /* taken over */
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
        if (chuanp_csv_columns_wanted(&x.o) &&
            csv_columns(&raw, head, head_len, f->in, x.o.encoding, &x.o, &cols,
                                     &why) < 0) {
            chuanp_bx_fail(&x, "io.read", "%s", why ? why : "out of memory");
            goto out;
        }
        FILE *src = chuanp_replay_open(head, head_len, raw, 0);
        if (!src) {
            chuanp_bx_fail(&x, "convert.internal", "out of memory");
            goto out;
        }
        chuanp_bx_run_stream(&x, src, jobs);
        fclose(src);
    }
out:
    if (x.writer)
        x.writer->ops->free(x.writer);
    if (outputs)
        chuanp_bx_close_outputs(&x);
    if (raw && raw != stdin && raw != f->src)
        fclose(raw);
    chuanp_free(head);
    chuanp_buf_free(&envelope);
    chuanp_csv_columns_free(&cols);
    chuanp_free(why);
    chuanp_free(x.prefix);
    chuanp_part_free(&x.table_part);
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
