/* core/textenc_decode.c - streaming decoders (public API) and their
 * diagnostics. The work is in core/textenc_legacy.c (TCVN3, VNI, VISCII,
 * VPS, CP1258) and core/textenc_utf8in.c (UTF-8 to NFC). */
#include "textenc_decoder.h"

#include <stdlib.h>
#include <string.h>

enum { REPORT_MAX = 20 }; /* invalid bytes reported one by one, then summarised */

void chuanp_dec_advance(chuanp_decoder *d, const unsigned char *p, size_t n, int utf8)
{
    if (!d->diags)
        return;
    const unsigned char *end = p + n, *nl;
    while ((nl = memchr(p, '\n', (size_t)(end - p))) != NULL) {
        d->line++;
        d->col = 0;
        p = nl + 1;
    }
    d->col += (long)(utf8 ? chuanp_utf8_count((const char *)p, (size_t)(end - p)) : (size_t)(end - p));
}

void chuanp_dec_invalid(chuanp_decoder *d, const unsigned char *piece, size_t i, long long base)
{
    d->errors++;
    if (!d->diags || d->errors > REPORT_MAX)
        return;
    long line = d->line, col = d->col;
    int utf8 = d->enc == CHUANP_ENC_UTF8;
    size_t from = 0;
    for (size_t k = 0; k < i; k++)
        if (piece[k] == '\n') {
            line++;
            col = 0;
            from = k + 1;
        }
    col += (long)(utf8 ? chuanp_utf8_count((const char *)piece + from, i - from) : i - from);
    long long off = base + (long long)i;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = d->name,
                    .line = line, .column = col + 1, .offset = off};
    if (utf8)
        chuan_diags_addf(d->diags, &g, "invalid UTF-8 byte 0x%02X at byte offset %lld (replaced by U+FFFD)",
                         piece[i], off);
    else
        chuan_diags_addf(d->diags, &g,
                         "byte 0x%02X is not defined in %s at byte offset %lld (replaced by U+FFFD)",
                         piece[i], chuanp_enc_name(d->enc), off);
}

static void report_summary(chuanp_decoder *d)
{
    if (!d->diags || d->errors <= REPORT_MAX)
        return;
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = d->name,
                    .offset = -1};
    chuan_diags_addf(d->diags, &g, "%zu more undecodable bytes in %s input (%zu in all)",
                     d->errors - REPORT_MAX, chuanp_enc_name(d->enc), d->errors);
}

chuanp_decoder *chuanp_decoder_new(chuanp_enc enc, const char *name, chuan_diags *diags)
{
    const uint16_t *table = NULL;
    switch (enc) {
    case CHUANP_ENC_TCVN3: table = chuanp_tab_tcvn3; break;
    case CHUANP_ENC_VISCII: table = chuanp_tab_viscii; break;
    case CHUANP_ENC_VPS: table = chuanp_tab_vps; break;
    case CHUANP_ENC_CP1258: table = chuanp_tab_cp1258; break;
    case CHUANP_ENC_VNI: table = chuanp_tab_vni; break;
    case CHUANP_ENC_UTF8: break;
    default: return NULL;
    }
    chuanp_decoder *d = chuanp_calloc(1, sizeof *d);
    if (!d)
        return NULL;
    d->enc = enc;
    d->name = name;
    d->diags = diags;
    d->table = table;
    d->line = 1;
    chuanp_case_init(&d->tc);
    chuanp_buf_init(&d->carry, 0);
    if (table)
        chuanp_dec_legacy_init(d);
    return d;
}

int chuanp_decoder_run(chuanp_decoder *d, const void *in, size_t len, int final, chuanp_buf *out)
{
    if (d->enc == CHUANP_ENC_UTF8)
        chuanp_dec_utf8_run(d, in, len, final, out);
    else
        chuanp_dec_legacy_run(d, in, len, final, out);
    d->offset += (long long)len;
    if (final)
        report_summary(d);
    return out->err || d->carry.err ? -1 : 0;
}

void chuanp_decoder_set_origin(chuanp_decoder *d, long line, long long offset)
{
    d->line = line;
    d->offset = offset;
}

size_t chuanp_decoder_errors(const chuanp_decoder *d) { return d->errors; }
void chuanp_decoder_free(chuanp_decoder *d)
{
    if (!d)
        return;
    chuanp_buf_free(&d->carry);
    chuanp_case_free(&d->tc);
    chuanp_free(d);
}
