/*
 * converters/xml_map_w3c.c - the "w3c" mapping: XPath/XQuery Functions 3.1
 * fn:json-to-xml (JSON -> XML) and fn:xml-to-json (that XML -> JSON), in
 * the vocabulary of http://www.w3.org/2005/xpath-functions:
 *   {"a": [1, "x", true, null]}  <->
 *   <map xmlns="http://www.w3.org/2005/xpath-functions"><array key="a">
 *     <number>1</number><string>x</string><boolean>true</boolean><null/></array></map>
 *
 * Options (chuanp_w3c_opts): escape (spec: false replaces characters XML
 * cannot hold with U+FFFD, true JSON-escapes them and backslashes and marks
 * the string escaped="true"; chuan's default "auto" escapes only the
 * strings that need it, so nothing is lost), duplicates (reject = FOJS0003,
 * use-first, retain), validate. Errors: FOJS0003 duplicate key, FOJS0006
 * XML not in the vocabulary, FOJS0007 bad escape sequence. Numbers keep
 * their exact text when it is a JSON number; other xs:double literals
 * (+005, 1., .5) are rewritten to the JSON form of the same value.
 */
#include "xml_map.h"

#include <stdlib.h>
#include <string.h>

static int escape_mode(const chuanp_convert_opts *o)
{
    return o->w3c ? o->w3c->escape : CHUANP_W3C_ESCAPE_AUTO;
}

static int dup_mode(const chuanp_convert_opts *o)
{
    if (!o->w3c)
        return CHUANP_W3C_DUP_RETAIN;
    if (o->w3c->duplicates != CHUANP_W3C_DUP_DEFAULT)
        return o->w3c->duplicates;
    return o->w3c->validate ? CHUANP_W3C_DUP_REJECT : CHUANP_W3C_DUP_RETAIN;
}

/* ------------------------------------------------------- JSON -> XML */

/* JSON-escape s for an escaped="true" string: backslash, C0/C1 controls
 * and characters XML cannot hold. */
static void json_escape(chuanp_buf *b, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        int n = chuanp_utf8_decode(p + i, len - i, &cp);
        if (n <= 0) {
            cp = chuanp_xml_char_at(s + i, len - i); /* WTF-8 lone surrogate */
            n = cp >= 0xD800 && cp <= 0xDFFF ? 3 : 1;
        }
        const char *e = NULL;
        switch (cp) {
        case '\\': e = "\\\\"; break;
        case '\b': e = "\\b"; break;
        case '\f': e = "\\f"; break;
        case '\n': e = "\\n"; break;
        case '\r': e = "\\r"; break;
        case '\t': e = "\\t"; break;
        default: break;
        }
        if (e) {
            chuanp_buf_puts(b, e);
        } else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0xD800 && cp <= 0xDFFF) ||
                   cp == 0xFFFE || cp == 0xFFFF) {
            char u[7] = {'\\', 'u', hex[(cp >> 12) & 15], hex[(cp >> 8) & 15], hex[(cp >> 4) & 15],
                         hex[cp & 15], 0};
            chuanp_buf_puts(b, u);
        } else {
            chuanp_buf_append(b, s + i, (size_t)n);
        }
        i += (size_t)n;
    }
}

/* Replace characters XML cannot hold with U+FFFD (escape=false). */
static void replace_bad(chuanp_buf *b, const char *s, size_t len)
{
    while (len) {
        long long bad = chuanp_xml_bad_char(s, len);
        if (bad < 0) {
            chuanp_buf_append(b, s, len);
            return;
        }
        chuanp_buf_append(b, s, (size_t)bad);
        uint32_t cp = chuanp_xml_char_at(s + bad, len - (size_t)bad);
        size_t skip = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        chuanp_buf_puts(b, "\xEF\xBF\xBD");
        s += (size_t)bad + skip;
        len -= (size_t)bad + skip > len ? len : (size_t)bad + skip;
    }
}

/* Write string text (attr: as an attribute value); *escaped tells whether
 * the written form is JSON-escaped and contains a backslash. */
static int put_string(chuanp_j2x *c, const char *s, size_t len, int attr, int *escaped)
{
    chuanp_buf t;
    chuanp_buf_init(&t, 0);
    int mode = escape_mode(c->o);
    *escaped = 0;
    char *norm = NULL;
    size_t nl = len;
    if (chuanp_xml_nfc_copy(s, len, &norm, &nl) == 0 && norm) {
        s = norm;
        len = nl;
    }
    if (mode == CHUANP_W3C_ESCAPE_TRUE ||
        (mode == CHUANP_W3C_ESCAPE_AUTO && chuanp_xml_bad_char(s, len) >= 0)) {
        json_escape(&t, s, len);
        *escaped = t.len && memchr(t.data, '\\', t.len) != NULL;
    } else if (chuanp_xml_bad_char(s, len) >= 0) {
        /* escape=false asks for the spec's replacement: say what was lost */
        long long at = chuanp_xml_bad_char(s, len);
        chuan_diag g = {.severity = CHUAN_SEV_WARNING, .code = "convert.replaced",
                        .file = c->o->file, .line = c->line, .offset = -1,
                        .path = c->ptr.len ? c->ptr.data : ""};
        chuan_diags_addf(c->d, &g, "U+%04X replaced by U+FFFD (--w3c escape=false)",
                         (unsigned)chuanp_xml_char_at(s + at, len - (size_t)at));
        replace_bad(&t, s, len);
    } else {
        chuanp_buf_append(&t, s, len);
    }
    chuanp_free(norm);
    if (t.err) {
        chuanp_buf_free(&t);
        return -1;
    }
    chuanp_xml_put_text(c->out, t.data ? t.data : "", t.len, attr);
    chuanp_buf_free(&t);
    return 0;
}

static const char *elem_name(const chuanp_jv *v)
{
    switch (v->type) {
    case CHUANP_JNULL: return "null";
    case CHUANP_JTRUE:
    case CHUANP_JFALSE: return "boolean";
    case CHUANP_JNUMBER: return "number";
    case CHUANP_JSTRING: return "string";
    case CHUANP_JARRAY: return "array";
    default: return "map";
    }
}

static int same_key(const chuanp_jmember *a, const chuanp_jmember *b)
{
    return a->key_len == b->key_len && memcmp(a->key, b->key, a->key_len) == 0;
}

int chuanp_w3c_to_xml(chuanp_j2x *c, const chuanp_jv *v, const char *key, size_t key_len,
                      int declare_ns)
{
    if (c->level >= CHUANP_XML_MAX_DEPTH * 2)
        return chuanp_j2x_fail(c, v, "convert.depth", "nested deeper than %d levels",
                               CHUANP_XML_MAX_DEPTH * 2);
    const char *name = elem_name(v);
    chuanp_buf_putc(c->out, '<');
    chuanp_buf_puts(c->out, name);
    if (declare_ns)
        chuanp_buf_puts(c->out, " xmlns=\"" CHUANP_W3C_NS "\"");
    if (key) {
        int esc;
        chuanp_buf_puts(c->out, " key=\"");
        if (put_string(c, key, key_len, 1, &esc) < 0)
            return -1;
        chuanp_buf_putc(c->out, '"');
        if (esc)
            chuanp_buf_puts(c->out, " escaped-key=\"true\"");
    }
    int rc = 0;
    switch (v->type) {
    case CHUANP_JNULL:
        chuanp_buf_puts(c->out, "/>");
        return 0;
    case CHUANP_JTRUE:
        chuanp_buf_puts(c->out, ">true</boolean>");
        return 0;
    case CHUANP_JFALSE:
        chuanp_buf_puts(c->out, ">false</boolean>");
        return 0;
    case CHUANP_JNUMBER:
        chuanp_buf_putc(c->out, '>');
        chuanp_buf_append(c->out, v->u.str.text, v->u.str.len);
        chuanp_buf_puts(c->out, "</number>");
        return 0;
    case CHUANP_JSTRING: {
        /* the escaped attribute goes before the content: write into a side buffer */
        chuanp_buf body;
        chuanp_buf_init(&body, 0);
        chuanp_buf *saved = c->out;
        int esc = 0;
        c->out = &body;
        rc = put_string(c, v->u.str.text, v->u.str.len, 0, &esc);
        c->out = saved;
        if (rc < 0 || body.err) {
            chuanp_buf_free(&body);
            return -1;
        }
        if (esc)
            chuanp_buf_puts(c->out, " escaped=\"true\"");
        if (body.len == 0) {
            chuanp_buf_puts(c->out, "/>");
        } else {
            chuanp_buf_putc(c->out, '>');
            chuanp_buf_append(c->out, body.data, body.len);
            chuanp_buf_puts(c->out, "</string>");
        }
        chuanp_buf_free(&body);
        return 0;
    }
    case CHUANP_JARRAY:
        if (v->u.arr.count == 0) {
            chuanp_buf_puts(c->out, "/>");
            return 0;
        }
        chuanp_buf_putc(c->out, '>');
        c->level++;
        for (size_t i = 0; i < v->u.arr.count && rc == 0; i++) {
            size_t mark = chuanp_j2x_push_index(c, i);
            chuanp_j2x_newline(c);
            rc = chuanp_w3c_to_xml(c, v->u.arr.items[i], NULL, 0, 0);
            chuanp_j2x_pop(c, mark);
        }
        c->level--;
        if (rc)
            return rc;
        chuanp_j2x_newline(c);
        chuanp_buf_puts(c->out, "</array>");
        return 0;
    default:
        break;
    }
    if (v->u.obj.count == 0) {
        chuanp_buf_puts(c->out, "/>");
        return 0;
    }
    chuanp_buf_putc(c->out, '>');
    int dups = dup_mode(c->o);
    c->level++;
    for (size_t i = 0; i < v->u.obj.count && rc == 0; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        size_t mark = chuanp_j2x_push_key(c, m->key, m->key_len);
        int dup = 0;
        if (c->o->json_allow_duplicates && dups != CHUANP_W3C_DUP_RETAIN)
            for (size_t j = 0; j < i && !dup; j++)
                dup = same_key(&v->u.obj.members[j], m);
        if (dup && dups == CHUANP_W3C_DUP_REJECT) {
            rc = chuanp_j2x_fail(c, m->value, "FOJS0003", "duplicate key \"%.*s\"",
                                 (int)(m->key_len > 60 ? 60 : m->key_len), m->key);
        } else if (!dup) {
            chuanp_j2x_newline(c);
            rc = chuanp_w3c_to_xml(c, m->value, m->key, m->key_len, 0);
        }
        chuanp_j2x_pop(c, mark);
    }
    c->level--;
    if (rc)
        return rc;
    chuanp_j2x_newline(c);
    chuanp_buf_puts(c->out, "</map>");
    return 0;
}

/* ------------------------------------------------------- XML -> JSON */

static chuanp_jv *fail(chuanp_x2j *c, xmlNodePtr n, const char *code, const char *fmt, const char *arg)
{
    chuanp_convert_error(c->d, code, c->o->file, n ? (long)xmlGetLineNo(n) : 0, 0, NULL, fmt, arg);
    c->failed = 1;
    return NULL;
}

static int is_fn(xmlNodePtr n)
{
    return n->ns && n->ns->href && strcmp((const char *)n->ns->href, CHUANP_W3C_NS) == 0;
}

/* xs:boolean after whitespace collapsing: 1 true, 0 false, -1 invalid */
static int xs_boolean(const char *s)
{
    size_t len = strlen(s);
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    while (len && strchr(" \t\r\n", *s))
        s++, len--;
    if ((len == 4 && memcmp(s, "true", 4) == 0) || (len == 1 && *s == '1'))
        return 1;
    if ((len == 5 && memcmp(s, "false", 5) == 0) || (len == 1 && *s == '0'))
        return 0;
    return -1;
}

static int hex4(const char *s, size_t len, size_t i, uint32_t *out)
{
    uint32_t v = 0;
    if (i + 4 > len)
        return -1;
    for (size_t k = 0; k < 4; k++) {
        char h = s[i + k];
        v <<= 4;
        if (h >= '0' && h <= '9') v |= (uint32_t)(h - '0');
        else if (h >= 'a' && h <= 'f') v |= (uint32_t)(h - 'a' + 10);
        else if (h >= 'A' && h <= 'F') v |= (uint32_t)(h - 'A' + 10);
        else return -1;
    }
    *out = v;
    return 0;
}

/* Decode JSON escapes of an escaped="true" string / escaped-key. Returns 0,
 * 1 with a lone surrogate (stored as WTF-8), -1 on an invalid escape. */
static int unescape(chuanp_buf *b, const char *s, size_t len)
{
    int lone = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '\\') {
            chuanp_buf_putc(b, s[i]);
            continue;
        }
        if (++i >= len)
            return -1;
        switch (s[i]) {
        case '"': chuanp_buf_putc(b, '"'); break;
        case '\\': chuanp_buf_putc(b, '\\'); break;
        case '/': chuanp_buf_putc(b, '/'); break;
        case 'b': chuanp_buf_putc(b, '\b'); break;
        case 'f': chuanp_buf_putc(b, '\f'); break;
        case 'n': chuanp_buf_putc(b, '\n'); break;
        case 'r': chuanp_buf_putc(b, '\r'); break;
        case 't': chuanp_buf_putc(b, '\t'); break;
        case 'u': {
            uint32_t cp, lo;
            if (hex4(s, len, i + 1, &cp) < 0)
                return -1;
            i += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && i + 6 < len + 0 && s[i + 1] == '\\' &&
                s[i + 2] == 'u' && hex4(s, len, i + 3, &lo) == 0 && lo >= 0xDC00 && lo <= 0xDFFF) {
                cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                i += 6;
            }
            if (cp >= 0xD800 && cp <= 0xDFFF) {
                chuanp_buf_putc(b, (char)0xED);
                chuanp_buf_putc(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
                chuanp_buf_putc(b, (char)(0x80 | (cp & 0x3F)));
                lone = 1;
            } else {
                chuanp_buf_put_utf8(b, cp);
            }
            break;
        }
        default:
            return -1;
        }
    }
    return lone;
}

/* JSON text of an xs:double literal with the same value, or -1 (not a
 * finite xs:double). */
static int number_text(chuanp_buf *b, const char *s, size_t len)
{
    while (len && strchr(" \t\r\n", *s))
        s++, len--;
    while (len && strchr(" \t\r\n", s[len - 1]))
        len--;
    if (chuanp_json_num_valid(s, len)) {
        chuanp_buf_append(b, s, len);
        return 0;
    }
    size_t i = 0;
    int neg = 0;
    if (i < len && (s[i] == '+' || s[i] == '-'))
        neg = s[i++] == '-';
    size_t is = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t ie = i, fs = i, fe = i;
    if (i < len && s[i] == '.') {
        fs = ++i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        fe = i;
    }
    if (ie == is && fe == fs)
        return -1;
    size_t es = i;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t ds = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == ds)
            return -1;
    }
    if (i != len)
        return -1;
    while (is + 1 < ie && s[is] == '0')
        is++;
    if (neg)
        chuanp_buf_putc(b, '-');
    if (ie == is)
        chuanp_buf_putc(b, '0');
    else
        chuanp_buf_append(b, s + is, ie - is);
    if (fe > fs) {
        chuanp_buf_putc(b, '.');
        chuanp_buf_append(b, s + fs, fe - fs);
    }
    if (es < len) {
        chuanp_buf_putc(b, 'e');
        chuanp_buf_append(b, s + es + 1, len - es - 1);
    }
    return 0;
}

static chuanp_jv *convert(chuanp_x2j *c, xmlNodePtr el, int in_map, int top);

/* Text content of a string/number/boolean/null element; child elements
 * are FOJS0006. */
static int text_of(chuanp_x2j *c, xmlNodePtr el, chuanp_buf *b)
{
    for (xmlNodePtr n = el->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE)
            chuanp_buf_puts(b, n->content ? (const char *)n->content : "");
        else if (n->type == XML_ENTITY_REF_NODE && n->children)
            for (xmlNodePtr t = n->children->children; t; t = t->next)
                if (t->type == XML_TEXT_NODE && t->content)
                    chuanp_buf_puts(b, (const char *)t->content);
        if (n->type == XML_ELEMENT_NODE) {
            fail(c, n, "FOJS0006", "%s cannot contain elements", (const char *)el->name);
            return -1;
        }
    }
    return b->err ? -1 : 0;
}

static chuanp_jv *map_or_array(chuanp_x2j *c, xmlNodePtr el, int is_map)
{
    chuanp_jv *v = chuanp_jv_new(c->arena, is_map ? CHUANP_JOBJECT : CHUANP_JARRAY);
    if (!v)
        return c->oom = 1, NULL;
    c->depth++;
    if (c->depth > CHUANP_XML_MAX_DEPTH) {
        c->depth--;
        return fail(c, el, "xml.depth", "%s nested too deeply", (const char *)el->name);
    }
    for (xmlNodePtr n = el->children; n; n = n->next) {
        if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
            if (n->content && !chuanp_xml_is_blank((const char *)n->content,
                                                   strlen((const char *)n->content))) {
                c->depth--;
                return fail(c, n, "FOJS0006", "%s cannot contain text", (const char *)el->name);
            }
            continue;
        }
        if (n->type != XML_ELEMENT_NODE)
            continue; /* comments and processing instructions are ignored */
        chuanp_jv *item = convert(c, n, is_map, 0);
        if (!item) {
            c->depth--;
            return NULL;
        }
        if (!is_map) {
            if (chuanp_jv_push(c->arena, v, item) < 0)
                return c->depth--, c->oom = 1, NULL;
            continue;
        }
        xmlChar *key = xmlGetNoNsProp(n, (const xmlChar *)"key");
        xmlChar *ek = xmlGetNoNsProp(n, (const xmlChar *)"escaped-key");
        chuanp_buf kb;
        chuanp_buf_init(&kb, 0);
        int bad = 0;
        if (!key) {
            bad = 1;
            fail(c, n, "FOJS0006", "a member of a map needs a key attribute%s", "");
        } else if (ek && xs_boolean((const char *)ek) == 1) {
            if (unescape(&kb, (const char *)key, strlen((const char *)key)) < 0) {
                bad = 1;
                fail(c, n, "FOJS0007", "invalid JSON escape in key \"%s\"", (const char *)key);
            }
        } else {
            chuanp_buf_puts(&kb, (const char *)key);
        }
        xmlFree(key);
        xmlFree(ek);
        const char *kt = NULL;
        size_t kl = 0;
        if (!bad && !kb.err) {
            const char *src = kb.data ? kb.data : "";
            kt = chuanp_xml_nfc(c->arena, src, kb.len, &kl);
            if (kt == src) /* unchanged: copy out of the buffer freed below */
                kt = chuanp_arena_strndup(c->arena, src, kb.len);
        }
        chuanp_buf_free(&kb);
        if (bad) {
            c->depth--;
            return NULL;
        }
        if (!kt)
            return c->depth--, c->oom = 1, NULL;
        for (size_t j = 0; j < v->u.obj.count; j++)
            if (v->u.obj.members[j].key_len == kl && memcmp(v->u.obj.members[j].key, kt, kl) == 0) {
                c->depth--;
                return fail(c, n, "FOJS0006", "duplicate key \"%s\" in a map", kt);
            }
        if (chuanp_jv_set(c->arena, v, kt, kl, item) < 0)
            return c->depth--, c->oom = 1, NULL;
    }
    c->depth--;
    return v;
}

/* Attributes: key/escaped-key only inside a map (ignored on the top element),
 * escaped only on string, attributes in other namespaces ignored. */
static int check_attrs(chuanp_x2j *c, xmlNodePtr el, int in_map, int top, int is_string)
{
    for (xmlAttrPtr a = el->properties; a; a = a->next) {
        if (a->ns) {
            if (a->ns->href && strcmp((const char *)a->ns->href, CHUANP_W3C_NS) == 0) {
                fail(c, el, "FOJS0006", "attribute %s is in the xpath-functions namespace",
                     (const char *)a->name);
                return -1;
            }
            continue;
        }
        const char *n = (const char *)a->name;
        int is_key = strcmp(n, "key") == 0, is_ek = strcmp(n, "escaped-key") == 0;
        int is_esc = strcmp(n, "escaped") == 0;
        if (top && (is_key || is_ek || (is_esc && !is_string)))
            continue; /* allowed and ignored on the top element (a subtree fed back) */
        if (!((is_key || is_ek) && in_map) && !(is_esc && is_string)) {
            fail(c, el, "FOJS0006", "attribute %s is not allowed here", n);
            return -1;
        }
        if (is_ek || is_esc) {
            xmlChar *val = xmlNodeListGetString(el->doc, a->children, 1);
            int ok = val && xs_boolean((const char *)val) >= 0;
            xmlFree(val);
            if (!ok) {
                fail(c, el, "FOJS0006", "attribute %s is not an xs:boolean", n);
                return -1;
            }
        }
    }
    return 0;
}

static chuanp_jv *convert(chuanp_x2j *c, xmlNodePtr el, int in_map, int top)
{
    if (!is_fn(el))
        return fail(c, el, "FOJS0006", "element %s is not in the xpath-functions namespace",
                    (const char *)el->name);
    const char *name = (const char *)el->name;
    int is_map = strcmp(name, "map") == 0, is_array = strcmp(name, "array") == 0;
    int is_string = strcmp(name, "string") == 0;
    if (!is_map && !is_array && !is_string && strcmp(name, "number") != 0 &&
        strcmp(name, "boolean") != 0 && strcmp(name, "null") != 0)
        return fail(c, el, "FOJS0006", "element %s is not part of the JSON vocabulary", name);
    if (check_attrs(c, el, in_map, top, is_string) < 0)
        return NULL;
    if (is_map || is_array)
        return map_or_array(c, el, is_map);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_jv *v = NULL;
    if (text_of(c, el, &b) < 0)
        goto out;
    const char *t = b.data ? b.data : "";
    if (name[0] == 'n' && name[1] == 'u' && name[2] == 'l') {
        if (!chuanp_xml_is_blank(t, b.len)) {
            fail(c, el, "FOJS0006", "null must be empty%s", "");
            goto out;
        }
        v = chuanp_jv_new(c->arena, CHUANP_JNULL);
    } else if (name[0] == 'b') {
        int bv = xs_boolean(t);
        if (bv < 0) {
            fail(c, el, "FOJS0006", "'%s' is not an xs:boolean", t);
            goto out;
        }
        v = chuanp_jv_new(c->arena, bv ? CHUANP_JTRUE : CHUANP_JFALSE);
    } else if (name[0] == 'n') {
        chuanp_buf nb;
        chuanp_buf_init(&nb, 0);
        if (number_text(&nb, t, b.len) < 0) {
            chuanp_buf_free(&nb);
            fail(c, el, "FOJS0006", "'%s' is not a finite xs:double", t);
            goto out;
        }
        v = nb.err ? NULL : chuanp_jv_number(c->arena, nb.data, nb.len);
        chuanp_buf_free(&nb);
    } else {
        xmlChar *esc = xmlGetNoNsProp(el, (const xmlChar *)"escaped");
        int escaped = esc && xs_boolean((const char *)esc) == 1;
        xmlFree(esc);
        if (escaped) {
            chuanp_buf u;
            chuanp_buf_init(&u, 0);
            int lone = unescape(&u, t, b.len);
            if (lone < 0) {
                chuanp_buf_free(&u);
                fail(c, el, "FOJS0007", "invalid JSON escape sequence in \"%s\"", t);
                goto out;
            }
            v = u.err ? NULL : chuanp_xml_jstring(c, u.data ? u.data : "", u.len);
            if (v && lone)
                v->flags |= CHUANP_JSTR_LONE_SURROGATE;
            chuanp_buf_free(&u);
        } else {
            v = chuanp_xml_jstring(c, t, b.len);
        }
    }
    if (!v)
        c->oom = 1;
out:
    chuanp_buf_free(&b);
    return v;
}

chuanp_jv *chuanp_w3c_from_xml(chuanp_x2j *c, xmlNodePtr el)
{
    return convert(c, el, 0, 1);
}

int chuanp_w3c_opt_parse(chuanp_w3c_opts *w, const char *v)
{
    const char *eq = strchr(v, '=');
    if (!eq)
        return -1;
    size_t n = (size_t)(eq - v);
    const char *val = eq + 1;
    int is_true = strcmp(val, "true") == 0, is_false = strcmp(val, "false") == 0;
    int dup = n == 10 && strncmp(v, "duplicates", n) == 0;
    if (n == 6 && strncmp(v, "escape", n) == 0 && (is_true || is_false || strcmp(val, "auto") == 0))
        w->escape = is_true ? CHUANP_W3C_ESCAPE_TRUE
                    : is_false ? CHUANP_W3C_ESCAPE_FALSE : CHUANP_W3C_ESCAPE_AUTO;
    else if (n == 8 && strncmp(v, "validate", n) == 0 && (is_true || is_false))
        w->validate = is_true;
    else if (n == 7 && strncmp(v, "liberal", n) == 0 && (is_true || is_false))
        w->liberal = is_true;
    else if (dup && strcmp(val, "retain") == 0)
        w->duplicates = CHUANP_W3C_DUP_RETAIN;
    else if (dup && strcmp(val, "reject") == 0)
        w->duplicates = CHUANP_W3C_DUP_REJECT;
    else if (dup && strcmp(val, "use-first") == 0)
        w->duplicates = CHUANP_W3C_DUP_USE_FIRST;
    else
        return -1;
    return 0;
}
