/* validator/vocab_compare.c - comparing two scalar values as dates, decimals or text ("compare"). */
#include "vocab.h"

#include <string.h>

static const char *const op_names[] = {
    [CHUANP_OP_EQ] = "==", [CHUANP_OP_NE] = "!=", [CHUANP_OP_LT] = "<",
    [CHUANP_OP_LE] = "<=", [CHUANP_OP_GT] = ">",  [CHUANP_OP_GE] = ">=",
};

chuanp_cmp_op chuanp_cmp_op_parse(const char *s)
{
    for (int i = 0; i < CHUANP_OP_INVALID; i++)
        if (strcmp(s, op_names[i]) == 0)
            return (chuanp_cmp_op)i;
    if (strcmp(s, "=") == 0)
        return CHUANP_OP_EQ;
    return CHUANP_OP_INVALID;
}

const char *chuanp_cmp_op_name(chuanp_cmp_op op)
{
    return (op >= 0 && op < CHUANP_OP_INVALID) ? op_names[op] : "?";
}

int chuanp_cmp_op_holds(chuanp_cmp_op op, int cmp)
{
    switch (op) {
    case CHUANP_OP_EQ: return cmp == 0;
    case CHUANP_OP_NE: return cmp != 0;
    case CHUANP_OP_LT: return cmp < 0;
    case CHUANP_OP_LE: return cmp <= 0;
    case CHUANP_OP_GT: return cmp > 0;
    case CHUANP_OP_GE: return cmp >= 0;
    default: return 0;
    }
}

int chuanp_vocab_compare_values(const char *a, size_t alen, const char *b, size_t blen,
                                chuanp_cmp_kind *how)
{
    chuanp_date da, db;
    if (chuanp_date_parse_any(a, alen, &da) == 0 && chuanp_date_parse_any(b, blen, &db) == 0) {
        *how = CHUANP_CMP_DATE;
        return chuanp_date_cmp(&da, &db);
    }
    chuanp_decimal xa, xb;
    if (chuanp_decimal_parse(&xa, a, alen) == 0) {
        if (chuanp_decimal_parse(&xb, b, blen) == 0) {
            int c = chuanp_decimal_cmp(&xa, &xb);
            chuanp_decimal_free(&xa);
            chuanp_decimal_free(&xb);
            *how = CHUANP_CMP_NUMBER;
            return c;
        }
        chuanp_decimal_free(&xa);
    }
    *how = CHUANP_CMP_TEXT;
    size_t n = alen < blen ? alen : blen;
    int c = memcmp(a, b, n);
    if (c)
        return c < 0 ? -1 : 1;
    return (alen > blen) - (alen < blen);
}
