/* Unit tests for core/dynlib.c: a library opened once by soname, its
 * functions resolved into the table in order and callable; a missing
 * library or symbol fails with dlerror()'s text, every later call gives the
 * same answer, and threads loading at once all see one load. */
#include "unit.h"
#include "../../core/dynlib.h"

#include <math.h>
#include <pthread.h>

static void test_loads_and_calls(void **state)
{
    (void)state;
    static const char *const names[] = {"cos", "sqrt"};
    static chuanp_dynfn fns[2];
    static chuanp_dynlib lib = CHUANP_DYNLIB_INIT("libm.so.6", "", names, fns);
    assert_int_equal(lib.nsyms, 2);
    assert_int_equal(chuanp_dynlib_load(&lib), 0);
    assert_non_null(fns[0]);
    assert_non_null(fns[1]);
    assert_true(((__typeof__(sqrt) *)fns[1])(16.0) == 4.0);
    assert_true(((__typeof__(cos) *)fns[0])(0.0) == 1.0);
    assert_string_equal(chuanp_dynlib_error(&lib), "");
    assert_int_equal(chuanp_dynlib_load(&lib), 0); /* once: the same table */
}

/* The table as its users declare it: names without their prefix, slots by name. */
#define M_FUNCS(X) X(rt) X(rtf)
CHUANP_DYNLIB_TABLE(m, "libm.so.6", "sq", M_FUNCS);

static void test_table_with_prefix(void **state)
{
    (void)state;
    assert_int_equal(m_lib.nsyms, 2);
    assert_int_equal(chuanp_dynlib_load(&m_lib), 0);
    assert_true(((__typeof__(sqrt) *)m_fns[SLOT_rt])(9.0) == 3.0);
    assert_true(((__typeof__(sqrtf) *)m_fns[SLOT_rtf])(4.0f) == 2.0f);
}

/* A table several files share: the slots and the extern table as their header declares them,
 * the table and the library as their one file defines them. */
#define C_FUNCS(X) X(brt) X(os)
CHUANP_DYNLIB_SLOTS(chuanp_test_c, C_FUNCS);
CHUANP_DYNLIB_SHARED(chuanp_test_c, "libm.so.6", "c", C_FUNCS);

static void test_shared_table(void **state)
{
    (void)state;
    assert_int_equal(chuanp_test_c_lib.nsyms, 2);
    assert_int_equal(chuanp_dynlib_load(&chuanp_test_c_lib), 0);
    assert_true(fabs(((__typeof__(cbrt) *)chuanp_test_c_fns[SLOT_brt])(27.0) - 3.0) < 1e-12);
    assert_true(((__typeof__(cos) *)chuanp_test_c_fns[SLOT_os])(0.0) == 1.0);
}

/* A data symbol (libxslt's xsltLibxsltVersion; here libm's signgam): found once the library is
 * loaded, never before, NULL when the library lacks it. */
static void test_data_symbol(void **state)
{
    (void)state;
    static const char *const names[] = {"lgamma"};
    static chuanp_dynfn fns[1];
    static chuanp_dynlib lib = CHUANP_DYNLIB_INIT("libm.so.6", "", names, fns);
    assert_null(chuanp_dynlib_data(&lib, "signgam"));
    assert_int_equal(chuanp_dynlib_load(&lib), 0);
    const int *sg = chuanp_dynlib_data(&lib, "signgam");
    assert_non_null(sg);
    ((__typeof__(lgamma) *)fns[0])(-0.5); /* Gamma(-0.5) < 0 */
    assert_int_equal(*sg, -1);
    assert_null(chuanp_dynlib_data(&lib, "chuan_no_such_data"));
    static chuanp_dynlib none = CHUANP_DYNLIB_INIT("libchuan-no-such.so.9", "", names, fns);
    assert_int_equal(chuanp_dynlib_load(&none), -1);
    assert_null(chuanp_dynlib_data(&none, "signgam"));
}

static void test_missing_library(void **state)
{
    (void)state;
    static const char *const names[] = {"f"};
    static chuanp_dynfn fns[1];
    static chuanp_dynlib lib = CHUANP_DYNLIB_INIT("libchuan-no-such.so.9", "", names, fns);
    assert_int_equal(chuanp_dynlib_load(&lib), -1);
    assert_non_null(strstr(chuanp_dynlib_error(&lib), "libchuan-no-such.so.9"));
    assert_null(fns[0]);
    assert_int_equal(chuanp_dynlib_load(&lib), -1); /* kept, not retried */
    assert_non_null(strstr(chuanp_dynlib_error(&lib), "libchuan-no-such.so.9"));
}

static void test_missing_symbol(void **state)
{
    (void)state;
    static const char *const names[] = {"cos", "chuan_no_such_function"};
    static chuanp_dynfn fns[2];
    static chuanp_dynlib lib = CHUANP_DYNLIB_INIT("libm.so.6", "", names, fns);
    assert_int_equal(chuanp_dynlib_load(&lib), -1);
    assert_non_null(strstr(chuanp_dynlib_error(&lib), "chuan_no_such_function"));
    assert_null(fns[0]); /* no half-filled table */
    assert_null(fns[1]);
}

static const char *const thread_names[] = {"sqrt"};
static chuanp_dynfn thread_fns[1];
static chuanp_dynlib thread_lib = CHUANP_DYNLIB_INIT("libm.so.6", "", thread_names, thread_fns);

static void *load_in_thread(void *arg)
{
    (void)arg;
    if (chuanp_dynlib_load(&thread_lib) != 0 || !thread_fns[0])
        return (void *)1;
    return ((__typeof__(sqrt) *)thread_fns[0])(9.0) == 3.0 ? NULL : (void *)1;
}

static void test_threads(void **state)
{
    (void)state;
    pthread_t t[8];
    for (int i = 0; i < 8; i++)
        assert_int_equal(pthread_create(&t[i], NULL, load_in_thread, NULL), 0);
    for (int i = 0; i < 8; i++) {
        void *r = (void *)1;
        assert_int_equal(pthread_join(t[i], &r), 0);
        assert_null(r);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_loads_and_calls),
        cmocka_unit_test(test_table_with_prefix),
        cmocka_unit_test(test_shared_table),
        cmocka_unit_test(test_data_symbol),
        cmocka_unit_test(test_missing_library),
        cmocka_unit_test(test_missing_symbol),
        cmocka_unit_test(test_threads),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
