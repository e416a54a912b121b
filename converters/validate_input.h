/*
 * cli/validate_input.h - how `chuan validate` hands one input to an engine:
 * the bytes as they are (UTF-8: the engines' own fast readers), or, for a
 * legacy Vietnamese encoding, the UTF-8 NFC text decoded by core/textin.c
 * into an unlinked temporary file that the engine reads by path like any
 * other input (standard input is spooled the same way). One place decides,
 * so every engine (push parser on an fd, FILE readers, whole-file reads,
 * the NDJSON splitter) reads decoded text without knowing about encodings.
 */
#ifndef CHUAN_VALIDATE_INPUT_H
#define CHUAN_VALIDATE_INPUT_H

#include "../core/core.h"
#include "../core/textenc.h"

typedef struct chuanp_vinput {
    const char *path;   /* what the engine opens: the file, or the decoded copy */
    char *copy_path;    /* "/dev/fd/N" of the decoded copy, NULL when read as it is */
    int copy_fd;        /* -1 when none */
    chuanp_enc enc;     /* read as: UTF8 (as it is) or a legacy encoding; NONE: refused */
    int from_declaration; /* the XML declaration named the encoding */
    double confidence;  /* detection's confidence; 1 when named */
    chuanp_format format; /* what the engine reads: NDJSON for a DBF/MDB table, else AUTO */
    chuanp_part part;   /* the sheet (XLS/XLSX) or table (MDB) read: diagnostics name it */
} chuanp_vinput;

/* Prepare input `path` (shown as `name`) of format fmt for an engine.
 * encoding: NULL or "auto" (decode only what is not UTF-8, detected on the
 * first 64 KiB, see chuanp_input_needs_decoding), "utf-8" (as it is), or a
 * legacy name. Returns 0 (vi->path ready; a file that cannot be opened is
 * left to the engine, which reports it as before), 1 (refused: the encoding
 * is ambiguous, `encoding.ambiguous` in d) or -1 (decoding failed: out of
 * memory, temporary file not writable; a diagnostic in d). Decoding
 * diagnostics (`encoding.invalid`) go to d, after the note `encoding.decoded`
 * ("decoded from tcvn3 (detected, confidence 1.00)") when note is set. */
int chuanp_vinput_open(chuanp_vinput *vi, const char *path, const char *name, chuanp_format fmt,
                       const char *encoding, int note, chuan_diags *d);
/* The same for a DBF or MDB input (fmt DBF/MDB): its records as NDJSON in
 * an unlinked temporary file (converters/table.h), vi->format NDJSON, the
 * reader's diagnostics in d; table: --table; table_flags: CHUANP_TABLE_*.
 * Other formats: as above. */
int chuanp_vinput_open_table(chuanp_vinput *vi, const char *path, const char *name,
                             chuanp_format fmt, const char *encoding, const char *table,
                             unsigned table_flags, int note, chuan_diags *d);
/* A spreadsheet (XLSX, XLS) for an engine: its rows as NDJSON in an unlinked
 * temporary file, each record on the line of its sheet row (so = --sheet,
 * --header-row...; NULL: the defaults). Returns as chuanp_vinput_open. */
struct chuanp_sheet_opts;
int chuanp_vinput_open_sheet(chuanp_vinput *vi, const char *path, const char *name,
                             chuanp_format fmt, const struct chuanp_sheet_opts *so, chuan_diags *d);
/* Release the decoded copy (and vi->part). Accepts a zeroed or already closed vi. */
void chuanp_vinput_close(chuanp_vinput *vi);

#endif /* CHUAN_VALIDATE_INPUT_H */
