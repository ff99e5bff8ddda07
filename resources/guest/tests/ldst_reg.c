// Register-offset loads/stores with every extend (UXTW, SXTW, SXTX, LSL) with
// and without the scale shift, negative SXTW indices, all sizes incl. sign-
// extending and FP/SIMD forms; PC-relative LDR (literal) for W, X, SW, S, D, Q;
// PRFM forms (no architectural effect).
#include "common.h"

static uint8_t buf[512] __attribute__((aligned(16)));

#define LDR(insn, idx)                                                                            \
    ({                                                                                            \
        uint64_t _r = 0x5a5a5a5a5a5a5a5aULL;                                                      \
        __asm__ volatile(insn : "+r"(_r) : "r"(base), "r"((uint64_t)(idx)) : "memory");           \
        printf("  %-30s idx=%016lx -> %016lx\n", insn, (uint64_t)(idx), _r);                      \
        h = mix64(h, _r);                                                                         \
    })

int main(void) {
    for (int i = 0; i < 512; i++) buf[i] = (uint8_t)(i * 7 + (i >> 3));
    uint8_t *base = buf + 256;
    uint64_t h = MIX_INIT;
    static const uint64_t idx[] = {0, 1, 5, 0xfffffffffffffff8ULL /* -8 */, 0x00000000fffffffcULL /* w=-4 */,
                                   0x1234567800000003ULL /* upper bits vary */};
    for (unsigned i = 0; i < ARRAY_SIZE(idx); i++) {
        uint64_t x = idx[i];
        int64_t asx = (int64_t)x, asw = (int32_t)(uint32_t)x;
        uint32_t uw = (uint32_t)x;
        /* Only forms whose effective address stays inside buf. */
        int ok_x1 = asx >= -256 && asx < 248, ok_x8 = asx >= -32 && asx < 31;
        int ok_sw1 = asw >= -256 && asw < 248, ok_sw8 = asw >= -32 && asw < 31;
        int ok_uw1 = uw < 248, ok_uw8 = uw < 31;
        if (ok_x1) LDR("ldr %0, [%1, %2]", x);
        if (ok_x8) LDR("ldr %0, [%1, %2, lsl #3]", x);
        if (ok_x1) LDR("ldrb %w0, [%1, %2, lsl #0]", x);
        if (ok_x1) LDR("ldrsb %0, [%1, %2]", x);
        if (ok_x8) LDR("ldrsh %w0, [%1, %2, lsl #1]", x);
        if (ok_x8) LDR("ldrsw %0, [%1, %2, sxtx #2]", x);
        if (ok_x1) LDR("ldr %w0, [%1, %2, sxtx]", x);
        if (ok_sw1) LDR("ldr %0, [%1, %w2, sxtw]", x);
        if (ok_sw8) LDR("ldr %0, [%1, %w2, sxtw #3]", x);
        if (ok_sw8) LDR("ldrh %w0, [%1, %w2, sxtw #1]", x);
        if (ok_sw8) LDR("ldrsw %0, [%1, %w2, sxtw #2]", x);
        if (ok_sw1) LDR("ldrsb %w0, [%1, %w2, sxtw #0]", x);
        if (ok_uw1) LDR("ldr %0, [%1, %w2, uxtw]", x);
        if (ok_uw8) LDR("ldr %0, [%1, %w2, uxtw #3]", x);
        if (ok_uw8) LDR("ldr %w0, [%1, %w2, uxtw #2]", x);
        if (ok_uw8) LDR("ldrsh %0, [%1, %w2, uxtw #1]", x);
    }
    printf("loads checksum %016lx\n", h);
    /* stores */
    uint64_t v = 0xfedcba9876543210ULL;
    __asm__ volatile("str %0, [%1, %2, lsl #3]\n"
                     "strb %w0, [%1, %w3, sxtw]\n"
                     "strh %w0, [%1, %w3, sxtw #1]\n"
                     "str %w0, [%1, %w4, uxtw #2]\n"
                     "str %0, [%1, %2, sxtx]\n"
                     "strb wzr, [%1, %4]\n"
                     :
                     : "r"(v), "r"(base), "r"((uint64_t)-5), "r"((uint64_t)0xffffffe1ULL), "r"((uint64_t)9)
                     : "memory");
    uint64_t hs = MIX_INIT;
    for (int i = 0; i < 512; i += 8) {
        uint64_t w;
        memcpy(&w, buf + i, 8);
        hs = mix64(hs, w);
    }
    printf("stores checksum %016lx\n", hs);
    /* FP/SIMD register offset */
    uint64_t lo, hi;
    __asm__ volatile("ldr q3, [%2, %3, lsl #4]\n fmov %0, d3\n mov %1, v3.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(base), "r"((uint64_t)-3) : "v3", "memory");
    printf("ldr q, lsl #4: %016lx %016lx\n", hi, lo);
    __asm__ volatile("ldr d3, [%2, %w3, sxtw #3]\n ldr s4, [%2, %w3, sxtw]\n fmov %0, d3\n fmov %w1, s4"
                     : "=r"(lo), "=r"(hi) : "r"(base), "r"((uint64_t)0xfffffffdULL) : "v3", "v4", "memory");
    printf("ldr d/s sxtw: %016lx %016lx\n", lo, hi);
    __asm__ volatile("ldr h3, [%2, %3, lsl #1]\n ldr b4, [%2, %3]\n umov %w0, v3.h[0]\n umov %w1, v4.b[0]"
                     : "=r"(lo), "=r"(hi) : "r"(base), "r"((uint64_t)7) : "v3", "v4", "memory");
    printf("ldr h/b: %lx %lx\n", lo, hi);
    /* literals */
    uint64_t l1, l2, l3, l4, l5, l6;
    __asm__ volatile("ldr %w0, 1f\n"
                     "ldr %1, 2f\n"
                     "ldrsw %2, 1f\n"
                     "ldr s0, 1f\n fmov %w3, s0\n"
                     "ldr d0, 2f\n fmov %4, d0\n"
                     "ldr q0, 3f\n mov %5, v0.d[1]\n"
                     "prfm pldl1keep, 1f\n"
                     "b 4f\n"
                     ".balign 16\n"
                     "3: .quad 0x1111111111111111, 0x2222222233333333\n"
                     "1: .word 0x89abcdef\n"
                     ".balign 8\n"
                     "2: .quad 0x0123456789abcdef\n"
                     "4:"
                     : "=r"(l1), "=r"(l2), "=r"(l3), "=r"(l4), "=r"(l5), "=r"(l6)
                     :
                     : "v0");
    printf("literal: w=%lx x=%lx sw=%lx s=%lx d=%lx q.hi=%lx\n", l1, l2, l3, l4, l5, l6);
    __asm__ volatile("prfm pldl1keep, [%0]\n prfm pstl2strm, [%0, #64]\n prfm plil3keep, [%0, %1]\n"
                     "prfum pldl1strm, [%0, #-3]\n prfm #0x1f, [%0]" /* unallocated prfop: still a hint */
                     : : "r"(base), "r"((uint64_t)-8) : "memory");
    printf("prfm ok\n");
    return 0;
}
