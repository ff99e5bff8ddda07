// SMP: every CPU adds to shared counters ITER times, one under an LDAXR/STXR
// spinlock, one with LSE LDADD; CPU 0 checks the totals. Runs on any number of
// CPUs (the diff suite runs it with one; test/smp runs it with 2 and 4 against
// QEMU -smp N).
//! cflags: -march=armv8.1-a
#include "common.h"

#define ITER 20000

static uint32_t lock;
static uint64_t locked_total;
static uint64_t atomic_total;
static uint32_t done[RT_MAX_CPUS];

static void spin_lock(uint32_t *l) {
    uint32_t tmp, busy;
    __asm__ volatile("1: ldaxr %w0, [%2]\n"
                     "   cbnz %w0, 1b\n"
                     "   mov %w1, #1\n"
                     "   stxr %w0, %w1, [%2]\n"
                     "   cbnz %w0, 1b\n"
                     : "=&r"(tmp), "=&r"(busy)
                     : "r"(l)
                     : "memory");
}

static void spin_unlock(uint32_t *l) { __asm__ volatile("stlr wzr, [%0]" : : "r"(l) : "memory"); }

static void work(uint64_t cpu) {
    for (int i = 0; i < ITER; i++) {
        spin_lock(&lock);
        locked_total = locked_total + 1;
        spin_unlock(&lock);
        __atomic_fetch_add(&atomic_total, 1, __ATOMIC_RELAXED); /* LDADD with -march=armv8.1-a */
    }
    __atomic_store_n(&done[cpu], 1, __ATOMIC_RELEASE);
}

int main(void) {
    int n = rt_cpu_count();
    for (int c = 1; c < n; c++) {
        int st = rt_cpu_start(c, work, (uint64_t)c);
        if (st != 0) printf("CPU_ON %d failed: %d\n", c, st);
    }
    work(0);
    for (int c = 1; c < n; c++)
        while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE)) {
        }
    uint64_t expect = (uint64_t)n * ITER;
    printf("cpus %d\n", n);
    printf("locked total %lu (expected %lu)\n", locked_total, expect);
    printf("atomic total %lu (expected %lu)\n", atomic_total, expect);
    return locked_total == expect && atomic_total == expect ? 0 : 1;
}
