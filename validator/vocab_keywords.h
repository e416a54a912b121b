/*
 * validator/vocab_keywords.h - the rule vocabulary as JSON Schema extension
 * keywords (codelist, checkDigit, personalId, dateFormat, compare, sumOf,
 * columnTotals, patternSetting). See README.md ("Standard packages") for the reference.
 */
#ifndef CHUAN_VOCAB_KEYWORDS_H
#define CHUAN_VOCAB_KEYWORDS_H

#include "codelist.h"
#include "jsonschema.h"
#include "vocab.h"

/* What the keywords need at compile time (ext_user). */
typedef struct chuanp_vocab_ctx {
    chuanp_codelists *codelists;  /* lists are loaded here while compiling */
    const chuanp_jv *settings;    /* standard.json "settings" object, or NULL */
    long as_of;                   /* --as-of as yyyymmdd, 0 = today */
} chuanp_vocab_ctx;

/* The extension table (static, nexts entries). */
const chuanp_jsonschema_ext *chuanp_vocab_extensions(size_t *nexts);

/* "patternSetting": {"setting": NAME} (validator/vocab_pattern.c): the string matches one of
 * the ECMA-262 patterns the setting holds (a string or an array of strings). */
int chuanp_vocab_pattern_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                                 void **state, chuan_diags *d);
int chuanp_vocab_pattern_validate(const void *state, const chuanp_jsonschema_ext_call *call);
void chuanp_vocab_pattern_free(void *state);

/* JSON Pointer lookup ("" = root); NULL when absent. */
const chuanp_jv *chuanp_json_pointer(const chuanp_jv *root, const char *ptr);
/* Scalar text of a string or number value (NULL for other types). */
const char *chuanp_vocab_scalar(const chuanp_jv *v, size_t *len);

/* "columnTotals" of a model root, compiled for the engine (it needs all
 * records of a payload, so the engine runs it, not the per-record check). */
typedef struct chuanp_column_totals {
    char *key;        /* member whose value marks the total record */
    char *total_key;  /* that value, e.g. "TONG" */
    char **columns;
    size_t ncolumns;
    char *rule_id;    /* the `rule` of the model root, may be NULL */
    char *message_en, *message_vi, *source;
    int warning;
} chuanp_column_totals;

/* Read columnTotals (+ the rule beside it) from a model root. Returns 0
 * with *out (NULL when the model has none), >0 invalid (diagnostic). */
int chuanp_column_totals_compile(chuanp_column_totals **out, const chuanp_jv *model,
                                 const char *file, chuan_diags *d);
void chuanp_column_totals_free(chuanp_column_totals *ct);

#endif /* CHUAN_VOCAB_KEYWORDS_H */
