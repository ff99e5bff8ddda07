// Branches: B.cond for all 16 conditions under all 16 NZCV values, CBZ/CBNZ
// and TBZ/TBNZ (32/64, bits 0/31/32/63), BL/BLR/BR/RET (incl. RET Xn), LR
// values, ADR/ADRP, a computed jump table and recursion through pointers.
#include "common.h"

#define COND_LIST(X) X(eq) X(ne) X(cs) X(cc) X(mi) X(pl) X(vs) X(vc) X(hi) X(ls) X(ge) X(lt) X(gt) X(le) X(al) X(nv)
#define DEF_BC(c)                                                                                \
    static int bc_##c(uint64_t nzcv) {                                                           \
        uint64_t r;                                                                              \
        __asm__ volatile("msr nzcv, %1\n b." #c " 1f\n mov %0, #0\n b 2f\n1: mov %0, #1\n2:"     \
                         : "=r"(r) : "r"(nzcv) : "cc");                                          \
        return (int)r;                                                                           \
    }
COND_LIST(DEF_BC)
#define BC_ENTRY(c) {#c, bc_##c},
static const struct {
    const char *name;
    int (*fn)(uint64_t);
} bconds[] = {COND_LIST(BC_ENTRY)};

#define TEST_BR(insn, v)                                                                          \
    ({                                                                                            \
        uint64_t _r;                                                                              \
        __asm__ volatile(insn " 1f\n mov %0, #0\n b 2f\n1: mov %0, #1\n2:" : "=r"(_r) : "r"(v)); \
        (int)_r;                                                                                  \
    })

static __attribute__((noinline)) uint64_t leaf(uint64_t x) { return x * 3 + 1; }
static __attribute__((noinline)) uint64_t other(uint64_t x) { return x ^ 0x5555; }
static uint64_t (*volatile fptrs[2])(uint64_t) = {leaf, other};

static __attribute__((noinline)) uint64_t ackermann(uint64_t m, uint64_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

/* A jump table in assembly: index -> one of 6 blocks, BR to it. */
static uint64_t jump_table(uint64_t idx) {
    uint64_t r;
    __asm__ volatile("adr x9, 10f\n"
                     "ldrsw x10, [x9, %1, lsl #2]\n"
                     "add x9, x9, x10\n"
                     "br x9\n"
                     "10: .word 20f - 10b, 21f - 10b, 22f - 10b, 23f - 10b, 24f - 10b, 25f - 10b\n"
                     "20: mov %0, #100\n b 30f\n"
                     "21: mov %0, #101\n b 30f\n"
                     "22: mov %0, #102\n b 30f\n"
                     "23: mov %0, #103\n b 30f\n"
                     "24: movn %0, #0\n b 30f\n"
                     "25: mov %0, #105\n"
                     "30:"
                     : "=&r"(r)
                     : "r"(idx)
                     : "x9", "x10");
    return r;
}

/* The same through a C switch (gcc emits its own table + BR). */
static __attribute__((noinline)) uint64_t c_switch(unsigned v) {
    switch (v) {
    case 0: return 0x11;
    case 1: return 0x22;
    case 2: return 0x33;
    case 3: return 0x44;
    case 4: return 0x55;
    case 5: return 0x66;
    case 6: return 0x77;
    case 7: return 0x88;
    case 9: return 0x99;
    default: return 0xdead;
    }
}

int main(void) {
    for (unsigned c = 0; c < ARRAY_SIZE(bconds); c++) {
        printf("b.%s:", bconds[c].name);
        for (uint64_t f = 0; f < 16; f++) printf("%d", bconds[c].fn(f << 28));
        printf("\n");
    }
    static const uint64_t vs[] = {0, 1, 0x80000000, 0x100000000ULL, 0x8000000000000000ULL, 0xffffffffffffffffULL};
    for (unsigned i = 0; i < ARRAY_SIZE(vs); i++) {
        uint64_t v = vs[i];
        printf("v=%016lx cbz=%d cbz_w=%d cbnz=%d cbnz_w=%d tbz0=%d tbnz31=%d tbz32=%d tbnz63=%d tbnz_w31=%d\n", v,
               TEST_BR("cbz %1,", v), TEST_BR("cbz %w1,", v), TEST_BR("cbnz %1,", v), TEST_BR("cbnz %w1,", v),
               TEST_BR("tbz %1, #0,", v), TEST_BR("tbnz %1, #31,", v), TEST_BR("tbz %1, #32,", v),
               TEST_BR("tbnz %1, #63,", v), TEST_BR("tbnz %w1, #31,", v));
    }
    /* BL sets LR to the next instruction; BLR too; RET Xn returns through Xn. */
    uint64_t lr1, lr2, here1, here2, r3;
    __asm__ volatile("bl 1f\n"
                     "0: b 2f\n"
                     "1: mov %0, x30\n adr %2, 0b\n ret\n"
                     "2: adr x9, 3f\n blr x9\n"
                     "4: b 5f\n"
                     "3: mov %1, x30\n adr %3, 4b\n mov x10, x30\n mov x30, xzr\n ret x10\n"
                     "5: adr x11, 6f\n mov %4, #7\n br x11\n mov %4, #8\n"
                     "6:"
                     : "=&r"(lr1), "=&r"(lr2), "=&r"(here1), "=&r"(here2), "=&r"(r3)
                     :
                     : "x9", "x10", "x11", "x30");
    printf("bl: lr-next=%ld blr: lr-next=%ld br: %lu\n", (long)(lr1 - here1), (long)(lr2 - here2), r3);
    /* ADR/ADRP against the linker's idea of a symbol */
    uint64_t adr_v, adrp_v;
    __asm__ volatile("adr %0, main\n adrp %1, main" : "=r"(adr_v), "=r"(adrp_v));
    printf("adr main ok=%d adrp main ok=%d\n", adr_v == (uint64_t)main, adrp_v == ((uint64_t)main & ~0xfffULL));
    uint64_t s = 0;
    for (unsigned i = 0; i < 64; i++) s = s * 31 + fptrs[i & 1](i);
    printf("blr through table: %016lx\n", s);
    for (uint64_t i = 0; i < 6; i++) printf("jt[%lu]=%lx ", i, jump_table(i));
    printf("\n");
    for (unsigned i = 0; i < 12; i++) printf("sw[%u]=%lx ", i, c_switch(i));
    printf("\n");
    printf("ackermann(2,3)=%lu ackermann(3,4)=%lu\n", ackermann(2, 3), ackermann(3, 4));
    return 0;
}
