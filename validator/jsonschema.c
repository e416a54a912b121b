/* validator/jsonschema.c - compiling a schema: options, the meta-schema check,
 * and releasing a compiled schema. */
#include "jsonschema_int.h"

#include <stdlib.h>
#include <string.h>


static int parse_draft(const char *d)
{
    if (!d || !*d)
        return JS_D2020;
    if (strcmp(d, "2020-12") == 0 || strcmp(d, "draft2020-12") == 0 || strcmp(d, "2020") == 0)
        return JS_D2020;
    if (strcmp(d, "2019-09") == 0 || strcmp(d, "draft2019-09") == 0 || strcmp(d, "2019") == 0)
        return JS_D2019;
    if (strcmp(d, "7") == 0 || strcmp(d, "07") == 0 || strcmp(d, "draft-07") == 0 ||
        strcmp(d, "draft7") == 0)
        return JS_DRAFT7;
    return 0;
}

static const char *dialect_uri(int d)
{
    switch (d) {
    case JS_DRAFT7: return "http://json-schema.org/draft-07/schema#";
    case JS_D2019: return "https://json-schema.org/draft/2019-09/schema";
    default: return "https://json-schema.org/draft/2020-12/schema";
    }
}

static chuanp_jsonschema *schema_new(const chuanp_jsonschema_opts *opts, chuan_diags *diags)
{
    chuanp_jsonschema *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    chuanp_arena_init(&s->arena, 64 * 1024);
    s->diags = diags;
    if (opts)
        s->opts = *opts;
    s->default_dialect = parse_draft(opts ? opts->draft : NULL);
    s->assert_formats = opts && opts->assert_formats;
    s->true_node.is_bool = s->false_node.is_bool = 1;
    s->true_node.bool_value = 1;
    s->true_node.loc = s->false_node.loc = (char *)"";
    if (opts && opts->as_of && !(s->as_of = chuanp_strdup(opts->as_of)))
        goto fail;
    if (opts && opts->nrefs) {
        s->refs = chuanp_calloc(opts->nrefs, sizeof *s->refs);
        if (!s->refs)
            goto fail;
        s->nrefs = opts->nrefs;
        for (size_t i = 0; i < opts->nrefs; i++) {
            s->refs[i].prefix = chuanp_strdup(opts->refs[i].prefix);
            s->refs[i].path = chuanp_strdup(opts->refs[i].path);
            if (!s->refs[i].prefix || !s->refs[i].path)
                goto fail;
        }
    }
    return s;
fail:
    chuanp_jsonschema_free(s);
    return NULL;
}

/* Validate the schema document against its meta-schema; errors become
 * "jsonschema.schema" diagnostics pointing into the schema file. */
static int check_meta(chuanp_jsonschema *s, js_doc *doc)
{
    const chuanp_jv *root = doc->root;
    const char *meta = dialect_uri(s->default_dialect);
    const chuanp_jv *sch = root->type == CHUANP_JOBJECT ? chuanp_json_get(root, "$schema") : NULL;
    if (sch && sch->type == CHUANP_JSTRING)
        meta = sch->u.str.text;
    int saved = s->assert_formats;
    s->assert_formats = 0; /* formats in meta-schemas stay annotations */
    const chuanp_jv *mv = chuanp_js_resolve(s, doc->uri, meta, sch ? sch : root, NULL);
    js_node *mn = mv ? chuanp_js_compile_value(s, mv) : NULL;
    if (mn && chuanp_js_compile_dynamic(s) < 0)
        mn = NULL;
    s->assert_formats = saved;
    if (!mn)
        return s->bad ? 1 : -1;
    if (mn->src == root)
        return 0; /* a meta-schema describing itself */
    chuan_diags tmp;
    chuan_diags_init(&tmp, 20);
    const char *file = doc->file ? doc->file : doc->uri;
    int rc = chuanp_js_validate_node(s, mn, root, file, &tmp);
    if (rc > 0) {
        for (size_t i = 0; i < tmp.count; i++) {
            chuan_diag d = tmp.items[i];
            if (d.severity != CHUAN_SEV_ERROR)
                continue;
            char *msg = chuanp_asprintf(_("not a valid schema (%s): %s"), meta, chuanp_diag_message(&d));
            d.code = "jsonschema.schema";
            d.message = msg ? msg : d.message;
            d.message_vi = NULL;
            chuan_diags_add(s->diags, &d);
            chuanp_free(msg);
        }
        s->bad = 1;
    }
    chuan_diags_clear(&tmp);
    return rc < 0 ? -1 : rc > 0 ? 1 : 0;
}

/* Compile buf (named uri, read from file or NULL) into a new schema. */
static int compile_unguarded(chuanp_jsonschema **out, const char *uri, const char *file,
                             const char *buf, size_t len, const chuanp_jsonschema_opts *opts,
                             chuan_diags *diags)
{
    *out = NULL;
    int rc = -1;
    chuanp_jsonschema *s = schema_new(opts, diags);
    if (!s)
        goto out;
    if (file && !(s->main_file = chuanp_strdup(file)))
        goto out;
    /* local $ref targets: below the schema's folder, its package, --ref folders */
    chuanp_confine_init(&s->confine, diags, s->main_file);
    chuanp_confine_add_parent(&s->confine, file);
    chuanp_confine_add_dir(&s->confine, opts ? opts->package_dir : NULL);
    for (size_t i = 0; i < s->nrefs; i++)
        chuanp_confine_add_parent(&s->confine, s->refs[i].path);
    if (s->confine.oom)
        goto out;
    if (!s->default_dialect) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.draft", .offset = -1};
        chuan_diags_addf(diags, &d, "unknown JSON Schema draft '%s' (use 2020-12, 2019-09 or 7)",
                         opts->draft);
        goto out;
    }
    js_doc *doc = NULL;
    rc = chuanp_js_load_document(s, uri, file, buf, len, &doc);
    if (rc == 0 && s->bad)
        rc = 1; /* e.g. an unsupported $schema found while scanning */
    if (rc == 0 && !(opts && opts->skip_metaschema))
        rc = check_meta(s, doc);
    if (rc == 0)
        rc = chuanp_js_compile_root(s, doc);
out:
    if (s) {
        s->diags = NULL;
        s->confine.diags = NULL;
    }
    if (rc == 0) {
        *out = s;
    } else {
        if (rc < 0 && diags && diags->count == 0) {
            chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .offset = -1};
            chuan_diags_addf(diags, &d, "out of memory compiling the schema");
        }
        chuanp_jsonschema_free(s);
    }
    return rc;
}

/* Anything that went wrong during the compile fails it (issue 11): a keyword
 * lost to an allocation failure would change verdicts. */
static int compile_doc(chuanp_jsonschema **out, const char *uri, const char *file, const char *buf,
                       size_t len, const chuanp_jsonschema_opts *opts, chuan_diags *diags)
{
    chuanp_compile_guard g;
    chuanp_compile_guard_begin(&g);
    int rc = compile_unguarded(out, uri, file, buf, len, opts, diags);
    if (chuanp_compile_guard_check(&g, rc, diags, file ? file : uri) != 0 && rc >= 0) {
        chuanp_jsonschema_free(*out);
        *out = NULL;
        rc = -1;
    }
    return rc;
}

int chuanp_jsonschema_compile_mem(chuanp_jsonschema **out, const char *buf, size_t len,
                                  const char *base_uri, const chuanp_jsonschema_opts *opts,
                                  chuan_diags *diags)
{
    return compile_doc(out, base_uri ? base_uri : "urn:chuan:schema", NULL, buf, len, opts, diags);
}

int chuanp_jsonschema_compile_file(chuanp_jsonschema **out, const char *path,
                                   const chuanp_jsonschema_opts *opts, chuan_diags *diags)
{
    *out = NULL;
    char *data = NULL, *msg = NULL, *uri = NULL;
    size_t len = 0;
    int rc = -1;
    /* a regular file only: a FIFO or a device never blocks the compile */
    if (chuanp_confine_read(NULL, path, 64u << 20, &data, &len, &msg) != 0) {
        chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "jsonschema.schema", .file = path,
                        .offset = -1};
        chuan_diags_addf(diags, &d, "cannot read the schema: %s", msg ? msg : "error");
        goto out;
    }
    uri = chuanp_js_uri_from_path(path);
    if (!uri)
        goto out;
    rc = compile_doc(out, uri, path, data, len, opts, diags);
out:
    chuanp_free(data);
    chuanp_free(msg);
    chuanp_free(uri);
    return rc;
}

void chuanp_jsonschema_free(chuanp_jsonschema *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->nregexes; i++)
        chuanp_js_regex_free(s->regexes[i]);
    chuanp_free(s->regexes);
    for (size_t i = 0; i < s->nextkws; i++)
        if (s->extkws[i]->ext->free)
            s->extkws[i]->ext->free(s->extkws[i]->state);
    chuanp_free(s->extkws);
    chuanp_js_pmap_free(&s->where);
    chuanp_free(s->uris);
    for (size_t i = 0; i < s->nrefs; i++) {
        chuanp_free((char *)s->refs[i].prefix);
        chuanp_free((char *)s->refs[i].path);
    }
    chuanp_free(s->refs);
    chuanp_free(s->as_of);
    chuanp_free(s->main_file);
    chuanp_confine_free(&s->confine);
    chuanp_arena_free(&s->arena);
    chuanp_free(s);
}
