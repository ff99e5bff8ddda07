// Unaligned accesses to Normal memory with SCTLR_EL1.A=0: LDR/STR of H/W/X,
// LDP/STP, LDR/STR Q, LD1/ST1, sign-extending loads, at every misalignment,
// and across 16-byte, 64-byte, 4 KiB page and 2 MiB block boundaries.
#include "common.h"

static uint8_t page[2][4096] __attribute__((aligned(4096)));

static void fill(uint8_t *p, size_t n, uint8_t seed) {
    for (size_t i = 0; i < n; i++) p[i] = (uint8_t)(seed + i * 0x9d + (i >> 8));
}

static void probe(const char *what, uint8_t *p) {
    uint64_t h, w, x, sh, sw, a, b, qlo, qhi, v0lo, v0hi;
    __asm__ volatile("ldrh %w0, [%11]\n"
                     "ldr %w1, [%11]\n"
                     "ldr %2, [%11]\n"
                     "ldrsh %3, [%11, #1]\n"
                     "ldursw %4, [%11, #-1]\n"
                     "ldp %5, %6, [%11]\n"
                     "ldr q0, [%11]\n fmov %7, d0\n mov %8, v0.d[1]\n"
                     "ld1 {v1.4s}, [%11]\n fmov %9, d1\n mov %10, v1.d[1]\n"
                     : "=&r"(h), "=&r"(w), "=&r"(x), "=&r"(sh), "=&r"(sw), "=&r"(a), "=&r"(b), "=&r"(qlo), "=&r"(qhi),
                       "=&r"(v0lo), "=&r"(v0hi)
                     : "r"(p)
                     : "v0", "v1", "memory");
    printf("%s: h=%04lx w=%08lx x=%016lx sh=%016lx sw=%016lx\n", what, h, w, x, sh, sw);
    printf("   ldp=%016lx %016lx q=%016lx %016lx ld1=%016lx %016lx\n", a, b, qhi, qlo, v0hi, v0lo);
}

static void store_probe(const char *what, uint8_t *p, uint8_t *region, size_t n) {
    __asm__ volatile("movi v2.16b, #0xa5\n"
                     "str %1, [%0, #1]\n"
                     "add x9, %0, #13\n stp %w1, %w1, [x9]\n"
                     "strh %w1, [%0, #25]\n"
                     "str q2, [%0, #31]\n"
                     "st1 {v2.2d}, [%2]\n"
                     "stur %w1, [%0, #-3]\n"
                     :
                     : "r"(p), "r"(0x0102030405060708ULL), "r"(p + 50)
                     : "v2", "x9", "memory");
    uint64_t hsum = MIX_INIT;
    for (size_t i = 0; i < n; i++) hsum = mix64(hsum, region[i]);
    printf("%s stores: checksum %016lx\n", what, hsum);
}

int main(void) {
    fill(page[0], sizeof page, 0x11);
    for (int off = 0; off < 16; off++) {
        char name[32];
        rt_snprintf(name, sizeof name, "off %2d", off);
        probe(name, page[0] + 64 + off);
    }
    probe("cross 64B line", page[0] + 64 * 5 - 5);
    probe("cross 4K page", page[1] - 7);
    /* 2 MiB block boundary inside the heap */
    uint64_t hs = (uint64_t)__heap_start, he = (uint64_t)__heap_end;
    uint64_t blk = (hs + 0x1fffff) & ~0x1fffffULL;
    if (blk - 64 >= hs && blk + 64 <= he) {
        uint8_t *p = (uint8_t *)blk - 64;
        fill(p, 128, 0x77);
        probe("cross 2M block", (uint8_t *)blk - 9);
        store_probe("cross 2M block", (uint8_t *)blk - 30, p, 128);
    } else {
        printf("heap does not span a 2 MiB boundary\n");
    }
    for (int off = 0; off < 8; off++) {
        fill(page[0], 256, 0x33);
        char name[32];
        rt_snprintf(name, sizeof name, "off %d", off);
        store_probe(name, page[0] + 64 + off, page[0], 256);
    }
    fill(page[0], sizeof page, 0x55);
    store_probe("cross 4K page", page[1] - 20, page[0] + 4096 - 128, 256);
    return 0;
}
