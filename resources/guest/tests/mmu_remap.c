// Stage-1 translation (EL1&0, 4 KiB granule): the test copies the runtime's
// tables into its own, maps the last 2 MiB of the 0x40000000 GiB through an L3
// table with aliases, read-only, EL0, AF=0 and invalid pages, switches TTBR0,
// then prints AT S1E1R/S1E1W/S1E0R/S1E0W results (PAR_EL1), aliased
// reads/writes, the faults (ESR/FAR), a PTE change followed by TLBI VAE1, and
// a 1 GiB identity block replaced by a table.
#include "common.h"

#define PTE_VALID 1ULL
#define PTE_TABLE 2ULL
#define PTE_PAGE 3ULL
#define PTE_NORMAL (1ULL << 2)
#define PTE_AP_EL0 (1ULL << 6)
#define PTE_AP_RO (1ULL << 7)
#define PTE_SH (3ULL << 8)
#define PTE_AF (1ULL << 10)
#define PTE_UXN (1ULL << 54)
#define PTE_PXN (1ULL << 53)

static uint64_t l1[512] __attribute__((aligned(4096)));
static uint64_t l2[512] __attribute__((aligned(4096)));
static uint64_t l3[512] __attribute__((aligned(4096)));
static uint8_t frames[4][4096] __attribute__((aligned(4096)));

#define WIN 0x7fe00000ULL /* VA window: last 2 MiB block of the RAM GiB (beyond 128 MiB of RAM) */

static uint64_t at(int op, uint64_t va) {
    switch (op) {
    case 0: __asm__ volatile("at s1e1r, %0" : : "r"(va)); break;
    case 1: __asm__ volatile("at s1e1w, %0" : : "r"(va)); break;
    case 2: __asm__ volatile("at s1e0r, %0" : : "r"(va)); break;
    default: __asm__ volatile("at s1e0w, %0" : : "r"(va)); break;
    }
    ISB();
    return READ_SYSREG(par_el1);
}

/* PAR_EL1, leaving out what the architecture leaves open: NS (bit 9) is
 * UNKNOWN for a Non-secure translation, bit 10 is IMPLEMENTATION DEFINED,
 * and SH may be reported as the effective value (0b10) for Device memory. */
static void show_at(uint64_t va) {
    static const char *ops[] = {"S1E1R", "S1E1W", "S1E0R", "S1E0W"};
    printf("AT %016lx:", va);
    for (int i = 0; i < 4; i++) {
        uint64_t par = at(i, va);
        if (par & 1)
            printf(" %s F FST=%02lx S=%lu PTW=%lu", ops[i], (par >> 1) & 0x3f, (par >> 9) & 1, (par >> 8) & 1);
        else if ((par >> 60) == 0) /* Device */
            printf(" %s PA=%09lx ATTR=%02lx", ops[i], (unsigned long)(par & 0xfffffffff000ULL), (unsigned long)(par >> 56));
        else
            printf(" %s PA=%09lx ATTR=%02lx SH=%lu", ops[i], (unsigned long)(par & 0xfffffffff000ULL),
                   (unsigned long)(par >> 56), (unsigned long)((par >> 7) & 3));
    }
    printf("\n");
}

static int faults;
static int fault_handler(rt_frame *f) {
    if (++faults > 40) {
        printf("too many faults\n");
        rt_exit(3);
    }
    printf("  fault: EC=%02x ISS=%07lx FAR=%011lx\n", ESR_EC(f->esr), f->esr & 0x1ffffff, f->far);
    return RT_SKIP;
}

static uint64_t frame_pa(int i) { return (uint64_t)frames[i]; }

int main(void) {
    uint64_t *rt_l1 = (uint64_t *)(READ_SYSREG(ttbr0_el1) & 0xfffffffff000ULL);
    memcpy(l1, rt_l1, sizeof l1);
    uint64_t *rt_l2 = (uint64_t *)(rt_l1[1] & 0xfffffffff000ULL);
    memcpy(l2, rt_l2, sizeof l2);
    l1[1] = (uint64_t)l2 | PTE_TABLE | PTE_VALID;
    for (int i = 0; i < 4; i++)
        for (int j = 0; j < 4096; j++) frames[i][j] = (uint8_t)(i * 0x40 + j);
    const uint64_t norm = PTE_PAGE | PTE_NORMAL | PTE_SH | PTE_AF | PTE_UXN;
    l3[0] = frame_pa(0) | norm;                          /* RW alias of frame 0 */
    l3[1] = frame_pa(0) | norm | PTE_AP_RO;              /* RO alias of frame 0 */
    l3[2] = frame_pa(1) | (norm & ~PTE_AF);              /* access flag clear */
    l3[3] = 0;                                           /* invalid */
    l3[4] = frame_pa(2) | PTE_PAGE | PTE_NORMAL | PTE_SH | PTE_AF | PTE_AP_EL0 | PTE_PXN; /* EL0 RW */
    l3[5] = frame_pa(3) | norm | PTE_AP_EL0 | PTE_AP_RO; /* EL0+EL1 RO */
    l3[6] = frame_pa(3) | PTE_VALID | PTE_NORMAL | PTE_AF; /* bits[1:0]=01 at L3: reserved -> invalid */
    l3[7] = 0x09000000ULL | PTE_PAGE | PTE_AF | PTE_UXN | PTE_PXN; /* the UART, Device-nGnRnE */
    l2[511] = (uint64_t)l3 | PTE_TABLE | PTE_VALID;
    __asm__ volatile("dsb ishst" ::: "memory");
    WRITE_SYSREG(ttbr0_el1, (uint64_t)l1);
    ISB();
    __asm__ volatile("tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    printf("switched to test tables\n");

    for (int p = 0; p < 8; p++) show_at(WIN + p * 4096 + 0x123);
    show_at((uint64_t)frames[1]);            /* identity RAM, EL1 only */
    show_at(0x09000000);                     /* identity MMIO block */
    show_at((uint64_t)__el0_start);          /* the runtime's EL0 region */
    show_at(0x80000000);                     /* beyond the mapped GiBs */
    show_at(0x8000000000ULL);                /* beyond the 39-bit VA range */
    show_at(0xffffff8000000000ULL);          /* TTBR1 region, walks disabled (EPD1) */

    rt_set_sync_handler(fault_handler);
    volatile uint64_t *rw = (volatile uint64_t *)(WIN + 8);
    volatile uint64_t *ro = (volatile uint64_t *)(WIN + 4096 + 8);
    printf("rw alias %016lx ro alias %016lx\n", *rw, *ro);
    *rw = 0x1122334455667788ULL;
    printf("after write via rw: ro alias %016lx frame0 %016lx\n", *ro, *(uint64_t *)(frames[0] + 8));
    printf("write via ro alias:\n");
    *ro = 0xdead;
    printf("read AF=0 page:\n");
    uint64_t x = *(volatile uint64_t *)(WIN + 2 * 4096);
    printf("read invalid page:\n");
    x += *(volatile uint64_t *)(WIN + 3 * 4096 + 16);
    printf("read reserved L3 descriptor:\n");
    x += *(volatile uint64_t *)(WIN + 6 * 4096);
    printf("EL0-RO page from EL1: %016lx; write:\n", *(volatile uint64_t *)(WIN + 5 * 4096));
    *(volatile uint64_t *)(WIN + 5 * 4096) = 1;
    (void)x;
    /* remap page 0 to frame 3 with TLBI VAE1 */
    l3[0] = frame_pa(3) | norm;
    __asm__ volatile("dsb ishst\n tlbi vae1, %0\n dsb nsh\n isb" : : "r"((WIN) >> 12) : "memory");
    printf("after remap+tlbi: %016lx (frame3 %016lx)\n", *rw, *(uint64_t *)(frames[3] + 8));
    /* UART through the window */
    volatile uint32_t *uart = (volatile uint32_t *)(WIN + 7 * 4096);
    const char *msg = "uart via remapped page\n";
    for (const char *c = msg; *c; c++) uart[0] = (uint32_t)*c;
    /* replace the 1 GiB MMIO block by a table of 2 MiB blocks, one remapped */
    static uint64_t l2io[512] __attribute__((aligned(4096)));
    for (int i = 0; i < 512; i++) l2io[i] = ((uint64_t)i << 21) | 1 | PTE_AF | PTE_UXN | PTE_PXN;
    l2io[0] = ((uint64_t)0x09000000 & ~0x1fffffULL) | 1 | PTE_AF | PTE_UXN | PTE_PXN; /* VA 0 -> UART block */
    l1[0] = (uint64_t)l2io | PTE_TABLE | PTE_VALID;
    __asm__ volatile("dsb ishst\n tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    uint64_t va0 = 0x09000000 & 0x1fffff;
    __asm__ volatile("" : "+r"(va0)); /* not a null pointer as far as gcc knows */
    volatile uint32_t *uart0 = (volatile uint32_t *)va0;
    const char *msg2 = "uart via VA 0\n";
    for (const char *c = msg2; *c; c++) uart0[0] = (uint32_t)*c;
    show_at(0);
    show_at(0x09000000);
    /* back to the runtime's tables */
    WRITE_SYSREG(ttbr0_el1, (uint64_t)rt_l1);
    __asm__ volatile("isb\n tlbi vmalle1\n dsb nsh\n isb" ::: "memory");
    show_at(WIN);
    printf("done\n");
    return 0;
}
