/* validator/vocab_date.c - Vietnamese date/time formats of the rule vocabulary ("dateFormat"). */
#include "vocab.h"

#include <string.h>
#include <time.h>

static const char *const fmt_names[CHUANP_DATEFMT_COUNT] = {
    [CHUANP_DATEFMT_DMY] = "dd/MM/yyyy",
    [CHUANP_DATEFMT_ISO] = "yyyy-MM-dd",
    [CHUANP_DATEFMT_COMPACT] = "yyyyMMddHHmmss",
    [CHUANP_DATEFMT_YMD_SLASH] = "yyyy/MM/dd",
    [CHUANP_DATEFMT_YMD_SLASH_TIME] = "yyyy/MM/dd HH:mm:ss",
    [CHUANP_DATEFMT_DMY_TIME] = "dd/MM/yyyy HH:mm:ss",
    [CHUANP_DATEFMT_ND30_LINE] = "nd30-date-line",
};

void chuanp_vocab_msg_init(chuanp_vocab_msg *m)
{
    chuanp_buf_init(&m->en, 4096);
    chuanp_buf_init(&m->vi, 4096);
}

void chuanp_vocab_msg_free(chuanp_vocab_msg *m)
{
    if (!m)
        return;
    chuanp_buf_free(&m->en);
    chuanp_buf_free(&m->vi);
}


/* Name of a format as written in schemas ("dd/MM/yyyy", "nd30-date-line"). */
static const char *datefmt_name(chuanp_datefmt f)
{
    return (f >= 0 && f < CHUANP_DATEFMT_COUNT) ? fmt_names[f] : "?";
}

chuanp_datefmt chuanp_datefmt_parse(const char *name)
{
    for (int i = 0; i < CHUANP_DATEFMT_COUNT; i++)
        if (strcmp(name, fmt_names[i]) == 0)
            return (chuanp_datefmt)i;
    return CHUANP_DATEFMT_INVALID;
}

static int date_valid(int y, int m, int d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1)
        return 0;
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int max = mdays[m - 1] + (m == 2 && leap);
    return d <= max;
}

/* n fixed digits at s; -1 when any is not a digit. */
static int digits(const char *s, int n)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return v;
}

/* A picture such as "dd/MM/yyyy HH:mm:ss": fields fixed width, other
 * characters literal. */
static int parse_picture(const char *s, size_t len, const char *pic, chuanp_date *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    const char *p = pic;
    while (*p) {
        int width = 0, *dst = NULL;
        /* one test of the first letter (this runs for every date value checked) */
        switch (*p) {
        case 'y':
            if (p[1] == 'y' && p[2] == 'y' && p[3] == 'y')
                width = 4, dst = &out->year;
            break;
        case 'M':
            if (p[1] == 'M')
                width = 2, dst = &out->month;
            break;
        case 'd':
            if (p[1] == 'd')
                width = 2, dst = &out->day;
            break;
        case 'H':
            if (p[1] == 'H')
                width = 2, dst = &out->hour, out->has_time = 1;
            break;
        case 'm':
            if (p[1] == 'm')
                width = 2, dst = &out->minute;
            break;
        case 's':
            if (p[1] == 's')
                width = 2, dst = &out->second;
            break;
        default: break;
        }
        if (dst) {
            if (i + (size_t)width > len)
                return -1;
            int v = digits(s + i, width);
            if (v < 0)
                return -1;
            *dst = v;
            i += (size_t)width;
            p += width;
            continue;
        }
        if (i >= len || s[i] != *p)
            return -1;
        i++;
        p++;
    }
    if (i != len)
        return -1;
    if (!date_valid(out->year, out->month, out->day))
        return -1;
    if (out->hour > 23 || out->minute > 59 || out->second > 59)
        return -1;
    return 0;
}

/* "[Place, ]ngày dd tháng m năm yyyy": days below 10 and months 1 and 2
 * take a leading zero, months 3-9 do not (Nghị định 30/2020, Phụ lục I). */
static int parse_nd30(const char *s, size_t len, chuanp_date *out)
{
    static const char ngay[] = "ngày ", thang[] = " tháng ", nam[] = " năm ";
    memset(out, 0, sizeof *out);
    /* Find "ngày " at the start, or after "Place, ". */
    size_t i = 0;
    const char *hit = NULL;
    for (size_t k = 0; k + sizeof ngay - 1 <= len; k++) {
        if (memcmp(s + k, ngay, sizeof ngay - 1) == 0) {
            hit = s + k;
            break;
        }
    }
    if (!hit)
        return -1;
    i = (size_t)(hit - s);
    if (i > 0) {
        /* a place name then ", " */
        if (i < 3 || s[i - 1] != ' ' || s[i - 2] != ',')
            return -1;
        for (size_t k = 0; k < i - 2; k++)
            if (s[k] == ',' || s[k] == '\n')
                return -1;
        if (s[0] == ' ')
            return -1;
    }
    i += sizeof ngay - 1;
    if (i + 2 > len || (out->day = digits(s + i, 2)) < 0)
        return -1;
    i += 2;
    if (i + sizeof thang - 1 > len || memcmp(s + i, thang, sizeof thang - 1) != 0)
        return -1;
    i += sizeof thang - 1;
    /* month: 01, 02, 3..9, 10, 11, 12 */
    if (i + 2 <= len && digits(s + i, 2) >= 0) {
        out->month = digits(s + i, 2);
        if (!(out->month == 1 || out->month == 2 || out->month >= 10))
            return -1;
        i += 2;
    } else if (i < len && s[i] >= '3' && s[i] <= '9') {
        out->month = s[i] - '0';
        i++;
    } else {
        return -1;
    }
    if (i + sizeof nam - 1 > len || memcmp(s + i, nam, sizeof nam - 1) != 0)
        return -1;
    i += sizeof nam - 1;
    if (i + 4 != len || (out->year = digits(s + i, 4)) < 0)
        return -1;
    return date_valid(out->year, out->month, out->day) ? 0 : -1;
}

int chuanp_date_parse(const char *s, size_t len, chuanp_datefmt f, chuanp_date *out)
{
    if (f == CHUANP_DATEFMT_ND30_LINE)
        return parse_nd30(s, len, out);
    if (f < 0 || f >= CHUANP_DATEFMT_COUNT)
        return -1;
    return parse_picture(s, len, fmt_names[f], out);
}

int chuanp_date_parse_any(const char *s, size_t len, chuanp_date *out)
{
    for (int f = 0; f < CHUANP_DATEFMT_COUNT; f++)
        if (chuanp_date_parse(s, len, (chuanp_datefmt)f, out) == 0)
            return 0;
    return -1;
}

long chuanp_date_key(const chuanp_date *d)
{
    return (long)d->year * 10000 + d->month * 100 + d->day;
}

int chuanp_date_cmp(const chuanp_date *a, const chuanp_date *b)
{
    long ka = chuanp_date_key(a), kb = chuanp_date_key(b);
    if (ka != kb)
        return ka < kb ? -1 : 1;
    if (!a->has_time || !b->has_time)
        return 0;
    long ta = a->hour * 3600L + a->minute * 60L + a->second;
    long tb = b->hour * 3600L + b->minute * 60L + b->second;
    return (ta > tb) - (ta < tb);
}

long chuanp_date_today(void)
{
    time_t now = time(NULL) + 7 * 3600; /* Asia/Ho_Chi_Minh */
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return 0;
    return (long)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

long chuanp_date_iso_key(const char *s, size_t len)
{
    chuanp_date d;
    if (parse_picture(s, len, "yyyy-MM-dd", &d) < 0)
        return -1;
    return chuanp_date_key(&d);
}

int chuanp_vocab_check_date(const char *s, size_t len, const chuanp_datefmt *fmts, size_t nfmt,
                            chuanp_vocab_msg *msg)
{
    chuanp_date d;
    for (size_t i = 0; i < nfmt; i++)
        if (chuanp_date_parse(s, len, fmts[i], &d) == 0)
            return 0;
    chuanp_buf_printf(&msg->en, "'%.*s' is not a valid date in the form ", (int)(len > 200 ? 200 : len), s);
    chuanp_buf_printf(&msg->vi, "'%.*s' không phải là ngày hợp lệ theo định dạng ", (int)(len > 200 ? 200 : len), s);
    for (size_t i = 0; i < nfmt; i++) {
        const char *sep_en = i == 0 ? "" : (i + 1 == nfmt ? " or " : ", ");
        const char *sep_vi = i == 0 ? "" : (i + 1 == nfmt ? " hoặc " : ", ");
        const char *name = fmts[i] == CHUANP_DATEFMT_ND30_LINE
                               ? "'ngày dd tháng m năm yyyy' (Nghị định 30/2020)"
                               : datefmt_name(fmts[i]);
        chuanp_buf_printf(&msg->en, "%s%s", sep_en, name);
        chuanp_buf_printf(&msg->vi, "%s%s", sep_vi, name);
    }
    return 1;
}
