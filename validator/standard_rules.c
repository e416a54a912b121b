/* validator/standard_rules.c - what a package's model says about its rules: the rule ids, their
 * metadata, and the fields the vocabulary keywords and "required" refer to (for chuan lint and
 * chuan test's rule coverage). */
#include "standard_check.h"

#include <stdlib.h>
#include <string.h>

#define MAX_WALK_DEPTH 256

int chuanp_strlist_add(chuanp_pathlist *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->paths[i], s) == 0)
            return 0;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **p = chuanp_realloc(l->paths, cap * sizeof *p);
        if (!p)
            return -1;
        l->paths = p;
        l->cap = cap;
    }
    if (!(l->paths[l->count] = chuanp_strdup(s)))
        return -1;
    l->count++;
    return 0;
}

int chuanp_strlist_has(const chuanp_pathlist *l, const char *s)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->paths[i], s) == 0)
            return 1;
    return 0;
}

static const char *jstr(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING ? v->u.str.text : NULL;
}

static void walk_names(const chuanp_jv *v, chuanp_pathlist *names, int depth)
{
    if (!v || depth > MAX_WALK_DEPTH)
        return;
    if (v->type == CHUANP_JARRAY) {
        for (size_t i = 0; i < v->u.arr.count; i++)
            walk_names(v->u.arr.items[i], names, depth + 1);
        return;
    }
    if (v->type != CHUANP_JOBJECT)
        return;
    for (size_t i = 0; i < v->u.obj.count; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        if (strcmp(m->key, "properties") == 0 && m->value->type == CHUANP_JOBJECT)
            for (size_t k = 0; k < m->value->u.obj.count; k++)
                chuanp_strlist_add(names, m->value->u.obj.members[k].key);
        /* rule metadata and enum/const values hold no subschemas */
        if (strcmp(m->key, "rule") && strcmp(m->key, "enum") && strcmp(m->key, "const") &&
            strcmp(m->key, "examples") && strcmp(m->key, "default"))
            walk_names(m->value, names, depth + 1);
    }
}

typedef struct lint_walk {
    const chuanp_standard *std;
    const char *file;
    const chuanp_pathlist *names;
    chuanp_pathlist *rule_ids;
    chuan_diags *d;
    int errors, warnings;
} lint_walk;

static void finding(lint_walk *w, chuan_severity sev, const char *code, const chuanp_jv *at,
                    const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void finding(lint_walk *w, chuan_severity sev, const char *code, const chuanp_jv *at,
                    const char *fmt, ...)
{
    if (!w->d)
        return;
    chuan_diag dg = {.severity = sev, .code = code, .file = w->file,
                     .line = at ? (long)at->line : 0, .column = at ? (long)at->column : 0,
                     .offset = at ? (long long)at->offset : -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(w->d, &dg, fmt, ap);
    va_end(ap);
    if (sev == CHUAN_SEV_ERROR)
        w->errors++;
    else
        w->warnings++;
}

/* A field operand: a member name, or a JSON Pointer whose member segments
 * are all names of the model. */
static void check_field(lint_walk *w, const chuanp_jv *at, const char *kw, const char *field)
{
    if (!field)
        return;
    if (field[0] != '/') {
        if (!chuanp_strlist_has(w->names, field))
            finding(w, CHUAN_SEV_ERROR, "lint.unknown-field", at,
                    "\"%s\" refers to the field '%s', which the model does not define", kw, field);
        return;
    }
    char seg[512];
    for (const char *p = field; *p == '/';) {
        p++;
        size_t n = strcspn(p, "/");
        size_t k = n < sizeof seg - 1 ? n : sizeof seg - 1;
        memcpy(seg, p, k);
        seg[k] = '\0';
        p += n;
        if (k && strspn(seg, "0123456789") == k)
            continue; /* array index */
        if (!chuanp_strlist_has(w->names, seg)) {
            finding(w, CHUAN_SEV_ERROR, "lint.unknown-field", at,
                    "\"%s\" refers to '%s': the model defines no field '%s'", kw, field, seg);
            return;
        }
    }
}

static void check_rule(lint_walk *w, const chuanp_jv *rule)
{
    if (rule->type != CHUANP_JOBJECT) {
        finding(w, CHUAN_SEV_ERROR, "lint.rule", rule, "\"rule\" must be an object");
        return;
    }
    const char *id = jstr(chuanp_json_get(rule, "id"));
    if (!id || !*id)
        finding(w, CHUAN_SEV_ERROR, "lint.rule", rule, "a rule needs an \"id\"");
    else if (w->rule_ids)
        chuanp_strlist_add(w->rule_ids, id);
    const chuanp_jv *msg = chuanp_json_get(rule, "message");
    if (!msg || (!jstr(msg) && !jstr(chuanp_json_get(msg, "en"))))
        finding(w, CHUAN_SEV_ERROR, "lint.rule", rule, "rule %s needs a \"message\" {\"en\", \"vi\"}",
                id ? id : "?");
    else if (!jstr(chuanp_json_get(msg, "vi")))
        finding(w, CHUAN_SEV_WARNING, "lint.rule-vi", msg,
                "rule %s has no Vietnamese message (\"message\": {\"vi\": ...})", id ? id : "?");
    const char *src = jstr(chuanp_json_get(rule, "source"));
    if (!src || !*src)
        finding(w, CHUAN_SEV_ERROR, "lint.rule", rule,
                "rule %s needs a \"source\" (the regulation it comes from)", id ? id : "?");
    const char *sev = jstr(chuanp_json_get(rule, "severity"));
    if (sev && strcmp(sev, "error") && strcmp(sev, "warning") && strcmp(sev, "info"))
        finding(w, CHUAN_SEV_ERROR, "lint.rule", rule, "rule %s: severity must be error, warning or info",
                id ? id : "?");
}

static void walk_rules(lint_walk *w, const chuanp_jv *v, int depth)
{
    if (!v || depth > MAX_WALK_DEPTH)
        return;
    if (v->type == CHUANP_JARRAY) {
        for (size_t i = 0; i < v->u.arr.count; i++)
            walk_rules(w, v->u.arr.items[i], depth + 1);
        return;
    }
    if (v->type != CHUANP_JOBJECT)
        return;
    for (size_t i = 0; i < v->u.obj.count; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        const chuanp_jv *x = m->value;
        if (strcmp(m->key, "rule") == 0) {
            check_rule(w, x);
            continue;
        }
        if (strcmp(m->key, "enum") == 0 || strcmp(m->key, "const") == 0 ||
            strcmp(m->key, "examples") == 0 || strcmp(m->key, "default") == 0)
            continue;
        if (strcmp(m->key, "required") == 0 && x->type == CHUANP_JARRAY) {
            for (size_t k = 0; k < x->u.arr.count; k++)
                check_field(w, x->u.arr.items[k], "required", jstr(x->u.arr.items[k]));
        } else if (strcmp(m->key, "compare") == 0) {
            size_t n = x->type == CHUANP_JARRAY ? x->u.arr.count : 1;
            for (size_t k = 0; k < n; k++) {
                const chuanp_jv *it = x->type == CHUANP_JARRAY ? x->u.arr.items[k] : x;
                check_field(w, it, "compare", jstr(chuanp_json_get(it, "left")));
                check_field(w, it, "compare", jstr(chuanp_json_get(it, "right")));
            }
        } else if (strcmp(m->key, "sumOf") == 0) {
            check_field(w, x, "sumOf", jstr(chuanp_json_get(x, "total")));
            check_field(w, x, "sumOf", jstr(chuanp_json_get(x, "items")));
            check_field(w, x, "sumOf", jstr(chuanp_json_get(x, "field")));
            const chuanp_jv *f = chuanp_json_get(x, "fields");
            for (size_t k = 0; f && f->type == CHUANP_JARRAY && k < f->u.arr.count; k++)
                check_field(w, f->u.arr.items[k], "sumOf", jstr(f->u.arr.items[k]));
        } else if (strcmp(m->key, "personalId") == 0) {
            check_field(w, x, "personalId", jstr(chuanp_json_get(x, "birthDate")));
            check_field(w, x, "personalId", jstr(chuanp_json_get(x, "gender")));
        } else if (strcmp(m->key, "codelist") == 0) {
            check_field(w, x, "codelist", jstr(chuanp_json_get(x, "date")));
            check_field(w, x, "codelist", jstr(chuanp_json_get(x, "parent")));
        } else if (strcmp(m->key, "columnTotals") == 0) {
            check_field(w, x, "columnTotals", jstr(chuanp_json_get(x, "key")));
            const chuanp_jv *c = chuanp_json_get(x, "columns");
            for (size_t k = 0; c && c->type == CHUANP_JARRAY && k < c->u.arr.count; k++)
                check_field(w, c->u.arr.items[k], "columnTotals", jstr(c->u.arr.items[k]));
        }
        walk_rules(w, x, depth + 1);
    }
}

int chuanp_model_read(chuanp_jv **root, chuanp_arena *arena, const char *path, chuan_diags *d)
{
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    chuanp_input in = {.name = path, .path = path};
    *root = NULL;
    if (chuanp_read_all(&in, 64u << 20, &data, &len, &errmsg) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.model", .file = path,
                         .offset = -1};
        chuan_diags_addf(d, &dg, "cannot read the model %s: %s", path, errmsg ? errmsg : "?");
        chuanp_free(errmsg);
        return -1;
    }
    chuanp_json_opts jo = {.file = path, .allow_bom = 1};
    int rc = chuanp_json_parse(root, data, len, &jo, arena, d);
    chuanp_free(data);
    return rc == 0 ? 0 : -1;
}

int chuanp_model_rules(const chuanp_jv *model, const char *file, const chuanp_standard *std,
                       chuanp_pathlist *rule_ids, chuan_diags *d, int *errors, int *warnings)
{
    chuanp_pathlist names = {0};
    walk_names(model, &names, 0);
    lint_walk w = {.std = std, .file = file, .names = &names, .rule_ids = rule_ids, .d = d};
    walk_rules(&w, model, 0);
    chuanp_pathlist_free(&names);
    if (errors)
        *errors += w.errors;
    if (warnings)
        *warnings += w.warnings;
    return w.errors ? 1 : 0;
}

static void walk_info(const chuanp_jv *v, chuanp_rule_info_cb cb, void *ctx, int depth)
{
    if (!v || depth > MAX_WALK_DEPTH)
        return;
    if (v->type == CHUANP_JARRAY) {
        for (size_t i = 0; i < v->u.arr.count; i++)
            walk_info(v->u.arr.items[i], cb, ctx, depth + 1);
        return;
    }
    if (v->type != CHUANP_JOBJECT)
        return;
    for (size_t i = 0; i < v->u.obj.count; i++) {
        const chuanp_jmember *m = &v->u.obj.members[i];
        if (strcmp(m->key, "rule") == 0) {
            const char *id = jstr(chuanp_json_get(m->value, "id"));
            const char *sev = jstr(chuanp_json_get(m->value, "severity"));
            if (id && *id)
                cb(ctx, id, sev ? sev : "error", jstr(chuanp_json_get(m->value, "source")));
            continue;
        }
        if (strcmp(m->key, "enum") == 0 || strcmp(m->key, "const") == 0 ||
            strcmp(m->key, "examples") == 0 || strcmp(m->key, "default") == 0)
            continue;
        walk_info(m->value, cb, ctx, depth + 1);
    }
}

void chuanp_model_rule_info(const chuanp_jv *model, chuanp_rule_info_cb cb, void *ctx)
{
    walk_info(model, cb, ctx, 0);
}
