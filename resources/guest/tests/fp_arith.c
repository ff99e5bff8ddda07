// Scalar FP arithmetic, double and single: FADD/FSUB/FMUL/FDIV/FNMUL, fused
// FMADD/FMSUB/FNMADD/FNMSUB, FSQRT/FABS/FNEG, FMOV (immediate), on zeros,
// subnormals, max, infinities, quiet/signalling NaNs with payloads; result
// bits and FPSR cumulative flags (IOC DZC OFC UFC IXC IDC).
#include "fp_common.h"

DEF_FOPD(faddd, "fadd d2, d0, d1")
DEF_FOPD(fsubd, "fsub d2, d0, d1")
DEF_FOPD(fmuld, "fmul d2, d0, d1")
DEF_FOPD(fdivd, "fdiv d2, d0, d1")
DEF_FOPD(fnmuld, "fnmul d2, d0, d1")
DEF_FOPD(fmaddd, "fmadd d2, d0, d1, d3")
DEF_FOPD(fmsubd, "fmsub d2, d0, d1, d3")
DEF_FOPD(fnmaddd, "fnmadd d2, d0, d1, d3")
DEF_FOPD(fnmsubd, "fnmsub d2, d0, d1, d3")
DEF_FOPS(fadds, "fadd s2, s0, s1")
DEF_FOPS(fsubs, "fsub s2, s0, s1")
DEF_FOPS(fmuls, "fmul s2, s0, s1")
DEF_FOPS(fdivs, "fdiv s2, s0, s1")
DEF_FOPS(fmadds, "fmadd s2, s0, s1, s3")
DEF_FOPS(fnmsubs, "fnmsub s2, s0, s1, s3")
DEF_FOPD(fsqrtd, "fsqrt d2, d0")
DEF_FOPD(fabsd, "fabs d2, d0")
DEF_FOPD(fnegd, "fneg d2, d0")
DEF_FOPS(fsqrts, "fsqrt s2, s0")
DEF_FOPS(fabss, "fabs s2, s0")
DEF_FOPS(fnegs, "fneg s2, s0")

static const struct fop dops[] = {FOP(faddd), FOP(fsubd), FOP(fmuld), FOP(fdivd), FOP(fnmuld),
                                  FOP(fmaddd), FOP(fmsubd), FOP(fnmaddd), FOP(fnmsubd)};
static const struct fop sops[] = {FOP(fadds), FOP(fsubs), FOP(fmuls), FOP(fdivs), FOP(fmadds), FOP(fnmsubs)};
static const struct fop duops[] = {FOP(fsqrtd), FOP(fabsd), FOP(fnegd)};
static const struct fop suops[] = {FOP(fsqrts), FOP(fabss), FOP(fnegs)};

int main(void) {
    run_fops(dops, ARRAY_SIZE(dops), fd_vals, ARRAY_SIZE(fd_vals), 0, 7);
    run_fops(sops, ARRAY_SIZE(sops), fs_vals, ARRAY_SIZE(fs_vals), 0, 7);
    run_fops(duops, ARRAY_SIZE(duops), fd_vals, ARRAY_SIZE(fd_vals), 1, 1);
    run_fops(suops, ARRAY_SIZE(suops), fs_vals, ARRAY_SIZE(fs_vals), 1, 1);
    uint64_t i1, i2, i3, i4;
    __asm__ volatile("fmov d0, #1.0\n fmov %0, d0\n fmov d0, #-0.125\n fmov %1, d0\n fmov s0, #31.0\n fmov %w2, s0\n"
                     "fmov d0, #0.1875\n fmov %3, d0"
                     : "=r"(i1), "=r"(i2), "=r"(i3), "=r"(i4) : : "v0");
    printf("fmov imm: %016lx %016lx %08lx %016lx\n", i1, i2, i3, i4);
    /* a little real arithmetic: sum of 1/k^2, Newton sqrt, in double and float */
    double s = 0;
    float sf = 0;
    for (int k = 1; k <= 2000; k++) {
        s += 1.0 / ((double)k * k);
        sf += 1.0f / ((float)k * k);
    }
    double x = 2.0;
    for (int k = 0; k < 6; k++) x = 0.5 * (x + 2.0 / x);
    printf("basel %016lx %08x newton sqrt2 %016lx\n", f64_bits(s), f32_bits(sf), f64_bits(x));
    return 0;
}
