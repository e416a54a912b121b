/*
 * tests/conformance/schxslt_runner.c - runs the schxslt project's Schematron test cases
 * (tests/conformance/schxslt/cases, format https://doi.org/10.5281/zenodo.5679629) with chuan's
 * Schematron compiler (validator/schematron_*.c).
 *
 * usage: schxslt_runner CASES_DIR KNOWN_FAILURES_FILE [-v]
 *
 * For each case, every <sch:schema> whose queryBinding chuan supports (absent, xslt, xslt1,
 * exslt) is written with the case's documents to a fresh folder, compiled and run on
 * document.xml. The case passes when the outcome matches @expect (error: the schema does not
 * compile or cannot be run; valid: no svrl:failed-assert and no svrl:successful-report; invalid:
 * at least one) and every <assertion assert="XPath"> is true on the SVRL. A case with no such
 * schema is skipped. Known failures (one file name a line, '#' comments) must fail: one that
 * passes is reported, so the list only shrinks. Summary line:
 *   schxslt: N passed, M failed (K known failures, S skipped: xslt2/xslt3 only)
 * Exit 0 when every failure is known and no known failure passes.
 */
#include "../../validator/schematron.h"

#include <dirent.h>
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define TC_NS "https://doi.org/10.5281/zenodo.5679629#"

static int verbose;

static int is_tc(xmlNodePtr n, const char *name)
{
    return n && n->type == XML_ELEMENT_NODE && n->ns && xmlStrEqual(n->ns->href, BAD_CAST TC_NS) &&
           xmlStrEqual(n->name, BAD_CAST name);
}

static xmlNodePtr child(xmlNodePtr n, const char *name)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (is_tc(k, name))
            return k;
    return NULL;
}

static xmlNodePtr first_element(xmlNodePtr n)
{
    for (xmlNodePtr k = n ? n->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE)
            return k;
    return NULL;
}

/* Write element el as a document of its own. Returns 0 or -1. */
static int write_element(xmlNodePtr el, const char *path)
{
    xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
    xmlNodePtr copy = doc ? xmlDocCopyNode(el, doc, 1) : NULL;
    if (!copy) {
        xmlFreeDoc(doc);
        return -1;
    }
    xmlDocSetRootElement(doc, copy);
    xmlReconciliateNs(doc, copy);
    int rc = xmlSaveFileEnc(path, doc, "UTF-8") < 0 ? -1 : 0;
    xmlFreeDoc(doc);
    return rc;
}

static int binding_ok(xmlNodePtr schema)
{
    xmlChar *qb = xmlGetProp(schema, BAD_CAST "queryBinding");
    int ok = !qb || !strcasecmp((char *)qb, "xslt") || !strcasecmp((char *)qb, "xslt1") ||
             !strcasecmp((char *)qb, "exslt");
    xmlFree(qb);
    return ok;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = n >= 0 ? (malloc)((size_t)n + 1) : NULL;
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) {
        (free)(b);
        b = NULL;
    }
    fclose(f);
    if (b) {
        b[n] = 0;
        *len = (size_t)n;
    }
    return b;
}

static int count_results(xmlDocPtr svrl)
{
    int n = 0;
    xmlNodePtr root = xmlDocGetRootElement(svrl);
    for (xmlNodePtr k = root ? root->children : NULL; k; k = k->next)
        if (k->type == XML_ELEMENT_NODE &&
            (xmlStrEqual(k->name, BAD_CAST "failed-assert") ||
             xmlStrEqual(k->name, BAD_CAST "successful-report")))
            n++;
    return n;
}

/* Run one schema of a case. Returns 1 pass, 0 fail (why in *why). */
static int run_schema(xmlNodePtr tc, xmlNodePtr schema, const char *expect, const char *dir,
                      char *why, size_t whysz)
{
    char path[8400];
    xmlNodePtr docs = child(tc, "documents");
    for (xmlNodePtr d = docs ? docs->children : NULL; d; d = d->next) {
        if (!is_tc(d, "document"))
            continue;
        xmlChar *fn = xmlGetProp(d, BAD_CAST "filename");
        xmlNodePtr el = first_element(d);
        if (fn && el && !strchr((char *)fn, '/')) {
            snprintf(path, sizeof path, "%s/%s", dir, (char *)fn);
            write_element(el, path);
        }
        xmlFree(fn);
    }
    char sch[8400];
    snprintf(sch, sizeof sch, "%s/schema.sch", dir);
    if (write_element(schema, sch) < 0) {
        snprintf(why, whysz, "cannot write the schema");
        return 0;
    }
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_schematron *s = NULL;
    int pass = 0;
    xmlDocPtr doc = NULL, svrl = NULL;
    char *src = NULL;
    if (chuanp_schematron_compile(&s, sch, NULL, &d) < 0) {
        pass = strcmp(expect, "error") == 0;
        if (!pass)
            snprintf(why, whysz, "does not compile: %s",
                     d.count && d.items[0].message ? d.items[0].message : "?");
        goto out;
    }
    snprintf(path, sizeof path, "%s/document.xml", dir);
    size_t len = 0;
    src = slurp(path, &len);
    doc = src ? chuanp_xml_parse_safe(src, len, path, &d) : NULL;
    if (!doc) {
        snprintf(why, whysz, "cannot read document.xml");
        goto out;
    }
    int rc = chuanp_schematron_run(s, doc, path, src, len, &d, &svrl);
    if (rc < 0 || !svrl) {
        pass = strcmp(expect, "error") == 0;
        if (!pass)
            snprintf(why, whysz, "run failed: %s",
                     d.count && d.items[d.count - 1].message ? d.items[d.count - 1].message : "?");
        goto out;
    }
    int n = count_results(svrl);
    if (strcmp(expect, "error") == 0) {
        snprintf(why, whysz, "expected an error, the schema ran");
        goto out;
    }
    if ((strcmp(expect, "valid") == 0) != (n == 0)) {
        snprintf(why, whysz, "expected %s, got %d failed asserts/successful reports", expect, n);
        goto out;
    }
    pass = 1;
    xmlNodePtr as = child(tc, "assertions");
    for (xmlNodePtr a = as ? as->children : NULL; a && pass; a = a->next) {
        if (!is_tc(a, "assertion"))
            continue;
        xmlChar *expr = xmlGetProp(a, BAD_CAST "assert");
        xmlXPathContextPtr x = xmlXPathNewContext(svrl);
        xmlNsPtr *nss = xmlGetNsList(a->doc, a);
        for (xmlNsPtr *p = nss; p && *p; p++)
            if ((*p)->prefix)
                xmlXPathRegisterNs(x, (*p)->prefix, (*p)->href);
        (free)(nss);
        xmlXPathObjectPtr r = expr && x ? xmlXPathEvalExpression(expr, x) : NULL;
        if (!r || !xmlXPathCastToBoolean(r)) {
            pass = 0;
            snprintf(why, whysz, "assertion false: %s", expr ? (char *)expr : "?");
        }
        xmlXPathFreeObject(r);
        xmlXPathFreeContext(x);
        xmlFree(expr);
    }
out:
    xmlFreeDoc(svrl);
    xmlFreeDoc(doc);
    (free)(src);
    chuanp_schematron_free(s);
    chuan_diags_clear(&d);
    return pass;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 3) {
        fprintf(stderr, "usage: schxslt_runner CASES_DIR KNOWN_FAILURES [-v]\n");
        return 2;
    }
    verbose = argc > 3 && strcmp(argv[3], "-v") == 0;
    char known[256][512];
    int nknown = 0;
    FILE *kf = fopen(argv[2], "r");
    if (kf) {
        char line[512];
        while (fgets(line, sizeof line, kf) && nknown < 256) {
            line[strcspn(line, " \t\r\n#")] = 0;
            if (line[0])
                snprintf(known[nknown++], sizeof known[0], "%s", line);
        }
        fclose(kf);
    }
    DIR *dd = opendir(argv[1]);
    if (!dd) {
        fprintf(stderr, "schxslt: cannot open %s\n", argv[1]);
        return 2;
    }
    char *names[512];
    int nn = 0;
    for (struct dirent *e; (e = readdir(dd)) && nn < 512;)
        if (strstr(e->d_name, ".xml"))
            names[nn++] = strdup(e->d_name);
    closedir(dd);
    qsort(names, (size_t)nn, sizeof *names, cmp_str);
    char tmpl[] = "/tmp/chuan-schxslt-XXXXXX";
    char *tmp = mkdtemp(tmpl);
    if (!tmp)
        return 2;
    int passed = 0, failed = 0, known_failed = 0, skipped = 0, unexpected = 0;
    for (int i = 0; i < nn; i++) {
        char path[8400];
        snprintf(path, sizeof path, "%s/%s", argv[1], names[i]);
        xmlDocPtr tc = xmlReadFile(path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS);
        xmlNodePtr root = tc ? xmlDocGetRootElement(tc) : NULL;
        if (!root || !is_tc(root, "testcase")) {
            printf("%s: not a test case\n", names[i]);
            failed++;
            unexpected++;
            xmlFreeDoc(tc);
            continue;
        }
        xmlChar *expect = xmlGetProp(root, BAD_CAST "expect");
        int ran = 0, ok = 1;
        char why[1024] = "";
        xmlNodePtr schemas = child(root, "schemas");
        for (xmlNodePtr s = schemas ? schemas->children : NULL; s; s = s->next) {
            if (s->type != XML_ELEMENT_NODE || !binding_ok(s))
                continue;
            char dir[4200];
            snprintf(dir, sizeof dir, "%s/%d-%d", tmp, i, ran);
            mkdir(dir, 0700);
            ran++;
            if (!run_schema(root, s, expect ? (char *)expect : "valid", dir, why, sizeof why))
                ok = 0;
        }
        xmlFree(expect);
        xmlFreeDoc(tc);
        int is_known = 0;
        for (int k = 0; k < nknown; k++)
            is_known |= strcmp(known[k], names[i]) == 0;
        if (!ran) {
            skipped++;
            if (verbose)
                printf("%s: SKIP (xslt2/xslt3 only)\n", names[i]);
            if (is_known) {
                printf("%s: listed as a known failure but skipped\n", names[i]);
                unexpected++;
            }
        } else if (ok) {
            passed++;
            if (verbose || is_known)
                printf("%s: PASS%s\n", names[i],
                       is_known ? " (listed as a known failure: remove it from the list)" : "");
            unexpected += is_known;
        } else {
            failed++;
            printf("%s: FAIL%s: %s\n", names[i], is_known ? " (known)" : "", why);
            if (is_known)
                known_failed++;
            else
                unexpected++;
        }
    }
    for (int i = 0; i < nn; i++)
        (free)(names[i]);
    char cmd[4200];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    if (system(cmd) != 0)
        fprintf(stderr, "schxslt: could not remove %s\n", tmp);
    printf("schxslt: %d passed, %d failed (%d known failures, %d skipped: xslt2/xslt3 only)\n", passed,
           failed, known_failed, skipped);
    return unexpected ? 1 : 0;
}
