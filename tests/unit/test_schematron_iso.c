/* tests/unit/test_schematron_iso.c - ISO Schematron pre-processing and reporting: include,
 * extends href, abstract patterns with parameters, phases, let content, properties, roles. */
#include "unit.h"

#include "../../validator/schematron.h"
#include "../../validator/schematron_internal.h"

#include <libxml/parser.h>

#define DIR "tests/unit/data/sch-iso/"
#define FIX "fixtures/schematron-iso/"

static void dump(const chuan_diags *d)
{
    for (size_t i = 0; i < d->count; i++)
        fprintf(stderr, "  [%d] %s %ld:%ld %s\n", (int)d->items[i].severity, d->items[i].code,
                d->items[i].line, d->items[i].column, d->items[i].message);
}

static const chuan_diag *find(const chuan_diags *d, const char *code)
{
    for (size_t i = 0; i < d->count; i++)
        if (strcmp(d->items[i].code, code) == 0)
            return &d->items[i];
    return NULL;
}

/* Compile sch with phase, run it on doc; diagnostics in *d. Returns the run's result, or -100
 * when the schema does not compile. */
static int run(const char *sch, const char *phase, const char *doc, chuan_diags *d)
{
    chuanp_schematron_opts o = {.phase = phase};
    chuanp_schematron *s = NULL;
    if (chuanp_schematron_compile(&s, sch, &o, d) < 0) {
        dump(d);
        return -100;
    }
    char *src = NULL, *err = NULL;
    size_t len = 0;
    chuanp_input in = {.name = doc, .path = doc};
    assert_int_equal(chuanp_read_all(&in, 0, &src, &len, &err), 0);
    xmlDocPtr x = chuanp_xml_parse_safe(src, len, doc, d);
    assert_non_null(x);
    int rc = chuanp_schematron_run(s, x, doc, src, len, d, NULL);
    dump(d);
    xmlFreeDoc(x);
    chuanp_free(src);
    chuanp_schematron_free(s);
    return rc;
}

/* include + abstract pattern with parameters + phases: the default phase runs only the included
 * pattern; "full" the two instances of the abstract pattern, with their parameters. */
static void test_include_abstract_phases(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", NULL, FIX "bad.xml", &d), 1);
    assert_int_equal(d.count, 2);
    assert_non_null(find(&d, "HS-TITLE")); /* from parts/required.sch */
    assert_int_equal(find(&d, "HS-NOTE")->severity, CHUAN_SEV_INFO);
    assert_null(find(&d, "HS-YEAR"));
    chuan_diags_clear(&d);

    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", "full", FIX "bad.xml", &d), 3);
    const chuan_diag *y = find(&d, "HS-YEAR");
    assert_non_null(y);
    assert_int_equal(y->line, 4);
    assert_string_equal(y->message,
                        "year must be between 1945 and 2100 found '1900' (range-p: field year)");
    const chuan_diag *p = find(&d, "HS-PAGES");
    assert_non_null(p);
    assert_string_equal(p->message,
                        "pages must be between 1 and 100 found '250' (range-p: field pages)");
    chuan_diags_clear(&d);

    /* #ALL = every pattern; the good document passes all of them */
    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", "#ALL", FIX "bad.xml", &d), 3);
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", "#ALL", FIX "good.xml", &d), 0);
    assert_int_equal(d.count, 0);
    chuan_diags_clear(&d);
    /* a phase that selects only "required" */
    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", "basic", FIX "bad.xml", &d), 1);
    chuan_diags_clear(&d);
}

static void test_unknown_phase(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(run(FIX "iso.sch", "nope", FIX "bad.xml", &d), -100);
    assert_non_null(find(&d, "schematron.phase"));
    assert_non_null(strstr(find(&d, "schematron.phase")->message, "basic, full"));
    chuan_diags_clear(&d);
}

/* extends href: the referenced rule's content, from another file */
static void test_extends_href_and_roles(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    /* errors: X-LOCAL (2nd item), X-FREE (fatal report); X-QTY is a warning */
    assert_int_equal(run(DIR "extends.sch", NULL, DIR "items.xml", &d), 2);
    assert_int_equal(find(&d, "X-QTY")->severity, CHUAN_SEV_WARNING);
    assert_int_equal(find(&d, "X-FREE")->severity, CHUAN_SEV_ERROR);
    assert_int_equal(find(&d, "X-LOCAL")->severity, CHUAN_SEV_ERROR);
    chuan_diags_clear(&d);

    chuan_diags_init(&d, 0);
    assert_int_equal(run(DIR "roles.sch", NULL, DIR "items.xml", &d), 8);
    assert_int_equal(find(&d, "R-INFO")->severity, CHUAN_SEV_INFO);
    assert_int_equal(find(&d, "R-ERR")->severity, CHUAN_SEV_ERROR);
    assert_int_equal(find(&d, "R-FATAL")->severity, CHUAN_SEV_ERROR);
    assert_int_equal(find(&d, "R-WARN")->severity, CHUAN_SEV_INFO); /* the rule's role */
    /* roles are case-insensitive; an unknown role keeps the default (assert error, report warning) */
    assert_int_equal(find(&d, "R-A-WARN")->severity, CHUAN_SEV_WARNING);
    assert_int_equal(find(&d, "R-R-OTHER")->severity, CHUAN_SEV_WARNING);
    assert_int_equal(find(&d, "R-A-OTHER")->severity, CHUAN_SEV_ERROR);
    assert_int_equal(find(&d, "R-R-ERROR")->severity, CHUAN_SEV_ERROR);
    chuan_diags_clear(&d);
}

static void test_errors(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(run(DIR "missing-abstract.sch", NULL, DIR "items.xml", &d), -100);
    assert_non_null(find(&d, "schematron.invalid"));
    chuan_diags_clear(&d);
    chuan_diags_init(&d, 0);
    assert_int_equal(run(DIR "include-cycle.sch", NULL, DIR "items.xml", &d), -100);
    assert_non_null(find(&d, "schematron.include"));
    assert_non_null(strstr(find(&d, "schematron.include")->message, "cycle"));
    chuan_diags_clear(&d);
}

/* a let with element content is data: the XSLT element in it is not executed */
static void test_let_content(void **state)
{
    (void)state;
    chuan_diags d;
    chuan_diags_init(&d, 0);
    assert_int_equal(run(DIR "let-content.sch", NULL, DIR "items.xml", &d), 1);
    assert_int_equal(d.count, 1); /* the item without an id */
    assert_non_null(find(&d, "L-CODE"));
    chuan_diags_clear(&d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_include_abstract_phases),
        cmocka_unit_test(test_unknown_phase),
        cmocka_unit_test(test_extends_href_and_roles),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_let_content),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
