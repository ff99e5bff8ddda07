/* Scalar FP test helpers: ops run on raw bit patterns; FPSR is cleared
 * before and read after each op. d0/d1/d3 (s0/s1/s3) are inputs, d2 output. */
#ifndef ARMLAB_FP_COMMON_H
#define ARMLAB_FP_COMMON_H
#include "common.h"

typedef uint64_t (*fop_fn)(uint64_t a, uint64_t b, uint64_t c, uint64_t *fpsr);
struct fop {
    const char *name;
    fop_fn fn;
};
#define FOP(n) {#n, n}

#define DEF_FOPD(name, insn)                                                                         \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint64_t *fpsr) { \
        uint64_t r, s;                                                                               \
        __asm__ volatile("msr fpsr, xzr\n fmov d0, %2\n fmov d1, %3\n fmov d3, %4\n movi v2.2d, #0\n" insn \
                         "\n fmov %0, d2\n mrs %1, fpsr"                                             \
                         : "=&r"(r), "=&r"(s) : "r"(a), "r"(b), "r"(c) : "v0", "v1", "v2", "v3");   \
        *fpsr = s;                                                                                   \
        return r;                                                                                    \
    }
#define DEF_FOPS(name, insn)                                                                         \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t c, uint64_t *fpsr) { \
        uint64_t r, s;                                                                               \
        __asm__ volatile("msr fpsr, xzr\n fmov s0, %w2\n fmov s1, %w3\n fmov s3, %w4\n movi v2.2d, #0\n" insn \
                         "\n fmov %0, d2\n mrs %1, fpsr"                                             \
                         : "=&r"(r), "=&r"(s) : "r"(a), "r"(b), "r"(c) : "v0", "v1", "v2", "v3");   \
        *fpsr = s;                                                                                   \
        return r;                                                                                    \
    }

static const uint64_t fd_vals[] = {
    0x0000000000000000ULL, /* +0 */
    0x8000000000000000ULL, /* -0 */
    0x3ff0000000000000ULL, /* 1 */
    0xbff0000000000000ULL, /* -1 */
    0x3ff8000000000000ULL, /* 1.5 */
    0x4008000000000000ULL, /* 3 */
    0x3fb999999999999aULL, /* 0.1 */
    0x0000000000000001ULL, /* min subnormal */
    0x000fffffffffffffULL, /* max subnormal */
    0x0010000000000000ULL, /* min normal */
    0x7fefffffffffffffULL, /* max */
    0x7ff0000000000000ULL, /* +inf */
    0xfff0000000000000ULL, /* -inf */
    0x7ff8000000000000ULL, /* qNaN */
    0x7ff0000000000001ULL, /* sNaN */
    0xfff800000000beefULL, /* -qNaN with payload */
    0x43e0000000000000ULL, /* 2^63 */
    0xc1e0000000200000ULL, /* -2^31 - 1 */
};
static const uint64_t fs_vals[] = {
    0x00000000, 0x80000000, 0x3f800000, 0xbf800000, 0x3fc00000, 0x40400000, 0x3dcccccd, 0x00000001,
    0x007fffff, 0x00800000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000, 0x7f800001, 0xffc0beef,
    0x5f000000, 0xcf000001,
};

/* FPSR cumulative flags as letters: Q(C) I(DC) X(IXC) U(FC) O(FC) Z(DZC) V(IOC) */
static inline const char *fpsr_str(uint64_t s) {
    static char bufs[4][8];
    static unsigned n;
    char *b = bufs[n++ & 3];
    b[0] = (s & (1u << 27)) ? 'Q' : '-';
    b[1] = (s & (1u << 7)) ? 'D' : '-';
    b[2] = (s & (1u << 4)) ? 'X' : '-';
    b[3] = (s & (1u << 3)) ? 'U' : '-';
    b[4] = (s & (1u << 2)) ? 'O' : '-';
    b[5] = (s & (1u << 1)) ? 'Z' : '-';
    b[6] = (s & (1u << 0)) ? 'I' : '-';
    b[7] = 0;
    return b;
}

/* Runs each op on all (a, b) pairs (c = a third fixed value); prints the
 * lines for pairs selected by `every` and a checksum per op. */
static inline void run_fops(const struct fop *ops, unsigned n, const uint64_t *vals, unsigned nv, int unary,
                            unsigned every) {
    for (unsigned o = 0; o < n; o++) {
        uint64_t h = MIX_INIT;
        unsigned k = 0;
        for (unsigned i = 0; i < nv; i++)
            for (unsigned j = 0; j < (unary ? 1 : nv); j++) {
                uint64_t s, r = ops[o].fn(vals[i], vals[j], vals[(i + j + 3) % nv], &s);
                if (k++ % every == 0)
                    printf("%s %016lx %016lx -> %016lx %s\n", ops[o].name, vals[i], unary ? 0 : vals[j], r,
                           fpsr_str(s));
                h = mix64(mix64(h, r), s & 0x0800009f);
            }
        printf("%s checksum %016lx\n", ops[o].name, h);
    }
}
#endif
