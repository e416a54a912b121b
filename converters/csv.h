/*
 * converters/csv.h - streaming CSV reader and writer (RFC 4180 plus dialects)
 * and the JSON <-> columns flattening rule.
 *
 * Reader: chuanp_csv_parser scans rows from a FILE in constant memory: one
 * buffer holds the current record (it grows only for a record larger than
 * the buffer, up to max_record bytes). Fields are returned decoded (quotes
 * removed, "" unescaped), NUL-terminated, borrowed until the next call.
 * Dialect: delimiter (or sniffed from the first lines, quote-aware), quote
 * character, UTF-8 BOM, LF / CRLF / CR line ends, quoted newlines.
 * Errors (diagnostic codes csv.*) carry line, record number and column.
 *
 * Writer: minimal RFC 4180 quoting (a cell is quoted only when it contains
 * the delimiter, the quote character, CR or LF), CRLF line ends, optional
 * BOM and formula guard.
 *
 * Flattening (converters/flatten.c, documented in README.md ("Flattening")):
 * a column name is the path of a leaf from the record root, segments joined
 * by the separator (default "."); in a segment "~" is written "~0", the
 * separator "~1", and an object key made only of ASCII digits gets the
 * prefix "~2" (plain digit segments are array indices, 0-based). A last
 * segment "~3" names the value of its parent path when other columns lie
 * below that path (see converters/flatten.c).
 */
#ifndef CHUAN_CSV_H
#define CHUAN_CSV_H

#include "record.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* Index of the first byte in s[i..n) that is a, b, c or e; n if none, 16
 * (SSE2) or 8 bytes at a time. *high |= 1 when a byte >= 0x80 comes before it. Shared
 * by the reader and the chunk splitter (converters/batch_split.c). */
static inline size_t chuanp_csv_scan4(const char *s, size_t i, size_t n, unsigned char a,
                                      unsigned char b, unsigned char c, unsigned char e, int *high)
{
#ifdef __SSE2__
    const __m128i va = _mm_set1_epi8((char)a), vb = _mm_set1_epi8((char)b),
                  vc = _mm_set1_epi8((char)c), ve = _mm_set1_epi8((char)e);
    while (i + 16 <= n) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        unsigned m = (unsigned)_mm_movemask_epi8(
            _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, va), _mm_cmpeq_epi8(v, vb)),
                         _mm_or_si128(_mm_cmpeq_epi8(v, vc), _mm_cmpeq_epi8(v, ve))));
        unsigned hm = (unsigned)_mm_movemask_epi8(v);
        if (m) {
            unsigned k = (unsigned)__builtin_ctz(m);
            if (hm & ((1u << k) - 1))
                *high = 1;
            return i + k;
        }
        if (hm)
            *high = 1;
        i += 16;
    }
#endif
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    const uint64_t pa = ones * a, pb = ones * b, pc = ones * c, pe = ones * e;
#define CHUANP_ZERO_BYTES(x) (((x) - ones) & ~(x) & highs) /* lowest set bit is exact */
    while (i + 8 <= n) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t m = CHUANP_ZERO_BYTES(w ^ pa) | CHUANP_ZERO_BYTES(w ^ pb) |
                     CHUANP_ZERO_BYTES(w ^ pc) | CHUANP_ZERO_BYTES(w ^ pe);
        if (m) {
            unsigned k = (unsigned)__builtin_ctzll(m) >> 3;
            if (k && (w & highs & ((1ULL << (k * 8)) - 1)))
                *high = 1;
            return i + k;
        }
        if (w & highs)
            *high = 1;
        i += 8;
    }
#undef CHUANP_ZERO_BYTES
#endif
    for (; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == a || ch == b || ch == c || ch == e)
            return i;
        if (ch >= 0x80)
            *high = 1;
    }
    return n;
}

/* ------------------------------------------------------------ reader */
typedef struct chuanp_csv_field {
    const char *text;     /* decoded, NUL-terminated (borrowed) */
    size_t len;
    long line;            /* line of the field's first byte (1-based) */
    long column;          /* character column (1-based); 0 until chuanp_csv_row_columns */
    size_t raw_start;     /* byte offset of the field in row->raw */
    unsigned quoted : 1;  /* was written in quotes */
    unsigned nonascii : 1;/* has bytes >= 0x80 (valid UTF-8) */
    unsigned not_nfc : 1; /* may not be NFC: needs chuanp_nfc */
} chuanp_csv_field;

typedef struct chuanp_csv_row {
    chuanp_csv_field *fields; /* borrowed until the next call */
    size_t count;
    long record;              /* 1-based record number in the file (header = 1) */
    long line;                /* line where the record starts */
    long long offset;         /* byte offset where it starts (after a BOM: counted) */
    const char *raw;          /* the row's bytes without its line end */
    size_t raw_len;
} chuanp_csv_row;

typedef struct chuanp_csv_parser chuanp_csv_parser;

typedef struct chuanp_csv_parser_opts {
    char delimiter;       /* 0 = sniff from the first lines */
    char quote;           /* 0 = '"' */
    const char *file;     /* name in diagnostics */
    size_t max_record;    /* bytes; 0 = 256 MiB */
    size_t max_fields;    /* fields per record; 0 = 1,000,000 */
    size_t buffer;        /* initial read buffer in bytes; 0 = 1 MiB (tests use tiny ones) */
} chuanp_csv_parser_opts;

/* Returns NULL on OOM. Does not read yet; does not close `in`. */
chuanp_csv_parser *chuanp_csv_parser_new(FILE *in, const chuanp_csv_parser_opts *o);
/* A parser over data[0..len), read in place (not copied, not changed; it must outlive the
 * parser): the same rows and diagnostics as a FILE holding those bytes. */
chuanp_csv_parser *chuanp_csv_parser_new_mem(const char *data, size_t len,
                                             const chuanp_csv_parser_opts *o);
/* Next record. 1: *row filled; 0: end of input; 2: this record is bad (a
 * diagnostic was added, row->count is 0; call again for the next record;
 * after an unterminated quote or a record over max_record the next call
 * returns 0); <0: fatal (I/O error, out of memory): stop.
 * Every row is returned, including the header; the caller decides. */
int chuanp_csv_next(chuanp_csv_parser *p, chuanp_csv_row *row, chuan_diags *d);

/* The keys of a flat header, encoded once for chuanp_csv_next_json. text
 * is followed by CHUANP_CSV_KEYS_PAD readable bytes (the fast path copies a
 * short key with two 16-byte moves). */
#define CHUANP_CSV_KEYS_PAD 32
typedef struct chuanp_csv_json_keys {
    const char *text;   /* per column "{" or "," + the key as a JSON string + ":", concatenated */
    const size_t *off;  /* column i's key is text[off[i]..off[i + 1]) */
    size_t ncols;
    int trailing;       /* rows may end with one more field, empty and unquoted */
} chuanp_csv_json_keys;

/* chuanp_csv_next for a caller that only wants each row as a JSON object of
 * strings keyed by k: a plain row (ncols fields, valid UTF-8 already in NFC)
 * is written straight into out (reset first) with *as_json = 1 and row
 * filled but for its fields, in one pass over the bytes; the same bytes as
 * chuanp_json_put_string() of each field after the key. Every other row
 * comes exactly as chuanp_csv_next gives it (*as_json = 0): blank lines,
 * malformed and ragged rows, invalid or non-NFC text, the header. */
int chuanp_csv_next_json(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out,
                         int *as_json, chuanp_csv_row *row, chuan_diags *d);
/* The plain rows ahead (those chuanp_csv_next_json gives as JSON), each
 * object and a "\n" appended to out, up to the first other row or the end
 * of the input (that row is left for the next call of chuanp_csv_next_json).
 * Returns how many, <0 out of memory. */
long chuanp_csv_json_rows(chuanp_csv_parser *p, const chuanp_csv_json_keys *k, chuanp_buf *out);
/* The same through a reader of chuanp_csv_reader_open with records_as_json,
 * once it has read the header (0 for any other reader, or while the header
 * or a row the reader must look at is next); those rows are not returned by
 * its next(). The batch workers write them straight into their output. */
long chuanp_csv_reader_json_rows(chuanp_reader *r, chuanp_buf *out);
/* Fill the character column of every field of row (one pass over the row). */
void chuanp_csv_row_columns(const chuanp_csv_row *row);
/* The delimiter in use (after sniffing; valid after the first next()). */
char chuanp_csv_delimiter(const chuanp_csv_parser *p);
const char *chuanp_csv_file(const chuanp_csv_parser *p);
void chuanp_csv_parser_free(chuanp_csv_parser *p);

/* Sniff the delimiter of head[0..len) among , ; TAB | (quote-aware: counts
 * fields per record over the first records and picks the delimiter giving
 * the most consistent count > 1). Returns ',' when nothing fits. */
char chuanp_csv_sniff(const char *head, size_t len, char quote);

/* Add a csv.* diagnostic at a row/field position. column 0 = unknown. */
void chuanp_csv_diag(chuan_diags *d, const char *file, const char *code, long line, long column,
                     long long offset, long record, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));

/* Text scan used by the reader: validate UTF-8 and say whether s may need
 * NFC normalisation. Returns -1 when valid (and sets *maybe_not_nfc), or
 * the byte offset of the first invalid sequence. */
long long chuanp_csv_text_check(const char *s, size_t len, int *maybe_not_nfc);

/* ------------------------------------------------------------ writer */
typedef struct chuanp_csv_out {
    FILE *out;
    chuanp_buf buf;
    char delimiter;
    char quote;
    int formula_guard;
    int err;            /* sticky write error */
    unsigned char special[256]; /* bytes that make a cell quoted (chuanp_csv_out_init) */
} chuanp_csv_out;

void chuanp_csv_out_init(chuanp_csv_out *w, FILE *out, char delimiter, char quote, int formula_guard);
void chuanp_csv_out_bom(chuanp_csv_out *w);
/* One cell; first = 1 for the first cell of a row. Text is NFC-normalised. */
void chuanp_csv_out_cell(chuanp_csv_out *w, const char *s, size_t len, int first);
void chuanp_csv_out_end_row(chuanp_csv_out *w);
/* Flush to the FILE. Returns 0 or -1 (write error, sticky). */
int chuanp_csv_out_flush(chuanp_csv_out *w);
void chuanp_csv_out_free(chuanp_csv_out *w);

/* Cell with quotes whatever it holds (--csv-null: "" is an empty string,
 * a quoted marker a string). */
void chuanp_csv_out_cell_quoted(chuanp_csv_out *w, const char *s, size_t len, int first);

/* ------------------------------------------------------ column union */
/* A set of names in order of addition (the writer's columns). */
typedef struct chuanp_colset {
    char **names;
    size_t *lens;
    size_t count, cap;
    size_t *slots; /* index + 1; 0 empty */
    size_t nslots;
} chuanp_colset;
long chuanp_colset_find(const chuanp_colset *m, const char *s, size_t len); /* index or -1 */
long chuanp_colset_add(chuanp_colset *m, const char *s, size_t len);        /* index or -1 (OOM) */
void chuanp_colset_free(chuanp_colset *m);
int chuanp_colset_truncate(chuanp_colset *m, size_t count); /* keep the first count; -1 OOM */
/* The NDJSON first pass (converters/csv_union_ndjson.c): keys into set. 0, or -1 (OOM, read error). */
int chuanp_csv_columns_scan_ndjson(FILE *in, const chuanp_convert_opts *o, chuanp_colset *set);
/* 1 when s holds a lone surrogate as the JSON reader stores one (WTF-8 ED A0..BF). */
int chuanp_wtf8_surrogate(const char *s, size_t len);

/* The columns of a CSV output from a first pass over `in` (the records of
 * format o->from): the union of every record's flattened keys, in order of
 * first appearance; with schema hints that name an order (o->hints:
 * JSON Schema, XSD, a package) the keys the schema names come first at
 * every level, in its order. Records that do not read are skipped (the
 * second pass reports them). Returns 0, or -1 (out of memory, read error). */
int chuanp_csv_columns_scan(FILE *in, const chuanp_convert_opts *o, chuanp_csv_columns *c);
/* Columns from a list "a,b,c" (--columns); a comma inside a name is
 * written "\,", a backslash "\\". Returns 0, -1 out of memory, 1 an empty
 * name or a bad escape. */
int chuanp_csv_columns_parse(chuanp_csv_columns *c, const char *list);
/* Append one name (copied). Returns 0 or -1 (out of memory). */
int chuanp_csv_columns_add(chuanp_csv_columns *c, const char *name, size_t len);
void chuanp_csv_columns_free(chuanp_csv_columns *c);
/* Whether the CSV output of records read as o->from needs a first pass:
 * a record stream (NDJSON, CSV, XML with --record) to CSV without given
 * columns. */
int chuanp_csv_columns_wanted(const chuanp_convert_opts *o);

/* -------------------------------------------------------- flattening */
/* A compiled header: column paths arranged as a tree, to build one nested
 * record per row (unflatten) without re-parsing the names. */
typedef struct chuanp_flat_tree chuanp_flat_tree;

/* Compile column names (NUL-terminated, NFC) into a tree. sep NULL = ".";
 * flags: CHUANP_FLAT_LITERAL keeps every name as one top-level key
 * (--no-flatten); CHUANP_FLAT_SAY_LITERAL: the caller has that option
 * (convert), so a header diagnostic offers it.
 * Returns 0, or >0 with a csv.header-* diagnostic (duplicate column,
 * a column that is both a value and a parent, array indices that are not
 * 0..n-1, a "~" escape that is not ~0 ~1 ~2), <0 on OOM. */
enum { CHUANP_FLAT_LITERAL = 1u, CHUANP_FLAT_SAY_LITERAL = 2u };
int chuanp_flat_tree_new(chuanp_flat_tree **out, const char *const *names, size_t n,
                         const char *sep, unsigned flags, const char *file, chuan_diags *d);
void chuanp_flat_tree_free(chuanp_flat_tree *t);

/* How one column's cell becomes a JSON value. */
typedef chuanp_jv *(*chuanp_flat_cell_fn)(void *ctx, size_t column, chuanp_arena *a);
/* Build the nested record: cell(ctx, i, a) gives column i's value (NULL =
 * leave the key out). Returns NULL on OOM. */
chuanp_jv *chuanp_flat_tree_build(const chuanp_flat_tree *t, chuanp_flat_cell_fn cell, void *ctx,
                                  chuanp_arena *a);
/* After building with empty cells left out: drop the objects and arrays left empty (a column
 * group of a row that has none), containers without a position taking their parent's.
 * Returns 1 when v itself is empty. */
int chuanp_flat_prune(chuanp_jv *v, const chuanp_jv *parent, int depth);
/* Build options: sparse = the --csv-null rules (a cell NULL is a missing
 * key; an object or array whose cells are all missing is missing; an
 * array loses its missing tail). conflict (out): column + 1 of a PATH.~3
 * column whose path also has values in the columns below it (the ~3 value
 * is kept; the caller reports the row), 0 none. */
typedef struct chuanp_flat_build_opts {
    int sparse;
    size_t conflict;
} chuanp_flat_build_opts;
chuanp_jv *chuanp_flat_tree_build_ex(const chuanp_flat_tree *t, chuanp_flat_cell_fn cell, void *ctx,
                                     chuanp_arena *a, chuanp_flat_build_opts *bo);
/* 1 when every column is a top-level key, in column order (no nesting). */
int chuanp_flat_tree_is_flat(const chuanp_flat_tree *t);
/* The key path of column i: *depth segments (borrowed), for schema hints. */
const char *const *chuanp_flat_tree_path(const chuanp_flat_tree *t, size_t column, size_t *depth);

/* Flatten a record into (column name, cell) pairs in document order.
 * Column names are appended to `names` as NUL-terminated strings; cells
 * are chuanp_jv leaves (scalars, or empty object/array; with literal = 1,
 * top-level members whatever their type). The visitor gets each pair;
 * returns 0 or <0 on OOM. */
typedef int (*chuanp_flat_visit_fn)(void *ctx, const char *name, size_t name_len,
                                    const chuanp_jv *leaf);
/* 1 when s[0..len) is an array index as flattening writes it: decimal digits,
 * no leading zero (but "0"), at most 18 digits. */
int chuanp_flat_canonical_index(const char *s, size_t len);
int chuanp_flatten(const chuanp_jv *record, const char *sep, int literal,
                   chuanp_flat_visit_fn visit, void *ctx);

/* Append sep and the array index i (a path segment). */
void chuanp_flat_put_index(chuanp_buf *b, const char *sep, size_t seplen, size_t i);
/* Escape one key as a path segment into b (appending). */
void chuanp_flat_escape(chuanp_buf *b, const char *key, size_t len, const char *sep);

/* Cell text of a flattened leaf (see README.md ("Flattening")): string as is,
 * number exact text, true/false, null empty, {} and [] as "{}" "[]"; in
 * literal mode a non-empty object/array is its compact JSON text. */
void chuanp_flat_cell_text(chuanp_buf *b, const chuanp_jv *leaf);

#endif /* CHUAN_CSV_H */
