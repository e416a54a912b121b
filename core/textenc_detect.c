/* core/textenc_detect.c - which encoding is this text in?
 *
 * Every candidate (UTF-8, TCVN3, VNI, VISCII, VPS, CP1258) decodes the input;
 * the decoded text is cut into words, and each word with a non-ASCII letter
 * (an "informative" word: ASCII words read the same in every candidate) is
 * checked by the syllable checker (core/textenc_syllable.c). Under the right
 * encoding nearly every such word is a syllable; under a wrong one many are
 * not, or bytes do not decode at all. Each candidate gets a log-score
 *     s = W_VALID * valid - W_INVALID * invalid - W_ERROR * undecodable bytes
 *         (+ W_UTF8 * multi-byte sequences, for well-formed UTF-8)
 * and its confidence is its share exp(s) / sum(exp(s)) (a naive-Bayes
 * posterior: a word is a syllable with probability ~0.9 under the right
 * encoding and ~0.7 under a wrong one, hence W_VALID = ln(0.9/0.7) and
 * W_INVALID = ln(0.3/0.1)). Ill-formed UTF-8 rules UTF-8 out. */
#include "textenc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define W_VALID 0.25
#define W_INVALID 1.10
#define W_ERROR 2.30
#define W_UTF8 1.40
#define CLEARLY_UTF8_SEQS 16

enum { NCAND = 6, WORD_CAP = 12 };

static const chuanp_enc cands[NCAND] = {
    CHUANP_ENC_UTF8, CHUANP_ENC_TCVN3, CHUANP_ENC_VNI, CHUANP_ENC_VISCII, CHUANP_ENC_VPS,
    CHUANP_ENC_CP1258,
};

typedef struct cand_state {
    chuanp_decoder *dec;
    uint32_t word[WORD_CAP];
    size_t nword;      /* letters seen in the current word (may exceed WORD_CAP) */
    int informative;   /* current word has a non-ASCII letter */
    size_t valid, invalid;
} cand_state;

/* The candidates' state while chuanp_detect scores one buffer. */
typedef struct detector {
    cand_state c[NCAND];
    chuanp_buf tmp;
    size_t bytes;
    int nonascii;
    int utf8_bad;
    size_t utf8_seqs;
} detector;

static void detector_free(detector *det)
{
    for (int i = 0; i < NCAND; i++)
        chuanp_decoder_free(det->c[i].dec);
    chuanp_buf_free(&det->tmp);
}

static int detector_init(detector *det)
{
    memset(det, 0, sizeof *det);
    chuanp_buf_init(&det->tmp, 0);
    for (int i = 0; i < NCAND; i++) {
        det->c[i].dec = chuanp_decoder_new(cands[i], NULL, NULL);
        if (!det->c[i].dec) {
            detector_free(det);
            return -1;
        }
    }
    return 0;
}

/* Characters that end a word: ASCII non-letters and common punctuation. */
static int word_char(uint32_t cp)
{
    if (cp < 0x80)
        return (cp | 0x20) >= 'a' && (cp | 0x20) <= 'z';
    if (cp == 0xA0 || cp == 0xAB || cp == 0xBB || cp == 0x20AC || cp == 0x2122)
        return 0;
    if (cp >= 0x2000 && cp <= 0x206F)
        return 0;
    return 1;
}

static void end_word(cand_state *c)
{
    if (c->nword && c->informative) {
        if (c->nword <= WORD_CAP && chuanp_vn_syllable_ok(c->word, c->nword))
            c->valid++;
        else
            c->invalid++;
    }
    c->nword = 0;
    c->informative = 0;
}

static void score_text(cand_state *c, const unsigned char *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, n - i, &cp);
        if (!k) {
            cp = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        if (!word_char(cp)) {
            end_word(c);
            continue;
        }
        if (cp >= 0x80)
            c->informative = 1;
        if (c->nword < WORD_CAP)
            c->word[c->nword] = cp;
        c->nword++;
    }
}

static size_t seq_len(unsigned char lead)
{
    return lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
}

/* Well-formed UTF-8 (a sequence cut by the end of the buffer allowed)? Counts the
 * multi-byte sequences. */
static void check_utf8(detector *det, const unsigned char *p, size_t len)
{
    for (size_t i = 0; i < len;) {
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, len - i, &cp);
        if (k) {
            det->utf8_seqs++;
            i += (size_t)k;
            continue;
        }
        /* invalid, or cut by the end of the buffer */
        size_t left = len - i;
        int ok = p[i] >= 0xC2 && p[i] <= 0xF4 && left < seq_len(p[i]);
        for (size_t j = 1; ok && j < left; j++)
            ok = (p[i + j] & 0xC0) == 0x80;
        if (!ok)
            det->utf8_bad = 1;
        return;
    }
}

/* Decode data[0..len) with every candidate and score the words. Returns 0 or -1 (out of
 * memory). */
static int detector_run(detector *det, const void *data, size_t len)
{
    const unsigned char *p = data;
    det->bytes = len;
    for (size_t i = 0; i < len && !det->nonascii; i++)
        if (p[i] >= 0x80)
            det->nonascii = 1;
    check_utf8(det, p, len);
    for (int i = 0; i < NCAND; i++) {
        chuanp_buf_reset(&det->tmp);
        /* final: the decoders flush what they hold back (the last word) */
        if (chuanp_decoder_run(det->c[i].dec, p, len, 1, &det->tmp) < 0)
            return -1;
        score_text(&det->c[i], (const unsigned char *)det->tmp.data, det->tmp.len);
    }
    return 0;
}

static void detector_result(detector *det, chuanp_detect_result *r)
{
    memset(r, 0, sizeof *r);
    r->bytes = det->bytes;
    r->ascii = !det->nonascii;
    r->utf8_valid = !det->utf8_bad;
    if (r->ascii) {
        r->enc = r->best = CHUANP_ENC_ASCII;
        r->confidence = r->best_conf = 1.0;
        r->conf[CHUANP_ENC_ASCII] = 1.0;
        return;
    }
    double s[NCAND], max = -HUGE_VAL, sum = 0;
    for (int i = 0; i < NCAND; i++) {
        cand_state *c = &det->c[i];
        end_word(c);
        chuanp_enc e = cands[i];
        r->valid[e] = c->valid;
        r->invalid[e] = c->invalid;
        r->errors[e] = chuanp_decoder_errors(c->dec);
        s[i] = W_VALID * (double)c->valid - W_INVALID * (double)c->invalid -
               W_ERROR * (double)r->errors[e];
        if (e == CHUANP_ENC_UTF8) {
            if (det->utf8_bad) {
                s[i] = -HUGE_VAL;
                continue;
            }
            s[i] += W_UTF8 * (double)det->utf8_seqs;
        }
        if (s[i] > max)
            max = s[i];
    }
    for (int i = 0; i < NCAND; i++)
        sum += s[i] == -HUGE_VAL ? 0 : exp(s[i] - max);
    for (int i = 0; i < NCAND; i++) {
        double conf = s[i] == -HUGE_VAL ? 0 : exp(s[i] - max) / sum;
        chuanp_enc e = cands[i];
        r->conf[e] = conf;
        if (conf > r->best_conf) {
            r->second = r->best;
            r->second_conf = r->best_conf;
            r->best = e;
            r->best_conf = conf;
        } else if (conf > r->second_conf || r->second == CHUANP_ENC_NONE) {
            r->second = e;
            r->second_conf = conf;
        }
    }
    r->confidence = r->best_conf;
    if (r->best_conf >= CHUANP_DETECT_THRESHOLD)
        r->enc = r->best;
    else if (r->utf8_valid) {
        /* Well-formed UTF-8 that no legacy candidate explains clearly better
         * stays UTF-8 (the national standard, TCVN 6909:2001). */
        r->enc = CHUANP_ENC_UTF8;
        r->confidence = r->conf[CHUANP_ENC_UTF8];
    }
}

/* Well-formed UTF-8 with many multi-byte sequences: legacy text does not
 * look like that (it would need every byte >= 0xC2 to be followed by the
 * right number of 0x80..0xBF bytes), so the candidates need not run. */
static int clearly_utf8(const unsigned char *p, size_t len, size_t *seqs)
{
    size_t end = len, n = 0;
    /* a sequence cut by the end of a prefix is allowed */
    for (size_t k = 0; k < 3 && end > 0 && (p[end - 1] & 0xC0) == 0x80; k++)
        end--;
    if (end > 0 && p[end - 1] >= 0xC2 && len - (end - 1) < (p[end - 1] >= 0xF0 ? 4u : p[end - 1] >= 0xE0 ? 3u : 2u))
        end--;
    else
        end = len;
    if (chuanp_utf8_invalid_at((const char *)p, end) >= 0)
        return 0;
    for (size_t i = 0; i < end; i++)
        n += p[i] >= 0xC2;
    *seqs = n;
    return n >= CLEARLY_UTF8_SEQS;
}

int chuanp_detect(const void *data, size_t len, chuanp_detect_result *r)
{
    size_t seqs;
    if (clearly_utf8(data, len, &seqs)) {
        memset(r, 0, sizeof *r);
        r->bytes = len;
        r->utf8_valid = 1;
        r->enc = r->best = CHUANP_ENC_UTF8;
        r->confidence = r->best_conf = r->conf[CHUANP_ENC_UTF8] = 1.0;
        return 0;
    }
    detector det;
    if (detector_init(&det) < 0)
        return -1;
    int rc = detector_run(&det, data, len);
    if (rc == 0)
        detector_result(&det, r);
    detector_free(&det);
    return rc;
}
