/* validator/vocab_keywords.c - the vocabulary keywords plugged into the JSON Schema engine. */
#include "vocab_keywords.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

const chuanp_jv *chuanp_json_pointer(const chuanp_jv *root, const char *ptr)
{
    const chuanp_jv *v = root;
    if (!ptr || !*ptr)
        return root;
    if (*ptr != '/')
        return NULL;
    char seg[512];
    const char *p = ptr;
    while (v && *p == '/') {
        p++;
        size_t n = 0;
        while (*p && *p != '/' && n < sizeof seg - 1) {
            if (p[0] == '~' && p[1] == '0')
                seg[n++] = '~', p += 2;
            else if (p[0] == '~' && p[1] == '1')
                seg[n++] = '/', p += 2;
            else
                seg[n++] = *p++;
        }
        seg[n] = '\0';
        if (v->type == CHUANP_JOBJECT) {
            v = chuanp_json_get_n(v, seg, n);
        } else if (v->type == CHUANP_JARRAY) {
            long idx;
            if (chuanp_parse_long(seg, 0, 1L << 30, &idx) < 0)
                return NULL;
            v = chuanp_json_at(v, (size_t)idx);
        } else {
            return NULL;
        }
    }
    return *p ? NULL : v;
}

/* An operand: "/A/B" from the record root, else a member of obj. */
static const chuanp_jv *vocab_operand(const chuanp_jv *root, const chuanp_jv *obj,
                                      const char *operand)
{
    if (operand[0] == '/')
        return chuanp_json_pointer(root, operand);
    return obj && obj->type == CHUANP_JOBJECT ? chuanp_json_get(obj, operand) : NULL;
}

const char *chuanp_vocab_scalar(const chuanp_jv *v, size_t *len)
{
    if (v && (v->type == CHUANP_JSTRING || v->type == CHUANP_JNUMBER)) {
        *len = v->u.str.len;
        return v->u.str.text;
    }
    return NULL;
}

/* "/" + escaped member name, for call->fail's relative pointer. */
static char *member_pointer(const char *name)
{
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_putc(&b, '/');
    for (const char *p = name; *p; p++) {
        if (*p == '~')
            chuanp_buf_puts(&b, "~0");
        else if (*p == '/')
            chuanp_buf_puts(&b, "~1");
        else
            chuanp_buf_putc(&b, *p);
    }
    return chuanp_buf_steal(&b, NULL);
}

static int schema_error(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *at,
                        chuan_diags *d, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int schema_error(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *at,
                        chuan_diags *d, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema",
                     .file = ctx->schema_file, .line = at ? (long)at->line : 0,
                     .column = at ? (long)at->column : 0, .offset = at ? (long long)at->offset : -1,
                     .keyword_location = ctx->schema_location};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(d, &dg, fmt, ap);
    va_end(ap);
    return 1;
}

static const char *jstr(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING && !(v->flags & CHUANP_JSTR_NUL) ? v->u.str.text : NULL;
}

static int report(const chuanp_jsonschema_ext_call *call, const chuanp_jv *at, const char *rel,
                  chuanp_vocab_msg *m)
{
    if (m->en.err || m->vi.err)
        return -1;
    int rc = call->fail(call, at, rel, m->en.data ? m->en.data : "", m->vi.len ? m->vi.data : NULL);
    return rc < 0 ? -1 : 1;
}

static long date_of(const chuanp_jv *v)
{
    size_t len;
    const char *s = chuanp_vocab_scalar(v, &len);
    chuanp_date d;
    if (s && chuanp_date_parse_any(s, len, &d) == 0)
        return chuanp_date_key(&d);
    return 0;
}

static long default_date(long as_of)
{
    return as_of ? as_of : chuanp_date_today();
}

/* ----------------------------------------------------------- codelist */

#define CODELIST_MAX_LISTS 8

typedef struct codelist_state {
    const chuanp_codelist *lists[CODELIST_MAX_LISTS]; /* valid in any one of them */
    size_t nlists;
    char *date;   /* operand giving the record's date, or NULL */
    char *parent; /* operand giving the parent code, or NULL */
    long from;    /* check only records dated on or after (yyyymmdd, 0 = open) */
    long before;  /* ... and before (yyyymmdd, 0 = open) */
    long as_of;
} codelist_state;

static void codelist_free(void *p)
{
    codelist_state *st = p;
    if (!st)
        return;
    chuanp_free(st->date);
    chuanp_free(st->parent);
    chuanp_free(st);
}

static const chuanp_codelist *get_list(const chuanp_jsonschema_ext_compile_ctx *ctx,
                                       const chuanp_jv *at, const char *name, chuan_diags *d)
{
    chuanp_vocab_ctx *vc = ctx->user;
    if (!vc || !vc->codelists) {
        schema_error(ctx, at, d, "\"%s\": no code lists are available outside a standard package",
                     ctx->keyword);
        return NULL;
    }
    size_t before = d->count;
    const chuanp_codelist *l = chuanp_codelists_get(vc->codelists, name, d);
    if (!l) {
        /* point the diagnostic at the keyword in the schema */
        for (size_t i = before; i < d->count; i++) {
            if (!d->items[i].line) {
                d->items[i].line = (long)at->line;
                d->items[i].column = (long)at->column;
            }
        }
    }
    return l;
}

/* "from" / "before": "YYYY-MM-DD", or {"setting": NAME} naming a setting
 * that holds such a date (null or "" = open). 0 with *key, or >0. */
static int window_date(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *v,
                       const char *member, long *key, chuan_diags *d)
{
    *key = 0;
    const chuanp_jv *at = v;
    const char *setting = NULL;
    if (v->type == CHUANP_JOBJECT) {
        setting = jstr(chuanp_json_get(v, "setting"));
        chuanp_vocab_ctx *vc = ctx->user;
        if (!setting || v->u.obj.count != 1)
            return schema_error(ctx, v, d, "\"%s.%s\": {\"setting\": NAME} needs a name",
                                ctx->keyword, member);
        v = vc && vc->settings ? chuanp_json_get(vc->settings, setting) : NULL;
        if (!v)
            return schema_error(ctx, at, d,
                                "\"%s.%s\": the setting \"%s\" is not in standard.json "
                                "\"settings\"",
                                ctx->keyword, member, setting);
        if (v->type == CHUANP_JNULL || (v->type == CHUANP_JSTRING && v->u.str.len == 0))
            return 0;
    }
    const char *s = jstr(v);
    long k = s ? chuanp_date_iso_key(s, strlen(s)) : -1;
    if (k <= 0 && setting)
        return schema_error(ctx, at, d, "\"%s.%s\": the setting \"%s\" must hold a date "
                                        "YYYY-MM-DD (or null)", ctx->keyword, member, setting);
    if (k <= 0)
        return schema_error(ctx, at, d, "\"%s.%s\" must be a date YYYY-MM-DD or "
                                        "{\"setting\": NAME}", ctx->keyword, member);
    *key = k;
    return 0;
}

static int add_list(const chuanp_jsonschema_ext_compile_ctx *ctx, codelist_state *st,
                    const chuanp_jv *v, chuan_diags *d)
{
    const char *name = jstr(v);
    if (!name)
        return schema_error(ctx, v, d, "\"codelist.name\" must hold code list names");
    if (st->nlists == CODELIST_MAX_LISTS)
        return schema_error(ctx, v, d, "\"codelist.name\": at most %d lists",
                            CODELIST_MAX_LISTS);
    const chuanp_codelist *l = get_list(ctx, v, name, d);
    if (!l)
        return 1;
    st->lists[st->nlists++] = l;
    return 0;
}

static int codelist_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                            void **state, chuan_diags *d)
{
    static const char usage[] =
        "\"codelist\" must be a code list name or {\"name\": NAME or [NAME, ...], \"date\": "
        "OPERAND, \"parent\": OPERAND, \"from\": DATE, \"before\": DATE}";
    codelist_state *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return -1;
    chuanp_vocab_ctx *vc = ctx->user;
    st->as_of = vc ? vc->as_of : 0;
    int rc = 0;
    if (jstr(value)) {
        rc = add_list(ctx, st, value, d);
        goto out;
    }
    if (value->type != CHUANP_JOBJECT || !chuanp_json_get(value, "name")) {
        rc = schema_error(ctx, value, d, "%s", usage);
        goto out;
    }
    for (size_t i = 0; rc == 0 && i < value->u.obj.count; i++) {
        const chuanp_jmember *mb = &value->u.obj.members[i];
        const chuanp_jv *v = mb->value;
        if (strcmp(mb->key, "name") == 0) {
            if (v->type == CHUANP_JARRAY) {
                if (!v->u.arr.count)
                    rc = schema_error(ctx, v, d, "\"codelist.name\": an empty list of names");
                for (size_t k = 0; rc == 0 && k < v->u.arr.count; k++)
                    rc = add_list(ctx, st, v->u.arr.items[k], d);
            } else {
                rc = add_list(ctx, st, v, d);
            }
        } else if (strcmp(mb->key, "date") == 0 || strcmp(mb->key, "parent") == 0) {
            const char *op = jstr(v);
            if (!op || !*op) {
                rc = schema_error(ctx, v, d, "\"codelist.%s\" must be a member name or a "
                                             "\"/Pointer\" from the record", mb->key);
            } else {
                char **slot = mb->key[0] == 'd' ? &st->date : &st->parent;
                if (!(*slot = chuanp_strdup(op)))
                    rc = -1;
            }
        } else if (strcmp(mb->key, "from") == 0) {
            rc = window_date(ctx, v, "from", &st->from, d);
        } else if (strcmp(mb->key, "before") == 0) {
            rc = window_date(ctx, v, "before", &st->before, d);
        } else {
            rc = schema_error(ctx, v, d, "\"codelist\": unknown member \"%s\" (name, date, "
                                         "parent, from, before)", mb->key);
        }
    }
    for (size_t k = 0; rc == 0 && st->parent && k < st->nlists; k++)
        if (!st->lists[k]->has_parent)
            rc = schema_error(ctx, value, d,
                              "\"codelist.parent\": the list '%s' has no parent column",
                              st->lists[k]->name);
    if (rc == 0 && st->from && st->before && st->from >= st->before)
        rc = schema_error(ctx, value, d, "\"codelist\": \"from\" must be before \"before\"");
out:
    if (rc) {
        codelist_free(st);
        return rc;
    }
    *state = st;
    return 0;
}

static int codelist_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const codelist_state *st = state;
    size_t len;
    const char *s = chuanp_vocab_scalar(call->instance, &len);
    if (!s)
        return 0; /* "type" says what a value must be */
    long key = 0;
    if (st->date)
        key = date_of(vocab_operand(call->root, call->parent, st->date));
    if (!key)
        key = default_date(st->as_of);
    if ((st->from && key < st->from) || (st->before && key >= st->before))
        return 0; /* another rule covers records of that date */
    const char *ps = NULL;
    size_t pl = 0;
    if (st->parent) {
        ps = chuanp_vocab_scalar(vocab_operand(call->root, call->parent, st->parent), &pl);
        if (ps && !pl)
            ps = NULL; /* an empty parent is absent: "required" says whether it must be there */
    }
    /* valid in one list: fine; else report the list that knows the code best */
    const chuanp_codelist *worst = NULL;
    for (size_t k = 0; k < st->nlists; k++) {
        const chuanp_code *hit;
        chuanp_code_status cs = chuanp_codelist_lookup_in(st->lists[k], s, len, key, ps, pl, &hit);
        if (cs == CHUANP_CODE_VALID)
            return 0;
        if (cs != CHUANP_CODE_UNKNOWN && !worst)
            worst = st->lists[k];
    }
    if (!worst)
        worst = st->lists[0];
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int rc = chuanp_vocab_check_code_in(worst, s, len, key, ps, pl, &m) ? report(call, NULL, NULL, &m)
                                                                         : 0;
    chuanp_vocab_msg_free(&m);
    return rc;
}

/* ---------------------------------------------------- requiredSetting */

/* "requiredSetting": NAME - the members named by the setting NAME of standard.json (an array
 * of strings) must be present: a required set a maintainer changes without touching the model. */
typedef struct reqset_state {
    size_t n;
    char **names;
} reqset_state;

static void reqset_free(void *p)
{
    reqset_state *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++)
        chuanp_free(st->names[i]);
    chuanp_free(st->names);
    chuanp_free(st);
}

static int reqset_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                          void **state, chuan_diags *d)
{
    const char *name = jstr(value);
    if (!name)
        return schema_error(ctx, value, d, "\"requiredSetting\" wants the name of a setting");
    chuanp_vocab_ctx *vc = ctx->user;
    const chuanp_jv *list = vc && vc->settings ? chuanp_json_get(vc->settings, name) : NULL;
    if (!list || list->type != CHUANP_JARRAY)
        return schema_error(ctx, value, d,
                            "\"requiredSetting\": the setting \"%s\" is not an array of member names "
                            "in standard.json \"settings\"",
                            name);
    reqset_state *st = chuanp_calloc(1, sizeof *st);
    if (!st || !(st->names = chuanp_calloc(list->u.arr.count + 1, sizeof *st->names))) {
        chuanp_free(st);
        return -1;
    }
    for (size_t i = 0; i < list->u.arr.count; i++) {
        const char *m = jstr(list->u.arr.items[i]);
        if (!m) {
            reqset_free(st);
            return schema_error(ctx, value, d, "\"requiredSetting\": the setting \"%s\" must hold strings",
                                name);
        }
        if (!(st->names[st->n++] = chuanp_strdup(m))) {
            reqset_free(st);
            return -1;
        }
    }
    *state = st;
    return 0;
}

static int reqset_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const reqset_state *st = state;
    if (call->instance->type != CHUANP_JOBJECT)
        return 0;
    int bad = 0;
    for (size_t i = 0; i < st->n; i++) {
        if (chuanp_json_get(call->instance, st->names[i]))
            continue;
        chuanp_vocab_msg m;
        chuanp_vocab_msg_init(&m);
        chuanp_buf_printf(&m.en, "missing required property \"%s\"", st->names[i]);
        chuanp_buf_printf(&m.vi, "thiếu trường bắt buộc \"%s\"", st->names[i]);
        int rc = report(call, NULL, NULL, &m);
        chuanp_vocab_msg_free(&m);
        if (rc < 0)
            return -1;
        bad = 1;
    }
    return bad;
}

/* --------------------------------------------------------- checkDigit */

typedef struct checkdigit_state {
    long personal_id_from; /* yyyymmdd from which a 12-digit personal id is a MST; 0 = never */
    long as_of;
} checkdigit_state;

/* "mst", or {"scheme": "mst", "personalIdFrom": DATE or {"setting": NAME}}:
 * on and after that date (--as-of, else today) a 12-digit personal id also
 * stands as an individual's tax code (TT 86/2024/TT-BTC, unverified). */
static int checkdigit_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                              void **state, chuan_diags *d)
{
    const char *name = jstr(value);
    const chuanp_jv *from = NULL;
    if (!name && value->type == CHUANP_JOBJECT) {
        name = jstr(chuanp_json_get(value, "scheme"));
        from = chuanp_json_get(value, "personalIdFrom");
        for (size_t i = 0; i < value->u.obj.count; i++)
            if (strcmp(value->u.obj.members[i].key, "scheme") &&
                strcmp(value->u.obj.members[i].key, "personalIdFrom"))
                return schema_error(ctx, value->u.obj.members[i].value, d,
                                    "\"checkDigit\": unknown member \"%s\" (scheme, personalIdFrom)",
                                    value->u.obj.members[i].key);
    }
    if (!name || strcmp(name, "mst") != 0)
        return schema_error(ctx, value, d, "\"checkDigit\": unknown scheme (known: \"mst\")");
    checkdigit_state *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return -1;
    chuanp_vocab_ctx *vc = ctx->user;
    st->as_of = vc ? vc->as_of : 0;
    if (from) {
        int rc = window_date(ctx, from, "personalIdFrom", &st->personal_id_from, d);
        if (rc) {
            chuanp_free(st);
            return rc;
        }
    }
    *state = st;
    return 0;
}

static int checkdigit_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const checkdigit_state *st = state;
    size_t len;
    const char *s = chuanp_vocab_scalar(call->instance, &len);
    if (!s || call->instance->type != CHUANP_JSTRING)
        return 0;
    if (st && st->personal_id_from && len == 12 && default_date(st->as_of) >= st->personal_id_from) {
        size_t i = 0;
        while (i < 12 && s[i] >= '0' && s[i] <= '9')
            i++;
        if (i == 12)
            return 0; /* a personal id standing as the tax code */
    }
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int rc = chuanp_vocab_check_mst(s, len, &m) ? report(call, NULL, NULL, &m) : 0;
    chuanp_vocab_msg_free(&m);
    return rc;
}

/* --------------------------------------------------------- personalId */

typedef struct pid_state {
    char *birth, *gender;
    const chuanp_codelist *provinces;
} pid_state;

static void pid_free(void *p)
{
    pid_state *st = p;
    if (!st)
        return;
    chuanp_free(st->birth);
    chuanp_free(st->gender);
    chuanp_free(st);
}

static int pid_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                       void **state, chuan_diags *d)
{
    if (value->type != CHUANP_JOBJECT && value->type != CHUANP_JTRUE)
        return schema_error(ctx, value, d,
                            "\"personalId\" must be true or {\"birthDate\", \"gender\", \"provinces\"}");
    pid_state *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return -1;
    if (value->type == CHUANP_JOBJECT) {
        for (size_t i = 0; i < value->u.obj.count; i++) {
            const chuanp_jmember *mb = &value->u.obj.members[i];
            const char *v = jstr(mb->value);
            if (!v) {
                pid_free(st);
                return schema_error(ctx, mb->value, d, "\"personalId.%s\" must be a string", mb->key);
            }
            if (strcmp(mb->key, "birthDate") == 0) {
                st->birth = chuanp_strdup(v);
            } else if (strcmp(mb->key, "gender") == 0) {
                st->gender = chuanp_strdup(v);
            } else if (strcmp(mb->key, "provinces") == 0) {
                if (!(st->provinces = get_list(ctx, mb->value, v, d))) {
                    pid_free(st);
                    return 1;
                }
            } else {
                pid_free(st);
                return schema_error(ctx, mb->value, d,
                                    "\"personalId\": unknown member \"%s\" (birthDate, gender, provinces)",
                                    mb->key);
            }
        }
    }
    *state = st;
    return 0;
}

static int pid_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const pid_state *st = state;
    size_t len;
    const char *s = chuanp_vocab_scalar(call->instance, &len);
    if (!s || call->instance->type != CHUANP_JSTRING)
        return 0;
    chuanp_date birth, *bp = NULL;
    if (st->birth) {
        size_t bl;
        const char *bs = chuanp_vocab_scalar(vocab_operand(call->root, call->parent, st->birth), &bl);
        if (bs && chuanp_date_parse_any(bs, bl, &birth) == 0)
            bp = &birth;
    }
    int gender = 0;
    if (st->gender) {
        size_t gl;
        const char *gs = chuanp_vocab_scalar(vocab_operand(call->root, call->parent, st->gender), &gl);
        if (gs && gl == 1 && (gs[0] == '1' || gs[0] == '2'))
            gender = gs[0] - '0';
    }
    /* ids keep their province code for life: the list is checked without
     * validity dates (DOMAIN.md §5.1) */
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int rc = chuanp_vocab_check_personal_id(s, len, st->provinces, 0, bp, gender, &m)
                 ? report(call, NULL, NULL, &m)
                 : 0;
    chuanp_vocab_msg_free(&m);
    return rc;
}

/* --------------------------------------------------------- dateFormat */

typedef struct datefmt_state {
    chuanp_datefmt fmts[CHUANP_DATEFMT_COUNT];
    size_t n;
} datefmt_state;

static int add_fmt(const chuanp_jsonschema_ext_compile_ctx *ctx, datefmt_state *st,
                   const chuanp_jv *v, chuan_diags *d)
{
    const char *name = jstr(v);
    chuanp_datefmt f = name ? chuanp_datefmt_parse(name) : CHUANP_DATEFMT_INVALID;
    if (f == CHUANP_DATEFMT_INVALID)
        return schema_error(ctx, v, d,
                            "\"dateFormat\": unknown format%s%s (dd/MM/yyyy, yyyy-MM-dd, "
                            "yyyyMMddHHmmss, yyyy/MM/dd, yyyy/MM/dd HH:mm:ss, dd/MM/yyyy HH:mm:ss, "
                            "nd30-date-line)",
                            name ? " " : "", name ? name : "");
    for (size_t i = 0; i < st->n; i++)
        if (st->fmts[i] == f)
            return 0;
    st->fmts[st->n++] = f;
    return 0;
}

static int datefmt_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                           void **state, chuan_diags *d)
{
    datefmt_state *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return -1;
    int rc = 0;
    const chuanp_jv *list = value;
    if (value->type == CHUANP_JOBJECT) {
        const char *setting = jstr(chuanp_json_get(value, "setting"));
        chuanp_vocab_ctx *vc = ctx->user;
        if (!setting) {
            rc = schema_error(ctx, value, d, "\"dateFormat\": {\"setting\": NAME} needs a name");
            goto out;
        }
        list = vc && vc->settings ? chuanp_json_get(vc->settings, setting) : NULL;
        if (!list) {
            rc = schema_error(ctx, value, d,
                              "\"dateFormat\": the setting \"%s\" is not in standard.json \"settings\"",
                              setting);
            goto out;
        }
    }
    if (list->type == CHUANP_JARRAY) {
        if (list->u.arr.count == 0)
            rc = schema_error(ctx, list, d, "\"dateFormat\": an empty list of formats");
        for (size_t i = 0; rc == 0 && i < list->u.arr.count; i++)
            rc = add_fmt(ctx, st, list->u.arr.items[i], d);
    } else {
        rc = add_fmt(ctx, st, list, d);
    }
out:
    if (rc) {
        chuanp_free(st);
        return rc;
    }
    *state = st;
    return 0;
}

static int datefmt_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const datefmt_state *st = state;
    size_t len;
    const char *s = chuanp_vocab_scalar(call->instance, &len);
    if (!s || call->instance->type != CHUANP_JSTRING)
        return 0;
    chuanp_vocab_msg m;
    chuanp_vocab_msg_init(&m);
    int rc = chuanp_vocab_check_date(s, len, st->fmts, st->n, &m) ? report(call, NULL, NULL, &m) : 0;
    chuanp_vocab_msg_free(&m);
    return rc;
}

/* ------------------------------------------------------------ compare */

typedef struct compare_item {
    char *left, *right;
    chuanp_cmp_op op;
} compare_item;

typedef struct compare_state {
    compare_item *items;
    size_t n;
} compare_state;

static void compare_free(void *p)
{
    compare_state *st = p;
    if (!st)
        return;
    for (size_t i = 0; i < st->n; i++) {
        chuanp_free(st->items[i].left);
        chuanp_free(st->items[i].right);
    }
    chuanp_free(st->items);
    chuanp_free(st);
}

static int compare_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                           void **state, chuan_diags *d)
{
    size_t n = value->type == CHUANP_JARRAY ? value->u.arr.count : 1;
    compare_state *st = chuanp_calloc(1, sizeof *st);
    if (!st || !(st->items = chuanp_calloc(n ? n : 1, sizeof *st->items))) {
        chuanp_free(st);
        return -1;
    }
    for (size_t i = 0; i < n; i++) {
        const chuanp_jv *it = value->type == CHUANP_JARRAY ? value->u.arr.items[i] : value;
        const char *l = jstr(chuanp_json_get(it, "left")), *r = jstr(chuanp_json_get(it, "right"));
        const char *op = jstr(chuanp_json_get(it, "op"));
        chuanp_cmp_op o = op ? chuanp_cmp_op_parse(op) : CHUANP_OP_INVALID;
        if (!l || !r || o == CHUANP_OP_INVALID || !*l || !*r) {
            compare_free(st);
            return schema_error(ctx, it, d,
                                "\"compare\" wants [{\"left\": NAME, \"op\": \"==|!=|<|<=|>|>=\", "
                                "\"right\": NAME}]");
        }
        st->items[i].left = chuanp_strdup(l);
        st->items[i].right = chuanp_strdup(r);
        st->items[i].op = o;
        st->n++;
        if (!st->items[i].left || !st->items[i].right) {
            compare_free(st);
            return -1;
        }
    }
    *state = st;
    return 0;
}

static int compare_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const compare_state *st = state;
    if (call->instance->type != CHUANP_JOBJECT)
        return 0;
    int rc = 0;
    for (size_t i = 0; i < st->n && rc >= 0; i++) {
        const compare_item *c = &st->items[i];
        const chuanp_jv *lv = vocab_operand(call->root, call->instance, c->left);
        const chuanp_jv *rv = vocab_operand(call->root, call->instance, c->right);
        size_t ll = 0, rl = 0;
        const char *ls = chuanp_vocab_scalar(lv, &ll), *rs = chuanp_vocab_scalar(rv, &rl);
        if (!ls || !rs || !ll || !rl)
            continue; /* absent or empty operands: "required" / "minLength" say whether they must be there */
        chuanp_cmp_kind how;
        int cmp = chuanp_vocab_compare_values(ls, ll, rs, rl, &how);
        if (chuanp_cmp_op_holds(c->op, cmp))
            continue;
        chuanp_vocab_msg m;
        chuanp_vocab_msg_init(&m);
        const char *op = chuanp_cmp_op_name(c->op);
        chuanp_buf_printf(&m.en, "%s (%.*s) must be %s %s (%.*s)", c->left, (int)(ll > 64 ? 64 : ll), ls,
                          op, c->right, (int)(rl > 64 ? 64 : rl), rs);
        chuanp_buf_printf(&m.vi, "%s (%.*s) phải %s %s (%.*s)", c->left, (int)(ll > 64 ? 64 : ll), ls,
                          op, c->right, (int)(rl > 64 ? 64 : rl), rs);
        char *rel = c->left[0] == '/' ? NULL : member_pointer(c->left);
        int r = report(call, lv, rel, &m);
        chuanp_free(rel);
        chuanp_vocab_msg_free(&m);
        rc = r < 0 ? -1 : 1;
    }
    return rc;
}

/* -------------------------------------------------------------- sumOf */

typedef struct sum_state {
    char *total;
    char **fields;
    size_t nfields;
    char *items, *field; /* sum over an array of objects */
} sum_state;

static void sum_free(void *p)
{
    sum_state *st = p;
    if (!st)
        return;
    chuanp_free(st->total);
    for (size_t i = 0; i < st->nfields; i++)
        chuanp_free(st->fields[i]);
    chuanp_free(st->fields);
    chuanp_free(st->items);
    chuanp_free(st->field);
    chuanp_free(st);
}

static int sum_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                       void **state, chuan_diags *d)
{
    const char *total = jstr(chuanp_json_get(value, "total"));
    const chuanp_jv *fields = chuanp_json_get(value, "fields");
    const char *items = jstr(chuanp_json_get(value, "items")), *field = jstr(chuanp_json_get(value, "field"));
    int ok = total && ((fields && fields->type == CHUANP_JARRAY && fields->u.arr.count && !items) ||
                       (!fields && items && field));
    if (!ok)
        return schema_error(ctx, value, d,
                            "\"sumOf\" wants {\"total\": NAME, \"fields\": [NAME, ...]} or "
                            "{\"total\": NAME, \"items\": ARRAY, \"field\": NAME}");
    sum_state *st = chuanp_calloc(1, sizeof *st);
    if (!st)
        return -1;
    st->total = chuanp_strdup(total);
    if (fields) {
        st->fields = chuanp_calloc(fields->u.arr.count, sizeof *st->fields);
        for (size_t i = 0; st->fields && i < fields->u.arr.count; i++) {
            const char *f = jstr(fields->u.arr.items[i]);
            if (!f) {
                sum_free(st);
                return schema_error(ctx, fields->u.arr.items[i], d, "\"sumOf.fields\" must hold names");
            }
            st->fields[st->nfields++] = chuanp_strdup(f);
        }
    } else {
        st->items = chuanp_strdup(items);
        st->field = chuanp_strdup(field);
    }
    *state = st;
    return 0;
}

/* Add a value to acc; 0 ok or skipped, -1 OOM. Non-numbers are ignored
 * (their own "type" rule reports them). */
static int add_value(chuanp_decimal *acc, const chuanp_jv *v)
{
    size_t len;
    const char *s = chuanp_vocab_scalar(v, &len);
    chuanp_decimal x;
    if (!s || chuanp_decimal_parse(&x, s, len) < 0)
        return 0;
    int rc = chuanp_decimal_add(acc, &x);
    chuanp_decimal_free(&x);
    return rc;
}

static int sum_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    const sum_state *st = state;
    const chuanp_jv *obj = call->instance;
    if (obj->type != CHUANP_JOBJECT)
        return 0;
    const chuanp_jv *tv = vocab_operand(call->root, obj, st->total);
    size_t tl;
    const char *ts = chuanp_vocab_scalar(tv, &tl);
    chuanp_decimal total, acc = {0};
    if (!ts || chuanp_decimal_parse(&total, ts, tl) < 0)
        return 0;
    int rc = 0;
    if (!(acc.digits = chuanp_strdup(""))) {
        rc = -1;
        goto out;
    }
    if (st->fields) {
        for (size_t i = 0; i < st->nfields && rc == 0; i++)
            rc = add_value(&acc, vocab_operand(call->root, obj, st->fields[i]));
    } else {
        const chuanp_jv *arr = vocab_operand(call->root, obj, st->items);
        if (arr && arr->type == CHUANP_JOBJECT)
            arr = NULL;
        for (size_t i = 0; arr && arr->type == CHUANP_JARRAY && i < arr->u.arr.count && rc == 0; i++)
            rc = add_value(&acc, chuanp_json_get(arr->u.arr.items[i], st->field));
    }
    if (rc < 0)
        goto out;
    if (chuanp_decimal_cmp(&total, &acc) != 0) {
        chuanp_vocab_msg m;
        chuanp_vocab_msg_init(&m);
        chuanp_buf sum;
        chuanp_buf_init(&sum, 0);
        chuanp_decimal_format(&sum, &acc);
        if (st->fields) {
            chuanp_buf names;
            chuanp_buf_init(&names, 0);
            for (size_t i = 0; i < st->nfields; i++)
                chuanp_buf_printf(&names, "%s%s", i ? " + " : "", st->fields[i]);
            chuanp_buf_printf(&m.en, "%s (%.*s) must equal %s = %s", st->total, (int)tl, ts,
                              names.data, sum.data);
            chuanp_buf_printf(&m.vi, "%s (%.*s) phải bằng %s = %s", st->total, (int)tl, ts,
                              names.data, sum.data);
            chuanp_buf_free(&names);
        } else {
            chuanp_buf_printf(&m.en, "%s (%.*s) must equal the sum of %s over %s = %s", st->total,
                              (int)tl, ts, st->field, st->items, sum.data);
            chuanp_buf_printf(&m.vi, "%s (%.*s) phải bằng tổng %s của %s = %s", st->total, (int)tl,
                              ts, st->field, st->items, sum.data);
        }
        char *rel = st->total[0] == '/' ? NULL : member_pointer(st->total);
        rc = report(call, tv, rel, &m);
        chuanp_free(rel);
        chuanp_buf_free(&sum);
        chuanp_vocab_msg_free(&m);
    }
out:
    chuanp_decimal_free(&total);
    chuanp_decimal_free(&acc);
    return rc;
}

/* ------------------------------------------------------- columnTotals */

static int coltotals_compile(const chuanp_jsonschema_ext_compile_ctx *ctx, const chuanp_jv *value,
                             void **state, chuan_diags *d)
{
    chuanp_column_totals *ct = NULL;
    chuan_diags tmp;
    chuan_diags_init(&tmp, 0);
    /* checked here so that a bad value fails the schema; run by the engine */
    chuanp_jv holder = {.type = CHUANP_JOBJECT};
    chuanp_jmember mb = {.key = "columnTotals", .key_len = 12, .value = (chuanp_jv *)value};
    holder.u.obj.members = &mb;
    holder.u.obj.count = 1;
    int rc = chuanp_column_totals_compile(&ct, &holder, ctx->schema_file, &tmp);
    chuan_diags_move(d, &tmp);
    chuanp_column_totals_free(ct);
    *state = NULL;
    return rc;
}

static int coltotals_validate(const void *state, const chuanp_jsonschema_ext_call *call)
{
    (void)state;
    (void)call;
    return 0; /* across records: validator/standard_engine.c */
}

void chuanp_column_totals_free(chuanp_column_totals *ct)
{
    if (!ct)
        return;
    chuanp_free(ct->key);
    chuanp_free(ct->total_key);
    for (size_t i = 0; i < ct->ncolumns; i++)
        chuanp_free(ct->columns[i]);
    chuanp_free(ct->columns);
    chuanp_free(ct->rule_id);
    chuanp_free(ct->message_en);
    chuanp_free(ct->message_vi);
    chuanp_free(ct->source);
    chuanp_free(ct);
}

int chuanp_column_totals_compile(chuanp_column_totals **out, const chuanp_jv *model,
                                 const char *file, chuan_diags *d)
{
    *out = NULL;
    const chuanp_jv *v = chuanp_json_get(model, "columnTotals");
    if (!v)
        return 0;
    const char *key = jstr(chuanp_json_get(v, "key")), *tk = jstr(chuanp_json_get(v, "totalKey"));
    const chuanp_jv *cols = chuanp_json_get(v, "columns");
    if (!key || !tk || !cols || cols->type != CHUANP_JARRAY || cols->u.arr.count == 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .file = file,
                         .line = (long)v->line, .column = (long)v->column, .offset = (long long)v->offset,
                         .message = "\"columnTotals\" wants {\"key\": NAME, \"totalKey\": VALUE, "
                                    "\"columns\": [NAME, ...]}"};
        chuan_diags_add(d, &dg);
        return 1;
    }
    chuanp_column_totals *ct = chuanp_calloc(1, sizeof *ct);
    if (!ct)
        return -1;
    ct->key = chuanp_strdup(key);
    ct->total_key = chuanp_strdup(tk);
    ct->columns = chuanp_calloc(cols->u.arr.count, sizeof *ct->columns);
    for (size_t i = 0; ct->columns && i < cols->u.arr.count; i++) {
        const char *c = jstr(cols->u.arr.items[i]);
        if (c)
            ct->columns[ct->ncolumns++] = chuanp_strdup(c);
    }
    const chuanp_jv *rule = chuanp_json_get(model, "rule");
    if (rule && rule->type == CHUANP_JOBJECT) {
        ct->rule_id = chuanp_strdup(jstr(chuanp_json_get(rule, "id")));
        const chuanp_jv *msg = chuanp_json_get(rule, "message");
        if (jstr(msg)) {
            ct->message_en = chuanp_strdup(jstr(msg));
        } else {
            ct->message_en = chuanp_strdup(jstr(chuanp_json_get(msg, "en")));
            ct->message_vi = chuanp_strdup(jstr(chuanp_json_get(msg, "vi")));
        }
        ct->source = chuanp_strdup(jstr(chuanp_json_get(rule, "source")));
        const char *sev = jstr(chuanp_json_get(rule, "severity"));
        ct->warning = sev && strcmp(sev, "warning") == 0;
    }
    *out = ct;
    return 0;
}

/* ------------------------------------------------------------- table */

static const chuanp_jsonschema_ext extensions[] = {
    {"codelist", codelist_compile, codelist_validate, codelist_free},
    {"checkDigit", checkdigit_compile, checkdigit_validate, chuanp_free},
    {"requiredSetting", reqset_compile, reqset_validate, reqset_free},
    {"personalId", pid_compile, pid_validate, pid_free},
    {"dateFormat", datefmt_compile, datefmt_validate, chuanp_free},
    {"compare", compare_compile, compare_validate, compare_free},
    {"sumOf", sum_compile, sum_validate, sum_free},
    {"columnTotals", coltotals_compile, coltotals_validate, NULL},
    {"patternSetting", chuanp_vocab_pattern_compile, chuanp_vocab_pattern_validate,
     chuanp_vocab_pattern_free},
};

const chuanp_jsonschema_ext *chuanp_vocab_extensions(size_t *nexts)
{
    *nexts = sizeof extensions / sizeof *extensions;
    return extensions;
}
