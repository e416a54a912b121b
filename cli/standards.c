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
    fprintf(cli->out, "%-14s %-9s %-9s %-20s %s\n", "ID", "VERSION", "STATUS", "FORMATS", "TITLE");
    for (size_t i = 0; i < dirs.count; i++) {
        chuanp_standard *s = NULL;
        chuan_diags_clear(&d);
        chuan_diags_init(&d, 0);
        if (chuanp_standard_load(&s, dirs.paths[i], &d) != 0) {
            fprintf(cli->out, "%-14s (broken package: run chuan lint %s)\n", dirs.paths[i], dirs.paths[i]);
            continue;
        }
        char fm[64];
        snprintf(fm, sizeof fm, "%s%s%s%s", s->has_xml ? "xml," : "", s->has_json ? "json," : "",
                 s->has_ndjson ? "ndjson," : "", s->has_csv ? "csv," : "");
        size_t n = strlen(fm);
        if (n)
            fm[n - 1] = '\0';
        fprintf(cli->out, "%-14s %-9s %-9s %-20s %s\n", s->id, s->version, s->state ? s->state : "-",
                fm, s->title_en ? s->title_en : "");
        chuanp_standard_free(s);
    }
out:
    chuan_diags_clear(&d);
    chuanp_pathlist_free(&dirs);
    return rc;
}

static void field(chuanp_cli *cli, const char *name, const char *value)
{
    if (value && *value)
        fprintf(cli->out, "%-13s %s\n", name, value);
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
    field(cli, "title", s->title_en);
    field(cli, "title (vi)", s->title_vi);
    field(cli, "folder", s->dir);
    fprintf(cli->out, "%-13s %s (from %s to %s)%s%s\n", "status", s->state ? s->state : "-",
            s->valid_from ? s->valid_from : "-", s->valid_to ? s->valid_to : "-",
            s->replaced_by ? ", replaced by " : "", s->replaced_by ? s->replaced_by : "");
    if (s->unofficial)
        field(cli, "note", "models the public structure of the regulations; not an official copy");
    for (size_t i = 0; s->regulations && i < s->regulations->u.arr.count; i++) {
        const chuanp_jv *r = s->regulations->u.arr.items[i];
        const chuanp_jv *id = chuanp_json_get(r, "id"), *t = chuanp_json_get(r, "title");
        fprintf(cli->out, "%-13s %s%s%s\n", i ? "" : "regulations",
                id && id->type == CHUANP_JSTRING ? id->u.str.text : "?",
                t && t->type == CHUANP_JSTRING ? ": " : "",
                t && t->type == CHUANP_JSTRING ? t->u.str.text : "");
    }
    field(cli, "model", s->model);
    if (s->has_json)
        fprintf(cli->out, "%-13s records at \"%s\"\n", "json", s->json_records);
    if (s->has_ndjson)
        fprintf(cli->out, "%-13s one record per line\n", "ndjson");
    for (size_t i = 0; i < s->nxml_records; i++)
        fprintf(cli->out, "%-13s record element %s\n", i ? "" : "xml", s->xml_records[i]);
    field(cli, "xsd", s->xsd);
    field(cli, "schematron", s->schematron);
    field(cli, "csv", s->tableschema);
    for (size_t i = 0; i < s->ncodelists; i++)
        fprintf(cli->out, "%-13s %s\n", i ? "" : "code lists", s->codelists[i]);
    field(cli, "fixtures", s->fixtures);
    field(cli, "detect (ns)", s->detect_ns);
    for (size_t i = 0; i < s->ndetect_roots; i++)
        fprintf(cli->out, "%-13s %s\n", i ? "" : "detect (root)", s->detect_roots[i]);
    field(cli, "detect (json)", s->detect_json_schema);
    for (size_t i = 0; i < s->ndetect_json_values; i++)
        fprintf(cli->out, "%-13s %s = \"%s\"\n", i ? "" : "detect (key)", s->detect_json_pointer,
                s->detect_json_values[i]);
    /* the rules */
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuanp_jv *model = NULL;
    chuanp_pathlist rules = {0};
    if (s->model && chuanp_model_read(&model, &arena, s->model, &d) == 0) {
        chuanp_model_rules(model, s->model, s, &rules, NULL, NULL, NULL);
        fprintf(cli->out, "%-13s %zu in the model:", "rules", rules.count);
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
