/*
 * converters/convert_input.h - the input front end of the conversion
 * engine (converters/batch_run.h): an input's format (--from, else name,
 * else first bytes) and its text encoding (--encoding, else detected),
 * giving the readers UTF-8 text. The chunked path (batch_read.c) decides
 * the encoding with the same chuanp_input_needs_decoding.
 */
#ifndef CHUAN_CONVERT_INPUT_H
#define CHUAN_CONVERT_INPUT_H

#include "../core/core.h"

typedef struct cv_input {
    FILE *raw;      /* the file or stdin */
    FILE *replay;   /* stdin: the peeked prefix, then the rest */
    FILE *text;     /* legacy encodings: the decoding wrapper */
    FILE *fp;       /* what the reader reads (one of the above) */
    chuanp_format format;
    const char *encoding; /* the encoding decoded, NULL: UTF-8 (or left to libxml2) */
    chuanp_format table_format; /* DBF/MDB read as NDJSON (format), else AUTO */
    int enc;              /* chuanp_enc: what the text was decoded from (UTF-8: as it is) */
    int own_raw;          /* raw is closed with the input */
} cv_input;

/* Open `path` ("-" = stdin). from: --from (AUTO to sniff); encoding:
 * --encoding (NULL or "auto" to detect). Returns 0, 1 when the input cannot
 * be decoded (diagnostic added: the input is not convertible), or -1 with a
 * diagnostic (unreadable: exit 2). */
int chuanp_cv_input_open(cv_input *in, const char *path, chuanp_format from, const char *encoding,
                         chuan_diags *d);
/* The same over an open stream (not closed with the input); seekable: it
 * can be rewound to its first byte, else the peeked prefix is replayed. */
int chuanp_cv_input_wrap(cv_input *in, FILE *raw, int seekable, const char *path,
                         chuanp_format from, const char *encoding, chuan_diags *d);
void chuanp_cv_input_close(cv_input *in);
/* --encoding auto: whether an input whose first n bytes (complete: the
 * whole input) are `prefix` needs chuan's decoders (1) or is read as it is
 * (0: UTF-8, possibly with a few bad bytes its reader reports; XML with a
 * BOM or a declared encoding libxml2 decodes itself). Shared with validate. */
int chuanp_input_needs_decoding(const char *prefix, size_t n, int complete, chuanp_format f);
/* The encoding a leading XML declaration in s[0..n) names, into label
 * (empty when none). */
void chuanp_xml_declared(const char *s, size_t n, char *label, size_t cap);

#endif /* CHUAN_CONVERT_INPUT_H */
