/* validator/standard_xml_stream.c - XML payloads of a standard package read in constant memory.
 *
 * libxml2's push parser builds the tree through its own SAX2 handlers, wrapped: every element
 * gets the line, column and byte offset of its start tag (node->_private, a chuanp_tag_pos), and
 * when an element at the package's record path ends it is mapped to a record, handed to the
 * caller, then unlinked and freed with the text between records. What stays is the envelope (the
 * elements around the records), so memory holds one record at a time whatever the file size.
 *
 * Diagnostics must read as on the whole-document path (standard_xml.c over a parsed tree and a
 * line index of the source): paths count the freed records (per parent and name), positions come
 * from the parser's input at each start tag. Where that cannot be guaranteed the stream gives up
 * before reporting anything and the caller reads the whole document: a DTD (entities: the budget
 * is measured on the whole tree), a byte-order mark or a non-UTF-8 encoding (offsets and columns
 * of the line index are in source bytes), and any parse error (the whole-document parser's
 * message is the contract). */
#include "standard_int.h"

#include <libxml/parser.h>
#include <libxml/SAX2.h>
#include <stdint.h>
#include <string.h>

#define CHUNK (256 * 1024)
#define MAX_DEPTH 260 /* libxml2 stops at 256 without XML_PARSE_HUGE */
#define XML_OPTIONS \
    (XML_PARSE_NONET | XML_PARSE_BIG_LINES | XML_PARSE_NOWARNING | XML_PARSE_NOERROR)

typedef struct removed {
    xmlNodePtr parent;
    const xmlChar *name, *href;
    unsigned long count;
} removed;

/* The model's hints by element path, cached: the mapper asks for every element of every record
 * and the answer depends on the path only. Keys are the name pointers of libxml2's dictionary,
 * which outlives the parse (interned: same pointer, same name); a path with a name outside it
 * (or deeper than HINT_DEPTH) is asked every time. */
#define HINT_SLOTS 4096
#define HINT_DEPTH 8

typedef struct hint_slot {
    size_t depth; /* 0: empty */
    const char *path[HINT_DEPTH];
    chuanp_hint h;
    int found;
} hint_slot;

typedef struct hint_cache {
    const chuanp_schema_hints *real;
    xmlDictPtr dict;
    hint_slot *slots;
    size_t used;
} hint_cache;

static int cached_lookup(void *ctx, const char *const *path, size_t depth, chuanp_hint *out)
{
    hint_cache *c = ctx;
    if (!c->real || !c->real->lookup) {
        memset(out, 0, sizeof *out);
        return 0;
    }
    if (depth == 0 || depth > HINT_DEPTH || !c->slots)
        return c->real->lookup(c->real->ctx, path, depth, out);
    uint64_t hash = 1469598103934665603u;
    for (size_t i = 0; i < depth; i++)
        hash = (hash ^ (uint64_t)(uintptr_t)path[i]) * 1099511628211u;
    size_t at = (size_t)(hash ^ (hash >> 29)) & (HINT_SLOTS - 1);
    for (size_t probe = 0; probe < 16; probe++, at = (at + 1) & (HINT_SLOTS - 1)) {
        hint_slot *sl = &c->slots[at];
        if (sl->depth == 0) {
            int found = c->real->lookup(c->real->ctx, path, depth, out);
            if (c->used >= HINT_SLOTS / 2)
                return found;
            for (size_t i = 0; i < depth; i++)
                if (!c->dict || !xmlDictOwns(c->dict, (const xmlChar *)path[i]))
                    return found;
            sl->depth = depth;
            memcpy(sl->path, path, depth * sizeof *path);
            sl->h = *out;
            sl->found = found;
            c->used++;
            return found;
        }
        if (sl->depth == depth && memcmp(sl->path, path, depth * sizeof *path) == 0) {
            *out = sl->h;
            return sl->found;
        }
    }
    return c->real->lookup(c->real->ctx, path, depth, out);
}

typedef struct stream {
    xmlParserCtxtPtr ctxt;
    const char *segs[MAX_DEPTH];
    size_t seglen[MAX_DEPTH];
    size_t nsegs;
    unsigned char on_path[MAX_DEPTH + 1];
    size_t depth;
    chuanp_schema_hints hints; /* the caller's, through the cache */
    hint_cache cache;
    chuanp_std_xml_record_fn fn;
    void *ctx;
    chuanp_arena env;     /* positions of the envelope's elements */
    chuanp_arena rec;     /* positions inside the current record */
    chuanp_arena *values; /* the record's model values (the caller's) */
    removed *removed;
    size_t nremoved, capremoved;
    size_t found;
    int fallback; /* give the document to the whole-document path */
    int fatal;    /* out of memory, or the callback said stop */
} stream;

static void stop(stream *st, int fatal)
{
    if (fatal)
        st->fatal = 1;
    else
        st->fallback = 1;
    xmlStopParser(st->ctxt);
}

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    xmlParserCtxtPtr ctxt = ctx;
    stream *st = ctxt->_private;
    if (st->fallback || st->fatal)
        return;
    if (st->depth == 0 && ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder) {
        stop(st, 0); /* transcoded input: parser offsets are not source offsets */
        return;
    }
    if (st->depth + 1 >= MAX_DEPTH) {
        stop(st, 0);
        return;
    }
    chuanp_tag_pos pos;
    chuanp_xml_start_tag(ctxt, 1, &pos.line, &pos.column, &pos.offset);
    xmlSAX2StartElementNs(ctx, local, prefix, uri, nns, ns, nattr, ndef, attrs);
    if (ctxt->errNo == XML_ERR_NO_MEMORY) {
        stop(st, 1);
        return;
    }
    xmlNodePtr n = ctxt->node;
    size_t d = ++st->depth;
    size_t ll = strlen((const char *)local);
    st->on_path[d] = st->on_path[d - 1] && (d > st->nsegs ||
                     (st->seglen[d - 1] == ll && memcmp(st->segs[d - 1], local, ll) == 0));
    int in_record = d >= st->nsegs && st->on_path[d];
    if (!n || n->type != XML_ELEMENT_NODE || n->_private) {
        stop(st, n == NULL);
        return;
    }
    chuanp_tag_pos *t = chuanp_arena_alloc(in_record ? &st->rec : &st->env, sizeof *t);
    if (!t) {
        stop(st, 1);
        return;
    }
    *t = pos;
    n->_private = t;
}

static int same_name(xmlNodePtr a, xmlNodePtr b)
{
    if (a->type != XML_ELEMENT_NODE || b->type != XML_ELEMENT_NODE || !xmlStrEqual(a->name, b->name))
        return 0;
    return xmlStrEqual(a->ns ? a->ns->href : NULL, b->ns ? b->ns->href : NULL);
}

static void put_qname(chuanp_buf *out, xmlNodePtr n)
{
    if (n->ns && n->ns->prefix)
        chuanp_buf_printf(out, "%s:", (const char *)n->ns->prefix);
    chuanp_buf_puts(out, (const char *)n->name);
}

/* Same-named siblings of n freed before it (records of the same parent). */
static removed *removed_slot(stream *st, xmlNodePtr n)
{
    const xmlChar *href = n->ns ? n->ns->href : NULL;
    for (size_t i = 0; i < st->nremoved; i++) {
        removed *r = &st->removed[i];
        if (r->parent == n->parent && xmlStrEqual(r->name, n->name) && xmlStrEqual(r->href, href))
            return r;
    }
    if (st->nremoved == st->capremoved) {
        size_t cap = st->capremoved ? st->capremoved * 2 : 4;
        removed *p = chuanp_realloc(st->removed, cap * sizeof *p);
        if (!p)
            return NULL;
        st->removed = p;
        st->capremoved = cap;
    }
    st->removed[st->nremoved] = (removed){n->parent, n->name, href, 0};
    return &st->removed[st->nremoved++];
}

/* The record element's path as chuanp_xml_node_path writes it on the whole tree. */
static char *record_path(stream *st, xmlNodePtr n)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    xmlNodePtr parent = n->parent;
    if (parent && parent->type == XML_ELEMENT_NODE) {
        removed *r = removed_slot(st, n);
        if (!r)
            return NULL;
        unsigned long pos = ++r->count;
        for (xmlNodePtr s = n->prev; s; s = s->prev)
            if (same_name(s, n))
                pos++;
        chuanp_xml_node_path(&b, parent);
        chuanp_buf_putc(&b, '/');
        put_qname(&b, n);
        chuanp_buf_printf(&b, "[%lu]", pos);
    } else {
        chuanp_xml_node_path(&b, n);
    }
    return chuanp_buf_steal(&b, NULL);
}

static void sub_path(chuanp_buf *out, xmlNodePtr record, xmlNodePtr n, int depth)
{
    if (!n || n == record || n->type != XML_ELEMENT_NODE || depth > MAX_DEPTH)
        return;
    sub_path(out, record, n->parent, depth + 1);
    chuanp_buf_putc(out, '/');
    put_qname(out, n);
    long pos = 1;
    for (xmlNodePtr s = n->prev; s; s = s->prev)
        if (same_name(s, n))
            pos++;
    chuanp_buf_printf(out, "[%ld]", pos);
}

void chuanp_std_xml_stream_path(chuanp_buf *out, const char *record_path, xmlNodePtr record,
                                xmlNodePtr n)
{
    chuanp_buf_puts(out, record_path);
    sub_path(out, record, n, 0);
}

static void record_done(stream *st, xmlNodePtr n)
{
    st->found++;
    char *path = record_path(st, n);
    chuanp_arena_reset(st->values);
    chuanp_jv *rec = path ? chuanp_std_xml_record(n, &st->hints, NULL, st->values) : NULL;
    if (!rec || st->fn(st->ctx, rec, n, path) < 0)
        stop(st, 1);
    chuanp_free(path);
    /* the record and the text before it (blanks between records) */
    while (n->prev && n->prev->type != XML_ELEMENT_NODE) {
        xmlNodePtr t = n->prev;
        xmlUnlinkNode(t);
        xmlFreeNode(t);
    }
    xmlUnlinkNode(n);
    xmlFreeNode(n);
    chuanp_arena_reset(&st->rec);
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    xmlParserCtxtPtr ctxt = ctx;
    stream *st = ctxt->_private;
    if (st->fallback || st->fatal)
        return;
    xmlNodePtr n = ctxt->node;
    xmlSAX2EndElementNs(ctx, local, prefix, uri);
    size_t d = st->depth;
    if (d > 0)
        st->depth--;
    if (d == st->nsegs && st->on_path[d] && n && n->type == XML_ELEMENT_NODE)
        record_done(st, n);
}

static void on_subset(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name, (void)ext, (void)sys;
    xmlParserCtxtPtr ctxt = ctx;
    stop(ctxt->_private, 0); /* a DTD: entity budgets are measured on the whole tree */
}

static void on_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (e && e->level >= XML_ERR_ERROR && e->ctxt) {
        xmlParserCtxtPtr ctxt = e->ctxt;
        stream *st = ctxt->_private;
        if (st && !st->fatal)
            stop(st, 0);
    }
}

static int split_path(stream *st, const char *path)
{
    for (const char *p = path; *p == '/';) {
        p++;
        size_t len = strcspn(p, "/");
        if (st->nsegs + 1 >= 128 || len == 0)
            return -1;
        st->segs[st->nsegs] = p;
        st->seglen[st->nsegs++] = len;
        p += len;
    }
    return st->nsegs >= 2 ? 0 : -1; /* the root as the record: nothing to stream */
}

int chuanp_std_xml_stream(const char *file, const char *path, const chuanp_schema_hints *hints,
                          chuanp_arena *values, chuanp_std_xml_record_fn fn, void *ctx,
                          chuanp_std_xml_root *root)
{
    stream *st = chuanp_calloc(1, sizeof *st);
    char *buf = chuanp_malloc(CHUNK);
    FILE *f = NULL;
    int rc = -1;
    memset(root, 0, sizeof *root);
    if (!st || !buf)
        goto out;
    chuanp_arena_init(&st->env, 0);
    chuanp_arena_init(&st->rec, 0);
    st->cache.real = hints;
    st->cache.slots = chuanp_calloc(HINT_SLOTS, sizeof *st->cache.slots);
    if (!st->cache.slots)
        goto out;
    st->hints = hints ? *hints : (chuanp_schema_hints){0};
    st->hints.ctx = &st->cache;
    st->hints.lookup = cached_lookup;
    st->hints.child_order = NULL; /* the mapper does not order children */
    st->values = values;
    st->fn = fn;
    st->ctx = ctx;
    st->on_path[0] = 1;
    if (split_path(st, path) < 0) {
        rc = 1;
        goto out;
    }
    f = fopen(file, "rb");
    if (!f) {
        rc = 1; /* the whole-document path says why */
        goto out;
    }
    size_t n = fread(buf, 1, 4, f);
    if (n < 4 || (unsigned char)buf[0] == 0xEF || buf[0] != '<') {
        rc = 1; /* empty, a byte-order mark, UTF-16, or text before the prolog */
        goto out;
    }
    xmlSAXHandler sax;
    memset(&sax, 0, sizeof sax);
    xmlSAXVersion(&sax, 2);
    sax.startElementNs = on_start;
    sax.endElementNs = on_end;
    sax.internalSubset = on_subset;
    sax.externalSubset = NULL;
    sax.serror = on_error;
    sax.error = NULL;
    sax.warning = NULL;
    st->ctxt = xmlCreatePushParserCtxt(&sax, NULL, buf, (int)n, file);
    if (!st->ctxt)
        goto out;
    xmlCtxtUseOptions(st->ctxt, XML_OPTIONS);
    st->ctxt->_private = st;
    st->cache.dict = st->ctxt->dict;
    for (;;) {
        n = fread(buf, 1, CHUNK, f);
        if (n == 0 && ferror(f)) {
            st->fallback = 1;
            break;
        }
        xmlParseChunk(st->ctxt, buf, (int)n, n == 0);
        if (st->fallback || st->fatal || !st->ctxt->wellFormed || n == 0)
            break;
    }
    if (st->fatal || st->ctxt->errNo == XML_ERR_NO_MEMORY) {
        rc = -1; /* libxml2 may have dropped a node or text: no verdict */
        goto out;
    }
    xmlDocPtr doc = st->ctxt->myDoc;
    xmlNodePtr top = doc ? xmlDocGetRootElement(doc) : NULL;
    if (st->fallback || !st->ctxt->wellFormed || st->ctxt->errNo != 0 || !top) {
        rc = 1;
        goto out;
    }
    root->found = st->found;
    if (!st->found) {
        const chuanp_tag_pos *t = top->_private;
        chuanp_buf b;
        chuanp_buf_init(&b, 0);
        chuanp_xml_node_path(&b, top);
        root->path = chuanp_buf_steal(&b, NULL);
        if (!root->path)
            goto out;
        root->line = t ? t->line : 0;
        root->column = t ? t->column : 0;
        root->offset = t ? t->offset : -1;
    }
    rc = 0;
out:
    if (st) {
        if (st->ctxt) {
            xmlFreeDoc(st->ctxt->myDoc);
            st->ctxt->myDoc = NULL;
            xmlFreeParserCtxt(st->ctxt);
        }
        chuanp_arena_free(&st->env);
        chuanp_arena_free(&st->rec);
        chuanp_free(st->removed);
        chuanp_free(st->cache.slots);
        chuanp_free(st);
    }
    if (f)
        fclose(f);
    chuanp_free(buf);
    return rc;
}
