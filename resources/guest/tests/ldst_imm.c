// Loads/stores with immediate offsets: unsigned offset (scaled), unscaled
// LDUR/STUR (negative offsets), pre-index and post-index writeback, every size
// (B/H/W/X, plus B/H/S/D/Q FP/SIMD registers), sign-extending LDRSB/LDRSH
// (to W and X) and LDRSW, zero-extension of 32-bit loads.
#include "common.h"

static uint8_t buf[256] __attribute__((aligned(16)));

static void fill(void) {
    for (int i = 0; i < 256; i++) buf[i] = (uint8_t)(i * 0x3b + 0x81);
}

static uint64_t checksum_buf(void) {
    uint64_t h = MIX_INIT;
    for (int i = 0; i < 256; i += 8) {
        uint64_t v;
        memcpy(&v, buf + i, 8);
        h = mix64(h, v);
    }
    return h;
}

#define LD(insn)                                                                           \
    ({                                                                                     \
        uint64_t _r = 0x5a5a5a5a5a5a5a5aULL;                                               \
        __asm__ volatile(insn : "+r"(_r) : "r"(base) : "memory");                          \
        printf("  %-34s %016lx\n", insn, _r);                                              \
    })

/* Writeback forms: print loaded value and base delta. */
#define LDWB(insn)                                                                         \
    ({                                                                                     \
        uint64_t _r = 0x5a5a5a5a5a5a5a5aULL;                                               \
        uint8_t *_b = base;                                                                \
        __asm__ volatile(insn : "+r"(_r), "+r"(_b) : : "memory");                          \
        printf("  %-34s %016lx base%+ld\n", insn, _r, (long)(_b - base));                  \
    })
#define STWB(insn, val)                                                                    \
    ({                                                                                     \
        uint8_t *_b = base;                                                                \
        __asm__ volatile(insn : "+r"(_b) : "r"((uint64_t)(val)) : "memory");               \
        printf("  %-34s base%+ld buf=%016lx\n", insn, (long)(_b - base), checksum_buf());  \
    })

int main(void) {
    fill();
    uint8_t *base = buf + 128;
    printf("unsigned offset / unscaled:\n");
    LD("ldrb %w0, [%1]");
    LD("ldrb %w0, [%1, #127]");
    LD("ldrh %w0, [%1, #2]");
    LD("ldrh %w0, [%1, #126]");
    LD("ldr %w0, [%1, #4]");
    LD("ldr %w0, [%1, #124]");
    LD("ldr %0, [%1, #8]");
    LD("ldr %0, [%1, #120]");
    LD("ldurb %w0, [%1, #-1]");
    LD("ldurh %w0, [%1, #-3]");
    LD("ldur %w0, [%1, #-128]");
    LD("ldur %0, [%1, #-7]");
    LD("ldur %0, [%1, #119]");
    LD("ldrsb %w0, [%1, #1]");
    LD("ldrsb %0, [%1, #1]");
    LD("ldrsb %w0, [%1, #3]");
    LD("ldrsb %0, [%1, #3]");
    LD("ldrsh %w0, [%1, #2]");
    LD("ldrsh %0, [%1, #2]");
    LD("ldrsh %0, [%1, #6]");
    LD("ldursh %w0, [%1, #-5]");
    LD("ldrsw %0, [%1, #4]");
    LD("ldrsw %0, [%1, #8]");
    LD("ldursw %0, [%1, #-1]");
    LD("ldursb %0, [%1, #-100]");
    printf("pre/post index:\n");
    LDWB("ldr %0, [%1, #8]!");
    LDWB("ldr %0, [%1, #-128]!");
    LDWB("ldr %0, [%1], #16");
    LDWB("ldr %0, [%1], #-8");
    LDWB("ldr %w0, [%1, #-4]!");
    LDWB("ldrb %w0, [%1], #255");
    LDWB("ldrsb %0, [%1, #-1]!");
    LDWB("ldrsh %w0, [%1], #-2");
    LDWB("ldrh %w0, [%1, #2]!");
    LDWB("ldrsw %0, [%1], #4");
    printf("stores:\n");
    uint64_t v = 0x0123456789abcdefULL;
    STWB("strb %w1, [%0, #1]", v);
    STWB("strh %w1, [%0, #-2]!", v);
    STWB("str %w1, [%0], #12", v);
    STWB("str %1, [%0, #-8]!", v);
    STWB("stur %1, [%0, #-3]", v);
    STWB("sturh %w1, [%0, #125]", v);
    STWB("str %1, [%0], #-128", ~v);
    STWB("strb wzr, [%0, #100]", v);
    STWB("str xzr, [%0, #64]", v);
    STWB("str %w1, [%0, #-127]!", v);
    printf("fp/simd registers:\n");
    fill();
    uint64_t lo, hi;
    __asm__ volatile("movi v0.2d, #0xffffffffffffffff\n"
                     "ldr b0, [%2, #3]\n"
                     "fmov %0, d0\n mov %1, v0.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(base) : "v0", "memory");
    printf("  ldr b0: %016lx %016lx\n", hi, lo);
    __asm__ volatile("movi v0.2d, #0xffffffffffffffff\n ldr h0, [%2, #6]\n fmov %0, d0\n mov %1, v0.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(base) : "v0", "memory");
    printf("  ldr h0: %016lx %016lx\n", hi, lo);
    __asm__ volatile("movi v0.2d, #0xffffffffffffffff\n ldur s0, [%2, #-4]\n fmov %0, d0\n mov %1, v0.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(base) : "v0", "memory");
    printf("  ldur s0: %016lx %016lx\n", hi, lo);
    __asm__ volatile("movi v0.2d, #0xffffffffffffffff\n ldr d0, [%2, #16]\n fmov %0, d0\n mov %1, v0.d[1]"
                     : "=r"(lo), "=r"(hi) : "r"(base) : "v0", "memory");
    printf("  ldr d0: %016lx %016lx\n", hi, lo);
    __asm__ volatile("ldr q0, [%2, #32]\n fmov %0, d0\n mov %1, v0.d[1]" : "=r"(lo), "=r"(hi) : "r"(base) : "v0", "memory");
    printf("  ldr q0: %016lx %016lx\n", hi, lo);
    uint8_t *b2 = base;
    __asm__ volatile("ldr q1, [%0, #-48]!\n str q1, [%0, #16]\n ldur q2, [%0, #-1]\n str q2, [%0], #-16\n"
                     "str s2, [%0, #4]\n str h1, [%0, #2]!\n str b1, [%0, #-1]\n str d2, [%0], #8"
                     : "+r"(b2) : : "v1", "v2", "memory");
    printf("  q/s/h/b/d stores: base%+ld buf=%016lx\n", (long)(b2 - base), checksum_buf());
    return 0;
}
