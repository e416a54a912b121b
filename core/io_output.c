/* core/io_output.c - outputs that appear atomically (temp file + rename). */
#include "core.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int chuanp_output_open(chuanp_output *o, const char *path, FILE *fallback, char **errmsg)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    *errmsg = NULL;
    if (!path || strcmp(path, "-") == 0) {
        o->fp = fallback;
        o->direct = 1;
        return 0;
    }
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        if (S_ISDIR(st.st_mode)) {
            *errmsg = chuanp_asprintf(_("cannot write %s: is a directory"), path);
            return -1;
        }
        /* /dev/null, /dev/stdout, pipes, FIFOs: write in place */
        o->fp = fopen(path, "w");
        if (!o->fp) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
            return -1;
        }
        o->owns_fp = 1;
        o->direct = 1;
        o->path = chuanp_strdup(path); /* for messages; never renamed */
        return 0;
    }
    o->path = chuanp_strdup(path);
    if (!o->path) {
        *errmsg = chuanp_strdup("out of memory");
        goto fail;
    }
    /* a unique temporary beside the target, registered for the signal
     * handlers; a new file gets 0666 & ~umask, a replacement the old mode */
    int fd = chuanp_temp_create(path, "tmp", 0666, &o->tmp_path, &o->slot);
    if (fd < 0) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
        goto fail;
    }
    chuanp_keep_mode(fd, path);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), path, chuanp_strerror(errno));
        close(fd);
        unlink(o->tmp_path);
        chuanp_temp_unregister(o->slot);
        goto fail;
    }
    o->owns_fp = 1;
    return 0;
fail:
    chuanp_free(o->path);
    chuanp_free(o->tmp_path);
    o->path = o->tmp_path = NULL;
    return -1;
}

int chuanp_output_commit(chuanp_output *o, char **errmsg)
{
    *errmsg = NULL;
    int rc = 0;
    const char *name = o->path ? o->path : "standard output";
    if (!o->fp)
        return 0;
    if (fflush(o->fp) != 0 || ferror(o->fp)) {
        *errmsg = chuanp_asprintf(_("cannot write %s: %s"), name, chuanp_strerror(errno ? errno : EIO));
        rc = -1;
    }
    if (o->owns_fp) {
        if (fclose(o->fp) != 0 && rc == 0) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), name, chuanp_strerror(errno));
            rc = -1;
        }
    }
    o->fp = NULL;
    if (rc == 0 && o->tmp_path && chuanp_alloc_failures() > 0) {
        /* Something ran out of memory during the run: what was written may
         * be incomplete, so the old file (if any) stays. */
        *errmsg = chuanp_asprintf(_("cannot write %s: out of memory"), name);
        rc = -1;
    }
    if (o->tmp_path) {
        if (rc == 0 && rename(o->tmp_path, o->path) != 0) {
            *errmsg = chuanp_asprintf(_("cannot write %s: %s"), name, chuanp_strerror(errno));
            rc = -1;
        }
        if (rc != 0)
            unlink(o->tmp_path);
        chuanp_temp_unregister(o->slot);
        o->slot = -1;
    }
    chuanp_free(o->path);
    chuanp_free(o->tmp_path);
    o->path = o->tmp_path = NULL;
    return rc;
}

void chuanp_output_abort(chuanp_output *o)
{
    if (o->fp && o->owns_fp)
        fclose(o->fp);
    o->fp = NULL;
    if (o->tmp_path) {
        unlink(o->tmp_path);
        chuanp_temp_unregister(o->slot);
        o->slot = -1;
    }
    chuanp_free(o->path);
    chuanp_free(o->tmp_path);
    o->path = o->tmp_path = NULL;
}

int chuanp_output_write(const char *path, FILE *fallback, const void *data, size_t len,
                        char **errmsg)
{
    chuanp_output out = {0};
    *errmsg = NULL;
    if (chuanp_output_open(&out, path, fallback, errmsg) < 0)
        return -1;
    if ((len && fwrite(data, 1, len, out.fp) != len) || chuanp_output_commit(&out, errmsg) < 0) {
        chuanp_output_abort(&out);
        return -2;
    }
    return 0;
}
