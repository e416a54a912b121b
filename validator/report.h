/* validator/report.h - internals shared by the reporters (report_*.c). */
#ifndef CHUAN_REPORT_H
#define CHUAN_REPORT_H

#include "../core/core.h"

typedef struct report_totals {
    size_t files, valid, invalid, failed, wellformed, errors, warnings, dropped;
    long records;
    double seconds;
} report_totals;

typedef struct chuanp_report_ops {
    void (*file)(chuan_reporter *rep, const chuan_file_result *r);
    void (*end)(chuan_reporter *rep);
} chuanp_report_ops;

struct chuan_reporter {
    FILE *out;
    chuan_report_opts opts;
    const chuanp_report_ops *ops;
    report_totals totals;
    chuanp_buf body;     /* buffered output of the formats that need totals first */
    int vietnamese;      /* messages in Vietnamese (locale vi_VN) */
    int json_basic;      /* json: the JSON Schema "basic" output format */
    char **rule_ids;     /* sarif: distinct diagnostic codes seen, in order */
    size_t nrule_ids, caprule_ids;
    /* html (report_html*.c) */
    struct chuanp_html *html;                 /* its state, allocated on first use */
    int ctx_files;                            /* context lines from the input files */
    const char *ctx_data;                     /* ... or from this payload (borrowed) */
    size_t ctx_len;
    const struct chuanp_std_test_detail *test_detail; /* for the next file (chuan test) */
};

extern const chuanp_report_ops chuanp_report_text, chuanp_report_json, chuanp_report_junit,
    chuanp_report_sarif, chuanp_report_github, chuanp_report_html;

const char *chuanp_severity_name(chuan_severity s);
const char *chuanp_status_name(chuan_status s);
/* message in the reporter's language */
const char *chuanp_report_message(const chuan_reporter *rep, const chuan_diag *d);
/* "file:line:col: severity: code: message (at PATH)" without newline */
void chuanp_report_diag_line(chuanp_buf *b, const chuan_reporter *rep, const chuan_diag *d);

void chuanp_html_free(struct chuanp_html *h);

/* chuan_diag.properties ("ID<TAB>TEXT" lines) as a JSON object {"ID":"TEXT",...} */
void chuanp_report_properties_json(chuanp_buf *b, const char *props);

#endif
