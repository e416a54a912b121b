/* validator/standard_int.h - internals shared by the standard engine's files. */
#ifndef CHUAN_STANDARD_INT_H
#define CHUAN_STANDARD_INT_H

#include "schematron.h"
#include "standard.h"
#include "validator.h"

/* Map one record element to the model (simple mapping typed by hints;
 * values carry the line:column of their element: from idx, or with idx NULL
 * from the chuanp_tag_pos each element's _private points to). */
chuanp_jv *chuanp_std_xml_record(xmlNodePtr record, const chuanp_schema_hints *hints,
                                 const chuanp_line_index *idx, chuanp_arena *arena);
/* Streaming (validator/standard_xml_stream.c): each element at the absolute path `path` of
 * the XML file is mapped (values allocated in *values, reset per record; positions from the
 * parser, so chuanp_std_xml_record is called with idx NULL) and given to fn with its path as
 * chuanp_xml_node_path writes it on the whole tree, then freed. fn returns <0 to stop (fatal).
 * Returns 0 done (root->found records; when none, root's position and path, path freed by the
 * caller), 1 when the document must go to the whole-document path instead (a DTD, a BOM or
 * another encoding than UTF-8, a parse or read error: records already given must be
 * forgotten), <0 fatal (out of memory or fn). */
typedef int (*chuanp_std_xml_record_fn)(void *ctx, const chuanp_jv *rec, xmlNodePtr record,
                                        const char *path);
typedef struct chuanp_std_xml_root {
    size_t found;
    long line, column;
    long long offset;
    char *path;
} chuanp_std_xml_root;
int chuanp_std_xml_stream(const char *file, const char *path, const chuanp_schema_hints *hints,
                          chuanp_arena *values, chuanp_std_xml_record_fn fn, void *ctx,
                          chuanp_std_xml_root *root);
/* The path of n (inside a streamed record) as on the whole tree, the record's being record_path. */
void chuanp_std_xml_stream_path(chuanp_buf *out, const char *record_path, xmlNodePtr record,
                                xmlNodePtr n);
/* Elements at the absolute path /A/B (local names), in document order. */
size_t chuanp_std_xml_find_records(xmlDocPtr doc, const char *path, xmlNodePtr **out);
/* The node a JSON Pointer (relative to a record) designates; for "@x" the
 * owner element with *attr set. A missing member gives the nearest element. */
xmlNodePtr chuanp_std_xml_resolve(xmlNodePtr record, const char *pointer, int *attr,
                                  const char **attr_name);

/* The engine over an already loaded package (stolen, freed on failure). */
int chuanp_standard_engine_open(chuanp_engine **out, const chuanp_engine_opts *opts,
                                chuanp_standard *std, chuan_diags *d);

/* CSV rows as records: fn(ctx, record, row number as in "row N" (header =
 * 1)). Returns 0, >0 when rows were malformed (csv.* diagnostics), <0 fatal. */
typedef int (*chuanp_std_record_fn)(void *ctx, const chuanp_jv *rec, long row);
int chuanp_std_csv_records(FILE *in, const char *file, const chuanp_schema_hints *hints,
                           chuanp_std_record_fn fn, void *ctx, chuan_diags *d);

/* The package and the compiled Schematron behind a standard engine (borrowed). */
const chuanp_standard *chuanp_standard_engine_package(const chuanp_engine *e);
const chuanp_schematron *chuanp_standard_engine_schematron(const chuanp_engine *e);

/* The compiled record model (with the rule vocabulary) and its hints
 * behind a standard engine, for record-level checks (convert -s). */
const struct chuanp_jsonschema *chuanp_standard_engine_model(const chuanp_engine *e);
const chuanp_schema_hints *chuanp_standard_engine_hints(const chuanp_engine *e);

/* Wrapped payloads (validator/standard_unwrap.c). Decode the string member (encoding "base64"
 * or "none") into an anonymous temporary file: 0 with *out (rewound; caller closes), >0 when
 * the member is missing, not a string or not base64 (diagnostic at the member), <0 fatal. */
int chuanp_std_unwrap_open(FILE **out, const chuanp_jv *member, const char *pointer,
                           const char *encoding, const char *file, chuan_diags *d);
/* Re-locate diagnostics d[from..]: position of the member, path "<pointer> (decoded <format>
 * LINE:COL) <inner path>". Returns 0, <0 out of memory. */
int chuanp_std_unwrap_relocate(chuan_diags *d, size_t from, const chuanp_jv *member,
                               const char *pointer, const char *format);

#endif /* CHUAN_STANDARD_INT_H */
