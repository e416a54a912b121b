/* cli/verbs.c - the table of registered verbs (a verb is listed only when it works). */
#include "cli.h"

const chuanp_verb *const chuanp_verbs[] = {
    &chuanp_verb_validate,
    &chuanp_verb_convert,
    &chuanp_verb_encoding,
    &chuanp_verb_standards,
    &chuanp_verb_test,
    &chuanp_verb_lint,
    &chuanp_verb_codelist,
    &chuanp_verb_serve,
    &chuanp_verb_help,
};
const size_t chuanp_nverbs = sizeof chuanp_verbs / sizeof *chuanp_verbs;
