/* core/arena.c - bump allocator for parsed documents and records. */
#include "core.h"

#include <stdlib.h>
#include <string.h>

struct chuanp_arena_block {
    chuanp_arena_block *next;
    size_t size, used;
    max_align_t data[];
};

void chuanp_arena_init(chuanp_arena *a, size_t block_size)
{
    memset(a, 0, sizeof *a);
    a->block_size = block_size ? block_size : 64 * 1024;
}

void *chuanp_arena_alloc(chuanp_arena *a, size_t size)
{
    size = (size + 15) & ~(size_t)15;
    if (size == 0)
        size = 16;
    if (a->limit && a->total + size > a->limit)
        return NULL;
    chuanp_arena_block *b = a->head;
    if (!b || b->size - b->used < size) {
        size_t bs = a->block_size;
        if (size > bs / 4) {
            /* big allocation: its own block, kept behind the head */
            chuanp_arena_block *big = chuanp_malloc(sizeof *big + size);
            if (!big)
                return NULL;
            big->size = size;
            big->used = size;
            if (b) {
                big->next = b->next;
                b->next = big;
            } else {
                big->next = NULL;
                a->head = big;
            }
            a->total += size;
            return big->data;
        }
        b = chuanp_malloc(sizeof *b + bs);
        if (!b)
            return NULL;
        b->size = bs;
        b->used = 0;
        b->next = a->head;
        a->head = b;
    }
    void *p = (char *)b->data + b->used;
    b->used += size;
    a->total += size;
    return p;
}

char *chuanp_arena_strndup(chuanp_arena *a, const char *s, size_t len)
{
    char *p = chuanp_arena_alloc(a, len + 1);
    if (!p)
        return NULL;
    if (len)
        memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void chuanp_arena_reset(chuanp_arena *a)
{
    /* keep one regular block (the last allocated of the standard size) */
    chuanp_arena_block *keep = NULL, *b = a->head;
    while (b) {
        chuanp_arena_block *next = b->next;
        if (!keep && b->size == a->block_size) {
            keep = b;
        } else {
            chuanp_free(b);
        }
        b = next;
    }
    if (keep) {
        keep->next = NULL;
        keep->used = 0;
    }
    a->head = keep;
    a->total = 0;
}

void chuanp_arena_free(chuanp_arena *a)
{
    if (!a)
        return;
    chuanp_arena_block *b = a->head;
    while (b) {
        chuanp_arena_block *next = b->next;
        chuanp_free(b);
        b = next;
    }
    a->head = NULL;
    a->total = 0;
}
