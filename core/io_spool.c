/* core/io_spool.c - unlinked temporary files for inputs that must be read
 * more than once (standard input, a decoded stream). */
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

int chuanp_spool_tmpfile(void)
{
    const char *dir = getenv("TMPDIR");
    char *tmpl = chuanp_asprintf("%s/chuan-input-XXXXXX", dir && *dir ? dir : "/tmp");
    if (!tmpl) {
        errno = ENOMEM;
        return -1;
    }
    int fd = mkstemp(tmpl);
    if (fd >= 0)
        unlink(tmpl);
    chuanp_free(tmpl);
    return fd;
}

FILE *chuanp_spool_stream(const char *head, size_t head_len, FILE *in)
{
    int fd = chuanp_spool_tmpfile();
    if (fd < 0)
        return NULL;
    FILE *t = fdopen(fd, "w+b");
    if (!t) {
        int e = errno;
        close(fd);
        errno = e;
        return NULL;
    }
    int ok = head_len == 0 || fwrite(head, 1, head_len, t) == head_len;
    char *buf = ok && in ? chuanp_malloc(256 * 1024) : NULL;
    if (ok && in && !buf) {
        errno = ENOMEM;
        ok = 0;
    }
    while (ok && in) {
        size_t k = fread(buf, 1, 256 * 1024, in);
        if (k == 0) {
            if (ferror(in)) {
                errno = errno ? errno : EIO;
                ok = 0;
            }
            break;
        }
        if (fwrite(buf, 1, k, t) != k)
            ok = 0;
    }
    chuanp_free(buf);
    if (!ok || fflush(t) != 0 || fseeko(t, 0, SEEK_SET) != 0) {
        int e = errno ? errno : EIO;
        fclose(t);
        errno = e;
        return NULL;
    }
    return t;
}
