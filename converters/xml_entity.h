/*
 * converters/xml_entity.h - the per-document budget for internal entity
 * expansion. libxml2 keeps entity references as nodes (chuan never asks it
 * to substitute them), so its own amplification guard does not see the
 * walkers (XML -> JSON mappings, Schematron's XPath string values, the
 * standard package's record mapping) that expand them. Before any walker
 * runs, the tree is measured here: the bytes every entity reference would
 * produce, nested references included, against
 *     max(CHUANP_XML_ENTITY_MIN, CHUANP_XML_ENTITY_RATIO x input bytes).
 * Over budget is the diagnostic `xml.entity-expansion` (invalid input).
 */
#ifndef CHUAN_XML_ENTITY_H
#define CHUAN_XML_ENTITY_H

#include <libxml/tree.h>
#include <stdint.h>

#define CHUANP_XML_ENTITY_MIN (1u << 20) /* 1 MiB whatever the input size */
#define CHUANP_XML_ENTITY_RATIO 10       /* else 10 x the input's bytes */

typedef struct chuanp_xml_entity_budget {
    uint64_t input_bytes; /* bytes of the document read so far */
    uint64_t expanded;    /* bytes expanded so far (whole document) */
} chuanp_xml_entity_budget;

/* The expansion allowed for input_bytes of input. */
uint64_t chuanp_xml_entity_limit(uint64_t input_bytes);
/* Add the expansion of the entity references under node (its attributes,
 * its descendants; node itself too when it is a reference) to b->expanded.
 * Returns 0 within the budget, 1 over it (*at: a node near the reference
 * that went over, for the line number), -1 out of memory. */
int chuanp_xml_entity_measure(chuanp_xml_entity_budget *b, xmlNodePtr node, xmlNodePtr *at);

#endif /* CHUAN_XML_ENTITY_H */
