// String routines written with NEON intrinsics the way glibc's AArch64 strlen,
// memchr and strcmp work (aligned 16-byte loads, CMEQ, SHRN #4 to a 64-bit
// nibble mask, FMOV to a GPR, RBIT+CLZ; UMAXP to test for any match), checked
// against byte loops over every alignment and many lengths. gcc -O2 also
// auto-vectorizes the checksum loop.
#include <arm_neon.h>
#include "common.h"

static uint64_t nibble_mask(uint8x16_t eq) {
    uint8x8_t m = vshrn_n_u16(vreinterpretq_u16_u8(eq), 4);
    return vget_lane_u64(vreinterpret_u64_u8(m), 0);
}

static size_t neon_strlen(const char *s) {
    const uint8_t *p = (const uint8_t *)((uintptr_t)s & ~(uintptr_t)15);
    unsigned shift = ((uintptr_t)s & 15) * 4;
    uint64_t mask = nibble_mask(vceqq_u8(vld1q_u8(p), vdupq_n_u8(0))) >> shift;
    if (mask) return (size_t)(__builtin_ctzll(mask) >> 2);
    for (;;) {
        p += 16;
        uint8x16_t eq = vceqq_u8(vld1q_u8(p), vdupq_n_u8(0));
        /* quick any-match test as glibc does: UMAXP of the compare result */
        if (vget_lane_u64(vreinterpret_u64_u8(vpmax_u8(vget_low_u8(eq), vget_high_u8(eq))), 0)) {
            mask = nibble_mask(eq);
            return (size_t)((const char *)p - s) + (__builtin_ctzll(mask) >> 2);
        }
    }
}

static const void *neon_memchr(const void *s, int c, size_t n) {
    if (!n) return 0;
    const uint8_t *start = s;
    const uint8_t *p = (const uint8_t *)((uintptr_t)s & ~(uintptr_t)15);
    uint8x16_t needle = vdupq_n_u8((uint8_t)c);
    unsigned skip = (uintptr_t)s & 15;
    uint64_t mask = nibble_mask(vceqq_u8(vld1q_u8(p), needle)) >> (skip * 4);
    size_t seen = 16 - skip;
    for (;;) {
        if (mask) {
            size_t off = (size_t)(p - start) + skip + (__builtin_ctzll(mask) >> 2);
            return off < n ? start + off : 0;
        }
        if (seen >= n) return 0;
        p += 16;
        skip = 0;
        seen += 16;
        mask = nibble_mask(vceqq_u8(vld1q_u8(p), needle));
    }
}

static int neon_strcmp(const char *a, const char *b) {
    size_t i = 0;
    for (;;) {
        uint8x16_t va = vld1q_u8((const uint8_t *)a + i), vb = vld1q_u8((const uint8_t *)b + i);
        /* stop where bytes differ or a has a NUL: (a != b) | (a == 0) */
        uint8x16_t stop = vorrq_u8(vmvnq_u8(vceqq_u8(va, vb)), vceqzq_u8(va));
        if (vmaxvq_u8(stop)) {
            size_t k = i + (__builtin_ctzll(nibble_mask(stop)) >> 2);
            return (int)(uint8_t)a[k] - (int)(uint8_t)b[k];
        }
        i += 16;
    }
}

static size_t ref_strlen(const char *s) {
    size_t n = 0;
    while (((volatile const char *)s)[n]) n++;
    return n;
}
static const void *ref_memchr(const void *s, int c, size_t n) {
    const volatile uint8_t *p = s;
    for (size_t i = 0; i < n; i++)
        if (p[i] == (uint8_t)c) return (const void *)(p + i);
    return 0;
}
static int ref_strcmp(const char *a, const char *b) {
    const volatile uint8_t *x = (const volatile uint8_t *)a, *y = (const volatile uint8_t *)b;
    while (*x && *x == *y) x++, y++;
    return (int)*x - (int)*y;
}

static char buf[4096] __attribute__((aligned(16)));
static char buf2[4096] __attribute__((aligned(16)));

int main(void) {
    uint64_t seed = 0xfeedbeefULL, h = MIX_INIT;
    unsigned bad = 0, tests = 0;
    for (int i = 0; i < 4096; i++) buf[i] = (char)(1 + rt_rand64(&seed) % 255);
    for (unsigned align = 0; align < 16; align++)
        for (unsigned len = 0; len < 80; len++) {
            char *s = buf + 1024 + align;
            char saved = s[len];
            s[len] = 0;
            size_t a = neon_strlen(s), b = ref_strlen(s);
            bad += a != b;
            tests++;
            h = mix64(h, a);
            s[len] = saved;
        }
    printf("strlen: %u tests, %u mismatches, checksum %016lx\n", tests, bad, h);
    bad = tests = 0;
    for (unsigned align = 0; align < 16; align++)
        for (unsigned n = 0; n < 70; n += 3)
            for (int c = 0; c < 256; c += 37) {
                const char *s = buf + 2048 + align;
                const void *x = neon_memchr(s, c, n), *y = ref_memchr(s, c, n);
                bad += x != y;
                tests++;
                h = mix64(h, x ? (uint64_t)((const char *)x - s) : ~0ULL);
            }
    printf("memchr: %u tests, %u mismatches, checksum %016lx\n", tests, bad, h);
    bad = tests = 0;
    memcpy(buf2, buf, sizeof buf2);
    for (unsigned align = 0; align < 16; align++)
        for (unsigned len = 0; len < 60; len += 1) {
            char *a = buf + 100 + align, *b = buf2 + 100 + align;
            char sa = a[len], sb = b[len];
            a[len] = 0;
            b[len] = 0;
            if (len % 5 == 1) b[len / 2] ^= 0x20; /* introduce a difference */
            int x = neon_strcmp(a, b), y = ref_strcmp(a, b);
            bad += (x > 0) != (y > 0) || (x < 0) != (y < 0);
            tests++;
            h = mix64(h, (uint64_t)(int64_t)x);
            if (len % 5 == 1) b[len / 2] ^= 0x20;
            a[len] = sa;
            b[len] = sb;
        }
    printf("strcmp: %u tests, %u mismatches, checksum %016lx\n", tests, bad, h);
    /* an auto-vectorized loop */
    uint32_t acc[4] = {0};
    for (unsigned i = 0; i < 4096; i++) acc[i & 3] += (uint8_t)buf[i] * (i | 1);
    printf("vectorized sums %08x %08x %08x %08x\n", acc[0], acc[1], acc[2], acc[3]);
    printf("example: strlen(\"%s\")=%lu memchr('d')=+%ld strcmp=%d\n", "armlab demo", neon_strlen("armlab demo"),
           (long)((const char *)neon_memchr("armlab demo", 'd', 11) - "armlab demo"), neon_strcmp("armlab", "armlaz"));
    return 0;
}
