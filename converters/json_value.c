/*
 * converters/json_value.c - lookups, JSON Schema equality, exact decimal
 * comparison of number texts, constructors and in-arena growth.
 */
#include "json.h"

#include <stdlib.h>
#include <string.h>

/* 128-bit integers (GCC and Clang on 64-bit targets) for exponent sums. */
__extension__ typedef __int128 i128;

/* ---------------------------------------------------------------- lookups */

chuanp_jv *chuanp_json_get_n(const chuanp_jv *obj, const char *key, size_t key_len)
{
    if (!obj || obj->type != CHUANP_JOBJECT || !key)
        return NULL;
    for (size_t i = obj->u.obj.count; i-- > 0;) {
        const chuanp_jmember *m = &obj->u.obj.members[i];
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0)
            return m->value;
    }
    return NULL;
}

chuanp_jv *chuanp_json_get(const chuanp_jv *obj, const char *key)
{
    return key ? chuanp_json_get_n(obj, key, strlen(key)) : NULL;
}

chuanp_jv *chuanp_json_at(const chuanp_jv *arr, size_t i)
{
    if (!arr || arr->type != CHUANP_JARRAY || i >= arr->u.arr.count)
        return NULL;
    return arr->u.arr.items[i];
}

/* ---------------------------------------------------------------- numbers */

int chuanp_json_num_valid(const char *text, size_t len)
{
    const char *p = text, *end = text + len;
    if (!text)
        return 0;
    if (p < end && *p == '-')
        p++;
    if (p == end || *p < '0' || *p > '9')
        return 0;
    if (*p == '0') {
        p++;
    } else {
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && *p == '.') {
        p++;
        if (p == end || *p < '0' || *p > '9')
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            p++;
        if (p == end || *p < '0' || *p > '9')
            return 0;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
    }
    return p == end;
}

/* A number text split into parts: value = sign * 0.D * 10^(X + adj), where
 * D is the significant digits (no leading or trailing zeros) read across
 * the integer and fraction digits, X the exponent literal, adj a count. */
typedef struct decnum {
    int neg;
    int zero;
    const char *ip;   /* integer digits */
    size_t ilen;
    const char *fp;   /* fraction digits */
    size_t flen;
    size_t first;     /* index of the first significant digit in ip ++ fp */
    size_t ndig;      /* significant digits from there (trailing zeros dropped) */
    int eneg;         /* exponent literal sign */
    const char *ep;   /* exponent digits without leading zeros */
    size_t elen;
    long long adj;    /* ilen - first */
} decnum;

static char digit_at(const decnum *d, size_t i)
{
    return i < d->ilen ? d->ip[i] : d->fp[i - d->ilen];
}

static void decnum_split(decnum *d, const char *s, size_t len)
{
    const char *p = s, *end = s + len;
    memset(d, 0, sizeof *d);
    if (p < end && *p == '-') {
        d->neg = 1;
        p++;
    }
    d->ip = p;
    while (p < end && *p >= '0' && *p <= '9')
        p++;
    d->ilen = (size_t)(p - d->ip);
    if (p < end && *p == '.') {
        p++;
        d->fp = p;
        while (p < end && *p >= '0' && *p <= '9')
            p++;
        d->flen = (size_t)(p - d->fp);
    }
    if (p < end && (*p == 'e' || *p == 'E')) {
        p++;
        if (p < end && (*p == '+' || *p == '-'))
            d->eneg = *p++ == '-';
        while (p < end - 1 && *p == '0')
            p++;
        d->ep = p;
        d->elen = (size_t)(end - p);
        if (d->elen == 1 && *p == '0')
            d->elen = 0; /* exponent 0 */
    }
    size_t total = d->ilen + d->flen, i = 0;
    while (i < total && digit_at(d, i) == '0')
        i++;
    if (i == total) {
        d->zero = 1;
        return;
    }
    size_t last = total;
    while (last > i && digit_at(d, last - 1) == '0')
        last--;
    d->first = i;
    d->ndig = last - i;
    d->adj = (long long)d->ilen - (long long)i;
}

/* Compare the magnitudes of two unsigned digit strings (no leading zeros). */
static int digits_cmp(const char *a, size_t al, const char *b, size_t bl)
{
    if (al != bl)
        return al < bl ? -1 : 1;
    int c = memcmp(a, b, al);
    return c < 0 ? -1 : c > 0;
}

/* Exponent literal as i128 when it has at most 36 digits. */
static int exp_small(const decnum *d, i128 *out)
{
    if (d->elen > 36)
        return 0;
    i128 v = 0;
    for (size_t i = 0; i < d->elen; i++)
        v = v * 10 + (d->ep[i] - '0');
    *out = d->eneg ? -v : v;
    return 1;
}

/* R = big - small for digit strings with big >= small (no leading zeros).
 * Stores R in *low when it has at most 30 digits and returns 0; returns 1
 * when R >= 10^30. */
static int digits_sub(const char *big, size_t bl, const char *small, size_t sl, i128 *low)
{
    i128 r = 0, pow = 1;
    int borrow = 0, huge = 0;
    for (size_t k = 0; k < bl; k++) {
        int d = big[bl - 1 - k] - '0' - borrow;
        if (k < sl)
            d -= small[sl - 1 - k] - '0';
        borrow = d < 0;
        if (borrow)
            d += 10;
        if (k < 30) {
            r += pow * d;
            pow *= 10;
        } else if (d) {
            huge = 1;
        }
    }
    *low = r;
    return huge;
}

/* Compare a->X + a->adj with b->X + b->adj exactly (X: exponent literals
 * of any length; adj: counts that fit in 64 bits). */
static int exp_cmp(const decnum *a, const decnum *b)
{
    i128 xa, xb;
    if (exp_small(a, &xa) && exp_small(b, &xb)) {
        i128 ea = xa + a->adj, eb = xb + b->adj;
        return ea < eb ? -1 : ea > eb;
    }
    /* Ea ? Eb  <=>  Xa - Xb ? adjb - adja; one literal has > 36 digits, so
     * |Xa - Xb| is either tiny (computed exactly) or far beyond any adj. */
    i128 dadj = (i128)b->adj - a->adj;
    int sa = a->elen == 0 ? 0 : a->eneg ? -1 : 1;
    int sb = b->elen == 0 ? 0 : b->eneg ? -1 : 1;
    if (sa != sb)
        return sa > sb ? 1 : -1; /* |Xa - Xb| >= the big literal */
    int mag = digits_cmp(a->ep, a->elen, b->ep, b->elen);
    if (mag == 0)
        return a->adj < b->adj ? -1 : a->adj > b->adj;
    i128 r;
    int huge = mag > 0 ? digits_sub(a->ep, a->elen, b->ep, b->elen, &r)
                       : digits_sub(b->ep, b->elen, a->ep, a->elen, &r);
    int sign = sa * mag; /* sign of Xa - Xb */
    if (huge)
        return sign;
    i128 diff = sign > 0 ? r : -r;
    return diff < dadj ? -1 : diff > dadj;
}

int chuanp_json_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    decnum x, y;
    decnum_split(&x, a, alen);
    decnum_split(&y, b, blen);
    int sx = x.zero ? 0 : x.neg ? -1 : 1;
    int sy = y.zero ? 0 : y.neg ? -1 : 1;
    if (sx != sy)
        return sx < sy ? -1 : 1;
    if (sx == 0)
        return 0;
    int c = exp_cmp(&x, &y);
    if (c == 0) {
        size_t n = x.ndig < y.ndig ? x.ndig : y.ndig;
        for (size_t i = 0; i < n && c == 0; i++) {
            char dx = digit_at(&x, x.first + i), dy = digit_at(&y, y.first + i);
            c = dx < dy ? -1 : dx > dy;
        }
        if (c == 0)
            c = x.ndig < y.ndig ? -1 : x.ndig > y.ndig;
    }
    return sx < 0 ? -c : c;
}

int chuanp_json_num_is_integer(const char *text, size_t len)
{
    decnum d;
    decnum_split(&d, text, len);
    if (d.zero)
        return 1;
    /* integral when every significant digit is left of the point:
     * X + adj >= ndig */
    i128 x;
    if (!exp_small(&d, &x))
        return !d.eneg;
    return x + d.adj >= (i128)d.ndig;
}

/* --------------------------------------------------------------- equality */

static int key_cmp(const chuanp_jmember *a, const chuanp_jmember *b)
{
    size_t n = a->key_len < b->key_len ? a->key_len : b->key_len;
    int c = memcmp(a->key, b->key, n);
    if (c)
        return c;
    return a->key_len < b->key_len ? -1 : a->key_len > b->key_len;
}

static int member_ptr_cmp(const void *x, const void *y)
{
    const chuanp_jmember *a = *(const chuanp_jmember *const *)x;
    const chuanp_jmember *b = *(const chuanp_jmember *const *)y;
    int c = key_cmp(a, b);
    if (c)
        return c;
    return a < b ? -1 : a > b; /* stable: source order among equal keys */
}

/* Members sorted by key, keeping only the last of equal keys. Returns the
 * count, or (size_t)-1 when out of memory. */
static size_t effective_members(const chuanp_jv *o, const chuanp_jmember ***out)
{
    size_t n = o->u.obj.count;
    const chuanp_jmember **v = chuanp_malloc((n ? n : 1) * sizeof *v);
    if (!v)
        return (size_t)-1;
    for (size_t i = 0; i < n; i++)
        v[i] = &o->u.obj.members[i];
    qsort(v, n, sizeof *v, member_ptr_cmp);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && key_cmp(v[i], v[i + 1]) == 0)
            continue;
        v[k++] = v[i];
    }
    *out = v;
    return k;
}

/* Number of distinct keys (quadratic; for small objects). */
static size_t distinct_keys(const chuanp_jv *o)
{
    size_t n = 0;
    for (size_t i = 0; i < o->u.obj.count; i++) {
        const chuanp_jmember *m = &o->u.obj.members[i];
        if (chuanp_json_get_n(o, m->key, m->key_len) == m->value)
            n++;
    }
    return n;
}

static int objects_equal_small(const chuanp_jv *a, const chuanp_jv *b)
{
    if (distinct_keys(a) != distinct_keys(b))
        return 0;
    for (size_t i = 0; i < a->u.obj.count; i++) {
        const chuanp_jmember *m = &a->u.obj.members[i];
        const chuanp_jv *va = chuanp_json_get_n(a, m->key, m->key_len);
        if (va != m->value)
            continue; /* shadowed by a later duplicate */
        const chuanp_jv *vb = chuanp_json_get_n(b, m->key, m->key_len);
        if (!vb || !chuanp_json_equal(va, vb))
            return 0;
    }
    return 1;
}

static int objects_equal(const chuanp_jv *a, const chuanp_jv *b)
{
    if (a->u.obj.count <= 16 && b->u.obj.count <= 16)
        return objects_equal_small(a, b);
    const chuanp_jmember **ma = NULL, **mb = NULL;
    size_t na = effective_members(a, &ma);
    size_t nb = na == (size_t)-1 ? (size_t)-1 : effective_members(b, &mb);
    int eq;
    if (na == (size_t)-1 || nb == (size_t)-1) {
        eq = objects_equal_small(a, b); /* no memory: slow but exact */
        goto out;
    }
    eq = na == nb;
    for (size_t i = 0; eq && i < na; i++)
        eq = key_cmp(ma[i], mb[i]) == 0 && chuanp_json_equal(ma[i]->value, mb[i]->value);
out:
    chuanp_free(ma);
    chuanp_free(mb);
    return eq;
}

int chuanp_json_equal(const chuanp_jv *a, const chuanp_jv *b)
{
    if (a == b)
        return 1;
    if (!a || !b || a->type != b->type)
        return 0;
    switch ((chuanp_jtype)a->type) {
    case CHUANP_JNULL:
    case CHUANP_JFALSE:
    case CHUANP_JTRUE:
        return 1;
    case CHUANP_JNUMBER:
        return chuanp_json_numcmp(a->u.str.text, a->u.str.len, b->u.str.text, b->u.str.len) == 0;
    case CHUANP_JSTRING:
        return a->u.str.len == b->u.str.len &&
               memcmp(a->u.str.text, b->u.str.text, a->u.str.len) == 0;
    case CHUANP_JARRAY:
        if (a->u.arr.count != b->u.arr.count)
            return 0;
        for (size_t i = 0; i < a->u.arr.count; i++)
            if (!chuanp_json_equal(a->u.arr.items[i], b->u.arr.items[i]))
                return 0;
        return 1;
    case CHUANP_JOBJECT:
        return objects_equal(a, b);
    }
    return 0;
}

/* ----------------------------------------------------------- constructors */

chuanp_jv *chuanp_jv_new(chuanp_arena *a, chuanp_jtype type)
{
    chuanp_jv *v = chuanp_arena_alloc(a, sizeof *v);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    v->type = (uint8_t)type;
    if (type == CHUANP_JARRAY || type == CHUANP_JOBJECT)
        v->flags = CHUANP_JCONT_GROWABLE;
    if (type == CHUANP_JSTRING || type == CHUANP_JNUMBER) {
        v->u.str.text = "";
        if (type == CHUANP_JNUMBER) {
            v->u.str.text = "0";
            v->u.str.len = 1;
            v->flags = CHUANP_JNUM_INT;
        }
    }
    return v;
}

chuanp_jv *chuanp_jv_bool(chuanp_arena *a, int b)
{
    return chuanp_jv_new(a, b ? CHUANP_JTRUE : CHUANP_JFALSE);
}

static uint8_t string_flags(const char *s, size_t len)
{
    uint8_t f = 0;
    if (memchr(s, '\0', len))
        f |= CHUANP_JSTR_NUL;
    const char *p = s, *end = s + len;
    while ((p = memchr(p, '\xED', (size_t)(end - p))) != NULL) {
        if (end - p >= 3 && ((unsigned char)p[1] & 0xE0) == 0xA0 &&
            ((unsigned char)p[2] & 0xC0) == 0x80) {
            f |= CHUANP_JSTR_LONE_SURROGATE;
            break;
        }
        p++;
    }
    return f;
}

chuanp_jv *chuanp_jv_string(chuanp_arena *a, const char *s, size_t len)
{
    if (!s && len)
        return NULL;
    chuanp_jv *v = chuanp_arena_alloc(a, sizeof *v + len + 1);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    char *text = (char *)(v + 1);
    if (len)
        memcpy(text, s, len);
    text[len] = '\0';
    v->type = CHUANP_JSTRING;
    v->flags = len ? string_flags(s, len) : 0;
    v->u.str.text = text;
    v->u.str.len = len;
    return v;
}

chuanp_jv *chuanp_jv_number(chuanp_arena *a, const char *text, size_t len)
{
    if (!chuanp_json_num_valid(text, len))
        return NULL;
    chuanp_jv *v = chuanp_arena_alloc(a, sizeof *v + len + 1);
    if (!v)
        return NULL;
    memset(v, 0, sizeof *v);
    char *t = (char *)(v + 1);
    memcpy(t, text, len);
    t[len] = '\0';
    v->type = CHUANP_JNUMBER;
    v->flags = memchr(text, '.', len) || memchr(text, 'e', len) || memchr(text, 'E', len)
                   ? 0
                   : CHUANP_JNUM_INT;
    v->u.str.text = t;
    v->u.str.len = len;
    return v;
}

/* ------------------------------------------------------------------ growth */

/* Capacity of a growable container holding n items: 0, 4, 8, 16, ... */
static size_t growable_cap(size_t n)
{
    if (n == 0)
        return 0;
    size_t c = 4;
    while (c < n)
        c *= 2;
    return c;
}

/* Make room for one more item of `elem` bytes in *items (count n). */
static int make_room(chuanp_arena *a, chuanp_jv *c, void **items, size_t n, size_t elem)
{
    size_t cap = (c->flags & CHUANP_JCONT_GROWABLE) ? growable_cap(n) : n;
    if (n < cap)
        return 0;
    size_t ncap = growable_cap(n + 1);
    if (ncap > SIZE_MAX / elem)
        return -1;
    void *p = chuanp_arena_alloc(a, ncap * elem);
    if (!p)
        return -1;
    if (n)
        memcpy(p, *items, n * elem);
    *items = p;
    c->flags |= CHUANP_JCONT_GROWABLE;
    return 0;
}

int chuanp_jv_push(chuanp_arena *a, chuanp_jv *arr, chuanp_jv *item)
{
    if (!arr || !item || arr->type != CHUANP_JARRAY)
        return -1;
    void *items = arr->u.arr.items;
    if (make_room(a, arr, &items, arr->u.arr.count, sizeof *arr->u.arr.items) < 0)
        return -1;
    arr->u.arr.items = items;
    arr->u.arr.items[arr->u.arr.count++] = item;
    return 0;
}

int chuanp_jv_set(chuanp_arena *a, chuanp_jv *obj, const char *key, size_t key_len, chuanp_jv *v)
{
    if (!obj || !v || !key || obj->type != CHUANP_JOBJECT)
        return -1;
    for (size_t i = obj->u.obj.count; i-- > 0;) {
        chuanp_jmember *m = &obj->u.obj.members[i];
        if (m->key_len == key_len && memcmp(m->key, key, key_len) == 0) {
            m->value = v;
            return 0;
        }
    }
    char *k = chuanp_arena_strndup(a, key, key_len);
    if (!k)
        return -1;
    void *items = obj->u.obj.members;
    if (make_room(a, obj, &items, obj->u.obj.count, sizeof *obj->u.obj.members) < 0)
        return -1;
    obj->u.obj.members = items;
    chuanp_jmember *m = &obj->u.obj.members[obj->u.obj.count++];
    memset(m, 0, sizeof *m);
    m->key = k;
    m->key_len = key_len;
    m->value = v;
    return 0;
}
