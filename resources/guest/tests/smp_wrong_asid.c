// SMP, deliberately wrong: CPU 0 remaps a non-global page (nG = 1, tagged with the
// running ASID) 50 times with break, DSB, TLBI ASIDE1IS, DSB ISH, make -- but the TLBI
// names another ASID (the running one + 1), so it removes nothing the other CPUs hold.
// `armlab run --check` must report it (bbm at the make, stale uses by the readers);
// with --append 1 the TLBI names the running ASID and the checker must stay silent
// (test/smp/checker.test.ts). The output is only "cpus N" and "done".
#include "common.h"

#define VA 0x80000000ULL /* L1 slot 2 of the runtime's 39-bit identity map is free */
#define PAGE_ATTRS \
    ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (3ULL << 8) | (1ULL << 10) | (1ULL << 11) /* nG */ | (1ULL << 54))

static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint64_t page[2][512] __attribute__((aligned(4096)));
static uint32_t stop, ready[RT_MAX_CPUS], done[RT_MAX_CPUS];

/* Translation faults while the entry is invalid (a break window): retry. */
static int retry_fault(rt_frame *f) {
    if (ESR_EC(f->esr) == 0x25 && (f->far & ~0xfffULL) == VA) return RT_RESUME;
    return RT_UNHANDLED;
}

static void reader(uint64_t cpu) {
    uint64_t sum = 0;
    __atomic_store_n(&ready[cpu], 1, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&stop, __ATOMIC_ACQUIRE)) sum += *(volatile uint64_t *)VA;
    (void)sum;
    __atomic_store_n(&done[cpu], 1, __ATOMIC_RELEASE);
}

int main(void) {
    rt_set_sync_handler(retry_fault);
    uint64_t ttbr, tcr;
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
    __asm__ volatile("mrs %0, tcr_el1" : "=r"(tcr));
    uint64_t asid_mask = (tcr >> 36) & 1 ? 0xffff : 0xff;
    uint64_t asid = ((tcr >> 22) & 1) ? 0 : (ttbr >> 48) & asid_mask; /* TCR.A1 = 0: TTBR0's ASID */
    if ((tcr >> 22) & 1) {
        uint64_t ttbr1;
        __asm__ volatile("mrs %0, ttbr1_el1" : "=r"(ttbr1));
        asid = (ttbr1 >> 48) & asid_mask;
    }
    uint64_t tlbi_asid = rt_arg(0) ? asid : (asid + 1) & asid_mask;
    uint64_t *l1 = (uint64_t *)(ttbr & 0xfffffffff000ULL);
    l2[0] = (uint64_t)l3 | 3;
    l3[0] = (uint64_t)&page[0][0] | PAGE_ATTRS;
    l1[2] = (uint64_t)l2 | 3;
    __asm__ volatile("dsb ishst\n isb" ::: "memory");
    int n = rt_cpu_count();
    for (int c = 1; c < n; c++) rt_cpu_start(c, reader, (uint64_t)c);
    for (int c = 1; c < n; c++)
        while (!__atomic_load_n(&ready[c], __ATOMIC_ACQUIRE)) {
        }
    for (int g = 1; g <= 50; g++) {
        l3[0] = 0;
        __asm__ volatile("dsb ishst\n tlbi aside1is, %0\n dsb ish" ::"r"(tlbi_asid << 48) : "memory");
        l3[0] = (uint64_t)&page[g & 1][0] | PAGE_ATTRS;
        __asm__ volatile("dsb ishst\n isb" ::: "memory");
        for (volatile int d = 0; d < 200; d++) {
        }
    }
    /* A correct final flush, so every CPU ends on the same translation. */
    __asm__ volatile("dsb ishst\n tlbi vmalle1is\n dsb ish\n isb" ::: "memory");
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    for (int c = 1; c < n; c++)
        while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE)) {
        }
    printf("cpus %d\ndone\n", n);
    return 0;
}
