/* converters/csv_union.c - the columns of a CSV output before its first row:
 * the union of every record's flattened keys from a first pass over the
 * input (first-seen order), or a list the user gives (--columns, a Table
 * Schema's fields). Also the set of column names the writer looks keys up in. */
#define _GNU_SOURCE
#include "convert.h"
#include "csv.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ name set */
long chuanp_colset_find(const chuanp_colset *m, const char *s, size_t len)
{
    if (!m->nslots)
        return -1;
    size_t i = chuanp_key_hash(s, len) & (m->nslots - 1);
    while (m->slots[i]) {
        size_t k = m->slots[i] - 1;
        if (m->lens[k] == len && chuanp_key_eq(m->names[k], s, len))
            return (long)k;
        i = (i + 1) & (m->nslots - 1);
    }
    return -1;
}

static int rehash(chuanp_colset *m, size_t nslots)
{
    size_t *slots = chuanp_calloc(nslots, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t k = 0; k < m->count; k++) {
        size_t i = chuanp_key_hash(m->names[k], m->lens[k]) & (nslots - 1);
        while (slots[i])
            i = (i + 1) & (nslots - 1);
        slots[i] = k + 1;
    }
    chuanp_free(m->slots);
    m->slots = slots;
    m->nslots = nslots;
    return 0;
}

long chuanp_colset_add(chuanp_colset *m, const char *s, size_t len)
{
    if (m->count == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 32;
        char **nn = chuanp_realloc(m->names, ncap * sizeof *nn);
        if (!nn)
            return -1;
        m->names = nn;
        size_t *nl = chuanp_realloc(m->lens, ncap * sizeof *nl);
        if (!nl)
            return -1;
        m->lens = nl;
        m->cap = ncap;
    }
    if ((m->count + 1) * 2 > m->nslots && rehash(m, m->nslots ? m->nslots * 2 : 64) < 0)
        return -1;
    char *copy = chuanp_strndup(s, len);
    if (!copy)
        return -1;
    size_t k = m->count++;
    m->names[k] = copy;
    m->lens[k] = len;
    size_t i = chuanp_key_hash(s, len) & (m->nslots - 1);
    while (m->slots[i])
        i = (i + 1) & (m->nslots - 1);
    m->slots[i] = k + 1;
    return (long)k;
}

int chuanp_colset_truncate(chuanp_colset *m, size_t count)
{
    if (count >= m->count)
        return 0;
    for (size_t k = count; k < m->count; k++)
        chuanp_free(m->names[k]);
    m->count = count;
    return rehash(m, m->nslots);
}

void chuanp_colset_free(chuanp_colset *m)
{
    for (size_t k = 0; k < m->count; k++)
        chuanp_free(m->names[k]);
    chuanp_free(m->names);
    chuanp_free(m->lens);
    chuanp_free(m->slots);
    memset(m, 0, sizeof *m);
}

int chuanp_wtf8_surrogate(const char *s, size_t len)
{
    /* U+D800..U+DFFF as the JSON reader stores a lone one: ED A0..BF xx */
    for (const char *p = s, *e = s + len; (p = memchr(p, 0xED, (size_t)(e - p))) && p + 1 < e; p++)
        if ((unsigned char)p[1] >= 0xA0)
            return 1;
    return 0;
}

/* ------------------------------------------------------------- columns */
int chuanp_csv_columns_add(chuanp_csv_columns *c, const char *name, size_t len)
{
    if ((c->count & (c->count - 1)) == 0 || c->count == 0) { /* grow at powers of two */
        size_t ncap = c->count ? c->count * 2 : 16;
        char **nn = chuanp_realloc(c->names, ncap * sizeof *nn);
        if (!nn)
            return -1;
        c->names = nn;
    }
    char *copy = chuanp_strndup(name, len);
    if (!copy)
        return -1;
    c->names[c->count++] = copy;
    return 0;
}

void chuanp_csv_columns_free(chuanp_csv_columns *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++)
        chuanp_free(c->names[i]);
    chuanp_free(c->names);
    memset(c, 0, sizeof *c);
}

int chuanp_csv_columns_parse(chuanp_csv_columns *c, const char *list)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    int rc = 0;
    for (const char *p = list;; p++) {
        if (*p == '\\' && (p[1] == ',' || p[1] == '\\')) {
            chuanp_buf_putc(&b, *++p);
            continue;
        }
        if (*p == '\\') {
            rc = 1;
            break;
        }
        if (*p && *p != ',') {
            chuanp_buf_putc(&b, *p);
            continue;
        }
        if (b.len == 0) {
            rc = 1;
            break;
        }
        if (b.err || chuanp_csv_columns_add(c, b.data, b.len) < 0) {
            rc = -1;
            break;
        }
        chuanp_buf_reset(&b);
        if (!*p)
            break;
    }
    chuanp_buf_free(&b);
    c->given = 1;
    return rc;
}

int chuanp_csv_columns_wanted(const chuanp_convert_opts *o)
{
    if (o->to != CHUANP_FMT_CSV || o->csv.columns)
        return 0;
    return o->from == CHUANP_FMT_NDJSON || o->from == CHUANP_FMT_CSV ||
           (o->from == CHUANP_FMT_XML && o->record_path);
}

static int scan_key(void *ctx, const char *name, size_t len, const chuanp_jv *leaf)
{
    chuanp_colset *set = ctx;
    (void)leaf;
    if (chuanp_colset_find(set, name, len) >= 0 || chuanp_wtf8_surrogate(name, len))
        return 0; /* a name UTF-8 cannot hold: the writer reports its records */
    return chuanp_colset_add(set, name, len) < 0 ? -1 : 0;
}

static int scan_value(chuanp_colset *set, const chuanp_jv *v, const chuanp_convert_opts *o)
{
    if (v->type == CHUANP_JOBJECT)
        return chuanp_flatten(v, o->csv.sep, o->csv.no_flatten, scan_key, set);
    if (v->type == CHUANP_JARRAY)
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (v->u.arr.items[i]->type == CHUANP_JOBJECT &&
                chuanp_flatten(v->u.arr.items[i], o->csv.sep, o->csv.no_flatten, scan_key, set) < 0)
                return -1;
    return 0;
}

/* ------------------------------------------------------ schema order */
/* With schema hints (--schema JSON Schema or XSD, -s ID) the union is put
 * in the schema's order: at every level the keys the schema names come
 * first, in its order, then the others in order of first appearance;
 * array items by position. Nothing is added or removed. */
typedef struct ranked {
    uint64_t *rank; /* per path segment */
    size_t n;
    size_t idx;     /* first-seen position */
} ranked;

static int cmp_ranked(const void *x, const void *y)
{
    const ranked *a = x, *b = y;
    for (size_t i = 0; i < a->n && i < b->n; i++)
        if (a->rank[i] != b->rank[i])
            return a->rank[i] < b->rank[i] ? -1 : 1;
    if (a->n != b->n)
        return a->n < b->n ? -1 : 1; /* PATH (its .~3 column) before PATH.x */
    return a->idx < b->idx ? -1 : a->idx > b->idx;
}

#define MAX_CHILDREN 1024
#define UNKNOWN_KEY ((uint64_t)1 << 40)

static int order_by_schema(chuanp_colset *set, const chuanp_convert_opts *o)
{
    const chuanp_schema_hints *h = o->hints;
    if (!h || !h->child_order || set->count < 2 || o->csv.no_flatten)
        return 0;
    const char *sep = o->csv.sep && *o->csv.sep ? o->csv.sep : ".";
    size_t seplen = strlen(sep);
    int rc = -1;
    chuanp_colset prefixes = {0};
    size_t *first = NULL, nfirst = 0;
    ranked *r = chuanp_calloc(set->count, sizeof *r);
    const char **kids = chuanp_malloc(MAX_CHILDREN * sizeof *kids);
    const char **path = NULL; /* unescaped key segments of the current column */
    chuanp_arena a;
    chuanp_arena_init(&a, 16 * 1024);
    if (!r || !kids)
        goto out;
    for (size_t j = 0; j < set->count; j++) {
        const char *name = set->names[j], *end = name + set->lens[j];
        size_t nseg = 1;
        for (const char *q = name; (q = memmem(q, (size_t)(end - q), sep, seplen)); q += seplen)
            nseg++;
        r[j].rank = chuanp_calloc(nseg, sizeof *r[j].rank);
        r[j].idx = j;
        chuanp_free(path);
        path = chuanp_calloc(nseg, sizeof *path);
        if (!r[j].rank || !path)
            goto out;
        size_t depth = 0, nkeys = 0;
        for (const char *p = name;; depth++) {
            const char *e = memmem(p, (size_t)(end - p), sep, seplen);
            if (!e)
                e = end;
            size_t len = (size_t)(e - p);
            /* the first column with this prefix */
            long k = chuanp_colset_find(&prefixes, name, (size_t)(e - name));
            if (k < 0) {
                if ((k = chuanp_colset_add(&prefixes, name, (size_t)(e - name))) < 0)
                    goto out;
                if ((size_t)k >= nfirst) {
                    size_t ncap = nfirst ? nfirst * 2 : 64;
                    size_t *nf = chuanp_realloc(first, ncap * sizeof *nf);
                    if (!nf)
                        goto out;
                    first = nf;
                    nfirst = ncap;
                }
                first[k] = j;
            }
            int is_index = depth > 0 && chuanp_flat_canonical_index(p, len);
            if (is_index) {
                r[j].rank[depth] = strtoull(p, NULL, 10);
            } else {
                /* the key, unescaped (~2 prefix, ~0, ~1) */
                const char *s = p;
                size_t n = len;
                if (depth > 0 && n >= 2 && s[0] == '~' && s[1] == '2') {
                    s += 2;
                    n -= 2;
                }
                char *key = chuanp_arena_alloc(&a, n * (seplen > 2 ? seplen : 2) + 1);
                if (!key)
                    goto out;
                size_t m = 0;
                for (size_t i = 0; i < n; i++) {
                    if (s[i] == '~' && i + 1 < n && (s[i + 1] == '0' || s[i + 1] == '1')) {
                        if (s[++i] == '0')
                            key[m++] = '~';
                        else
                            for (size_t t = 0; t < seplen; t++)
                                key[m++] = sep[t];
                    } else {
                        key[m++] = s[i];
                    }
                }
                key[m] = '\0';
                int nk = h->child_order(h->ctx, path, nkeys, kids, MAX_CHILDREN);
                uint64_t rank = UNKNOWN_KEY + first[k];
                for (int i = 0; i < nk; i++)
                    if (strcmp(kids[i], key) == 0) {
                        rank = (uint64_t)i;
                        break;
                    }
                r[j].rank[depth] = rank;
                path[nkeys++] = key;
            }
            if (e == end)
                break;
            p = e + seplen;
        }
        r[j].n = depth + 1;
        chuanp_arena_reset(&a);
    }
    qsort(r, set->count, sizeof *r, cmp_ranked);
    char **names = chuanp_malloc(set->count * sizeof *names);
    size_t *lens = chuanp_malloc(set->count * sizeof *lens);
    if (!names || !lens) {
        chuanp_free(names);
        chuanp_free(lens);
        goto out;
    }
    for (size_t j = 0; j < set->count; j++) {
        names[j] = set->names[r[j].idx];
        lens[j] = set->lens[r[j].idx];
    }
    memcpy(set->names, names, set->count * sizeof *names);
    memcpy(set->lens, lens, set->count * sizeof *lens);
    chuanp_free(names);
    chuanp_free(lens);
    rc = rehash(set, set->nslots);
out:
    for (size_t j = 0; r && j < set->count; j++)
        chuanp_free(r[j].rank);
    chuanp_free(r);
    chuanp_free(kids);
    chuanp_free(path);
    chuanp_free(first);
    chuanp_colset_free(&prefixes);
    chuanp_arena_free(&a);
    return rc;
}

int chuanp_csv_columns_scan(FILE *in, const chuanp_convert_opts *o, chuanp_csv_columns *c)
{
    memset(c, 0, sizeof *c);
    const chuanp_converter *src = chuanp_converter_find(o->from);
    if (!src || !src->open_reader)
        return 0; /* the conversion itself reports it */
    chuanp_convert_opts ro = *o;
    ro.records_as_json = 0;
    chuan_diags tmp; /* the second pass reports every problem */
    chuan_diags_init(&tmp, 1);
    chuanp_colset set = {0};
    unsigned long long failures = chuanp_alloc_failures();
    chuanp_reader *r = NULL;
    chuanp_arena arena;
    chuanp_arena_init(&arena, 64 * 1024);
    int rc = 0;
    if (o->from == CHUANP_FMT_NDJSON && !o->csv.no_flatten) {
        rc = chuanp_csv_columns_scan_ndjson(in, o, &set); /* no value trees */
        goto out;
    }
    if (src->open_reader(&r, in, &ro, &tmp) < 0 || !r)
        goto out;
    for (;;) {
        chuanp_record rec;
        memset(&rec, 0, sizeof rec);
        chuanp_arena_reset(&arena);
        int n = r->ops->next(r, &arena, &rec, &tmp);
        if (n == 0 || n < 0)
            break; /* a fatal error: the second pass stops there too */
        if (tmp.oom)
            break;
        if (tmp.count > 0 || tmp.dropped)
            chuan_diags_clear(&tmp);
        if (n == 1 && rec.value && scan_value(&set, rec.value, o) < 0) {
            rc = -1;
            break;
        }
    }
out:
    if (tmp.oom || chuanp_alloc_failures() != failures)
        rc = -1; /* a pass that lost an allocation may have missed columns */
    if (r)
        r->ops->free(r);
    chuanp_arena_free(&arena);
    chuan_diags_clear(&tmp);
    if (rc == 0 && order_by_schema(&set, o) < 0)
        rc = -1;
    if (rc == 0) {
        /* the names become the column list */
        c->names = set.names;
        c->count = set.count;
        set.names = NULL;
        set.count = 0;
    } else {
        errno = errno ? errno : ENOMEM;
    }
    chuanp_colset_free(&set);
    return rc;
}
