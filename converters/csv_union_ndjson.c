/* converters/csv_union_ndjson.c - the first pass of NDJSON -> CSV without
 * building the records: each line is walked once and its flattened key
 * paths (converters/flatten.c: the same names, in the same order) go to the
 * column set. A line the walk does not take as it is (a key with an
 * escape, a duplicate key, an object of more than 64 keys or nested
 * deeper than 32, not valid JSON as far as the walk looks) is parsed and flattened instead, so it gives exactly what the
 * second pass gives; a line that does not parse adds no column. The walk
 * checks keys (UTF-8, duplicates), structure, literals and numbers; a line
 * with a control character or invalid UTF-8 anywhere goes to the parser. */
#include "csv.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#define BLOCK ((size_t)1 << 20)
#define MAX_KEYS 64       /* an object with more keys: the parser */
#define MAX_WALK_DEPTH 32 /* objects nested deeper: the parser */

typedef struct walk {
    const char *p, *e;
    chuanp_buf path;
    const char *sep;
    size_t seplen;
    chuanp_colset *set;
    size_t max_depth;
    int oom;
} walk;

static int is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static void skip_ws(walk *w)
{
    while (w->p < w->e && is_ws(*w->p))
        w->p++;
}

/* The first '"' or '\\' in [p, e), or NULL: eight bytes at a time (keys and
 * cells are short: one pass instead of two memchr calls). */
static const char *quote_or_backslash(const char *p, const char *e)
{
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (e - p >= 8) {
        uint64_t v, x, y;
        memcpy(&v, p, 8);
        x = v ^ (ones * '"');
        y = v ^ (ones * '\\');
        uint64_t hit = (((x - ones) & ~x) | ((y - ones) & ~y)) & highs;
        if (hit) {
            /* the lowest flagged byte is exact (borrows only run upwards) */
            for (;; p++)
                if (*p == '"' || *p == '\\')
                    return p;
        }
        p += 8;
    }
    for (; p < e; p++)
        if (*p == '"' || *p == '\\')
            return p;
    return NULL;
}

/* A string at w->p ('"'): *t, *n its raw bytes; *esc when it has a backslash. 0, or -1 bad. */
static int string(walk *w, const char **t, size_t *n, int *esc)
{
    const char *s = ++w->p;
    *esc = 0;
    for (;;) {
        const char *b = quote_or_backslash(w->p, w->e);
        if (!b)
            return -1;
        if (*b == '"') {
            *t = s;
            *n = (size_t)(b - s);
            w->p = b + 1;
            return 0;
        }
        *esc = 1;
        if (b + 1 >= w->e || !strchr("\"\\/bfnrtu", b[1]) || b[1] == '\0')
            return -1; /* not an escape JSON knows: the parser reports it */
        w->p = b + 2;
        if (b[1] == 'u') {
            if (w->e - w->p < 4)
                return -1;
            for (int i = 0; i < 4; i++, w->p++)
                if (!((*w->p >= '0' && *w->p <= '9') || (*w->p >= 'a' && *w->p <= 'f') ||
                      (*w->p >= 'A' && *w->p <= 'F')))
                    return -1;
        }
    }
}

static int leaf(walk *w)
{
    if (w->path.err)
        return (w->oom = 1), -1;
    if (chuanp_colset_find(w->set, w->path.data, w->path.len) >= 0)
        return 0;
    return chuanp_colset_add(w->set, w->path.data, w->path.len) < 0 ? (w->oom = 1), -1 : 0;
}

/* One value at depth (the record is depth 0). 0, or -1: not walked (bad or unusual). */
static int value(walk *w, size_t depth)
{
    if (depth > w->max_depth)
        return -1;
    skip_ws(w);
    if (w->p >= w->e)
        return -1;
    size_t mark = w->path.len;
    char c = *w->p;
    if (c == '{') {
        w->p++;
        skip_ws(w);
        if (w->p < w->e && *w->p == '}') {
            w->p++;
            return depth ? leaf(w) : 0;
        }
        /* the keys so far, for duplicates (the reader refuses the record) */
        struct { const char *k; size_t n; } seen[MAX_KEYS];
        size_t nseen = 0;
        if (depth >= MAX_WALK_DEPTH)
            return -1;
        for (;;) {
            skip_ws(w);
            if (w->p >= w->e || *w->p != '"')
                return -1;
            const char *k;
            size_t kn;
            int esc;
            if (string(w, &k, &kn, &esc) < 0 || esc)
                return -1; /* a key with an escape: the parser decodes it */
            for (size_t i = 0; i < kn; i++)
                if ((unsigned char)k[i] >= 0x80) {
                    if (chuanp_utf8_invalid_at(k, kn) >= 0)
                        return -1;
                    break;
                } else if ((unsigned char)k[i] < 0x20) {
                    return -1;
                }
            if (nseen == MAX_KEYS)
                return -1;
            for (size_t i = 0; i < nseen; i++)
                if (seen[i].n == kn && memcmp(seen[i].k, k, kn) == 0)
                    return -1;
            seen[nseen].k = k;
            seen[nseen++].n = kn;
            skip_ws(w);
            if (w->p >= w->e || *w->p != ':')
                return -1;
            w->p++;
            w->path.len = mark;
            if (depth > 0) {
                chuanp_buf_append(&w->path, w->sep, w->seplen);
                if (chuanp_flat_canonical_index(k, kn))
                    chuanp_buf_append(&w->path, "~2", 2);
            }
            chuanp_flat_escape(&w->path, k, kn, w->sep);
            if (value(w, depth + 1) < 0)
                return -1;
            w->path.len = mark;
            skip_ws(w);
            if (w->p < w->e && *w->p == ',') {
                w->p++;
                continue;
            }
            if (w->p < w->e && *w->p == '}') {
                w->p++;
                return 0;
            }
            return -1;
        }
    }
    if (c == '[') {
        w->p++;
        skip_ws(w);
        if (w->p < w->e && *w->p == ']') {
            w->p++;
            return depth ? leaf(w) : 0;
        }
        for (size_t i = 0;; i++) {
            w->path.len = mark;
            if (depth > 0)
                chuanp_flat_put_index(&w->path, w->sep, w->seplen, i);
            if (depth == 0) {
                /* a record that is an array has no columns: just check it */
                if (value(w, depth + 1) < 0)
                    return -1;
                w->path.len = mark;
                /* values below were added as columns: not for a top-level array */
                return -1;
            }
            if (value(w, depth + 1) < 0)
                return -1;
            w->path.len = mark;
            skip_ws(w);
            if (w->p < w->e && *w->p == ',') {
                w->p++;
                continue;
            }
            if (w->p < w->e && *w->p == ']') {
                w->p++;
                return 0;
            }
            return -1;
        }
    }
    if (depth == 0)
        return -1; /* a scalar record: the parser decides (no columns either way) */
    if (c == '"') {
        const char *t;
        size_t n;
        int esc;
        if (string(w, &t, &n, &esc) < 0)
            return -1;
    } else if (c == 't' || c == 'f' || c == 'n') {
        const char *lit = c == 't' ? "true" : c == 'f' ? "false" : "null";
        size_t n = strlen(lit);
        if ((size_t)(w->e - w->p) < n || memcmp(w->p, lit, n) != 0)
            return -1;
        w->p += n;
    } else {
        const char *s = w->p;
        while (w->p < w->e && ((*w->p >= '0' && *w->p <= '9') || *w->p == '-' || *w->p == '+' ||
                               *w->p == '.' || *w->p == 'e' || *w->p == 'E'))
            w->p++;
        if (!chuanp_json_num_valid(s, (size_t)(w->p - s)))
            return -1;
    }
    return leaf(w);
}

static int slow_key(void *ctx, const char *name, size_t len, const chuanp_jv *v)
{
    chuanp_colset *set = ctx;
    (void)v;
    if (chuanp_colset_find(set, name, len) >= 0 || chuanp_wtf8_surrogate(name, len))
        return 0;
    return chuanp_colset_add(set, name, len) < 0 ? -1 : 0;
}

/* 1 when the line holds no control character (a final CR aside) and is
 * valid UTF-8: what the walk does not check inside string values. */
static int line_plain(const char *s, size_t n)
{
    const unsigned char *p = (const unsigned char *)s;
    if (n && p[n - 1] == '\r')
        n--;
    size_t i = 0;
    while (i < n) {
        while (i + 8 <= n) { /* 8 bytes at a time: none >= 0x80, none < 0x20 */
            uint64_t w;
            memcpy(&w, p + i, 8);
            if ((w & 0x8080808080808080ULL) ||
                ((w - 0x2020202020202020ULL) & ~w & 0x8080808080808080ULL))
                break;
            i += 8;
        }
        if (i >= n)
            break;
        if (p[i] < 0x20)
            return 0;
        if (p[i] < 0x80) {
            i++;
            continue;
        }
        uint32_t cp;
        int k = chuanp_utf8_decode(p + i, n - i, &cp);
        if (k <= 0)
            return 0;
        i += (size_t)k;
    }
    return 1;
}

/* One line (without its LF). 0, or -1 out of memory. */
static int line(walk *w, const char *s, size_t n, const chuanp_convert_opts *o, chuanp_arena *a)
{
    size_t count = w->set->count;
    w->p = s;
    w->e = s + n;
    chuanp_buf_reset(&w->path);
    if (value(w, 0) == 0) {
        skip_ws(w);
        if (w->p == w->e && line_plain(s, n))
            return 0;
    }
    if (w->oom)
        return -1;
    /* the parser decides: undo what the walk added, then flatten the parsed record */
    if (chuanp_colset_truncate(w->set, count) < 0)
        return -1;
    chuanp_jv *v = NULL;
    chuanp_json_opts jo = {.max_depth = o->max_depth, .allow_duplicates = o->json_allow_duplicates};
    chuanp_arena_reset(a);
    int rc = chuanp_json_parse(&v, s, n, &jo, a, NULL);
    if (rc < 0)
        return -1;
    if (rc > 0 || !v || v->type != CHUANP_JOBJECT)
        return 0; /* the second pass reports it */
    return chuanp_flatten(v, o->csv.sep, 0, slow_key, w->set) < 0 ? -1 : 0;
}

int chuanp_csv_columns_scan_ndjson(FILE *in, const chuanp_convert_opts *o, chuanp_colset *set)
{
    walk w = {.set = set, .sep = o->csv.sep && *o->csv.sep ? o->csv.sep : "."};
    w.seplen = strlen(w.sep);
    w.max_depth = o->max_depth ? o->max_depth : CHUANP_JSON_DEFAULT_DEPTH;
    if (w.max_depth > CHUANP_JSON_MAX_DEPTH)
        w.max_depth = CHUANP_JSON_MAX_DEPTH;
    chuanp_buf_init(&w.path, 0);
    chuanp_arena a;
    chuanp_arena_init(&a, 64 * 1024);
    size_t cap = BLOCK * 2, len = 0, start = 0;
    char *buf = chuanp_malloc(cap);
    int rc = buf ? 0 : -1, first = 1, eof = 0, skipping = 0;
    while (rc == 0 && !eof) {
        if (start > 0) {
            memmove(buf, buf + start, len - start);
            len -= start;
            start = 0;
        }
        if (cap - len < BLOCK) {
            char *nb = chuanp_realloc(buf, cap * 2);
            if (!nb) {
                rc = -1;
                break;
            }
            buf = nb;
            cap *= 2;
        }
        size_t k = fread(buf + len, 1, cap - len, in);
        if (k == 0) {
            if (ferror(in))
                rc = -1;
            eof = 1;
        }
        size_t scan_from = len;
        len += k;
        if (first && len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
            start = 3;
        first = first && len < 3;
        for (;;) {
            const char *nl = memchr(buf + (scan_from > start ? scan_from : start), '\n',
                                    len - (scan_from > start ? scan_from : start));
            if (!nl && !eof) {
                if (len - start > CHUANP_NDJSON_MAX_LINE) {
                    skipping = 1; /* too long: the reader skips it, so do we */
                    start = len;
                }
                break;
            }
            size_t end = nl ? (size_t)(nl - buf) : len;
            if (!skipping && end - start <= CHUANP_NDJSON_MAX_LINE && end > start &&
                line(&w, buf + start, end - start, o, &a) < 0) {
                rc = -1;
                break;
            }
            skipping = 0;
            start = nl ? end + 1 : len;
            scan_from = start;
            if (!nl)
                break;
        }
    }
    chuanp_free(buf);
    chuanp_buf_free(&w.path);
    chuanp_arena_free(&a);
    return rc;
}
