/* validator/standard_unwrap.c - wrapped payloads: a JSON transport message (an LGSP delivery:
 * {"loaiVanBan": "edoc", "noiDung": "<base64 edXML>"}) carries the standard's payload encoded in
 * one member. The member is decoded into an anonymous temporary file, validated there as the
 * package's payload, and every diagnostic is then re-located: file:line:col become those of the
 * member in the JSON message, and the path says where inside the decoded document it was:
 * "<pointer> (decoded <format> LINE:COL) <inner path>". */
#include "standard_int.h"

#include <stdio.h>
#include <string.h>

static int b64_value(unsigned char c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '+' || c == '-')
        return 62;
    if (c == '/' || c == '_')
        return 63;
    return -1;
}

/* Decode base64 (standard or URL alphabet, whitespace ignored, padding optional) into f.
 * Returns 0, or -1 with *bad_at set to the offset of the offending character in the text
 * (-2 when writing failed). */
static int b64_decode_to(FILE *f, const char *s, size_t len, size_t *bad_at)
{
    unsigned acc = 0;
    int bits = 0, pad = 0;
    unsigned char out[4096];
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (c == '=') {
            pad++;
            continue;
        }
        int v = b64_value(c);
        if (v < 0 || pad) {
            *bad_at = i;
            return -1;
        }
        acc = (acc << 6) | (unsigned)v;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            out[n++] = (unsigned char)(acc >> bits);
            acc &= (1u << bits) - 1;
            if (n == sizeof out) {
                if (fwrite(out, 1, n, f) != n)
                    return -2;
                n = 0;
            }
        }
    }
    if (pad > 2 || bits >= 6) { /* a lone sextet cannot end a base64 text */
        *bad_at = len;
        return -1;
    }
    if (n && fwrite(out, 1, n, f) != n)
        return -2;
    return 0;
}

static void member_diag(chuan_diags *d, const char *file, const chuanp_jv *member, const char *pointer,
                        const char *code, const char *msg)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = file,
                     .line = (long)member->line, .column = (long)member->column,
                     .offset = (long long)member->offset, .path = pointer};
    chuan_diags_addf(d, &dg, "%s", msg);
}

int chuanp_std_unwrap_open(FILE **out, const chuanp_jv *member, const char *pointer,
                           const char *encoding, const char *file, chuan_diags *d)
{
    *out = NULL;
    if (!member || member->type != CHUANP_JSTRING) {
        char *m = chuanp_asprintf(_("the wrapped payload at %s is not a string (--unwrap names the JSON "
                                  "member that holds the encoded document)"), pointer);
        if (!m)
            return -1;
        if (member)
            member_diag(d, file, member, pointer, "unwrap.member", m);
        else {
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "unwrap.member", .file = file,
                             .offset = -1, .path = pointer};
            chuan_diags_addf(d, &dg, "%s: no such member in this JSON message", pointer);
        }
        chuanp_free(m);
        return 1;
    }
    FILE *f = tmpfile();
    if (!f) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "io.tmpfile", .file = file, .offset = -1};
        chuan_diags_addf(d, &dg, "cannot create a temporary file for the decoded payload");
        return -1;
    }
    size_t bad_at = 0;
    int rc = 0;
    if (strcmp(encoding, "none") == 0)
        rc = fwrite(member->u.str.text, 1, member->u.str.len, f) == member->u.str.len ? 0 : -2;
    else
        rc = b64_decode_to(f, member->u.str.text, member->u.str.len, &bad_at);
    if (rc == 0 && fflush(f) != 0)
        rc = -2;
    if (rc == -1) {
        char *m = chuanp_asprintf(_("the member %s is not valid base64 (at character %zu of its text)"),
                                  pointer, bad_at + 1);
        if (m)
            member_diag(d, file, member, pointer, "unwrap.decode", m);
        chuanp_free(m);
        fclose(f);
        return m ? 1 : -1;
    }
    if (rc < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "io.tmpfile", .file = file, .offset = -1};
        chuan_diags_addf(d, &dg, "cannot write the decoded payload to a temporary file");
        fclose(f);
        return -1;
    }
    rewind(f);
    *out = f;
    return 0;
}

int chuanp_std_unwrap_relocate(chuan_diags *d, size_t from, const chuanp_jv *member,
                               const char *pointer, const char *format)
{
    for (size_t i = from; i < d->count; i++) {
        chuan_diag *dg = &d->items[i];
        char *p;
        if (dg->line > 0)
            p = chuanp_asprintf("%s (decoded %s %ld:%ld)%s%s", pointer, format, dg->line, dg->column,
                                dg->path && *dg->path ? " " : "", dg->path ? dg->path : "");
        else
            p = chuanp_asprintf("%s (decoded %s)%s%s", pointer, format, dg->path && *dg->path ? " " : "",
                                dg->path ? dg->path : "");
        if (!p)
            return -1;
        chuanp_free((char *)dg->path);
        dg->path = p;
        dg->line = (long)member->line;
        dg->column = (long)member->column;
        dg->offset = (long long)member->offset;
    }
    return 0;
}
