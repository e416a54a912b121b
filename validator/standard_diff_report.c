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

/* The kinds of change (standard_diff.c) in words, in the language of messages; the English
 * words are the kind with '.' and '-' as spaces. */
static const char *const kinds[][2] = {
    {"codelist.added", N_("codelist added")},
    {"codelist.extended", N_("codelist extended")},
    {"codelist.list-added", N_("codelist list added")},
    {"codelist.list-removed", N_("codelist list removed")},
    {"codelist.removed", N_("codelist removed")},
    {"codelist.renamed", N_("codelist renamed")},
    {"codelist.retired", N_("codelist retired")},
    {"field.added", N_("field added")},
    {"field.changed", N_("field changed")},
    {"field.narrowed", N_("field narrowed")},
    {"field.optional", N_("field optional")},
    {"field.removed", N_("field removed")},
    {"field.renamed", N_("field renamed")},
    {"field.required", N_("field required")},
    {"field.widened", N_("field widened")},
    {"format.added", N_("format added")},
    {"format.changed", N_("format changed")},
    {"format.removed", N_("format removed")},
    {"package.id", N_("package id")},
    {"rule.added", N_("rule added")},
    {"rule.removed", N_("rule removed")},
    {"rule.severity", N_("rule severity")},
    {"setting.added", N_("setting added")},
    {"setting.changed", N_("setting changed")},
    {"setting.narrowed", N_("setting narrowed")},
    {"setting.removed", N_("setting removed")},
    {"setting.widened", N_("setting widened")},
};

static void kind_words(chuanp_buf *b, const char *kind)
{
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (strcmp(kinds[i][0], kind) == 0) {
            chuanp_buf_puts(b, _(kinds[i][1]));
            return;
        }
    /* "field.added" -> "field added" */
    for (; *kind; kind++)
        chuanp_buf_putc(b, *kind == '.' || *kind == '-' ? ' ' : *kind);
}

/* s left-aligned in a column of `width` characters (UTF-8: a character is not a byte) */
static void padded(chuanp_buf *b, const char *s, size_t width)
{
    size_t n = chuanp_utf8_count(s, strlen(s));
    chuanp_buf_puts(b, s);
    for (; n < width; n++)
        chuanp_buf_putc(b, ' ');
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
        chuanp_buf_printf(b, _("## Changes from %s to %s\n\n"), c->old_label, c->new_label);
        if (!c->count) {
            chuanp_buf_puts(b, _("No change that concerns integrators.\n"));
            return;
        }
        chuanp_buf_printf(b,
                          chuanp_plural((long)c->count,
                                        N_("%zu breaking, %zu compatible change for senders of "
                                           "payloads.\n"),
                                        N_("%zu breaking, %zu compatible changes for senders of "
                                           "payloads.\n")),
                          c->nbreaking, ncompat);
        for (int pass = 1; pass >= 0; pass--) {
            size_t n = pass ? c->nbreaking : ncompat;
            if (!n)
                continue;
            chuanp_buf_printf(b, "\n### %s\n\n", pass ? _("Breaking") : _("Compatible"));
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
    chuanp_buf_printf(b, _("%s -> %s: %zu breaking, %zu compatible\n"), c->old_label, c->new_label,
                      c->nbreaking, ncompat);
    size_t w = 10; /* the column of the words, as wide as the wider of the two (10 in English) */
    for (int k = 0; k < 2; k++) {
        const char *word = k ? _("breaking") : _("compatible");
        size_t n = chuanp_utf8_count(word, strlen(word));
        w = n > w ? n : w;
    }
    for (size_t i = 0; i < c->count; i++) {
        const chuanp_std_change *ch = &c->items[i];
        padded(b, ch->breaking ? _("breaking") : _("compatible"), w);
        chuanp_buf_printf(b, " %-18s %s: %s\n", ch->kind, ch->subject, ch->message);
    }
}
