/*
 * converters/xml_sax.h - the fast path of the XML record reader (xml_read.c,
 * `convert --record` with the simple mapping and no schema hints): libxml2's
 * push parser calls SAX handlers that build each record's JSON value directly
 * (no libxml2 tree), the same value chuanp_simple_from_xml builds from the
 * tree (tests/common/xml_sax_diff.h compares them). Internal to converters/.
 *
 * A document it cannot read the same way (a DTD: entities; an encoding other
 * than UTF-8) is noticed before its root element: chuanp_xml_sax_next returns
 * CHUANP_XML_SAX_FALLBACK with nothing reported, and the bytes it consumed
 * are handed back (chuanp_xml_sax_take_prefix) for the general path.
 */
#ifndef CHUAN_XML_SAX_H
#define CHUAN_XML_SAX_H

#include "xml_map.h"

#define CHUANP_XML_SAX_FALLBACK 3

typedef struct chuanp_xml_sax chuanp_xml_sax;

/* libxml2 errors and warnings go to on_error(ctx, e) (xml_read.c's handler). */
typedef void (*chuanp_xml_sax_error_fn)(void *ctx, const xmlError *e);

/* Whether the fast path reads records with these options (and the
 * environment does not ask for the general path: CHUAN_XML_RECORD_GENERAL=1). */
int chuanp_xml_sax_usable(const chuanp_convert_opts *o);

/* steps/nsteps/anywhere: the parsed --record path (xml_read.c); they must
 * outlive the reader. NULL when out of memory. */
chuanp_xml_sax *chuanp_xml_sax_new(FILE *in, const chuanp_convert_opts *o,
                                   const char *const *steps, size_t nsteps, int anywhere,
                                   chuanp_xml_sax_error_fn on_error, void *ctx);

/* The reader's next(): 1 record (its value lives until the next call), 2 the
 * input is bad (diagnostic added), 0 no more records, -1 out of memory,
 * CHUANP_XML_SAX_FALLBACK read it with the general path. parse_errors: the
 * caller's count of libxml2 errors (its handler counts them). */
int chuanp_xml_sax_next(chuanp_xml_sax *s, chuanp_record *rec, chuan_diags *d,
                        const int *parse_errors);

/* After CHUANP_XML_SAX_FALLBACK: the input consumed so far (to be read again
 * before the rest of the file); the caller frees *data with chuanp_free. */
void chuanp_xml_sax_take_prefix(chuanp_xml_sax *s, char **data, size_t *len);

void chuanp_xml_sax_free(chuanp_xml_sax *s);

#endif /* CHUAN_XML_SAX_H */
