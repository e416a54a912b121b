/*
 * tests/conformance/jsonschema_conformance.c - runs the official JSON Schema
 * Test Suite through the engine.
 *
 *   jsonschema_conformance SUITE_DIR KNOWN_FAILURES [--list-failures]
 *
 * For draft2020-12, draft2019-09 and draft7: every case of tests/<draft>/
 * (required), optional/ (optional, formats annotated) and
 * optional/format/ (formats asserted). remotes/ is served for
 * http://localhost:1234/ through the local ref mapping (never the network).
 * Prints pass counts per draft and kind; a failing case that is not listed in
 * KNOWN_FAILURES is a regression (exit 1). Writes "passed regressions" to
 * stdout's last line as "jsonschema P F".
 */
#include "../../converters/json.h"
#include "../../validator/jsonschema.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

typedef struct strlist {
    char **v;
    size_t n, cap;
} strlist;

static int strlist_add(strlist *l, const char *s)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 64;
        char **nv = realloc(l->v, nc * sizeof *nv);
        if (!nv)
            return -1;
        l->v = nv;
        l->cap = nc;
    }
    l->v[l->n] = chuanp_strdup(s);
    return l->v[l->n++] ? 0 : -1;
}

static int strlist_has(const strlist *l, const char *s)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i], s) == 0)
            return 1;
    return 0;
}

static void strlist_free(strlist *l)
{
    for (size_t i = 0; i < l->n; i++)
        free(l->v[i]);
    free(l->v);
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_json(const char *dir, strlist *out)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    size_t start = out->n;
    while ((e = readdir(d)))
        if (chuanp_has_suffix(e->d_name, ".json"))
            strlist_add(out, e->d_name);
    closedir(d);
    qsort(out->v + start, out->n - start, sizeof *out->v, cmp_str);
}

typedef struct counts {
    long pass, total, regressions;
} counts;

static const char *text(const chuanp_jv *v)
{
    return v && v->type == CHUANP_JSTRING ? v->u.str.text : "";
}

static void run_file(const char *path, const char *name, const char *label, const char *draft,
                     int formats,
                     const chuanp_ref_map *refs, const strlist *known, strlist *failures,
                     counts *c, int verbose)
{
    chuanp_input in = {.name = path, .path = path};
    char *data = NULL, *msg = NULL;
    size_t len = 0;
    if (chuanp_read_all(&in, 0, &data, &len, &msg) < 0) {
        fprintf(stderr, "cannot read %s: %s\n", path, msg ? msg : "?");
        free(msg);
        c->regressions++;
        return;
    }
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    chuan_diags diags;
    chuan_diags_init(&diags, 0);
    chuanp_jv *root = NULL;
    if (chuanp_json_parse(&root, data, len, NULL, &arena, &diags) != 0 || !root ||
        root->type != CHUANP_JARRAY) {
        fprintf(stderr, "cannot parse %s\n", path);
        c->regressions++;
        goto out;
    }
    for (size_t g = 0; g < root->u.arr.count; g++) {
        const chuanp_jv *group = root->u.arr.items[g];
        const chuanp_jv *schema = chuanp_json_get(group, "schema");
        const chuanp_jv *tests = chuanp_json_get(group, "tests");
        if (!schema || !tests || tests->type != CHUANP_JARRAY)
            continue;
        chuanp_buf sb;
        chuanp_buf_init(&sb, 0);
        chuanp_json_write(&sb, schema, NULL);
        chuanp_jsonschema_opts o = {.draft = draft, .refs = refs, .nrefs = 1,
                                    .assert_formats = formats};
        chuanp_jsonschema *s = NULL;
        chuan_diags cd;
        chuan_diags_init(&cd, 0);
        int crc = chuanp_jsonschema_compile_mem(&s, sb.data ? sb.data : "", sb.len, NULL, &o, &cd);
        chuanp_buf_free(&sb);
        chuanp_jsonschema_vstate *st = s ? chuanp_jsonschema_vstate_new(s) : NULL;
        for (size_t t = 0; t < tests->u.arr.count; t++) {
            const chuanp_jv *tc = tests->u.arr.items[t];
            const chuanp_jv *data_v = chuanp_json_get(tc, "data");
            const chuanp_jv *valid = chuanp_json_get(tc, "valid");
            int expect = valid && valid->type == CHUANP_JTRUE;
            int got = -1;
            chuan_diags vd;
            chuan_diags_init(&vd, 0);
            if (crc == 0 && st && data_v) {
                int r = chuanp_jsonschema_validate(s, st, data_v, "instance", &vd);
                got = r < 0 ? -1 : r == 0;
            }
            char *id = chuanp_asprintf("%s/%s: %s :: %s", label, name,
                                       text(chuanp_json_get(group, "description")),
                                       text(chuanp_json_get(tc, "description")));
            c->total++;
            if (got == expect) {
                c->pass++;
            } else {
                if (id)
                    strlist_add(failures, id);
                if (id && !strlist_has(known, id)) {
                    c->regressions++;
                    printf("REGRESSION %s (expected %s, got %s)\n", id, expect ? "valid" : "invalid",
                           got < 0 ? "error" : got ? "valid" : "invalid");
                    if (verbose) {
                        for (size_t k = 0; k < cd.count; k++)
                            printf("    schema: %s\n", cd.items[k].message);
                        for (size_t k = 0; k < vd.count; k++)
                            printf("    %s %s at %s\n", vd.items[k].code, vd.items[k].message,
                                   vd.items[k].path ? vd.items[k].path : "");
                    }
                }
            }
            free(id);
            chuan_diags_clear(&vd);
        }
        chuanp_jsonschema_vstate_free(st);
        chuanp_jsonschema_free(s);
        chuan_diags_clear(&cd);
    }
out:
    chuan_diags_clear(&diags);
    chuanp_arena_free(&arena);
    free(data);
}

static void load_known(const char *path, strlist *known)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return;
    char line[4096];
    while (fgets(line, sizeof line, f)) {
        size_t n = strlen(line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            line[--n] = '\0';
        if (n && line[0] != '#')
            strlist_add(known, line);
    }
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: %s SUITE_DIR KNOWN_FAILURES [--list-failures] [-v]\n", argv[0]);
        return 2;
    }
    const char *suite = argv[1];
    int list = 0, verbose = 0;
    for (int i = 3; i < argc; i++) {
        if (strcmp(argv[i], "--list-failures") == 0)
            list = 1;
        else if (strcmp(argv[i], "-v") == 0)
            verbose = 1;
    }
    strlist known = {0}, failures = {0};
    load_known(argv[2], &known);
    char *remotes = chuanp_asprintf("%s/remotes", suite);
    chuanp_ref_map refs = {.prefix = "http://localhost:1234/", .path = remotes};
    static const char *const drafts[][2] = {
        {"draft2020-12", "2020-12"}, {"draft2019-09", "2019-09"}, {"draft7", "7"}};
    static const char *const kinds[] = {"", "/optional", "/optional/format"};
    static const char *const kind_names[] = {"required", "optional", "format"};
    long total_pass = 0, total_reg = 0;
    chuanp_buf summary;
    chuanp_buf_init(&summary, 0);
    for (size_t d = 0; d < 3; d++) {
        chuanp_buf_printf(&summary, "%-13s", drafts[d][0]);
        for (size_t k = 0; k < 3; k++) {
            char *dir = chuanp_asprintf("%s/tests/%s%s", suite, drafts[d][0], kinds[k]);
            strlist files = {0};
            list_json(dir, &files);
            counts c = {0};
            for (size_t i = 0; i < files.n; i++) {
                char *path = chuanp_asprintf("%s/%s", dir, files.v[i]);
                char *name = chuanp_asprintf("%s%s%s", kinds[k][0] ? kinds[k] + 1 : "",
                                             kinds[k][0] ? "/" : "", files.v[i]);
                run_file(path, name, drafts[d][0], drafts[d][1], k == 2, &refs, &known, &failures, &c, verbose);
                free(path);
                free(name);
            }
            chuanp_buf_printf(&summary, "  %s %ld/%ld (%.1f%%)", kind_names[k], c.pass, c.total,
                              c.total ? 100.0 * (double)c.pass / (double)c.total : 0.0);
            total_pass += c.pass;
            total_reg += c.regressions;
            strlist_free(&files);
            free(dir);
        }
        chuanp_buf_putc(&summary, '\n');
    }
    fputs(summary.data ? summary.data : "", stdout);
    chuanp_buf_free(&summary);
    size_t fixed = 0;
    for (size_t i = 0; i < known.n; i++)
        if (!strlist_has(&failures, known.v[i])) {
            fixed++;
            printf("now passing (remove from the known failures): %s\n", known.v[i]);
        }
    if (list)
        for (size_t i = 0; i < failures.n; i++)
            fprintf(stderr, "%s\n", failures.v[i]);
    printf("jsonschema %ld %ld\n", total_pass, total_reg);
    strlist_free(&known);
    strlist_free(&failures);
    free(remotes);
    (void)fixed;
    return total_reg ? 1 : 0;
}
