/* core/diag.c - the diagnostics list (owns copies of every string). */
#include "core.h"

#include <stdlib.h>
#include <string.h>

void chuan_diags_init(chuan_diags *list, size_t max)
{
    memset(list, 0, sizeof *list);
    list->max = max;
}

static void diag_free_strings(chuan_diag *d)
{
    chuanp_free((char *)d->code);
    chuanp_free((char *)d->message);
    chuanp_free((char *)d->message_vi);
    chuanp_free((char *)d->file);
    chuanp_free((char *)d->path);
    chuanp_free((char *)d->source);
    chuanp_free((char *)d->keyword_location);
    chuanp_free((char *)d->schema_location);
    chuanp_free((char *)d->properties);
}

static int copy_str(const char **dst, const char *src)
{
    *dst = NULL;
    if (!src)
        return 0;
    *dst = chuanp_strdup(src);
    return *dst ? 0 : -1;
}

static int diags_push(chuan_diags *list, const chuan_diag *d, const char *message,
                      const char *message_vi)
{
    if (d->severity == CHUAN_SEV_ERROR)
        list->errors++;
    else if (d->severity == CHUAN_SEV_WARNING)
        list->warnings++;
    if (list->max && list->count >= list->max) {
        list->dropped++;
        return 0;
    }
    if (list->count == list->cap) {
        size_t cap = list->cap ? list->cap * 2 : 8;
        chuan_diag *items = chuanp_realloc(list->items, cap * sizeof *items);
        if (!items) {
            list->oom = 1;
            return -1;
        }
        list->items = items;
        list->cap = cap;
    }
    chuan_diag c = *d;
    int bad = copy_str(&c.code, d->code) | copy_str(&c.message, message) |
              copy_str(&c.message_vi, message_vi) | copy_str(&c.file, d->file) |
              copy_str(&c.path, d->path) | copy_str(&c.source, d->source) |
              copy_str(&c.keyword_location, d->keyword_location) |
              copy_str(&c.schema_location, d->schema_location) |
              copy_str(&c.properties, d->properties);
    if (bad) {
        diag_free_strings(&c);
        list->oom = 1;
        return -1;
    }
    list->items[list->count++] = c;
    return 0;
}

/* The choke point of translation (docs/i18n.md): in Vietnamese, a message
 * without its own Vietnamese text gets the catalogue's translation of the
 * English text (a literal message id) or of the printf template. The English
 * text stays in `message`; reporters choose by language. */
static int want_vi(const chuan_diag *d)
{
    return !d->message_vi && chuanp_lang_get() == CHUANP_LANG_VI;
}

int chuan_diags_add(chuan_diags *list, const chuan_diag *d)
{
    const char *vi = d->message_vi;
    if (want_vi(d) && d->message && !(list->max && list->count >= list->max))
        vi = chuanp_gettext_vi(d->message);
    return diags_push(list, d, d->message, vi);
}

int chuan_diags_addf(chuan_diags *list, const chuan_diag *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int rc = chuanp_diags_vaddf(list, d, fmt, ap);
    va_end(ap);
    return rc;
}

int chuanp_diags_vaddf(chuan_diags *list, const chuan_diag *d, const char *fmt, va_list ap)
{
    chuanp_buf b, v;
    chuanp_buf_init(&b, 0);
    chuanp_buf_init(&v, 0);
    const char *tvi = NULL;
    if (want_vi(d) && !(list->max && list->count >= list->max) && strcmp(fmt, "%s") != 0)
        tvi = chuanp_gettext_vi(fmt);
    if (tvi) {
        va_list aq;
        va_copy(aq, ap);
        chuanp_buf_vprintf(&v, tvi, aq);
        va_end(aq);
    }
    chuanp_buf_vprintf(&b, fmt, ap);
    if (b.err || v.err) {
        chuanp_buf_free(&b);
        chuanp_buf_free(&v);
        list->oom = 1;
        return -1;
    }
    const char *vi = tvi ? v.data : d->message_vi;
    if (!vi && want_vi(d) && strcmp(fmt, "%s") == 0 && !(list->max && list->count >= list->max))
        vi = chuanp_gettext_vi(b.data); /* a message made elsewhere: a literal message id? */
    int rc = diags_push(list, d, b.data, vi);
    chuanp_buf_free(&b);
    chuanp_buf_free(&v);
    return rc;
}

int chuan_diags_move(chuan_diags *dst, chuan_diags *src)
{
    int rc = 0;
    for (size_t i = 0; i < src->count; i++) {
        chuan_diag *d = &src->items[i];
        if (d->severity == CHUAN_SEV_ERROR)
            dst->errors++;
        else if (d->severity == CHUAN_SEV_WARNING)
            dst->warnings++;
        if (dst->max && dst->count >= dst->max) {
            dst->dropped++;
            diag_free_strings(d);
            continue;
        }
        if (dst->count == dst->cap) {
            size_t cap = dst->cap ? dst->cap * 2 : 8;
            chuan_diag *items = chuanp_realloc(dst->items, cap * sizeof *items);
            if (!items) {
                dst->oom = 1;
                diag_free_strings(d);
                rc = -1;
                continue;
            }
            dst->items = items;
            dst->cap = cap;
        }
        dst->items[dst->count++] = *d;
    }
    /* counts of diagnostics src had dropped */
    dst->dropped += src->dropped;
    if (src->errors + src->warnings > src->count) {
        size_t de = 0, dw = 0;
        for (size_t i = 0; i < src->count; i++) {
            if (src->items[i].severity == CHUAN_SEV_ERROR)
                de++;
            else if (src->items[i].severity == CHUAN_SEV_WARNING)
                dw++;
        }
        dst->errors += src->errors - de;
        dst->warnings += src->warnings - dw;
    }
    dst->oom |= src->oom;
    chuanp_free(src->items);
    size_t max = src->max;
    memset(src, 0, sizeof *src);
    src->max = max;
    return rc;
}

void chuan_diags_clear(chuan_diags *list)
{
    if (!list)
        return;
    for (size_t i = 0; i < list->count; i++)
        diag_free_strings(&list->items[i]);
    chuanp_free(list->items);
    size_t max = list->max;
    memset(list, 0, sizeof *list);
    list->max = max;
}

void chuanp_diags_truncate(chuan_diags *list, const chuan_diags *mark)
{
    for (size_t i = mark->count; i < list->count; i++)
        diag_free_strings(&list->items[i]);
    if (mark->count < list->count)
        list->count = mark->count;
    list->dropped = mark->dropped;
    list->errors = mark->errors;
    list->warnings = mark->warnings;
}

void chuan_file_result_init(chuan_file_result *r, const char *file)
{
    memset(r, 0, sizeof *r);
    r->file = chuanp_strdup(file);
    chuan_diags_init(&r->diags, 0);
}

void chuan_file_result_clear(chuan_file_result *r)
{
    if (!r)
        return;
    chuanp_free(r->file);
    chuanp_free(r->format);
    chuanp_free(r->standard);
    chuanp_free(r->selected);
    chuan_diags_clear(&r->diags);
    memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------ formatter */

void chuanp_diag_format(chuanp_buf *b, const chuan_diag *g, const char *message)
{
    chuanp_buf_puts(b, g->file ? g->file : "chuan"); /* NULL: not about one input */
    if (g->file && g->line > 0) {
        chuanp_buf_printf(b, ":%ld", g->line);
        if (g->column > 0)
            chuanp_buf_printf(b, ":%ld", g->column);
    }
    const char *sev = g->severity == CHUAN_SEV_ERROR     ? "error"
                      : g->severity == CHUAN_SEV_WARNING ? "warning"
                                                         : "info";
    if (!message)
        message = chuanp_diag_message(g); /* in the language of messages */
    chuanp_buf_printf(b, ": %s: %s: %s", sev, g->code ? g->code : "error", message);
    if (g->path && *g->path) {
        chuanp_buf_puts(b, _(" (at "));
        for (const unsigned char *p = (const unsigned char *)g->path; *p; p++)
            if (*p < 0x20 || *p == 0x7F)
                chuanp_buf_printf(b, "\\x%02X", *p); /* keys may hold control characters */
            else
                chuanp_buf_putc(b, (char)*p);
        chuanp_buf_putc(b, ')');
    }
}

void chuanp_diag_print(FILE *f, const chuan_diag *g)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_diag_format(&b, g, NULL);
    chuanp_buf_putc(&b, '\n');
    if (b.err)
        fputs("chuan: error: out of memory formatting a diagnostic\n", f);
    else
        fwrite(b.data, 1, b.len, f);
    chuanp_buf_free(&b);
}

int chuan_diags_each(const chuan_diags *list, chuan_diag_fn fn, void *ctx)
{
    for (size_t i = 0; list && fn && i < list->count; i++) {
        int rc = fn(ctx, &list->items[i]);
        if (rc != 0)
            return rc;
    }
    return 0;
}
