/* validator/schematron_run.c - running a compiled Schematron: extension functions, SVRL to
 * diagnostics with line numbers. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "schematron_internal.h"
#include "vocab.h"
#include "../converters/json.h"

#include <libxml/xpathInternals.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REGEX_CACHE_MAX 256
#define REGEX_MATCH_LIMIT 1000000
#define REGEX_DEPTH_LIMIT 10000
#define XPATH_OP_LIMIT 500000000UL
#define MAX_MESSAGE 8192

struct chuanp_regex_cache {
    pthread_mutex_t lock;
    char *patterns[REGEX_CACHE_MAX];
    pcre2_code *codes[REGEX_CACHE_MAX];
    size_t count;
    pcre2_match_context *mctx;
};

typedef struct run_state {
    const chuanp_schematron *s;
    chuanp_line_index idx;
    chuanp_buf errors;
} run_state;

int chuanp_schematron_runtime_init(chuanp_schematron *s)
{
    s->sec = XSLT(NewSecurityPrefs)();
    if (!s->sec)
        return -1;
    /* A schema never reads or writes files or the network (document(), ...). */
    XSLT(SetSecurityPrefs)(s->sec, XSLT_SECPREF_READ_FILE, XSLT(SecurityForbid));
    XSLT(SetSecurityPrefs)(s->sec, XSLT_SECPREF_WRITE_FILE, XSLT(SecurityForbid));
    XSLT(SetSecurityPrefs)(s->sec, XSLT_SECPREF_CREATE_DIRECTORY, XSLT(SecurityForbid));
    XSLT(SetSecurityPrefs)(s->sec, XSLT_SECPREF_READ_NETWORK, XSLT(SecurityForbid));
    XSLT(SetSecurityPrefs)(s->sec, XSLT_SECPREF_WRITE_NETWORK, XSLT(SecurityForbid));
    s->regexes = chuanp_calloc(1, sizeof *s->regexes);
    if (!s->regexes || pthread_mutex_init(&s->regexes->lock, NULL) != 0) {
        chuanp_free(s->regexes);
        s->regexes = NULL;
        return -1;
    }
    s->regexes->mctx = pcre2_match_context_create(NULL);
    if (!s->regexes->mctx)
        return -1;
    pcre2_set_match_limit(s->regexes->mctx, REGEX_MATCH_LIMIT);
    pcre2_set_depth_limit(s->regexes->mctx, REGEX_DEPTH_LIMIT);
    return 0;
}

void chuanp_schematron_runtime_free(chuanp_schematron *s)
{
    if (s->sec)
        XSLT(FreeSecurityPrefs)(s->sec);
    s->sec = NULL;
    if (s->regexes) {
        for (size_t i = 0; i < s->regexes->count; i++) {
            chuanp_free(s->regexes->patterns[i]);
            pcre2_code_free(s->regexes->codes[i]);
        }
        pcre2_match_context_free(s->regexes->mctx);
        pthread_mutex_destroy(&s->regexes->lock);
        chuanp_free(s->regexes);
        s->regexes = NULL;
    }
}

static run_state *state_of(xmlXPathParserContextPtr ctxt)
{
    xsltTransformContextPtr t = XSLT(XPathGetTransformContext)(ctxt);
    return t ? t->_private : NULL;
}

/* The first node of a node-set argument (or the context node). */
static xmlNodePtr pop_node(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs == 0)
        return ctxt->context->node;
    xmlXPathObjectPtr o = valuePop(ctxt);
    xmlNodePtr n = NULL;
    if (o && o->type == XPATH_NODESET && o->nodesetval && o->nodesetval->nodeNr > 0)
        n = o->nodesetval->nodeTab[0];
    xmlXPathFreeObject(o);
    return n;
}

/* Push a function's result, or raise XPath's memory error when it could not
 * be built: never a missing value on the stack (libxml2 then crashes), never
 * an empty string standing in for a result (issue 11). */
static void push_result(xmlXPathParserContextPtr ctxt, xmlXPathObjectPtr o)
{
    if (!o || valuePush(ctxt, o) < 0) {
        xmlXPathFreeObject(o);
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
    }
}

static void push_string(xmlXPathParserContextPtr ctxt, const char *s)
{
    xmlChar *d = s ? xmlStrdup(BAD_CAST s) : NULL;
    push_result(ctxt, d ? xmlXPathWrapString(d) : NULL);
}

static void fn_path(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs > 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlNodePtr n = pop_node(ctxt, nargs);
    chuanp_buf b;
    chuanp_buf_init(&b, 1 << 16);
    chuanp_xml_node_path(&b, n);
    push_string(ctxt, b.err ? NULL : (b.data ? b.data : ""));
    chuanp_buf_free(&b);
}

static void fn_pos(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs > 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    run_state *st = state_of(ctxt);
    xmlNodePtr n = pop_node(ctxt, nargs);
    long line = 0, col = 0;
    long long off = -1;
    chuanp_xml_node_position(n, st ? &st->idx : NULL, &line, &col, &off);
    char buf[96];
    snprintf(buf, sizeof buf, "%ld:%ld:%lld", line, col, off);
    push_string(ctxt, buf);
}

static pcre2_code *regex_get(chuanp_regex_cache *rc, const char *pattern, char *err, size_t errsz)
{
    pcre2_code *code = NULL;
    pthread_mutex_lock(&rc->lock);
    for (size_t i = 0; i < rc->count; i++) {
        if (strcmp(rc->patterns[i], pattern) == 0) {
            code = rc->codes[i];
            goto out;
        }
    }
    int ec;
    PCRE2_SIZE eo;
    code = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED, PCRE2_UTF | PCRE2_UCP, &ec,
                         &eo, NULL);
    if (!code) {
        PCRE2_UCHAR msg[256];
        chuanp_pcre2_error(ec, (char *)msg, sizeof msg);
        snprintf(err, errsz, _("chuan:matches: bad pattern '%.100s' at offset %zu: %s"), pattern,
                 (size_t)eo, (char *)msg);
        goto out;
    }
    if (rc->count < REGEX_CACHE_MAX) {
        char *p = chuanp_strdup(pattern);
        if (p) {
            rc->patterns[rc->count] = p;
            rc->codes[rc->count++] = code;
            goto out;
        }
    }
    /* cache full: keep the newest in the last slot */
    chuanp_free(rc->patterns[REGEX_CACHE_MAX - 1]);
    pcre2_code_free(rc->codes[REGEX_CACHE_MAX - 1]);
    rc->patterns[REGEX_CACHE_MAX - 1] = chuanp_strdup(pattern);
    rc->codes[REGEX_CACHE_MAX - 1] = code;
    if (!rc->patterns[REGEX_CACHE_MAX - 1]) {
        pcre2_code_free(code);
        rc->codes[REGEX_CACHE_MAX - 1] = NULL;
        rc->patterns[REGEX_CACHE_MAX - 1] = chuanp_strdup("");
        code = NULL;
        snprintf(err, errsz, "out of memory");
    }
out:
    pthread_mutex_unlock(&rc->lock);
    return code;
}

static void fn_matches(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    run_state *st = state_of(ctxt);
    xmlChar *pattern = xmlXPathPopString(ctxt);
    xmlChar *value = xmlXPathPopString(ctxt);
    int result = -1;
    char err[512] = "";
    if (!st || !pattern || !value) {
        snprintf(err, sizeof err, "chuan:matches: internal error");
        goto out;
    }
    /* The cache lock covers compilation only; the compiled code is shared
     * read-only and each call has its own match data. */
    pcre2_code *code = regex_get(st->s->regexes, (const char *)pattern, err, sizeof err);
    if (!code)
        goto out;
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(code, NULL);
    if (!md) {
        snprintf(err, sizeof err, "out of memory");
        goto out;
    }
    int rc = pcre2_match(code, (PCRE2_SPTR)value, PCRE2_ZERO_TERMINATED, 0, 0, md,
                         st->s->regexes->mctx);
    pcre2_match_data_free(md);
    if (rc >= 0)
        result = 1;
    else if (rc == PCRE2_ERROR_NOMATCH)
        result = 0;
    else
        snprintf(err, sizeof err, _("chuan:matches: pattern '%.100s' failed (limit reached or bad UTF-8)"),
                 (const char *)pattern);
out:
    xmlFree(pattern);
    xmlFree(value);
    if (result < 0) {
        if (st)
            chuanp_buf_printf(&st->errors, "%s; ", err);
        xmlXPathSetError(ctxt, XPATH_EXPR_ERROR);
        return;
    }
    push_result(ctxt, xmlXPathNewBoolean(result));
}

static void fn_in_codelist(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs < 2 || nargs > 4) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    run_state *st = state_of(ctxt);
    xmlChar *parent = nargs == 4 ? xmlXPathPopString(ctxt) : NULL;
    xmlChar *date = nargs >= 3 ? xmlXPathPopString(ctxt) : NULL;
    xmlChar *name = xmlXPathPopString(ctxt);
    xmlChar *value = xmlXPathPopString(ctxt);
    const chuanp_codelist *l = NULL;
    int result = -1;
    if (!name || !value || (nargs == 3 && !date)) { /* out of memory */
        xmlFree(date);
        xmlFree(name);
        xmlFree(value);
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    if (st && st->s->codelists && name)
        l = chuanp_codelists_find(st->s->codelists, (const char *)name);
    if (!l) {
        if (st)
            chuanp_buf_printf(&st->errors,
                              _("chuan:in-codelist: code list '%s' is not loaded (its name must be "
                                "a string literal in the schema); "),
                              name ? (const char *)name : "?");
        goto out;
    }
    if (parent && !l->has_parent) {
        chuanp_buf_printf(&st->errors, _("chuan:in-codelist: code list '%s' has no parent column; "),
                          (const char *)name);
        goto out;
    }
    long key = st->s->as_of ? st->s->as_of : chuanp_date_today();
    if (date && *date) {
        chuanp_date dd;
        if (chuanp_date_parse_any((const char *)date, strlen((const char *)date), &dd) == 0)
            key = chuanp_date_key(&dd);
    }
    const chuanp_code *hit;
    /* an empty parent is absent: the code may belong to any parent */
    const char *pv = parent && *parent ? (const char *)parent : NULL;
    result = chuanp_codelist_lookup_in(l, (const char *)value, strlen((const char *)value), key, pv,
                                       pv ? strlen(pv) : 0, &hit) == CHUANP_CODE_VALID;
out:
    xmlFree(parent);
    xmlFree(date);
    xmlFree(name);
    xmlFree(value);
    if (result < 0) {
        xmlXPathSetError(ctxt, XPATH_EXPR_ERROR);
        return;
    }
    push_result(ctxt, xmlXPathNewBoolean(result));
}

static void fn_mst_valid(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    xmlChar *value = xmlXPathPopString(ctxt);
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int bad = chuanp_vocab_check_mst((const char *)value, value ? strlen((const char *)value) : 0, &m);
    chuanp_vocab_msg_free(&m);
    int lost = !value;
    xmlFree(value);
    if (lost || bad < 0) {
        xmlXPathErr(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    push_result(ctxt, xmlXPathNewBoolean(bad == 0));
}

/* chuan:date-valid(value, 'fmt|fmt'): a real calendar date/time in one of the formats. */
static void fn_date_valid(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 2) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    run_state *st = state_of(ctxt);
    xmlChar *fmts = xmlXPathPopString(ctxt);
    xmlChar *value = xmlXPathPopString(ctxt);
    int result = -1;
    if (!fmts || !value)
        goto out;
    result = 0;
    const char *p = (const char *)fmts;
    size_t vlen = strlen((const char *)value);
    while (*p && !result) {
        size_t n = strcspn(p, "|");
        char name[64];
        if (n == 0 || n >= sizeof name) {
            result = -1;
            break;
        }
        memcpy(name, p, n);
        name[n] = '\0';
        chuanp_datefmt f = chuanp_datefmt_parse(name);
        if (f == CHUANP_DATEFMT_INVALID) {
            result = -1;
            break;
        }
        chuanp_date d;
        if (chuanp_date_parse((const char *)value, vlen, f, &d) == 0)
            result = 1;
        p += n;
        if (*p == '|')
            p++;
    }
    if (result < 0 && st)
        chuanp_buf_printf(&st->errors, _("chuan:date-valid: unknown date format in '%.100s'; "),
                          fmts ? (const char *)fmts : "");
out:
    xmlFree(fmts);
    xmlFree(value);
    if (result < 0) {
        xmlXPathSetError(ctxt, XPATH_EXPR_ERROR);
        return;
    }
    xmlXPathReturnBoolean(ctxt, result);
}

/* chuan:setting('name'): a setting of standard.json as a string ("" when absent). */
static void fn_setting(xmlXPathParserContextPtr ctxt, int nargs)
{
    if (nargs != 1) {
        xmlXPathSetArityError(ctxt);
        return;
    }
    run_state *st = state_of(ctxt);
    xmlChar *name = xmlXPathPopString(ctxt);
    const chuanp_jv *v = st && st->s->settings && name ? chuanp_json_get(st->s->settings, (const char *)name)
                                                       : NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    size_t n = v && v->type == CHUANP_JARRAY ? v->u.arr.count : (v ? 1 : 0);
    for (size_t i = 0; i < n; i++) {
        const chuanp_jv *it = v->type == CHUANP_JARRAY ? v->u.arr.items[i] : v;
        if (i)
            chuanp_buf_putc(&b, '|');
        if (it->type == CHUANP_JSTRING || it->type == CHUANP_JNUMBER)
            chuanp_buf_append(&b, it->u.str.text, it->u.str.len);
        else if (it->type == CHUANP_JTRUE || it->type == CHUANP_JFALSE)
            chuanp_buf_puts(&b, it->type == CHUANP_JTRUE ? "true" : "false");
    }
    xmlFree(name);
    if (b.err) {
        chuanp_buf_free(&b);
        xmlXPathSetError(ctxt, XPATH_MEMORY_ERROR);
        return;
    }
    xmlXPathReturnString(ctxt, xmlStrdup(BAD_CAST(b.data ? b.data : "")));
    chuanp_buf_free(&b);
}

static void run_error(void *ctx, const char *fmt, ...)
{
    run_state *st = ctx;
    if (st->errors.len > 2000)
        return;
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf_vprintf(&st->errors, fmt, ap);
    va_end(ap);
}

static void xpath_serror(void *ctx, xmlErrorPtr e)
{
    run_state *st = ctx;
    if (st->errors.len <= 2000 && e && e->message)
        chuanp_buf_printf(&st->errors, "%s", e->message);
}

/* Text of an element with whitespace collapsed. */
static void collect_text(chuanp_buf *b, xmlNodePtr n)
{
    xmlChar *t = xmlNodeGetContent(n);
    if (!t)
        return;
    int space = b->len > 0;
    for (const xmlChar *p = t; *p; p++) {
        if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r') {
            space = 1;
            continue;
        }
        if (space && b->len)
            chuanp_buf_putc(b, ' ');
        space = 0;
        chuanp_buf_putc(b, (char)*p);
    }
    xmlFree(t);
}

static int is_svrl(xmlNodePtr n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST CHUANP_SVRL_NS) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

/* Severity of a failed assert (is_assert) or successful report with this role (may be NULL):
 * fatal/error -> error, warning/warn -> warning, info/information -> info, other or none: an
 * assert is an error, a report a warning. */
chuan_severity chuanp_schematron_role_severity(const char *role, int is_assert)
{
    static const struct {
        const char *role;
        chuan_severity sev;
    } map[] = {{"fatal", CHUAN_SEV_ERROR},     {"error", CHUAN_SEV_ERROR},
               {"warning", CHUAN_SEV_WARNING}, {"warn", CHUAN_SEV_WARNING},
               {"info", CHUAN_SEV_INFO},       {"information", CHUAN_SEV_INFO},
               {"informational", CHUAN_SEV_INFO}};
    for (size_t i = 0; role && i < sizeof map / sizeof *map; i++)
        if (strcasecmp(role, map[i].role) == 0)
            return map[i].sev;
    return is_assert ? CHUAN_SEV_ERROR : CHUAN_SEV_WARNING;
}

static int svrl_to_diags(xmlDocPtr res, const char *file, chuan_diags *d)
{
    int errors = 0;
    xmlNodePtr root = xmlDocGetRootElement(res);
    chuanp_buf en, vi, pr;
    chuanp_buf_init(&en, MAX_MESSAGE);
    chuanp_buf_init(&vi, MAX_MESSAGE);
    chuanp_buf_init(&pr, MAX_MESSAGE);
    for (xmlNodePtr n = root ? root->children : NULL; n; n = n->next) {
        int is_assert = is_svrl(n, "failed-assert");
        if (!is_assert && !is_svrl(n, "successful-report"))
            continue;
        chuanp_buf_reset(&en);
        chuanp_buf_reset(&vi);
        chuanp_buf_reset(&pr);
        for (xmlNodePtr k = n->children; k; k = k->next) {
            if (is_svrl(k, "text")) {
                collect_text(&en, k);
            } else if (is_svrl(k, "property-reference")) {
                /* properties: "(name: text)" after the message */
                xmlChar *pn = xmlGetProp(k, BAD_CAST "property");
                chuanp_buf_printf(&en, "%s(%s: ", en.len ? " " : "", pn ? (const char *)pn : "?");
                size_t mark = en.len;
                collect_text(&en, k);
                if (en.len > mark && en.data[mark] == ' ')
                    memmove(en.data + mark, en.data + mark + 1, en.len-- - mark);
                chuanp_buf_putc(&en, ')');
                /* and structured, for the SARIF/JSON reports: "ID<TAB>TEXT" a line */
                if (pr.len)
                    chuanp_buf_putc(&pr, '\n');
                for (const xmlChar *q = pn ? pn : BAD_CAST "?"; *q; q++)
                    chuanp_buf_putc(&pr, *q == '\t' || *q == '\n' ? ' ' : (char)*q);
                chuanp_buf_putc(&pr, '\t');
                size_t pm = pr.len;
                collect_text(&pr, k);
                if (pr.len > pm && pr.data[pm] == ' ')
                    memmove(pr.data + pm, pr.data + pm + 1, pr.len-- - pm);
                xmlFree(pn);
            } else if (is_svrl(k, "diagnostic-reference")) {
                xmlChar *lang = xmlNodeGetLang(k);
                if (lang && (xmlStrncasecmp(lang, BAD_CAST "vi", 2) == 0)) {
                    collect_text(&vi, k);
                } else {
                    collect_text(&en, k); /* separated by one space */
                }
                xmlFree(lang);
            }
        }
        xmlChar *id = xmlGetProp(n, BAD_CAST "id"), *role = xmlGetProp(n, BAD_CAST "role");
        xmlChar *see = xmlGetProp(n, BAD_CAST "see"), *loc = xmlGetProp(n, BAD_CAST "location");
        xmlChar *pos = xmlGetNsProp(n, BAD_CAST "pos", BAD_CAST CHUANP_SCHEMATRON_INTERNAL_NS);
        long line = 0, col = 0;
        long long off = -1;
        if (pos && sscanf((const char *)pos, "%ld:%ld:%lld", &line, &col, &off) != 3)
            line = col = 0, off = -1;
        chuan_severity sev = chuanp_schematron_role_severity((const char *)role, is_assert);
        if (sev == CHUAN_SEV_ERROR)
            errors++;
        chuan_diag dg = {
            .severity = sev,
            .code = id ? (const char *)id : (is_assert ? "schematron.assert" : "schematron.report"),
            .message = en.len && !en.err ? en.data : (is_assert ? "assertion failed" : "report"),
            .message_vi = vi.len && !vi.err ? vi.data : NULL,
            .file = file,
            .line = line,
            .column = col,
            .offset = off,
            .path = (const char *)loc,
            .source = (const char *)see,
            .properties = pr.len && !pr.err ? pr.data : NULL,
        };
        chuan_diags_add(d, &dg);
        xmlFree(id);
        xmlFree(role);
        xmlFree(see);
        xmlFree(loc);
        xmlFree(pos);
    }
    chuanp_buf_free(&en);
    chuanp_buf_free(&vi);
    chuanp_buf_free(&pr);
    return errors;
}

/* The extension functions of every run (schematron.h). */
static const struct {
    const char *name, *ns;
    xmlXPathFunction fn;
} ext_fns[] = {
    {"path", CHUANP_SCHEMATRON_INTERNAL_NS, fn_path},
    {"pos", CHUANP_SCHEMATRON_INTERNAL_NS, fn_pos},
    {"matches", CHUANP_SCHEMATRON_FN_NS, fn_matches},
    {"in-codelist", CHUANP_SCHEMATRON_FN_NS, fn_in_codelist},
    {"mst-valid", CHUANP_SCHEMATRON_FN_NS, fn_mst_valid},
    {"date-valid", CHUANP_SCHEMATRON_FN_NS, fn_date_valid},
    {"setting", CHUANP_SCHEMATRON_FN_NS, fn_setting},
};

int chuanp_schematron_run(const chuanp_schematron *s, xmlDocPtr doc, const char *file,
                          const char *src, size_t srclen, chuan_diags *d, xmlDocPtr *svrl)
{
    if (svrl)
        *svrl = NULL;
    /* libxslt is loaded: the compile that made s loaded it (chuanp_xslt_load) */
    run_state st = {.s = s};
    chuanp_buf_init(&st.errors, 4096);
    xmlDocPtr res = NULL;
    int rc = -1;
    if (chuanp_line_index_build(&st.idx, doc, src, srclen) < 0)
        chuanp_line_index_free(&st.idx); /* no columns, still lines */
    xsltTransformContextPtr t = XSLT(NewTransformContext)(s->style, doc);
    if (!t) {
        chuanp_buf_puts(&st.errors, "out of memory");
        goto out;
    }
    t->_private = &st;
    XSLT(SetCtxtSecurityPrefs)(s->sec, t);
    XSLT(SetTransformErrorFunc)(t, &st, run_error);
    if (t->xpathCtxt) {
        t->xpathCtxt->error = xpath_serror;
        t->xpathCtxt->userData = &st;
    }
    t->opLimit = XPATH_OP_LIMIT;
    for (size_t i = 0; i < sizeof ext_fns / sizeof *ext_fns; i++) {
        if (XSLT(RegisterExtFunction)(t, BAD_CAST ext_fns[i].name, BAD_CAST ext_fns[i].ns,
                                      ext_fns[i].fn)) {
            chuanp_buf_puts(&st.errors, "cannot register extension functions");
            goto out;
        }
    }
    res = XSLT(ApplyStylesheetUser)(s->style, doc, NULL, NULL, NULL, t);
    if (!res || t->state != XSLT_STATE_OK)
        goto out;
    rc = svrl_to_diags(res, file, d);
out:
    if (rc < 0) {
        /* libxslt repeats itself per node: keep the first two distinct lines */
        chuanp_buf msg;
        chuanp_buf_init(&msg, 1024);
        const char *p = st.errors.data ? st.errors.data : "";
        const char *first = NULL;
        size_t first_len = 0;
        for (int lines = 0; *p && lines < 2;) {
            size_t len = strcspn(p, "\n");
            while (len && (p[len - 1] == ' ' || p[len - 1] == ';'))
                len--;
            if (len && !(first && len == first_len && memcmp(p, first, len) == 0)) {
                chuanp_buf_printf(&msg, "%s%.*s", msg.len ? "; " : "", (int)len, p);
                if (!first)
                    first = p, first_len = len;
                lines++;
            }
            p += strcspn(p, "\n");
            if (*p)
                p++;
        }
        size_t n = msg.len;
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schematron.run", .file = file,
                         .offset = -1};
        chuan_diags_addf(d, &dg, "the Schematron schema %s could not be evaluated: %.*s", s->path,
                         (int)n, n && !msg.err ? msg.data : "unknown error");
        chuanp_buf_free(&msg);
    }
    if (svrl && rc >= 0) {
        *svrl = res;
        res = NULL;
    }
    xmlFreeDoc(res);
    if (t)
        XSLT(FreeTransformContext)(t);
    chuanp_line_index_free(&st.idx);
    chuanp_buf_free(&st.errors);
    return rc;
}
