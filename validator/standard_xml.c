/* validator/standard_xml.c - XML record elements of a standard payload mapped to the record
 * model (schema-aware simple mapping on the parsed tree, keeping every node's line:column), and
 * JSON Pointers of diagnostics mapped back to the XML nodes. */
#include "standard_int.h"

#include <string.h>

#define MAX_MAP_DEPTH 128
#define SMALL_GROUPING 64

typedef struct mapper {
    const chuanp_schema_hints *hints;
    const chuanp_line_index *idx;
    chuanp_arena *arena;
    const char *path[MAX_MAP_DEPTH];
    size_t depth;
} mapper;

static void set_pos(const mapper *m, chuanp_jv *v, xmlNodePtr n)
{
    long line, col;
    long long off;
    if (!m->idx && n->_private) {
        /* streamed (standard_xml_stream.c): the start tag's position is on the node */
        const chuanp_tag_pos *t = n->_private;
        line = t->line, col = t->column, off = t->offset;
    } else {
        chuanp_xml_node_position(n, m->idx, &line, &col, &off);
    }
    v->line = line > 0 ? (uint32_t)line : 0;
    v->column = col > 0 ? (uint32_t)col : 0;
    v->offset = off >= 0 ? (uint64_t)off : 0;
}

static int has_element_children(xmlNodePtr n)
{
    for (xmlNodePtr k = n->children; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return 1;
    return 0;
}

static int is_blank(const char *s)
{
    for (; *s; s++)
        if (*s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            return 0;
    return 1;
}

static chuanp_hint hint_for(mapper *m)
{
    chuanp_hint h = {0};
    if (m->hints && m->hints->lookup)
        m->hints->lookup(m->hints->ctx, m->path, m->depth, &h);
    return h;
}

/* A scalar typed by the schema: numbers and booleans only when the text is one. */
static chuanp_jv *scalar(mapper *m, const char *text, chuanp_hint_type t)
{
    size_t len = strlen(text);
    if ((t == CHUANP_HINT_INTEGER || t == CHUANP_HINT_NUMBER) && chuanp_json_num_valid(text, len))
        return chuanp_jv_number(m->arena, text, len);
    if (t == CHUANP_HINT_BOOLEAN && (strcmp(text, "true") == 0 || strcmp(text, "false") == 0))
        return chuanp_jv_bool(m->arena, text[0] == 't');
    return chuanp_jv_string(m->arena, text, len);
}

static chuanp_jv *map_element(mapper *m, xmlNodePtr n, chuanp_hint_type type);

typedef struct child_ref {
    xmlNodePtr node;
    size_t index; /* document order among the element children */
} child_ref;

static int child_order(const void *a, const void *b)
{
    const child_ref *x = a, *y = b;
    int c = strcmp((const char *)x->node->name, (const char *)y->node->name);
    if (c)
        return c;
    return (x->index > y->index) - (x->index < y->index);
}

typedef struct group {
    size_t first;  /* index in the sorted refs */
    size_t count;
    size_t order;  /* document position of its first element */
} group;

static int group_order(const void *a, const void *b)
{
    const group *x = a, *y = b;
    return (x->order > y->order) - (x->order < y->order);
}

static void put_member(chuanp_jv *obj, const char *key, size_t len, chuanp_jv *v)
{
    chuanp_jmember *mb = &obj->u.obj.members[obj->u.obj.count++];
    memset(mb, 0, sizeof *mb);
    mb->key = key;
    mb->key_len = len;
    mb->value = v;
    mb->key_line = v->line;
    mb->key_column = v->column;
    mb->key_offset = v->offset;
}

/* An element with attributes or children as an object: "@attr" members,
 * "#text" for text beside children, one member per child name (an array
 * when the name repeats or the model says it may). Siblings are grouped
 * by sorting, so wide elements cost n log n; keys are unique by
 * construction and the members array is sized once. */
static chuanp_jv *map_children(mapper *m, xmlNodePtr n)
{
    chuanp_jv *obj = chuanp_jv_new(m->arena, CHUANP_JOBJECT);
    child_ref *refs = NULL;
    group *groups = NULL;
    chuanp_buf text;
    chuanp_buf_init(&text, 0);
    if (!obj)
        goto out;
    set_pos(m, obj, n);
    size_t nattr = 0, nel = 0, ngroups = 0;
    for (xmlAttrPtr a = n->properties; a; a = a->next)
        nattr++;
    for (xmlNodePtr k = n->children; k; k = k->next) {
        if (k->type == XML_ELEMENT_NODE)
            nel++;
        else if (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE)
            chuanp_buf_puts(&text, (const char *)k->content);
    }
    int has_text = text.len && !text.err && !is_blank(text.data);
    if (nel) {
        refs = chuanp_malloc(nel * sizeof *refs);
        groups = chuanp_malloc(nel * sizeof *groups);
        if (!refs || !groups) {
            obj = NULL;
            goto out;
        }
        size_t i = 0;
        if (nel <= SMALL_GROUPING) {
            /* few children (the usual record): group by a scan, no sorting; groups in the
             * order of their first element, each group's elements in document order */
            xmlNodePtr kids[SMALL_GROUPING];
            unsigned char gid[SMALL_GROUPING];
            for (xmlNodePtr k = n->children; k; k = k->next)
                if (k->type == XML_ELEMENT_NODE)
                    kids[i++] = k;
            for (i = 0; i < nel; i++) {
                const xmlChar *nm = kids[i]->name;
                size_t g = 0;
                for (; g < ngroups; g++) {
                    const xmlChar *gn = kids[groups[g].order]->name;
                    if (gn == nm || (gn[0] == nm[0] && strcmp((const char *)gn, (const char *)nm) == 0))
                        break;
                }
                if (g == ngroups)
                    groups[ngroups++] = (group){0, 0, i};
                groups[g].count++;
                gid[i] = (unsigned char)g;
            }
            size_t at = 0;
            for (size_t g = 0; g < ngroups; g++) {
                groups[g].first = at;
                at += groups[g].count;
                groups[g].count = 0;
            }
            for (i = 0; i < nel; i++) {
                group *g = &groups[gid[i]];
                refs[g->first + g->count++] = (child_ref){kids[i], i};
            }
            goto grouped;
        }
        for (xmlNodePtr k = n->children; k; k = k->next)
            if (k->type == XML_ELEMENT_NODE)
                refs[i] = (child_ref){k, i}, i++;
        qsort(refs, nel, sizeof *refs, child_order);
        for (i = 0; i < nel; i++) {
            if (i == 0 || strcmp((const char *)refs[i].node->name,
                                 (const char *)refs[i - 1].node->name) != 0)
                groups[ngroups++] = (group){i, 0, refs[i].index};
            groups[ngroups - 1].count++;
        }
        qsort(groups, ngroups, sizeof *groups, group_order);
    }
grouped:;
    size_t cap = nattr + (size_t)has_text + ngroups;
    obj->u.obj.members = cap ? chuanp_arena_alloc(m->arena, cap * sizeof *obj->u.obj.members) : NULL;
    if (cap && !obj->u.obj.members) {
        obj = NULL;
        goto out;
    }
    for (xmlAttrPtr a = n->properties; a; a = a->next) {
        xmlChar *val = xmlNodeListGetString(n->doc, a->children, 1);
        size_t nl = strlen((const char *)a->name);
        char *key = chuanp_arena_alloc(m->arena, nl + 2);
        chuanp_jv *v = chuanp_jv_string(m->arena, val ? (const char *)val : "",
                                         val ? strlen((const char *)val) : 0);
        xmlFree(val);
        if (!key || !v) {
            obj = NULL;
            goto out;
        }
        key[0] = '@';
        memcpy(key + 1, a->name, nl + 1);
        set_pos(m, v, n);
        put_member(obj, key, nl + 1, v);
    }
    if (has_text) {
        chuanp_jv *t = chuanp_jv_string(m->arena, text.data, text.len);
        if (!t) {
            obj = NULL;
            goto out;
        }
        set_pos(m, t, n);
        put_member(obj, "#text", 5, t);
    }
    for (size_t g = 0; g < ngroups && m->depth < MAX_MAP_DEPTH; g++) {
        const group *gr = &groups[g];
        xmlNodePtr first = refs[gr->first].node;
        m->path[m->depth++] = (const char *)first->name;
        chuanp_hint h = hint_for(m);
        chuanp_jv *v;
        if (h.is_array || gr->count > 1) {
            v = chuanp_jv_new(m->arena, CHUANP_JARRAY);
            if (v)
                set_pos(m, v, first);
            for (size_t k = 0; v && k < gr->count; k++) {
                chuanp_jv *item = map_element(m, refs[gr->first + k].node, h.type);
                if (!item || chuanp_jv_push(m->arena, v, item) < 0)
                    v = NULL;
            }
        } else {
            v = map_element(m, first, h.type);
        }
        m->depth--;
        if (!v) {
            obj = NULL;
            goto out;
        }
        put_member(obj, (const char *)first->name, strlen((const char *)first->name), v);
    }
out:
    chuanp_free(refs);
    chuanp_free(groups);
    chuanp_buf_free(&text);
    return obj;
}

static chuanp_jv *map_element(mapper *m, xmlNodePtr n, chuanp_hint_type type)
{
    if (n->properties || has_element_children(n) || type == CHUANP_HINT_OBJECT)
        return map_children(m, n);
    xmlNodePtr k = n->children;
    chuanp_jv *v;
    if (!k || (!k->next && (k->type == XML_TEXT_NODE || k->type == XML_CDATA_SECTION_NODE))) {
        /* the usual leaf: no text or one text node, read in place (what xmlNodeGetContent copies) */
        v = scalar(m, k && k->content ? (const char *)k->content : "", type);
    } else {
        xmlChar *t = xmlNodeGetContent(n);
        v = scalar(m, t ? (const char *)t : "", type);
        xmlFree(t);
    }
    if (v)
        set_pos(m, v, n);
    return v;
}

chuanp_jv *chuanp_std_xml_record(xmlNodePtr record, const chuanp_schema_hints *hints,
                                 const chuanp_line_index *idx, chuanp_arena *arena)
{
    mapper m = {.hints = hints, .idx = idx, .arena = arena};
    return map_children(&m, record);
}

/* Does element n sit at the absolute path /A/B/C (local names)? */
static int path_matches(xmlNodePtr n, const char *path)
{
    const char *segs[MAX_MAP_DEPTH];
    size_t lens[MAX_MAP_DEPTH], count = 0;
    for (const char *p = path; *p == '/' && count < MAX_MAP_DEPTH;) {
        p++;
        size_t len = strcspn(p, "/");
        segs[count] = p;
        lens[count++] = len;
        p += len;
    }
    for (size_t i = count; i-- > 0;) {
        if (!n || n->type != XML_ELEMENT_NODE || strlen((const char *)n->name) != lens[i] ||
            memcmp(n->name, segs[i], lens[i]) != 0)
            return 0;
        n = n->parent;
    }
    return !n || n->type == XML_DOCUMENT_NODE;
}

static void collect(xmlNodePtr n, const char *path, size_t depth, xmlNodePtr **out, size_t *count,
                    size_t *cap, size_t path_depth)
{
    for (xmlNodePtr k = n; k; k = k->next) {
        if (k->type != XML_ELEMENT_NODE)
            continue;
        if (depth + 1 == path_depth) {
            if (path_matches(k, path)) {
                if (*count == *cap) {
                    size_t nc = *cap ? *cap * 2 : 16;
                    xmlNodePtr *p = chuanp_realloc(*out, nc * sizeof *p);
                    if (!p)
                        return;
                    *out = p;
                    *cap = nc;
                }
                (*out)[(*count)++] = k;
            }
        } else if (depth + 1 < path_depth) {
            collect(k->children, path, depth + 1, out, count, cap, path_depth);
        }
    }
}

size_t chuanp_std_xml_find_records(xmlDocPtr doc, const char *path, xmlNodePtr **out)
{
    *out = NULL;
    size_t depth = 0, count = 0, cap = 0;
    for (const char *p = path; *p; p++)
        depth += *p == '/';
    if (depth == 0 || depth > MAX_MAP_DEPTH)
        return 0;
    collect(xmlDocGetRootElement(doc), path, 0, out, &count, &cap, depth);
    return count;
}

xmlNodePtr chuanp_std_xml_resolve(xmlNodePtr record, const char *pointer, int *attr_out,
                                  const char **attr_name)
{
    *attr_out = 0;
    *attr_name = NULL;
    xmlNodePtr n = record;
    const char *p = pointer ? pointer : "";
    char seg[512];
    while (*p == '/') {
        p++;
        size_t len = 0;
        while (*p && *p != '/' && len < sizeof seg - 1) {
            if (p[0] == '~' && p[1] == '0')
                seg[len++] = '~', p += 2;
            else if (p[0] == '~' && p[1] == '1')
                seg[len++] = '/', p += 2;
            else
                seg[len++] = *p++;
        }
        seg[len] = '\0';
        if (seg[0] == '#')
            continue; /* #text: the element itself */
        if (seg[0] == '@') {
            *attr_out = 1;
            for (xmlAttrPtr a = n->properties; a; a = a->next)
                if (strcmp((const char *)a->name, seg + 1) == 0)
                    *attr_name = (const char *)a->name;
            return n;
        }
        /* an index after a name selects among the siblings of that name */
        long idx = 0;
        const char *q = p;
        if (*q == '/') {
            const char *r = q + 1;
            while (*r >= '0' && *r <= '9')
                r++;
            if (r > q + 1 && (*r == '/' || *r == '\0')) {
                char num[32];
                size_t nl = (size_t)(r - q - 1) < sizeof num - 1 ? (size_t)(r - q - 1) : sizeof num - 1;
                memcpy(num, q + 1, nl);
                num[nl] = '\0';
                if (chuanp_parse_long(num, 0, 1L << 30, &idx) == 0)
                    p = r;
            }
        }
        xmlNodePtr hit = NULL;
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (k->type == XML_ELEMENT_NODE && strcmp((const char *)k->name, seg) == 0 && idx-- == 0) {
                hit = k;
                break;
            }
        }
        if (!hit)
            return n; /* a missing member: the nearest existing element */
        n = hit;
    }
    return n;
}
