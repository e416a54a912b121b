/* validator/schema_hints.h - load the schema behind a schema-aware
 * conversion (XSD, Table Schema or JSON Schema: one function for all). */
#ifndef CHUAN_SCHEMA_HINTS_H
#define CHUAN_SCHEMA_HINTS_H

#include "../converters/record.h"

typedef struct chuanp_hints_holder chuanp_hints_holder;

/* Load the schema at path (kind from its extension, then its content);
 * record_path narrows XSD hints to a record element. Returns 0, or -1 with
 * an error diagnostic (code schema.compile, or the engine's own) in d. */
int chuanp_hints_load(chuanp_hints_holder **out, const char *path, const char *record_path,
                      chuan_diags *d);
/* The hints (borrowed, valid until the holder is freed). */
const chuanp_schema_hints *chuanp_hints_get(const chuanp_hints_holder *h);
void chuanp_hints_free(chuanp_hints_holder *h);
/* A Table Schema's field names (the columns of a CSV output) appended to c:
 * 1 when the schema is a Table Schema, 0 when not (c untouched), -1 out of memory. */
int chuanp_hints_csv_columns(const chuanp_hints_holder *h, chuanp_csv_columns *c);

#endif /* CHUAN_SCHEMA_HINTS_H */
