// AdvSIMD loads/stores: LD1/ST1 with 1-4 registers (8B/16B/4H/2D...), LD2/LD3/
// LD4 and ST2/ST3/ST4 (de)interleaving, LD1R/LD2R/LD4R, single-lane LD1/ST1/
// LD3, post-index by immediate and by register, LDR/STR Q/D/S/H/B, LDP/STP Q,
// LDUR Q, and the memcpy-style Q-register copy gcc and glibc use.
#include "simd_common.h"

static uint8_t src[256] __attribute__((aligned(16)));
static uint8_t dst[256] __attribute__((aligned(16)));
static v128 out[4];

static uint64_t dst_sum(void) {
    uint64_t h = MIX_INIT;
    for (int i = 0; i < 256; i += 8) {
        uint64_t w;
        memcpy(&w, dst + i, 8);
        h = mix64(h, w);
    }
    return h;
}

/* load into v4..v7 from src+off, store them to out[], print; x10 = base */
#define LD(insn, off)                                                                                 \
    ({                                                                                                \
        uint8_t *_b = src + (off);                                                                    \
        __asm__ volatile("movi v4.16b, #0xee\n movi v5.16b, #0xee\n movi v6.16b, #0xee\n movi v7.16b, #0xee\n" \
                         "mov x10, %1\n mov x11, #48\n" insn "\n stp q4, q5, [%2]\n stp q6, q7, [%2, #32]\n"  \
                         "sub %0, x10, %1"                                                            \
                         : "=&r"(wb) : "r"(_b), "r"(out) : "x10", "x11", "v4", "v5", "v6", "v7", "memory"); \
        plabel(insn);                                                                                 \
        printf("wb=%+ld\n", (long)wb);                                                                \
        for (int _i = 0; _i < 4; _i++)                                                                \
            if (out[_i].lo != 0xeeeeeeeeeeeeeeeeULL || out[_i].hi != 0xeeeeeeeeeeeeeeeeULL)           \
                printf("    v%d = %016lx_%016lx\n", 4 + _i, out[_i].hi, out[_i].lo);                   \
    })
#define ST(insn, off)                                                                                 \
    ({                                                                                                \
        memset(dst, 0, sizeof dst);                                                                   \
        uint8_t *_b = dst + (off);                                                                    \
        __asm__ volatile("ldp q4, q5, [%2]\n ldp q6, q7, [%2, #32]\n mov x10, %1\n mov x11, #-16\n" insn \
                         "\n sub %0, x10, %1"                                                         \
                         : "=&r"(wb) : "r"(_b), "r"(src) : "x10", "x11", "v4", "v5", "v6", "v7", "memory"); \
        plabel(insn);                                                                                 \
        printf("wb=%+ld dst=%016lx\n", (long)wb, dst_sum());                                          \
    })

int main(void) {
    int64_t wb;
    for (int i = 0; i < 256; i++) src[i] = (uint8_t)i;
    LD("ld1 {v4.16b}, [x10]", 16);
    LD("ld1 {v4.8b}, [x10], #8", 16);
    LD("ld1 {v4.4h, v5.4h}, [x10]", 3);
    LD("ld1 {v4.2d, v5.2d, v6.2d}, [x10], #48", 32);
    LD("ld1 {v4.4s, v5.4s, v6.4s, v7.4s}, [x10], x11", 64);
    LD("ld2 {v4.16b, v5.16b}, [x10]", 0);
    LD("ld2 {v4.4h, v5.4h}, [x10], #16", 0);
    LD("ld3 {v4.8h, v5.8h, v6.8h}, [x10]", 0);
    LD("ld3 {v4.2s, v5.2s, v6.2s}, [x10], x11", 1);
    LD("ld4 {v4.16b, v5.16b, v6.16b, v7.16b}, [x10], #64", 0);
    LD("ld4 {v4.4s, v5.4s, v6.4s, v7.4s}, [x10]", 7);
    LD("ld1r {v4.16b}, [x10]", 200);
    LD("ld1r {v4.2d}, [x10], #8", 40);
    LD("ld1r {v4.4h}, [x10], x11", 41);
    LD("ld2r {v4.8h, v5.8h}, [x10]", 10);
    LD("ld4r {v4.4s, v5.4s, v6.4s, v7.4s}, [x10], #16", 20);
    LD("movi v4.16b, #0x11\n ld1 {v4.b}[7], [x10]", 99);
    LD("movi v4.16b, #0x11\n ld1 {v4.s}[3], [x10], #4", 100);
    LD("movi v4.16b, #0x11\n ld1 {v4.d}[0], [x10], x11", 104);
    LD("ld3 {v4.h, v5.h, v6.h}[5], [x10]", 50);
    LD("ldr q4, [x10, #32]\n ldr d5, [x10, #8]!", 0);
    LD("ldur q4, [x10, #-3]\n ldr s5, [x10], #4\n ldr h6, [x10, #2]\n ldr b7, [x10, #1]", 20);
    LD("ldp q4, q5, [x10, #-32]!", 128);
    LD("ldp q6, q7, [x10], #32", 128);
    ST("st1 {v4.16b}, [x10]", 0);
    ST("st1 {v4.8b, v5.8b}, [x10], #16", 5);
    ST("st1 {v4.2d, v5.2d, v6.2d, v7.2d}, [x10], x11", 64);
    ST("st2 {v4.8h, v5.8h}, [x10], #32", 0);
    ST("st3 {v4.16b, v5.16b, v6.16b}, [x10]", 1);
    ST("st4 {v4.4s, v5.4s, v6.4s, v7.4s}, [x10], #64", 64);
    ST("st4 {v4.8b, v5.8b, v6.8b, v7.8b}, [x10]", 3);
    ST("st1 {v5.h}[6], [x10], #2", 9);
    ST("st2 {v6.s, v7.s}[1], [x10]", 12);
    ST("str q4, [x10, #16]!\n str d5, [x10], #-8\n stur q6, [x10, #1]", 32);
    ST("stp q7, q4, [x10, #32]", 32);
    /* memcpy the way glibc does it for 16..32 bytes: overlapping Q loads/stores */
    for (unsigned n = 16; n <= 32; n += 5) {
        memset(dst, 0, sizeof dst);
        __asm__ volatile("add x12, %1, %2\n add x13, %0, %2\n ldr q0, [%1]\n ldur q1, [x12, #-16]\n"
                         "str q0, [%0]\n stur q1, [x13, #-16]"
                         : : "r"(dst + 3), "r"(src + 7), "r"((uint64_t)n) : "x12", "x13", "v0", "v1", "memory");
        printf("copy %u: %016lx\n", n, dst_sum());
    }
    return 0;
}
