/*
 * validator/record_check.h - checking records one at a time, as `chuan
 * convert -s STANDARD` / `--schema FILE.json` does on the way: each
 * converted record is validated against the standard's record model (JSON
 * Schema + rule vocabulary) or the given JSON Schema.
 *
 * The check is compiled once and shared read-only by every worker; each
 * worker owns a state (chuanp_record_check_state_new). Results are
 * three-way: 0 valid, >0 invalid (diagnostics added), <0 internal error.
 */
#ifndef CHUAN_RECORD_CHECK_H
#define CHUAN_RECORD_CHECK_H

#include "validator.h"
#include "../converters/record.h"

typedef struct chuanp_record_check chuanp_record_check;
typedef struct chuanp_record_check_state chuanp_record_check_state;

/* One of standard (an id or a package path) or schema (a JSON Schema
 * file). Returns 0, or <0 with diagnostics (unknown standard, a schema
 * that does not compile). */
int chuanp_record_check_new(chuanp_record_check **out, const char *standard, const char *schema,
                            chuan_diags *d);
void chuanp_record_check_free(chuanp_record_check *c);
/* What the schema says about paths, for the schema-aware mappings (borrowed). */
const chuanp_schema_hints *chuanp_record_check_hints(const chuanp_record_check *c);

/* The standard's XML record element path (/A/B), the default --record of
 * an XML input; NULL for a JSON Schema or a standard without XML records. */
const char *chuanp_record_check_xml_record(const chuanp_record_check *c);

/* The standard package's own forms for convert (records pointer and envelope of its JSON
 * form, the columns of its CSV Table Schema); all zero for a JSON Schema. Borrowed. */
const chuanp_package_forms *chuanp_record_check_forms(const chuanp_record_check *c);

chuanp_record_check_state *chuanp_record_check_state_new(const chuanp_record_check *c);
void chuanp_record_check_state_free(chuanp_record_check_state *st);
int chuanp_record_check_run(const chuanp_record_check *c, chuanp_record_check_state *st,
                            const chuanp_jv *record, const char *file, chuan_diags *d);

#endif /* CHUAN_RECORD_CHECK_H */
