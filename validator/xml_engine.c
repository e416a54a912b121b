/*
 * validator/xml_engine.c - XML well-formedness, XSD 1.0 and RELAX NG through
 * libxml2, streaming so memory stays constant for any file size.
 *
 * Well-formedness and XSD run on libxml2's push parser with a SAX handler
 * that builds no tree (XSD through xmlSchemaSAXPlug); RELAX NG runs on an
 * xmlTextReader with the schema attached. Errors are collected through
 * per-context structured handlers. Parsing is secure by default: no network,
 * no external entities or DTD loading, libxml2's default limits (never
 * XML_PARSE_HUGE).
 */
#include "validator.h"

#include "../core/confine.h"
#include "../converters/xml_messages.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/relaxng.h>
#include <libxml/SAX2.h>
#include <libxml/xmlschemas.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define XML_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOCDATA)
#define CHUNK (256 * 1024)
#define MAX_DEPTH 256 /* libxml2's own limit without XML_PARSE_HUGE */

typedef struct xml_engine {
    chuanp_engine base;
    xmlSchemaPtr xsd;
    xmlRelaxNGPtr rng;
    xmlDocPtr text_doc; /* a schema given in memory, parsed (kept while the schema lives) */
    char *text_name;    /* its name: <working directory>/schema-in-memory.xsd or .rng */
} xml_engine;

/* ---------------------------------------------------------------- paths */

/* Element names come from the parser's dictionary (libxml2 interns them),
 * so they are compared by pointer and never copied; each level keeps its
 * child-count table allocated for reuse by the next element at that depth. */
typedef struct child_count {
    const xmlChar *prefix, *local;
    unsigned long n;
} child_count;

typedef struct level {
    const xmlChar *prefix, *local, *uri; /* dictionary-owned */
    unsigned long pos;  /* position among same-named siblings, 1-based */
    long line, column;  /* where its start tag begins */
    child_count *kids;  /* counts of child names seen so far at this level */
    size_t nkids, capkids;
} level;

typedef struct check_state {
    const chuanp_input *in;
    chuan_file_result *res;
    level stack[MAX_DEPTH + 1];
    size_t depth;
    int pending_pop;
    int fatal;
    int entity_refused;
    int draining; /* closing open elements after a fatal error: no diagnostics */
    xmlParserCtxtPtr pctxt; /* push parser, for positions of schema errors */
} check_state;

static void level_free(level *l)
{
    chuanp_free(l->kids);
    memset(l, 0, sizeof *l);
}

static unsigned long count_child(level *parent, const xmlChar *prefix, const xmlChar *local)
{
    for (size_t i = 0; i < parent->nkids; i++)
        if (parent->kids[i].local == local && parent->kids[i].prefix == prefix)
            return ++parent->kids[i].n;
    if (parent->nkids == parent->capkids) {
        size_t cap = parent->capkids ? parent->capkids * 2 : 8;
        child_count *k = chuanp_realloc(parent->kids, cap * sizeof *k);
        if (!k)
            return 0;
        parent->kids = k;
        parent->capkids = cap;
    }
    parent->kids[parent->nkids++] = (child_count){prefix, local, 1};
    return 1;
}

static void apply_pending_pop(check_state *st)
{
    if (st->pending_pop && st->depth > 0)
        st->depth--; /* the level's kids table stays allocated for reuse */
    st->pending_pop = 0;
}

static void push_element(check_state *st, const xmlChar *prefix, const xmlChar *local,
                         const xmlChar *uri, long line, long column)
{
    apply_pending_pop(st);
    if (st->depth >= MAX_DEPTH) {
        if (!st->fatal) {
            chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "xml.depth", .file = st->in->name,
                            .line = line, .column = column, .offset = -1};
            chuan_diags_addf(&st->res->diags, &d, "elements nested deeper than %d levels",
                             MAX_DEPTH);
            st->fatal = 1;
            if (st->pctxt)
                xmlStopParser(st->pctxt);
        }
        return;
    }
    level *parent = &st->stack[st->depth];
    level *l = &st->stack[++st->depth];
    l->prefix = prefix;
    l->local = local;
    l->uri = uri;
    l->nkids = 0;
    l->pos = count_child(parent, prefix, local);
    l->line = line;
    l->column = column;
}

int chuanp_xml_start_tag(struct _xmlParserCtxt *ctxt, int need_lt, long *line, long *column,
                         long long *offset)
{
    xmlParserInputPtr in = ctxt ? ctxt->input : NULL;
    *line = 0;
    *column = 0;
    *offset = -1;
    if (!in || !in->cur || !in->base)
        return 0;
    const xmlChar *p = in->cur;
    long back = 0, newlines = 0;
    while (p > in->base && *p != '<') {
        p--;
        if (*p == '\n')
            newlines++;
        else if ((*p & 0xC0) != 0x80)
            back++;
    }
    if (*p != '<' && need_lt)
        return 0;
    *line = in->line - newlines;
    *offset = (long long)in->consumed + (long long)(p - in->base);
    if (newlines == 0) {
        *column = in->col - back;
    } else {
        /* the tag spans lines: count the characters before '<' on its line */
        const xmlChar *q = p;
        long col = 1;
        while (q > in->base && q[-1] != '\n') {
            q--;
            if ((*q & 0xC0) != 0x80)
                col++;
        }
        *column = q > in->base || *line == 1 ? col : 0;
    }
    if (*column < 1)
        *column = 0;
    return *p == '<';
}

static char *current_xpath(const check_state *st)
{
    if (st->depth == 0)
        return NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 1; i <= st->depth; i++) {
        const level *l = &st->stack[i];
        chuanp_buf_printf(&b, "/%s%s%s", l->prefix ? (const char *)l->prefix : "",
                          l->prefix ? ":" : "", l->local ? (const char *)l->local : "?");
        /* the root has no siblings; others get [n] when n > 1 or when a
         * later sibling of the same name may exist: always print it past the
         * root for an unambiguous path */
        if (i > 1)
            chuanp_buf_printf(&b, "[%lu]", l->pos);
    }
    return chuanp_buf_steal(&b, NULL);
}

/* --------------------------------------------------------- diagnostics */

static const char *schema_code(int code)
{
    switch (code) {
    case XML_SCHEMAV_CVC_PATTERN_VALID: return "xsd.pattern";
    case XML_SCHEMAV_CVC_ENUMERATION_VALID: return "xsd.enumeration";
    case XML_SCHEMAV_CVC_LENGTH_VALID: return "xsd.length";
    case XML_SCHEMAV_CVC_MINLENGTH_VALID: return "xsd.minLength";
    case XML_SCHEMAV_CVC_MAXLENGTH_VALID: return "xsd.maxLength";
    case XML_SCHEMAV_CVC_MININCLUSIVE_VALID: return "xsd.minInclusive";
    case XML_SCHEMAV_CVC_MAXINCLUSIVE_VALID: return "xsd.maxInclusive";
    case XML_SCHEMAV_CVC_MINEXCLUSIVE_VALID: return "xsd.minExclusive";
    case XML_SCHEMAV_CVC_MAXEXCLUSIVE_VALID: return "xsd.maxExclusive";
    case XML_SCHEMAV_CVC_TOTALDIGITS_VALID: return "xsd.totalDigits";
    case XML_SCHEMAV_CVC_FRACTIONDIGITS_VALID: return "xsd.fractionDigits";
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_1:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_2:
    case XML_SCHEMAV_CVC_DATATYPE_VALID_1_2_3: return "xsd.type";
    case XML_SCHEMAV_CVC_ELT_1: return "xsd.undeclared-element";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_3:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_2_4:
    case XML_SCHEMAV_ELEMENT_CONTENT: return "xsd.content";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_1:
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_3_2_2: return "xsd.attribute-undeclared";
    case XML_SCHEMAV_CVC_COMPLEX_TYPE_4: return "xsd.attribute-missing";
    case XML_SCHEMAV_CVC_ATTRIBUTE_3:
    case XML_SCHEMAV_CVC_ATTRIBUTE_4: return "xsd.attribute";
    case XML_SCHEMAV_CVC_IDC: return "xsd.identity";
    case XML_SCHEMAV_DOCUMENT_ELEMENT_MISSING: return "xsd.no-root";
    default: return "xsd.invalid";
    }
}

static const char *error_code(const xmlError *e)
{
    switch (e->domain) {
    case XML_FROM_SCHEMASV: return schema_code(e->code);
    case XML_FROM_RELAXNGV: return "rng.invalid";
    case XML_FROM_IO: return "xml.io";
    case XML_FROM_I18N: return "xml.encoding";
    default:
        switch (e->code) {
        case XML_ERR_ENTITY_LOOP:
        case XML_ERR_ENTITY_BOUNDARY: return "xml.entity-expansion";
        case XML_ERR_UNDECLARED_ENTITY:
        case XML_WAR_UNDECLARED_ENTITY: return "xml.undeclared-entity";
        case XML_ERR_INVALID_CHAR:
        case XML_ERR_INVALID_ENCODING: return "xml.encoding";
        case XML_ERR_DOCUMENT_EMPTY: return "xml.empty";
        case XML_ERR_INTERNAL_ERROR:
            if (e->message && strstr(e->message, "depth"))
                return "xml.depth";
            return "xml.not-well-formed";
        default: return "xml.not-well-formed";
        }
    }
}

static void add_error(check_state *st, const xmlError *e)
{
    chuan_diag d = {0};
    d.severity = e->level == XML_ERR_WARNING ? CHUAN_SEV_WARNING : CHUAN_SEV_ERROR;
    d.code = error_code(e);
    d.file = st->in->name;
    d.line = e->line > 0 ? e->line : 0;
    d.column = e->int2 > 0 ? e->int2 : 0;
    d.offset = -1;
    if (e->domain == XML_FROM_PARSER && e->level == XML_ERR_FATAL)
        st->fatal = 1;
    if (d.line == 0 && st->depth > 0 && !st->fatal) {
        d.line = st->stack[st->depth].line;
        d.column = st->stack[st->depth].column;
    } else if (d.line == 0 && st->pctxt && st->pctxt->input) {
        d.line = st->pctxt->input->line;
        d.column = st->pctxt->input->col;
    }
    char *path = st->fatal ? NULL : current_xpath(st);
    d.path = path;
    /* libxml2 messages end with a newline and may span lines */
    char msg[1024];
    if (e->code == XML_ERR_DOCUMENT_END && st->depth > 0 && e->domain == XML_FROM_PARSER) {
        const level *open = &st->stack[st->depth];
        snprintf(msg, sizeof msg, "unexpected end of input: element '%s%s%s' (line %ld) is not closed",
                 open->prefix ? (const char *)open->prefix : "", open->prefix ? ":" : "",
                 open->local ? (const char *)open->local : "?", open->line);
        d.code = "xml.truncated";
    } else {
        snprintf(msg, sizeof msg, "%s", e->message ? e->message : "XML error");
    }
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    for (char *p = msg; *p; p++)
        if (*p == '\n')
            *p = ' ';
    /* "Element 'X': ..." is already in the path: keep the message as libxml2 says it */
    d.message = msg;
    char *vi = chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_xml_message_vi(msg) : NULL;
    d.message_vi = vi;
    chuan_diags_add(&st->res->diags, &d);
    chuanp_free(vi);
    chuanp_free(path);
}

static void on_structured_error(void *ctx, xmlErrorPtr e)
{
    check_state *st = ctx;
    if (!e || e->level == XML_ERR_NONE || st->draining)
        return;
    /* after a fatal parse error libxml2 may report follow-ups: keep the first */
    if (st->fatal && e->domain == XML_FROM_PARSER)
        return;
    add_error(st, e);
}

/* Parser errors: the user data may be xmlSchemaSAXPlug's, so the state is
 * found through the parser context the error names. */
static void on_parser_error(void *ctx, xmlErrorPtr e)
{
    (void)ctx;
    if (!e || !e->ctxt)
        return;
    check_state *st = ((xmlParserCtxtPtr)e->ctxt)->_private;
    if (st)
        on_structured_error(st, e);
}

/* ------------------------------------------------------- SAX handlers */

static void sax_start(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri,
                      int nns, const xmlChar **ns, int nattr, int ndef, const xmlChar **attrs)
{
    (void)nns, (void)ns, (void)nattr, (void)ndef, (void)attrs;
    check_state *st = ctx;
    long line, column;
    long long offset;
    chuanp_xml_start_tag(st->pctxt, 0, &line, &column, &offset);
    push_element(st, prefix, local, uri, line, column);
}

static void sax_end(void *ctx, const xmlChar *local, const xmlChar *prefix, const xmlChar *uri)
{
    (void)local, (void)prefix, (void)uri;
    check_state *st = ctx;
    apply_pending_pop(st);
    st->pending_pop = 1; /* popped at the next event: end-of-element errors keep the path */
}

static void sax_text(void *ctx, const xmlChar *ch, int len)
{
    (void)ch, (void)len;
    apply_pending_pop(ctx);
}

/* The SAX2 helpers that keep the internal subset's entities want the parser
 * context; our user data is the check state, which points to it. */
static void sax_start_document(void *ctx)
{
    xmlSAX2StartDocument(((check_state *)ctx)->pctxt);
}

static void sax_end_document(void *ctx)
{
    xmlSAX2EndDocument(((check_state *)ctx)->pctxt);
}

static void sax_internal_subset(void *ctx, const xmlChar *name, const xmlChar *ext_id,
                                const xmlChar *system_id)
{
    xmlSAX2InternalSubset(((check_state *)ctx)->pctxt, name, ext_id, system_id);
}

static void sax_entity_decl(void *ctx, const xmlChar *name, int type, const xmlChar *public_id,
                            const xmlChar *system_id, xmlChar *content)
{
    xmlSAX2EntityDecl(((check_state *)ctx)->pctxt, name, type, public_id, system_id, content);
}

static void refuse_external(check_state *st, const char *what)
{
    if (st->entity_refused)
        return;
    st->entity_refused = 1;
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "xml.external-entity",
                    .file = st->in->name,
                    .line = st->pctxt ? xmlSAX2GetLineNumber(st->pctxt) : 0,
                    .column = st->pctxt ? xmlSAX2GetColumnNumber(st->pctxt) : 0,
                    .offset = -1};
    chuan_diags_addf(&st->res->diags, &d,
                     "external entity '%s' is not loaded (external resources are disabled for "
                     "security), so the document cannot be checked completely",
                     what ? what : "?");
}

static xmlEntityPtr sax_get_entity(void *ctx, const xmlChar *name)
{
    check_state *st = ctx;
    xmlEntityPtr ent = xmlSAX2GetEntity(st->pctxt, name);
    if (ent && (ent->etype == XML_EXTERNAL_GENERAL_PARSED_ENTITY ||
                ent->etype == XML_EXTERNAL_GENERAL_UNPARSED_ENTITY)) {
        refuse_external(st, (const char *)name);
        return NULL;
    }
    return ent;
}

static xmlEntityPtr sax_get_parameter_entity(void *ctx, const xmlChar *name)
{
    check_state *st = ctx;
    xmlEntityPtr ent = xmlSAX2GetParameterEntity(st->pctxt, name);
    if (ent && ent->etype == XML_EXTERNAL_PARAMETER_ENTITY) {
        refuse_external(st, (const char *)name);
        return NULL;
    }
    return ent;
}

/* External entities and DTDs are never loaded. */
static xmlParserInputPtr refuse_entity(void *ctx, const xmlChar *public_id, const xmlChar *system_id)
{
    (void)public_id;
    refuse_external(ctx, (const char *)system_id);
    return NULL;
}

static void init_sax(xmlSAXHandler *sax)
{
    memset(sax, 0, sizeof *sax);
    sax->initialized = XML_SAX2_MAGIC;
    sax->startDocument = sax_start_document; /* a bare document for the DTD's entities */
    sax->endDocument = sax_end_document;
    sax->internalSubset = sax_internal_subset;
    sax->entityDecl = sax_entity_decl;
    sax->getEntity = sax_get_entity;
    sax->getParameterEntity = sax_get_parameter_entity;
    sax->resolveEntity = refuse_entity;
    sax->startElementNs = sax_start;
    sax->endElementNs = sax_end;
    sax->characters = sax_text;
    sax->ignorableWhitespace = sax_text;
}

/* After a fatal parse error the XSD validator still holds the state of the
 * elements left open (identity-constraint tables among them), which
 * xmlSchemaFreeValidCtxt does not release in libxml2 2.9: close them. */
static void drain_open_elements(check_state *st, xmlSAXHandlerPtr sax, void *user)
{
    if (!sax->endElementNs)
        return;
    st->draining = 1;
    apply_pending_pop(st);
    while (st->depth > 0) {
        const level *l = &st->stack[st->depth];
        sax->endElementNs(user, l->local, l->prefix, l->uri);
        apply_pending_pop(st);
    }
}

/* Open the input as a file descriptor; -1 with a diagnostic on failure. */
static int open_input(const chuanp_input *in, chuan_file_result *res)
{
    if (!in->path)
        return 0;
    int fd = open(in->path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "input.unreadable", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d, "cannot open %s: %s", in->name, chuanp_strerror(errno));
    }
    return fd;
}

static int push_parse(const xml_engine *e, const chuanp_input *in, chuan_file_result *res)
{
    check_state *st = chuanp_calloc(1, sizeof *st);
    char *buf = chuanp_malloc(CHUNK);
    xmlParserCtxtPtr ctxt = NULL;
    xmlSchemaValidCtxtPtr vctxt = NULL;
    xmlSchemaSAXPlugPtr plug = NULL;
    int rc = -1, fd = -1;
    if (!st || !buf)
        goto out;
    st->in = in;
    st->res = res;
    fd = open_input(in, res);
    if (fd < 0)
        goto out;

    xmlSAXHandler sax;
    init_sax(&sax);
    sax.serror = on_parser_error;
    xmlSAXHandlerPtr psax = &sax;
    void *user = st;
    if (e->xsd) {
        vctxt = xmlSchemaNewValidCtxt(e->xsd);
        if (!vctxt)
            goto out;
        xmlSchemaSetValidStructuredErrors(vctxt, on_structured_error, st);
        plug = xmlSchemaSAXPlug(vctxt, &psax, &user);
        if (!plug)
            goto out;
        psax->serror = on_parser_error;
    }
    ssize_t n;
    do
        n = read(fd, buf, 4);
    while (n < 0 && errno == EINTR);
    if (n < 0)
        goto read_error;
    ctxt = xmlCreatePushParserCtxt(psax, user, buf, (int)n, in->path ? in->path : "stdin");
    if (!ctxt)
        goto out;
    xmlCtxtUseOptions(ctxt, XML_OPTIONS);
    ctxt->_private = st;
    st->pctxt = ctxt;
    if (n == 0) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "xml.empty", .file = in->name,
                        .line = 1, .column = 1, .offset = 0};
        chuan_diags_addf(&res->diags, &d, "the document is empty");
        rc = 1;
        goto out;
    } else {
        for (;;) {
            n = read(fd, buf, CHUNK);
            if (n < 0) {
                if (errno == EINTR)
                    continue;
                goto read_error;
            }
            if (xmlParseChunk(ctxt, buf, (int)n, n == 0) != 0 && st->fatal)
                break;
            if (n == 0)
                break;
        }
    }
    if (plug && st->depth > 0)
        drain_open_elements(st, psax, user);
    rc = (res->diags.errors > 0) ? 1 : 0;
    if (!ctxt->wellFormed && res->diags.errors == 0) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "xml.not-well-formed", .file = in->name,
                        .offset = -1};
        chuan_diags_add(&res->diags, &d);
        rc = 1;
    }
    goto out;
read_error: {
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "input.unreadable", .file = in->name,
                    .offset = -1};
    chuan_diags_addf(&res->diags, &d, "cannot read %s: %s", in->name, chuanp_strerror(errno));
    rc = -1;
}
out:
    if (ctxt) {
        if (ctxt->myDoc)
            xmlFreeDoc(ctxt->myDoc);
        ctxt->myDoc = NULL;
        xmlFreeParserCtxt(ctxt);
    }
    if (plug)
        xmlSchemaSAXUnplug(plug);
    xmlSchemaFreeValidCtxt(vctxt);
    if (fd > 0)
        close(fd);
    if (st) {
        for (size_t i = 0; i <= MAX_DEPTH; i++)
            level_free(&st->stack[i]);
        chuanp_free(st);
    }
    chuanp_free(buf);
    return rc;
}

/* XPath of a node in chuan's form (/root/child[n]/...), from the tree. */
static char *node_xpath(xmlNodePtr node)
{
    xmlNodePtr chain[MAX_DEPTH + 2];
    size_t n = 0;
    for (xmlNodePtr p = node; p && p->type == XML_ELEMENT_NODE && n < MAX_DEPTH + 1; p = p->parent)
        chain[n++] = p;
    if (n == 0)
        return NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = n; i-- > 0;) {
        xmlNodePtr e = chain[i];
        const char *prefix = e->ns && e->ns->prefix ? (const char *)e->ns->prefix : NULL;
        chuanp_buf_printf(&b, "/%s%s%s", prefix ? prefix : "", prefix ? ":" : "", (const char *)e->name);
        if (i != n - 1) {
            unsigned long pos = 1;
            for (xmlNodePtr s = e->prev; s; s = s->prev)
                if (s->type == XML_ELEMENT_NODE && xmlStrEqual(s->name, e->name) && s->ns == e->ns)
                    pos++;
            chuanp_buf_printf(&b, "[%lu]", pos);
        }
    }
    return chuanp_buf_steal(&b, NULL);
}

static void on_rng_error(void *ctx, xmlErrorPtr e)
{
    check_state *st = ctx;
    if (!e || e->level == XML_ERR_NONE)
        return;
    xmlNodePtr node = e->node;
    if (e->domain != XML_FROM_RELAXNGV || !node) {
        on_structured_error(st, e);
        return;
    }
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "RELAX NG error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    char *path = node_xpath(node);
    chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "rng.invalid", .message = msg,
                    .file = st->in->name, .line = node->line > 0 ? node->line : e->line,
                    .offset = -1, .path = path};
    char *vi = chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_xml_message_vi(msg) : NULL;
    d.message_vi = vi;
    chuan_diags_add(&st->res->diags, &d);
    chuanp_free(vi);
    chuanp_free(path);
}

/* RELAX NG: libxml2's streaming RELAX NG validation reports errors one node
 * late, so the document is parsed (securely) into memory and validated as a
 * tree: exact lines and paths, memory proportional to the document. */
static int rng_validate(const xml_engine *e, const chuanp_input *in, chuan_file_result *res)
{
    check_state st = {.in = in, .res = res};
    int fd = open_input(in, res);
    if (fd < 0)
        return -1;
    int rc = -1;
    xmlRelaxNGValidCtxtPtr vctxt = NULL;
    xmlParserCtxtPtr pctxt = xmlNewParserCtxt();
    xmlDocPtr doc = NULL;
    if (!pctxt)
        goto out;
    pctxt->_private = &st;
    pctxt->sax->serror = on_parser_error;
    pctxt->sax->resolveEntity = NULL;
    doc = xmlCtxtReadFd(pctxt, fd, in->path ? in->path : "stdin", NULL, XML_OPTIONS);
    if (!doc) {
        if (res->diags.errors == 0) {
            chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "xml.not-well-formed",
                            .file = in->name, .offset = -1};
            chuan_diags_addf(&res->diags, &d, "the document is not well-formed");
        }
        rc = 1;
        goto out;
    }
    vctxt = xmlRelaxNGNewValidCtxt(e->rng);
    if (!vctxt)
        goto out;
    xmlRelaxNGSetValidStructuredErrors(vctxt, on_rng_error, &st);
    int v = xmlRelaxNGValidateDoc(vctxt, doc);
    if (v != 0 && res->diags.errors == 0) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "rng.invalid", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d, "the document is not valid against the RELAX NG schema");
    }
    rc = res->diags.errors > 0 ? 1 : 0;
out:
    xmlRelaxNGFreeValidCtxt(vctxt);
    xmlFreeDoc(doc);
    xmlFreeParserCtxt(pctxt);
    if (fd > 0)
        close(fd);
    return rc;
}

int chuanp_xml_check(const chuanp_engine *base, const chuanp_input *in, chuan_file_result *res)
{
    const xml_engine *e = (const xml_engine *)base;
    if (e->rng)
        return rng_validate(e, in, res);
    return push_parse(e, in, res);
}

static int xml_engine_check(const chuanp_engine *base, const chuanp_input *in, chuanp_format fmt,
                            chuan_file_result *res)
{
    if (fmt != CHUANP_FMT_XML) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "input.format", .file = in->name,
                        .offset = -1};
        chuan_diags_addf(&res->diags, &d, "%s looks like %s, but the %s schema applies to XML",
                             in->name, chuanp_format_name(fmt),
                             chuanp_schema_type_name(base->opts.type));
        return 1;
    }
    return chuanp_xml_check(base, in, res);
}

static void xml_engine_free(chuanp_engine *base)
{
    xml_engine *e = (xml_engine *)base;
    xmlSchemaFree(e->xsd);
    xmlRelaxNGFree(e->rng);
    xmlFreeDoc(e->text_doc);
    chuanp_free(e->text_name);
    chuanp_free(e);
}

static const struct chuanp_engine_ops xml_ops = {"xml", xml_engine_check, xml_engine_free};

/* Schema compile errors: collected with their location in the schema file. */
static void on_schema_error(void *ctx, xmlErrorPtr e)
{
    chuan_diags *d = ctx;
    if (!e || e->level == XML_ERR_NONE || e->level == XML_ERR_WARNING)
        return;
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", e->message ? e->message : "schema error");
    size_t n = strlen(msg);
    while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = '\0';
    char *vi = chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_xml_message_vi(msg) : NULL;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile", .message = msg,
                     .message_vi = vi, .file = e->file, .line = e->line, .column = e->int2,
                     .offset = -1};
    chuan_diags_add(d, &dg);
    chuanp_free(vi);
}

/* Not well-formed schema text: said as a compile error at its line. */
static void on_text_parse_error(void *ctx, xmlErrorPtr e)
{
    on_schema_error(((xmlParserCtxtPtr)ctx)->_private, e);
}

/* A schema in memory (the API's schema_text) is the document NAME of the
 * working directory: relative includes, imports and externalRefs resolve from
 * there (and, with opts->schema_text_reads_files, may read below it; else no
 * local file: a schema uploaded to the service), and its errors have lines.
 * 0, or -1 (said, or out of memory). */
static int text_doc(xml_engine *e, const chuanp_engine_opts *opts, chuanp_confine *cf,
                    chuan_diags *d)
{
    char *cwd = getcwd(NULL, 0); /* libc's malloc */
    const int err = errno, have_cwd = cwd != NULL;
    e->text_name = cwd ? chuanp_asprintf("%s/schema-in-memory.%s", strcmp(cwd, "/") ? cwd : "",
                                         opts->type == CHUANP_SCHEMA_RNG ? "rng" : "xsd")
                       : NULL;
    cf->file = e->text_name; /* a refused include is said about the schema by this name */
    if (cwd && opts->schema_text_reads_files && chuanp_confine_add_dir(cf, cwd) < 0)
        cf->oom = 1;
    (free)(cwd);
    if (!e->text_name || opts->schema_len > INT_MAX) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile", .offset = -1};
        char why[256];
        snprintf(why, sizeof why, ": %s", opts->schema_len > INT_MAX ? _("larger than 2 GiB")
                                          : have_cwd ? _("out of memory") : chuanp_strerror(err));
        chuan_diags_addf(d, &dg, "cannot compile the schema%s", why);
        return -1;
    }
    xmlParserCtxtPtr pc = xmlNewParserCtxt();
    if (!pc)
        return -1;
    pc->_private = d;
    pc->sax->serror = on_text_parse_error;
    /* the options libxml2 reads a schema file with (entities substituted), without network */
    e->text_doc = xmlCtxtReadMemory(pc, opts->schema_text, (int)opts->schema_len, e->text_name,
                                    NULL, XML_PARSE_NOENT | XML_PARSE_NONET);
    xmlFreeParserCtxt(pc);
    return e->text_doc ? 0 : -1;
}

int chuanp_xml_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    *out = NULL;
    xml_engine *e = chuanp_calloc(1, sizeof *e);
    if (!e)
        return -1;
    e->base.ops = &xml_ops;
    e->base.opts = *opts;
    e->base.label = opts->schema_path;
    const int in_memory = !opts->schema_path && opts->schema_text;
    /* Any error during the compile fails it: libxml2 may report one (out of
     * memory) and still return a schema missing what it could not build. */
    chuanp_compile_guard guard;
    chuanp_compile_guard_begin(&guard);
    /* includes, imports, external references and DTD entities of the
     * schema: only regular files below its folder, its package, --ref */
    chuanp_confine cf;
    chuanp_confine_init(&cf, d, opts->schema_path);
    if (!in_memory)
        chuanp_confine_add_parent(&cf, opts->schema_path);
    chuanp_confine_add_dir(&cf, opts->package_dir);
    for (size_t i = 0; i < opts->nrefs; i++)
        chuanp_confine_add_parent(&cf, opts->refs[i].path);
    chuanp_confine_install();
    chuanp_confine *prev = chuanp_confine_enter(&cf);
    if (in_memory && text_doc(e, opts, &cf, d) < 0) {
        /* not compiled: said below */
    } else if (opts->type == CHUANP_SCHEMA_XSD) {
        xmlSchemaParserCtxtPtr pc = in_memory ? xmlSchemaNewDocParserCtxt(e->text_doc)
                                              : xmlSchemaNewParserCtxt(opts->schema_path);
        if (pc) {
            xmlSchemaSetParserStructuredErrors(pc, on_schema_error, d);
            e->xsd = xmlSchemaParse(pc);
            xmlSchemaFreeParserCtxt(pc);
        }
    } else if (opts->type == CHUANP_SCHEMA_RNG) {
        xmlRelaxNGParserCtxtPtr pc = in_memory ? xmlRelaxNGNewDocParserCtxt(e->text_doc)
                                               : xmlRelaxNGNewParserCtxt(opts->schema_path);
        if (pc) {
            xmlRelaxNGSetParserStructuredErrors(pc, on_schema_error, d);
            e->rng = xmlRelaxNGParse(pc);
            xmlRelaxNGFreeParserCtxt(pc);
        }
    }
    chuanp_confine_leave(prev);
    chuanp_confine_free(&cf);
    if (cf.refused || cf.oom || (!e->xsd && !e->rng && opts->type != CHUANP_SCHEMA_NONE))
        goto fail; /* a refused resource fails the compile, even a skipped xs:import */
    if (in_memory) /* reports name it without the working directory (the service's) */
        e->base.label = strrchr(e->text_name, '/') + 1;
    int bad = chuanp_compile_guard_check(&guard, 0, d,
                                         in_memory ? e->text_name : opts->schema_path);
    if (bad != 0) {
        /* After an allocation failed inside it, libxml2 2.9.14 may crash
         * freeing the schema it returned (tests/torture/known-libxml2.txt):
         * leave it; the run ends with exit 2. */
        if (bad < 0)
            e->xsd = NULL, e->rng = NULL;
        xml_engine_free(&e->base);
        return -1;
    }
    *out = &e->base;
    return 0;
fail:
    if (chuanp_compile_guard_end(&guard) < 0)
        e->xsd = NULL, e->rng = NULL; /* as above: not freed after a lost allocation */
    if (d->errors == 0) {
        const char *name = in_memory ? e->text_name : opts->schema_path;
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schema.compile",
                         .file = name, .offset = -1};
        chuan_diags_addf(d, &dg, "cannot compile schema %s", name ? name : "?");
    }
    xml_engine_free(&e->base);
    return -1;
}
