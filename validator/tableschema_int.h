/* validator/tableschema_int.h - internals shared by the tableschema_*.c files. */
#ifndef CHUAN_TABLESCHEMA_INT_H
#define CHUAN_TABLESCHEMA_INT_H

#include "tableschema.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

typedef enum {
    TS_STRING = 0, TS_NUMBER, TS_INTEGER, TS_BOOLEAN, TS_DATE, TS_TIME, TS_DATETIME, TS_YEAR,
    TS_YEARMONTH, TS_DURATION, TS_OBJECT, TS_ARRAY, TS_LIST, TS_GEOPOINT, TS_ANY
} ts_type;

/* A cast value. text: canonical form (number text for JSON, ISO dates...),
 * in the caller's scratch buffer. key: ordering for dates and times. */
typedef struct ts_value {
    ts_type type;
    const char *text;
    size_t len;
    int special;      /* number: NaN / INF / -INF (not a JSON number) */
    int boolean;
    int64_t key;      /* date: days; time: microseconds; datetime: us since epoch (UTC) */
    size_t items;     /* list/array: item count; object: member count */
} ts_value;

typedef struct ts_strlist {
    char **items;
    size_t *lens;
    size_t count;
} ts_strlist;

typedef struct ts_field {
    char *name;
    ts_type type;
    char *format;            /* NULL = default; "any"; or a %-pattern */
    char decimal_char;       /* number */
    char *group_char;        /* NULL = none */
    int bare_number;         /* default 1 */
    ts_strlist true_values, false_values;
    ts_strlist missing;      /* field-level or the schema's */
    ts_type item_type;       /* list */
    char *list_delim;
    /* constraints */
    int required, unique;
    long min_length, max_length; /* -1 none */
    ts_value *minimum, *maximum, *xminimum, *xmaximum; /* owned, text malloc'd */
    pcre2_code *pattern;
    char *pattern_src;
    ts_value *enums;
    size_t nenums;
} ts_field;

typedef struct ts_keyset ts_keyset;

typedef struct ts_fkey {
    size_t *fields;          /* indices into schema fields */
    size_t nfields;
    char *resource;          /* "" = this table */
    char **ref_names;        /* referenced field names */
    size_t nref;
    ts_keyset *ref;          /* external: loaded at compile time */
} ts_fkey;

struct chuanp_tableschema {
    char *path;
    ts_field *fields;
    size_t nfields;
    size_t *pk;              /* primary key field indices */
    size_t npk;
    ts_fkey *fks;
    size_t nfks;
    int fields_match;        /* 0 exact, 1 equal, 2 subset, 3 superset, 4 partial */
    char delimiter, quote;   /* dialect; delimiter 0 = sniff */
    int header;
    pcre2_match_context *mctx_proto;
};

/* ---- casting (tableschema_types.c) ---- */
/* Cast text with the field's type/format into *v (canonical text appended
 * to scratch, v->text points into it after the call; scratch may move, so
 * use v only until the next append). Returns 0 ok, 1 not of the type. */
int chuanp_ts_cast(const ts_field *f, ts_type type, const char *s, size_t len, chuanp_buf *scratch,
                   ts_value *v);
int chuanp_ts_type_parse(const char *name); /* -1 unknown */
const char *chuanp_ts_type_name(ts_type t);
/* Compare two cast values of the same field type: <0, 0, >0. */
int chuanp_ts_compare(const ts_value *a, const ts_value *b);
/* Is s one of the list's strings? */
int chuanp_ts_strlist_has(const ts_strlist *l, const char *s, size_t len);
void chuanp_ts_strlist_free(ts_strlist *l);

/* ---- distinct keys (tableschema_keyset.c) ---- */
ts_keyset *chuanp_ts_keyset_new(void);
/* Insert; returns 1 inserted, 0 present (*row = the row stored first), -1 OOM. */
int chuanp_ts_keyset_add(ts_keyset *s, const char *key, size_t len, long row, long *first_row);
int chuanp_ts_keyset_has(const ts_keyset *s, const char *key, size_t len);
/* Call fn for every key (in no particular order). */
void chuanp_ts_keyset_each(const ts_keyset *s, void (*fn)(void *ctx, const char *key, size_t len,
                                                          long row), void *ctx);
void chuanp_ts_keyset_free(ts_keyset *s);

int chuanp_ts_format_ok(const char *fmt);

#endif /* CHUAN_TABLESCHEMA_INT_H */
