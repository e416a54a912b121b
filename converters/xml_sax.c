/*
 * converters/xml_sax.c - XML records straight from SAX events (xml_sax.h).
 *
 * The push parser's handlers keep, for each open element of the record being
 * read, a frame: its decoded key, its JSON object once it needs one
 * (attributes, namespace declarations, a child element), and where its text
 * starts in one text stack. When the element ends, its value is made exactly
 * as chuanp_simple_from_xml makes it from the tree (xml_map_simple.c: leaf
 * text, "@" keys, repeated names becoming arrays, "#text" and the
 * convert.mixed-content warning) and added to its parent. A finished record
 * is queued with its own warnings; next() hands them out one by one and
 * pushes more input, 4 KiB at a time, when the queue is empty. Each record
 * has its own arena (8 KiB blocks), reset and reused once the record after it
 * is handed out: memory holds the records of one slice at most.
 *
 * Lines: libxml2 stores an element's line as the parser's line at its start
 * tag, or 65535 past that (XML_PARSE_BIG_LINES: then xmlGetLineNo takes the
 * first child's line, a text node keeping its own). line_of() follows that
 * for a first child that is text or an element; an element past line 65534
 * whose first child is a comment, a PI or CDATA, or that has no children,
 * gets 65535 (libxml2 would look at siblings parsed ahead).
 */
#include "xml_sax.h"

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK (64 * 1024)
#define SLICE 4096 /* bytes parsed at a time */
#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)
#define BIG 65535L
#define RES 6 /* xmlGetLineNoInternal gives up at depth 5 */

enum { FIRST_NONE, FIRST_TEXT, FIRST_ELEM, FIRST_OTHER };

typedef struct frame {
    const char *key;
    size_t key_len;
    chuanp_jv *obj;    /* the element's object, once it needs one */
    size_t text0;      /* its text starts here in s->text */
    int has_elem, has_text;
    long line;         /* as libxml2 stores it: <= 65535 */
    int first;         /* kind of its first child node */
    long first_line;   /* FIRST_TEXT: that text node's line */
    long first_res[RES]; /* FIRST_ELEM: line_of(child, k) */
} frame;

typedef struct qrec {
    chuanp_arena *arena;
    chuanp_jv *value;
    long line, index;
    chuan_diags diags;
} qrec;

struct chuanp_xml_sax {
    FILE *in;
    const chuanp_convert_opts *o;
    const char *const *steps;
    size_t nsteps;
    int anywhere;
    chuanp_xml_sax_error_fn on_error;
    void *ectx;
    xmlParserCtxtPtr ctxt;
    char *chunk;
    size_t pos, len;        /* chunk[pos, len): read, not parsed yet */
    int eof, stop, fallback, root_seen, failed_fatal;
    chuanp_buf prefix;      /* input pushed before the root element */
    chuan_diags *d;         /* the current call's diagnostics */
    int depth;              /* depth of the next start tag (root: 0) */
    const xmlChar *stack[CHUANP_XML_MAX_DEPTH];
    int rec_depth;          /* depth of the open record, -1 none */
    long matched, index;
    chuanp_arena *cur;      /* the open record's arena */
    chuanp_arena *given;    /* the arena of the record last handed out */
    chuanp_arena **spare;   /* reset arenas */
    size_t nspare, spare_cap;
    chuanp_x2j c;           /* c.d: the open record's diagnostics */
    frame frames[CHUANP_XML_MAX_DEPTH + 2]; /* libxml2 opens elements up to depth 256 */
    chuanp_buf text;
    chuan_diags rec_diags;  /* warnings of the open record */
    qrec *q;
    size_t qhead, qlen, qcap;
    int oom;
    int done;
    int too_deep;
};

int chuanp_xml_sax_usable(const chuanp_convert_opts *o)
{
    if (!o->record_path || o->mapping != CHUANP_MAP_SIMPLE || o->hints || o->encoding)
        return 0;
    const char *e = getenv("CHUAN_XML_RECORD_GENERAL");
    return !(e && *e && strcmp(e, "0") != 0);
}

/* ------------------------------------------------------------ lines */

static long cur_line(const chuanp_xml_sax *s)
{
    return s->ctxt->input ? (long)s->ctxt->input->line : 0;
}

/* xmlGetLineNoInternal(el, k) for the element of frame f */
static long line_of(const frame *f, int k)
{
    if (k >= 5)
        return -1;
    if (f->line < BIG)
        return f->line;
    long r = -1;
    if (f->first == FIRST_TEXT)
        r = f->first_line;
    else if (f->first == FIRST_ELEM)
        r = f->first_res[k + 1];
    return r == -1 || r == BIG ? BIG : r;
}

static void first_child(frame *f, int kind, long line)
{
    if (f->first == FIRST_NONE) {
        f->first = kind;
        f->first_line = line;
    }
}

/* ------------------------------------------------------------ values */

static int is_matched(const chuanp_xml_sax *s, int depth)
{
    if (s->anywhere)
        return strcmp((const char *)s->stack[depth], s->steps[0]) == 0;
    if ((size_t)depth + 1 != s->nsteps)
        return 0;
    for (int i = 0; i <= depth; i++)
        if (strcmp((const char *)s->stack[i], s->steps[i]) != 0)
            return 0;
    return 1;
}

static void stop_parser(chuanp_xml_sax *s)
{
    s->stop = 1;
    xmlStopParser(s->ctxt);
}

static void set_oom(chuanp_xml_sax *s)
{
    s->oom = 1;
    stop_parser(s);
}

/* A string value of text that dies with the event: copied into the arena,
 * then made as chuanp_xml_jstring_node makes it (NFC, borrowed when NFC). */
static chuanp_jv *text_value(chuanp_xml_sax *s, const char *t, size_t len)
{
    char *copy = chuanp_arena_strndup(s->cur, len ? t : "", len);
    if (!copy) {
        s->c.oom = 1;
        return NULL;
    }
    return chuanp_xml_jstring_node(&s->c, copy, len);
}

/* An attribute value as the parser gives it: a literal '&' comes as "&#38;"
 * (libxml2 without entity substitution), references are decoded as
 * xmlStringLenGetNodeList decodes them. */
static chuanp_jv *attr_value(chuanp_xml_sax *s, const xmlChar *v, const xmlChar *end)
{
    size_t len = (size_t)(end - v);
    if (!memchr(v, '&', len))
        return text_value(s, (const char *)v, len);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < len;) {
        if (v[i] != '&') {
            chuanp_buf_putc(&b, (char)v[i++]);
            continue;
        }
        const xmlChar *semi = memchr(v + i, ';', len - i);
        size_t n = semi ? (size_t)(semi - (v + i)) + 1 : 0;
        uint32_t cp = 0;
        int ok = 0;
        if (n > 3 && v[i + 1] == '#') {
            int hex = v[i + 2] == 'x';
            ok = 1;
            for (size_t k = i + 2 + (size_t)hex; k < i + n - 1 && ok; k++) {
                int ch = v[k], dv = ch >= '0' && ch <= '9' ? ch - '0'
                                     : hex && ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
                                     : hex && ch >= 'A' && ch <= 'F' ? ch - 'A' + 10 : -1;
                if (dv < 0 || cp > 0x10FFFF)
                    ok = 0;
                else
                    cp = cp * (hex ? 16 : 10) + (uint32_t)dv;
            }
            ok = ok && i + 2 + (size_t)hex < i + n - 1 && cp && cp <= 0x10FFFF;
        } else if (n) {
            static const struct { const char *name; char ch; } pre[] = {
                {"&lt;", '<'}, {"&gt;", '>'}, {"&amp;", '&'}, {"&apos;", '\''}, {"&quot;", '"'}};
            for (size_t k = 0; k < sizeof pre / sizeof *pre && !ok; k++)
                if (strlen(pre[k].name) == n && memcmp(v + i, pre[k].name, n) == 0) {
                    cp = (uint32_t)(unsigned char)pre[k].ch;
                    ok = 1;
                }
        }
        if (!ok) {
            chuanp_buf_putc(&b, (char)v[i++]);
            continue;
        }
        chuanp_buf_put_utf8(&b, cp);
        i += n;
    }
    chuanp_jv *r = b.err ? NULL : text_value(s, b.data ? b.data : "", b.len);
    if (b.err)
        s->c.oom = 1;
    chuanp_buf_free(&b);
    return r;
}

static int set_member(chuanp_xml_sax *s, chuanp_jv *obj, const char *key, size_t len, chuanp_jv *v)
{
    if (!v || chuanp_jv_set(s->cur, obj, key, len, v) < 0) {
        s->c.oom = 1;
        return -1;
    }
    return 0;
}

static chuanp_jv *find_member(chuanp_jv *obj, const char *key, size_t len)
{
    for (size_t i = obj->u.obj.count; i > 0; i--) {
        chuanp_jmember *m = &obj->u.obj.members[i - 1];
        if (m->key_len == len && memcmp(m->key, key, len) == 0)
            return m->value;
    }
    return NULL;
}

/* Add child value v under key k to the object of frame p (as
 * chuanp_simple_from_xml does without hints). */
static int add_child(chuanp_xml_sax *s, frame *p, const char *k, size_t kl, chuanp_jv *v)
{
    if (!p->obj && !(p->obj = chuanp_jv_new(s->cur, CHUANP_JOBJECT)))
        return s->c.oom = 1, -1;
    chuanp_jv *obj = p->obj, *prev = find_member(obj, k, kl);
    if (prev && prev->type == CHUANP_JARRAY) {
        if (chuanp_jv_push(s->cur, prev, v) < 0)
            return s->c.oom = 1, -1;
    } else if (prev) {
        chuanp_jv *first = chuanp_jv_new(s->cur, prev->type);
        if (!first)
            return s->c.oom = 1, -1;
        *first = *prev;
        memset(prev, 0, sizeof *prev);
        prev->type = CHUANP_JARRAY;
        prev->line = first->line;
        if (chuanp_jv_push(s->cur, prev, first) < 0 || chuanp_jv_push(s->cur, prev, v) < 0)
            return s->c.oom = 1, -1;
    } else {
        return set_member(s, obj, k, kl, v);
    }
    return 0;
}

static const char *path_str(chuanp_xml_sax *s, int rel)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 4096);
    for (int i = 1; i <= rel; i++) {
        chuanp_buf_putc(&b, '/');
        chuanp_buf_puts(&b, s->frames[i].key);
    }
    const char *r = b.err ? "" : chuanp_arena_strndup(s->cur, b.data ? b.data : "", b.len);
    chuanp_buf_free(&b);
    return r ? r : "";
}

static void trim(const char **t, size_t *len)
{
    while (*len && strchr(" \t\r\n", (*t)[0])) {
        (*t)++;
        (*len)--;
    }
    while (*len && strchr(" \t\r\n", (*t)[*len - 1]))
        (*len)--;
}

/* The value of the element of frame f (relative depth rel), its text on top of s->text. */
static chuanp_jv *element_value(chuanp_xml_sax *s, frame *f, int rel)
{
    const char *t = s->text.data ? s->text.data + f->text0 : "";
    size_t len = s->text.len - f->text0;
    if (!f->obj && !f->has_elem)
        return text_value(s, t, len);
    if (f->has_text && len && (!f->has_elem || !chuanp_xml_is_blank(t, len))) {
        if (f->has_elem) {
            chuanp_convert_warning(s->c.d, "convert.mixed-content", s->o->file, line_of(f, 0), 0,
                                   path_str(s, rel),
                                   "text beside child elements is joined in #text; "
                                   "--mapping jsonml keeps its position");
            trim(&t, &len);
        }
        if (set_member(s, f->obj, "#text", 5, text_value(s, t, len)) < 0)
            return NULL;
    }
    return f->obj;
}

/* ------------------------------------------------------------ queue */

static qrec *queue_add(chuanp_xml_sax *s)
{
    if (s->qhead + s->qlen == s->qcap) {
        if (s->qhead) {
            memmove(s->q, s->q + s->qhead, s->qlen * sizeof *s->q);
            s->qhead = 0;
        } else {
            size_t cap = s->qcap ? s->qcap * 2 : 16;
            qrec *q = chuanp_realloc(s->q, cap * sizeof *q);
            if (!q)
                return NULL;
            s->q = q;
            s->qcap = cap;
        }
    }
    qrec *e = &s->q[s->qhead + s->qlen++];
    memset(e, 0, sizeof *e);
    chuan_diags_init(&e->diags, 0);
    return e;
}

/* ------------------------------------------------------------ arenas */

static chuanp_arena *arena_get(chuanp_xml_sax *s)
{
    if (s->nspare)
        return s->spare[--s->nspare];
    chuanp_arena *a = chuanp_malloc(sizeof *a);
    if (a)
        chuanp_arena_init(a, 8 * 1024); /* small: a slice may hold many small records */
    return a;
}

static void arena_put(chuanp_xml_sax *s, chuanp_arena *a)
{
    if (!a)
        return;
    if (s->nspare == s->spare_cap) {
        size_t cap = s->spare_cap ? s->spare_cap * 2 : 8;
        chuanp_arena **sp = chuanp_realloc(s->spare, cap * sizeof *sp);
        if (!sp) {
            chuanp_arena_free(a);
            chuanp_free(a);
            return;
        }
        s->spare = sp;
        s->spare_cap = cap;
    }
    chuanp_arena_reset(a);
    s->spare[s->nspare++] = a;
}

static void arena_drop(chuanp_arena *a)
{
    if (a) {
        chuanp_arena_free(a);
        chuanp_free(a);
    }
}

/* ------------------------------------------------------------ handlers */

static void on_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                     int nns, const xmlChar **ns, int natt, int ndef, const xmlChar **att)
{
    (void)uri;
    (void)ndef;
    xmlParserCtxtPtr ctxt = ctx;
    chuanp_xml_sax *s = ctxt->_private;
    if (s->stop)
        return;
    int depth = s->depth++;
    if (!s->root_seen) {
        s->root_seen = 1;
        if (ctxt->input && ctxt->input->buf && ctxt->input->buf->encoder) {
            s->fallback = 1; /* not UTF-8: the general path */
            stop_parser(s);
            return;
        }
        chuanp_buf_free(&s->prefix);
    }
    if (s->rec_depth < 0) {
        if (depth >= CHUANP_XML_MAX_DEPTH) {
            chuanp_convert_error(s->d, "xml.depth", s->o->file, cur_line(s), 0, NULL,
                                 "elements nested deeper than %d", CHUANP_XML_MAX_DEPTH);
            s->failed_fatal = 1;
            stop_parser(s);
            return;
        }
        s->stack[depth] = prefix ? xmlDictQLookup(ctxt->dict, prefix, local) : local;
        if (!s->stack[depth]) {
            set_oom(s);
            return;
        }
        if (!is_matched(s, depth))
            return;
        s->matched++;
        if (!(s->cur = arena_get(s)))
            return set_oom(s);
        s->c.arena = s->cur;
        s->rec_depth = depth;
        s->c.oom = 0;
        s->c.failed = 0;
        chuan_diags_init(&s->rec_diags, 0);
        s->c.d = &s->rec_diags;
    }
    int rel = depth - s->rec_depth;
    if (depth > CHUANP_XML_MAX_DEPTH || rel >= CHUANP_XML_MAX_DEPTH + 2) {
        /* libxml2's tree builder refuses this depth (nodePush), and stops:
         * its error, as it reports it */
        xmlError e;
        memset(&e, 0, sizeof e);
        e.domain = XML_FROM_PARSER;
        e.code = XML_ERR_INTERNAL_ERROR;
        e.level = XML_ERR_FATAL;
        e.message = (char *)"Excessive depth in document: 256 use XML_PARSE_HUGE option\n";
        e.line = ctxt->input ? ctxt->input->line : 0;
        e.int2 = ctxt->input ? ctxt->input->col : 0;
        s->on_error(s->ectx, &e);
        ctxt->wellFormed = 0;
        s->too_deep = 1;
        stop_parser(s);
        return;
    }
    long line = cur_line(s);
    if (rel > 0)
        first_child(&s->frames[rel - 1], FIRST_ELEM, 0);
    frame *f = &s->frames[rel];
    memset(f, 0, sizeof *f);
    f->line = line < BIG ? line : BIG;
    f->text0 = s->text.len;
    if (rel > 0) {
        size_t kl;
        const char *k = chuanp_xml_qname(s->cur, prefix, local, &kl);
        if (!k)
            return set_oom(s);
        f->key = chuanp_xml_decode_name(s->cur, k, &kl);
        f->key_len = kl;
    }
    if (!nns && !natt)
        return;
    chuanp_jv *obj = f->obj = chuanp_jv_new(s->cur, CHUANP_JOBJECT);
    if (!obj)
        return set_oom(s);
    for (int i = 0; i < nns; i++) {
        const xmlChar *p = ns[2 * i], *href = ns[2 * i + 1];
        size_t kl;
        const char *k = chuanp_xml_qname(s->cur, p ? (const xmlChar *)"@xmlns" : NULL,
                                         p ? p : (const xmlChar *)"@xmlns", &kl);
        const char *h = href ? (const char *)href : "";
        if (!k || set_member(s, obj, k, kl, text_value(s, h, strlen(h))) < 0)
            return set_oom(s);
    }
    for (int i = 0; i < natt; i++) {
        const xmlChar **a = att + 5 * i;
        size_t ql;
        const char *q = chuanp_xml_qname(s->cur, a[1], a[0], &ql);
        if (!q)
            return set_oom(s);
        q = chuanp_xml_decode_name(s->cur, q, &ql);
        char *k = chuanp_arena_alloc(s->cur, ql + 2);
        if (!k)
            return set_oom(s);
        k[0] = '@';
        memcpy(k + 1, q, ql);
        k[ql + 1] = '\0';
        if (set_member(s, obj, k, ql + 1, attr_value(s, a[3], a[4])) < 0)
            return set_oom(s);
    }
}

static void on_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local;
    (void)prefix;
    (void)uri;
    xmlParserCtxtPtr ctxt = ctx;
    chuanp_xml_sax *s = ctxt->_private;
    if (s->stop)
        return;
    int depth = --s->depth;
    if (s->rec_depth < 0 || depth < s->rec_depth)
        return;
    int rel = depth - s->rec_depth;
    frame *f = &s->frames[rel];
    chuanp_jv *v = element_value(s, f, rel);
    s->text.len = f->text0;
    if (s->c.oom || !v)
        return set_oom(s);
    if (rel > 0) {
        frame *p = &s->frames[rel - 1];
        p->has_elem = 1;
        if (p->first == FIRST_ELEM && p->first_line == 0) {
            p->first_line = 1; /* the first child element's lines are known now */
            for (int k = 0; k < RES; k++)
                p->first_res[k] = line_of(f, k);
        }
        if (add_child(s, p, f->key, f->key_len, v) < 0)
            return set_oom(s);
        return;
    }
    qrec *e = queue_add(s);
    if (!e)
        return set_oom(s);
    e->arena = s->cur;
    s->cur = NULL;
    e->value = v;
    e->line = line_of(f, 0);
    e->index = ++s->index;
    chuan_diags_move(&e->diags, &s->rec_diags);
    chuan_diags_clear(&s->rec_diags);
    s->rec_depth = -1;
}

static void on_text(void *ctx, const xmlChar *t, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    chuanp_xml_sax *s = ctxt->_private;
    if (s->stop || s->rec_depth < 0 || len < 0)
        return;
    frame *f = &s->frames[s->depth - 1 - s->rec_depth];
    first_child(f, FIRST_TEXT, cur_line(s));
    f->has_text = 1;
    chuanp_buf_append(&s->text, t, (size_t)len);
    if (s->text.err)
        set_oom(s);
}

static void on_cdata(void *ctx, const xmlChar *t, int len)
{
    xmlParserCtxtPtr ctxt = ctx;
    chuanp_xml_sax *s = ctxt->_private;
    if (s->stop || s->rec_depth < 0 || len < 0)
        return;
    frame *f = &s->frames[s->depth - 1 - s->rec_depth];
    first_child(f, FIRST_OTHER, 0);
    f->has_text = 1;
    chuanp_buf_append(&s->text, t, (size_t)len);
    if (s->text.err)
        set_oom(s);
}

static void on_other(chuanp_xml_sax *s)
{
    if (!s->stop && s->rec_depth >= 0)
        first_child(&s->frames[s->depth - 1 - s->rec_depth], FIRST_OTHER, 0);
}

static void on_comment(void *ctx, const xmlChar *t)
{
    (void)t;
    on_other(((xmlParserCtxtPtr)ctx)->_private);
}

static void on_pi(void *ctx, const xmlChar *target, const xmlChar *data)
{
    (void)target;
    (void)data;
    on_other(((xmlParserCtxtPtr)ctx)->_private);
}

/* A DTD: entities, defaulted attributes: the general path reads it. */
static void on_dtd(void *ctx, const xmlChar *name, const xmlChar *ext, const xmlChar *sys)
{
    (void)name;
    (void)ext;
    (void)sys;
    chuanp_xml_sax *s = ((xmlParserCtxtPtr)ctx)->_private;
    if (!s->root_seen) {
        s->fallback = 1;
        stop_parser(s);
    }
}

static void on_reference(void *ctx, const xmlChar *name)
{
    (void)name;
    set_oom(((xmlParserCtxtPtr)ctx)->_private); /* never without a DTD */
}

/* the reader whose parser context is being created (errors of the encoding
 * detection come before ctxt->_private is set) */
static _Thread_local chuanp_xml_sax *creating;

static void on_serror(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data; /* data: the context (userData) */
    chuanp_xml_sax *s = ctxt && ctxt->_private ? ctxt->_private : creating;
    if (!s || s->fallback)
        return;
    s->on_error(s->ectx, e);
}

/* ------------------------------------------------------------ reader */

chuanp_xml_sax *chuanp_xml_sax_new(FILE *in, const chuanp_convert_opts *o,
                                   const char *const *steps, size_t nsteps, int anywhere,
                                   chuanp_xml_sax_error_fn on_error, void *ctx)
{
    chuanp_xml_sax *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->in = in;
    s->o = o;
    s->steps = steps;
    s->nsteps = nsteps;
    s->anywhere = anywhere;
    s->on_error = on_error;
    s->ectx = ctx;
    s->rec_depth = -1;
    chuanp_buf_init(&s->text, 0);
    chuanp_buf_init(&s->prefix, 0);
    chuan_diags_init(&s->rec_diags, 0);
    s->c.o = o;
    s->c.d = &s->rec_diags;
    s->chunk = chuanp_malloc(CHUNK);
    if (!s->chunk) {
        chuanp_xml_sax_free(s);
        return NULL;
    }
    return s;
}

static int create_parser(chuanp_xml_sax *s)
{
    static xmlSAXHandler sax;
    if (sax.initialized != XML_SAX2_MAGIC) {
        memset(&sax, 0, sizeof sax);
        sax.initialized = XML_SAX2_MAGIC;
        sax.startElementNs = on_start;
        sax.endElementNs = on_end;
        sax.characters = on_text;
        sax.ignorableWhitespace = on_text;
        sax.cdataBlock = on_cdata;
        sax.comment = on_comment;
        sax.processingInstruction = on_pi;
        sax.internalSubset = on_dtd;
        sax.externalSubset = on_dtd;
        sax.reference = on_reference;
        sax.serror = on_serror;
    }
    /* the first bytes decide the encoding (byte-order mark, UTF-16) */
    size_t n = fread(s->chunk, 1, 4, s->in);
    if (n < 4 && ferror(s->in))
        return 2;
    chuanp_buf_append(&s->prefix, s->chunk, n);
    /* fewer than 4 bytes: the xmlTextReader starts without them */
    creating = s;
    s->ctxt = xmlCreatePushParserCtxt(&sax, NULL, n == 4 ? s->chunk : NULL, n == 4 ? 4 : 0,
                                      s->o->file);
    creating = NULL;
    if (!s->ctxt || s->prefix.err)
        return -1;
    xmlCtxtUseOptions(s->ctxt, XML_OPTIONS);
    s->ctxt->_private = s;
    if (n && n < 4)
        xmlParseChunk(s->ctxt, s->chunk, (int)n, 0);
    return 0;
}

/* Push input until a record is queued, the input ends or parsing stops. */
static int push(chuanp_xml_sax *s)
{
    if (!s->ctxt) {
        int rc = create_parser(s);
        if (rc)
            return rc;
    }
    while (!s->qlen && !s->eof && !s->stop) {
        if (s->pos < s->len) {
            /* in slices: the queue holds the records of one slice at most */
            size_t n = s->len - s->pos < SLICE ? s->len - s->pos : SLICE;
            xmlParseChunk(s->ctxt, s->chunk + s->pos, (int)n, 0);
            s->pos += n;
            continue;
        }
        size_t n = fread(s->chunk, 1, CHUNK, s->in);
        if (n == 0 && ferror(s->in))
            return 2;
        if (!s->root_seen) {
            chuanp_buf_append(&s->prefix, s->chunk, n);
            if (s->prefix.err)
                return -1;
        }
        s->pos = 0;
        s->len = n;
        if (n == 0) {
            /* as the xmlTextReader does: the end apart (the parser's
             * messages at the end depend on it) */
            s->eof = 1;
            xmlParseChunk(s->ctxt, s->chunk, 0, 1);
        }
    }
    return 0;
}

int chuanp_xml_sax_next(chuanp_xml_sax *s, chuanp_record *rec, chuan_diags *d,
                        const int *parse_errors)
{
    if (s->done)
        return 0;
    s->d = d;
    arena_put(s, s->given); /* the caller is done with the last record */
    s->given = NULL;
    if (!s->qlen) {
        int rc = push(s);
        if (rc < 0 || s->oom) {
            s->done = 1;
            return -1;
        }
        if (s->fallback) {
            s->done = 1;
            return CHUANP_XML_SAX_FALLBACK;
        }
        if (rc == 2) {
            s->done = 1;
            chuanp_convert_error(d, "io.read", s->o->file, 0, 0, NULL, "cannot read the input");
            return 2;
        }
    }
    if (s->qlen) {
        qrec *e = &s->q[s->qhead++];
        if (--s->qlen == 0)
            s->qhead = 0;
        chuan_diags_move(d, &e->diags);
        chuan_diags_clear(&e->diags);
        s->given = e->arena;
        rec->value = e->value;
        rec->line = e->line;
        rec->index = e->index;
        return 1;
    }
    s->done = 1;
    if (s->too_deep && !*parse_errors)
        chuanp_convert_error(d, "xml.depth", s->o->file, 0, 0, NULL,
                             "elements nested deeper than %d", CHUANP_XML_MAX_DEPTH);
    if (s->failed_fatal || s->too_deep)
        return 2;
    /* no root element (libxml2 may say nothing: "<"): the xmlTextReader fails */
    if (*parse_errors || !s->ctxt->wellFormed || !s->root_seen) {
        if (!*parse_errors)
            chuanp_convert_error(d, "xml.parse", s->o->file, 0, 0, NULL, "not well-formed XML");
        return 2;
    }
    if (s->matched == 0)
        chuanp_convert_warning(d, "convert.no-records", s->o->file, 0, 0, NULL,
                               "no element matched --record %s", s->o->record_path);
    return 0;
}

void chuanp_xml_sax_take_prefix(chuanp_xml_sax *s, char **data, size_t *len)
{
    *data = chuanp_buf_steal(&s->prefix, len);
}

void chuanp_xml_sax_free(chuanp_xml_sax *s)
{
    if (!s)
        return;
    if (s->ctxt)
        xmlFreeParserCtxt(s->ctxt);
    for (size_t i = 0; i < s->qlen; i++) {
        chuan_diags_clear(&s->q[s->qhead + i].diags);
        arena_drop(s->q[s->qhead + i].arena);
    }
    arena_drop(s->cur);
    arena_drop(s->given);
    for (size_t i = 0; i < s->nspare; i++)
        arena_drop(s->spare[i]);
    chuanp_free(s->spare);
    chuanp_free(s->q);
    chuan_diags_clear(&s->rec_diags);
    chuanp_buf_free(&s->text);
    chuanp_buf_free(&s->prefix);
    chuanp_free(s->chunk);
    chuanp_free(s);
}
