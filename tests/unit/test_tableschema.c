/* Unit tests for Table Schema: types, constraints, keys, header checks, descriptor errors. */
#include "unit.h"

#include "../../validator/tableschema.h"

#include <unistd.h>

static char dir[] = "/tmp/chuan-ts-XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static char *write_file(const char *name, const char *text)
{
    char *path = chuanp_asprintf("%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return path;
}

static chuanp_tableschema *load(const char *schema)
{
    char *path = write_file("schema.json", schema);
    chuanp_tableschema *ts = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    int rc = chuanp_tableschema_load(&ts, path, &d);
    if (rc != 0)
        fail_msg("schema did not compile: %s", d.count ? d.items[0].message : "?");
    chuan_diags_clear(&d);
    free(path);
    return ts;
}

/* Findings as "code@line:col [path]; " */
static char *check(const chuanp_tableschema *ts, const char *csv, int *rc_out)
{
    FILE *f = fmemopen((void *)csv, strlen(csv), "rb");
    chuan_diags d;
    chuan_diags_init(&d, 0);
    long rows = 0;
    int rc = chuanp_tableschema_check_file(ts, f, "t.csv", &rows, &d);
    fclose(f);
    chuanp_buf b;
    chuanp_buf_init(&b, 0);
    chuanp_buf_puts(&b, "");
    for (size_t i = 0; i < d.count; i++)
        chuanp_buf_printf(&b, "%s@%ld:%ld [%s]; ", d.items[i].code, d.items[i].line,
                          d.items[i].column, d.items[i].path ? d.items[i].path : "");
    chuan_diags_clear(&d);
    if (rc_out)
        *rc_out = rc;
    return chuanp_buf_steal(&b, NULL);
}

#define CHECK(ts, csv, want)                                                                       \
    do {                                                                                           \
        char *got_ = check(ts, csv, NULL);                                                         \
        assert_string_equal(got_, want);                                                           \
        free(got_);                                                                                \
    } while (0)

static void test_numbers_decimal_comma(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"n\",\"type\":\"number\",\"decimalChar\":\",\",\"groupChar\":\".\","
        "\"constraints\":{\"minimum\":0,\"maximum\":\"1.000.000,5\"}},"
        "{\"name\":\"i\",\"type\":\"integer\",\"bareNumber\":false},"
        "{\"name\":\"x\",\"type\":\"number\"}],\"dialect\":{\"delimiter\":\";\"}}");
    CHECK(ts, "n;i;x\n1.000,50;95%;1e3\n1.000.000,5;€12;NaN\n", "");
    CHECK(ts, "n;i;x\n-1;1.5;1,5\n1.000.000,51;x;INF\n",
          "tableschema.minimum@2:1 [row 2, column n]; tableschema.type@2:4 [row 2, column i]; "
          "tableschema.type@2:8 [row 2, column x]; tableschema.maximum@3:1 [row 3, column n]; "
          "tableschema.type@3:14 [row 3, column i]; ");
    chuanp_tableschema_free(ts);
}

static void test_booleans_and_missing_values(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"missingValues\":[\"\",\"-\"],\"fields\":[{\"name\":\"b\",\"type\":\"boolean\","
        "\"trueValues\":[\"có\"],\"falseValues\":[\"không\"],\"constraints\":{\"required\":true}},"
        "{\"name\":\"s\",\"missingValues\":[]}]}");
    CHECK(ts, "b,s\ncó,\nkhông,-\n", "");
    CHECK(ts, "b,s\n-,x\ntrue,y\n",
          "tableschema.required@2:1 [row 2, column b]; tableschema.type@3:1 [row 3, column b]; ");
    chuanp_tableschema_free(ts);
}

static void test_dates_times_and_friends(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"d\",\"type\":\"date\",\"format\":\"%d/%m/%Y\","
        "\"constraints\":{\"minimum\":\"01/01/2020\"}},"
        "{\"name\":\"iso\",\"type\":\"date\"},{\"name\":\"any\",\"type\":\"date\",\"format\":\"any\"},"
        "{\"name\":\"t\",\"type\":\"time\"},{\"name\":\"dt\",\"type\":\"datetime\"},"
        "{\"name\":\"y\",\"type\":\"year\"},{\"name\":\"ym\",\"type\":\"yearmonth\"},"
        "{\"name\":\"du\",\"type\":\"duration\"},"
        "{\"name\":\"c\",\"type\":\"datetime\",\"format\":\"%Y%m%d%H%M%S\"}]}");
    CHECK(ts, "d,iso,any,t,dt,y,ym,du,c\n"
              "29/02/2024,2024-02-29,31.12.2024,23:59:59.5,2024-01-01T00:00:00+07:00,2024,2024-12,"
              "P1Y2M3DT4H5M6.5S,20240101120000\n",
          "");
    CHECK(ts, "d,iso,any,t,dt,y,ym,du,c\n"
              "29/02/2023,2024-2-1,12/31/2024,24:00:00,2024-01-01 00:00,24,2024-13,P1H,20241301000000\n"
              "31/12/2019,2024-01-01,2024-01-01,00:00:00,2024-01-01T00:00:00Z,2024,2024-01,PT1H,"
              "20240101000000\n",
          "tableschema.type@2:1 [row 2, column d]; tableschema.type@2:12 [row 2, column iso]; "
          "tableschema.type@2:21 [row 2, column any]; tableschema.type@2:32 [row 2, column t]; "
          "tableschema.type@2:41 [row 2, column dt]; tableschema.type@2:58 [row 2, column y]; "
          "tableschema.type@2:61 [row 2, column ym]; tableschema.type@2:69 [row 2, column du]; "
          "tableschema.type@2:73 [row 2, column c]; tableschema.minimum@3:1 [row 3, column d]; ");
    chuanp_tableschema_free(ts);
}

static void test_structured_types(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"o\",\"type\":\"object\"},{\"name\":\"a\",\"type\":\"array\","
        "\"constraints\":{\"maxLength\":2}},{\"name\":\"l\",\"type\":\"list\",\"itemType\":\"date\","
        "\"delimiter\":\"|\"},{\"name\":\"g\",\"type\":\"geopoint\"},{\"name\":\"x\",\"type\":\"any\"},"
        "{\"name\":\"n\",\"type\":\"integer\",\"constraints\":{\"exclusiveMinimum\":0,"
        "\"exclusiveMaximum\":10}}],\"dialect\":{\"delimiter\":\";\"}}");
    CHECK(ts, "o;a;l;g;x;n\n\"{\"\"k\"\":1}\";[1,2];2024-01-01|2024-02-29;105.8, 21.0;anything;9\n", "");
    CHECK(ts, "o;a;l;g;x;n\n[1];[1,2,3];2024-01-01|2023-02-29;200, 0;;0\n{};{};x;1,2,3;;10\n",
          "tableschema.type@2:1 [row 2, column o]; tableschema.max-length@2:5 [row 2, column a]; "
          "tableschema.type@2:13 [row 2, column l]; tableschema.type@2:35 [row 2, column g]; "
          "tableschema.exclusive-minimum@2:43 [row 2, column n]; "
          "tableschema.type@3:4 [row 3, column a]; tableschema.type@3:7 [row 3, column l]; "
          "tableschema.type@3:9 [row 3, column g]; tableschema.exclusive-maximum@3:16 [row 3, column n]; ");
    chuanp_tableschema_free(ts);
}

/* geopoint "array" and "object" cells are JSON, read by chuan's reader; bounds compare exactly. */
static void test_geopoint_json(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"a\",\"type\":\"geopoint\",\"format\":\"array\"},"
        "{\"name\":\"o\",\"type\":\"geopoint\",\"format\":\"object\"}],"
        "\"dialect\":{\"delimiter\":\";\"}}");
    CHECK(ts, "a;o\n[105.8, 21.0];\"{\"\"lon\"\": -180, \"\"lat\"\": 90.0}\"\n"
              "[180,-9e1];\"{\"\"lat\"\":1,\"\"lon\"\":2}\"\n", "");
    CHECK(ts, "a;o\n[180.0000000000000001,0];\"{\"\"lon\"\":1}\"\n"
              "[1,2,3];\"{\"\"lon\"\":\"\"1\"\",\"\"lat\"\":2}\"\n[1,91];[1,2]\n"
              "[1,2;\"{\"\"lon\"\":1,\"\"lat\"\":2,}\"\n",
          "tableschema.type@2:1 [row 2, column a]; tableschema.type@2:26 [row 2, column o]; "
          "tableschema.type@3:1 [row 3, column a]; tableschema.type@3:9 [row 3, column o]; "
          "tableschema.type@4:1 [row 4, column a]; tableschema.type@4:8 [row 4, column o]; "
          "tableschema.type@5:1 [row 5, column a]; tableschema.type@5:6 [row 5, column o]; ");
    chuanp_tableschema_free(ts);
}

static void test_string_constraints(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"ma\",\"constraints\":{\"pattern\":\"\\\\d{2}\",\"minLength\":2,"
        "\"maxLength\":2}},{\"name\":\"ten\",\"constraints\":{\"maxLength\":4}},"
        "{\"name\":\"e\",\"constraints\":{\"enum\":[\"Hà Nội\",\"Huế\"]}},"
        "{\"name\":\"mail\",\"format\":\"email\"},{\"name\":\"u\",\"format\":\"uuid\"}]}");
    /* maxLength counts characters: "Việt" is 4 characters, 6 bytes */
    CHECK(ts, "ma,ten,e,mail,u\n1,x,Huế,,\n", "tableschema.min-length@2:1 [row 2, column ma]; "
                                               "tableschema.pattern@2:1 [row 2, column ma]; ");
    CHECK(ts, "ma,ten,e,mail,u\n01,Việt,Huế,a@b.vn,123e4567-e89b-12d3-a456-426614174000\n", "");
    /* pattern is anchored: "012" does not match \d{2} */
    CHECK(ts, "ma,ten,e,mail,u\n012,Nguyễn,Hue,ab.vn,x\n",
          "tableschema.max-length@2:1 [row 2, column ma]; tableschema.pattern@2:1 [row 2, column ma]; "
          "tableschema.max-length@2:5 [row 2, column ten]; tableschema.enum@2:12 [row 2, column e]; "
          "tableschema.type@2:16 [row 2, column mail]; tableschema.type@2:22 [row 2, column u]; ");
    chuanp_tableschema_free(ts);
}

static void test_unique_and_primary_key(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"constraints\":{\"unique\":true}},"
        "{\"name\":\"b\"},{\"name\":\"c\"}],\"primaryKey\":[\"b\",\"c\"]}");
    /* unique compares typed values: 007 == 7 */
    CHECK(ts, "a,b,c\n7,x,1\n007,x,2\n8,x,1\n9,,3\n",
          "tableschema.unique@3:1 [row 3, column a]; tableschema.primary-key@4:3 [row 4, column b]; "
          "tableschema.primary-key@5:3 [row 5, column b]; ");
    chuanp_tableschema_free(ts);
}

static void test_foreign_keys(void **state)
{
    (void)state;
    char *codes = write_file("tinh.csv", "code,name\n01,Hà Nội\n79,Hồ Chí Minh\n");
    free(codes);
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"id\"},{\"name\":\"tinh\"},{\"name\":\"cha\"}],"
        "\"foreignKeys\":[{\"fields\":\"tinh\",\"reference\":{\"resource\":\"tinh.csv\","
        "\"fields\":\"code\"}},{\"fields\":\"cha\",\"reference\":{\"resource\":\"\",\"fields\":\"id\"}}]}");
    CHECK(ts, "id,tinh,cha\n1,01,\n2,79,1\n", "");
    CHECK(ts, "id,tinh,cha\n1,1,\n2,79,9\n",
          "tableschema.foreign-key@2:3 [row 2, column tinh]; "
          "tableschema.foreign-key@0:0 [row 3, column cha]; ");
    chuanp_tableschema_free(ts);
    /* a missing code list is a schema error */
    char *path = write_file("bad.json", "{\"fields\":[{\"name\":\"a\"}],\"foreignKeys\":[{\"fields\":"
                                        "\"a\",\"reference\":{\"resource\":\"nope.csv\",\"fields\":\"x\"}}]}");
    chuanp_tableschema *bad = NULL;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_true(chuanp_tableschema_load(&bad, path, &d) < 0);
    assert_null(bad);
    assert_string_equal(d.items[0].code, "tableschema.schema");
    chuan_diags_clear(&d);
    free(path);
}

static void test_header_checks(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load("{\"fields\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]}");
    CHECK(ts, "a,b,c\n1,2,3\n", "");
    CHECK(ts, "b,a,c,a,z\n", "tableschema.header-duplicate@1:7 [row 1]; "
                             "tableschema.header-extra@1:9 [row 1]; "
                             "tableschema.header-order@1:3 [row 1]; ");
    CHECK(ts, "a,b\n1,2,3\n1\n", "tableschema.header-missing@1:1 [row 1]; "
                                "tableschema.extra-cell@2:5 [row 2, column 3]; "
                                "tableschema.missing-cell@3:1 [row 3]; ");
    chuanp_tableschema_free(ts);
    ts = load("{\"fieldsMatch\":\"subset\",\"fields\":[{\"name\":\"a\"},{\"name\":\"b\"}]}");
    CHECK(ts, "b\n1\n", "");
    chuanp_tableschema_free(ts);
}

static void test_csv_errors_are_findings(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load("{\"fields\":[{\"name\":\"a\"}]}");
    int rc = 0;
    char *got = check(ts, "a\n\"open\n", &rc);
    assert_string_equal(got, "csv.unterminated-quote@2:1 [row 2]; ");
    assert_int_equal(rc, 1);
    free(got);
    chuanp_tableschema_free(ts);
}

/* Every descriptor error names the offending member: line, column and JSON Pointer. */
static void test_schema_errors(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        long line, column;
        const char *path; /* NULL: the whole document */
    } bad[] = {
        {"{\"fields\":[{\"name\":\"a\",\"type\":\"nope\"}]}", 1, 31, "/fields/0/type"},
        {"{\"fields\":[{\"name\":\"a\",\"constraints\":{\"pattern\":\"(\"}}]}", 1, 49,
         "/fields/0/constraints/pattern"},
        {"{\"fields\":[{\"name\":\"a\",\"type\":\"date\",\"format\":\"%Q\"}]}", 1, 47,
         "/fields/0/format"},
        {"{\"fields\":[{\"name\":\"a\"},\n {\"name\":\"a\"}]}", 2, 10, "/fields/1/name"},
        {"{\"fields\":[{\"name\":\"a\"}],\"primaryKey\":\"b\"}", 1, 39, "/primaryKey"},
        {"{\"fields\":[{\"name\":\"a\"}],\"primaryKey\":[\"a\",\"b\"]}", 1, 44, "/primaryKey/1"},
        {"{\"fields\":[{\"name\":\"a\",\"type\":\"integer\",\"constraints\":{\"minimum\":\"x\"}}]}",
         1, 66, "/fields/0/constraints/minimum"},
        {"{\"fields\":[{\"name\":\"a\",\"constraints\":{\"maxLength\":-1}}]}", 1, 51,
         "/fields/0/constraints/maxLength"},
        {"{\"fields\":[{\"name\":\"a\"}],\"foreignKeys\":[{\"fields\":\"a\",\"reference\":"
         "{\"resource\":\"\",\"fields\":\"z\"}}]}", 1, 91, "/foreignKeys/0/reference/fields"},
        {"{\"schema\":{\"fields\":[{\"name\":\"a\",\"type\":1}]}}", 1, 41, "/schema/fields/0/type"},
        {"[1,2]", 1, 1, NULL},
        {"{\"fields\":", 1, 11, "/fields"},
        {"{\"fields\":[],\n\"fields\":[]}", 2, 1, "/fields"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        char *path = write_file("bad.json", bad[i].json);
        chuanp_tableschema *ts = NULL;
        chuan_diags d;
        chuan_diags_init(&d, 0);
        assert_true(chuanp_tableschema_load(&ts, path, &d) < 0);
        assert_true(d.count >= 1);
        assert_string_equal(d.items[0].code, "tableschema.schema");
        assert_int_equal(d.items[0].line, bad[i].line);
        assert_int_equal(d.items[0].column, bad[i].column);
        if (bad[i].path)
            assert_string_equal(d.items[0].path, bad[i].path);
        else
            assert_null(d.items[0].path);
        chuan_diags_clear(&d);
        free(path);
    }
}

/* The casts a typed reading needs (decimal comma, date pattern, boolean, integer with leading
 * zeros, list of integers, a ';' dialect), through the real entry point: a row that casts is
 * clean, a cell that does not is reported at its line and column. */
static void test_typed_cells(void **state)
{
    (void)state;
    chuanp_tableschema *ts = load(
        "{\"fields\":[{\"name\":\"Ma\"},{\"name\":\"Tien\",\"type\":\"number\",\"decimalChar\":\",\"},"
        "{\"name\":\"Ngay\",\"type\":\"date\",\"format\":\"%d/%m/%Y\"},{\"name\":\"Co\",\"type\":"
        "\"boolean\"},{\"name\":\"Ds.0.Gia\",\"type\":\"integer\"},{\"name\":\"L\",\"type\":\"list\","
        "\"itemType\":\"integer\"}],\"dialect\":{\"delimiter\":\";\"}}");
    CHECK(ts, "Ma;Tien;Ngay;Co;Ds.0.Gia;L\n007;1,50;31/12/2024;1;0042;1,2\n008;;;;5;\n", "");
    CHECK(ts, "Ma;Tien;Ngay;Co;Ds.0.Gia;L\n008;1.5;x;2;5.5;1,a\n",
          "tableschema.type@2:5 [row 2, column Tien]; tableschema.type@2:9 [row 2, column Ngay]; "
          "tableschema.type@2:11 [row 2, column Co]; tableschema.type@2:13 [row 2, column Ds.0.Gia]; "
          "tableschema.type@2:17 [row 2, column L]; ");
    chuanp_tableschema_free(ts);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers_decimal_comma),
        cmocka_unit_test(test_booleans_and_missing_values),
        cmocka_unit_test(test_dates_times_and_friends),
        cmocka_unit_test(test_structured_types),
        cmocka_unit_test(test_geopoint_json),
        cmocka_unit_test(test_string_constraints),
        cmocka_unit_test(test_unique_and_primary_key),
        cmocka_unit_test(test_foreign_keys),
        cmocka_unit_test(test_header_checks),
        cmocka_unit_test(test_csv_errors_are_findings),
        cmocka_unit_test(test_schema_errors),
        cmocka_unit_test(test_typed_cells),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
