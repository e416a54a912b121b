/*
 * validator/jsonschema.h - the JSON Schema engine (2020-12, 2019-09, draft-07).
 *
 * A schema is compiled once (chuanp_jsonschema_compile_*) into a read-only
 * internal form; chuanp_jsonschema_validate() may then be called from many
 * threads at once, each thread with its own chuanp_jsonschema_vstate (PCRE2
 * match data, scratch memory). Instances are chuanp_jv trees from the JSON
 * reader (converters/json.h), so every diagnostic carries the line, column
 * and byte offset of the offending value.
 *
 * Ownership: compile returns a new schema (free with chuanp_jsonschema_free);
 * the schema keeps its own copies of everything in the options except the
 * extension table and ext_user, which must outlive it.
 *
 * ---------------------------------------------------------------------
 * Diagnostics
 *   code             the `rule` id in force (see below), else
 *                    "jsonschema.<keyword>" (jsonschema.required, ...);
 *                    "jsonschema.false" for a false schema; "jsonschema.limit"
 *                    when a pattern or the recursion guard gave up (always an
 *                    error, even under a warning rule); "jsonschema.schema"
 *                    for a schema that does not compile (with file:line:column
 *                    in the schema); "jsonschema.input" (engine) for an input
 *                    that is not JSON/NDJSON.
 *   path             instance JSON Pointer ("" = the root)
 *   keyword_location evaluation path through $ref ("/properties/a/$ref/type")
 *   schema_location  absolute keyword URI ("file:///x/s.json#/$defs/a/type")
 *   line/column/offset of the instance value (from the JSON reader).
 *
 * Metadata keywords chuan adds (allowed in every dialect, ignored by the
 * meta-schemas, never assertions themselves):
 *
 *   "rule": {"id": "DVC-003", "severity": "error" | "warning",
 *            "message": {"en": "...", "vi": "..."},   (or a plain string = en)
 *            "source": "QCVN 120:2019/BTTTT, ..."}
 *       Every failure raised while evaluating that schema object, or any
 *       subschema below it in the evaluation path (through $ref too), until a
 *       deeper `rule` takes over, becomes a diagnostic with code = rule id,
 *       message = the rule's English message + ": " + the keyword detail,
 *       message_vi = the Vietnamese message + ": " + the detail, the rule's
 *       severity and source. A "warning" failure is reported but does not
 *       make the instance invalid (the failing keyword counts as passed).
 *
 *   "message": "text"  or  {"required": "text", "pattern": "text", "*": "..."}
 *       Replaces the generated detail for failures of keywords of that same
 *       schema object (a string: every keyword; an object: per keyword, "*"
 *       as the fallback). An object value {"en": .., "vi": ..} per keyword
 *       gives both languages.
 *
 * ---------------------------------------------------------------------
 * Extension keywords (for the standard vocabulary: codelist, checkDigit,
 * dateFormat, compare, sumOf, ...). A table of chuanp_jsonschema_ext is passed
 * in the compile options; each keyword found in a schema object (in any
 * dialect) is compiled at schema compile time by ext->compile and checked at
 * validation time by ext->validate. Keywords of no registered extension stay
 * annotations.
 */
#ifndef CHUAN_JSONSCHEMA_H
#define CHUAN_JSONSCHEMA_H

#include "validator.h"

typedef struct chuanp_jsonschema chuanp_jsonschema;
typedef struct chuanp_jsonschema_vstate chuanp_jsonschema_vstate;

/* ------------------------------------------------------- extensions */

/* Given to ext->compile. Everything is borrowed for the duration of the call. */
typedef struct chuanp_jsonschema_ext_compile_ctx {
    const char *keyword;          /* the keyword being compiled */
    const chuanp_jv *schema;      /* the schema object carrying it (sibling keywords) */
    const char *schema_file;      /* file the schema object was read from (NULL: embedded) */
    const char *schema_location;  /* absolute URI + "#" + JSON Pointer of the keyword */
    const chuanp_engine_opts *engine_opts; /* as_of, refs, ... (may be NULL) */
    void *user;                   /* chuanp_jsonschema_opts.ext_user */
} chuanp_jsonschema_ext_compile_ctx;

typedef struct chuanp_jsonschema_ext_call chuanp_jsonschema_ext_call;

/* Report one failure of an extension keyword. `at` is the value the failure
 * is about (its line/column are used; NULL = call->instance); `rel_pointer`
 * is its JSON Pointer relative to call->instance ("" or NULL = the instance
 * itself, "/NgayHenTra" = a member of an object instance, "/DanhSachLePhi/2"
 * deeper). msg_en is the detail in English (required), msg_vi in Vietnamese
 * (may be NULL). The `rule` / `message` keywords in force are applied
 * (code, severity, source, bilingual text). Returns 0, <0 out of memory. */
typedef int (*chuanp_jsonschema_fail_fn)(const chuanp_jsonschema_ext_call *call,
                                         const chuanp_jv *at, const char *rel_pointer,
                                         const char *msg_en, const char *msg_vi);

struct chuanp_jsonschema_ext_call {
    const chuanp_jv *instance;  /* the value the schema object applies to */
    const chuanp_jv *parent;    /* the object/array containing it; NULL at the root */
    const chuanp_jv *root;      /* the whole document (an NDJSON record) */
    const char *as_of;          /* engine --as-of date (YYYY-MM-DD) or NULL */
    chuanp_jsonschema_fail_fn fail;
    /* JSON Pointer of the instance ("" = the root), built on demand; the
     * string stays valid until validate() returns. NULL only when out of memory. */
    const char *(*pointer)(const chuanp_jsonschema_ext_call *call);
    void *internal;             /* engine state behind fail() and pointer(); do not touch */
};

typedef struct chuanp_jsonschema_ext {
    const char *keyword;
    /* Compile the keyword value. Return 0 with *state (may be NULL), or >0
     * when the value is invalid after adding a diagnostic (code
     * "jsonschema.schema" or your own) to diags; the schema then fails to
     * compile (exit 2). <0: out of memory. */
    int (*compile)(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                   void **state, chuan_diags *diags);
    /* Check one instance. Return 0 when the keyword holds, >0 when it does
     * not (after calling call->fail at least once), <0 on internal error.
     * Must be thread-safe: `state` is shared read-only between threads. */
    int (*validate)(const void *state, const chuanp_jsonschema_ext_call *call);
    void (*free)(void *state); /* may be NULL; receives NULL too */
} chuanp_jsonschema_ext;

/* ------------------------------------------------------- compiling */

typedef struct chuanp_jsonschema_opts {
    const char *draft;            /* "2020-12" (default), "2019-09", "7" / "draft-07": dialect of
                                     schemas without $schema */
    const chuanp_ref_map *refs;   /* URI prefix -> local file or directory (--ref) */
    size_t nrefs;
    int assert_formats;           /* "format" asserts instead of annotating */
    int skip_metaschema;          /* do not validate the schema against its meta-schema */
    const chuanp_jsonschema_ext *exts; /* extension keywords, nexts entries */
    size_t nexts;
    void *ext_user;               /* passed to ext->compile */
    const chuanp_engine_opts *engine_opts; /* passed to ext->compile, may be NULL */
    const char *as_of;            /* passed to ext->validate */
    const char *package_dir;      /* standard package of the schema: $ref may read its folder */
} chuanp_jsonschema_opts;

/* Compile the schema in file `path` (its URI is file://<absolute path>).
 * Returns 0; >0 when the schema is invalid (diagnostics with the schema's
 * file:line:column, code "jsonschema.schema"); <0 when it could not be read or
 * out of memory (a diagnostic says why). */
int chuanp_jsonschema_compile_file(chuanp_jsonschema **out, const char *path,
                                   const chuanp_jsonschema_opts *opts, chuan_diags *diags);
/* Same from memory; base_uri names the document (NULL: a generated URN). */
int chuanp_jsonschema_compile_mem(chuanp_jsonschema **out, const char *buf, size_t len,
                                  const char *base_uri, const chuanp_jsonschema_opts *opts,
                                  chuan_diags *diags);
void chuanp_jsonschema_free(chuanp_jsonschema *s);

/* ------------------------------------------------------- validating */

/* Per-thread state (never share one between threads). */
chuanp_jsonschema_vstate *chuanp_jsonschema_vstate_new(const chuanp_jsonschema *s);
void chuanp_jsonschema_vstate_free(chuanp_jsonschema_vstate *st);

/* Validate one instance. `file` names the input in diagnostics. Returns 0
 * valid, >0 invalid (diagnostics added; warnings alone keep it 0), <0
 * internal error (out of memory). */
int chuanp_jsonschema_validate(const chuanp_jsonschema *s, chuanp_jsonschema_vstate *st,
                               const chuanp_jv *instance, const char *file, chuan_diags *diags);

/* ------------------------------------------------------- converters */

/* Fill hints (converters/record.h) from a compiled schema: lookup() and
 * child_order() follow properties, items, prefixItems, $ref and allOf.
 * hints->ctx borrows s. */
void chuanp_jsonschema_hints(const chuanp_jsonschema *s, chuanp_schema_hints *hints);

/* ------------------------------------------------------- the engine */

/* CHUANP_SCHEMA_JSONSCHEMA: JSON (whole file) and NDJSON (one record per
 * line, constant memory, large streams split across threads by
 * chuanp_jsonschema_engine_set_jobs). */
int chuanp_jsonschema_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts,
                                 chuan_diags *d);
/* Validate with an already compiled schema (borrowed; must outlive the engine). */
int chuanp_jsonschema_engine_wrap(chuanp_engine **out, const chuanp_engine_opts *opts,
                                  const chuanp_jsonschema *s);
/* Worker threads for one big NDJSON stream (default 1; the CLI sets -j). */
void chuanp_jsonschema_engine_set_jobs(chuanp_engine *e, int jobs);

#endif /* CHUAN_JSONSCHEMA_H */
