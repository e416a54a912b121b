/*
 * converters/sheet_colmap.c - --columns-map FILE: legacy headers -> fields.
 *
 *   {"columns": {"Họ và tên": "NguoiDuocDangKy.HoTen",
 *                "Ngày sinh": {"field": "NguoiDuocDangKy.NgaySinh",
 *                              "from": "dd/MM/yy", "to": "dd/MM/yyyy", "pivot": 30},
 *                "Số ĐK": {"field": "SoDangKy", "text": true},
 *                "Giới tính": {"field": "NguoiDuocDangKy.GioiTinh",
 *                              "values": {"Nam": "1", "Nữ": "2"}},
 *                "Ghi chú": null},
 *    "unmapped": "drop"}
 *
 * Headers match with case, surrounding space and runs of spaces ignored (NFC).
 * A field is a flattened name (converters/flatten.c: "Cha.HoTen" nests).
 * null drops the column; "unmapped": "drop" (default) or "keep" (as its header).
 * Dates: "from" is the pattern of the legacy text, "to" the one written
 * (d dd M MM yy yyyy, other characters literal); a date cell is written with
 * "to" directly. Two-digit years below "pivot" (default 30) are 20yy, others 19yy.
 */
#include "sheet.h"
#include "convert.h"

#include <stdio.h>
#include <string.h>

typedef struct cm_item {
    char *key; /* normalised header */
    chuanp_colmap_entry e;
} cm_item;

struct chuanp_colmap {
    cm_item *items;
    size_t n;
    int keep;
    chuanp_arena arena;
};

/* NFC, lower case, trimmed, runs of white space as one space */
static char *norm(chuanp_arena *a, const char *s, size_t len)
{
    char *n = NULL;
    size_t nl = 0;
    if (chuanp_nfc(s, len, &n, &nl) < 0)
        return NULL;
    const char *t = n ? n : s;
    size_t tl = n ? nl : len;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int space = 0;
    for (size_t i = 0; i < tl;) {
        uint32_t cp;
        int k = chuanp_utf8_decode((const unsigned char *)t + i, tl - i, &cp);
        if (k <= 0) {
            cp = 0xFFFD;
            k = 1;
        }
        i += (size_t)k;
        if (cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0) {
            space = b.len > 0;
            continue;
        }
        if (space)
            chuanp_buf_putc(&b, ' ');
        space = 0;
        chuanp_buf_put_utf8(&b, chuanp_vn_lower(cp));
    }
    chuanp_free(n);
    char *r = b.err ? NULL : chuanp_arena_strndup(a, b.data ? b.data : "", b.len);
    chuanp_buf_free(&b);
    return r;
}

static int colmap_bad(chuan_diags *d, const char *path, const chuanp_jv *v, const char *msg)
{
    chuanp_convert_error(d, "sheet.columns-map", path, v ? (long)v->line : 0,
                         v ? (long)v->column : 0, NULL, "%s", msg);
    return 1;
}

static int str_member(chuanp_colmap *m, const chuanp_jv *o, const char *key, const char **out,
                      int *rc, chuan_diags *d, const char *path)
{
    chuanp_jv *v = chuanp_json_get(o, key);
    if (!v)
        return 0;
    if (v->type != CHUANP_JSTRING) {
        *rc = colmap_bad(d, path, v, "a columns-map member must be a string here");
        return -1;
    }
    *out = chuanp_arena_strndup(&m->arena, v->u.str.text, v->u.str.len);
    if (!*out)
        *rc = -1;
    return 0;
}

int chuanp_colmap_load(chuanp_colmap **out, const char *path, chuan_diags *d)
{
    *out = NULL;
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_input in = {.name = path, .path = path};
    if (chuanp_read_all(&in, 16 << 20, &data, &len, &errmsg) < 0) {
        chuanp_convert_error(d, "sheet.columns-map", path, 0, 0, NULL, "%s",
                             errmsg ? errmsg : "cannot read the columns map");
        chuanp_free(errmsg);
        return 1;
    }
    chuanp_colmap *m = chuanp_calloc(1, sizeof *m);
    if (!m) {
        chuanp_free(data);
        return -1;
    }
    chuanp_arena_init(&m->arena, 16 * 1024);
    chuanp_jv *root = NULL;
    chuanp_json_opts jo = {.file = path, .allow_bom = 1};
    int rc = chuanp_json_parse(&root, data, len, &jo, &m->arena, d);
    if (rc != 0 || !root) {
        rc = rc < 0 ? -1 : 1;
        goto out;
    }
    chuanp_jv *cols = chuanp_json_get(root, "columns");
    if (root->type != CHUANP_JOBJECT || !cols || cols->type != CHUANP_JOBJECT) {
        rc = colmap_bad(d, path, root, "a columns map is an object with \"columns\": {\"legacy header\": "
                                "\"Field\" | {\"field\": ...} | null, ...}");
        goto out;
    }
    chuanp_jv *um = chuanp_json_get(root, "unmapped");
    if (um) {
        if (um->type == CHUANP_JSTRING && strcmp(um->u.str.text, "keep") == 0)
            m->keep = 1;
        else if (!(um->type == CHUANP_JSTRING && strcmp(um->u.str.text, "drop") == 0)) {
            rc = colmap_bad(d, path, um, "\"unmapped\" is \"drop\" or \"keep\"");
            goto out;
        }
    }
    m->items = chuanp_arena_alloc(&m->arena, (cols->u.obj.count + 1) * sizeof *m->items);
    if (!m->items) {
        rc = -1;
        goto out;
    }
    for (size_t i = 0; i < cols->u.obj.count; i++) {
        const chuanp_jmember *mem = &cols->u.obj.members[i];
        cm_item *it = &m->items[m->n];
        memset(it, 0, sizeof *it);
        it->e.pivot = 30;
        it->key = norm(&m->arena, mem->key, mem->key_len);
        if (!it->key) {
            rc = -1;
            goto out;
        }
        const chuanp_jv *v = mem->value;
        if (v->type == CHUANP_JSTRING) {
            it->e.field = chuanp_arena_strndup(&m->arena, v->u.str.text, v->u.str.len);
        } else if (v->type == CHUANP_JOBJECT) {
            if (str_member(m, v, "field", &it->e.field, &rc, d, path) < 0 ||
                str_member(m, v, "from", &it->e.from, &rc, d, path) < 0 ||
                str_member(m, v, "to", &it->e.to, &rc, d, path) < 0)
                goto out;
            chuanp_jv *vals = chuanp_json_get(v, "values");
            if (vals) {
                if (vals->type != CHUANP_JOBJECT) {
                    rc = colmap_bad(d, path, vals, "\"values\" is an object: {\"legacy value\": \"code\"}");
                    goto out;
                }
                const char **pairs = chuanp_arena_alloc(&m->arena,
                                                        (2 * vals->u.obj.count + 1) * sizeof *pairs);
                if (!pairs) {
                    rc = -1;
                    goto out;
                }
                for (size_t k = 0; k < vals->u.obj.count; k++) {
                    const chuanp_jmember *vm = &vals->u.obj.members[k];
                    if (vm->value->type != CHUANP_JSTRING) {
                        rc = colmap_bad(d, path, vm->value, "a code in \"values\" is a string");
                        goto out;
                    }
                    pairs[2 * k] = norm(&m->arena, vm->key, vm->key_len);
                    pairs[2 * k + 1] = chuanp_arena_strndup(&m->arena, vm->value->u.str.text,
                                                            vm->value->u.str.len);
                    if (!pairs[2 * k] || !pairs[2 * k + 1]) {
                        rc = -1;
                        goto out;
                    }
                }
                it->e.values = pairs;
                it->e.nvalues = vals->u.obj.count;
            }
            chuanp_jv *t = chuanp_json_get(v, "text");
            it->e.text = t && t->type == CHUANP_JTRUE;
            chuanp_jv *p = chuanp_json_get(v, "pivot");
            if (p && p->type == CHUANP_JNUMBER) {
                int pv = 0;
                if (sscanf(p->u.str.text, "%d", &pv) != 1 || pv < 0 || pv > 100) {
                    rc = colmap_bad(d, path, p, "\"pivot\" is a two-digit year (0..100)");
                    goto out;
                }
                it->e.pivot = pv;
            }
            if (!it->e.field || (it->e.from && !it->e.to)) {
                rc = colmap_bad(d, path, v, "a column entry needs \"field\" (and \"to\" with \"from\")");
                goto out;
            }
        } else if (v->type != CHUANP_JNULL) {
            rc = colmap_bad(d, path, v, "a column maps to a field name, an object or null (dropped)");
            goto out;
        }
        if (v->type != CHUANP_JNULL && !it->e.field) {
            rc = -1;
            goto out;
        }
        m->n++;
    }
    rc = 0;
out:
    chuanp_free(data);
    if (rc != 0) {
        chuanp_colmap_free(m);
        return rc;
    }
    *out = m;
    return 0;
}

void chuanp_colmap_free(chuanp_colmap *m)
{
    if (!m)
        return;
    chuanp_arena_free(&m->arena);
    chuanp_free(m);
}

const chuanp_colmap_entry *chuanp_colmap_find(const chuanp_colmap *m, const char *header)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 1024);
    char *k = norm(&a, header, strlen(header));
    const chuanp_colmap_entry *r = NULL;
    for (size_t i = 0; k && i < m->n && !r; i++)
        if (strcmp(m->items[i].key, k) == 0)
            r = &m->items[i].e;
    chuanp_arena_free(&a);
    return r;
}

const char *chuanp_colmap_value(const chuanp_colmap_entry *e, const char *text, size_t len)
{
    if (!e || !e->nvalues)
        return NULL;
    chuanp_arena a;
    chuanp_arena_init(&a, 1024);
    char *k = norm(&a, text, len);
    const char *r = NULL;
    for (size_t i = 0; k && i < e->nvalues && !r; i++)
        if (strcmp(e->values[2 * i], k) == 0)
            r = e->values[2 * i + 1];
    chuanp_arena_free(&a);
    return r;
}

int chuanp_colmap_keep_unmapped(const chuanp_colmap *m)
{
    return m->keep;
}

static int days_in(int y, int m)
{
    static const int dm[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dm[m - 1];
}

/* count the run of letter c at p */
static size_t run(const char *p, char c)
{
    size_t n = 0;
    while (p[n] == c)
        n++;
    return n;
}

static int parse_date(const char *pat, const char *s, size_t len, int pivot, int *y, int *m,
                      int *d)
{
    size_t i = 0;
    *y = *m = *d = -1;
    for (const char *p = pat; *p;) {
        char c = *p;
        if (c == 'd' || c == 'M' || c == 'y') {
            size_t n = run(p, c);
            p += n;
            size_t maxd = c == 'y' ? (n >= 4 ? 4 : 2) : 2, mind = c == 'y' ? maxd : 1;
            int v = 0;
            size_t k = 0;
            while (k < maxd && i < len && s[i] >= '0' && s[i] <= '9')
                v = v * 10 + (s[i++] - '0'), k++;
            if (k < mind)
                return 0;
            if (c == 'd')
                *d = v;
            else if (c == 'M')
                *m = v;
            else
                *y = maxd == 2 ? (v < pivot ? 2000 + v : 1900 + v) : v;
            continue;
        }
        if (i >= len || s[i] != c)
            return 0;
        i++;
        p++;
    }
    while (i < len && (s[i] == ' ' || s[i] == '\t'))
        i++;
    return i == len && *y > 0 && *m >= 1 && *m <= 12 && *d >= 1 && *d <= days_in(*y, *m);
}

static void write_date(const char *pat, int y, int m, int d, char *out, size_t cap)
{
    size_t k = 0;
    for (const char *p = pat; *p && k + 8 < cap;) {
        char c = *p;
        if (c == 'd' || c == 'M' || c == 'y') {
            size_t n = run(p, c);
            p += n;
            int v = c == 'd' ? d : c == 'M' ? m : (n == 2 ? y % 100 : y);
            int w = c == 'y' ? (n == 2 ? 2 : 4) : (n >= 2 ? 2 : 1);
            k += (size_t)snprintf(out + k, cap - k, "%0*d", w, v);
            continue;
        }
        out[k++] = c;
        p++;
    }
    out[k] = '\0';
}

int chuanp_colmap_date(const chuanp_colmap_entry *e, const char *text, size_t len, int y, int m,
                       int d, char *out, size_t cap)
{
    if (!e || !e->to)
        return 0;
    if (y <= 0) {
        if (!e->from || !parse_date(e->from, text, len, e->pivot, &y, &m, &d))
            return 0;
    }
    write_date(e->to, y, m, d, out, cap);
    return 1;
}
