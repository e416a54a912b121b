/*
 * validator/standard.h - standard packages: a folder with standard.json
 * (manifest), the record model (JSON Schema + rule vocabulary), XSD /
 * Schematron / Table Schema per format, code lists and fixtures. The format
 * is specified in README.md ("Standard packages").
 *
 * Finding a package (chuanp_standard_find): a path (a directory holding
 * standard.json, or the standard.json file itself) is used as is; an
 * ID[@VERSION] is searched in $CHUAN_STANDARDS (colon-separated), then
 * ./standards, then next to the binary (../share/chuan/standards for an
 * installed binary, ../standards when run from the source tree's build/).
 */
#ifndef CHUAN_STANDARD_H
#define CHUAN_STANDARD_H

#include "../converters/json.h"
#include "codelist.h"
#include "vocab.h"

#define CHUANP_STD_MAX_XML_RECORDS 8

typedef struct chuanp_standard {
    char *dir;            /* package folder */
    char *manifest;       /* dir/standard.json */
    const char *id;       /* the strings below live in `arena` */
    const char *version;
    const char *title_en, *title_vi;
    const char *state, *valid_from, *valid_to, *replaced_by;
    const chuanp_jv *regulations; /* array of {id, title, issued_by} */
    int unofficial;
    char *model;          /* absolute-or-relative path of the model schema */
    /* formats */
    int has_json, has_ndjson, has_xml, has_csv;
    const char *json_records;  /* JSON Pointer to the record array ("" = whole document) */
    const chuanp_jv *json_envelope; /* formats.json.envelope: members written around the records
                                       by `convert -s --to json` when the input had none */
    /* formats.json.unwrap: a JSON payload may be a transport wrapper carrying the package's
     * payload encoded in a member (an LGSP delivery: edXML base64-encoded in JSON). The first of
     * the pointers naming a string member is decoded and validated as unwrap_format. */
    const char *unwrap_pointers[CHUANP_STD_MAX_XML_RECORDS];
    size_t nunwrap;
    const char *unwrap_encoding; /* "base64" (default) or "none" (the member holds the text) */
    int unwrap_format;           /* CHUANP_FMT_XML (default) or CHUANP_FMT_JSON */
    const char *xml_records[CHUANP_STD_MAX_XML_RECORDS]; /* /A/B record element paths */
    size_t nxml_records;
    char *xsd, *schematron, *tableschema; /* paths, NULL when absent */
    char *schematron_phase;               /* formats.xml.phase: the Schematron phase run when
                                             --phase is not given (NULL: the schema's default) */
    const char **codelists;    /* names, ncodelists */
    size_t ncodelists;
    char *fixtures;            /* fixtures folder */
    /* auto-selection */
    const char *detect_ns;
    const char *detect_roots[CHUANP_STD_MAX_XML_RECORDS];
    size_t ndetect_roots;
    const char *detect_json_schema;
    /* "detect": {"json": {"pointer": "/service", "values": [...]}}: a JSON
     * document whose member at the pointer (object keys only) is a string
     * among the values */
    const char *detect_json_pointer;
    const char *detect_json_values[CHUANP_STD_MAX_XML_RECORDS];
    size_t ndetect_json_values;
    const chuanp_jv *settings; /* object or NULL */
    chuanp_arena arena;
    chuanp_jv *doc;
} chuanp_standard;

/* Load dir/standard.json. Returns 0, >0 when the manifest is invalid
 * (diagnostics "standard.manifest" with line:column), <0 when it cannot be
 * read. *out is set only on 0. */
int chuanp_standard_load(chuanp_standard **out, const char *dir, chuan_diags *d);
void chuanp_standard_free(chuanp_standard *s);

/* Resolve ID[@VERSION] or a path to a package folder (new string). Returns
 * 0, or <0 with a diagnostic "standard.not-found" naming the places looked. */
int chuanp_standard_find(char **dir, const char *spec, chuan_diags *d);


/* Every package found in the search folders (first of each id wins):
 * folders, new list. */
int chuanp_standard_list(chuanp_pathlist *out, chuan_diags *d);
/* `chuan standards` (validator/standard_show.c): the table of the packages
 * found on out (none: a line on err), or one package's card (spec: id,
 * ID@VERSION or folder). 0, or -1 (out of memory; show: why in d). */
int chuanp_standard_print_list(FILE *out, FILE *err);
int chuanp_standard_print_show(FILE *out, const char *spec, chuan_diags *d);

/* Folders searched for the package's code lists: dir/codelists,
 * dir/../codelists. */
int chuanp_standard_codelist_dirs(const chuanp_standard *s, chuanp_codelists *set);

/* Every file a package (spec: ID[@VERSION] or a path) may read: the
 * regular files below its folder and in the shared code-list folder beside
 * it, appended to out. 0, or -1 (not found, out of memory). */
int chuanp_standard_files(const char *spec, chuanp_pathlist *out);

/* Auto-selection for `chuan validate PATH...` without -s/--schema, made for each input on its
 * own: a project file .chuan.json ({"standards": [{"glob": "out/STAR-STAR/x.json" (STAR = *),
 * "standard": "dvc-hoso"}]}, searched upward from the current directory; globs relative to its
 * folder, a double star spans folders), else each input's XML root namespace / element or JSON
 * "$schema", matched against the packages' "detect" entries. Directories among paths are not
 * expanded here: pass files.
 * (*out)[i] names the standard of paths[i] (NULL: none applies; then its diags may hold
 * "standard.unknown-service" when a JSON body names a service no package models). A JSON
 * document is also matched by a package's "detect": {"json": {"pointer", "values"}}.
 * *require_standard (may be NULL) is set from .chuan.json "require_standard": true.
 * Returns 0, or <0 with a diagnostic when .chuan.json is malformed. */
typedef struct chuanp_std_choice {
    char *standard;    /* id or path (new string), NULL: no standard applies */
    char *why;         /* "from the JSON member /service \"DongBoHoSoMC\"" */
    chuan_diags diags; /* for this input, before any check */
} chuanp_std_choice;
int chuanp_standard_autoselect_each(chuanp_std_choice **out, int *require_standard,
                                    const char *const *paths, size_t npaths, chuan_diags *d);
void chuanp_std_choices_free(chuanp_std_choice *c, size_t n);

#endif /* CHUAN_STANDARD_H */
