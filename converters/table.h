/*
 * converters/table.h - legacy database tables (dBase/FoxPro DBF, Access
 * MDB/ACCDB) as a stream of NDJSON text, so every reader, the validators and
 * the batch engine read them like any NDJSON input.
 *
 * The stream has one line per table record in record order: the record as a
 * JSON object (keys = field names in table order), or an EMPTY line for a
 * record the table marks deleted (the NDJSON readers skip blank lines). Line N
 * of the stream is therefore record N of the table, and every diagnostic's
 * line number names the record; its path (/FIELD) names the field. Deleted
 * records are counted, never kept, and reported at the end of the stream
 * (`dbf.deleted`, a note). Details: docs/legacy-tables.md.
 */
#ifndef CHUAN_TABLE_H
#define CHUAN_TABLE_H

#include "../core/core.h"

/* ---- DBF (converters/table_dbf*.c) ------------------------------------ */
typedef struct chuanp_dbf chuanp_dbf;

/* Open a DBF table read from `f` (seekable, borrowed until close). path: the
 * file's path, whose folder holds the memo file (.dbt/.fpt, same stem, name
 * matched case-insensitively; NULL: no memo file can be read); name: the
 * input name in diagnostics. encoding: NULL/"auto" (the code-page byte and
 * the syllable detector decide) or a name chuanp_enc_parse accepts or glibc
 * iconv knows. Returns 0, 1 (the file is not a readable DBF or its encoding
 * cannot be told: diagnostic in d), -1 (internal error or unknown encoding
 * name: diagnostic in d). d is borrowed until close. */
int chuanp_dbf_open(chuanp_dbf **out, FILE *f, const char *path, const char *name,
                    const char *encoding, chuan_diags *d);
/* The next record as one JSON object appended to `line` (no newline).
 * Returns 1 (a live record), 2 (a deleted record: nothing appended), 0 (end
 * of the table: the closing notes are in d), 3 (the file is cut or corrupt
 * here: error in d, the stream ends), -1 (out of memory). */
int chuanp_dbf_next(chuanp_dbf *t, chuanp_buf *line);
void chuanp_dbf_close(chuanp_dbf *t);
/* Leave empty cells ("" and null) out of the records (CHUANP_TABLE_OMIT_EMPTY). */
void chuanp_dbf_omit_empty(chuanp_dbf *t, int on);

/* ---- the NDJSON front end (converters/table_input.c) ------------------ */
/* Open `path` (a DBF or MDB/ACCDB; "-" for standard input, read from src
 * when not NULL (a replay of what was peeked), spooled first; a DBF so read
 * has no memo file) as an NDJSON text stream. fmt:
 * CHUANP_FMT_DBF or CHUANP_FMT_MDB; table: --table (MDB; NULL: the only user
 * table). d is borrowed until the stream is closed (diagnostics met while
 * reading are added then). Returns 0, 1 (not readable as fmt: diagnostic,
 * exit 1), -1 (internal error, diagnostic). */
enum {
    /* Through a standard package: a DBF cell that is empty ("" or null: DBF cannot tell an
     * empty value from a missing one) is left out of its record, as an empty CSV cell read
     * through a package is, so the package's rules see the same records */
    CHUANP_TABLE_OMIT_EMPTY = 1
};
int chuanp_table_open(FILE **out, const char *path, FILE *src, const char *name,
                      chuanp_format fmt, const char *encoding, const char *table, unsigned flags,
                      chuan_diags *d);
/* The same stream copied to an unlinked temporary file, rewound: a seekable
 * NDJSON input (batch mode: chunks, --resume). NULL with *rc 1 or -1 as
 * chuanp_table_open returns, every diagnostic of the reading in d. */
FILE *chuanp_table_spool(const char *path, FILE *src, const char *name, chuanp_format fmt,
                         const char *encoding, const char *table, unsigned flags, chuan_diags *d,
                         int *rc);
/* The deleted records a `dbf.deleted` note in d counts (0 when none). */
long chuanp_table_deleted(const chuan_diags *d);
/* The encoding an `encoding.decoded` note in d names (a chuanp_enc: CHUANP_ENC_UTF8 when
 * none, or when the text was decoded through a code page chuan has no name for). */
int chuanp_table_encoding(const chuan_diags *d);
/* The table an `mdb.table` note in d names, as a chuanp_part (kind NONE when none: a DBF).
 * Returns 0 or -1 (out of memory). */
int chuanp_table_part(const chuan_diags *d, chuanp_part *part);
/* Whether fmt is one of the formats chuanp_table_open reads. */
int chuanp_table_format(chuanp_format fmt);

/* ---- MDB (converters/table_mdb.c) ------------------------------------- */
/* The NDJSON stream of one table of an Access database, from mdbtools'
 * `mdb-json` run as a child process (see docs/legacy-tables.md for why).
 * path "-": the database is read from src (NULL: stdin), spooled first. */
int chuanp_mdb_open(FILE **out, const char *path, FILE *src, const char *name,
                    const char *table, const char *encoding, chuan_diags *d);

/* Legacy text in mdb-json's records (converters/table_mdb_text.c): text typed with a
 * TCVN3/VNI... font comes as the Windows-1252 characters of its bytes. encoding: NULL/"auto"
 * (detected per column on the sampled lines), a chuan legacy name (every column), anything
 * else (kept as it is). Sample the first lines, decide, then rewrite every line; finish adds
 * the notes (encoding.decoded, encoding.tcvn3-case) to d. Return 0 or -1 (out of memory). */
typedef struct chuanp_mdb_text chuanp_mdb_text;
int chuanp_mdb_text_new(chuanp_mdb_text **out, const char *encoding, const char *name,
                        chuan_diags *d);
int chuanp_mdb_text_sample(chuanp_mdb_text *t, const char *line, size_t len);
int chuanp_mdb_text_decide(chuanp_mdb_text *t);
/* Line rec (1-based record number) rewritten into out (no newline). */
int chuanp_mdb_text_line(chuanp_mdb_text *t, const char *line, size_t len, long rec,
                         chuanp_buf *out);
void chuanp_mdb_text_finish(chuanp_mdb_text *t);
void chuanp_mdb_text_free(chuanp_mdb_text *t);

#endif /* CHUAN_TABLE_H */
