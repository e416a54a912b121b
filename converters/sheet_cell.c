/*
 * converters/sheet_cell.c - what a spreadsheet number means: Excel serial
 * dates (1900 and 1904 bases, the 1900 leap-year bug), number formats that
 * show dates or pad codes with zeros, numbers as JSON text.
 */
#include "sheet.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const builtin_fmt[50] = {
    [1] = "0", [2] = "0.00", [3] = "#,##0", [4] = "#,##0.00", [9] = "0%", [10] = "0.00%",
    [11] = "0.00E+00", [12] = "# ?/?", [13] = "# ?\?/?\?", [14] = "mm-dd-yy", [15] = "d-mmm-yy",
    [16] = "d-mmm", [17] = "mmm-yy", [18] = "h:mm AM/PM", [19] = "h:mm:ss AM/PM", [20] = "h:mm",
    [21] = "h:mm:ss", [22] = "m/d/yy h:mm", [37] = "#,##0 ;(#,##0)", [38] = "#,##0 ;[Red](#,##0)",
    [39] = "#,##0.00;(#,##0.00)", [40] = "#,##0.00;[Red](#,##0.00)", [45] = "mm:ss",
    [46] = "[h]:mm:ss", [47] = "mmss.0", [48] = "##0.0E+0", [49] = "@"};

const char *chuanp_numfmt_builtin(int id)
{
    return id > 0 && id < 50 ? builtin_fmt[id] : NULL;
}

int chuanp_numfmt_is_date(int id, const char *code, int *time, int *only_time)
{
    *time = *only_time = 0;
    if (!code)
        code = chuanp_numfmt_builtin(id);
    if ((id >= 27 && id <= 36) || (id >= 50 && id <= 58)) { /* East Asian date formats */
        if (!code)
            return 1;
    }
    if (!code)
        return 0;
    int date = 0, tm = 0;
    for (const char *p = code; *p && *p != ';'; p++) {
        char c = *p;
        if (c == '"') {
            p++;
            while (*p && *p != '"')
                p++;
            if (!*p)
                break;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            if (p[1])
                p++;
            continue;
        }
        if (c == '[') { /* [Red], [$-42A]; [h] [mm] [ss] are elapsed times */
            const char *e = strchr(p, ']');
            if (!e)
                break;
            if (p[1] == 'h' || p[1] == 'H' || p[1] == 'm' || p[1] == 'M' || p[1] == 's' ||
                p[1] == 'S')
                tm = 1;
            p = e;
            continue;
        }
        if ((c == 'A' || c == 'a') && (strncmp(p + 1, "M/PM", 4) == 0 || strncmp(p + 1, "m/pm", 4) == 0)) {
            p += 4;
            tm = 1;
            continue;
        }
        if (c == 'd' || c == 'D' || c == 'y' || c == 'Y')
            date = 1;
        else if (c == 'h' || c == 'H' || c == 's' || c == 'S')
            tm = 1;
        else if (c == 'm' || c == 'M')
            date = date ? date : 2; /* month, or minutes next to h/s */
    }
    if (date == 2 && tm)
        date = 0;
    *time = tm;
    *only_time = tm && !date;
    return date || tm;
}

/* days since 1970-01-01 -> civil date (H. Hinnant's algorithm) */
static void civil(long long z, int *y, int *m, int *d)
{
    z += 719468;
    long long era = (z >= 0 ? z : z - 146096) / 146097;
    long long doe = z - era * 146097;
    long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long long yy = yoe + era * 400;
    long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yy + (*m <= 2));
}

int chuanp_excel_date(double serial, int date1904, int *y, int *m, int *d, int *hh, int *mi,
                      int *ss)
{
    if (!isfinite(serial) || serial < 0 || serial >= 2958466.0) /* Excel's range: to 9999-12-31 */
        return -1;
    long long days = (long long)floor(serial);
    long long secs = llround((serial - (double)days) * 86400.0);
    if (secs >= 86400) {
        days++;
        secs -= 86400;
    }
    *hh = (int)(secs / 3600);
    *mi = (int)(secs / 60 % 60);
    *ss = (int)(secs % 60);
    long long base; /* days from 1970-01-01 of serial 0 */
    if (date1904) {
        base = -24107; /* 1904-01-01 */
    } else {
        if (days == 60)
            return -1; /* 1900-02-29: Lotus 1-2-3's leap-year bug, a day that never was */
        if (days == 0) { /* "1900-01-00": a time of day without a date */
            *y = 1899, *m = 12, *d = 31;
            return 0;
        }
        base = days < 60 ? -25568 : -25569; /* 1899-12-31 before the bug, 1899-12-30 after */
    }
    civil(base + days, y, m, d);
    return 0;
}

int chuanp_excel_date_text(double serial, int date1904, int with_time, int only_time, char *out,
                           size_t cap)
{
    int y, m, d, hh, mi, ss;
    if (chuanp_excel_date(serial, date1904, &y, &m, &d, &hh, &mi, &ss) < 0)
        return -1;
    if (only_time && serial < 1)
        snprintf(out, cap, "%02d:%02d:%02d", hh, mi, ss);
    else if (with_time || hh || mi || ss)
        snprintf(out, cap, "%04d-%02d-%02dT%02d:%02d:%02d", y, m, d, hh, mi, ss);
    else
        snprintf(out, cap, "%04d-%02d-%02d", y, m, d);
    return 0;
}

void chuanp_number_text(double v, char *out, size_t cap)
{
    if (!isfinite(v)) {
        snprintf(out, cap, "0");
        return;
    }
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(out, cap, "%.0f", v);
        if (strcmp(out, "-0") == 0)
            snprintf(out, cap, "0");
        return;
    }
    for (int p = 1; p <= 17; p++) {
        snprintf(out, cap, "%.*g", p, v);
        if (strtod(out, NULL) == v)
            break;
    }
}

int chuanp_numfmt_zero_pad(const char *code, double v, char *out, size_t cap)
{
    if (!code || !*code || v < 0 || v != floor(v) || v >= 1e18)
        return 0;
    size_t zeros = 0;
    for (const char *p = code; *p; p++) {
        if (*p != '0')
            return 0;
        zeros++;
    }
    if (zeros < 2 || zeros > 30)
        return 0;
    snprintf(out, cap, "%0*lld", (int)zeros, (long long)v);
    return 1;
}

void chuanp_col_name(long col, char *out, size_t cap)
{
    char tmp[16];
    size_t n = 0;
    long c = col + 1;
    while (c > 0 && n < sizeof tmp) {
        c--;
        tmp[n++] = (char)('A' + c % 26);
        c /= 26;
    }
    size_t k = 0;
    while (n && k + 1 < cap)
        out[k++] = tmp[--n];
    out[k] = '\0';
}
