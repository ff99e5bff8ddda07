// Stage-1 translation with the 16 KiB and 64 KiB granules (TCR_EL1.TG0), 39-bit
// VA: 64K starts at level 2 (512 MiB blocks, 64 KiB pages), 16K at level 1
// (32 MiB blocks at level 2, 16 KiB pages). For each, identity blocks for MMIO
// and RAM plus a page window with an alias, a read-only alias, an AF=0 page
// and a hole; AT S1E1R/S1E1W/S1E0R results, aliased reads/writes and faults.
// The MMU is turned off around each TCR/TTBR switch.
#include "common.h"

#define D_VALID 1ULL
#define D_TABLE 3ULL
#define D_PAGE 3ULL
#define D_BLOCK 1ULL
#define D_NORMAL (1ULL << 2)
#define D_RO (1ULL << 7)
#define D_SH (3ULL << 8)
#define D_AF (1ULL << 10)
#define D_UXN (1ULL << 54)
#define D_PXN (1ULL << 53)
#define DEV (D_AF | D_UXN | D_PXN)
#define RAM (D_NORMAL | D_SH | D_AF | D_UXN)

static uint64_t t64_l2[8192] __attribute__((aligned(65536)));
static uint64_t t64_l3[8192] __attribute__((aligned(65536)));
static uint64_t t16_l1[2048] __attribute__((aligned(16384)));
static uint64_t t16_l2[2048] __attribute__((aligned(16384)));
static uint64_t t16_l3[2048] __attribute__((aligned(16384)));
static uint8_t frames[2][65536] __attribute__((aligned(65536)));

static void __attribute__((noinline)) switch_mmu(uint64_t tcr, uint64_t ttbr) {
    __asm__ volatile("mrs x9, sctlr_el1\n bic x10, x9, #1\n msr sctlr_el1, x10\n isb\n"
                     "msr tcr_el1, %0\n msr ttbr0_el1, %1\n isb\n tlbi vmalle1\n dsb nsh\n isb\n"
                     "msr sctlr_el1, x9\n isb"
                     : : "r"(tcr), "r"(ttbr) : "x9", "x10", "memory");
}

static uint64_t at(int op, uint64_t va) {
    switch (op) {
    case 0: __asm__ volatile("at s1e1r, %0" : : "r"(va)); break;
    case 1: __asm__ volatile("at s1e1w, %0" : : "r"(va)); break;
    default: __asm__ volatile("at s1e0r, %0" : : "r"(va)); break;
    }
    ISB();
    return READ_SYSREG(par_el1);
}

static void show_at(uint64_t va) {
    static const char *ops[] = {"S1E1R", "S1E1W", "S1E0R"};
    printf("  AT %09lx:", va);
    for (int i = 0; i < 3; i++) {
        uint64_t par = at(i, va);
        if (par & 1)
            printf(" %s F FST=%02lx", ops[i], (par >> 1) & 0x3f);
        else
            printf(" %s PA=%09lx ATTR=%02lx", ops[i], (unsigned long)(par & 0xfffffffff000ULL), (unsigned long)(par >> 56));
    }
    printf("\n");
}

static int handler(rt_frame *f) {
    printf("  fault: EC=%02x ISS=%07lx FAR=%lx\n", ESR_EC(f->esr), f->esr & 0x1ffffff, f->far);
    return RT_SKIP;
}

static void exercise(const char *name, uint64_t win, uint64_t page) {
    printf("%s: window %lx page %lx\n", name, win, page);
    for (int p = 0; p < 4; p++) show_at(win + p * page + 0x88);
    show_at(0x09000000);
    show_at((uint64_t)frames[1] + 0x1234);
    show_at(win - page);       /* last page of the RAM identity blocks */
    show_at(0x90000000);       /* unmapped */
    volatile uint64_t *rw = (volatile uint64_t *)(win + 8), *ro = (volatile uint64_t *)(win + page + 8);
    printf("  rw %016lx ro %016lx\n", *rw, *ro);
    *rw = 0x1234567890abcdefULL + page;
    printf("  after write: ro %016lx frame0 %016lx\n", *ro, *(uint64_t *)(frames[0] + 8));
    *ro = 1;
    uint64_t x = *(volatile uint64_t *)(win + 2 * page);
    x += *(volatile uint64_t *)(win + 3 * page);
    x += *(volatile uint64_t *)0x90000000;
    (void)x;
    volatile uint32_t *uart = (volatile uint32_t *)0x09000000;
    for (const char *c = "  uart ok\n"; *c; c++) *uart = (uint32_t)*c;
}

int main(void) {
    uint64_t rt_tcr = READ_SYSREG(tcr_el1), rt_ttbr = READ_SYSREG(ttbr0_el1);
    for (int i = 0; i < 65536; i++) frames[0][i] = (uint8_t)(i * 3), frames[1][i] = (uint8_t)(i * 5 + 1);
    rt_set_sync_handler(handler);

    /* 64K granule: L2 entries are 512 MiB blocks */
    t64_l2[0] = 0x00000000ULL | D_BLOCK | DEV;
    t64_l2[1] = 0x20000000ULL | D_BLOCK | DEV;
    t64_l2[2] = 0x40000000ULL | D_BLOCK | RAM;
    t64_l2[3] = (uint64_t)t64_l3 | D_TABLE;
    t64_l3[0] = (uint64_t)frames[0] | D_PAGE | RAM;
    t64_l3[1] = (uint64_t)frames[0] | D_PAGE | RAM | D_RO;
    t64_l3[2] = (uint64_t)frames[1] | D_PAGE | (RAM & ~D_AF);
    t64_l3[3] = 0;
    __asm__ volatile("dsb ish" ::: "memory");
    switch_mmu((rt_tcr & ~(3ULL << 14)) | (1ULL << 14), (uint64_t)t64_l2);
    exercise("64K granule", 0x60000000, 0x10000);
    switch_mmu(rt_tcr, rt_ttbr);

    /* 16K granule: L1 entry 0 -> L2 of 32 MiB blocks; last RAM block -> L3 pages */
    t16_l1[0] = (uint64_t)t16_l2 | D_TABLE;
    for (int i = 0; i < 32; i++) t16_l2[i] = ((uint64_t)i << 25) | D_BLOCK | DEV;
    for (int i = 32; i < 63; i++) t16_l2[i] = ((uint64_t)i << 25) | D_BLOCK | RAM;
    t16_l2[63] = (uint64_t)t16_l3 | D_TABLE;
    t16_l3[0] = (uint64_t)frames[0] | D_PAGE | RAM;
    t16_l3[1] = (uint64_t)frames[0] | D_PAGE | RAM | D_RO;
    t16_l3[2] = ((uint64_t)frames[1] + 0x4000) | D_PAGE | (RAM & ~D_AF);
    t16_l3[3] = 0;
    __asm__ volatile("dsb ish" ::: "memory");
    switch_mmu((rt_tcr & ~(3ULL << 14)) | (2ULL << 14), (uint64_t)t16_l1);
    exercise("16K granule", 0x7e000000, 0x4000);
    switch_mmu(rt_tcr, rt_ttbr);
    printf("back on 4K: tcr %lx\n", READ_SYSREG(tcr_el1));
    return 0;
}
