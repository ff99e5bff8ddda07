// Self-modifying and generated code with the cache maintenance the architecture requires
// (Arm ARM D7.5.9: DC CVAU, DSB ISH, IC IVAU, DSB ISH, ISB; or IC IALLU): a JIT-style buffer
// rewritten and re-run many times, a loop regenerated with other constants, a compiled function
// in .text overwritten, and an instruction patched further on in the code that patches it.
#include "common.h"

static uint32_t jit[256] __attribute__((aligned(64)));

static unsigned ctr_line(int shift) {
    uint64_t ctr;
    __asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
    return 4u << ((ctr >> shift) & 0xf);
}

/* Make [start, start + len) fetchable as instructions: clean D to PoU, invalidate I by VA. */
static void sync_icache(void *start, size_t len) {
    uintptr_t a, end = (uintptr_t)start + len;
    unsigned dline = ctr_line(16), iline = ctr_line(0);
    for (a = (uintptr_t)start & ~(uintptr_t)(dline - 1); a < end; a += dline) __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb ish" ::: "memory");
    for (a = (uintptr_t)start & ~(uintptr_t)(iline - 1); a < end; a += iline) __asm__ volatile("ic ivau, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb ish\n isb" ::: "memory");
}

/* The same with IC IALLU (whole instruction cache, this PE). */
static void sync_icache_all(void *start, size_t len) {
    uintptr_t a, end = (uintptr_t)start + len;
    unsigned dline = ctr_line(16);
    for (a = (uintptr_t)start & ~(uintptr_t)(dline - 1); a < end; a += dline) __asm__ volatile("dc cvau, %0" ::"r"(a) : "memory");
    __asm__ volatile("dsb ish\n ic iallu\n dsb ish\n isb" ::: "memory");
}

#define MOVZ_X0(imm) (0xd2800000u | ((uint32_t)(imm) << 5))
#define ADD_X0_X0(imm) (0x91000000u | ((uint32_t)(imm) << 10))
#define RET 0xd65f03c0u

typedef uint64_t (*fn_t)(uint64_t);

__attribute__((noipa)) uint64_t compiled(uint64_t x) { return x * 3 + 1; }

int main(void) {
    fn_t f = (fn_t)(uintptr_t)jit;
    /* 1. one buffer rewritten 32 times, alternating IC IVAU and IC IALLU */
    uint64_t h = MIX_INIT;
    for (int i = 0; i < 32; i++) {
        jit[0] = MOVZ_X0(1000 + i * 7);
        jit[1] = RET;
        if (i & 1)
            sync_icache_all(jit, 8);
        else
            sync_icache(jit, 8);
        uint64_t r = f(0);
        h = mix64(h, r);
        if (i < 4 || i == 31) printf("rewrite %d: %lu\n", i, r);
    }
    printf("rewrites hash %016lx\n", h);

    /* 2. a generated straight-line loop body: n additions of k, regenerated with other n, k */
    for (int k = 1; k <= 5; k++) {
        int n = 10 + 37 * k;
        for (int j = 0; j < n; j++) jit[j] = ADD_X0_X0(k);
        jit[n] = RET;
        sync_icache(jit, 4 * (n + 1));
        printf("generated %d x add #%d: %lu\n", n, k, f(100));
    }

    /* 3. a compiled function in .text overwritten after it ran */
    printf("compiled(5) before patch: %lu\n", compiled(5));
    uint32_t *text = (uint32_t *)(uintptr_t)compiled;
    text[0] = MOVZ_X0(4242);
    text[1] = RET;
    sync_icache(text, 8);
    printf("compiled(5) after patch: %lu\n", compiled(5));

    /* 4. patch an instruction a few words ahead of the code that patches it (one straight run) */
    register uint64_t x0 __asm__("x0");
    __asm__ volatile(
        "adr x2, 1f\n"
        "ldr w1, 2f\n"
        "str w1, [x2]\n"
        "dc cvau, x2\n"
        "dsb ish\n"
        "ic ivau, x2\n"
        "dsb ish\n"
        "isb\n"
        "1: mov x0, #1\n"
        "b 3f\n"
        "2: movz x0, #55\n"
        "3:\n"
        : "=r"(x0)
        :
        : "x1", "x2", "memory");
    printf("patched ahead: %lu\n", x0);
    return 0;
}
