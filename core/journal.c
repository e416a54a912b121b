/* core/journal.c - part files renamed when complete, the lock of an output
 * and the checkpoint journal that lets a killed conversion resume (see
 * core/journal.h). */
#include "journal.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#define PART_KIND "part"

static int suffix_ok(const char *s)
{
    if (!*s || strlen(s) >= 32)
        return 0;
    for (; *s; s++)
        if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f') || *s == '-'))
            return 0;
    return 1;
}

int chuanp_partfile_open(chuanp_partfile *f, const char *path, FILE *fallback,
                         const char *resume_part, long long keep, char **errmsg)
{
    memset(f, 0, sizeof *f);
    f->slot = -1;
    *errmsg = NULL;
    if (!path || strcmp(path, "-") == 0) {
        f->fp = fallback;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            *errmsg = chuanp_asprintf(_("cannot write %s: is a directory"), path);
            return -1;
        }
        f->fp = fopen(path, "w"); /* /dev/null, /dev/full, FIFOs: in place */
        if (!f->fp) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
            return -1;
        }
        f->owns_fp = 1;
        f->path = chuanp_strdup(path);
        return 0;
    }
    f->path = chuanp_strdup(path);
    if (!f->path) {
        *errmsg = chuanp_strdup("out of memory");
        goto fail;
    }
    int fd;
    if (!resume_part) {
        fd = chuanp_temp_create(path, PART_KIND, 0666, &f->part, &f->slot);
        if (fd < 0) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
            goto fail;
        }
        chuanp_keep_mode(fd, path);
    } else {
        if (!suffix_ok(resume_part) ||
            !(f->part = chuanp_asprintf("%s.chuan-" PART_KIND ".%s", path, resume_part))) {
            *errmsg = chuanp_asprintf(_("cannot resume %s: bad part name"), path);
            goto fail;
        }
        fd = open(f->part, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
        struct stat ps;
        if (fd < 0 || fstat(fd, &ps) != 0 || !S_ISREG(ps.st_mode) || ps.st_size < keep ||
            ftruncate(fd, (off_t)keep) != 0 || lseek(fd, (off_t)keep, SEEK_SET) < 0) {
            *errmsg = chuanp_asprintf(_("cannot resume %s: its part file is missing or shorter "
                                      "than the journal says"), path);
            if (fd >= 0)
                close(fd);
            goto fail;
        }
    }
    f->fp = fdopen(fd, "w");
    if (!f->fp) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
        close(fd);
        if (!resume_part)
            unlink(f->part);
        goto fail;
    }
    f->owns_fp = 1;
    return 0;
fail:
    chuanp_temp_unregister(f->slot);
    f->slot = -1;
    chuanp_free(f->path);
    chuanp_free(f->part);
    f->path = f->part = NULL;
    return -1;
}

/* The unique suffix of the part file ("-" when written directly). */
static const char *partfile_suffix(const chuanp_partfile *f)
{
    static const char part_mark[] = ".chuan-" PART_KIND ".";
    if (!f->part || !f->path)
        return "-";
    return f->part + strlen(f->path) + sizeof part_mark - 1;
}

void chuanp_partfile_persist(chuanp_partfile *f)
{
    chuanp_temp_unregister(f->slot);
    f->slot = -1;
}

long long chuanp_partfile_flush(chuanp_partfile *f, char **errmsg)
{
    *errmsg = NULL;
    if (!f->fp)
        return 0;
    if (fflush(f->fp) != 0 || ferror(f->fp)) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), f->path ? f->path : _("standard output"),
                                  chuanp_strerror(errno ? errno : EIO));
        return -1;
    }
    off_t pos = f->part ? ftello(f->fp) : 0;
    return pos < 0 ? 0 : (long long)pos;
}

static void forget(chuanp_partfile *f)
{
    chuanp_temp_unregister(f->slot);
    f->slot = -1;
    chuanp_free(f->path);
    chuanp_free(f->part);
    f->path = f->part = NULL;
}

int chuanp_partfile_commit(chuanp_partfile *f, int drop_if_empty, char **errmsg)
{
    *errmsg = NULL;
    long long size = chuanp_partfile_flush(f, errmsg);
    int rc = size < 0 ? -1 : 0;
    if (f->fp && f->owns_fp && fclose(f->fp) != 0 && rc == 0) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), f->path, chuanp_strerror(errno));
        rc = -1;
    }
    f->fp = NULL;
    if (f->part && rc == 0 && chuanp_alloc_failures() > 0) {
        *errmsg = chuanp_asprintf(_("cannot write %s: out of memory"), f->path);
        rc = -1;
    }
    if (f->part && rc == 0) {
        if (drop_if_empty && size == 0) {
            unlink(f->part);
            unlink(f->path);
        } else if (rename(f->part, f->path) != 0) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), f->path, chuanp_strerror(errno));
            rc = -1;
        }
    }
    if (rc != 0 && f->part)
        unlink(f->part);
    forget(f);
    return rc;
}

void chuanp_partfile_close(chuanp_partfile *f)
{
    if (f->fp && f->owns_fp)
        fclose(f->fp);
    f->fp = NULL;
    forget(f);
}

void chuanp_partfile_abort(chuanp_partfile *f)
{
    if (f->part)
        unlink(f->part);
    chuanp_partfile_close(f);
}

int chuanp_file_sum(const char *path, long long *size, uint64_t *sum)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    uint64_t h = 0x9E3779B97F4A7C15ull;
    long long n = 0;
    unsigned char buf[1 << 16];
    for (;;) {
        ssize_t k = read(fd, buf, sizeof buf);
        if (k < 0 && errno == EINTR)
            continue;
        if (k < 0) {
            close(fd);
            return -1;
        }
        if (k == 0)
            break;
        size_t i = 0;
        for (; i + 8 <= (size_t)k; i += 8) {
            uint64_t w;
            memcpy(&w, buf + i, 8);
            h = (h ^ w) * 0xFF51AFD7ED558CCDull;
            h ^= h >> 32;
        }
        for (; i < (size_t)k; i++) {
            h = (h ^ buf[i]) * 0xC4CEB9FE1A85EC53ull;
            h ^= h >> 29;
        }
        n += k;
    }
    close(fd);
    *size = n;
    *sum = h ^ (uint64_t)n;
    return 0;
}

void chuanp_remove_stale_parts(const char *path, const char *keep)
{
    char *dir = chuanp_strdup(path);
    if (!dir)
        return;
    char *slash = strrchr(dir, '/');
    const char *base = slash ? path + (slash - dir) + 1 : path;
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    char *prefix = chuanp_asprintf("%s.chuan-" PART_KIND ".", base);
    DIR *d = prefix ? opendir(slash ? dir : ".") : NULL;
    size_t pl = prefix ? strlen(prefix) : 0;
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (strncmp(e->d_name, prefix, pl) != 0 || !suffix_ok(e->d_name + pl) ||
            (keep && strcmp(e->d_name + pl, keep) == 0))
            continue;
        char *p = chuanp_asprintf("%s/%s", slash ? dir : ".", e->d_name);
        if (p)
            unlink(p);
        chuanp_free(p);
    }
    if (d)
        closedir(d);
    chuanp_free(prefix);
    chuanp_free(dir);
}

/* ------------------------------------------------------------ journal */

char *chuanp_journal_path(const char *output)
{
    return chuanp_asprintf("%s.chuan-journal", output);
}

static int parse_checkpoint(const char *line, chuanp_checkpoint *c)
{
    return sscanf(line, "chunk %ld %lld %ld %lld %lld %ld %ld %ld", &c->seq, &c->in_offset,
                  &c->next_line, &c->out_bytes, &c->rej_bytes, &c->records, &c->written,
                  &c->rejected) == 8 ? 0 : -1;
}

/* Read the journal from fp into *st when it belongs to `identity`.
 * *good_len: bytes of complete lines. */
static void read_journal(FILE *fp, const char *identity, chuanp_journal_state *st,
                         long long *good_len)
{
    char line[512];
    long long pos = 0;
    *good_len = 0;
    char *head = chuanp_asprintf("chuan-journal 2 %s\n", identity);
    if (!head || !fgets(line, sizeof line, fp) || strcmp(line, head) != 0)
        goto out;
    pos = (long long)strlen(line);
    st->found = 1;
    st->last.next_line = 1;
    while (fgets(line, sizeof line, fp)) {
        size_t n = strlen(line);
        if (n == 0 || line[n - 1] != '\n')
            break; /* torn by a kill while it was written */
        chuanp_checkpoint c;
        char a[32], b[32];
        unsigned long long os, rs;
        if (sscanf(line, "parts %31s %31s", a, b) == 2) {
            snprintf(st->out_part, sizeof st->out_part, "%s", strcmp(a, "-") ? a : "");
            snprintf(st->rej_part, sizeof st->rej_part, "%s", strcmp(b, "-") ? b : "");
        } else if (sscanf(line, "commit %lld %llx %lld %llx", &st->out_size, &os, &st->rej_size,
                          &rs) == 4) {
            st->out_sum = os;
            st->rej_sum = rs;
            st->found = 2;
        } else if (parse_checkpoint(line, &c) == 0) {
            st->last = c;
        } else {
            break;
        }
        pos += (long long)n;
    }
    *good_len = pos;
out:
    chuanp_free(head);
}

int chuanp_journal_open(chuanp_journal *j, const char *output, const char *identity, int resume,
                        chuanp_journal_state *st, char **errmsg)
{
    memset(j, 0, sizeof *j);
    memset(st, 0, sizeof *st);
    *errmsg = NULL;
    j->path = chuanp_journal_path(output);
    if (!j->path) {
        *errmsg = chuanp_strdup("out of memory");
        return -1;
    }
    long long good = 0;
    int fd = open(j->path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd >= 0 && resume) {
        int rd = dup(fd);
        FILE *rf = rd >= 0 ? fdopen(rd, "rb") : NULL;
        if (rf) {
            read_journal(rf, identity, st, &good);
            fclose(rf);
        } else if (rd >= 0) {
            close(rd);
        }
    }
    if (fd < 0 || ftruncate(fd, (off_t)(st->found ? good : 0)) != 0 ||
        lseek(fd, 0, SEEK_END) < 0) {
        *errmsg = chuanp_asprintf(_("cannot write the journal %s: %s"), j->path, chuanp_strerror(errno));
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
    if (!st->found) {
        fprintf(j->fp, "chuan-journal 2 %s\n", identity);
        if (fflush(j->fp) != 0) {
            *errmsg = chuanp_asprintf(_("cannot write the journal %s: %s"), j->path, chuanp_strerror(errno));
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
        *errmsg = chuanp_asprintf(_("cannot write the journal %s: %s"), j->path,
                                  chuanp_strerror(errno ? errno : EIO));
        return -1;
    }
    return 0;
}

int chuanp_journal_parts(chuanp_journal *j, const chuanp_partfile *out,
                         const chuanp_partfile *rej, char **errmsg)
{
    char line[128];
    snprintf(line, sizeof line, "parts %s %s\n", out ? partfile_suffix(out) : "-",
             rej ? partfile_suffix(rej) : "-");
    return journal_line(j, line, errmsg);
}

int chuanp_journal_add(chuanp_journal *j, const chuanp_checkpoint *c, char **errmsg)
{
    char line[256];
    snprintf(line, sizeof line, "chunk %ld %lld %ld %lld %lld %ld %ld %ld\n", c->seq, c->in_offset,
             c->next_line, c->out_bytes, c->rej_bytes, c->records, c->written, c->rejected);
    return journal_line(j, line, errmsg);
}

int chuanp_journal_commit(chuanp_journal *j, long long out_size, uint64_t out_sum,
                          long long rej_size, uint64_t rej_sum, char **errmsg)
{
    char line[160];
    snprintf(line, sizeof line, "commit %lld %llx %lld %llx\n", out_size,
             (unsigned long long)out_sum, rej_size, (unsigned long long)rej_sum);
    return journal_line(j, line, errmsg);
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

/* --------------------------------------------------------------- lock */

int chuanp_lock_output(chuanp_lock *l, const char *output, char **errmsg)
{
    memset(l, 0, sizeof *l);
    l->fd = -1;
    l->slot = -1;
    *errmsg = NULL;
    struct stat st;
    if (!output || strcmp(output, "-") == 0 || (stat(output, &st) == 0 && !S_ISREG(st.st_mode)))
        return 0;
    l->path = chuanp_asprintf("%s.chuan-lock", output);
    if (!l->path) {
        *errmsg = chuanp_strdup("out of memory");
        return -1;
    }
    for (int attempt = 0; attempt < 10; attempt++) {
        int fd = open(l->path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
        if (fd < 0 && errno == EEXIST) {
            /* left by a killed run (or held by a live one: flock tells) */
            fd = open(l->path, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
            l->stale = 1;
        }
        if (fd < 0) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), output, chuanp_strerror(errno));
            break;
        }
        if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
            int e = errno;
            close(fd);
            if (e == EWOULDBLOCK)
                *errmsg = chuanp_asprintf(_("another chuan run is writing %s (it holds %s): "
                                          "refusing to write it at the same time"), output,
                                          l->path);
            else
                *errmsg = chuanp_asprintf(_("cannot lock %s: %s"), l->path, chuanp_strerror(e));
            break;
        }
        /* the lock file may have been removed by the run that held it */
        struct stat a, b;
        if (fstat(fd, &a) == 0 && stat(l->path, &b) == 0 && a.st_dev == b.st_dev &&
            a.st_ino == b.st_ino) {
            l->fd = fd;
            l->slot = chuanp_temp_register(l->path); /* removed by the signal handlers */
            l->held = 1;
            return 0;
        }
        close(fd);
    }
    if (!*errmsg)
        *errmsg = chuanp_asprintf(_("cannot lock %s"), l->path);
    chuanp_free(l->path);
    l->path = NULL;
    return -1;
}

void chuanp_unlock_output(chuanp_lock *l)
{
    if (l->held) {
        unlink(l->path); /* while it is held: a waiting run sees the new file */
        close(l->fd);
        chuanp_temp_unregister(l->slot);
    }
    chuanp_free(l->path);
    memset(l, 0, sizeof *l);
    l->fd = -1;
    l->slot = -1;
}
