/*
 * converters/sheet_xls_cfb.c - the OLE2 compound file (MS-CFB) around an XLS
 * workbook: header, DIFAT -> FAT, directory, mini stream. Every chain is
 * followed at most as many steps as the file has sectors (loops end there),
 * every sector number is checked against the file size.
 */
#include "sheet_xls_cfb.h"
#include "convert.h"

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#define ENDOFCHAIN 0xFFFFFFFEu
#define FREESECT 0xFFFFFFFFu

static uint32_t u32(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

typedef struct cfb {
    const unsigned char *buf;
    size_t n;
    size_t ssz;       /* sector size */
    size_t nsect;     /* sectors in the file */
    uint32_t *fat;
    size_t nfat;
} cfb;

static const unsigned char *sector(const cfb *c, uint32_t s)
{
    if ((size_t)s >= c->nsect)
        return NULL;
    return c->buf + ((size_t)s + 1) * c->ssz; /* the header takes the first sector */
}

static const unsigned char *get_sector(const void *ctx, uint32_t s);

/* Follow a FAT chain from start, copying up to want bytes (all when want is
 * (size_t)-1). Returns 0, 1 broken, -1 OOM. */
static int read_chain(const cfb *c, const uint32_t *fat, size_t nfat, uint32_t start,
                      size_t unit, const unsigned char *(*get)(const void *, uint32_t),
                      const void *ctx, size_t want, unsigned char **out, size_t *len)
{
    chuanp_buf b;
    chuanp_buf_init(&b, CHUANP_XLS_MAX);
    size_t steps = 0;
    /* a chain visits each sector at most once: longer is a loop */
    size_t max_steps = get == get_sector ? c->nsect : nfat;
    for (uint32_t s = start; s != ENDOFCHAIN; steps++) {
        if (steps >= max_steps || (size_t)s >= nfat || (want != (size_t)-1 && b.len >= want))
            break;
        const unsigned char *p = get(ctx, s);
        if (!p) {
            chuanp_buf_free(&b);
            return 1;
        }
        chuanp_buf_append(&b, p, unit);
        s = fat[s];
    }
    if (b.err) {
        int e = b.err;
        chuanp_buf_free(&b);
        return e == 2 ? 1 : -1;
    }
    if (want != (size_t)-1) {
        if (b.len < want) {
            chuanp_buf_free(&b);
            return 1;
        }
        b.len = want;
    }
    *len = b.len;
    *out = b.len ? (unsigned char *)chuanp_buf_steal(&b, NULL) : chuanp_malloc(1);
    chuanp_buf_free(&b);
    return *out ? 0 : -1;
}

static const unsigned char *get_sector(const void *ctx, uint32_t s)
{ /* ctx: the cfb */
    return sector(ctx, s);
}

typedef struct mini {
    const unsigned char *stream;
    size_t len;
} mini;

static const unsigned char *get_mini(const void *ctx, uint32_t s)
{
    const mini *m = ctx;
    if ((size_t)s * 64 + 64 > m->len)
        return NULL;
    return m->stream + (size_t)s * 64;
}

static int corrupt(chuan_diags *d, const char *file, const char *why)
{
    chuanp_convert_error(d, "xls.corrupt", file, 0, 0, NULL, "not a readable XLS workbook: %s",
                         _(why));
    return 1;
}

static int cfb_stream_mem(const unsigned char *buf, size_t n, const char *file, const char *name,
                          unsigned char **data, size_t *len, chuan_diags *d)
{
    *data = NULL;
    *len = 0;
    static const unsigned char sig[8] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    if (n < 512 || memcmp(buf, sig, 8) != 0)
        return corrupt(d, file, "no OLE2 compound-file header");
    unsigned shift = (unsigned)buf[0x1E] | (unsigned)buf[0x1F] << 8;
    if (shift != 9 && shift != 12)
        return corrupt(d, file, "a compound file with an unknown sector size");
    cfb c = {.buf = buf, .n = n, .ssz = (size_t)1 << shift};
    c.nsect = n > c.ssz ? (n - c.ssz) / c.ssz : 0;
    uint32_t nfat_sect = u32(buf + 0x2C), dir_start = u32(buf + 0x30);
    uint32_t cutoff = u32(buf + 0x38), minifat_start = u32(buf + 0x3C);
    uint32_t difat_next = u32(buf + 0x44), ndifat = u32(buf + 0x48);
    if (nfat_sect > c.nsect + 1 || ndifat > c.nsect + 1)
        return corrupt(d, file, "the FAT is larger than the file");
    /* the FAT sector numbers: 109 in the header, then the DIFAT chain */
    size_t per = c.ssz / 4;
    c.fat = chuanp_malloc(((size_t)nfat_sect * per + 1) * sizeof *c.fat);
    uint32_t *fs = chuanp_malloc(((size_t)nfat_sect + 1) * sizeof *fs);
    int rc = 1;
    unsigned char *dir = NULL, *minifat = NULL, *ministream = NULL;
    size_t dir_len = 0, minifat_len = 0, ministream_len = 0;
    if (!c.fat || !fs) {
        rc = -1;
        goto out;
    }
    size_t k = 0;
    for (size_t i = 0; i < 109 && k < nfat_sect; i++)
        fs[k++] = u32(buf + 0x4C + 4 * i);
    for (uint32_t s = difat_next, steps = 0; k < nfat_sect && s != ENDOFCHAIN && s != FREESECT;
         steps++) {
        const unsigned char *p = sector(&c, s);
        if (!p || steps > ndifat) {
            corrupt(d, file, "a broken DIFAT chain");
            goto out;
        }
        for (size_t i = 0; i + 1 < per && k < nfat_sect; i++)
            fs[k++] = u32(p + 4 * i);
        s = u32(p + 4 * (per - 1));
    }
    if (k < nfat_sect) {
        corrupt(d, file, "the DIFAT lists fewer FAT sectors than the header says");
        goto out;
    }
    for (size_t i = 0; i < nfat_sect; i++) {
        const unsigned char *p = sector(&c, fs[i]);
        if (!p) {
            corrupt(d, file, "a FAT sector beyond the end of the file");
            goto out;
        }
        for (size_t j = 0; j < per; j++)
            c.fat[c.nfat++] = u32(p + 4 * j);
    }
    int r = read_chain(&c, c.fat, c.nfat, dir_start, c.ssz, get_sector, &c, (size_t)-1, &dir,
                       &dir_len);
    if (r != 0) {
        rc = r < 0 ? -1 : corrupt(d, file, "a broken directory chain");
        goto out;
    }
    /* the root entry (0) holds the mini stream; find the stream by name */
    if (dir_len < 128) {
        corrupt(d, file, "an empty directory");
        goto out;
    }
    uint32_t root_start = u32(dir + 0x74);
    size_t root_size = u32(dir + 0x78);
    long found = -1;
    for (size_t e = 0; e + 128 <= dir_len && found < 0; e += 128) {
        const unsigned char *ent = dir + e;
        unsigned nl = (unsigned)ent[0x40] | (unsigned)ent[0x41] << 8;
        if (ent[0x42] != 2 || nl < 2 || nl > 64)
            continue;
        size_t chars = nl / 2 - 1, m = strlen(name);
        if (chars != m)
            continue;
        int eq = 1;
        for (size_t i = 0; i < m && eq; i++) {
            unsigned ch = (unsigned)ent[2 * i] | (unsigned)ent[2 * i + 1] << 8;
            unsigned a = ch < 128 ? (unsigned)(ch | 0x20) : ch, b2 = (unsigned)(name[i] | 0x20);
            eq = a == b2;
        }
        if (eq)
            found = (long)e;
    }
    if (found < 0) {
        /* BIFF5 (Excel 5/95) names its stream "Book" */
        int biff5 = 0;
        for (size_t e = 0; e + 128 <= dir_len; e += 128)
            if (dir[e] == 'B' && dir[e + 2] == 'o' && dir[e + 4] == 'o' && dir[e + 6] == 'k' &&
                dir[e + 8] == 0 && dir[e + 9] == 0)
                biff5 = 1;
        corrupt(d, file, biff5 ? N_("an Excel 5/95 (BIFF5) workbook: save it as Excel 97-2003 or "
                                    "XLSX first")
                               : N_("no Workbook stream in the compound file"));
        goto out;
    }
    const unsigned char *ent = dir + found;
    uint32_t start = u32(ent + 0x74);
    size_t size = u32(ent + 0x78);
    if (size > CHUANP_XLS_MAX || size > n * 2) {
        rc = size > CHUANP_XLS_MAX ? (chuanp_convert_error(d, "xls.too-large", file, 0, 0, NULL,
                                                           "the workbook stream is larger than "
                                                           "%zu bytes: refused", CHUANP_XLS_MAX), 1)
                                   : corrupt(d, file, "the Workbook stream is larger than the file");
        goto out;
    }
    if (size < cutoff) {
        r = read_chain(&c, c.fat, c.nfat, minifat_start, c.ssz, get_sector, &c, (size_t)-1,
                       &minifat, &minifat_len);
        if (r == 0)
            r = root_size > n ? 1
                              : read_chain(&c, c.fat, c.nfat, root_start, c.ssz, get_sector, &c,
                                           root_size, &ministream, &ministream_len);
        if (r == 0) {
            mini m = {ministream, ministream_len};
            /* the mini FAT as numbers */
            size_t nmini = minifat_len / 4;
            uint32_t *mf = chuanp_malloc((nmini + 1) * sizeof *mf);
            if (!mf) {
                rc = -1;
                goto out;
            }
            for (size_t i = 0; i < nmini; i++)
                mf[i] = u32(minifat + 4 * i);
            r = read_chain(&c, mf, nmini, start, 64, get_mini, &m, size, data, len);
            chuanp_free(mf);
        }
    } else {
        r = read_chain(&c, c.fat, c.nfat, start, c.ssz, get_sector, &c, size, data, len);
    }
    if (r != 0) {
        rc = r < 0 ? -1 : corrupt(d, file, "the Workbook stream's sector chain is broken");
        goto out;
    }
    rc = 0;
out:
    if (rc != 0) {
        chuanp_free(*data);
        *data = NULL;
        *len = 0;
    }
    chuanp_free(c.fat);
    chuanp_free(fs);
    chuanp_free(dir);
    chuanp_free(minifat);
    chuanp_free(ministream);
    return rc;
}

int chuanp_cfb_read_stream(FILE *in, const char *file, const char *name, unsigned char **data,
                           size_t *len, chuan_diags *d)
{
    char *buf = NULL, *errmsg = NULL;
    size_t n = 0;
    if (lseek(fileno(in), 0, SEEK_SET) < 0 ||
        chuanp_read_fd(fileno(in), file, CHUANP_XLS_MAX, &buf, &n, &errmsg) < 0) {
        int too_big = errmsg && strstr(errmsg, "limit");
        chuanp_convert_error(d, too_big ? "xls.too-large" : "io.read", file, 0, 0, NULL, "%s",
                             errmsg ? errmsg : chuanp_strerror(errno ? errno : EIO));
        chuanp_free(errmsg);
        chuanp_free(buf);
        return too_big ? 1 : -1;
    }
    int rc = cfb_stream_mem((const unsigned char *)buf, n, file, name, data, len, d);
    chuanp_free(buf);
    return rc;
}
