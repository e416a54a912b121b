/*
 * converters/xml_read.c - the XML record reader.
 *
 * Without --record the whole document is one record (parsed into a tree by
 * xmlCtxtReadIO). With --record PATH the input is streamed with an
 * xmlTextReader: every element matching PATH is expanded, converted to one
 * record and freed before the next is read, so memory stays flat whatever
 * the file size. Parsing is secure: XML_PARSE_NONET, no entity
 * substitution, no DTD loading, never XML_PARSE_HUGE (libxml2's depth and
 * entity-expansion limits stay on). libxml2 errors are collected per
 * context (structured handlers) with line and column.
 *
 * A record's strings may point into the libxml2 nodes they come from
 * (chuanp_xml_jstring_node): the nodes live until the next call of next()
 * or chuanp_free(), which is the life of a record in the pipeline.
 */
#include "xml_entity.h"
#include "xml_messages.h"
#include "xml_map.h"
#include "xml_sax.h"

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <stdlib.h>
#include <string.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_BIG_LINES)

typedef struct xml_reader {
    chuanp_reader base;
    const chuanp_convert_opts *o;
    FILE *in;
    chuan_diags *d;          /* where libxml2 errors go during the current call */
    int parse_errors;        /* errors reported by libxml2 */
    int done;
    /* document mode */
    xmlParserCtxtPtr ctxt;
    xmlDocPtr doc;           /* kept until the next call: the record borrows its text */
    /* record mode */
    xmlTextReaderPtr tr;
    char *path_copy;
    const char *steps[CHUANP_XML_MAX_DEPTH];
    size_t nsteps;
    int anywhere;            /* "//name" or "name": at any depth */
    const xmlChar *stack[CHUANP_XML_MAX_DEPTH];
    int skip_subtree;
    long index, matched;
    uint64_t bytes_read;     /* input given to libxml2 so far */
    chuanp_xml_sax *sax;     /* record mode's fast path (xml_sax.h), NULL: xmlTextReader */
    char *replay;            /* after the fast path gave up: its input, read again first */
    size_t replay_len, replay_at;
    chuanp_xml_entity_budget budget; /* entity expansion, whole document */
} xml_reader;

static int read_cb(void *ctx, char *buf, int len)
{
    xml_reader *r = ctx;
    size_t from_replay = 0;
    if (r->replay_at < r->replay_len) {
        /* what the fast path consumed, then the file: the same reads as
         * without it (the entity budget counts the bytes read) */
        from_replay = r->replay_len - r->replay_at;
        if (from_replay > (size_t)len)
            from_replay = (size_t)len;
        memcpy(buf, r->replay + r->replay_at, from_replay);
        r->replay_at += from_replay;
        if (from_replay == (size_t)len) {
            r->bytes_read += from_replay;
            return len;
        }
    }
    size_t n = from_replay + fread(buf + from_replay, 1, (size_t)len - from_replay, r->in);
    if (n == 0 && ferror(r->in))
        return -1;
    r->bytes_read += n;
    return (int)n;
}

static void add_xml_error(xml_reader *r, const xmlError *e)
{
    if (!r->d || !e || e->level == XML_ERR_NONE)
        return;
    size_t len = e->message ? strlen(e->message) : 0;
    while (len && (e->message[len - 1] == '\n' || e->message[len - 1] == ' '))
        len--;
    chuan_diag g = {.severity = e->level == XML_ERR_WARNING ? CHUAN_SEV_WARNING : CHUAN_SEV_ERROR,
                    .code = e->level == XML_ERR_WARNING ? "xml.warning" : "xml.parse",
                    .file = r->o->file, .line = e->line, .column = e->int2, .offset = -1};
    if (e->level != XML_ERR_WARNING)
        r->parse_errors++;
    char msg[512];
    snprintf(msg, sizeof msg, "%.*s", (int)len, e->message ? e->message : "XML error");
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' '; /* one diagnostic, one line */
    if (r->d->count) {
        /* libxml2 repeats some errors (entity loops) for every reference */
        const chuan_diag *last = &r->d->items[r->d->count - 1];
        if (last->line == e->line && last->column == e->int2 && last->message &&
            strcmp(last->message, msg) == 0)
            return;
    }
    char *vi = chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_xml_message_vi(msg) : NULL;
    g.message_vi = vi;
    chuan_diags_addf(r->d, &g, "%s", msg);
    chuanp_free(vi);
}

static void on_ctxt_error(void *data, xmlErrorPtr e)
{
    xmlParserCtxtPtr ctxt = data;
    add_xml_error(ctxt->_private, e);
}

static void on_reader_error(void *data, xmlErrorPtr e)
{
    add_xml_error(data, e);
}

static void x2j_init(chuanp_x2j *c, xml_reader *r, chuanp_arena *arena, chuan_diags *d)
{
    memset(c, 0, sizeof *c);
    c->arena = arena;
    c->o = r->o;
    c->d = d;
}

static int finish(chuanp_x2j *c, chuanp_jv *v, chuanp_record *rec)
{
    if (c->oom)
        return -1;
    if (!v || c->failed)
        return 2;
    rec->value = v;
    return 1;
}

/* An entity reference whose content was not loaded (external entities
 * never are): converting around it would silently drop text. */
static xmlNodePtr unloaded_entity(xmlNodePtr n, int depth)
{
    for (; n && depth < CHUANP_XML_MAX_DEPTH; n = n->next) {
        if (n->type == XML_ENTITY_REF_NODE) {
            xmlEntityPtr ent = (xmlEntityPtr)n->children;
            if (!ent || ent->etype != XML_INTERNAL_GENERAL_ENTITY)
                return n;
            continue;
        }
        if (n->type == XML_ELEMENT_NODE) {
            for (xmlAttrPtr a = n->properties; a; a = a->next) {
                xmlNodePtr bad = unloaded_entity(a->children, depth + 1);
                if (bad)
                    return bad;
            }
            xmlNodePtr bad = unloaded_entity(n->children, depth + 1);
            if (bad)
                return bad;
        }
    }
    return NULL;
}

static int entities_ok(xml_reader *r, xmlNodePtr node, chuan_diags *d)
{
    if (!node->doc || (!node->doc->intSubset && !node->doc->extSubset))
        return 1; /* no DTD, no entity references */
    xmlNodePtr bad = unloaded_entity(node, 0);
    if (!bad)
        return 1;
    xmlNodePtr at = bad->parent ? bad->parent : bad;
    chuanp_convert_error(d, "xml.external-entity", r->o->file, (long)xmlGetLineNo(at), 0, NULL,
                         "&%s; is an external entity, which chuan never loads: its text cannot "
                         "be converted", (const char *)bad->name);
    return 0;
}

/* The walkers below expand entity references themselves: measure first
 * (xml_entity.h). 1 within the budget, 0 reported, -1 out of memory. */
static int expansion_ok(xml_reader *r, xmlNodePtr node, chuan_diags *d)
{
    r->budget.input_bytes = r->bytes_read;
    xmlNodePtr at = NULL;
    int m = chuanp_xml_entity_measure(&r->budget, node, &at);
    if (m <= 0)
        return m < 0 ? -1 : 1;
    chuanp_convert_error(d, "xml.entity-expansion", r->o->file, at ? (long)xmlGetLineNo(at) : 0, 0,
                         NULL,
                         "entity references expand to more than %llu bytes: the limit is %d x "
                         "the %llu bytes of input read, at least %u bytes",
                         (unsigned long long)chuanp_xml_entity_limit(r->budget.input_bytes),
                         CHUANP_XML_ENTITY_RATIO, (unsigned long long)r->budget.input_bytes,
                         CHUANP_XML_ENTITY_MIN);
    return 0;
}

static chuanp_jv *map_node(chuanp_x2j *c, xmlNodePtr node)
{
    switch (c->o->mapping) {
    case CHUANP_MAP_JSONML: return chuanp_jsonml_from_xml(c, node);
    case CHUANP_MAP_W3C: return chuanp_w3c_from_xml(c, node);
    default: return chuanp_simple_from_xml(c, node);
    }
}

/* ---------------------------------------------------------- document */

static int next_document(xml_reader *r, chuanp_arena *arena, chuanp_record *rec, chuan_diags *d)
{
    if (r->done)
        return 0;
    r->done = 1;
    r->d = d;
    xmlDocPtr doc = r->doc = xmlCtxtReadIO(r->ctxt, read_cb, NULL, r, r->o->file, r->o->encoding,
                                  XML_OPTIONS);
    r->d = NULL;
    int rc;
    if (!doc || r->parse_errors || !r->ctxt->wellFormed) {
        if (!r->parse_errors)
            chuanp_convert_error(d, "xml.parse", r->o->file, 0, 0, NULL, "not well-formed XML");
        rc = 2;
        goto out;
    }
    xmlNodePtr root = xmlDocGetRootElement(doc);
    if (!root) {
        chuanp_convert_error(d, "xml.parse", r->o->file, 0, 0, NULL, "no root element");
        rc = 2;
        goto out;
    }
    if (!entities_ok(r, root, d)) {
        rc = 2;
        goto out;
    }
    int x = expansion_ok(r, root, d);
    if (x <= 0) {
        rc = x < 0 ? -1 : 2;
        goto out;
    }
    chuanp_x2j c;
    x2j_init(&c, r, arena, d);
    chuanp_jv *v;
    switch (r->o->mapping) {
    case CHUANP_MAP_JSONML: v = chuanp_jsonml_from_doc(&c, doc); break;
    case CHUANP_MAP_W3C: v = chuanp_w3c_from_xml(&c, root); break;
    default: v = chuanp_simple_from_doc(&c, doc); break;
    }
    rec->line = (long)xmlGetLineNo(root);
    rec->index = 1;
    rc = finish(&c, v, rec);
out:
    return rc;
}

/* ------------------------------------------------------------ records */

static int parse_record_path(xml_reader *r, const char *path, chuan_diags *d)
{
    r->path_copy = chuanp_strdup(path);
    if (!r->path_copy)
        return -1;
    char *p = r->path_copy;
    if (p[0] == '/' && p[1] == '/') {
        r->anywhere = 1;
        p += 2;
    } else if (p[0] == '/') {
        p++;
    } else {
        r->anywhere = 1;
    }
    while (*p) {
        char *slash = strchr(p, '/');
        if (slash)
            *slash = '\0';
        if (!*p || r->nsteps == CHUANP_XML_MAX_DEPTH || (r->anywhere && slash)) {
            chuanp_convert_error(d, "convert.record-path", r->o->file, 0, 0, NULL,
                                 "--record %s: use /Root/Record (absolute) or //Record (anywhere)",
                                 path);
            return -1;
        }
        r->steps[r->nsteps++] = p;
        if (!slash)
            break;
        p = slash + 1;
    }
    if (r->nsteps == 0) {
        chuanp_convert_error(d, "convert.record-path", r->o->file, 0, 0, NULL,
                             "--record %s names no element", path);
        return -1;
    }
    return 0;
}

static int matches(const xml_reader *r, int depth)
{
    if (r->anywhere)
        return strcmp((const char *)r->stack[depth], r->steps[0]) == 0;
    if ((size_t)depth + 1 != r->nsteps)
        return 0;
    for (int i = 0; i <= depth; i++)
        if (strcmp((const char *)r->stack[i], r->steps[i]) != 0)
            return 0;
    return 1;
}

static int next_record(xml_reader *r, chuanp_arena *arena, chuanp_record *rec, chuan_diags *d)
{
    if (r->done)
        return 0;
    r->d = d;
    int rc = 0;
    for (;;) {
        /* libxml2 parses ahead: an error may be reported while earlier,
         * complete records are still being returned. Records complete before
         * a fatal error are kept; the error itself makes the input bad. */
        int ret = r->skip_subtree ? xmlTextReaderNext(r->tr) : xmlTextReaderRead(r->tr);
        r->skip_subtree = 0;
        if (ret <= 0) {
            r->done = 1;
            if (ret < 0 || r->parse_errors) {
                if (!r->parse_errors)
                    chuanp_convert_error(d, "xml.parse", r->o->file, 0, 0, NULL,
                                         "not well-formed XML");
                rc = 2;
            } else if (r->matched == 0) {
                chuanp_convert_warning(d, "convert.no-records", r->o->file, 0, 0, NULL,
                                       "no element matched --record %s", r->o->record_path);
            }
            break;
        }
        if (xmlTextReaderNodeType(r->tr) != XML_READER_TYPE_ELEMENT)
            continue;
        int depth = xmlTextReaderDepth(r->tr);
        if (depth < 0 || depth >= CHUANP_XML_MAX_DEPTH) {
            r->done = 1;
            chuanp_convert_error(d, "xml.depth", r->o->file,
                                 xmlTextReaderGetParserLineNumber(r->tr), 0, NULL,
                                 "elements nested deeper than %d", CHUANP_XML_MAX_DEPTH);
            rc = 2;
            break;
        }
        r->stack[depth] = xmlTextReaderConstName(r->tr);
        if (!r->stack[depth] || !matches(r, depth))
            continue;
        r->matched++;
        int before = r->parse_errors;
        xmlNodePtr node = xmlTextReaderExpand(r->tr);
        if (!node) {
            r->done = 1;
            if (r->parse_errors == before && !r->parse_errors)
                chuanp_convert_error(d, "xml.parse", r->o->file,
                                     xmlTextReaderGetParserLineNumber(r->tr), 0, NULL,
                                     "record is not well-formed XML");
            rc = 2;
            break;
        }
        r->skip_subtree = 1;
        rec->line = (long)xmlGetLineNo(node);
        rec->index = ++r->index;
        if (!entities_ok(r, node, d)) {
            rc = 2;
            break;
        }
        int x = expansion_ok(r, node, d);
        if (x <= 0) {
            r->done = 1; /* the document's budget is spent: nothing more of it is read */
            rc = x < 0 ? -1 : 2;
            break;
        }
        chuanp_x2j c;
        x2j_init(&c, r, arena, d);
        rc = finish(&c, map_node(&c, node), rec);
        break;
    }
    r->d = NULL;
    return rc;
}

/* ----------------------------------------------------------- reader */

static void on_sax_error(void *data, const xmlError *e)
{
    add_xml_error(data, e);
}

static int open_text_reader(xml_reader *r)
{
    r->tr = xmlReaderForIO(read_cb, NULL, r, r->o->file, r->o->encoding, XML_OPTIONS);
    if (!r->tr)
        return -1;
    xmlTextReaderSetStructuredErrorHandler(r->tr, on_reader_error, r);
    return 0;
}

/* The fast path; when it gives up (before the root element, nothing
 * reported), the general path reads its input again, then the rest. */
static int next_sax(xml_reader *r, chuanp_arena *arena, chuanp_record *rec, chuan_diags *d)
{
    chuan_diags mark = *d;
    r->d = d;
    int rc = chuanp_xml_sax_next(r->sax, rec, d, &r->parse_errors);
    r->d = NULL;
    if (rc != CHUANP_XML_SAX_FALLBACK)
        return rc;
    chuanp_diags_truncate(d, &mark);
    r->parse_errors = 0;
    chuanp_xml_sax_take_prefix(r->sax, &r->replay, &r->replay_len);
    chuanp_xml_sax_free(r->sax);
    r->sax = NULL;
    r->replay_at = 0;
    r->bytes_read = 0;
    if (open_text_reader(r) < 0)
        return -1;
    return next_record(r, arena, rec, d);
}

static int reader_next(chuanp_reader *base, chuanp_arena *arena, chuanp_record *rec,
                       chuan_diags *d)
{
    xml_reader *r = (xml_reader *)base;
    xmlFreeDoc(r->doc); /* the previous record is done with */
    r->doc = NULL;
    if (r->sax)
        return next_sax(r, arena, rec, d);
    return r->tr ? next_record(r, arena, rec, d) : next_document(r, arena, rec, d);
}

static void reader_free(chuanp_reader *base)
{
    xml_reader *r = (xml_reader *)base;
    if (!r)
        return;
    xmlFreeDoc(r->doc);
    chuanp_xml_sax_free(r->sax);
    chuanp_free(r->replay);
    if (r->tr)
        xmlFreeTextReader(r->tr);
    if (r->ctxt)
        xmlFreeParserCtxt(r->ctxt);
    chuanp_free(r->path_copy);
    chuanp_free(r);
}

static const struct chuanp_reader_ops xml_reader_ops = {reader_next, reader_free};

int chuanp_xml_reader_open(chuanp_reader **out, FILE *in, const chuanp_convert_opts *o,
                           chuan_diags *d)
{
    *out = NULL;
    xml_reader *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        return -1;
    r->base.ops = &xml_reader_ops;
    r->o = o;
    r->in = in;
    if (o->record_path) {
        if (parse_record_path(r, o->record_path, d) < 0)
            goto fail;
        if (chuanp_xml_sax_usable(o)) {
            r->sax = chuanp_xml_sax_new(in, o, r->steps, r->nsteps, r->anywhere, on_sax_error, r);
            if (!r->sax)
                goto fail;
        } else if (open_text_reader(r) < 0) {
            goto fail;
        }
        r->base.streaming = 1;
    } else {
        r->ctxt = xmlNewParserCtxt();
        if (!r->ctxt || !r->ctxt->sax)
            goto fail;
        r->ctxt->_private = r;
        r->ctxt->sax->serror = on_ctxt_error;
        r->ctxt->sax->error = NULL;
        r->ctxt->sax->warning = NULL;
    }
    *out = &r->base;
    return 0;
fail:
    reader_free(&r->base);
    return -1;
}
