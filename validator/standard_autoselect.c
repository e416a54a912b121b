/* validator/standard_autoselect.c - which standard applies to inputs given without -s/--schema:
 * a project file .chuan.json, else the XML root namespace/element or the JSON "$schema". */
#include "standard.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PROJECT_FILE ".chuan.json"
#define HEAD_BYTES 65536
#define MAX_GLOB_STEPS 100000

/* ------------------------------------------------------------- globs */

/* "*" and "?" stay inside one folder, "**" spans folders ("a/STARSTAR/b"
 * also matches "a/b"). */
static int glob_match(const char *p, const char *s, int *budget)
{
    if (--*budget < 0)
        return 0;
    while (*p) {
        if (p[0] == '*' && p[1] == '*') {
            p += 2;
            if (*p == '/') {
                if (glob_match(p + 1, s, budget))
                    return 1;
            }
            for (const char *t = s;; t++) {
                if (glob_match(p, t, budget))
                    return 1;
                if (!*t)
                    return 0;
            }
        }
        if (*p == '*') {
            p++;
            for (const char *t = s;; t++) {
                if (glob_match(p, t, budget))
                    return 1;
                if (!*t || *t == '/')
                    return 0;
            }
        }
        if (!*s || (*p == '?' ? *s == '/' : *p != *s))
            return 0;
        p++;
        s++;
    }
    return *s == '\0';
}

/* ------------------------------------------------------ project file */

typedef struct project {
    char *dir;  /* folder of .chuan.json */
    char *file;
    chuanp_arena arena;
    chuanp_jv *doc;
} project;

static int find_project(project *pr, chuan_diags *d)
{
    memset(pr, 0, sizeof *pr);
    chuanp_arena_init(&pr->arena, 0);
    char cwd[PATH_MAX];
    if (!getcwd(cwd, sizeof cwd))
        return 0;
    for (;;) {
        char *f = chuanp_asprintf("%s/%s", strcmp(cwd, "/") ? cwd : "", PROJECT_FILE);
        if (!f)
            return -1;
        if (access(f, R_OK) == 0) {
            char *data = NULL, *err = NULL;
            size_t len = 0;
            chuanp_input in = {.name = f, .path = f};
            int rc = -1;
            if (chuanp_read_all(&in, 1u << 20, &data, &len, &err) == 0) {
                chuanp_json_opts jo = {.file = f, .allow_bom = 1};
                rc = chuanp_json_parse(&pr->doc, data, len, &jo, &pr->arena, d) == 0 ? 1 : -1;
            } else {
                chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "project.read", .file = f,
                                 .offset = -1};
                chuan_diags_addf(d, &dg, "cannot read %s: %s", f, err ? err : "?");
            }
            chuanp_free(data);
            chuanp_free(err);
            pr->file = f;
            pr->dir = chuanp_strdup(cwd);
            return rc;
        }
        chuanp_free(f);
        char *slash = strrchr(cwd, '/');
        if (!slash || slash == cwd)
            break;
        *slash = '\0';
    }
    return 0;
}

static void project_free(project *pr)
{
    chuanp_free(pr->dir);
    chuanp_free(pr->file);
    chuanp_arena_free(&pr->arena);
}

/* The input path relative to the project folder ("out/a.json"). */
static char *project_relative(const project *pr, const char *path)
{
    char cwd[PATH_MAX];
    const char *p = path;
    while (p[0] == '.' && p[1] == '/')
        p += 2;
    if (path[0] == '/') {
        size_t n = strlen(pr->dir);
        if (strncmp(path, pr->dir, n) == 0 && path[n] == '/')
            return chuanp_strdup(path + n + 1);
        return chuanp_strdup(path);
    }
    if (!getcwd(cwd, sizeof cwd))
        return chuanp_strdup(p);
    size_t n = strlen(pr->dir);
    const char *sub = cwd + n; /* cwd is below the project folder */
    while (*sub == '/')
        sub++;
    return *sub ? chuanp_asprintf("%s/%s", sub, p) : chuanp_strdup(p);
}

static int project_bad(chuan_diags *d, const project *pr, const chuanp_jv *at, const char *msg)
{
    chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "project.invalid", .file = pr->file,
                     .line = at ? (long)at->line : 0, .column = at ? (long)at->column : 0,
                     .offset = at ? (long long)at->offset : -1, .message = msg};
    chuan_diags_add(d, &dg);
    return -1;
}

/* The standard of one input from the project file: 1 found, 0 none, <0 bad file. */
static int project_lookup(const project *pr, const char *path, const char **std, const char **glob,
                          chuan_diags *d)
{
    const chuanp_jv *list = chuanp_json_get(pr->doc, "standards");
    if (!list || list->type != CHUANP_JARRAY)
        return project_bad(d, pr, pr->doc,
                           "expected {\"standards\": [{\"glob\": \"out/STARSTAR/x.json\", "
                           "\"standard\": \"ID\"}]} (STAR = *)");
    char *rel = project_relative(pr, path);
    if (!rel)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < list->u.arr.count && rc == 0; i++) {
        const chuanp_jv *it = list->u.arr.items[i];
        const chuanp_jv *g = chuanp_json_get(it, "glob"), *s = chuanp_json_get(it, "standard");
        if (!g || g->type != CHUANP_JSTRING || !s || s->type != CHUANP_JSTRING) {
            rc = project_bad(d, pr, it, "each entry needs \"glob\" and \"standard\" strings");
            break;
        }
        int budget = MAX_GLOB_STEPS;
        if (glob_match(g->u.str.text, rel, &budget)) {
            *std = s->u.str.text;
            *glob = g->u.str.text;
            rc = 1;
        }
    }
    chuanp_free(rel);
    return rc;
}

/* ------------------------------------------------------ detection */

typedef struct probe {
    char *ns, *root;   /* XML */
    char *schema;      /* JSON $schema */
} probe;

static void probe_free(probe *p)
{
    chuanp_free(p->ns);
    chuanp_free(p->root);
    chuanp_free(p->schema);
}

static void probe_xml(probe *pr, const char *path)
{
    xmlTextReaderPtr r = xmlReaderForFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOERROR |
                                                          XML_PARSE_NOWARNING);
    if (!r)
        return;
    xmlTextReaderSetStructuredErrorHandler(r, NULL, NULL);
    while (xmlTextReaderRead(r) == 1) {
        if (xmlTextReaderNodeType(r) == XML_READER_TYPE_ELEMENT) {
            const xmlChar *ln = xmlTextReaderConstLocalName(r), *ns = xmlTextReaderConstNamespaceUri(r);
            pr->root = ln ? chuanp_strdup((const char *)ln) : NULL;
            pr->ns = chuanp_strdup(ns ? (const char *)ns : "");
            break;
        }
    }
    xmlFreeTextReader(r);
}

/* "$schema": "..." near the start of a JSON document or first NDJSON line. */
static void probe_json(probe *pr, const char *path)
{
    char buf[HEAD_BYTES + 1];
    FILE *f = fopen(path, "rb");
    if (!f)
        return;
    size_t n = fread(buf, 1, HEAD_BYTES, f);
    fclose(f);
    buf[n] = '\0';
    const char *k = strstr(buf, "\"$schema\"");
    if (!k)
        return;
    k += 9;
    while (*k == ' ' || *k == '\t' || *k == '\r' || *k == '\n')
        k++;
    if (*k != ':')
        return;
    k++;
    while (*k == ' ' || *k == '\t' || *k == '\r' || *k == '\n')
        k++;
    if (*k != '"')
        return;
    const char *e = strchr(k + 1, '"');
    if (e)
        pr->schema = chuanp_strndup(k + 1, (size_t)(e - k - 1));
}

static int matches(const chuanp_standard *s, const probe *p)
{
    if (p->root) {
        if (!s->detect_ns && !s->ndetect_roots)
            return 0;
        if (s->detect_ns && *s->detect_ns && strcmp(s->detect_ns, p->ns ? p->ns : "") != 0)
            return 0;
        if (s->ndetect_roots) {
            for (size_t i = 0; i < s->ndetect_roots; i++)
                if (strcmp(s->detect_roots[i], p->root) == 0)
                    return 1;
            return 0;
        }
        return 1;
    }
    return p->schema && s->detect_json_schema && strcmp(p->schema, s->detect_json_schema) == 0;
}

static int set_choice(char **standard, char **why, const char *id, const char *reason,
                      const char *file, chuan_diags *d)
{
    if (*standard && strcmp(*standard, id) != 0) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.ambiguous", .file = file,
                         .offset = -1};
        chuan_diags_addf(d, &dg,
                         "the inputs match different standards (%s and %s); validate them "
                         "separately or choose one with -s",
                         *standard, id);
        return -1;
    }
    if (!*standard) {
        *standard = chuanp_strdup(id);
        *why = chuanp_strdup(reason);
        if (!*standard || !*why)
            return -1;
    }
    return 0;
}

int chuanp_standard_autoselect(char **standard, char **why, const char *const *paths,
                               size_t npaths, chuan_diags *d)
{
    *standard = NULL;
    *why = NULL;
    project pr;
    chuanp_pathlist dirs = {0};
    chuanp_standard **pkgs = NULL;
    size_t npkgs = 0;
    int rc = -1, unmatched = 0;
    int has_project = find_project(&pr, d);
    if (has_project < 0)
        goto out;
    if (has_project > 0) {
        for (size_t i = 0; i < npaths; i++) {
            const char *std = NULL, *glob = NULL;
            int r = project_lookup(&pr, paths[i], &std, &glob, d);
            if (r < 0)
                goto out;
            if (r == 0) {
                unmatched++;
                continue;
            }
            /* a path in .chuan.json is relative to its folder */
            char *id = strchr(std, '/') && std[0] != '/' ? chuanp_asprintf("%s/%s", pr.dir, std)
                                                         : chuanp_strdup(std);
            char *reason = chuanp_asprintf("from %s (glob %s)", pr.file, glob);
            int s = id && reason ? set_choice(standard, why, id, reason, paths[i], d) : -1;
            chuanp_free(id);
            chuanp_free(reason);
            if (s < 0)
                goto out;
        }
        if (*standard && !unmatched) {
            rc = 0;
            goto out;
        }
    }
    /* detection from the content */
    if (chuanp_standard_list(&dirs, d) < 0)
        goto out;
    pkgs = chuanp_calloc(dirs.count + 1, sizeof *pkgs);
    if (!pkgs)
        goto out;
    for (size_t i = 0; i < dirs.count; i++) {
        chuan_diags tmp;
        chuan_diags_init(&tmp, 0);
        if (chuanp_standard_load(&pkgs[npkgs], dirs.paths[i], &tmp) == 0)
            npkgs++;
        chuan_diags_clear(&tmp);
    }
    unmatched = 0;
    for (size_t i = 0; i < npaths; i++) {
        probe p = {0};
        const char *dot = strrchr(paths[i], '.');
        if (dot && (chuanp_has_suffix(dot, ".xml") || chuanp_has_suffix(dot, ".edxml")))
            probe_xml(&p, paths[i]);
        else if (dot && (chuanp_has_suffix(dot, ".json") || chuanp_has_suffix(dot, ".ndjson") ||
                         chuanp_has_suffix(dot, ".jsonl")))
            probe_json(&p, paths[i]);
        const chuanp_standard *hit = NULL;
        for (size_t k = 0; k < npkgs && !hit; k++)
            if (matches(pkgs[k], &p))
                hit = pkgs[k];
        if (!hit) {
            unmatched++;
        } else {
            char *reason = p.root ? chuanp_asprintf("from the XML root element {%s}%s", p.ns ? p.ns : "",
                                                    p.root)
                                  : chuanp_asprintf("from the JSON \"$schema\" %s", p.schema);
            int s = reason ? set_choice(standard, why, hit->id, reason, paths[i], d) : -1;
            chuanp_free(reason);
            if (s < 0) {
                probe_free(&p);
                goto out;
            }
        }
        probe_free(&p);
    }
    if (*standard && unmatched) {
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.ambiguous", .offset = -1};
        chuan_diags_addf(d, &dg,
                         "some inputs match the standard %s and %d do not; choose with -s or "
                         "map them in %s",
                         *standard, unmatched, PROJECT_FILE);
        goto out;
    }
    rc = *standard ? 0 : 1;
out:
    if (rc != 0) {
        chuanp_free(*standard);
        chuanp_free(*why);
        *standard = *why = NULL;
    }
    for (size_t i = 0; i < npkgs; i++)
        chuanp_standard_free(pkgs[i]);
    chuanp_free(pkgs);
    chuanp_pathlist_free(&dirs);
    project_free(&pr);
    return rc;
}
