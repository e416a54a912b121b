/* validator/standard_lint.c - `chuan lint`: is a standard package well-formed and consistent? */
#include "jsonschema.h"
#include "schematron.h"
#include "standard_check.h"
#include "standard_int.h"
#include "tableschema.h"
#include "vocab_keywords.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

typedef struct lint {
    const chuanp_standard *std;
    chuan_diags *d;
    int errors, warnings;
} lint;

static void note(lint *l, chuan_severity sev, const char *code, const char *file, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void note(lint *l, chuan_severity sev, const char *code, const char *file, const char *fmt, ...)
{
    chuan_diag dg = {.severity = sev, .code = code, .file = file, .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(l->d, &dg, fmt, ap);
    va_end(ap);
    if (sev == CHUAN_SEV_ERROR)
        l->errors++;
    else
        l->warnings++;
}

/* Count the errors added to d since `before` (a sub-step's diagnostics). */
static void count_since(lint *l, size_t before)
{
    for (size_t i = before; i < l->d->count; i++) {
        if (l->d->items[i].severity == CHUAN_SEV_ERROR)
            l->errors++;
        else
            l->warnings++;
    }
}

/* Every code list the package names, and every .csv in its code list
 * folders that it uses, must load cleanly (unique codes, valid dates). */
static void lint_codelists(lint *l, chuanp_codelists *set)
{
    for (size_t i = 0; i < l->std->ncodelists; i++) {
        size_t before = l->d->count;
        if (!chuanp_codelists_get(set, l->std->codelists[i], l->d) && l->d->count == before)
            note(l, CHUAN_SEV_ERROR, "codelist.invalid", l->std->manifest, "code list '%s' is unusable",
                 l->std->codelists[i]);
        count_since(l, before);
    }
}

/* Rule ids named in the fixtures' expectations (coverage without running). */
static void expected_codes(const char *dir, chuanp_pathlist *codes, int *nvalid_by_fmt)
{
    const char *sub[2] = {"valid", "invalid"};
    for (int k = 0; k < 2; k++) {
        char *p = chuanp_asprintf("%s/%s", dir, sub[k]);
        DIR *dh = p ? opendir(p) : NULL;
        struct dirent *e;
        while (dh && (e = readdir(dh))) {
            if (e->d_name[0] == '.')
                continue;
            if (k == 0) {
                if (chuanp_has_suffix(e->d_name, ".xml"))
                    nvalid_by_fmt[0]++;
                else if (chuanp_has_suffix(e->d_name, ".json") || chuanp_has_suffix(e->d_name, ".ndjson"))
                    nvalid_by_fmt[1]++;
                else if (chuanp_has_suffix(e->d_name, ".csv"))
                    nvalid_by_fmt[2]++;
                continue;
            }
            if (!chuanp_has_suffix(e->d_name, ".expected"))
                continue;
            char *f = chuanp_asprintf("%s/%s", p, e->d_name);
            FILE *fp = f ? fopen(f, "rb") : NULL;
            char line[4096];
            while (fp && fgets(line, sizeof line, fp)) {
                line[strcspn(line, "\t\r\n")] = '\0';
                if (*line)
                    chuanp_strlist_add(codes, line);
            }
            if (fp)
                fclose(fp);
            chuanp_free(f);
        }
        if (dh)
            closedir(dh);
        chuanp_free(p);
    }
}

int chuanp_standard_lint(const char *spec, const char *as_of, chuan_diags *d, char **label)
{
    *label = NULL;
    char *dir = NULL;
    chuanp_standard *std = NULL;
    chuanp_codelists set;
    chuanp_codelists_init(&set);
    chuanp_jsonschema *model = NULL;
    chuanp_schematron *sch = NULL;
    chuanp_tableschema *ts = NULL;
    chuanp_engine *xsd = NULL;
    chuanp_pathlist rules = {0}, covered = {0};
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    lint l = {.d = d};
    if (chuanp_standard_find(&dir, spec, d) < 0)
        return 2;
    size_t before = d->count;
    int lr = chuanp_standard_load(&std, dir, d);
    if (lr != 0) {
        count_since(&l, before);
        chuanp_free(dir);
        return lr < 0 && !l.errors ? -1 : 2;
    }
    l.std = std;
    *label = chuanp_asprintf("%s@%s", std->id, std->version);
    if (chuanp_standard_codelist_dirs(std, &set) < 0)
        goto out;
    lint_codelists(&l, &set);
    long asof = as_of ? chuanp_date_iso_key(as_of, strlen(as_of)) : 0;
    chuanp_vocab_ctx vctx = {.codelists = &set, .settings = std->settings, .as_of = asof > 0 ? asof : 0};
    size_t nexts;
    const chuanp_jsonschema_ext *exts = chuanp_vocab_extensions(&nexts);
    /* the model compiles and is valid against its meta-schema */
    chuanp_jsonschema_opts jo = {.exts = exts, .nexts = nexts, .ext_user = &vctx, .as_of = as_of,
                                 .package_dir = std->dir};
    before = d->count;
    if (std->model && chuanp_jsonschema_compile_file(&model, std->model, &jo, d) != 0 &&
        d->count == before)
        note(&l, CHUAN_SEV_ERROR, "lint.model", std->model, "the model schema does not compile");
    count_since(&l, before);
    /* rules: id, message, source; the fields they name exist */
    chuanp_jv *root = NULL;
    before = d->count;
    if (std->model && chuanp_model_read(&root, &arena, std->model, d) == 0)
        chuanp_model_rules(root, std->model, std, &rules, d, &l.errors, &l.warnings);
    else if (std->model)
        count_since(&l, before);
    /* XSD, Schematron (query binding), Table Schema compile */
    if (std->xsd) {
        chuanp_engine_opts xo = {.type = CHUANP_SCHEMA_XSD, .schema_path = std->xsd,
                                 .package_dir = std->dir};
        before = d->count;
        if (chuanp_xml_engine_new(&xsd, &xo, d) < 0 && d->count == before)
            note(&l, CHUAN_SEV_ERROR, "lint.xsd", std->xsd, "the XSD does not compile");
        count_since(&l, before);
    }
    if (std->schematron) {
        /* every phase: lint checks all the rules, whatever the schema's defaultPhase */
        chuanp_schematron_opts so = {.codelists = &set, .as_of = vctx.as_of,
                                     .settings = std->settings, .package_dir = std->dir,
                                     .phase = "#ALL"};
        before = d->count;
        if (chuanp_schematron_compile(&sch, std->schematron, &so, d) < 0 && d->count == before)
            note(&l, CHUAN_SEV_ERROR, "lint.schematron", std->schematron, "the Schematron does not compile");
        count_since(&l, before);
        if (sch && std->schematron_phase) {
            /* the package's phase must exist */
            chuanp_schematron *ph = NULL;
            so.phase = std->schematron_phase;
            before = d->count;
            if (chuanp_schematron_compile(&ph, std->schematron, &so, d) < 0 && d->count == before)
                note(&l, CHUAN_SEV_ERROR, "lint.schematron", std->schematron,
                     "the Schematron does not compile with phase %s", std->schematron_phase);
            count_since(&l, before);
            chuanp_schematron_free(ph);
        }
        if (sch) {
            size_t n;
            const char *const *ids = chuanp_schematron_rule_ids(sch, &n);
            for (size_t i = 0; i < n; i++)
                chuanp_strlist_add(&rules, ids[i]);
        }
    }
    if (std->tableschema) {
        before = d->count;
        if (chuanp_tableschema_load(&ts, std->tableschema, d) < 0 && d->count == before)
            note(&l, CHUAN_SEV_ERROR, "lint.tableschema", std->tableschema,
                 "the Table Schema does not load");
        count_since(&l, before);
    }
    /* fixtures: a valid payload per format; every rule in an expectation */
    int nvalid[3] = {0, 0, 0};
    expected_codes(std->fixtures, &covered, nvalid);
    const char *fmt_names[3] = {"XML", "JSON/NDJSON", "CSV"};
    int has[3] = {std->has_xml, std->has_json || std->has_ndjson, std->has_csv};
    for (int i = 0; i < 3; i++)
        if (has[i] && !nvalid[i])
            note(&l, CHUAN_SEV_WARNING, "lint.no-valid-fixture", std->manifest,
                 "the package accepts %s payloads but has no valid %s fixture in %s/valid",
                 fmt_names[i], fmt_names[i], std->fixtures);
    for (size_t i = 0; i < rules.count; i++)
        if (!chuanp_strlist_has(&covered, rules.paths[i]))
            note(&l, CHUAN_SEV_WARNING, "lint.uncovered", std->fixtures,
                 "rule %s appears in no invalid fixture's .expected file", rules.paths[i]);
    if (!std->regulations || std->regulations->u.arr.count == 0)
        note(&l, CHUAN_SEV_WARNING, "lint.no-regulation", std->manifest,
             "the manifest names no regulation (\"regulations\")");
out:
    chuanp_jsonschema_free(model);
    chuanp_schematron_free(sch);
    chuanp_tableschema_free(ts);
    chuanp_engine_free(xsd);
    chuanp_codelists_free(&set);
    chuanp_standard_free(std);
    chuanp_pathlist_free(&rules);
    chuanp_pathlist_free(&covered);
    chuanp_arena_free(&arena);
    chuanp_free(dir);
    return l.errors ? 2 : l.warnings ? 1 : 0;
}
