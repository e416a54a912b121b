/* validator/schematron_internal.h - shared by the Schematron compiler and runner. */
#ifndef CHUAN_SCHEMATRON_INTERNAL_H
#define CHUAN_SCHEMATRON_INTERNAL_H

#include "schematron.h"
#include "xslt_lib.h"

#include <pthread.h>

/* Namespace of the location functions the generated stylesheet calls. */
#define CHUANP_SCHEMATRON_INTERNAL_NS "urn:chuan:schematron-internal"

typedef struct chuanp_regex_cache chuanp_regex_cache;

struct chuanp_schematron {
    char *path;
    xsltStylesheetPtr style;
    char **ids;
    size_t nids;
    chuanp_codelists *codelists;
    long as_of;
    const struct chuanp_jv *settings; /* standard.json "settings" for chuan:setting(), or NULL */
    xsltSecurityPrefsPtr sec;
    chuanp_regex_cache *regexes; /* compiled chuan:matches patterns, shared, locked */
};

/* The ISO pre-processing of a parsed schema (schematron_expand.c), in place: sch:include and
 * sch:extends href resolved (read only below the schema's folder and package_dir), abstract
 * patterns instantiated (is-a, param), the patterns the phase (NULL/"#DEFAULT": the schema's
 * defaultPhase, else "#ALL") does not activate removed; *phase_out = the phase element or NULL.
 * Returns 0, or -1 with diagnostics. */
int chuanp_schematron_expand(xmlDocPtr sch, const char *path, const char *package_dir,
                             const char *phase, xmlNodePtr *phase_out, chuan_diags *d);

int chuanp_schematron_runtime_init(chuanp_schematron *s);
void chuanp_schematron_runtime_free(chuanp_schematron *s);
/* Severity of a failed assert (is_assert) or successful report with this role (may be NULL):
 * fatal/error -> error, warning/warn -> warning, info/information -> info, other or none: an
 * assert is an error, a report a warning. */
chuan_severity chuanp_schematron_role_severity(const char *role, int is_assert);

#endif /* CHUAN_SCHEMATRON_INTERNAL_H */
