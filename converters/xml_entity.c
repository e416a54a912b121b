/* converters/xml_entity.c - measuring internal entity expansion before a
 * tree walker expands the references (see xml_entity.h). Each entity's
 * expanded size is computed once (memo keyed by the declaration), so the
 * measure costs one visit per node of the document and of each entity's
 * content, whatever the amplification. */
#include "xml_entity.h"

#include "../core/core.h"

#include <string.h>

#define SAT (UINT64_MAX / 4)  /* saturation: "more than any budget" */
#define MAX_NEST 512          /* elements + entities nested while measuring */

typedef struct memo_entry {
    const void *ent;
    uint64_t size;            /* SAT + 1: being measured (a loop) */
} memo_entry;

typedef struct measure {
    memo_entry *e;
    size_t cap, count;
    int oom;
} measure;

static size_t hash_ptr(const void *p)
{
    uint64_t x = (uint64_t)(uintptr_t)p;
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return (size_t)x;
}

static memo_entry *memo_slot(measure *m, const void *ent)
{
    if ((m->count + 1) * 2 > m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 64;
        memo_entry *ne = chuanp_calloc(ncap, sizeof *ne);
        if (!ne) {
            m->oom = 1;
            return NULL;
        }
        for (size_t k = 0; k < m->cap; k++)
            if (m->e[k].ent) {
                size_t i = hash_ptr(m->e[k].ent) & (ncap - 1);
                while (ne[i].ent)
                    i = (i + 1) & (ncap - 1);
                ne[i] = m->e[k];
            }
        chuanp_free(m->e);
        m->e = ne;
        m->cap = ncap;
    }
    size_t i = hash_ptr(ent) & (m->cap - 1);
    while (m->e[i].ent && m->e[i].ent != ent)
        i = (i + 1) & (m->cap - 1);
    return &m->e[i];
}

static uint64_t add(uint64_t a, uint64_t b)
{
    return a >= SAT - b || b >= SAT ? SAT : a + b;
}

static uint64_t list_size(measure *m, xmlNodePtr n, int nest);

static uint64_t entity_size(measure *m, xmlEntityPtr ent, int nest)
{
    if (!ent)
        return 0;
    memo_entry *e = memo_slot(m, ent);
    if (!e)
        return SAT;
    if (e->ent)
        return e->size > SAT ? SAT : e->size; /* known, or a loop */
    e->ent = ent;
    e->size = SAT + 1;
    m->count++;
    uint64_t size;
    if (ent->children)
        size = list_size(m, ent->children, nest + 1);
    else
        size = ent->content ? (uint64_t)strlen((const char *)ent->content) : 0;
    e = memo_slot(m, ent); /* the table may have grown */
    if (!e)
        return SAT;
    e->size = size;
    return size;
}

/* The bytes a node list gives when entity references are expanded (text
 * only: markup inside entity content counts as its text). */
static uint64_t node_size(measure *m, xmlNodePtr n, int nest)
{
    if (nest > MAX_NEST)
        return SAT;
    switch (n->type) {
    case XML_TEXT_NODE:
    case XML_CDATA_SECTION_NODE:
        return n->content ? (uint64_t)strlen((const char *)n->content) : 0;
    case XML_ENTITY_REF_NODE:
        return entity_size(m, (xmlEntityPtr)n->children, nest);
    case XML_ELEMENT_NODE: {
        uint64_t s = 0;
        for (xmlAttrPtr a = n->properties; a; a = a->next)
            s = add(s, list_size(m, a->children, nest + 1));
        return add(s, list_size(m, n->children, nest + 1));
    }
    default:
        return 0;
    }
}

static uint64_t list_size(measure *m, xmlNodePtr n, int nest)
{
    uint64_t s = 0;
    for (; n && s < SAT; n = n->next)
        s = add(s, node_size(m, n, nest));
    return s;
}

uint64_t chuanp_xml_entity_limit(uint64_t input_bytes)
{
    uint64_t r = input_bytes > SAT / CHUANP_XML_ENTITY_RATIO ? SAT
                                                             : input_bytes * CHUANP_XML_ENTITY_RATIO;
    return r > CHUANP_XML_ENTITY_MIN ? r : CHUANP_XML_ENTITY_MIN;
}

/* Walk the document's own nodes: only references count (the text around
 * them is the input itself). Iterative over siblings, recursive on depth
 * (libxml2 caps element nesting at 256 without XML_PARSE_HUGE). */
static int walk(measure *m, chuanp_xml_entity_budget *b, uint64_t limit, xmlNodePtr n, int depth,
                int single, xmlNodePtr *at)
{
    for (; n; n = single ? NULL : n->next) {
        if (n->type == XML_ENTITY_REF_NODE) {
            b->expanded = add(b->expanded, entity_size(m, (xmlEntityPtr)n->children, 0));
        } else if (n->type == XML_ELEMENT_NODE) {
            if (depth > MAX_NEST) {
                b->expanded = SAT;
            } else {
                int r;
                for (xmlAttrPtr a = n->properties; a; a = a->next)
                    if ((r = walk(m, b, limit, a->children, depth + 1, 0, at)) != 0)
                        return r;
                if ((r = walk(m, b, limit, n->children, depth + 1, 0, at)) != 0)
                    return r;
            }
        }
        if (m->oom)
            return -1;
        if (b->expanded > limit) {
            xmlNodePtr e = n;
            while (e->parent && e->type != XML_ELEMENT_NODE)
                e = e->parent; /* the element (of the attribute) holding it */
            *at = e;
            return 1;
        }
    }
    return 0;
}

int chuanp_xml_entity_measure(chuanp_xml_entity_budget *b, xmlNodePtr node, xmlNodePtr *at)
{
    *at = NULL;
    if (!node)
        return 0;
    if (node->doc && !node->doc->intSubset && !node->doc->extSubset)
        return 0; /* no DTD: no entity can be referenced */
    measure m = {0};
    uint64_t limit = chuanp_xml_entity_limit(b->input_bytes);
    int rc = walk(&m, b, limit, node, 0, 1, at);
    chuanp_free(m.e);
    if (m.oom)
        return -1;
    return rc;
}
