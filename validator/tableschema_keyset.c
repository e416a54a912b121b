/* validator/tableschema_keyset.c - a set of distinct byte-string keys (unique, primaryKey,
 * foreignKeys). Memory: one entry per distinct key: the key bytes + 12, rounded up to 16,
 * plus two 16-byte slots (the table is kept at most half full). */
#include "tableschema_int.h"

#include <stdlib.h>
#include <string.h>

typedef struct ks_entry {
    long row;
    uint32_t len;
    char key[];
} ks_entry;

typedef struct ks_slot {
    uint32_t hash;
    ks_entry *e;
} ks_slot;

struct ts_keyset {
    ks_slot *slots;
    size_t nslots, count;
    chuanp_arena arena;
};

ts_keyset *chuanp_ts_keyset_new(void)
{
    ts_keyset *s = chuanp_calloc(1, sizeof *s);
    if (!s)
        return NULL;
    s->nslots = 1024;
    s->slots = chuanp_calloc(s->nslots, sizeof *s->slots);
    if (!s->slots) {
        chuanp_free(s);
        return NULL;
    }
    chuanp_arena_init(&s->arena, 256 * 1024);
    return s;
}

void chuanp_ts_keyset_free(ts_keyset *s)
{
    if (!s)
        return;
    chuanp_free(s->slots);
    chuanp_arena_free(&s->arena);
    chuanp_free(s);
}

static ks_slot *ks_find(ks_slot *slots, size_t nslots, uint32_t h, const char *key, size_t len)
{
    size_t i = (size_t)h & (nslots - 1);
    while (slots[i].e) {
        const ks_entry *e = slots[i].e;
        if (slots[i].hash == h && e->len == len && chuanp_key_eq(e->key, key, len))
            break;
        i = (i + 1) & (nslots - 1);
    }
    return &slots[i];
}

static int ks_grow(ts_keyset *s)
{
    size_t n = s->nslots * 2;
    ks_slot *slots = chuanp_calloc(n, sizeof *slots);
    if (!slots)
        return -1;
    for (size_t i = 0; i < s->nslots; i++)
        if (s->slots[i].e)
            *ks_find(slots, n, s->slots[i].hash, s->slots[i].e->key, s->slots[i].e->len) =
                s->slots[i];
    chuanp_free(s->slots);
    s->slots = slots;
    s->nslots = n;
    return 0;
}

int chuanp_ts_keyset_add(ts_keyset *s, const char *key, size_t len, long row, long *first_row)
{
    if (len > UINT32_MAX)
        return -1;
    if ((s->count + 1) * 2 > s->nslots && ks_grow(s) < 0)
        return -1;
    uint32_t h = chuanp_key_hash(key, len);
    ks_slot *slot = ks_find(s->slots, s->nslots, h, key, len);
    if (slot->e) {
        if (first_row)
            *first_row = slot->e->row;
        return 0;
    }
    ks_entry *e = chuanp_arena_alloc(&s->arena, sizeof *e + len + 1);
    if (!e)
        return -1;
    e->row = row;
    e->len = (uint32_t)len;
    memcpy(e->key, key, len);
    e->key[len] = '\0';
    slot->hash = h;
    slot->e = e;
    s->count++;
    return 1;
}

int chuanp_ts_keyset_has(const ts_keyset *s, const char *key, size_t len)
{
    uint32_t h = chuanp_key_hash(key, len);
    return ks_find(s->slots, s->nslots, h, key, len)->e != NULL;
}

void chuanp_ts_keyset_each(const ts_keyset *s, void (*fn)(void *ctx, const char *key, size_t len,
                                                          long row), void *ctx)
{
    for (size_t i = 0; i < s->nslots; i++)
        if (s->slots[i].e)
            fn(ctx, s->slots[i].e->key, s->slots[i].e->len, s->slots[i].e->row);
}
