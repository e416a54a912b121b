/* libFuzzer target: XML -> JSON with every mapping, and the jsonml round
 * trip XML -> JSON -> XML, which must give the same canonical XML (C14N,
 * text NFC-normalised as chuan writes it); --record through the SAX fast
 * path must give what the general path gives (tests/common/xml_sax_diff.h).
 * A mismatch calls abort(). */
#define _GNU_SOURCE
#include "../../converters/convert.h"
#include "../common/xml_sax_diff.h"

#include <libxml/c14n.h>
#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    return 0;
}

static int run(const char *in, size_t len, chuanp_format from, chuanp_format to, chuanp_mapping m,
               char **out, size_t *out_len)
{
    chuanp_convert_opts o;
    memset(&o, 0, sizeof o);
    o.from = from;
    o.to = to;
    o.mapping = m;
    o.file = "fuzz";
    chuan_diags d;
    chuan_diags_init(&d, 100);
    FILE *fin = fmemopen((void *)in, len, "r");
    FILE *fout = open_memstream(out, out_len);
    if (!fin || !fout)
        abort();
    chuanp_convert_stats st;
    int rc = test_convert_engine(fin, fout, &o, &st, &d);
    fclose(fin);
    fclose(fout);
    chuan_diags_clear(&d);
    return rc;
}

/* Canonical XML of a document, NFC-normalised; NULL when it has none. */
static char *canonical(const char *xml, size_t len)
{
    xmlDocPtr doc = xmlReadMemory(xml, (int)len, "fuzz", NULL,
                                  XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    if (!doc)
        return NULL;
    xmlChar *c = NULL;
    int n = xmlC14NDocDumpMemory(doc, NULL, XML_C14N_1_0, NULL, 0, &c);
    xmlFreeDoc(doc);
    if (n < 0) {
        xmlFree(c);
        return NULL;
    }
    char *norm = NULL;
    size_t nl = 0;
    char *res;
    if (chuanp_nfc((const char *)c, (size_t)n, &norm, &nl) == 0 && norm)
        res = norm;
    else
        res = chuanp_strndup((const char *)c, (size_t)n);
    xmlFree(c);
    return res;
}

/* --record //NAME with the name of the input's second start tag (else //r) */
static void record_paths_agree(const char *in, size_t size)
{
    char path[64] = "//r";
    int seen = 0;
    for (size_t i = 0; i + 1 < size; i++) {
        unsigned char c = (unsigned char)in[i + 1];
        if (in[i] != '<' || c == '?' || c == '!' || c == '/' || c <= ' ')
            continue;
        if (++seen < 2)
            continue;
        size_t n = 0;
        while (i + 1 + n < size && n < sizeof path - 3 && !strchr(" \t\r\n/>", in[i + 1 + n]) &&
               in[i + 1 + n])
            n++;
        memcpy(path + 2, in + i + 1, n);
        path[2 + n] = '\0';
        break;
    }
    if (xmldiff_check(in, size, path))
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16)
        return 0;
    const char *in = (const char *)data;
    record_paths_agree(in, size);
    char *out = NULL;
    size_t out_len = 0;
    /* every mapping must survive any input */
    run(in, size, CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_SIMPLE, &out, &out_len);
    free(out);
    out = NULL;
    run(in, size, CHUANP_FMT_XML, CHUANP_FMT_NDJSON, CHUANP_MAP_W3C, &out, &out_len);
    free(out);
    out = NULL;
    if (run(in, size, CHUANP_FMT_XML, CHUANP_FMT_JSON, CHUANP_MAP_JSONML, &out, &out_len) != 0) {
        free(out);
        return 0;
    }
    char *back = NULL;
    size_t back_len = 0;
    if (run(out, out_len, CHUANP_FMT_JSON, CHUANP_FMT_XML, CHUANP_MAP_JSONML, &back, &back_len) != 0) {
        fprintf(stderr, "jsonml JSON did not convert back:\n%.*s\n", (int)out_len, out);
        abort();
    }
    char *a = canonical(in, size), *b = canonical(back, back_len);
    if (a && (!b || strcmp(a, b) != 0)) {
        fprintf(stderr, "jsonml round trip differs:\n%s\n---\n%s\n", a, b ? b : "(no XML)");
        abort();
    }
    free(a);
    free(b);
    free(out);
    free(back);
    return 0;
}
