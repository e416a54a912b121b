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
#else
#define CHUAN_API
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

#ifdef __cplusplus
}
#endif

#endif /* CHUAN_H */
