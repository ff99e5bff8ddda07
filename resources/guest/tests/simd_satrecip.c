// AdvSIMD rounding/saturating shifts by register (SRSHL/URSHL/SQSHL/UQSHL/SQRSHL/
// UQRSHL), doubling multiply high (SQDMULH/SQRDMULH, vector, scalar, by element),
// SUQADD/USQADD, and the FP estimate/step group (FRECPE/FRSQRTE/FRECPS/FRSQRTS,
// FMULX) with FPSR after each instruction, under each FPCR rounding mode and FZ;
// then Newton-Raphson 1/x and 1/sqrt(x) through the intrinsics.
#include "simd_common.h"
#include <arm_neon.h>

static v128 A, B, C;
static uint64_t h;

static uint64_t fpsr_read(void) {
    uint64_t s;
    __asm__ volatile("mrs %0, fpsr" : "=r"(s));
    return s;
}
static void fpsr_clear(void) { __asm__ volatile("msr fpsr, xzr"); }
static void fpcr_set(uint64_t v) { __asm__ volatile("msr fpcr, %0\n isb" ::"r"(v)); }

#define VF(insn)                                                                                       \
    ({                                                                                                 \
        fpsr_clear();                                                                                  \
        V3(insn);                                                                                      \
        printf("    fpsr %08lx\n", fpsr_read());                                                       \
    })

#define F2(a, b) ((uint64_t)(b) << 32 | (uint32_t)(a))

static void integer(void) {
    printf("shifts by register:\n");
    A = (v128){0x8001ff7f00107f80ULL, 0x7edcba98f6543210ULL};
    B = (v128){0x01ff08f7e0201f81ULL, 0xc1403f0203fdfc7fULL}; /* shift bytes: small, ±esize, out of range */
    C = (v128){0x0000000100000002ULL, 0xffffffe0ffffffc1ULL};
    VF("srshl v3.16b, v0.16b, v1.16b");
    VF("urshl v3.8h, v0.8h, v1.8h");
    VF("sqshl v3.4s, v0.4s, v1.4s");
    VF("uqshl v3.16b, v0.16b, v1.16b");
    VF("sqrshl v3.8h, v0.8h, v1.8h");
    VF("uqrshl v3.4s, v0.4s, v1.4s");
    VF("srshl v3.2d, v0.2d, v2.2d");
    VF("sqshl v3.2d, v0.2d, v2.2d");
    VF("uqrshl v3.2d, v0.2d, v2.2d");
    VF("sqshl b3, b0, b1");
    VF("urshl d3, d0, d2");
    VF("uqshl h3, h0, h1");
    printf("doubling multiply high:\n");
    A = (v128){0x8000000080000000ULL, 0x7fff8000c0004000ULL};
    B = (v128){0x8000000040000000ULL, 0x80008000c0007fffULL};
    VF("sqdmulh v3.4s, v0.4s, v1.4s");
    VF("sqrdmulh v3.4s, v0.4s, v1.4s");
    VF("sqdmulh v3.8h, v0.8h, v1.8h");
    VF("sqrdmulh v3.8h, v0.8h, v1.8h");
    VF("sqrdmulh v3.4s, v0.4s, v1.s[1]");
    VF("sqdmulh v3.8h, v0.8h, v1.h[6]");
    VF("sqrdmulh s3, s0, s1");
    VF("sqdmulh h3, h0, v1.h[7]");
    printf("suqadd/usqadd:\n");
    A = (v128){0xff807f0180000001ULL, 0x8000000000000000ULL};
    B = (v128){0x7f7f808001ff7fffULL, 0x7fffffffffffffffULL};
    C = (v128){0x7f7f7f7f80808080ULL, 0x7fffffffffff0000ULL};
    VF("suqadd v3.16b, v0.16b");
    VF("usqadd v3.16b, v1.16b");
    VF("suqadd v3.2d, v0.2d");
    VF("usqadd v3.2d, v1.2d");
    VF("suqadd s3, s1");
    VF("usqadd h3, h0");
}

static void fp(void) {
    A = (v128){F2(0x3f800000, 0x40400000), F2(0x00000001, 0xff800000)};  /* 1, 3, denormal, -inf */
    B = (v128){F2(0x7f7fffff, 0x80000000), F2(0xbf800000, 0x7fa00000)};  /* max, -0, -1, sNaN */
    C = (v128){0x7fe0000000000001ULL, 0x0008000000000000ULL};              /* big double, denormal double */
    for (uint64_t mode = 0; mode < 5; mode++) {
        uint64_t fpcr = mode < 4 ? mode << 22 : (1u << 24); /* RN RP RM RZ, then FZ */
        fpcr_set(fpcr);
        printf("fpcr %08lx:\n", fpcr);
        VF("frecpe v3.4s, v0.4s");
        VF("frecpe v3.4s, v1.4s");
        VF("frsqrte v3.4s, v0.4s");
        VF("frsqrte v3.4s, v1.4s");
        VF("frecpe v3.2d, v2.2d");
        VF("frsqrte d3, d2");
        VF("frecps v3.4s, v0.4s, v1.4s");
        VF("frsqrts v3.4s, v0.4s, v1.4s");
        VF("frecps v3.2d, v2.2d, v2.2d");
        VF("frsqrts d3, d2, d2");
        VF("fmulx v3.4s, v0.4s, v1.4s");
        VF("fmulx v3.4s, v1.4s, v0.s[3]");
        VF("fmulx d3, d2, v2.d[1]");
    }
    fpcr_set(0);
}

static float32x4_t recip(float32x4_t x) {
    float32x4_t e = vrecpeq_f32(x);
    e = vmulq_f32(e, vrecpsq_f32(x, e));
    return vmulq_f32(e, vrecpsq_f32(x, e));
}
static float64x2_t rsqrt(float64x2_t x) {
    float64x2_t e = vrsqrteq_f64(x);
    for (int i = 0; i < 4; i++) e = vmulq_f64(e, vrsqrtsq_f64(vmulq_f64(x, e), e));
    return e;
}

static void newton(void) {
    printf("newton:\n");
    float xs[8] = {3.0f, 0.1f, 1234.5f, 7e-20f, 1e30f, 2.0f, 0.3333f, 65536.0f};
    for (int i = 0; i < 8; i += 4) {
        float32x4_t r = recip(vld1q_f32(xs + i));
        uint32x4_t u = vreinterpretq_u32_f32(r);
        printf("  recip %08x %08x %08x %08x\n", vgetq_lane_u32(u, 0), vgetq_lane_u32(u, 1), vgetq_lane_u32(u, 2), vgetq_lane_u32(u, 3));
    }
    double ds[4] = {2.0, 1e-300, 12345.678, 0.5};
    for (int i = 0; i < 4; i += 2) {
        uint64x2_t u = vreinterpretq_u64_f64(rsqrt(vld1q_f64(ds + i)));
        printf("  rsqrt %016lx %016lx\n", vgetq_lane_u64(u, 0), vgetq_lane_u64(u, 1));
    }
}

int main(void) {
    h = MIX_INIT;
    integer();
    fp();
    newton();
    printf("hash %016lx\n", h);
    return 0;
}
