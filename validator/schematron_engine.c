/* validator/schematron_engine.c - `chuan validate --schema rules.sch`: the Schematron engine. */
#include "schematron.h"
#include "validator.h"
#include "vocab.h"

#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#define MAX_XML_INPUT ((size_t)1 << 31)

typedef struct sch_engine {
    chuanp_engine base;
    chuanp_schematron *sch;
    chuanp_codelists codelists;
} sch_engine;

static int sch_check(const chuanp_engine *e, const chuanp_input *in, chuanp_format fmt,
                     chuan_file_result *res)
{
    const sch_engine *se = (const sch_engine *)e;
    char *data = NULL, *errmsg = NULL;
    size_t len = 0;
    int rc = -1;
    xmlDocPtr doc = NULL;
    chuanp_free(res->format);
    res->format = chuanp_strdup("xml");
    if (fmt != CHUANP_FMT_AUTO && fmt != CHUANP_FMT_XML) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schematron.format",
                         .file = in->name, .offset = -1};
        chuan_diags_addf(&res->diags, &dg, "a Schematron schema checks XML documents, not %s",
                         chuanp_format_name(fmt));
        goto out;
    }
    if (chuanp_read_all(in, MAX_XML_INPUT, &data, &len, &errmsg) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "io.read", .file = in->name,
                         .offset = -1};
        chuan_diags_addf(&res->diags, &dg, "cannot read %s: %s", in->name, errmsg ? errmsg : "?");
        goto out;
    }
    doc = chuanp_xml_parse_safe(data, len, in->name, &res->diags);
    if (!doc) {
        rc = 1; /* not well-formed counts as invalid */
        goto out;
    }
    rc = chuanp_schematron_run(se->sch, doc, in->name, data, len, &res->diags, NULL);
out:
    xmlFreeDoc(doc);
    chuanp_free(data);
    chuanp_free(errmsg);
    res->status = rc < 0 ? CHUAN_STATUS_FAILED : rc > 0 ? CHUAN_STATUS_INVALID : CHUAN_STATUS_VALID;
    return rc;
}

static void sch_free(chuanp_engine *e)
{
    sch_engine *se = (sch_engine *)e;
    if (!se)
        return;
    chuanp_schematron_free(se->sch);
    chuanp_codelists_free(&se->codelists);
    chuanp_free(se);
}

static const struct chuanp_engine_ops sch_ops = {"schematron", sch_check, sch_free};

/* Code lists for chuan:in-codelist: next to the schema (codelists/), then
 * the standards/codelists folder of the current directory. */
static int add_codelist_dirs(chuanp_codelists *set, const char *schema_path)
{
    const char *slash = strrchr(schema_path, '/');
    char *dir = slash ? chuanp_strndup(schema_path, (size_t)(slash - schema_path)) : chuanp_strdup(".");
    if (!dir)
        return -1;
    char *a = chuanp_asprintf("%s/codelists", dir), *b = chuanp_asprintf("%s/../codelists", dir),
         *c = chuanp_asprintf("%s/../../codelists", dir);
    int rc = (!a || !b || !c || chuanp_codelists_add_dir(set, a) || chuanp_codelists_add_dir(set, b) ||
              chuanp_codelists_add_dir(set, c) || chuanp_codelists_add_dir(set, "standards/codelists"))
                 ? -1
                 : 0;
    chuanp_free(a);
    chuanp_free(b);
    chuanp_free(c);
    chuanp_free(dir);
    return rc;
}

int chuanp_schematron_engine_new(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    *out = NULL;
    if (!opts->schema_path) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schematron.compile", .offset = -1,
                         .message = N_("no Schematron schema given")};
        chuan_diags_add(d, &dg);
        return -1;
    }
    sch_engine *se = chuanp_calloc(1, sizeof *se);
    if (!se)
        return -1;
    se->base.ops = &sch_ops;
    se->base.opts = *opts;
    se->base.label = opts->schema_path;
    chuanp_codelists_init(&se->codelists);
    long as_of = 0;
    if (opts->as_of && (as_of = chuanp_date_iso_key(opts->as_of, strlen(opts->as_of))) < 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "usage.as-of", .offset = -1};
        chuan_diags_addf(d, &dg, "--as-of wants a date YYYY-MM-DD, not '%s'", opts->as_of);
        sch_free(&se->base);
        return -1;
    }
    chuanp_schematron_opts so = {.codelists = &se->codelists, .as_of = as_of, .phase = opts->phase,
                                 .package_dir = opts->package_dir};
    if (add_codelist_dirs(&se->codelists, opts->schema_path) < 0 ||
        chuanp_schematron_compile(&se->sch, opts->schema_path, &so, d) < 0) {
        sch_free(&se->base);
        return -1;
    }
    *out = &se->base;
    return 0;
}
