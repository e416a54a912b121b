/* validator/tableschema_types.c - Table Schema field types: cast a cell's text to its type. */
#include "tableschema_int.h"

#include "../converters/json.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const type_names[] = {
    [TS_STRING] = "string",   [TS_NUMBER] = "number",       [TS_INTEGER] = "integer",
    [TS_BOOLEAN] = "boolean", [TS_DATE] = "date",           [TS_TIME] = "time",
    [TS_DATETIME] = "datetime", [TS_YEAR] = "year",         [TS_YEARMONTH] = "yearmonth",
    [TS_DURATION] = "duration", [TS_OBJECT] = "object",     [TS_ARRAY] = "array",
    [TS_LIST] = "list",       [TS_GEOPOINT] = "geopoint",   [TS_ANY] = "any",
};

int chuanp_ts_type_parse(const char *name)
{
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (strcmp(name, type_names[i]) == 0)
            return (int)i;
    return -1;
}

const char *chuanp_ts_type_name(ts_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?";
}

int chuanp_ts_strlist_has(const ts_strlist *l, const char *s, size_t len)
{
    for (size_t i = 0; i < l->count; i++)
        if (l->lens[i] == len && memcmp(l->items[i], s, len) == 0)
            return 1;
    return 0;
}

void chuanp_ts_strlist_free(ts_strlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        chuanp_free(l->items[i]);
    chuanp_free(l->items);
    chuanp_free(l->lens);
    memset(l, 0, sizeof *l);
}

static int is_digit(char c)
{
    return c >= '0' && c <= '9';
}

/* ------------------------------------------------------------- numbers */
/* Parse a decimal number with the field's decimalChar/groupChar into the
 * canonical JSON number text. allow_frac 0 for integers. */
static int cast_number(const ts_field *f, const char *s, size_t len, int allow_frac,
                       chuanp_buf *out, ts_value *v)
{
    char dec = f && f->decimal_char ? f->decimal_char : '.';
    const char *grp = f ? f->group_char : NULL;
    size_t glen = grp ? strlen(grp) : 0;
    if (f && !f->bare_number) {
        while (len && !is_digit(s[0]) && s[0] != '-' && s[0] != '+' &&
               !(s[0] == dec && len > 1 && is_digit(s[1]))) {
            s++;
            len--;
        }
        while (len && !is_digit(s[len - 1]))
            len--;
    }
    if (allow_frac && ((len == 3 && memcmp(s, "NaN", 3) == 0) || (len == 3 && memcmp(s, "INF", 3) == 0) ||
                       (len == 4 && memcmp(s, "-INF", 4) == 0))) {
        size_t at = out->len;
        chuanp_buf_append(out, s, len);
        v->text = out->data ? out->data + at : "";
        v->len = len;
        v->special = 1;
        return 0;
    }
    size_t i = 0, at = out->len;
    int neg = 0;
    if (i < len && (s[i] == '-' || s[i] == '+'))
        neg = s[i++] == '-';
    /* integer part: digits, group separators only between digits */
    size_t idig = 0;
    chuanp_buf digits;
    chuanp_buf_init(&digits, 0);
    while (i < len) {
        if (is_digit(s[i])) {
            chuanp_buf_putc(&digits, s[i]);
            idig++;
            i++;
        } else if (glen && idig > 0 && len - i > glen && memcmp(s + i, grp, glen) == 0 &&
                   is_digit(s[i + glen])) {
            i += glen;
        } else {
            break;
        }
    }
    size_t fdig = 0;
    size_t frac_at = 0;
    if (i < len && s[i] == dec && allow_frac) {
        i++;
        frac_at = i;
        while (i < len && is_digit(s[i])) {
            i++;
            fdig++;
        }
    }
    if (idig + fdig == 0) {
        chuanp_buf_free(&digits);
        return 1;
    }
    size_t exp_at = i, exp_len = 0;
    if (allow_frac && i < len && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        if (j < len && (s[j] == '+' || s[j] == '-'))
            j++;
        size_t st = j;
        while (j < len && is_digit(s[j]))
            j++;
        if (j == st) {
            chuanp_buf_free(&digits);
            return 1;
        }
        exp_len = j - exp_at;
        i = j;
    }
    if (i != len) {
        chuanp_buf_free(&digits);
        return 1;
    }
    /* canonical: -?(0|[1-9]d*)(.d+)?(e[+-]?d+)? */
    const char *dg = digits.data ? digits.data : "";
    size_t dl = digits.len, z = 0;
    while (z + 1 < dl && dg[z] == '0')
        z++;
    int zero = 1;
    for (size_t k = z; k < dl; k++)
        zero &= dg[k] == '0';
    for (size_t k = 0; k < fdig; k++)
        zero &= s[frac_at + k] == '0';
    if (neg && !(zero && exp_len == 0))
        chuanp_buf_putc(out, '-');
    if (dl == 0)
        chuanp_buf_putc(out, '0');
    else
        chuanp_buf_append(out, dg + z, dl - z);
    if (fdig) {
        chuanp_buf_putc(out, '.');
        chuanp_buf_append(out, s + frac_at, fdig);
    }
    if (exp_len) {
        chuanp_buf_putc(out, 'e');
        const char *e = s + exp_at + 1;
        size_t el = exp_len - 1;
        if (el && *e == '+') {
            e++;
            el--;
        }
        chuanp_buf_append(out, e, el);
    }
    chuanp_buf_free(&digits);
    if (out->err)
        return 1;
    v->text = out->data + at;
    v->len = out->len - at;
    return 0;
}

/* Compare decimal number texts exactly. */
static int ts_numcmp(const char *a, size_t alen, const char *b, size_t blen)
{
    return chuanp_json_numcmp(a, alen, b, blen);
}

/* --------------------------------------------------------- dates, times */
typedef struct dt {
    int year, mon, day, hour, min, sec;
    long usec;
    const char *frac;
    size_t frac_len;
    int has_tz, tz_min;
    int has_date, has_time;
} dt;

static int days_in_month(int y, int m)
{
    static const int d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return d[m - 1];
}

static int64_t days_from_civil(int y, int m, int d)
{
    y -= m <= 2;
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int take_digits(const char *s, size_t len, size_t *i, size_t min, size_t max, int *out)
{
    size_t st = *i;
    int v = 0;
    while (*i < len && *i - st < max && is_digit(s[*i]))
        v = v * 10 + (s[(*i)++] - '0');
    if (*i - st < min)
        return -1;
    *out = v;
    return 0;
}

static const char *const month_names[] = {"january", "february", "march", "april",
                                          "may", "june", "july", "august",
                                          "september", "october", "november", "december"};

static int take_month_name(const char *s, size_t len, size_t *i, int *mon)
{
    for (int m = 0; m < 12; m++) {
        size_t fl = strlen(month_names[m]);
        if (len - *i >= fl && strncasecmp(s + *i, month_names[m], fl) == 0) {
            *i += fl;
            *mon = m + 1;
            return 0;
        }
    }
    for (int m = 0; m < 12; m++) {
        if (len - *i >= 3 && strncasecmp(s + *i, month_names[m], 3) == 0) {
            *i += 3;
            *mon = m + 1;
            return 0;
        }
    }
    return -1;
}

static int take_tz(const char *s, size_t len, size_t *i, dt *t)
{
    if (*i < len && s[*i] == 'Z') {
        (*i)++;
        t->has_tz = 1;
        t->tz_min = 0;
        return 0;
    }
    if (*i >= len || (s[*i] != '+' && s[*i] != '-'))
        return -1;
    int neg = s[(*i)++] == '-', h, m;
    if (take_digits(s, len, i, 2, 2, &h) < 0)
        return -1;
    if (*i < len && s[*i] == ':')
        (*i)++;
    if (take_digits(s, len, i, 2, 2, &m) < 0 || h > 23 || m > 59)
        return -1;
    t->has_tz = 1;
    t->tz_min = (neg ? -1 : 1) * (h * 60 + m);
    return 0;
}

static int take_frac(const char *s, size_t len, size_t *i, dt *t)
{
    size_t st = *i;
    long us = 0;
    while (*i < len && is_digit(s[*i])) {
        if (*i - st < 6)
            us = us * 10 + (s[*i] - '0');
        (*i)++;
    }
    if (*i == st || *i - st > 9)
        return -1;
    for (size_t k = *i - st; k < 6; k++)
        us *= 10;
    t->usec = us;
    t->frac = s + st;
    t->frac_len = *i - st;
    return 0;
}

/* Parse s against a strptime-style format. strict: numeric fields have
 * their full width (ISO forms). Returns 0 when all of s matched. */
static int dt_parse(const char *fmt, int strict, const char *s, size_t len, dt *t)
{
    size_t i = 0;
    memset(t, 0, sizeof *t);
    t->year = 1970;
    t->mon = t->day = 1;
    for (const char *f = fmt; *f; f++) {
        if (*f != '%') {
            if (i >= len || s[i] != *f)
                return -1;
            i++;
            continue;
        }
        f++;
        int w = strict ? 2 : 1, r = 0;
        switch (*f) {
        case 'Y': r = take_digits(s, len, &i, 4, 4, &t->year); t->has_date = 1; break;
        case 'y': r = take_digits(s, len, &i, 2, 2, &t->year);
            t->year += t->year < 69 ? 2000 : 1900; t->has_date = 1; break;
        case 'm': r = take_digits(s, len, &i, (size_t)w, 2, &t->mon); t->has_date = 1; break;
        case 'd': r = take_digits(s, len, &i, (size_t)w, 2, &t->day); t->has_date = 1; break;
        case 'b': case 'B': case 'h': r = take_month_name(s, len, &i, &t->mon); t->has_date = 1; break;
        case 'H': r = take_digits(s, len, &i, (size_t)w, 2, &t->hour); t->has_time = 1; break;
        case 'M': r = take_digits(s, len, &i, (size_t)w, 2, &t->min); t->has_time = 1; break;
        case 'S': r = take_digits(s, len, &i, (size_t)w, 2, &t->sec); t->has_time = 1; break;
        case 'f': r = take_frac(s, len, &i, t); break;
        case 'z': r = take_tz(s, len, &i, t); break;
        case '%': r = i < len && s[i] == '%' ? (i++, 0) : -1; break;
        default: return -1;
        }
        if (r < 0)
            return -1;
    }
    if (i != len)
        return -1;
    if (t->mon < 1 || t->mon > 12 || t->day < 1 || t->day > days_in_month(t->year, t->mon) ||
        t->hour > 23 || t->min > 59 || t->sec > 59)
        return -1;
    return 0;
}

/* ISO time tail: [.fraction][Z|+hh:mm] after HH:MM:SS. */
static int dt_parse_iso(const char *head_fmt, const char *s, size_t len, dt *t)
{
    /* find the end of the fixed part: date "YYYY-MM-DD" = 10, time 8, datetime 19 */
    size_t fixed = strcmp(head_fmt, "%H:%M:%S") == 0 ? 8 : 19;
    if (len < fixed || dt_parse(head_fmt, 1, s, fixed, t) < 0)
        return -1;
    size_t i = fixed;
    if (i < len && s[i] == '.') {
        i++;
        if (take_frac(s, len, &i, t) < 0)
            return -1;
    }
    if (i < len && take_tz(s, len, &i, t) < 0)
        return -1;
    return i == len ? 0 : -1;
}

static const char *const any_date_formats[] = {"%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y",
                                               "%Y/%m/%d", "%Y%m%d", NULL};

int chuanp_ts_format_ok(const char *fmt)
{
    for (const char *f = fmt; *f; f++) {
        if (*f != '%')
            continue;
        f++;
        if (!*f || !strchr("YymdbBhHMSfz%", *f))
            return 0;
    }
    return 1;
}

/* Zero-padded decimal (no printf: this runs for every date cell). */
static void put_num(chuanp_buf *o, long v, int width)
{
    char tmp[24];
    int n = 0, neg = v < 0;
    unsigned long u = neg ? (unsigned long)-v : (unsigned long)v;
    do {
        tmp[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u && n < 20);
    while (n < width && n < 20)
        tmp[n++] = '0';
    if (neg)
        chuanp_buf_putc(o, '-');
    while (n)
        chuanp_buf_putc(o, tmp[--n]);
}

static void put_date(chuanp_buf *o, const dt *t)
{
    put_num(o, t->year, 4);
    chuanp_buf_putc(o, '-');
    put_num(o, t->mon, 2);
    chuanp_buf_putc(o, '-');
    put_num(o, t->day, 2);
}

static void put_time(chuanp_buf *o, const dt *t)
{
    put_num(o, t->hour, 2);
    chuanp_buf_putc(o, ':');
    put_num(o, t->min, 2);
    chuanp_buf_putc(o, ':');
    put_num(o, t->sec, 2);
    if (t->frac_len) {
        chuanp_buf_putc(o, '.');
        chuanp_buf_append(o, t->frac, t->frac_len);
    }
}

static void put_tz(chuanp_buf *o, const dt *t)
{
    if (!t->has_tz)
        return;
    if (t->tz_min == 0) {
        chuanp_buf_putc(o, 'Z');
        return;
    }
    int m = t->tz_min < 0 ? -t->tz_min : t->tz_min;
    chuanp_buf_printf(o, "%c%02d:%02d", t->tz_min < 0 ? '-' : '+', m / 60, m % 60);
}

static int cast_temporal(const ts_field *f, ts_type type, const char *s, size_t len,
                         chuanp_buf *o, ts_value *v)
{
    dt t;
    const char *fmt = f ? f->format : NULL;
    int ok = -1;
    if (!fmt || strcmp(fmt, "default") == 0) {
        if (type == TS_DATE)
            ok = dt_parse("%Y-%m-%d", 1, s, len, &t);
        else if (type == TS_TIME)
            ok = dt_parse_iso("%H:%M:%S", s, len, &t);
        else
            ok = dt_parse_iso("%Y-%m-%dT%H:%M:%S", s, len, &t);
    } else if (strcmp(fmt, "any") == 0) {
        if (type == TS_DATE) {
            for (size_t k = 0; any_date_formats[k] && ok < 0; k++)
                ok = dt_parse(any_date_formats[k], 0, s, len, &t);
        } else if (type == TS_TIME) {
            ok = dt_parse_iso("%H:%M:%S", s, len, &t);
            if (ok < 0)
                ok = dt_parse("%H:%M", 0, s, len, &t);
        } else {
            ok = dt_parse_iso("%Y-%m-%dT%H:%M:%S", s, len, &t);
            if (ok < 0)
                ok = dt_parse("%Y-%m-%d %H:%M:%S", 0, s, len, &t);
            if (ok < 0)
                ok = dt_parse("%d/%m/%Y %H:%M:%S", 0, s, len, &t);
            if (ok < 0)
                ok = dt_parse("%d/%m/%Y %H:%M", 0, s, len, &t);
        }
    } else {
        ok = dt_parse(fmt, 0, s, len, &t);
    }
    if (ok < 0)
        return 1;
    size_t at = o->len;
    int64_t days = days_from_civil(t.year, t.mon, t.day);
    int64_t us = ((int64_t)t.hour * 3600 + t.min * 60 + t.sec) * 1000000 + t.usec;
    if (type == TS_DATE) {
        put_date(o, &t);
        v->key = days;
    } else if (type == TS_TIME) {
        put_time(o, &t);
        put_tz(o, &t);
        v->key = us - (int64_t)t.tz_min * 60000000;
    } else {
        put_date(o, &t);
        chuanp_buf_putc(o, 'T');
        put_time(o, &t);
        put_tz(o, &t);
        v->key = days * 86400000000LL + us - (int64_t)t.tz_min * 60000000;
    }
    if (o->err)
        return 1;
    v->text = o->data + at;
    v->len = o->len - at;
    return 0;
}

static int cast_year(const char *s, size_t len, chuanp_buf *o, ts_value *v)
{
    size_t i = 0;
    int neg = len && s[0] == '-';
    i = (size_t)neg;
    if (len - i != 4)
        return 1;
    int y = 0;
    for (; i < len; i++) {
        if (!is_digit(s[i]))
            return 1;
        y = y * 10 + (s[i] - '0');
    }
    size_t at = o->len;
    put_num(o, neg ? -y : y, 1);
    v->key = neg ? -y : y;
    v->text = o->data + at;
    v->len = o->len - at;
    return o->err ? 1 : 0;
}

static int cast_yearmonth(const char *s, size_t len, chuanp_buf *o, ts_value *v)
{
    dt t;
    if (dt_parse("%Y-%m", 1, s, len, &t) < 0)
        return 1;
    size_t at = o->len;
    put_num(o, t.year, 4);
    chuanp_buf_putc(o, '-');
    put_num(o, t.mon, 2);
    v->key = (int64_t)t.year * 12 + t.mon - 1;
    v->text = o->data + at;
    v->len = o->len - at;
    return o->err ? 1 : 0;
}

/* ISO 8601 duration: P[nY][nM][nW][nD][T[nH][nM][n[.n]S]] with at least one part. */
static int duration_ok(const char *s, size_t len)
{
    size_t i = 0;
    if (len < 2 || s[i++] != 'P')
        return 0;
    int parts = 0, in_time = 0;
    const char *date_units = "YMWD", *time_units = "HMS";
    size_t du = 0, tu = 0;
    while (i < len) {
        if (s[i] == 'T') {
            if (in_time)
                return 0;
            in_time = 1;
            i++;
            if (i == len)
                return 0;
            continue;
        }
        size_t st = i;
        while (i < len && is_digit(s[i]))
            i++;
        int frac = 0;
        if (i < len && (s[i] == '.' || s[i] == ',') && i > st) {
            i++;
            size_t fs = i;
            while (i < len && is_digit(s[i]))
                i++;
            if (i == fs)
                return 0;
            frac = 1;
        }
        if (i == st || i >= len)
            return 0;
        char u = s[i++];
        const char *units = in_time ? time_units : date_units;
        size_t *pos = in_time ? &tu : &du;
        const char *at = strchr(units + *pos, u);
        if (!at || u == '\0' || (frac && !(in_time && u == 'S')))
            return 0;
        *pos = (size_t)(at - units) + 1;
        parts++;
    }
    return parts > 0;
}

/* Parse a cell as one JSON value (duplicate keys allowed, the last wins, as
 * JSON.parse does); NULL when it is not JSON. The tree lives in a. */
static const chuanp_jv *cell_json(chuanp_arena *a, const char *s, size_t len)
{
    chuanp_json_opts jo = {.allow_duplicates = 1};
    chuanp_jv *j = NULL;
    if (chuanp_json_parse(&j, s, len, &jo, a, NULL) != 0)
        return NULL; /* not JSON, or out of memory (counted: the run exits 2) */
    return j;
}

static int json_kind(const char *s, size_t len, int want_array, size_t *items)
{
    chuanp_arena a;
    chuanp_arena_init(&a, len + 256);
    const chuanp_jv *j = cell_json(&a, s, len);
    int ok = j && j->type == (want_array ? CHUANP_JARRAY : CHUANP_JOBJECT);
    if (ok)
        *items = want_array ? j->u.arr.count : j->u.obj.count;
    chuanp_arena_free(&a);
    return ok;
}

/* A JSON number within [-lim, lim], compared exactly on its text. */
static int geo_json_in(const chuanp_jv *n, const char *lim)
{
    if (!n || n->type != CHUANP_JNUMBER)
        return 0;
    char neg[8];
    snprintf(neg, sizeof neg, "-%s", lim);
    return chuanp_json_numcmp(n->u.str.text, n->u.str.len, neg, strlen(neg)) >= 0 &&
           chuanp_json_numcmp(n->u.str.text, n->u.str.len, lim, strlen(lim)) <= 0;
}

static int geo_number_in(const char *s, size_t len, double lim)
{
    ts_value v = {0};
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int ok = cast_number(NULL, s, len, 1, &b, &v) == 0 && !v.special;
    double d = ok ? strtod(b.data, NULL) : 0;
    chuanp_buf_free(&b);
    return ok && d >= -lim && d <= lim;
}

static int cast_geopoint(const ts_field *f, const char *s, size_t len)
{
    const char *fmt = f && f->format ? f->format : "default";
    if (strcmp(fmt, "array") == 0 || strcmp(fmt, "object") == 0) {
        int arr = strcmp(fmt, "array") == 0;
        chuanp_arena a;
        chuanp_arena_init(&a, len + 256);
        const chuanp_jv *j = cell_json(&a, s, len);
        const chuanp_jv *lon = !j ? NULL : arr ? chuanp_json_at(j, 0) : chuanp_json_get(j, "lon");
        const chuanp_jv *lat = !j ? NULL : arr ? chuanp_json_at(j, 1) : chuanp_json_get(j, "lat");
        int ok = geo_json_in(lon, "180") && geo_json_in(lat, "90") &&
                 (!arr || j->u.arr.count == 2);
        chuanp_arena_free(&a);
        return ok ? 0 : 1;
    }
    const char *c = memchr(s, ',', len);
    if (!c)
        return 1;
    size_t a = (size_t)(c - s), b = a + 1;
    while (b < len && s[b] == ' ')
        b++;
    return geo_number_in(s, a, 180) && geo_number_in(s + b, len - b, 90) ? 0 : 1;
}

static int string_format_ok(const char *fmt, const char *s, size_t len)
{
    if (!fmt || strcmp(fmt, "default") == 0)
        return 1;
    if (strcmp(fmt, "email") == 0) {
        const char *at = memchr(s, '@', len);
        if (!at || at == s || at == s + len - 1 || memchr(at + 1, '@', len - (size_t)(at - s) - 1))
            return 0;
        for (size_t i = 0; i < len; i++)
            if (s[i] == ' ' || s[i] == '\t')
                return 0;
        return memchr(at + 1, '.', len - (size_t)(at - s) - 1) != NULL;
    }
    if (strcmp(fmt, "uri") == 0) {
        size_t i = 0;
        if (!len || !((s[0] | 32) >= 'a' && (s[0] | 32) <= 'z'))
            return 0;
        while (i < len && (((s[i] | 32) >= 'a' && (s[i] | 32) <= 'z') || is_digit(s[i]) ||
                           s[i] == '+' || s[i] == '.' || s[i] == '-'))
            i++;
        return i < len && s[i] == ':' && i + 1 < len;
    }
    if (strcmp(fmt, "uuid") == 0) {
        if (len != 36)
            return 0;
        for (size_t i = 0; i < 36; i++) {
            int dash = i == 8 || i == 13 || i == 18 || i == 23;
            char c = s[i];
            if (dash ? c != '-' : !(is_digit(c) || ((c | 32) >= 'a' && (c | 32) <= 'f')))
                return 0;
        }
        return 1;
    }
    if (strcmp(fmt, "binary") == 0) {
        if (len % 4)
            return 0;
        for (size_t i = 0; i < len; i++) {
            char c = s[i];
            int b64 = ((c | 32) >= 'a' && (c | 32) <= 'z') || is_digit(c) || c == '+' || c == '/';
            if (!b64 && !(c == '=' && i >= len - 2))
                return 0;
        }
        return 1;
    }
    return 1; /* other formats are annotations */
}

static int cast_list(const ts_field *f, const char *s, size_t len, chuanp_buf *o, ts_value *v)
{
    const char *d = f->list_delim ? f->list_delim : ",";
    size_t dl = strlen(d), st = 0, n = 0;
    ts_field item = *f;
    item.format = NULL;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || (len - i >= dl && memcmp(s + i, d, dl) == 0)) {
            ts_value iv;
            size_t mark = o->len;
            if (len && chuanp_ts_cast(&item, f->item_type, s + st, i - st, o, &iv) != 0)
                return 1;
            o->len = mark;
            n += len > 0;
            st = i + dl;
            i += dl ? dl - 1 : 0;
        }
    }
    v->items = n;
    return 0;
}

int chuanp_ts_cast(const ts_field *f, ts_type type, const char *s, size_t len, chuanp_buf *scratch,
                   ts_value *v)
{
    memset(v, 0, sizeof *v);
    v->type = type;
    v->text = s;
    v->len = len;
    switch (type) {
    case TS_STRING:
        return string_format_ok(f ? f->format : NULL, s, len) ? 0 : 1;
    case TS_ANY:
        return 0;
    case TS_NUMBER:
        return cast_number(f, s, len, 1, scratch, v);
    case TS_INTEGER:
        return cast_number(f, s, len, 0, scratch, v);
    case TS_BOOLEAN:
        if (f && chuanp_ts_strlist_has(&f->true_values, s, len)) {
            v->boolean = 1;
            return 0;
        }
        if (f && chuanp_ts_strlist_has(&f->false_values, s, len))
            return 0;
        return 1;
    case TS_DATE:
    case TS_TIME:
    case TS_DATETIME:
        return cast_temporal(f, type, s, len, scratch, v);
    case TS_YEAR:
        return cast_year(s, len, scratch, v);
    case TS_YEARMONTH:
        return cast_yearmonth(s, len, scratch, v);
    case TS_DURATION:
        return duration_ok(s, len) ? 0 : 1;
    case TS_OBJECT:
        return json_kind(s, len, 0, &v->items) ? 0 : 1;
    case TS_ARRAY:
        return json_kind(s, len, 1, &v->items) ? 0 : 1;
    case TS_LIST:
        return f ? cast_list(f, s, len, scratch, v) : 0;
    case TS_GEOPOINT:
        return cast_geopoint(f, s, len);
    }
    return 1;
}

int chuanp_ts_compare(const ts_value *a, const ts_value *b)
{
    switch (a->type) {
    case TS_NUMBER:
    case TS_INTEGER:
    case TS_YEAR:
        if (a->special || b->special) {
            int sa = a->special ? (a->text[0] == '-' ? -2 : (a->text[0] == 'N' ? 3 : 2)) : 0;
            int sb = b->special ? (b->text[0] == '-' ? -2 : (b->text[0] == 'N' ? 3 : 2)) : 0;
            if (sa == 3 || sb == 3)
                return sa == sb ? 0 : 2; /* NaN: unordered, equal only to NaN */
            return sa == sb ? 0 : (sa < sb ? -1 : 1);
        }
        return ts_numcmp(a->text, a->len, b->text, b->len);
    case TS_DATE:
    case TS_TIME:
    case TS_DATETIME:
    case TS_YEARMONTH:
        return a->key == b->key ? 0 : (a->key < b->key ? -1 : 1);
    case TS_BOOLEAN:
        return a->boolean - b->boolean;
    default: {
        size_t n = a->len < b->len ? a->len : b->len;
        int c = memcmp(a->text, b->text, n);
        if (c)
            return c;
        return a->len == b->len ? 0 : (a->len < b->len ? -1 : 1);
    }
    }
}
