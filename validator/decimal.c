/* validator/decimal.c - exact decimal arithmetic for sums and comparisons. */
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#define MAX_DIGITS 4096
#define MAX_EXP 4096

void chuanp_decimal_free(chuanp_decimal *d)
{
    if (!d)
        return;
    chuanp_free(d->digits);
    d->digits = NULL;
}

/* Strip leading zeros of the integer part and trailing zeros of the fraction. */
static void normalise(chuanp_decimal *d)
{
    size_t n = strlen(d->digits);
    while (d->scale > 0 && n > 0 && d->digits[n - 1] == '0') {
        d->digits[--n] = '\0';
        d->scale--;
    }
    size_t lead = 0;
    while (lead < n && d->digits[lead] == '0' && n - lead > (size_t)d->scale)
        lead++;
    memmove(d->digits, d->digits + lead, n - lead + 1);
    if (d->digits[0] == '\0' || strspn(d->digits, "0") == strlen(d->digits)) {
        d->digits[0] = '\0';
        d->scale = 0;
        d->neg = 0;
    }
}

int chuanp_decimal_parse(chuanp_decimal *out, const char *s, size_t len)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    int neg = 0;
    if (i < len && s[i] == '-')
        neg = 1, i++;
    size_t int_start = i;
    while (i < len && s[i] >= '0' && s[i] <= '9')
        i++;
    size_t int_len = i - int_start, frac_start = i, frac_len = 0;
    if (i < len && s[i] == '.') {
        i++;
        frac_start = i;
        while (i < len && s[i] >= '0' && s[i] <= '9')
            i++;
        frac_len = i - frac_start;
        if (frac_len == 0)
            return -1;
    }
    if (int_len == 0)
        return -1;
    long exp = 0;
    if (i < len && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        int eneg = 0;
        if (i < len && (s[i] == '+' || s[i] == '-'))
            eneg = s[i] == '-', i++;
        size_t e0 = i;
        while (i < len && s[i] >= '0' && s[i] <= '9') {
            if (exp < MAX_EXP)
                exp = exp * 10 + (s[i] - '0');
            i++;
        }
        if (i == e0 || exp >= MAX_EXP)
            return -1;
        if (eneg)
            exp = -exp;
    }
    if (i != len || int_len + frac_len > MAX_DIGITS)
        return -1;
    /* digits = int + frac, scale = frac_len - exp (pad with zeros if < 0) */
    long scale = (long)frac_len - exp;
    size_t pad = scale < 0 ? (size_t)(-scale) : 0;
    char *d = chuanp_malloc(int_len + frac_len + pad + 1);
    if (!d)
        return -1;
    memcpy(d, s + int_start, int_len);
    memcpy(d + int_len, s + frac_start, frac_len);
    memset(d + int_len + frac_len, '0', pad);
    d[int_len + frac_len + pad] = '\0';
    out->digits = d;
    out->neg = neg;
    out->scale = scale < 0 ? 0 : (int)scale;
    /* a value whose scale exceeds its digits: left-pad with zeros */
    size_t n = strlen(d);
    if ((size_t)out->scale > n) {
        size_t need = (size_t)out->scale - n;
        char *p = chuanp_malloc(n + need + 1);
        if (!p) {
            chuanp_decimal_free(out);
            return -1;
        }
        memset(p, '0', need);
        memcpy(p + need, d, n + 1);
        chuanp_free(d);
        out->digits = p;
    }
    normalise(out);
    return 0;
}

/* Digit of d at decimal position pos (0 = units, 1 = tens, -1 = tenths). */
static int digit_at(const chuanp_decimal *d, long pos)
{
    long n = (long)strlen(d->digits);
    long idx = n - 1 - d->scale - pos;
    if (idx < 0 || idx >= n)
        return 0;
    return d->digits[idx] - '0';
}

static int cmp_abs(const chuanp_decimal *a, const chuanp_decimal *b)
{
    long ia = (long)strlen(a->digits) - a->scale, ib = (long)strlen(b->digits) - b->scale;
    long hi = (ia > ib ? ia : ib) - 1;
    long lo = -(long)(a->scale > b->scale ? a->scale : b->scale);
    for (long p = hi; p >= lo; p--) {
        int x = digit_at(a, p), y = digit_at(b, p);
        if (x != y)
            return x < y ? -1 : 1;
    }
    return 0;
}

int chuanp_decimal_cmp(const chuanp_decimal *a, const chuanp_decimal *b)
{
    int za = a->digits[0] == '\0', zb = b->digits[0] == '\0';
    if (za && zb)
        return 0;
    if (a->neg != b->neg)
        return a->neg ? -1 : 1;
    int c = cmp_abs(a, b);
    return a->neg ? -c : c;
}

int chuanp_decimal_add(chuanp_decimal *acc, const chuanp_decimal *v)
{
    long ia = (long)strlen(acc->digits) - acc->scale, ib = (long)strlen(v->digits) - v->scale;
    long hi = (ia > ib ? ia : ib);
    int scale = acc->scale > v->scale ? acc->scale : v->scale;
    long lo = -(long)scale;
    size_t n = (size_t)(hi - lo + 1);
    char *out = chuanp_malloc(n + 1);
    if (!out)
        return -1;
    int neg;
    if (acc->neg == v->neg) {
        int carry = 0;
        for (long p = lo; p <= hi; p++) {
            int s = digit_at(acc, p) + digit_at(v, p) + carry;
            out[hi - p] = (char)('0' + s % 10);
            carry = s / 10;
        }
        neg = acc->neg;
    } else {
        const chuanp_decimal *big = acc, *small = v;
        if (cmp_abs(acc, v) < 0)
            big = v, small = acc;
        int borrow = 0;
        for (long p = lo; p <= hi; p++) {
            int s = digit_at(big, p) - digit_at(small, p) - borrow;
            borrow = s < 0;
            if (s < 0)
                s += 10;
            out[hi - p] = (char)('0' + s);
        }
        neg = big->neg;
    }
    out[n] = '\0';
    chuanp_free(acc->digits);
    acc->digits = out;
    acc->scale = scale;
    acc->neg = neg;
    normalise(acc);
    return 0;
}

void chuanp_decimal_format(chuanp_buf *b, const chuanp_decimal *d)
{
    size_t n = strlen(d->digits);
    if (n == 0) {
        chuanp_buf_putc(b, '0');
        return;
    }
    if (d->neg)
        chuanp_buf_putc(b, '-');
    if ((size_t)d->scale >= n) {
        chuanp_buf_puts(b, "0.");
        for (size_t i = n; i < (size_t)d->scale; i++)
            chuanp_buf_putc(b, '0');
        chuanp_buf_puts(b, d->digits);
        return;
    }
    chuanp_buf_append(b, d->digits, n - (size_t)d->scale);
    if (d->scale) {
        chuanp_buf_putc(b, '.');
        chuanp_buf_puts(b, d->digits + n - (size_t)d->scale);
    }
}
