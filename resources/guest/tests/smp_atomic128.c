// SMP: 128-bit atomics are single-copy atomic across vCPUs. Every CPU increments a
// 128-bit pair whose two halves must stay equal, alternating CASP (LSE) and an
// LDXP/STXP loop; an LDXP whose STXP succeeds must not have seen the halves differ (half
// of another CPU's update: a 128-bit LDXP is single-copy atomic only when its STXP
// succeeds, Arm ARM). Deterministic output: the final pair and 0 inconsistent reads.
//! cflags: -march=armv8.1-a
//! timeout: 60
#include "common.h"

#define ITER 3000
static volatile uint64_t pair[2] __attribute__((aligned(16)));
static uint64_t bad[RT_MAX_CPUS];
static uint32_t done[RT_MAX_CPUS];

static void inc_casp(void) {
    for (;;) {
        register uint64_t e0 __asm__("x0") = pair[0];
        register uint64_t e1 __asm__("x1") = pair[1];
        register uint64_t n0 __asm__("x2") = e0 + 1;
        register uint64_t n1 __asm__("x3") = e0 + 1;
        uint64_t w0 = e0, w1 = e1;
        if (w0 != w1) continue; /* a plain read may be between two updates: retry */
        __asm__ volatile("caspal x0, x1, x2, x3, [%4]" : "+r"(e0), "+r"(e1) : "r"(n0), "r"(n1), "r"(pair) : "memory");
        if (e0 == w0 && e1 == w1) return;
    }
}

static uint64_t inc_ldxp(void) {
    uint64_t lo, hi;
    uint32_t st;
    do {
        __asm__ volatile("ldaxp %0, %1, [%2]" : "=&r"(lo), "=&r"(hi) : "r"(pair) : "memory");
        __asm__ volatile("stlxp %w0, %1, %2, [%3]" : "=&r"(st) : "r"(lo + 1), "r"(lo + 1), "r"(pair) : "memory");
    } while (st != 0);
    return lo != hi;
}

static void work(uint64_t cpu) {
    uint64_t b = 0;
    for (int i = 0; i < ITER; i++) {
        inc_casp();
        b += inc_ldxp();
    }
    bad[cpu] = b;
    __atomic_store_n(&done[cpu], 1, __ATOMIC_RELEASE);
}

int main(void) {
    int n = rt_cpu_count();
    for (int c = 1; c < n; c++) rt_cpu_start(c, work, (uint64_t)c);
    work(0);
    uint64_t b = bad[0];
    for (int c = 1; c < n; c++) {
        while (!__atomic_load_n(&done[c], __ATOMIC_ACQUIRE)) {
        }
        b += bad[c];
    }
    printf("cpus %d\n", n);
    printf("pair %lu %lu (expected %lu)\n", pair[0], pair[1], (uint64_t)n * 2 * ITER);
    printf("inconsistent 128-bit reads: %lu\n", b);
    return 0;
}
