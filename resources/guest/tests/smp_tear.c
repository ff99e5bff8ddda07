// SMP: single-copy atomicity of aligned 64-bit accesses (Arm ARM B2.2.1). CPU 1
// stores alternating 0 and ~0 with plain STR and STP (each doubleword of a pair is
// single-copy atomic); CPU 0 reads with plain LDR and LDP and counts values with
// one half from each store (a torn read). Deterministic output:
// 0 torn reads. Needs two CPUs (with one, it reports that and exits).
//! timeout: 60
#include "common.h"

#define READS 20000
static volatile uint64_t word, pair[2] __attribute__((aligned(16)));
static uint32_t stop, started;

static int ok(uint64_t v) { return v == 0 || v == ~0ULL; }

static void writer(uint64_t a) {
    (void)a;
    __atomic_store_n(&started, 1, __ATOMIC_RELEASE);
    for (uint32_t i = 0; !__atomic_load_n(&stop, __ATOMIC_RELAXED); i++) {
        uint64_t v = (i & 1) ? ~0ULL : 0, u = ~v;
        __asm__ volatile("str %0, [%2]\n stp %0, %1, [%3]" ::"r"(v), "r"(u), "r"(&word), "r"(pair) : "memory");
    }
}

int main(void) {
    if (rt_cpu_count() < 2) {
        printf("needs 2 cpus\n");
        return 0;
    }
    rt_cpu_start(1, writer, 0);
    while (!__atomic_load_n(&started, __ATOMIC_ACQUIRE)) {
    }
    /* Read until the writer has been seen changing the word READS times (bounded). */
    uint64_t verbose = rt_arg(0), cap = verbose ? 1000 * READS : 50 * READS;
    uint64_t torn = 0, changes = 0, last = 0, reads = 0;
    for (; changes < READS && reads < cap; reads++) {
        uint64_t v, p0, p1;
        __asm__ volatile("ldr %0, [%3]\n ldp %1, %2, [%4]" : "=&r"(v), "=&r"(p0), "=&r"(p1) : "r"(&word), "r"(pair) : "memory");
        torn += !ok(v) + !ok(p0) + !ok(p1);
        changes += v != last;
        last = v;
    }
    __atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
    printf("torn reads: %lu\n", torn);
    /* --append 1: also say whether the writer really ran concurrently (timing dependent: not
       part of the output compared with QEMU, whose round-robin TCG may run the reader alone). */
    if (verbose) printf("writer seen changing %u times: %s\n", READS, changes >= READS ? "yes" : "no");
    return 0;
}
