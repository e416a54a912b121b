/* validator/standard_diff_report.c - `chuan diff` output: text (one change a line), JSON, and
 * Markdown ready for release notes. */
#include "standard_diff.h"

#include <string.h>

static void md_text(chuanp_buf *b, const char *s)
{
    /* keep Markdown from reading a value as emphasis, code, HTML or a table cell */
    for (; *s; s++) {
        if (strchr("*_`|<\\", *s))
            chuanp_buf_putc(b, '\\');
        chuanp_buf_putc(b, *s);
    }
}

static void kind_words(chuanp_buf *b, const char *kind)
{
    /* "field.added" -> "field added" */
    for (; *kind; kind++)
        chuanp_buf_putc(b, *kind == '.' || *kind == '-' ? ' ' : *kind);
}

void chuanp_std_changes_write(chuanp_buf *b, const chuanp_std_changes *c, int format)
{
    size_t ncompat = c->count - c->nbreaking;
    if (format == CHUANP_DIFF_JSON) {
        chuanp_buf_puts(b, "{\"old\": ");
        chuanp_buf_json_string(b, c->old_label, strlen(c->old_label));
        chuanp_buf_puts(b, ", \"new\": ");
        chuanp_buf_json_string(b, c->new_label, strlen(c->new_label));
        chuanp_buf_printf(b, ", \"breaking\": %zu, \"compatible\": %zu, \"changes\": [", c->nbreaking,
                          ncompat);
        for (size_t i = 0; i < c->count; i++) {
            const chuanp_std_change *ch = &c->items[i];
            chuanp_buf_puts(b, i ? ",\n  {\"kind\": " : "\n  {\"kind\": ");
            chuanp_buf_json_string(b, ch->kind, strlen(ch->kind));
            chuanp_buf_puts(b, ", \"subject\": ");
            chuanp_buf_json_string(b, ch->subject, strlen(ch->subject));
            chuanp_buf_printf(b, ", \"breaking\": %s, \"message\": ", ch->breaking ? "true" : "false");
            chuanp_buf_json_string(b, ch->message, strlen(ch->message));
            chuanp_buf_putc(b, '}');
        }
        chuanp_buf_puts(b, c->count ? "\n]}\n" : "]}\n");
        return;
    }
    if (format == CHUANP_DIFF_MARKDOWN) {
        chuanp_buf_printf(b, "## Changes from %s to %s\n\n", c->old_label, c->new_label);
        if (!c->count) {
            chuanp_buf_puts(b, "No change that concerns integrators.\n");
            return;
        }
        chuanp_buf_printf(b, "%zu breaking, %zu compatible change%s for senders of payloads.\n",
                          c->nbreaking, ncompat, c->count == 1 ? "" : "s");
        for (int pass = 1; pass >= 0; pass--) {
            size_t n = pass ? c->nbreaking : ncompat;
            if (!n)
                continue;
            chuanp_buf_puts(b, pass ? "\n### Breaking\n\n" : "\n### Compatible\n\n");
            for (size_t i = 0; i < c->count; i++) {
                const chuanp_std_change *ch = &c->items[i];
                if (ch->breaking != pass)
                    continue;
                chuanp_buf_puts(b, "- **");
                kind_words(b, ch->kind);
                chuanp_buf_puts(b, "** `");
                chuanp_buf_puts(b, ch->subject); /* code span: no escaping needed but backticks */
                chuanp_buf_puts(b, "`: ");
                md_text(b, ch->message);
                chuanp_buf_putc(b, '\n');
            }
        }
        return;
    }
    chuanp_buf_printf(b, "%s -> %s: %zu breaking, %zu compatible\n", c->old_label, c->new_label,
                      c->nbreaking, ncompat);
    for (size_t i = 0; i < c->count; i++) {
        const chuanp_std_change *ch = &c->items[i];
        chuanp_buf_printf(b, "%-10s %-18s %s: %s\n", ch->breaking ? "breaking" : "compatible",
                          ch->kind, ch->subject, ch->message);
    }
}
