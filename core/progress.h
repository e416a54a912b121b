/* core/progress.h - the one-line progress display of a run over many files
 * (convert and validate). */
#ifndef CHUAN_PROGRESS_H
#define CHUAN_PROGRESS_H

#include <stddef.h>
#include <stdio.h>

/* The progress line of a batch run on standard error (core/progress.c):
 * "[ 42.0%] files 3/12  records 1000 (2 rejected)  12.3 MB/s  ETA 0:12".
 * The caller serialises every call and clears the line before writing
 * anything else to standard error. */
typedef struct chuanp_progress {
    FILE *err;
    int on;       /* drawing at all */
    int drawn;    /* a line is on the screen */
    double started, last_draw;
} chuanp_progress;
typedef struct chuanp_progress_counts {
    size_t files_done, files;
    long records, bad;
    const char *bad_label;  /* "rejected", "invalid" */
    long long bytes_done, bytes_total;
} chuanp_progress_counts;
/* mode: -1 auto (only when standard error is a terminal), 0 never, 1 always. */
void chuanp_progress_start(chuanp_progress *p, FILE *err, int mode, int err_is_tty);
/* Redraw, at most five times a second unless force. */
void chuanp_progress_draw(chuanp_progress *p, int force, const chuanp_progress_counts *c);
void chuanp_progress_clear(chuanp_progress *p);

#endif /* CHUAN_PROGRESS_H */
