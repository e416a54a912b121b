/*
 * validator/standard_diff.h - `chuan diff OLD NEW`: what changed between two versions of a
 * standard package, for integrators (senders of payloads), each change classified as breaking
 * (a payload the old version accepted may be refused) or compatible.
 */
#ifndef CHUAN_STANDARD_DIFF_H
#define CHUAN_STANDARD_DIFF_H

#include "../core/core.h"

typedef struct chuanp_std_change {
    int breaking;   /* 1: an old-valid payload may now be refused */
    char *kind;     /* "field.added", "field.required", "rule.severity", "codelist.retired", ... */
    char *subject;  /* "/NguoiDuocDangKy/HoTen", "HT-004", "communes 00001", "xml" */
    char *message;  /* one line, in the language of messages (docs/i18n.md) */
} chuanp_std_change;

typedef struct chuanp_std_changes {
    chuanp_std_change *items;
    size_t count, cap;
    char *old_label, *new_label; /* id@version */
    size_t nbreaking;
} chuanp_std_changes;

/* Compare two packages (ID[@VERSION] or folders). Returns 0 (changes in *out, maybe none), <0
 * when a package cannot be found, loaded or read (diagnostics in d). */
int chuanp_standard_diff(const char *old_spec, const char *new_spec, chuanp_std_changes *out,
                         chuan_diags *d);
void chuanp_std_changes_free(chuanp_std_changes *c);

enum { CHUANP_DIFF_TEXT, CHUANP_DIFF_JSON, CHUANP_DIFF_MARKDOWN };
/* Render the changes (format CHUANP_DIFF_*) into b. */
void chuanp_std_changes_write(chuanp_buf *b, const chuanp_std_changes *c, int format);

#endif /* CHUAN_STANDARD_DIFF_H */
