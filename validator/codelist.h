/*
 * validator/codelist.h - code lists of standard packages, loaded once per run.
 *
 * A code list is a UTF-8 CSV file `<name>.csv` with the header
 * `code,name[,valid_from,valid_to][,parent]` (dates YYYY-MM-DD, valid_to
 * exclusive, empty = open; parent = the code of the unit or group the row
 * belongs to, e.g. a commune's province). A code may appear more than once
 * when its validity periods do not overlap (province 15 is Yên Bái until
 * 2025-07-01, Lào Cai after); with a parent column, periods only have to be
 * disjoint among the rows of the same parent.
 * Lists are loaded while schemas compile (one thread) and only read while
 * records are checked (any number of threads).
 */
#ifndef CHUAN_CODELIST_H
#define CHUAN_CODELIST_H

#include "../core/core.h"

typedef struct chuanp_code {
    char *code;
    char *name;
    long valid_from; /* yyyymmdd, 0 = open */
    long valid_to;   /* yyyymmdd exclusive, 0 = open */
    long line;       /* line in the CSV file */
    char *parent;    /* the parent column, NULL when the list has none */
} chuanp_code;

typedef struct chuanp_codelist {
    char *name;
    char *path;
    chuanp_code *codes; /* sorted by code, then valid_from */
    size_t count;
    int has_dates;      /* the file has valid_from/valid_to columns */
    int has_parent;     /* the file has a parent column */
} chuanp_codelist;

typedef enum {
    CHUANP_CODE_VALID = 0,
    CHUANP_CODE_UNKNOWN,    /* not in the list at all */
    CHUANP_CODE_NOT_YET,    /* in the list, valid only from a later date */
    CHUANP_CODE_EXPIRED,    /* in the list, no longer valid on that date */
    CHUANP_CODE_WRONG_PARENT /* valid on that date, but under another parent */
} chuanp_code_status;

/* Load one list. Returns 0, or >0 with diagnostics (malformed file: bad
 * header, bad date, valid_from >= valid_to, empty code, overlapping
 * duplicate), or <0 when it cannot be read (diagnostic added). */
int chuanp_codelist_load(chuanp_codelist **out, const char *name, const char *path,
                         chuan_diags *d);
void chuanp_codelist_free(chuanp_codelist *l);
/* Append a code (strings copied; parent NULL = none) to l, whose codes array holds *cap: 0, or
 * -1 when an allocation fails (l unchanged). The caller sorts before a lookup. */
int chuanp_codelist_add(chuanp_codelist *l, size_t *cap, const char *code, const char *name,
                        long from, long to, const char *parent, long line);

/* Look a code up on a date (yyyymmdd; 0 = ignore validity). *hit is the
 * matching (or nearest) entry when the code exists. */
chuanp_code_status chuanp_codelist_lookup(const chuanp_codelist *l, const char *code, size_t len,
                                          long date, const chuanp_code **hit);
/* The same, and the row must belong to `parent` (plen bytes; NULL: any
 * parent). CHUANP_CODE_WRONG_PARENT when rows are valid on the date but
 * none under that parent (*hit is one of them). */
chuanp_code_status chuanp_codelist_lookup_in(const chuanp_codelist *l, const char *code, size_t len,
                                             long date, const char *parent, size_t plen,
                                             const chuanp_code **hit);

/* The set of lists a run uses, found by name in a list of directories. */
typedef struct chuanp_codelists {
    char **dirs;
    size_t ndirs;
    chuanp_codelist **lists;
    size_t count, cap;
} chuanp_codelists;

void chuanp_codelists_init(chuanp_codelists *set);
/* Add a directory to search (copied). Returns 0 or -1 (OOM). */
int chuanp_codelists_add_dir(chuanp_codelists *set, const char *dir);
/* Load (once) and return the list `name`. NULL with a diagnostic
 * "codelist.missing" / "codelist.invalid" when it cannot be used. */
const chuanp_codelist *chuanp_codelists_get(chuanp_codelists *set, const char *name,
                                            chuan_diags *d);
/* Already loaded list, or NULL (read-only lookup for worker threads). */
const chuanp_codelist *chuanp_codelists_find(const chuanp_codelists *set, const char *name);
void chuanp_codelists_free(chuanp_codelists *set);

/* One CSV record (RFC 4180 quoting) starting at *pos, its first max fields
 * copied into fields[] (buffers the caller initialised). Returns the number
 * of fields, 0 at the end, -1 on an unterminated quote; *line advances. */
int chuanp_codelist_csv_record(const char *s, size_t len, size_t *pos, long *line,
                               chuanp_buf *fields, int max);

/* Format yyyymmdd as YYYY-MM-DD into buf (11 bytes). */
void chuanp_date_key_format(char *buf, size_t size, long key);

#endif /* CHUAN_CODELIST_H */
