/*
 * converters/table_mdb.c - one table of an Access MDB/ACCDB database as
 * NDJSON, from mdbtools' `mdb-json` run as a child process.
 *
 * Why a child process rather than libmdb: libmdb trusts the page numbers and
 * lengths it reads, so a corrupt database can make it read past its buffers
 * or loop; in a child that costs the child (bounded by CPU-time and memory
 * limits), never chuan, and the failure becomes a diagnostic (exit 1). The
 * tools are in Debian's `mdbtools` package (scripts/install-deps.sh); without
 * them an MDB input is an internal error naming the package (exit 2).
 *
 * `mdb-tables -1` lists the user tables first: --table must name one, and
 * without --table the database must hold exactly one. Dates and times come
 * as ISO 8601 (-D/-T); every value keeps the type mdb-json gives it.
 */
#define _GNU_SOURCE
#include "table.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* A corrupt database can make mdbtools loop: the child gets CPU seconds in
 * proportion to the file (60 s, plus 4 s a MB), then SIGXCPU ends it. */
enum { CHILD_CPU_BASE = 60, CHILD_CPU_PER_MB = 4, ERR_MAX = 400, LIST_SHOWN = 10 };
static rlim_t cpu_limit = CHILD_CPU_BASE;

/* Start argv with stdout on out_fd and stderr on err_fd. Returns the pid or -1. */
static pid_t spawn(const char *const argv[], int out_fd, int err_fd, int close_fd)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* the child: only async-signal-safe calls until exec */
    if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        _exit(126);
    if (close_fd >= 0)
        close(close_fd);
    int devnull = open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    struct rlimit cpu = {cpu_limit, cpu_limit};
    setrlimit(RLIMIT_CPU, &cpu);
    execvp(argv[0], (char *const *)argv);
    _exit(127);
}

static int wait_child(pid_t pid)
{
    int st = 0;
    while (waitpid(pid, &st, 0) < 0)
        if (errno != EINTR)
            return -1;
    return st;
}

/* The child's stderr, from its temporary file: the first lines, one line. */
static void child_errors(int fd, char *out, size_t cap)
{
    out[0] = '\0';
    if (lseek(fd, 0, SEEK_SET) != 0)
        return;
    ssize_t n = read(fd, out, cap - 1);
    if (n <= 0)
        return;
    out[n] = '\0';
    for (char *p = out; *p; p++)
        if (*p == '\n' || *p == '\r' || *p == '\t')
            *p = ' ';
    size_t k = strlen(out);
    while (k && out[k - 1] == ' ')
        out[--k] = '\0';
}

static void fail(chuan_diags *d, const char *code, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void fail(chuan_diags *d, const char *code, const char *name, const char *fmt, ...)
{
    chuan_diag g = {.severity = CHUAN_SEV_ERROR, .code = code, .file = name, .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(d, &g, fmt, ap);
    va_end(ap);
}

/* The user tables, one per line, into *list. 0, 1 (not a database: error in
 * d), -1 (tools missing, or an internal error: error in d). */
static int list_tables(const char *path, const char *name, chuanp_buf *list, chuan_diags *d)
{
    int out = chuanp_spool_tmpfile(), err = chuanp_spool_tmpfile();
    int rc = -1;
    if (out < 0 || err < 0) {
        fail(d, "io.write", name, "cannot create a temporary file: %s", chuanp_strerror(errno));
        goto done;
    }
    const char *argv[] = {"mdb-tables", "-1", "--", path, NULL};
    pid_t pid = spawn(argv, out, err, -1);
    if (pid < 0) {
        fail(d, "convert.internal", name, "cannot start mdb-tables: %s", chuanp_strerror(errno));
        goto done;
    }
    int st = wait_child(pid);
    char msg[ERR_MAX];
    child_errors(err, msg, sizeof msg);
    if (WIFEXITED(st) && WEXITSTATUS(st) == 127) {
        fail(d, "mdb.tools", name,
             "reading an Access database needs mdbtools (mdb-tables, mdb-json: Debian package "
             "'mdbtools'), which is not installed");
        goto done;
    }
    char buf[4096];
    ssize_t n;
    if (lseek(out, 0, SEEK_SET) == 0)
        while ((n = read(out, buf, sizeof buf)) > 0)
            chuanp_buf_append(list, buf, (size_t)n);
    if (list->err) {
        fail(d, "convert.internal", name, "out of memory listing the tables");
        goto done;
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0 || (msg[0] && list->len == 0)) {
        fail(d, "mdb.read", name, "not a readable Access database%s%s", msg[0] ? ": " : "", msg);
        rc = 1;
        goto done;
    }
    rc = 0;
done:
    if (out >= 0)
        close(out);
    if (err >= 0)
        close(err);
    return rc;
}

typedef struct mstream {
    int fd;        /* the pipe from mdb-json */
    int err_fd;    /* its stderr (temporary file) */
    pid_t pid;
    const char *name;
    chuan_diags *d;
    char *table;
    long records;  /* lines passed on */
} mstream;

static ssize_t m_read(void *c, char *buf, size_t size)
{
    mstream *s = c;
    if (s->fd < 0)
        return 0;
    ssize_t n;
    do
        n = read(s->fd, buf, size);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        for (ssize_t i = 0; i < n; i++)
            s->records += buf[i] == '\n';
        return n;
    }
    /* the end: how did the child finish? */
    close(s->fd);
    s->fd = -1;
    int st = wait_child(s->pid);
    s->pid = -1;
    char msg[ERR_MAX];
    child_errors(s->err_fd, msg, sizeof msg);
    if (st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (WIFSIGNALED(st))
            fail(s->d, "mdb.read", s->name, "mdb-json stopped by signal %d reading table %s%s%s",
                 WTERMSIG(st), s->table, msg[0] ? ": " : "", msg);
        else
            fail(s->d, "mdb.read", s->name, "mdb-json failed reading table %s%s%s", s->table,
                 msg[0] ? ": " : "", msg);
    } else {
        chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "mdb.table", .file = s->name,
                        .offset = -1};
        chuan_diags_addf(s->d, &g, "table %s: %ld record%s read (mdb-json)", s->table, s->records,
                         s->records == 1 ? "" : "s");
    }
    return n < 0 ? -1 : 0;
}

static int m_close(void *c)
{
    mstream *s = c;
    if (s->fd >= 0)
        close(s->fd);
    if (s->pid > 0) {
        kill(s->pid, SIGTERM);
        wait_child(s->pid);
    }
    if (s->err_fd >= 0)
        close(s->err_fd);
    chuanp_free(s->table);
    chuanp_free(s);
    return 0;
}

int chuanp_mdb_open(FILE **out, const char *path, const char *name, const char *table,
                    chuan_diags *d)
{
    *out = NULL;
    if (strcmp(path, "-") == 0) {
        fail(d, "usage.input", name, "an Access database is read from a file, not from standard "
                                     "input");
        return -1;
    }
    struct stat st;
    if (stat(path, &st) == 0 && st.st_size > 0)
        cpu_limit = CHILD_CPU_BASE + (rlim_t)(st.st_size >> 20) * CHILD_CPU_PER_MB;
    chuanp_buf list, names;
    chuanp_buf_init(&list, 0);
    chuanp_buf_init(&names, 0);
    int rc = list_tables(path, name, &list, d);
    mstream *s = NULL;
    if (rc != 0)
        goto out;
    chuanp_buf_putc(&list, '\0');
    if (list.err)
        goto oom;
    /* the names, and the one chosen */
    size_t count = 0;
    const char *pick = NULL;
    size_t pick_len = 0;
    for (char *p = list.data; *p;) {
        char *nl = strchr(p, '\n');
        size_t k = nl ? (size_t)(nl - p) : strlen(p);
        if (k) {
            count++;
            if (table ? strlen(table) == k && memcmp(p, table, k) == 0 : count == 1)
                pick = p, pick_len = k;
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    /* the names for a message: comma-separated, the first LIST_SHOWN */
    size_t shown = 0;
    for (char *p = list.data; *p && shown <= LIST_SHOWN;) {
        char *nl = strchr(p, '\n');
        size_t k = nl ? (size_t)(nl - p) : strlen(p);
        if (k) {
            if (shown++)
                chuanp_buf_puts(&names, ", ");
            if (shown > LIST_SHOWN)
                chuanp_buf_puts(&names, "...");
            else
                chuanp_buf_append(&names, p, k);
        }
        if (!nl)
            break;
        p = nl + 1;
    }
    chuanp_buf_putc(&names, '\0');
    if (names.err)
        goto oom;
    if (count == 0) {
        fail(d, "mdb.no-table", name, "the database holds no user table");
        rc = 1;
        goto out;
    }
    if (table && !pick) {
        fail(d, "usage.table", name, "no table '%s'; its tables: %s", table, names.data);
        rc = -1;
        goto out;
    }
    if (!table && count > 1) {
        fail(d, "usage.table", name, "the database holds %zu tables (%s): choose one with --table",
             count, names.data);
        rc = -1;
        goto out;
    }
    if (!(s = chuanp_calloc(1, sizeof *s)))
        goto oom;
    s->fd = s->err_fd = -1;
    s->pid = -1;
    s->name = name;
    s->d = d;
    if (!(s->table = chuanp_strndup(pick, pick_len)))
        goto oom;
    int pfd[2];
    if ((s->err_fd = chuanp_spool_tmpfile()) < 0 || pipe2(pfd, O_CLOEXEC) != 0) {
        fail(d, "io.write", name, "cannot create a pipe or a temporary file: %s", chuanp_strerror(errno));
        rc = -1;
        goto out;
    }
    const char *argv[] = {"mdb-json", "-D", "%Y-%m-%d", "-T", "%Y-%m-%dT%H:%M:%S", "--", path,
                          s->table, NULL};
    s->pid = spawn(argv, pfd[1], s->err_fd, pfd[0]);
    close(pfd[1]);
    s->fd = pfd[0];
    if (s->pid < 0) {
        fail(d, "convert.internal", name, "cannot start mdb-json: %s", chuanp_strerror(errno));
        rc = -1;
        goto out;
    }
    cookie_io_functions_t io = {.read = m_read, .close = m_close};
    if (!(*out = fopencookie(s, "r", io)))
        goto oom;
    chuanp_buf_free(&list);
    chuanp_buf_free(&names);
    return 0;
oom:
    fail(d, "convert.internal", name, "out of memory opening the database");
    rc = -1;
out:
    if (s)
        m_close(s);
    chuanp_buf_free(&list);
    chuanp_buf_free(&names);
    return rc;
}
