/*
 * converters/table_dbf_text.c - what the character and memo fields of a DBF
 * table are written in, and their decoding to UTF-8 NFC.
 *
 * Order of decision (docs/legacy-tables.md, "Encodings"):
 *   1. --encoding NAME: chuan's decoders (tcvn3, vni, viscii, vps, cp1258,
 *      utf-8) or any code page glibc iconv knows (cp1252, cp850...);
 *   2. the text is ASCII: read as it is (the code page, if any, for the
 *      bytes of later records);
 *   3. the text is well-formed UTF-8: UTF-8;
 *   4. the code-page byte names a non-Western code page (Cyrillic, Chinese,
 *      ...): that code page;
 *   5. the syllable detector (core/textenc_detect.c) on the first 64 KiB of
 *      text is sure of a Vietnamese encoding: that encoding. It comes before a
 *      Western code-page byte (437, 850, 1252) because TCVN3, VNI and VPS text
 *      was typed through those code pages with a Vietnamese font, so the byte
 *      says 1252 for most Vietnamese tables;
 *   6. a Western code-page byte: that code page;
 *   7. otherwise the table is refused (encoding.ambiguous, exit 1): name the
 *      encoding with --encoding.
 * The closing note says how many cells were decoded from what, and why.
 */
#include "table_dbf.h"

#include <errno.h>
#include <string.h>
#include <strings.h>

enum { SAMPLE = 64 * 1024, SAMPLE_RECORDS = 20000 };

static const struct {
    unsigned char byte;
    const char *cp;
    int western;
} code_pages[] = {
    {0x01, "CP437", 1},  {0x02, "CP850", 1},  {0x03, "CP1252", 1}, {0x57, "CP1252", 1},
    {0x58, "CP1252", 1}, {0x59, "CP1252", 1}, {0x1B, "CP437", 1},  {0x37, "CP850", 1},
    {0x04, "MACINTOSH", 0}, {0x64, "CP852", 0}, {0x65, "CP866", 0}, {0x66, "CP865", 0},
    {0x67, "CP861", 0},  {0x6A, "CP737", 0},  {0x6B, "CP857", 0},  {0x78, "CP950", 0},
    {0x79, "CP949", 0},  {0x7A, "GBK", 0},    {0x7B, "CP932", 0},  {0x7C, "CP874", 0},
    {0x7D, "CP1255", 0}, {0x7E, "CP1256", 0}, {0xC8, "CP1250", 0}, {0xC9, "CP1251", 0},
    {0xCA, "CP1254", 0}, {0xCB, "CP1253", 0}, {0x26, "CP866", 0},
};

static int code_page(unsigned char byte, int *western)
{
    for (size_t i = 0; i < sizeof code_pages / sizeof *code_pages; i++)
        if (code_pages[i].byte == byte) {
            *western = code_pages[i].western;
            return (int)i;
        }
    return -1;
}

/* The text of the first records (character fields, text memos), each cell
 * followed by a newline so words do not run together. */
static int sample(chuanp_dbf *t, chuanp_buf *s)
{
    unsigned long n = t->nrec < SAMPLE_RECORDS ? t->nrec : SAMPLE_RECORDS;
    for (unsigned long r = 0; r < n && s->len < SAMPLE; r++) {
        long long off = (long long)t->hdr_len + (long long)r * t->rec_len;
        if (off + t->rec_len > t->file_size || chuanp_dbf_pread(t->f, off, t->rec, t->rec_len))
            break;
        if (t->rec[0] != ' ')
            continue;
        for (size_t i = 0; i < t->nfields; i++) {
            dbf_field *fd = &t->fields[i];
            const unsigned char *p = t->rec + 1 + fd->offset;
            if ((fd->type == 'C' || fd->type == 'V') && !(fd->flags & 0x04)) {
                size_t k = fd->len;
                while (k && (p[k - 1] == ' ' || p[k - 1] == 0))
                    k--;
                chuanp_buf_append(s, p, k);
                chuanp_buf_putc(s, '\n');
            } else if (fd->type == 'M' && t->memo && !(fd->flags & 0x04)) {
                unsigned long block = 0;
                if (fd->len == 4) {
                    block = p[0] | (unsigned long)p[1] << 8 | (unsigned long)p[2] << 16 |
                            (unsigned long)p[3] << 24;
                } else {
                    for (size_t k = 0; k < fd->len && block < 100000000UL; k++)
                        if (p[k] >= '0' && p[k] <= '9')
                            block = block * 10 + (p[k] - '0');
                }
                int binary = 0;
                const char *why;
                if (block && chuanp_dbf_memo_read(t, block, &binary, &why) == 0 && !binary) {
                    size_t k = t->memo_buf.len < 4096 ? t->memo_buf.len : 4096;
                    chuanp_buf_append(s, t->memo_buf.data, k);
                    chuanp_buf_putc(s, '\n');
                }
            }
        }
    }
    return s->err ? -1 : 0;
}

static void note_err(chuanp_dbf *t, const char *code, const char *fmt, const char *a)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = t->name, .offset = -1};
    chuan_diags_addf(t->d, &g, fmt, a);
}

static int use_iconv(chuanp_dbf *t, const char *cp)
{
    t->text.cd = iconv_open("UTF-8", cp);
    if (t->text.cd == (iconv_t)-1)
        return -1;
    snprintf(t->text.label, sizeof t->text.label, "%s", cp);
    for (char *p = t->text.label; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p = (char)(*p - 'A' + 'a');
    return 0;
}

static int use_decoder(chuanp_dbf *t, chuanp_enc e)
{
    t->text.enc = e;
    t->text.dec = chuanp_decoder_new(e, t->name, NULL);
    snprintf(t->text.label, sizeof t->text.label, "%s", chuanp_enc_name(e));
    return t->text.dec ? 0 : -1;
}

int chuanp_dbf_text_setup(chuanp_dbf *t, const char *encoding)
{
    dbf_text *x = &t->text;
    x->cd = (iconv_t)-1;
    if (encoding && strcasecmp(encoding, "auto") != 0) {
        int e = chuanp_enc_parse(encoding);
        if (e >= CHUANP_ENC_UTF8) {
            if (use_decoder(t, (chuanp_enc)e) < 0)
                return -1;
        } else if (use_iconv(t, encoding) < 0) {
            note_err(t, "encoding.unknown", "unknown encoding '%s' (chuan's names, or a code "
                     "page glibc iconv knows such as cp1252)", encoding);
            return -1;
        }
        snprintf(x->why, sizeof x->why, "--encoding");
        return 0;
    }
    int western = 0;
    int cp = t->cp_byte ? code_page(t->cp_byte, &western) : -1;
    chuanp_buf s;
    chuanp_buf_init(&s, 0);
    if (sample(t, &s) < 0) {
        chuanp_buf_free(&s);
        return -1;
    }
    chuanp_detect_result r;
    int dr = chuanp_detect(s.data ? s.data : "", s.len, &r);
    chuanp_buf_free(&s);
    if (dr < 0)
        return -1;
    int rc = 0;
    if (r.ascii && cp >= 0 && !western) {
        rc = use_iconv(t, code_pages[cp].cp);
        snprintf(x->why, sizeof x->why, _("the code-page byte 0x%02X"), t->cp_byte);
    } else if (r.ascii || (r.utf8_valid && (cp < 0 || western))) {
        rc = use_decoder(t, CHUANP_ENC_UTF8); /* ASCII passes; later bytes must be UTF-8 */
        snprintf(x->why, sizeof x->why, "%s",
                 r.ascii ? _("the first records' text is ASCII") : _("the text is well-formed UTF-8"));
        x->quiet = r.ascii;
    } else if (cp >= 0 && !western) {
        rc = use_iconv(t, code_pages[cp].cp);
        snprintf(x->why, sizeof x->why, _("the code-page byte 0x%02X"), t->cp_byte);
    } else if (r.enc > CHUANP_ENC_UTF8) {
        rc = use_decoder(t, r.enc);
        if (cp >= 0)
            snprintf(x->why, sizeof x->why,
                     _("detected, confidence %.2f; the code-page byte 0x%02X says %s, the code page "
                       "the legacy font's bytes were typed through"),
                     r.confidence, t->cp_byte,
                     code_pages[cp].cp);
        else
            snprintf(x->why, sizeof x->why, _("detected, confidence %.2f"), r.confidence);
    } else if (cp >= 0) {
        rc = use_iconv(t, code_pages[cp].cp);
        snprintf(x->why, sizeof x->why,
                 _("the code-page byte 0x%02X; no Vietnamese encoding detected (best %s, %.2f)"),
                 t->cp_byte, chuanp_enc_name(r.best), r.best_conf);
    } else {
        chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.ambiguous",
                        .file = t->name, .offset = -1};
        chuan_diags_addf(t->d, &g,
                         "cannot tell what the character fields are written in (no code-page "
                         "byte; best guess %s %.2f, then %s %.2f): name it with --encoding",
                         chuanp_enc_name(r.best), r.best_conf, chuanp_enc_name(r.second),
                         r.second_conf);
        return 1;
    }
    return rc < 0 ? -1 : 0;
}

static int json_iconv(dbf_text *x, const unsigned char *s, size_t n, chuanp_buf *out, int *bad)
{
    chuanp_buf_reset(&x->tmp);
    iconv(x->cd, NULL, NULL, NULL, NULL);
    char *in = (char *)s;
    size_t left = n;
    while (left) {
        if (chuanp_buf_reserve(&x->tmp, left * 4 + 16) < 0)
            return -1;
        char *o = x->tmp.data + x->tmp.len;
        size_t room = x->tmp.cap - x->tmp.len - 1;
        size_t k = iconv(x->cd, &in, &left, &o, &room);
        x->tmp.len = (size_t)(o - x->tmp.data);
        if (k == (size_t)-1 && errno != E2BIG) {
            /* a byte the code page does not define, or a cut sequence */
            chuanp_buf_append(&x->tmp, "\xEF\xBF\xBD", 3);
            in++;
            left--;
            *bad = 1;
            iconv(x->cd, NULL, NULL, NULL, NULL);
        }
    }
    char *nfc = NULL;
    size_t nl = 0;
    if (chuanp_nfc(x->tmp.data ? x->tmp.data : "", x->tmp.len, &nfc, &nl) < 0)
        return -1;
    if (nfc) {
        chuanp_buf_json_string(out, nfc, nl);
        chuanp_free(nfc);
    } else {
        chuanp_buf_json_string(out, x->tmp.data ? x->tmp.data : "", x->tmp.len);
    }
    return out->err ? -1 : 0;
}

int chuanp_dbf_text_json(chuanp_dbf *t, const unsigned char *s, size_t n, chuanp_buf *out,
                         int *bad)
{
    dbf_text *x = &t->text;
    *bad = 0;
    /* printable ASCII is the same in every encoding; control bytes are not (VISCII and VPS
     * put capitals there) and go through the decoder */
    int plain = 1;
    for (size_t i = 0; i < n && plain; i++)
        plain = s[i] >= 0x20 && s[i] < 0x80;
    if (plain) {
        chuanp_buf_json_string(out, (const char *)s, n);
        return out->err ? -1 : 0;
    }
    x->cells++;
    if (x->cd != (iconv_t)-1)
        return json_iconv(x, s, n, out, bad);
    chuanp_buf_reset(&x->tmp);
    size_t before = chuanp_decoder_errors(x->dec);
    if (chuanp_decoder_run(x->dec, s, n, 1, &x->tmp) < 0)
        return -1;
    *bad = chuanp_decoder_errors(x->dec) != before;
    if (!x->case_rec && x->enc == CHUANP_ENC_TCVN3) {
        chuanp_case_note note;
        chuanp_decoder_case_note(x->dec, &note);
        if (note.words) {
            x->case_rec = x->rec;
            snprintf(x->case_field, sizeof x->case_field, "%s", x->field ? x->field : "");
        }
    }
    chuanp_buf_json_string(out, x->tmp.data ? x->tmp.data : "", x->tmp.len);
    return out->err ? -1 : 0;
}

void chuanp_dbf_text_finish(chuanp_dbf *t)
{
    dbf_text *x = &t->text;
    if (x->cells) {
        chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "encoding.decoded", .file = t->name,
                        .offset = -1};
        chuan_diags_addf(t->d, &g, "%zu cell%s decoded from %s (%s)", x->cells,
                         x->cells == 1 ? "" : "s", x->label, x->why);
    }
    if (x->dec) {
        chuanp_case_note note;
        chuanp_decoder_case_note(x->dec, &note);
        chuanp_case_note_report_record(&note, t->name, x->case_rec, x->case_field, t->d);
    }
}

void chuanp_dbf_text_free(dbf_text *x)
{
    chuanp_decoder_free(x->dec);
    x->dec = NULL;
    if (x->cd != (iconv_t)-1)
        iconv_close(x->cd);
    x->cd = (iconv_t)-1;
    chuanp_buf_free(&x->tmp);
}
