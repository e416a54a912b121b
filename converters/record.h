/*
 * converters/record.h - the conversion pipeline: reader -> records -> writer.
 *
 * Every conversion is a record reader for the source format feeding a
 * record writer for the target format. A record is a JSON value tree
 * (converters/json.h) in an arena the pipeline resets after each record,
 * so record streams (NDJSON, CSV rows, XML with --record) run in constant
 * memory. A non-streaming source (one JSON document, one XML document
 * without --record) yields exactly one record.
 *
 * Converters never import validator/: schema-aware mappings receive the
 * schema's answers through chuanp_schema_hints, which validator/ fills.
 */
#ifndef CHUAN_RECORD_H
#define CHUAN_RECORD_H

#include "json.h"

typedef struct chuanp_record {
    chuanp_jv *value;
    long index;          /* 1-based record number in its source */
    long line;           /* line where the record starts (0 unknown) */
    long long offset;    /* byte offset where it starts (-1 unknown) */
    const char *raw;     /* original bytes of the record when cheap to keep (NDJSON line, CSV row) */
    size_t raw_len;
    /* With chuanp_convert_opts.records_as_json, a reader that can gives the
     * record as compact JSON text instead (value NULL); borrowed until the
     * next call. */
    const char *json;
    size_t json_len;
} chuanp_record;

/* ---- schema hints: what a schema says about a path ------------------- */
typedef enum {
    CHUANP_HINT_UNKNOWN = 0,
    CHUANP_HINT_STRING,
    CHUANP_HINT_INTEGER,
    CHUANP_HINT_NUMBER,
    CHUANP_HINT_BOOLEAN,
    CHUANP_HINT_OBJECT,
    CHUANP_HINT_NULL
} chuanp_hint_type;

typedef struct chuanp_hint {
    int known;            /* the schema describes this path */
    int is_array;         /* the element may repeat: always an array */
    chuanp_hint_type type;/* scalar/object type of the (item) value */
} chuanp_hint;

typedef struct chuanp_schema_hints {
    void *ctx;
    /* path: element/key names from the document root, depth entries. */
    int (*lookup)(void *ctx, const char *const *path, size_t depth, chuanp_hint *out);
    /* Child names in schema order for an object at path (for JSON -> XML);
     * returns the count written to names (at most max), or -1 unknown. */
    int (*child_order)(void *ctx, const char *const *path, size_t depth,
                       const char **names, int max);
} chuanp_schema_hints;

/* ---- options for every reader and writer ----------------------------- */
typedef enum {
    CHUANP_MAP_SIMPLE = 0,
    CHUANP_MAP_JSONML,
    CHUANP_MAP_W3C
} chuanp_mapping;

/* The columns of a CSV output, known before the first row is written: the
 * union of every record's flattened keys (chuanp_csv_columns_scan, a first
 * pass) or given (--columns, a Table Schema's fields). Names are flattened
 * key paths (converters/flatten.c) as the records give them. */
typedef struct chuanp_csv_columns {
    char **names;
    size_t count;
    int given;             /* given by the user: a record with another key is an error */
} chuanp_csv_columns;

typedef struct chuanp_csv_dialect {
    char delimiter;        /* 0 = sniff */
    char quote;            /* default '"' */
    int header;            /* 1 header row (default), 0 none */
    int bom;               /* writer: emit a UTF-8 BOM */
    int formula_guard;     /* writer: prefix ' to cells starting with = + - @ */
    const char *sep;       /* flattening separator for nested keys, default "." */
    int no_flatten;        /* writer: nested values as JSON text in one cell */
    int offers_no_flatten; /* the verb has --no-flatten (convert): header diagnostics offer it */
    const chuanp_csv_columns *columns; /* writer: the columns; NULL: a first pass finds them */
    /* --csv-null MARKER, both ways: an unquoted MARKER cell is null, an empty
     * unquoted cell a missing key, "" an empty string. NULL: empty = "" (reader), null and
     * missing keys written empty (writer). */
    const char *null_marker;
} chuanp_csv_dialect;

/* A standard package's own forms (`convert -s`), filled by the CLI from the package (converters
 * never import validator/): where a JSON document holds its records and what surrounds them,
 * and the CSV columns in order. */
typedef struct chuanp_package_forms {
    const char *json_records;       /* "/data": the JSON reader yields the items of this array (a
                                       document without it: an array's items, else the document);
                                       the JSON writer puts the records there. NULL: whole document */
    const chuanp_jv *json_envelope; /* the other members the JSON writer writes, unless the input
                                       document had its own (envelope_seen); may be NULL */
    const char *const *csv_columns; /* the CSV writer's header, in order (ncsv_columns) */
    size_t ncsv_columns;
} chuanp_package_forms;

typedef struct chuanp_convert_opts {
    chuanp_format from, to;
    chuanp_mapping mapping;
    const char *record_path;       /* --record /A/B */
    const char *record_wrapper;    /* NDJSON -> XML wrapper element name */
    const char *encoding;          /* --encoding, NULL = auto */
    const char *table;             /* --table: the table of an MDB input (converters/table.h) */
    chuanp_csv_dialect csv;
    const chuanp_schema_hints *hints; /* NULL without a schema */
    int indent;                    /* JSON/XML pretty-printing; 0 compact */
    const char *file;              /* input name for diagnostics */
    size_t max_depth;
    /* JSON readers: keep duplicate keys (in order) without an error, for
     * mappings that decide themselves (w3c duplicates=retain|use-first). */
    int json_allow_duplicates;
    const struct chuanp_w3c_opts *w3c; /* NULL: the defaults below */
    /* The records go straight to a compact JSON/NDJSON writer and nothing
     * else looks at them: a reader may fill rec->json instead of rec->value
     * (the CSV reader does for a flat header without schema hints, which
     * saves building a value tree per row). */
    int records_as_json;
    /* convert -s: the package's forms, NULL otherwise; envelope_seen (may be NULL) receives
     * from the JSON reader the members around the records ("\"service\":\"X\",...", compact)
     * for the JSON writer of the same conversion. */
    const chuanp_package_forms *forms;
    chuanp_buf *envelope_seen;
    /* spreadsheets (XLSX, XLS): --sheet, --header-row, --font-map, --columns-map
     * (converters/sheet.h); NULL: the defaults */
    const struct chuanp_sheet_opts *sheet;
    /* The whole input is these bytes, which outlive the reader: a reader that can read in
     * place (CSV) does, without copying them through the FILE it is also given. */
    const char *in_mem;
    size_t in_mem_len;
} chuanp_convert_opts;

/* ---- w3c mapping options (XPath 3.1 fn:json-to-xml / fn:xml-to-json) --- */
enum { CHUANP_W3C_ESCAPE_AUTO = -1, CHUANP_W3C_ESCAPE_FALSE = 0, CHUANP_W3C_ESCAPE_TRUE = 1 };
enum { CHUANP_W3C_DUP_DEFAULT = 0, CHUANP_W3C_DUP_RETAIN, CHUANP_W3C_DUP_REJECT,
       CHUANP_W3C_DUP_USE_FIRST };
typedef struct chuanp_w3c_opts {
    int escape;      /* AUTO (chuan's default): escape only strings XML cannot hold */
    int duplicates;  /* DEFAULT: reject when validate, else retain */
    int validate;    /* check the XML against the schema-for-json rules */
    int liberal;     /* accepted; the JSON parser stays strict (the spec allows it) */
} chuanp_w3c_opts;
/* One --w3c KEY=VALUE (escape=auto|true|false, duplicates=retain|reject|
 * use-first, validate=true|false, liberal=true|false) into w: 0, or -1 when
 * it is none of them (w unchanged). */
int chuanp_w3c_opt_parse(chuanp_w3c_opts *w, const char *v);

/* ---- readers ----------------------------------------------------------- */
typedef struct chuanp_reader chuanp_reader;
struct chuanp_reader_ops {
    /* 1: *rec filled (allocated in arena); 0: end of input;
     * 2: this record is bad (diagnostic added), call again for the next;
     * <0: fatal (diagnostic added): stop. */
    int (*next)(chuanp_reader *r, chuanp_arena *arena, chuanp_record *rec, chuan_diags *d);
    void (*free)(chuanp_reader *r);
};
struct chuanp_reader {
    const struct chuanp_reader_ops *ops;
    int streaming; /* yields a sequence of records, not one document */
    const chuanp_part *part; /* the sheet its records come from (core.h), NULL: none */
};

/* ---- writers ----------------------------------------------------------- */
typedef struct chuanp_writer chuanp_writer;
struct chuanp_writer_ops {
    int (*begin)(chuanp_writer *w, int streaming);
    /* 0 written; >0 this record cannot be represented (diagnostic added,
     * nothing written); <0 fatal (write error). */
    int (*write)(chuanp_writer *w, const chuanp_record *rec, chuan_diags *d);
    int (*end)(chuanp_writer *w);
    void (*free)(chuanp_writer *w);
};
struct chuanp_writer {
    const struct chuanp_writer_ops *ops;
    FILE *out;
};

/* ---- factories (registered in converters/convert.c) ------------------- */
/* Open a reader over `in` (already decoded to UTF-8) or a writer to `out`.
 * Return 0, or <0 with a diagnostic. Neither closes the FILE. */
typedef int (*chuanp_reader_open_fn)(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o,
                                     chuan_diags *d);
typedef int (*chuanp_writer_open_fn)(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o,
                                     chuan_diags *d);

int chuanp_json_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_ndjson_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_xml_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_csv_reader_open(chuanp_reader **r, FILE *in, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_json_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_ndjson_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_xml_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o, chuan_diags *d);
int chuanp_csv_writer_open(chuanp_writer **w, FILE *out, const chuanp_convert_opts *o, chuan_diags *d);

#endif /* CHUAN_RECORD_H */
