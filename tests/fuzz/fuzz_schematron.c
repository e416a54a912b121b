/* libFuzzer target: compile an arbitrary Schematron schema (validator/schematron_compile.c) and,
 * when it compiles, run it on a fixed document. A schema that does not compile must only give
 * diagnostics; a run must never crash, leak or hang (XPath operation limit, no file or network
 * access from document()). */
#define _GNU_SOURCE
#include "../../validator/schematron.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

static const char doc_text[] =
    "<?xml version=\"1.0\"?>\n"
    "<DanhSach xmlns:h=\"urn:test:hoso\">\n"
    "  <HoSo loai=\"1\"><MaHoSo>000.00.53.H48-220921-0099</MaHoSo><MaSoThue>0100109106</MaSoThue>\n"
    "    <Tinh>02</Tinh><Ngay>2024-01-01</Ngay><LePhi><Gia>100</Gia></LePhi></HoSo>\n"
    "  <HoSo loai=\"3\"><MaHoSo>X</MaHoSo><h:Extra a=\"b\">text</h:Extra></HoSo>\n"
    "</DanhSach>\n";

static xmlDocPtr doc;
static chuanp_codelists lists;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    chuan_diags d;
    chuan_diags_init(&d, 0);
    doc = chuanp_xml_parse_safe(doc_text, sizeof doc_text - 1, "doc.xml", &d);
    if (!doc)
        abort();
    chuanp_codelists_init(&lists);
    chuanp_codelists_add_dir(&lists, "tests/unit/data/sch/codelists");
    chuan_diags_clear(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.sch", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    chuan_diags d;
    chuan_diags_init(&d, 100);
    chuanp_schematron *s = NULL;
    chuanp_schematron_opts o = {.codelists = &lists, .as_of = 20250101};
    if (chuanp_schematron_compile(&s, path, &o, &d) == 0) {
        chuanp_schematron_run(s, doc, "doc.xml", doc_text, sizeof doc_text - 1, &d, NULL);
        chuanp_schematron_free(s);
    } else if (d.count == 0) {
        abort(); /* a refused schema always says why */
    }
    chuan_diags_clear(&d);
    close(fd);
    return 0;
}
