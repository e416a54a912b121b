/*
 * validator/api_convert.h - the converter handle of the public API (include/chuan.h),
 * shared by validator/api_convert.c (making it) and validator/api_convert_run.c (running a
 * chuan_convert_job over the conversion engine of converters/batch_run.h).
 */
#ifndef CHUAN_API_CONVERT_H
#define CHUAN_API_CONVERT_H

#include "record_check.h"
#include "../converters/batch_run.h"

#include "../converters/csv.h"
#include "../validator/schema_hints.h"

struct chuan_converter {
    chuanp_convert_opts o;
    chuanp_hints_holder *hints;  /* an XSD / Table Schema / JSON Schema guiding the mapping */
    chuanp_record_check *check;  /* a standard or a JSON Schema validating each record */
    chuanp_csv_columns columns;  /* CSV output: a Table Schema's fields */
    char *record, *encoding, *standard, *schema;
    int jobs;
};

#endif /* CHUAN_API_CONVERT_H */
