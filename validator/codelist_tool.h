/*
 * validator/codelist_tool.h - the engine of `chuan codelist`: import a list
 * from a published file through a mapping, compare two lists, merge a new
 * snapshot into a dated list, check a list (docs/codelists.md).
 *
 * Lists are chuanp_codelist (validator/codelist.h); rows built here carry
 * in `line` the CSV line or the JSON item number (1-based) they came from.
 * Functions return 0, 1 when the input is invalid (diagnostics added), or
 * -1 when the work could not be done (unreadable file, out of memory;
 * a diagnostic added when possible).
 */
#ifndef CHUAN_CODELIST_TOOL_H
#define CHUAN_CODELIST_TOOL_H

#include "codelist.h"

/* Which fields of the source are which column. A field is a name ("Code"),
 * a dotted path inside the item ("info.code"), or, for nested JSON, a field
 * of an enclosing item: "../Code" is the Code of the item one `[]` level up.
 * items: the path to the items in a JSON file, segments separated by '.',
 * "[]" after a segment (or alone, for the top-level array) expanding an
 * array: "[].District[].Ward[]", "provinces[].communes[]"; NULL = the
 * top-level array. NULL fields take the defaults code, name, parent,
 * valid_from, valid_to (used only when the source has them). */
typedef struct chuanp_cl_map {
    const char *format; /* "csv", "json", or NULL: by the file's extension */
    const char *items;
    const char *code, *name, *parent, *valid_from, *valid_to;
} chuanp_cl_map;

/* Fill the unset members of m from a JSON mapping file (an object with the
 * keys format, items, code, name, parent, valid_from, valid_to). The
 * strings live in *store until chuanp_cl_map_release(*store). */
int chuanp_cl_map_load(chuanp_cl_map *m, const char *path, void **store, chuan_diags *d);
void chuanp_cl_map_release(void *store);

/* Import a CSV or JSON file through m; the result is checked as a list
 * (duplicates, overlapping validity, empty codes) and its names are NFC-normalised and trimmed. */
int chuanp_cl_import(chuanp_codelist **out, const char *path, const chuanp_cl_map *m,
                     chuan_diags *d);

/* Every code matches the PCRE2 pattern as a whole: 0, 1 (diagnostics), -1
 * bad pattern or match failure (diagnostic). */
int chuanp_cl_check_codes(const chuanp_codelist *l, const char *pattern, chuan_diags *d);
/* Only the parents (a list chuanp_codelist_load already checked). */
int chuanp_cl_check_parents(const chuanp_codelist *l, const chuanp_codelist *parents,
                            chuan_diags *d);

/* Merge the current rows of snap (valid_to open) into list on date
 * (yyyymmdd): rows of list still open and absent from snap close on date,
 * new codes open on date, a changed name or parent closes the old row and
 * opens a new one; with split, unchanged rows close and reopen too (one
 * row per snapshot). 1 when list has a row dated after date. */
int chuanp_cl_merge(chuanp_codelist **out, const chuanp_codelist *list,
                    const chuanp_codelist *snap, long date, int split, chuan_diags *d);

/* Compare the current rows (valid_to open; with a_asof/b_asof yyyymmdd, the
 * rows valid on that day) of a and b by code: added,
 * removed, renamed, re-parented, with the dates to set (date 0: "DATE").
 * Text or JSON into out; counts in n[4] (added, removed, renamed,
 * re-parented) when given. 1 when a list has a code twice among its
 * current rows (diagnostic), -1 out of memory. */
int chuanp_cl_diff(const chuanp_codelist *a, long a_asof, const chuanp_codelist *b, long b_asof,
                   long date, int json, chuanp_buf *out, size_t n[4], chuan_diags *d);

/* The list as code-list CSV (header code,name[,valid_from,valid_to][,parent]),
 * rows by code, then valid_from (open first), then parent. */
void chuanp_cl_write_csv(const chuanp_codelist *l, chuanp_buf *out);

/* ---- the sub-commands' work (validator/codelist_run.c); cli/codelist.c
 * parses, prints and writes. Same return values. */

/* import: m's unset members from the mapping file map_file (may be NULL;
 * its strings in *store, chuanp_cl_map_release), then chuanp_cl_import. */
int chuanp_cl_import_file(chuanp_codelist **out, const char *path, chuanp_cl_map *m,
                          const char *map_file, chuan_diags *d, void **store);

/* diff OLD NEW or merge LIST SNAPSHOT (each read with its mapping file). */
typedef struct chuanp_cl_two {
    int merge, split, json;
    const char *old_path, *old_map, *new_path, *new_map;
    long date, old_asof, new_asof; /* yyyymmdd, 0 none */
} chuanp_cl_two;
/* The merged list as CSV (*rows: its rows) or the diff report, into out. */
int chuanp_cl_two_run(const chuanp_cl_two *t, chuanp_buf *out, size_t *rows, chuan_diags *d);

/* check: one list file, against parents (may be NULL; *no_parent_col set
 * when the list has no parent column to check) and pattern (may be NULL);
 * *rows its rows. */
int chuanp_cl_check_file(const char *path, const chuanp_codelist *parents, const char *pattern,
                         size_t *rows, int *no_parent_col, chuan_diags *d);

#endif /* CHUAN_CODELIST_TOOL_H */
