// Load/store pair: LDP/STP for W and X (signed offset, pre-index, post-index,
// negative offsets), LDPSW, LDNP/STNP, LDP/STP of S, D and Q registers,
// pairs with XZR, and stack-style push/pop sequences.
#include "common.h"

static uint8_t buf[512] __attribute__((aligned(16)));

static uint64_t cks(void) {
    uint64_t h = MIX_INIT;
    for (int i = 0; i < 512; i += 8) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        h = mix64(h, w);
    }
    return h;
}

#define LDP(insn)                                                                                  \
    ({                                                                                             \
        uint64_t _a = 0x5a5a5a5a5a5a5a5aULL, _b = 0xa5a5a5a5a5a5a5a5ULL;                           \
        uint8_t *_p = base;                                                                        \
        __asm__ volatile(insn : "+r"(_a), "+r"(_b), "+r"(_p) : : "memory");                        \
        printf("  %-32s %016lx %016lx base%+ld\n", insn, _a, _b, (long)(_p - base));               \
    })
#define STP(insn)                                                                                  \
    ({                                                                                             \
        uint8_t *_p = base;                                                                        \
        __asm__ volatile(insn : "+r"(_p) : "r"(v1), "r"(v2) : "memory");                           \
        printf("  %-32s base%+ld buf=%016lx\n", insn, (long)(_p - base), cks());                   \
    })

int main(void) {
    for (int i = 0; i < 512; i++) buf[i] = (uint8_t)(0xe1 ^ (i * 13) ^ (i >> 4));
    uint8_t *base = buf + 256;
    LDP("ldp %0, %1, [%2]");
    LDP("ldp %0, %1, [%2, #-256]");
    LDP("ldp %0, %1, [%2, #240]");
    LDP("ldp %w0, %w1, [%2, #-256]");
    LDP("ldp %w0, %w1, [%2, #248]");
    LDP("ldp %0, %1, [%2, #16]!");
    LDP("ldp %0, %1, [%2, #-64]!");
    LDP("ldp %0, %1, [%2], #-16");
    LDP("ldp %w0, %w1, [%2], #252");
    LDP("ldp %w0, %w1, [%2, #-4]!");
    LDP("ldpsw %0, %1, [%2, #8]");
    LDP("ldpsw %0, %1, [%2, #-8]!");
    LDP("ldpsw %0, %1, [%2], #24");
    LDP("ldnp %0, %1, [%2, #-32]");
    LDP("ldnp %w0, %w1, [%2, #12]");
    const uint64_t v1 = 0x1122334455667788ULL, v2 = 0x99aabbccddeeff00ULL;
    STP("stp %1, %2, [%0]");
    STP("stp %w1, %w2, [%0, #-4]");
    STP("stp %1, %2, [%0, #-16]!");
    STP("stp %1, %2, [%0], #32");
    STP("stp %w1, %w2, [%0, #8]!");
    STP("stp %w1, %w2, [%0], #-8");
    STP("stp xzr, %2, [%0, #48]");
    STP("stp %1, xzr, [%0, #-48]");
    STP("stnp %1, %2, [%0, #64]");
    STP("stnp %w2, %w1, [%0, #-60]");
    uint64_t q[4];
    uint8_t *p = base;
    __asm__ volatile("ldp q0, q1, [%4, #-64]\n"
                     "ldp d2, d3, [%4, #8]\n"
                     "ldp s4, s5, [%4, #4]\n"
                     "fmov %0, d0\n mov %1, v1.d[1]\n fmov %2, d2\n"
                     "fmov w9, s5\n fmov w10, s4\n orr %3, x10, x9, lsl #32\n"
                     "stp q1, q0, [%4, #-32]!\n"
                     "stp d3, d2, [%4], #16\n"
                     "stp s5, s4, [%4, #100]\n"
                     "ldnp q6, q7, [%4, #-48]\n"
                     "stnp q7, q6, [%4, #128]\n"
                     : "=&r"(q[0]), "=&r"(q[1]), "=&r"(q[2]), "=&r"(q[3]), "+r"(p)
                     :
                     : "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "x9", "x10", "memory");
    printf("fp pairs: %016lx %016lx %016lx %016lx base%+ld buf=%016lx\n", q[0], q[1], q[2], q[3], (long)(p - base),
           cks());
    /* push/pop on the real stack */
    uint64_t a = 1, b = 2, c = 3, d = 4;
    __asm__ volatile("stp %0, %1, [sp, #-16]!\n"
                     "stp %2, %3, [sp, #-16]!\n"
                     "ldp %1, %0, [sp], #16\n"
                     "ldp %3, %2, [sp], #16\n"
                     : "+r"(a), "+r"(b), "+r"(c), "+r"(d)
                     :
                     : "memory");
    printf("push/pop: %lu %lu %lu %lu\n", a, b, c, d);
    return 0;
}
