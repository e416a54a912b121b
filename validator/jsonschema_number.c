/* validator/jsonschema_number.c - exact decimal arithmetic on JSON number text
 * (comparisons, integer test, multipleOf) and JSON equality/hashing. */
#include "jsonschema_int.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EXP_CLAMP 1000000000000000LL

int chuanp_js_dec_parse(js_dec *d, const char *text, size_t len)
{
    memset(d, 0, sizeof *d);
    size_t i = 0;
    if (i < len && (text[i] == '-' || text[i] == '+')) {
        d->neg = text[i] == '-';
        i++;
    }
    /* collect digits of the integer and fraction parts */
    size_t ndig = 0, frac = 0;
    size_t start = i;
    int seen = 0, in_frac = 0;
    for (; i < len; i++) {
        char c = text[i];
        if (c >= '0' && c <= '9') {
            seen = 1;
            ndig++;
            if (in_frac)
                frac++;
        } else if (c == '.' && !in_frac) {
            in_frac = 1;
        } else {
            break;
        }
    }
    if (!seen)
        return -1;
    size_t mant_end = i;
    long long e = 0;
    if (i < len && (text[i] == 'e' || text[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (text[i] == '+' || text[i] == '-')) {
            eneg = text[i] == '-';
            i++;
        }
        if (i >= len)
            return -1;
        for (; i < len; i++) {
            if (text[i] < '0' || text[i] > '9')
                return -1;
            if (e < EXP_CLAMP)
                e = e * 10 + (text[i] - '0');
        }
        if (eneg)
            e = -e;
    }
    if (i != len)
        return -1;
    char *dst = ndig < sizeof d->buf ? d->buf : (d->big = chuanp_malloc(ndig + 1));
    if (!dst)
        return -1;
    size_t n = 0;
    for (size_t k = start; k < mant_end; k++)
        if (text[k] >= '0' && text[k] <= '9') {
            if (n == 0 && text[k] == '0')
                continue; /* leading zero */
            dst[n++] = text[k];
        }
    long long exp = e - (long long)frac;
    while (n > 0 && dst[n - 1] == '0') {
        n--;
        exp++;
    }
    if (n == 0) {
        dst[0] = '0';
        n = 1;
        exp = 0;
        d->neg = 0;
    }
    dst[n] = '\0';
    d->digits = dst;
    d->ndigits = n;
    d->exp = exp;
    return 0;
}

void chuanp_js_dec_free(js_dec *d)
{
    if (d) {
        chuanp_free(d->big);
        d->big = NULL;
    }
}

static int is_zero(const js_dec *d)
{
    return d->ndigits == 1 && d->digits[0] == '0';
}

static int mag_cmp(const js_dec *a, const js_dec *b)
{
    long long ta = (long long)a->ndigits + a->exp, tb = (long long)b->ndigits + b->exp;
    if (ta != tb)
        return ta < tb ? -1 : 1;
    size_t n = a->ndigits > b->ndigits ? a->ndigits : b->ndigits;
    for (size_t i = 0; i < n; i++) {
        char ca = i < a->ndigits ? a->digits[i] : '0';
        char cb = i < b->ndigits ? b->digits[i] : '0';
        if (ca != cb)
            return ca < cb ? -1 : 1;
    }
    return 0;
}

static int js_dec_cmp(const js_dec *a, const js_dec *b)
{
    int za = is_zero(a), zb = is_zero(b);
    if (za && zb)
        return 0;
    int sa = za ? 0 : a->neg ? -1 : 1;
    int sb = zb ? 0 : b->neg ? -1 : 1;
    if (sa != sb)
        return sa < sb ? -1 : 1;
    int m = mag_cmp(a, b);
    return sa < 0 ? -m : m;
}

static int js_dec_is_integer(const js_dec *d)
{
    return is_zero(d) || d->exp >= 0;
}

static uint64_t mulmod(uint64_t a, uint64_t b, uint64_t m)
{
    return (uint64_t)((unsigned __int128)a * b % m);
}

static uint64_t powmod10(long long k, uint64_t m)
{
    uint64_t result = 1 % m, base = 10 % m;
    while (k > 0) {
        if (k & 1)
            result = mulmod(result, base, m);
        base = mulmod(base, base, m);
        k >>= 1;
    }
    return result;
}

int chuanp_js_dec_multiple_of(const js_dec *a, const js_dec *b)
{
    if (is_zero(a))
        return 1;
    if (is_zero(b))
        return 0;
    long long k = a->exp - b->exp;
    if (k < 0)
        return 0; /* a's last digit is not 0, so 10^-k * b cannot divide it */
    if (b->ndigits <= 18) {
        uint64_t m = 0;
        for (size_t i = 0; i < b->ndigits; i++)
            m = m * 10 + (uint64_t)(b->digits[i] - '0');
        uint64_t r = 0;
        for (size_t i = 0; i < a->ndigits; i++)
            r = (r * 10 + (uint64_t)(a->digits[i] - '0')) % m;
        return mulmod(r, powmod10(k, m), m) == 0;
    }
    /* A divisor with more than 18 significant digits: long division with
     * decimal digits (schoolbook, divisor as digit string). */
    size_t nb = b->ndigits;
    char *rem = chuanp_calloc(nb + 2, 1); /* remainder digits, most significant first */
    if (!rem)
        return 0;
    size_t rl = 0;
    long long total = (long long)a->ndigits + k;
    int ok = 1;
    if (total > 100000000LL) {
        chuanp_free(rem);
        return 0;
    }
    for (long long i = 0; i < total; i++) {
        char dgt = i < (long long)a->ndigits ? a->digits[i] : '0';
        /* rem = rem * 10 + dgt */
        if (!(rl == 0 && dgt == '0'))
            rem[rl++] = dgt;
        /* subtract b while rem >= b (at most 9 times) */
        for (;;) {
            int cmp;
            if (rl != nb)
                cmp = rl < nb ? -1 : 1;
            else
                cmp = memcmp(rem, b->digits, nb);
            if (cmp < 0)
                break;
            int borrow = 0;
            for (size_t j = rl; j-- > 0;) {
                int bd = (j + nb >= rl) ? b->digits[j - (rl - nb)] - '0' : 0;
                int v = rem[j] - '0' - bd - borrow;
                borrow = v < 0;
                rem[j] = (char)('0' + (v < 0 ? v + 10 : v));
            }
            size_t z = 0;
            while (z < rl && rem[z] == '0')
                z++;
            memmove(rem, rem + z, rl - z);
            rl -= z;
        }
    }
    ok = rl == 0;
    chuanp_free(rem);
    return ok;
}

int chuanp_js_num_cmp(const chuanp_jv *a, const chuanp_jv *b)
{
    js_dec da, db;
    if (chuanp_js_dec_parse(&da, a->u.str.text, a->u.str.len) < 0)
        return 0;
    if (chuanp_js_dec_parse(&db, b->u.str.text, b->u.str.len) < 0) {
        chuanp_js_dec_free(&da);
        return 0;
    }
    int c = js_dec_cmp(&da, &db);
    chuanp_js_dec_free(&da);
    chuanp_js_dec_free(&db);
    return c;
}

int chuanp_js_num_is_integer(const chuanp_jv *v)
{
    if (v->flags & CHUANP_JNUM_INT)
        return 1;
    js_dec d;
    if (chuanp_js_dec_parse(&d, v->u.str.text, v->u.str.len) < 0)
        return 0;
    int r = js_dec_is_integer(&d);
    chuanp_js_dec_free(&d);
    return r;
}

static int str_eq(const chuanp_jv *a, const chuanp_jv *b)
{
    return a->u.str.len == b->u.str.len && memcmp(a->u.str.text, b->u.str.text, a->u.str.len) == 0;
}

static int key_cmp(const void *x, const void *y)
{
    const chuanp_jmember *m = *(const chuanp_jmember *const *)x, *n = *(const chuanp_jmember *const *)y;
    size_t l = m->key_len < n->key_len ? m->key_len : n->key_len;
    int c = memcmp(m->key, n->key, l);
    if (c)
        return c;
    return m->key_len < n->key_len ? -1 : m->key_len > n->key_len;
}

/* Large objects: compare members sorted by key (O(n log n), not O(n^2)). */
static int equal_sorted(const chuanp_jv *a, const chuanp_jv *b)
{
    size_t n = a->u.obj.count;
    const chuanp_jmember **x = chuanp_malloc(n * sizeof *x), **y = chuanp_malloc(n * sizeof *y);
    int eq = x && y;
    for (size_t i = 0; eq && i < n; i++) {
        x[i] = &a->u.obj.members[i];
        y[i] = &b->u.obj.members[i];
    }
    if (eq) {
        qsort(x, n, sizeof *x, key_cmp);
        qsort(y, n, sizeof *y, key_cmp);
    }
    for (size_t i = 0; eq && i < n; i++)
        eq = key_cmp(&x[i], &y[i]) == 0 && chuanp_js_equal(x[i]->value, y[i]->value);
    chuanp_free(x);
    chuanp_free(y);
    return eq;
}

int chuanp_js_equal(const chuanp_jv *a, const chuanp_jv *b)
{
    if (a->type != b->type)
        return 0;
    switch (a->type) {
    case CHUANP_JNULL:
    case CHUANP_JTRUE:
    case CHUANP_JFALSE:
        return 1;
    case CHUANP_JNUMBER:
        return str_eq(a, b) || chuanp_js_num_cmp(a, b) == 0;
    case CHUANP_JSTRING:
        return str_eq(a, b);
    case CHUANP_JARRAY:
        if (a->u.arr.count != b->u.arr.count)
            return 0;
        for (size_t i = 0; i < a->u.arr.count; i++)
            if (!chuanp_js_equal(a->u.arr.items[i], b->u.arr.items[i]))
                return 0;
        return 1;
    case CHUANP_JOBJECT:
        if (a->u.obj.count != b->u.obj.count)
            return 0;
        if (a->u.obj.count > 32)
            return equal_sorted(a, b);
        for (size_t i = 0; i < a->u.obj.count; i++) {
            const chuanp_jmember *m = &a->u.obj.members[i];
            const chuanp_jv *other = NULL;
            for (size_t j = 0; j < b->u.obj.count; j++) {
                const chuanp_jmember *n = &b->u.obj.members[(i + j) % b->u.obj.count];
                if (n->key_len == m->key_len && memcmp(n->key, m->key, m->key_len) == 0) {
                    other = n->value;
                    break;
                }
            }
            if (!other || !chuanp_js_equal(m->value, other))
                return 0;
        }
        return 1;
    default:
        return 0;
    }
}

static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *s = p;
    for (size_t i = 0; i < n; i++) {
        h ^= s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

uint64_t chuanp_js_hash(const chuanp_jv *v)
{
    uint64_t h = 1469598103934665603ULL ^ (uint64_t)v->type * 0x9E3779B97F4A7C15ULL;
    switch (v->type) {
    case CHUANP_JNUMBER: {
        js_dec d;
        if (chuanp_js_dec_parse(&d, v->u.str.text, v->u.str.len) == 0) {
            h = fnv(h, d.digits, d.ndigits);
            h = fnv(h, &d.exp, sizeof d.exp);
            h = fnv(h, &d.neg, sizeof d.neg);
            chuanp_js_dec_free(&d);
        }
        return h;
    }
    case CHUANP_JSTRING:
        return fnv(h, v->u.str.text, v->u.str.len);
    case CHUANP_JARRAY:
        for (size_t i = 0; i < v->u.arr.count; i++) {
            uint64_t c = chuanp_js_hash(v->u.arr.items[i]);
            h = fnv(h, &c, sizeof c);
        }
        return h;
    case CHUANP_JOBJECT: {
        uint64_t acc = 0;
        for (size_t i = 0; i < v->u.obj.count; i++) {
            const chuanp_jmember *m = &v->u.obj.members[i];
            uint64_t k = fnv(1469598103934665603ULL, m->key, m->key_len);
            acc += k * 31 + chuanp_js_hash(m->value) * 0x9E3779B97F4A7C15ULL;
        }
        return fnv(h, &acc, sizeof acc);
    }
    default:
        return h;
    }
}
