// SMP TLB shootdown storm: CPU 0 remaps one VA between two physical pages with
// break-before-make (invalidate, TLBI VAE1IS, DSB ISH, write the new entry) and
// publishes each generation with a release store after its DSB; the other CPUs
// read the VA and check they never see a page older than the generation they
// observed (a stale translation used after the flush completed). Deterministic
// output: the number of generations and violations (0).
#include "common.h"

#define GENS_DEFAULT 300
static uint64_t GENS = GENS_DEFAULT; /* --append N: generations (benchmarks, long-running tests) */
#define VA 0x80000000ULL /* L1 slot 2 of the runtime's 39-bit identity map is free */

static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint64_t page[2][512] __attribute__((aligned(4096)));
static uint64_t published;
static uint32_t stop, ready[RT_MAX_CPUS], done[RT_MAX_CPUS];
static uint64_t violations[RT_MAX_CPUS], reads[RT_MAX_CPUS];

#define PAGE_ATTRS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) /* AttrIndx 1: Normal */ | (3ULL << 8) | (1ULL << 10) | (1ULL << 54))

/* Translation faults while the entry is invalid (break-before-make window): retry. */
static int retry_fault(rt_frame *f) {
    unsigned ec = ESR_EC(f->esr);
    if (ec == 0x25 && (f->far & ~0xfffULL) == VA) return RT_RESUME;
    return RT_UNHANDLED;
}

static void reader(uint64_t cpu) {
    __atomic_store_n(&ready[cpu], 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) {
        uint64_t g = __atomic_load_n(&published, __ATOMIC_ACQUIRE);
        uint64_t v = *(volatile uint64_t *)VA;
        if (v < g) violations[cpu]++;
        reads[cpu]++;
    }
    __atomic_store_n(&done[cpu], 1, __ATOMIC_RELEASE);
}

static void set_entry(uint64_t desc) {
    l3[0] = desc;
    __asm__ volatile("dsb ishst" ::: "memory");
}

int main(void) {
    GENS = rt_arg(GENS_DEFAULT);
    rt_set_sync_handler(retry_fault);
    uint64_t ttbr;
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
    uint64_t *l1 = (uint64_t *)(ttbr & 0xfffffffff000ULL);
    l2[0] = (uint64_t)l3 | 3;
    page[1][0] = 0; /* generation 0 lives in page 1 at first */
    set_entry((uint64_t)&page[1][0] | PAGE_ATTRS);
    l1[2] = (uint64_t)l2 | 3; /* invalid → table: no TLBI needed */
    __asm__ volatile("dsb ishst\n isb" ::: "memory");

    int n = rt_cpu_count();
    for (int c = 1; c < n; c++) rt_cpu_start(c, reader, (uint64_t)c);
    for (int c = 1; c < n; c++)
        while (!__atomic_load_n(&ready[c], __ATOMIC_ACQUIRE)) {
        }
    for (uint64_t g = 1; g <= GENS; g++) {
        volatile uint64_t *p = page[g & 1];
        p[0] = g;
        set_entry(0); /* break */
        __asm__ volatile("tlbi vae1is, %0\n dsb ish" : : "r"(VA >> 12) : "memory");
        set_entry((uint64_t)p | PAGE_ATTRS); /* make */
        __asm__ volatile("isb" ::: "memory");
        if (*(volatile uint64_t *)VA != g) violations[0]++;
        __atomic_store_n(&published, g, __ATOMIC_RELEASE);
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    uint64_t total = violations[0];
    for (int c = 1; c < n; c++) {
        while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE)) {
        }
        total += violations[c];
    }
    printf("cpus %d\n", n);
    printf("generations %lu, stale reads after the flush point: %lu\n", GENS, total);
    return total == 0 ? 0 : 1;
}
