/*
 * converters/table_dbf.c - dBase III/IV, FoxPro and Visual FoxPro tables:
 * the header, the field descriptors and the records, one JSON object per
 * live record (docs/legacy-tables.md lists every field type's conversion).
 *
 * The file is read record by record (constant memory apart from one memo);
 * records marked deleted ('*') are counted and skipped. A header that does
 * not hold together is refused before any record; a file that ends inside a
 * record stops the stream with an error naming the record and the field.
 */
#include "table_dbf.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { VFP_BACKLINK = 263, MAX_FIELDS = 2046 };

static unsigned le16(const unsigned char *p) { return p[0] | (unsigned)p[1] << 8; }
static unsigned long le32(const unsigned char *p)
{
    return p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
           (unsigned long)p[3] << 24;
}

int chuanp_dbf_pread(FILE *f, long long off, void *buf, size_t n)
{
    if (fseeko(f, (off_t)off, SEEK_SET) != 0)
        return 1;
    return fread(buf, 1, n, f) == n ? 0 : 1;
}

/* The version bytes of the tables this reader knows, and their memo file. */
static int version_memo(unsigned char v, int *vfp)
{
    *vfp = 0;
    switch (v) {
    case 0x02: /* FoxBASE */
    case 0x03: /* dBase III / IV / FoxPro without memo */
        return DBF_MEMO_NONE;
    case 0x83: return DBF_MEMO_DBT3;           /* dBase III with memo */
    case 0x8B: case 0xCB: return DBF_MEMO_DBT4; /* dBase IV with memo (and SQL table) */
    case 0xF5: case 0xFB: return DBF_MEMO_FPT;  /* FoxPro 2.x with memo */
    case 0x30: case 0x31: case 0x32:            /* Visual FoxPro */
        *vfp = 1;
        return DBF_MEMO_FPT;
    default: return -1;
    }
}

/* One diagnostic about record rec (0: none) and field (NULL: none), its path "/FIELD". */
static void dbf_vdiag(chuanp_dbf *t, chuan_severity sev, const char *code, long rec,
                      const char *field, const char *fmt, va_list ap)
{
    char path[32];
    if (field)
        snprintf(path, sizeof path, "/%s", field);
    chuan_diag g = {.severity = sev, .code = code, .file = t->name, .line = rec,
                    .offset = -1, .path = field ? path : NULL};
    chuanp_diags_vaddf(t->d, &g, fmt, ap);
}

static void dbf_err(chuanp_dbf *t, const char *code, long rec, const char *field, const char *fmt,
                ...) __attribute__((format(printf, 5, 6)));
static void dbf_err(chuanp_dbf *t, const char *code, long rec, const char *field, const char *fmt,
                ...)
{
    va_list ap;
    va_start(ap, fmt);
    dbf_vdiag(t, CHUAN_SEV_ERROR, code, rec, field, fmt, ap);
    va_end(ap);
}

static void dbf_warn(chuanp_dbf *t, const char *code, long rec, const char *field, const char *fmt,
                 ...) __attribute__((format(printf, 5, 6)));
static void dbf_warn(chuanp_dbf *t, const char *code, long rec, const char *field, const char *fmt,
                 ...)
{
    va_list ap;
    va_start(ap, fmt);
    dbf_vdiag(t, CHUAN_SEV_WARNING, code, rec, field, fmt, ap);
    va_end(ap);
}

/* Field descriptors from the header bytes h[0..hlen). Returns 0 or 1 (error in d). */
static int read_fields(chuanp_dbf *t, const unsigned char *h, size_t hlen)
{
    size_t max = (hlen - 32) / 32;
    if (max > MAX_FIELDS)
        max = MAX_FIELDS;
    t->fields = chuanp_calloc(max ? max : 1, sizeof *t->fields);
    if (!t->fields)
        return -1;
    unsigned off = 0;
    size_t i = 32;
    for (; i + 32 <= hlen && h[i] != 0x0D; i += 32) {
        if (t->nfields == max) {
            dbf_err(t, "dbf.header", 0, NULL, "more than %zu field descriptors", max);
            return 1;
        }
        const unsigned char *p = h + i;
        dbf_field *fd = &t->fields[t->nfields];
        size_t k = 0;
        while (k < 11 && p[k])
            k++;
        memcpy(fd->name, p, k);
        fd->name[k] = '\0';
        fd->type = (char)p[11];
        fd->len = p[16];
        fd->dec = p[17];
        fd->flags = t->vfp ? p[18] : 0;
        fd->null_bit = fd->varlen_bit = -1;
        if (fd->type == 'C' && !t->vfp && fd->dec) /* FoxPro/Clipper: long character field */
            fd->len |= fd->dec << 8, fd->dec = 0;
        for (size_t c = 0; c < k; c++)
            if (p[c] < 0x20 || p[c] == 0x7F) {
                dbf_err(t, "dbf.header", 0, NULL,
                    "field descriptor %zu has a name with a control byte (0x%02X): not a DBF "
                    "table or a corrupt header", t->nfields + 1, p[c]);
                return 1;
            }
        if (k == 0 || fd->len == 0 || fd->type < 0x20 || fd->type > 0x7E) {
            dbf_err(t, "dbf.header", 0, NULL,
                "field descriptor %zu is malformed (name '%s', type 0x%02X, length %u)", t->nfields + 1, fd->name, (unsigned char)fd->type, fd->len);
            return 1;
        }
        fd->offset = off;
        off += fd->len;
        if (fd->type == '0' && (fd->flags & 0x01)) {
            fd->hidden = 1;
            if (strcmp(fd->name, "_NullFlags") == 0)
                t->nullflags = (int)t->nfields;
        } else if (fd->flags & 0x01) {
            fd->hidden = 1;
        }
        t->nfields++;
    }
    if (i + 32 > hlen && (i >= hlen || h[i] != 0x0D)) {
        dbf_err(t, "dbf.header", 0, NULL,
            "the field descriptors have no end marker (0x0D) inside the %zu-byte header", hlen);
        return 1;
    }
    if (t->nfields == 0) {
        dbf_err(t, "dbf.header", 0, NULL, "the table has no fields");
        return 1;
    }
    if (off + 1 > t->rec_len) {
        dbf_err(t, "dbf.header", 0, NULL,
            "the fields take %u bytes but a record is %u bytes long (with its deletion flag)", off + 1, t->rec_len);
        return 1;
    }
    /* VFP _NullFlags: one bit per nullable field, and for V/Q fields one bit
     * saying the value is shorter than the field, in field order */
    int bit = 0;
    for (size_t f = 0; f < t->nfields; f++) {
        dbf_field *fd = &t->fields[f];
        if (fd->hidden)
            continue;
        if (fd->type == 'V' || fd->type == 'Q')
            fd->varlen_bit = bit++;
        if (fd->flags & 0x02)
            fd->null_bit = bit++;
    }
    if (bit > 0 && (t->nullflags < 0 || (unsigned)bit > 8 * t->fields[t->nullflags].len)) {
        dbf_err(t, "dbf.header", 0, NULL,
            "nullable or variable-length fields without a _NullFlags column to hold them");
        return 1;
    }
    return 0;
}

int chuanp_dbf_open(chuanp_dbf **out, FILE *f, const char *path, const char *name,
                    const char *encoding, chuan_diags *d)
{
    *out = NULL;
    unsigned char *h = NULL;
    chuanp_dbf *t = chuanp_calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->f = f;
    t->name = name;
    t->d = d;
    t->nullflags = -1;
    t->text.cd = (iconv_t)-1;
    chuanp_buf_init(&t->memo_buf, 0);
    chuanp_buf_init(&t->text.tmp, 0);
    int rc = 1;
    struct stat st;
    if (fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        dbf_err(t, "io.read", 0, NULL, "a DBF table must be a regular file");
        goto out;
    }
    t->file_size = st.st_size;
    unsigned char h32[32];
    if (t->file_size < 32 || chuanp_dbf_pread(f, 0, h32, 32) != 0) {
        dbf_err(t, "dbf.header", 0, NULL, "too short for a DBF header (%lld bytes)",
            t->file_size);
        goto out;
    }
    t->version = h32[0];
    int memo = version_memo(t->version, &t->vfp);
    if (memo < 0) {
        dbf_err(t, "dbf.header", 0, NULL,
            "unknown DBF version byte 0x%02X (dBase III/IV, FoxPro and Visual FoxPro tables "
            "are read; dBase 7 is not)", t->version);
        goto out;
    }
    t->nrec = le32(h32 + 4);
    t->hdr_len = le16(h32 + 8);
    t->rec_len = le16(h32 + 10);
    t->cp_byte = h32[29];
    if (t->hdr_len < 33 || t->hdr_len > t->file_size || t->rec_len < 2) {
        dbf_err(t, "dbf.header", 0, NULL,
            "malformed header (header length %u, record length %u, file %lld bytes)",
            t->hdr_len, t->rec_len, t->file_size);
        goto out;
    }
    if (!(h = chuanp_malloc(t->hdr_len)))
        goto oom;
    if (chuanp_dbf_pread(f, 0, h, t->hdr_len) != 0) {
        dbf_err(t, "io.read", 0, NULL, "cannot read the header");
        goto out;
    }
    int fr = read_fields(t, h, t->hdr_len);
    if (fr < 0)
        goto oom;
    if (fr > 0)
        goto out;
    if (!(t->rec = chuanp_malloc(t->rec_len)))
        goto oom;
    int has_memo = 0;
    for (size_t i = 0; i < t->nfields; i++) {
        char ty = t->fields[i].type;
        if (ty == 'M' || ty == 'G' || ty == 'P' || (ty == 'B' && !t->vfp))
            has_memo = 1;
    }
    if (has_memo) {
        /* the version byte says which memo format; a FoxPro table whose byte
         * forgot to say "with memo" still has an .fpt */
        t->memo_kind = memo != DBF_MEMO_NONE ? memo : DBF_MEMO_DBT3;
        int mr = chuanp_dbf_memo_open(t, path);
        if (mr < 0)
            goto oom;
        if (mr > 0)
            goto out;
    }
    int tr = chuanp_dbf_text_setup(t, encoding);
    if (tr != 0) {
        rc = tr;
        goto out;
    }
    /* keys: field names as JSON strings (decoded like the text) */
    for (size_t i = 0; i < t->nfields; i++) {
        chuanp_buf kb;
        chuanp_buf_init(&kb, 0);
        int bad = 0;
        if (chuanp_dbf_text_json(t, (const unsigned char *)t->fields[i].name,
                                 strlen(t->fields[i].name), &kb, &bad) < 0 || kb.err) {
            chuanp_buf_free(&kb);
            goto oom;
        }
        chuanp_buf_putc(&kb, '\0');
        t->fields[i].key = chuanp_buf_steal(&kb, NULL);
        if (!t->fields[i].key)
            goto oom;
        /* the name in messages and paths: ASCII (the key keeps the decoded name) */
        for (char *p = t->fields[i].name; *p; p++)
            if ((unsigned char)*p >= 0x7F || *p == '/' || *p == '~')
                *p = '?';
    }
    chuanp_free(h);
    *out = t;
    return 0;
oom:
    dbf_err(t, "convert.internal", 0, NULL, "out of memory reading the DBF header");
    rc = -1;
out:
    chuanp_free(h);
    chuanp_dbf_close(t);
    return rc;
}

static int blank(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\0')
            return 0;
    return 1;
}

/* s[0..n) for a message: printable ASCII, other bytes as '?', at most 40 */
static const char *shown(const unsigned char *s, size_t n, char out[48])
{
    size_t k = 0;
    for (; k < n && k < 40; k++)
        out[k] = s[k] >= 0x20 && s[k] < 0x7F ? (char)s[k] : '?';
    out[k] = '\0';
    return out;
}

/* s[0..n) without leading and trailing spaces (and NULs) */
static void trim(const unsigned char **s, size_t *n)
{
    while (*n && ((*s)[0] == ' ' || (*s)[0] == '\0'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\0'))
        (*n)--;
}

/* JSON number syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
static int json_number(const unsigned char *s, size_t n)
{
    size_t i = 0;
    if (i < n && s[i] == '-')
        i++;
    if (i >= n || s[i] < '0' || s[i] > '9')
        return 0;
    if (s[i] == '0')
        i++;
    else
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
    if (i < n && s[i] == '.') {
        i++;
        size_t j = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return 0;
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t j = i;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == j)
            return 0;
    }
    return i == n;
}

static void put_double(chuanp_buf *b, double v)
{
    char s[40];
    snprintf(s, sizeof s, "%.15g", v);
    if (strtod(s, NULL) != v)
        snprintf(s, sizeof s, "%.17g", v);
    if (!strchr(s, 'e') && !strchr(s, 'E') && (strchr(s, 'n') || strchr(s, 'i')))
        chuanp_buf_puts(b, "null");
    else
        chuanp_buf_puts(b, s);
}

static void put_base64(chuanp_buf *b, const unsigned char *s, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    chuanp_buf_putc(b, '"');
    for (size_t i = 0; i < n; i += 3) {
        unsigned long v = (unsigned long)s[i] << 16;
        if (i + 1 < n)
            v |= (unsigned long)s[i + 1] << 8;
        if (i + 2 < n)
            v |= s[i + 2];
        chuanp_buf_putc(b, tab[v >> 18 & 63]);
        chuanp_buf_putc(b, tab[v >> 12 & 63]);
        chuanp_buf_putc(b, i + 1 < n ? tab[v >> 6 & 63] : '=');
        chuanp_buf_putc(b, i + 2 < n ? tab[v & 63] : '=');
    }
    chuanp_buf_putc(b, '"');
}

/* Julian day number -> proleptic Gregorian date (Fliegel & Van Flandern). */
static void jdn_date(long jd, long *y, int *m, int *dd)
{
    long l = jd + 68569, n = 4 * l / 146097;
    l = l - (146097 * n + 3) / 4;
    long i = 4000 * (l + 1) / 1461001;
    l = l - 1461 * i / 4 + 31;
    long j = 80 * l / 2447;
    *dd = (int)(l - 2447 * j / 80);
    l = j / 11;
    *m = (int)(j + 2 - 12 * l);
    *y = 100 * (n - 49) + i + l;
}

static int digits(const unsigned char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* Each put_* below writes one field's value as JSON into b and returns 0, 1 (a value that is not
 * what its type says: error in t's diagnostics, the value written as its text or null), -1 (out of
 * memory) or UNCONVERTED (a size its type does not have: put_value writes the bytes in base64). */
#define UNCONVERTED 2

/* The byte length of a Visual FoxPro varchar/varbinary, whose flag sits in the _NullFlags field. */
static size_t varlen(const chuanp_dbf *t, const dbf_field *fd, const unsigned char *s, size_t n)
{
    if (fd->varlen_bit < 0)
        return n;
    const unsigned char *nf = t->rec + 1 + t->fields[t->nullflags].offset;
    if (nf[fd->varlen_bit / 8] >> (fd->varlen_bit % 8) & 1)
        return s[n - 1] < n ? s[n - 1] : n - 1; /* the last byte holds the length */
    return n;
}

static int put_text(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s, size_t n,
                    chuanp_buf *b)
{
    int bad = 0;
    n = varlen(t, fd, s, n);
    if (fd->type == 'C' || fd->varlen_bit < 0)
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\0'))
            n--;
    if (fd->flags & 0x04) {
        put_base64(b, s, n);
        return 0;
    }
    if (chuanp_dbf_text_json(t, s, n, b, &bad) < 0)
        return -1;
    if (bad)
        dbf_err(t, "encoding.invalid", recno, fd->name,
            "bytes that %s does not define, written as U+FFFD", t->text.label);
    return bad;
}

static int put_number(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s, size_t n,
                      chuanp_buf *b)
{
    int bad = 0;
    char sh[48];
    trim(&s, &n);
    if (n == 0) {
        chuanp_buf_puts(b, "null");
        return 0;
    }
    if (json_number(s, n)) {
        chuanp_buf_append(b, s, n);
        return 0;
    }
    /* "5.", ".5", "+1", overflow stars: kept as the text they are */
    if (!fd->warned) {
        fd->warned = 1;
        dbf_warn(t, "dbf.number", recno, fd->name,
             "number field %s holds '%s', not a JSON number: kept as text (first of the "
             "field's cells like it)", fd->name, shown(s, n, sh));
    }
    return chuanp_dbf_text_json(t, s, n, b, &bad) < 0 ? -1 : 0;
}

static int put_date(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s, size_t n,
                    chuanp_buf *b)
{
    int bad = 0;
    char sh[48];
    if (blank(s, n) || (n == 8 && memcmp(s, "00000000", 8) == 0)) {
        chuanp_buf_puts(b, "null");
        return 0;
    }
    int mo = n == 8 && digits(s, 8) ? (s[4] - '0') * 10 + (s[5] - '0') : 0;
    int dy = n == 8 && digits(s, 8) ? (s[6] - '0') * 10 + (s[7] - '0') : 0;
    if (mo < 1 || mo > 12 || dy < 1 || dy > 31) {
        trim(&s, &n);
        dbf_err(t, "dbf.date", recno, fd->name, "date field %s holds '%s', not YYYYMMDD",
            fd->name, shown(s, n, sh));
        return chuanp_dbf_text_json(t, s, n, b, &bad) < 0 ? -1 : 1;
    }
    chuanp_buf_printf(b, "\"%.4s-%.2s-%.2s\"", (const char *)s, (const char *)s + 4,
                      (const char *)s + 6);
    return 0;
}

static int put_logical(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s, size_t n,
                       chuanp_buf *b)
{
    unsigned char c = n ? s[0] : ' ';
    if (strchr("TtYy", c) && c)
        chuanp_buf_puts(b, "true");
    else if (strchr("FfNn", c) && c)
        chuanp_buf_puts(b, "false");
    else if (c == '?' || c == ' ' || c == '\0')
        chuanp_buf_puts(b, "null");
    else {
        dbf_err(t, "dbf.logical", recno, fd->name,
            "logical field %s holds 0x%02X, not T/F/Y/N/?", fd->name, c);
        chuanp_buf_puts(b, "null");
        return 1;
    }
    return 0;
}

/* Visual FoxPro T: a Julian day and the milliseconds since midnight. */
static int put_datetime(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s,
                        size_t n, chuanp_buf *b)
{
    if (n != 8)
        return UNCONVERTED;
    long jd = (long)(int32_t)le32(s);
    unsigned long ms = le32(s + 4);
    if (jd == 0 && ms == 0) {
        chuanp_buf_puts(b, "null");
        return 0;
    }
    long y;
    int mo, dy;
    if (jd < 1721426 || jd > 5373484 || ms >= 86400000UL) { /* 0001-01-01 .. 9999-12-31 */
        dbf_err(t, "dbf.datetime", recno, fd->name,
            "date-time field %s holds day %ld, millisecond %lu: out of range", fd->name, jd,
            ms);
        chuanp_buf_puts(b, "null");
        return 1;
    }
    jdn_date(jd, &y, &mo, &dy);
    chuanp_buf_printf(b, "\"%04ld-%02d-%02dT%02lu:%02lu:%02lu", y, mo, dy, ms / 3600000,
                      ms / 60000 % 60, ms / 1000 % 60);
    if (ms % 1000)
        chuanp_buf_printf(b, ".%03lu", ms % 1000);
    chuanp_buf_putc(b, '"');
    return 0;
}

/* Memo, general and picture fields: a block number (binary or digits) into the .fpt/.dbt file. */
static int put_memo(chuanp_dbf *t, dbf_field *fd, long recno, const unsigned char *s, size_t n,
                    chuanp_buf *b)
{
    int bad = 0;
    char sh[48];
    unsigned long block = 0;
    if (n == 4) {
        block = le32(s);
    } else {
        const unsigned char *q = s;
        size_t m = n;
        trim(&q, &m);
        if (!digits(q, m)) {
            dbf_err(t, "dbf.memo", recno, fd->name, "memo field %s holds '%s', not a block number",
                fd->name, shown(q, m, sh));
            chuanp_buf_puts(b, "null");
            return 1;
        }
        for (size_t i = 0; i < m && block < 100000000UL; i++)
            block = block * 10 + (q[i] - '0');
    }
    if (block == 0) {
        chuanp_buf_puts(b, fd->type == 'M' ? "\"\"" : "null");
        return 0;
    }
    int binary = fd->type != 'M' || (fd->flags & 0x04);
    const char *why = NULL;
    int mr = chuanp_dbf_memo_read(t, block, &binary, &why);
    if (mr < 0)
        return -1;
    if (mr > 0) {
        dbf_err(t, "dbf.memo", recno, fd->name, "memo of field %s (block %lu in %s): %s",
            fd->name, block, t->memo_name, why);
        chuanp_buf_puts(b, "null");
        return 1;
    }
    if (binary || fd->type != 'M' || (fd->flags & 0x04)) {
        put_base64(b, (const unsigned char *)t->memo_buf.data, t->memo_buf.len);
        return 0;
    }
    if (chuanp_dbf_text_json(t, (const unsigned char *)t->memo_buf.data, t->memo_buf.len, b,
                             &bad) < 0)
        return -1;
    if (bad)
        dbf_err(t, "encoding.invalid", recno, fd->name,
            "bytes that %s does not define, written as U+FFFD", t->text.label);
    return bad;
}

static int put_fixed(const dbf_field *fd, const unsigned char *s, size_t n, chuanp_buf *b)
{
    switch (fd->type) {
    case 'I':
    case '+':
        if (n != 4)
            return UNCONVERTED;
        chuanp_buf_printf(b, "%ld", (long)(int32_t)le32(s));
        return 0;
    case 'Y': { /* currency: a 64-bit integer of ten-thousandths */
        if (n != 8)
            return UNCONVERTED;
        uint64_t u = le32(s) | (uint64_t)le32(s + 4) << 32;
        int64_t v = (int64_t)u;
        uint64_t a = v < 0 ? (uint64_t)0 - u : u;
        chuanp_buf_printf(b, "%s%llu.%04llu", v < 0 ? "-" : "", (unsigned long long)(a / 10000),
                          (unsigned long long)(a % 10000));
        return 0;
    }
    default: { /* B (Visual FoxPro) and O: a little-endian double */
        if (n != 8)
            return UNCONVERTED;
        uint64_t u = le32(s) | (uint64_t)le32(s + 4) << 32;
        double v;
        memcpy(&v, &u, sizeof v);
        put_double(b, v);
        return 0;
    }
    }
}

/* One field's value as JSON into b. Returns 0, 1 (a value that is not what
 * its type says: error in d, the value written as its text), -1 oom. */
static int put_value(chuanp_dbf *t, dbf_field *fd, long recno, chuanp_buf *b)
{
    const unsigned char *s = t->rec + 1 + fd->offset;
    size_t n = fd->len;
    int rc = UNCONVERTED;
    t->text.rec = recno;
    t->text.field = fd->name;
    if (fd->null_bit >= 0) {
        const unsigned char *nf = t->rec + 1 + t->fields[t->nullflags].offset;
        if (nf[fd->null_bit / 8] >> (fd->null_bit % 8) & 1) {
            chuanp_buf_puts(b, "null");
            return 0;
        }
    }
    switch (fd->type) {
    case 'C':
    case 'V':
        return put_text(t, fd, recno, s, n, b);
    case 'Q':
        put_base64(b, s, varlen(t, fd, s, n));
        return 0;
    case 'N':
    case 'F':
        return put_number(t, fd, recno, s, n, b);
    case 'D':
        return put_date(t, fd, recno, s, n, b);
    case 'L':
        return put_logical(t, fd, recno, s, n, b);
    case 'T':
        rc = put_datetime(t, fd, recno, s, n, b);
        break;
    case 'I':
    case '+':
    case 'Y':
    case 'O':
        rc = put_fixed(fd, s, n, b);
        break;
    case 'B': /* a double in Visual FoxPro, a binary memo in dBase */
        rc = t->vfp ? put_fixed(fd, s, n, b) : put_memo(t, fd, recno, s, n, b);
        break;
    case 'M':
    case 'G':
    case 'P':
        rc = put_memo(t, fd, recno, s, n, b);
        break;
    default:
        break;
    }
    if (rc != UNCONVERTED)
        return rc;
    /* a type this reader does not convert, or a size its type does not have */
    if (!fd->warned) {
        fd->warned = 1;
        dbf_warn(t, "dbf.field-type", recno, fd->name,
             "field %s of type '%c' (%u bytes) is not converted: written as its bytes in base64",
             fd->name, fd->type, fd->len);
    }
    put_base64(b, s, n);
    return 0;
}

static void finish(chuanp_dbf *t)
{
    if (t->done)
        return;
    t->done = 1;
    chuanp_dbf_text_finish(t);
    /* records past the header's count (a writer that did not update it): said, not read */
    long long end = (long long)t->hdr_len + (long long)t->nrec * t->rec_len;
    if (t->cur == t->nrec && t->file_size - end >= (long long)t->rec_len) {
        long long extra = t->file_size - end;
        dbf_warn(t, "dbf.extra", 0, NULL,
             "the header counts %lu records but the file holds %lld more bytes after them "
             "(room for %lld records): not read", t->nrec, extra, extra / t->rec_len);
    }
    /* always said, also when none: the summary shows the count was checked */
    chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "dbf.deleted", .file = t->name,
                    .offset = -1};
    chuan_diags_addf(t->d, &g, "%lu deleted record%s skipped, %lu live record%s read", t->deleted,
                     t->deleted == 1 ? "" : "s", t->live, t->live == 1 ? "" : "s");
}

int chuanp_dbf_next(chuanp_dbf *t, chuanp_buf *line)
{
    if (t->done)
        return 0;
    if (t->cur >= t->nrec) {
        finish(t);
        return 0;
    }
    long recno = (long)(t->cur + 1);
    long long off = (long long)t->hdr_len + (long long)t->cur * t->rec_len;
    if (off + t->rec_len > t->file_size) {
        /* the file ends inside this record: name the field it ends in */
        long long have = t->file_size - off;
        const char *field = NULL;
        for (size_t i = 0; i < t->nfields && have > 0; i++)
            if (1 + (long long)t->fields[i].offset + t->fields[i].len > have) {
                field = t->fields[i].name;
                break;
            }
        if (have <= 0)
            dbf_err(t, "dbf.truncated", recno, NULL,
                "the header says %lu records but the file ends before record %ld (%lld bytes, "
                "record %ld would start at byte %lld)", t->nrec, recno, t->file_size, recno, off);
        else if (field)
            dbf_err(t, "dbf.truncated", recno, field,
                    "the file ends inside record %ld of %lu, in field %s (%lld of its %u bytes "
                    "present)",
                    recno, t->nrec, field, have, t->rec_len);
        else
            dbf_err(t, "dbf.truncated", recno, field,
                    "the file ends inside record %ld of %lu (%lld of its %u bytes present)", recno,
                    t->nrec, have, t->rec_len);
        finish(t);
        return 3;
    }
    if (chuanp_dbf_pread(t->f, off, t->rec, t->rec_len) != 0) {
        dbf_err(t, "io.read", recno, NULL, "cannot read record %ld: %s", recno,
            chuanp_strerror(errno ? errno : EIO));
        t->done = 1;
        return 3;
    }
    t->cur++;
    if (t->rec[0] == '*') {
        t->deleted++;
        return 2;
    }
    if (t->rec[0] != ' ') {
        dbf_err(t, "dbf.record", recno, NULL,
            "record %ld starts with 0x%02X, not a deletion flag (' ' or '*'): the file is corrupt "
            "here", recno, t->rec[0]);
        finish(t);
        return 3;
    }
    t->live++;
    chuanp_buf_putc(line, '{');
    int first = 1;
    for (size_t i = 0; i < t->nfields; i++) {
        dbf_field *fd = &t->fields[i];
        if (fd->hidden)
            continue;
        size_t mark = line->len;
        if (!first)
            chuanp_buf_putc(line, ',');
        chuanp_buf_puts(line, fd->key);
        chuanp_buf_putc(line, ':');
        size_t at = line->len;
        if (put_value(t, fd, recno, line) < 0)
            return -1;
        size_t vn = line->err ? 0 : line->len - at;
        if (t->omit_empty && ((vn == 2 && memcmp(line->data + at, "\"\"", 2) == 0) ||
                              (vn == 4 && memcmp(line->data + at, "null", 4) == 0))) {
            line->len = mark; /* an empty cell: left out */
            continue;
        }
        first = 0;
    }
    chuanp_buf_putc(line, '}');
    return line->err ? -1 : 1;
}

void chuanp_dbf_omit_empty(chuanp_dbf *t, int on)
{
    t->omit_empty = on;
}

void chuanp_dbf_close(chuanp_dbf *t)
{
    if (!t)
        return;
    for (size_t i = 0; t->fields && i < t->nfields; i++)
        chuanp_free(t->fields[i].key);
    chuanp_free(t->fields);
    chuanp_free(t->rec);
    if (t->memo)
        fclose(t->memo);
    chuanp_free(t->memo_name);
    chuanp_buf_free(&t->memo_buf);
    chuanp_dbf_text_free(&t->text);
    chuanp_free(t);
}
