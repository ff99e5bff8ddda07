/*
 * Identity map for QEMU virt, 4 KiB granule, 39-bit VA (T0SZ=25, start at
 * level 1), TTBR0_EL1 only.
 *
 *   0x00000000-0x3fffffff  L1 block, Device-nGnRnE, EL1 RW, XN   (MMIO)
 *   0x40000000-0x7fffffff  L2 2 MiB blocks, Normal WB, inner shareable:
 *        [__el0_start, __el0_end)  AP=01 (EL0+EL1 RW), UXN=0 (EL1: PXN)
 *        everything else           AP=00 (EL1 RW),     UXN=1
 *   0x80000000-            unmapped (translation fault)
 *
 * With the MMU on, RAM is Normal memory, so unaligned accesses, exclusives
 * and DC ZVA behave as on an OS; MMIO stays Device.
 */
#include "rt.h"

#define DESC_VALID (1ULL << 0)
#define DESC_TABLE (1ULL << 1)
#define DESC_ATTR(i) ((uint64_t)(i) << 2)
#define DESC_AP_EL0 (1ULL << 6)
#define DESC_SH_INNER (3ULL << 8)
#define DESC_AF (1ULL << 10)
#define DESC_PXN (1ULL << 53)
#define DESC_UXN (1ULL << 54)

#define ATTR_DEVICE 0 /* MAIR attr0 = 0x00 Device-nGnRnE */
#define ATTR_NORMAL 1 /* MAIR attr1 = 0xff Normal WB RW-allocate */

static uint64_t l1_table[512] __attribute__((aligned(4096)));
static uint64_t l2_ram[512] __attribute__((aligned(4096)));

int rt_mmu_enabled;

void rt_mmu_init(void) {
    const uint64_t el0_lo = (uint64_t)__el0_start, el0_hi = (uint64_t)__el0_end;
    for (int i = 0; i < 512; i++) l1_table[i] = 0;
    l1_table[0] = 0x00000000ULL | DESC_VALID | DESC_ATTR(ATTR_DEVICE) | DESC_AF | DESC_PXN | DESC_UXN;
    l1_table[1] = (uint64_t)l2_ram | DESC_VALID | DESC_TABLE;
    for (int i = 0; i < 512; i++) {
        uint64_t pa = 0x40000000ULL + ((uint64_t)i << 21);
        uint64_t d = pa | DESC_VALID | DESC_ATTR(ATTR_NORMAL) | DESC_SH_INNER | DESC_AF;
        if (pa >= el0_lo && pa < el0_hi)
            d |= DESC_AP_EL0;
        else
            d |= DESC_UXN;
        l2_ram[i] = d;
    }
    __asm__ volatile("dsb ishst" ::: "memory");
    WRITE_SYSREG(mair_el1, 0xff00ULL);
    /* T0SZ=25, IRGN0=ORGN0=WBWA, SH0=inner, TG0=4K, EPD1=1, TG1=4K, IPS=36 bits */
    WRITE_SYSREG(tcr_el1, 25ULL | (1ULL << 8) | (1ULL << 10) | (3ULL << 12) | (1ULL << 23) | (2ULL << 30) | (1ULL << 32));
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1_table);
    ISB();
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    /* SCTLR_EL1: RES1 (0x30d00800) | M | C | SA | SA0 | I | DZE | UCT | nTWI | nTWE | UCI */
    uint64_t sctlr = 0x30d00800ULL | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 12) | (1 << 14) |
                     (1 << 15) | (1 << 16) | (1 << 18) | (1 << 26);
    WRITE_SYSREG(sctlr_el1, sctlr);
    ISB();
    rt_mmu_enabled = 1;
}
