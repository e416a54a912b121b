/*
 * converters/ndjson_read.c - NDJSON (JSON Lines): one value per line, read
 * in constant memory.
 *
 * The reader keeps one growable buffer holding the current line (at most
 * CHUANP_NDJSON_MAX_LINE bytes plus one read chunk); a longer line is
 * reported as "json.line-too-long" and skipped without being stored. Lines
 * end at LF (a CR before it is dropped); blank and whitespace-only lines are
 * skipped; a UTF-8 BOM at the start of the input is skipped. Each line is
 * parsed on its own, so its diagnostics carry the line number and byte
 * offset in the whole input, and a bad line does not stop the reader.
 */
#include "json.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64u * 1024)

struct chuanp_ndjson_reader {
    FILE *in;
    char *file;
    chuanp_json_opts opts;
    char *buf;
    size_t cap;
    size_t start, len;      /* unconsumed bytes: buf[start..len) */
    long long buf_offset;   /* input offset of buf[0] */
    int eof;
    long line;              /* lines consumed so far */
    const char *cur;        /* the last line returned */
    size_t cur_len;
    long long cur_offset;
    size_t max_line;
};

chuanp_ndjson_reader *chuanp_ndjson_reader_new(FILE *in, const char *file,
                                               const chuanp_json_opts *opts)
{
    chuanp_ndjson_reader *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->in = in;
    if (opts)
        r->opts = *opts;
    const char *name = file ? file : opts ? opts->file : NULL;
    if (name && !(r->file = chuanp_strdup(name))) {
        chuanp_free(r);
        return NULL;
    }
    r->opts.file = r->file;
    r->opts.allow_trailing = 0;
    r->max_line = CHUANP_NDJSON_MAX_LINE;
    r->cap = CHUNK * 2;
    r->buf = chuanp_malloc(r->cap);
    if (!r->buf) {
        chuanp_free(r->file);
        chuanp_free(r);
        return NULL;
    }
    return r;
}

void chuanp_ndjson_reader_free(chuanp_ndjson_reader *r)
{
    if (!r)
        return;
    chuanp_free(r->buf);
    chuanp_free(r->file);
    chuanp_free(r);
}

void chuanp_ndjson_set_max_line(chuanp_ndjson_reader *r, size_t max_line)
{
    r->max_line = max_line ? max_line : CHUANP_NDJSON_MAX_LINE;
}

const char *chuanp_ndjson_raw(const chuanp_ndjson_reader *r, size_t *len, long long *offset)
{
    if (len)
        *len = r->cur ? r->cur_len : 0;
    if (offset)
        *offset = r->cur ? r->cur_offset : -1;
    return r->cur;
}

static int io_error(chuanp_ndjson_reader *r, chuan_diags *diags, const char *what, int err)
{
    chuan_diag d;
    memset(&d, 0, sizeof d);
    d.severity = CHUAN_SEV_ERROR;
    d.code = "io.read";
    d.file = r->file;
    d.line = r->line + 1;
    d.offset = -1;
    if (diags)
        chuan_diags_addf(diags, &d, "%s: %s", what, chuanp_strerror(err));
    return -1;
}

/* Read more input after the unconsumed bytes (moved to the front first).
 * Returns bytes read (0 at end of input), or -1 on error. */
static long fill(chuanp_ndjson_reader *r, chuan_diags *diags)
{
    if (r->eof)
        return 0;
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->buf_offset += (long long)r->start;
        r->len -= r->start;
        r->start = 0;
    }
    if (r->cap - r->len < CHUNK) {
        size_t ncap = r->cap * 2;
        char *p = chuanp_realloc(r->buf, ncap);
        if (!p)
            return io_error(r, diags, "out of memory reading a line", ENOMEM);
        r->buf = p;
        r->cap = ncap;
    }
    size_t n = fread(r->buf + r->len, 1, r->cap - r->len, r->in);
    if (n == 0) {
        if (ferror(r->in))
            return io_error(r, diags, "read error", errno ? errno : EIO);
        r->eof = 1;
    }
    r->len += n;
    return (long)n;
}

/* Drop the rest of an over-long line (up to and including its LF). */
static int skip_long_line(chuanp_ndjson_reader *r, chuan_diags *diags)
{
    for (;;) {
        char *nl = memchr(r->buf + r->start, '\n', r->len - r->start);
        if (nl) {
            r->start = (size_t)(nl - r->buf) + 1;
            return 0;
        }
        r->start = r->len;
        long n = fill(r, diags);
        if (n < 0)
            return -1;
        if (n == 0)
            return 0;
    }
}

static int blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r')
            return 0;
    return 1;
}

int chuanp_ndjson_next(chuanp_ndjson_reader *r, chuanp_arena *arena, chuanp_jv **out,
                       long *line, chuan_diags *diags)
{
    *out = NULL;
    r->cur = NULL;
    for (;;) {
        char *s = r->buf + r->start;
        char *nl = memchr(s, '\n', r->len - r->start);
        size_t have = nl ? (size_t)(nl - s) : r->len - r->start;
        if (have > r->max_line) {
            long long off = r->buf_offset + (long long)r->start;
            r->line++;
            if (line)
                *line = r->line;
            chuan_diag d;
            memset(&d, 0, sizeof d);
            d.severity = CHUAN_SEV_ERROR;
            d.code = "json.line-too-long";
            d.file = r->file;
            d.line = r->line + r->opts.line_base;
            d.column = 1;
            d.offset = off + r->opts.offset_base;
            d.path = "";
            if (diags && chuan_diags_addf(diags, &d,
                                          "line longer than %zu bytes (the NDJSON line limit)",
                                          r->max_line) < 0)
                return -1;
            if (skip_long_line(r, diags) < 0)
                return -1;
            return 2;
        }
        if (!nl && !r->eof) {
            if (fill(r, diags) < 0)
                return -1;
            continue;
        }
        if (!nl && r->start == r->len)
            return 0; /* end of input */
        size_t n = nl ? (size_t)(nl - s) : r->len - r->start;
        long long off = r->buf_offset + (long long)r->start;
        r->start += n + (nl ? 1 : 0);
        r->line++;
        if (n > 0 && s[n - 1] == '\r')
            n--;
        if (r->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            n -= 3;
            off += 3;
        }
        if (blank(s, n))
            continue;
        r->cur = s;
        r->cur_len = n;
        r->cur_offset = off;
        if (line)
            *line = r->line;
        chuanp_json_opts o = r->opts;
        o.line_base = r->opts.line_base + r->line - 1;
        o.offset_base = r->opts.offset_base + off;
        o.allow_bom = 0;
        chuanp_jv *v = NULL;
        int rc = chuanp_json_parse(&v, s, n, &o, arena, diags);
        if (rc < 0)
            return -1;
        if (rc > 0)
            return 2;
        *out = v;
        return 1;
    }
}
