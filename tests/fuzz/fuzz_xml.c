/* libFuzzer target: the XML reader behind `chuan validate` (well-formedness
 * and XSD validation on the streaming push parser). Any crash, leak or
 * sanitizer report is a bug; invalid input must only produce diagnostics. */
#define _GNU_SOURCE
#include "../../validator/validator.h"

#include <libxml/parser.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

static chuanp_engine *wellformed, *xsd;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    xmlInitParser();
    chuan_diags d;
    chuan_diags_init(&d, 0);
    chuanp_engine_opts o = {.type = CHUANP_SCHEMA_NONE};
    if (chuanp_xml_engine_new(&wellformed, &o, &d) < 0)
        abort();
    chuanp_engine_opts x = {.type = CHUANP_SCHEMA_XSD, .schema_path = "tests/fuzz/hoso.xsd"};
    if (chuanp_xml_engine_new(&xsd, &x, &d) < 0)
        xsd = NULL; /* run from elsewhere: well-formedness only */
    chuan_diags_clear(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("fuzz.xml", 0);
    if (fd < 0)
        return 0;
    if (write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/dev/fd/%d", fd);
    chuanp_input in = {.name = "fuzz.xml", .path = path};
    chuanp_engine *engines[2] = {wellformed, xsd};
    for (int i = 0; i < 2; i++) {
        if (!engines[i])
            continue;
        chuan_file_result r;
        chuan_file_result_init(&r, "fuzz.xml");
        int rc = chuanp_xml_check(engines[i], &in, &r);
        /* a result that is "valid" must carry no error, and vice versa */
        if (rc == 0 && r.diags.errors)
            abort();
        if (rc > 0 && r.diags.errors == 0)
            abort();
        chuan_file_result_clear(&r);
    }
    close(fd);
    return 0;
}
