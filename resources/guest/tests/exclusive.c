// Exclusives and acquire/release: LDXR/STXR (B/H/W/X), LDAXR/STLXR, LDXP/STXP
// and LDAXP/STLXP (W and X pairs), STXR failing after CLREX or without a
// preceding LDXR, LDAR/STLR (B/H/W/X), LDAPR (RCpc), and an LL/SC
// atomic-increment loop as gcc emits for __atomic builtins.
//! cflags: -march=armv8.3-a
#include "common.h"

static uint64_t mem[8] __attribute__((aligned(64)));

static void reset(void) {
    mem[0] = 0x0123456789abcdefULL;
    mem[1] = 0xfedcba9876543210ULL;
    mem[2] = 0x1111222233334444ULL;
    mem[3] = 0x5555666677778888ULL;
}

#define XCHG(ld, st, regmod)                                                                        \
    ({                                                                                              \
        uint64_t _old, _st, _tmp;                                                                   \
        reset();                                                                                    \
        __asm__ volatile(ld " %" regmod "0, [%3]\n"                                                 \
                         "add %" regmod "2, %" regmod "0, #0x101\n"                                 \
                         st " %w1, %" regmod "2, [%3]\n"                                            \
                         : "=&r"(_old), "=&r"(_st), "=&r"(_tmp)                                     \
                         : "r"(mem)                                                                 \
                         : "memory");                                                               \
        printf("%-6s/%-6s old=%016lx status=%lu mem=%016lx\n", ld, st, _old, _st, mem[0]);          \
    })

int main(void) {
    XCHG("ldxrb", "stxrb", "w");
    XCHG("ldxrh", "stxrh", "w");
    XCHG("ldxr", "stxr", "w");
    XCHG("ldxr", "stxr", "");
    XCHG("ldaxrb", "stlxrb", "w");
    XCHG("ldaxrh", "stlxrh", "w");
    XCHG("ldaxr", "stlxr", "w");
    XCHG("ldaxr", "stlxr", "");

    uint64_t st1, st2, old;
    reset();
    /* STXR after a successful STXR (monitor now open) must fail. */
    __asm__ volatile("ldxr %0, [%3]\n stxr %w1, %0, [%3]\n stxr %w2, xzr, [%3]"
                     : "=&r"(old), "=&r"(st1), "=&r"(st2) : "r"(mem) : "memory");
    printf("stxr twice: status %lu then %lu mem=%016lx\n", st1, st2, mem[0]);
    reset();
    __asm__ volatile("ldxr %0, [%2]\n clrex\n stxr %w1, xzr, [%2]" : "=&r"(old), "=&r"(st1) : "r"(mem) : "memory");
    printf("clrex: status %lu mem=%016lx\n", st1, mem[0]);
    reset();
    __asm__ volatile("ldxr %0, [%2]\n clrex #5\n stxr %w1, xzr, [%2]" : "=&r"(old), "=&r"(st1) : "r"(mem) : "memory");
    printf("clrex #5: status %lu mem=%016lx\n", st1, mem[0]);

    /* pairs */
    uint64_t a, b;
    reset();
    __asm__ volatile("ldxp %0, %1, [%4]\n add %0, %0, #1\n sub %1, %1, #1\n stxp %w2, %1, %0, [%4]\n"
                     "stxp %w3, %0, %1, [%4]"
                     : "=&r"(a), "=&r"(b), "=&r"(st1), "=&r"(st2) : "r"(mem) : "memory");
    printf("ldxp x: %016lx %016lx status %lu, again %lu mem=%016lx %016lx\n", a, b, st1, st2, mem[0], mem[1]);
    reset();
    __asm__ volatile("ldaxp %w0, %w1, [%3]\n stlxp %w2, %w1, %w0, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st1) : "r"(mem + 2) : "memory");
    printf("ldaxp w: %016lx %016lx status %lu mem=%016lx\n", a, b, st1, mem[2]);
    reset();
    __asm__ volatile("ldaxp %0, %1, [%3]\n clrex\n stlxp %w2, xzr, xzr, [%3]"
                     : "=&r"(a), "=&r"(b), "=&r"(st1) : "r"(mem + 2) : "memory");
    printf("ldaxp/clrex/stlxp: status %lu mem=%016lx %016lx\n", st1, mem[2], mem[3]);

    /* load-acquire / store-release */
    reset();
    uint64_t r[6];
    __asm__ volatile("ldarb %w0, [%6]\n ldarh %w1, [%6]\n ldar %w2, [%6]\n ldar %3, [%6]\n"
                     "ldaprb %w4, [%7]\n ldapr %5, [%7]\n"
                     : "=&r"(r[0]), "=&r"(r[1]), "=&r"(r[2]), "=&r"(r[3]), "=&r"(r[4]), "=&r"(r[5])
                     : "r"(mem + 1), "r"(mem + 3)
                     : "memory");
    printf("ldar: %lx %lx %lx %lx ldapr: %lx %lx\n", r[0], r[1], r[2], r[3], r[4], r[5]);
    __asm__ volatile("stlrb %w0, [%1]\n stlrh %w0, [%2]\n stlr %w0, [%3]\n stlr %0, [%4]\n"
                     :
                     : "r"(0xa1a2a3a4a5a6a7a8ULL), "r"(mem), "r"((char *)mem + 8), "r"((char *)mem + 16), "r"(mem + 3)
                     : "memory");
    printf("stlr: %016lx %016lx %016lx %016lx\n", mem[0], mem[1], mem[2], mem[3]);

    /* __atomic builtins with -mno-outline-atomics on armv8.0-style code: LL/SC loops */
    uint64_t counter = 0;
    uint32_t c32 = 0xfffffff0u;
    for (int i = 0; i < 1000; i++) {
        __atomic_fetch_add(&counter, (uint64_t)i, __ATOMIC_SEQ_CST);
        __atomic_fetch_xor(&c32, (uint32_t)i * 0x9e3779b9u, __ATOMIC_RELAXED);
    }
    uint64_t expected = 5;
    int ok = __atomic_compare_exchange_n(&counter, &expected, 1, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    printf("atomics: counter=%lu c32=%08x cas-fail=%d expected<-%lu\n", counter, c32, ok, expected);
    ok = __atomic_compare_exchange_n(&counter, &expected, 7, 0, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST);
    uint64_t prev = __atomic_exchange_n(&counter, 9, __ATOMIC_ACQ_REL);
    printf("atomics: cas-ok=%d xchg returned %lu, counter=%lu\n", ok, prev, counter);
    return 0;
}
