/* validator/standard_autoselect.c - which standard applies to each input given without
 * -s/--schema: a project file .chuan.json, else the XML root namespace/element, a JSON member
 * named by a package ("detect": {"json": {"pointer", "values"}}) or the JSON "$schema". */
#include "standard.h"
#include "validator.h"

#include <libxml/xmlreader.h>
#include <limits.h>
#include <sys/stat.h>
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

/* ------------------------------------------ JSON members by pointer */

/* A one-pass scan of a JSON document for the members at some JSON Pointers
 * (object keys only): constant memory whatever the size, so a big body whose
 * "service" comes after "data" is still recognised. Values other than the
 * wanted strings are skipped unparsed; a syntax error ends the scan (the
 * validator reports it). */

#define MAX_WANTED 32
#define MAX_SCAN_DEPTH 512
#define MAX_CAPTURE 1024

typedef struct jhit {
    int found;
    char type;         /* '"' string, '[' array, '{' object, '-' other */
    char *str;         /* string value (first MAX_CAPTURE bytes) */
    long line, column;
} jhit;

typedef struct jscan {
    FILE *f;
    int c;             /* current character, EOF at the end */
    long line, column; /* of c */
    int bad;           /* syntax error or too deep: stop */
    int oom;           /* an allocation failed: the scan says nothing */
    const char *want[MAX_WANTED];
    jhit hit[MAX_WANTED];
    size_t nwant, nfound;
} jscan;

static void js_next(jscan *s)
{
    if (s->c == '\n') {
        s->line++;
        s->column = 1;
    } else if (s->c != EOF && ((unsigned)s->c & 0xC0) != 0x80) {
        s->column++;
    }
    s->c = getc(s->f);
    /* continuation bytes do not start a new column */
    while (s->c != EOF && ((unsigned)s->c & 0xC0) == 0x80) {
        s->c = getc(s->f);
    }
}

static void js_ws(jscan *s)
{
    while (s->c == ' ' || s->c == '\t' || s->c == '\r' || s->c == '\n')
        js_next(s);
}

/* A string at s->c == '"'; its UTF-8 bytes (escapes decoded for ASCII, others kept as
 * '?') into b when b != NULL (at most cap - 1 bytes, NUL-terminated). */
static void js_string(jscan *s, chuanp_buf *b, size_t cap)
{
    js_next(s);
    for (;;) {
        int c = s->c;
        if (c == EOF || c == '\n') {
            s->bad = 1;
            return;
        }
        if (c == '"') {
            js_next(s);
            return;
        }
        if (c == '\\') {
            js_next(s);
            c = s->c;
            switch (c) {
            case 'n': c = '\n'; break;
            case 't': c = '\t'; break;
            case 'r': c = '\r'; break;
            case 'b': c = '\b'; break;
            case 'f': c = '\f'; break;
            case 'u': {
                unsigned v = 0;
                for (int i = 0; i < 4; i++) {
                    js_next(s);
                    int h = s->c;
                    v = v * 16 + (unsigned)(h >= '0' && h <= '9' ? h - '0'
                                            : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                            : h >= 'A' && h <= 'F' ? h - 'A' + 10 : 0);
                }
                c = v < 0x80 ? (int)v : '?';
                break;
            }
            case EOF: s->bad = 1; return;
            default: break; /* \" \\ \/ */
            }
            if (b && b->len + 1 < cap)
                chuanp_buf_putc(b, (char)c);
            js_next(s);
            continue;
        }
        if (b && b->len + 1 < cap) {
            /* js_next skips continuation bytes: read them here to keep the text */
            chuanp_buf_putc(b, (char)c);
            if (s->c & 0x80) {
                int more = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : 0;
                s->column++;
                s->c = getc(s->f);
                for (int i = 0; i < more && s->c != EOF && ((unsigned)s->c & 0xC0) == 0x80; i++) {
                    if (b->len + 1 < cap)
                        chuanp_buf_putc(b, (char)s->c);
                    s->c = getc(s->f);
                }
                continue;
            }
        }
        js_next(s);
    }
}

static void js_value(jscan *s, chuanp_buf *path, int depth);

/* The members of an object (s->c == '{'), path = pointer of the object. */
static void js_object(jscan *s, chuanp_buf *path, int depth)
{
    size_t base = path->len;
    js_next(s);
    js_ws(s);
    if (s->c == '}') {
        js_next(s);
        return;
    }
    while (!s->bad && s->nfound < s->nwant) {
        if (s->c != '"') {
            s->bad = 1;
            return;
        }
        chuanp_buf key;
        chuanp_buf_init(&key, 0);
        js_string(s, &key, MAX_CAPTURE);
        path->len = base;
        chuanp_buf_putc(path, '/');
        for (size_t i = 0; i < key.len; i++) {
            if (key.data[i] == '~')
                chuanp_buf_puts(path, "~0");
            else if (key.data[i] == '/')
                chuanp_buf_puts(path, "~1");
            else
                chuanp_buf_putc(path, key.data[i]);
        }
        int lost = key.err;
        chuanp_buf_free(&key);
        if (path->err || lost) {
            s->bad = s->oom = 1;
            return;
        }
        js_ws(s);
        if (s->c != ':') {
            s->bad = 1;
            return;
        }
        js_next(s);
        js_ws(s);
        js_value(s, path, depth + 1);
        path->len = base;
        if (path->data)
            path->data[base] = '\0';
        js_ws(s);
        if (s->c == ',') {
            js_next(s);
            js_ws(s);
            continue;
        }
        if (s->c == '}')
            js_next(s);
        else
            s->bad = 1;
        return;
    }
}

static void js_value(jscan *s, chuanp_buf *path, int depth)
{
    if (depth > MAX_SCAN_DEPTH) {
        s->bad = 1;
        return;
    }
    const char *p = path->data ? path->data : "";
    int wanted = -1, inside = 0;
    for (size_t i = 0; i < s->nwant; i++) {
        size_t n = strlen(p);
        if (strcmp(s->want[i], p) == 0 && !s->hit[i].found)
            wanted = (int)i;
        else if (strncmp(s->want[i], p, n) == 0 && s->want[i][n] == '/')
            inside = 1;
    }
    if (wanted >= 0) {
        jhit *h = &s->hit[wanted];
        h->found = 1;
        s->nfound++;
        h->line = s->line;
        h->column = s->column;
        h->type = s->c == '"' || s->c == '[' || s->c == '{' ? (char)s->c : '-';
        if (s->c == '"') {
            chuanp_buf b;
            chuanp_buf_init(&b, 0);
            js_string(s, &b, MAX_CAPTURE);
            h->str = b.err ? NULL : chuanp_strndup(b.data ? b.data : "", b.len);
            chuanp_buf_free(&b);
            if (!h->str) {
                h->found = 0;
                s->bad = s->oom = 1;
            }
            return;
        }
    }
    if (s->c == '{' && inside) {
        js_object(s, path, depth);
        return;
    }
    if (s->c == '"') {
        js_string(s, NULL, 0);
        return;
    }
    if (s->c == '{' || s->c == '[') {
        /* skip a container without looking at its keys */
        char stack[MAX_SCAN_DEPTH];
        int top = 0;
        stack[top++] = (char)(s->c == '{' ? '}' : ']');
        js_next(s);
        while (top > 0 && !s->bad) {
            if (s->c == EOF) {
                s->bad = 1;
                return;
            }
            if (s->c == '"') {
                js_string(s, NULL, 0);
                continue;
            }
            if (s->c == '{' || s->c == '[') {
                if (top + depth >= MAX_SCAN_DEPTH) {
                    s->bad = 1;
                    return;
                }
                stack[top++] = (char)(s->c == '{' ? '}' : ']');
            } else if (s->c == '}' || s->c == ']') {
                if (stack[--top] != s->c) {
                    s->bad = 1;
                    return;
                }
            }
            js_next(s);
        }
        return;
    }
    /* a scalar */
    if (s->c == EOF || s->c == ',' || s->c == '}' || s->c == ']') {
        s->bad = 1;
        return;
    }
    while (s->c != EOF && s->c != ',' && s->c != '}' && s->c != ']' && s->c != ' ' &&
           s->c != '\t' && s->c != '\r' && s->c != '\n')
        js_next(s);
}

/* Scan path for the wanted pointers (s->want[0..nwant) set by the caller). */
static void js_scan(jscan *s, const char *path)
{
    s->f = fopen(path, "rb");
    if (!s->f)
        return;
    s->line = 1;
    s->column = 1;
    s->c = getc(s->f);
    if (s->c == 0xEF) { /* a UTF-8 byte order mark */
        int b2 = getc(s->f), b3 = getc(s->f);
        s->c = b2 == 0xBB && b3 == 0xBF ? getc(s->f) : EOF;
    }
    js_ws(s);
    if (s->c == '{') {
        chuanp_buf p;
        chuanp_buf_init(&p, 0);
        js_object(s, &p, 0);
        chuanp_buf_free(&p);
    }
    fclose(s->f);
    s->f = NULL;
}

static void js_free(jscan *s)
{
    for (size_t i = 0; i < s->nwant; i++)
        chuanp_free(s->hit[i].str);
}

static int js_want(jscan *s, const char *ptr)
{
    if (!ptr || !*ptr)
        return -1;
    for (size_t i = 0; i < s->nwant; i++)
        if (strcmp(s->want[i], ptr) == 0)
            return (int)i;
    if (s->nwant == MAX_WANTED)
        return -1;
    s->want[s->nwant] = ptr;
    return (int)s->nwant++;
}

/* ------------------------------------------------------ per input */

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

/* The package whose "detect.json" member holds a known value; else, when a body carries a
 * detection member with a value no package knows beside the package's records array, the
 * diagnostic "standard.unknown-service". The reasons (why) are in the language of messages. */
static const chuanp_standard *match_json_member(chuanp_standard **pkgs, size_t npkgs,
                                                const char *path, const char *name, char **why,
                                                chuan_diags *fd, int *oom)
{
    jscan s;
    memset(&s, 0, sizeof s);
    for (size_t k = 0; k < npkgs; k++)
        if (pkgs[k]->detect_json_pointer) {
            js_want(&s, pkgs[k]->detect_json_pointer);
            js_want(&s, pkgs[k]->json_records);
        }
    if (!s.nwant)
        return NULL;
    js_scan(&s, path);
    if (s.oom) {
        *oom = 1;
        js_free(&s);
        return NULL;
    }
    const chuanp_standard *hit = NULL, *family = NULL;
    const jhit *fam_hit = NULL;
    for (size_t k = 0; k < npkgs && !hit; k++) {
        const chuanp_standard *p = pkgs[k];
        int w = js_want(&s, p->detect_json_pointer);
        if (w < 0 || !s.hit[w].found || s.hit[w].type != '"' || !s.hit[w].str)
            continue;
        for (size_t v = 0; v < p->ndetect_json_values; v++)
            if (strcmp(p->detect_json_values[v], s.hit[w].str) == 0) {
                hit = p;
                *why = chuanp_asprintf(_("from the JSON member %s \"%s\""), p->detect_json_pointer,
                                       s.hit[w].str);
                if (!*why)
                    *oom = 1;
            }
        int r = js_want(&s, p->json_records);
        if (!hit && !family && r >= 0 && s.hit[r].found && s.hit[r].type == '[') {
            family = p;
            fam_hit = &s.hit[w];
        }
    }
    if (!hit && family) {
        chuanp_buf known;
        chuanp_buf_init(&known, 0);
        for (size_t k = 0; k < npkgs; k++) {
            const chuanp_standard *p = pkgs[k];
            if (!p->detect_json_pointer || strcmp(p->detect_json_pointer, family->detect_json_pointer))
                continue;
            for (size_t v = 0; v < p->ndetect_json_values; v++)
                chuanp_buf_printf(&known, "%s%s (%s)", known.len ? ", " : "", p->detect_json_values[v],
                                  p->id);
        }
        chuan_diag dg = {.severity = CHUAN_SEV_ERROR, .code = "standard.unknown-service",
                         .file = name, .line = fam_hit->line, .column = fam_hit->column,
                         .offset = -1, .path = family->detect_json_pointer};
        chuan_diags_addf(fd, &dg,
                         "the body names the service \"%s\", which no standard package models "
                         "(known: %s); only well-formedness was checked, choose a package with -s",
                         fam_hit->str, known.data ? known.data : "");
        if (known.err)
            *oom = 1;
        chuanp_buf_free(&known);
    }
    js_free(&s);
    return hit;
}

void chuanp_std_choices_free(chuanp_std_choice *c, size_t n)
{
    for (size_t i = 0; c && i < n; i++) {
        chuanp_free(c[i].standard);
        chuanp_free(c[i].why);
        chuan_diags_clear(&c[i].diags);
    }
    chuanp_free(c);
}

int chuanp_standard_autoselect_each(chuanp_std_choice **out, int *require_standard,
                                    const char *const *paths, size_t npaths, chuan_diags *d)
{
    *out = NULL;
    if (require_standard)
        *require_standard = 0;
    project pr;
    chuanp_pathlist dirs = {0};
    chuanp_standard **pkgs = NULL;
    size_t npkgs = 0;
    int rc = -1;
    chuanp_std_choice *ch = chuanp_calloc(npaths + 1, sizeof *ch);
    if (!ch)
        return -1;
    for (size_t i = 0; i < npaths; i++)
        chuan_diags_init(&ch[i].diags, 0);
    int has_project = find_project(&pr, d);
    if (has_project < 0)
        goto out;
    size_t unmatched = npaths;
    if (has_project > 0) {
        const chuanp_jv *req = chuanp_json_get(pr.doc, "require_standard");
        if (req && req->type != CHUANP_JTRUE && req->type != CHUANP_JFALSE) {
            project_bad(d, &pr, req, "\"require_standard\" must be true or false");
            goto out;
        }
        if (require_standard && req && req->type == CHUANP_JTRUE)
            *require_standard = 1;
        unmatched = 0;
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
            ch[i].standard = strchr(std, '/') && std[0] != '/' ? chuanp_asprintf("%s/%s", pr.dir, std)
                                                               : chuanp_strdup(std);
            ch[i].why = chuanp_asprintf(_("from %s (glob %s)"), pr.file, glob);
            if (!ch[i].standard || !ch[i].why)
                goto out;
        }
    }
    if (unmatched) {
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
    }
    for (size_t i = 0; i < npaths && unmatched; i++) {
        if (ch[i].standard)
            continue;
        probe p = {0};
        struct stat st;
        /* a pipe or a device would be consumed by the probe: only regular files are looked at */
        const char *dot = stat(paths[i], &st) == 0 && S_ISREG(st.st_mode) ? strrchr(paths[i], '.') : NULL;
        const chuanp_standard *hit = NULL;
        char *reason = NULL;
        if (dot && (chuanp_has_suffix(dot, ".xml") || chuanp_has_suffix(dot, ".edxml"))) {
            probe_xml(&p, paths[i]);
        } else if (dot && (chuanp_has_suffix(dot, ".json") || chuanp_has_suffix(dot, ".ndjson") ||
                           chuanp_has_suffix(dot, ".jsonl"))) {
            int oom = 0;
            if (chuanp_has_suffix(dot, ".json"))
                hit = match_json_member(pkgs, npkgs, paths[i], paths[i], &reason, &ch[i].diags, &oom);
            if (oom) {
                chuanp_free(reason);
                probe_free(&p);
                goto out;
            }
            if (!hit && !ch[i].diags.count)
                probe_json(&p, paths[i]);
        }
        for (size_t k = 0; k < npkgs && !hit; k++)
            if (matches(pkgs[k], &p)) {
                hit = pkgs[k];
                reason = p.root ? chuanp_asprintf(_("from the XML root element {%s}%s"),
                                                  p.ns ? p.ns : "", p.root)
                                : chuanp_asprintf(_("from the JSON \"$schema\" %s"), p.schema);
            }
        probe_free(&p);
        if (hit) {
            ch[i].standard = chuanp_strdup(hit->id);
            ch[i].why = reason;
            if (!ch[i].standard || !ch[i].why)
                goto out;
        } else {
            chuanp_free(reason);
        }
        if (ch[i].diags.oom)
            goto out;
    }
    rc = 0;
out:
    if (rc != 0)
        chuanp_std_choices_free(ch, npaths);
    else
        *out = ch;
    for (size_t i = 0; i < npkgs; i++)
        chuanp_standard_free(pkgs[i]);
    chuanp_free(pkgs);
    chuanp_pathlist_free(&dirs);
    project_free(&pr);
    return rc;
}
