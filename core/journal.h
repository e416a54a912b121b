/*
 * core/journal.h - outputs that survive a crash and can be resumed.
 *
 * A part file is the output being written: "<path>.chuan-part" next to the
 * final path, renamed onto it when complete (so a final path only ever
 * holds a complete output). Outputs that are not regular files (standard
 * output, /dev/null, pipes) are written directly.
 *
 * A journal ("<path>.chuan-journal") records checkpoints: after a chunk of
 * records has been appended to the part files and flushed, one line
 *
 *     chunk SEQ IN_OFFSET NEXT_LINE OUT_BYTES REJ_BYTES RECORDS WRITTEN REJECTED
 *
 * is appended. After a kill at any moment, the last complete line says how
 * far the input was converted and how long the part files were then; a
 * rerun truncates the part files to those lengths and continues from
 * IN_OFFSET, so nothing is lost or written twice. The first line identifies
 * the job ("chuan-journal 1 IDENTITY"): a journal of another job (other
 * input or options) is ignored. "commit" is written before the renames, so
 * a rerun after a kill between them only finishes the renames.
 */
#ifndef CHUAN_JOURNAL_H
#define CHUAN_JOURNAL_H

#include "core.h"

typedef struct chuanp_partfile {
    FILE *fp;
    char *path;   /* final path; NULL for standard output */
    char *part;   /* part path; NULL when written directly */
    int owns_fp;
} chuanp_partfile;

/* Open for writing. path NULL or "-" writes to fallback. keep < 0 starts
 * empty; keep >= 0 keeps the first `keep` bytes of an existing part file
 * (resume) and appends after them. The part file is opened without
 * following a symbolic link. Returns 0, or -1 with *errmsg (caller frees). */
int chuanp_partfile_open(chuanp_partfile *f, const char *path, FILE *fallback, long long keep,
                         char **errmsg);
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

typedef struct chuanp_checkpoint {
    long seq;               /* chunks done */
    long long in_offset;    /* raw input bytes converted */
    long next_line;         /* line of the input at in_offset */
    long long out_bytes, rej_bytes;
    long records, written, rejected;
} chuanp_checkpoint;

typedef struct chuanp_journal {
    FILE *fp;
    char *path;
} chuanp_journal;

/* Open path's journal for the job `identity` (one token, no spaces). With
 * resume, reads an existing journal of the same job: *found = 1 and *last
 * filled from its last complete checkpoint (*found = 2 when it says
 * "commit"), else *found = 0 and the journal is started afresh. Returns 0
 * or -1 with *errmsg. */
int chuanp_journal_open(chuanp_journal *j, const char *output, const char *identity, int resume,
                        chuanp_checkpoint *last, int *found, char **errmsg);
/* Append one checkpoint (flushed). Returns 0 or -1 with *errmsg. */
int chuanp_journal_add(chuanp_journal *j, const chuanp_checkpoint *c, char **errmsg);
int chuanp_journal_commit(chuanp_journal *j, char **errmsg);
/* Close; with remove, delete the journal file (the job is finished). */
void chuanp_journal_close(chuanp_journal *j, int remove_it);

#endif /* CHUAN_JOURNAL_H */
