/*
 * validator/schematron.h - ISO Schematron (query binding xslt1) compiled to
 * an XSLT 1.0 stylesheet and run with libxslt.
 *
 * chuanp_schematron_compile() turns a .sch file into a stylesheet once per
 * run (patterns, rules with context, assert/report with test, let variables
 * at schema, pattern and rule level, ns prefixes, abstract rules and
 * extends, diagnostics, name and value-of in messages). Query bindings
 * other than xslt1 (absent, "xslt", "xslt1", "exslt") are rejected with
 * "schematron.unsupported-binding"; other unsupported constructs with
 * "schematron.unsupported". The compiled object is read-only afterwards and
 * may be run from several threads at once.
 *
 * Extension functions (namespace urn:chuan:functions, any prefix bound to
 * it in the schema with <sch:ns>): chuan:matches(string, pattern) (PCRE2,
 * anchored by the pattern itself), chuan:in-codelist(value, name),
 * chuan:mst-valid(value), chuan:date-valid(value, formats) (a real calendar
 * date/time in one of the '|'-separated formats of the rule vocabulary,
 * e.g. 'yyyy/MM/dd|dd/MM/yyyy'), chuan:setting(name) (a setting of the
 * package's standard.json as a string: arrays joined with '|', booleans
 * "true"/"false", "" when absent).
 *
 * Results: a failed assert is an error, a successful report a warning (an
 * assert with role="warning" or role="info" is a warning). Code = the
 * assert/report id (else "schematron.assert" / "schematron.report"),
 * source = its `see` attribute or the rule's, message from its text and
 * diagnostics (a diagnostic with xml:lang="vi" becomes the Vietnamese
 * message), location = line:column of the context node in the source
 * document and its XPath.
 */
#ifndef CHUAN_SCHEMATRON_H
#define CHUAN_SCHEMATRON_H

#include "../core/core.h"
#include "codelist.h"

#include <libxml/tree.h>

#define CHUANP_SCHEMATRON_FN_NS "urn:chuan:functions"
/* chuan:source="..." on an assert/report (or its rule) names the regulation
 * the check comes from; it becomes the diagnostic's source (else @see). */
#define CHUANP_SCHEMATRON_NS "urn:chuan:schematron"
#define CHUANP_SCHEMATRON_ISO_NS "http://purl.oclc.org/dsdl/schematron"
#define CHUANP_SVRL_NS "http://purl.oclc.org/dsdl/svrl"

typedef struct chuanp_schematron chuanp_schematron;

typedef struct chuanp_schematron_opts {
    chuanp_codelists *codelists; /* for chuan:in-codelist (loaded at compile time); may be NULL */
    long as_of;                  /* yyyymmdd for code list validity, 0 = today */
    const struct chuanp_jv *settings; /* standard.json "settings" (borrowed, must outlive the
                                         compiled schema); may be NULL */
    const char *phase;           /* sch:phase id, "#ALL", "#DEFAULT"; NULL = "#DEFAULT" */
    const char *package_dir;     /* includes may also be read from there (NULL: the schema's folder) */
} chuanp_schematron_opts;

/* Compile path. Returns 0, or <0 with diagnostics ("schematron.*", file =
 * path): the caller maps it to exit code 2. */
int chuanp_schematron_compile(chuanp_schematron **out, const char *path,
                              const chuanp_schematron_opts *opts, chuan_diags *d);
void chuanp_schematron_free(chuanp_schematron *s);

/* The generated XSLT (for tests and `chuan lint`), borrowed. */
xmlDocPtr chuanp_schematron_stylesheet_doc(const chuanp_schematron *s);
/* Ids of every assert/report (rule coverage); borrowed, count in *n. */
const char *const *chuanp_schematron_rule_ids(const chuanp_schematron *s, size_t *n);
/* The severity ("error"/"warning"/"info", from role) and the regulation (chuan:source or see,
 * NULL if none) of rule id i */
void chuanp_schematron_rule_meta(const chuanp_schematron *s, size_t i, const char **severity,
                                 const char **source);

/* Run on a parsed document (parsed with line numbers). src/srclen: the
 * source bytes, for columns (may be NULL). Adds one diagnostic per failed
 * assert / successful report with file = `file`. If svrl is not NULL it
 * receives the SVRL document (caller frees). Returns 0 no error, >0 number
 * of errors (warnings do not count), <0 when the run failed (diagnostic
 * "schematron.run" added). */
int chuanp_schematron_run(const chuanp_schematron *s, xmlDocPtr doc, const char *file,
                          const char *src, size_t srclen, chuan_diags *d, xmlDocPtr *svrl);

/* Positions of the elements of a parsed document in its source text: one
 * pass over the source records where every start tag begins (line, column
 * in characters, byte offset), and each element node gets its ordinal in
 * node->_private. Lookups are then O(1), whatever the line lengths. */
typedef struct chuanp_tag_pos {
    long line, column;
    long long offset;
} chuanp_tag_pos;

typedef struct chuanp_line_index {
    const char *src;
    size_t len;
    chuanp_tag_pos *tags; /* start tags in document order */
    size_t ntags;
    int usable;           /* the tags match the document's elements */
} chuanp_line_index;

/* Returns 0 or -1 (OOM: positions then have column 0). src may be NULL.
 * Sets _private of the element nodes of doc. */
int chuanp_line_index_build(chuanp_line_index *idx, xmlDocPtr doc, const char *src, size_t len);
void chuanp_line_index_free(chuanp_line_index *idx);

/* Where a node is: XPath with [n] on every element below the root, and the line and
 * column of its start tag (column in characters, 0 when unknown).
 * Attributes: path .../@name, position of the owner element. *offset is
 * the byte offset of the start tag (-1 unknown). */
void chuanp_xml_node_path(chuanp_buf *out, xmlNodePtr node);
void chuanp_xml_node_position(xmlNodePtr node, const chuanp_line_index *idx, long *line,
                              long *column, long long *offset);

/* Parse an XML input safely (no network, no DTD loading, no entity
 * substitution, line numbers kept); errors as "xml.parse" diagnostics.
 * Returns the document or NULL. */
xmlDocPtr chuanp_xml_parse_safe(const char *buf, size_t len, const char *file, chuan_diags *d);

#endif /* CHUAN_SCHEMATRON_H */
