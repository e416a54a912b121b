/*
 * converters/json.h - the JSON reader and writer every layer shares.
 *
 * Values live in an arena (core/core.h): one parse = one arena; freeing the
 * arena frees the tree. Everything the reader returns is borrowed from the
 * arena. Unlike jansson, the reader keeps:
 *   - line, column (1-based, in Unicode code points) and byte offset of every
 *     value and every object key (lines end at LF, CRLF or a lone CR);
 *   - the exact source text of every number (1.50 stays "1.50", 30-digit
 *     integers stay exact);
 *   - duplicate keys (reported as diagnostics; members are kept in order);
 * and it rejects invalid UTF-8 with the byte offset, and limits nesting.
 */
#ifndef CHUAN_JSON_H
#define CHUAN_JSON_H

#include "../core/core.h"

#include <stdint.h>

typedef enum {
    CHUANP_JNULL = 0,
    CHUANP_JFALSE,
    CHUANP_JTRUE,
    CHUANP_JNUMBER,
    CHUANP_JSTRING,
    CHUANP_JARRAY,
    CHUANP_JOBJECT
} chuanp_jtype;

/* number flags */
#define CHUANP_JNUM_INT 0x01  /* no fraction and no exponent in the text */
/* container flag (arrays/objects made by chuanp_jv_new): storage has
 * power-of-two capacity, so chuanp_jv_push/set grow it in place. */
#define CHUANP_JCONT_GROWABLE 0x08
/* string flags */
#define CHUANP_JSTR_NUL 0x02  /* contains U+0000 (len is authoritative) */
#define CHUANP_JSTR_LONE_SURROGATE 0x04 /* had a \uD800-\uDFFF escape without its pair;
                                           stored as WTF-8 (ED A0 80...) */

typedef struct chuanp_jv chuanp_jv;

typedef struct chuanp_jmember {
    const char *key;   /* decoded UTF-8, NUL-terminated */
    size_t key_len;
    uint32_t key_line, key_column;
    uint64_t key_offset;
    chuanp_jv *value;
} chuanp_jmember;

struct chuanp_jv {
    uint8_t type;   /* chuanp_jtype */
    uint8_t flags;
    uint32_t line, column;
    uint64_t offset;
    union {
        struct { const char *text; size_t len; } str; /* JSTRING: decoded; JNUMBER: exact source text */
        struct { chuanp_jv **items; size_t count; } arr;
        struct { chuanp_jmember *members; size_t count; } obj;
    } u;
};

typedef struct chuanp_json_opts {
    size_t max_depth;       /* 0 = default 512 */
    int allow_duplicates;   /* 0: duplicate key -> diagnostic "json.duplicate-key" (error) */
    int allow_bom;          /* skip a leading UTF-8 BOM */
    int allow_trailing;     /* stop after the first value (NDJSON internals) */
    const char *file;       /* name used in diagnostics */
    long line_base;         /* added to line numbers (NDJSON: line of the record - 1) */
    long long offset_base;  /* added to byte offsets */
} chuanp_json_opts;

/* Parse buf[0..len). On success returns 0 and *out. On a syntax error
 * returns >0 after adding one "json.parse" (or "json.utf8", "json.depth")
 * diagnostic with line/column/offset; duplicate keys also make it return >0
 * unless allowed. Returns <0 only when out of memory.
 * *out is NULL after a syntax error; after duplicate keys only (return >0)
 * *out is the complete tree, every member kept in source order.
 * opts may be NULL (defaults); diags may be NULL (nothing recorded).
 * max_depth is clamped to CHUANP_JSON_MAX_DEPTH. */
int chuanp_json_parse(chuanp_jv **out, const char *buf, size_t len,
                      const chuanp_json_opts *opts, chuanp_arena *arena,
                      chuan_diags *diags);
/* With opts->allow_trailing the parse stops after the first value. */
#define CHUANP_JSON_DEFAULT_DEPTH 512
#define CHUANP_JSON_MAX_DEPTH 10000 /* hard cap: recursive helpers stay within the C stack */

/* "null", "boolean", "number", "string", "array", "object". */
const char *chuanp_jtype_name(chuanp_jtype t);

/* Lookups (borrowed results, NULL when absent / wrong type). */
/* With duplicate keys the last member wins (as in JavaScript). */
chuanp_jv *chuanp_json_get(const chuanp_jv *obj, const char *key);
chuanp_jv *chuanp_json_get_n(const chuanp_jv *obj, const char *key, size_t key_len);
chuanp_jv *chuanp_json_at(const chuanp_jv *arr, size_t i);
/* JSON equality as JSON Schema defines it (1 == 1.0, object key order ignored). */
int chuanp_json_equal(const chuanp_jv *a, const chuanp_jv *b);
/* Compare two number texts exactly as decimals: <0, 0, >0. Any length,
 * any exponent ("1e400" < "1e401", "10e-1" == "1"). Texts must be valid
 * JSON numbers (as the reader and chuanp_jv_number guarantee). */
int chuanp_json_numcmp(const char *a, size_t alen, const char *b, size_t blen);
/* 1 when the number text has an integral value (1, 1.0, 1e3, 12.5e1), else 0. */
int chuanp_json_num_is_integer(const char *text, size_t len);
/* 1 when text[0..len) is a valid RFC 8259 number, else 0. */
int chuanp_json_num_valid(const char *text, size_t len);

/* Constructors for writers/mappers (arena-allocated; NULL when out of
 * memory). Positions are 0 (unknown). chuanp_jv_string copies s and sets
 * the NUL / lone-surrogate flags from its bytes; chuanp_jv_number copies
 * the text and returns NULL when it is not a valid JSON number. */
chuanp_jv *chuanp_jv_new(chuanp_arena *a, chuanp_jtype type);
chuanp_jv *chuanp_jv_string(chuanp_arena *a, const char *s, size_t len);
chuanp_jv *chuanp_jv_number(chuanp_arena *a, const char *text, size_t len);
chuanp_jv *chuanp_jv_bool(chuanp_arena *a, int b);
/* Append to arrays/objects (amortised growth in the arena; also works on
 * parsed containers, which are copied once). Return 0, or -1 when out of
 * memory or the container has the wrong type. chuanp_jv_set replaces the
 * value of an existing key (the last one) or appends a member; the key is
 * copied. */
/* A deep copy of v in the arena (readers may lend strings that live only
 * until their next record: CSV cells); NULL when out of memory. */
chuanp_jv *chuanp_jv_copy(chuanp_arena *a, const chuanp_jv *v);
int chuanp_jv_push(chuanp_arena *a, chuanp_jv *arr, chuanp_jv *item);
int chuanp_jv_set(chuanp_arena *a, chuanp_jv *obj, const char *key, size_t key_len, chuanp_jv *v);

/* Writer: numbers are written with their exact text, strings escaped
 * minimally (", \, control characters; non-ASCII as UTF-8). indent 0 =
 * compact on one line (NDJSON). */
typedef struct chuanp_json_write_opts {
    int indent;        /* spaces per level; 0 = compact */
    int ascii;         /* escape non-ASCII as \uXXXX */
    int level;         /* starting indentation level (for values nested in an outer document) */
} chuanp_json_write_opts;
/* opts may be NULL (compact). No trailing newline. WTF-8 lone surrogates
 * (CHUANP_JSTR_LONE_SURROGATE) are written back as \uXXXX escapes. */
void chuanp_json_write(chuanp_buf *out, const chuanp_jv *v, const chuanp_json_write_opts *opts);
/* One string with quotes, escaped as chuanp_json_write does. */
void chuanp_json_write_string(chuanp_buf *out, const char *s, size_t len, int ascii);
/* The same into memory the caller sized: o has room for 6 * len + 2 bytes.
 * s must be valid UTF-8 (no WTF-8 surrogates: what the CSV reader yields);
 * non-ASCII is copied through. Returns the end of what was written. */
char *chuanp_json_put_string(char *o, const char *s, size_t len);
/* The escape of an ASCII byte a JSON string cannot hold as it is (", \ or
 * a control): \" \\ \n \r \t \b \f or \u00XX, into o (room for 6 bytes).
 * Returns the end of what was written. */
char *chuanp_json_put_escape(char *o, unsigned char c);

/* NDJSON: reads one record (line) at a time in constant memory. Empty and
 * whitespace-only lines are skipped. */
typedef struct chuanp_ndjson_reader chuanp_ndjson_reader;
chuanp_ndjson_reader *chuanp_ndjson_reader_new(FILE *in, const char *file, const chuanp_json_opts *opts);
/* Returns 1 with *out (valid until the next call / arena reset), 0 at end,
 * >0... see below: 2 when the line did not parse (its diagnostic added to
 * diags; call again for the next line), <0 on I/O error or OOM. *line is
 * the 1-based line number of the record. */
int chuanp_ndjson_next(chuanp_ndjson_reader *r, chuanp_arena *arena, chuanp_jv **out,
                       long *line, chuan_diags *diags);
void chuanp_ndjson_reader_free(chuanp_ndjson_reader *r);
/* The raw bytes of the line returned by the last chuanp_ndjson_next (line
 * terminator and a trailing CR removed), and its byte offset in the input.
 * Valid until the next call. */
const char *chuanp_ndjson_raw(const chuanp_ndjson_reader *r, size_t *len, long long *offset);
#define CHUANP_NDJSON_MAX_LINE (64u << 20) /* longer lines: "json.line-too-long" */
/* Lower (or raise) the line limit of one reader (tests, callers with tighter budgets). */
void chuanp_ndjson_set_max_line(chuanp_ndjson_reader *r, size_t max_line);

#endif /* CHUAN_JSON_H */
