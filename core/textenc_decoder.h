/* core/textenc_decoder.h - the decoder state shared by core/textenc_decode.c
 * (public API, diagnostics), core/textenc_legacy.c and core/textenc_utf8in.c.
 * Private to those files. */
#ifndef CHUAN_TEXTENC_DECODER_H
#define CHUAN_TEXTENC_DECODER_H

#include "textenc.h"

enum { CHUANP_DEC_WORD_SHARED = 32 }; /* TCVN3: shared letters patched per word */

struct chuanp_decoder {
    chuanp_enc enc;
    const char *name;
    chuan_diags *diags;
    const uint16_t *table; /* byte -> code point (legacy) */
    uint32_t u8[256];      /* byte -> UTF-8 bytes, length in the top byte (0: undefined) */
    uint8_t mark[256];     /* byte -> tone of a combining tone mark (CP1258, TCVN3), 0 none */
    uint8_t cls[256];      /* TCVN3 byte classes for case restoration */
    long long offset;      /* bytes consumed before the current chunk */
    long line, col;        /* position of the next byte: 1-based line, 0-based column */
    size_t errors;
    int prev_caps;         /* TCVN3: the previous word was in capitals */
    chuanp_buf carry;      /* input bytes held back until the next chunk */
};

/* Report an undecodable byte at p[i] of a piece starting at offset `base`
 * whose first byte is at d->line/d->col. */
void chuanp_dec_invalid(chuanp_decoder *d, const unsigned char *piece, size_t i, long long base);
/* Move d->line/d->col over a decoded piece of input (bytes). */
void chuanp_dec_advance(chuanp_decoder *d, const unsigned char *p, size_t n, int utf8);

void chuanp_dec_legacy_init(chuanp_decoder *d);
void chuanp_dec_legacy_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                           chuanp_buf *out);
void chuanp_dec_utf8_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                         chuanp_buf *out);

#endif
