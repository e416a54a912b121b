/* tests/unit/test_api.c - the public API (include/chuan.h) against the
 * command line it must agree with: `chuan convert -s dvc-hoso --rejects F`
 * run in-process through chuan_main, byte for byte; partitions of a file
 * converted one by one give the whole file's bytes; streams and read
 * callbacks give what files give; a schema in memory what the file gives. */
#include "unit.h"

#include "../../converters/batch.h"
#include "../../validator/validator.h"

#include <chuan.h>
#include <stdio.h>
#include <unistd.h>

#define NDJSON "fixtures/api/hoso.ndjson"
#define CSV "fixtures/api/hoso.csv"

typedef struct bytes {
    char *data;
    size_t len;
} bytes;

static int to_bytes(void *ctx, const void *data, size_t len)
{
    bytes *b = ctx;
    char *p = realloc(b->data, b->len + len + 1);
    if (!p)
        return -1;
    memcpy(p + b->len, data, len);
    b->data = p;
    b->len += len;
    b->data[b->len] = '\0';
    return 0;
}

static void append(bytes *b, const bytes *more)
{
    if (more->len)
        assert_int_equal(to_bytes(b, more->data, more->len), 0);
}

static void bytes_free(bytes *b)
{
    (free)(b->data);
    b->data = NULL;
    b->len = 0;
}

static bytes slurp(const char *path)
{
    bytes b = {0};
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return b; /* an absent rejects file: nothing rejected */
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        assert_int_equal(to_bytes(&b, buf, n), 0);
    fclose(fp);
    return b;
}

static void assert_same(const bytes *a, const bytes *b)
{
    assert_int_equal(a->len, b->len);
    if (a->len)
        assert_memory_equal(a->data, b->data, a->len);
}

/* `chuan convert -s dvc-hoso --to ndjson -j 1 --rejects R -o O path`, in process. */
static int cli_convert(const char *path, bytes *out, bytes *rej)
{
    char o[] = "/tmp/chuan-api-XXXXXX";
    int fd = mkstemp(o);
    assert_true(fd >= 0);
    close(fd);
    unlink(o);
    char r[sizeof o + 8];
    snprintf(r, sizeof r, "%s.rej", o);
    const char *argv[] = {"chuan", "convert", "-s", "dvc-hoso", "--to", "ndjson", "-j", "1", "-q",
                          "--rejects", r, "-o", o, path};
    FILE *err = fopen("/dev/null", "w");
    int rc = chuan_main((int)(sizeof argv / sizeof *argv), argv, stdout, err);
    fclose(err);
    *out = slurp(o);
    *rej = slurp(r);
    unlink(o);
    unlink(r);
    return rc;
}

static chuan_converter *hoso_converter(int jobs)
{
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    chuan_converter_opts co = {.to = "ndjson", .standard = "dvc-hoso", .jobs = jobs};
    chuan_converter *c = chuan_converter_new(&co, &errors);
    assert_non_null(c);
    chuan_diags_clear(&errors);
    return c;
}

/* One job over path (or the given bytes), output and rejects collected. */
static int api_convert(const chuan_converter *c, chuan_convert_job *job, bytes *out, bytes *rej)
{
    memset(out, 0, sizeof *out);
    memset(rej, 0, sizeof *rej);
    job->out = to_bytes;
    job->out_ctx = out;
    job->rejects = to_bytes;
    job->rejects_ctx = rej;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = chuan_convert(c, job, &d);
    chuan_diags_clear(&d);
    return rc;
}

static void test_standard_convert_equals_cli(void **state)
{
    (void)state;
    const char *paths[] = {NDJSON, CSV};
    for (int jobs = 1; jobs <= 2; jobs++) {
        chuan_converter *c = hoso_converter(jobs);
        for (size_t i = 0; i < 2; i++) {
            bytes co, cr, ao, ar;
            int crc = cli_convert(paths[i], &co, &cr);
            chuan_convert_job job = {.path = paths[i]};
            int arc = api_convert(c, &job, &ao, &ar);
            assert_int_equal(crc, 1); /* the fixtures hold records dvc-hoso rejects */
            assert_int_equal(arc, 1);
            assert_true(cr.len > 0);
            assert_same(&ao, &co);
            assert_same(&ar, &cr);
            assert_int_equal(job.records, job.written + job.rejected);
            assert_true(job.rejected > 0);
            bytes_free(&co);
            bytes_free(&cr);
            bytes_free(&ao);
            bytes_free(&ar);
        }
        chuan_converter_free(c);
    }
}

typedef struct reader {
    const char *data;
    size_t len, at, step;
} reader;

static long read_some(void *ctx, void *buf, size_t size)
{
    reader *r = ctx;
    size_t n = r->len - r->at;
    if (n > size)
        n = size;
    if (n > r->step)
        n = r->step; /* short reads */
    memcpy(buf, r->data + r->at, n);
    r->at += n;
    return (long)n;
}

static void test_buffer_stream_callback_equal_file(void **state)
{
    (void)state;
    chuan_converter *c = hoso_converter(1);
    bytes in = slurp(CSV), fo, fr, o, r;
    chuan_convert_job job = {.name = CSV, .path = CSV};
    assert_int_equal(api_convert(c, &job, &fo, &fr), 1);

    chuan_convert_job jb = {.name = CSV, .data = in.data, .len = in.len};
    assert_int_equal(api_convert(c, &jb, &o, &r), 1);
    assert_same(&o, &fo);
    assert_same(&r, &fr);
    bytes_free(&o);
    bytes_free(&r);

    FILE *fp = fopen(CSV, "rb");
    chuan_convert_job js = {.name = CSV, .fp = fp};
    assert_int_equal(api_convert(c, &js, &o, &r), 1);
    fclose(fp);
    assert_same(&o, &fo);
    assert_same(&r, &fr);
    bytes_free(&o);
    bytes_free(&r);

    reader rd = {in.data, in.len, 0, 1000};
    chuan_convert_job jr = {.name = CSV, .read = read_some, .read_ctx = &rd};
    assert_int_equal(api_convert(c, &jr, &o, &r), 1);
    assert_same(&o, &fo);
    assert_same(&r, &fr);
    bytes_free(&o);
    bytes_free(&r);

    /* two inputs at once: refused, not guessed */
    chuan_convert_job two = {.name = CSV, .path = CSV, .data = in.data, .len = in.len};
    assert_int_equal(api_convert(c, &two, &o, &r), -1);
    bytes_free(&o);
    bytes_free(&r);
    bytes_free(&in);
    bytes_free(&fo);
    bytes_free(&fr);
    chuan_converter_free(c);
}

/* Cut `in` into about n partitions at record ends (chuanp_splitter, the batch
 * engine's own cutter); convert each with its place in the whole and
 * concatenate. with_place 0: as if each partition were a file of its own. */
static void convert_partitions(const chuan_converter *c, const bytes *in, int csv, int n,
                               int with_place, bytes *out, bytes *rej)
{
    chuanp_splitter sp;
    chuanp_splitter_init(&sp, csv ? CHUANP_SPLIT_CSV : CHUANP_SPLIT_LINES, ',', '"');
    size_t hlen = 0;
    long hlines = 0;
    if (csv) {
        for (size_t i = 0; i < in->len; i++)
            if (chuanp_splitter_feed(&sp, in->data + i, 1) >= 0) {
                hlen = i + 1;
                break;
            }
        hlines = sp.lines;
    }
    size_t want = (in->len - hlen) / (size_t)n + 1, start = hlen;
    long line = hlines + 1, records = sp.records;
    memset(out, 0, sizeof *out);
    memset(rej, 0, sizeof *rej);
    int parts = 0;
    while (start < in->len) {
        /* the first record end at or after start + want */
        size_t end = in->len;
        long end_lines = 0, end_records = 0;
        for (size_t i = start; i < in->len; i++) {
            if (chuanp_splitter_feed(&sp, in->data + i, 1) >= 0 && i + 1 - start >= want) {
                end = i + 1;
                end_lines = sp.lines;
                end_records = sp.records;
                break;
            }
        }
        bytes part = {0};
        assert_int_equal(to_bytes(&part, in->data, hlen), 0);
        assert_int_equal(to_bytes(&part, in->data + start, end - start), 0);
        chuan_convert_job job = {.name = csv ? CSV : NDJSON, .data = part.data, .len = part.len};
        if (with_place) {
            job.first_line = line;
            job.records_before = records - (hlen > 0);
        }
        bytes o, r;
        assert_int_equal(api_convert(c, &job, &o, &r) >= 0, 1);
        append(out, &o);
        append(rej, &r);
        bytes_free(&o);
        bytes_free(&r);
        bytes_free(&part);
        parts++;
        if (end == in->len)
            break;
        line = end_lines + 1;
        records = end_records;
        start = end;
    }
    assert_true(parts >= 3);
}

static void test_partitions_equal_whole(void **state)
{
    (void)state;
    chuan_converter *c = hoso_converter(1);
    const char *paths[] = {NDJSON, CSV};
    for (int i = 0; i < 2; i++) {
        bytes in = slurp(paths[i]), wo, wr, po, pr;
        chuan_convert_job job = {.path = paths[i]};
        assert_int_equal(api_convert(c, &job, &wo, &wr), 1);
        convert_partitions(c, &in, i == 1, 4, 1, &po, &pr);
        assert_same(&po, &wo);
        assert_same(&pr, &wr);
        bytes_free(&po);
        bytes_free(&pr);
        /* without their place the partitions' rejects name the wrong lines */
        convert_partitions(c, &in, i == 1, 4, 0, &po, &pr);
        assert_same(&po, &wo);
        assert_true(pr.len != wr.len || memcmp(pr.data, wr.data, pr.len) != 0);
        bytes_free(&po);
        bytes_free(&pr);
        bytes_free(&wo);
        bytes_free(&wr);
        bytes_free(&in);
    }
    /* a JSON document has no record boundaries to cut at */
    bytes o, r;
    chuan_convert_job jj = {.path = "fixtures/api/birth.json", .first_line = 3};
    assert_int_equal(api_convert(c, &jj, &o, &r), -1);
    bytes_free(&o);
    bytes_free(&r);
    chuan_converter_free(c);
}

static int count_codes(void *ctx, const chuan_diag *d)
{
    int *n = ctx;
    (*n)++;
    return d->code && strcmp(d->code, "stop-here") == 0 ? 7 : 0;
}

static void test_validate_stream_and_schema_text(void **state)
{
    (void)state;
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    chuan_validator_opts vo = {.standard = "dvc-hoso"};
    chuan_validator *v = chuan_validator_new(&vo, &errors);
    assert_non_null(v);
    chuan_file_result fres, sres, rres;
    int frc = chuan_validate_file(v, NDJSON, NULL, &fres);
    FILE *fp = fopen(NDJSON, "rb");
    int src = chuan_validate_stream(v, NDJSON, fp, NULL, &sres);
    fclose(fp);
    bytes in = slurp(NDJSON);
    reader rd = {in.data, in.len, 0, 333};
    int rrc = chuan_validate_read(v, NDJSON, read_some, &rd, NULL, &rres);
    assert_int_equal(frc, 1);
    assert_int_equal(src, frc);
    assert_int_equal(rrc, frc);
    assert_int_equal(sres.diags.count, fres.diags.count);
    assert_int_equal(rres.diags.count, fres.diags.count);
    for (size_t i = 0; i < fres.diags.count; i++) {
        assert_string_equal(sres.diags.items[i].code, fres.diags.items[i].code);
        assert_int_equal(sres.diags.items[i].line, fres.diags.items[i].line);
        assert_int_equal(rres.diags.items[i].line, fres.diags.items[i].line);
    }
    /* the callback walk visits every diagnostic, and stops when told */
    int n = 0;
    assert_int_equal(chuan_diags_each(&fres.diags, count_codes, &n), 0);
    assert_int_equal((size_t)n, fres.diags.count);
    chuan_diags stop;
    chuan_diags_init(&stop, 0);
    chuan_diag g = {.code = "a", .message = "x", .offset = -1};
    chuan_diags_add(&stop, &g);
    g.code = "stop-here";
    chuan_diags_add(&stop, &g);
    chuan_diags_add(&stop, &g);
    n = 0;
    assert_int_equal(chuan_diags_each(&stop, count_codes, &n), 7);
    assert_int_equal(n, 2);
    chuan_diags_clear(&stop);
    chuan_file_result_clear(&fres);
    chuan_file_result_clear(&sres);
    chuan_file_result_clear(&rres);
    chuan_validator_free(v);
    bytes_free(&in);

    /* a schema in memory gives what the same schema in a file gives */
    bytes schema = slurp("fixtures/xml/person.xsd");
    chuan_validator_opts mo = {.schema_text = schema.data, .schema_len = schema.len,
                               .schema_type = "xsd"};
    chuan_validator_opts fo = {.schema = "fixtures/xml/person.xsd"};
    chuan_validator *vm = chuan_validator_new(&mo, &errors);
    chuan_validator *vf = chuan_validator_new(&fo, &errors);
    assert_non_null(vm);
    assert_non_null(vf);
    int mrc = chuan_validate_file(vm, "fixtures/xml/person-invalid.xml", NULL, &sres);
    frc = chuan_validate_file(vf, "fixtures/xml/person-invalid.xml", NULL, &fres);
    assert_int_equal(mrc, 1);
    assert_int_equal(frc, 1);
    assert_int_equal(sres.diags.count, fres.diags.count);
    for (size_t i = 0; i < fres.diags.count; i++)
        assert_string_equal(sres.diags.items[i].message, fres.diags.items[i].message);
    chuan_file_result_clear(&fres);
    chuan_file_result_clear(&sres);
    chuan_validator_free(vm);
    chuan_validator_free(vf);
    bytes_free(&schema);
    chuan_diags_clear(&errors);
}

/* A schema given in memory (mo) gives the verdict and diagnostics (codes, lines) the same schema
 * read from its file (fo) gives on an invalid input. */
static void assert_text_as_file(const chuan_validator_opts *mo, const chuan_validator_opts *fo,
                                const char *invalid)
{
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    chuan_validator *vm = chuan_validator_new(mo, &errors);
    if (!vm)
        fail_msg("%s", errors.count ? errors.items[0].message : "?");
    chuan_validator *vf = chuan_validator_new(fo, &errors);
    assert_non_null(vf);
    chuan_file_result mres, fres;
    assert_int_equal(chuan_validate_file(vm, invalid, NULL, &mres), 1);
    assert_int_equal(chuan_validate_file(vf, invalid, NULL, &fres), 1);
    assert_true(fres.diags.count > 0);
    assert_int_equal(mres.diags.count, fres.diags.count);
    for (size_t i = 0; i < fres.diags.count; i++) {
        assert_string_equal(mres.diags.items[i].code, fres.diags.items[i].code);
        assert_int_equal(mres.diags.items[i].line, fres.diags.items[i].line);
    }
    chuan_file_result_clear(&mres);
    chuan_file_result_clear(&fres);
    chuan_validator_free(vm);
    chuan_validator_free(vf);
    chuan_diags_clear(&errors);
}

/* The schema text refused by chuan_validator_new: o's text set to it, NULL, errors said why. */
static void assert_text_refused(chuan_validator_opts *o, const char *text, chuan_diags *errors)
{
    o->schema_text = text;
    o->schema_len = strlen(text);
    assert_null(chuan_validator_new(o, errors));
    assert_true(errors->count > 0);
}

/* A validator from o finds the file valid; standard (NULL: not checked) is the name it reports. */
static void assert_valid_with(const chuan_validator_opts *o, const char *file, const char *standard)
{
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    chuan_validator *v = chuan_validator_new(o, &errors);
    assert_non_null(v);
    chuan_file_result res;
    assert_int_equal(chuan_validate_file(v, file, NULL, &res), 0);
    if (standard)
        assert_string_equal(res.standard, standard);
    chuan_file_result_clear(&res);
    chuan_validator_free(v);
    chuan_diags_clear(&errors);
}

/* A JSON Schema in memory is compiled from memory (no copy): its relative $refs resolve from
 * the working directory, as include/chuan.h says, and may read only below it. */
static void test_json_schema_text(void **state)
{
    (void)state;
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    const char *ref = "{\"$ref\": \"fixtures/batch/person.schema.json\"}";
    chuan_validator_opts mo = {.schema_text = ref, .schema_len = strlen(ref)};
    chuan_validator_opts fo = {.schema = "fixtures/batch/person.schema.json"};
    assert_text_as_file(&mo, &fo, "fixtures/batch/people.ndjson");
    /* a schema uploaded to the service reads none of the service's files */
    chuan_validator *vu = chuanp_validator_new_uploaded(&mo, &errors);
    assert_null(vu);
    assert_true(errors.count > 0);
    assert_non_null(strstr(errors.items[errors.count - 1].message, "person.schema.json"));
    chuan_diags_clear(&errors);
    /* nothing outside the working directory */
    assert_text_refused(&mo, "{\"$ref\": \"/etc/passwd\"}", &errors);
    assert_string_equal(errors.items[errors.count - 1].code, "schema.resource");
    /* an invalid schema is located in the text, under the name it has */
    chuan_diags_clear(&errors);
    assert_text_refused(&mo, "{\"type\": \"object\",\n \"properties\": {\"id\": {\"type\": 5}}}",
                        &errors);
    assert_string_equal(errors.items[0].code, "jsonschema.schema");
    assert_int_equal(errors.items[0].line, 2);
    assert_non_null(strstr(errors.items[0].file, "/schema-in-memory.json"));
    chuan_diags_clear(&errors);
}

/* An XSD or RELAX NG schema in memory is parsed from memory as schema-in-memory.xsd (.rng) of
 * the working directory: its relative includes resolve from there (they used to be looked for
 * in /dev/fd/), read nothing outside it, nothing local at all when uploaded to the service, and
 * a schema that is not well-formed is located in the text. */
static void test_xml_schema_text(void **state)
{
    (void)state;
    chuan_diags errors;
    chuan_diags_init(&errors, 0);
    const char *inc =
        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\"\n"
        "           targetNamespace=\"urn:chuan:test:person\" elementFormDefault=\"qualified\">\n"
        "  <xs:include schemaLocation=\"fixtures/xml/person.xsd\"/>\n"
        "</xs:schema>\n";
    chuan_validator_opts mo = {.schema_text = inc, .schema_len = strlen(inc)};
    chuan_validator_opts fo = {.schema = "fixtures/xml/person.xsd"};
    assert_text_as_file(&mo, &fo, "fixtures/xml/person-invalid.xml");
    /* no working directory in the name shown */
    assert_valid_with(&mo, "fixtures/xml/person-valid.xml", "schema-in-memory.xsd");
    /* uploaded to the service: no local file */
    assert_null(chuanp_validator_new_uploaded(&mo, &errors));
    assert_true(errors.count > 0);
    chuan_diags_clear(&errors);
    /* nothing outside the working directory */
    assert_text_refused(&mo,
                        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n"
                        "  <xs:include schemaLocation=\"/etc/passwd\"/>\n"
                        "</xs:schema>\n",
                        &errors);
    chuan_diags_clear(&errors);
    /* RELAX NG: externalRef from the working directory */
    const char *rng =
        "<grammar xmlns=\"http://relaxng.org/ns/structure/1.0\">\n"
        "  <start><externalRef href=\"fixtures/xml/person.rng\"/></start>\n"
        "</grammar>\n";
    chuan_validator_opts ro = {.schema_text = rng, .schema_len = strlen(rng)};
    chuan_validator_opts rf = {.schema = "fixtures/xml/person.rng"};
    assert_text_as_file(&ro, &rf, "fixtures/xml/person-invalid.xml");
    assert_valid_with(&ro, "fixtures/xml/person-valid.xml", NULL);
    /* not well-formed: located in the text, under the name it has */
    mo.schema_type = "xsd";
    assert_text_refused(&mo,
                        "<xs:schema xmlns:xs=\"http://www.w3.org/2001/XMLSchema\">\n<xs:element>\n</xs:schema>\n",
                        &errors);
    assert_string_equal(errors.items[0].code, "schema.compile");
    assert_int_equal(errors.items[0].line, 3);
    assert_non_null(errors.items[0].file);
    assert_non_null(strstr(errors.items[0].file, "/schema-in-memory.xsd"));
    chuan_diags_clear(&errors);
}

/* A DBF table given as bytes or a stream is read from them, never from a file
 * of its name (the engine used to open the name: a buffer named after another
 * table converted that table, one named after nothing failed). */
static void test_table_bytes_not_by_name(void **state)
{
    (void)state;
    const char *to[] = {"ndjson", "csv"};
    bytes in = slurp("fixtures/legacy/canbo.dbf");
    for (size_t i = 0; i < 2; i++) {
        chuan_diags errors;
        chuan_diags_init(&errors, 0);
        chuan_converter_opts co = {.from = "dbf", .to = to[i]};
        chuan_converter *c = chuan_converter_new(&co, &errors);
        assert_non_null(c);
        chuan_diags_clear(&errors);
        bytes fo, fr, o, r;
        chuan_convert_job job = {.path = "fixtures/legacy/canbo.dbf"};
        assert_int_equal(api_convert(c, &job, &fo, &fr), 0);
        assert_true(fo.len > 0 && job.written > 0);
        const char *names[] = {"fixtures/legacy/hotich3.dbf", "no-such-table.dbf"};
        for (size_t k = 0; k < 2; k++) {
            chuan_convert_job jb = {.name = names[k], .data = in.data, .len = in.len};
            assert_int_equal(api_convert(c, &jb, &o, &r), 0);
            assert_same(&o, &fo);
            bytes_free(&o);
            bytes_free(&r);
            FILE *fp = fopen("fixtures/legacy/canbo.dbf", "rb");
            chuan_convert_job js = {.name = names[k], .fp = fp};
            assert_int_equal(api_convert(c, &js, &o, &r), 0);
            fclose(fp);
            assert_same(&o, &fo);
            bytes_free(&o);
            bytes_free(&r);
        }
        bytes_free(&fo);
        bytes_free(&fr);
        chuan_converter_free(c);
    }
    bytes_free(&in);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_convert_equals_cli),
        cmocka_unit_test(test_buffer_stream_callback_equal_file),
        cmocka_unit_test(test_partitions_equal_whole),
        cmocka_unit_test(test_validate_stream_and_schema_text),
        cmocka_unit_test(test_json_schema_text),
        cmocka_unit_test(test_xml_schema_text),
        cmocka_unit_test(test_table_bytes_not_by_name),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
