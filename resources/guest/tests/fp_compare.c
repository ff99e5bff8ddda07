// FP compare and select: FCMP/FCMPE (register and #0.0) -> NZCV and IOC for
// quiet vs signalling NaNs, FCCMP/FCCMPE with true and false conditions,
// FCSEL, FMIN/FMAX/FMINNM/FMAXNM (signed zeros, quiet and signalling NaNs),
// FABD and FCMEQ/FCMGE/FCMGT scalar forms.
#include "fp_common.h"

#define DEF_FCMP(name, insn)                                                                          \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint64_t *fpsr) { \
        uint64_t r, s;                                                                                \
        __asm__ volatile("msr fpsr, xzr\n msr nzcv, %4\n fmov d0, %2\n fmov d1, %3\n" insn            \
                         "\n mrs %0, nzcv\n mrs %1, fpsr"                                             \
                         : "=&r"(r), "=&r"(s) : "r"(a), "r"(b), "r"(c & 0xf0000000ULL) : "v0", "v1", "cc"); \
        *fpsr = s;                                                                                    \
        return r >> 28;                                                                               \
    }
DEF_FCMP(fcmp_d, "fcmp d0, d1")
DEF_FCMP(fcmpe_d, "fcmpe d0, d1")
DEF_FCMP(fcmp_d0, "fcmp d0, #0.0")
DEF_FCMP(fcmpe_s, "fcmpe s0, s1")
DEF_FCMP(fccmp_eq, "fccmp d0, d1, #0x5, eq")
DEF_FCMP(fccmpe_ne, "fccmpe d0, d1, #0x2, ne")
DEF_FCMP(fccmp_s_hi, "fccmp s0, s1, #0xf, hi")

DEF_FOPD(fmin_d, "fmin d2, d0, d1")
DEF_FOPD(fmax_d, "fmax d2, d0, d1")
DEF_FOPD(fminnm_d, "fminnm d2, d0, d1")
DEF_FOPD(fmaxnm_d, "fmaxnm d2, d0, d1")
DEF_FOPS(fminnm_s, "fminnm s2, s0, s1")
DEF_FOPS(fmax_s, "fmax s2, s0, s1")
DEF_FOPD(fabd_d, "fabd d2, d0, d1")
DEF_FOPD(fcmeq_d, "fcmeq d2, d0, d1")
DEF_FOPD(fcmge_d, "fcmge d2, d0, d1")
DEF_FOPD(fcmgt_d0, "fcmgt d2, d0, #0.0")
DEF_FOPD(fcsel_gt, "fcmp d0, d1\n fcsel d2, d0, d1, gt")
DEF_FOPD(fcsel_vs, "fcmp d0, d1\n fcsel d2, d0, d1, vs")

static const struct fop cmps[] = {FOP(fcmp_d), FOP(fcmpe_d), FOP(fcmp_d0), FOP(fccmp_eq), FOP(fccmpe_ne)};
static const struct fop cmps_s[] = {FOP(fcmpe_s), FOP(fccmp_s_hi)};
static const struct fop sels[] = {FOP(fmin_d), FOP(fmax_d), FOP(fminnm_d), FOP(fmaxnm_d), FOP(fabd_d),
                                  FOP(fcmeq_d), FOP(fcmge_d), FOP(fcmgt_d0), FOP(fcsel_gt), FOP(fcsel_vs)};
static const struct fop sels_s[] = {FOP(fminnm_s), FOP(fmax_s)};

static const uint64_t cmp_d[] = {
    0x0000000000000000ULL, 0x8000000000000000ULL, 0x3ff0000000000000ULL, 0xbff0000000000000ULL,
    0x0000000000000001ULL, 0x7ff0000000000000ULL, 0xfff0000000000000ULL, 0x7ff8000000000000ULL,
    0x7ff0000000000001ULL, 0xfff800000000beefULL,
};
static const uint64_t cmp_s[] = {0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x7f800000, 0x7fc00000, 0x7f800001};

int main(void) {
    /* third input (c) supplies the NZCV before the op: vals[(i+j+3)%n] & 0xf0000000 */
    run_fops(cmps, ARRAY_SIZE(cmps), cmp_d, ARRAY_SIZE(cmp_d), 0, 1);
    run_fops(cmps_s, ARRAY_SIZE(cmps_s), cmp_s, ARRAY_SIZE(cmp_s), 0, 1);
    run_fops(sels, ARRAY_SIZE(sels), cmp_d, ARRAY_SIZE(cmp_d), 0, 3);
    run_fops(sels_s, ARRAY_SIZE(sels_s), cmp_s, ARRAY_SIZE(cmp_s), 0, 1);
    return 0;
}
