/*
 * converters/convert_input.c - the one place where an input's bytes become the
 * UTF-8 text the readers parse.
 *
 *   --encoding utf-8        the bytes as they are (readers reject invalid UTF-8)
 *   --encoding LEGACY       decoded by chuanp_textin_open (core/textenc.h):
 *                           tcvn3, vni, viscii, vps, cp1258; an XML declaration
 *                           is rewritten to say UTF-8
 *   auto (default)          the first 64 KiB decide: valid UTF-8 is read as it
 *                           is; an XML document with a BOM or a declared
 *                           encoding libxml2 decodes itself (UTF-16,
 *                           ISO-8859-x...) goes to libxml2; anything else is
 *                           detected and decoded by chuanp_textin_open
 * Regular files are rewound after the peek; stdin replays the peeked prefix
 * through a small fopencookie stream.
 */
#define _GNU_SOURCE
#include "convert_input.h"

#include "convert.h"
#include "table.h"
#include "../core/textenc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#define PEEK (64 * 1024)

/* UTF-8, possibly with a few bad bytes: valid multi-byte sequences at
 * least twice as many as invalid bytes (legacy 8-bit text forms valid
 * UTF-8 sequences only by accident). A UTF-8 file with a stray bad byte is
 * then read as UTF-8 and its reader reports the byte with its line and
 * column, instead of a guess at a legacy encoding. A sequence cut at the
 * end of an incomplete prefix is not counted. */
static int utf8_prefix_ok(const char *s, size_t n, int complete)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t good = 0, bad = 0;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, n - i, &cp);
        if (k > 0) {
            good++;
            i += (size_t)k;
        } else {
            if (complete || i + 4 <= n)
                bad++;
            i++;
        }
    }
    return bad == 0 || good >= 2 * bad;
}

void chuanp_xml_declared(const char *s, size_t n, char *label, size_t cap)
{
    label[0] = '\0';
    if (n < 6 || strncmp(s, "<?xml", 5) != 0)
        return;
    /* s is a peek buffer, not a string: every scan stops at the first '>'
     * inside the n bytes (a 64 KiB prefix has no terminating NUL) */
    const char *end = memchr(s, '>', n);
    const char *e = NULL;
    for (const char *p = s + 5; end && p + 8 <= end; p++)
        if (memcmp(p, "encoding", 8) == 0) {
            e = p;
            break;
        }
    if (!e)
        return;
    e += 8;
    while (e < end && (*e == ' ' || *e == '=' || *e == '\t'))
        e++;
    if (e >= end || (*e != '"' && *e != '\''))
        return;
    char q = *e++;
    size_t k = 0;
    while (e < end && *e != q && k + 1 < cap)
        label[k++] = *e++;
    label[k] = '\0';
}

int chuanp_input_needs_decoding(const char *prefix, size_t n, int complete, chuanp_format f)
{
    if (f == CHUANP_FMT_XML) {
        const unsigned char *u = (const unsigned char *)prefix;
        if (n >= 2 && ((u[0] == 0xFE && u[1] == 0xFF) || (u[0] == 0xFF && u[1] == 0xFE)))
            return 0; /* UTF-16: libxml2 */
        char label[64];
        chuanp_xml_declared(prefix, n, label, sizeof label);
        if (label[0] && strcasecmp(label, "utf-8") != 0 && strcasecmp(label, "utf8") != 0) {
            int e = chuanp_enc_parse(label);
            return e > CHUANP_ENC_UTF8; /* a Vietnamese legacy encoding: ours; others: libxml2 */
        }
    }
    size_t skip = n >= 3 && memcmp(prefix, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return !utf8_prefix_ok(prefix + skip, n - skip, complete);
}

static int wrap(cv_input *in, FILE *raw, int seekable, const char *path, chuanp_format from,
                const char *encoding, const char *table, chuan_diags *d);

int chuanp_cv_input_open(cv_input *in, const char *path, chuanp_format from, const char *encoding,
                         chuan_diags *d)
{
    const char *table = NULL; /* a DBF/MDB table: the batch engine spools it (batch_file.c) */
    memset(in, 0, sizeof *in);
    int is_stdin = strcmp(path, "-") == 0;
    FILE *raw = is_stdin ? stdin : fopen(path, "rb");
    if (!raw) {
        chuanp_convert_error(d, "io.open", path, 0, 0, NULL, "cannot open %s: %s", path,
                             strerror(errno));
        return -1;
    }
    struct stat st;
    if (!is_stdin && fstat(fileno(raw), &st) == 0 && S_ISDIR(st.st_mode)) {
        chuanp_convert_error(d, "io.open", path, 0, 0, NULL, "cannot read %s: is a directory", path);
        fclose(raw);
        return -1;
    }
    if (!is_stdin)
        setvbuf(raw, NULL, _IOFBF, 256 * 1024); /* big files: fewer read calls */
    int rc = wrap(in, raw, !is_stdin, path, from, encoding, table, d);
    in->own_raw = !is_stdin;
    if (rc != 0 && !is_stdin)
        fclose(raw);
    return rc;
}

int chuanp_cv_input_wrap(cv_input *in, FILE *raw, int seekable, const char *path,
                         chuanp_format from, const char *encoding, chuan_diags *d)
{
    return wrap(in, raw, seekable, path, from, encoding, NULL, d);
}

static int wrap(cv_input *in, FILE *raw, int seekable, const char *path, chuanp_format from,
                const char *encoding, const char *table, chuan_diags *d)
{
    int is_stdin = strcmp(path, "-") == 0;
    char *prefix = NULL;
    int rc = -1;
    memset(in, 0, sizeof *in);
    in->raw = raw;
    prefix = chuanp_malloc(PEEK);
    if (!prefix)
        goto oom;
    size_t n = fread(prefix, 1, PEEK, in->raw);
    if (ferror(in->raw)) {
        chuanp_convert_error(d, "io.read", path, 0, 0, NULL, "cannot read %s: %s", path,
                             strerror(errno ? errno : EIO));
        goto out;
    }
    int complete = feof(in->raw) != 0;
    in->format = from != CHUANP_FMT_AUTO ? from
                                         : chuanp_format_sniff(is_stdin ? NULL : path, prefix, n);
    if (chuanp_table_format(in->format)) {
        /* a database table: its own reader decodes its text (converters/table.h) */
        FILE *src = NULL;
        if (is_stdin) {
            src = in->replay = chuanp_replay_open(prefix, n, in->raw, 1);
            if (!src)
                goto oom;
            prefix = NULL;
        }
        in->table_format = in->format;
        rc = chuanp_table_open(&in->text, path, src, path, in->format, encoding, table, 0, d);
        if (rc != 0)
            goto out;
        in->fp = in->text;
        in->format = CHUANP_FMT_NDJSON;
        in->enc = CHUANP_ENC_UTF8; /* the table's reader decoded its text */
        chuanp_free(prefix);
        return 0;
    }
    int explicit_utf8 = encoding && (strcasecmp(encoding, "utf-8") == 0 ||
                                     strcasecmp(encoding, "utf8") == 0);
    int is_auto = !encoding || strcasecmp(encoding, "auto") == 0;
    if (chuanp_format_is_binary(in->format) && !is_auto && !explicit_utf8)
        chuanp_convert_warning(d, "sheet.encoding-ignored", path, 0, 0, NULL,
                               "--encoding is not used for spreadsheets: each cell's font says its "
                               "encoding (a --font-map line '* = %s' applies it to every font)",
                               encoding);
    /* a spreadsheet is binary: its reader decodes each cell by its font */
    int decode = !explicit_utf8 && !chuanp_format_is_binary(in->format) &&
                 (!is_auto || chuanp_input_needs_decoding(prefix, n, complete, in->format));
    /* back to the first byte */
    if (seekable && fseek(in->raw, 0, SEEK_SET) == 0) {
        in->fp = in->raw;
    } else {
        in->replay = chuanp_replay_open(prefix, n, in->raw, 1);
        if (!in->replay)
            goto oom;
        prefix = NULL; /* owned by the replay stream */
        in->fp = in->replay;
    }
    if (decode) {
        chuanp_textin_info info;
        size_t errors = d->errors;
        if (chuanp_textin_open(&in->text, in->fp, path, is_auto ? NULL : encoding, &info, d) < 0 ||
            !in->text) {
            if (d->errors == errors)
                chuanp_convert_error(d, "encoding.open", path, 0, 0, NULL,
                                     "cannot decode %s", path);
            /* an unknown name is a usage error; an undecidable input is not convertible */
            rc = is_auto ? 1 : -1;
            goto out;
        }
        in->fp = in->text;
        in->encoding = chuanp_enc_name(info.enc);
        in->enc = info.enc;
    } else {
        /* a spreadsheet's cells are decoded by its reader: no encoding to count */
        in->enc = chuanp_format_is_binary(in->format) ? CHUANP_ENC_NONE : CHUANP_ENC_UTF8;
    }
    chuanp_free(prefix);
    return 0;
oom:
    chuanp_convert_error(d, "io.read", path, 0, 0, NULL, "out of memory opening %s", path);
out:
    chuanp_free(prefix);
    in->raw = NULL; /* the caller's */
    chuanp_cv_input_close(in);
    return rc;
}

void chuanp_cv_input_close(cv_input *in)
{
    if (in->text)
        fclose(in->text);
    if (in->replay)
        fclose(in->replay);
    if (in->raw && in->own_raw)
        fclose(in->raw);
    memset(in, 0, sizeof *in);
}
