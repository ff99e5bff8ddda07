/* AdvSIMD test helpers: vectors as two 64-bit halves. */
#ifndef ARMLAB_SIMD_COMMON_H
#define ARMLAB_SIMD_COMMON_H
#include "common.h"

typedef struct {
    uint64_t lo, hi;
} v128;

/* the instruction text, one line, padded to 34 columns */
static inline void plabel(const char *what) {
    int n = 0;
    rt_puts("  ");
    for (const char *p = what; *p; p++, n++) {
        if (*p == '\n') {
            rt_puts(";");
            if (p[1] == ' ') p++;
        } else
            rt_putc(*p);
    }
    do rt_putc(' '); while (++n < 35);
}
static inline void pv(const char *what, v128 v) {
    plabel(what);
    printf("%016lx_%016lx\n", v.hi, v.lo);
}

/* inputs: v0 = A, v1 = B, v2 = C (for destructive ops), result in v3 */
#define V3(insn)                                                                                       \
    ({                                                                                                 \
        v128 _r;                                                                                       \
        __asm__ volatile("ldr q0, [%2]\n ldr q1, [%3]\n ldr q2, [%4]\n mov v3.16b, v2.16b\n" insn     \
                         "\n str q3, [%1]"                                                             \
                         : "=m"(_r) : "r"(&_r), "r"(&A), "r"(&B), "r"(&C) : "x9", "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "memory"); \
        pv(insn, _r);                                                                                  \
        h = mix64(mix64(h, _r.lo), _r.hi);                                                             \
    })

/* result in a general register */
#define VX(insn)                                                                                       \
    ({                                                                                                 \
        uint64_t _r;                                                                                   \
        __asm__ volatile("ldr q0, [%1]\n ldr q1, [%2]\n" insn : "=&r"(_r) : "r"(&A), "r"(&B) : "x0", "v0", "v1", "v3", "memory"); \
        plabel(insn);                                                                                  \
        printf("%016lx\n", _r);                                                                        \
        h = mix64(h, _r);                                                                              \
    })
#endif
