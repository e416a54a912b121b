/*
 * converters/sheet_font.c - the encoding of a spreadsheet cell from its font.
 *
 * Legacy Vietnamese text in Excel was typed in fonts whose glyphs sit on
 * Windows-1252 code points: a ".VnTime" cell holds the TCVN3 bytes as the
 * Windows-1252 characters of those bytes (0xB8 -> U+00B8, 0x80 -> U+20AC; the
 * five bytes Windows-1252 leaves unassigned as U+0081, U+008D, U+008F, U+0090,
 * U+009D). Such text goes back to bytes through Windows-1252, then through
 * the font's table (core/textenc: the TCVN3 capital-letter inference
 * included). Text with a character outside Windows-1252 was typed in Unicode
 * and is kept as it is.
 *
 * Font names: built-in patterns (below), after those of --font-map FILE.
 */
#define _GNU_SOURCE
#include "sheet.h"
#include "convert.h"

#include <fnmatch.h>
#include <string.h>
#include <strings.h>

typedef struct font_rule {
    char *pattern;
    chuanp_enc enc; /* UTF8: Unicode */
    int upper;
} font_rule;

struct chuanp_sheet_fonts {
    font_rule *rules;
    size_t nrules;
    chuanp_decoder *dec[CHUANP_ENC_COUNT];
    size_t cells[CHUANP_ENC_COUNT]; /* cells decoded per encoding; [UTF8]: Unicode cells */
    size_t errors;                  /* undefined bytes so far */
    chuanp_enc cell_enc;            /* the cell being read: NONE until a run decides */
    size_t cell_errors;
    chuanp_buf bytes, tmp;
};

/* Built-in: TCVN3 (ABC) fonts start with ".Vn", their capitals fonts end with
 * "H" (.VnTimeH shows every letter as a capital); VNI fonts "VNI-", VPS
 * fonts "VPS". Everything else is Unicode. */
static const struct {
    const char *pattern;
    chuanp_enc enc;
    int upper;
} builtin[] = {
    {".Vn*H", CHUANP_ENC_TCVN3, 1},
    {".Vn*", CHUANP_ENC_TCVN3, 0},
    {"VNI-*", CHUANP_ENC_VNI, 0},
    {"VNI *", CHUANP_ENC_VNI, 0},
    {"VPS*", CHUANP_ENC_VPS, 0},
};

/* The encoding a font name says (CHUANP_ENC_UTF8: Unicode, kept as is);
 * *upper = 1 for the TCVN3 capitals fonts (.VnTimeH...). */
static chuanp_enc font_enc(const chuanp_sheet_fonts *f, const char *font, int *upper)
{
    *upper = 0;
    if (!font || !*font)
        return CHUANP_ENC_UTF8;
    for (size_t i = 0; f && i < f->nrules; i++)
        if (fnmatch(f->rules[i].pattern, font, FNM_CASEFOLD) == 0) {
            *upper = f->rules[i].upper;
            return f->rules[i].enc;
        }
    for (size_t i = 0; i < sizeof builtin / sizeof *builtin; i++)
        if (fnmatch(builtin[i].pattern, font, FNM_CASEFOLD) == 0) {
            *upper = builtin[i].upper;
            return builtin[i].enc;
        }
    return CHUANP_ENC_UTF8;
}

static char *trim(char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    size_t n = strlen(s);
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\n'))
        s[--n] = '\0';
    return s;
}

/* --font-map FILE: one rule a line, "PATTERN = ENCODING" (PATTERN a shell
 * pattern, case ignored; ENCODING tcvn3, tcvn3-upper, vni, vps, viscii,
 * cp1258 or unicode); '#' starts a comment. */
static int load_map(chuanp_sheet_fonts *f, const char *path, chuan_diags *d)
{
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_input in = {.name = path, .path = path};
    if (chuanp_read_all(&in, 1 << 20, &data, &len, &errmsg) < 0) {
        chuanp_convert_error(d, "sheet.font-map", path, 0, 0, NULL, "%s",
                             errmsg ? errmsg : "cannot read the font map");
        chuanp_free(errmsg);
        return 1;
    }
    int rc = 0;
    long lineno = 0;
    for (char *line = data; line && *line && rc == 0;) {
        char *nl = strchr(line, '\n');
        if (nl)
            *nl = '\0';
        lineno++;
        char *hash = strchr(line, '#');
        if (hash)
            *hash = '\0';
        char *s = trim(line);
        if (*s) {
            char *eq = strrchr(s, '=');
            if (!eq) {
                chuanp_convert_error(d, "sheet.font-map", path, lineno, 1, NULL,
                                     "expected 'FONT-PATTERN = ENCODING'");
                rc = 1;
                break;
            }
            *eq = '\0';
            char *pat = trim(s), *enc = trim(eq + 1);
            int upper = 0, e;
            if (strcasecmp(enc, "unicode") == 0 || strcasecmp(enc, "utf-8") == 0)
                e = CHUANP_ENC_UTF8;
            else if (strcasecmp(enc, "tcvn3-upper") == 0)
                e = CHUANP_ENC_TCVN3, upper = 1;
            else
                e = chuanp_enc_parse(enc);
            if (e <= CHUANP_ENC_ASCII || !*pat) {
                chuanp_convert_error(d, "sheet.font-map", path, lineno, 1, NULL,
                                     "unknown encoding '%s' (tcvn3, tcvn3-upper, vni, vps, viscii, "
                                     "cp1258, unicode) or empty pattern", enc);
                rc = 1;
                break;
            }
            font_rule *nr = chuanp_realloc(f->rules, (f->nrules + 1) * sizeof *nr);
            if (!nr) {
                rc = -1;
                break;
            }
            f->rules = nr;
            nr[f->nrules].pattern = chuanp_strdup(pat);
            nr[f->nrules].enc = (chuanp_enc)e;
            nr[f->nrules].upper = upper;
            if (!nr[f->nrules].pattern) {
                rc = -1;
                break;
            }
            f->nrules++;
        }
        line = nl ? nl + 1 : NULL;
    }
    chuanp_free(data);
    return rc;
}

int chuanp_sheet_fonts_new(chuanp_sheet_fonts **out, const char *map_file, const char *file,
                           chuan_diags *d)
{
    (void)file;
    *out = NULL;
    chuanp_sheet_fonts *f = chuanp_calloc(1, sizeof *f);
    if (!f)
        return -1;
    chuanp_buf_init(&f->bytes, 0);
    chuanp_buf_init(&f->tmp, 0);
    if (map_file) {
        int rc = load_map(f, map_file, d);
        if (rc != 0) {
            chuanp_sheet_fonts_free(f);
            return rc;
        }
    }
    *out = f;
    return 0;
}

void chuanp_sheet_fonts_free(chuanp_sheet_fonts *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nrules; i++)
        chuanp_free(f->rules[i].pattern);
    chuanp_free(f->rules);
    for (int i = 0; i < CHUANP_ENC_COUNT; i++)
        chuanp_decoder_free(f->dec[i]);
    chuanp_buf_free(&f->bytes);
    chuanp_buf_free(&f->tmp);
    chuanp_free(f);
}

void chuanp_sheet_cell_begin(chuanp_sheet_fonts *f)
{
    f->cell_enc = CHUANP_ENC_NONE;
    f->cell_errors = 0;
}

size_t chuanp_sheet_cell_end(chuanp_sheet_fonts *f)
{
    if (f->cell_enc != CHUANP_ENC_NONE)
        f->cells[f->cell_enc]++;
    f->cell_enc = CHUANP_ENC_NONE;
    return f->cell_errors;
}

int chuanp_sheet_decode(chuanp_sheet_fonts *f, const char *font, const char *s, size_t len,
                        chuanp_buf *out)
{
    int upper = 0;
    chuanp_enc enc = font_enc(f, font, &upper);
    int ascii = 1;
    for (size_t i = 0; i < len && ascii; i++)
        ascii = (unsigned char)s[i] < 0x80;
    if (enc == CHUANP_ENC_UTF8 || (ascii && !upper)) {
        if (f->cell_enc == CHUANP_ENC_NONE && !ascii)
            f->cell_enc = CHUANP_ENC_UTF8;
        chuanp_buf_append(out, s, len);
        return out->err ? -1 : 0;
    }
    /* back to the bytes typed */
    chuanp_buf_reset(&f->bytes);
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, len - i, &cp);
        int b = k > 0 ? chuanp_cp1252_byte(cp) : -1;
        if (b < 0) { /* typed in Unicode: kept */
            if (f->cell_enc == CHUANP_ENC_NONE)
                f->cell_enc = CHUANP_ENC_UTF8;
            chuanp_buf_append(out, s, len);
            return out->err ? -1 : 0;
        }
        chuanp_buf_putc(&f->bytes, (char)b);
        i += (size_t)k;
    }
    if (f->bytes.err)
        return -1;
    if (!f->dec[enc] && !(f->dec[enc] = chuanp_decoder_new(enc, NULL, NULL)))
        return -1;
    size_t before = chuanp_decoder_errors(f->dec[enc]);
    chuanp_buf_reset(&f->tmp);
    if (chuanp_decoder_run(f->dec[enc], f->bytes.data, f->bytes.len, 1, &f->tmp) < 0)
        return -1;
    f->cell_errors += chuanp_decoder_errors(f->dec[enc]) - before;
    f->errors += chuanp_decoder_errors(f->dec[enc]) - before;
    if (f->cell_enc == CHUANP_ENC_NONE || f->cell_enc == CHUANP_ENC_UTF8)
        f->cell_enc = enc;
    if (!upper) {
        chuanp_buf_append(out, f->tmp.data, f->tmp.len);
        return out->err ? -1 : 0;
    }
    /* a capitals font shows every letter as a capital */
    const unsigned char *t = (const unsigned char *)f->tmp.data;
    for (size_t i = 0; i < f->tmp.len;) {
        uint32_t cp;
        int k = chuanp_utf8_decode(t + i, f->tmp.len - i, &cp);
        if (k <= 0) {
            chuanp_buf_putc(out, (char)t[i]);
            i++;
            continue;
        }
        chuanp_buf_put_utf8(out, chuanp_vn_upper(cp));
        i += (size_t)k;
    }
    return out->err ? -1 : 0;
}

int chuanp_sheet_fonts_summary(chuanp_sheet_fonts *f, chuanp_buf *b, const char *file,
                               chuan_diags *d)
{
    int legacy = 0;
    for (int e = CHUANP_ENC_TCVN3; e < CHUANP_ENC_COUNT; e++)
        if (f->cells[e]) {
            chuanp_buf_printf(b, "%s%s %zu", legacy ? ", " : "", chuanp_enc_name((chuanp_enc)e),
                              f->cells[e]);
            legacy = 1;
        }
    if (legacy)
        chuanp_buf_printf(b, ", unicode %zu", f->cells[CHUANP_ENC_UTF8]);
    if (f->dec[CHUANP_ENC_TCVN3]) {
        chuanp_case_note n;
        chuanp_decoder_case_note(f->dec[CHUANP_ENC_TCVN3], &n);
        if (n.words) {
            chuan_diag g = {.severity = CHUAN_SEV_WARNING, .code = "encoding.tcvn3-case",
                            .file = file, .offset = -1};
            if (n.words == 1)
                chuan_diags_addf(d, &g, "1 word in TCVN3 cells holds toned letters whose case TCVN3 "
                                 "does not encode; its case was inferred (\"%s\"); check it or "
                                 "re-export as Unicode", n.word);
            else
                chuan_diags_addf(d, &g, "%zu words in TCVN3 cells hold toned letters whose case "
                                 "TCVN3 does not encode; their case was inferred (first: \"%s\"); "
                                 "check them or re-export as Unicode", n.words, n.word);
        }
    }
    return legacy;
}
