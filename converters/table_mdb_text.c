/*
 * converters/table_mdb_text.c - legacy Vietnamese text in the records of an
 * Access table, as mdb-json gives them (converters/table.h, chuanp_mdb_text).
 *
 * mdb-json writes UTF-8: a Jet4/ACE database (Access 2000 and later) stores
 * text in Unicode, a Jet3 one (Access 97) in its code page, which mdbtools
 * reads as Windows-1252 (MDB_JET3_CHARSET, set by table_mdb.c). Registers
 * typed with a TCVN3 (.VnTime) or VNI font hold the bytes of that encoding as
 * the Windows-1252 characters of those bytes in both cases, as spreadsheet
 * cells do (sheet_font.c). So a string goes back to bytes through
 * Windows-1252 (core/textenc: chuanp_cp1252_byte) and through the legacy
 * table; a string with a character outside Windows-1252 was typed in Unicode
 * and is kept as it is, and so is ASCII.
 *
 * Which table: --encoding names it (every column), else the syllable
 * detector decides per column on the text of the first records (64 KiB),
 * falling back on the whole sample when a column alone does not say; no
 * Vietnamese encoding detected: the text is kept as mdb-json gave it. The
 * closing notes say how many cells were decoded from what; the TCVN3
 * capital-letter warning names the record and field of the first inferred
 * word. Only lines with a decoded column are parsed and written again
 * (numbers keep their text); the others pass unchanged.
 */
#include "table.h"
#include "json.h"
#include "../core/textenc.h"

#include <string.h>
#include <strings.h>

enum { SAMPLE = 64 * 1024, COL_SAMPLE = 16 * 1024, MAX_COLS = 4096 };

typedef struct mcol {
    char *name;
    chuanp_buf sample;  /* the bytes of its legacy-candidate cells, one a line */
    chuanp_enc enc;     /* UTF8: as it is */
    double conf;
    int from_table;     /* decided by the whole sample */
    chuanp_enc best, second; /* undecided: the detector's two best guesses */
    double best_conf, second_conf;
} mcol;

struct chuanp_mdb_text {
    const char *name;
    chuan_diags *d;
    chuanp_enc named;   /* --encoding: a legacy encoding, UTF8 (as it is), NONE (detect) */
    int decided, any;   /* any: a column is decoded */
    mcol *cols;
    size_t ncols;
    size_t sampled;
    chuanp_buf all;     /* the whole sample */
    chuanp_decoder *dec[CHUANP_ENC_COUNT];
    size_t cells[CHUANP_ENC_COUNT];
    chuanp_buf bytes, tmp;
    chuanp_arena arena;
    long case_rec;
    char case_field[128];
};

int chuanp_mdb_text_new(chuanp_mdb_text **out, const char *encoding, const char *name,
                        chuan_diags *d)
{
    *out = NULL;
    chuanp_mdb_text *t = chuanp_calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->name = name;
    t->d = d;
    chuanp_buf_init(&t->all, 0);
    chuanp_buf_init(&t->bytes, 0);
    chuanp_buf_init(&t->tmp, 0);
    chuanp_arena_init(&t->arena, 16 * 1024);
    if (encoding && strcasecmp(encoding, "auto") != 0) {
        int e = chuanp_enc_parse(encoding);
        t->named = e >= CHUANP_ENC_UTF8 ? (chuanp_enc)e : CHUANP_ENC_UTF8;
    }
    *out = t;
    return 0;
}

void chuanp_mdb_text_free(chuanp_mdb_text *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->ncols; i++) {
        chuanp_free(t->cols[i].name);
        chuanp_buf_free(&t->cols[i].sample);
    }
    chuanp_free(t->cols);
    for (int e = 0; e < CHUANP_ENC_COUNT; e++)
        chuanp_decoder_free(t->dec[e]);
    chuanp_buf_free(&t->all);
    chuanp_buf_free(&t->bytes);
    chuanp_buf_free(&t->tmp);
    chuanp_arena_free(&t->arena);
    chuanp_free(t);
}

/* The column of a key (added when new); NULL past MAX_COLS or out of memory. */
static mcol *column(chuanp_mdb_text *t, const char *key)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, key) == 0)
            return &t->cols[i];
    if (t->ncols >= MAX_COLS)
        return NULL;
    mcol *n = chuanp_realloc(t->cols, (t->ncols + 1) * sizeof *n);
    if (!n)
        return NULL;
    t->cols = n;
    mcol *c = &t->cols[t->ncols];
    memset(c, 0, sizeof *c);
    if (!(c->name = chuanp_strdup(key)))
        return NULL;
    chuanp_buf_init(&c->sample, 0);
    c->enc = CHUANP_ENC_UTF8;
    t->ncols++;
    return c;
}

/* s[0..len) back to the bytes typed through Windows-1252 into t->bytes: 1, or 0 when it is
 * ASCII or holds a character outside Windows-1252 (typed in Unicode: kept). */
static int typed_bytes(chuanp_mdb_text *t, const char *s, size_t len)
{
    chuanp_buf_reset(&t->bytes);
    int high = 0;
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, len - i, &cp);
        int b = k > 0 ? chuanp_cp1252_byte(cp) : -1;
        if (b < 0)
            return 0;
        high |= b >= 0x80;
        chuanp_buf_putc(&t->bytes, (char)b);
        i += (size_t)k;
    }
    return high && !t->bytes.err;
}

/* One parsed record; NULL when the line is not a JSON object (left to the NDJSON reader). */
static const chuanp_jv *parse(chuanp_mdb_text *t, const char *line, size_t len)
{
    chuanp_arena_reset(&t->arena);
    chuanp_jv *v = NULL;
    if (chuanp_json_parse(&v, line, len, NULL, &t->arena, NULL) != 0 || !v ||
        v->type != CHUANP_JOBJECT)
        return NULL;
    return v;
}

int chuanp_mdb_text_sample(chuanp_mdb_text *t, const char *line, size_t len)
{
    if (t->named != CHUANP_ENC_NONE || t->sampled >= SAMPLE)
        return 0;
    t->sampled += len;
    const chuanp_jv *v = parse(t, line, len);
    for (size_t i = 0; v && i < v->u.obj.count; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        if (m->value->type != CHUANP_JSTRING ||
            !typed_bytes(t, m->value->u.str.text, m->value->u.str.len))
            continue;
        mcol *c = column(t, m->key);
        if (!c)
            return t->ncols >= MAX_COLS ? 0 : -1;
        if (c->sample.len < COL_SAMPLE) {
            chuanp_buf_append(&c->sample, t->bytes.data, t->bytes.len);
            chuanp_buf_putc(&c->sample, '\n');
        }
        chuanp_buf_append(&t->all, t->bytes.data, t->bytes.len);
        chuanp_buf_putc(&t->all, '\n');
        if (c->sample.err || t->all.err)
            return -1;
    }
    return 0;
}

int chuanp_mdb_text_decide(chuanp_mdb_text *t)
{
    if (t->decided)
        return 0;
    t->decided = 1;
    if (t->named != CHUANP_ENC_NONE) {
        t->any = t->named > CHUANP_ENC_UTF8;
        return 0;
    }
    if (!t->all.len)
        return 0;
    chuanp_detect_result whole;
    if (chuanp_detect(t->all.data, t->all.len, &whole) < 0)
        return -1;
    for (size_t i = 0; i < t->ncols; i++) {
        mcol *c = &t->cols[i];
        if (!c->sample.len)
            continue;
        chuanp_detect_result r;
        if (chuanp_detect(c->sample.data, c->sample.len, &r) < 0)
            return -1;
        if (r.enc > CHUANP_ENC_UTF8) {
            c->enc = r.enc;
            c->conf = r.confidence;
        } else if (r.enc == CHUANP_ENC_NONE && whole.enc > CHUANP_ENC_UTF8 &&
                   r.best == whole.enc && r.best_conf >= 0.5 && r.best_conf > r.second_conf) {
            /* too little text alone, but leaning the table's way: the table's verdict */
            c->enc = whole.enc;
            c->conf = whole.confidence;
            c->from_table = 1;
        } else if (r.enc == CHUANP_ENC_NONE && r.best > CHUANP_ENC_UTF8 && r.best_conf >= 0.4) {
            c->best = r.best, c->best_conf = r.best_conf; /* said in a note */
            c->second = r.second, c->second_conf = r.second_conf;
        }
        t->any |= c->enc > CHUANP_ENC_UTF8;
        chuanp_buf_free(&c->sample);
    }
    chuanp_buf_free(&t->all);
    return 0;
}

/* The encoding of a column's legacy-candidate cells. */
static chuanp_enc column_enc(chuanp_mdb_text *t, const char *key)
{
    if (t->named != CHUANP_ENC_NONE)
        return t->named;
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->cols[i].name, key) == 0)
            return t->cols[i].enc;
    return CHUANP_ENC_UTF8;
}

static void cell_error(chuanp_mdb_text *t, long rec, const char *field, chuanp_enc e)
{
    chuanp_buf path;
    chuanp_buf_init(&path, 0);
    chuanp_buf_putc(&path, '/');
    for (const char *q = field; *q; q++)
        if (*q == '~')
            chuanp_buf_puts(&path, "~0");
        else if (*q == '/')
            chuanp_buf_puts(&path, "~1");
        else
            chuanp_buf_putc(&path, *q);
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = "encoding.invalid", .file = t->name,
                    .line = rec, .offset = -1, .path = path.err ? NULL : path.data};
    chuan_diags_addf(t->d, &g, "bytes that %s does not define, written as U+FFFD",
                     chuanp_enc_name(e));
    chuanp_buf_free(&path);
}

/* Decode a string of a legacy column into t->tmp: 1 decoded, 0 kept as it is, -1. */
static int decode_cell(chuanp_mdb_text *t, chuanp_enc e, const chuanp_jv *s, long rec,
                       const char *field)
{
    if (!typed_bytes(t, s->u.str.text, s->u.str.len))
        return 0;
    if (!t->dec[e] && !(t->dec[e] = chuanp_decoder_new(e, NULL, NULL)))
        return -1;
    size_t before = chuanp_decoder_errors(t->dec[e]);
    chuanp_case_note note0 = {0};
    if (e == CHUANP_ENC_TCVN3 && !t->case_rec)
        chuanp_decoder_case_note(t->dec[e], &note0);
    chuanp_buf_reset(&t->tmp);
    if (chuanp_decoder_run(t->dec[e], t->bytes.data, t->bytes.len, 1, &t->tmp) < 0)
        return -1;
    t->cells[e]++;
    if (chuanp_decoder_errors(t->dec[e]) != before)
        cell_error(t, rec, field, e);
    if (e == CHUANP_ENC_TCVN3 && !t->case_rec) {
        chuanp_case_note note;
        chuanp_decoder_case_note(t->dec[e], &note);
        if (note.words > note0.words) {
            t->case_rec = rec;
            snprintf(t->case_field, sizeof t->case_field, "%s", field);
        }
    }
    return t->tmp.err ? -1 : 1;
}

int chuanp_mdb_text_line(chuanp_mdb_text *t, const char *line, size_t len, long rec,
                         chuanp_buf *out)
{
    if (!t->decided && chuanp_mdb_text_decide(t) < 0)
        return -1;
    const chuanp_jv *v = t->any ? parse(t, line, len) : NULL;
    if (!v) { /* nothing to decode (or not an object: the NDJSON reader says so) */
        chuanp_buf_append(out, line, len);
        return out->err ? -1 : 0;
    }
    size_t start = out->len, decoded = 0;
    chuanp_buf_putc(out, '{');
    for (size_t i = 0; i < v->u.obj.count; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        if (i)
            chuanp_buf_putc(out, ',');
        chuanp_json_write_string(out, m->key, m->key_len, 0);
        chuanp_buf_putc(out, ':');
        chuanp_enc e = m->value->type == CHUANP_JSTRING ? column_enc(t, m->key) : CHUANP_ENC_UTF8;
        int dc = e > CHUANP_ENC_UTF8 ? decode_cell(t, e, m->value, rec, m->key) : 0;
        if (dc < 0)
            return -1;
        decoded += dc > 0;
        if (dc > 0)
            chuanp_json_write_string(out, t->tmp.data ? t->tmp.data : "", t->tmp.len, 0);
        else
            chuanp_json_write(out, m->value, NULL);
    }
    chuanp_buf_putc(out, '}');
    if (!decoded && !out->err) { /* nothing decoded: the line as mdb-json wrote it */
        out->len = start;
        chuanp_buf_append(out, line, len);
    }
    return out->err ? -1 : 0;
}

void chuanp_mdb_text_finish(chuanp_mdb_text *t)
{
    /* columns whose text looks legacy, but not surely: kept, and said */
    for (size_t i = 0; i < t->ncols; i++) {
        const mcol *c = &t->cols[i];
        if (c->enc != CHUANP_ENC_UTF8 || c->best <= CHUANP_ENC_UTF8)
            continue;
        chuan_diag g = {.severity = CHUAN_SEV_WARNING, .code = "encoding.undecided",
                        .file = t->name, .offset = -1};
        chuan_diags_addf(t->d, &g,
                         "column %s kept as mdb-json gives it: its text may be typed with a "
                         "legacy font (best guess %s %.2f, then %s %.2f, too little text to be "
                         "sure); name the encoding with --encoding if so",
                         c->name, chuanp_enc_name(c->best), c->best_conf,
                         chuanp_enc_name(c->second), c->second_conf);
    }
    for (int e = CHUANP_ENC_TCVN3; e < CHUANP_ENC_COUNT; e++) {
        if (!t->cells[e])
            continue;
        chuanp_buf why;
        chuanp_buf_init(&why, 0);
        if (t->named != CHUANP_ENC_NONE) {
            chuanp_buf_puts(&why, "--encoding");
        } else {
            /* the columns, and how sure the detector was */
            double conf = 1.0;
            int n = 0, table = 0;
            chuanp_buf cols;
            chuanp_buf_init(&cols, 0);
            for (size_t i = 0; i < t->ncols; i++)
                if (t->cols[i].enc == (chuanp_enc)e) {
                    chuanp_buf_printf(&cols, "%s%s", n++ ? ", " : "", t->cols[i].name);
                    conf = t->cols[i].conf < conf ? t->cols[i].conf : conf;
                    table |= t->cols[i].from_table;
                }
            chuanp_buf_printf(&why, table ? _("detected on the table's text, confidence %.2f; "
                                              "columns %s")
                                          : _("detected per column, confidence %.2f or more; "
                                              "columns %s"),
                              conf, cols.data ? cols.data : "");
            chuanp_buf_free(&cols);
        }
        chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "encoding.decoded", .file = t->name,
                        .offset = -1};
        chuan_diags_addf(t->d, &g, "%zu cell%s decoded from %s (%s)", t->cells[e],
                         t->cells[e] == 1 ? "" : "s", chuanp_enc_name((chuanp_enc)e),
                         why.data ? why.data : "");
        chuanp_buf_free(&why);
    }
    if (t->dec[CHUANP_ENC_TCVN3]) {
        chuanp_case_note note;
        chuanp_decoder_case_note(t->dec[CHUANP_ENC_TCVN3], &note);
        chuanp_case_note_report_record(&note, t->name, t->case_rec, t->case_field, t->d);
    }
}
