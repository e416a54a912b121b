/*
 * cli/convert_input.h - opening one input of `chuan convert`: its format
 * (--from, else name, else first bytes) and its text encoding (--encoding,
 * else detected), giving the readers UTF-8 text.
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
} cv_input;

/* Open `path` ("-" = stdin). from: --from (AUTO to sniff); encoding:
 * --encoding (NULL or "auto" to detect). Returns 0, 1 when the input cannot
 * be decoded (diagnostic added: the input is not convertible), or -1 with a
 * diagnostic (unreadable: exit 2). */
int chuanp_cv_input_open(cv_input *in, const char *path, chuanp_format from, const char *encoding,
                         chuan_diags *d);
void chuanp_cv_input_close(cv_input *in);

#endif /* CHUAN_CONVERT_INPUT_H */
