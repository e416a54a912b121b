/*
 * converters/xml_map.h - the XML <-> JSON mappings behind the XML reader
 * (xml_read.c) and writer (xml_write.c). One file per mapping:
 * xml_map_simple.c, xml_map_jsonml.c, xml_map_w3c.c; shared helpers
 * (names, characters, text) in xml_text.c. Internal to converters/.
 *
 * XML -> JSON works on libxml2 nodes and builds chuanp_jv trees in the
 * record arena. JSON -> XML appends XML text to a chuanp_buf; a record
 * that cannot be represented returns >0 after one diagnostic, and the
 * caller drops what was appended (nothing partial is written).
 */
#ifndef CHUAN_XML_MAP_H
#define CHUAN_XML_MAP_H

#include "convert.h"

#include <libxml/tree.h>

#define CHUANP_XML_MAX_DEPTH 256
#define CHUANP_W3C_NS "http://www.w3.org/2005/xpath-functions"

/* ---- XML -> JSON ------------------------------------------------------ */
typedef struct chuanp_x2j {
    chuanp_arena *arena;
    const chuanp_convert_opts *o;
    chuan_diags *d;
    const char *path[CHUANP_XML_MAX_DEPTH]; /* element names from the record root (hints) */
    size_t depth;
    int failed; /* a diagnostic error was added: the record is bad */
    int oom;
} chuanp_x2j;

/* The JSON value of one element (simple: its content; a record's value). */
chuanp_jv *chuanp_simple_from_xml(chuanp_x2j *c, xmlNodePtr el);
/* A whole document: {"root": content}. */
chuanp_jv *chuanp_simple_from_doc(chuanp_x2j *c, xmlDocPtr doc);
/* JsonML of a node / of a document (["#document", ...] only when the
 * document has comments or processing instructions beside the root). */
chuanp_jv *chuanp_jsonml_from_xml(chuanp_x2j *c, xmlNodePtr node);
chuanp_jv *chuanp_jsonml_from_doc(chuanp_x2j *c, xmlDocPtr doc);
/* fn:xml-to-json of an element of the xpath-functions vocabulary; errors
 * are FOJS0006 / FOJS0007 diagnostics. */
chuanp_jv *chuanp_w3c_from_xml(chuanp_x2j *c, xmlNodePtr el);

/* ---- JSON -> XML ------------------------------------------------------ */
typedef struct chuanp_j2x {
    chuanp_buf *out;
    const chuanp_convert_opts *o;
    chuan_diags *d;
    long line;                 /* line of the record in its source */
    chuanp_buf ptr;            /* JSON Pointer of the value being written */
    const char *path[CHUANP_XML_MAX_DEPTH]; /* element names for hints */
    size_t depth;
    int level;                 /* nesting level for indentation */
    /* namespace prefixes declared on the elements being written (innermost last) */
    const char *ns[CHUANP_XML_MAX_DEPTH];
    size_t ns_len[CHUANP_XML_MAX_DEPTH];
    size_t nns;
} chuanp_j2x;

void chuanp_j2x_init(chuanp_j2x *c, chuanp_buf *out, const chuanp_convert_opts *o,
                     chuan_diags *d, long line);
void chuanp_j2x_free(chuanp_j2x *c);
/* Report that the value at the current pointer cannot be written. Returns 1. */
int chuanp_j2x_fail(chuanp_j2x *c, const chuanp_jv *at, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
/* Push/pop a JSON Pointer step (key or index). */
size_t chuanp_j2x_push_key(chuanp_j2x *c, const char *key, size_t len);
size_t chuanp_j2x_push_index(chuanp_j2x *c, size_t i);
void chuanp_j2x_pop(chuanp_j2x *c, size_t mark);
void chuanp_j2x_newline(chuanp_j2x *c); /* newline + indentation when indenting */
/* Declare prefix p (from an xmlns:p attribute) for the element being written;
 * returns the scope mark to restore with chuanp_j2x_ns_pop. */
size_t chuanp_j2x_ns_mark(const chuanp_j2x *c);
void chuanp_j2x_ns_push(chuanp_j2x *c, const char *p, size_t len);
void chuanp_j2x_ns_pop(chuanp_j2x *c, size_t mark);
/* Whether the prefix of qname (text before ':') is declared ("xml" always is;
 * names without a prefix always are). */
int chuanp_j2x_prefix_ok(const chuanp_j2x *c, const char *qname, size_t len);

/* simple: element `name` with value v (arrays become repeated elements). */
int chuanp_simple_to_xml(chuanp_j2x *c, const char *name, size_t name_len, const chuanp_jv *v);
/* simple: a whole document value ({"root": ...}, else wrapped in `wrapper`). */
int chuanp_simple_doc_to_xml(chuanp_j2x *c, const chuanp_jv *v, const char *wrapper);
int chuanp_jsonml_to_xml(chuanp_j2x *c, const chuanp_jv *v);
/* fn:json-to-xml; declare_ns: write xmlns on this element. */
int chuanp_w3c_to_xml(chuanp_j2x *c, const chuanp_jv *v, const char *key, size_t key_len,
                      int declare_ns);

/* ---- shared text helpers (xml_text.c) --------------------------------- */
/* Byte offset of the first character XML 1.0 cannot hold (controls other
 * than TAB/LF/CR, lone surrogates stored as WTF-8, U+FFFE/U+FFFF), or -1. */
long long chuanp_xml_bad_char(const char *s, size_t len);
/* Code point at s (for messages). */
uint32_t chuanp_xml_char_at(const char *s, size_t len);
int chuanp_xml_is_name(const char *s, size_t len);
/* JSON key -> XML name: characters a name cannot hold become _xHHHH_ (and
 * a literal "_x" that would read as an escape becomes _x005F_x): the
 * XmlConvert.EncodeName convention. */
void chuanp_xml_encode_name(chuanp_buf *out, const char *s, size_t len);
/* The same with the colon encoded too (a prefix that is not declared). */
void chuanp_xml_encode_local(chuanp_buf *out, const char *s, size_t len);
/* XML name -> JSON key: decodes _xHHHH_ escapes that EncodeName produces.
 * Returns the decoded key in the arena, or s itself when nothing changes. */
const char *chuanp_xml_decode_name(chuanp_arena *a, const char *s, size_t *len);
/* Append text/attribute content, escaped. */
void chuanp_xml_put_text(chuanp_buf *out, const char *s, size_t len, int attr);
/* chuanp_nfc with a quick check first (same contract: *out NULL when s is
 * already NFC). */
int chuanp_xml_nfc_copy(const char *s, size_t len, char **out, size_t *out_len);
/* NFC copy of UTF-8 text into the arena (s itself when already NFC). */
const char *chuanp_xml_nfc(chuanp_arena *a, const char *s, size_t len, size_t *out_len);
/* New arena strings / values from libxml2 text (NFC-normalised). */
chuanp_jv *chuanp_xml_jstring(chuanp_x2j *c, const char *s, size_t len);
/* The same for text owned by a libxml2 node, borrowed without a copy when
 * it is already NFC: valid while the node lives, which the XML reader
 * guarantees until its next call (the life of a record). */
chuanp_jv *chuanp_xml_jstring_node(chuanp_x2j *c, const char *s, size_t len);
/* Whether s[0..len) is only XML whitespace. */
int chuanp_xml_is_blank(const char *s, size_t len);
/* Qualified name of a node as written (prefix:local), in the arena. */
const char *chuanp_xml_qname(chuanp_arena *a, const xmlChar *prefix, const xmlChar *local,
                             size_t *len);

#endif /* CHUAN_XML_MAP_H */
