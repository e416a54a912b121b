/* converters/batch_read.c - the raw bytes of a chunked batch input (opened,
 * and its encoding picked, by the raw form of converters/input.h): the CSV
 * header put in front of every chunk, and the cutting of the bytes into
 * chunks of whole records (converters/batch_split.c). */
#define _GNU_SOURCE
#include "batch_int.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "csv.h"
#include "../core/pipeline.h"

/* Decode a few raw bytes (a header, a head for sniffing). note (may be
 * NULL): the TCVN3 words whose case was inferred, from the input's start. */
static int decode_bytes(const fctx *x, const char *raw, size_t len, chuanp_buf *out,
                        chuanp_case_note *note)
{
    chuan_diags lines; /* only so that the decoder counts lines for the note */
    chuan_diags_init(&lines, 1);
    chuanp_decoder *d = chuanp_decoder_new(x->enc, x->f->in, note ? &lines : NULL);
    int rc = d ? chuanp_decoder_run(d, raw, len, 1, out) : -1;
    if (d && note)
        chuanp_decoder_case_note(d, note);
    chuanp_decoder_free(d);
    chuan_diags_clear(&lines);
    return rc < 0 || out->err ? -1 : 0;
}

/* CSV: the delimiter (sniffed on the decoded head when not given) and the
 * header, read once and put in front of every chunk. *hlen: raw bytes of
 * the header. Returns 0, or <0 (failed). */
static int csv_setup(fctx *x, FILE *raw, char **pend, size_t *plen, size_t *pcap, int *eof,
                     size_t *hlen)
{
    *hlen = 0;
    if (!x->o.csv.quote)
        x->o.csv.quote = '"';
    if (!x->o.csv.delimiter) {
        chuanp_buf d;
        chuanp_buf_init(&d, 0);
        if (decode_bytes(x, *pend, *plen < HEAD_BYTES ? *plen : HEAD_BYTES, &d, NULL) < 0) {
            chuanp_buf_free(&d);
            chuanp_bx_fail(x, "convert.internal", "out of memory");
            return -1;
        }
        size_t skip = d.len >= 3 && memcmp(d.data, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        /* an empty input decodes to no buffer at all */
        x->o.csv.delimiter = chuanp_csv_sniff(d.data ? d.data + skip : "", d.len - skip, x->o.csv.quote);
        chuanp_buf_free(&d);
    }
    if (!x->o.csv.header)
        return 0;
    chuanp_splitter sp;
    chuanp_splitter_init(&sp, CHUANP_SPLIT_CSV, x->o.csv.delimiter, x->o.csv.quote);
    size_t i = 0;
    long cut = -1;
    for (;;) {
        for (; i < *plen && cut < 0; i++)
            if ((cut = chuanp_splitter_feed(&sp, *pend + i, 1)) >= 0)
                cut += (long)i;
        if (cut >= 0 || *eof)
            break;
        if (*plen > MAX_RECORD_BYTES) {
            chuanp_bx_fail(x, "csv.too-large", "the CSV header is longer than %zu bytes", MAX_RECORD_BYTES);
            return -1;
        }
        if (*pcap - *plen < CHUNK_BYTES) {
            char *np = chuanp_realloc(*pend, *pcap * 2 + CHUNK_BYTES);
            if (!np) {
                chuanp_bx_fail(x, "convert.internal", "out of memory");
                return -1;
            }
            *pend = np;
            *pcap = *pcap * 2 + CHUNK_BYTES;
        }
        size_t k = fread(*pend + *plen, 1, CHUNK_BYTES, raw);
        if (k == 0)
            *eof = 1;
        *plen += k;
    }
    *hlen = cut >= 0 ? (size_t)cut : *plen;
    x->prefix_lines = cut >= 0 ? sp.lines : 0;
    x->prefix_records = *hlen > 0;
    chuanp_buf d;
    chuanp_buf_init(&d, 0);
    if (decode_bytes(x, *pend, *hlen, &d, &x->case_note) < 0) {
        chuanp_buf_free(&d);
        chuanp_bx_fail(x, "convert.internal", "out of memory");
        return -1;
    }
    if (cut < 0 && *hlen > 0) {
        chuanp_buf_putc(&d, '\n'); /* a header without a line end, then the data */
        x->prefix_lines = 1;
    }
    x->prefix = chuanp_buf_steal(&d, &x->prefix_len);
    return x->prefix || !*hlen ? 0 : -1;
}

/* Bytes per chunk of a record stream: 512 KiB, or CHUAN_BATCH_CHUNK_KB (tests). */
static size_t chunk_size(void)
{
    const char *env = getenv("CHUAN_BATCH_CHUNK_KB");
    long kb;
    if (env && chuanp_parse_long(env, 1, 1 << 20, &kb) == 0)
        return (size_t)kb << 10;
    return CHUNK_BYTES;
}

/* Cut the input into chunks of whole records and run them through the
 * pipeline. pend/plen/pcap: the bytes read so far (taken over). Each chunk
 * is a large block (chuanp_big_alloc): x->prefix (the CSV header), then
 * its records, so that a worker reads the two in place, as one text. */
void chuanp_bx_run_chunked(fctx *x, FILE *raw, char *pend, size_t plen, size_t pcap, int eof,
                        int jobs)
{
    chuanp_pipeline *p = NULL;
    size_t hlen = 0;
    long long raw_pos = 0;
    char *blk = NULL; /* the block being filled: the prefix, then pend[0..plen) */
    size_t bcap = 0;
    if (x->kind == CHUANP_SPLIT_CSV && csv_setup(x, raw, &pend, &plen, &pcap, &eof, &hlen) < 0) {
        chuanp_free(pend);
        goto out;
    }
    const size_t front = x->prefix_len;
    const size_t chunk_bytes = chunk_size();
    /* bytes per read: each block is sized for its start (the header and the
     * end of the last chunk) and one read, which makes it a chunk */
    const size_t read_bytes = chunk_bytes < CHUNK_BYTES ? chunk_bytes : CHUNK_BYTES;
    blk = chuanp_big_alloc(front + plen + read_bytes, &bcap);
    if (!blk) {
        chuanp_free(pend);
        chuanp_bx_fail(x, "convert.internal", "out of memory");
        goto out;
    }
    if (front)
        memcpy(blk, x->prefix, front);
    memcpy(blk + front, pend + hlen, plen - hlen);
    chuanp_free(pend);
    pend = blk + front;
    plen -= hlen;
    long line_base = x->prefix_lines, rec_base = x->prefix_records;
    raw_pos = (long long)hlen;
    if (x->cp.seq > 0) {
        /* --resume: continue after the last checkpoint */
        if (fseeko(raw, (off_t)x->cp.in_offset, SEEK_SET) != 0) {
            chuanp_bx_fail(x, "io.read", "cannot resume %s: %s", x->f->in, chuanp_strerror(errno));
            goto out;
        }
        raw_pos = x->cp.in_offset;
        line_base = x->cp.next_line - 1;
        rec_base = x->prefix_records + x->cp.records;
        plen = 0;
        eof = 0;
    } else if (x->f->first_line > line_base + 1 || x->f->records_before > 0) {
        /* a partition of a larger input (chuan_convert_job), not its first: the whole
         * input's lines and rows; its header diagnostics are the first partition's */
        line_base = x->f->first_line - 1;
        rec_base = x->prefix_records + x->f->records_before;
        x->cp.seq = 1;
    }
    p = chuanp_pipeline_new(jobs, (size_t)jobs * 2 + 2, chuanp_bx_process_chunk, chuanp_bx_emit_chunk, x);
    if (!p) {
        chuanp_bx_fail(x, "convert.internal", "cannot start worker threads");
        goto out;
    }
    if (x->own_out)
        chuanp_pipeline_emit_from_workers(p); /* this input's own files: writing goes on beside reading */
    chuanp_splitter sp;
    chuanp_splitter_init(&sp, x->kind, x->o.csv.delimiter, x->o.csv.quote);
    size_t scanned = 0;
    long last_cut = -1, cut_lines = 0, lines_done = 0, seq = x->cp.seq;
    long cut_records = 0, records_done = 0;
    for (;;) {
        if (scanned < plen) {
            long cut = chuanp_splitter_feed(&sp, pend + scanned, plen - scanned);
            if (cut >= 0) {
                last_cut = (long)scanned + cut;
                cut_lines = sp.lines;
                cut_records = sp.records;
            }
            scanned = plen;
        }
        if (plen > 0 && (eof || (last_cut > 0 && plen >= chunk_bytes))) {
            size_t take = eof ? plen : (size_t)last_cut;
            bchunk *c = chuanp_bx_chunk_new();
            size_t rest_cap = 0;
            char *rest = chuanp_big_alloc(front + plen - take + read_bytes, &rest_cap);
            if (!c || !rest) {
                chuanp_bx_chunk_free(c);
                chuanp_big_free(rest, rest_cap);
                chuanp_bx_fail(x, "convert.internal", "out of memory");
                goto out;
            }
            if (front)
                memcpy(rest, x->prefix, front);
            memcpy(rest + front, pend + take, plen - take);
            c->seq = seq++;
            c->raw_base = blk;
            c->raw_cap = bcap;
            c->raw = pend;
            c->raw_len = take;
            c->raw_start = raw_pos;
            c->first_line = line_base + lines_done + 1;
            c->rec_base = rec_base + records_done;
            if (!eof) {
                lines_done = cut_lines;
                records_done = cut_records;
            }
            c->next_line = line_base + lines_done + 1;
            blk = rest;
            bcap = rest_cap;
            pend = blk + front;
            plen -= take;
            scanned -= take;
            raw_pos += (long long)take;
            last_cut = -1;
            if (chuanp_pipeline_push(p, c) < 0)
                break;
            continue;
        }
        if (eof)
            break;
        if (plen > MAX_RECORD_BYTES) {
            chuanp_bx_fail(x, "convert.too-large", "%s: a record longer than %zu bytes at line %ld",
                     x->f->in, MAX_RECORD_BYTES, line_base + lines_done + 1);
            break;
        }
        if (bcap - front - plen < read_bytes) {
            char *nb = chuanp_big_grow(blk, front + plen, bcap * 2, &bcap);
            if (!nb) {
                chuanp_bx_fail(x, "convert.internal", "out of memory");
                break;
            }
            blk = nb;
            pend = blk + front;
        }
        size_t k = fread(pend + plen, 1, read_bytes, raw);
        if (k == 0) {
            if (ferror(raw)) {
                chuanp_bx_fail(x, "io.read", "cannot read %s: %s", x->f->in, chuanp_strerror(errno ? errno : EIO));
                break;
            }
            eof = 1;
        }
        plen += k;
    }
    chuanp_pipeline_finish(p);
    chuan_diags nd;
    chuan_diags_init(&nd, 0);
    chuanp_case_note_report(&x->case_note, x->f->in, &nd);
    chuanp_bx_show(x, &nd);
out:
    chuanp_pipeline_free(p);
    chuanp_big_free(blk, bcap);
}

