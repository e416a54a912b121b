/* validator/codelist_run.c - the work of `chuan codelist import|diff|merge|
 * check` on files: lists read through mapping files, two lists diffed or
 * merged, one list checked (validator/codelist_tool.h). */
#include "codelist_tool.h"

int chuanp_cl_import_file(chuanp_codelist **out, const char *path, chuanp_cl_map *m,
                          const char *map_file, chuan_diags *d, void **store)
{
    int r = map_file ? chuanp_cl_map_load(m, map_file, store, d) : 0;
    return r == 0 ? chuanp_cl_import(out, path, m, d) : r;
}

/* A code-list CSV (map_file NULL) or a file through a mapping file. */
static int read_list(chuanp_codelist **out, const char *path, const char *map_file,
                     chuan_diags *d)
{
    if (!map_file)
        return chuanp_codelist_load(out, path, path, d);
    chuanp_cl_map m = {0};
    void *store = NULL;
    int r = chuanp_cl_map_load(&m, map_file, &store, d);
    if (r == 0)
        r = chuanp_cl_import(out, path, &m, d);
    chuanp_cl_map_release(store);
    return r;
}

int chuanp_cl_two_run(const chuanp_cl_two *t, chuanp_buf *out, size_t *rows, chuan_diags *d)
{
    chuanp_codelist *x = NULL, *y = NULL, *m = NULL;
    int r = read_list(&x, t->old_path, t->old_map, d);
    int r2 = read_list(&y, t->new_path, t->new_map, d);
    if (r2 < 0 || (r2 > 0 && r >= 0))
        r = r2;
    if (r == 0 && t->merge) {
        r = chuanp_cl_merge(&m, x, y, t->date, t->split, d);
        if (r == 0) {
            chuanp_cl_write_csv(m, out);
            *rows = m->count;
        }
    } else if (r == 0) {
        r = chuanp_cl_diff(x, t->old_asof, y, t->new_asof, t->date, t->json, out, NULL, d);
    }
    chuanp_codelist_free(x);
    chuanp_codelist_free(y);
    chuanp_codelist_free(m);
    return r;
}

int chuanp_cl_check_file(const char *path, const chuanp_codelist *parents, const char *pattern,
                         size_t *rows, int *no_parent_col, chuan_diags *d)
{
    chuanp_codelist *l = NULL;
    int r = chuanp_codelist_load(&l, path, path, d);
    *no_parent_col = r >= 0 && parents && !l->has_parent;
    if (r >= 0 && parents && l->has_parent && chuanp_cl_check_parents(l, parents, d))
        r = 1; /* the list's own errors were reported while it loaded */
    if (r >= 0 && pattern) {
        int c = chuanp_cl_check_codes(l, pattern, d);
        if (c != 0 && (r == 0 || c < 0))
            r = c;
    }
    *rows = l ? l->count : 0;
    chuanp_codelist_free(l);
    return r;
}
