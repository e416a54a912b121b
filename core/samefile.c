/* core/samefile.c - the one check, before anything is written, that no
 * output of a run is another of its outputs or a file the run reads
 * (inputs, schemas, --ref files, package files, code lists). Files are
 * compared by device and inode when they exist, by resolved path (the real
 * folder and the name) when they do not. Standard output ("-") and files
 * that are not regular (/dev/null, pipes: written in place) are not
 * compared. */
#include "core.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct fkey {
    int exists;
    dev_t dev;
    ino_t ino;
    char *real;       /* resolved path of a file that does not exist */
    const char *name; /* as given */
} fkey;

static int cmp_key(const void *x, const void *y)
{
    const fkey *a = x, *b = y;
    if (a->exists != b->exists)
        return a->exists ? -1 : 1;
    if (a->exists) {
        if (a->dev != b->dev)
            return a->dev < b->dev ? -1 : 1;
        return a->ino < b->ino ? -1 : a->ino > b->ino;
    }
    return strcmp(a->real ? a->real : "", b->real ? b->real : "");
}

/* 1 with *k filled, 0 to skip (standard output, not a regular file), -1
 * out of memory. */
static int key_of(const char *path, fkey *k)
{
    memset(k, 0, sizeof *k);
    k->name = path;
    if (!path || !*path || strcmp(path, "-") == 0)
        return 0;
    struct stat st;
    if (stat(path, &st) == 0) {
        if (!S_ISREG(st.st_mode))
            return 0;
        k->exists = 1;
        k->dev = st.st_dev;
        k->ino = st.st_ino;
        return 1;
    }
    /* not there (yet): its real folder and its name */
    char *dir = chuanp_strdup(path);
    if (!dir)
        return -1;
    char *slash = strrchr(dir, '/');
    const char *base = slash ? slash + 1 : path;
    if (slash == dir)
        dir[1] = '\0';
    else if (slash)
        *slash = '\0';
    char real[PATH_MAX];
    const char *folder = realpath(slash ? dir : ".", real) ? real : (slash ? dir : ".");
    k->real = chuanp_asprintf("%s/%s", folder, base);
    chuanp_free(dir);
    return k->real ? 1 : -1;
}

static void free_keys(fkey *k, size_t n)
{
    for (size_t i = 0; k && i < n; i++)
        chuanp_free(k[i].real);
    chuanp_free(k);
}

int chuanp_check_outputs(const char *const *outputs, size_t nout, const char *const *reads,
                         size_t nread, char **errmsg)
{
    *errmsg = NULL;
    fkey *in = chuanp_calloc(nread ? nread : 1, sizeof *in);
    fkey *out = chuanp_calloc(nout ? nout : 1, sizeof *out);
    size_t nin = 0, no = 0;
    int rc = -1;
    if (!in || !out)
        goto oom;
    for (size_t i = 0; i < nread; i++) {
        int k = key_of(reads[i], &in[nin]);
        if (k < 0)
            goto oom;
        nin += (size_t)k;
    }
    for (size_t i = 0; i < nout; i++) {
        int k = key_of(outputs[i], &out[no]);
        if (k < 0)
            goto oom;
        no += (size_t)k;
    }
    qsort(in, nin, sizeof *in, cmp_key);
    for (size_t i = 0; i < no; i++) {
        const fkey *hit = out[i].exists ? bsearch(&out[i], in, nin, sizeof *in, cmp_key) : NULL;
        if (hit) {
            if (strcmp(hit->name, out[i].name) == 0)
                *errmsg = chuanp_asprintf(_("refusing to overwrite the input %s"), hit->name);
            else
                *errmsg = chuanp_asprintf(_("refusing to overwrite the input %s (the output %s is "
                                          "that file)"), hit->name, out[i].name);
            goto done;
        }
    }
    qsort(out, no, sizeof *out, cmp_key);
    for (size_t i = 1; i < no; i++)
        if (cmp_key(&out[i - 1], &out[i]) == 0) {
            if (strcmp(out[i - 1].name, out[i].name) == 0)
                *errmsg = chuanp_asprintf(_("%s is named for two outputs: each output needs a "
                                          "file of its own"), out[i].name);
            else
                *errmsg = chuanp_asprintf(_("%s and %s are the same file: each output needs a "
                                          "file of its own"), out[i - 1].name, out[i].name);
            goto done;
        }
    rc = 0;
    goto done;
oom:
    *errmsg = chuanp_strdup("out of memory");
done:
    free_keys(in, nin);
    free_keys(out, no);
    return rc;
}

int chuanp_path_within(const char *path, const char *root, char **real_out)
{
    char real[PATH_MAX], top[PATH_MAX];
    if (real_out)
        *real_out = NULL;
    if (!realpath(path, real) || !realpath(root, top))
        return -1;
    size_t n = strlen(top);
    int in = strncmp(real, top, n) == 0 && (real[n] == '/' || real[n] == '\0' ||
                                             (n == 1 && top[0] == '/'));
    if (!in && real_out)
        *real_out = chuanp_strdup(real);
    return in;
}
