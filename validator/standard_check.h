/*
 * validator/standard_check.h - checking standard packages themselves:
 * `chuan test` (fixtures against their expected diagnostics, rule coverage)
 * and `chuan lint` (the package is well-formed and self-consistent).
 */
#ifndef CHUAN_STANDARD_CHECK_H
#define CHUAN_STANDARD_CHECK_H

#include "standard.h"

/* String sets on chuanp_pathlist (order of insertion, no duplicates). */
int chuanp_strlist_add(chuanp_pathlist *l, const char *s);
int chuanp_strlist_has(const chuanp_pathlist *l, const char *s);

/* Parse a model schema file with positions (arena owns the tree). */
int chuanp_model_read(chuanp_jv **root, chuanp_arena *arena, const char *path, chuan_diags *d);
/* Walk the model: collect rule ids; with d, add lint findings (rules
 * without id/message/source, fields that keywords or "required" name but
 * the model does not define). Adds to *errors / *warnings. Returns 1 when
 * errors were found, else 0. */
int chuanp_model_rules(const chuanp_jv *model, const char *file, const chuanp_standard *std,
                       chuanp_pathlist *rule_ids, chuan_diags *d, int *errors, int *warnings);

/* Every "rule" object of the model: id, severity (default "error"), source (may be NULL). */
typedef void (*chuanp_rule_info_cb)(void *ctx, const char *id, const char *severity, const char *source);
void chuanp_model_rule_info(const chuanp_jv *model, chuanp_rule_info_cb cb, void *ctx);

/* ---- chuan test ------------------------------------------------------- */
typedef struct chuanp_std_test_opts {
    int update;          /* rewrite invalid/<case>.expected from the output */
    const char *as_of;   /* --as-of for code list validity */
} chuanp_std_test_opts;

/* Called once per fixture (file = the fixture, status VALID when it met
 * its expectation, INVALID otherwise with "test.*" diagnostics saying
 * why), then once for the rule coverage (file = "<dir> (rule coverage)",
 * one "test.uncovered" warning per rule no invalid fixture exercises).
 * The callee may keep nothing: r is cleared after the call. */
typedef struct chuanp_std_test_rule {
    const char *id, *severity, *source; /* source: the regulation cited, or NULL */
} chuanp_std_test_rule;

/* What the HTML report shows besides r (borrowed for the call). */
typedef struct chuanp_std_test_detail {
    const char *package;     /* id@version */
    int coverage;            /* 0: a fixture; 1: the package's rule coverage record */
    int expect_invalid;      /* a fixture of invalid/ */
    const chuanp_pathlist *expected; /* its .expected lines "CODE<TAB>LINE:COL<TAB>PATH" (or NULL) */
    const chuan_diags *actual;       /* what checking the fixture reported */
    const chuanp_std_test_rule *rules; /* coverage: every rule of the package */
    size_t nrules;
} chuanp_std_test_detail;

typedef void (*chuanp_std_test_emit)(void *ctx, const chuan_file_result *r,
                                     const chuanp_std_test_detail *detail);

typedef struct chuanp_std_test_summary {
    size_t fixtures, passed, failed, rules, covered;
    char *label; /* id@version (caller frees) */
} chuanp_std_test_summary;

/* Returns 0 all fixtures passed and every rule is covered, 1 otherwise,
 * <0 when the package cannot be loaded or compiled (diagnostics in d). */
int chuanp_standard_test(const char *spec, const chuanp_std_test_opts *o, chuanp_std_test_emit emit,
                         void *ctx, chuanp_std_test_summary *sum, chuan_diags *d);

/* ---- chuan lint ------------------------------------------------------- */
/* All findings go to d (file:line:column in the package's files). Returns
 * 0 clean, 1 warnings only (an uncovered rule, a rule without Vietnamese
 * message, a format without fixtures), 2 errors (the package is broken:
 * a schema that does not compile, an unsupported Schematron binding, a
 * code list with duplicate codes or bad dates, a rule without
 * id/message/source, a rule naming a field the model lacks), <0 internal. */
int chuanp_standard_lint(const char *spec, const char *as_of, chuan_diags *d, char **label);

#endif /* CHUAN_STANDARD_CHECK_H */
