/* core/io_read.c - read a whole input (file or stdin) into memory. */
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
            *errmsg = chuanp_asprintf("cannot open %s: %s", in->name, strerror(errno));
            return -1;
        }
        struct stat st;
        if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
            close(fd);
            *errmsg = chuanp_asprintf("cannot read %s: is a directory", in->name);
            return -1;
        }
    }
    chuanp_buf b;
    chuanp_buf_init(&b, limit);
    for (;;) {
        if (chuanp_buf_reserve(&b, 65536) < 0)
            break;
        ssize_t n = read(fd, b.data + b.len, 65536);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            *errmsg = chuanp_asprintf("cannot read %s: %s", in->name, strerror(errno));
            break;
        }
        if (n == 0)
            break;
        b.len += (size_t)n;
    }
    if (in->path)
        close(fd);
    if (!*errmsg && b.err)
        *errmsg = chuanp_asprintf(b.err == 2 ? "%s is larger than the limit" : "out of memory reading %s",
                                  in->name);
    if (*errmsg) {
        chuanp_buf_free(&b);
        return -1;
    }
    b.data[b.len] = '\0';
    *data = chuanp_buf_steal(&b, len);
    return 0;
}
