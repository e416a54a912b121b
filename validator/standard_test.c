/* validator/standard_test.c - `chuan test`: run a package's fixtures, compare with the expected
 * diagnostics, report rule coverage. */
#include "schematron.h"
#include "standard_check.h"
#include "standard_int.h"

#include <stdlib.h>
#include <string.h>

static const char *const fixture_exts[] = {".xml", ".edxml", ".json", ".ndjson", ".jsonl", ".csv",
                                           NULL};

static chuanp_format sniff(const char *path)
{
    char head[4096];
    size_t n = 0;
    FILE *f = fopen(path, "rb");
    if (f) {
        n = fread(head, 1, sizeof head, f);
        fclose(f);
    }
    return chuanp_format_sniff(path, head, n);
}

/* "CODE<TAB>LINE:COLUMN<TAB>PATH" */
static char *expect_line(const chuan_diag *d)
{
    return chuanp_asprintf("%s\t%ld:%ld\t%s", d->code ? d->code : "", d->line, d->column,
                           d->path ? d->path : "");
}

static int read_lines(const char *path, chuanp_pathlist *out, int *missing)
{
    memset(out, 0, sizeof *out);
    *missing = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        *missing = 1;
        return 0;
    }
    chuanp_buf line;
    chuanp_buf_init(&line, 1 << 16);
    int c, rc = 0;
    do {
        c = fgetc(f);
        if (c == EOF || c == '\n') {
            while (line.len && (line.data[line.len - 1] == '\r'))
                line.data[--line.len] = '\0';
            if (line.len && !line.err) {
                if (out->count == out->cap) {
                    size_t cap = out->cap ? out->cap * 2 : 16;
                    char **p = chuanp_realloc(out->paths, cap * sizeof *p);
                    if (!p) {
                        rc = -1;
                        break;
                    }
                    out->paths = p;
                    out->cap = cap;
                }
                out->paths[out->count++] = chuanp_strdup(line.data);
            }
            chuanp_buf_reset(&line);
        } else {
            chuanp_buf_putc(&line, (char)c);
        }
    } while (c != EOF);
    chuanp_buf_free(&line);
    fclose(f);
    return rc;
}

static int write_lines(const char *path, const chuanp_pathlist *lines, char **err)
{
    chuanp_output o = {0};
    if (chuanp_output_open(&o, path, NULL, err) < 0)
        return -1;
    for (size_t i = 0; i < lines->count; i++)
        fprintf(o.fp, "%s\n", lines->paths[i]);
    if (chuanp_output_commit(&o, err) < 0) {
        chuanp_output_abort(&o);
        return -1;
    }
    return 0;
}

static void test_diag(chuan_file_result *r, const char *code, chuan_severity sev, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void test_diag(chuan_file_result *r, const char *code, chuan_severity sev, const char *fmt, ...)
{
    chuan_diag dg = {.severity = sev, .code = code, .file = r->file, .offset = -1};
    va_list ap;
    va_start(ap, fmt);
    chuanp_diags_vaddf(&r->diags, &dg, fmt, ap);
    va_end(ap);
}

/* Is the line at want[i] in have (each used at most once)? */
static void compare_lines(chuan_file_result *r, const chuanp_pathlist *want, const chuanp_pathlist *have)
{
    char *used = chuanp_calloc(have->count + 1, 1);
    char *found = chuanp_calloc(want->count + 1, 1);
    if (!used || !found) {
        chuanp_free(used);
        chuanp_free(found);
        test_diag(r, "test.internal", CHUAN_SEV_ERROR, "out of memory");
        return;
    }
    for (size_t i = 0; i < want->count; i++)
        for (size_t k = 0; k < have->count; k++)
            if (!used[k] && strcmp(want->paths[i], have->paths[k]) == 0) {
                used[k] = found[i] = 1;
                break;
            }
    for (size_t i = 0; i < want->count; i++)
        if (!found[i])
            test_diag(r, "test.missing", CHUAN_SEV_ERROR, "expected, not reported: %s", want->paths[i]);
    for (size_t k = 0; k < have->count; k++)
        if (!used[k])
            test_diag(r, "test.unexpected", CHUAN_SEV_ERROR, "reported, not expected: %s", have->paths[k]);
    chuanp_free(used);
    chuanp_free(found);
}

typedef struct emitter {
    chuanp_std_test_emit emit;
    void *ctx;
    const char *package;
} emitter;

static void run_fixture(const chuanp_engine *e, const char *path, int expect_invalid,
                        const chuanp_std_test_opts *o, chuanp_pathlist *covered,
                        chuan_file_result *r, const emitter *em)
{
    chuan_file_result actual;
    chuan_file_result_init(&actual, path);
    chuanp_input in = {.name = path, .path = path};
    chuanp_format fmt = sniff(path);
    double t0 = chuanp_now();
    int rc = e->ops->check(e, &in, fmt, &actual);
    r->seconds = chuanp_now() - t0;
    r->records = actual.records;
    chuanp_free(r->format);
    r->format = chuanp_strdup(chuanp_format_name(fmt));
    chuanp_pathlist have = {0}, want = {0};
    for (size_t i = 0; i < actual.diags.count; i++) {
        char *l = expect_line(&actual.diags.items[i]);
        if (l && have.count == have.cap) {
            size_t cap = have.cap ? have.cap * 2 : 16;
            char **p = chuanp_realloc(have.paths, cap * sizeof *p);
            if (!p) {
                chuanp_free(l);
                l = NULL;
            } else {
                have.paths = p;
                have.cap = cap;
            }
        }
        if (l)
            have.paths[have.count++] = l;
    }
    if (rc < 0) {
        for (size_t i = 0; i < actual.diags.count; i++)
            test_diag(r, "test.failed", CHUAN_SEV_ERROR, "the fixture could not be checked: %s: %s",
                      actual.diags.items[i].code, actual.diags.items[i].message);
        if (!actual.diags.count)
            test_diag(r, "test.failed", CHUAN_SEV_ERROR, "the fixture could not be checked");
    } else if (!expect_invalid) {
        for (size_t i = 0; i < actual.diags.count; i++) {
            const chuan_diag *d = &actual.diags.items[i];
            if (d->severity == CHUAN_SEV_ERROR)
                test_diag(r, "test.unexpected", CHUAN_SEV_ERROR,
                          "a valid fixture got an error: %s at %ld:%ld %s: %s", d->code, d->line,
                          d->column, d->path ? d->path : "", d->message);
        }
    } else {
        for (size_t i = 0; i < actual.diags.count; i++)
            chuanp_strlist_add(covered, actual.diags.items[i].code);
        char *exp = chuanp_asprintf("%s.expected", path);
        int missing = 0;
        if (!exp || read_lines(exp, &want, &missing) < 0) {
            test_diag(r, "test.internal", CHUAN_SEV_ERROR, "out of memory");
        } else if (o->update) {
            char *err = NULL;
            if (write_lines(exp, &have, &err) < 0)
                test_diag(r, "test.write", CHUAN_SEV_ERROR, "cannot write %s: %s", exp, err ? err : "?");
            chuanp_free(err);
        } else if (missing) {
            test_diag(r, "test.no-expected", CHUAN_SEV_ERROR,
                      "no %s: write the expected diagnostics (chuan test --update)", exp);
        } else {
            compare_lines(r, &want, &have);
            if (actual.diags.errors == 0 && want.count == 0)
                test_diag(r, "test.not-invalid", CHUAN_SEV_ERROR,
                          "an invalid fixture produced no error");
        }
        chuanp_free(exp);
    }
    r->status = r->diags.count ? CHUAN_STATUS_INVALID : CHUAN_STATUS_VALID;
    if (em->emit) {
        chuanp_std_test_detail det = {.package = em->package, .expect_invalid = expect_invalid,
                                      .expected = o->update ? &have : &want, .actual = &actual.diags};
        em->emit(em->ctx, r, &det);
    }
    chuanp_pathlist_free(&have);
    chuanp_pathlist_free(&want);
    chuan_file_result_clear(&actual);
}

typedef struct rule_infos {
    chuanp_std_test_rule *items;
    size_t count, cap;
    int oom;
} rule_infos;

static void add_info(void *ctx, const char *id, const char *severity, const char *source)
{
    rule_infos *ri = ctx;
    if (ri->count == ri->cap) {
        size_t cap = ri->cap ? ri->cap * 2 : 16;
        chuanp_std_test_rule *p = chuanp_realloc(ri->items, cap * sizeof *p);
        if (!p) {
            ri->oom = 1;
            return;
        }
        ri->items = p;
        ri->cap = cap;
    }
    ri->items[ri->count++] = (chuanp_std_test_rule){id, severity, source};
}

static int list_fixtures(const char *dir, chuanp_pathlist *out)
{
    memset(out, 0, sizeof *out);
    FILE *probe = NULL;
    char *errmsg = NULL;
    const char *args[1] = {dir};
    /* a missing folder is no fixtures, not an error */
    if (!(probe = fopen(dir, "r")))
        return 0;
    fclose(probe);
    int rc = chuanp_expand_paths(out, args, 1, fixture_exts, &errmsg);
    chuanp_free(errmsg);
    return rc;
}

int chuanp_standard_test(const char *spec, const chuanp_std_test_opts *o, chuanp_std_test_emit emit,
                         void *ctx, chuanp_std_test_summary *sum, chuan_diags *d)
{
    memset(sum, 0, sizeof *sum);
    char *dir = NULL, *vdir = NULL, *idir = NULL;
    chuanp_standard *std = NULL;
    chuanp_engine *e = NULL;
    chuanp_pathlist rules = {0}, covered = {0}, valid = {0}, invalid = {0};
    chuanp_arena arena;
    chuanp_arena_init(&arena, 0);
    int rc = -1;
    if (chuanp_standard_find(&dir, spec, d) < 0 || chuanp_standard_load(&std, dir, d) != 0)
        goto out;
    chuanp_engine_opts eo = {.type = CHUANP_SCHEMA_STANDARD, .standard = spec, .as_of = o->as_of};
    const chuanp_standard *s = std;
    if (chuanp_standard_engine_open(&e, &eo, std, d) < 0) {
        std = NULL;
        goto out;
    }
    std = NULL; /* owned by the engine */
    sum->label = chuanp_strdup(e->label);
    chuanp_jv *model = NULL;
    if (chuanp_model_read(&model, &arena, s->model, d) < 0)
        goto out;
    chuanp_model_rules(model, s->model, s, &rules, NULL, NULL, NULL);
    const chuanp_schematron *sch = chuanp_standard_engine_schematron(e);
    if (sch) {
        size_t n;
        const char *const *ids = chuanp_schematron_rule_ids(sch, &n);
        for (size_t i = 0; i < n; i++)
            chuanp_strlist_add(&rules, ids[i]);
    }
    vdir = chuanp_asprintf("%s/valid", s->fixtures);
    idir = chuanp_asprintf("%s/invalid", s->fixtures);
    if (!vdir || !idir || list_fixtures(vdir, &valid) < 0 || list_fixtures(idir, &invalid) < 0)
        goto out;
    /* every fixture and expectation (written by --update) stays inside the
     * package: no symbolic link leads out */
    for (int pass = 0; pass < 2; pass++) {
        const chuanp_pathlist *l = pass ? &invalid : &valid;
        for (size_t i = 0; i < l->count; i++) {
            char *exp = chuanp_asprintf("%s.expected", l->paths[i]);
            const char *check[2] = {l->paths[i], exp};
            for (int k = 0; k < 2; k++) {
                char *real = NULL;
                if (check[k] && chuanp_path_within(check[k], dir, &real) == 0) {
                    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.outside",
                                     .file = check[k], .offset = -1};
                    chuan_diags_addf(d, &dg, "%s resolves to %s, outside the package folder %s",
                                     check[k], real ? real : "?", dir);
                    chuanp_free(real);
                    chuanp_free(exp);
                    goto out;
                }
                chuanp_free(real);
            }
            chuanp_free(exp);
        }
    }
    int bad = 0;
    emitter em = {.emit = emit, .ctx = ctx, .package = e->label};
    for (int pass = 0; pass < 2; pass++) {
        const chuanp_pathlist *l = pass ? &invalid : &valid;
        for (size_t i = 0; i < l->count; i++) {
            chuan_file_result r;
            chuan_file_result_init(&r, l->paths[i]);
            r.standard = chuanp_strdup(e->label);
            run_fixture(e, l->paths[i], pass, o, &covered, &r, &em);
            sum->fixtures++;
            if (r.status == CHUAN_STATUS_VALID)
                sum->passed++;
            else
                sum->failed++, bad = 1;
            chuan_file_result_clear(&r);
        }
    }
    chuan_file_result cov;
    char *name = chuanp_asprintf("%s (rule coverage)", s->dir);
    chuan_file_result_init(&cov, name ? name : "rule coverage");
    chuanp_free(name);
    cov.standard = chuanp_strdup(e->label);
    cov.format = chuanp_strdup("rules");
    sum->rules = rules.count;
    for (size_t i = 0; i < rules.count; i++) {
        if (chuanp_strlist_has(&covered, rules.paths[i])) {
            sum->covered++;
            continue;
        }
        test_diag(&cov, "test.uncovered", CHUAN_SEV_ERROR,
                  "rule %s is not exercised by any invalid fixture", rules.paths[i]);
    }
    cov.status = cov.diags.count ? CHUAN_STATUS_INVALID : CHUAN_STATUS_VALID;
    if (cov.diags.count)
        bad = 1;
    if (emit) {
        /* each rule with its severity and regulation, for the HTML coverage table */
        rule_infos ri = {0};
        chuanp_model_rule_info(model, add_info, &ri);
        chuanp_std_test_rule *list = chuanp_calloc(rules.count + 1, sizeof *list);
        if (!list || ri.oom) {
            chuanp_free(list);
            chuanp_free(ri.items);
            chuan_file_result_clear(&cov);
            chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "test.internal", .offset = -1};
            chuan_diags_addf(d, &dg, "out of memory");
            rc = -1;
            goto out;
        }
        for (size_t i = 0; i < rules.count; i++) {
            list[i].id = rules.paths[i];
            for (size_t k = 0; k < ri.count && !list[i].severity; k++)
                if (strcmp(ri.items[k].id, rules.paths[i]) == 0)
                    list[i] = ri.items[k];
            size_t n = 0;
            const char *const *ids = sch ? chuanp_schematron_rule_ids(sch, &n) : NULL;
            for (size_t k = 0; k < n && !list[i].severity; k++)
                if (strcmp(ids[k], rules.paths[i]) == 0)
                    chuanp_schematron_rule_meta(sch, k, &list[i].severity, &list[i].source);
        }
        chuanp_std_test_detail det = {.package = e->label, .coverage = 1, .rules = list,
                                      .nrules = rules.count};
        emit(ctx, &cov, &det);
        chuanp_free(list);
        chuanp_free(ri.items);
    }
    chuan_file_result_clear(&cov);
    rc = bad ? 1 : 0;
out:
    chuanp_engine_free(e);
    chuanp_standard_free(std);
    chuanp_pathlist_free(&rules);
    chuanp_pathlist_free(&covered);
    chuanp_pathlist_free(&valid);
    chuanp_pathlist_free(&invalid);
    chuanp_arena_free(&arena);
    chuanp_free(dir);
    chuanp_free(vdir);
    chuanp_free(idir);
    return rc;
}
