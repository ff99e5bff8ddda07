// "Real C" at -O2: an open-addressing hash table (string keys, FNV-1a,
// linear probing, tombstones, growth by rehash) driven by pseudo-random
// inserts, lookups and deletes, plus a chained table of integers using the
// runtime's heap. Prints counts and checksums.
#include "common.h"

struct entry {
    char key[24];
    uint64_t value;
    uint8_t state; /* 0 empty, 1 used, 2 deleted */
};

struct table {
    struct entry *slots;
    size_t cap, used, tombs;
};

static uint64_t fnv1a(const char *s) {
    uint64_t h = 0xcbf29ce484222325ULL;
    while (*s) h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
    return h;
}

static void t_init(struct table *t, size_t cap) {
    t->slots = rt_malloc(cap * sizeof *t->slots);
    memset(t->slots, 0, cap * sizeof *t->slots);
    t->cap = cap;
    t->used = t->tombs = 0;
}

static void t_put(struct table *t, const char *k, uint64_t v);

static void t_grow(struct table *t) {
    struct table n;
    t_init(&n, t->cap * 2);
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].state == 1) t_put(&n, t->slots[i].key, t->slots[i].value);
    *t = n;
}

static void t_put(struct table *t, const char *k, uint64_t v) {
    if ((t->used + t->tombs + 1) * 4 > t->cap * 3) t_grow(t);
    size_t i = fnv1a(k) & (t->cap - 1), tomb = (size_t)-1;
    for (;; i = (i + 1) & (t->cap - 1)) {
        struct entry *e = &t->slots[i];
        if (e->state == 0) {
            if (tomb != (size_t)-1) {
                e = &t->slots[tomb];
                t->tombs--;
            }
            memcpy(e->key, k, strlen(k) + 1);
            e->value = v;
            e->state = 1;
            t->used++;
            return;
        }
        if (e->state == 2 && tomb == (size_t)-1) tomb = i;
        if (e->state == 1 && strcmp(e->key, k) == 0) {
            e->value = v;
            return;
        }
    }
}

static struct entry *t_get(struct table *t, const char *k) {
    for (size_t i = fnv1a(k) & (t->cap - 1);; i = (i + 1) & (t->cap - 1)) {
        struct entry *e = &t->slots[i];
        if (e->state == 0) return 0;
        if (e->state == 1 && strcmp(e->key, k) == 0) return e;
    }
}

static int t_del(struct table *t, const char *k) {
    struct entry *e = t_get(t, k);
    if (!e) return 0;
    e->state = 2;
    t->used--;
    t->tombs++;
    return 1;
}

static void make_key(char *buf, uint64_t n) {
    rt_snprintf(buf, 24, "key-%lx-%lu", (unsigned long)(n * 0x9e3779b1UL & 0xffffff), (unsigned long)(n % 97));
}

struct node {
    uint64_t k, v;
    struct node *next;
};

int main(void) {
    struct table t;
    t_init(&t, 16);
    uint64_t s = 42, h = MIX_INIT;
    char key[24];
    unsigned puts = 0, hits = 0, misses = 0, dels = 0;
    for (int round = 0; round < 30000; round++) {
        uint64_t r = rt_rand64(&s);
        uint64_t n = r % 5000;
        make_key(key, n);
        switch ((r >> 32) % 4) {
        case 0:
        case 1:
            t_put(&t, key, r);
            puts++;
            break;
        case 2: {
            struct entry *e = t_get(&t, key);
            if (e) {
                hits++;
                h = mix64(h, e->value);
            } else
                misses++;
            break;
        }
        default:
            dels += t_del(&t, key);
        }
    }
    printf("open addressing: cap %lu used %lu tombs %lu puts %u hits %u misses %u dels %u hash %016lx\n", t.cap,
           t.used, t.tombs, puts, hits, misses, dels, h);
    uint64_t total = 0;
    for (size_t i = 0; i < t.cap; i++)
        if (t.slots[i].state == 1) total += t.slots[i].value ^ fnv1a(t.slots[i].key);
    printf("  content checksum %016lx\n", total);

    enum { NB = 1024 };
    struct node **bk = rt_malloc(NB * sizeof *bk);
    memset(bk, 0, NB * sizeof *bk);
    unsigned count = 0, maxchain = 0;
    for (uint64_t i = 0; i < 20000; i++) {
        uint64_t k = rt_rand64(&s) % 12000;
        struct node **pp = &bk[(k * 0x9e3779b97f4a7c15ULL) >> 54];
        while (*pp && (*pp)->k != k) pp = &(*pp)->next;
        if (*pp)
            (*pp)->v += i;
        else {
            struct node *nd = rt_malloc(sizeof *nd);
            nd->k = k;
            nd->v = i;
            nd->next = 0;
            *pp = nd;
            count++;
        }
    }
    uint64_t hv = MIX_INIT;
    for (unsigned b = 0; b < NB; b++) {
        unsigned len = 0;
        for (struct node *nd = bk[b]; nd; nd = nd->next, len++) hv = mix64(hv, nd->k * 31 + nd->v);
        if (len > maxchain) maxchain = len;
    }
    printf("chained: %u keys, longest chain %u, hash %016lx\n", count, maxchain, hv);
    return 0;
}
