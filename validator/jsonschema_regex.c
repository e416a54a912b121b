/* validator/jsonschema_regex.c - ECMA-262 regular expressions on PCRE2.
 *
 * JSON Schema patterns are ECMA-262 regexes. PCRE2 (UTF mode, no UCP) already
 * gives ASCII-only \d \w \b; the differences we translate are: \s and \S
 * (ECMA: Unicode white space and line terminators), "." (does not match line
 * terminators \n \r U+2028 U+2029), $ (only at the very end: DOLLAR_ENDONLY),
 * \uXXXX / \u{X..} / surrogate pairs, \v, \0, [^] and [], "[" inside a class.
 * Unknown letter escapes are rejected (ECMA "u" mode). Matching runs with
 * match and depth limits so a hostile pattern ends quickly with a limit error.
 */
#include "jsonschema_int.h"

#include <stdlib.h>
#include <string.h>

#define WS_CLASS "\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}" \
                 "\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}"

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static long hex4(const char *p, size_t left)
{
    if (left < 4)
        return -1;
    long v = 0;
    for (int i = 0; i < 4; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* ECMA-262 long General_Category names -> PCRE2's short ones. */
static const char *property_alias(const char *name, size_t len)
{
    static const char *const map[][2] = {
        {"Letter", "L"}, {"Cased_Letter", "L&"}, {"Uppercase_Letter", "Lu"},
        {"Lowercase_Letter", "Ll"}, {"Titlecase_Letter", "Lt"}, {"Modifier_Letter", "Lm"},
        {"Other_Letter", "Lo"}, {"Mark", "M"}, {"Combining_Mark", "M"}, {"Nonspacing_Mark", "Mn"},
        {"Spacing_Mark", "Mc"}, {"Enclosing_Mark", "Me"}, {"Number", "N"}, {"Decimal_Number", "Nd"},
        {"digit", "Nd"}, {"Letter_Number", "Nl"}, {"Other_Number", "No"}, {"Punctuation", "P"},
        {"punct", "P"}, {"Connector_Punctuation", "Pc"}, {"Dash_Punctuation", "Pd"},
        {"Open_Punctuation", "Ps"}, {"Close_Punctuation", "Pe"}, {"Initial_Punctuation", "Pi"},
        {"Final_Punctuation", "Pf"}, {"Other_Punctuation", "Po"}, {"Symbol", "S"},
        {"Math_Symbol", "Sm"}, {"Currency_Symbol", "Sc"}, {"Modifier_Symbol", "Sk"},
        {"Other_Symbol", "So"}, {"Separator", "Z"}, {"Space_Separator", "Zs"},
        {"Line_Separator", "Zl"}, {"Paragraph_Separator", "Zp"}, {"Other", "C"},
        {"Control", "Cc"}, {"cntrl", "Cc"}, {"Format", "Cf"}, {"Surrogate", "Cs"},
        {"Private_Use", "Co"}, {"Unassigned", "Cn"}};
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (strlen(map[i][0]) == len && memcmp(map[i][0], name, len) == 0)
            return map[i][1];
    return NULL;
}

/* Translate one escape at p (p[0] == '\\'); returns bytes consumed or 0 on error. */
static size_t escape(chuanp_buf *o, const char *p, size_t left, int in_class, char **err)
{
    if (left < 2) {
        *err = chuanp_strdup("pattern ends with a lone backslash");
        return 0;
    }
    char c = p[1];
    switch (c) {
    case 'd': case 'D': case 'w': case 'W': case 'b': case 'B':
        if (in_class && c == 'b') {
            chuanp_buf_puts(o, "\\x{08}");
            return 2;
        }
        if (in_class && c == 'B') {
            *err = chuanp_strdup("\\B is not allowed in a character class");
            return 0;
        }
        chuanp_buf_append(o, p, 2);
        return 2;
    case 's':
        chuanp_buf_puts(o, in_class ? WS_CLASS : "[" WS_CLASS "]");
        return 2;
    case 'S':
        chuanp_buf_puts(o, in_class ? "\\S" : "[^" WS_CLASS "]");
        return 2;
    case 'f': case 'n': case 'r': case 't':
        chuanp_buf_append(o, p, 2);
        return 2;
    case 'v':
        chuanp_buf_puts(o, "\\x{0B}");
        return 2;
    case '0':
        if (left > 2 && p[2] >= '0' && p[2] <= '9') {
            *err = chuanp_strdup("octal escapes are not allowed");
            return 0;
        }
        chuanp_buf_puts(o, "\\x{0}");
        return 2;
    case 'c':
        if (left > 2 && ((p[2] >= 'a' && p[2] <= 'z') || (p[2] >= 'A' && p[2] <= 'Z'))) {
            chuanp_buf_printf(o, "\\x{%X}", (unsigned)(p[2] & 0x1f));
            return 3;
        }
        *err = chuanp_strdup("\\c must be followed by a letter");
        return 0;
    case 'x':
        if (left >= 4 && hexval((unsigned char)p[2]) >= 0 && hexval((unsigned char)p[3]) >= 0) {
            chuanp_buf_printf(o, "\\x{%c%c}", p[2], p[3]);
            return 4;
        }
        *err = chuanp_strdup("\\x must be followed by two hex digits");
        return 0;
    case 'u': {
        if (left > 2 && p[2] == '{') {
            size_t k = 3;
            unsigned long v = 0;
            while (k < left && hexval((unsigned char)p[k]) >= 0 && v <= 0x10FFFF)
                v = v * 16 + (unsigned long)hexval((unsigned char)p[k++]);
            if (k == 3 || k >= left || p[k] != '}' || v > 0x10FFFF) {
                *err = chuanp_strdup("bad \\u{...} escape");
                return 0;
            }
            chuanp_buf_printf(o, "\\x{%lX}", v);
            return k + 1;
        }
        long v = hex4(p + 2, left - 2);
        if (v < 0) {
            *err = chuanp_strdup("\\u must be followed by four hex digits");
            return 0;
        }
        if (v >= 0xD800 && v <= 0xDBFF && left >= 12 && p[6] == '\\' && p[7] == 'u') {
            long lo = hex4(p + 8, left - 8);
            if (lo >= 0xDC00 && lo <= 0xDFFF) {
                long cp = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                chuanp_buf_printf(o, "\\x{%lX}", cp);
                return 12;
            }
        }
        if (v >= 0xD800 && v <= 0xDFFF) {
            /* a lone surrogate can never match valid UTF-8 text */
            chuanp_buf_puts(o, in_class ? "" : "(?!)");
            return 6;
        }
        chuanp_buf_printf(o, "\\x{%lX}", v);
        return 6;
    }
    case 'p': case 'P':
        if (left > 2 && p[2] == '{') {
            const char *close = memchr(p + 3, '}', left - 3);
            if (!close) {
                *err = chuanp_strdup("unterminated \\p{...}");
                return 0;
            }
            size_t n = (size_t)(close - p) + 1;
            /* "Script=Greek" / "sc=Greek" / "General_Category=L" -> the value */
            const char *eq = memchr(p + 3, '=', (size_t)(close - (p + 3)));
            const char *name = eq ? eq + 1 : p + 3;
            size_t nl = (size_t)(close - name);
            const char *pc = property_alias(name, nl);
            if (pc)
                chuanp_buf_printf(o, "\\%c{%s}", c, pc);
            else
                chuanp_buf_printf(o, "\\%c{%.*s}", c, (int)nl, name);
            return n;
        }
        *err = chuanp_strdup("\\p must be followed by {property}");
        return 0;
    case 'k':
        if (left > 2 && p[2] == '<') {
            chuanp_buf_append(o, p, 2);
            return 2;
        }
        *err = chuanp_strdup("\\k must be followed by <name>");
        return 0;
    default:
        break;
    }
    if (c >= '1' && c <= '9') {
        if (in_class) {
            *err = chuanp_strdup("back-references are not allowed in a character class");
            return 0;
        }
        size_t k = 1;
        while (k < left && p[k] >= '0' && p[k] <= '9')
            k++;
        chuanp_buf_puts(o, "\\g{");
        chuanp_buf_append(o, p + 1, k - 1);
        chuanp_buf_putc(o, '}');
        return k;
    }
    if (strchr("^$\\.*+?()[]{}|/-", c)) {
        chuanp_buf_putc(o, '\\');
        chuanp_buf_putc(o, c);
        return 2;
    }
    *err = chuanp_asprintf("\\%c is not a valid ECMA-262 escape", c);
    return 0;
}

/* Translate an ECMA-262 pattern to PCRE2 syntax (new string, NULL on an
 * unsupported/invalid construct with *err set). */
static char *js_regex_translate(const char *pat, size_t len, char **err)
{
    chuanp_buf o;
    chuanp_buf_init(&o, 0);
    chuanp_buf_reserve(&o, len * 2 + 16);
    *err = NULL;
    size_t i = 0;
    while (i < len) {
        char c = pat[i];
        if (c == '\\') {
            size_t n = escape(&o, pat + i, len - i, 0, err);
            if (!n)
                goto fail;
            i += n;
        } else if (c == '.') {
            chuanp_buf_puts(&o, "[^\\n\\r\\x{2028}\\x{2029}]");
            i++;
        } else if (c == '[') {
            size_t j = i + 1;
            int neg = 0;
            if (j < len && pat[j] == '^') {
                neg = 1;
                j++;
            }
            if (j < len && pat[j] == ']') {
                chuanp_buf_puts(&o, neg ? "[\\s\\S]" : "(?!)");
                i = j + 1;
                continue;
            }
            chuanp_buf_puts(&o, neg ? "[^" : "[");
            int closed = 0;
            while (j < len) {
                char d = pat[j];
                if (d == ']') {
                    closed = 1;
                    j++;
                    break;
                }
                if (d == '\\') {
                    size_t n = escape(&o, pat + j, len - j, 1, err);
                    if (!n)
                        goto fail;
                    j += n;
                } else if (d == '[') {
                    chuanp_buf_puts(&o, "\\[");
                    j++;
                } else {
                    chuanp_buf_putc(&o, d);
                    j++;
                }
            }
            if (!closed) {
                *err = chuanp_strdup("unterminated character class");
                goto fail;
            }
            chuanp_buf_putc(&o, ']');
            i = j;
        } else if (c == '(' && i + 2 < len && pat[i + 1] == '?' &&
                   !(pat[i + 2] == ':' || pat[i + 2] == '=' || pat[i + 2] == '!' ||
                     (pat[i + 2] == '<' && i + 3 < len))) {
            *err = chuanp_strdup("unsupported group syntax (?...)");
            goto fail;
        } else {
            chuanp_buf_putc(&o, c);
            i++;
        }
    }
    if (o.err) {
        *err = chuanp_strdup("out of memory");
        goto fail;
    }
    if (!o.data)
        return chuanp_strdup("");
    return chuanp_buf_steal(&o, NULL);
fail:
    chuanp_buf_free(&o);
    if (!*err)
        *err = chuanp_strdup("invalid pattern");
    return NULL;
}

int chuanp_js_regex_compile(js_regex *re, const char *pattern, size_t len, char **err)
{
    memset(re, 0, sizeof *re);
    *err = NULL;
    char *tr = js_regex_translate(pattern, len, err);
    if (!tr)
        return -1;
    int ec;
    PCRE2_SIZE eo;
    re->code = pcre2_compile((PCRE2_SPTR)tr, PCRE2_ZERO_TERMINATED,
                             PCRE2_UTF | PCRE2_DOLLAR_ENDONLY, &ec, &eo, NULL);
    chuanp_free(tr);
    if (!re->code) {
        PCRE2_UCHAR msg[256];
        chuanp_pcre2_error(ec, (char *)msg, sizeof msg);
        *err = chuanp_asprintf("%s", (const char *)msg);
        return -1;
    }
    re->jit = pcre2_jit_compile(re->code, PCRE2_JIT_COMPLETE) == 0;
    re->source = chuanp_strndup(pattern, len);
    if (!re->source) {
        pcre2_code_free(re->code);
        re->code = NULL;
        *err = chuanp_strdup("out of memory");
        return -1;
    }
    return 0;
}

void chuanp_js_regex_free(js_regex *re)
{
    if (!re)
        return;
    pcre2_code_free(re->code);
    chuanp_free(re->source);
    re->code = NULL;
    re->source = NULL;
}

int chuanp_js_regex_match(const js_regex *re, const char *s, size_t len, pcre2_match_data *md,
                          pcre2_match_context *mc)
{
    int rc = pcre2_match(re->code, (PCRE2_SPTR)s, len, 0, 0, md, mc);
    if (rc >= 0)
        return 1;
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT ||
        rc == PCRE2_ERROR_HEAPLIMIT || rc == PCRE2_ERROR_JIT_STACKLIMIT)
        return -1;
    if (rc <= PCRE2_ERROR_UTF8_ERR1 && rc >= PCRE2_ERROR_UTF8_ERR21)
        return 0; /* text with a lone surrogate (WTF-8) cannot match */
    return -2;
}
