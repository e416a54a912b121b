/*
 * converters/input.h - the one input front end: open -> decode to UTF-8 ->
 * format -> standard input replayed or spooled, for every client (the
 * conversion engine, converters/batch_run.h; `chuan validate`, the public
 * API and `chuan serve` through validator/validate_one.c).
 *
 * Three forms of the same front end, chosen by what the reader takes:
 *   stream (convert)  s->fp is UTF-8 text: the file as it is (rewound after
 *                     the peek; standard input replays the peeked prefix),
 *                     or a decoding wrapper (core/textin.c), or a DBF/MDB
 *                     table's records as NDJSON (converters/table.h);
 *   path (validate)   s->path is what the engine opens by name: the file as
 *                     it is, or an unlinked temporary copy ("/dev/fd/N") of
 *                     its decoded text, of a table's NDJSON records or of a
 *                     spreadsheet's rows (converters/sheet.h);
 *   raw (chunked)     chuanp_source_open_raw (converters/input_raw.c), for
 *                     the engine's chunked path (converters/batch_file.c):
 *                     s->raw is the input's RAW bytes, positioned after the
 *                     head it read (s->head, s->head_len, s->eof): the file,
 *                     standard input, the given stream, or a table's NDJSON
 *                     records spooled to a temporary file. The chunks are cut
 *                     on raw bytes and decoded by the workers, so nothing
 *                     decodes here: chuanp_source_raw_encoding says what to
 *                     decode from, chuanp_source_raw_seekable makes a pipe
 *                     readable twice (the CSV output's first pass).
 * The format: o->from, else by the name's extension, else by the first
 * bytes (s->input_format says which it is).
 * One rule decides the encoding (chuanp_input_needs_decoding): UTF-8 is
 * read as it is, even with a few bad bytes its reader reports; an XML
 * document with a BOM or a declared encoding libxml2 decodes goes to
 * libxml2; anything else is detected on its first 64 KiB and decoded.
 */
#ifndef CHUAN_INPUT_H
#define CHUAN_INPUT_H

#include "../core/core.h"
#include "../core/textenc.h"

struct chuanp_sheet_opts;

typedef struct chuanp_source_opts {
    chuanp_format from;   /* --from / the format decided; AUTO: sniffed */
    const char *encoding; /* --encoding: NULL or "auto" detects, "utf-8", a legacy name */
    const char *table;    /* DBF/MDB: --table (NULL: the only one) */
    unsigned table_flags; /* CHUANP_TABLE_* (path and raw forms) */
    const struct chuanp_sheet_opts *sheet; /* XLSX/XLS: --sheet... (path form; NULL defaults) */
    int as_path;          /* the path form (validate's engines read by name) */
    size_t head_cap;      /* raw form: room allocated for s->head (at least the head) */
    int note;             /* path form: add the note encoding.decoded before the decoder's */
} chuanp_source_opts;

typedef struct chuanp_source {
    FILE *fp;             /* stream form: what the reader reads */
    const char *path;     /* path form: what the engine opens (the file, or the copy) */
    chuanp_format format; /* what is read: the format (sniffed in the stream form), NDJSON for
                           * a table or (path form) a spreadsheet */
    chuanp_format input_format; /* the input's own format: o->from, else by its name (path
                                 * form), else by its first bytes */
    chuanp_format table_format; /* DBF/MDB read as NDJSON, else AUTO */
    int enc;              /* chuanp_enc read as: UTF8 (as it is) or a legacy encoding; NONE:
                           * refused (path form) or a spreadsheet (stream form); raw form:
                           * what the workers decode from (chuanp_source_raw_encoding) */
    const char *encoding; /* stream form: the name of the encoding decoded, NULL: UTF-8 */
    int from_declaration; /* the XML declaration named the encoding */
    double confidence;    /* detection's confidence; 1 when named */
    chuanp_part part;     /* path and raw forms: the sheet (XLS/XLSX) or table (MDB) read,
                           * which diagnostics name; released by chuanp_source_close */
    /* raw form: the input's first CHUANP_DETECT_PREFIX bytes (fewer: s->eof), read from
     * s->raw (the caller may take head over: set it NULL), s->head_cap bytes allocated;
     * a DBF/MDB input: its records' first NDJSON bytes, the deleted records skipped and
     * the errors its reader reported */
    FILE *raw;
    char *head;
    size_t head_len, head_cap;
    int eof;
    long deleted;
    size_t table_errors;
    int table_enc;        /* raw form: what a table's reader decoded its text from (s->enc is
                           * then UTF-8: its NDJSON records) */
    /* private */
    FILE *replay, *text;
    const char *name;
    int own_raw;
    char *copy_path;
    int copy_fd;
} chuanp_source;

/* Open input `path` ("-": standard input; stream form only) shown as `name`
 * (NULL: path) for a reader (o->as_path 0) or an engine (1). raw (stream
 * form, may be NULL): the input is this open stream, read once and not
 * closed with the source.
 * Stream form: 0; 1 the input cannot be decoded (diagnostic: not
 * convertible); -1 unreadable (diagnostic, exit 2).
 * Path form: 0 (s->path ready; a file that cannot be opened is left to the
 * engine, which reports it as for any input); 1 refused (ambiguous
 * encoding `encoding.ambiguous`, a workbook or table with errors); -1
 * (decoding failed: out of memory, temporary file not writable; a
 * diagnostic in d). Decoding diagnostics (`encoding.invalid`) go to d.
 * Close with chuanp_source_close whatever it returned. */
int chuanp_source_open(chuanp_source *s, const char *path, const char *name, FILE *raw,
                       const chuanp_source_opts *o, chuan_diags *d);
/* The raw form (converters/input_raw.c) of input `path` ("-": standard
 * input; given: the input as this open stream, read once, not closed), shown
 * as path: 0, 1 a table that cannot be read as one (its reader's diagnostics
 * in d: not convertible), -1 (diagnostic, exit 2). The format is decided as
 * in the other forms (o->from, o->encoding, o->table, o->table_flags and
 * o->head_cap are read). Close with chuanp_source_close whatever it returned. */
int chuanp_source_open_raw(chuanp_source *s, const char *path, FILE *given,
                           const chuanp_source_opts *o, chuan_diags *d);
/* Raw form, a text input: the encoding its bytes are decoded from, by the one
 * rule: `encoding` named (NULL, "auto": detected), else read as it is when
 * chuanp_input_needs_decoding says so, else detected on the head (the record
 * streams the chunked path reads have no XML declaration to honour). A table
 * input's records are UTF-8. Sets s->enc; 0, 1 ambiguous
 * (`encoding.ambiguous` in d, the stream form's text), -1 (unknown name, out
 * of memory: diagnostic in d). */
int chuanp_source_raw_encoding(chuanp_source *s, const char *encoding, chuan_diags *d);
/* Raw form: make s->raw readable twice (a pipe or a stream that cannot seek
 * is copied, head included, to an unlinked temporary file s->raw becomes),
 * positioned after the head. 0, or -1 (diagnostic in d). */
int chuanp_source_raw_seekable(chuanp_source *s, chuan_diags *d);

/* Release what the source opened. Accepts a zeroed or already closed s. */
void chuanp_source_close(chuanp_source *s);
/* The open the stream and raw forms do: path ("-": standard input) for reading, a folder
 * refused; NULL (diagnostic `io.open` in d). */
FILE *chuanp_source_fopen(const char *path, chuan_diags *d);

/* --encoding auto: whether an input whose first n bytes (complete: the
 * whole input) are `prefix` needs chuan's decoders (1) or is read as it is
 * (0: UTF-8, possibly with a few bad bytes its reader reports; XML with a
 * BOM or a declared encoding libxml2 decodes itself; one declaring a
 * Vietnamese legacy encoding: 1). Every form decides with it. */
int chuanp_input_needs_decoding(const char *prefix, size_t n, int complete, chuanp_format f);

#endif /* CHUAN_INPUT_H */
