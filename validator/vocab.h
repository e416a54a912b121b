/*
 * validator/vocab.h - the rule vocabulary of standard packages: the checks
 * JSON Schema cannot express (code lists with validity dates, check digits,
 * personal ids, Vietnamese date formats, cross-field comparisons, sums).
 *
 * The checks are plain functions over values; validator/vocab_keywords.c
 * plugs them into the JSON Schema engine as extension keywords. Every
 * failing check fills a chuanp_vocab_msg with a message in English and
 * Vietnamese (the diagnostic's message / message_vi).
 */
#ifndef CHUAN_VOCAB_H
#define CHUAN_VOCAB_H

#include "../core/core.h"

/* ------------------------------------------------------------ messages */
typedef struct chuanp_vocab_msg {
    chuanp_buf en;
    chuanp_buf vi;
} chuanp_vocab_msg;

void chuanp_vocab_msg_init(chuanp_vocab_msg *m);
void chuanp_vocab_msg_free(chuanp_vocab_msg *m);

/* --------------------------------------------------------------- dates */
/* A calendar date with an optional time of day. */
typedef struct chuanp_date {
    int year, month, day;
    int hour, minute, second;
    int has_time;
} chuanp_date;

/* The date formats of the vocabulary ("dateFormat"). */
typedef enum {
    CHUANP_DATEFMT_INVALID = -1,
    CHUANP_DATEFMT_DMY = 0,        /* dd/MM/yyyy */
    CHUANP_DATEFMT_ISO,            /* yyyy-MM-dd */
    CHUANP_DATEFMT_COMPACT,        /* yyyyMMddHHmmss */
    CHUANP_DATEFMT_YMD_SLASH,      /* yyyy/MM/dd */
    CHUANP_DATEFMT_YMD_SLASH_TIME, /* yyyy/MM/dd HH:mm:ss */
    CHUANP_DATEFMT_DMY_TIME,       /* dd/MM/yyyy HH:mm:ss */
    CHUANP_DATEFMT_ND30_LINE,      /* [Place, ]ngày dd tháng m năm yyyy (Nghị định 30/2020) */
    CHUANP_DATEFMT_COUNT
} chuanp_datefmt;

chuanp_datefmt chuanp_datefmt_parse(const char *name);

/* Parse s[0..len) in exactly that form and check it is a real calendar
 * date/time. Returns 0 and fills *out, or -1. */
int chuanp_date_parse(const char *s, size_t len, chuanp_datefmt f, chuanp_date *out);
/* Try every format (used for code list dates and comparisons). */
int chuanp_date_parse_any(const char *s, size_t len, chuanp_date *out);
/* Compare two dates; the time of day counts only when both have one. */
int chuanp_date_cmp(const chuanp_date *a, const chuanp_date *b);
/* yyyymmdd as an integer (code list validity). */
long chuanp_date_key(const chuanp_date *d);
/* Today in Asia/Ho_Chi_Minh (UTC+7, no DST), as yyyymmdd. */
long chuanp_date_today(void);
/* Parse "YYYY-MM-DD" (--as-of, code list columns) into yyyymmdd; -1 if invalid. */
long chuanp_date_iso_key(const char *s, size_t len);

/* Check that s is in one of the nfmt formats; on failure fill msg. */
int chuanp_vocab_check_date(const char *s, size_t len, const chuanp_datefmt *fmts, size_t nfmt,
                            chuanp_vocab_msg *msg);

/* --------------------------------------------------------- check digits */
/* Tax code (mã số thuế): 10 digits, optional "-NNN" branch suffix; weights
 * 31,29,23,19,17,13,7,5,3 over the first 9 digits; check = 10 - S mod 11;
 * S mod 11 == 0 is invalid. Returns 0 valid, 1 invalid (msg filled). */
int chuanp_vocab_check_mst(const char *s, size_t len, chuanp_vocab_msg *msg);

/* --------------------------------------------------------- personal id */
struct chuanp_codelist;
/* 12-digit personal id (số định danh cá nhân): digits 1-3 a code of
 * `provinces` (NULL: not checked) valid on `date_key` (0: any), digit 4 the
 * century/sex digit consistent with `birth` (NULL: not checked) and with
 * `gender` (1 nam, 2 nữ; 0: not checked), digits 5-6 the last two digits of
 * the birth year. Returns 0 valid, 1 invalid (msg filled). */
int chuanp_vocab_check_personal_id(const char *s, size_t len, const struct chuanp_codelist *provinces,
                                   long date_key, const chuanp_date *birth, int gender,
                                   chuanp_vocab_msg *msg);

/* Membership of a code list on a date (yyyymmdd, 0: ignore validity); the
 * code must belong to `parent` (plen bytes) on that date (the list's parent
 * column); parent NULL: any parent. Returns 0 valid, 1 invalid (msg filled). */
int chuanp_vocab_check_code_in(const struct chuanp_codelist *l, const char *s, size_t len,
                               long date_key, const char *parent, size_t plen,
                               chuanp_vocab_msg *msg);

/* ------------------------------------------------------------ decimals */
/* Exact decimal arithmetic on number texts ("1.50", "-3", "2e3"). */
typedef struct chuanp_decimal {
    int neg;
    int scale;       /* digits after the point */
    char *digits;    /* most significant first, no leading zeros ("" = 0) */
} chuanp_decimal;

/* Parse a JSON number text or a plain decimal string (leading '+' and
 * surrounding spaces not accepted). Returns 0, -1 when not a number. */
int chuanp_decimal_parse(chuanp_decimal *out, const char *s, size_t len);
int chuanp_decimal_add(chuanp_decimal *acc, const chuanp_decimal *v); /* 0 or -1 OOM */
int chuanp_decimal_cmp(const chuanp_decimal *a, const chuanp_decimal *b);
/* Canonical text ("12.5", "-3", "0"); appended to b. */
void chuanp_decimal_format(chuanp_buf *b, const chuanp_decimal *d);
void chuanp_decimal_free(chuanp_decimal *d);

/* Compare two scalar texts: as dates when both parse as dates, else as
 * decimals when both are numbers, else byte-wise. *how says which. */
typedef enum { CHUANP_CMP_DATE, CHUANP_CMP_NUMBER, CHUANP_CMP_TEXT } chuanp_cmp_kind;
int chuanp_vocab_compare_values(const char *a, size_t alen, const char *b, size_t blen,
                                chuanp_cmp_kind *how);

typedef enum { CHUANP_OP_EQ, CHUANP_OP_NE, CHUANP_OP_LT, CHUANP_OP_LE, CHUANP_OP_GT,
               CHUANP_OP_GE, CHUANP_OP_INVALID } chuanp_cmp_op;
chuanp_cmp_op chuanp_cmp_op_parse(const char *s);
const char *chuanp_cmp_op_name(chuanp_cmp_op op);
int chuanp_cmp_op_holds(chuanp_cmp_op op, int cmp);

#endif /* CHUAN_VOCAB_H */
