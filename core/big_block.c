/*
 * core/big_block.c - large blocks: a batch run's chunks and their outputs.
 *
 * On the bench machine every first touch of a 4 KiB page of fresh memory
 * traps to the host; a page advised MADV_HUGEPAGE costs one trap per 2 MiB
 * (docs/performance.md). Where the default allocator is in use, a block of
 * BIG_MIN bytes or more therefore lives on such memory:
 *
 * - up to 2 MiB, as a run of GRAIN-sized pieces of a slab: a 2 MiB-aligned
 *   map of 2 MiB shared by several blocks. The first touch of a slab brings
 *   in and zeroes its whole huge page, so blocks are packed into as few
 *   slabs as they fit (first fit), and a block grows in place when the
 *   pieces after it are free. A 512 KiB chunk of CSV and its 1 MiB of
 *   NDJSON take 13 pieces (1.6 MiB) instead of two maps (4 MiB).
 * - beyond 2 MiB, as a map of its own, a multiple of 2 MiB; up to KEEP
 *   freed ones (KEEP_BYTES in all) are kept for the next block.
 *
 * Emptied slabs are kept too (KEEP_SLABS of them), so the chunks of a batch
 * run reuse memory already touched. With a custom allocator
 * (chuan_set_allocator), under AddressSanitizer (whose redzones guard only
 * the heap) or where mmap fails, blocks are ordinary allocations.
 *
 * A block's kind is told by its address (inside a slab), then by its
 * capacity: a map of its own has a multiple of 2 MiB, an ordinary block
 * never has one. One mutex guards the slabs and the kept maps.
 */
#include "core.h"

#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>

#define MAP_ALIGN ((size_t)2 << 20)  /* a huge page */
#define GRAIN ((size_t)128 << 10)    /* a slab's piece */
#define PIECES ((unsigned)(MAP_ALIGN / GRAIN)) /* 16: a slab's bits fit in 32 */
#define BIG_MIN GRAIN
#define SLAB_MAX 64                  /* 128 MiB of slabs; beyond, a block gets its own map */
#define KEEP_SLABS 16                /* empty slabs kept */
#define KEEP 16
#define KEEP_BYTES ((size_t)64 << 20)

#if defined(__SANITIZE_ADDRESS__)
#define BIG_MAPS 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define BIG_MAPS 0
#endif
#endif
#ifndef BIG_MAPS
#define BIG_MAPS 1
#endif

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct {
    char *p;
    uint32_t used; /* bit i: piece i is part of a block */
} slabs[SLAB_MAX];
static int nslabs;
static struct {
    void *p;
    size_t cap;
} kept[KEEP];
static int nkept;
static size_t kept_bytes;

static int use_maps(void)
{
    return chuanp_alloc_default() && BIG_MAPS;
}

static int own_map(size_t cap)
{
    return cap >= MAP_ALIGN && cap % MAP_ALIGN == 0;
}

static unsigned pieces(size_t n)
{
    return (unsigned)((n + GRAIN - 1) / GRAIN);
}

static uint32_t run(unsigned k, unsigned at)
{
    return (uint32_t)(((uint64_t)1 << k) - 1) << at;
}

/* A new map of cap bytes (a multiple of MAP_ALIGN), aligned to MAP_ALIGN and
 * advised MADV_HUGEPAGE, or NULL. */
static char *new_map(size_t cap)
{
    if (cap > SIZE_MAX - MAP_ALIGN)
        return NULL;
    size_t span = cap + MAP_ALIGN;
    char *m = mmap(NULL, span, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (m == MAP_FAILED)
        return NULL;
    char *p = (char *)(((uintptr_t)m + MAP_ALIGN - 1) & ~(uintptr_t)(MAP_ALIGN - 1));
    if (p > m)
        munmap(m, (size_t)(p - m));
    if (m + span > p + cap)
        munmap(p + cap, (size_t)(m + span - (p + cap)));
#ifdef MADV_HUGEPAGE
    madvise(p, cap, MADV_HUGEPAGE); /* advice: without it the map works as well */
#endif
    return p;
}

/* Under mu: the slab holding p, or -1. */
static int slab_of(const void *p)
{
    const char *c = p;
    for (int i = 0; i < nslabs; i++)
        if (c >= slabs[i].p && c < slabs[i].p + MAP_ALIGN)
            return i;
    return -1;
}

/* Under mu: k free pieces in a row, from the first slab that has them (a
 * new slab when none has), or NULL. */
static char *slab_take(unsigned k)
{
    for (int pass = 0; pass < 2; pass++) {
        for (int i = 0; i < nslabs; i++)
            for (unsigned at = 0; at + k <= PIECES; at++)
                if (!(slabs[i].used & run(k, at))) {
                    slabs[i].used |= run(k, at);
                    return slabs[i].p + at * GRAIN;
                }
        if (pass > 0 || nslabs == SLAB_MAX)
            return NULL;
        char *m = new_map(MAP_ALIGN);
        if (!m)
            return NULL;
        slabs[nslabs].p = m;
        slabs[nslabs].used = 0;
        nslabs++;
    }
    return NULL;
}

/* Under mu: give back the pieces of the block at p (cap bytes) in slab i.
 * An emptied slab is kept, or unmapped when KEEP_SLABS are empty already. */
static void slab_give(int i, const char *p, size_t cap)
{
    slabs[i].used &= ~run(pieces(cap), (unsigned)((size_t)(p - slabs[i].p) / GRAIN));
    if (slabs[i].used)
        return;
    int empty = 0;
    for (int j = 0; j < nslabs; j++)
        empty += slabs[j].used == 0;
    if (empty <= KEEP_SLABS)
        return;
    munmap(slabs[i].p, MAP_ALIGN);
    slabs[i] = slabs[--nslabs];
}

/* Under mu: the smallest kept map of at least *cap bytes (*cap set to its
 * size), or NULL. */
static void *kept_take(size_t *cap)
{
    int best = -1;
    for (int i = 0; i < nkept; i++)
        if (kept[i].cap >= *cap && (best < 0 || kept[i].cap < kept[best].cap))
            best = i;
    if (best < 0)
        return NULL;
    void *p = kept[best].p;
    *cap = kept[best].cap;
    kept_bytes -= *cap;
    kept[best] = kept[--nkept];
    return p;
}

void *chuanp_big_alloc(size_t n, size_t *cap)
{
    if (chuanp_alloc_begin() < 0)
        return NULL;
    void *p = NULL;
    size_t want = n ? n : 1;
    if (n >= BIG_MIN && use_maps()) {
        if (n > SIZE_MAX - 2 * MAP_ALIGN) {
            chuanp_alloc_note_failure();
            return NULL;
        }
        pthread_mutex_lock(&mu);
        if (n <= MAP_ALIGN) {
            want = pieces(n) * GRAIN;
            p = slab_take(pieces(n));
        } else {
            want = (n + MAP_ALIGN - 1) & ~(MAP_ALIGN - 1);
            p = kept_take(&want);
        }
        pthread_mutex_unlock(&mu);
        if (!p && n > MAP_ALIGN)
            p = new_map(want);
        if (!p) /* no map: an ordinary block, whose capacity must not read as a map's */
            want = n % MAP_ALIGN == 0 ? n + 1 : n;
    }
    if (!p && !(p = chuanp_alloc_counted(want)))
        return NULL;
    *cap = want;
    return p;
}

void chuanp_big_free(void *p, size_t cap)
{
    if (!p)
        return;
    if (!use_maps()) {
        chuanp_free(p);
        return;
    }
    pthread_mutex_lock(&mu);
    int i = slab_of(p);
    if (i >= 0) {
        slab_give(i, p, cap);
        p = NULL;
    } else if (own_map(cap) && nkept < KEEP && cap <= KEEP_BYTES - kept_bytes) {
        kept[nkept].p = p;
        kept[nkept].cap = cap;
        nkept++;
        kept_bytes += cap;
        p = NULL;
    }
    pthread_mutex_unlock(&mu);
    if (p && own_map(cap))
        munmap(p, cap);
    else if (p)
        chuanp_free(p);
}

/* Under mu: grow the slab block at p (*cap bytes) to n bytes where the
 * pieces after it are free. Returns 1 when it did. */
static int slab_grow(const char *p, size_t n, size_t *cap)
{
    int i = slab_of(p);
    if (i < 0 || n > MAP_ALIGN)
        return 0;
    unsigned at = (unsigned)((size_t)(p - slabs[i].p) / GRAIN), k = pieces(*cap), k2 = pieces(n);
    if (at + k2 > PIECES || (slabs[i].used & run(k2 - k, at + k)))
        return 0;
    slabs[i].used |= run(k2 - k, at + k);
    *cap = k2 * GRAIN;
    return 1;
}

void *chuanp_big_grow(void *p, size_t used, size_t n, size_t *cap)
{
    if (p && n <= *cap)
        return p;
    if (p && use_maps() && n <= MAP_ALIGN) {
        pthread_mutex_lock(&mu);
        int grown = slab_grow(p, n, cap);
        pthread_mutex_unlock(&mu);
        if (grown)
            return p; /* not an allocation: failure injection does not count it */
    }
    if (p && (!use_maps() || n < BIG_MIN)) {
        /* an ordinary block staying ordinary */
        void *q = chuanp_realloc(p, n);
        if (q)
            *cap = n;
        return q;
    }
    size_t ncap;
    void *q = chuanp_big_alloc(n, &ncap);
    if (!q)
        return NULL;
    if (p) {
        if (used)
            memcpy(q, p, used);
        chuanp_big_free(p, *cap);
    }
    *cap = ncap;
    return q;
}
