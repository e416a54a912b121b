/*
 * converters/table_input.c - a DBF or MDB table as an NDJSON text stream
 * (glibc fopencookie), the one front end through which convert, validate and
 * the batch engine read legacy tables (converters/table.h).
 */
#define _GNU_SOURCE
#include "table.h"
#include "../core/textenc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct tstream {
    chuanp_dbf *dbf;
    FILE *file;      /* the table file (or its spooled copy), owned */
    chuanp_buf line;
    size_t pos;
    int end;
} tstream;

static ssize_t t_read(void *c, char *buf, size_t size)
{
    tstream *s = c;
    size_t done = 0;
    while (done < size) {
        if (s->pos < s->line.len) {
            size_t k = s->line.len - s->pos;
            if (k > size - done)
                k = size - done;
            memcpy(buf + done, s->line.data + s->pos, k);
            s->pos += k;
            done += k;
            continue;
        }
        if (s->end)
            break;
        chuanp_buf_reset(&s->line);
        s->pos = 0;
        int r = chuanp_dbf_next(s->dbf, &s->line);
        if (r < 0 || s->line.err) {
            errno = ENOMEM;
            s->end = 1;
            return done ? (ssize_t)done : -1;
        }
        if (r == 0 || r == 3) {
            s->end = 1;
            continue;
        }
        chuanp_buf_putc(&s->line, '\n'); /* a deleted record: an empty line */
    }
    return (ssize_t)done;
}

static int t_close(void *c)
{
    tstream *s = c;
    chuanp_dbf_close(s->dbf);
    if (s->file)
        fclose(s->file);
    chuanp_buf_free(&s->line);
    chuanp_free(s);
    return 0;
}

int chuanp_table_format(chuanp_format fmt)
{
    return fmt == CHUANP_FMT_DBF || fmt == CHUANP_FMT_MDB;
}

int chuanp_table_open(FILE **out, const char *path, FILE *src, const char *name,
                      chuanp_format fmt, const char *encoding, const char *table, unsigned flags,
                      chuan_diags *d)
{
    *out = NULL;
    if (fmt == CHUANP_FMT_MDB)
        return chuanp_mdb_open(out, path, src, name, table, encoding, d);
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.open", .file = name, .offset = -1};
    if (table) {
        g.code = "usage.table";
        chuan_diags_addf(d, &g, "--table names a table of an Access database; %s is a DBF file, "
                                "which holds one table", name);
        return -1;
    }
    tstream *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        goto oom;
    chuanp_buf_init(&s->line, 0);
    int is_stdin = strcmp(path, "-") == 0;
    if (is_stdin) {
        errno = 0;
        s->file = chuanp_spool_stream(NULL, 0, src ? src : stdin);
    } else {
        s->file = fopen(path, "rb");
    }
    if (!s->file) {
        chuan_diags_addf(d, &g, "cannot open %s: %s", name, chuanp_strerror(errno ? errno : EIO));
        t_close(s);
        return -1;
    }
    int rc = chuanp_dbf_open(&s->dbf, s->file, is_stdin ? NULL : path, name, encoding, d);
    if (rc != 0) {
        t_close(s);
        return rc;
    }
    chuanp_dbf_omit_empty(s->dbf, (flags & CHUANP_TABLE_OMIT_EMPTY) != 0);
    cookie_io_functions_t io = {.read = t_read, .close = t_close};
    *out = fopencookie(s, "r", io);
    if (!*out) {
        t_close(s);
        goto oom;
    }
    return 0;
oom:
    g.code = "convert.internal";
    chuan_diags_addf(d, &g, "out of memory opening %s", name);
    return -1;
}

FILE *chuanp_table_spool(const char *path, FILE *src, const char *name, chuanp_format fmt,
                         const char *encoding, const char *table, unsigned flags, chuan_diags *d,
                         int *rc)
{
    FILE *t = NULL;
    *rc = chuanp_table_open(&t, path, src, name, fmt, encoding, table, flags, d);
    if (*rc != 0)
        return NULL;
    errno = 0;
    FILE *copy = chuanp_spool_stream(NULL, 0, t);
    int e = errno;
    fclose(t);
    if (!copy) {
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "io.write", .file = name,
                        .offset = -1};
        chuan_diags_addf(d, &g, "cannot copy the records of %s to a temporary file: %s", name,
                         chuanp_strerror(e ? e : EIO));
        *rc = -1;
    }
    return copy;
}

int chuanp_table_encoding(const chuan_diags *d)
{
    static const char from[] = "decoded from ";
    for (size_t i = 0; i < d->count; i++) {
        const char *m = d->items[i].message;
        if (!d->items[i].code || strcmp(d->items[i].code, "encoding.decoded") != 0 || !m)
            continue;
        const char *p = strstr(m, from);
        if (!p)
            break;
        p += sizeof from - 1;
        char name[32];
        size_t k = 0;
        while (p[k] && p[k] != ' ' && k + 1 < sizeof name)
            name[k] = p[k], k++;
        name[k] = '\0';
        int e = chuanp_enc_parse(name);
        return e > CHUANP_ENC_UTF8 ? e : CHUANP_ENC_UTF8;
    }
    return CHUANP_ENC_UTF8;
}

long chuanp_table_deleted(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        if (d->items[i].code && strcmp(d->items[i].code, "dbf.deleted") == 0 &&
            d->items[i].message)
            return strtol(d->items[i].message, NULL, 10);
    return 0;
}

int chuanp_table_part(const chuan_diags *d, chuanp_part *part)
{
    memset(part, 0, sizeof *part);
    for (size_t i = 0; i < d->count; i++) {
        const chuan_diag *g = &d->items[i];
        if (!g->code || strcmp(g->code, "mdb.table") != 0 || !g->path || g->path[0] != '\'')
            continue;
        /* the path is the table's name quoted ('' for a quote): unquoted */
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        for (const char *p = g->path + 1; *p; p++) {
            if (*p == '\'' && p[1] == '\'')
                p++;
            else if (*p == '\'')
                break;
            chuanp_buf_putc(&b, *p);
        }
        chuanp_buf_putc(&b, '\0');
        int rc = b.err ? -1 : chuanp_part_set(part, CHUANP_PART_TABLE, b.data);
        chuanp_buf_free(&b);
        return rc;
    }
    return 0;
}
