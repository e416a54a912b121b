/*
 * tests/torture/fixed_time.c - LD_PRELOAD shim for the torture run.
 *
 * libxml2 2.9.14 seeds its dictionaries and hash tables from time(NULL)
 * (dict.c, __xmlInitializeDict), so which names collide, and with them the
 * number and order of its allocations, change from one second to the next:
 * CHUAN_FAIL_ALLOC_AT=N would hit a different allocation from run to run.
 * With time() fixed, every run of a case makes the same allocations, and a
 * (case, N) pair of known-libxml2.txt always names the same one.
 */
#include <time.h>

time_t time(time_t *t)
{
    time_t v = 1796601600; /* 2026-12-07 00:00:00 UTC */
    if (t)
        *t = v;
    return v;
}
