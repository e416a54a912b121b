/* validator/vocab_pattern.c - "patternSetting": a string must match one of the patterns a
 * setting of standard.json holds, so that a package maintainer can widen or narrow the accepted
 * forms of a value (e.g. edXML DocumentIds: "OrganId,yyyy/MM/dd,số/ký hiệu" and UUIDs) without
 * touching the model. Patterns are ECMA-262 like "pattern" (unanchored unless they say so). */
#include "jsonschema_int.h"
#include "vocab_keywords.h"

#include <string.h>

typedef struct pattern_state {
    js_regex *res;
    size_t n;
    char *setting;
    char *list; /* the patterns, for the message */
} pattern_state;

void chuanp_vocab_pattern_free(void *p)
{
    pattern_state *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        chuanp_js_regex_free(&st->res[i]);
    chuanp_free(st->res);
    chuanp_free(st->setting);
    chuanp_free(st->list);
    chuanp_free(st);
}

static int pattern_bad(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *at, chuan_diags *d,
               const char *msg, const char *arg)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema",
                     .file = ctx->schema_file, .line = at ? (long)at->line : 0,
                     .column = at ? (long)at->column : 0, .offset = at ? (long long)at->offset : -1,
                     .keyword_location = ctx->schema_location};
    chuan_diags_addf(d, &dg, msg, arg ? arg : "");
    return 1;
}

int chuanp_vocab_pattern_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                                 void **state, chuan_diags *d)
{
    const chuanp_jv *name = value->type == CHUANP_JOBJECT ? chuanp_json_get(value, "setting") : NULL;
    if (!name || name->type != CHUANP_JSTRING)
        return pattern_bad(ctx, value, d, "\"patternSetting\" wants {\"setting\": NAME}%s", NULL);
    const chuanp_vocab_ctx *vc = ctx->user;
    const chuanp_jv *list = vc && vc->settings ? chuanp_json_get(vc->settings, name->u.str.text) : NULL;
    if (!list)
        return pattern_bad(ctx, name, d, "\"patternSetting\": the setting \"%s\" is not in standard.json \"settings\"",
                   name->u.str.text);
    size_t n = list->type == CHUANP_JARRAY ? list->u.arr.count : 1;
    if (n == 0)
        return pattern_bad(ctx, list, d, "\"patternSetting\": the setting \"%s\" is an empty list", name->u.str.text);
    pattern_state *st = chuanp_calloc(1, sizeof *st);
    if (!st || !(st->res = chuanp_calloc(n, sizeof *st->res)) ||
        !(st->setting = chuanp_strdup(name->u.str.text))) {
        chuanp_vocab_pattern_free(st);
        return -1;
    }
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    for (size_t i = 0; i < n; i++) {
        const chuanp_jv *it = list->type == CHUANP_JARRAY ? list->u.arr.items[i] : list;
        if (it->type != CHUANP_JSTRING) {
            chuanp_buf_free(&b);
            chuanp_vocab_pattern_free(st);
            return pattern_bad(ctx, it, d, "\"patternSetting\": the setting \"%s\" must hold strings (patterns)",
                       name->u.str.text);
        }
        char *err = NULL;
        if (chuanp_js_regex_compile(&st->res[i], it->u.str.text, it->u.str.len, &err) < 0) {
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema",
                             .file = ctx->schema_file, .line = (long)it->line,
                             .column = (long)it->column, .offset = -1,
                             .keyword_location = ctx->schema_location};
            chuan_diags_addf(d, &dg, "\"patternSetting\": bad pattern in setting \"%s\": %s",
                             name->u.str.text, err ? err : "?");
            chuanp_free(err);
            chuanp_buf_free(&b);
            chuanp_vocab_pattern_free(st);
            return 1;
        }
        st->n++;
        chuanp_buf_printf(&b, "%s%s", i ? " | " : "", it->u.str.text);
    }
    if (b.err) {
        chuanp_buf_free(&b);
        chuanp_vocab_pattern_free(st);
        return -1;
    }
    st->list = chuanp_buf_steal(&b, NULL);
    *state = st;
    return 0;
}

int chuanp_vocab_pattern_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const pattern_state *st = state;
    const chuanp_jv *v = call->instance;
    if (!v || v->type != CHUANP_JSTRING)
        return 0;
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    if (!md)
        return -1;
    int hit = 0;
    for (size_t i = 0; i < st->n && !hit; i++)
        hit = chuanp_js_regex_match(&st->res[i], v->u.str.text, v->u.str.len, md, NULL) == 1;
    pcre2_match_data_free(md);
    if (hit)
        return 0;
    char *en = chuanp_asprintf("'%.200s' has none of the forms of the setting %s (%s)", v->u.str.text,
                               st->setting, st->list ? st->list : "");
    char *vi = chuanp_asprintf("'%.200s' không có dạng nào của thiết lập %s (%s)", v->u.str.text,
                               st->setting, st->list ? st->list : "");
    int rc = en ? call->fail(call, NULL, NULL, en, vi) : -1;
    chuanp_free(en);
    chuanp_free(vi);
    return rc < 0 ? -1 : 1;
}
