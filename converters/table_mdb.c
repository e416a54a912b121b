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
#include "../core/textenc.h"

#include <errno.h>
#include <strings.h>
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

/* The children's environment: the process's, with mdbtools' text settings fixed: UTF-8 out
 * (MDBICONV), and the code page of a Jet3 (Access 97) database's text: Windows-1252, which
 * table_mdb_text.c undoes for legacy-font text (a user's MDB_JET3_CHARSET would defeat it). */
typedef struct child_env {
    char **envp;
    char *jet3, *iconv;
} child_env;

extern char **environ;

static int child_env_make(child_env *e, const char *jet3)
{
    memset(e, 0, sizeof *e);
    size_t n = 0;
    while (environ && environ[n])
        n++;
    e->envp = chuanp_calloc(n + 3, sizeof *e->envp);
    e->jet3 = chuanp_asprintf("MDB_JET3_CHARSET=%s", jet3);
    e->iconv = chuanp_strdup("MDBICONV=UTF-8");
    if (!e->envp || !e->jet3 || !e->iconv)
        return -1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (strncmp(environ[i], "MDB_JET3_CHARSET=", 17) != 0 &&
            strncmp(environ[i], "MDBICONV=", 9) != 0)
            e->envp[k++] = environ[i];
    e->envp[k++] = e->jet3;
    e->envp[k++] = e->iconv;
    e->envp[k] = NULL;
    return 0;
}

static void child_env_free(child_env *e)
{
    chuanp_free(e->envp);
    chuanp_free(e->jet3);
    chuanp_free(e->iconv);
}

/* Start argv with stdout on out_fd and stderr on err_fd, standard input on in_fd (-1:
 * /dev/null), environment `env`. Returns the pid or -1. */
static pid_t spawn(const char *const argv[], char *const *envp, int in_fd, int out_fd,
                   int err_fd, int close_fd)
{
    pid_t pid = fork();
    if (pid != 0)
        return pid;
    /* the child: only async-signal-safe calls until exec */
    if (dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0)
        _exit(126);
    if (close_fd >= 0)
        close(close_fd);
    int devnull = in_fd >= 0 ? in_fd : open("/dev/null", O_RDONLY);
    if (devnull >= 0)
        dup2(devnull, 0);
    struct rlimit cpu = {cpu_limit, cpu_limit};
    setrlimit(RLIMIT_CPU, &cpu);
    execvpe(argv[0], (char *const *)argv, envp);
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
static int list_tables(const char *path, char *const *envp, int in_fd, const char *name,
                       chuanp_buf *list, chuan_diags *d)
{
    int out = chuanp_spool_tmpfile(), err = chuanp_spool_tmpfile();
    int rc = -1;
    if (out < 0 || err < 0) {
        fail(d, "io.write", name, "cannot create a temporary file: %s", chuanp_strerror(errno));
        goto done;
    }
    const char *argv[] = {"mdb-tables", "-1", "--", path, NULL};
    pid_t pid = spawn(argv, envp, in_fd, out, err, -1);
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
    FILE *spool;   /* a database read from standard input: its unlinked copy */
    chuanp_mdb_text *text; /* legacy text decoding (table_mdb_text.c) */
    chuanp_buf in, out;    /* the child's output not yet split; the lines ready for the reader */
    size_t in_pos, out_pos;
    int started, at_end;
} mstream;

/* The end of mdb-json's output: how did the child finish? Closing notes into d. */
static void child_end(mstream *s, int read_error)
{
    close(s->fd);
    s->fd = -1;
    int st = wait_child(s->pid);
    s->pid = -1;
    chuanp_mdb_text_finish(s->text);
    char msg[ERR_MAX];
    child_errors(s->err_fd, msg, sizeof msg);
    if (read_error || st < 0 || !WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (read_error)
            fail(s->d, "mdb.read", s->name, "cannot read what mdb-json writes for table %s: %s",
                 s->table, chuanp_strerror(read_error));
        else if (WIFSIGNALED(st))
            fail(s->d, "mdb.read", s->name, "mdb-json stopped by signal %d reading table %s%s%s",
                 WTERMSIG(st), s->table, msg[0] ? ": " : "", msg);
        else
            fail(s->d, "mdb.read", s->name, "mdb-json failed reading table %s%s%s", s->table,
                 msg[0] ? ": " : "", msg);
    } else {
        /* the path names the table as every record's location does (chuanp_table_part) */
        chuanp_buf where;
        chuanp_buf_init(&where, 0);
        chuanp_part_quote(&where, s->table);
        chuan_diag g = {.severity = CHUAN_SEV_INFO, .code = "mdb.table", .file = s->name,
                        .offset = -1, .path = where.err ? NULL : where.data};
        chuan_diags_addf(s->d, &g, "table %s: %ld record%s read (mdb-json)", s->table, s->records,
                         s->records == 1 ? "" : "s");
        chuanp_buf_free(&where);
    }
}

/* More of the child's output into s->in. 1 read, 0 end, -1 error (errno). */
static int fill(mstream *s)
{
    if (s->in_pos > 0 && s->in_pos == s->in.len) {
        chuanp_buf_reset(&s->in);
        s->in_pos = 0;
    } else if (s->in_pos > (1 << 20)) { /* keep the unread tail only */
        memmove(s->in.data, s->in.data + s->in_pos, s->in.len - s->in_pos);
        s->in.len -= s->in_pos;
        s->in_pos = 0;
    }
    if (chuanp_buf_reserve(&s->in, 64 * 1024) < 0) {
        errno = ENOMEM;
        return -1;
    }
    ssize_t n;
    do
        n = read(s->fd, s->in.data + s->in.len, s->in.cap - s->in.len - 1);
    while (n < 0 && errno == EINTR);
    if (n > 0) {
        s->in.len += (size_t)n;
        s->in.data[s->in.len] = '\0';
    }
    return n > 0 ? 1 : n == 0 ? 0 : -1;
}

/* The next complete line of s->in from s->in_pos (without its newline); NULL when none (at
 * the end: the rest, when it is not empty). */
static const char *next_line(mstream *s, size_t *len, int at_end, int *ended)
{
    const char *p = s->in.data + s->in_pos;
    size_t left = s->in.len - s->in_pos;
    const char *nl = left ? memchr(p, '\n', left) : NULL;
    if (!nl && !(at_end && left))
        return NULL;
    *len = nl ? (size_t)(nl - p) : left;
    s->in_pos += *len + (nl != NULL);
    *ended = nl != NULL;
    return p;
}

static ssize_t m_read(void *c, char *buf, size_t size)
{
    mstream *s = c;
    for (;;) {
        if (s->out_pos < s->out.len)
            return (ssize_t)chuanp_buf_drain(&s->out, &s->out_pos, buf, size);
        chuanp_buf_reset(&s->out);
        s->out_pos = 0;
        if (s->fd < 0)
            return 0;
        if (!s->started) {
            /* the first records (64 KiB) are the sample the legacy text is detected on */
            int f = 1;
            while (f > 0 && s->in.len < 64 * 1024)
                f = fill(s);
            if (f < 0) {
                child_end(s, errno ? errno : EIO);
                return -1;
            }
            s->at_end = f == 0;
            size_t pos = s->in_pos, len;
            const char *l;
            int ended;
            while ((l = next_line(s, &len, s->at_end, &ended)))
                if (chuanp_mdb_text_sample(s->text, l, len) < 0) {
                    errno = ENOMEM;
                    return -1;
                }
            s->in_pos = pos;
            if (chuanp_mdb_text_decide(s->text) < 0) {
                errno = ENOMEM;
                return -1;
            }
            s->started = 1;
        }
        size_t len;
        const char *l;
        int lines = 0, ended = 0;
        while (s->out.len < 64 * 1024 && (l = next_line(s, &len, s->at_end, &ended))) {
            s->records++;
            lines = 1;
            if (chuanp_mdb_text_line(s->text, l, len, s->records, &s->out) < 0) {
                errno = ENOMEM;
                return -1;
            }
            if (ended)
                chuanp_buf_putc(&s->out, '\n');
        }
        if (s->out.err) {
            errno = ENOMEM;
            return -1;
        }
        if (lines)
            continue;
        if (s->at_end) {
            child_end(s, 0);
            continue;
        }
        int f = fill(s);
        if (f < 0) {
            child_end(s, errno ? errno : EIO);
            return -1;
        }
        s->at_end = f == 0;
    }
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
    if (s->spool)
        fclose(s->spool);
    chuanp_mdb_text_free(s->text);
    chuanp_buf_free(&s->in);
    chuanp_buf_free(&s->out);
    chuanp_free(s->table);
    chuanp_free(s);
    return 0;
}

int chuanp_mdb_open(FILE **out, const char *path, FILE *src, const char *name,
                    const char *table, const char *encoding, chuan_diags *d)
{
    *out = NULL;
    /* --encoding: chuan's names (table_mdb_text.c decodes the text typed through
     * Windows-1252, which mdbtools reads a Jet3 database's text as) */
    if (encoding && strcasecmp(encoding, "auto") != 0 && chuanp_enc_parse(encoding) < 0) {
        fail(d, "encoding.unknown", name, "unknown encoding '%s'", encoding);
        return -1;
    }
    const char *jet3 = "CP1252";
    child_env env;
    if (child_env_make(&env, jet3) < 0) {
        child_env_free(&env);
        fail(d, "convert.internal", name, "out of memory opening the database");
        return -1;
    }
    /* standard input: mdbtools reads a database by name, with seeks, so the bytes are first
     * copied to an unlinked temporary file (it never has a name after its creation: nothing
     * is left behind, whatever ends the run), which the children get as their standard
     * input and open as /dev/stdin */
    FILE *spool = NULL;
    int in_fd = -1;
    struct stat st;
    if (strcmp(path, "-") == 0) {
        errno = 0;
        spool = chuanp_spool_stream(NULL, 0, src ? src : stdin);
        if (!spool) {
            fail(d, "io.read", name, "cannot copy the database from standard input to a "
                 "temporary file: %s", chuanp_strerror(errno ? errno : EIO));
            child_env_free(&env);
            return -1;
        }
        in_fd = fileno(spool);
        path = "/dev/stdin";
        if (fstat(in_fd, &st) == 0 && st.st_size > 0)
            cpu_limit = CHILD_CPU_BASE + (rlim_t)(st.st_size >> 20) * CHILD_CPU_PER_MB;
    } else if (stat(path, &st) == 0 && st.st_size > 0) {
        cpu_limit = CHILD_CPU_BASE + (rlim_t)(st.st_size >> 20) * CHILD_CPU_PER_MB;
    }
    chuanp_buf list, names;
    chuanp_buf_init(&list, 0);
    chuanp_buf_init(&names, 0);
    int rc = list_tables(path, env.envp, in_fd, name, &list, d);
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
    s->spool = spool;
    spool = NULL; /* closed with the stream */
    chuanp_buf_init(&s->in, 0);
    chuanp_buf_init(&s->out, 0);
    if (chuanp_mdb_text_new(&s->text, encoding, name, d) < 0)
        goto oom;
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
    s->pid = spawn(argv, env.envp, in_fd, pfd[1], s->err_fd, pfd[0]);
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
    child_env_free(&env);
    return 0;
oom:
    fail(d, "convert.internal", name, "out of memory opening the database");
    rc = -1;
out:
    if (s)
        m_close(s);
    if (spool)
        fclose(spool);
    chuanp_buf_free(&list);
    chuanp_buf_free(&names);
    child_env_free(&env);
    return rc;
}
