/* validator/standard_show.c - `chuan standards`: the table of the packages
 * found and one package's card, in the language of messages. */
#include "standard.h"
#include "standard_check.h"

#include <string.h>

/* s left-aligned in a column of at least `width` characters, then a space */
static void cell(FILE *fp, const char *s, size_t width)
{
    fputs(s, fp);
    for (size_t n = chuanp_utf8_count(s, strlen(s)); n < width; n++)
        fputc(' ', fp);
    fputc(' ', fp);
}

static size_t width_of(const char *s, size_t min)
{
    size_t n = chuanp_utf8_count(s, strlen(s));
    return n > min ? n : min;
}

/* the title in the language of messages when the package gives it */
static const char *title_of(const chuanp_standard *s)
{
    if (chuanp_lang_get() == CHUANP_LANG_VI && s->title_vi && *s->title_vi)
        return s->title_vi;
    return s->title_en ? s->title_en : "";
}

int chuanp_standard_print_list(FILE *out, FILE *err)
{
    chuanp_pathlist dirs = {0};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = 0;
    if (chuanp_standard_list(&dirs, &d) < 0) {
        rc = -1;
        goto out;
    }
    if (dirs.count == 0) {
        fputs(_("no standard packages found (looked in $CHUAN_STANDARDS, ./standards and next to the "
                "binary)\n"),
              err);
        goto out;
    }
    const char *hid = _("ID"), *hver = _("VERSION"), *hst = _("STATUS"), *hfm = _("FORMATS");
    size_t wid = width_of(hid, 14), wver = width_of(hver, 9), wst = width_of(hst, 9),
           wfm = width_of(hfm, 20);
    cell(out, hid, wid);
    cell(out, hver, wver);
    cell(out, hst, wst);
    cell(out, hfm, wfm);
    fprintf(out, "%s\n", _("TITLE"));
    for (size_t i = 0; i < dirs.count; i++) {
        chuanp_standard *s = NULL;
        chuan_diags_clear(&d);
        chuan_diags_init(&d, 0);
        if (chuanp_standard_load(&s, dirs.paths[i], &d) != 0) {
            cell(out, dirs.paths[i], wid);
            fprintf(out, _("(broken package: run chuan lint %s)\n"), dirs.paths[i]);
            continue;
        }
        char fm[64];
        snprintf(fm, sizeof fm, "%s%s%s%s", s->has_xml ? "xml," : "", s->has_json ? "json," : "",
                 s->has_ndjson ? "ndjson," : "", s->has_csv ? "csv," : "");
        size_t n = strlen(fm);
        if (n)
            fm[n - 1] = '\0';
        cell(out, s->id, wid);
        cell(out, s->version, wver);
        cell(out, s->state ? s->state : "-", wst);
        cell(out, fm, wfm);
        fprintf(out, "%s\n", title_of(s));
        chuanp_standard_free(s);
    }
out:
    chuan_diags_clear(&d);
    chuanp_pathlist_free(&dirs);
    return rc;
}

/* The labels of `chuan standards show`, translated when printed; the column is as wide as the
 * widest label in the language of messages (13 in English). */
static const char *const labels[] = {
    N_("title"),       N_("title (vi)"),  N_("folder"),        N_("status"),       N_("note"),
    N_("regulations"), N_("model"),       N_("code lists"),    N_("fixtures"),     N_("detect (ns)"),
    N_("detect (root)"), N_("detect (json)"), N_("detect (key)"), N_("rules"),
    /* format names, never translated */
    "json", "ndjson", "xml", "xsd", "schematron", "csv",
};

static size_t label_width(void)
{
    size_t w = 0;
    for (size_t i = 0; i < sizeof labels / sizeof labels[0]; i++)
        w = width_of(_(labels[i]), w);
    return w;
}

/* the label (one of labels[], translated; "" for a continuation line) in its column */
static void label(FILE *out, const char *name)
{
    cell(out, _(name), label_width());
}

static void field(FILE *out, const char *name, const char *value)
{
    if (value && *value) {
        label(out, name);
        fprintf(out, "%s\n", value);
    }
}

int chuanp_standard_print_show(FILE *out, const char *spec, chuan_diags *d)
{
    char *dir = NULL;
    chuanp_standard *s = NULL;
    int rc = -1;
    if (chuanp_standard_find(&dir, spec, d) < 0 || chuanp_standard_load(&s, dir, d) != 0)
        goto out;
    fprintf(out, "%s %s\n", s->id, s->version);
    field(out, N_("title"), s->title_en);
    field(out, N_("title (vi)"), s->title_vi);
    field(out, N_("folder"), s->dir);
    label(out, N_("status"));
    fprintf(out, _("%s (from %s to %s)"), s->state ? s->state : "-",
            s->valid_from ? s->valid_from : "-", s->valid_to ? s->valid_to : "-");
    if (s->replaced_by)
        fprintf(out, _(", replaced by %s"), s->replaced_by);
    fputc('\n', out);
    if (s->unofficial)
        field(out, N_("note"), _("models the public structure of the regulations; not an official copy"));
    for (size_t i = 0; s->regulations && i < s->regulations->u.arr.count; i++) {
        const chuanp_jv *r = s->regulations->u.arr.items[i];
        const chuanp_jv *id = chuanp_json_get(r, "id"), *t = chuanp_json_get(r, "title");
        label(out, i ? "" : N_("regulations"));
        fprintf(out, "%s%s%s\n",
                id && id->type == CHUANP_JSTRING ? id->u.str.text : "?",
                t && t->type == CHUANP_JSTRING ? ": " : "",
                t && t->type == CHUANP_JSTRING ? t->u.str.text : "");
    }
    field(out, N_("model"), s->model);
    if (s->has_json) {
        label(out, "json");
        fprintf(out, _("records at \"%s\"\n"), s->json_records);
    }
    if (s->has_ndjson) {
        label(out, "ndjson");
        fputs(_("one record per line\n"), out);
    }
    for (size_t i = 0; i < s->nxml_records; i++) {
        label(out, i ? "" : "xml");
        fprintf(out, _("record element %s\n"), s->xml_records[i]);
    }
    field(out, "xsd", s->xsd);
    field(out, "schematron", s->schematron);
    field(out, "csv", s->tableschema);
    for (size_t i = 0; i < s->ncodelists; i++) {
        label(out, i ? "" : N_("code lists"));
        fprintf(out, "%s\n", s->codelists[i]);
    }
    field(out, N_("fixtures"), s->fixtures);
    field(out, N_("detect (ns)"), s->detect_ns);
    for (size_t i = 0; i < s->ndetect_roots; i++) {
        label(out, i ? "" : N_("detect (root)"));
        fprintf(out, "%s\n", s->detect_roots[i]);
    }
    field(out, N_("detect (json)"), s->detect_json_schema);
    for (size_t i = 0; i < s->ndetect_json_values; i++) {
        label(out, i ? "" : N_("detect (key)"));
        fprintf(out, "%s = \"%s\"\n", s->detect_json_pointer, s->detect_json_values[i]);
    }
    /* the rules */
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_jv *model = NULL;
    chuanp_pathlist rules = {0};
    if (s->model && chuanp_model_read(&model, &arena, s->model, d) == 0) {
        chuanp_model_rules(model, s->model, s, &rules, NULL, NULL, NULL);
        label(out, N_("rules"));
        fprintf(out, _("%zu in the model:"), rules.count);
        for (size_t i = 0; i < rules.count; i++)
            fprintf(out, " %s", rules.paths[i]);
        fputc('\n', out);
    }
    chuanp_pathlist_free(&rules);
    chuanp_arena_free(&arena);
    rc = 0;
out:
    chuanp_standard_free(s);
    chuanp_free(dir);
    return rc;
}

