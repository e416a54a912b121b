/*
 * tests/common/xml_sax_diff.h - the XML record fast path (converters/xml_sax.c)
 * against the general path (xmlTextReader + chuanp_simple_from_xml), shared
 * by tests/unit/test_xml_sax.c and tests/fuzz/fuzz_xml2json.c. Each run of
 * `convert --to ndjson --record PATH` prints its NDJSON, its result and every
 * diagnostic (line, column, severity, code, path, message).
 *
 * Where libxml2 reports nothing, the two texts must be equal. Where it
 * reports an error or a warning, the result must be the same, the general
 * path's records must be the first of the fast path's (the xmlTextReader can
 * lose records already parsed when it meets a fatal error), and the
 * diagnostics the same as a set (libxml2's messages arrive where each parser
 * has read to) but for the conversion warnings of those records.
 * Nesting past 256 levels is reported by chuan (xml.depth) or by libxml2
 * ("Excessive depth") depending on how far the xmlTextReader has parsed ahead:
 * there only the result and the records are compared.
 */
#ifndef CHUAN_TEST_XML_SAX_DIFF_H
#define CHUAN_TEST_XML_SAX_DIFF_H

#include "../../converters/convert.h"
#include "convert_engine.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct xmldiff_out {
    char *ndjson;
    size_t ndjson_len;
    int rc;
    char **diags;
    size_t ndiags;
    int xml_errors; /* diagnostics from libxml2 (xml.parse, xml.warning) */
    int too_deep;   /* xml.depth or libxml2's "Excessive depth" */
} xmldiff_out;

static void xmldiff_free(xmldiff_out *r)
{
    free(r->ndjson);
    for (size_t i = 0; i < r->ndiags; i++)
        free(r->diags[i]);
    free(r->diags);
    memset(r, 0, sizeof *r);
}

static int xmldiff_run(const char *xml, size_t len, const char *record, int fast, xmldiff_out *r)
{
    memset(r, 0, sizeof *r);
    setenv("CHUAN_XML_RECORD_GENERAL", fast ? "0" : "1", 1);
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = CHUANP_FMT_XML;
    o.to = CHUANP_FMT_NDJSON;
    o.record_path = record;
    o.file = "t.xml";
    chuan_diags d;
    chuan_diags_init(&d, 0);
    FILE *fin = fmemopen((void *)xml, len ? len : 1, "r");
    FILE *fout = open_memstream(&r->ndjson, &r->ndjson_len);
    if (!fin || !fout)
        abort();
    if (len == 0)
        fgetc(fin); /* fmemopen cannot open 0 bytes: read the one past the end */
    chuanp_convert_stats st;
    r->rc = test_convert_engine(fin, fout, &o, &st, &d);
    fclose(fin);
    fclose(fout);
    r->diags = calloc(d.count + 1, sizeof *r->diags);
    if (!r->diags)
        abort();
    for (size_t i = 0; i < d.count; i++) {
        const chuan_diag *g = &d.items[i];
        if (g->code && strncmp(g->code, "xml.", 4) == 0 && strcmp(g->code, "xml.depth") != 0)
            r->xml_errors++;
        if ((g->code && strcmp(g->code, "xml.depth") == 0) ||
            (g->message && strstr(g->message, "Excessive depth")))
            r->too_deep = 1;
        size_t n = 0;
        char *s = NULL;
        FILE *f = open_memstream(&s, &n);
        fprintf(f, "%ld:%ld %d %s [%s] %s", g->line, g->column, (int)g->severity,
                g->code ? g->code : "", g->path ? g->path : "", g->message ? g->message : "");
        fclose(f);
        r->diags[r->ndiags++] = s;
    }
    chuan_diags_clear(&d);
    unsetenv("CHUAN_XML_RECORD_GENERAL");
    return 0;
}

static int xmldiff_cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static void xmldiff_print(FILE *f, const char *label, const xmldiff_out *r)
{
    fprintf(f, "--- %s: rc %d\n%.*s", label, r->rc, (int)r->ndjson_len, r->ndjson ? r->ndjson : "");
    for (size_t i = 0; i < r->ndiags; i++)
        fprintf(f, "  diag %s\n", r->diags[i]);
}

/* 0 when the fast path agrees with the general path on xml[0..len), else 1
 * (both runs printed to stderr). */
static int xmldiff_check(const char *xml, size_t len, const char *record)
{
    xmldiff_out g, s;
    xmldiff_run(xml, len, record, 0, &g);
    xmldiff_run(xml, len, record, 1, &s);
    int bad = g.rc != s.rc;
    if (g.too_deep || s.too_deep) {
        bad = g.rc != s.rc || !g.too_deep || !s.too_deep || g.ndjson_len > s.ndjson_len ||
              (g.ndjson_len && memcmp(g.ndjson, s.ndjson, g.ndjson_len) != 0);
    } else if (!bad && g.xml_errors == 0) {
        bad = g.ndiags != s.ndiags || g.ndjson_len != s.ndjson_len ||
              (g.ndjson_len && memcmp(g.ndjson, s.ndjson, g.ndjson_len) != 0);
        for (size_t i = 0; i < g.ndiags && !bad; i++)
            bad = strcmp(g.diags[i], s.diags[i]) != 0;
    } else if (!bad) {
        bad = g.ndjson_len > s.ndjson_len ||
              (g.ndjson_len && memcmp(g.ndjson, s.ndjson, g.ndjson_len) != 0);
        /* every diagnostic of the general path, and beside them only the
         * conversion warnings of the records it lost */
        qsort(g.diags, g.ndiags, sizeof *g.diags, xmldiff_cmp_str);
        qsort(s.diags, s.ndiags, sizeof *s.diags, xmldiff_cmp_str);
        size_t i = 0, j = 0;
        while (!bad && j < s.ndiags) {
            int c = i < g.ndiags ? strcmp(g.diags[i], s.diags[j]) : 1;
            if (c == 0)
                i++, j++;
            else if (c > 0 && strstr(s.diags[j], " convert.") && g.ndjson_len < s.ndjson_len)
                j++;
            else
                bad = 1;
        }
        bad = bad || i < g.ndiags;
    }
    if (bad) {
        fprintf(stderr, "xml fast path differs (--record %s) on:\n%.*s\n", record,
                (int)(len > 2000 ? 2000 : len), xml);
        xmldiff_print(stderr, "general", &g);
        xmldiff_print(stderr, "fast", &s);
    }
    xmldiff_free(&g);
    xmldiff_free(&s);
    return bad;
}

#endif /* CHUAN_TEST_XML_SAX_DIFF_H */
