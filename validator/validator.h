/*
 * validator/validator.h - schema engines behind `chuan validate`.
 *
 * An engine is compiled once per run (chuanp_engine_compile) and then
 * shared, read-only, by every worker thread: check() must be thread-safe
 * (per-call state lives on the stack or in per-call allocations).
 */
#ifndef CHUAN_VALIDATOR_H
#define CHUAN_VALIDATOR_H

#include "../core/core.h"
#include "../converters/record.h"

typedef enum {
    CHUANP_SCHEMA_NONE = 0,   /* well-formedness only */
    CHUANP_SCHEMA_XSD,
    CHUANP_SCHEMA_RNG,
    CHUANP_SCHEMA_SCHEMATRON,
    CHUANP_SCHEMA_JSONSCHEMA,
    CHUANP_SCHEMA_TABLESCHEMA,
    CHUANP_SCHEMA_STANDARD
} chuanp_schema_type;

const char *chuanp_schema_type_name(chuanp_schema_type t);
int chuanp_schema_type_parse(const char *name); /* -1 unknown */
/* Guess from the extension, then the content of the schema file. */
chuanp_schema_type chuanp_schema_type_guess(const char *path);
/* The name a JSON Schema in memory has (file://<working directory>/NAME): relative $refs
 * resolve from the working directory; diagnostics about the schema name it. */
#define CHUANP_SCHEMA_TEXT_NAME "schema-in-memory.json"
/* Guess from the content of a schema in memory (its first 4 KiB). */
chuanp_schema_type chuanp_schema_type_sniff(const char *text, size_t len);

typedef struct chuanp_ref_map {
    const char *prefix; /* URI prefix */
    const char *path;   /* local file or directory */
} chuanp_ref_map;

typedef struct chuanp_engine_opts {
    chuanp_schema_type type;
    const char *schema_path;     /* --schema FILE, or the standard path */
    const char *schema_text;     /* or a JSON Schema, XSD or RELAX NG schema in memory
                                    (schema_len bytes; the API's schema_text): relative $refs
                                    and includes resolve from the working directory */
    size_t schema_len;
    int schema_text_reads_files; /* its $refs/includes may read below the working directory
                                    (the API), or no local file (a schema uploaded to the
                                    service) */
    const char *standard;        /* -s ID[@VERSION] */
    chuanp_format format;        /* --format (AUTO = sniff per input) */
    const char *table;           /* --table: the table of an MDB input (converters/table.h) */
    const char *draft;           /* --draft */
    const chuanp_ref_map *refs;  /* --ref, nrefs entries */
    size_t nrefs;
    int assert_formats;
    const char *as_of;           /* --as-of YYYY-MM-DD for code list validity */
    const char *phase;           /* --phase: Schematron phase id, #ALL, #DEFAULT (NULL: #DEFAULT) */
    const char *unwrap;          /* --unwrap POINTER: JSON payloads carry the standard's payload
                                    base64-encoded in that member (standard engine only) */
    size_t max_errors;
    const char *package_dir;     /* the standard package the schema comes from (NULL: none):
                                    its folder may be read by the schema (core/confine.h) */
    const struct chuanp_sheet_opts *sheet; /* XLSX/XLS inputs: --sheet, --header-row... (NULL:
                                    the defaults; converters/sheet.h) */
} chuanp_engine_opts;

typedef struct chuanp_engine chuanp_engine;
struct chuanp_engine_ops {
    const char *name;
    /* Check one input, filling res (format, records, diags). Returns 0
     * valid, >0 invalid, <0 could not check (a diagnostic says why). */
    int (*check)(const chuanp_engine *e, const chuanp_input *in, chuanp_format fmt,
                 chuan_file_result *res);
    void (*free)(chuanp_engine *e);
};
struct chuanp_engine {
    const struct chuanp_engine_ops *ops;
    chuanp_engine_opts opts;
    const char *label; /* shown in reports: schema path or standard id */
};

/* Compile the engine selected by opts->type. Returns 0, or <0 with
 * diagnostics (a schema that does not compile is exit code 2). */
int chuanp_engine_compile(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d);
/* Settle opts->type from --schema (its kind guessed by name unless given),
 * --standard, --schema-type: 0, or 1 both --schema and --standard, 2 the
 * schema cannot be read (errno), 3 its kind cannot be told, 4 a kind
 * without --schema. */
int chuanp_engine_opts_settle(chuanp_engine_opts *opts);
/* Add "PREFIX=PATH" (--ref) to refs[*n] (cap entries; the prefix is new:
 * chuanp_free): 0, -1 not that shape, -2 cap reached, -3 out of memory. */
int chuanp_ref_map_add(chuanp_ref_map *refs, size_t *n, size_t cap, const char *v);
/* Add to reads the files compiling opts reads (the schema, --ref files, the
 * package's files), so that no output replaces one: 0, or -1 out of memory. */
int chuanp_engine_opts_reads(const chuanp_engine_opts *opts, chuanp_pathlist *reads);
void chuanp_engine_free(chuanp_engine *e);

/* Engine constructors, one per schema type (dispatched by the table in
 * validator/engine.c). */
typedef int (*chuanp_engine_ctor)(chuanp_engine **out, const chuanp_engine_opts *opts,
                                  chuan_diags *d);
int chuanp_xml_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d);
int chuanp_schematron_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d);
int chuanp_standard_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d);
int chuanp_wellformed_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d);
/* Streaming well-formedness + XSD/RELAX NG check of one XML input with an
 * engine made by chuanp_xml_engine_new (any type: NONE, XSD, RNG). */
int chuanp_xml_check(const chuanp_engine *e, const chuanp_input *in, chuan_file_result *res);

/* Check one input (shown as `name`, read from `path`) with engine e: the
 * format is fmt, else the engine's, else sniffed; the input goes through the
 * input front end (converters/input.h: legacy encodings decoded as
 * `encoding` says; note: add the encoding.decoded info), then the engine;
 * res->format, standard, status and seconds are set. Returns the engine's
 * three-way result; *enc_out (may be NULL) gets the chuanp_enc read as. */
int chuanp_validate_one(const chuanp_engine *e, const char *name, const char *path,
                        chuanp_format fmt, const char *encoding, int note, chuan_file_result *res,
                        int *enc_out);

/* What auto-selection found about an input (chuanp_std_choice of
 * validator/standard.h: the reason it gives, its diagnostics such as
 * standard.unknown-service) moved into the input's result before the check,
 * so they come first and an error among them makes the input invalid; the
 * diagnostics are relabelled as `name`. The one path of `chuan validate`
 * and `chuan serve` (validator/validate_one.c). 0, or -1 out of memory. */
struct chuanp_std_choice;
int chuanp_result_take_choice(chuan_file_result *res, struct chuanp_std_choice *c,
                              const char *name);

/* chuan_validator_new for a schema the service's client uploaded (schema_text): a JSON
 * Schema's relative $refs and an XSD's or RELAX NG schema's includes read nothing of the
 * service's files (validator/api.c). */
struct chuan_validator *chuanp_validator_new_uploaded(const chuan_validator_opts *opts,
                                                      chuan_diags *errors);

/* chuan_validate_file reading `path` but reporting the input as `name`
 * (validator/api.c; used by the service for its spooled payloads), after
 * what auto-selection found about it (choice, may be NULL). */
int chuanp_validator_check(const struct chuan_validator *v, const char *name, const char *path,
                           const char *format, struct chuanp_std_choice *choice,
                           chuan_file_result *res);

/* Line, column (characters) and byte offset of the '<' of the start tag a
 * libxml2 parser has just read (startElementNs is called with the whole tag
 * still in the input buffer; validator/xml_engine.c). Returns 1 when the
 * '<' was found; when it was not, the position is left unknown (0, 0, -1) if
 * need_lt, else estimated from the buffer's start. */
struct _xmlParserCtxt;
int chuanp_xml_start_tag(struct _xmlParserCtxt *ctxt, int need_lt, long *line, long *column,
                         long long *offset);

/* Set up the libraries under libchuan (once per process; validator/init.c).
 * Every entry point calls it first. chuanp_xml_setup is its libxml2 part,
 * which the chuan program runs when it opens libxml2 instead
 * (cli/lazy/xml_lazy.c). */
void chuanp_init(void);
void chuanp_xml_setup(void);

/* Reporters (public API in include/chuan.h): with -r json, emit the JSON
 * Schema "basic" output format instead of chuan's full report. */
void chuanp_reporter_set_json_basic(chuan_reporter *rep, int on);
/* -r html: where the lines around a diagnostic come from. from_files: reopen each result's
 * input by its name (chuan validate; "-" and unreadable inputs say so); data: the bytes of the
 * one payload (chuan serve, whose names come from the client and are never opened). Default:
 * no context. */
void chuanp_reporter_set_context(chuan_reporter *rep, int from_files, const char *data, size_t len);
/* chuan test -r html: the detail of the record passed next to chuan_reporter_file
 * (validator/standard_check.h; borrowed until then). Other formats ignore it. */
struct chuanp_std_test_detail;
void chuanp_reporter_test_detail(chuan_reporter *rep, const struct chuanp_std_test_detail *det);

#endif /* CHUAN_VALIDATOR_H */
