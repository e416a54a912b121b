/*
 * converters/input_raw.c - the raw form of the one input front end
 * (converters/input.h), for the engine's chunked path (converters/batch_file.c):
 * the input's bytes as they are, after the head read to decide its format and
 * encoding. The chunks are cut on raw bytes and decoded by the workers in
 * parallel, so nothing decodes here: the encoding they are decoded from is
 * decided by the rule every form follows (chuanp_input_needs_decoding, then
 * chuanp_textin_detect). A DBF/MDB table is its records' NDJSON, spooled.
 */
#define _GNU_SOURCE
#include "input.h"

#include "convert.h"
#include "table.h"

#include <errno.h>
#include <string.h>
#include <sys/types.h>

/* The head of s->raw: its first CHUANP_DETECT_PREFIX bytes. 0, or -1 (said). */
static int read_head(chuanp_source *s, chuan_diags *d)
{
    s->head_len = chuanp_fread_full(s->raw, s->head, CHUANP_DETECT_PREFIX);
    if (ferror(s->raw)) {
        chuanp_convert_error(d, "io.read", s->name, 0, 0, NULL, "cannot read %s: %s", s->name,
                             chuanp_strerror(errno ? errno : EIO));
        return -1;
    }
    s->eof = s->head_len < CHUANP_DETECT_PREFIX;
    return 0;
}

/* s->raw becomes fp (the source's own), closing what it replaces. */
static void raw_replace(chuanp_source *s, FILE *fp)
{
    if (s->own_raw)
        fclose(s->raw);
    s->raw = fp;
    s->own_raw = 1;
}

/* A DBF or MDB table: the NDJSON text of its records, spooled to a temporary
 * file, is the input from here on (chunked, resumable); its reader's
 * diagnostics go to d. 0, 1 not a readable table, -1. */
static int raw_table(chuanp_source *s, const chuanp_source_opts *o, chuan_diags *d)
{
    chuan_diags td;
    chuan_diags_init(&td, 0);
    /* standard input or a given stream: the table is read from it, not from a file of its
     * name (the public API names a buffer as it likes) */
    int streamed = !s->own_raw;
    FILE *src = streamed ? chuanp_replay_open(s->head, s->head_len, s->raw, 0) : NULL;
    int trc = -1;
    FILE *t = streamed && !src ? NULL
              : chuanp_table_spool(streamed ? "-" : s->name, src, s->name, s->format,
                                   o->encoding, o->table, o->table_flags, &td, &trc);
    if (src)
        fclose(src);
    s->table_format = s->format;
    s->table_errors = td.errors;
    s->deleted = chuanp_table_deleted(&td);
    s->table_enc = chuanp_table_encoding(&td); /* what its reader decoded its text from */
    if (chuanp_table_part(&td, &s->part) < 0)
        td.oom = 1;
    if (streamed && !src)
        chuanp_convert_error(&td, "convert.internal", s->name, 0, 0, NULL, "out of memory");
    if (chuan_diags_move(d, &td) < 0)
        d->oom = 1;
    chuan_diags_clear(&td);
    if (!t)
        return trc > 0 ? 1 : -1;
    raw_replace(s, t);
    s->format = CHUANP_FMT_NDJSON;
    return read_head(s, d);
}

int chuanp_source_open_raw(chuanp_source *s, const char *path, FILE *given,
                           const chuanp_source_opts *o, chuan_diags *d)
{
    memset(s, 0, sizeof *s);
    s->copy_fd = -1;
    s->name = path;
    s->raw = given ? given : chuanp_source_fopen(path, d);
    if (!s->raw)
        return -1;
    s->own_raw = !given && s->raw != stdin;
    s->head_cap = o->head_cap > CHUANP_DETECT_PREFIX ? o->head_cap : CHUANP_DETECT_PREFIX;
    if (!(s->head = chuanp_malloc(s->head_cap))) {
        chuanp_convert_error(d, "convert.internal", path, 0, 0, NULL, "out of memory");
        return -1;
    }
    if (read_head(s, d) < 0)
        return -1;
    s->format = s->input_format = o->from != CHUANP_FMT_AUTO
        ? o->from : chuanp_format_sniff(strcmp(path, "-") ? path : NULL, s->head, s->head_len);
    s->enc = CHUANP_ENC_UTF8;
    s->confidence = 1.0;
    return chuanp_table_format(s->format) ? raw_table(s, o, d) : 0;
}

int chuanp_source_raw_encoding(chuanp_source *s, const char *encoding, chuan_diags *d)
{
    if (s->table_format != CHUANP_FMT_AUTO)
        return 0; /* its reader decoded the table's text: NDJSON records in UTF-8 */
    int e = chuanp_enc_parse(encoding);
    if (e < 0) {
        chuanp_convert_error(d, "encoding.unknown", s->name, 0, 0, NULL,
                             "unknown encoding '%s' (accepted: %s)", encoding,
                             chuanp_enc_accepted);
        return -1;
    }
    if (e > CHUANP_ENC_NONE) {
        s->enc = e == CHUANP_ENC_ASCII ? CHUANP_ENC_UTF8 : e;
        return 0;
    }
    /* mostly valid UTF-8 is read as it is: its reader reports a stray bad byte with its line */
    if (!chuanp_input_needs_decoding(s->head, s->head_len, s->eof, s->format)) {
        s->enc = CHUANP_ENC_UTF8;
        return 0;
    }
    chuanp_textin_info info;
    memset(&info, 0, sizeof info);
    int rc = chuanp_textin_detect(s->head, s->head_len, s->name, &info, d);
    if (rc < 0)
        chuanp_convert_error(d, "convert.internal", s->name, 0, 0, NULL,
                             "out of memory detecting the encoding");
    if (rc != 0)
        return rc;
    s->enc = info.enc;
    s->confidence = info.confidence;
    return 0;
}

int chuanp_source_raw_seekable(chuanp_source *s, chuan_diags *d)
{
    if (fseeko(s->raw, (off_t)s->head_len, SEEK_SET) == 0)
        return 0;
    errno = 0;
    FILE *t = chuanp_spool_stream(s->head, s->head_len, s->raw);
    if (!t || fseeko(t, (off_t)s->head_len, SEEK_SET) != 0) {
        chuanp_convert_error(d, "io.read", s->name, 0, 0, NULL,
                             "cannot copy %s to a temporary file for the pass that finds the CSV "
                             "columns: %s", s->name, chuanp_strerror(errno ? errno : EIO));
        if (t)
            fclose(t);
        return -1;
    }
    raw_replace(s, t);
    return 0;
}
