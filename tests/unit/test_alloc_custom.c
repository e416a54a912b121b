/* tests/unit/test_alloc_custom.c - chuan_set_allocator(): memory libchuan allocates through a
 * custom allocator is released through it, never through libc's free (a block of this allocator
 * starts 16 bytes after what libc returned, so libc's free on it aborts). */
#include "unit.h"

#include "../../include/chuan.h"
#include "../../validator/standard.h"
#include "../../validator/validator.h"

#define MAGIC 0x43687561u /* "Chua" */
#define HDR 16

static size_t live;

static void *my_malloc(size_t n)
{
    unsigned char *p = (malloc)(n + HDR);
    if (!p)
        return NULL;
    *(unsigned *)p = MAGIC;
    live++;
    return p + HDR;
}

static void my_free(void *q)
{
    if (!q)
        return;
    unsigned char *p = (unsigned char *)q - HDR;
    assert_int_equal(*(unsigned *)p, MAGIC);
    *(unsigned *)p = 0;
    live--;
    (free)(p);
}

static void *my_realloc(void *q, size_t n)
{
    if (!q)
        return my_malloc(n);
    unsigned char *p = (unsigned char *)q - HDR;
    assert_int_equal(*(unsigned *)p, MAGIC);
    unsigned char *r = (realloc)(p, n + HDR);
    return r ? r + HDR : NULL;
}

/* A package whose model uses every keyword with compiled state (dateFormat,
 * codelist with a parent, personalId, compare, sumOf): compile and free it. */
static void test_standard_engine_releases_through_allocator(void **state)
{
    (void)state;
    const char *pkgs[] = {"tests/standards/mini", "standards/hotich", "standards/cbccvc"};
    for (size_t i = 0; i < sizeof pkgs / sizeof *pkgs; i++) {
        chuan_diags d;
        chuan_diags_init(&d, 0);
        chuanp_engine *e = NULL;
        chuanp_engine_opts o = {.type = CHUANP_SCHEMA_STANDARD, .standard = pkgs[i]};
        size_t before = live;
        assert_int_equal(chuanp_standard_engine_new(&e, &o, &d), 0);
        assert_true(live > before);
        chuanp_engine_free(e);
        chuan_diags_clear(&d);
    }
}

int main(void)
{
    if (chuan_set_allocator(my_malloc, my_realloc, my_free) != 0)
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standard_engine_releases_through_allocator),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
