/* validator/jsonschema_report.c - failures collected during evaluation and
 * their conversion to diagnostics (rule ids, message overrides, locations). */
#include "jsonschema_eval.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

int chuanp_js_seg_push(js_segs *s, const char *key, size_t len, size_t idx)
{
    if (s->n == s->cap) {
        size_t nc = s->cap ? s->cap * 2 : 64;
        js_seg *nv = chuanp_realloc(s->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        s->v = nv;
        s->cap = nc;
    }
    s->v[s->n].s = key;
    s->v[s->n].len = len;
    s->v[s->n].idx = idx;
    s->n++;
    return 0;
}

static void put_token(chuanp_buf *b, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (s[i] == '~')
            chuanp_buf_puts(b, "~0");
        else if (s[i] == '/')
            chuanp_buf_puts(b, "~1");
        else
            chuanp_buf_putc(b, s[i]);
    }
}

static void put_segs(chuanp_buf *b, const js_segs *s)
{
    for (size_t i = 0; i < s->n; i++) {
        chuanp_buf_putc(b, '/');
        if (s->v[i].s)
            put_token(b, s->v[i].s, s->v[i].len);
        else
            chuanp_buf_printf(b, "%zu", s->v[i].idx);
    }
}

static char *scratch_copy(js_ctx *c, chuanp_buf *b)
{
    if (b->err)
        return NULL;
    return chuanp_arena_strndup(&c->st->scratch, b->data ? b->data : "", b->len);
}

const char *chuanp_js_instance_pointer(js_ctx *c)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    put_segs(&b, &c->st->ip);
    const char *r = scratch_copy(c, &b);
    chuanp_buf_free(&b);
    return r;
}

/* The value in a few words for a message; an array or object described in the language of
 * messages (it fills the %s of a template that is translated as a whole). */
const char *chuanp_js_describe(js_ctx *c, const chuanp_jv *v)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    switch (v->type) {
    case CHUANP_JNULL: chuanp_buf_puts(&b, "null"); break;
    case CHUANP_JTRUE: chuanp_buf_puts(&b, "true"); break;
    case CHUANP_JFALSE: chuanp_buf_puts(&b, "false"); break;
    case CHUANP_JNUMBER:
        chuanp_buf_append(&b, v->u.str.text, v->u.str.len > 40 ? 40 : v->u.str.len);
        if (v->u.str.len > 40)
            chuanp_buf_puts(&b, "...");
        break;
    case CHUANP_JSTRING: {
        size_t n = v->u.str.len;
        if (n > 48) {
            n = 48;
            while (n > 0 && ((unsigned char)v->u.str.text[n] & 0xC0) == 0x80)
                n--;
        }
        chuanp_buf_json_string(&b, v->u.str.text, n);
        if (n < v->u.str.len)
            chuanp_buf_puts(&b, "...");
        break;
    }
    case CHUANP_JARRAY:
        chuanp_buf_printf(&b,
                          chuanp_plural((long)v->u.arr.count, N_("an array of %zu item"),
                                        N_("an array of %zu items")),
                          v->u.arr.count);
        break;
    default:
        chuanp_buf_printf(&b,
                          chuanp_plural((long)v->u.obj.count, N_("an object with %zu property"),
                                        N_("an object with %zu properties")),
                          v->u.obj.count);
        break;
    }
    const char *r = scratch_copy(c, &b);
    chuanp_buf_free(&b);
    return r ? r : "?";
}

/* Message override of the "message" keyword for kw: 1 found. */
static int override(const js_node *n, const char *kw, const char **en, const char **vi)
{
    const chuanp_jv *m = n ? n->message : NULL;
    if (!m)
        return 0;
    if (m->type == CHUANP_JSTRING) {
        *en = m->u.str.text;
        return 1;
    }
    const chuanp_jv *v = chuanp_json_get(m, kw);
    if (!v)
        v = chuanp_json_get(m, "*");
    if (!v)
        return 0;
    if (v->type == CHUANP_JSTRING) {
        *en = v->u.str.text;
        return 1;
    }
    if (v->type == CHUANP_JOBJECT) {
        const chuanp_jv *e = chuanp_json_get(v, "en"), *x = chuanp_json_get(v, "vi");
        if (e && e->type == CHUANP_JSTRING)
            *en = e->u.str.text;
        if (x && x->type == CHUANP_JSTRING)
            *vi = x->u.str.text;
        return *en != NULL;
    }
    return 0;
}

/* The part of chuanp_js_fail that needs no text: the verdict in quiet mode, past
 * max_errs, and the entry recorded when only counting. Returns 2 when the caller must go
 * on to format the entry (*ep: the entry, not yet counted). */
static int fail_head(js_ctx *c, const js_node *n, const char *kw, const char *code,
                     const chuanp_jv *inst, js_err **ep)
{
    int warning = c->rule && c->rule->warning;
    if (c->quiet)
        return warning && !c->prepass;
    chuanp_jsonschema_vstate *st = c->st;
    if (c->max_errs && st->nerr >= c->max_errs) {
        c->aborted = 1; /* enough to report: stop evaluating this instance */
        return warning;
    }
    if (st->nerr == st->caperr) {
        size_t nc = st->caperr ? st->caperr * 2 : 16;
        js_err *ne = chuanp_realloc(st->errs, nc * sizeof *ne);
        if (!ne)
            return -1;
        st->errs = ne;
        st->caperr = nc;
    }
    js_err *e = &st->errs[st->nerr];
    memset(e, 0, sizeof *e);
    e->node = n;
    e->kw = kw;
    e->code = code;
    e->inst = inst;
    e->rule = c->rule;
    e->depth = (int)st->ip.n;
    if (c->count_only) {
        e->ipath = e->kpath = e->sloc = e->detail_en = (char *)"";
        st->nerr++;
        return warning;
    }
    *ep = e;
    return 2;
}

int chuanp_js_fail_bare(js_ctx *c, const js_node *n, const char *kw, const char *code,
                        const chuanp_jv *inst)
{
    js_err *e = NULL;
    int r = fail_head(c, n, kw, code, inst, &e);
    if (r != 2)
        return r;
    /* only reached when chuanp_js_text_needed() was wrong: record an entry without text */
    e->ipath = e->kpath = e->sloc = e->detail_en = (char *)"";
    c->st->nerr++;
    return c->rule && c->rule->warning;
}

int chuanp_js_fail(js_ctx *c, const js_node *n, const char *kw, const char *code,
                   const chuanp_jv *inst, const char *extra, const char *rel_ptr, const char *vi,
                   const char *fmt, ...)
{
    int warning = c->rule && c->rule->warning;
    chuanp_jsonschema_vstate *st = c->st;
    js_err *e = NULL;
    int head = fail_head(c, n, kw, code, inst, &e);
    if (head != 2)
        return head;
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    put_segs(&b, &st->ip);
    if (rel_ptr && *rel_ptr)
        chuanp_buf_puts(&b, rel_ptr);
    e->ipath = scratch_copy(c, &b);
    chuanp_buf_reset(&b);
    put_segs(&b, &st->kp);
    if (kw) {
        chuanp_buf_putc(&b, '/');
        chuanp_buf_puts(&b, kw);
    }
    if (extra)
        chuanp_buf_puts(&b, extra);
    e->kpath = scratch_copy(c, &b);
    chuanp_buf_reset(&b);
    if (n && n->loc) {
        chuanp_buf_puts(&b, n->loc);
        if (kw) {
            chuanp_buf_putc(&b, '/');
            chuanp_buf_puts(&b, kw);
        }
        if (extra)
            chuanp_buf_puts(&b, extra);
    }
    e->sloc = scratch_copy(c, &b);
    const char *oen = NULL, *ovi = NULL;
    if (override(n, kw ? kw : "false", &oen, &ovi)) {
        e->detail_en = chuanp_arena_strndup(&st->scratch, oen, strlen(oen));
        e->detail_vi = ovi ? chuanp_arena_strndup(&st->scratch, ovi, strlen(ovi)) : NULL;
    } else {
        chuanp_buf_reset(&b);
        va_list ap;
        va_start(ap, fmt);
        chuanp_buf_vprintf(&b, fmt, ap);
        va_end(ap);
        e->detail_en = scratch_copy(c, &b);
        e->detail_vi = vi ? chuanp_arena_strndup(&st->scratch, vi, strlen(vi)) : NULL;
        /* the template's translation (core/i18n.h) when messages are in Vietnamese */
        const char *tvi = !vi && chuanp_lang_get() == CHUANP_LANG_VI ? chuanp_gettext_vi(fmt) : NULL;
        if (tvi) {
            chuanp_buf_reset(&b);
            va_start(ap, fmt);
            chuanp_buf_vprintf(&b, tvi, ap);
            va_end(ap);
            e->detail_vi = scratch_copy(c, &b);
        }
    }
    chuanp_buf_free(&b);
    if (!e->ipath || !e->kpath || !e->sloc || !e->detail_en)
        return -1;
    st->nerr++;
    return warning;
}

int chuanp_js_emit(js_ctx *c, const char *file, chuan_diags *diags)
{
    chuanp_buf code, en, vi;
    chuanp_buf_init(&code, 0);
    chuanp_buf_init(&en, 0);
    chuanp_buf_init(&vi, 0);
    int rc = 0;
    for (size_t i = 0; i < c->st->nerr; i++) {
        const js_err *e = &c->st->errs[i];
        const js_rule *r = e->rule;
        if (c->count_only) {
            /* the list is full: chuan_diags_add only counts (and drops) it */
            int lim = e->code && strcmp(e->code, "jsonschema.limit") == 0;
            chuan_diag d = {.severity = r && r->warning && !lim ? (r->info ? CHUAN_SEV_INFO : CHUAN_SEV_WARNING)
                                                                : CHUAN_SEV_ERROR};
            if (chuan_diags_add(diags, &d) < 0) {
                rc = -1;
                break;
            }
            continue;
        }
        chuanp_buf_reset(&code);
        chuanp_buf_reset(&en);
        chuanp_buf_reset(&vi);
        int limit = e->code && strcmp(e->code, "jsonschema.limit") == 0;
        if (e->code && (!r || limit))
            chuanp_buf_puts(&code, e->code);
        else if (r)
            chuanp_buf_puts(&code, r->id);
        else
            chuanp_buf_printf(&code, "jsonschema.%s", e->kw ? e->kw : "false");
        if (r && r->msg_en)
            chuanp_buf_printf(&en, "%s: %s", r->msg_en, e->detail_en);
        else
            chuanp_buf_puts(&en, e->detail_en);
        const char *vtext = NULL;
        if (r && r->msg_vi) {
            chuanp_buf_printf(&vi, "%s: %s", r->msg_vi, e->detail_vi ? e->detail_vi : e->detail_en);
            vtext = vi.data;
        } else if (e->detail_vi) {
            vtext = e->detail_vi;
        }
        chuan_diag d = {
            .severity = r && r->warning && !limit ? (r->info ? CHUAN_SEV_INFO : CHUAN_SEV_WARNING)
                                                  : CHUAN_SEV_ERROR,
            .code = code.data,
            .message = en.data,
            .message_vi = vtext,
            .file = file,
            .line = e->inst ? (long)e->inst->line : 0,
            .column = e->inst ? (long)e->inst->column : 0,
            .offset = e->inst && e->inst->line ? (long long)e->inst->offset : -1,
            .path = e->ipath,
            .source = r ? r->source : NULL,
            .keyword_location = e->kpath,
            .schema_location = e->sloc,
        };
        if (code.err || en.err || vi.err || chuan_diags_add(diags, &d) < 0) {
            rc = -1;
            break;
        }
    }
    chuanp_buf_free(&code);
    chuanp_buf_free(&en);
    chuanp_buf_free(&vi);
    return rc;
}
