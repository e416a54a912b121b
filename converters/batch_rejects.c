/* converters/batch_rejects.c - one line of a rejects file (NDJSON):
 *   {"record": ..., "file": ..., ["sheet"/"table": ...,] "line": N, "diagnostics": [...]}
 * "record" is the record's original text when the reader kept it (an NDJSON
 * line, a CSV row: a JSON string), else its value after conversion, else
 * null (a document that could not be read at all). */
#include "batch.h"

#include <string.h>

static void put_str(chuanp_buf *b, const char *s)
{
    if (s)
        chuanp_json_write_string(b, s, strlen(s), 0);
    else
        chuanp_buf_puts(b, "null");
}

/* RFC 4648 base64 of s[0..n) as a JSON string. */
static void put_base64(chuanp_buf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    chuanp_buf_putc(b, '"');
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)s[i] << 16 | (i + 1 < n ? (unsigned)s[i + 1] << 8 : 0) |
                     (i + 2 < n ? s[i + 2] : 0);
        char q[4] = {tab[v >> 18 & 63], tab[v >> 12 & 63], i + 1 < n ? tab[v >> 6 & 63] : '=',
                     i + 2 < n ? tab[v & 63] : '='};
        chuanp_buf_append(b, q, 4);
    }
    chuanp_buf_putc(b, '"');
}

void chuanp_reject_line(chuanp_buf *b, const char *raw, size_t raw_len, const chuanp_jv *value,
                        const char *file, const chuanp_part *part, long line,
                        const chuan_diags *d)
{
    chuanp_buf_puts(b, "{\"record\":");
    if (raw && chuanp_utf8_invalid_at(raw, raw_len) >= 0) {
        /* bytes that are not UTF-8 (the reason it was rejected, often) cannot be a JSON string:
         * kept exactly, in base64, so the rejects file stays valid NDJSON */
        chuanp_buf_puts(b, "null,\"record_base64\":");
        put_base64(b, (const unsigned char *)raw, raw_len);
    } else if (raw)
        chuanp_json_write_string(b, raw, raw_len, 0);
    else if (value)
        chuanp_json_write(b, value, NULL);
    else
        chuanp_buf_puts(b, "null");
    chuanp_buf_puts(b, ",\"file\":");
    put_str(b, file);
    if (part && part->kind != CHUANP_PART_NONE) {
        chuanp_buf_puts(b, part->kind == CHUANP_PART_SHEET ? ",\"sheet\":" : ",\"table\":");
        put_str(b, part->name);
    }
    chuanp_buf_printf(b, ",\"line\":%ld,\"diagnostics\":[", line);
    for (size_t i = 0; i < d->count; i++) {
        const chuan_diag *g = &d->items[i];
        chuanp_buf_puts(b, i ? ",{\"severity\":" : "{\"severity\":");
        put_str(b, g->severity == CHUAN_SEV_ERROR ? "error"
                   : g->severity == CHUAN_SEV_WARNING ? "warning" : "info");
        chuanp_buf_puts(b, ",\"code\":");
        put_str(b, g->code);
        chuanp_buf_puts(b, ",\"message\":");
        put_str(b, g->message);
        if (g->message_vi) {
            chuanp_buf_puts(b, ",\"message_vi\":");
            put_str(b, g->message_vi);
        }
        chuanp_buf_printf(b, ",\"line\":%ld,\"column\":%ld", g->line, g->column);
        if (g->path) {
            chuanp_buf_puts(b, ",\"path\":");
            put_str(b, g->path);
        }
        if (g->source) {
            chuanp_buf_puts(b, ",\"source\":");
            put_str(b, g->source);
        }
        chuanp_buf_putc(b, '}');
    }
    chuanp_buf_puts(b, "]}\n");
}
