/* converters/batch_rejects.c - one line of a rejects file (NDJSON):
 *   {"record": ..., "file": ..., "line": N, "diagnostics": [...]}
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

void chuanp_reject_line(chuanp_buf *b, const char *raw, size_t raw_len, const chuanp_jv *value,
                        const char *file, long line, const chuan_diags *d)
{
    chuanp_buf_puts(b, "{\"record\":");
    if (raw)
        chuanp_json_write_string(b, raw, raw_len, 0);
    else if (value)
        chuanp_json_write(b, value, NULL);
    else
        chuanp_buf_puts(b, "null");
    chuanp_buf_puts(b, ",\"file\":");
    put_str(b, file);
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
