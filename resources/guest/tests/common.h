/* Helpers shared by the guest test programs. */
#ifndef ARMLAB_TEST_COMMON_H
#define ARMLAB_TEST_COMMON_H
#include "rt.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* NZCV as a 4-letter string, upper case = set ("nZCv"). Eight rotating
 * buffers, so several may appear in one printf. */
static inline const char *nzcv_str(uint64_t nzcv) {
    static char bufs[8][5];
    static unsigned next;
    char *s = bufs[next++ & 7];
    s[0] = (nzcv & (1u << 31)) ? 'N' : 'n';
    s[1] = (nzcv & (1u << 30)) ? 'Z' : 'z';
    s[2] = (nzcv & (1u << 29)) ? 'C' : 'c';
    s[3] = (nzcv & (1u << 28)) ? 'V' : 'v';
    s[4] = 0;
    return s;
}

/* Running checksum (FNV-1a over 64-bit values). */
static inline uint64_t mix64(uint64_t h, uint64_t v) {
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}
#define MIX_INIT 0xcbf29ce484222325ULL

static inline uint64_t f64_bits(double d) {
    uint64_t u;
    __builtin_memcpy(&u, &d, 8);
    return u;
}
static inline double bits_f64(uint64_t u) {
    double d;
    __builtin_memcpy(&d, &u, 8);
    return d;
}
static inline uint32_t f32_bits(float f) {
    uint32_t u;
    __builtin_memcpy(&u, &f, 4);
    return u;
}
static inline float bits_f32(uint32_t u) {
    float f;
    __builtin_memcpy(&f, &u, 4);
    return f;
}

/* A sync handler that records the exception and skips the instruction. */
static volatile uint64_t last_esr, last_far, last_elr, exc_count;
static inline int record_and_skip(rt_frame *f) {
    last_esr = f->esr;
    last_far = f->far;
    last_elr = f->elr;
    exc_count++;
    return RT_SKIP;
}
/* name(a, b, nzcv_in, &nzcv_out): runs insn with %0 = result, %2 = a,
 * %3 = b, after setting NZCV to nzcv_in; returns %0, stores NZCV after. */
#define DEF_OP2(name, insn)                                                               \
    static __attribute__((noinline)) uint64_t name(uint64_t a, uint64_t b, uint64_t fin, uint64_t *f) { \
        uint64_t r, n;                                                                    \
        __asm__ volatile("msr nzcv, %4\n" insn "\nmrs %1, nzcv"                           \
                         : "=&r"(r), "=&r"(n)                                             \
                         : "r"(a), "r"(b), "r"(fin)                                       \
                         : "cc");                                                         \
        *f = n;                                                                           \
        return r;                                                                         \
    }
typedef uint64_t (*op2_fn)(uint64_t, uint64_t, uint64_t, uint64_t *);
struct op2 {
    const char *name;
    op2_fn fn;
};
#define OP2(n) {#n, n}

/* Edge values for integer tests. */
static const uint64_t edge64[] = {
    0, 1, 2, 0x7f, 0x80, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
    0x7fffffffffffffffULL, 0x8000000000000000ULL, 0xfffffffffffffffeULL, 0xffffffffffffffffULL,
    0x123456789abcdef0ULL, 0xfedcba9876543210ULL, 0x00000000000000c9ULL, 0x0000004000000021ULL,
};

/* Runs every op over edge64 x edge64 (with NZCV in = each of 0, C, NZCV all).
 * Prints every line for ops[0..verbose) and a checksum per op. */
static inline void run_op2_table(const struct op2 *ops, unsigned nops, unsigned verbose) {
    static const uint64_t flags_in[] = {0, 0x20000000, 0xf0000000};
    for (unsigned o = 0; o < nops; o++) {
        uint64_t h = MIX_INIT;
        for (unsigned i = 0; i < ARRAY_SIZE(edge64); i++)
            for (unsigned j = 0; j < ARRAY_SIZE(edge64); j++)
                for (unsigned k = 0; k < ARRAY_SIZE(flags_in); k++) {
                    uint64_t f, r = ops[o].fn(edge64[i], edge64[j], flags_in[k], &f);
                    if (o < verbose && k == 1 && (i % 3 == 0 || j % 4 == 1))
                        printf("%s %016lx %016lx -> %016lx %s\n", ops[o].name, edge64[i], edge64[j], r, nzcv_str(f));
                    h = mix64(mix64(h, r), f);
                }
        printf("%s checksum %016lx\n", ops[o].name, h);
    }
}
#endif
