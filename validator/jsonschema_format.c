/* validator/jsonschema_format.c - "format" checkers (RFC 3339 dates and times,
 * ISO 8601 durations, RFC 5321 e-mail, RFC 1123 / IDNA host names, IPv4/IPv6,
 * RFC 3986/3987 URIs and IRIs, RFC 6570 templates, UUID, JSON Pointers,
 * ECMA-262 regexes). Each returns 1 when the text is valid. */
#include "jsonschema_int.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

static int digit(char c) { return c >= '0' && c <= '9'; }
static int alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int hexd(char c) { return digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

static int num(const char *s, size_t n)
{
    int v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!digit(s[i]))
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* ------------------------------------------------------------ dates */
static int days_in(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int is_date(const char *s, size_t n)
{
    if (n != 10 || s[4] != '-' || s[7] != '-')
        return 0;
    int y = num(s, 4), m = num(s + 5, 2), d = num(s + 8, 2);
    if (y < 0 || m < 1 || m > 12 || d < 1)
        return 0;
    return d <= days_in(y, m);
}

static int is_time(const char *s, size_t n)
{
    if (n < 9 || s[2] != ':' || s[5] != ':')
        return 0;
    int h = num(s, 2), mi = num(s + 3, 2), se = num(s + 6, 2);
    if (h < 0 || h > 23 || mi < 0 || mi > 59 || se < 0 || se > 60)
        return 0;
    size_t i = 8;
    if (i < n && s[i] == '.') {
        i++;
        size_t st = i;
        while (i < n && digit(s[i]))
            i++;
        if (i == st)
            return 0;
    }
    if (i >= n)
        return 0;
    int oh = 0, om = 0, sign = 0;
    if ((s[i] == 'Z' || s[i] == 'z') && i + 1 == n) {
        /* UTC */
    } else if ((s[i] == '+' || s[i] == '-') && n - i == 6 && s[i + 3] == ':') {
        sign = s[i] == '+' ? 1 : -1;
        oh = num(s + i + 1, 2);
        om = num(s + i + 4, 2);
        if (oh < 0 || oh > 23 || om < 0 || om > 59)
            return 0;
    } else {
        return 0;
    }
    if (se == 60) {
        int utc = (h * 60 + mi) - sign * (oh * 60 + om);
        utc = ((utc % 1440) + 1440) % 1440;
        if (utc != 23 * 60 + 59)
            return 0;
    }
    return 1;
}

static int is_date_time(const char *s, size_t n)
{
    if (n < 20 || (s[10] != 'T' && s[10] != 't'))
        return 0;
    return is_date(s, 10) && is_time(s + 11, n - 11);
}

static int is_duration(const char *s, size_t n)
{
    if (n < 2 || s[0] != 'P')
        return 0;
    size_t i = 1;
    /* week form */
    {
        size_t j = i;
        while (j < n && digit(s[j]))
            j++;
        if (j > i && j + 1 == n && s[j] == 'W')
            return 1;
    }
    /* RFC 3339 appendix A: units in order and without gaps (Y M D, H M S) */
    static const char date_units[] = "YMD", time_units[] = "HMS";
    int any = 0, prev = -1;
    while (i < n && s[i] != 'T') {
        size_t j = i;
        while (j < n && digit(s[j]))
            j++;
        if (j == i || j >= n || s[j] == '\0')
            return 0;
        const char *u = strchr(date_units, s[j]);
        if (!u || (prev >= 0 && (int)(u - date_units) != prev + 1))
            return 0;
        prev = (int)(u - date_units);
        any = 1;
        i = j + 1;
    }
    if (i < n && s[i] == 'T') {
        i++;
        if (i >= n)
            return 0;
        prev = -1;
        while (i < n) {
            size_t j = i;
            while (j < n && digit(s[j]))
                j++;
            if (j == i || j >= n || s[j] == '\0')
                return 0;
            const char *u = strchr(time_units, s[j]);
            if (!u || (prev >= 0 && (int)(u - time_units) != prev + 1))
                return 0;
            prev = (int)(u - time_units);
            any = 1;
            i = j + 1;
        }
    }
    return any && i == n;
}

/* ------------------------------------------------------------ network */
static int is_ipv4(const char *s, size_t n)
{
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        size_t st = i;
        while (i < n && digit(s[i]))
            i++;
        size_t len = i - st;
        if (len == 0 || len > 3 || (len > 1 && s[st] == '0'))
            return 0;
        if (num(s + st, len) > 255)
            return 0;
        parts++;
        if (parts < 4) {
            if (i >= n || s[i] != '.')
                return 0;
            i++;
        }
    }
    return i == n;
}

static int is_ipv6(const char *s, size_t n)
{
    int groups = 0, dbl = 0;
    size_t i = 0;
    if (n >= 2 && s[0] == ':' && s[1] == ':') {
        dbl = 1;
        i = 2;
        if (i == n)
            return 1;
    } else if (n && s[0] == ':') {
        return 0;
    }
    while (i < n) {
        size_t st = i;
        while (i < n && hexd(s[i]))
            i++;
        size_t len = i - st;
        if (i < n && s[i] == '.') {
            /* trailing IPv4 */
            if (!is_ipv4(s + st, n - st))
                return 0;
            groups += 2;
            i = n;
            break;
        }
        if (len == 0 || len > 4)
            return 0;
        groups++;
        if (i == n)
            break;
        if (s[i] != ':')
            return 0;
        i++;
        if (i < n && s[i] == ':') {
            if (dbl)
                return 0;
            dbl = 1;
            i++;
            if (i == n)
                break;
        } else if (i == n) {
            return 0;
        }
    }
    return dbl ? groups < 8 : groups == 8;
}

/* Punycode length of a label of code points (RFC 3492 encoder, length only). */
static size_t puny_len(const int32_t *cp, size_t n)
{
    size_t basic = 0;
    for (size_t i = 0; i < n; i++)
        if (cp[i] < 0x80)
            basic++;
    if (basic == n)
        return n;
    /* conservative upper bound is fine for the 63-octet label limit check:
     * compute the real encoding length */
    const int base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
    long delta = 0, bias = 72, m = 0x80;
    size_t h = basic, out = 4 + basic + (basic ? 1 : 0);
    while (h < n) {
        long mm = 0x7fffffff;
        for (size_t i = 0; i < n; i++)
            if (cp[i] >= m && cp[i] < mm)
                mm = cp[i];
        delta += (mm - m) * (long)(h + 1);
        m = mm;
        for (size_t i = 0; i < n; i++) {
            if (cp[i] < m)
                delta++;
            if (cp[i] == m) {
                long q = delta;
                for (long k = base;; k += base) {
                    long t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
                    if (q < t)
                        break;
                    out++;
                    q = (q - t) / (base - t);
                }
                out++;
                /* adapt */
                long d = h == basic ? delta / damp : delta / 2;
                d += d / (long)(h + 1);
                long k = 0;
                while (d > ((base - tmin) * tmax) / 2) {
                    d /= base - tmin;
                    k += base;
                }
                bias = k + (base - tmin + 1) * d / (d + skew);
                delta = 0;
                h++;
            }
        }
        delta++;
        m++;
    }
    return out;
}

static int idn_label_ok(const int32_t *cp, size_t n)
{
    if (n == 0)
        return 0;
    if (cp[0] == '-' || cp[n - 1] == '-')
        return 0;
    if (n >= 4 && cp[2] == '-' && cp[3] == '-')
        return 0;
    if (puny_len(cp, n) > 63)
        return 0;
    /* a label may not start with a combining mark */
    utf8proc_category_t c0 = utf8proc_category(cp[0]);
    if (c0 == UTF8PROC_CATEGORY_MN || c0 == UTF8PROC_CATEGORY_MC || c0 == UTF8PROC_CATEGORY_ME)
        return 0;
    int has_katakana_dot = 0, script_ok = 0, arabic_indic = 0, ext_arabic_indic = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t c = cp[i];
        if (c < 0x80) {
            if (!(alpha((char)c) || digit((char)c) || c == '-'))
                return 0;
            continue;
        }
        utf8proc_category_t cat = utf8proc_category(c);
        /* DISALLOWED (approximation of IDNA2008): upper/title case, symbols,
         * punctuation except the CONTEXTO ones, spaces, controls */
        if (c == 0x302E || c == 0x302F || c == 0x3031 || c == 0x3032 || c == 0x3033 ||
            c == 0x3034 || c == 0x3035 || c == 0x303B || c == 0x0640 || c == 0x07FA)
            return 0;
        if (c == 0x00B7) { /* MIDDLE DOT: between two 'l' */
            if (i == 0 || i + 1 >= n || cp[i - 1] != 'l' || cp[i + 1] != 'l')
                return 0;
            continue;
        }
        if (c == 0x0375) { /* Greek KERAIA: followed by Greek */
            if (i + 1 >= n || !(cp[i + 1] >= 0x0370 && cp[i + 1] <= 0x03FF))
                return 0;
            continue;
        }
        if (c == 0x05F3 || c == 0x05F4) { /* Hebrew GERESH/GERSHAYIM: after Hebrew */
            if (i == 0 || !(cp[i - 1] >= 0x0590 && cp[i - 1] <= 0x05FF))
                return 0;
            continue;
        }
        if (c == 0x30FB) {
            has_katakana_dot = 1;
            continue;
        }
        if (c == 0x200D || c == 0x200C) { /* ZWJ / ZWNJ: after a virama */
            int virama = i > 0 && utf8proc_get_property(cp[i - 1])->combining_class == 9;
            /* ZWNJ between joining letters (approximated by Arabic-script letters) */
            int joining = c == 0x200C && i > 0 && i + 1 < n && cp[i - 1] >= 0x0620 &&
                          cp[i - 1] <= 0x06FF && cp[i + 1] >= 0x0620 && cp[i + 1] <= 0x06FF;
            if (!virama && !joining)
                return 0;
            continue;
        }
        if (c == 0x00DF || c == 0x03C2 || c == 0x06FD || c == 0x06FE || c == 0x0F0B || c == 0x3007)
            continue; /* PVALID exceptions */
        if (c >= 0x0660 && c <= 0x0669)
            arabic_indic = 1;
        if (c >= 0x06F0 && c <= 0x06F9)
            ext_arabic_indic = 1;
        if ((c >= 0x3040 && c <= 0x30FF && c != 0x30FB) || (c >= 0x4E00 && c <= 0x9FFF) ||
            (c >= 0x3400 && c <= 0x4DBF))
            script_ok = 1;
        switch (cat) {
        case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_LM:
        case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC: case UTF8PROC_CATEGORY_ND:
            break;
        default:
            return 0;
        }
        /* must be stable under NFKC case folding (no compatibility forms) */
        utf8proc_uint8_t *folded = NULL;
        utf8proc_uint8_t buf[8];
        utf8proc_ssize_t bl = utf8proc_encode_char(c, buf);
        utf8proc_ssize_t fl = utf8proc_map(buf, bl, &folded,
                                           UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                               UTF8PROC_CASEFOLD);
        if (fl == UTF8PROC_ERROR_NOMEM)
            chuanp_alloc_note_failure(); /* the run ends with exit 2 */
        int same = fl == bl && folded && memcmp(folded, buf, (size_t)bl) == 0;
        (free)(folded); /* utf8proc's own malloc */
        if (!same)
            return 0;
    }
    if (has_katakana_dot && !script_ok)
        return 0;
    if (arabic_indic && ext_arabic_indic)
        return 0;
    return 1;
}

/* RFC 3492 Punycode decoder. Returns the number of code points or -1. */
static long puny_decode(const char *in, size_t n, int32_t *out, size_t max)
{
    const long base = 36, tmin = 1, tmax = 26, skew = 38, damp = 700;
    size_t b = 0;
    for (size_t j = 0; j < n; j++)
        if (in[j] == '-')
            b = j;
    size_t outn = 0;
    for (size_t j = 0; j < b; j++) {
        if ((unsigned char)in[j] >= 0x80 || outn >= max)
            return -1;
        out[outn++] = (unsigned char)in[j];
    }
    size_t i_in = b > 0 ? b + 1 : 0;
    long nn = 0x80, bias = 72, i = 0;
    while (i_in < n) {
        long oldi = i, w = 1;
        for (long k = base;; k += base) {
            if (i_in >= n)
                return -1;
            char c = in[i_in++];
            long dg;
            if (c >= '0' && c <= '9')
                dg = c - '0' + 26;
            else if (c >= 'a' && c <= 'z')
                dg = c - 'a';
            else if (c >= 'A' && c <= 'Z')
                dg = c - 'A';
            else
                return -1;
            if (dg > (0x7fffffffL - i) / w)
                return -1;
            i += dg * w;
            long t = k <= bias ? tmin : k >= bias + tmax ? tmax : k - bias;
            if (dg < t)
                break;
            if (w > 0x7fffffffL / (base - t))
                return -1;
            w *= base - t;
        }
        long delta = oldi == 0 ? i / damp : (i - oldi) / 2;
        delta += delta / (long)(outn + 1);
        long k = 0;
        while (delta > ((base - tmin) * tmax) / 2) {
            delta /= base - tmin;
            k += base;
        }
        bias = k + (base - tmin + 1) * delta / (delta + skew);
        if (i / (long)(outn + 1) > 0x10FFFF - nn)
            return -1;
        nn += i / (long)(outn + 1);
        i %= (long)(outn + 1);
        if (outn >= max || nn > 0x10FFFF || (nn >= 0xD800 && nn <= 0xDFFF))
            return -1;
        memmove(out + i + 1, out + i, (outn - (size_t)i) * sizeof *out);
        out[i++] = (int32_t)nn;
        outn++;
    }
    return (long)outn;
}

static int ldh_label(const char *s, size_t n)
{
    if (n == 0 || n > 63 || s[0] == '-' || s[n - 1] == '-')
        return 0;
    for (size_t k = 0; k < n; k++)
        if (!(alpha(s[k]) || digit(s[k]) || s[k] == '-'))
            return 0;
    return 1;
}

/* An ASCII label: LDH, and an A-label ("xn--") must decode to a valid U-label.
 * The decoded code points are stored in cp (for the Bidi rule). */
static long ascii_label(const char *s, size_t n, int32_t *cp, size_t max)
{
    if (!ldh_label(s, n))
        return -1;
    if (n >= 4 && s[2] == '-' && s[3] == '-') {
        if (!((s[0] == 'x' || s[0] == 'X') && (s[1] == 'n' || s[1] == 'N')))
            return -1;
        long m = puny_decode(s + 4, n - 4, cp, max);
        if (m <= 0)
            return -1;
        int any = 0;
        for (long k = 0; k < m; k++)
            any |= cp[k] >= 0x80;
        if (!any || !idn_label_ok(cp, (size_t)m))
            return -1;
        return m;
    }
    for (size_t k = 0; k < n && k < max; k++)
        cp[k] = (unsigned char)s[k];
    return (long)n;
}

/* RFC 5893 Bidi rule for one label (in a domain with right-to-left text). */
static int bidi_ok(const int32_t *cp, size_t n)
{
    if (n == 0)
        return 1;
    int first = utf8proc_get_property(cp[0])->bidi_class;
    int rtl;
    if (first == UTF8PROC_BIDI_CLASS_R || first == UTF8PROC_BIDI_CLASS_AL)
        rtl = 1;
    else if (first == UTF8PROC_BIDI_CLASS_L)
        rtl = 0;
    else
        return 0;
    int en = 0, an = 0;
    size_t last = n;
    while (last > 0 && utf8proc_get_property(cp[last - 1])->bidi_class == UTF8PROC_BIDI_CLASS_NSM)
        last--;
    if (last == 0)
        return 0;
    for (size_t i = 0; i < n; i++) {
        int b = utf8proc_get_property(cp[i])->bidi_class;
        if (b == UTF8PROC_BIDI_CLASS_EN)
            en = 1;
        if (b == UTF8PROC_BIDI_CLASS_AN)
            an = 1;
        int ok = b == UTF8PROC_BIDI_CLASS_EN || b == UTF8PROC_BIDI_CLASS_ES ||
                 b == UTF8PROC_BIDI_CLASS_CS || b == UTF8PROC_BIDI_CLASS_ET ||
                 b == UTF8PROC_BIDI_CLASS_ON || b == UTF8PROC_BIDI_CLASS_BN ||
                 b == UTF8PROC_BIDI_CLASS_NSM;
        if (rtl)
            ok = ok || b == UTF8PROC_BIDI_CLASS_R || b == UTF8PROC_BIDI_CLASS_AL ||
                 b == UTF8PROC_BIDI_CLASS_AN;
        else
            ok = ok || b == UTF8PROC_BIDI_CLASS_L;
        if (!ok)
            return 0;
    }
    int lb = utf8proc_get_property(cp[last - 1])->bidi_class;
    if (rtl)
        return (lb == UTF8PROC_BIDI_CLASS_R || lb == UTF8PROC_BIDI_CLASS_AL ||
                lb == UTF8PROC_BIDI_CLASS_EN || lb == UTF8PROC_BIDI_CLASS_AN) && !(en && an);
    return lb == UTF8PROC_BIDI_CLASS_L || lb == UTF8PROC_BIDI_CLASS_EN;
}

static int has_rtl(const int32_t *cp, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int b = utf8proc_get_property(cp[i])->bidi_class;
        if (b == UTF8PROC_BIDI_CLASS_R || b == UTF8PROC_BIDI_CLASS_AL || b == UTF8PROC_BIDI_CLASS_AN)
            return 1;
    }
    return 0;
}

static int is_separator(int32_t c, int idn)
{
    return c == '.' || (idn && (c == 0x3002 || c == 0xFF0E || c == 0xFF61));
}

/* One label of a host name; decoded code points in lab. -1 invalid. */
static long host_label(const int32_t *cp, size_t len, int32_t *lab, size_t max, size_t *octets)
{
    int ascii = 1;
    for (size_t k = 0; k < len; k++)
        ascii &= cp[k] < 0x80;
    if (ascii) {
        char tmp[64];
        if (len > 63)
            return -1;
        for (size_t k = 0; k < len; k++)
            tmp[k] = (char)cp[k];
        *octets = len;
        return ascii_label(tmp, len, lab, max);
    }
    if (!idn_label_ok(cp, len))
        return -1;
    memcpy(lab, cp, len * sizeof *lab);
    *octets = puny_len(cp, len) + 4;
    return (long)len;
}

/* hostname (idn = 0) and idn-hostname (idn = 1). */
static int hostname_x(const char *s, size_t n, int idn)
{
    if (n == 0)
        return 0;
    size_t max = n + 64;
    int32_t *cp = chuanp_malloc((n + 1) * sizeof *cp);
    int32_t *lab = chuanp_malloc(max * sizeof *lab);
    int ok = cp && lab, rtl = 0;
    size_t ncp = 0;
    for (size_t i = 0; ok && i < n;) {
        uint32_t c;
        int l = chuanp_utf8_decode((const unsigned char *)s + i, n - i, &c);
        if (l <= 0 || (!idn && c >= 0x80)) {
            ok = 0;
            break;
        }
        cp[ncp++] = (int32_t)c;
        i += (size_t)l;
    }
    for (int pass = 0; ok && pass < 2; pass++) {
        size_t st = 0, total = 0;
        for (size_t i = 0; ok && i <= ncp; i++) {
            if (i < ncp && !is_separator(cp[i], idn))
                continue;
            size_t octets = 0;
            long m = i > st ? host_label(cp + st, i - st, lab, max, &octets) : -1;
            if (m < 0) {
                ok = 0;
                break;
            }
            total += octets + 1;
            if (pass == 0 && has_rtl(lab, (size_t)m))
                rtl = 1;
            if (pass == 1 && !bidi_ok(lab, (size_t)m))
                ok = 0;
            st = i + 1;
        }
        if (total > 254)
            ok = 0;
        if (!rtl)
            break;
    }
    chuanp_free(cp);
    chuanp_free(lab);
    return ok;
}

static int is_hostname(const char *s, size_t n)
{
    return hostname_x(s, n, 0);
}

static int is_idn_hostname(const char *s, size_t n)
{
    return hostname_x(s, n, 1);
}

/* ------------------------------------------------------------ e-mail */
static int is_email_x(const char *s, size_t n, int intl)
{
    const char *at = NULL;
    if (n && s[0] == '"') {
        size_t i = 1;
        while (i < n && s[i] != '"') {
            if (s[i] == '\\')
                i++;
            i++;
        }
        if (i >= n || i + 1 >= n || s[i + 1] != '@')
            return 0;
        at = s + i + 1;
    } else {
        at = memchr(s, '@', n);
        while (at && memchr(at + 1, '@', n - (size_t)(at + 1 - s)))
            at = memchr(at + 1, '@', n - (size_t)(at + 1 - s));
        if (!at)
            return 0;
        size_t ll = (size_t)(at - s);
        if (ll == 0 || ll > 64 || s[0] == '.' || s[ll - 1] == '.')
            return 0;
        for (size_t i = 0; i < ll; i++) {
            unsigned char c = (unsigned char)s[i];
            if (c == '.' && s[i + 1] == '.')
                return 0;
            if (alpha((char)c) || digit((char)c) || strchr("!#$%&'*+-/=?^_`{|}~.", c))
                continue;
            if (intl && c >= 0x80)
                continue;
            return 0;
        }
    }
    const char *d = at + 1;
    size_t dl = n - (size_t)(d - s);
    if (dl >= 2 && d[0] == '[' && d[dl - 1] == ']') {
        if (dl > 7 && strncmp(d + 1, "IPv6:", 5) == 0)
            return is_ipv6(d + 6, dl - 7);
        return is_ipv4(d + 1, dl - 2);
    }
    return intl ? is_idn_hostname(d, dl) : is_hostname(d, dl);
}

static int is_email(const char *s, size_t n) { return is_email_x(s, n, 0); }
static int is_idn_email(const char *s, size_t n) { return is_email_x(s, n, 1); }

/* ------------------------------------------------------------ URIs */
static int unreserved(unsigned char c)
{
    return alpha((char)c) || digit((char)c) || c == '-' || c == '.' || c == '_' || c == '~';
}
static int sub_delim(unsigned char c) { return c && strchr("!$&'()*+,;=", c) != NULL; }

/* Characters of a component: returns 0 on an invalid char or bad %-escape. */
static int chars_ok(const char *s, size_t n, const char *extra, int iri)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '%') {
            if (i + 2 >= n)
                return 0;
            if (!hexd(s[i + 1]) || !hexd(s[i + 2]))
                return 0;
            i += 2;
        } else if (unreserved(c) || sub_delim(c) || (c && strchr(extra, c))) {
            continue;
        } else if (iri && c >= 0x80) {
            continue;
        } else {
            return 0;
        }
    }
    return 1;
}

static int authority_ok(const char *a, size_t n, int iri)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (a[i] == '@')
            at = a + i;
    const char *h = a;
    if (at) {
        if (!chars_ok(a, (size_t)(at - a), ":", iri))
            return 0;
        h = at + 1;
    }
    size_t hl = n - (size_t)(h - a);
    if (hl && h[0] == '[') {
        const char *close = memchr(h, ']', hl);
        if (!close)
            return 0;
        if (!is_ipv6(h + 1, (size_t)(close - h - 1))) {
            /* IPvFuture */
            if (!(close - h > 2 && (h[1] == 'v' || h[1] == 'V')))
                return 0;
        }
        const char *rest = close + 1;
        size_t rl = hl - (size_t)(rest - h);
        if (rl == 0)
            return 1;
        if (rest[0] != ':')
            return 0;
        for (size_t i = 1; i < rl; i++)
            if (!digit(rest[i]))
                return 0;
        return 1;
    }
    const char *colon = NULL;
    for (size_t i = 0; i < hl; i++)
        if (h[i] == ':')
            colon = h + i;
    size_t host_len = colon ? (size_t)(colon - h) : hl;
    if (colon)
        for (const char *p = colon + 1; p < h + hl; p++)
            if (!digit(*p))
                return 0;
    return chars_ok(h, host_len, "", iri);
}

static int uri_x(const char *s, size_t n, int iri, int need_scheme)
{
    size_t i = 0;
    int has_scheme = 0;
    if (n && alpha(s[0])) {
        size_t j = 1;
        while (j < n && (alpha(s[j]) || digit(s[j]) || s[j] == '+' || s[j] == '-' || s[j] == '.'))
            j++;
        if (j < n && s[j] == ':') {
            has_scheme = 1;
            i = j + 1;
        }
    }
    if (need_scheme && !has_scheme)
        return 0;
    const char *rest = s + i;
    size_t rl = n - i;
    size_t pend = 0;
    while (pend < rl && rest[pend] != '?' && rest[pend] != '#')
        pend++;
    const char *path = rest;
    size_t pl = pend;
    if (pl >= 2 && rest[0] == '/' && rest[1] == '/') {
        size_t a = 2;
        while (a < pl && rest[a] != '/')
            a++;
        if (!authority_ok(rest + 2, a - 2, iri))
            return 0;
        path = rest + a;
        pl = pend - a;
    } else if (!has_scheme) {
        /* relative-path reference: no ':' in the first segment */
        for (size_t k = 0; k < pl && path[k] != '/'; k++)
            if (path[k] == ':')
                return 0;
    }
    if (!chars_ok(path, pl, ":@/", iri))
        return 0;
    size_t q = pend;
    if (q < rl && rest[q] == '?') {
        size_t e = q + 1;
        while (e < rl && rest[e] != '#')
            e++;
        if (!chars_ok(rest + q + 1, e - q - 1, ":@/?", iri))
            return 0;
        q = e;
    }
    if (q < rl && rest[q] == '#') {
        if (!chars_ok(rest + q + 1, rl - q - 1, ":@/?", iri))
            return 0;
    }
    return 1;
}

static int is_uri(const char *s, size_t n) { return uri_x(s, n, 0, 1); }
static int is_uri_reference(const char *s, size_t n) { return uri_x(s, n, 0, 0); }
static int is_iri(const char *s, size_t n) { return uri_x(s, n, 1, 1); }
static int is_iri_reference(const char *s, size_t n) { return uri_x(s, n, 1, 0); }

/* RFC 6570 level 4 templates. */
static int varspec_ok(const char *s, size_t n)
{
    size_t i = 0;
    int need_char = 1;
    while (i < n && s[i] != ':' && s[i] != '*') {
        if (s[i] == '.') {
            if (need_char)
                return 0;
            need_char = 1;
            i++;
        } else if (s[i] == '%') {
            if (i + 2 >= n || !hexd(s[i + 1]) || !hexd(s[i + 2]))
                return 0;
            need_char = 0;
            i += 3;
        } else if (alpha(s[i]) || digit(s[i]) || s[i] == '_') {
            need_char = 0;
            i++;
        } else {
            return 0;
        }
    }
    if (need_char)
        return 0;
    if (i == n)
        return 1;
    if (s[i] == '*')
        return i + 1 == n;
    /* prefix: ":" max-length 1..9999 without a leading zero */
    size_t d = n - i - 1;
    if (d < 1 || d > 4 || s[i + 1] == '0')
        return 0;
    for (size_t k = i + 1; k < n; k++)
        if (!digit(s[k]))
            return 0;
    return 1;
}

static int is_uri_template(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '{') {
            size_t j = i + 1;
            if (j < n && strchr("+#./;?&=,!@|", s[j]))
                j++;
            size_t st = j;
            while (j < n && s[j] != '}')
                j++;
            if (j >= n || j == st)
                return 0;
            /* comma-separated varspecs, none empty */
            size_t a = st;
            for (size_t k = st; k <= j; k++)
                if (k == j || s[k] == ',') {
                    if (!varspec_ok(s + a, k - a))
                        return 0;
                    a = k + 1;
                }
            i = j;
        } else if (c == '}' || c <= 0x20 || c == 0x7F || c == '"' || c == '<' || c == '>' ||
                   c == '\\' || c == '^' || c == '`' || c == '|') {
            return 0;
        } else if (c == '%') {
            if (i + 2 >= n || !hexd(s[i + 1]) || !hexd(s[i + 2]))
                return 0;
            i += 2;
        }
    }
    return 1;
}

/* ------------------------------------------------------------ others */
static int is_uuid(const char *s, size_t n)
{
    if (n != 36)
        return 0;
    for (size_t i = 0; i < n; i++) {
        if (i == 8 || i == 13 || i == 18 || i == 23) {
            if (s[i] != '-')
                return 0;
        } else if (!hexd(s[i])) {
            return 0;
        }
    }
    return 1;
}

static int is_json_pointer(const char *s, size_t n)
{
    if (n && s[0] != '/')
        return 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '~' && (i + 1 >= n || (s[i + 1] != '0' && s[i + 1] != '1')))
            return 0;
    return 1;
}

static int is_relative_json_pointer(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && digit(s[i]))
        i++;
    if (i == 0 || (i > 1 && s[0] == '0'))
        return 0;
    if (i == n)
        return 1;
    if (s[i] == '#')
        return i + 1 == n;
    return is_json_pointer(s + i, n - i);
}

static int is_regex(const char *s, size_t n)
{
    js_regex re;
    char *err = NULL;
    int ok = chuanp_js_regex_compile(&re, s, n, &err) == 0;
    chuanp_free(err);
    if (ok)
        chuanp_js_regex_free(&re);
    return ok;
}

static const struct {
    const char *name;
    js_format_fn fn;
} formats[] = {
    {"date", is_date},
    {"time", is_time},
    {"date-time", is_date_time},
    {"duration", is_duration},
    {"email", is_email},
    {"idn-email", is_idn_email},
    {"hostname", is_hostname},
    {"idn-hostname", is_idn_hostname},
    {"ipv4", is_ipv4},
    {"ipv6", is_ipv6},
    {"uri", is_uri},
    {"uri-reference", is_uri_reference},
    {"iri", is_iri},
    {"iri-reference", is_iri_reference},
    {"uri-template", is_uri_template},
    {"uuid", is_uuid},
    {"json-pointer", is_json_pointer},
    {"relative-json-pointer", is_relative_json_pointer},
    {"regex", is_regex},
};

js_format_fn chuanp_js_format_lookup(const char *name)
{
    for (size_t i = 0; i < sizeof formats / sizeof *formats; i++)
        if (strcmp(formats[i].name, name) == 0)
            return formats[i].fn;
    return NULL;
}
