/* converters/flatten.c - nested JSON <-> CSV columns, one rule both ways.
 *
 * Rule (README.md ("Flattening")): a column name is the path of a leaf from the
 * record root, segments joined by a separator (default "."). In a segment
 * "~" is written "~0" and the separator "~1". Below the top level, a
 * segment of plain digits in canonical form ("0" or no leading zero) is an
 * array index (0-based); an object key of that form is written with the
 * prefix "~2" so it stays a key. Leaves are scalars, empty objects and
 * empty arrays. A column tree is valid when no column is both a value and
 * a parent, no parent mixes indices with keys, and the indices of every
 * array are exactly 0..n-1.
 *
 * Value columns: when the records give one path both a value of its own (a
 * scalar, null, [] or {}) and, in other records, values below it, the
 * writer names the column of its own value PATH + separator + "~3" (e.g.
 * DanhSachLePhi.~3 beside DanhSachLePhi.0.Gia). Reading, a non-blank "~3"
 * cell is the value of that path; else the path is built from the columns
 * below it. Both non-blank in one row is a conflict the caller reports.
 * Likewise a path that is an array in some records and an object in
 * others: its items are written PATH.~4.N... beside PATH.key columns.
 */
#include "csv.h"

#include <stdlib.h>
#include <stdint.h>
#include <string.h>

enum { NODE_LEAF = 1, NODE_OBJ, NODE_ARR };

typedef struct flat_node {
    const char *key;          /* unescaped segment, NUL-terminated */
    size_t key_len;
    size_t index;             /* when the parent is an array */
    int kind;
    size_t column;            /* leaf */
    size_t self_col;          /* column + 1 of PATH.~3 (the node's own value), 0 none */
    struct flat_node *alt;    /* PATH.~4.N...: PATH as an array beside its object keys */
    struct flat_node **kids;
    size_t nkids, kcap;
} flat_node;

struct chuanp_flat_tree {
    chuanp_arena arena;
    flat_node root;
    size_t ncols;
    const char ***paths;  /* per column: key segments (array indices left out) */
    size_t *depths;
    /* hash of (parent, segment) -> child for building large headers fast */
    flat_node **slots;
    flat_node **slot_parent;
    size_t nslots;
    int say_literal;      /* CHUANP_FLAT_SAY_LITERAL: header diagnostics offer --no-flatten */
};

static const char *sep_or_default(const char *sep)
{
    return sep && *sep ? sep : ".";
}

int chuanp_flat_canonical_index(const char *s, size_t len)
{
    if (len == 0 || len > 18)
        return 0;
    if (s[0] == '0')
        return len == 1;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

/* A segment's slot: its bytes and its parent (one table holds every level). */
static size_t hash_seg(const flat_node *parent, const char *s, size_t len)
{
    return chuanp_key_hash(s, len) ^
           (size_t)(((uint64_t)(uintptr_t)parent * 0x9E3779B97F4A7C15ull) >> 32);
}

static flat_node *find_kid(chuanp_flat_tree *t, flat_node *parent, const char *s, size_t len,
                           size_t *slot)
{
    size_t i = hash_seg(parent, s, len) & (t->nslots - 1);
    while (t->slots[i]) {
        flat_node *k = t->slots[i];
        if (t->slot_parent[i] == parent && k->key_len == len && chuanp_key_eq(k->key, s, len))
            return k;
        i = (i + 1) & (t->nslots - 1);
    }
    *slot = i;
    return NULL;
}

static int add_kid(chuanp_flat_tree *t, flat_node *parent, flat_node *kid)
{
    if (parent->nkids == parent->kcap) {
        size_t ncap = parent->kcap ? parent->kcap * 2 : 4;
        flat_node **nk = chuanp_arena_alloc(&t->arena, ncap * sizeof *nk);
        if (!nk)
            return -1;
        if (parent->nkids)
            memcpy(nk, parent->kids, parent->nkids * sizeof *nk);
        parent->kids = nk;
        parent->kcap = ncap;
    }
    parent->kids[parent->nkids++] = kid;
    return 0;
}

static void header_error(const chuanp_flat_tree *t, chuan_diags *d, const char *file,
                         const char *code, size_t col, const char *name, const char *why)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = file, .line = 1,
                     .offset = -1};
    if (t->say_literal)
        chuan_diags_addf(d, &dg, "header column %zu '%s': %s (use --no-flatten to keep column "
                                 "names as literal keys)", col + 1, name, _(why));
    else
        chuan_diags_addf(d, &dg, "header column %zu '%s': %s", col + 1, name, _(why));
}

/* Unescape one raw segment into the arena. *is_index set when it is an
 * array index (only below the top level). Returns NULL on a bad escape
 * (*bad = 1) or OOM. */
static char *unescape_seg(chuanp_arena *a, const char *s, size_t len, const char *sep, int depth,
                          int *is_index, size_t *out_len, int *bad)
{
    size_t seplen = strlen(sep);
    *is_index = 0;
    *bad = 0;
    int literal_key = 0;
    if (len >= 2 && s[0] == '~' && s[1] == '2') {
        literal_key = 1;
        s += 2;
        len -= 2;
        if (!chuanp_flat_canonical_index(s, len)) {
            *bad = 1;
            return NULL;
        }
    } else if (depth > 0 && chuanp_flat_canonical_index(s, len)) {
        *is_index = 1;
    }
    char *o = chuanp_arena_alloc(a, len * (seplen > 2 ? seplen : 2) + 1);
    if (!o)
        return NULL;
    size_t n = 0;
    for (size_t i = 0; i < len; i++) {
        if (s[i] != '~') {
            o[n++] = s[i];
            continue;
        }
        if (i + 1 < len && s[i + 1] == '0') {
            o[n++] = '~';
        } else if (i + 1 < len && s[i + 1] == '1') {
            memcpy(o + n, sep, seplen);
            n += seplen;
        } else {
            *bad = 1;
            return NULL;
        }
        i++;
    }
    o[n] = '\0';
    (void)literal_key;
    *out_len = n;
    return o;
}

static int grow_slots(chuanp_flat_tree *t, size_t nodes)
{
    size_t n = 64;
    while (n < nodes * 2)
        n *= 2;
    t->slots = chuanp_calloc(n, sizeof *t->slots);
    t->slot_parent = chuanp_calloc(n, sizeof *t->slot_parent);
    t->nslots = n;
    return t->slots && t->slot_parent ? 0 : -1;
}

/* Insert the column's path; returns 0, >0 header error (diag added), <0 OOM. */
static int insert_column(chuanp_flat_tree *t, size_t col, const char *name, const char *sep,
                         int literal, const char *file, chuan_diags *d)
{
    size_t seplen = strlen(sep), nlen = strlen(name);
    flat_node *cur = &t->root;
    size_t depth = 0, nkeys = 0;
    const char *segs[256];
    const char *p = name, *end = name + nlen;
    for (;;) {
        const char *e = literal ? end : strstr(p, sep);
        if (!e || e > end)
            e = end;
        if (!literal && e == end && depth > 0 && e - p == 2 && p[0] == '~' && p[1] == '3') {
            /* PATH.~3: the value of PATH itself, beside columns below it */
            if (cur->kind == NODE_LEAF || cur->self_col) {
                header_error(t, d, file, "csv.header-duplicate", col, name,
                             "another column already holds this value");
                return 1;
            }
            cur->self_col = col + 1;
            const char **path = chuanp_arena_alloc(&t->arena, (nkeys ? nkeys : 1) * sizeof *path);
            if (!path)
                return -1;
            memcpy(path, segs, nkeys * sizeof *path);
            t->paths[col] = path;
            t->depths[col] = nkeys;
            return 0;
        }
        if (!literal && e != end && depth > 0 && e - p == 2 && p[0] == '~' && p[1] == '4') {
            /* PATH.~4.N...: the items of PATH when it is an array, beside PATH.key columns */
            if (cur->kind == NODE_LEAF || cur->kind == NODE_ARR) {
                header_error(t, d, file, "csv.header-path", col, name,
                             "~4 (the array form of a path) needs a path whose other columns are "
                             "object keys");
                return 1;
            }
            cur->kind = NODE_OBJ;
            if (!cur->alt) {
                cur->alt = chuanp_arena_alloc(&t->arena, sizeof *cur->alt);
                if (!cur->alt)
                    return -1;
                memset(cur->alt, 0, sizeof *cur->alt);
                cur->alt->kind = NODE_ARR;
            }
            cur = cur->alt;
            p = e + seplen;
            continue; /* the same depth: the next segment is an index */
        }
        int is_index = 0, bad = 0;
        size_t klen = 0;
        char *key;
        if (literal) {
            key = chuanp_arena_strndup(&t->arena, p, (size_t)(e - p));
            klen = (size_t)(e - p);
        } else {
            key = unescape_seg(&t->arena, p, (size_t)(e - p), sep, (int)depth, &is_index, &klen,
                               &bad);
        }
        if (!key) {
            if (bad) {
                header_error(t, d, file, "csv.header-path", col, name,
                             "'~' must be followed by 0 (~), 1 (separator), 2 and a number, or be "
                             "the segment ~3 (last) or ~4 (before an index)");
                return 1;
            }
            return -1;
        }
        if (depth >= 255) {
            header_error(t, d, file, "csv.header-path", col, name, "path deeper than 255 levels");
            return 1;
        }
        if (!is_index)
            segs[nkeys++] = key;
        /* cur becomes a container */
        int want = is_index ? NODE_ARR : NODE_OBJ;
        if (cur->kind == NODE_LEAF) {
            header_error(t, d, file, "csv.header-path", col, name,
                         "a column with this prefix already holds a value (name that column "
                         "PREFIX.~3)");
            return 1;
        }
        if (cur->kind && cur->kind != want) {
            header_error(t, d, file, "csv.header-path", col, name,
                         "array indices and object keys mixed under one parent");
            return 1;
        }
        cur->kind = want;
        size_t slot = 0;
        flat_node *kid = find_kid(t, cur, key, klen, &slot);
        int last = e == end;
        if (!kid) {
            kid = chuanp_arena_alloc(&t->arena, sizeof *kid);
            if (!kid)
                return -1;
            memset(kid, 0, sizeof *kid);
            kid->key = key;
            kid->key_len = klen;
            if (is_index)
                kid->index = (size_t)strtoull(key, NULL, 10);
            t->slots[slot] = kid;
            t->slot_parent[slot] = cur;
            if (add_kid(t, cur, kid) < 0)
                return -1;
        } else if (last || kid->kind == NODE_LEAF) {
            header_error(t, d, file, last && kid->kind == NODE_LEAF ? "csv.header-duplicate"
                                                                 : "csv.header-path",
                         col, name,
                         last && kid->kind == NODE_LEAF ? N_("duplicate column name")
                                                        : N_("a column with this prefix already "
                                                             "holds a value"));
            return 1;
        }
        cur = kid;
        depth++;
        if (last)
            break;
        p = e + seplen;
    }
    if (cur->kind || cur->self_col) {
        header_error(t, d, file, cur->kind ? "csv.header-path" : "csv.header-duplicate", col, name,
                     cur->kind ? N_("another column is nested below this one (name this one "
                                    "NAME.~3)")
                               : N_("another column already holds this value"));
        return 1;
    }
    cur->kind = NODE_LEAF;
    cur->column = col;
    const char **path = chuanp_arena_alloc(&t->arena, (nkeys ? nkeys : 1) * sizeof *path);
    if (!path)
        return -1;
    memcpy(path, segs, nkeys * sizeof *path);
    t->paths[col] = path;
    t->depths[col] = nkeys;
    return 0;
}

/* Arrays: indices must be exactly 0..n-1; kids are reordered by index. */
static int check_arrays(const chuanp_flat_tree *t, flat_node *n, const char *const *names,
                        const char *file, chuan_diags *d)
{
    int rc = 0;
    if (!n->kind && n->self_col) {
        /* PATH.~3 without columns below PATH: a plain value column */
        n->kind = NODE_LEAF;
        n->column = n->self_col - 1;
        n->self_col = 0;
    }
    if (n->kind == NODE_ARR) {
        flat_node **ord = chuanp_calloc(n->nkids, sizeof *ord);
        if (!ord)
            return -1;
        for (size_t i = 0; i < n->nkids; i++) {
            flat_node *k = n->kids[i];
            if (k->index >= n->nkids || ord[k->index]) {
                const flat_node *leaf = k;
                while (leaf->kind != NODE_LEAF && !leaf->self_col && leaf->nkids)
                    leaf = leaf->kids[0];
                size_t lc = leaf->self_col ? leaf->self_col - 1 : leaf->column;
                header_error(t, d, file, "csv.header-path", lc, names[lc],
                             "array indices must run 0..n-1 without gaps");
                chuanp_free(ord);
                return 1;
            }
            ord[k->index] = k;
        }
        memcpy(n->kids, ord, n->nkids * sizeof *ord);
        chuanp_free(ord);
    }
    for (size_t i = 0; i < n->nkids && rc == 0; i++)
        rc = check_arrays(t, n->kids[i], names, file, d);
    if (rc == 0 && n->alt)
        rc = check_arrays(t, n->alt, names, file, d);
    return rc;
}

int chuanp_flat_tree_new(chuanp_flat_tree **out, const char *const *names, size_t n,
                         const char *sep, unsigned flags, const char *file, chuan_diags *d)
{
    int rc = -1;
    const int literal = (flags & CHUANP_FLAT_LITERAL) != 0;
    *out = NULL;
    sep = sep_or_default(sep);
    chuanp_flat_tree *t = chuanp_calloc(1, sizeof *t);
    if (!t)
        return -1;
    chuanp_arena_init(&t->arena, 64 * 1024);
    t->root.kind = NODE_OBJ;
    t->ncols = n;
    t->say_literal = (flags & CHUANP_FLAT_SAY_LITERAL) != 0;
    t->paths = chuanp_calloc(n ? n : 1, sizeof *t->paths);
    t->depths = chuanp_calloc(n ? n : 1, sizeof *t->depths);
    /* every path segment is a node in the slot table: size it by segments,
     * not columns (a full table would never find a free slot) */
    size_t segs = 0, seplen = strlen(sep);
    for (size_t i = 0; i < n; i++) {
        size_t k = 1;
        for (const char *s = literal ? NULL : strstr(names[i], sep); s && k < 256;
             s = strstr(s + seplen, sep))
            k++;
        segs += k;
    }
    if (!t->paths || !t->depths || grow_slots(t, segs) < 0)
        goto out;
    for (size_t i = 0; i < n; i++) {
        rc = insert_column(t, i, names[i], sep, literal, file, d);
        if (rc != 0)
            goto out;
    }
    rc = check_arrays(t, &t->root, names, file, d);
out:
    chuanp_free(t->slots);
    chuanp_free(t->slot_parent);
    t->slots = NULL;
    t->slot_parent = NULL;
    if (rc != 0) {
        chuanp_flat_tree_free(t);
        return rc;
    }
    *out = t;
    return 0;
}

void chuanp_flat_tree_free(chuanp_flat_tree *t)
{
    if (!t)
        return;
    chuanp_arena_free(&t->arena);
    chuanp_free(t->paths);
    chuanp_free(t->depths);
    chuanp_free(t->slots);
    chuanp_free(t->slot_parent);
    chuanp_free(t);
}

int chuanp_flat_tree_is_flat(const chuanp_flat_tree *t)
{
    if (t->root.nkids != t->ncols)
        return 0;
    for (size_t i = 0; i < t->ncols; i++)
        if (t->root.kids[i]->kind != NODE_LEAF || t->root.kids[i]->column != i)
            return 0;
    return 1;
}

const char *const *chuanp_flat_tree_path(const chuanp_flat_tree *t, size_t column, size_t *depth)
{
    *depth = column < t->ncols ? t->depths[column] : 0;
    return column < t->ncols ? t->paths[column] : NULL;
}

typedef struct build_state {
    chuanp_flat_cell_fn cell;
    void *ctx;
    chuanp_arena *a;
    chuanp_flat_build_opts *bo;
    int sparse;
    int oom;
} build_state;

/* No value: a missing cell; without --csv-null rules also an empty string
 * or a null (what an empty cell reads as); a container of blanks. */
static int blank(const chuanp_jv *v, int sparse)
{
    if (!v)
        return 1;
    if (sparse)
        return 0;
    if (v->type == CHUANP_JNULL || (v->type == CHUANP_JSTRING && v->u.str.len == 0))
        return 1;
    if (v->type == CHUANP_JARRAY && v->u.arr.count) {
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (!blank(v->u.arr.items[i], 0))
                return 0;
        return 1;
    }
    if (v->type == CHUANP_JOBJECT && v->u.obj.count) {
        for (size_t i = 0; i < v->u.obj.count; i++)
            if (!blank(v->u.obj.members[i].value, 0))
                return 0;
        return 1;
    }
    return 0;
}

static chuanp_jv *new_value(build_state *st, chuanp_jtype type)
{
    chuanp_jv *v = chuanp_arena_alloc(st->a, sizeof *v);
    if (!v) {
        st->oom = 1;
        return NULL;
    }
    memset(v, 0, sizeof *v);
    v->type = (uint8_t)type;
    v->offset = (uint64_t)-1;
    return v;
}

static chuanp_jv *build_node(const flat_node *n, build_state *st);

/* The container of n's columns; NULL when sparse and every cell below is missing. */
static chuanp_jv *build_kids(const flat_node *n, build_state *st)
{
    chuanp_jv *v = new_value(st, n->kind == NODE_ARR ? CHUANP_JARRAY : CHUANP_JOBJECT);
    if (!v)
        return NULL;
    size_t present = 0;
    if (n->kind == NODE_ARR) {
        v->u.arr.items = chuanp_arena_alloc(st->a, (n->nkids ? n->nkids : 1) * sizeof(chuanp_jv *));
        if (!v->u.arr.items) {
            st->oom = 1;
            return NULL;
        }
        for (size_t i = 0; i < n->nkids; i++) {
            chuanp_jv *item = build_node(n->kids[i], st);
            if (st->oom)
                return NULL;
            if (item)
                present = i + 1;
            else if (!(item = new_value(st, CHUANP_JNULL))) /* an omitted item keeps its index */
                return NULL;
            v->u.arr.items[v->u.arr.count++] = item;
        }
        if (st->sparse) {
            if (!present)
                return NULL;
            v->u.arr.count = present; /* a shorter array: its missing tail */
        }
        return v;
    }
    v->u.obj.members = chuanp_arena_alloc(st->a, (n->nkids ? n->nkids : 1) * sizeof(chuanp_jmember));
    if (!v->u.obj.members) {
        st->oom = 1;
        return NULL;
    }
    for (size_t i = 0; i < n->nkids; i++) {
        const flat_node *k = n->kids[i];
        chuanp_jv *kv = build_node(k, st);
        if (st->oom)
            return NULL;
        if (!kv)
            continue; /* omitted */
        chuanp_jmember *m = &v->u.obj.members[v->u.obj.count++];
        memset(m, 0, sizeof *m);
        m->key = k->key;
        m->key_len = k->key_len;
        m->key_line = kv->line;
        m->key_column = kv->column;
        m->key_offset = kv->offset;
        m->value = kv;
    }
    if (st->sparse && v->u.obj.count == 0)
        return NULL;
    return v;
}

/* Some column below n (for a conflict report): column + 1. */
static size_t some_column(const flat_node *n)
{
    while (n->kind != NODE_LEAF && !n->self_col && n->nkids)
        n = n->kids[0];
    return n->self_col ? n->self_col : n->kind == NODE_LEAF ? n->column + 1 : 1;
}

/* A path may have up to three forms in a header: its own value (PATH.~3),
 * an array (PATH.~4.N...) and an object or array (the columns below). One
 * non-blank form is the value (a blank path: the columns below); more than
 * one is a conflict. */
static chuanp_jv *build_node(const flat_node *n, build_state *st)
{
    if (n->kind == NODE_LEAF)
        return st->cell(st->ctx, n->column, st->a);
    if (!n->self_col && !n->alt)
        return build_kids(n, st);
    chuanp_jv *self = n->self_col ? st->cell(st->ctx, n->self_col - 1, st->a) : NULL;
    chuanp_jv *alt = n->alt ? build_kids(n->alt, st) : NULL;
    chuanp_jv *kids = n->nkids ? build_kids(n, st) : NULL;
    if (st->oom)
        return NULL;
    int has_self = !blank(self, st->sparse), has_alt = !blank(alt, st->sparse),
        has_kids = !blank(kids, st->sparse);
    if (has_self + has_alt + has_kids > 1 && st->bo && !st->bo->conflict)
        st->bo->conflict = has_self ? n->self_col : some_column(n->alt);
    if (has_self)
        return self;
    if (has_alt)
        return alt;
    if (kids)
        return kids;
    return self ? self : alt;
}

chuanp_jv *chuanp_flat_tree_build_ex(const chuanp_flat_tree *t, chuanp_flat_cell_fn cell, void *ctx,
                                     chuanp_arena *a, chuanp_flat_build_opts *bo)
{
    build_state st = {.cell = cell, .ctx = ctx, .a = a, .bo = bo, .sparse = bo && bo->sparse};
    if (bo)
        bo->conflict = 0;
    chuanp_jv *v = build_kids(&t->root, &st);
    if (st.oom)
        return NULL;
    if (!v) { /* sparse: every cell missing: {} */
        v = new_value(&st, CHUANP_JOBJECT);
        if (v && !(v->u.obj.members = chuanp_arena_alloc(a, sizeof(chuanp_jmember))))
            v = NULL;
    }
    return v;
}

chuanp_jv *chuanp_flat_tree_build(const chuanp_flat_tree *t, chuanp_flat_cell_fn cell, void *ctx,
                                  chuanp_arena *a)
{
    return chuanp_flat_tree_build_ex(t, cell, ctx, a, NULL);
}

/* Cells left empty leave their key out; an object or array all of whose
 * cells were empty (a spouse column group of a row without a spouse) is
 * left out as well, so "required" inside it does not fire. Containers
 * without a position take the position of their parent. */
int chuanp_flat_prune(chuanp_jv *v, const chuanp_jv *parent, int depth)
{
    if (v->line == 0 && parent) {
        v->line = parent->line;
        v->column = parent->column;
        v->offset = parent->offset;
    }
    if (depth > 64)
        return 0;
    if (v->type == CHUANP_JOBJECT) {
        size_t k = 0;
        for (size_t i = 0; i < v->u.obj.count; i++)
            if (!chuanp_flat_prune(v->u.obj.members[i].value, v, depth + 1))
                v->u.obj.members[k++] = v->u.obj.members[i];
        v->u.obj.count = k;
        return k == 0;
    }
    if (v->type == CHUANP_JARRAY) {
        size_t k = 0;
        for (size_t i = 0; i < v->u.arr.count; i++)
            if (!chuanp_flat_prune(v->u.arr.items[i], v, depth + 1))
                v->u.arr.items[k++] = v->u.arr.items[i];
        v->u.arr.count = k;
        return k == 0;
    }
    return 0;
}

/* ---------------------------------------------------------------- flatten */
void chuanp_flat_put_index(chuanp_buf *b, const char *sep, size_t seplen, size_t i)
{
    char d[24];
    size_t n = sizeof d;
    do
        d[--n] = (char)('0' + i % 10);
    while ((i /= 10) != 0);
    chuanp_buf_append(b, sep, seplen);
    chuanp_buf_append(b, d + n, sizeof d - n);
}

void chuanp_flat_escape(chuanp_buf *b, const char *key, size_t len, const char *sep)
{
    sep = sep_or_default(sep);
    /* keys are short: '~' and sep[0] looked for together, eight bytes at a time */
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    const uint64_t tilde = ones * '~', s0 = ones * (unsigned char)sep[0];
    size_t j = 0;
    for (; j + 8 <= len; j += 8) {
        uint64_t v, x, y;
        memcpy(&v, key + j, 8);
        x = v ^ tilde;
        y = v ^ s0;
        if ((((x - ones) & ~x) | ((y - ones) & ~y)) & highs)
            break;
    }
    while (j < len && key[j] != '~' && key[j] != sep[0])
        j++;
    if (j == len) {
        chuanp_buf_append(b, key, len); /* the usual key: nothing to escape */
        return;
    }
    size_t seplen = strlen(sep);
    for (size_t i = 0; i < len;) {
        if (key[i] == '~') {
            chuanp_buf_append(b, "~0", 2);
            i++;
        } else if (len - i >= seplen && memcmp(key + i, sep, seplen) == 0) {
            chuanp_buf_append(b, "~1", 2);
            i += seplen;
        } else {
            chuanp_buf_putc(b, key[i]);
            i++;
        }
    }
}

typedef struct flat_walk {
    const char *sep;
    size_t seplen;
    chuanp_buf path;
    chuanp_flat_visit_fn visit;
    void *ctx;
} flat_walk;

static int walk(flat_walk *w, const chuanp_jv *v, int depth)
{
    if (depth > 4096)
        return -1;
    size_t mark = w->path.len;
    if (v->type == CHUANP_JOBJECT && v->u.obj.count) {
        for (size_t i = 0; i < v->u.obj.count; i++) {
            const chuanp_jmember *m = &v->u.obj.members[i];
            w->path.len = mark;
            if (depth > 0) {
                chuanp_buf_append(&w->path, w->sep, w->seplen);
                if (chuanp_flat_canonical_index(m->key, m->key_len))
                    chuanp_buf_append(&w->path, "~2", 2);
            }
            chuanp_flat_escape(&w->path, m->key, m->key_len, w->sep);
            if (w->path.err)
                return -1;
            int rc = walk(w, m->value, depth + 1);
            if (rc)
                return rc;
        }
        w->path.len = mark;
        return 0;
    }
    if (v->type == CHUANP_JARRAY && v->u.arr.count && depth > 0) {
        for (size_t i = 0; i < v->u.arr.count; i++) {
            w->path.len = mark;
            chuanp_flat_put_index(&w->path, w->sep, w->seplen, i);
            if (w->path.err)
                return -1;
            int rc = walk(w, v->u.arr.items[i], depth + 1);
            if (rc)
                return rc;
        }
        w->path.len = mark;
        return 0;
    }
    if (depth == 0)
        return 0; /* an empty record (or a non-object) has no columns */
    if (w->path.data)
        w->path.data[w->path.len] = '\0';
    return w->visit(w->ctx, w->path.data ? w->path.data : "", w->path.len, v);
}

int chuanp_flatten(const chuanp_jv *record, const char *sep, int literal,
                   chuanp_flat_visit_fn visit, void *ctx)
{
    if (literal) {
        if (record->type != CHUANP_JOBJECT)
            return 0;
        for (size_t i = 0; i < record->u.obj.count; i++) {
            const chuanp_jmember *m = &record->u.obj.members[i];
            int rc = visit(ctx, m->key, m->key_len, m->value);
            if (rc)
                return rc;
        }
        return 0;
    }
    flat_walk w = {.sep = sep_or_default(sep), .visit = visit, .ctx = ctx};
    w.seplen = strlen(w.sep);
    chuanp_buf_init(&w.path, 0);
    chuanp_buf_reserve(&w.path, 64);
    int rc = walk(&w, record, 0);
    chuanp_buf_free(&w.path);
    return rc;
}

void chuanp_flat_cell_text(chuanp_buf *b, const chuanp_jv *leaf)
{
    switch (leaf->type) {
    case CHUANP_JNULL:
        break;
    case CHUANP_JTRUE:
        chuanp_buf_append(b, "true", 4);
        break;
    case CHUANP_JFALSE:
        chuanp_buf_append(b, "false", 5);
        break;
    case CHUANP_JNUMBER:
    case CHUANP_JSTRING:
        chuanp_buf_append(b, leaf->u.str.text, leaf->u.str.len);
        break;
    case CHUANP_JARRAY:
    case CHUANP_JOBJECT:
        if ((leaf->type == CHUANP_JARRAY ? leaf->u.arr.count : leaf->u.obj.count) == 0) {
            chuanp_buf_append(b, leaf->type == CHUANP_JARRAY ? "[]" : "{}", 2);
        } else {
            chuanp_json_write_opts o = {0};
            chuanp_json_write(b, leaf, &o);
        }
        break;
    default:
        break;
    }
}
