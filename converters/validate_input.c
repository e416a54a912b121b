/* cli/validate_input.c - one validate input: read as it is, or decoded from
 * a legacy encoding into a temporary copy (see validate_input.h). */
#include "validate_input.h"
#include "sheet.h"

#include "convert_input.h"
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static void fail(chuan_diags *d, const char *code, const char *name, const char *what, int err)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = name, .offset = -1};
    chuan_diags_addf(d, &g, "cannot decode %s: %s: %s", name, what, strerror(err));
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
        chuanp_xml_declared(buf, n, label, sizeof label);
    /* a document that declares UTF-8 is checked as UTF-8: a bad byte is an
     * error at its line and column, not a reason to guess an encoding */
    int rc = buf && chuanp_enc_parse(label) != CHUANP_ENC_UTF8 &&
             chuanp_input_needs_decoding(buf, n, complete, fmt);
    chuanp_free(buf);
    close(fd);
    return rc;
}

/* The input was decoded: say from what, before the decoder's diagnostics. */
static void note_decoded(chuan_diags *d, const chuanp_vinput *vi, const char *name, int named)
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
static int decode_copy(chuanp_vinput *vi, const char *path, const char *name,
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
    if (!(vi->copy_path = chuanp_asprintf("/dev/fd/%d", fd))) {
        fail(d, "io.read", name, "decoder", ENOMEM);
        goto out;
    }
    vi->copy_fd = fd;
    fd = -1;
    vi->path = vi->copy_path;
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

int chuanp_vinput_open_table(chuanp_vinput *vi, const char *path, const char *name,
                             chuanp_format fmt, const char *encoding, const char *table,
                             unsigned table_flags, int note, chuan_diags *d)
{
    if (!chuanp_table_format(fmt))
        return chuanp_vinput_open(vi, path, name, fmt, encoding, note, d);
    memset(vi, 0, sizeof *vi);
    vi->copy_fd = -1;
    vi->path = path;
    vi->enc = CHUANP_ENC_UTF8;
    vi->confidence = 1.0;
    int rc;
    FILE *t = chuanp_table_spool(path, NULL, name, fmt, encoding, table, table_flags, d, &rc);
    if (!t)
        return rc;
    int fd = dup(fileno(t));
    fclose(t);
    if (fd < 0 || lseek(fd, 0, SEEK_SET) != 0 ||
        !(vi->copy_path = chuanp_asprintf("/dev/fd/%d", fd))) {
        fail(d, "io.read", name, "temporary file", fd < 0 ? errno : ENOMEM);
        if (fd >= 0)
            close(fd);
        return -1;
    }
    vi->copy_fd = fd;
    vi->path = vi->copy_path;
    vi->format = CHUANP_FMT_NDJSON;
    vi->enc = (chuanp_enc)chuanp_table_encoding(d); /* what the table's text was decoded from */
    if (chuanp_table_part(d, &vi->part) < 0) {
        fail(d, "io.read", name, "temporary file", ENOMEM);
        return -1;
    }
    return 0;
}

int chuanp_vinput_open(chuanp_vinput *vi, const char *path, const char *name, chuanp_format fmt,
                       const char *encoding, int note, chuan_diags *d)
{
    memset(vi, 0, sizeof *vi);
    vi->copy_fd = -1;
    vi->path = path;
    vi->enc = CHUANP_ENC_UTF8;
    vi->confidence = 1.0;
    int is_auto = !encoding || strcasecmp(encoding, "auto") == 0;
    if (chuanp_format_is_binary(fmt)) /* a spreadsheet: its rows as NDJSON */
        return chuanp_vinput_open_sheet(vi, path, name, fmt, NULL, d);
    if (!is_auto && chuanp_enc_parse(encoding) == CHUANP_ENC_UTF8)
        return 0; /* named UTF-8: the bytes as they are, never peeked */
    if (is_auto && !auto_needs_decoding(path, fmt))
        return 0;
    chuan_diags dec; /* the decoder's, listed after the note */
    chuan_diags_init(&dec, d->max);
    int rc = decode_copy(vi, path, name, is_auto ? NULL : encoding, &dec);
    if (rc != 0)
        vi->enc = CHUANP_ENC_NONE;
    else if (vi->copy_path && note)
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

int chuanp_vinput_open_sheet(chuanp_vinput *vi, const char *path, const char *name,
                             chuanp_format fmt, const struct chuanp_sheet_opts *so, chuan_diags *d)
{
    memset(vi, 0, sizeof *vi);
    vi->copy_fd = -1;
    vi->path = path;
    vi->enc = CHUANP_ENC_UTF8;
    vi->confidence = 1.0;
    int fd = -1, rc = chuanp_sheet_to_ndjson(path, name, fmt, so, &fd, &vi->part, d);
    if (fd >= 0 && !(vi->copy_path = chuanp_asprintf("/dev/fd/%d", fd))) {
        close(fd);
        return -1;
    }
    if (fd >= 0) {
        vi->copy_fd = fd;
        vi->path = vi->copy_path;
    }
    return fd >= 0 ? 0 : rc;
}

void chuanp_vinput_close(chuanp_vinput *vi)
{
    if (vi->copy_path) {
        close(vi->copy_fd);
        chuanp_free(vi->copy_path);
    }
    vi->copy_path = NULL;
    vi->copy_fd = -1;
    chuanp_part_free(&vi->part);
}
