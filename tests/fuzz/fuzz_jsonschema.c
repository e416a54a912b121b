/* libFuzzer target: JSON Schema compile, then validate. The input is schema
 * bytes, a separator line "\n----\n", then instance bytes (no separator: the
 * whole input is the schema). The compiled schema is checked against the
 * given instance and a fixed set of instances. Any crash, hang, leak or
 * sanitizer report is a bug; a bad schema or instance only gives diagnostics. */
#include "../../converters/json.h"
#include "../../validator/jsonschema.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const fixed[] = {
    "null", "true", "0", "-1.5e3", "12345678901234567890123", "\"\"", "\"abc\\u00e9\"",
    "[]", "[1,\"a\",{},[null]]", "{}", "{\"a\":1,\"b\":[2,{\"c\":\"d\"}],\"\":false}",
};

static void check(const chuanp_jsonschema *s, chuanp_jsonschema_vstate *st, const char *text,
                  size_t len)
{
    chuanp_arena a;
    chuanp_arena_init(&a, 0);
    chuan_diags d;
    chuan_diags_init(&d, 100);
    chuanp_jv *v = NULL;
    if (chuanp_json_parse(&v, text, len, NULL, &a, &d) == 0 && v)
        chuanp_jsonschema_validate(s, st, v, "fuzz", &d);
    chuan_diags_clear(&d);
    chuanp_arena_free(&a);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    const char *sep = NULL;
    for (size_t i = 0; i + 6 <= size; i++)
        if (memcmp(buf + i, "\n----\n", 6) == 0) {
            sep = buf + i;
            break;
        }
    size_t slen = sep ? (size_t)(sep - buf) : size;
    chuanp_ref_map none = {.prefix = "urn:none:", .path = "/nonexistent"};
    for (int draft = 0; draft < 2; draft++) {
        chuanp_jsonschema_opts o = {.draft = draft ? "7" : "2020-12", .assert_formats = 1,
                                    .refs = &none, .nrefs = 1, .skip_metaschema = draft};
        chuan_diags d;
        chuan_diags_init(&d, 100);
        chuanp_jsonschema *s = NULL;
        if (chuanp_jsonschema_compile_mem(&s, buf, slen, "urn:fuzz:schema", &o, &d) == 0) {
            chuanp_jsonschema_vstate *st = chuanp_jsonschema_vstate_new(s);
            if (st) {
                if (sep)
                    check(s, st, sep + 6, size - slen - 6);
                for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
                    check(s, st, fixed[i], strlen(fixed[i]));
                chuanp_jsonschema_vstate_free(st);
            }
            chuanp_jsonschema_free(s);
        }
        chuan_diags_clear(&d);
    }
    return 0;
}
