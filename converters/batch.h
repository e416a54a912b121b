/*
 * converters/batch.h - cutting one record stream into chunks of whole
 * records, so a large NDJSON or CSV input can be converted by several
 * workers at once (converters/batch_run.h) and give the same bytes as one.
 *
 * A splitter scans raw input bytes (any ASCII-compatible encoding: the
 * legacy Vietnamese encodings keep LF, CR, quote and delimiters at their
 * ASCII codes) and reports where records end:
 *   NDJSON  after every LF;
 *   CSV     after a line end outside a quoted field, with the same rules as
 *           the CSV reader (converters/csv_read.c): a quote opens a quoted
 *           field only at a field start, "" is a quote inside one, and a
 *           malformed record (stray quote) ends at the end of its physical
 *           line, where the reader resumes. CR, LF and CR LF end lines.
 * The splitter keeps its state between calls, so the input may be fed in
 * blocks of any size. It also counts lines (as the readers do: LF, or a CR
 * not followed by LF), so each chunk knows the line it starts on.
 */
#ifndef CHUAN_BATCH_H
#define CHUAN_BATCH_H

#include "record.h"

typedef enum { CHUANP_SPLIT_LINES = 0, CHUANP_SPLIT_CSV } chuanp_split_kind;

typedef struct chuanp_splitter {
    chuanp_split_kind kind;
    char delimiter, quote;
    int state;       /* CSV scanner state */
    int prev_cr;     /* the last byte fed was a CR */
    long lines;      /* line ends before the last cut */
    long lines_scan; /* line ends in everything fed */
    long records;    /* CSV: records (blank lines excluded) before the last cut */
    long records_scan;
    int nonempty;    /* CSV: the current record has content */
} chuanp_splitter;

void chuanp_splitter_init(chuanp_splitter *s, chuanp_split_kind kind, char delimiter, char quote);

/* Scan data[0..len), the bytes following everything fed before. Returns
 * the offset in data just after the last record end found in it, or -1
 * when none ends there; s->lines is then the number of line ends before
 * that cut (from the start of the input). The state continues at the end
 * of data: feed only new bytes next time. */
long chuanp_splitter_feed(chuanp_splitter *s, const char *data, size_t len);

/* Spans of the records in a decoded chunk: starts[i]..ends[i] (line
 * end excluded), blank lines skipped (the readers skip them too).
 * Returns the number of spans, or -1 when out of memory. *starts and *ends
 * are new arrays (caller frees). */
long chuanp_split_spans(chuanp_split_kind kind, char delimiter, char quote, const char *data,
                        size_t len, size_t **starts, size_t **ends);

/* Append one line of a rejects file (NDJSON) to b:
 *   {"record": RAW-TEXT | VALUE | null, "file": F, ["sheet": S | "table": T,] "line": N,
 *    "diagnostics": [{"severity", "code", "message", ["message_vi"], "line",
 *                     "column", ["path"], ["source"]}...]}
 * raw (raw_len bytes) is the record's original text when known, else
 * value (may be NULL); part: the sheet or table the record comes from (NULL: none). */
void chuanp_reject_line(chuanp_buf *b, const char *raw, size_t raw_len, const chuanp_jv *value,
                        const char *file, const chuanp_part *part, long line,
                        const chuan_diags *d);

#endif /* CHUAN_BATCH_H */
