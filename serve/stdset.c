/* serve/stdset.c - every standard package found, each compiled once into a
 * validator, with its metadata as JSON for GET /v1/standards/{id}. The set
 * is reference-counted: a request keeps the set it started with, a reload
 * builds a new one beside it. */
#include "serve.h"
#include "../validator/standard.h"
#include "../validator/standard_check.h"

#include <stdatomic.h>
#include <string.h>

struct chuanp_stdset {
    atomic_int refs;
    chuanp_stdinfo *items;
    size_t n;
};

static void json_str_member(chuanp_buf *b, const char *name, const char *v, int comma)
{
    chuanp_buf_printf(b, "%s\"%s\":", comma ? "," : "", name);
    if (v)
        chuanp_buf_json_string(b, v, strlen(v));
    else
        chuanp_buf_puts(b, "null");
}

/* The metadata document of one package. */
static char *describe(const chuanp_standard *s, const char *formats)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '{');
    json_str_member(&b, "id", s->id, 0);
    json_str_member(&b, "version", s->version, 1);
    json_str_member(&b, "title", s->title_en, 1);
    json_str_member(&b, "title_vi", s->title_vi, 1);
    json_str_member(&b, "state", s->state, 1);
    json_str_member(&b, "valid_from", s->valid_from, 1);
    json_str_member(&b, "valid_to", s->valid_to, 1);
    chuanp_buf_printf(&b, ",\"unofficial\":%s,\"formats\":[", s->unofficial ? "true" : "false");
    const char *f = formats;
    for (int first = 1; *f; first = 0) {
        const char *e = strchr(f, ',');
        size_t n = e ? (size_t)(e - f) : strlen(f);
        if (!first)
            chuanp_buf_putc(&b, ',');
        chuanp_buf_json_string(&b, f, n);
        f += n + (e ? 1 : 0);
    }
    chuanp_buf_puts(&b, "],\"regulations\":[");
    size_t nreg = s->regulations && s->regulations->type == CHUANP_JARRAY
                      ? s->regulations->u.arr.count : 0;
    for (size_t i = 0; i < nreg; i++) {
        const chuanp_jv *r = s->regulations->u.arr.items[i];
        const chuanp_jv *id = chuanp_json_get(r, "id"), *title = chuanp_json_get(r, "title");
        if (i)
            chuanp_buf_putc(&b, ',');
        chuanp_buf_putc(&b, '{');
        json_str_member(&b, "id", id && id->type == CHUANP_JSTRING ? id->u.str.text : NULL, 0);
        json_str_member(&b, "title", title && title->type == CHUANP_JSTRING ? title->u.str.text : NULL,
                        1);
        chuanp_buf_putc(&b, '}');
    }
    chuanp_buf_puts(&b, "],\"codelists\":[");
    for (size_t i = 0; i < s->ncodelists; i++) {
        if (i)
            chuanp_buf_putc(&b, ',');
        chuanp_buf_json_string(&b, s->codelists[i], strlen(s->codelists[i]));
    }
    chuanp_buf_puts(&b, "],\"rules\":[");
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_jv *model = NULL;
    chuanp_pathlist rules = {0};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    if (s->model && chuanp_model_read(&model, &arena, s->model, &d) == 0)
        chuanp_model_rules(model, s->model, s, &rules, NULL, NULL, NULL);
    for (size_t i = 0; i < rules.count; i++) {
        if (i)
            chuanp_buf_putc(&b, ',');
        chuanp_buf_json_string(&b, rules.paths[i], strlen(rules.paths[i]));
    }
    chuanp_buf_puts(&b, "]}");
    chuanp_pathlist_free(&rules);
    chuanp_arena_free(&arena);
    chuan_diags_clear(&d);
    return chuanp_buf_steal(&b, NULL);
}

static void info_clear(chuanp_stdinfo *x)
{
    chuanp_free(x->id);
    chuanp_free(x->version);
    chuanp_free(x->title_en);
    chuanp_free(x->title_vi);
    chuanp_free(x->state);
    chuanp_free(x->dir);
    chuanp_free(x->formats);
    chuanp_free(x->model);
    chuanp_free(x->json);
    chuan_validator_free(x->validator);
}

chuanp_stdset *chuanp_stdset_load(FILE *err)
{
    chuanp_stdset *set = chuanp_calloc(1, sizeof *set);
    if (!set)
        return NULL;
    atomic_init(&set->refs, 1);
    chuanp_pathlist dirs = {0};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_standard_list(&dirs, &d);
    set->items = chuanp_calloc(dirs.count ? dirs.count : 1, sizeof *set->items);
    if (!set->items) {
        chuanp_free(set);
        chuanp_pathlist_free(&dirs);
        chuan_diags_clear(&d);
        return NULL;
    }
    for (size_t i = 0; i < dirs.count; i++) {
        chuanp_standard *s = NULL;
        chuan_diags ld;
        chuan_diags_init(&ld, 0);
        if (chuanp_standard_load(&s, dirs.paths[i], &ld) != 0) {
            fprintf(err, "chuan serve: %s: not loaded (%s)\n", dirs.paths[i],
                    ld.count ? ld.items[0].message : "cannot read it");
            chuan_diags_clear(&ld);
            continue;
        }
        chuan_validator_opts vo = {.standard = dirs.paths[i]};
        chuan_validator *v = chuan_validator_new(&vo, &ld);
        if (!v) {
            fprintf(err, "chuan serve: standard %s does not compile: %s\n", s->id,
                    ld.count ? ld.items[0].message : "?");
            chuan_diags_clear(&ld);
            chuanp_standard_free(s);
            continue;
        }
        chuan_diags_clear(&ld);
        char formats[64] = "";
        const char *names[4] = {"xml", "json", "ndjson", "csv"};
        int has[4] = {s->has_xml, s->has_json, s->has_ndjson, s->has_csv};
        size_t flen = 0;
        for (int k = 0; k < 4; k++)
            if (has[k])
                flen += (size_t)snprintf(formats + flen, sizeof formats - flen, "%s%s",
                                         flen ? "," : "", names[k]);
        chuanp_stdinfo *x = &set->items[set->n++];
        x->id = chuanp_strdup(s->id);
        x->version = chuanp_strdup(s->version);
        x->title_en = chuanp_strdup(s->title_en);
        x->title_vi = chuanp_strdup(s->title_vi);
        x->state = chuanp_strdup(s->state);
        x->dir = chuanp_strdup(dirs.paths[i]);
        x->formats = chuanp_strdup(formats);
        x->model = chuanp_strdup(s->model);
        x->json = describe(s, formats);
        x->validator = v;
        chuanp_standard_free(s);
    }
    chuanp_pathlist_free(&dirs);
    chuan_diags_clear(&d);
    return set;
}

void chuanp_stdset_ref(chuanp_stdset *s)
{
    atomic_fetch_add(&s->refs, 1);
}

void chuanp_stdset_unref(chuanp_stdset *s)
{
    if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
        return;
    for (size_t i = 0; i < s->n; i++)
        info_clear(&s->items[i]);
    chuanp_free(s->items);
    chuanp_free(s);
}

size_t chuanp_stdset_count(const chuanp_stdset *s)
{
    return s->n;
}

const chuanp_stdinfo *chuanp_stdset_at(const chuanp_stdset *s, size_t i)
{
    return i < s->n ? &s->items[i] : NULL;
}

const chuanp_stdinfo *chuanp_stdset_find(const chuanp_stdset *s, const char *id)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->items[i].id, id) == 0)
            return &s->items[i];
    return NULL;
}
