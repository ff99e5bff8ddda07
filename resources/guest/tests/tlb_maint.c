// TLB maintenance done right and wrong, for armlab's checker (`--check`). The
// program prints no translated values (a stale TLB may legally return either
// page), so its output is the same on any correct implementation; under
// `armlab run --check` the wrong sequences must be reported and the right one not:
//   va0: remapped valid→valid with a new output address, no TLBI   → bbm + stale-tlb
//   va1: invalidated then remapped (break-before-make) but no TLBI → stale-tlb
//   va2: break, TLBI VAE1, DSB, make                              → nothing
#include "common.h"

#define VA 0x80000000ULL /* L1 slot 2 of the runtime's 39-bit identity map is free */
#define PAGE_ATTRS ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (3ULL << 8) | (1ULL << 10) | (1ULL << 54))

static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static volatile uint64_t page[2][512] __attribute__((aligned(4096)));

static uint64_t rd(uint64_t va) { return *(volatile uint64_t *)va; }
static void set(int i, uint64_t d) {
    l3[i] = d;
    __asm__ volatile("dsb ishst" ::: "memory");
}

int main(void) {
    uint64_t ttbr;
    __asm__ volatile("mrs %0, ttbr0_el1" : "=r"(ttbr));
    uint64_t *l1 = (uint64_t *)(ttbr & 0xfffffffff000ULL);
    l2[0] = (uint64_t)l3 | 3;
    for (int i = 0; i < 3; i++) set(i, (uint64_t)&page[0][0] | PAGE_ATTRS);
    l1[2] = (uint64_t)l2 | 3;
    __asm__ volatile("dsb ishst\n isb" ::: "memory");
    uint64_t sum = 0;
    for (int i = 0; i < 3; i++) sum += rd(VA + 0x1000 * i); /* fill the TLB */

    set(0, (uint64_t)&page[1][0] | PAGE_ATTRS); /* wrong: valid → valid, new OA, no TLBI */
    sum += rd(VA);

    set(1, 0); /* break … */
    set(1, (uint64_t)&page[1][0] | PAGE_ATTRS); /* … make, but the old entry was never invalidated */
    sum += rd(VA + 0x1000);

    set(2, 0); /* right: break, TLBI, DSB, make */
    __asm__ volatile("tlbi vae1, %0\n dsb ish" : : "r"((VA + 0x2000) >> 12) : "memory");
    set(2, (uint64_t)&page[1][0] | PAGE_ATTRS);
    __asm__ volatile("isb" ::: "memory");
    sum += rd(VA + 0x2000);
    (void)sum;
    printf("done\n");
    return 0;
}
