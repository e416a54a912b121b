/* bench/gen/vnenc.h - legacy Vietnamese encodings for making test and benchmark data
 * (bench/gen/vnenc.c; not part of libchuan, which only decodes them). */
#ifndef CHUAN_VNENC_H
#define CHUAN_VNENC_H

#include "../../core/textenc.h"

/* Encode UTF-8 text (NFC or not; it is normalised first) into `enc`.
 * Characters the encoding cannot represent become '?' and are counted in
 * *unmappable; TCVN3 capitals that share their code with the lower-case
 * letter are counted in *lossy (may be NULL). Returns 0, or -1 on invalid
 * UTF-8 input or out of memory. */
int vnenc_encode(chuanp_enc enc, const char *utf8, size_t len, chuanp_buf *out,
                 size_t *unmappable, size_t *lossy);

/* Decode a whole buffer (*errors: undecodable bytes, may be NULL). Returns 0, or -1 out
 * of memory. */
int vnenc_decode_all(chuanp_enc enc, const void *in, size_t len, chuanp_buf *out,
                     size_t *errors);

#endif
