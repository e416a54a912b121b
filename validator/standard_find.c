/* validator/standard_find.c - where standard packages are: ID[@VERSION] or a path. */
#include "standard.h"

#include <dirent.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int push(chuanp_pathlist *l, char *p)
{
    if (!p)
        return -1;
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->paths[i], p) == 0) {
            chuanp_free(p);
            return 0;
        }
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        char **np = chuanp_realloc(l->paths, cap * sizeof *np);
        if (!np) {
            chuanp_free(p);
            return -1;
        }
        l->paths = np;
        l->cap = cap;
    }
    l->paths[l->count++] = p;
    return 0;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

static int has_manifest(const char *dir)
{
    char *m = chuanp_asprintf("%s/standard.json", dir);
    int ok = m && access(m, R_OK) == 0;
    chuanp_free(m);
    return ok;
}

/* The folders searched for ID[@VERSION], in order (new list). */
static int standard_search_dirs(chuanp_pathlist *out)
{
    memset(out, 0, sizeof *out);
    const char *env = getenv("CHUAN_STANDARDS");
    if (env && *env) {
        const char *p = env;
        while (*p) {
            size_t n = strcspn(p, ":");
            if (n && push(out, chuanp_strndup(p, n)) < 0)
                return -1;
            p += n;
            if (*p == ':')
                p++;
        }
    }
    if (push(out, chuanp_strdup("standards")) < 0)
        return -1;
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            if (push(out, chuanp_asprintf("%s/../share/chuan/standards", exe)) < 0 ||
                push(out, chuanp_asprintf("%s/../standards", exe)) < 0)
                return -1;
        }
    }
    return 0;
}

/* Folders next to the binary are shown as <chuan>/..: messages stay the
 * same wherever the tool is installed. */
static void put_display(chuanp_buf *b, const char *dir)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        size_t len = slash ? (size_t)(slash - exe) : 0;
        if (len && strncmp(dir, exe, len) == 0 && dir[len] == '/') {
            chuanp_buf_printf(b, "<chuan's folder>%s", dir + len);
            return;
        }
    }
    chuanp_buf_puts(b, dir);
}

/* A path names a package: a folder with standard.json, or that file. */
static char *as_package_path(const char *spec)
{
    if (chuanp_has_suffix(spec, "/standard.json") || strcmp(spec, "standard.json") == 0) {
        const char *slash = strrchr(spec, '/');
        return slash ? chuanp_strndup(spec, (size_t)(slash - spec)) : chuanp_strdup(".");
    }
    size_t n = strlen(spec);
    while (n > 1 && spec[n - 1] == '/')
        n--;
    return chuanp_strndup(spec, n);
}

/* The "version" of a manifest, read cheaply (full validation happens at load). */
static char *manifest_version(const char *dir)
{
    chuanp_standard *s = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 1);
    char *v = NULL;
    if (chuanp_standard_load(&s, dir, &d) == 0 && s->version)
        v = chuanp_strdup(s->version);
    chuanp_standard_free(s);
    chuan_diags_clear(&d);
    return v;
}

int chuanp_standard_find(char **dir, const char *spec, chuan_diags *d)
{
    *dir = NULL;
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.not-found", .offset = -1};
    if (strchr(spec, '/') || (spec[0] == '.' && (spec[1] == '\0' || spec[1] == '.'))) {
        char *p = as_package_path(spec);
        if (!p)
            return -1;
        if (!has_manifest(p)) {
            chuan_diags_addf(d, &dg, "%s is not a standard package (no readable %s/standard.json)",
                             spec, p);
            chuanp_free(p);
            return -1;
        }
        *dir = p;
        return 0;
    }
    const char *at = strchr(spec, '@');
    char *id = at ? chuanp_strndup(spec, (size_t)(at - spec)) : chuanp_strdup(spec);
    const char *want = at ? at + 1 : NULL;
    chuanp_pathlist dirs = {0};
    chuanp_buf looked, versions;
    chuanp_buf_init(&looked, 0);
    chuanp_buf_init(&versions, 0);
    int rc = -1;
    if (!id || standard_search_dirs(&dirs) < 0)
        goto out;
    for (size_t i = 0; i < dirs.count; i++) {
        char *p = chuanp_asprintf("%s/%s", dirs.paths[i], id);
        if (!p)
            goto out;
        chuanp_buf_printf(&looked, "%s", looked.len ? ", " : "");
        put_display(&looked, dirs.paths[i]);
        if (!has_manifest(p)) {
            chuanp_free(p);
            continue;
        }
        if (want) {
            char *v = manifest_version(p);
            int match = v && strcmp(v, want) == 0;
            if (!match)
                chuanp_buf_printf(&versions, "%s%s (%s)", versions.len ? ", " : "",
                                  v ? v : "unreadable", p);
            chuanp_free(v);
            if (!match) {
                chuanp_free(p);
                continue;
            }
        }
        *dir = p;
        rc = 0;
        goto out;
    }
    if (versions.len)
        chuan_diags_addf(d, &dg, "standard '%s' version %s not found; found version %s", id, want,
                         versions.data);
    else
        chuan_diags_addf(d, &dg,
                         "standard '%s' not found (looked in %s; set CHUAN_STANDARDS or give a "
                         "path to the package folder)",
                         id, looked.len ? looked.data : "nowhere");
out:
    chuanp_free(id);
    chuanp_pathlist_free(&dirs);
    chuanp_buf_free(&looked);
    chuanp_buf_free(&versions);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int chuanp_standard_list(chuanp_pathlist *out, chuan_diags *d)
{
    (void)d;
    memset(out, 0, sizeof *out);
    chuanp_pathlist dirs = {0}, ids = {0};
    int rc = -1;
    if (standard_search_dirs(&dirs) < 0)
        goto out;
    for (size_t i = 0; i < dirs.count; i++) {
        if (!is_dir(dirs.paths[i]))
            continue;
        DIR *dh = opendir(dirs.paths[i]);
        if (!dh)
            continue;
        chuanp_pathlist names = {0};
        struct dirent *e;
        while ((e = readdir(dh))) {
            if (e->d_name[0] == '.')
                continue;
            if (push(&names, chuanp_strdup(e->d_name)) < 0) {
                closedir(dh);
                chuanp_pathlist_free(&names);
                goto out;
            }
        }
        closedir(dh);
        if (names.count)
            qsort(names.paths, names.count, sizeof *names.paths, cmp_str);
        for (size_t k = 0; k < names.count; k++) {
            char *p = chuanp_asprintf("%s/%s", dirs.paths[i], names.paths[k]);
            if (!p)
                break;
            int seen = 0;
            for (size_t j = 0; j < ids.count; j++)
                seen |= strcmp(ids.paths[j], names.paths[k]) == 0;
            if (seen || !has_manifest(p)) {
                chuanp_free(p);
                continue;
            }
            push(&ids, chuanp_strdup(names.paths[k]));
            push(out, p);
        }
        chuanp_pathlist_free(&names);
    }
    rc = 0;
out:
    chuanp_pathlist_free(&dirs);
    chuanp_pathlist_free(&ids);
    return rc;
}
