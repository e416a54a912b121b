/*
 * converters/xsd_hints.h - schema hints (converters/record.h) read from an
 * XML Schema: which elements may repeat (maxOccurs > 1 on the element or an
 * enclosing sequence/choice) and the JSON type of each leaf and attribute
 * (integer, number, boolean, string; complex types are objects), plus the
 * child order of every complex type. The XSD is read as XML: global
 * elements, named and anonymous complex types, sequence/choice/all, element
 * refs, named groups, complexContent/simpleContent extensions, simple type
 * restrictions (to the built-in base).
 */
#ifndef CHUAN_XSD_HINTS_H
#define CHUAN_XSD_HINTS_H

#include "record.h"

typedef struct chuanp_xsd_hints chuanp_xsd_hints;

/* Load `path`. record_path (--record /A/B, may be NULL) is the position of
 * each record in the document: hint paths of records are relative to it.
 * Returns 0, or -1 with *errmsg (caller frees). */
int chuanp_xsd_hints_load(chuanp_xsd_hints **out, const char *path, const char *record_path,
                          char **errmsg);
/* Borrowed; valid until chuanp_xsd_hints_free. Thread-safe (read-only). */
const chuanp_schema_hints *chuanp_xsd_hints_get(chuanp_xsd_hints *h);
void chuanp_xsd_hints_free(chuanp_xsd_hints *h);

#endif /* CHUAN_XSD_HINTS_H */
