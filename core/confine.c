/* core/confine.c - the folders a schema may read from, and libxml2's
 * external entity loader that enforces them (see confine.h). */
#include "confine.h"

#include <errno.h>
#include <fcntl.h>
#include <libxml/parserInternals.h>
#include <libxml/uri.h>
#include <libxml/xmlIO.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_RESOURCE_BYTES (64u << 20)

static _Thread_local chuanp_confine *active;

void chuanp_confine_init(chuanp_confine *c, chuan_diags *diags, const char *file)
{
    memset(c, 0, sizeof *c);
    c->diags = diags;
    c->file = file;
    c->what = N_("the schema"); /* translated where it is printed */
}

int chuanp_confine_add_dir(chuanp_confine *c, const char *dir)
{
    char real[PATH_MAX];
    struct stat st;
    if (!dir || !realpath(dir, real) || stat(real, &st) != 0 || !S_ISDIR(st.st_mode))
        return 0;
    for (size_t i = 0; i < c->nroots; i++)
        if (strcmp(c->roots[i], real) == 0)
            return 0;
    char **nr = chuanp_realloc(c->roots, (c->nroots + 1) * sizeof *nr);
    if (!nr)
        goto oom;
    c->roots = nr;
    if (!(c->roots[c->nroots] = chuanp_strdup(real)))
        goto oom;
    c->nroots++;
    return 0;
oom:
    c->oom = 1;
    return -1;
}

static int add_parent_of(chuanp_confine *c, const char *file);

/* The folder of the file as named and, when the name is a symbolic link,
 * the folder of the file it leads to (the schema is read from there). */
int chuanp_confine_add_parent(chuanp_confine *c, const char *file)
{
    char real[PATH_MAX];
    if (!file)
        return 0;
    if (add_parent_of(c, file) < 0)
        return -1;
    if (realpath(file, real) && strcmp(real, file) != 0)
        return add_parent_of(c, real);
    return 0;
}

static int add_parent_of(chuanp_confine *c, const char *file)
{
    struct stat st;
    if (stat(file, &st) == 0 && S_ISDIR(st.st_mode))
        return chuanp_confine_add_dir(c, file);
    const char *slash = strrchr(file, '/');
    if (!slash)
        return chuanp_confine_add_dir(c, ".");
    if (slash == file)
        return chuanp_confine_add_dir(c, "/");
    char *dir = chuanp_strndup(file, (size_t)(slash - file));
    if (!dir) {
        c->oom = 1;
        return -1;
    }
    int rc = chuanp_confine_add_dir(c, dir);
    chuanp_free(dir);
    return rc;
}

void chuanp_confine_free(chuanp_confine *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nroots; i++)
        chuanp_free(c->roots[i]);
    chuanp_free(c->roots);
    c->roots = NULL;
    c->nroots = 0;
}

static int under_roots(const chuanp_confine *c, const char *real)
{
    for (size_t i = 0; i < c->nroots; i++) {
        size_t n = strlen(c->roots[i]);
        if (n == 1 && c->roots[i][0] == '/')
            return 1;
        if (strncmp(real, c->roots[i], n) == 0 && (real[n] == '/' || real[n] == '\0'))
            return 1;
    }
    return 0;
}

static int refuse(chuanp_confine *c, char **why, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static int refuse(chuanp_confine *c, char **why, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_vprintf(&b, _(fmt), ap); /* in the language of messages */
    va_end(ap);
    *why = b.err ? NULL : chuanp_buf_steal(&b, NULL);
    chuanp_buf_free(&b);
    if (c) {
        c->refused++;
        if (c->diags) {
            chuan_diag d = {.severity = CHUAN_SEV_ERROR, .code = "schema.resource", .file = c->file,
                            .offset = -1};
            chuan_diags_addf(c->diags, &d, "%s", *why ? *why : "a schema resource was refused");
        }
    }
    return 1;
}

int chuanp_confine_read(chuanp_confine *c, const char *path, size_t limit, char **data,
                        size_t *len, char **why)
{
    *data = NULL;
    *len = 0;
    *why = NULL;
    char real[PATH_MAX];
    if (c && !realpath(path, real)) {
        int e = errno;
        *why = chuanp_asprintf(_("cannot read %s: %s"), path, chuanp_strerror(e));
        errno = e; /* the caller tells a missing file from the rest */
        return -1;
    }
    if (c && !under_roots(c, real)) {
        chuanp_buf roots;
        chuanp_buf_init(&roots, 0);
        for (size_t i = 0; i < c->nroots; i++)
            chuanp_buf_printf(&roots, "%s%s", i ? ", " : "", c->roots[i]);
        int rc = refuse(c, why,
                        "refused to read %s: %s may only read files below %s (its own folder, "
                        "its package, --ref mappings)",
                        path, _(c->what), roots.data && !roots.err ? roots.data : "(no folder)");
        chuanp_buf_free(&roots);
        return rc;
    }
    /* O_NONBLOCK: opening a FIFO without a writer must not wait. Without
     * a confinement the name is opened as given (e.g. /dev/fd/N of a
     * schema spooled to an unlinked file, which has no real path). */
    int fd = open(c ? real : path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        *why = chuanp_asprintf(_("cannot read %s: %s"), path, chuanp_strerror(e));
        errno = e;
        return -1;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return refuse(c, why, "refused to read %s: not a regular file", path);
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        (void)fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    if (!limit)
        limit = MAX_RESOURCE_BYTES;
    int rc = chuanp_read_fd(fd, path, limit, data, len, why);
    close(fd);
    return rc;
}

chuanp_confine *chuanp_confine_enter(chuanp_confine *c)
{
    chuanp_confine *prev = active;
    active = c;
    return prev;
}

void chuanp_confine_leave(chuanp_confine *prev)
{
    active = prev;
}

/* The local path a URL names: file:// URLs and plain paths (percent
 * escapes decoded when the raw name does not exist); NULL for another
 * scheme. New string (chuanp_free). */
static char *local_path(const char *url)
{
    const char *p = url;
    int is_file_url = 0;
    if (strncmp(p, "file://localhost/", 17) == 0) {
        p += 16;
        is_file_url = 1;
    } else if (strncmp(p, "file:///", 8) == 0) {
        p += 7;
        is_file_url = 1;
    } else if (strncmp(p, "file:/", 6) == 0) {
        p += 5;
        is_file_url = 1;
    } else {
        const char *q = p;
        while ((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9') ||
               *q == '+' || *q == '-' || *q == '.')
            q++;
        if (q > p && *q == ':' && q - p > 1)
            return NULL; /* another scheme (http:, ftp:, ...) */
    }
    struct stat st;
    if (!is_file_url && stat(p, &st) == 0)
        return chuanp_strdup(p);
    char *u = xmlURIUnescapeString(p, 0, NULL);
    if (!u)
        return NULL;
    char *r = chuanp_strdup(u);
    xmlFree(u);
    return r;
}

static xmlParserInputPtr confine_entity_loader(const char *url, const char *id,
                                               xmlParserCtxtPtr ctxt)
{
    if (!url)
        return xmlNoNetExternalEntityLoader(url, id, ctxt);
    char *path = local_path(url);
    chuanp_confine *c = active;
    if (!path) {
        if (c) {
            char *why = NULL;
            refuse(c, &why, "refused to read %s: chuan never reads schema resources over the "
                            "network (keep a local copy in the schema's folder)",
                   url);
            chuanp_free(why);
        }
        return xmlNoNetExternalEntityLoader(url, id, ctxt); /* reports it to libxml2 too */
    }
    char *data = NULL, *why = NULL;
    size_t len = 0;
    errno = 0;
    int rc = chuanp_confine_read(c, path, MAX_RESOURCE_BYTES, &data, &len, &why);
    int missing = rc < 0 && (errno == ENOENT || errno == ENOTDIR);
    chuanp_free(path);
    chuanp_free(why);
    if (missing) {
        /* a file that does not exist: libxml2's loader fails the same way
         * and says so as an I/O error (a missing xs:import is then skipped
         * with a warning, as libxml2 does, instead of reading as a parse
         * error) */
        return xmlNoNetExternalEntityLoader(url, id, ctxt);
    }
    if (rc != 0 || len > (size_t)INT32_MAX) {
        chuanp_free(data);
        return NULL; /* libxml2 reports the failed load; the refusal is recorded */
    }
    xmlParserInputBufferPtr buf = xmlParserInputBufferCreateMem(data, (int)len, XML_CHAR_ENCODING_NONE);
    chuanp_free(data); /* copied by libxml2 */
    if (!buf)
        return NULL;
    xmlParserInputPtr in = xmlNewIOInputStream(ctxt, buf, XML_CHAR_ENCODING_NONE);
    if (!in) {
        xmlFreeParserInputBuffer(buf);
        return NULL;
    }
    in->filename = (const char *)xmlCanonicPath((const xmlChar *)url);
    if (ctxt && !ctxt->directory && in->filename)
        ctxt->directory = xmlParserGetDirectory(in->filename);
    return in;
}

void chuanp_confine_install(void)
{
    if (xmlGetExternalEntityLoader() != confine_entity_loader)
        xmlSetExternalEntityLoader(confine_entity_loader);
}
