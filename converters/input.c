/*
 * converters/input.c - the one input front end (converters/input.h): where an
 * input's bytes become the UTF-8 text a reader parses or an engine opens.
 *
 *   --encoding utf-8        the bytes as they are (readers reject invalid UTF-8)
 *   --encoding LEGACY       decoded by chuanp_textin_open (core/textenc.h):
 *                           tcvn3, vni, viscii, vps, cp1258; an XML declaration
 *                           is rewritten to say UTF-8
 *   auto (default)          the first 64 KiB decide (chuanp_input_needs_decoding)
 * Stream form: regular files are rewound after the peek; stdin replays the
 * peeked prefix through a small fopencookie stream. Path form: what is not
 * read as it is becomes an unlinked temporary copy the engine opens by name.
 * Raw form: converters/input_raw.c.
 */
#define _GNU_SOURCE
#include "input.h"

#include "convert.h"
#include "sheet.h"
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define PEEK (64 * 1024)

/* ------------------------------------------------------------ the rule */

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

/* The encoding a leading XML declaration in s[0..n) names, into label
 * (empty when none). */
static void xml_declared(const char *s, size_t n, char *label, size_t cap)
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
        xml_declared(prefix, n, label, sizeof label);
        if (label[0] && strcasecmp(label, "utf-8") != 0 && strcasecmp(label, "utf8") != 0) {
            int e = chuanp_enc_parse(label);
            return e > CHUANP_ENC_UTF8; /* a Vietnamese legacy encoding: ours; others: libxml2 */
        }
    }
    size_t skip = n >= 3 && memcmp(prefix, "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
    return !utf8_prefix_ok(prefix + skip, n - skip, complete);
}

/* ------------------------------------------------- the stream form */

static int wrap(chuanp_source *in, FILE *raw, int seekable, const char *path, chuanp_format from,
                const char *encoding, const char *table, chuan_diags *d)
{
    int is_stdin = strcmp(path, "-") == 0;
    char *prefix = NULL;
    int rc = -1;
    in->raw = raw;
    prefix = chuanp_malloc(PEEK);
    if (!prefix)
        goto oom;
    size_t n = fread(prefix, 1, PEEK, in->raw);
    if (ferror(in->raw)) {
        chuanp_convert_error(d, "io.read", path, 0, 0, NULL, "cannot read %s: %s", path,
                             chuanp_strerror(errno ? errno : EIO));
        goto out;
    }
    int complete = feof(in->raw) != 0;
    in->format = from != CHUANP_FMT_AUTO ? from
                                         : chuanp_format_sniff(is_stdin ? NULL : path, prefix, n);
    in->input_format = in->format;
    if (in->format == CHUANP_FMT_XLSX && chuanp_xlsx_load(path, d) < 0)
        goto out; /* no libzip: the run cannot judge the workbook (exit 2), not a rejected record */
    if (chuanp_table_format(in->format)) {
        /* a database table: its own reader decodes its text (converters/table.h) */
        FILE *src = NULL;
        if (!seekable) { /* standard input or a given stream: read from it, not by name */
            src = in->replay = chuanp_replay_open(prefix, n, in->raw, 1);
            if (!src)
                goto oom;
            prefix = NULL;
        }
        in->table_format = in->format;
        rc = chuanp_table_open(&in->text, src ? "-" : path, src, path, in->format, encoding,
                               table, 0, d);
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
    chuanp_source_close(in);
    return rc;
}

FILE *chuanp_source_fopen(const char *path, chuan_diags *d)
{
    if (strcmp(path, "-") == 0)
        return stdin;
    FILE *raw = fopen(path, "rb");
    if (!raw) {
        chuanp_convert_error(d, "io.open", path, 0, 0, NULL, "cannot open %s: %s", path,
                             chuanp_strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fileno(raw), &st) == 0 && S_ISDIR(st.st_mode)) {
        chuanp_convert_error(d, "io.open", path, 0, 0, NULL, "cannot read %s: is a directory", path);
        fclose(raw);
        return NULL;
    }
    return raw;
}

static int open_stream(chuanp_source *in, const char *path, FILE *given, chuanp_format from,
                       const char *encoding, const char *table, chuan_diags *d)
{
    if (given) /* read once, never rewound: the peeked prefix is replayed */
        return wrap(in, given, 0, path, from, encoding, table, d);
    int is_stdin = strcmp(path, "-") == 0;
    FILE *raw = chuanp_source_fopen(path, d);
    if (!raw)
        return -1;
    if (!is_stdin)
        setvbuf(raw, NULL, _IOFBF, 256 * 1024); /* big files: fewer read calls */
    int rc = wrap(in, raw, !is_stdin, path, from, encoding, table, d);
    in->own_raw = !is_stdin;
    if (rc != 0 && !is_stdin)
        fclose(raw);
    return rc;
}

/* --------------------------------------------------- the path form */

/* The engine opens the temporary copy fd by name ("/dev/fd/N"), which the
 * source then owns. 0, or -1 out of memory (fd left to the caller). */
static int expose(chuanp_source *s, int fd)
{
    if (!(s->copy_path = chuanp_asprintf("/dev/fd/%d", fd)))
        return -1;
    s->copy_fd = fd;
    s->path = s->copy_path;
    return 0;
}

static void fail(chuan_diags *d, const char *code, const char *name, const char *what, int err)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = name, .offset = -1};
    chuan_diags_addf(d, &g, "cannot decode %s: %s: %s", name, what, chuanp_strerror(err));
}

/* --encoding auto: 1 when the first 64 KiB of path call for a decoder, 0 when
 * it is read as it is (cannot be read: the engine says so; not a regular
 * file: peeking would consume it). Unlike convert, an XML declaration naming
 * UTF-8 is taken at its word. */
static int auto_needs_decoding(const char *path, chuanp_format fmt)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return 0;
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd); /* a pipe would lose what is peeked: read as it is */
        return 0;
    }
    char *buf = chuanp_malloc(CHUANP_DETECT_PREFIX);
    size_t n = 0;
    int complete = 0;
    while (buf && n < CHUANP_DETECT_PREFIX) {
        ssize_t k = read(fd, buf + n, CHUANP_DETECT_PREFIX - n);
        if (k < 0 && errno == EINTR)
            continue;
        if (k <= 0) {
            complete = k == 0;
            break;
        }
        n += (size_t)k;
    }
    char label[64] = "";
    if (buf && fmt == CHUANP_FMT_XML)
        xml_declared(buf, n, label, sizeof label);
    /* a document that declares UTF-8 is checked as UTF-8: a bad byte is an
     * error at its line and column, not a reason to guess an encoding */
    int rc = buf && chuanp_enc_parse(label) != CHUANP_ENC_UTF8 &&
             chuanp_input_needs_decoding(buf, n, complete, fmt);
    chuanp_free(buf);
    close(fd);
    return rc;
}

/* The input was decoded: say from what, before the decoder's diagnostics. */
static void note_decoded(chuan_diags *d, const chuanp_source *vi, const char *name, int named)
{
    chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "encoding.decoded", .file = name,
                    .offset = -1};
    char how[160]; /* in the language of messages, like the message it completes */
    if (named)
        snprintf(how, sizeof how, "%s", _("named by --encoding"));
    else if (vi->from_declaration)
        snprintf(how, sizeof how, "%s", _("declared in the XML declaration"));
    else
        snprintf(how, sizeof how, _("detected, confidence %.2f"), vi->confidence);
    chuan_diags_addf(d, &g, "decoded from %s (%s)", chuanp_enc_name(vi->enc), how);
}

/* Decode path into a new temporary file, the decoder's diagnostics into d.
 * Returns 0, 1 (refused) or -1. */
static int decode_copy(chuanp_source *vi, const char *path, const char *name,
                       const char *encoding, chuan_diags *d)
{
    FILE *raw = fopen(path, "rb"), *text = NULL;
    chuanp_textin_info info;
    char *buf = NULL;
    int rc = -1, fd = -1;
    struct stat st;
    if (!raw || (fstat(fileno(raw), &st) == 0 && S_ISDIR(st.st_mode))) {
        if (raw)
            fclose(raw);
        return 0; /* the engine reports the unreadable input as for any other */
    }
    setvbuf(raw, NULL, _IOFBF, 256 * 1024);
    size_t errors = d->errors;
    int o = chuanp_textin_open(&text, raw, name, encoding, &info, d);
    if (o != 0 || !text) {
        rc = o > 0 ? 1 : -1;
        if (rc < 0 && d->errors == errors)
            fail(d, "encoding.open", name, "decoder", ENOMEM);
        goto out;
    }
    if ((fd = chuanp_spool_tmpfile()) < 0) {
        fail(d, "io.write", name, "temporary file", errno);
        goto out;
    }
    enum { CHUNK = 256 * 1024 };
    if (!(buf = chuanp_malloc(CHUNK))) {
        fail(d, "io.read", name, "decoder", ENOMEM);
        goto out;
    }
    size_t n;
    while ((n = fread(buf, 1, CHUNK, text)) > 0) {
        for (size_t off = 0; off < n;) {
            ssize_t w = write(fd, buf + off, n - off);
            if (w < 0 && errno == EINTR)
                continue;
            if (w < 0) {
                fail(d, "io.write", name, "temporary file", errno);
                goto out;
            }
            off += (size_t)w;
        }
    }
    if (ferror(text)) {
        if (d->errors == errors)
            fail(d, "io.read", name, "read error", errno ? errno : EIO);
        goto out;
    }
    if (expose(vi, fd) < 0) {
        fail(d, "io.read", name, "decoder", ENOMEM);
        goto out;
    }
    fd = -1;
    vi->enc = info.enc;
    vi->from_declaration = info.from_declaration;
    vi->confidence = info.confidence;
    rc = 0;
out:
    chuanp_free(buf);
    if (fd >= 0)
        close(fd);
    if (text)
        fclose(text);
    fclose(raw);
    return rc;
}


/* A DBF or MDB table: its records as NDJSON (converters/table.h). */
static int table_copy(chuanp_source *s, const char *path, const char *name,
                      const chuanp_source_opts *o, chuan_diags *d)
{
    int rc;
    FILE *t = chuanp_table_spool(path, NULL, name, o->from, o->encoding, o->table,
                                 o->table_flags, d, &rc);
    if (!t)
        return rc;
    int fd = dup(fileno(t));
    fclose(t);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0 || expose(s, fd) < 0) {
        fail(d, "io.read", name, "temporary file", fd < 0 ? errno : ENOMEM);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    s->format = CHUANP_FMT_NDJSON;
    s->table_format = o->from;
    s->enc = (chuanp_enc)chuanp_table_encoding(d); /* what the table's text was decoded from */
    if (chuanp_table_part(d, &s->part) < 0) {
        fail(d, "io.read", name, "temporary file", ENOMEM);
        return -1;
    }
    return 0;
}

/* A spreadsheet (XLSX, XLS): its rows as NDJSON, each record on the line of
 * its sheet row. */
static int sheet_copy(chuanp_source *s, const char *path, const char *name,
                      const chuanp_source_opts *o, chuan_diags *d)
{
    int fd = -1, rc = chuanp_sheet_to_ndjson(path, name, o->from, o->sheet, &fd, &s->part, d);
    if (fd >= 0 && expose(s, fd) < 0) {
        close(fd);
        return -1;
    }
    s->format = CHUANP_FMT_NDJSON;
    return fd >= 0 ? 0 : rc;
}

/* The format of an input: by its name's extension, else by its first bytes. */
static chuanp_format sniff_path(const char *path, const char *name)
{
    chuanp_format by_name = chuanp_format_from_name(name);
    if (by_name != CHUANP_FMT_AUTO)
        return by_name; /* no need to read the head */
    char head[4096];
    ssize_t n = 0;
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd >= 0) {
        do
            n = read(fd, head, sizeof head);
        while (n < 0 && errno == EINTR);
        close(fd);
    }
    return chuanp_format_sniff(name, head, n > 0 ? (size_t)n : 0);
}

static int open_path(chuanp_source *vi, const char *path, const char *name,
                     const chuanp_source_opts *given, chuan_diags *d)
{
    chuanp_source_opts lo = *given, *o = &lo;
    if (lo.from == CHUANP_FMT_AUTO)
        lo.from = sniff_path(path, strcmp(name, "-") ? name : NULL);
    const char *encoding = o->encoding;
    vi->input_format = o->from;
    vi->copy_fd = -1;
    vi->path = path;
    vi->format = o->from;
    vi->enc = CHUANP_ENC_UTF8;
    vi->confidence = 1.0;
    if (chuanp_format_is_binary(o->from))
        return sheet_copy(vi, path, name, o, d);
    if (chuanp_table_format(o->from))
        return table_copy(vi, path, name, o, d);
    int is_auto = !encoding || strcasecmp(encoding, "auto") == 0;
    if (!is_auto && chuanp_enc_parse(encoding) == CHUANP_ENC_UTF8)
        return 0; /* named UTF-8: the bytes as they are, never peeked */
    if (is_auto && !auto_needs_decoding(path, o->from))
        return 0;
    chuan_diags dec; /* the decoder's, listed after the note */
    chuan_diags_init(&dec, d->max);
    int rc = decode_copy(vi, path, name, is_auto ? NULL : encoding, &dec);
    if (rc != 0)
        vi->enc = CHUANP_ENC_NONE;
    else if (vi->copy_path && o->note)
        note_decoded(d, vi, name, !is_auto);
    size_t stored_errors = 0, stored_warnings = 0;
    for (size_t i = 0; i < dec.count; i++) {
        stored_errors += dec.items[i].severity == CHUAN_SEV_ERROR;
        stored_warnings += dec.items[i].severity == CHUAN_SEV_WARNING;
        chuan_diags_add(d, &dec.items[i]);
    }
    d->dropped += dec.dropped; /* past the cap: counted, not kept */
    d->errors += dec.errors - stored_errors;
    d->warnings += dec.warnings - stored_warnings;
    chuan_diags_clear(&dec);
    return rc;
}

/* ------------------------------------------------------------ the entry */

int chuanp_source_open(chuanp_source *s, const char *path, const char *name, FILE *raw,
                       const chuanp_source_opts *o, chuan_diags *d)
{
    memset(s, 0, sizeof *s);
    s->copy_fd = -1;
    if (o->as_path)
        return open_path(s, path, name ? name : path, o, d);
    return open_stream(s, path, raw, o->from, o->encoding, o->table, d);
}

void chuanp_source_close(chuanp_source *s)
{
    if (s->text)
        fclose(s->text);
    if (s->replay)
        fclose(s->replay);
    if (s->raw && s->own_raw)
        fclose(s->raw);
    if (s->copy_path) {
        close(s->copy_fd);
        chuanp_free(s->copy_path);
    }
    s->fp = s->raw = s->replay = s->text = NULL;
    s->own_raw = 0;
    s->path = s->copy_path = NULL;
    s->copy_fd = -1;
    chuanp_part_free(&s->part);
    chuanp_free(s->head);
    s->head = NULL;
}
