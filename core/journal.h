/*
 * core/journal.h - outputs that survive a crash and can be resumed.
 *
 * A part file is the output being written: "<path>.chuan-part.<pid>-<rand>"
 * next to the final path, created with O_EXCL (so two runs never share
 * one), renamed onto it when complete (so a final path only ever holds a
 * complete output). Outputs that are not regular files (standard output,
 * /dev/null, pipes) are written directly. Part files are registered for
 * the signal handlers (core/tempfiles.c), except the part files of a
 * --resume journal: those are kept on purpose, for the rerun.
 *
 * A lock ("<path>.chuan-lock", flock) is held while an output is written:
 * a second run on the same output is refused.
 *
 * A journal ("<path>.chuan-journal", written under the lock) is
 *
 *     chuan-journal 2 IDENTITY
 *     parts OUT_SUFFIX REJ_SUFFIX          (the part files' unique suffixes, "-": none)
 *     chunk SEQ IN_OFFSET NEXT_LINE OUT_BYTES REJ_BYTES RECORDS WRITTEN REJECTED
 *     ...
 *     commit OUT_SIZE OUT_SUM REJ_SIZE REJ_SUM
 *
 * After a kill at any moment, the last complete chunk line says how far
 * the input was converted and how long the part files were then; a rerun
 * truncates the part files to those lengths and continues from IN_OFFSET,
 * so nothing is lost or written twice. The first line identifies the job
 * (input name, size, mtime and options): a journal of another job is
 * ignored. "commit" (sizes and checksums of the finished files) is written
 * before the renames; a rerun after a kill between them only finishes the
 * renames, and an output counts as complete only when its size and
 * checksum equal the commit line's.
 */
#ifndef CHUAN_JOURNAL_H
#define CHUAN_JOURNAL_H

#include "core.h"

typedef struct chuanp_partfile {
    FILE *fp;
    char *path;   /* final path; NULL for standard output */
    char *part;   /* part path; NULL when written directly */
    int owns_fp;
    int slot;     /* registry slot while registered, else -1 */
} chuanp_partfile;

/* Open for writing. path NULL or "-" writes to fallback. With resume_part
 * NULL, a new unique part file; else the part file of that suffix (from a
 * journal) is reopened without following a symbolic link, keeping its
 * first `keep` bytes. Returns 0, or -1 with *errmsg (caller frees). */
int chuanp_partfile_open(chuanp_partfile *f, const char *path, FILE *fallback,
                         const char *resume_part, long long keep, char **errmsg);
/* A journaled part file is kept when a signal ends the run. */
void chuanp_partfile_persist(chuanp_partfile *f);
/* Flush; returns the bytes written so far (the part file's size), or -1
 * with *errmsg on a write error (a full disk). */
long long chuanp_partfile_flush(chuanp_partfile *f, char **errmsg);
/* Flush, close, rename the part file onto the final path. With
 * drop_if_empty, an empty part file is removed instead, and so is an old
 * file at the final path (a rejects file of an earlier run). */
int chuanp_partfile_commit(chuanp_partfile *f, int drop_if_empty, char **errmsg);
/* Close and remove the part file (after an error). Accepts a closed one. */
void chuanp_partfile_abort(chuanp_partfile *f);
/* Close without removing the part file (kept for --resume). */
void chuanp_partfile_close(chuanp_partfile *f);

/* Remove the part files "<path>.chuan-part.*" left by killed runs, except
 * the one of suffix keep (NULL: none). Call with the output's lock held. */
void chuanp_remove_stale_parts(const char *path, const char *keep);

/* Size and checksum (64-bit) of a file's bytes: 0, or -1 when it cannot be
 * read. */
int chuanp_file_sum(const char *path, long long *size, uint64_t *sum);

typedef struct chuanp_checkpoint {
    long seq;               /* chunks done */
    long long in_offset;    /* raw input bytes converted */
    long next_line;         /* line of the input at in_offset */
    long long out_bytes, rej_bytes;
    long records, written, rejected;
} chuanp_checkpoint;

typedef struct chuanp_journal_state {
    int found;              /* 0 none (or another job's), 1 checkpoints, 2 committed */
    chuanp_checkpoint last; /* the last complete checkpoint */
    char out_part[32], rej_part[32]; /* part suffixes, "" when none */
    long long out_size, rej_size;    /* committed: sizes (-1 absent) and sums */
    uint64_t out_sum, rej_sum;
} chuanp_journal_state;

typedef struct chuanp_journal {
    FILE *fp;
    char *path;
} chuanp_journal;

/* Open output's journal for the job `identity` (one token, no spaces). With
 * resume, reads an existing journal of the same job into *st, else (or when
 * it is another job's) st->found = 0 and the journal is started afresh.
 * Call with the output's lock held. Returns 0 or -1 with *errmsg. */
int chuanp_journal_open(chuanp_journal *j, const char *output, const char *identity, int resume,
                        chuanp_journal_state *st, char **errmsg);
/* Record the part files' names (after opening them afresh). */
int chuanp_journal_parts(chuanp_journal *j, const chuanp_partfile *out,
                         const chuanp_partfile *rej, char **errmsg);
/* Append one checkpoint (flushed). Returns 0 or -1 with *errmsg. */
int chuanp_journal_add(chuanp_journal *j, const chuanp_checkpoint *c, char **errmsg);
/* The finished files' sizes (-1: none) and checksums, before the renames. */
int chuanp_journal_commit(chuanp_journal *j, long long out_size, uint64_t out_sum,
                          long long rej_size, uint64_t rej_sum, char **errmsg);
/* Close; with remove, delete the journal file (the job is finished). */
void chuanp_journal_close(chuanp_journal *j, int remove_it);
/* The journal path of an output (new string), or NULL. */
char *chuanp_journal_path(const char *output);

typedef struct chuanp_lock {
    int held;
    int stale;    /* the lock file was there: a run was killed (kill -9) on this output */
    int fd;
    char *path;
    int slot;
} chuanp_lock;

/* Take output's lock for this run: 0, or -1 with *errmsg when another run
 * holds it (or it cannot be made). A lock of a non-regular output (/dev/null)
 * or of standard output is a no-op. */
int chuanp_lock_output(chuanp_lock *l, const char *output, char **errmsg);
/* Remove and release. Accepts an unlocked (zeroed) lock. */
void chuanp_unlock_output(chuanp_lock *l);

#endif /* CHUAN_JOURNAL_H */
