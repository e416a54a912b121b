/*
 * validator/jsonschema_int.h - internals of the JSON Schema engine shared by
 * the jsonschema_*.c files: the compiled form, URIs, exact numbers, regular
 * expressions and formats. Nothing outside validator/jsonschema_*.c uses it.
 */
#ifndef CHUAN_JSONSCHEMA_INT_H
#define CHUAN_JSONSCHEMA_INT_H

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "../converters/json.h"
#include "../core/confine.h"
#include "jsonschema.h"

enum { JS_DRAFT7 = 7, JS_D2019 = 2019, JS_D2020 = 2020 };

/* vocabularies in force for a schema resource */
#define JS_VOC_VALIDATION 0x01
#define JS_VOC_APPLICATOR 0x02
#define JS_VOC_UNEVALUATED 0x04
#define JS_VOC_FORMAT_ASSERT 0x08

/* instance type bits ("type" keyword) */
#define JS_T_NULL 0x01
#define JS_T_BOOLEAN 0x02
#define JS_T_OBJECT 0x04
#define JS_T_ARRAY 0x08
#define JS_T_NUMBER 0x10
#define JS_T_STRING 0x20
#define JS_T_INTEGER 0x40

/* Limits against hostile schemas and instances. */
#define JS_MAX_EVAL_DEPTH 2000         /* nested subschema evaluations */
#define JS_MAX_STEPS 50000000UL        /* subschema evaluations per instance */
#define JS_MAX_COMPILE_DEPTH 3000
#define JS_PCRE_MATCH_LIMIT 2000000
#define JS_PCRE_DEPTH_LIMIT 20000

/* ------------------------------------------------------------ uri.c */
/* Resolve reference `ref` against absolute `base` (RFC 3986 section 5).
 * Returns a new string or NULL when out of memory. */
char *chuanp_js_uri_resolve(const char *base, const char *ref);
/* New string: uri without its fragment ("" fragment removed too). */
char *chuanp_js_uri_strip_fragment(const char *uri);
/* file:// URI for a local path (made absolute), or NULL. */
char *chuanp_js_uri_from_path(const char *path);
/* Local path of a file:// URI (percent-decoded), or NULL. */
char *chuanp_js_path_from_uri(const char *uri);
/* Percent-decode (for fragments). New string or NULL. */
char *chuanp_js_pct_decode(const char *s, size_t len);

/* --------------------------------------------------------- number.c */
/* A JSON number as an exact decimal: sign, significant digits (no leading or
 * trailing zeros; "0" for zero) and exponent: value = digits * 10^exp. */
typedef struct js_dec {
    int neg;
    const char *digits; /* points into buf */
    size_t ndigits;
    long long exp;
    char buf[128];      /* digits when short; else heap in big */
    char *big;
} js_dec;

int chuanp_js_dec_parse(js_dec *d, const char *text, size_t len); /* 0 / -1 */
void chuanp_js_dec_free(js_dec *d);
/* Is a an integer multiple of b (b > 0)? 1 yes, 0 no. */
int chuanp_js_dec_multiple_of(const js_dec *a, const js_dec *b);
/* Convenience on number texts. */
int chuanp_js_num_cmp(const chuanp_jv *a, const chuanp_jv *b);
int chuanp_js_num_is_integer(const chuanp_jv *v);
/* JSON equality as JSON Schema defines it and a hash consistent with it. */
int chuanp_js_equal(const chuanp_jv *a, const chuanp_jv *b);
uint64_t chuanp_js_hash(const chuanp_jv *v);

/* ---------------------------------------------------------- regex.c */
typedef struct js_regex {
    pcre2_code *code;
    char *source;
    int jit;
} js_regex;

/* Compile an ECMA-262 pattern (translated to PCRE2, UTF mode). Returns 0,
 * or -1 with a message in *err (caller frees). */
int chuanp_js_regex_compile(js_regex *re, const char *pattern, size_t len, char **err);
void chuanp_js_regex_free(js_regex *re);
/* 1 match, 0 no match, -1 limit reached (match/depth limit), -2 other error. */
int chuanp_js_regex_match(const js_regex *re, const char *s, size_t len,
                          pcre2_match_data *md, pcre2_match_context *mc);

/* --------------------------------------------------------- format.c */
typedef int (*js_format_fn)(const char *s, size_t len);
/* Checker for a format name, NULL when unknown. */
js_format_fn chuanp_js_format_lookup(const char *name);

/* ------------------------------------------------------ metaschemas */
typedef struct js_embedded {
    const char *uri;
    const char *text;
} js_embedded;
const js_embedded *chuanp_js_embedded_find(const char *uri);

/* ------------------------------------------------- compiled schemas */
typedef struct js_node js_node;
typedef struct js_resource js_resource;

typedef struct js_rule {
    const char *id, *msg_en, *msg_vi, *source;
    int warning; /* not an error: "warning" or "info" */
    int info;    /* "info": reported as a note */
} js_rule;

typedef struct js_prop {
    const char *name;
    size_t len;
    js_node *schema;
} js_prop;

typedef struct js_pprop {
    js_regex re;
    js_node *schema;
} js_pprop;

typedef struct js_names {
    const char **names;
    size_t *lens;
    size_t count;
} js_names;

typedef struct js_depreq {
    const char *name;
    size_t len;
    js_names req;
} js_depreq;

typedef struct js_extkw {
    const chuanp_jsonschema_ext *ext;
    void *state;
} js_extkw;

typedef struct js_dynanchor {
    const char *name;
    const chuanp_jv *src;
    js_node *node;
} js_dynanchor;

struct js_resource {
    char *uri;              /* absolute, no fragment */
    const chuanp_jv *root;
    int dialect;
    unsigned vocab;
    int recursive_anchor;   /* root has "$recursiveAnchor": true (2019-09) */
    js_node *root_node;     /* compiled root (for $recursiveRef), when needed */
    js_dynanchor *dyn;      /* $dynamicAnchor names of this resource */
    size_t ndyn, capdyn;
    js_resource *next;
};

struct js_node {
    int is_bool;            /* boolean schema: bool_value */
    int bool_value;
    const chuanp_jv *src;
    char *loc;              /* absolute URI "#" JSON Pointer of this schema */
    js_resource *resource;
    const js_rule *rule;
    const chuanp_jv *message;
    int dialect;
    unsigned vocab;
    int needs_track;        /* has unevaluatedProperties/Items */

    js_node *ref;
    const char *dynref_name;      /* $dynamicRef fragment name when dynamic */
    js_node *dynref;              /* $dynamicRef static target */
    js_node *recref;              /* $recursiveRef static target */

    unsigned types;               /* 0: no "type" */
    const chuanp_jv *const_v;
    const chuanp_jv *enum_v;
    const chuanp_jv *multiple_of, *maximum, *exclusive_maximum, *minimum, *exclusive_minimum;
    js_dec *multiple_of_dec;
    long long max_length, min_length, max_items, min_items, max_props, min_props;
    long long min_contains, max_contains;
    int unique_items;
    js_regex *pattern;
    const char *format;
    js_format_fn format_fn;
    int format_assert;
    js_names required;
    js_depreq *dep_required;
    size_t ndep_required;
    const char *dep_required_kw;

    js_node **all_of, **any_of, **one_of;
    size_t nall_of, nany_of, none_of;
    js_node *not_, *if_, *then_, *else_;
    js_prop *props;
    size_t nprops;
    uint32_t *prop_index;   /* open-addressing table of prop numbers + 1 (NULL: scan) */
    uint32_t prop_mask;
    js_pprop *pprops;
    size_t npprops;
    js_node *additional_props;
    js_node *property_names;
    js_prop *dep_schemas;
    size_t ndep_schemas;
    const char *dep_schemas_kw;
    js_node **prefix_items;
    size_t nprefix_items;
    const char *prefix_kw;  /* "prefixItems" or "items" (array form) */
    js_node *items;         /* applies after the prefix */
    const char *items_kw;   /* "items" or "additionalItems" */
    int items_all;          /* draft-7/2019 "items" schema form: applies to all */
    js_node *contains;
    js_node *uneval_props, *uneval_items;
    js_extkw *exts;
    size_t nexts;
};

/* pointer -> value map used while compiling */
typedef struct js_pmap_entry {
    const void *key;
    void *value;
} js_pmap_entry;
typedef struct js_pmap {
    js_pmap_entry *e;
    size_t cap, count;
} js_pmap;
void *chuanp_js_pmap_get(const js_pmap *m, const void *key);
void chuanp_js_pmap_free(js_pmap *m);

/* A loaded schema document */
typedef struct js_doc {
    char *uri;
    char *file;               /* local file it came from, NULL when embedded/memory */
    const chuanp_jv *root;
    int builtin;              /* one of chuan's embedded meta-schemas */
    struct js_doc *next;
} js_doc;

/* Where a schema value sits (filled by the scanner) */
typedef struct js_where {
    js_resource *resource;
    char *pointer;            /* JSON Pointer from the resource root */
    int dialect;
    js_doc *doc;
    js_node *node;            /* compiled node once compiled */
} js_where;

/* URI (absolute, possibly with an anchor fragment) -> schema value */
typedef struct js_uri_entry {
    char *uri;
    const chuanp_jv *target;
    struct js_uri_entry *next;
} js_uri_entry;

struct chuanp_jsonschema {
    chuanp_arena arena;       /* documents and compiled nodes */
    js_doc *docs;
    js_resource *resources;
    js_uri_entry **uris;      /* hash buckets */
    size_t nbuckets;
    js_pmap where;            /* const chuanp_jv * -> js_where * */
    js_node *root;
    js_node true_node, false_node;
    js_regex **regexes;       /* every compiled regex (for freeing) */
    size_t nregexes, capregexes;
    js_extkw **extkws;        /* every compiled extension keyword (for freeing) */
    size_t nextkws, capextkws;
    int has_warning_rules;
    int has_dynamic;          /* schema uses $dynamicRef / $recursiveRef */
    int default_dialect;
    int assert_formats;
    char *as_of;
    chuanp_jsonschema_opts opts; /* refs copied below */
    chuanp_ref_map *refs;
    size_t nrefs;
    char *main_file;
    chuanp_confine confine;   /* where local $ref targets may be read (core/confine.h) */
    int compile_depth;
    chuan_diags *diags;       /* during compile */
    int bad;                  /* compile: schema errors found */
};

/* compile.c */
int chuanp_js_load_document(chuanp_jsonschema *s, const char *uri, const char *file,
                            const char *buf, size_t len, js_doc **out);
int chuanp_js_compile_root(chuanp_jsonschema *s, js_doc *doc);
/* Compile the targets of $dynamicRef/$recursiveRef found so far. */
int chuanp_js_compile_dynamic(chuanp_jsonschema *s);
/* Report a schema error at value v (file:line:column of the schema). */
void chuanp_js_schema_error(chuanp_jsonschema *s, const chuanp_jv *v, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* compile.c: the node of a schema value (memoised); NULL when it failed. */
js_node *chuanp_js_compile_value(chuanp_jsonschema *s, const chuanp_jv *v);
/* registry.c: resolve reference ref against base; the target value or NULL
 * (reported). *abs_out (optional) receives the absolute URI. */
const chuanp_jv *chuanp_js_resolve(chuanp_jsonschema *s, const char *base, const char *ref,
                                   const chuanp_jv *at, char **abs_out);

/* validate.c: validate a loaded document against a meta-schema node. */
int chuanp_js_validate_node(const chuanp_jsonschema *s, const js_node *n,
                            const chuanp_jv *instance, const char *file, chuan_diags *diags);

#endif /* CHUAN_JSONSCHEMA_INT_H */
