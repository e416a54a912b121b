/*
 * converters/table_dbf_memo.c - memo files: dBase III .dbt (512-byte blocks,
 * text ended by 0x1A), dBase IV .dbt (blocks of the size its header gives,
 * each memo led by FF FF 08 00 and its length) and FoxPro .fpt (big-endian
 * block size; each memo led by its type and length).
 *
 * The memo file is looked for only in the table's own folder: a directory
 * entry named like the table's stem plus .dbt/.fpt, letters in any case, and
 * a regular file that resolves inside that folder (a symbolic link leading
 * out of it is refused). Every block number and length is checked against
 * the file's size before anything is read.
 */
#include "table_dbf.h"

#include <dirent.h>
#include <stdarg.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { MEMO_MAX = 64 * 1024 * 1024 };

static unsigned long be32(const unsigned char *p)
{
    return (unsigned long)p[0] << 24 | (unsigned long)p[1] << 16 | (unsigned long)p[2] << 8 | p[3];
}

static void memo_err(chuanp_dbf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void memo_err(chuanp_dbf *t, const char *fmt, ...)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "dbf.memo-missing", .file = t->name,
                    .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(t->d, &g, fmt, ap);
    va_end(ap);
}

int chuanp_dbf_memo_open(chuanp_dbf *t, const char *path)
{
    const char *ext = t->memo_kind == DBF_MEMO_FPT ? ".fpt" : ".dbt";
    if (!path || strcmp(path, "-") == 0) {
        memo_err(t, "the table has memo fields but is read from standard input, so its %s "
                    "file cannot be found: give the file's path", ext);
        return 1;
    }
    int rc = 1;
    char *dir = NULL, *want = NULL, *found = NULL;
    DIR *dh = NULL;
    const char *slash = strrchr(path, '/');
    dir = slash ? chuanp_strndup(path, (size_t)(slash - path) + 1) : chuanp_strdup("./");
    const char *base = slash ? slash + 1 : path;
    const char *dot = strrchr(base, '.');
    size_t stem = dot ? (size_t)(dot - base) : strlen(base);
    want = chuanp_asprintf("%.*s%s", (int)stem, base, ext);
    if (!dir || !want)
        goto oom;
    if (!(dh = opendir(dir))) {
        memo_err(t, "cannot list the table's folder for its memo file: %s",
                 chuanp_strerror(errno));
        goto out;
    }
    struct dirent *e;
    while ((e = readdir(dh)))
        if (strcasecmp(e->d_name, want) == 0) {
            chuanp_free(found);
            /* an exact match wins over another case */
            found = chuanp_asprintf("%s%s", dir, e->d_name);
            if (!found)
                goto oom;
            if (strcmp(e->d_name, want) == 0)
                break;
        }
    if (!found) {
        memo_err(t, "the table has memo fields but its memo file %s is not beside it",
                 want);
        goto out;
    }
    if (chuanp_path_within(found, dir, NULL) != 1) {
        memo_err(t, "the memo file %s leads out of the table's folder: not read",
                 found);
        goto out;
    }
    t->memo = fopen(found, "rb");
    struct stat st;
    if (!t->memo || fstat(fileno(t->memo), &st) != 0 || !S_ISREG(st.st_mode)) {
        memo_err(t, "cannot read the memo file %s", found);
        goto out;
    }
    t->memo_size = st.st_size;
    unsigned char h[32] = {0};
    if (t->memo_size < 512 || chuanp_dbf_pread(t->memo, 0, h, sizeof h) != 0) {
        memo_err(t, "the memo file %s is shorter than its header", found);
        goto out;
    }
    if (t->memo_kind == DBF_MEMO_FPT)
        t->memo_block = (unsigned)h[6] << 8 | h[7];
    else if (t->memo_kind == DBF_MEMO_DBT4)
        t->memo_block = h[20] | (unsigned)h[21] << 8;
    else
        t->memo_block = 512;
    if (t->memo_block == 0)
        t->memo_block = 512;
    t->memo_name = found;
    found = NULL;
    rc = 0;
    goto out;
oom:
    rc = -1;
out:
    if (dh)
        closedir(dh);
    chuanp_free(dir);
    chuanp_free(want);
    chuanp_free(found);
    return rc;
}

/* Append `len` bytes at `off` of the memo file to memo_buf. */
static int take(chuanp_dbf *t, long long off, size_t len)
{
    if (chuanp_buf_reserve(&t->memo_buf, len) < 0)
        return -1;
    if (chuanp_dbf_pread(t->memo, off, t->memo_buf.data + t->memo_buf.len, len) != 0)
        return 1;
    t->memo_buf.len += len;
    return 0;
}

int chuanp_dbf_memo_read(chuanp_dbf *t, unsigned long block, int *binary, const char **why)
{
    chuanp_buf_reset(&t->memo_buf);
    long long off = (long long)block * t->memo_block;
    if (off < t->memo_block || off >= t->memo_size) {
        *why = "the block is outside the memo file";
        return 1;
    }
    unsigned char h[8];
    if (t->memo_kind == DBF_MEMO_FPT) {
        if (chuanp_dbf_pread(t->memo, off, h, 8) != 0) {
            *why = "the memo header is cut";
            return 1;
        }
        unsigned long type = be32(h), len = be32(h + 4);
        if (len > MEMO_MAX || off + 8 + (long long)len > t->memo_size) {
            *why = "the memo's length goes past the end of the memo file";
            return 1;
        }
        if (type != 1)
            *binary = 1;
        int r = take(t, off + 8, len);
        if (r > 0)
            *why = "cannot read the memo";
        return r;
    }
    if (t->memo_kind == DBF_MEMO_DBT4 && chuanp_dbf_pread(t->memo, off, h, 8) == 0 &&
        h[0] == 0xFF && h[1] == 0xFF && h[2] == 0x08 && h[3] == 0x00) {
        unsigned long len = h[4] | (unsigned long)h[5] << 8 | (unsigned long)h[6] << 16 |
                            (unsigned long)h[7] << 24;
        if (len < 8 || len - 8 > MEMO_MAX || off + (long long)len > t->memo_size) {
            *why = "the memo's length goes past the end of the memo file";
            return 1;
        }
        int r = take(t, off + 8, len - 8);
        if (r > 0)
            *why = "cannot read the memo";
        return r;
    }
    /* dBase III: text up to the first 0x1A (the end of file ends it too) */
    unsigned char chunk[512];
    for (long long p = off; p < t->memo_size;) {
        size_t n = t->memo_size - p < (long long)sizeof chunk ? (size_t)(t->memo_size - p)
                                                               : sizeof chunk;
        if (chuanp_dbf_pread(t->memo, p, chunk, n) != 0) {
            *why = "cannot read the memo";
            return 1;
        }
        unsigned char *end = memchr(chunk, 0x1A, n);
        size_t k = end ? (size_t)(end - chunk) : n;
        chuanp_buf_append(&t->memo_buf, chunk, k);
        if (t->memo_buf.err)
            return -1;
        if (end)
            return 0;
        if (t->memo_buf.len > MEMO_MAX) {
            *why = "the memo has no end marker (0x1A)";
            return 1;
        }
        p += (long long)n;
    }
    return 0;
}
