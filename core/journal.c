/* core/journal.c - part files renamed when complete, and the checkpoint
 * journal that lets a killed conversion resume (see core/journal.h). */
#include "journal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int chuanp_partfile_open(chuanp_partfile *f, const char *path, FILE *fallback, long long keep,
                         char **errmsg)
{
    memset(f, 0, sizeof *f);
    *errmsg = NULL;
    if (!path || strcmp(path, "-") == 0) {
        f->fp = fallback;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            *errmsg = chuanp_asprintf("cannot write %s: is a directory", path);
            return -1;
        }
        f->fp = fopen(path, "w"); /* /dev/null, /dev/full, FIFOs: in place */
        if (!f->fp) {
            *errmsg = chuanp_asprintf("cannot write %s: %s", path, strerror(errno));
            return -1;
        }
        f->owns_fp = 1;
        f->path = chuanp_strdup(path);
        return 0;
    }
    f->path = chuanp_strdup(path);
    f->part = chuanp_asprintf("%s.chuan-part", path);
    if (!f->path || !f->part) {
        *errmsg = chuanp_strdup("out of memory");
        goto fail;
    }
    int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (keep < 0 ? O_TRUNC : 0);
    int fd = open(f->part, flags, 0666);
    if (fd < 0) {
        *errmsg = chuanp_asprintf("cannot write %s: %s", path, strerror(errno));
        goto fail;
    }
    if (keep >= 0) {
        struct stat ps;
        if (fstat(fd, &ps) != 0 || ps.st_size < keep || ftruncate(fd, (off_t)keep) != 0 ||
            lseek(fd, (off_t)keep, SEEK_SET) < 0) {
            *errmsg = chuanp_asprintf("cannot resume %s: its part file is shorter than the journal "
                                      "says", path);
            close(fd);
            goto fail;
        }
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        *errmsg = chuanp_asprintf("cannot write %s: %s", path, strerror(errno));
        close(fd);
        goto fail;
    }
    f->owns_fp = 1;
    return 0;
fail:
    chuanp_free(f->path);
    chuanp_free(f->part);
    f->path = f->part = NULL;
    return -1;
}

long long chuanp_partfile_flush(chuanp_partfile *f, char **errmsg)
{
    *errmsg = NULL;
    if (!f->fp)
        return 0;
    if (fflush(f->fp) != 0 || ferror(f->fp)) {
        *errmsg = chuanp_asprintf("cannot write %s: %s", f->path ? f->path : "standard output",
                                  strerror(errno ? errno : EIO));
        return -1;
    }
    off_t pos = f->part ? ftello(f->fp) : 0;
    return pos < 0 ? 0 : (long long)pos;
}

int chuanp_partfile_commit(chuanp_partfile *f, int drop_if_empty, char **errmsg)
{
    *errmsg = NULL;
    long long size = chuanp_partfile_flush(f, errmsg);
    int rc = size < 0 ? -1 : 0;
    if (f->fp && f->owns_fp && fclose(f->fp) != 0 && rc == 0) {
        *errmsg = chuanp_asprintf("cannot write %s: %s", f->path, strerror(errno));
        rc = -1;
    }
    f->fp = NULL;
    if (f->part && rc == 0) {
        if (drop_if_empty && size == 0) {
            unlink(f->part);
            unlink(f->path);
        } else if (rename(f->part, f->path) != 0) {
            *errmsg = chuanp_asprintf("cannot write %s: %s", f->path, strerror(errno));
            rc = -1;
        }
    }
    if (rc != 0 && f->part)
        unlink(f->part);
    chuanp_free(f->path);
    chuanp_free(f->part);
    f->path = f->part = NULL;
    return rc;
}

void chuanp_partfile_close(chuanp_partfile *f)
{
    if (f->fp && f->owns_fp)
        fclose(f->fp);
    f->fp = NULL;
    chuanp_free(f->path);
    chuanp_free(f->part);
    f->path = f->part = NULL;
}

void chuanp_partfile_abort(chuanp_partfile *f)
{
    if (f->part)
        unlink(f->part);
    chuanp_partfile_close(f);
}

/* ------------------------------------------------------------ journal */

static int parse_checkpoint(const char *line, chuanp_checkpoint *c)
{
    return sscanf(line, "chunk %ld %lld %ld %lld %lld %ld %ld %ld", &c->seq, &c->in_offset,
                  &c->next_line, &c->out_bytes, &c->rej_bytes, &c->records, &c->written,
                  &c->rejected) == 8 ? 0 : -1;
}

/* Read the journal at path: 1 with *last (2 when committed) when it belongs
 * to `identity`, 0 otherwise. *good_len: bytes of complete lines. */
static int read_journal(const char *path, const char *identity, chuanp_checkpoint *last,
                        long long *good_len)
{
    FILE *fp = fopen(path, "rb");
    char line[512];
    int found = 0;
    long long pos = 0;
    *good_len = 0;
    if (!fp)
        return 0;
    char *head = chuanp_asprintf("chuan-journal 1 %s\n", identity);
    if (!head || !fgets(line, sizeof line, fp) || strcmp(line, head) != 0)
        goto out;
    pos = (long long)strlen(line);
    found = 1;
    memset(last, 0, sizeof *last);
    last->next_line = 1;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        if (n == 0 || line[n - 1] != '\n')
            break; /* torn by a kill while it was written */
        chuanp_checkpoint c;
        if (strcmp(line, "commit\n") == 0)
            found = 2;
        else if (parse_checkpoint(line, &c) == 0)
            *last = c;
        else
            break;
        pos += (long long)n;
    }
    *good_len = pos;
out:
    chuanp_free(head);
    fclose(fp);
    return found;
}

int chuanp_journal_open(chuanp_journal *j, const char *output, const char *identity, int resume,
                        chuanp_checkpoint *last, int *found, char **errmsg)
{
    memset(j, 0, sizeof *j);
    *found = 0;
    *errmsg = NULL;
    j->path = chuanp_asprintf("%s.chuan-journal", output);
    if (!j->path) {
        *errmsg = chuanp_strdup("out of memory");
        return -1;
    }
    long long good = 0;
    if (resume)
        *found = read_journal(j->path, identity, last, &good);
    int fd = open(j->path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (*found ? 0 : O_TRUNC),
                  0666);
    if (fd < 0 || (*found && (ftruncate(fd, (off_t)good) != 0 || lseek(fd, 0, SEEK_END) < 0))) {
        *errmsg = chuanp_asprintf("cannot write the journal %s: %s", j->path, strerror(errno));
        if (fd >= 0)
            close(fd);
        chuanp_free(j->path);
        j->path = NULL;
        return -1;
    }
    j->fp = fdopen(fd, "w");
    if (!j->fp) {
        close(fd);
        *errmsg = chuanp_strdup("out of memory");
        chuanp_free(j->path);
        j->path = NULL;
        return -1;
    }
    if (!*found) {
        fprintf(j->fp, "chuan-journal 1 %s\n", identity);
        if (fflush(j->fp) != 0) {
            *errmsg = chuanp_asprintf("cannot write the journal %s: %s", j->path, strerror(errno));
            return -1;
        }
    }
    return 0;
}

static int journal_line(chuanp_journal *j, const char *text, char **errmsg)
{
    *errmsg = NULL;
    if (!j->fp)
        return 0;
    if (fputs(text, j->fp) < 0 || fflush(j->fp) != 0) {
        *errmsg = chuanp_asprintf("cannot write the journal %s: %s", j->path,
                                  strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int chuanp_journal_add(chuanp_journal *j, const chuanp_checkpoint *c, char **errmsg)
{
    char line[256];
    snprintf(line, sizeof line, "chunk %ld %lld %ld %lld %lld %ld %ld %ld\n", c->seq, c->in_offset,
             c->next_line, c->out_bytes, c->rej_bytes, c->records, c->written, c->rejected);
    return journal_line(j, line, errmsg);
}

int chuanp_journal_commit(chuanp_journal *j, char **errmsg)
{
    return journal_line(j, "commit\n", errmsg);
}

void chuanp_journal_close(chuanp_journal *j, int remove_it)
{
    if (j->fp)
        fclose(j->fp);
    if (remove_it && j->path)
        unlink(j->path);
    j->fp = NULL;
    chuanp_free(j->path);
    j->path = NULL;
}
