/* libFuzzer target: decode arbitrary bytes in every encoding (whole and cut
 * in two at a point taken from the input), run the detector, the CLI's
 * input sniffing (XML declaration, "needs decoding") on the exact-sized,
 * unterminated buffer, and the textin layer. Must not crash, leak or hang; every output must be valid UTF-8 and
 * a cut must not change the result. */
#define _GNU_SOURCE
#include "../../bench/gen/vnenc.h"
#include "../../converters/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void check_utf8(const chuanp_buf *b)
{
    if (b->err || chuanp_utf8_invalid_at(b->data, b->len) >= 0)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t cut = size ? data[0] % (size + 1) : 0;
    for (int e = CHUANP_ENC_UTF8; e < CHUANP_ENC_COUNT; e++) {
        chuanp_buf whole, parts;
        chuanp_buf_init(&whole, 0);
        chuanp_buf_init(&parts, 0);
        if (vnenc_decode_all((chuanp_enc)e, data, size, &whole, NULL) < 0)
            abort();
        check_utf8(&whole);
        chuanp_decoder *d = chuanp_decoder_new((chuanp_enc)e, "fuzz", NULL);
        if (!d || chuanp_decoder_run(d, data, cut, 0, &parts) < 0 ||
            chuanp_decoder_run(d, data + cut, size - cut, 1, &parts) < 0)
            abort();
        check_utf8(&parts);
        /* NFC of UTF-8 may legitimately differ at a cut inside >256 KiB of
         * non-ASCII text only; inputs here are far smaller. */
        if (parts.len != whole.len || (whole.len && memcmp(parts.data, whole.data, whole.len) != 0))
            abort();
        /* encoders accept what the decoders produce */
        chuanp_buf enc;
        chuanp_buf_init(&enc, 0);
        if (vnenc_encode((chuanp_enc)e, whole.data, whole.len, &enc, NULL, NULL) < 0)
            abort();
        chuanp_buf_free(&enc);
        chuanp_decoder_free(d);
        chuanp_buf_free(&whole);
        chuanp_buf_free(&parts);
    }
    /* the CLI peeks at most 64 KiB and the buffer has no NUL after it (the
     * XML declaration sniffer under it reads no further) */
    for (int complete = 0; complete < 2; complete++)
        (void)chuanp_input_needs_decoding((const char *)data, size, complete,
                                          chuanp_format_sniff(NULL, (const char *)data, size));
    chuanp_detect_result r;
    if (chuanp_detect(data, size, &r) < 0)
        abort();
    if (r.confidence < 0 || r.confidence > 1.0000001)
        abort();
    if (size) {
        FILE *raw = fmemopen((void *)data, size, "rb"), *in = NULL;
        chuan_diags diags;
        chuan_diags_init(&diags, 0);
        if (raw && chuanp_textin_open(&in, raw, "fuzz", "auto", NULL, &diags) == 0) {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            char tmp[4096];
            size_t n;
            while ((n = fread(tmp, 1, sizeof tmp, in)) > 0)
                chuanp_buf_append(&b, tmp, n);
            check_utf8(&b);
            chuanp_buf_free(&b);
            fclose(in);
        }
        if (raw)
            fclose(raw);
        chuan_diags_clear(&diags);
    }
    return 0;
}
