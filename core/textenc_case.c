/* core/textenc_case.c - TCVN3 capitals that share the small letter's byte.
 *
 * TCVN3 has codes of their own only for the capitals A-Z, Ă Â Ê Ô Ơ Ư Đ
 * (and a few VN1 capitals); every other toned capital (Á À Ả Ã Ạ Ấ ... Ỵ) has
 * the byte of its small letter: the .VnTimeH font showed it as a capital. The
 * legacy decoder writes the small letter; this file decides, word by word,
 * which of those letters are capitals, and counts the words whose case the
 * bytes did not force. A word's own letters decide when they can:
 *
 *   shared letter first, then capitals       "ÁNH" forced CAPS
 *   small letter first ("hå" = "hồ")          forced small
 *   capital, then a small letter ("Hoµ")      forced Title (the shared ones small)
 *   capital, then only shared letters ("Hå")  inferred: Hồ or HỒ    (kind B)
 *   shared first, then small letters ("¸nh")  inferred: Ánh or ánh  (kind A)
 *   only shared letters ("ë" = "ở")           inferred: ở, Ở       (no case)
 *
 * Inferred words look at the phrase (words joined by spaces, '.' or '-'):
 *   kind B: CAPS when the next word is in capitals, Title when the next word
 *     shows a small letter ("TP. Hå Chý Minh" -> "Hồ"); with no next word,
 *     CAPS after a word in capitals ("TP. Hå" -> "HỒ"), else Title;
 *   no case: CAPS after or before a word in capitals ("HµNG ë Hµ NéI");
 *   kind A (and no case otherwise): Title in a person's name: one or two
 *     words after a common Vietnamese surname, every word capitalised and
 *     separated by single spaces ("Nguyễn Văn ¸nh" -> "Ánh", "Ông Phạm ¦ng"
 *     -> "Ứng"; a name has two to four syllables, so the third word after the
 *     surname is taken only when it ends the phrase: "Đinh Thị Ngọc ¸nh," ->
 *     "Ánh", "Nguyễn Văn An ñy quyền" -> "ủy"); Title at the start of a line, of a field (after a tab, or right
 *     after ',' ';' ':' '|' '>' '[' with no space, an opening quote allowed)
 *     or of a sentence ('.', '!' or '?' and a space: "...chính. ñy ban" ->
 *     "Ủy ban"); otherwise small ("Lý do: ñy quyền" -> "ủy").
 * Upper and lower case have UTF-8 forms of equal length, so letters are
 * patched in place. A word waiting for the next one keeps the output from
 * its first byte on back until the next chuanp_decoder_run (s->held). A line
 * end resets everything, so a decoder started at a line start (a batch
 * chunk) decides exactly as one that ran from the start of the input. */
#include "textenc_decoder.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

enum { K_FORCED, K_A, K_B, K_NOCASE };                 /* word kinds */
enum { C_OTHER, C_SMALL, C_TITLE, C_CAPS };            /* a word's case */
enum { N_NONE, N_UNKNOWN, N_SMALL, N_TITLE, N_CAPS, N_NOTCAPS }; /* the next word */
enum { SEP_RUN_MAX = 64 }; /* a longer run of spaces and dots ends the phrase */

/* Common Vietnamese surnames (the first 14 alone cover about 90 % of people) that do not
 * also start common place names (Hà Nội, Cao Bằng, Lâm Đồng, Thái Bình...). */
#define S(x) {x, sizeof x - 1}
static const struct {
    const char *s;
    size_t n;
} surnames[] = {
    S("Nguyễn"), S("Trần"), S("Lê"), S("Phạm"), S("Hoàng"), S("Huỳnh"), S("Phan"), S("Vũ"),
    S("Võ"), S("Đặng"), S("Bùi"), S("Đỗ"), S("Hồ"), S("Ngô"), S("Dương"), S("Lý"), S("Đinh"),
    S("Đoàn"), S("Lưu"), S("Trịnh"), S("Trương"), S("Lương"), S("Đào"), S("Đàm"), S("Quách"),
    S("Tạ"), S("Lại"), S("Mạc"), S("Vương"), S("Phùng"), S("Triệu"), S("Tôn"), S("Khúc"),
    S("Hứa"), S("Nghiêm"), S("Doãn"), S("Kiều"), S("Lục"), S("Thân"), S("Tăng"), S("Diệp"),
    S("Châu"),
};
#undef S

enum { NSURNAMES = sizeof surnames / sizeof *surnames, SURNAME_MAX = 12 };
/* by_len[n]: the surnames of n bytes, as indices + 1 (0 ends the list) */
static unsigned char by_len[SURNAME_MAX + 1][NSURNAMES + 1];
static pthread_once_t by_len_once = PTHREAD_ONCE_INIT;

static void by_len_build(void)
{
    size_t fill[SURNAME_MAX + 1] = {0};
    for (size_t i = 0; i < NSURNAMES; i++)
        if (surnames[i].n <= SURNAME_MAX)
            by_len[surnames[i].n][fill[surnames[i].n]++] = (unsigned char)(i + 1);
}

static int is_surname(const char *s, size_t n)
{
    if (n > SURNAME_MAX)
        return 0;
    pthread_once(&by_len_once, by_len_build);
    for (const unsigned char *k = by_len[n]; *k; k++) {
        const char *c = surnames[*k - 1].s;
        if (c[0] == s[0] && c[n - 1] == s[n - 1] && memcmp(c, s, n) == 0)
            return 1;
    }
    return 0;
}

static void word_reset(chuanp_case_word *w)
{
    w->nshared = 0;
    w->letters = w->first = w->lower_rest = w->upper_rest = 0;
    w->kind = w->first_inferred = 0;
}

static void sep_reset(chuanp_case_state *s)
{
    s->sep_len = 0;
    s->sep_caps_join = s->sep_name_join = 1;
    s->unit = 0;
    s->sep_last = s->sep_last2 = 0;
}

void chuanp_case_init(chuanp_case_state *s)
{
    memset(s, 0, sizeof *s);
    word_reset(&s->w[0]);
    word_reset(&s->w[1]);
    sep_reset(s);
    s->unit = 1; /* the start of the input starts a line */
    s->first_offset = -1;
    chuanp_buf_init(&s->held, 0);
}

void chuanp_case_free(chuanp_case_state *s)
{
    if (s)
        chuanp_buf_free(&s->held);
}

/* ------------------------------------------------------------ deciding */

static int classify(const chuanp_case_word *w, int *kase)
{
    *kase = C_OTHER;
    switch (w->first) {
    case CHUANP_CLS_UPPER:
        if (w->lower_rest)
            *kase = w->upper_rest ? C_OTHER : C_TITLE;
        else if (w->upper_rest)
            *kase = C_CAPS;
        else if (w->nshared)
            return K_B;
        return K_FORCED;
    case CHUANP_CLS_SHARED:
        if (w->upper_rest && !w->lower_rest) {
            *kase = C_CAPS;
            return K_FORCED;
        }
        return w->lower_rest ? K_A : K_NOCASE;
    case CHUANP_CLS_LOWER:
        *kase = C_SMALL;
        return K_FORCED;
    default: /* a letter without case first */
        if (!w->nshared || w->lower_rest || w->upper_rest) {
            *kase = w->lower_rest ? C_SMALL : w->upper_rest ? C_CAPS : C_OTHER;
            return K_FORCED;
        }
        return K_NOCASE;
    }
}

/* What a word shows to the word before it. */
static int shows(const chuanp_case_word *w)
{
    switch (w->first) {
    case CHUANP_CLS_UPPER:
        return w->lower_rest ? N_TITLE : w->upper_rest ? N_CAPS : N_UNKNOWN;
    case CHUANP_CLS_LOWER:
        return N_SMALL;
    case CHUANP_CLS_SHARED:
        return w->upper_rest && !w->lower_rest ? N_CAPS : w->lower_rest ? N_NOTCAPS : N_UNKNOWN;
    default:
        return w->upper_rest && !w->lower_rest ? N_CAPS : w->lower_rest ? N_SMALL : N_UNKNOWN;
    }
}

static int needs_next(const chuanp_case_word *w)
{
    return w->kind == K_B || w->kind == K_NOCASE || (w->kind == K_A && w->ctx_name == 3);
}

static int decide(const chuanp_case_word *w, int next)
{
    switch (w->kind) {
    case K_B:
        if (next == N_CAPS)
            return C_CAPS;
        if (next == N_TITLE || next == N_SMALL || next == N_NOTCAPS)
            return C_TITLE;
        return w->ctx_caps ? C_CAPS : C_TITLE;
    case K_NOCASE:
        if (w->ctx_caps || next == N_CAPS)
            return C_CAPS;
        /* fall through */
    case K_A:
        if (w->ctx_name == 1 || w->ctx_name == 2 || (w->ctx_name == 3 && next == N_NONE))
            return C_TITLE;
        return w->ctx_unit ? C_TITLE : C_SMALL;
    default:
        return C_OTHER;
    }
}

static void upper_at(chuanp_buf *out, size_t at)
{
    unsigned char *p = (unsigned char *)out->data + at;
    uint32_t cp;
    int k = chuanp_utf8_decode(p, out->len - at, &cp);
    uint32_t up = chuanp_vn_upper(cp);
    if (k <= 0 || up == cp)
        return;
    char tmp[8];
    chuanp_buf b = {.data = tmp, .len = 0, .cap = sizeof tmp};
    chuanp_buf_put_utf8(&b, up);
    if ((int)b.len == k)
        memcpy(p, tmp, (size_t)k);
}

static void apply(chuanp_buf *out, const chuanp_case_word *w, int kase)
{
    for (size_t i = 0; i < w->nshared; i++)
        if (kase == C_CAPS || (kase == C_TITLE && w->shared[i] == w->start))
            upper_at(out, w->shared[i]);
}

/* A word's case is known: keep the first inferred word, move the context on. */
static void decided(chuanp_case_state *s, chuanp_buf *out, const chuanp_case_word *w, int kase)
{
    apply(out, w, kase);
    const char *text = out->data + w->start;
    size_t n = w->end - w->start;
    if (w->first_inferred) {
        size_t k = n < sizeof s->first_word - 1 ? n : sizeof s->first_word - 1;
        while (k > 0 && k < n && ((unsigned char)text[k] & 0xC0) == 0x80)
            k--; /* not inside a character */
        memcpy(s->first_word, text, k);
        s->first_word[k] = '\0';
    }
    s->prev_caps = kase == C_CAPS && (w->letters > 1 || s->prev_caps);
    if (kase == C_TITLE && w->letters > 1)
        s->name = s->name ? s->name + 1 : is_surname(text, n);
    else
        s->name = 0;
}

static void resolve(chuanp_case_state *s, chuanp_buf *out, int next)
{
    if (!s->has_pend)
        return;
    s->has_pend = 0;
    chuanp_case_word *p = &s->w[!s->cur];
    decided(s, out, p, decide(p, next));
}

static void note_inferred(chuanp_decoder *d, chuanp_case_word *w)
{
    chuanp_case_state *s = &d->tc;
    if (s->inferred++ > 0)
        return;
    w->first_inferred = 1;
    long line = d->line, col = d->col;
    size_t from = 0;
    for (size_t k = 0; k < s->piece_i; k++)
        if (s->piece[k] == '\n') {
            line++;
            col = 0;
            from = k + 1;
        }
    s->first_line = d->diags ? line : 0;
    s->first_col = d->diags ? col + (long)(s->piece_i - from) + 1 : 0;
    s->first_offset = s->piece_base + (long long)s->piece_i;
}

static void finish_word(chuanp_decoder *d, chuanp_buf *out)
{
    chuanp_case_state *s = &d->tc;
    chuanp_case_word *w = &s->w[s->cur];
    if (!w->letters)
        return;
    w->end = out->len;
    resolve(s, out, shows(w)); /* a pending word is always joined to this one */
    if (!s->sep_name_join)
        s->name = 0;
    if (!s->sep_caps_join)
        s->prev_caps = 0;
    int kase;
    w->kind = classify(w, &kase);
    w->ctx_caps = s->prev_caps;
    w->ctx_name = s->name;
    w->ctx_unit = s->unit;
    if (w->kind == K_FORCED) {
        decided(s, out, w, kase);
    } else {
        note_inferred(d, w);
        if (needs_next(w)) {
            s->has_pend = 1;
            s->cur = !s->cur; /* the next word goes into the other slot */
            w = &s->w[s->cur];
        } else {
            decided(s, out, w, decide(w, N_UNKNOWN));
        }
    }
    word_reset(w);
    sep_reset(s);
}

/* ------------------------------------------------------------ the API */

void chuanp_case_sep(chuanp_decoder *d, unsigned char b, chuanp_buf *out)
{
    chuanp_case_state *s = &d->tc;
    finish_word(d, out);
    unsigned char last = s->sep_last;
    s->sep_len++;
    if (b != ' ')
        s->sep_name_join = 0;
    if ((b != ' ' && b != '.' && b != '-') || s->sep_len > SEP_RUN_MAX) {
        s->sep_caps_join = 0;
        resolve(s, out, N_NONE);
        s->prev_caps = 0;
    }
    switch (b) {
    case '\n': case '\r':
        s->name = s->prev_caps = 0;
        s->unit = 1;
        break;
    case '\t': case '>': case ',': case ';': case ':': case '|': case '[':
        s->unit = 1; /* a field starts, unless a space follows */
        break;
    case ' ':
        if ((last == '.' && s->sep_last2 != '.') || last == '!' || last == '?')
            s->unit = 1; /* a sentence starts */
        else if (last == ',' || last == ';' || last == ':' || last == '|' || last == '>' ||
                 last == '[')
            s->unit = 0; /* prose punctuation */
        break;             /* else: spaces keep what was */
    case '"': case '\'': case '(': case 0x91: case 0x92: case 0x93: case 0x94:
        break; /* quotes keep what was */
    default:
        s->unit = 0;
        break;
    }
    s->sep_last2 = last;
    s->sep_last = b;
}

void chuanp_case_word_end(chuanp_decoder *d, chuanp_buf *out)
{
    finish_word(d, out);
}

void chuanp_case_run_begin(chuanp_decoder *d, chuanp_buf *out)
{
    chuanp_case_state *s = &d->tc;
    if (!s->held.len)
        return;
    size_t base = out->len;
    chuanp_buf_append(out, s->held.data, s->held.len);
    chuanp_buf_reset(&s->held);
    if (out->err)
        return;
    chuanp_case_word *p = &s->w[!s->cur];
    p->start += base;
    p->end += base;
    for (size_t i = 0; i < p->nshared; i++)
        p->shared[i] += base;
}

void chuanp_case_run_end(chuanp_decoder *d, chuanp_buf *out, int final)
{
    chuanp_case_state *s = &d->tc;
    if (out->err)
        return;
    if (final) {
        finish_word(d, out);
        resolve(s, out, N_NONE);
        return;
    }
    if (!s->has_pend)
        return;
    /* keep the pending word and what follows it until the next word comes */
    chuanp_case_word *p = &s->w[!s->cur];
    size_t base = p->start;
    chuanp_buf_append(&s->held, out->data + base, out->len - base);
    if (s->held.err) {
        out->err = 1;
        return;
    }
    out->len = base;
    out->data[base] = '\0';
    p->start -= base;
    p->end -= base;
    for (size_t i = 0; i < p->nshared; i++)
        p->shared[i] -= base;
}

/* ----------------------------------------------------------- the note */

void chuanp_decoder_case_note(const chuanp_decoder *d, chuanp_case_note *n)
{
    memset(n, 0, sizeof *n);
    n->offset = -1;
    if (d->enc != CHUANP_ENC_TCVN3 || !d->tc.inferred)
        return;
    n->words = d->tc.inferred;
    n->line = d->tc.first_line;
    n->column = d->tc.first_col;
    n->offset = d->tc.first_offset;
    memcpy(n->word, d->tc.first_word, sizeof n->word);
}

void chuanp_case_note_merge(chuanp_case_note *into, const chuanp_case_note *n)
{
    if (!n->words)
        return;
    if (!into->words) {
        *into = *n;
        return;
    }
    into->words += n->words;
}

static const char case_code[] = "encoding.tcvn3-case";

void chuanp_case_note_report(const chuanp_case_note *n, const char *name, chuan_diags *d)
{
    if (!d || !n->words)
        return;
    char where[64];
    if (n->line > 0)
        snprintf(where, sizeof where, "%ld:%ld", n->line, n->column);
    else
        snprintf(where, sizeof where, "byte offset %lld", n->offset);
    chuan_diag g = {.severity = CHUAN_SEV_WARNING, .code = case_code, .file = name,
                    .line = n->line, .column = n->column, .offset = n->offset};
    if (n->words == 1)
        chuan_diags_addf(d, &g, "1 word holds a toned letter whose case TCVN3 does not encode; "
                         "its case was inferred (\"%s\" at %s); check it or re-export as Unicode",
                         n->word, where);
    else
        chuan_diags_addf(d, &g, "%zu words hold toned letters whose case TCVN3 does not encode; "
                         "their case was inferred (first: \"%s\" at %s); check them or re-export "
                         "as Unicode", n->words, n->word, where);
}

void chuanp_case_note_report_record(const chuanp_case_note *n, const char *name, long rec,
                                    const char *field, chuan_diags *d)
{
    if (!d || !n->words)
        return;
    char path[140]; /* where: the record and field (the decoder's offsets are not the file's) */
    snprintf(path, sizeof path, "/%s", field ? field : "");
    chuan_diag g = {.severity = CHUAN_SEV_WARNING, .code = case_code, .file = name, .line = rec,
                    .offset = -1, .path = field && field[0] ? path : NULL};
    chuan_diags_addf(d, &g,
                     "%zu word%s hold%s toned letters whose case TCVN3 does not encode; "
                     "their case was inferred (first: \"%s\", record %ld); check them or "
                     "re-export as Unicode", n->words, n->words == 1 ? "" : "s",
                     n->words == 1 ? "s" : "", n->word, rec);
}

size_t chuanp_case_note_words(const chuan_diag *g)
{
    if (!g->code || strcmp(g->code, case_code) != 0 || !g->message)
        return 0;
    return (size_t)strtoull(g->message, NULL, 10);
}
