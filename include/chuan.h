/*
 * chuan.h - the one public header of libchuan.
 *
 * libchuan validates data-exchange payloads (XML, JSON/NDJSON, CSV) against
 * schemas and standard packages and converts between those formats.
 *
 * Ownership rules (written once, encoded in names):
 *   - chuan_*_new() returns a new object owned by the caller; release it
 *     with the matching chuan_*_free(). Every _free() accepts NULL.
 *   - Getters return borrowed pointers, valid until the owner is freed.
 *   - chuan_diags_add() copies every string of the diagnostic it is given;
 *     the list owns its copies.
 *   - Argument order: destination, inputs, sizes, error/diagnostics last.
 *
 * Results are three-way everywhere: 0 valid/ok, >0 violations found,
 * <0 internal error (the tool could not do its job). The CLI maps them to
 * exit codes 0, 1 and 2.
 */
#ifndef CHUAN_H
#define CHUAN_H

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CHUAN_VERSION "0.1.0"

#if defined(__GNUC__)
#define CHUAN_API __attribute__((visibility("default")))
#define CHUAN_WUR __attribute__((warn_unused_result))
#else
#define CHUAN_API
#define CHUAN_WUR
#endif

/* Exit codes of the command-line tool (DESIGN.md "CLI contract"). */
enum {
    CHUAN_EXIT_OK = 0,      /* everything valid / converted */
    CHUAN_EXIT_INVALID = 1, /* at least one input invalid or not convertible */
    CHUAN_EXIT_FAILURE = 2  /* the tool could not do its job */
};

/* Run the command-line tool in-process. Never calls exit(). Writes normal
 * output to `out` and diagnostics about the run itself to `err`. */
CHUAN_API int chuan_main(int argc, const char **argv, FILE *out, FILE *err);

/* ------------------------------------------------------------------ */
/* Memory                                                              */

/* Every allocation of libchuan (and of libxml2/libxslt once chuan has set
 * them up) goes through these three functions. Call chuan_set_allocator()
 * before any other libchuan function; it returns -1 (and changes nothing)
 * once libchuan has allocated memory, or when a function is NULL. The free
 * function receives only pointers its malloc/realloc returned. When an
 * allocation fails, the operation reports an internal error (<0; exit 2
 * on the command line): running out of memory is never a verdict. */
typedef void *(*chuan_malloc_fn)(size_t size);
typedef void *(*chuan_realloc_fn)(void *ptr, size_t size);
typedef void (*chuan_free_fn)(void *ptr);
CHUAN_API int chuan_set_allocator(chuan_malloc_fn m, chuan_realloc_fn r, chuan_free_fn f);

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */

typedef enum {
    CHUAN_SEV_ERROR = 0,
    CHUAN_SEV_WARNING = 1,
    CHUAN_SEV_INFO = 2
} chuan_severity;

/* One finding. Strings may be NULL when unknown; numbers are 0 (line,
 * column) or -1 (offset) when unknown. Lines and columns are 1-based;
 * columns count Unicode characters. */
typedef struct chuan_diag {
    chuan_severity severity;
    const char *code;       /* stable id: "xsd.pattern", "json.parse", "EDX-007" */
    const char *message;    /* English */
    const char *message_vi; /* Vietnamese, optional */
    const char *file;       /* input name as given by the user ("-" for stdin) */
    long line;
    long column;
    long long offset;       /* byte offset into the input */
    const char *path;       /* XPath, JSON Pointer, or "row N, column NAME" */
    const char *source;     /* the regulation the rule comes from */
    const char *keyword_location; /* JSON Schema: e.g. "/properties/a/type" */
    const char *schema_location;  /* JSON Schema: absolute keyword URI */
    const char *properties; /* Schematron: the sch:property elements the check references,
                               one "ID<TAB>TEXT" a line (lines joined by '\n'), or NULL */
} chuan_diag;

/* An ordered list of diagnostics with a cap (max == 0: no cap). Diagnostics
 * past the cap are counted in `dropped` but not stored. */
typedef struct chuan_diags {
    chuan_diag *items;
    size_t count;
    size_t cap;
    size_t max;
    size_t dropped;
    size_t errors;   /* severity error, stored or dropped */
    size_t warnings; /* severity warning, stored or dropped */
    int oom;         /* sticky: an allocation failed while adding */
} chuan_diags;

CHUAN_API void chuan_diags_init(chuan_diags *list, size_t max);
/* Copies every string of *d. Returns 0, or -1 when out of memory. */
CHUAN_API int chuan_diags_add(chuan_diags *list, const chuan_diag *d);
/* printf-style message; other fields from *d (d->message ignored). */
CHUAN_API int chuan_diags_addf(chuan_diags *list, const chuan_diag *d, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Move all items of src to the end of dst (src is left empty). */
CHUAN_API int chuan_diags_move(chuan_diags *dst, chuan_diags *src);
CHUAN_API void chuan_diags_clear(chuan_diags *list);

/* ------------------------------------------------------------------ */
/* Results of checking inputs, rendered by reporters                   */

typedef enum {
    CHUAN_STATUS_VALID = 0,
    CHUAN_STATUS_INVALID = 1,
    CHUAN_STATUS_FAILED = 2, /* could not be checked at all (unreadable...) */
    CHUAN_STATUS_WELLFORMED = 3 /* no standard or schema applied: only well-formedness was
                                   checked, and it held (never called "valid") */
} chuan_status;

typedef struct chuan_file_result {
    char *file;      /* input name */
    char *format;    /* "xml", "json", "ndjson", "csv" */
    char *standard;  /* standard id or schema path used, may be NULL */
    chuan_status status;
    long records;    /* records checked (NDJSON lines, CSV rows), 0 if n/a */
    double seconds;  /* wall time spent on this input */
    chuan_diags diags;
    char *selected;  /* why the standard was chosen when auto-selected ("from the JSON
                        member /service \"DongBoHoSoMC\""), else NULL */
} chuan_file_result;

CHUAN_API void chuan_file_result_init(chuan_file_result *r, const char *file);
CHUAN_API void chuan_file_result_clear(chuan_file_result *r);

typedef enum {
    CHUAN_REPORT_TEXT = 0,
    CHUAN_REPORT_JSON,
    CHUAN_REPORT_JUNIT,
    CHUAN_REPORT_SARIF,
    CHUAN_REPORT_GITHUB,
    CHUAN_REPORT_HTML
} chuan_report_format;

/* Parse "text", "json", ... Returns -1 for an unknown name. */
CHUAN_API int chuan_report_format_parse(const char *name);

/* A reporter is streamed: begin, one call per file in input order, end.
 * Reporters that need the whole list (junit, sarif, json) buffer it. */
typedef struct chuan_reporter chuan_reporter;

typedef struct chuan_report_opts {
    chuan_report_format format;
    int color;        /* text: ANSI colour (only when writing to a TTY) */
    int quiet;        /* text: only invalid files and the summary */
    const char *tool_command; /* e.g. "validate", used in junit/sarif names */
} chuan_report_opts;

CHUAN_API chuan_reporter *chuan_reporter_new(FILE *out, const chuan_report_opts *opts);
CHUAN_API int chuan_reporter_file(chuan_reporter *rep, const chuan_file_result *r);
/* Writes the summary/closing structure. Returns 0 or -1 on write error. */
CHUAN_API int chuan_reporter_end(chuan_reporter *rep);
CHUAN_API void chuan_reporter_free(chuan_reporter *rep);


/* ------------------------------------------------------------------ */
/* Validating from C (the engines behind `chuan validate`)            */

/* A compiled validator: a schema or a standard package, compiled once and
 * then used by any number of threads at the same time (read-only). */
typedef struct chuan_validator chuan_validator;

typedef struct chuan_validator_opts {
    const char *schema;       /* schema file: .xsd .rng .sch, JSON Schema, Table Schema */
    const void *schema_text;  /* or the schema in memory (schema_len bytes). A JSON     */
    size_t schema_len;        /* Schema, XSD or RELAX NG is "schema-in-memory.json"
                                 (.xsd, .rng) of the working directory: its relative
                                 $refs, includes, imports and externalRefs resolve from
                                 there (and read nothing outside it); Schematron and
                                 Table Schema are read from an unlinked copy, where
                                 relative includes do not resolve */
    const char *schema_type;  /* "xsd" "rng" "schematron" "jsonschema" "tableschema";
                                 NULL: from the file name, then the content */
    const char *standard;     /* or a standard package: id[@version] or a folder */
    const char *draft;        /* JSON Schema dialect when the schema has no $schema */
    const char *as_of;        /* YYYY-MM-DD: date for code-list validity */
    int assert_formats;       /* JSON Schema "format" as an assertion */
    size_t max_errors;        /* diagnostics kept per input; 0: 1000 */
} chuan_validator_opts;

/* Compile. opts NULL or without schema and standard: well-formedness only.
 * Returns a new validator (chuan_validator_free), or NULL with the reasons
 * as diagnostics in *errors (may be NULL) when the schema or package does
 * not compile, or when out of memory. */
CHUAN_API CHUAN_WUR chuan_validator *chuan_validator_new(const chuan_validator_opts *opts,
                                                         chuan_diags *errors);
CHUAN_API void chuan_validator_free(chuan_validator *v);

/* Validate the file at path ("-": standard input) into *res, which the
 * call initialises (release it with chuan_file_result_clear). format:
 * "xml" "json" "ndjson" "csv" or NULL (from the name, then the content);
 * legacy Vietnamese encodings are detected and decoded as by the CLI.
 * Returns 0 valid (or well-formed: res->status CHUAN_STATUS_WELLFORMED when the validator has
 * no schema or standard), 1 invalid, <0 could not check (res says why). */
CHUAN_API int chuan_validate_file(const chuan_validator *v, const char *path, const char *format,
                                  chuan_file_result *res);
/* The same for data[0..len) in memory, reported under the name `name`. */
CHUAN_API int chuan_validate_buffer(const chuan_validator *v, const char *name, const void *data,
                                    size_t len, const char *format, chuan_file_result *res);

/* Reads up to size bytes into buf: returns the count, 0 at the end, <0 on
 * an error (errno may say which). */
typedef long (*chuan_read_fn)(void *ctx, void *buf, size_t size);

/* The same for a stream read to its end (fp is not closed), or for what a
 * read callback returns, reported under `name` (NULL: "<stream>"). The
 * bytes are spooled to an unlinked temporary file first: the engines and
 * the CLI read the same way. A read error is <0 (res says why). */
CHUAN_API int chuan_validate_stream(const chuan_validator *v, const char *name, FILE *fp,
                                    const char *format, chuan_file_result *res);
CHUAN_API int chuan_validate_read(const chuan_validator *v, const char *name, chuan_read_fn read,
                                  void *read_ctx, const char *format, chuan_file_result *res);

/* Diagnostics through a callback: fn is called for each diagnostic of the
 * list in order (e.g. res->diags after a validate call); a non-zero return
 * stops the walk and is returned. */
typedef int (*chuan_diag_fn)(void *ctx, const chuan_diag *d);
CHUAN_API int chuan_diags_each(const chuan_diags *list, chuan_diag_fn fn, void *ctx);

/* ------------------------------------------------------------------ */
/* Converting from C (the engine behind `chuan convert`)              */

typedef struct chuan_converter chuan_converter;

typedef struct chuan_converter_opts {
    const char *from;         /* "xml" "json" "ndjson" "csv" or NULL: per input */
    const char *to;           /* required */
    const char *mapping;      /* XML<->JSON: "simple" (default), "jsonml", "w3c" */
    const char *schema;       /* schema-aware mapping: XSD, JSON Schema or Table Schema */
    const char *record;       /* the repeating record element/array, e.g. /DanhSach/HoSo */
    int indent;               /* pretty-print JSON/XML with this many spaces; 0 compact */
    /* Validation on the way (`chuan convert -s ID` / `--schema FILE.json`): a standard
     * package id[@version] or folder, whose package forms (JSON envelope, CSV columns,
     * XML record element) shape the conversion, or a JSON Schema given as `schema`.
     * Each record that fails to convert or to validate goes to the rejects (below),
     * the others to the output: the bytes `chuan convert -s ID --rejects F` writes. */
    const char *standard;
    const char *encoding;     /* input encoding (--encoding), NULL: detected */
    int jobs;                 /* worker threads on one NDJSON/CSV stream (-j); 0: 1 */
} chuan_converter_opts;

/* Receives the converted bytes in order; returns 0, or -1 to stop (the
 * conversion then fails). */
typedef int (*chuan_sink_fn)(void *ctx, const void *data, size_t len);

CHUAN_API CHUAN_WUR chuan_converter *chuan_converter_new(const chuan_converter_opts *opts,
                                                         chuan_diags *errors);
CHUAN_API void chuan_converter_free(chuan_converter *c);
/* Convert the file at path (or data[0..len), named `name`) to the sink.
 * Diagnostics (records that could not be converted, with their lines) go
 * to *diags (initialised by the caller). Returns 0 converted, 1 some or all
 * records could not be converted (the output may hold the others), <0 the
 * conversion could not run. The output is complete only when 0 or 1. */
CHUAN_API int chuan_convert_file(const chuan_converter *c, const char *path, chuan_sink_fn sink,
                                 void *ctx, chuan_diags *diags);
CHUAN_API int chuan_convert_buffer(const chuan_converter *c, const char *name, const void *data,
                                   size_t len, chuan_sink_fn sink, void *ctx, chuan_diags *diags);

/* One conversion with everything spelled out: the input, the two sinks and,
 * for a partition of a larger NDJSON or CSV input, where it sits in the whole.
 * Converting the partitions of a file one by one (in any order, on any
 * machine) and concatenating outputs and rejects in partition order gives the
 * bytes of one run over the whole file (docs/distributed.md). */
typedef struct chuan_convert_job {
    const char *name;         /* the input's name in diagnostics and rejects ("file") */
    /* the input: exactly one of */
    const char *path;         /* a file ("-": standard input) */
    const void *data;         /* bytes in memory (len) */
    size_t len;
    FILE *fp;                 /* a stream read to its end (not closed) */
    chuan_read_fn read;       /* a read callback */
    void *read_ctx;
    /* the sinks */
    chuan_sink_fn out;        /* converted records (required) */
    void *out_ctx;
    chuan_sink_fn rejects;    /* rejects, one NDJSON line each; NULL: not kept */
    void *rejects_ctx;
    /* a partition (NDJSON or CSV, cut at record boundaries; a CSV partition starts
     * with the whole input's header line): the line of the whole input its first
     * record starts on and the records of the whole input before it (CSV: the
     * header not counted). 0 and 0: the input is whole. Diagnostics and rejects
     * then carry the whole input's lines and rows. */
    long first_line;
    long records_before;
    /* results: records read, written to out, sent to the rejects */
    long records, written, rejected;
} chuan_convert_job;

/* Run a job. Diagnostics go to *diags (initialised by the caller); with a
 * standard or a JSON Schema, those of rejected records are in the rejects too.
 * Returns 0 every record converted (and valid), 1 some records rejected or
 * not converted, <0 the conversion could not run (the sinks may have received
 * part of the output: discard it). */
CHUAN_API int chuan_convert(const chuan_converter *c, chuan_convert_job *job, chuan_diags *diags);
/* The same as chuan_convert_file for a stream read to its end. */
CHUAN_API int chuan_convert_stream(const chuan_converter *c, const char *name, FILE *fp,
                                   chuan_sink_fn sink, void *ctx, chuan_diags *diags);

/* Release memory libchuan handed out (with the allocator in force). */
CHUAN_API void chuan_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* CHUAN_H */
