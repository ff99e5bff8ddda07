// FPCR rounding modes (RN/RP/RM/RZ) applied to FADD/FDIV/FSQRT/FMUL/SCVTF/
// FCVT/FRINTI/FRINTX; FRINTN/FRINTP/FRINTM/FRINTZ/FRINTA (fixed modes) on
// ties, negatives, large and special values; flush-to-zero (FPCR.FZ) for
// subnormal inputs and outputs (IDC/UFC), default NaN (FPCR.DN), and FPSR
// flags accumulating across operations until cleared.
#include "fp_common.h"

DEF_FOPD(frintn_d, "frintn d2, d0")
DEF_FOPD(frintp_d, "frintp d2, d0")
DEF_FOPD(frintm_d, "frintm d2, d0")
DEF_FOPD(frintz_d, "frintz d2, d0")
DEF_FOPD(frinta_d, "frinta d2, d0")
DEF_FOPD(frinti_d, "frinti d2, d0")
DEF_FOPD(frintx_d, "frintx d2, d0")
DEF_FOPS(frintn_s, "frintn s2, s0")
DEF_FOPS(frinta_s, "frinta s2, s0")
DEF_FOPS(frintx_s, "frintx s2, s0")
static const struct fop rint_d[] = {FOP(frintn_d), FOP(frintp_d), FOP(frintm_d), FOP(frintz_d),
                                    FOP(frinta_d), FOP(frinti_d), FOP(frintx_d)};
static const struct fop rint_s[] = {FOP(frintn_s), FOP(frinta_s), FOP(frintx_s)};

static const uint64_t rint_vals_d[] = {
    0x3fe0000000000000ULL, 0x3ff8000000000000ULL, 0x4004000000000000ULL, 0xbfe0000000000000ULL,
    0xbff8000000000000ULL, 0xc004000000000000ULL, 0x3fe0000000000001ULL, 0x3fdfffffffffffffULL,
    0x4330000000000001ULL /* 2^52+1: integral */, 0x432fffffffffffffULL /* 2^52-0.5 */, 0x8000000000000000ULL,
    0x0000000000000001ULL, 0xbcb0000000000000ULL /* -2^-52 */, 0x7ff0000000000000ULL, 0x7ff4000000000000ULL,
    0x44b52d02c7e14af6ULL /* 1e23 */, 0xc0590ccccccccccdULL /* -100.2 */,
};
static const uint64_t rint_vals_s[] = {0x3f000000, 0x3fc00000, 0x40200000, 0xbf000000, 0xbfc00000, 0x4b000001,
                                       0x4affffff, 0x80000000, 0x7f800000, 0x7fa00000, 0xc2c86666};

static void set_fpcr(uint64_t v) {
    WRITE_SYSREG(fpcr, v);
    ISB();
}

DEF_FOPD(faddd, "fadd d2, d0, d1")
DEF_FOPD(fdivd, "fdiv d2, d0, d1")
DEF_FOPD(fmuld, "fmul d2, d0, d1")
DEF_FOPD(fsqrtd, "fsqrt d2, d0")
DEF_FOPD(fmaddd, "fmadd d2, d0, d1, d3")
DEF_FOPS(fadds, "fadd s2, s0, s1")
DEF_FOPS(fdivs, "fdiv s2, s0, s1")
DEF_FOPD(scvtf_d, "fmov x9, d0\n scvtf d2, x9")
DEF_FOPD(fcvt_sd, "fcvt s2, d0")

static void rmode_table(void) {
    static const char *modes[] = {"RN", "RP", "RM", "RZ"};
    static const struct {
        const char *name;
        fop_fn fn;
        uint64_t a, b, c;
    } cases[] = {
        {"fadd 1+2^-60", faddd, 0x3ff0000000000000ULL, 0x3c30000000000000ULL, 0},
        {"fadd -1-2^-60", faddd, 0xbff0000000000000ULL, 0xbc30000000000000ULL, 0},
        {"fadd 1-1", faddd, 0x3ff0000000000000ULL, 0xbff0000000000000ULL, 0},
        {"fadd max+max", faddd, 0x7fefffffffffffffULL, 0x7fefffffffffffffULL, 0},
        {"fadd -max-max", faddd, 0xffefffffffffffffULL, 0xffefffffffffffffULL, 0},
        {"fdiv 1/3", fdivd, 0x3ff0000000000000ULL, 0x4008000000000000ULL, 0},
        {"fdiv -1/3", fdivd, 0xbff0000000000000ULL, 0x4008000000000000ULL, 0},
        {"fdiv 2/3 single", fdivs, 0x40000000, 0x40400000, 0},
        {"fdiv 1/0", fdivd, 0x3ff0000000000000ULL, 0, 0},
        {"fdiv 0/0", fdivd, 0, 0, 0},
        {"fmul minnorm*0.5", fmuld, 0x0010000000000000ULL, 0x3fe0000000000000ULL, 0},
        {"fmul minsub*0.5", fmuld, 0x0000000000000001ULL, 0x3fe0000000000000ULL, 0},
        {"fmul -minsub*0.5", fmuld, 0x8000000000000001ULL, 0x3fe0000000000000ULL, 0},
        {"fsqrt 2", fsqrtd, 0x4000000000000000ULL, 0, 0},
        {"fsqrt -1", fsqrtd, 0xbff0000000000000ULL, 0, 0},
        {"fmadd 0.1*10-1", fmaddd, 0x3fb999999999999aULL, 0x4024000000000000ULL, 0xbff0000000000000ULL},
        {"fadd s 1+2^-30", fadds, 0x3f800000, 0x30800000, 0},
        {"scvtf 2^53+1", scvtf_d, 0x0020000000000001ULL, 0, 0},
        {"scvtf -(2^53+1)", scvtf_d, 0xffdfffffffffffffULL, 0, 0},
        {"fcvt s 0.1", fcvt_sd, 0x3fb999999999999aULL, 0, 0},
        {"fcvt s -0.1", fcvt_sd, 0xbfb999999999999aULL, 0, 0},
        {"frinti 2.5", frinti_d, 0x4004000000000000ULL, 0, 0},
        {"frinti -2.5", frinti_d, 0xc004000000000000ULL, 0, 0},
        {"frintx 0.5", frintx_d, 0x3fe0000000000000ULL, 0, 0},
    };
    for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
        printf("%-18s", cases[c].name);
        for (unsigned m = 0; m < 4; m++) {
            set_fpcr((uint64_t)m << 22);
            uint64_t s, r = cases[c].fn(cases[c].a, cases[c].b, cases[c].c, &s);
            set_fpcr(0);
            printf(" %s=%016lx %s", modes[m], r, fpsr_str(s));
        }
        printf("\n");
    }
}

static void fz_dn(void) {
    static const struct {
        const char *name;
        fop_fn fn;
        uint64_t a, b;
    } cases[] = {
        {"fadd sub+0", faddd, 0x000fffffffffffffULL, 0},
        {"fadd sub+sub", faddd, 0x0008000000000000ULL, 0x0008000000000000ULL},
        {"fmul minnorm*0.5", fmuld, 0x0010000000000000ULL, 0x3fe0000000000000ULL},
        {"fmul -minnorm*0.5", fmuld, 0x8010000000000000ULL, 0x3fe0000000000000ULL},
        {"fadd s sub+1", fadds, 0x00000001, 0x3f800000},
        {"fadd qnan+1", faddd, 0x7ff800000000beefULL, 0x3ff0000000000000ULL},
        {"fadd snan+1", faddd, 0xfff000000000beefULL, 0x3ff0000000000000ULL},
        {"fadd inf-inf", faddd, 0x7ff0000000000000ULL, 0xfff0000000000000ULL},
        {"fadd s qnan", fadds, 0xffc0beef, 0x3f800000},
    };
    static const uint64_t fpcrs[] = {0, 1u << 24, 1u << 25, 3u << 24};
    static const char *names[] = {"plain", "FZ", "DN", "FZ+DN"};
    for (unsigned c = 0; c < ARRAY_SIZE(cases); c++) {
        printf("%-18s", cases[c].name);
        for (unsigned m = 0; m < 4; m++) {
            set_fpcr(fpcrs[m]);
            uint64_t s, r = cases[c].fn(cases[c].a, cases[c].b, 0, &s);
            set_fpcr(0);
            printf(" %s=%016lx %s", names[m], r, fpsr_str(s));
        }
        printf("\n");
    }
}

int main(void) {
    run_fops(rint_d, ARRAY_SIZE(rint_d), rint_vals_d, ARRAY_SIZE(rint_vals_d), 1, 1);
    run_fops(rint_s, ARRAY_SIZE(rint_s), rint_vals_s, ARRAY_SIZE(rint_vals_s), 1, 1);
    rmode_table();
    fz_dn();
    /* cumulative flags: not cleared by later exact operations */
    uint64_t s1, s2, s3;
    __asm__ volatile("msr fpsr, xzr\n fmov d0, #1.0\n fmov d1, #3.0\n fdiv d2, d0, d1\n mrs %0, fpsr\n"
                     "fadd d2, d0, d1\n mrs %1, fpsr\n movi d3, #0\n fdiv d2, d0, d3\n mrs %2, fpsr\n msr fpsr, xzr"
                     : "=r"(s1), "=r"(s2), "=r"(s3) : : "v0", "v1", "v2", "v3");
    printf("cumulative: after 1/3 %s, after exact add %s, after 1/0 %s, cleared %s\n", fpsr_str(s1), fpsr_str(s2),
           fpsr_str(s3), fpsr_str(READ_SYSREG(fpsr)));
    return 0;
}
