/*
 * converters/batch_int.h - what the files of the conversion engine share
 * (converters/batch_run.h says which file does what). Not for use outside
 * converters/batch_*.c.
 *
 * One input is converted by one fctx: NDJSON and CSV inputs are chunked
 * (the reading thread cuts the raw bytes after whole records, workers of
 * core/pipeline.c decode, read, convert and validate them, finished chunks
 * are written in input order, each followed by a journal checkpoint with
 * --resume). Other inputs (a JSON document, XML) are read by the calling
 * thread; with several workers and a record stream (XML with --record),
 * records go to the workers in chunks of whole records.
 *
 * Every record ends in exactly one place: the output when it converted
 * and passed validation, else the rejects file with its diagnostics.
 */
#ifndef CHUAN_BATCH_INT_H
#define CHUAN_BATCH_INT_H

#include "batch_run.h"
#include "convert.h"

#define HEAD_BYTES CHUANP_DETECT_PREFIX
#define CHUNK_BYTES ((size_t)512 << 10) /* default; CHUAN_BATCH_CHUNK_KB overrides (tests) */
#define MAX_RECORD_BYTES ((size_t)256 << 20)

typedef struct kept {
    chuanp_jv *value;
    long line;
    const char *raw;
    size_t raw_len;
} kept;

/* A record read by the reading thread, for a worker (streamed inputs). */
typedef struct srec {
    chuanp_jv *value;    /* a copy in the chunk's arena; NULL: the reader rejected it */
    long line;
    const char *raw;     /* the record's text when the reader keeps it (arena) */
    size_t raw_len;
    chuan_diags diags;   /* the reader's diagnostics for this record */
    int fatal;           /* the reader stopped after it */
} srec;

typedef struct bchunk {
    long seq;
    char *raw_base;      /* a large block (chuanp_big_alloc) of raw_cap bytes: */
    size_t raw_cap;
    char *raw;           /* ... fctx.prefix, then raw[0..raw_len) */
    size_t raw_len;
    long long raw_start; /* input offset of raw[0] */
    long first_line;     /* input line of raw[0] */
    long next_line;      /* input line just after the chunk */
    long rec_base;       /* CSV: records before the chunk (the header included) */
    chuanp_buf out;      /* NDJSON target: the converted records */
    chuanp_buf rej;      /* rejects lines */
    chuan_diags diags;
    chuanp_arena arena;  /* records kept for the writer (other targets) */
    kept *keep;
    size_t nkeep, capkeep;
    long records, written, rejected;
    size_t bad_bytes;    /* bytes the encoding does not define */
    chuanp_case_note case_note; /* TCVN3 words whose case was inferred */
    int fatal;           /* a record error that stops the reader */
    srec *recs;          /* streamed inputs: the records read, in order */
    size_t nrecs, caprecs;
} bchunk;

/* Buffers recycled between chunks: fresh large allocations cost a page
 * fault per 4 KiB, more than the conversion itself. */
#define POOL_MAX 16
typedef struct bufpool {
    pthread_mutex_t mu;
    chuanp_buf bufs[POOL_MAX];
    int n;
} bufpool;

typedef struct fctx {
    chuanp_batch_run *run;
    bufpool pool;
    chuanp_buf *wdec;    /* per worker: the decoded chunk */
    chuanp_batch_file *f;
    chuanp_convert_opts o;
    chuanp_enc enc;
    chuanp_split_kind kind;
    char *prefix;        /* decoded CSV header with its line end */
    size_t prefix_len;
    long prefix_lines;
    long prefix_records; /* 1 with a CSV header */
    int ndjson_out;      /* workers write the output bytes themselves */
    void **states;       /* per worker: the validation state */
    int nstates;
    chuanp_partfile out, rej;
    int own_out, own_rej;
    FILE *out_fp, *rej_fp;
    chuanp_journal journal;
    int journaling;      /* checkpoints after each chunk (--resume, chunked NDJSON output) */
    chuanp_lock lock;    /* held while this input's outputs are written */
    chuanp_writer *writer; /* other targets: writes kept records in order */
    chuanp_checkpoint cp;
    int print_now;
    int failed;          /* write error or internal error: exit 2 */
    int stopped;         /* a fatal record error: the rest is not read */
    int drop_out;        /* a document that did not convert: no output file */
    int ambiguous;       /* the encoding could not be told: not converted */
    size_t bad_bytes;
    chuanp_case_note case_note; /* chunked: the chunks' notes, in input order */
    size_t case_words;   /* from the encoding.tcvn3-case warnings shown */
    size_t errors;       /* errors reported: the input was not converted faithfully */
    size_t table_errors; /* a DBF/MDB input's reader reported errors (converters/table.h) */
    int table_input;     /* a DBF/MDB input: lines are record numbers, no column or offset */
    chuanp_enc table_enc; /* what its reader decoded its text from (the summary's count) */
    const chuanp_part *part; /* the sheet (its reader's) or table (the source's) read, NULL */
} fctx;

#define STREAM_CHUNK_RECORDS 256

/* batch_chunk.c: chunks, buffers, diagnostics */
void chuanp_bx_fail(fctx *x, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void chuanp_bx_show(fctx *x, chuan_diags *d);
bchunk *chuanp_bx_chunk_new(void);
void chuanp_bx_chunk_free(bchunk *c);
/* Record diagnostics in the input's terms: a DBF/MDB input has no column or byte offset (they
 * would point into its records' NDJSON text); a sheet or table is named (chuanp_part_locate). */
void chuanp_bx_positions(const fctx *x, chuan_diags *d);
void chuanp_bx_fix_diags(const fctx *x, const bchunk *c, chuan_diags *d, long delta,
                         int first_chunk);
size_t chuanp_bx_span_at(const size_t *st, size_t ns, size_t cur, long long off);
long long chuanp_bx_first_offset(const chuan_diags *d);
long chuanp_bx_first_line(const chuan_diags *d);
void chuanp_bx_pool_get(bufpool *p, chuanp_buf *b);
void chuanp_bx_pool_put(bufpool *p, chuanp_buf *b);
int chuanp_bx_keep_value(bchunk *c, chuanp_jv *value, long line, const char *raw, size_t raw_len);
int chuanp_bx_keep_record(bchunk *c, const chuanp_record *rec);
void chuanp_bx_progress(chuanp_batch_run *run); /* under run->mu */

/* batch_plan.c: OUTPUT.rejects.ndjson when rejects are kept by default and
 * the output is a regular (or new) file, else NULL */
char *chuanp_bx_default_rejects(const chuanp_batch_opts *b);

/* batch_worker.c: the pipeline's process() for raw chunks and for records */
int chuanp_bx_process_chunk(void *vctx, int worker, void *vchunk);
int chuanp_bx_process_records(void *vctx, int worker, void *vchunk);

/* batch_emit.c: the pipeline's emit(), in input order */
int chuanp_bx_emit_chunk(void *vctx, void *vchunk, int prc);
int chuanp_bx_write_all(fctx *x, FILE *fp, const char *what, const char *data, size_t len);
const char *chuanp_bx_out_name(const fctx *x);
const char *chuanp_bx_rej_name(const fctx *x);

/* batch_read.c: a raw record stream cut into chunks (pend: the bytes read
 * so far, taken over) */
void chuanp_bx_run_chunked(fctx *x, FILE *raw, char *pend, size_t plen, size_t pcap, int eof,
                           int jobs);

/* batch_stream.c: a document or an XML record stream */
void chuanp_bx_run_stream(fctx *x, FILE *src, int jobs);

/* batch_outputs.c: this input's outputs under its lock (0, 1 skipped:
 * --resume found it complete, <0 failed) and their commit */
int chuanp_bx_open_outputs(fctx *x, int chunked);
void chuanp_bx_close_outputs(fctx *x);


#endif /* CHUAN_BATCH_INT_H */
