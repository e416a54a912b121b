/* core/paths.c - expand command-line paths: files, directories (recursive), "-". */
#include "core.h"

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static int push(chuanp_pathlist *l, char *p)
{
    if (!p)
        return -1;
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 16;
        char **n = chuanp_realloc(l->paths, cap * sizeof *n);
        if (!n) {
            chuanp_free(p);
            return -1;
        }
        l->paths = n;
        l->cap = cap;
    }
    l->paths[l->count++] = p;
    return 0;
}

static int ext_ok(const char *name, const char *const *exts)
{
    if (!exts)
        return 1;
    for (size_t i = 0; exts[i]; i++)
        if (chuanp_has_suffix(name, exts[i]))
            return 1;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int walk(chuanp_pathlist *out, const char *dir, const char *const *exts, int depth,
                char **errmsg)
{
    if (depth > 64) {
        *errmsg = chuanp_asprintf(_("%s: directories nested too deeply"), dir);
        return -1;
    }
    DIR *d = opendir(dir);
    if (!d) {
        *errmsg = chuanp_asprintf(_("cannot read directory %s: %s"), dir, chuanp_strerror(errno));
        return -1;
    }
    chuanp_pathlist names = {0};
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        if (push(&names, chuanp_strdup(e->d_name)) < 0) {
            closedir(d);
            chuanp_pathlist_free(&names);
            *errmsg = chuanp_strdup("out of memory");
            return -1;
        }
    }
    closedir(d);
    qsort(names.paths, names.count, sizeof *names.paths, cmp_str);
    int rc = 0;
    size_t dl = strlen(dir);
    int slash = dl > 0 && dir[dl - 1] == '/';
    for (size_t i = 0; i < names.count && rc == 0; i++) {
        char *p = chuanp_asprintf("%s%s%s", dir, slash ? "" : "/", names.paths[i]);
        if (!p) {
            rc = -1;
            break;
        }
        struct stat st;
        if (stat(p, &st) != 0) {
            chuanp_free(p); /* dangling link: skip */
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            rc = walk(out, p, exts, depth + 1, errmsg);
            chuanp_free(p);
        } else if (S_ISREG(st.st_mode) && ext_ok(p, exts)) {
            rc = push(out, p);
        } else {
            chuanp_free(p);
        }
    }
    chuanp_pathlist_free(&names);
    return rc;
}

int chuanp_expand_paths(chuanp_pathlist *out, const char *const *args, size_t nargs,
                        const char *const *exts, char **errmsg)
{
    *errmsg = NULL;
    for (size_t i = 0; i < nargs; i++) {
        const char *a = args[i];
        if (strcmp(a, "-") == 0) {
            if (push(out, chuanp_strdup(a)) < 0)
                goto oom;
            continue;
        }
        struct stat st;
        if (stat(a, &st) != 0) {
            *errmsg = chuanp_asprintf(_("cannot open %s: %s"), a, chuanp_strerror(errno));
            return -1;
        }
        if (S_ISDIR(st.st_mode)) {
            if (walk(out, a, exts, 0, errmsg) < 0) {
                if (!*errmsg)
                    goto oom;
                return -1;
            }
        } else if (push(out, chuanp_strdup(a)) < 0) {
            goto oom;
        }
    }
    return 0;
oom:
    *errmsg = chuanp_strdup("out of memory");
    return -1;
}

int chuanp_pathlist_add(chuanp_pathlist *l, const char *path)
{
    return push(l, chuanp_strdup(path));
}

void chuanp_pathlist_free(chuanp_pathlist *l)
{
    for (size_t i = 0; i < l->count; i++)
        chuanp_free(l->paths[i]);
    chuanp_free(l->paths);
    memset(l, 0, sizeof *l);
}
