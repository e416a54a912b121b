/* validator/engine.c - schema types and the table of engine constructors. */
#include "validator.h"
#include "jsonschema.h"
#include "tableschema.h"
#include "standard.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>
#include <unistd.h>

static const char *const type_names[] = {
    [CHUANP_SCHEMA_NONE] = "none",
    [CHUANP_SCHEMA_XSD] = "xsd",
    [CHUANP_SCHEMA_RNG] = "rng",
    [CHUANP_SCHEMA_SCHEMATRON] = "schematron",
    [CHUANP_SCHEMA_JSONSCHEMA] = "jsonschema",
    [CHUANP_SCHEMA_TABLESCHEMA] = "tableschema",
    [CHUANP_SCHEMA_STANDARD] = "standard",
};

/* One constructor per schema type; a type without one is not supported yet. */
static const struct {
    chuanp_schema_type type;
    chuanp_engine_ctor ctor;
} engines[] = {
    {CHUANP_SCHEMA_NONE, chuanp_wellformed_engine_new},
    {CHUANP_SCHEMA_XSD, chuanp_xml_engine_new},
    {CHUANP_SCHEMA_RNG, chuanp_xml_engine_new},
    {CHUANP_SCHEMA_JSONSCHEMA, chuanp_jsonschema_engine_new},
    {CHUANP_SCHEMA_TABLESCHEMA, chuanp_tableschema_engine_new},
    {CHUANP_SCHEMA_SCHEMATRON, chuanp_schematron_engine_new},
    {CHUANP_SCHEMA_STANDARD, chuanp_standard_engine_new},
};

const char *chuanp_schema_type_name(chuanp_schema_type t)
{
    return (unsigned)t < sizeof type_names / sizeof *type_names ? type_names[t] : "?";
}

int chuanp_schema_type_parse(const char *name)
{
    for (size_t i = 0; i < sizeof type_names / sizeof *type_names; i++)
        if (type_names[i] && strcmp(name, type_names[i]) == 0)
            return (int)i;
    if (strcmp(name, "relaxng") == 0)
        return CHUANP_SCHEMA_RNG;
    if (strcmp(name, "sch") == 0)
        return CHUANP_SCHEMA_SCHEMATRON;
    return -1;
}

/* The kind of schema text[0..len) (its first 4 KiB) is; json_named: the file is named *.json
 * (then it is JSON Schema or Table Schema, whatever it starts with). */
static chuanp_schema_type sniff(const char *text, size_t len, int json_named)
{
    char head[4096];
    size_t n = len < sizeof head - 1 ? len : sizeof head - 1;
    memcpy(head, text, n);
    head[n] = '\0';
    const char *p = head;
    if ((unsigned char)p[0] == 0xEF && (unsigned char)p[1] == 0xBB && (unsigned char)p[2] == 0xBF)
        p += 3;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (*p == '{' || json_named) {
        /* Table Schema: {"fields": [...]} at the top; otherwise JSON Schema. */
        if (strstr(head, "\"fields\"") && !strstr(head, "\"$schema\""))
            return CHUANP_SCHEMA_TABLESCHEMA;
        return CHUANP_SCHEMA_JSONSCHEMA;
    }
    if (*p != '<')
        return CHUANP_SCHEMA_NONE;
    /* RELAX NG and Schematron first: RELAX NG names XSD's datatypes namespace too */
    if (strstr(head, "http://relaxng.org/ns/structure/1.0"))
        return CHUANP_SCHEMA_RNG;
    if (strstr(head, "http://purl.oclc.org/dsdl/schematron") || strstr(head, "http://www.ascc.net/xml/schematron"))
        return CHUANP_SCHEMA_SCHEMATRON;
    if (strstr(head, "http://www.w3.org/2001/XMLSchema\""))
        return CHUANP_SCHEMA_XSD;
    return CHUANP_SCHEMA_NONE;
}

chuanp_schema_type chuanp_schema_type_guess(const char *path)
{
    if (chuanp_has_suffix(path, ".xsd"))
        return CHUANP_SCHEMA_XSD;
    if (chuanp_has_suffix(path, ".rng"))
        return CHUANP_SCHEMA_RNG;
    if (chuanp_has_suffix(path, ".sch"))
        return CHUANP_SCHEMA_SCHEMATRON;
    /* by content: a JSON object, or the namespace of the XML root (a schema given in memory
     * through the API or the service has no name to go by). Only a regular file is looked
     * into (a FIFO would block; the compile then refuses it). */
    struct stat st;
    FILE *f = stat(path, &st) == 0 && S_ISREG(st.st_mode) ? fopen(path, "r") : NULL;
    if (!f)
        return chuanp_has_suffix(path, ".json") ? CHUANP_SCHEMA_JSONSCHEMA : CHUANP_SCHEMA_NONE;
    char head[4096];
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    return sniff(head, n, chuanp_has_suffix(path, ".json"));
}

chuanp_schema_type chuanp_schema_type_sniff(const char *text, size_t len)
{
    return sniff(text, len, 0);
}

int chuanp_engine_compile(chuanp_engine **out, const chuanp_engine_opts *opts, chuan_diags *d)
{
    *out = NULL;
    if (opts->unwrap && opts->type != CHUANP_SCHEMA_STANDARD) {
        /* a wrapped payload is unwrapped by a standard package's engine only: never check the
         * wrapper alone and call it valid */
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "usage.unwrap", .offset = -1};
        chuan_diags_addf(d, &dg, "--unwrap needs a standard package (-s ID, or one selected "
                                 "automatically); %s does not unwrap payloads",
                         opts->type == CHUANP_SCHEMA_NONE ? _("a well-formedness check")
                                                          : chuanp_schema_type_name(opts->type));
        return -1;
    }
    for (size_t i = 0; i < sizeof engines / sizeof *engines; i++)
        if (engines[i].type == opts->type)
            return engines[i].ctor(out, opts, d);
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "schema.unsupported",
                     .file = opts->schema_path};
    chuan_diags_addf(d, &dg, "schema type %s is not supported", chuanp_schema_type_name(opts->type));
    return -1;
}

void chuanp_engine_free(chuanp_engine *e)
{
    if (e)
        e->ops->free(e);
}

int chuanp_engine_opts_reads(const chuanp_engine_opts *opts, chuanp_pathlist *reads)
{
    if (opts->schema_path && chuanp_pathlist_add(reads, opts->schema_path) < 0)
        return -1;
    for (size_t i = 0; i < opts->nrefs; i++)
        if (chuanp_pathlist_add(reads, opts->refs[i].path) < 0)
            return -1;
    if (opts->standard)
        chuanp_standard_files(opts->standard, reads); /* one not found fails later */
    return 0;
}

int chuanp_ref_map_add(chuanp_ref_map *refs, size_t *n, size_t cap, const char *v)
{
    const char *eq = strchr(v, '=');
    if (!eq || eq == v || !eq[1])
        return -1;
    if (*n == cap)
        return -2;
    char *prefix = chuanp_strndup(v, (size_t)(eq - v));
    if (!prefix)
        return -3;
    refs[*n].prefix = prefix;
    refs[(*n)++].path = eq + 1;
    return 0;
}

int chuanp_engine_opts_settle(chuanp_engine_opts *opts)
{
    if (opts->schema_path && opts->standard)
        return 1;
    if (opts->schema_path) {
        if (access(opts->schema_path, R_OK) != 0)
            return 2;
        if (opts->type == CHUANP_SCHEMA_NONE)
            opts->type = chuanp_schema_type_guess(opts->schema_path);
        return opts->type == CHUANP_SCHEMA_NONE ? 3 : 0;
    }
    if (opts->standard)
        opts->type = CHUANP_SCHEMA_STANDARD;
    else if (opts->type != CHUANP_SCHEMA_NONE)
        return 4;
    return 0;
}
