/* core/textenc_decoder.h - the decoder state shared by core/textenc_decode.c
 * (public API, diagnostics), core/textenc_legacy.c, core/textenc_case.c
 * (TCVN3 capitals) and core/textenc_utf8in.c. Private to those files. */
#ifndef CHUAN_TEXTENC_DECODER_H
#define CHUAN_TEXTENC_DECODER_H

#include "textenc.h"

enum { CHUANP_DEC_WORD_SHARED = 32 }; /* TCVN3: shared letters patched per word */

/* Byte classes for TCVN3 case restoration. */
enum {
    CHUANP_CLS_OTHER = 0, /* separator: ends a word */
    CHUANP_CLS_LOWER,     /* a small letter with a capital of its own */
    CHUANP_CLS_UPPER,     /* a capital */
    CHUANP_CLS_SHARED,    /* a toned small letter whose capital has the same byte */
    CHUANP_CLS_LETTER,    /* another letter (no case) */
    CHUANP_CLS_MARK       /* a combining tone mark (0xB0-0xB4) */
};

/* One word while its letters are read, or while its case waits for the next word. */
typedef struct chuanp_case_word {
    size_t shared[CHUANP_DEC_WORD_SHARED]; /* output offsets of shared letters */
    size_t nshared;
    size_t start, end;  /* output offsets of the word */
    int letters, first, lower_rest, upper_rest; /* first: class of the first letter */
    int kind;           /* how its case is decided (core/textenc_case.c) */
    int first_inferred; /* the first word of the input whose case was inferred */
    int ctx_caps, ctx_name, ctx_unit; /* its context: after capitals, in a name, at a start */
} chuanp_case_word;

/* TCVN3 capital restoration across words (core/textenc_case.c). */
typedef struct chuanp_case_state {
    chuanp_case_word w[2]; /* w[cur]: the word being read; w[!cur]: the pending one */
    int cur;
    int has_pend;          /* w[!cur] waits for the next word to decide its case */
    int prev_caps;         /* the previous word of the phrase was in capitals */
    int name;              /* capitalised words (space-separated) since a surname, 0 none */
    /* the separator bytes since the last word */
    int sep_caps_join, sep_name_join, unit;
    unsigned char sep_last, sep_last2;
    size_t sep_len;
    const unsigned char *piece; /* where the current word starts in the input */
    size_t piece_i;
    long long piece_base;
    chuanp_buf held;       /* output held back (from the pending word on) between runs */
    /* words whose case was inferred; the first one */
    size_t inferred;
    long first_line, first_col;
    long long first_offset;
    char first_word[64];
} chuanp_case_state;

struct chuanp_decoder {
    chuanp_enc enc;
    const char *name;
    chuan_diags *diags;
    const uint16_t *table; /* byte -> code point (legacy) */
    uint32_t u8[256];      /* byte -> UTF-8 bytes, length in the top byte (0: undefined) */
    uint8_t mark[256];     /* byte -> tone of a combining tone mark (CP1258, TCVN3), 0 none */
    uint8_t cls[256];      /* TCVN3 byte classes (CHUANP_CLS_*) for case restoration */
    long long offset;      /* bytes consumed before the current chunk */
    long line, col;        /* position of the next byte: 1-based line, 0-based column */
    size_t errors;
    chuanp_case_state tc;  /* TCVN3 only */
    chuanp_buf carry;      /* input bytes held back until the next chunk */
};

/* Report an undecodable byte at p[i] of a piece starting at offset `base`
 * whose first byte is at d->line/d->col. */
void chuanp_dec_invalid(chuanp_decoder *d, const unsigned char *piece, size_t i, long long base);
/* Move d->line/d->col over a decoded piece of input (bytes). */
void chuanp_dec_advance(chuanp_decoder *d, const unsigned char *p, size_t n, int utf8);

void chuanp_dec_legacy_init(chuanp_decoder *d);
void chuanp_dec_legacy_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                           chuanp_buf *out);
void chuanp_dec_utf8_run(chuanp_decoder *d, const unsigned char *p, size_t len, int final,
                         chuanp_buf *out);

/* TCVN3 capitals (core/textenc_case.c). The legacy decoder calls:
 * case_letter for each letter (cls, its output offset `at`, its index i in
 * the piece that starts at input offset `base`), case_sep for each
 * separator byte (before writing it), case_word_end at the end of a piece,
 * case_run_begin/case_run_end around each chuanp_decoder_run. */
void chuanp_case_init(chuanp_case_state *s);
void chuanp_case_free(chuanp_case_state *s);
void chuanp_case_sep(chuanp_decoder *d, unsigned char b, chuanp_buf *out);
/* (inline: called for every letter) */
static inline void chuanp_case_letter(chuanp_decoder *d, unsigned cls, size_t at,
                                      const unsigned char *piece, size_t i, long long base)
{
    chuanp_case_word *w = &d->tc.w[d->tc.cur];
    if (w->letters == 0) {
        w->start = at;
        w->first = (int)cls;
        d->tc.piece = piece;
        d->tc.piece_i = i;
        d->tc.piece_base = base;
    } else if (cls == CHUANP_CLS_LOWER) {
        w->lower_rest++;
    } else if (cls == CHUANP_CLS_UPPER) {
        w->upper_rest++;
    }
    if (cls == CHUANP_CLS_SHARED) {
        if (w->nshared < CHUANP_DEC_WORD_SHARED)
            w->shared[w->nshared++] = at;
        else
            w->lower_rest++; /* not a real word: leave the rest small */
    }
    w->letters++;
}

/* The common separator that changes nothing chuanp_case_sep would not: a
 * digit, '-', '/' or '_' between words once the phrase is already broken (a
 * code, a date). Returns 1 when it was handled. */
static inline int chuanp_case_sep_quiet(chuanp_case_state *s, unsigned char b)
{
    if (s->w[s->cur].letters || s->sep_caps_join ||
        !((unsigned)(b - '0') < 10u || b == '-' || b == '/' || b == '_'))
        return 0;
    s->unit = 0;
    s->sep_last2 = s->sep_last;
    s->sep_last = b;
    return 1;
}
void chuanp_case_word_end(chuanp_decoder *d, chuanp_buf *out);
void chuanp_case_run_begin(chuanp_decoder *d, chuanp_buf *out);
void chuanp_case_run_end(chuanp_decoder *d, chuanp_buf *out, int final);

#endif
