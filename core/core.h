/*
 * core/core.h - internal plumbing shared by every layer (prefix chuanp_).
 * Layers import downward only: cli -> validator -> converters -> core.
 * Ownership: as in include/chuan.h.
 */
#ifndef CHUAN_CORE_H
#define CHUAN_CORE_H

#include "chuan.h"
#include "i18n.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* -------------------------------------------------------------- alloc */
/* The one allocator (core/alloc.c): chuan code never calls malloc, calloc,
 * realloc or free directly (tests/banned.sh checks). Memory from a libc or
 * library function that allocates on its own (utf8proc_map, realpath(NULL),
 * getline) is released with that library's own function or (free)(). */
void *chuanp_malloc(size_t n);
void *chuanp_calloc(size_t n, size_t size);
void *chuanp_realloc(void *p, size_t n);
void chuanp_free(void *p);
/* Allocations that failed since the process started (injected or real). */
unsigned long long chuanp_alloc_failures(void);
void chuanp_alloc_note_failure(void); /* an allocation elsewhere failed */
/* Route libxml2/libxslt through the allocator (once, before their first use). */
void chuanp_alloc_setup_xml(void);
/* Tests: make the k-th allocation from now fail (0: none). */
void chuanp_alloc_fail_in(unsigned long long k);

/* chuanp_malloc in two steps, for core/big_block.c (which makes its maps
 * between them): begin counts an allocation and returns -1 (the failure
 * counted) when injection fails it; counted allocates for an allocation
 * begin has counted (a failure is noted). default: 1 when the default
 * allocator (malloc) is in use. */
int chuanp_alloc_default(void);
int chuanp_alloc_begin(void);
void *chuanp_alloc_counted(size_t n);

/* Large blocks (a batch run's chunks and their outputs): *cap receives the
 * capacity, which the caller keeps and passes back. Blocks of 128 KiB or
 * more live on huge pages where the default allocator is in use (see
 * core/big_block.c); failure injection counts them as allocations. grow
 * keeps the first `used` bytes (p may be NULL). */
void *chuanp_big_alloc(size_t n, size_t *cap);
void *chuanp_big_grow(void *p, size_t used, size_t n, size_t *cap);
void chuanp_big_free(void *p, size_t cap);

/* Compile guard (issue 11, defect 7): a schema compile fails when anything
 * went wrong inside it, whatever the compile function returns. Between begin
 * and end (same thread, nested guards allowed), libxml2/libxslt errors raised
 * without a context handler (out-of-memory reports among them) are counted
 * and passed on to the previous handler; end returns -1 when an allocation
 * failed meanwhile (in any thread: fail closed), 1 when such an error was
 * reported, 0 when the compile can be trusted. */
typedef struct chuanp_compile_guard {
    unsigned long long failures;
    int errors;
    void (*old_fn)(void *, void *);
    void *old_ctx;
} chuanp_compile_guard;
void chuanp_compile_guard_begin(chuanp_compile_guard *g);
int chuanp_compile_guard_end(chuanp_compile_guard *g);
/* end, and when the compile returned rc >= 0 but the guard failed, add a
 * diagnostic to d (io.memory or schema.compile) about file. Returns as end. */
int chuanp_compile_guard_check(chuanp_compile_guard *g, int rc, chuan_diags *d, const char *file);

/* ---------------------------------------------------------------- buf */
/* Growable byte buffer with a sticky error and a size cap (0 = none).
 * Check `err` once at the end instead of after every append. The data is
 * always NUL-terminated (when err == 0). */
typedef struct chuanp_buf {
    char *data;
    size_t len;
    size_t cap;
    size_t limit;
    int err;           /* sticky: 1 out of memory, 2 over limit */
    unsigned char big; /* data is a large block (chuanp_big_alloc) */
} chuanp_buf;

void chuanp_buf_init(chuanp_buf *b, size_t limit);
/* A buffer whose data is a large block (no limit): for MiBs, reused. */
void chuanp_buf_init_big(chuanp_buf *b);
void chuanp_buf_free(chuanp_buf *b);
void chuanp_buf_reset(chuanp_buf *b); /* len = 0, keeps memory, clears err */
int chuanp_buf_reserve(chuanp_buf *b, size_t extra);
/* append and putc are inline for the common case (room left, no error);
 * the _slow functions grow the buffer. */
void chuanp_buf_append_slow(chuanp_buf *b, const void *data, size_t len);
void chuanp_buf_putc_slow(chuanp_buf *b, char c);
static inline void chuanp_buf_append(chuanp_buf *b, const void *data, size_t len)
{
    if (!b->err && b->data && len < b->cap - b->len && (!b->limit || b->len + len <= b->limit)) {
        if (len)
            memcpy(b->data + b->len, data, len);
        b->len += len;
        b->data[b->len] = '\0';
        return;
    }
    chuanp_buf_append_slow(b, data, len);
}
static inline void chuanp_buf_putc(chuanp_buf *b, char c)
{
    if (!b->err && b->data && b->len + 1 < b->cap && (!b->limit || b->len < b->limit)) {
        b->data[b->len++] = c;
        b->data[b->len] = '\0';
        return;
    }
    chuanp_buf_putc_slow(b, c);
}
void chuanp_buf_puts(chuanp_buf *b, const char *s);
void chuanp_buf_printf(chuanp_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
void chuanp_buf_vprintf(chuanp_buf *b, const char *fmt, va_list ap);
/* Escapes for the reporters and writers. */
void chuanp_buf_json_string(chuanp_buf *b, const char *s, size_t len); /* with quotes */
void chuanp_buf_xml_escape(chuanp_buf *b, const char *s, size_t len, int attr);
/* Steal the data (caller frees); the buffer is left empty. */
char *chuanp_buf_steal(chuanp_buf *b, size_t *len);
/* Copy up to size bytes of b from *pos to dst, advancing *pos: what a read
 * cookie serving a buffer returns. Returns the bytes copied (0: drained). */
size_t chuanp_buf_drain(const chuanp_buf *b, size_t *pos, char *dst, size_t size);

/* -------------------------------------------------------------- arena */
/* Bump allocator: many small allocations freed at once. Used for parsed
 * documents (JSON trees, records). chuanp_arena_reset keeps the first
 * block so a record loop runs in constant memory. */
typedef struct chuanp_arena_block chuanp_arena_block;
typedef struct chuanp_arena {
    chuanp_arena_block *head;
    size_t block_size;
    size_t total;  /* bytes handed out since the last reset */
    size_t limit;  /* 0 = none; allocations past it fail */
} chuanp_arena;

void chuanp_arena_init(chuanp_arena *a, size_t block_size);
void *chuanp_arena_alloc(chuanp_arena *a, size_t size); /* 8-byte aligned; NULL on failure */
char *chuanp_arena_strndup(chuanp_arena *a, const char *s, size_t len);
void chuanp_arena_reset(chuanp_arena *a);
void chuanp_arena_free(chuanp_arena *a);

/* ------------------------------------------------------------ strings */
char *chuanp_strdup(const char *s);              /* NULL in, NULL out */
char *chuanp_strndup(const char *s, size_t len);
char *chuanp_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int chuanp_has_suffix(const char *s, const char *suffix); /* case-insensitive */
/* Parse a decimal integer in [min,max]; 0 on success, -1 otherwise. */
int chuanp_parse_long(const char *s, long min, long max, long *out);

/* Hash of a byte-string key for open-addressing tables (object members,
 * schema property names, CSV column names and flattened key segments, Table
 * Schema key values): every byte counts, read 8 at a time (the last word may
 * overlap the one before it), each word mixed in by a multiply, so a key
 * costs about one multiply per 8 bytes. Keys come from input data: ones that
 * differ only in the middle must not share a chain. */
static inline uint32_t chuanp_key_hash(const char *s, size_t len)
{
    uint64_t h = (uint64_t)len * 0x9E3779B97F4A7C15ull, w;
    size_t i = 0;
    for (; i + 8 < len; i += 8) {
        memcpy(&w, s + i, 8);
        h = (h ^ w) * 0xBF58476D1CE4E5B9ull;
        h ^= h >> 31;
    }
    if (len >= 8) {
        memcpy(&w, s + len - 8, 8);
    } else if (len >= 4) {
        uint32_t x, y;
        memcpy(&x, s, 4);
        memcpy(&y, s + len - 4, 4);
        w = (uint64_t)x << 32 | y;
    } else {
        const unsigned char *u = (const unsigned char *)s;
        w = len ? u[0] | (uint64_t)u[len / 2] << 8 | (uint64_t)u[len - 1] << 16 : 0;
    }
    h = (h ^ w) * 0x94D049BB133111EBull;
    return (uint32_t)(h >> 32);
}
/* Whether two keys of length len are the same bytes (word compares, no call). */
static inline int chuanp_key_eq(const char *x, const char *y, size_t len)
{
    if (len >= 8) {
        uint64_t d = 0, u, v;
        for (size_t i = 0; i + 8 < len; i += 8) {
            memcpy(&u, x + i, 8);
            memcpy(&v, y + i, 8);
            d |= u ^ v;
        }
        memcpy(&u, x + len - 8, 8);
        memcpy(&v, y + len - 8, 8);
        return (d | (u ^ v)) == 0;
    }
    if (len >= 4) {
        uint32_t u0, v0, u1, v1;
        memcpy(&u0, x, 4);
        memcpy(&v0, y, 4);
        memcpy(&u1, x + len - 4, 4);
        memcpy(&v1, y + len - 4, 4);
        return ((u0 ^ v0) | (u1 ^ v1)) == 0;
    }
    for (size_t i = 0; i < len; i++)
        if (x[i] != y[i])
            return 0;
    return 1;
}

/* --------------------------------------------------------------- utf8 */
/* Returns the byte offset of the first invalid UTF-8 sequence, or -1 when
 * the whole buffer is valid (overlongs, surrogates, > U+10FFFF invalid). */
long long chuanp_utf8_invalid_at(const char *s, size_t len);
/* Decode one code point at s (len bytes available). Returns its length in
 * bytes (1..4) and stores the code point, or 0 when invalid. */
int chuanp_utf8_decode(const unsigned char *s, size_t len, uint32_t *cp);
/* Append the UTF-8 encoding of cp. */
void chuanp_buf_put_utf8(chuanp_buf *b, uint32_t cp);
/* Number of code points in s[0..len) (invalid bytes count as one). */
size_t chuanp_utf8_count(const char *s, size_t len);

/* ---------------------------------------------------------------- nfc */
/* NFC-normalise UTF-8 text. Fast path: pure ASCII or already-NFC text is
 * returned as is (*out = NULL, returns 0). Otherwise *out is a new string
 * (caller frees) of *out_len bytes. Returns -1 on invalid UTF-8 / OOM. */
int chuanp_nfc(const char *s, size_t len, char **out, size_t *out_len);
/* 1 when s is certainly NFC by a quick scan (Vietnamese text usually is);
 * 0 means "ask chuanp_nfc". */
int chuanp_nfc_quick(const char *s, size_t len);

/* ----------------------------------------------------------------- io */
/* An input as the user named it: a path or "-" for stdin. */
typedef struct chuanp_input {
    const char *name;  /* as given, used in diagnostics */
    const char *path;  /* path to open; NULL for stdin */
} chuanp_input;

/* Read a whole input into memory (NUL-terminated). Returns 0, or -1 with a
 * message in *errmsg (caller frees). limit 0 = no limit. */
int chuanp_read_all(const chuanp_input *in, size_t limit, char **data, size_t *len,
                    char **errmsg);
/* The same for an open descriptor (not closed), reported as `name`. */
int chuanp_read_fd(int fd, const char *name, size_t limit, char **data, size_t *len, char **errmsg);
/* fread until want bytes or the end of fp (or an error: ferror tells). Returns the bytes read. */
size_t chuanp_fread_full(FILE *fp, void *buf, size_t want);
/* A stream giving head[0..len) (bytes already read from raw, e.g. to sniff
 * them), then the rest of raw. raw stays the caller's and must outlive it;
 * with owns_head, closing the stream frees head. NULL when out of memory. */
FILE *chuanp_replay_open(char *head, size_t len, FILE *raw, int owns_head);
/* A new unlinked temporary file in $TMPDIR (else /tmp); the fd, or -1 with errno set. */
int chuanp_spool_tmpfile(void);
/* An unlinked temporary file holding head[0..head_len) then the rest of in
 * (in may be NULL), positioned at its start, for an input that must be read
 * twice. NULL with errno set when it cannot be made (read or write error). */
FILE *chuanp_spool_stream(const char *head, size_t head_len, FILE *in);

/* Output that appears atomically: regular files are written to a temporary
 * file in the same directory and renamed on commit; pipes, FIFOs,
 * character devices (/dev/null, /dev/stdout) are written directly.
 * path NULL or "-" writes to `fallback` (stdout). */
typedef struct chuanp_output {
    FILE *fp;
    char *path;     /* final path, NULL for direct/stdout */
    char *tmp_path; /* temporary path while writing */
    int direct;     /* written in place */
    int slot;       /* registry slot of tmp_path (core/tempfiles.c) */
    int owns_fp;
} chuanp_output;

int chuanp_output_open(chuanp_output *o, const char *path, FILE *fallback, char **errmsg);
/* Flush, fsync-less close, rename. Returns 0 or -1 with *errmsg. */
int chuanp_output_commit(chuanp_output *o, char **errmsg);
/* Drop a temporary file (after an error). Safe after commit. */
void chuanp_output_abort(chuanp_output *o);
/* data[0..len) as the whole output (path as chuanp_output_open), atomically.
 * 0; -1 it cannot be opened, -2 it cannot be written (nothing replaced);
 * *errmsg says why when known (caller frees). */
int chuanp_output_write(const char *path, FILE *fallback, const void *data, size_t len,
                        char **errmsg);

/* Refuse, before anything is written, an output that is another output or
 * a file the run reads: device + inode when the file exists, resolved path
 * otherwise; NULL, "-" and non-regular files (/dev/null) are skipped.
 * Returns 0, or -1 with *errmsg (caller frees). Every verb uses it. */
int chuanp_check_outputs(const char *const *outputs, size_t nout, const char *const *reads,
                         size_t nread, char **errmsg);

/* Whether path resolves (realpath: symbolic links, "..") to root or below
 * it: 1 inside, 0 outside (*real_out, when given: the resolved path, new
 * string), -1 when path or root does not resolve. */
int chuanp_path_within(const char *path, const char *root, char **real_out);

/* Temporary files (core/tempfiles.c): registered in a fixed, lock-free
 * table that the SIGINT/SIGTERM/SIGHUP handlers unlink before re-raising
 * the signal with its default action. chuanp_temp_create makes
 * "<path>.chuan-<kind>.<pid>-<random>" with O_EXCL (registered before it
 * exists) and returns its descriptor, the new name and its slot; -1 with
 * errno. Unregister after the rename or unlink. */
int chuanp_temp_create(const char *path, const char *kind, unsigned mode, char **tmp_path,
                       int *slot);
int chuanp_temp_register(const char *path); /* slot (> 0), or -1 when the table is full */
/* Slots are > 0: 0 and -1 (a zeroed or unused struct) are ignored. */
void chuanp_temp_unregister(int slot);
void chuanp_temp_install_handlers(void);
/* Remove every registered file and folder now (async-signal-safe: the
 * signal handler's pass; also a run that must stop at once). */
void chuanp_temp_remove_all(void);
/* A replacement of path keeps the old file's permissions: fchmod(fd) to
 * them when path is a regular file (a new file has 0666 & ~umask). */
void chuanp_keep_mode(int fd, const char *path);

/* Expand paths: directories recursively (sorted, hidden entries skipped),
 * keeping only files whose extension is in exts (NULL-terminated list; NULL
 * = all) for directory members; files named explicitly are always kept.
 * Returns 0, or -1 with *errmsg for a missing path. */
typedef struct chuanp_pathlist {
    char **paths;
    size_t count, cap;
} chuanp_pathlist;
int chuanp_expand_paths(chuanp_pathlist *out, const char *const *args, size_t nargs,
                        const char *const *exts, char **errmsg);
int chuanp_pathlist_add(chuanp_pathlist *l, const char *path); /* a copy; -1 out of memory */
void chuanp_pathlist_free(chuanp_pathlist *l);

/* ------------------------------------------------------------- format */
typedef enum {
    CHUANP_FMT_AUTO = 0,
    CHUANP_FMT_XML,
    CHUANP_FMT_JSON,
    CHUANP_FMT_NDJSON,
    CHUANP_FMT_CSV,
    CHUANP_FMT_XLSX, /* spreadsheets: binary, read by path (converters/sheet*.c) */
    CHUANP_FMT_XLS,
    CHUANP_FMT_DBF, /* dBase/FoxPro table, read as NDJSON (converters/table.h) */
    CHUANP_FMT_MDB  /* Access MDB/ACCDB table, read as NDJSON (converters/table.h) */
} chuanp_format;

const char *chuanp_format_name(chuanp_format f);
int chuanp_format_parse(const char *name); /* -1 unknown */
/* The file extension of a format (".xml"...; "" for AUTO). */
const char *chuanp_format_ext(chuanp_format f);
/* From the file name's extension alone; AUTO when it says nothing. */
chuanp_format chuanp_format_from_name(const char *name);
/* Guess from the file name, then from the first bytes. */
chuanp_format chuanp_format_sniff(const char *name, const char *head, size_t len);
/* 1 for a binary container (XLSX, XLS): no text decoding, its reader decodes cells itself. */
int chuanp_format_is_binary(chuanp_format f);
/* The one input collector (validate DIR, convert DIR in every form): the
 * NULL-terminated extensions a folder's member must end in to be an input,
 * all of .xml .edxml .json .ndjson .jsonl .csv .tsv .xlsx .xls .dbf .mdb .accdb for AUTO, else the
 * format's own (--from); and the paths expanded with them
 * (chuanp_expand_paths: sorted, hidden entries skipped, links followed). */
int chuanp_collect_inputs(chuanp_pathlist *out, const char *const *args, size_t nargs,
                          chuanp_format from, char **errmsg);

/* ---------------------------------------------------------------- diag */
/* chuan_diags_addf with a va_list: the message is formatted, the other
 * fields come from *d (d->message ignored); every string is copied. */
int chuanp_diags_vaddf(chuan_diags *list, const chuan_diag *d, const char *fmt, va_list ap);
/* Forget what was added since *mark (a copy of list taken earlier): the
 * diagnostics past mark->count are freed, the counters restored. */
void chuanp_diags_truncate(chuan_diags *list, const chuan_diags *mark);
/* The one text form of a diagnostic (every verb's standard error, the text
 * reporter, progress lines), without a line end:
 *   FILE[:LINE[:COLUMN]]: SEVERITY: CODE: MESSAGE[ (at PATH)]
 * FILE "chuan" (and no position) when it is about no input; SEVERITY error, warning or info;
 * control bytes of PATH as \xNN. message: NULL for the diagnostic's own
 * (else the caller's choice, e.g. the Vietnamese one). */
void chuanp_diag_format(chuanp_buf *b, const chuan_diag *g, const char *message);
/* The same with a line end, written to f. */
void chuanp_diag_print(FILE *f, const chuan_diag *g);

/* Where in a container an input's records come from (core/diag_part.c): a sheet of a
 * workbook (XLS, XLSX) or a table of a database (MDB). A diagnostic about a record of such an
 * input names it in its path, in one form (docs/legacy-tables.md, "Locations"):
 *   'So KS'!L5 /NguoiDuocDangKy/SoDinhDanh   a sheet's cell, then the record's JSON Pointer
 *   'So KS'!5:5 /NguoiDuocDangKy             a sheet's row (no single cell)
 *   'users' /c_user_name                     a table (the line is the record number)
 * The name is quoted as Excel quotes sheet names (' doubled), so `'So KS'!L5` can be typed
 * into Excel's Name Box. */
enum { CHUANP_PART_NONE = 0, CHUANP_PART_SHEET, CHUANP_PART_TABLE };
typedef struct chuanp_part {
    int kind;
    char *name;      /* owned */
    size_t ncols;    /* sheets: each output column's JSON Pointer and sheet column (A = 1) */
    char **ptrs;
    long *cols;
} chuanp_part;
/* 'name' (quotes doubled) appended to b. */
void chuanp_part_quote(chuanp_buf *b, const char *name);
/* A sheet location: 'S'!A1 (row > 0, col > 0), 'S'!5:5 (row > 0), 'S' (else), into b. */
void chuanp_part_sheet_ref(chuanp_buf *b, const char *sheet, long row, long col);
/* Set the part; name copied. Returns 0 or -1 (out of memory). */
int chuanp_part_set(chuanp_part *p, int kind, const char *name);
/* Add a sheet column: its JSON Pointer (copied) and sheet column. 0 or -1. */
int chuanp_part_add_col(chuanp_part *p, const char *ptr, long col);
int chuanp_part_copy(chuanp_part *dst, const chuanp_part *src);
void chuanp_part_free(chuanp_part *p);
/* Name the part in the path of every diagnostic of d about file (NULL: any) that locates a
 * record (line > 0) by a JSON Pointer or nothing; a sheet's cell found from the pointer sets
 * the column too. Others are left alone. Returns 0 or -1 (out of memory: paths unchanged). */
int chuanp_part_locate(const chuanp_part *p, chuan_diags *d, const char *file);

/* ---------------------------------------------------------------- time */
double chuanp_now(void); /* monotonic seconds */

/* ---------------------------------------------------------------- jobs */
/* Run fn(i, ctx) for i in [0, n) on `jobs` threads (1 = in this thread).
 * Calls done(i, ctx) in index order from the calling thread as soon as
 * every item up to i has finished (so results stream in input order). */
typedef void (*chuanp_job_fn)(size_t i, void *ctx);
int chuanp_run_jobs(size_t n, int jobs, chuanp_job_fn fn, chuanp_job_fn done, void *ctx);
int chuanp_default_jobs(void);
/* The number of workers (jobs or fewer, at least 1) whose memory the
 * address-space limit (ulimit -v) leaves room for: a run falls back to
 * fewer workers instead of failing. */
int chuanp_jobs_fit(int jobs);

#endif /* CHUAN_CORE_H */
