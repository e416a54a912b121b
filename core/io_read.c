/* core/io_read.c - read a whole input (file or stdin) into memory; read a
 * stream's first bytes in full. */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int chuanp_read_all(const chuanp_input *in, size_t limit, char **data, size_t *len, char **errmsg)
{
    *data = NULL;
    *len = 0;
    *errmsg = NULL;
    int fd = 0;
    if (in->path) {
        fd = open(in->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0) {
            *errmsg = chuanp_asprintf(_("cannot open %s: %s"), in->name, chuanp_strerror(errno));
            return -1;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(fd);
            *errmsg = chuanp_asprintf(_("cannot read %s: is a directory"), in->name);
            return -1;
        }
    }
    int rc = chuanp_read_fd(fd, in->name, limit, data, len, errmsg);
    if (in->path)
        close(fd);
    return rc;
}

int chuanp_read_fd(int fd, const char *name, size_t limit, char **data, size_t *len, char **errmsg)
{
    *data = NULL;
    *len = 0;
    *errmsg = NULL;
    chuanp_buf b;
    chuanp_buf_init(&b, limit);
    for (;;) {
        size_t want = 65536;
        if (limit && limit - b.len < want)
            want = limit - b.len;
        if (want == 0) { /* at the limit: one byte more is too much */
            char c;
            ssize_t n;
            do
                n = read(fd, &c, 1);
            while (n < 0 && errno == EINTR);
            if (n > 0)
                b.err = 2;
            else if (n < 0)
                *errmsg = chuanp_asprintf(_("cannot read %s: %s"), name, chuanp_strerror(errno));
            break;
        }
        if (chuanp_buf_reserve(&b, want) < 0)
            break;
        ssize_t n = read(fd, b.data + b.len, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *errmsg = chuanp_asprintf(_("cannot read %s: %s"), name, chuanp_strerror(errno));
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    if (!*errmsg && b.err == 2)
        *errmsg = chuanp_asprintf(_("%s is larger than %zu bytes"), name, limit);
    else if (!*errmsg && b.err)
        *errmsg = chuanp_asprintf(_("out of memory reading %s"), name);
    if (*errmsg) {
        chuanp_buf_free(&b);
        return -1;
    }
    if (chuanp_buf_reserve(&b, 0) < 0) { /* an empty file: a buffer for its NUL */
        chuanp_buf_free(&b);
        *errmsg = chuanp_asprintf(_("out of memory reading %s"), name);
        return -1;
    }
    b.data[b.len] = '\0';
    *data = chuanp_buf_steal(&b, len);
    return 0;
}

size_t chuanp_fread_full(FILE *fp, void *buf, size_t want)
{
    size_t n = 0;
    while (n < want) {
        size_t k = fread((char *)buf + n, 1, want - n, fp);
        if (k == 0)
            break;
        n += k;
    }
    return n;
}
