/* validator/codelist_tool.c - import, compare, merge and check code lists (`chuan codelist`). */
#include "codelist_tool.h"
#include "vocab.h"

#include "../converters/json.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define IMPORT_MAX_BYTES (256u << 20)
#define IMPORT_MAX_COLUMNS 256
#define ITEMS_MAX_DEPTH 16

static int oom(chuan_diags *d, const char *file)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.internal", .file = file,
                     .offset = -1, .message = N_("out of memory")};
    chuan_diags_add(d, &dg);
    return -1;
}

static chuanp_codelist *list_new(const char *path)
{
    chuanp_codelist *l = chuanp_calloc(1, sizeof *l);
    if (!l)
        return NULL;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    l->path = chuanp_strdup(path);
    l->name = chuanp_strdup(base);
    if (!l->path || !l->name) {
        chuanp_codelist_free(l);
        return NULL;
    }
    char *dot = strrchr(l->name, '.');
    if (dot && dot != l->name)
        *dot = '\0';
    return l;
}

static int pstrcmp(const char *a, const char *b)
{
    return strcmp(a ? a : "", b ? b : "");
}

/* code, parent, valid_from: the loader's order (lookups, overlap check) */
static int order_key(const void *a, const void *b)
{
    const chuanp_code *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c || (c = pstrcmp(x->parent, y->parent)))
        return c;
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

/* code, valid_from (open first), parent: the written order */
static int order_out(const void *a, const void *b)
{
    const chuanp_code *x = *(const chuanp_code *const *)a, *y = *(const chuanp_code *const *)b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    if (x->valid_from != y->valid_from)
        return x->valid_from < y->valid_from ? -1 : 1;
    if ((c = pstrcmp(x->parent, y->parent)))
        return c;
    return (x->line > y->line) - (x->line < y->line);
}

/* Trim ASCII white space and NFC-normalise: 0 (*out new string), 1 invalid
 * UTF-8, -1 OOM. */
static int clean_text(const char *s, size_t len, char **out)
{
    *out = NULL;
    while (len && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\n')) {
        s++;
        len--;
    }
    while (len && (s[len - 1] == ' ' || s[len - 1] == '\t' || s[len - 1] == '\r' ||
                   s[len - 1] == '\n'))
        len--;
    if (chuanp_utf8_invalid_at(s, len) >= 0 || memchr(s, '\0', len))
        return 1;
    char *n = NULL;
    size_t nlen = 0;
    if (chuanp_nfc(s, len, &n, &nlen) < 0)
        return -1; /* valid UTF-8 was checked: only memory is left */
    if (n) {
        *out = n;
        return 0;
    }
    *out = chuanp_malloc(len + 1);
    if (!*out)
        return -1;
    memcpy(*out, s, len);
    (*out)[len] = '\0';
    return 0;
}

/* ------------------------------------------------------------------ check */

static int periods_overlap(long f1, long t1, long f2, long t2)
{
    /* [f, t) with 0 = open */
    return (t1 == 0 || f2 < t1) && (t2 == 0 || f1 < t2);
}

static void where(chuan_diag *dg, const chuanp_code *c, int items, char *buf, size_t size)
{
    if (items) {
        snprintf(buf, size, "item %ld", c->line);
        dg->line = 0;
        dg->column = 0;
        dg->path = buf;
    } else {
        dg->line = c->line;
        dg->column = 1;
        dg->path = NULL;
    }
}

/* First index of code in l (sorted by code), or l->count. */
static size_t find_first(const chuanp_codelist *l, const char *code)
{
    size_t lo = 0, hi = l->count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(l->codes[mid].code, code) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static int check_parents(const chuanp_codelist *l, const chuanp_codelist *parents, int items,
                         chuan_diags *d)
{
    int rc = 0;
    char wbuf[48];
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.dangling-parent",
                     .file = l->path, .offset = -1};
    for (size_t i = 0; i < l->count; i++) {
        const chuanp_code *c = &l->codes[i];
        if (!c->parent || !*c->parent)
            continue;
        size_t k = find_first(parents, c->parent);
        int found = 0, any = 0;
        for (; k < parents->count && strcmp(parents->codes[k].code, c->parent) == 0; k++) {
            any = 1;
            const chuanp_code *p = &parents->codes[k];
            if (periods_overlap(c->valid_from, c->valid_to, p->valid_from, p->valid_to)) {
                found = 1;
                break;
            }
        }
        if (found)
            continue;
        where(&dg, c, items, wbuf, sizeof wbuf);
        /* one message id per wording (docs/i18n.md) */
        if (any)
            chuan_diags_addf(d, &dg, "code '%s': parent '%s' is not valid during the row's validity in list '%s'",
                             c->code, c->parent, parents->name);
        else
            chuan_diags_addf(d, &dg, "code '%s': parent '%s' is not a code of the parent list '%s'",
                             c->code, c->parent, parents->name);
        rc = 1;
    }
    return rc;
}

static int check_rows(const chuanp_codelist *l, const chuanp_codelist *parents, int items,
                      chuan_diags *d)
{
    int rc = 0;
    char wbuf[48];
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.invalid", .file = l->path,
                     .offset = -1};
    for (size_t i = 0; i < l->count; i++) {
        const chuanp_code *c = &l->codes[i];
        where(&dg, c, items, wbuf, sizeof wbuf);
        if (!*c->code) {
            dg.code = "codelist.invalid";
            chuan_diags_addf(d, &dg, "empty code");
            rc = 1;
        }
        if (c->valid_from && c->valid_to && c->valid_from >= c->valid_to) {
            dg.code = "codelist.date";
            chuan_diags_addf(d, &dg, "code '%s': valid_from must be before valid_to", c->code);
            rc = 1;
        }
        if (l->has_parent && (!c->parent || !*c->parent)) {
            dg.code = "codelist.invalid";
            chuan_diags_addf(d, &dg, "code '%s': empty parent", c->code);
            rc = 1;
        }
    }
    /* l->codes is sorted by code, parent, valid_from */
    for (size_t i = 1; i < l->count; i++) {
        const chuanp_code *a = &l->codes[i - 1], *b = &l->codes[i];
        if (strcmp(a->code, b->code) != 0 || pstrcmp(a->parent, b->parent) != 0)
            continue;
        if (periods_overlap(a->valid_from, a->valid_to, b->valid_from, b->valid_to)) {
            const chuanp_code *first = a->line < b->line ? a : b, *second = a->line < b->line ? b : a;
            dg.code = "codelist.duplicate-code";
            where(&dg, second, items, wbuf, sizeof wbuf);
            /* one message id per wording (docs/i18n.md) */
            if (a->parent && items)
                chuan_diags_addf(d, &dg, "code '%s' under parent %s appears on items %ld and %ld with "
                                 "overlapping validity", a->code, a->parent, first->line, second->line);
            else if (a->parent)
                chuan_diags_addf(d, &dg, "code '%s' under parent %s appears on lines %ld and %ld with "
                                 "overlapping validity", a->code, a->parent, first->line, second->line);
            else if (items)
                chuan_diags_addf(d, &dg, "code '%s' appears on items %ld and %ld with overlapping validity",
                                 a->code, first->line, second->line);
            else
                chuan_diags_addf(d, &dg, "code '%s' appears on lines %ld and %ld with overlapping validity",
                                 a->code, first->line, second->line);
            rc = 1;
        }
    }
    if (parents && check_parents(l, parents, items, d))
        rc = 1;
    return rc;
}

int chuanp_cl_check_parents(const chuanp_codelist *l, const chuanp_codelist *parents,
                            chuan_diags *d)
{
    return check_parents(l, parents, 0, d);
}

int chuanp_cl_check_codes(const chuanp_codelist *l, const char *pattern, chuan_diags *d)
{
    int err = 0;
    PCRE2_SIZE erroff = 0;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pattern, PCRE2_ZERO_TERMINATED,
                                   PCRE2_UTF | PCRE2_ANCHORED | PCRE2_ENDANCHORED, &err, &erroff,
                                   NULL);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.pattern", .file = l->path,
                     .offset = -1};
    if (!re) {
        PCRE2_UCHAR msg[256];
        chuanp_pcre2_error(err, (char *)msg, sizeof msg);
        chuan_diags_addf(d, &dg, "code pattern '%s' at offset %zu: %s", pattern, (size_t)erroff,
                         (const char *)msg);
        return -1;
    }
    pcre2_match_data *md = pcre2_match_data_create_from_pattern(re, NULL);
    pcre2_match_context *mc = pcre2_match_context_create(NULL);
    int rc = md && mc ? 0 : -1;
    if (mc)
        pcre2_set_match_limit(mc, 1000000);
    for (size_t i = 0; i < l->count && rc >= 0; i++) {
        const chuanp_code *c = &l->codes[i];
        int m = pcre2_match(re, (PCRE2_SPTR)c->code, strlen(c->code), 0, 0, md, mc);
        if (m >= 0)
            continue;
        dg.line = c->line;
        dg.column = 1;
        if (m == PCRE2_ERROR_NOMATCH) {
            chuan_diags_addf(d, &dg, "code '%s' does not match the pattern '%s'", c->code, pattern);
            rc = 1;
        } else {
            chuan_diags_addf(d, &dg, "code '%s': the pattern '%s' could not be matched (%d)",
                             c->code, pattern, m);
            rc = -1;
        }
    }
    if (rc < 0 && (!md || !mc))
        oom(d, l->path);
    pcre2_match_context_free(mc);
    pcre2_match_data_free(md);
    pcre2_code_free(re);
    return rc;
}

/* ---------------------------------------------------------------- mapping */

static int map_error(chuan_diags *d, const char *file, const char *fmt, const char *arg)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.mapping", .file = file,
                     .offset = -1};
    chuan_diags_addf(d, &dg, fmt, arg);
    return 1;
}

/* The whole of a JSON file (the mapping, a JSON source), parsed into arena a: 0, 1 (reported
 * with line and column under code, "cannot read PREFIX: ..."), -1 out of memory. Duplicate
 * keys are errors. */
static int parse_json(chuanp_jv **root, const char *file, const char *data, size_t len,
                      chuanp_arena *a, const char *code, const char *what, chuan_diags *d)
{
    chuan_diags pd;
    chuan_diags_init(&pd, 20);
    chuanp_json_opts jo = {.allow_bom = 1, .file = file};
    int pr = chuanp_json_parse(root, data, len, &jo, a, &pd);
    for (size_t i = 0; pr > 0 && i < pd.count; i++) {
        chuan_diag dg = pd.items[i];
        dg.code = code;
        dg.message_vi = NULL;
        chuan_diags_addf(d, &dg, "cannot read %s: %s", what, chuanp_diag_message(&pd.items[i]));
    }
    chuan_diags_clear(&pd);
    return pr;
}

int chuanp_cl_map_load(chuanp_cl_map *m, const char *path, void **store, chuan_diags *d)
{
    *store = NULL;
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_input in = {.name = path, .path = path};
    if (chuanp_read_all(&in, IMPORT_MAX_BYTES, &data, &len, &errmsg) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.mapping", .file = path,
                         .offset = -1};
        chuan_diags_addf(d, &dg, "cannot read the mapping: %s", errmsg ? errmsg : "?");
        chuanp_free(errmsg);
        return -1;
    }
    chuanp_arena *a = chuanp_malloc(sizeof *a);
    if (!a) {
        chuanp_free(data);
        return oom(d, path);
    }
    chuanp_arena_init(a, 0);
    chuanp_jv *root = NULL;
    int pr = parse_json(&root, path, data, len, a, "codelist.mapping", "the mapping", d);
    chuanp_free(data);
    int rc = pr < 0 ? oom(d, path) : pr > 0 ? 1 : 0;
    if (rc == 0 && root->type != CHUANP_JOBJECT)
        rc = map_error(d, path, "the mapping must be a JSON object%s", "");
    static const char *const keys[] = {"format", "items", "code", "name",
                                       "parent", "valid_from", "valid_to"};
    const char **slots[] = {&m->format, &m->items,      &m->code,    &m->name,
                            &m->parent, &m->valid_from, &m->valid_to};
    for (size_t i = 0; rc == 0 && i < root->u.obj.count; i++) {
        const chuanp_jmember *mb = &root->u.obj.members[i];
        size_t k = 0;
        while (k < sizeof keys / sizeof *keys && strcmp(keys[k], mb->key) != 0)
            k++;
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.mapping", .file = path,
                         .line = (long)mb->key_line, .column = (long)mb->key_column,
                         .offset = (long long)mb->key_offset};
        if (k == sizeof keys / sizeof *keys) {
            chuan_diags_addf(d, &dg, "unknown key '%s' in the mapping (format, items, code, name, "
                             "parent, valid_from, valid_to)", mb->key);
            rc = 1;
        } else if (mb->value->type != CHUANP_JSTRING) {
            dg.line = (long)mb->value->line;
            dg.column = (long)mb->value->column;
            dg.offset = (long long)mb->value->offset;
            chuan_diags_addf(d, &dg, "mapping key '%s' must be a string", mb->key);
            rc = 1;
        } else if (!*slots[k]) { /* the command line wins */
            *slots[k] = mb->value->u.str.text;
        }
    }
    if (rc != 0) {
        chuanp_arena_free(a);
        chuanp_free(a);
        return rc;
    }
    *store = a;
    return 0;
}

void chuanp_cl_map_release(void *store)
{
    if (!store)
        return;
    chuanp_arena_free(store);
    chuanp_free(store);
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && strcmp(s + n - k, suffix) == 0;
}

/* ---------------------------------------------------------------- import */

typedef struct importer {
    const char *path;
    const chuanp_cl_map *m;
    chuanp_codelist *l;
    size_t cap;
    chuan_diags *d;
    int rc;       /* worst so far: 0, 1 */
    long item;    /* items seen */
    const chuanp_jv *stack[ITEMS_MAX_DEPTH];
    int depth;
    int saw_parent, saw_dates;
} importer;

static void item_error(importer *im, const char *code, const char *fmt, const char *a,
                       const char *b)
{
    char wbuf[48];
    snprintf(wbuf, sizeof wbuf, "item %ld", im->item);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = code, .file = im->path, .offset = -1,
                     .path = wbuf};
    chuan_diags_addf(im->d, &dg, fmt, a, b);
    im->rc = 1;
}

/* The value of a field reference at the current item: 1 found (*out new
 * string, "" for an empty string), 0 absent (missing or null), -1 OOM,
 * 2 wrong type or bad reference (reported). */
static int json_field(importer *im, const char *ref, const char *what, char **out)
{
    *out = NULL;
    int up = 0;
    const char *r = ref;
    while (strncmp(r, "../", 3) == 0) {
        up++;
        r += 3;
    }
    if (up >= im->depth) {
        item_error(im, "codelist.mapping", "field '%s' of %s goes above the outermost item", ref,
                   what);
        return 2;
    }
    const chuanp_jv *v = im->stack[im->depth - 1 - up];
    while (*r && v) {
        const char *dot = strchr(r, '.');
        size_t n = dot ? (size_t)(dot - r) : strlen(r);
        if (v->type != CHUANP_JOBJECT)
            return 0;
        v = chuanp_json_get_n(v, r, n);
        r += n + (dot ? 1 : 0);
    }
    if (!v || v->type == CHUANP_JNULL)
        return 0;
    if (v->type != CHUANP_JSTRING &&
        !(v->type == CHUANP_JNUMBER && (v->flags & CHUANP_JNUM_INT))) {
        item_error(im, "codelist.type", "field '%s' (%s) is neither a string nor an integer", ref,
                   what);
        return 2;
    }
    const char *s = v->u.str.text; /* an integer keeps its source text */
    size_t len = v->u.str.len;
    int c = clean_text(s, len, out);
    if (c == 1) {
        item_error(im, "codelist.encoding", "field '%s' (%s) is not valid UTF-8", ref, what);
        return 2;
    }
    return c < 0 ? -1 : 1;
}

static long date_value(importer *im, const char *v, const char *what)
{
    if (!v || !*v)
        return 0;
    long k = chuanp_date_iso_key(v, strlen(v));
    if (k < 0) {
        item_error(im, "codelist.date", "%s '%s' is not a date YYYY-MM-DD", what, v);
        return 0;
    }
    return k;
}

/* Emit the row of the current item. -1 OOM. */
static int emit_json_item(importer *im)
{
    const chuanp_cl_map *m = im->m;
    const char *refs[5] = {m->code ? m->code : "code", m->name ? m->name : "name",
                           m->parent ? m->parent : "parent",
                           m->valid_from ? m->valid_from : "valid_from",
                           m->valid_to ? m->valid_to : "valid_to"};
    static const char *const what[5] = {"code", "name", "parent", "valid_from", "valid_to"};
    char *v[5] = {0};
    int rc = 0, bad = 0;
    for (int k = 0; k < 5; k++) {
        int f = json_field(im, refs[k], what[k], &v[k]);
        if (f < 0) {
            rc = -1;
            goto out;
        }
        if (f == 2)
            bad = 1;
        if (f == 0 && k < 2) {
            item_error(im, "codelist.missing-field", "no %s (field '%s')", what[k], refs[k]);
            bad = 1;
        }
    }
    if (bad)
        goto out;
    if (v[2])
        im->saw_parent = 1;
    if (v[3] || v[4])
        im->saw_dates = 1;
    int before = im->rc;
    im->rc = 0;
    long from = date_value(im, v[3], "valid_from"), to = date_value(im, v[4], "valid_to");
    if (im->rc)
        goto out;
    im->rc = before;
    if (chuanp_codelist_add(im->l, &im->cap, v[0], v[1], from, to, v[2] ? v[2] : "", im->item) < 0)
        rc = -1;
out:
    for (int k = 0; k < 5; k++)
        chuanp_free(v[k]);
    return rc;
}

/* Walk the items path from segment `seg`: -1 OOM. */
static int walk(importer *im, const chuanp_jv *v, const char *seg)
{
    if (!*seg) {
        if (im->depth == 0 || im->stack[im->depth - 1] != v) {
            if (im->depth >= ITEMS_MAX_DEPTH)
                return 0;
            im->stack[im->depth++] = v;
            im->item++;
            int r = v->type == CHUANP_JOBJECT ? emit_json_item(im)
                                      : (item_error(im, "codelist.type", "%s%s", _("item is not an object"), ""), 0);
            im->depth--;
            return r;
        }
        im->item++;
        if (v->type != CHUANP_JOBJECT) {
            item_error(im, "codelist.type", "%s%s", _("item is not an object"), "");
            return 0;
        }
        return emit_json_item(im);
    }
    const char *dot = strchr(seg, '.');
    size_t n = dot ? (size_t)(dot - seg) : strlen(seg);
    const char *next = dot ? dot + 1 : seg + n;
    int expand = n >= 2 && seg[n - 2] == '[' && seg[n - 1] == ']';
    size_t namelen = expand ? n - 2 : n;
    if (namelen) {
        if (v->type != CHUANP_JOBJECT)
            return 0;
        v = chuanp_json_get_n(v, seg, namelen);
        if (!v || v->type == CHUANP_JNULL)
            return 0; /* an absent level holds no items */
    }
    if (!expand)
        return walk(im, v, next);
    if (v->type != CHUANP_JARRAY) {
        char name[128];
        snprintf(name, sizeof name, "%.*s", (int)(namelen ? namelen : 2), namelen ? seg : "[]");
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.mapping",
                         .file = im->path, .offset = -1};
        chuan_diags_addf(im->d, &dg, "items path: '%s' is not an array", name);
        im->rc = 1;
        return 0;
    }
    if (im->depth >= ITEMS_MAX_DEPTH) {
        item_error(im, "codelist.mapping", "items path deeper than %s levels%s", "16", "");
        return 0;
    }
    for (size_t i = 0; i < v->u.arr.count; i++) {
        const chuanp_jv *e = v->u.arr.items[i];
        im->stack[im->depth++] = e;
        int r = walk(im, e, next);
        im->depth--;
        if (r < 0)
            return r;
    }
    return 0;
}

/* The whole source file ("-": standard input); -1 with codelist.missing. */
static int read_source(importer *im, char **data, size_t *len)
{
    char *errmsg = NULL;
    chuanp_input in = {.name = im->path, .path = strcmp(im->path, "-") == 0 ? NULL : im->path};
    if (chuanp_read_all(&in, IMPORT_MAX_BYTES, data, len, &errmsg) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.missing", .file = im->path,
                         .offset = -1};
        chuan_diags_addf(im->d, &dg, "cannot read: %s", errmsg ? errmsg : "?");
        chuanp_free(errmsg);
        return -1;
    }
    return 0;
}

static int import_json(importer *im)
{
    char *data = NULL;
    size_t len = 0;
    if (read_source(im, &data, &len) < 0)
        return -1;
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuanp_jv *root = NULL;
    int pr = parse_json(&root, im->path, data, len, &a, "codelist.parse", "JSON", im->d);
    chuanp_free(data);
    if (pr != 0) {
        chuanp_arena_free(&a);
        return pr;
    }
    const char *items = im->m->items && *im->m->items ? im->m->items : "[]";
    int r = walk(im, root, items);
    chuanp_arena_free(&a);
    return r;
}

static int column_of(chuanp_buf *f, int nf, const char *name)
{
    for (int k = 0; k < nf; k++)
        if (strcmp(f[k].data ? f[k].data : "", name) == 0)
            return k;
    return -1;
}

static int import_csv(importer *im)
{
    char *data = NULL;
    size_t len = 0;
    if (read_source(im, &data, &len) < 0)
        return -1;
    chuanp_buf *f = chuanp_calloc(IMPORT_MAX_COLUMNS, sizeof *f);
    int rc = 0;
    if (!f) {
        chuanp_free(data);
        return -1;
    }
    for (int k = 0; k < IMPORT_MAX_COLUMNS; k++)
        chuanp_buf_init(&f[k], 1 << 20);
    size_t pos = (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) ? 3 : 0;
    long line = 1;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.mapping", .file = im->path,
                     .line = 1, .column = 1, .offset = -1};
    int nf = chuanp_codelist_csv_record(data, len, &pos, &line, f, IMPORT_MAX_COLUMNS);
    const chuanp_cl_map *m = im->m;
    const char *names[5] = {m->code ? m->code : "code", m->name ? m->name : "name",
                            m->parent ? m->parent : "parent",
                            m->valid_from ? m->valid_from : "valid_from",
                            m->valid_to ? m->valid_to : "valid_to"};
    const char *given[5] = {m->code, m->name, m->parent, m->valid_from, m->valid_to};
    int col[5];
    for (int k = 0; k < 5 && nf > 0; k++) {
        col[k] = column_of(f, nf < IMPORT_MAX_COLUMNS ? nf : IMPORT_MAX_COLUMNS, names[k]);
        if (col[k] < 0 && (k < 2 || given[k])) {
            chuan_diags_addf(im->d, &dg, "the header has no column '%s'", names[k]);
            rc = 1;
        }
    }
    if (nf <= 0) {
        chuan_diags_addf(im->d, &dg, "%s", nf < 0 ? "unterminated quoted field" : "no header");
        rc = 1;
    }
    if (rc)
        goto out;
    im->saw_parent = col[2] >= 0;
    im->saw_dates = col[3] >= 0 || col[4] >= 0;
    for (;;) {
        long rline = line;
        int n = chuanp_codelist_csv_record(data, len, &pos, &line, f, IMPORT_MAX_COLUMNS);
        if (n == 0)
            break;
        dg.line = rline;
        if (n < 0) {
            dg.code = "codelist.parse";
            chuan_diags_addf(im->d, &dg, "unterminated quoted field");
            rc = 1;
            break;
        }
        if (n == 1 && f[0].len == 0)
            continue;
        if (n != nf) {
            dg.code = "codelist.parse";
            chuan_diags_addf(im->d, &dg, "row has %d fields, the header has %d", n, nf);
            rc = 1;
            continue;
        }
        char *v[5] = {0};
        int bad = 0;
        for (int k = 0; k < 5; k++) {
            if (col[k] < 0)
                continue;
            chuanp_buf *b = &f[col[k]];
            if (b->err) {
                rc = -1;
                break;
            }
            int c = clean_text(b->data ? b->data : "", b->len, &v[k]);
            if (c < 0) {
                rc = -1;
                break;
            }
            if (c == 1) {
                dg.code = "codelist.encoding";
                chuan_diags_addf(im->d, &dg, "column '%s' is not valid UTF-8", names[k]);
                bad = 1;
            }
        }
        long from = 0, to = 0;
        for (int k = 3; k < 5 && rc >= 0 && !bad; k++) {
            long key = v[k] && *v[k] ? chuanp_date_iso_key(v[k], strlen(v[k])) : 0;
            if (key < 0) {
                dg.code = "codelist.date";
                chuan_diags_addf(im->d, &dg, "%s '%s' is not a date YYYY-MM-DD",
                                 k == 3 ? "valid_from" : "valid_to", v[k]);
                bad = 1;
            }
            *(k == 3 ? &from : &to) = key < 0 ? 0 : key;
        }
        if (rc >= 0 && !bad &&
            chuanp_codelist_add(im->l, &im->cap, v[0], v[1], from, to, col[2] >= 0 ? v[2] : NULL, rline) < 0)
            rc = -1;
        for (int k = 0; k < 5; k++)
            chuanp_free(v[k]);
        if (rc < 0)
            break;
        if (bad)
            rc = 1;
    }
out:
    for (int k = 0; k < IMPORT_MAX_COLUMNS; k++)
        chuanp_buf_free(&f[k]);
    chuanp_free(f);
    chuanp_free(data);
    return rc;
}

int chuanp_cl_import(chuanp_codelist **out, const char *path, const chuanp_cl_map *m,
                     chuan_diags *d)
{
    *out = NULL;
    chuanp_cl_map none = {0};
    if (!m)
        m = &none;
    int json;
    if (m->format && strcmp(m->format, "json") == 0)
        json = 1;
    else if (m->format && strcmp(m->format, "csv") == 0)
        json = 0;
    else if (m->format)
        return map_error(d, path, "format '%s': csv or json", m->format);
    else
        json = ends_with(path, ".json") || ends_with(path, ".JSON");
    if (!json && m->items)
        return map_error(d, path, "an items path applies to JSON, not to CSV (%s)", m->items);
    importer im = {.path = path, .m = m, .d = d};
    if (!(im.l = list_new(path)))
        return oom(d, path);
    int rc = json ? import_json(&im) : import_csv(&im);
    if (rc >= 0 && im.rc)
        rc = 1;
    if (rc < 0) {
        if (!d->count)
            oom(d, path);
        chuanp_codelist_free(im.l);
        return -1;
    }
    chuanp_codelist *l = im.l;
    l->has_parent = im.saw_parent;
    l->has_dates = im.saw_dates;
    if (json && !l->has_parent)
        for (size_t i = 0; i < l->count; i++) {
            chuanp_free(l->codes[i].parent);
            l->codes[i].parent = NULL;
        }
    if (l->count)
        qsort(l->codes, l->count, sizeof *l->codes, order_key);
    if (check_rows(l, NULL, json, d))
        rc = 1;
    *out = l;
    return rc;
}

/* ----------------------------------------------------------------- write */

static void csv_field(chuanp_buf *b, const char *s)
{
    if (!s)
        s = "";
    if (!strpbrk(s, ",\"\r\n")) {
        chuanp_buf_puts(b, s);
        return;
    }
    chuanp_buf_putc(b, '"');
    for (; *s; s++) {
        if (*s == '"')
            chuanp_buf_putc(b, '"');
        chuanp_buf_putc(b, *s);
    }
    chuanp_buf_putc(b, '"');
}

void chuanp_cl_write_csv(const chuanp_codelist *l, chuanp_buf *out)
{
    chuanp_buf_puts(out, "code,name");
    if (l->has_dates)
        chuanp_buf_puts(out, ",valid_from,valid_to");
    if (l->has_parent)
        chuanp_buf_puts(out, ",parent");
    chuanp_buf_putc(out, '\n');
    const chuanp_code **rows = l->count ? chuanp_malloc(l->count * sizeof *rows) : NULL;
    if (l->count && !rows) {
        out->err = 1;
        return;
    }
    for (size_t i = 0; i < l->count; i++)
        rows[i] = &l->codes[i];
    if (l->count)
        qsort(rows, l->count, sizeof *rows, order_out);
    for (size_t i = 0; i < l->count; i++) {
        const chuanp_code *c = rows[i];
        csv_field(out, c->code);
        chuanp_buf_putc(out, ',');
        csv_field(out, c->name);
        if (l->has_dates) {
            char f[16] = "", t[16] = "";
            if (c->valid_from)
                chuanp_date_key_format(f, sizeof f, c->valid_from);
            if (c->valid_to)
                chuanp_date_key_format(t, sizeof t, c->valid_to);
            chuanp_buf_printf(out, ",%s,%s", f, t);
        }
        if (l->has_parent) {
            chuanp_buf_putc(out, ',');
            csv_field(out, c->parent);
        }
        chuanp_buf_putc(out, '\n');
    }
    chuanp_free(rows);
}

/* ----------------------------------------------------- current rows by code */

/* The rows of l with an open valid_to (as_of 0) or valid on as_of, in code
 * order; 1 (diagnostic) when a code is there twice, -1 OOM. */
static int current_rows(const chuanp_codelist *l, long as_of, const chuanp_code ***out, size_t *n,
                        chuan_diags *d, const char *why)
{
    *out = NULL;
    *n = 0;
    const chuanp_code **rows = chuanp_malloc((l->count ? l->count : 1) * sizeof *rows);
    if (!rows)
        return oom(d, l->path);
    int rc = 0;
    for (size_t i = 0; i < l->count; i++) {
        const chuanp_code *c = &l->codes[i];
        if (as_of ? (c->valid_from && c->valid_from > as_of) || (c->valid_to && c->valid_to <= as_of)
                  : c->valid_to != 0)
            continue;
        if (*n && strcmp(rows[*n - 1]->code, c->code) == 0) {
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.duplicate-code",
                             .file = l->path, .line = c->line, .column = 1, .offset = -1};
            chuan_diags_addf(d, &dg, "code '%s' is open on lines %ld and %ld (under parents "
                             "%s and %s): %s matches rows by code", c->code, rows[*n - 1]->line,
                             c->line, rows[*n - 1]->parent ? rows[*n - 1]->parent : "-",
                             c->parent ? c->parent : "-", why);
            rc = 1;
            continue;
        }
        rows[(*n)++] = c;
    }
    *out = rows;
    return rc;
}

/* ----------------------------------------------------------------- merge */

int chuanp_cl_merge(chuanp_codelist **out, const chuanp_codelist *list,
                    const chuanp_codelist *snap, long date, int split, chuan_diags *d)
{
    *out = NULL;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.merge", .file = list->path,
                     .offset = -1};
    char ds[16];
    chuanp_date_key_format(ds, sizeof ds, date);
    if (list->has_parent != snap->has_parent) {
        if (list->has_parent)
            chuan_diags_addf(d, &dg, "the list has a parent column and the snapshot has not");
        else
            chuan_diags_addf(d, &dg, "the list has no parent column and the snapshot has");
        return 1;
    }
    int rc = 0;
    for (size_t i = 0; i < list->count; i++) {
        const chuanp_code *c = &list->codes[i];
        if (c->valid_from >= date || c->valid_to > date) {
            dg.line = c->line;
            dg.column = 1;
            chuan_diags_addf(d, &dg, "code '%s' has a validity date on or after %s: a snapshot "
                             "merges only after the list's last change", c->code, ds);
            rc = 1;
        }
    }
    if (rc)
        return rc;
    const chuanp_code **old = NULL, **cur = NULL;
    size_t nold = 0, ncur = 0;
    int r1 = current_rows(list, 0, &old, &nold, d, "merge");
    int r2 = r1 < 0 ? -1 : current_rows(snap, 0, &cur, &ncur, d, "merge");
    chuanp_codelist *l = NULL;
    size_t cap = 0;
    if (r1 || r2) {
        rc = r1 < 0 || r2 < 0 ? -1 : 1;
        goto out;
    }
    if (!(l = list_new(list->path))) {
        rc = oom(d, list->path);
        goto out;
    }
    l->has_dates = 1;
    l->has_parent = list->has_parent;
    /* closed rows stay as they are */
    for (size_t i = 0; i < list->count && rc == 0; i++) {
        const chuanp_code *c = &list->codes[i];
        if (c->valid_to && chuanp_codelist_add(l, &cap, c->code, c->name, c->valid_from, c->valid_to,
                                   c->parent, c->line) < 0)
            rc = -1;
    }
    size_t i = 0, j = 0;
    while (rc == 0 && (i < nold || j < ncur)) {
        int cmp = i == nold ? 1 : j == ncur ? -1 : strcmp(old[i]->code, cur[j]->code);
        const chuanp_code *o = cmp <= 0 ? old[i] : NULL, *n = cmp >= 0 ? cur[j] : NULL;
        long line = o ? o->line : 0;
        if (o && n && !split && strcmp(o->name, n->name) == 0 && !pstrcmp(o->parent, n->parent)) {
            if (chuanp_codelist_add(l, &cap, o->code, o->name, o->valid_from, 0, o->parent, line) < 0)
                rc = -1;
        } else {
            if (o && chuanp_codelist_add(l, &cap, o->code, o->name, o->valid_from, date, o->parent, line) < 0)
                rc = -1;
            if (n && rc == 0 &&
                chuanp_codelist_add(l, &cap, n->code, n->name, date, 0, n->parent, 1000000000L + n->line) < 0)
                rc = -1;
        }
        if (o)
            i++;
        if (n)
            j++;
    }
    if (rc < 0) {
        oom(d, list->path);
        goto out;
    }
    qsort(l->codes, l->count, sizeof *l->codes, order_key);
    for (size_t k = 0; k < l->count; k++)
        if (l->codes[k].line >= 1000000000L)
            l->codes[k].line = 0; /* from the snapshot: no line in the list */
    *out = l;
    l = NULL;
out:
    chuanp_codelist_free(l);
    chuanp_free(old);
    chuanp_free(cur);
    return rc;
}

/* ------------------------------------------------------------------ diff */

static void diff_row_json(chuanp_buf *b, const char *kind, const chuanp_code *o,
                          const chuanp_code *n, const char *ds, int *first)
{
    const chuanp_code *c = n ? n : o;
    chuanp_buf_puts(b, *first ? "\n    {\"change\": \"" : ",\n    {\"change\": \"");
    *first = 0;
    chuanp_buf_puts(b, kind);
    chuanp_buf_puts(b, "\", \"code\": ");
    chuanp_buf_json_string(b, c->code, strlen(c->code));
    chuanp_buf_puts(b, ", \"name\": ");
    chuanp_buf_json_string(b, c->name, strlen(c->name));
    if (c->parent) {
        chuanp_buf_puts(b, ", \"parent\": ");
        chuanp_buf_json_string(b, c->parent, strlen(c->parent));
    }
    if (o && n) {
        chuanp_buf_puts(b, ", \"old_name\": ");
        chuanp_buf_json_string(b, o->name, strlen(o->name));
        if (o->parent) {
            chuanp_buf_puts(b, ", \"old_parent\": ");
            chuanp_buf_json_string(b, o->parent, strlen(o->parent));
        }
    }
    if (o) {
        chuanp_buf_puts(b, ", \"valid_to\": ");
        if (ds)
            chuanp_buf_json_string(b, ds, strlen(ds));
        else
            chuanp_buf_puts(b, "null");
    }
    if (n) {
        chuanp_buf_puts(b, ", \"valid_from\": ");
        if (ds)
            chuanp_buf_json_string(b, ds, strlen(ds));
        else
            chuanp_buf_puts(b, "null");
    }
    chuanp_buf_putc(b, '}');
}

static void diff_row_text(chuanp_buf *b, const char *kind, const chuanp_code *o,
                          const chuanp_code *n, const char *ds)
{
    const chuanp_code *c = n ? n : o;
    const char *label = _(kind); /* a column of 12 characters (code points, not bytes) */
    chuanp_buf_puts(b, label);
    for (size_t w = chuanp_utf8_count(label, strlen(label)); w < 12; w++)
        chuanp_buf_putc(b, ' ');
    chuanp_buf_printf(b, " %s", c->code);
    if (o && n) {
        if (strcmp(o->name, n->name) != 0)
            chuanp_buf_printf(b, " \"%s\" -> \"%s\"", o->name, n->name);
        else
            chuanp_buf_printf(b, " \"%s\"", n->name);
        if (pstrcmp(o->parent, n->parent) != 0)
            chuanp_buf_printf(b, _(", parent %s -> %s"), o->parent ? o->parent : "-",
                              n->parent ? n->parent : "-");
        else if (n->parent)
            chuanp_buf_printf(b, _(", parent %s"), n->parent);
        chuanp_buf_printf(b, _(": old row valid_to = %s, new row valid_from = %s"), ds, ds);
        chuanp_buf_putc(b, '\n');
        return;
    }
    chuanp_buf_printf(b, " \"%s\"", c->name);
    if (c->parent)
        chuanp_buf_printf(b, _(", parent %s"), c->parent);
    chuanp_buf_printf(b, ": %s = %s\n", o ? "valid_to" : "valid_from", ds);
}

int chuanp_cl_diff(const chuanp_codelist *a, long a_asof, const chuanp_codelist *b, long b_asof,
                   long date, int json, chuanp_buf *out, size_t n[4], chuan_diags *d)
{
    const chuanp_code **ra = NULL, **rb = NULL;
    size_t na = 0, nb = 0;
    int r1 = current_rows(a, a_asof, &ra, &na, d, "diff");
    int r2 = r1 < 0 ? -1 : current_rows(b, b_asof, &rb, &nb, d, "diff");
    if (r1 || r2) {
        chuanp_free(ra);
        chuanp_free(rb);
        return r1 < 0 || r2 < 0 ? -1 : 1;
    }
    char dbuf[16];
    const char *ds = NULL;
    if (date) {
        chuanp_date_key_format(dbuf, sizeof dbuf, date);
        ds = dbuf;
    }
    size_t cnt[5] = {0}; /* added, removed, renamed, re-parented, unchanged */
    int first = 1;
    if (json) {
        chuanp_buf_puts(out, "{\"old\": ");
        chuanp_buf_json_string(out, a->path, strlen(a->path));
        chuanp_buf_puts(out, ", \"new\": ");
        chuanp_buf_json_string(out, b->path, strlen(b->path));
        chuanp_buf_puts(out, ", \"date\": ");
        if (ds)
            chuanp_buf_json_string(out, ds, strlen(ds));
        else
            chuanp_buf_puts(out, "null");
        chuanp_buf_puts(out, ",\n  \"changes\": [");
    }
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int cmp = i == na ? 1 : j == nb ? -1 : strcmp(ra[i]->code, rb[j]->code);
        const chuanp_code *o = cmp <= 0 ? ra[i] : NULL, *nw = cmp >= 0 ? rb[j] : NULL;
        const char *kind = NULL;
        if (o && nw) {
            int renamed = strcmp(o->name, nw->name) != 0;
            int moved = pstrcmp(o->parent, nw->parent) != 0;
            cnt[2] += renamed;
            cnt[3] += moved;
            cnt[4] += !renamed && !moved;
            /* English in JSON, translated in text (diff_row_text) */
            kind = renamed && moved ? N_("renamed+re-parented")
                   : renamed        ? N_("renamed")
                   : moved          ? N_("re-parented")
                                    : NULL;
        } else {
            cnt[o ? 1 : 0]++;
            kind = o ? N_("removed") : N_("added");
        }
        if (kind && json)
            diff_row_json(out, kind, o, nw, ds, &first);
        else if (kind)
            diff_row_text(out, kind, o, nw, ds ? ds : "DATE");
        if (o)
            i++;
        if (nw)
            j++;
    }
    if (json)
        chuanp_buf_printf(out, "%s],\n  \"summary\": {\"added\": %zu, \"removed\": %zu, "
                          "\"renamed\": %zu, \"re-parented\": %zu, \"unchanged\": %zu}}\n",
                          first ? "" : "\n  ", cnt[0], cnt[1], cnt[2], cnt[3], cnt[4]);
    else
    {
        chuanp_buf_printf(out, _("%zu added, %zu removed, %zu renamed, %zu re-parented, %zu unchanged"),
                          cnt[0], cnt[1], cnt[2], cnt[3], cnt[4]);
        chuanp_buf_putc(out, '\n');
    }
    if (n)
        for (int k = 0; k < 4; k++)
            n[k] = cnt[k];
    chuanp_free(ra);
    chuanp_free(rb);
    return out->err ? oom(d, a->path) : 0;
}
