// FP conversions: FCVTZS/FCVTZU/FCVTNS/FCVTNU/FCVTAS/FCVTAU/FCVTMS/FCVTPS to
// W and X from double and single (saturation, NaN -> 0, IOC/IXC), fixed-point
// FCVTZS/SCVTF #fbits, SCVTF/UCVTF from W and X (rounding of large integers),
// FCVT between double, single and half (rounding, NaN quieting, overflow),
// FMOV between general and FP/SIMD registers (incl. V.D[1]).
#include "fp_common.h"

#define DEF_CVT(name, setup, insn, get)                                                              \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint64_t *fpsr) { \
        uint64_t r, s;                                                                               \
        __asm__ volatile("msr fpsr, xzr\n" setup "\n" insn "\n" get "\n mrs %1, fpsr"                \
                         : "=&r"(r), "=&r"(s) : "r"(a) : "v0", "v2");                                \
        *fpsr = s;                                                                                   \
        return r;                                                                                    \
    }
#define FROM_D "fmov d0, %2"
#define FROM_S "fmov s0, %w2"
DEF_CVT(fcvtzs_xd, FROM_D, "fcvtzs %0, d0", "")
DEF_CVT(fcvtzs_wd, FROM_D, "fcvtzs %w0, d0", "")
DEF_CVT(fcvtzu_xd, FROM_D, "fcvtzu %0, d0", "")
DEF_CVT(fcvtzu_wd, FROM_D, "fcvtzu %w0, d0", "")
DEF_CVT(fcvtns_xd, FROM_D, "fcvtns %0, d0", "")
DEF_CVT(fcvtnu_wd, FROM_D, "fcvtnu %w0, d0", "")
DEF_CVT(fcvtas_wd, FROM_D, "fcvtas %w0, d0", "")
DEF_CVT(fcvtau_xd, FROM_D, "fcvtau %0, d0", "")
DEF_CVT(fcvtms_xd, FROM_D, "fcvtms %0, d0", "")
DEF_CVT(fcvtps_wd, FROM_D, "fcvtps %w0, d0", "")
DEF_CVT(fcvtzs_xd_fb8, FROM_D, "fcvtzs %0, d0, #8", "")
DEF_CVT(fcvtzu_wd_fb32, FROM_D, "fcvtzu %w0, d0, #32", "")
DEF_CVT(fcvtzs_ws, FROM_S, "fcvtzs %w0, s0", "")
DEF_CVT(fcvtzu_xs, FROM_S, "fcvtzu %0, s0", "")
DEF_CVT(fcvtns_ws, FROM_S, "fcvtns %w0, s0", "")
DEF_CVT(fcvtms_xs, FROM_S, "fcvtms %0, s0", "")
DEF_CVT(fcvtzs_d_simd, FROM_D, "fcvtzs d2, d0", "fmov %0, d2")
DEF_CVT(fcvt_sd, FROM_D, "fcvt s2, d0", "fmov %w0, s2")
DEF_CVT(fcvt_hd, FROM_D, "fcvt h2, d0", "umov %w0, v2.h[0]")
DEF_CVT(fcvt_ds, FROM_S, "fcvt d2, s0", "fmov %0, d2")
DEF_CVT(fcvt_hs, FROM_S, "fcvt h2, s0", "umov %w0, v2.h[0]")
DEF_CVT(fcvt_sh, "dup v0.8h, %w2", "fcvt s2, h0", "fmov %w0, s2")
DEF_CVT(fcvt_dh, "dup v0.8h, %w2", "fcvt d2, h0", "fmov %0, d2")

static const struct fop from_d[] = {
    FOP(fcvtzs_xd), FOP(fcvtzs_wd), FOP(fcvtzu_xd), FOP(fcvtzu_wd), FOP(fcvtns_xd), FOP(fcvtnu_wd),
    FOP(fcvtas_wd), FOP(fcvtau_xd), FOP(fcvtms_xd), FOP(fcvtps_wd), FOP(fcvtzs_xd_fb8), FOP(fcvtzu_wd_fb32),
    FOP(fcvtzs_d_simd), FOP(fcvt_sd), FOP(fcvt_hd),
};
static const struct fop from_s[] = {FOP(fcvtzs_ws), FOP(fcvtzu_xs), FOP(fcvtns_ws), FOP(fcvtms_xs), FOP(fcvt_ds),
                                    FOP(fcvt_hs)};
static const struct fop from_h[] = {FOP(fcvt_sh), FOP(fcvt_dh)};

DEF_CVT(scvtf_dx, "", "scvtf d2, %2", "fmov %0, d2")
DEF_CVT(scvtf_dw, "", "scvtf d2, %w2", "fmov %0, d2")
DEF_CVT(ucvtf_dx, "", "ucvtf d2, %2", "fmov %0, d2")
DEF_CVT(scvtf_sx, "", "scvtf s2, %2", "fmov %w0, s2")
DEF_CVT(ucvtf_sw, "", "ucvtf s2, %w2", "fmov %w0, s2")
DEF_CVT(scvtf_sw, "", "scvtf s2, %w2", "fmov %w0, s2")
DEF_CVT(scvtf_dx_fb16, "", "scvtf d2, %2, #16", "fmov %0, d2")
DEF_CVT(ucvtf_sw_fb31, "", "ucvtf s2, %w2, #31", "fmov %w0, s2")
DEF_CVT(scvtf_d_simd, "fmov d0, %2", "scvtf d2, d0", "fmov %0, d2")
static const struct fop from_i[] = {FOP(scvtf_dx), FOP(scvtf_dw), FOP(ucvtf_dx), FOP(scvtf_sx), FOP(ucvtf_sw),
                                    FOP(scvtf_sw), FOP(scvtf_dx_fb16), FOP(ucvtf_sw_fb31), FOP(scvtf_d_simd)};

static const uint64_t cvt_d[] = {
    0x0000000000000000ULL, 0x8000000000000000ULL, 0x3fe0000000000000ULL /* 0.5 */, 0x3ff8000000000000ULL /* 1.5 */,
    0x4004000000000000ULL /* 2.5 */, 0xbff8000000000000ULL /* -1.5 */, 0xc004000000000000ULL /* -2.5 */,
    0x41dfffffffc00000ULL /* 2^31-1 */, 0x41e0000000000000ULL /* 2^31 */, 0xc1e0000000000000ULL /* -2^31 */,
    0x41efffffffe00000ULL /* 2^32-1 */, 0x43dfffffffffffffULL /* < 2^63 */, 0x43e0000000000000ULL /* 2^63 */,
    0xc3e0000000000000ULL /* -2^63 */, 0x43f0000000000000ULL /* 2^64 */, 0x7ff0000000000000ULL, 0xfff0000000000000ULL,
    0x7ff8000000000000ULL, 0x7ff4000000000001ULL, 0x3f50624dd2f1a9fcULL /* 0.001 */, 0x40f0000100000001ULL,
    0x0000000000000001ULL, 0x380fffffe0000000ULL /* near float min */, 0x47efffffe0000001ULL /* > float max */,
    0x3ff0000010000000ULL /* 1 + 2^-28: rounds in float? */, 0x40dffe0000000000ULL /* 32760 */,
    0x40effc0000000000ULL /* 65504 half max */, 0x40f0000000000000ULL /* 65536 */, 0x3e70000000000000ULL /* 2^-24 */,
};
static const uint64_t cvt_s[] = {
    0x00000000, 0x80000000, 0x3f000000, 0x3fc00000, 0xbfc00000, 0x4f000000, 0xcf000000, 0x5f000000, 0x5f800000,
    0x7f800000, 0xff800000, 0x7fc00000, 0x7fa00001, 0x00000001, 0x477fe000, 0x477ff000, 0x33800000, 0x33000001,
    0x38800000, 0xc2f6e979,
};
static const uint64_t cvt_h[] = {0x0000, 0x8000, 0x3c00, 0x7bff, 0x0001, 0x03ff, 0x0400, 0x7c00, 0xfc00, 0x7e00,
                                 0x7d01, 0xc500, 0x3555};
static const uint64_t cvt_i[] = {
    0, 1, 0xffffffffffffffffULL, 0x7fffffffffffffffULL, 0x8000000000000000ULL, 0x00000000ffffffffULL,
    0x0000000080000000ULL, 0x0000000001000001ULL /* 2^24+1 */, 0x0020000000000001ULL /* 2^53+1 */,
    0x0020000000000003ULL, 0x123456789abcdef1ULL, 0xfffffffffffffc01ULL, 0x00000000fffffffeULL,
};

int main(void) {
    run_fops(from_d, ARRAY_SIZE(from_d), cvt_d, ARRAY_SIZE(cvt_d), 1, 1);
    run_fops(from_s, ARRAY_SIZE(from_s), cvt_s, ARRAY_SIZE(cvt_s), 1, 1);
    run_fops(from_h, ARRAY_SIZE(from_h), cvt_h, ARRAY_SIZE(cvt_h), 1, 1);
    run_fops(from_i, ARRAY_SIZE(from_i), cvt_i, ARRAY_SIZE(cvt_i), 1, 1);
    /* FMOV between register files */
    uint64_t a, b, c, d;
    __asm__ volatile("movi v5.2d, #0\n fmov v5.d[1], %4\n fmov d6, %5\n fmov s7, %w5\n"
                     "fmov %0, v5.d[1]\n fmov %1, d5\n fmov %2, d7\n fmov %w3, s6\n"
                     : "=r"(a), "=r"(b), "=r"(c), "=r"(d)
                     : "r"(0x1122334455667788ULL), "r"(0x99aabbccddeeff00ULL)
                     : "v5", "v6", "v7");
    printf("fmov: d[1]=%016lx d=%016lx s->d=%016lx d->s=%016lx\n", a, b, c, d);
    return 0;
}
