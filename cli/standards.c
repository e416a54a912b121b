/* cli/standards.c - `chuan standards [list|show ID]`: the standard packages available. */
#include "std_common.h"

#include "../validator/standard.h"
#include "../validator/standard_check.h"

#include <stdlib.h>
#include <string.h>

static const chuanp_opt standards_opts[] = {{0}};

static int dummy_opt(void *ctx, int id, const char *v)
{
    (void)ctx;
    (void)id;
    (void)v;
    return 0;
}

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

static int list(chuanp_cli *cli)
{
    chuanp_pathlist dirs = {0};
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = CHUAN_EXIT_OK;
    if (chuanp_standard_list(&dirs, &d) < 0) {
        rc = chuanp_cli_fail(cli, "out of memory");
        goto out;
    }
    if (dirs.count == 0) {
        fputs(_("no standard packages found (looked in $CHUAN_STANDARDS, ./standards and next to the "
                "binary)\n"),
              cli->err);
        goto out;
    }
    const char *hid = _("ID"), *hver = _("VERSION"), *hst = _("STATUS"), *hfm = _("FORMATS");
    size_t wid = width_of(hid, 14), wver = width_of(hver, 9), wst = width_of(hst, 9),
           wfm = width_of(hfm, 20);
    cell(cli->out, hid, wid);
    cell(cli->out, hver, wver);
    cell(cli->out, hst, wst);
    cell(cli->out, hfm, wfm);
    fprintf(cli->out, "%s\n", _("TITLE"));
    for (size_t i = 0; i < dirs.count; i++) {
        chuanp_standard *s = NULL;
        chuan_diags_clear(&d);
        chuan_diags_init(&d, 0);
        if (chuanp_standard_load(&s, dirs.paths[i], &d) != 0) {
            cell(cli->out, dirs.paths[i], wid);
            fprintf(cli->out, _("(broken package: run chuan lint %s)\n"), dirs.paths[i]);
            continue;
        }
        char fm[64];
        snprintf(fm, sizeof fm, "%s%s%s%s", s->has_xml ? "xml," : "", s->has_json ? "json," : "",
                 s->has_ndjson ? "ndjson," : "", s->has_csv ? "csv," : "");
        size_t n = strlen(fm);
        if (n)
            fm[n - 1] = '\0';
        cell(cli->out, s->id, wid);
        cell(cli->out, s->version, wver);
        cell(cli->out, s->state ? s->state : "-", wst);
        cell(cli->out, fm, wfm);
        fprintf(cli->out, "%s\n", title_of(s));
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
static void label(chuanp_cli *cli, const char *name)
{
    cell(cli->out, _(name), label_width());
}

static void field(chuanp_cli *cli, const char *name, const char *value)
{
    if (value && *value) {
        label(cli, name);
        fprintf(cli->out, "%s\n", value);
    }
}

static int show(chuanp_cli *cli, const char *spec)
{
    char *dir = NULL;
    chuanp_standard *s = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = CHUAN_EXIT_FAILURE;
    if (chuanp_standard_find(&dir, spec, &d) < 0 || chuanp_standard_load(&s, dir, &d) != 0) {
        chuanp_cli_std_diags(cli, &d);
        goto out;
    }
    fprintf(cli->out, "%s %s\n", s->id, s->version);
    field(cli, N_("title"), s->title_en);
    field(cli, N_("title (vi)"), s->title_vi);
    field(cli, N_("folder"), s->dir);
    label(cli, N_("status"));
    fprintf(cli->out, _("%s (from %s to %s)"), s->state ? s->state : "-",
            s->valid_from ? s->valid_from : "-", s->valid_to ? s->valid_to : "-");
    if (s->replaced_by)
        fprintf(cli->out, _(", replaced by %s"), s->replaced_by);
    fputc('\n', cli->out);
    if (s->unofficial)
        field(cli, N_("note"), _("models the public structure of the regulations; not an official copy"));
    for (size_t i = 0; s->regulations && i < s->regulations->u.arr.count; i++) {
        const chuanp_jv *r = s->regulations->u.arr.items[i];
        const chuanp_jv *id = chuanp_json_get(r, "id"), *t = chuanp_json_get(r, "title");
        label(cli, i ? "" : N_("regulations"));
        fprintf(cli->out, "%s%s%s\n",
                id && id->type == CHUANP_JSTRING ? id->u.str.text : "?",
                t && t->type == CHUANP_JSTRING ? ": " : "",
                t && t->type == CHUANP_JSTRING ? t->u.str.text : "");
    }
    field(cli, N_("model"), s->model);
    if (s->has_json) {
        label(cli, "json");
        fprintf(cli->out, _("records at \"%s\"\n"), s->json_records);
    }
    if (s->has_ndjson) {
        label(cli, "ndjson");
        fputs(_("one record per line\n"), cli->out);
    }
    for (size_t i = 0; i < s->nxml_records; i++) {
        label(cli, i ? "" : "xml");
        fprintf(cli->out, _("record element %s\n"), s->xml_records[i]);
    }
    field(cli, "xsd", s->xsd);
    field(cli, "schematron", s->schematron);
    field(cli, "csv", s->tableschema);
    for (size_t i = 0; i < s->ncodelists; i++) {
        label(cli, i ? "" : N_("code lists"));
        fprintf(cli->out, "%s\n", s->codelists[i]);
    }
    field(cli, N_("fixtures"), s->fixtures);
    field(cli, N_("detect (ns)"), s->detect_ns);
    for (size_t i = 0; i < s->ndetect_roots; i++) {
        label(cli, i ? "" : N_("detect (root)"));
        fprintf(cli->out, "%s\n", s->detect_roots[i]);
    }
    field(cli, N_("detect (json)"), s->detect_json_schema);
    for (size_t i = 0; i < s->ndetect_json_values; i++) {
        label(cli, i ? "" : N_("detect (key)"));
        fprintf(cli->out, "%s = \"%s\"\n", s->detect_json_pointer, s->detect_json_values[i]);
    }
    /* the rules */
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_jv *model = NULL;
    chuanp_pathlist rules = {0};
    if (s->model && chuanp_model_read(&model, &arena, s->model, &d) == 0) {
        chuanp_model_rules(model, s->model, s, &rules, NULL, NULL, NULL);
        label(cli, N_("rules"));
        fprintf(cli->out, _("%zu in the model:"), rules.count);
        for (size_t i = 0; i < rules.count; i++)
            fprintf(cli->out, " %s", rules.paths[i]);
        fputc('\n', cli->out);
    }
    chuanp_pathlist_free(&rules);
    chuanp_arena_free(&arena);
    rc = CHUAN_EXIT_OK;
out:
    chuanp_standard_free(s);
    chuan_diags_clear(&d);
    chuanp_free(dir);
    return rc;
}

static int run_standards(chuanp_cli *cli, int argc, const char **argv)
{
    const char **pos = NULL;
    size_t npos = 0;
    int rc;
    int p = chuanp_cli_parse(cli, argc, argv, dummy_opt, NULL, &pos, &npos);
    if (p != 0)
        return p > 0 ? CHUAN_EXIT_OK : CHUAN_EXIT_FAILURE;
    if (npos == 0 || (npos == 1 && strcmp(pos[0], "list") == 0))
        rc = list(cli);
    else if (npos == 2 && strcmp(pos[0], "show") == 0)
        rc = show(cli, pos[1]);
    else if (strcmp(pos[0], "show") == 0)
        rc = chuanp_cli_usage_error(cli, "'show' wants one standard (an id or a path)");
    else
        rc = chuanp_cli_usage_error(cli, "unknown subcommand '%s' (list, show ID)", pos[0]);
    chuanp_free(pos);
    return rc;
}

const chuanp_verb chuanp_verb_standards = {
    "standards",
    "list the standard packages, or show one",
    "chuan standards [list | show ID]",
    "Packages are searched in $CHUAN_STANDARDS (colon-separated folders), ./standards, then next\n"
    "to the binary (../share/chuan/standards). ID may be ID@VERSION or a path to a package folder.",
    standards_opts,
    run_standards,
};
