/* converters/xml_text.c - characters, names and text shared by the XML mappings. */
#include "xml_map.h"

#include <string.h>

long long chuanp_xml_bad_char(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = p[i];
        if (c < 0x20) {
            if (c != '\t' && c != '\n' && c != '\r')
                return (long long)i;
        } else if (c == 0xED && i + 1 < len && p[i + 1] >= 0xA0) {
            return (long long)i; /* U+D800..U+DFFF (WTF-8 lone surrogate) */
        } else if (c == 0xEF && i + 2 < len && p[i + 1] == 0xBF && p[i + 2] >= 0xBE) {
            return (long long)i; /* U+FFFE, U+FFFF */
        }
    }
    return -1;
}

/* Decode one UTF-8 (or WTF-8 surrogate) sequence; returns its length, 1 on garbage. */
static int decode_any(const unsigned char *s, size_t len, uint32_t *cp)
{
    int n = chuanp_utf8_decode(s, len, cp);
    if (n > 0)
        return n;
    if (len >= 3 && s[0] == 0xED && (s[1] & 0xC0) == 0x80 && (s[2] & 0xC0) == 0x80) {
        *cp = 0xD000u | ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
        return 3;
    }
    *cp = s[0];
    return 1;
}

uint32_t chuanp_xml_char_at(const char *s, size_t len)
{
    uint32_t cp = 0;
    decode_any((const unsigned char *)s, len, &cp);
    return cp;
}

static int name_start(uint32_t c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' ||
           (c >= 0xC0 && c <= 0xD6) || (c >= 0xD8 && c <= 0xF6) || (c >= 0xF8 && c <= 0x2FF) ||
           (c >= 0x370 && c <= 0x37D) || (c >= 0x37F && c <= 0x1FFF) ||
           (c >= 0x200C && c <= 0x200D) || (c >= 0x2070 && c <= 0x218F) ||
           (c >= 0x2C00 && c <= 0x2FEF) || (c >= 0x3001 && c <= 0xD7FF) ||
           (c >= 0xF900 && c <= 0xFDCF) || (c >= 0xFDF0 && c <= 0xFFFD) ||
           (c >= 0x10000 && c <= 0xEFFFF);
}

static int name_char(uint32_t c)
{
    return name_start(c) || c == '-' || c == '.' || (c >= '0' && c <= '9') || c == 0xB7 ||
           (c >= 0x300 && c <= 0x36F) || (c >= 0x203F && c <= 0x2040);
}

/* Valid NCName (no colon). */
static int is_ncname(const char *s, size_t len)
{
    const unsigned char *p = (const unsigned char *)s;
    if (len == 0)
        return 0;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int n = chuanp_utf8_decode(p + i, len - i, &c);
        if (n <= 0 || !(i == 0 ? name_start(c) : name_char(c)))
            return 0;
        i += (size_t)n;
    }
    return 1;
}

int chuanp_xml_is_name(const char *s, size_t len)
{
    const char *colon = memchr(s, ':', len);
    if (!colon)
        return is_ncname(s, len);
    size_t pl = (size_t)(colon - s);
    return is_ncname(s, pl) && is_ncname(colon + 1, len - pl - 1);
}

static int is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Length of an escape _xHHHH_ / _xHHHHHHHH_ starting at s[i], or 0. */
static size_t escape_len(const char *s, size_t len, size_t i)
{
    if (i + 7 > len || s[i] != '_' || s[i + 1] != 'x')
        return 0;
    size_t h = 0;
    while (i + 2 + h < len && h < 8 && is_hex(s[i + 2 + h]))
        h++;
    if (h >= 8 && i + 10 < len && s[i + 10] == '_')
        return 11;
    if (h >= 4 && s[i + 6] == '_')
        return 7;
    return 0;
}

static void encode(chuanp_buf *out, const char *s, size_t len, int keep_colon);

void chuanp_xml_encode_name(chuanp_buf *out, const char *s, size_t len)
{
    encode(out, s, len, 1);
}

void chuanp_xml_encode_local(chuanp_buf *out, const char *s, size_t len)
{
    encode(out, s, len, 0);
}

static void encode(chuanp_buf *out, const char *s, size_t len, int keep_colon)
{
    if (len == 0) {
        chuanp_buf_puts(out, "_x0000_"); /* the empty key (U+0000 is never a name character) */
        return;
    }
    int qname = keep_colon && chuanp_xml_is_name(s, len);
    if (qname && !memchr(s, '_', len)) {
        chuanp_buf_append(out, s, len);
        return;
    }
    const unsigned char *p = (const unsigned char *)s;
    for (size_t i = 0; i < len;) {
        uint32_t c;
        int n = decode_any(p + i, len - i, &c);
        int ok = (c == ':' && qname) || (i == 0 ? name_start(c) : name_char(c));
        if (c == '_' && escape_len(s, len, i))
            ok = 0; /* a literal "_xHHHH_" would read as an escape */
        if (ok) {
            chuanp_buf_append(out, s + i, (size_t)n);
        } else if (c > 0xFFFF) {
            chuanp_buf_printf(out, "_x%08X_", (unsigned)c);
        } else {
            chuanp_buf_printf(out, "_x%04X_", (unsigned)c);
        }
        i += (size_t)n;
    }
}

static unsigned hexval(char c)
{
    return c <= '9' ? (unsigned)(c - '0') : (unsigned)((c | 0x20) - 'a' + 10);
}

const char *chuanp_xml_decode_name(chuanp_arena *a, const char *s, size_t *len)
{
    size_t n = *len;
    if (!memchr(s, '_', n))
        return s;
    if (n == 7 && memcmp(s, "_x0000_", 7) == 0) {
        *len = 0;
        return "";
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int changed = 0;
    for (size_t i = 0; i < n;) {
        size_t e = escape_len(s, n, i);
        if (!e) {
            chuanp_buf_putc(&b, s[i++]);
            continue;
        }
        uint32_t cp = 0;
        for (size_t k = 2; k < e - 1; k++)
            cp = cp << 4 | hexval(s[i + k]);
        if (cp == 0 || cp > 0x10FFFF) {
            chuanp_buf_append(&b, s + i, e);
        } else if (cp >= 0xD800 && cp <= 0xDFFF) {
            /* a lone surrogate key: WTF-8, as the JSON reader stores it */
            chuanp_buf_putc(&b, (char)0xED);
            chuanp_buf_putc(&b, (char)(0x80 | ((cp >> 6) & 0x3F)));
            chuanp_buf_putc(&b, (char)(0x80 | (cp & 0x3F)));
            changed = 1;
        } else {
            chuanp_buf_put_utf8(&b, cp);
            changed = 1;
        }
        i += e;
    }
    const char *res = s;
    if (changed && !b.err) {
        res = chuanp_arena_strndup(a, b.data, b.len);
        if (res)
            *len = b.len;
        else
            res = s;
    }
    chuanp_buf_free(&b);
    return res;
}

void chuanp_xml_put_text(chuanp_buf *out, const char *s, size_t len, int attr)
{
    chuanp_buf_xml_escape(out, s, len, attr);
}

int chuanp_xml_nfc_copy(const char *s, size_t len, char **out, size_t *out_len)
{
    *out = NULL;
    *out_len = len;
    return chuanp_nfc(s, len, out, out_len); /* quick check first, inside */
}

const char *chuanp_xml_nfc(chuanp_arena *a, const char *s, size_t len, size_t *out_len)
{
    char *norm = NULL;
    size_t nl = len;
    *out_len = len;
    if (chuanp_xml_nfc_copy(s, len, &norm, &nl) < 0 || !norm)
        return s; /* already NFC, or not plain UTF-8 (a lone surrogate): kept as is */
    const char *r = chuanp_arena_strndup(a, norm, nl);
    chuanp_free(norm);
    if (!r)
        return NULL;
    *out_len = nl;
    return r;
}

chuanp_jv *chuanp_xml_jstring(chuanp_x2j *c, const char *s, size_t len)
{
    size_t nl;
    const char *t = chuanp_xml_nfc(c->arena, s, len, &nl);
    chuanp_jv *v = t ? chuanp_jv_string(c->arena, t, nl) : NULL;
    if (!v)
        c->oom = 1;
    return v;
}

chuanp_jv *chuanp_xml_jstring_node(chuanp_x2j *c, const char *s, size_t len)
{
    if (!chuanp_nfc_quick(s, len))
        return chuanp_xml_jstring(c, s, len);
    chuanp_jv *v = chuanp_jv_new(c->arena, CHUANP_JSTRING);
    if (!v) {
        c->oom = 1;
        return NULL;
    }
    v->u.str.text = s; /* XML text cannot hold U+0000 or surrogates: no flags */
    v->u.str.len = len;
    return v;
}

int chuanp_xml_is_blank(const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\n' && s[i] != '\r')
            return 0;
    return 1;
}

const char *chuanp_xml_qname(chuanp_arena *a, const xmlChar *prefix, const xmlChar *local,
                             size_t *len)
{
    size_t ll = strlen((const char *)local);
    if (!prefix || !*prefix) {
        *len = ll;
        return (const char *)local;
    }
    size_t pl = strlen((const char *)prefix);
    char *q = chuanp_arena_alloc(a, pl + ll + 2);
    if (!q)
        return NULL;
    memcpy(q, prefix, pl);
    q[pl] = ':';
    memcpy(q + pl + 1, local, ll);
    q[pl + ll + 1] = '\0';
    *len = pl + 1 + ll;
    return q;
}

