/* core/textenc_syllable.c - is a word one valid Vietnamese syllable?
 *
 * Phonotactics, not a word list: syllable = onset + rhyme, rhyme = (medial)
 * + nucleus + coda, with the spelling rules of the Vietnamese alphabet
 * (c/k/q, g/gh, ng/ngh, gi, qu), at most one tone mark, and the tone rule that
 * a syllable closed by c, ch, k, p or t carries only sắc or nặng.
 *
 * Internally letters are coded as single ASCII bytes: the plain letters as
 * themselves, and ă=A â=B ê=E ô=O ơ=P ư=U đ=D. */
#include "textenc.h"

#include <string.h>

enum { SYL_MAX = 8 };

static const char shape_code[CHUANP_VN_SHAPES] = {'a', 'A', 'B', 'e', 'E', 'i', 'o', 'O', 'P', 'u', 'U', 'y'};

static const char *const onsets[] = {
    "b", "c", "ch", "d", "D", "g", "gh", "gi", "h", "k", "kh", "l", "m", "n", "ng", "ngh",
    "nh", "p", "ph", "q", "r", "s", "t", "th", "tr", "v", "x",
};

/* Every rhyme (medial + nucleus + coda) of standard spelling. */
static const char *const rhymes[] = {
    /* a ă â */
    "a", "ac", "ach", "ai", "am", "an", "ang", "anh", "ao", "ap", "at", "au", "ay",
    "Ac", "Ak", "Am", "An", "Ang", "Ap", "At",
    "Bc", "Bm", "Bn", "Bng", "Bp", "Bt", "Bu", "By",
    /* e ê */
    "e", "ec", "em", "en", "eng", "eo", "ep", "et",
    "E", "Ech", "Em", "En", "Enh", "Ep", "Et", "Eu",
    /* i iê */
    "i", "ia", "ich", "im", "in", "inh", "ip", "it", "iu",
    "iEc", "iEm", "iEn", "iEng", "iEp", "iEt", "iEu",
    /* o, medial o */
    "o", "oc", "oi", "om", "on", "ong", "op", "ot", "ooc", "oong",
    "oa", "oac", "oach", "oai", "oam", "oan", "oang", "oanh", "oao", "oap", "oat", "oay",
    "oAc", "oAm", "oAn", "oAng", "oAt", "oe", "oen", "oeo", "oet",
    /* ô ơ */
    "O", "Oc", "Oi", "Om", "On", "Ong", "Op", "Ot",
    "P", "Pi", "Pm", "Pn", "Pp", "Pt",
    /* u, medial u, uô */
    "u", "ua", "uc", "ui", "um", "un", "ung", "up", "ut",
    "uac", "uach", "uai", "uan", "uang", "uanh", "uao", "uat", "uay",
    "uAc", "uAm", "uAn", "uAng", "uAt", "uBn", "uBng", "uBt", "uBy",
    "ue", "uen", "ueo", "uet", "uE", "uEch", "uEn", "uEnh", "uEt",
    "uy", "uya", "uych", "uyn", "uynh", "uyt", "uyu", "uyEn", "uyEt",
    "uOc", "uOi", "uOm", "uOn", "uOng", "uOt", "uP", "uPn",
    /* ư ươ */
    "U", "Ua", "Uc", "Ui", "Um", "Un", "Ung", "Ut", "Uu",
    "UPc", "UPi", "UPm", "UPn", "UPng", "UPp", "UPt", "UPu",
    /* y yê */
    "y", "yEm", "yEn", "yEt", "yEu",
};

static int in_list(const char *const *list, size_t n, const char *s)
{
    for (size_t i = 0; i < n; i++)
        if (list[i][0] == s[0] && strcmp(list[i], s) == 0)
            return 1;
    return 0;
}

static int is_vowel_code(char c)
{
    return strchr("aABeEioOPuUy", c) != NULL;
}

static int front(char c) /* i e ê y: the letters that want k, gh, ngh */
{
    return c == 'i' || c == 'e' || c == 'E' || c == 'y';
}

static int stop_coda(const char *rhyme)
{
    size_t n = strlen(rhyme);
    char last = rhyme[n - 1];
    return last == 'c' || last == 'p' || last == 't' || last == 'k' ||
           (n >= 2 && rhyme[n - 2] == 'c' && last == 'h');
}

static int rhyme_ok(const char *onset, const char *rhyme, int tone)
{
    if (!rhyme[0] || !in_list(rhymes, sizeof rhymes / sizeof *rhymes, rhyme))
        return 0;
    if (stop_coda(rhyme) && tone != 0 && tone != 1 && tone != 5)
        return 0;
    if (stop_coda(rhyme) && tone == 0)
        return 0;
    char r0 = rhyme[0];
    if (!strcmp(onset, "c") || !strcmp(onset, "g") || !strcmp(onset, "ng"))
        return !front(r0);
    if (!strcmp(onset, "gh") || !strcmp(onset, "ngh"))
        return r0 == 'i' || r0 == 'e' || r0 == 'E';
    if (!strcmp(onset, "k"))
        return front(r0);
    if (!strcmp(onset, "q"))
        return r0 == 'u' && rhyme[1] != '\0';
    if (onset[0] && r0 == 'y' && rhyme[1] == 'E')
        return 0; /* after a consonant yê is written iê */
    return 1;
}

int chuanp_vn_syllable_ok(const uint32_t *cps, size_t n)
{
    char code[SYL_MAX + 2];
    int tone = 0;
    if (n == 0 || n > SYL_MAX)
        return 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t c = chuanp_vn_lower(cps[i]);
        int s, t, u;
        if (chuanp_vn_letter_info(c, &s, &t, &u)) {
            if (t) {
                if (tone)
                    return 0; /* two tone marks */
                tone = t;
            }
            code[i] = shape_code[s];
        } else if (c == 0x111) {
            code[i] = 'D';
        } else if (c >= 'a' && c <= 'z' && !strchr("fjwz", (int)c)) {
            code[i] = (char)c;
        } else {
            return 0;
        }
    }
    code[n] = '\0';
    size_t k = 0;
    while (k < n && !is_vowel_code(code[k]))
        k++;
    if (k == n)
        return 0; /* no vowel */
    char onset[SYL_MAX + 1];
    memcpy(onset, code, k);
    onset[k] = '\0';
    const char *rhyme = code + k;
    if (k == 0)
        return rhyme_ok("", rhyme, tone);
    if (!in_list(onsets, sizeof onsets / sizeof *onsets, onset))
        return 0;
    if (!strcmp(onset, "g") && rhyme[0] == 'i') {
        /* gi: "gia", "giữ" (gi + rhyme), "gì", "gìn" (the i is the vowel),
         * "giếng" (gi + iêng: the i is written once). */
        const char *after = rhyme + 1;
        char buf[SYL_MAX + 2];
        if (rhyme_ok("", rhyme, tone))
            return 1;
        if (*after && is_vowel_code(*after) && *after != 'E' && rhyme_ok("gi", after, tone))
            return 1;
        if (*after == 'E') {
            buf[0] = 'i';
            memcpy(buf + 1, after, strlen(after) + 1);
            return rhyme_ok("gi", buf, tone);
        }
        return 0;
    }
    if (!strcmp(onset, "q") && rhyme[0] == 'u' && rhyme[1] == 'i' && rhyme[2] == '\0')
        return 1; /* qui (= quy) */
    return rhyme_ok(onset, rhyme, tone);
}
