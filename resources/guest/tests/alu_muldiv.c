// Multiply and divide: MADD/MSUB/MUL/MNEG (32/64), SMADDL/SMSUBL/UMADDL/
// UMSUBL/SMULL/UMULL, SMULH/UMULH, UDIV/SDIV incl. divide by zero (result 0,
// no exception) and INT_MIN / -1 (result INT_MIN).
#include "common.h"

#define DEF_OP3(name, insn)                                                                       \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t c) {          \
        uint64_t r;                                                                               \
        __asm__ volatile(insn : "=&r"(r) : "r"(a), "r"(b), "r"(c));                               \
        return r;                                                                                 \
    }
DEF_OP3(madd_x, "madd %0, %1, %2, %3")
DEF_OP3(msub_x, "msub %0, %1, %2, %3")
DEF_OP3(madd_w, "madd %w0, %w1, %w2, %w3")
DEF_OP3(msub_w, "msub %w0, %w1, %w2, %w3")
DEF_OP3(mneg_x, "mneg %0, %1, %2")
DEF_OP3(smaddl, "smaddl %0, %w1, %w2, %3")
DEF_OP3(smsubl, "smsubl %0, %w1, %w2, %3")
DEF_OP3(umaddl, "umaddl %0, %w1, %w2, %3")
DEF_OP3(umsubl, "umsubl %0, %w1, %w2, %3")
DEF_OP3(smull, "smull %0, %w1, %w2")
DEF_OP3(umull, "umull %0, %w1, %w2")
DEF_OP3(smulh, "smulh %0, %1, %2")
DEF_OP3(umulh, "umulh %0, %1, %2")
DEF_OP3(udiv_x, "udiv %0, %1, %2")
DEF_OP3(sdiv_x, "sdiv %0, %1, %2")
DEF_OP3(udiv_w, "udiv %w0, %w1, %w2")
DEF_OP3(sdiv_w, "sdiv %w0, %w1, %w2")

typedef uint64_t (*op3_fn)(uint64_t, uint64_t, uint64_t);
#define OP3(n) {#n, n}
static const struct {
    const char *name;
    op3_fn fn;
} ops[] = {
    OP3(madd_x), OP3(msub_x), OP3(madd_w), OP3(msub_w), OP3(mneg_x), OP3(smaddl), OP3(smsubl), OP3(umaddl),
    OP3(umsubl), OP3(smull), OP3(umull), OP3(smulh), OP3(umulh), OP3(udiv_x), OP3(sdiv_x), OP3(udiv_w),
    OP3(sdiv_w),
};

int main(void) {
    const uint64_t c = 0x0123456789abcdefULL;
    for (unsigned o = 0; o < ARRAY_SIZE(ops); o++) {
        uint64_t h = MIX_INIT;
        for (unsigned i = 0; i < ARRAY_SIZE(edge64); i++)
            for (unsigned j = 0; j < ARRAY_SIZE(edge64); j++) {
                uint64_t r = ops[o].fn(edge64[i], edge64[j], c);
                if ((i % 4 == 0 && j % 3 == 1) || i == j) printf("%s %016lx %016lx -> %016lx\n", ops[o].name, edge64[i], edge64[j], r);
                h = mix64(h, r);
            }
        printf("%s checksum %016lx\n", ops[o].name, h);
    }
    printf("sdiv_x INT64_MIN/-1 = %016lx\n", sdiv_x(0x8000000000000000ULL, (uint64_t)-1, 0));
    printf("sdiv_w INT32_MIN/-1 = %016lx\n", sdiv_w(0x80000000ULL, 0xffffffffULL, 0));
    printf("sdiv_x 7/0 = %016lx udiv_x 7/0 = %016lx\n", sdiv_x(7, 0, 0), udiv_x(7, 0, 0));
    printf("sdiv_w -7/0 = %016lx udiv_w 0/0 = %016lx\n", sdiv_w((uint64_t)-7, 0, 0), udiv_w(0, 0, 0));
    printf("sdiv_x -7/2 = %016lx 7/-2 = %016lx -7/-2 = %016lx\n", sdiv_x((uint64_t)-7, 2, 0),
           sdiv_x(7, (uint64_t)-2, 0), sdiv_x((uint64_t)-7, (uint64_t)-2, 0));
    printf("sdiv_w upper bits ignored: %016lx\n", sdiv_w(0xffffffff00000064ULL, 0x12345678fffffffbULL, 0));
    return 0;
}
