/* core/io_replay.c - a stream that gives back bytes already read from
 * another stream (a peeked head), then continues with that stream. */
#define _GNU_SOURCE
#include "core.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct replay {
    FILE *raw;
    char *head;
    size_t len, pos;
    int owns_head;
} replay;

static ssize_t replay_read(void *cookie, char *buf, size_t size)
{
    replay *r = cookie;
    if (r->pos < r->len) {
        size_t k = r->len - r->pos < size ? r->len - r->pos : size;
        memcpy(buf, r->head + r->pos, k);
        r->pos += k;
        return (ssize_t)k;
    }
    size_t k = fread(buf, 1, size, r->raw);
    if (k == 0 && ferror(r->raw)) {
        errno = EIO;
        return -1;
    }
    return (ssize_t)k;
}

static int replay_close(void *cookie)
{
    replay *r = cookie;
    if (r->owns_head)
        chuanp_free(r->head);
    chuanp_free(r);
    return 0;
}

FILE *chuanp_replay_open(char *head, size_t len, FILE *raw, int owns_head)
{
    replay *r = chuanp_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    *r = (replay){.head = head, .len = len, .raw = raw, .owns_head = owns_head};
    cookie_io_functions_t io = {.read = replay_read, .close = replay_close};
    FILE *fp = fopencookie(r, "r", io);
    if (!fp)
        chuanp_free(r);
    return fp;
}
