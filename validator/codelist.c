/* validator/codelist.c - loading code lists (CSV) and looking codes up on a date. */
#include "codelist.h"
#include "vocab.h"

#include <stdlib.h>
#include <string.h>

#define CODELIST_MAX_BYTES (64u << 20)
#define CODELIST_MAX_FIELDS 8

void chuanp_date_key_format(char *buf, size_t size, long key)
{
    snprintf(buf, size, "%04ld-%02ld-%02ld", key / 10000, key / 100 % 100, key % 100);
}

void chuanp_codelist_free(chuanp_codelist *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->count; i++) {
        chuanp_free(l->codes[i].code);
        chuanp_free(l->codes[i].name);
        chuanp_free(l->codes[i].parent);
    }
    chuanp_free(l->codes);
    chuanp_free(l->name);
    chuanp_free(l->path);
    chuanp_free(l);
}

/* One CSV record (RFC 4180 quoting) starting at *pos; fields are copied
 * into a chuanp_buf each. Returns the number of fields, 0 at end, -1 on
 * an unterminated quote. *line advances over the record. */
static int next_record(const char *s, size_t len, size_t *pos, long *line, chuanp_buf *fields,
                       int max)
{
    size_t i = *pos;
    if (i >= len)
        return 0;
    int n = 0;
    for (int k = 0; k < max; k++)
        chuanp_buf_reset(&fields[k]);
    for (;;) {
        chuanp_buf *f = n < max ? &fields[n] : NULL;
        if (i < len && s[i] == '"') {
            i++;
            for (;;) {
                if (i >= len)
                    return -1;
                if (s[i] == '"') {
                    if (i + 1 < len && s[i + 1] == '"') {
                        if (f)
                            chuanp_buf_putc(f, '"');
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                if (s[i] == '\n')
                    (*line)++;
                if (f)
                    chuanp_buf_putc(f, s[i]);
                i++;
            }
        }
        while (i < len && s[i] != ',' && s[i] != '\n' && s[i] != '\r') {
            if (f)
                chuanp_buf_putc(f, s[i]);
            i++;
        }
        n++;
        if (i < len && s[i] == ',') {
            i++;
            continue;
        }
        if (i < len && s[i] == '\r')
            i++;
        if (i < len && s[i] == '\n')
            i++;
        (*line)++;
        break;
    }
    *pos = i;
    for (int k = 0; k < n && k < max; k++) {
        if (!fields[k].data)
            chuanp_buf_reserve(&fields[k], 0); /* an empty field reads as "", not NULL */
        if (fields[k].err == 1)
            return -2; /* out of memory */
    }
    return n;
}

int chuanp_codelist_csv_record(const char *s, size_t len, size_t *pos, long *line,
                               chuanp_buf *fields, int max)
{
    return next_record(s, len, pos, line, fields, max);
}

static int code_order(const void *a, const void *b)
{
    const chuanp_code *x = a, *y = b;
    int c = strcmp(x->code, y->code);
    if (c)
        return c;
    if ((c = strcmp(x->parent ? x->parent : "", y->parent ? y->parent : "")))
        return c;
    return (x->valid_from > y->valid_from) - (x->valid_from < y->valid_from);
}

static int same_parent(const chuanp_code *a, const chuanp_code *b)
{
    return strcmp(a->parent ? a->parent : "", b->parent ? b->parent : "") == 0;
}

/* Column layout read from the header: code,name[,valid_from,valid_to][,parent]. */
typedef struct layout {
    int nf;                  /* fields per row */
    int from, to, parent;    /* column index, -1 when absent */
} layout;

/* 1 when header field f is `name` (an empty field, or one that lost an allocation, has no data) */
static int header_is(const chuanp_buf *f, const char *name)
{
    return f->data && !f->err && strcmp(f->data, name) == 0;
}

static int read_header(const chuanp_buf *f, int nf, layout *lay)
{
    lay->nf = nf;
    lay->from = lay->to = lay->parent = -1;
    if (nf < 2 || !header_is(&f[0], "code") || !header_is(&f[1], "name"))
        return -1;
    int k = 2;
    if (k + 1 < nf && header_is(&f[k], "valid_from") && header_is(&f[k + 1], "valid_to")) {
        lay->from = k;
        lay->to = k + 1;
        k += 2;
    }
    if (k < nf && header_is(&f[k], "parent"))
        lay->parent = k++;
    return k == nf ? 0 : -1;
}

static long parse_date_field(const chuanp_buf *f, int *bad)
{
    if (f->len == 0)
        return 0;
    long k = chuanp_date_iso_key(f->data, f->len);
    if (k < 0)
        *bad = 1;
    return k < 0 ? 0 : k;
}

/* A data row's checks: 0 to keep it (its dates in *from, *to), 1 when a diagnostic refused it,
 * 2 for a blank line. */
static int check_row(const chuanp_codelist *l, const char *name, const layout *lay,
                     const chuanp_buf *fields, int nf, chuan_diag *dg, chuan_diags *d, long *from,
                     long *to)
{
    if (nf == 1 && fields[0].len == 0)
        return 2;
    if (nf != lay->nf) {
        chuan_diags_addf(d, dg, "code list '%s': row has %d fields, the header has %d", name, nf,
                         lay->nf);
        return 1;
    }
    if (fields[0].len == 0 || fields[0].err) {
        chuan_diags_addf(d, dg, "code list '%s': empty code", name);
        return 1;
    }
    int bad = 0;
    *from = l->has_dates ? parse_date_field(&fields[lay->from], &bad) : 0;
    *to = l->has_dates ? parse_date_field(&fields[lay->to], &bad) : 0;
    if (bad) {
        dg->code = "codelist.date";
        chuan_diags_addf(d, dg, "code list '%s', code '%s': validity dates must be YYYY-MM-DD",
                         name, fields[0].data);
        dg->code = "codelist.invalid";
        return 1;
    }
    if (l->has_parent && (fields[lay->parent].len == 0 || fields[lay->parent].err)) {
        chuan_diags_addf(d, dg, "code list '%s', code '%s': empty parent", name, fields[0].data);
        return 1;
    }
    if (*from && *to && *from >= *to) {
        dg->code = "codelist.date";
        chuan_diags_addf(d, dg, "code list '%s', code '%s': valid_from must be before valid_to",
                         name, fields[0].data);
        dg->code = "codelist.invalid";
        return 1;
    }
    return 0;
}

int chuanp_codelist_add(chuanp_codelist *l, size_t *cap, const char *code, const char *name,
                        long from, long to, const char *parent, long line)
{
    if (l->count == *cap) {
        size_t ncap = *cap ? *cap * 2 : 64;
        chuanp_code *c = chuanp_realloc(l->codes, ncap * sizeof *c);
        if (!c)
            return -1;
        l->codes = c;
        *cap = ncap;
    }
    chuanp_code *c = &l->codes[l->count];
    c->code = chuanp_strdup(code);
    c->name = chuanp_strdup(name);
    c->parent = parent ? chuanp_strdup(parent) : NULL;
    c->valid_from = from;
    c->valid_to = to;
    c->line = line;
    if (!c->code || !c->name || (parent && !c->parent)) {
        chuanp_free(c->code);
        chuanp_free(c->name);
        chuanp_free(c->parent);
        return -1;
    }
    l->count++;
    return 0;
}

/* Sorts the codes and reports a code (under one parent) whose validity periods overlap: 1 if any. */
static int check_overlaps(chuanp_codelist *l, const char *name, chuan_diag *dg, chuan_diags *d)
{
    int rc = 0;
    if (l->count)
        qsort(l->codes, l->count, sizeof *l->codes, code_order);
    for (size_t i = 1; i < l->count; i++) {
        const chuanp_code *a = &l->codes[i - 1], *b = &l->codes[i];
        if (strcmp(a->code, b->code) != 0 || !same_parent(a, b))
            continue;
        if (a->valid_to == 0 || b->valid_from == 0 || a->valid_to > b->valid_from) {
            dg->code = "codelist.duplicate-code";
            dg->line = b->line > a->line ? b->line : a->line;
            dg->column = 1;
            long l1 = a->line < b->line ? a->line : b->line, l2 = a->line < b->line ? b->line : a->line;
            if (a->parent) /* one message id per wording (docs/i18n.md) */
                chuan_diags_addf(d, dg,
                                 "code list '%s': code '%s' under parent %s appears on lines %ld and "
                                 "%ld with overlapping validity",
                                 name, a->code, a->parent, l1, l2);
            else
                chuan_diags_addf(d, dg,
                                 "code list '%s': code '%s' appears on lines %ld and %ld with "
                                 "overlapping validity",
                                 name, a->code, l1, l2);
            rc = 1;
        }
    }
    return rc;
}

int chuanp_codelist_load(chuanp_codelist **out, const char *name, const char *path, chuan_diags *d)
{
    *out = NULL;
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_buf fields[CODELIST_MAX_FIELDS];
    for (int k = 0; k < CODELIST_MAX_FIELDS; k++)
        chuanp_buf_init(&fields[k], 1 << 16);
    chuanp_codelist *l = chuanp_calloc(1, sizeof *l);
    chuanp_input in = {.name = path, .path = path};
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.invalid", .file = path,
                     .offset = -1};
    int rc = 0;
    if (!l || !(l->name = chuanp_strdup(name)) || !(l->path = chuanp_strdup(path))) {
        rc = -1;
        goto out;
    }
    if (chuanp_read_all(&in, CODELIST_MAX_BYTES, &data, &len, &errmsg) < 0) {
        dg.code = "codelist.missing";
        chuan_diags_addf(d, &dg, "cannot read code list '%s': %s", name, errmsg ? errmsg : "?");
        rc = -1;
        goto out;
    }
    size_t pos = 0;
    long line = 1;
    if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
        pos = 3;
    long hline = line;
    int nf = next_record(data, len, &pos, &line, fields, CODELIST_MAX_FIELDS);
    if (nf == -2) {
        rc = -1;
        goto out;
    }
    layout lay;
    if (nf < 0 || read_header(fields, nf, &lay) < 0) {
        dg.line = hline;
        dg.column = 1;
        chuan_diags_addf(d, &dg,
                         "code list '%s': the header must be 'code,name', optionally followed by "
                         "'valid_from,valid_to' and then by 'parent'",
                         name);
        rc = 1;
        goto out;
    }
    l->has_dates = lay.from >= 0;
    l->has_parent = lay.parent >= 0;
    size_t cap = 0;
    for (;;) {
        long rline = line, from = 0, to = 0;
        nf = next_record(data, len, &pos, &line, fields, CODELIST_MAX_FIELDS);
        if (nf == 0)
            break;
        dg.line = rline;
        dg.column = 1;
        if (nf == -2) {
            rc = -1;
            goto out;
        }
        if (nf < 0) {
            chuan_diags_addf(d, &dg, "code list '%s': unterminated quoted field", name);
            rc = 1;
            break;
        }
        int row = check_row(l, name, &lay, fields, nf, &dg, d, &from, &to);
        if (row == 1)
            rc = 1;
        if (row)
            continue;
        if (chuanp_codelist_add(l, &cap, fields[0].data, fields[1].data, from, to,
                                l->has_parent ? fields[lay.parent].data : NULL, rline) < 0) {
            rc = -1;
            goto out;
        }
    }
    if (check_overlaps(l, name, &dg, d))
        rc = 1;
out:
    for (int k = 0; k < CODELIST_MAX_FIELDS; k++)
        chuanp_buf_free(&fields[k]);
    chuanp_free(data);
    chuanp_free(errmsg);
    if (rc == -1 && d && !d->count) {
        chuan_diag oom = {.severity = CHUAN_SEV_ERROR, .code = "codelist.missing", .file = path,
                          .offset = -1, .message = N_("out of memory loading a code list")};
        chuan_diags_add(d, &oom);
    }
    if (rc < 0) {
        chuanp_codelist_free(l);
        return rc;
    }
    *out = l;
    return rc;
}

static int cmp_key(const char *code, size_t len, const char *s)
{
    int c = strncmp(code, s, len);
    if (c)
        return c;
    return s[len] ? -1 : 0;
}

static int valid_on(const chuanp_code *c, long date)
{
    return date == 0 || ((c->valid_from == 0 || date >= c->valid_from) &&
                         (c->valid_to == 0 || date < c->valid_to));
}

static int parent_is(const chuanp_code *c, const char *parent, size_t plen)
{
    return c->parent && strlen(c->parent) == plen && memcmp(c->parent, parent, plen) == 0;
}

chuanp_code_status chuanp_codelist_lookup(const chuanp_codelist *l, const char *code, size_t len,
                                          long date, const chuanp_code **hit)
{
    return chuanp_codelist_lookup_in(l, code, len, date, NULL, 0, hit);
}

chuanp_code_status chuanp_codelist_lookup_in(const chuanp_codelist *l, const char *code, size_t len,
                                             long date, const char *parent, size_t plen,
                                             const chuanp_code **hit)
{
    *hit = NULL;
    if (memchr(code, '\0', len))
        return CHUANP_CODE_UNKNOWN;
    size_t lo = 0, hi = l->count;
    while (lo < hi) { /* first entry >= code */
        size_t mid = lo + (hi - lo) / 2;
        if (cmp_key(code, len, l->codes[mid].code) > 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= l->count || cmp_key(code, len, l->codes[lo].code) != 0)
        return CHUANP_CODE_UNKNOWN;
    chuanp_code_status st = CHUANP_CODE_UNKNOWN;
    const chuanp_code *elsewhere = NULL; /* valid on the date under another parent */
    for (size_t i = lo; i < l->count && cmp_key(code, len, l->codes[i].code) == 0; i++) {
        const chuanp_code *c = &l->codes[i];
        if (valid_on(c, date)) {
            if (!parent || parent_is(c, parent, plen)) {
                *hit = c;
                return CHUANP_CODE_VALID;
            }
            if (!elsewhere)
                elsewhere = c;
            continue;
        }
        if (parent && !parent_is(c, parent, plen))
            continue; /* another parent's history says nothing about this one */
        if (c->valid_from && date < c->valid_from) {
            if (st == CHUANP_CODE_UNKNOWN) {
                st = CHUANP_CODE_NOT_YET;
                *hit = c;
            }
        } else {
            st = CHUANP_CODE_EXPIRED;
            *hit = c;
        }
    }
    if (elsewhere) {
        *hit = elsewhere;
        return CHUANP_CODE_WRONG_PARENT;
    }
    return st;
}

void chuanp_codelists_init(chuanp_codelists *set)
{
    memset(set, 0, sizeof *set);
}

int chuanp_codelists_add_dir(chuanp_codelists *set, const char *dir)
{
    for (size_t i = 0; i < set->ndirs; i++)
        if (strcmp(set->dirs[i], dir) == 0)
            return 0;
    char **d = chuanp_realloc(set->dirs, (set->ndirs + 1) * sizeof *d);
    if (!d)
        return -1;
    set->dirs = d;
    if (!(d[set->ndirs] = chuanp_strdup(dir)))
        return -1;
    set->ndirs++;
    return 0;
}

const chuanp_codelist *chuanp_codelists_find(const chuanp_codelists *set, const char *name)
{
    for (size_t i = 0; i < set->count; i++)
        if (strcmp(set->lists[i]->name, name) == 0)
            return set->lists[i];
    return NULL;
}

static int valid_name(const char *name)
{
    if (!*name || name[0] == '.')
        return 0;
    for (const char *p = name; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
              *p == '-' || *p == '_' || *p == '.'))
            return 0;
    return 1;
}

const chuanp_codelist *chuanp_codelists_get(chuanp_codelists *set, const char *name,
                                            chuan_diags *d)
{
    const chuanp_codelist *found = chuanp_codelists_find(set, name);
    if (found)
        return found;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "codelist.missing", .offset = -1};
    if (!valid_name(name)) {
        chuan_diags_addf(d, &dg, "'%s' is not a code list name (letters, digits, '-', '_', '.')",
                         name);
        return NULL;
    }
    for (size_t i = 0; i < set->ndirs; i++) {
        char *path = chuanp_asprintf("%s/%s.csv", set->dirs[i], name);
        if (!path)
            return NULL;
        FILE *f = fopen(path, "rb");
        if (!f) {
            chuanp_free(path);
            continue;
        }
        fclose(f);
        char *real = NULL;
        if (chuanp_path_within(path, set->dirs[i], &real) == 0) {
            /* a symbolic link out of the code-list folder */
            chuan_diag og = {.severity = CHUAN_SEV_ERROR, .code = "codelist.outside", .offset = -1};
            chuan_diags_addf(d, &og, "code list %s resolves to %s, outside its folder %s", path,
                             real ? real : "?", set->dirs[i]);
            chuanp_free(real);
            chuanp_free(path);
            return NULL;
        }
        chuanp_codelist *l = NULL;
        int rc = chuanp_codelist_load(&l, name, path, d);
        chuanp_free(path);
        if (rc != 0) {
            chuanp_codelist_free(l);
            return NULL;
        }
        if (set->count == set->cap) {
            size_t ncap = set->cap ? set->cap * 2 : 8;
            chuanp_codelist **p = chuanp_realloc(set->lists, ncap * sizeof *p);
            if (!p) {
                chuanp_codelist_free(l);
                return NULL;
            }
            set->lists = p;
            set->cap = ncap;
        }
        set->lists[set->count++] = l;
        return l;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < set->ndirs; i++)
        chuanp_buf_printf(&b, "%s%s", i ? ", " : "", set->dirs[i]);
    chuan_diags_addf(d, &dg, "code list '%s' not found (looked for %s.csv in: %s)", name, name,
                     b.len ? b.data : "no directory");
    chuanp_buf_free(&b);
    return NULL;
}

void chuanp_codelists_free(chuanp_codelists *set)
{
    if (!set)
        return;
    for (size_t i = 0; i < set->count; i++)
        chuanp_codelist_free(set->lists[i]);
    for (size_t i = 0; i < set->ndirs; i++)
        chuanp_free(set->dirs[i]);
    chuanp_free(set->lists);
    chuanp_free(set->dirs);
    memset(set, 0, sizeof *set);
}
