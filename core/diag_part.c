/* core/diag_part.c - a diagnostic's location inside a container input: the
 * sheet of a workbook or the table of a database its record comes from
 * (core/core.h, chuanp_part; docs/legacy-tables.md, "Locations"). */
#include "core.h"

#include <string.h>

void chuanp_part_quote(chuanp_buf *b, const char *name)
{
    chuanp_buf_putc(b, '\'');
    for (const char *s = name ? name : ""; *s; s++) {
        if (*s == '\'')
            chuanp_buf_putc(b, '\'');
        chuanp_buf_putc(b, *s);
    }
    chuanp_buf_putc(b, '\'');
}

/* Column letters of 1-based col: A, Z, AA... */
static void col_letters(chuanp_buf *b, long col)
{
    char tmp[16];
    int n = 0;
    for (long c = col; c > 0 && n < (int)sizeof tmp; c = (c - 1) / 26)
        tmp[n++] = (char)('A' + (c - 1) % 26);
    while (n)
        chuanp_buf_putc(b, tmp[--n]);
}

void chuanp_part_sheet_ref(chuanp_buf *b, const char *sheet, long row, long col)
{
    chuanp_part_quote(b, sheet);
    if (row > 0 && col > 0) {
        chuanp_buf_putc(b, '!');
        col_letters(b, col);
        chuanp_buf_printf(b, "%ld", row);
    } else if (row > 0) {
        chuanp_buf_printf(b, "!%ld:%ld", row, row);
    }
}

int chuanp_part_set(chuanp_part *p, int kind, const char *name)
{
    char *n = chuanp_strdup(name ? name : "");
    if (!n)
        return -1;
    chuanp_free(p->name);
    p->name = n;
    p->kind = kind;
    return 0;
}

int chuanp_part_add_col(chuanp_part *p, const char *ptr, long col)
{
    char **pt = chuanp_realloc(p->ptrs, (p->ncols + 1) * sizeof *pt);
    if (!pt)
        return -1;
    p->ptrs = pt;
    long *c = chuanp_realloc(p->cols, (p->ncols + 1) * sizeof *c);
    if (!c)
        return -1;
    p->cols = c;
    if (!(p->ptrs[p->ncols] = chuanp_strdup(ptr)))
        return -1;
    p->cols[p->ncols++] = col;
    return 0;
}

int chuanp_part_copy(chuanp_part *dst, const chuanp_part *src)
{
    memset(dst, 0, sizeof *dst);
    if (!src || src->kind == CHUANP_PART_NONE)
        return 0;
    if (chuanp_part_set(dst, src->kind, src->name) < 0)
        return -1;
    for (size_t i = 0; i < src->ncols; i++)
        if (chuanp_part_add_col(dst, src->ptrs[i], src->cols[i]) < 0) {
            chuanp_part_free(dst);
            return -1;
        }
    return 0;
}

void chuanp_part_free(chuanp_part *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->ncols; i++)
        chuanp_free(p->ptrs[i]);
    chuanp_free(p->ptrs);
    chuanp_free(p->cols);
    chuanp_free(p->name);
    memset(p, 0, sizeof *p);
}

/* The sheet column whose value is at ptr, 0 when none (an object several columns fill). */
static long column_of(const chuanp_part *p, const char *ptr)
{
    for (size_t i = 0; i < p->ncols; i++)
        if (strcmp(p->ptrs[i], ptr) == 0)
            return p->cols[i];
    return 0;
}

int chuanp_part_locate(const chuanp_part *p, chuan_diags *d, const char *file)
{
    if (!p || p->kind == CHUANP_PART_NONE || !d)
        return 0;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int rc = 0;
    for (size_t i = 0; i < d->count; i++) {
        chuan_diag *g = &d->items[i];
        const char *path = g->path ? g->path : "";
        if (g->line <= 0 || (*path && *path != '/') ||
            (file && (!g->file || strcmp(g->file, file) != 0)))
            continue;
        chuanp_buf_reset(&b);
        if (p->kind == CHUANP_PART_SHEET) {
            long col = *path ? column_of(p, path) : 0;
            chuanp_part_sheet_ref(&b, p->name, g->line, col);
            g->column = col;
        } else {
            chuanp_part_quote(&b, p->name);
        }
        if (*path) {
            chuanp_buf_putc(&b, ' ');
            chuanp_buf_puts(&b, path);
        }
        char *np = b.err ? NULL : chuanp_strndup(b.data, b.len);
        if (!np) {
            rc = -1;
            break;
        }
        chuanp_free((char *)g->path);
        g->path = np;
    }
    chuanp_buf_free(&b);
    return rc;
}
