/* validator/standard_load.c - reading a package manifest (standard.json). */
#include "standard.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MANIFEST_MAX_BYTES (4u << 20)

typedef struct loader {
    chuanp_standard *s;
    chuan_diags *d;
    int errors;
} loader;

static void bad(loader *l, const chuanp_jv *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void bad(loader *l, const chuanp_jv *at, const char *fmt, ...)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.manifest",
                     .file = l->s->manifest, .line = at ? (long)at->line : 0,
                     .column = at ? (long)at->column : 0,
                     .offset = at ? (long long)at->offset : -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(l->d, &dg, fmt, ap);
    va_end(ap);
    l->errors++;
}

/* Optional string member (NULL when absent or null). */
static const char *str(loader *l, const chuanp_jv *obj, const char *key, int required)
{
    const chuanp_jv *v = chuanp_json_get(obj, key);
    if (!v || v->type == CHUANP_JNULL) {
        if (required)
            bad(l, obj, "\"%s\" is required", key);
        return NULL;
    }
    if (v->type != CHUANP_JSTRING || (v->flags & CHUANP_JSTR_NUL)) {
        bad(l, v, "\"%s\" must be a string", key);
        return NULL;
    }
    return v->u.str.text;
}

/* A string or an array of strings into out[max]. */
static size_t strs(loader *l, const chuanp_jv *obj, const char *key, const char **out, size_t max)
{
    const chuanp_jv *v = chuanp_json_get(obj, key);
    if (!v || v->type == CHUANP_JNULL)
        return 0;
    if (v->type == CHUANP_JSTRING) {
        out[0] = v->u.str.text;
        return 1;
    }
    if (v->type != CHUANP_JARRAY) {
        bad(l, v, "\"%s\" must be a string or an array of strings", key);
        return 0;
    }
    size_t n = 0;
    for (size_t i = 0; i < v->u.arr.count; i++) {
        const chuanp_jv *it = v->u.arr.items[i];
        if (it->type != CHUANP_JSTRING) {
            bad(l, it, "\"%s\" must hold strings", key);
            continue;
        }
        if (n == max) {
            bad(l, it, "\"%s\": at most %zu entries", key, max);
            break;
        }
        out[n++] = it->u.str.text;
    }
    return n;
}

/* A path of the package must resolve (symbolic links included) inside its
 * folder: 1 when it does (or does not exist: checked elsewhere), else 0
 * with a diagnostic. */
static int confined(loader *l, const chuanp_jv *v, const char *key, const char *path)
{
    char *real = NULL;
    int in = chuanp_path_within(path, l->s->dir, &real);
    if (in != 0) {
        chuanp_free(real);
        return 1;
    }
    bad(l, v, "\"%s\": %s resolves to %s, outside the package folder", key, path,
        real ? real : "?");
    chuanp_free(real);
    return 0;
}

/* A file of the package: relative to its folder, must stay inside it. */
static char *package_file(loader *l, const chuanp_jv *obj, const char *key)
{
    const char *rel = str(l, obj, key, 0);
    if (!rel)
        return NULL;
    const chuanp_jv *v = chuanp_json_get(obj, key);
    if (!*rel || rel[0] == '/' || strstr(rel, "..")) {
        bad(l, v, "\"%s\": '%s' must be a path inside the package folder", key, rel);
        return NULL;
    }
    char *p = chuanp_asprintf("%s/%s", l->s->dir, rel);
    if (!p) {
        bad(l, v, "out of memory");
        return NULL;
    }
    FILE *f = fopen(p, "rb");
    if (!f) {
        bad(l, v, "\"%s\": the file %s does not exist", key, p);
        chuanp_free(p);
        return NULL;
    }
    fclose(f);
    if (!confined(l, v, key, p)) {
        chuanp_free(p);
        return NULL;
    }
    return p;
}

static void load_formats(loader *l, const chuanp_jv *formats)
{
    chuanp_standard *s = l->s;
    if (!formats || formats->type != CHUANP_JOBJECT) {
        bad(l, formats ? formats : s->doc, "\"formats\" must be an object (json, ndjson, xml, csv)");
        return;
    }
    for (size_t i = 0; i < formats->u.obj.count; i++) {
        const chuanp_jmember *m = &formats->u.obj.members[i];
        if (strcmp(m->key, "json") && strcmp(m->key, "ndjson") && strcmp(m->key, "xml") &&
            strcmp(m->key, "csv"))
            bad(l, m->value, "unknown format \"%s\" (json, ndjson, xml, csv)", m->key);
        else if (m->value->type != CHUANP_JOBJECT)
            bad(l, m->value, "\"formats.%s\" must be an object", m->key);
    }
    const chuanp_jv *j = chuanp_json_get(formats, "json");
    if (j && j->type == CHUANP_JOBJECT) {
        s->has_json = 1;
        s->json_records = str(l, j, "records", 0);
        if (!s->json_records)
            s->json_records = "";
        if (*s->json_records && s->json_records[0] != '/')
            bad(l, chuanp_json_get(j, "records"), "\"records\" must be a JSON Pointer (\"\" or /...)");
        const chuanp_jv *env = chuanp_json_get(j, "envelope");
        if (env && env->type != CHUANP_JOBJECT)
            bad(l, env, "\"formats.json.envelope\" must be an object (the members around the records)");
        else if (env && (!*s->json_records || strchr(s->json_records + 1, '/')))
            bad(l, env, "\"formats.json.envelope\" needs \"records\" to name one member (\"/data\")");
        else
            s->json_envelope = env;
        const chuanp_jv *u = chuanp_json_get(j, "unwrap");
        if (u && u->type != CHUANP_JOBJECT) {
            bad(l, u, "\"formats.json.unwrap\" must be an object {\"pointer\", \"encoding\", \"format\"}");
        } else if (u) {
            s->nunwrap = strs(l, u, "pointer", s->unwrap_pointers, CHUANP_STD_MAX_XML_RECORDS);
            if (s->nunwrap == 0)
                bad(l, u, "\"formats.json.unwrap.pointer\" (JSON Pointers of the wrapped member) is required");
            for (size_t i = 0; i < s->nunwrap; i++)
                if (s->unwrap_pointers[i][0] != '/')
                    bad(l, chuanp_json_get(u, "pointer"), "an unwrap pointer starts with '/': '%s'",
                        s->unwrap_pointers[i]);
            s->unwrap_encoding = str(l, u, "encoding", 0);
            if (!s->unwrap_encoding)
                s->unwrap_encoding = "base64";
            if (strcmp(s->unwrap_encoding, "base64") && strcmp(s->unwrap_encoding, "none"))
                bad(l, chuanp_json_get(u, "encoding"), "\"formats.json.unwrap.encoding\" is base64 or none");
            const char *f = str(l, u, "format", 0);
            s->unwrap_format = CHUANP_FMT_XML;
            if (f && strcmp(f, "xml") == 0)
                s->unwrap_format = CHUANP_FMT_XML;
            else if (f && strcmp(f, "json") == 0)
                s->unwrap_format = CHUANP_FMT_JSON;
            else if (f)
                bad(l, chuanp_json_get(u, "format"), "\"formats.json.unwrap.format\" is xml or json");
        }
    }
    const chuanp_jv *nd = chuanp_json_get(formats, "ndjson");
    s->has_ndjson = nd && nd->type == CHUANP_JOBJECT;
    const chuanp_jv *x = chuanp_json_get(formats, "xml");
    if (x && x->type == CHUANP_JOBJECT) {
        s->has_xml = 1;
        s->nxml_records = strs(l, x, "record", s->xml_records, CHUANP_STD_MAX_XML_RECORDS);
        if (s->nxml_records == 0)
            bad(l, x, "\"formats.xml.record\" (the record element path, e.g. /DanhSachHoSo/HoSo) is required");
        for (size_t i = 0; i < s->nxml_records; i++)
            if (s->xml_records[i][0] != '/')
                bad(l, chuanp_json_get(x, "record"), "an XML record path starts with '/': '%s'",
                    s->xml_records[i]);
        s->xsd = package_file(l, x, "xsd");
        s->schematron = package_file(l, x, "schematron");
        const char *ph = str(l, x, "phase", 0);
        if (ph && !s->schematron)
            bad(l, chuanp_json_get(x, "phase"), "\"formats.xml.phase\" needs \"formats.xml.schematron\"");
        else if (ph && !(s->schematron_phase = chuanp_strdup(ph)))
            bad(l, x, "out of memory");
    }
    const chuanp_jv *c = chuanp_json_get(formats, "csv");
    if (c && c->type == CHUANP_JOBJECT) {
        s->has_csv = 1;
        s->tableschema = package_file(l, c, "tableschema");
        if (!s->tableschema && !chuanp_json_get(c, "tableschema"))
            bad(l, c, "\"formats.csv.tableschema\" is required");
    }
}

static int valid_id(const char *id)
{
    if (!*id)
        return 0;
    for (const char *p = id; *p; p++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' ||
              *p == '.'))
            return 0;
    return 1;
}

int chuanp_standard_load(chuanp_standard **out, const char *dir, chuan_diags *d)
{
    *out = NULL;
    chuanp_standard *s = chuanp_calloc(1, sizeof *s);
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    int rc = -1;
    loader l = {.s = s, .d = d};
    if (!s)
        return -1;
    chuanp_arena_init(&s->arena, 0);
    s->dir = chuanp_strdup(dir);
    s->manifest = chuanp_asprintf("%s/standard.json", dir);
    if (!s->dir || !s->manifest)
        goto out;
    chuanp_input in = {.name = s->manifest, .path = s->manifest};
    if (chuanp_read_all(&in, MANIFEST_MAX_BYTES, &data, &len, &errmsg) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.not-found",
                         .file = s->manifest, .offset = -1};
        chuan_diags_addf(d, &dg, "cannot read the package manifest %s: %s", s->manifest,
                         errmsg ? errmsg : "?");
        goto out;
    }
    chuanp_json_opts jo = {.file = s->manifest, .allow_bom = 1};
    int prc = chuanp_json_parse(&s->doc, data, len, &jo, &s->arena, d);
    if (prc != 0) {
        rc = prc < 0 ? -1 : 1;
        goto out;
    }
    if (!s->doc || s->doc->type != CHUANP_JOBJECT) {
        bad(&l, s->doc, "the manifest must be a JSON object");
        rc = 1;
        goto out;
    }
    const chuanp_jv *root = s->doc;
    s->id = str(&l, root, "id", 1);
    if (s->id && !valid_id(s->id))
        bad(&l, chuanp_json_get(root, "id"),
            "\"id\" '%s' must be lower-case letters, digits, '-', '_' or '.'", s->id);
    s->version = str(&l, root, "version", 1);
    const chuanp_jv *title = chuanp_json_get(root, "title");
    if (title && title->type == CHUANP_JSTRING) {
        s->title_en = title->u.str.text;
    } else if (title && title->type == CHUANP_JOBJECT) {
        s->title_en = str(&l, title, "en", 1);
        s->title_vi = str(&l, title, "vi", 0);
    } else {
        bad(&l, title ? title : root, "\"title\" ({\"en\": ..., \"vi\": ...}) is required");
    }
    const chuanp_jv *status = chuanp_json_get(root, "status");
    if (status && status->type == CHUANP_JOBJECT) {
        s->state = str(&l, status, "state", 0);
        s->valid_from = str(&l, status, "valid_from", 0);
        s->valid_to = str(&l, status, "valid_to", 0);
        s->replaced_by = str(&l, status, "replaced_by", 0);
        const char *dates[2] = {s->valid_from, s->valid_to};
        for (int i = 0; i < 2; i++)
            if (dates[i] && chuanp_date_iso_key(dates[i], strlen(dates[i])) < 0)
                bad(&l, status, "status dates must be YYYY-MM-DD, not '%s'", dates[i]);
    } else if (status) {
        bad(&l, status, "\"status\" must be an object");
    }
    const chuanp_jv *regs = chuanp_json_get(root, "regulations");
    if (regs && regs->type != CHUANP_JARRAY)
        bad(&l, regs, "\"regulations\" must be an array of {id, title}");
    s->regulations = regs && regs->type == CHUANP_JARRAY ? regs : NULL;
    const chuanp_jv *uo = chuanp_json_get(root, "unofficial");
    s->unofficial = uo && uo->type == CHUANP_JTRUE;
    const chuanp_jv *modelv = chuanp_json_get(root, "model");
    s->model = package_file(&l, root, "model");
    if (!modelv)
        bad(&l, root, "\"model\" (the record model JSON Schema) is required");
    load_formats(&l, chuanp_json_get(root, "formats"));
    const chuanp_jv *cl = chuanp_json_get(root, "codelists");
    if (cl && cl->type == CHUANP_JARRAY) {
        s->codelists = chuanp_arena_alloc(&s->arena, (cl->u.arr.count + 1) * sizeof *s->codelists);
        for (size_t i = 0; s->codelists && i < cl->u.arr.count; i++) {
            const chuanp_jv *it = cl->u.arr.items[i];
            if (it->type != CHUANP_JSTRING)
                bad(&l, it, "\"codelists\" must hold code list names");
            else
                s->codelists[s->ncodelists++] = it->u.str.text;
        }
    } else if (cl) {
        bad(&l, cl, "\"codelists\" must be an array of names");
    }
    const char *fx = str(&l, root, "fixtures", 0);
    const chuanp_jv *fxv = chuanp_json_get(root, "fixtures");
    if (fx && (!*fx || fx[0] == '/' || strstr(fx, ".."))) {
        bad(&l, fxv, "\"fixtures\": '%s' must be a path inside the package folder", fx);
        fx = NULL;
    }
    s->fixtures = chuanp_asprintf("%s/%s", dir, fx ? fx : "fixtures");
    if (s->fixtures)
        confined(&l, fxv ? fxv : root, "fixtures", s->fixtures);
    const chuanp_jv *det = chuanp_json_get(root, "detect");
    if (det && det->type == CHUANP_JOBJECT) {
        s->detect_ns = str(&l, det, "xml_namespace", 0);
        s->ndetect_roots = strs(&l, det, "xml_root", s->detect_roots, CHUANP_STD_MAX_XML_RECORDS);
        s->detect_json_schema = str(&l, det, "json_schema", 0);
        const chuanp_jv *dj = chuanp_json_get(det, "json");
        if (dj && dj->type == CHUANP_JOBJECT) {
            s->detect_json_pointer = str(&l, dj, "pointer", 1);
            s->ndetect_json_values = strs(&l, dj, "values", s->detect_json_values,
                                          CHUANP_STD_MAX_XML_RECORDS);
            if (s->detect_json_pointer && s->detect_json_pointer[0] != '/')
                bad(&l, dj, "\"detect\": {\"json\": {\"pointer\"}} must be a JSON Pointer (/a/b), "
                            "not '%s'", s->detect_json_pointer);
            if (!s->ndetect_json_values)
                bad(&l, dj, "\"detect\": {\"json\": {\"values\": [...]}} needs at least one value");
        } else if (dj) {
            bad(&l, dj, "\"detect\": {\"json\"} must be {\"pointer\": \"/service\", \"values\": [...]}");
        }
    }
    const chuanp_jv *settings = chuanp_json_get(root, "settings");
    if (settings && settings->type != CHUANP_JOBJECT)
        bad(&l, settings, "\"settings\" must be an object");
    s->settings = settings && settings->type == CHUANP_JOBJECT ? settings : NULL;
    if (!s->fixtures)
        goto out;
    rc = l.errors ? 1 : 0;
out:
    chuanp_free(data);
    chuanp_free(errmsg);
    if (rc != 0) {
        chuanp_standard_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void chuanp_standard_free(chuanp_standard *s)
{
    if (!s)
        return;
    chuanp_free(s->dir);
    chuanp_free(s->manifest);
    chuanp_free(s->model);
    chuanp_free(s->xsd);
    chuanp_free(s->schematron);
    chuanp_free(s->schematron_phase);
    chuanp_free(s->tableschema);
    chuanp_free(s->fixtures);
    chuanp_arena_free(&s->arena);
    chuanp_free(s);
}

int chuanp_standard_codelist_dirs(const chuanp_standard *s, chuanp_codelists *set)
{
    char *a = chuanp_asprintf("%s/codelists", s->dir);
    char *b = chuanp_asprintf("%s/../codelists", s->dir);
    int rc = (!a || !b || chuanp_codelists_add_dir(set, a) < 0 || chuanp_codelists_add_dir(set, b) < 0)
                 ? -1
                 : 0;
    chuanp_free(a);
    chuanp_free(b);
    return rc;
}

int chuanp_standard_files(const char *spec, chuanp_pathlist *out)
{
    char *dir = NULL, *err = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = chuanp_standard_find(&dir, spec, &d);
    chuan_diags_clear(&d);
    if (rc < 0 || !dir)
        return -1;
    char *shared = chuanp_asprintf("%s/../codelists", dir);
    const char *args[1] = {dir};
    rc = chuanp_expand_paths(out, args, 1, NULL, &err) < 0 ? -1 : 0;
    struct stat st;
    chuanp_free(err);
    err = NULL;
    if (rc == 0 && shared && stat(shared, &st) == 0 && S_ISDIR(st.st_mode)) {
        args[0] = shared;
        rc = chuanp_expand_paths(out, args, 1, NULL, &err) < 0 ? -1 : 0;
        chuanp_free(err);
    }
    chuanp_free(shared);
    chuanp_free(dir);
    return rc;
}
